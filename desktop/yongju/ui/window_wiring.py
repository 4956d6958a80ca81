"""Connects the window's parts: selections, requests, drops, menus and background loads."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QMessageBox

from yongju.core.records import Role
from yongju.ui.document_model import GridItem
from yongju.ui.slot_text import counted
from yongju.ui.state_icons import state_words

if TYPE_CHECKING:
    from yongju.ui.main_window import MainWindow


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
    bar.create_requested.connect(lambda *values: create_case(window, *values))
    bar.delete_requested.connect(lambda cid: delete_case(window, cid))
    ws.case_changed.connect(bar.show_case)
    ws.checklist_changed.connect(window.checklist.show_checklist)
    ws.slot_changed.connect(window.show_slot)


def create_case(window: MainWindow, name: str, profile_id: str, date: Any) -> None:
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
        "create case", lambda ctx: store.create_case(name, profile_id, date), on_result=created
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
    ws.checklist.set_drop_handler(parts.router.on_slot)
    window.checklist.slot_selected.connect(ws.select_slot)
    window.checklist.context_menu_requested.connect(
        lambda slot_id, pos: slot_menu(window, slot_id).popup(pos)
    )


def slot_menu(window: MainWindow, slot_id: str) -> QMenu:
    ws, parts = window.workspace, window.parts
    menu = QMenu(window)
    menu.addAction(
        QCoreApplication.translate("MainWindow", "Import Files into This Slot…"),
        lambda: ask_import(window, slot_id=slot_id),
    )
    checklist = ws.current_checklist
    if checklist is not None:
        case = checklist.case
        na = slot_id in case.not_applicable
        menu.addAction(
            QCoreApplication.translate("MainWindow", "Applies to This Case")
            if na
            else QCoreApplication.translate("MainWindow", "Does Not Apply to This Case"),
            lambda: parts.editor.set_not_applicable(case.id, slot_id, not na),
        )
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
    ws.refreshed.connect(lambda: _refresh_selected(window))
    parts.preview.rotate_requested.connect(parts.editor.rotate)
    parts.preview.exclude_requested.connect(parts.editor.exclude)
    if parts.details is not None:
        parts.details.edited.connect(
            lambda doc_id, changes: parts.editor.edit_document(doc_id, **changes)
        )
        parts.details.role_changed.connect(lambda fid, role: _role_changed(window, fid, role))


def _selected(window: MainWindow, grid: Any, items: list[GridItem]) -> None:
    if not items:
        return
    other = window.slot_grid if grid is window.inbox else window.inbox
    other.view.selectionModel().clearSelection()
    show_document(window, items[0])


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
        details.set_slot(status.slot, state_words(status.state), status.message)


def _slot_for(window: MainWindow, item: GridItem | None) -> Any:
    """The slot a document is filed in, or for an inbox document the one suggested for it."""
    checklist = window.workspace.current_checklist
    if item is None or checklist is None:
        return None
    slot_id = item.filing.slot_id if item.filing else item.document.suggested_slot
    try:
        return checklist.status(slot_id) if slot_id else None
    except KeyError:
        return None


def _role_changed(window: MainWindow, filing_id: int, role: str) -> None:
    for item in window.workspace.slot_documents.records():
        if item.filing is not None and item.filing.id == filing_id:
            window.parts.editor.set_role(item.filing, Role(role))


def _refresh_selected(window: MainWindow) -> None:
    """After a reload, the selected document's record may have changed (rotation, title)."""
    current: GridItem | None = getattr(window, "selected", None)
    if current is None:
        return
    for grid in (window.inbox, window.slot_grid):
        for item in grid.model.records():
            if item.document.id == current.document.id and (
                current.filing is None or item.filing is not None
            ):
                if item != current:
                    show_document(window, item)
                return


def _wire_actions(window: MainWindow) -> None:
    actions, parts = window.actions, window.parts
    actions.new_case.triggered.connect(window.case_bar.ask_new_case)
    window.checklist.new_case_requested.connect(window.case_bar.ask_new_case)
    actions.import_files.triggered.connect(lambda: ask_import(window))
    actions.import_folder.triggered.connect(lambda: ask_import(window, folder=True))
    actions.paste.triggered.connect(lambda: paste_files(window))
    actions.quit.triggered.connect(window.close)
    actions.delete.triggered.connect(lambda: delete_selected(window))
    actions.about.triggered.connect(lambda: about(window))
    actions.about_qt.triggered.connect(QApplication.aboutQt)
    actions.preferences.triggered.connect(lambda: preferences(window))
    actions.export.triggered.connect(lambda: export(window))
    parts.imports.import_finished.connect(lambda results: _imported(window, results))
    if parts.watch is not None:
        actions.watch.triggered.connect(lambda: open_watch_panel(window))
        parts.watch_status.clicked.connect(lambda: open_watch_panel(window))
        parts.watch.documents_arrived.connect(
            lambda n: window.show_message(
                counted(
                    QCoreApplication.translate(
                        "MainWindow",
                        "%n new document(s) from the watched folder are in the inbox.",
                        "",
                        n,
                    ),
                    n,
                )
            )
        )


def preferences(window: MainWindow) -> Any:
    from yongju.ui.preferences_dialog import PreferencesDialog

    dialog = PreferencesDialog(window.parts.settings, window.parts.theme, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def export(window: MainWindow) -> Any:
    """The export dialog for the selected case (its warnings come from the checklist)."""
    from yongju.ui.export_flow import open_export_dialog

    return open_export_dialog(window)


def open_watch_panel(window: MainWindow) -> Any:
    """The watched folder's panel (one, non-modal)."""
    from yongju.ui.watch_panel import WatchPanel

    panel = getattr(window, "watch_panel", None)
    if panel is None:
        panel = WatchPanel(window.parts.watch, window)
        window.watch_panel = panel
    panel.refresh()
    panel.show()
    panel.raise_()
    return panel


def ask_import(window: MainWindow, slot_id: str | None = None, folder: bool = False) -> QFileDialog:
    """A file dialog (opened, not exec'd); the chosen files import in the background."""
    settings, parts = window.parts.settings, window.parts
    dialog = QFileDialog(
        window,
        QCoreApplication.translate("MainWindow", "Import Folder")
        if folder
        else QCoreApplication.translate("MainWindow", "Import Files"),
    )
    dialog.setDirectory(settings.last_folder("import") or str(Path.home()))
    if folder:
        dialog.setFileMode(QFileDialog.FileMode.Directory)
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilters(
            [
                QCoreApplication.translate(
                    "MainWindow",
                    "Scans and photos (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.heic *.heif *.webp)",
                ),
                QCoreApplication.translate("MainWindow", "All files (*)"),
            ]
        )

    def chosen(files: list[str]) -> None:
        if files:
            settings.set_last_folder(
                "import", str(Path(files[0]).parent if not folder else Path(files[0]))
            )
            target = parts.router.target(slot_id) if slot_id else None
            parts.imports.start(files, target)

    dialog.filesSelected.connect(chosen)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def paste_files(window: MainWindow) -> list[Path]:
    """Imports files whose paths or file URLs are on the clipboard."""
    mime = QApplication.clipboard().mimeData()
    paths: list[Path] = []
    if mime is not None and mime.hasUrls():
        paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
    elif mime is not None and mime.hasText():
        for line in mime.text().splitlines():
            line = line.strip().strip('"')
            path = Path(QUrl(line).toLocalFile()) if line.startswith("file:") else Path(line)
            if line and path.exists():
                paths.append(path)
    if paths:
        window.parts.imports.start(paths)
    else:
        window.show_message(
            QCoreApplication.translate("MainWindow", "The clipboard holds no files to import.")
        )
    return paths


def delete_selected(window: MainWindow) -> None:
    """Delete: documents selected in a slot leave it (undoable); inbox ones, after asking."""
    filings = [i.filing for i in window.slot_grid.selected_items() if i.filing is not None]
    inbox = window.inbox.selected_items()
    if filings:
        window.parts.editor.unfile(filings)
    elif inbox:
        window.parts.documents.ask_delete([i.document for i in inbox], window)
    else:
        window.show_message(
            QCoreApplication.translate("MainWindow", "Select documents to remove them.")
        )


def about(window: MainWindow) -> QMessageBox:
    from yongju import __version__

    box = QMessageBox(window)
    box.setWindowTitle(QCoreApplication.translate("MainWindow", "About Yongju"))
    box.setText(f"<b>Yongju 永居</b> {__version__}")
    box.setInformativeText(
        QCoreApplication.translate(
            "MainWindow",
            "Assemble, check and print the documents of a China permanent-residence "
            "application. Your files stay on this computer.",
        )
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def _imported(window: MainWindow, results: list[Any]) -> None:
    imported = sum(1 for r in results if r.status == "imported")
    duplicates = sum(1 for r in results if r.status == "duplicate")
    refused = sum(1 for r in results if r.status == "refused")
    text = QCoreApplication.translate(
        "MainWindow", "Imported %1, already in the store %2, refused %3."
    )
    window.show_message(
        text.replace("%1", str(imported)).replace("%2", str(duplicates)).replace("%3", str(refused))
    )
