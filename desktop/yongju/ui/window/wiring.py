"""Connects the window's parts: selections, requests, drops, menus and background loads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

from yongju.ui.window.actions import about, import_summary, preferences
from yongju.ui.window.main_window import MainWindow


def wire(window: MainWindow) -> None:
    """Every signal connection of the main window, in one place."""
    _wire_cases(window)
    _wire_checklist(window)
    _wire_grids(window)
    _wire_actions(window)


def _wire_cases(window: MainWindow) -> None:
    editor, ws, bar = window.editor, window.workspace, window.case_bar
    bar.case_selected.connect(ws.select_case)
    bar.rename_requested.connect(lambda cid, name: editor.edit_case(cid, name=name))
    bar.profile_change_requested.connect(
        lambda cid, profile: editor.edit_case(cid, profile_id=profile)
    )
    bar.date_change_requested.connect(editor.set_submission_date)
    bar.facts_change_requested.connect(editor.set_facts)
    bar.create_requested.connect(lambda *values: _create_case(window, *values))
    bar.delete_requested.connect(lambda cid: editor.delete_case(cid, lambda: ws.select_case(None)))
    ws.case_changed.connect(bar.show_case)
    ws.exports_changed.connect(bar.show_exports)
    ws.case_changed.connect(window.show_case_title)
    ws.checklist_changed.connect(window.checklist.show_checklist)
    ws.slot_changed.connect(window.show_slot)


def _create_case(
    window: MainWindow, name: str, profile_id: str, date: Any, facts: Any = None
) -> None:
    def created(case: Any) -> None:
        window.workspace.select_case(case.id)
        window.show_message(
            QCoreApplication.translate("MainWindow", "Created the case “%1”.").replace(
                "%1", case.name
            )
        )

    window.editor.create_case(name, profile_id, date, facts, created)


def _wire_checklist(window: MainWindow) -> None:
    ws = window.workspace
    ws.checklist.set_drop_handler(window.router.on_slot_row)
    window.checklist.slot_selected.connect(ws.select_slot)
    # Another requirement: the documents of the one being left are no longer on screen.
    window.checklist.slot_selected.connect(window.slot_grid.view.clearSelection)
    window.checklist.context_menu_requested.connect(
        lambda slot_id, pos: window.slot_menu(slot_id).popup(pos)
    )


def _wire_grids(window: MainWindow) -> None:
    ws, documents, editor = window.workspace, window.documents, window.editor
    for grid in (window.inbox, window.slot_grid):
        grid.model.set_thumbnail_source(
            window.thumbnails.pixmap,
            window.style().standardIcon(window.style().StandardPixmap.SP_FileIcon),
        )
        grid.suggestion_accepted.connect(documents.accept_suggestion)
        grid.context_menu_requested.connect(
            lambda items, pos, g=grid: documents.popup(items, pos, g)
        )
        grid.activated.connect(lambda item: item and documents.open_original(item.document))
        window.thumbnails.thumbnail_ready.connect(grid.model.thumbnail_ready)
    ws.inbox.set_drop_handler(window.router.on_inbox)
    ws.slot_documents.set_drop_handler(window.router.on_slot_grid)
    ws.refreshed.connect(_while_alive(window, window.selection.refresh))
    open_url = window.open_url or QDesktopServices.openUrl
    # A source's web page, in the user's browser (only when they click it).
    window.slot_rule.info.linkActivated.connect(lambda link: open_url(QUrl(link)))
    window.preview.rotate_requested.connect(editor.rotate)
    window.preview.exclude_requested.connect(editor.exclude)
    if window.details is not None:
        window.details.edited.connect(
            lambda doc_id, changes: editor.edit_document(doc_id, **changes)
        )
        window.details.role_changed.connect(documents.set_role)


def _while_alive(window: MainWindow, fn: Callable[..., None]) -> Callable[..., None]:
    """``fn`` for a signal of an object that outlives the window (the workspace, the importer):
    a refresh or an import that ends after the window was deleted must not reach its widgets
    (it raised "already deleted" in a test's teardown). Bound methods of widgets need no
    guard: Qt disconnects them when the widget goes."""

    def call(*args: object) -> None:
        if isValid(window):
            fn(*args)

    return call


def _wire_actions(window: MainWindow) -> None:
    actions, imports = window.menu_actions, window.imports
    actions.new_case.triggered.connect(window.case_bar.ask_new_case)
    window.checklist.new_case_requested.connect(window.case_bar.ask_new_case)
    window.checklist.export_requested.connect(actions.export.trigger)
    actions.accept_suggestion.triggered.connect(
        lambda: [window.documents.accept_suggestion(i) for i in window.inbox.selected_items()]
    )
    actions.import_files.triggered.connect(lambda: imports.ask(window))
    actions.import_folder.triggered.connect(lambda: imports.ask(window, folder=True))
    actions.paste.triggered.connect(window.paste_files)
    actions.quit.triggered.connect(window.close)
    actions.delete.triggered.connect(window.delete_selected)
    actions.about.triggered.connect(lambda: about(window))
    actions.about_qt.triggered.connect(QApplication.aboutQt)
    actions.preferences.triggered.connect(
        lambda: preferences(window.settings, window.theme, window)
    )
    actions.export.triggered.connect(window.open_export_dialog)
    actions.backup.triggered.connect(lambda: window.backup.ask_backup(window))
    actions.restore.triggered.connect(lambda: window.backup.ask_restore(window))
    window.backup.said.connect(window.show_message)
    actions.refresh.triggered.connect(lambda: window.workspace.refresh())
    imports.import_finished.connect(
        _while_alive(window, lambda results: window.show_message(import_summary(results)))
    )
    if window.watch is not None:
        actions.watch.triggered.connect(window.open_watch_panel)
        if window.watch_status is not None:
            window.watch_status.clicked.connect(window.open_watch_panel)
        window.watch.documents_arrived.connect(window.show_arrivals)
