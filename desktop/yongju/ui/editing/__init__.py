"""Every change the user makes to the store: undoable commands on one ``QUndoStack``, run on
the single write thread by ``StoreWriter``, and the ``Editor`` that every view asks to make
them. A view never writes the store itself; it asks the editor and is refreshed afterwards.
"""
