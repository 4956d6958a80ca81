"""What every part of the window shares: the task helper and its status-bar view, settings,
the interface language, palettes, fonts and icons for slot states, the error reporter, the
one-window-per-store server, words shown to people (slot titles, counted nouns) and the base
list model over frozen records. Nothing here imports another subpackage of ``ui``.
"""
