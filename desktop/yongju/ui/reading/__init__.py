"""Background reading of documents after import (text layer or OCR, then proposals): the
controller that runs it off the GUI thread, its status-bar view with Cancel, and the panel of
proposed values to accept. ``window/reading_wiring.py`` connects them to the window's search,
selection and details panel.
"""
