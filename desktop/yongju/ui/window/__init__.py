"""The main window and what acts on all of it: the layout, its menus and what their actions
do, the selection shown in the preview and details, the wiring of the parts' signals
(background reading's too), the workspace (what the window shows, loaded off the GUI thread),
what a drop or a document's context menu means for the case and slot on screen, back-up and
restore, and the preferences dialog. Every other subpackage is below this one.
"""
