"""Background reading of documents after import (text layer or OCR, then proposals), its
status-bar view with Cancel, the panel of proposed values to accept, and the wiring that
connects reading to the window's search and details panel.
"""
