"""Connects the window's parts: selections, requests, drops, menus and background loads."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMenu
from shiboken6 import isValid

from yongju.core.records import Role
from yongju.ui.checklist.decisions import add_decision_actions, decision_words
from yongju.ui.common.slot_text import slot_message
from yongju.ui.common.state_icons import state_words
from yongju.ui.documents.model import GridItem
from yongju.ui.window.actions import (
    about,
    ask_import,
    delete_selected,
    export,
    imported,
    open_watch_panel,
    paste_files,
    preferences,
)
from yongju.ui.window.backup_flow import ask_backup, ask_restore

if TYPE_CHECKING:
    from yongju.ui.window.main_window import MainWindow


def wire(window: MainWindow) -> None:
    """Every signal connection of the main window, in one place."""
    _wire_cases(window)
    _wire_checklist(window)
    _wire_grids(window)
    _wire_actions(window)


def _wire_cases(window: MainWindow) -> None:
    parts, ws, bar = window.parts, window.workspace, window.case_bar
    bar.case_selected.connect(ws.select_case)
    bar.rename_requested.connect(lambda cid, name: parts.editor.edit_case(cid, name=name))
    bar.profile_change_requested.connect(
        lambda cid, profile: parts.editor.edit_case(cid, profile_id=profile)
    )
    bar.date_change_requested.connect(parts.editor.set_submission_date)
    bar.facts_change_requested.connect(parts.editor.set_facts)
    bar.create_requested.connect(lambda *values: create_case(window, *values))
    bar.delete_requested.connect(lambda cid: delete_case(window, cid))
    ws.case_changed.connect(bar.show_case)
    ws.exports_changed.connect(bar.show_exports)
    ws.case_changed.connect(window.show_case_title)
    ws.checklist_changed.connect(window.checklist.show_checklist)
    ws.slot_changed.connect(window.show_slot)


def create_case(
    window: MainWindow, name: str, profile_id: str, date: Any, facts: Any = None
) -> None:
    store, ws = window.parts.store, window.workspace

    def created(case: Any) -> None:
        ws.select_case(case.id)
        ws.refresh()
        window.show_message(
            QCoreApplication.translate("MainWindow", "Created the case “%1”.").replace(
                "%1", case.name
            )
        )

    window.parts.runner.write(
        "create case",
        lambda ctx: store.create_case(name, profile_id, date, facts=facts or {}),
        on_result=created,
    )


def delete_case(window: MainWindow, case_id: int) -> None:
    store, ws = window.parts.store, window.workspace

    def deleted(_result: Any) -> None:
        window.parts.editor.stack.clear()  # its commands name a case that is gone
        ws.select_case(None)
        ws.refresh()

    window.parts.runner.write(
        "delete case", lambda ctx: store.delete_case(case_id), on_result=deleted
    )


def _wire_checklist(window: MainWindow) -> None:
    ws, parts = window.workspace, window.parts
    ws.checklist.set_drop_handler(parts.router.on_slot_row)
    window.checklist.slot_selected.connect(ws.select_slot)
    # Another requirement: the documents of the one being left are no longer on screen.
    window.checklist.slot_selected.connect(window.slot_grid.view.clearSelection)
    window.checklist.context_menu_requested.connect(
        lambda slot_id, pos: slot_menu(window, slot_id).popup(pos)
    )


def slot_menu(window: MainWindow, slot_id: str) -> QMenu:
    ws = window.workspace
    menu = QMenu(window)
    menu.addAction(
        QCoreApplication.translate("MainWindow", "Import Files into This Slot…"),
        lambda: ask_import(window, slot_id=slot_id),
    )
    checklist = ws.current_checklist
    if checklist is not None:
        add_decision_actions(window, menu, checklist.status(slot_id))
    return menu


def _wire_grids(window: MainWindow) -> None:
    ws, parts = window.workspace, window.parts
    for grid in (window.inbox, window.slot_grid):
        grid.model.set_thumbnail_source(
            parts.thumbnails.pixmap,
            parts.placeholder_icon
            or window.style().standardIcon(window.style().StandardPixmap.SP_FileIcon),
        )
        grid.selection_changed.connect(lambda items, g=grid: _selected(window, g, items))
        grid.suggestion_accepted.connect(parts.documents.accept_suggestion)
        grid.context_menu_requested.connect(
            lambda items, pos, g=grid: parts.documents.popup(items, pos, g)
        )
        grid.activated.connect(lambda item: item and parts.documents.open_original(item.document))
        parts.thumbnails.thumbnail_ready.connect(grid.model.thumbnail_ready)
    ws.inbox.set_drop_handler(parts.router.on_inbox)
    ws.slot_documents.set_drop_handler(parts.router.on_slot_grid)
    ws.refreshed.connect(_while_alive(window, lambda: _refresh_selected(window)))
    window.slot_rule.info.linkActivated.connect(lambda link: _open_link(window, link))
    parts.preview.rotate_requested.connect(parts.editor.rotate)
    parts.preview.exclude_requested.connect(parts.editor.exclude)
    if parts.details is not None:
        parts.details.edited.connect(
            lambda doc_id, changes: parts.editor.edit_document(doc_id, **changes)
        )
        parts.details.role_changed.connect(lambda fid, role: _role_changed(window, fid, role))


def _while_alive(window: MainWindow, fn: Callable[..., None]) -> Callable[..., None]:
    """``fn`` for a signal of an object that outlives the window (the workspace, the importer):
    a refresh or an import that ends after the window was deleted must not reach its widgets
    (it raised "already deleted" in a test's teardown). Bound methods of widgets need no
    guard: Qt disconnects them when the widget goes."""

    def call(*args: object) -> None:
        if isValid(window):
            fn(*args)

    return call


def _open_link(window: MainWindow, link: str) -> None:
    """A source's web page, in the user's browser (only when they click it)."""
    open_url = window.parts.open_url or QDesktopServices.openUrl
    open_url(QUrl(link))


def _selected(window: MainWindow, grid: Any, items: list[GridItem]) -> None:
    """The panels show the document selected in the grid clicked last, or nothing."""
    if items:
        window.selected_grid = grid  # first: clearing the other grid must not empty the panel
        other = window.slot_grid if grid is window.inbox else window.inbox
        other.view.selectionModel().clearSelection()
        show_document(window, items[0])
    elif window.selected_grid in (grid, None):
        show_document(window, None)


def show_document(window: MainWindow, item: GridItem | None) -> None:
    """Shows a document in the preview and the details panel, with its slot's rules."""
    window.selected = item
    window.parts.preview.set_document(item.document if item else None)
    details = window.parts.details
    if details is None:
        return
    details.set_document(item.document if item else None, item.filing if item else None)
    status = _slot_for(window, item)
    if status is None:
        details.set_slot(None)
    else:
        checklist = window.workspace.current_checklist
        city = (checklist.case.fact("city") if checklist else None) or ""
        message = "; ".join(m for m in (slot_message(status), decision_words(status)) if m)
        details.set_slot(status.slot, state_words(status.state), message, city)


def _slot_for(window: MainWindow, item: GridItem | None) -> Any:
    """The slot a document is filed in, or for an inbox document the one suggested for it."""
    checklist = window.workspace.current_checklist
    if item is None or checklist is None:
        return None
    slot_id = item.filing.slot_id if item.filing else item.suggested_slot
    try:
        return checklist.status(slot_id) if slot_id else None
    except KeyError:
        return None


def _role_changed(window: MainWindow, filing_id: int, role: str) -> None:
    for item in window.workspace.slot_documents.records():
        if item.filing is not None and item.filing.id == filing_id:
            window.parts.editor.set_role(item.filing, Role(role))


def _refresh_selected(window: MainWindow) -> None:
    """After a reload the panels show the store's values of what is selected on screen.

    A document that left the grid it was selected in (unfiled, moved, another requirement
    shown) leaves the panels empty rather than editable off screen.
    """
    grid = window.selected_grid
    if grid is not None and not isValid(grid.view):
        return  # a load that finished after the window closed
    items = grid.selected_items() if grid is not None else []
    item = items[0] if items else None
    if item != window.selected:
        show_document(window, item)


def _wire_actions(window: MainWindow) -> None:
    actions, parts = window.menu_actions, window.parts
    actions.new_case.triggered.connect(window.case_bar.ask_new_case)
    window.checklist.new_case_requested.connect(window.case_bar.ask_new_case)
    window.checklist.export_requested.connect(actions.export.trigger)
    window.inbox.enable_filter()
    window.slot_grid.set_default_drop_action(Qt.DropAction.MoveAction)
    window.inbox.add_heading_action(actions.import_files)
    actions.accept_suggestion.triggered.connect(
        lambda: [parts.documents.accept_suggestion(i) for i in window.inbox.selected_items()]
    )
    actions.import_files.triggered.connect(lambda: ask_import(window))
    actions.import_folder.triggered.connect(lambda: ask_import(window, folder=True))
    actions.paste.triggered.connect(lambda: paste_files(window))
    actions.quit.triggered.connect(window.close)
    actions.delete.triggered.connect(lambda: delete_selected(window))
    actions.about.triggered.connect(lambda: about(window))
    actions.about_qt.triggered.connect(QApplication.aboutQt)
    actions.preferences.triggered.connect(lambda: preferences(window))
    actions.export.triggered.connect(lambda: export(window))
    actions.backup.triggered.connect(lambda: ask_backup(window))
    actions.restore.triggered.connect(lambda: ask_restore(window))
    actions.refresh.triggered.connect(lambda: parts.workspace.refresh())
    parts.imports.import_finished.connect(
        _while_alive(window, lambda results: imported(window, results))
    )
    if parts.watch is not None:
        actions.watch.triggered.connect(lambda: open_watch_panel(window))
        parts.watch_status.clicked.connect(lambda: open_watch_panel(window))
        parts.watch.documents_arrived.connect(window.show_arrivals)
