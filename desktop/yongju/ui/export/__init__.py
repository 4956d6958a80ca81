"""Exporting a case's packet: the dialog with the options form and the checklist's warnings,
the flow that runs the export on the write thread with progress and cancel, and the case
bar's history of what was exported, with each packet's manifest.
"""
