"""The watched folder in the window: the controller that runs core's watcher (its handler only
forwards a signal), the panel to choose, start and stop it, and its word in the status bar.
"""
