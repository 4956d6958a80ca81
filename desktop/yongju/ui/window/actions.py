"""What the window's menu actions do: import, paste, delete, export, preferences, about."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

if TYPE_CHECKING:
    from yongju.ui.window.main_window import MainWindow


def preferences(window: MainWindow) -> Any:
    from yongju.ui.window.preferences_dialog import PreferencesDialog

    dialog = PreferencesDialog(window.parts.settings, window.parts.theme, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def export(window: MainWindow) -> Any:
    """The export dialog for the selected case (its warnings come from the checklist)."""
    from yongju.ui.export.flow import open_export_dialog

    return open_export_dialog(window)


def open_watch_panel(window: MainWindow) -> Any:
    """The watched folder's panel (one, non-modal)."""
    from yongju.ui.watching.panel import WatchPanel

    panel = window.watch_panel
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


def imported(window: MainWindow, results: list[Any]) -> None:
    imported = sum(1 for r in results if r.status == "imported")
    duplicates = sum(1 for r in results if r.status == "duplicate")
    refused = sum(1 for r in results if r.status == "refused")
    text = QCoreApplication.translate(
        "MainWindow", "Imported %1, already in the store %2, refused %3."
    )
    window.show_message(
        text.replace("%1", str(imported)).replace("%2", str(duplicates)).replace("%3", str(refused))
    )
