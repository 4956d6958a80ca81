"""The preview of the selected document: its pages large enough to read, a strip of page
thumbnails, zoom, and the rotate and leave-out actions, rendered off the GUI thread.
"""
