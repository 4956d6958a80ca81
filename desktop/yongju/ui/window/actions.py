"""What the window's menu actions do that belongs to no other part: preferences, about, and
the words for an import's outcome."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from yongju.ui.common.settings import Settings


def preferences(settings: Settings, theme: Any, parent: QWidget) -> Any:
    """The preferences dialog (language and colour scheme), opened over ``parent``."""
    from yongju.ui.window.preferences_dialog import PreferencesDialog

    dialog = PreferencesDialog(settings, theme, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def about(parent: QWidget) -> QMessageBox:
    from yongju import __version__

    box = QMessageBox(parent)
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


def import_summary(results: list[Any]) -> str:
    """ "Imported 2, already in the store 1, refused 0." for the status bar."""
    imported = sum(1 for r in results if r.status == "imported")
    duplicates = sum(1 for r in results if r.status == "duplicate")
    refused = sum(1 for r in results if r.status == "refused")
    text = QCoreApplication.translate(
        "MainWindow", "Imported %1, already in the store %2, refused %3."
    )
    return (
        text.replace("%1", str(imported)).replace("%2", str(duplicates)).replace("%3", str(refused))
    )
