"""File ▸ Back Up… and Restore…: core's backup, off the GUI thread, with progress and cancel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QDir, QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from yongju.ui.common.error_reporter import ErrorReporter
from yongju.ui.common.settings import Settings
from yongju.ui.common.slot_text import counted
from yongju.ui.common.tasks import Task, TaskRunner

if TYPE_CHECKING:
    from yongju.core.store import Store


def restored_message(restored: Any) -> str:
    """Said once the restored store is open."""
    documents, cases = documents_and_cases(restored.documents, restored.cases)
    return (
        QCoreApplication.translate("MainWindow", "Restored %1 and %2 from the backup of %3.")
        .replace("%1", documents)
        .replace("%2", cases)
        .replace("%3", restored.created[:10] or "?")
    )


class BackupCounts(QObject):
    """Counted phrases for the messages. A class of its own because lupdate records plural
    forms only for ``obj.tr(text, "", n)``, and these messages are said without a window."""

    def phrases(self, documents: int, cases: int) -> tuple[str, str]:
        return (
            counted(self.tr("%n document(s)", "", documents), documents),
            counted(self.tr("%n case(s)", "", cases), cases),
        )


def documents_and_cases(documents: int, cases: int) -> tuple[str, str]:
    """ "3 documents", "1 case": counted phrases for the messages."""
    return BackupCounts().phrases(documents, cases)


def _dialog(parent: QWidget, title: str, folder: str, save: bool) -> QFileDialog:
    dialog = QFileDialog(parent, title, folder)
    dialog.setNameFilters(
        [
            QCoreApplication.translate("MainWindow", "Yongju backups (*.tar)"),
            QCoreApplication.translate("MainWindow", "All files (*)"),
        ]
    )
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("tar")
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return dialog


class BackupFlow(QObject):
    """Back Up… writes an archive of the store; Restore… verifies one for an empty store.

    ``said`` carries what the status bar should say; ``reopen`` (set by the composition root)
    is handed a verified backup that is ready to become the store.
    """

    said = Signal(str)

    def __init__(
        self,
        store: Store,
        runner: TaskRunner,
        settings: Settings,
        reporter: ErrorReporter,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._runner = runner
        self._settings = settings
        self._reporter = reporter
        self.reopen: Callable[[Any], None] | None = None

    def default_backup_path(self) -> Path:
        folder = self._settings.last_folder("backup") or QDir.homePath()
        return Path(folder) / f"Yongju backup {dt.date.today():%Y-%m-%d}.tar"

    def ask_backup(self, parent: QWidget) -> QFileDialog:
        """Asks where to write the archive (opened, not exec'd), then writes it in the
        background."""
        default = self.default_backup_path()
        dialog = _dialog(
            parent,
            QCoreApplication.translate("MainWindow", "Back Up Yongju"),
            str(default.parent),
            save=True,
        )
        dialog.selectFile(default.name)
        dialog.fileSelected.connect(lambda chosen: chosen and self.start_backup(Path(chosen)))
        dialog.open()
        return dialog

    def start_backup(self, target: Path) -> Task:
        """Writes the archive on a worker; progress and Cancel show in the status bar."""
        from yongju.core.backup import backup_store  # the archive code loads on first use

        self._settings.set_last_folder("backup", str(target.parent))

        def done(result: Any) -> None:
            documents, cases = documents_and_cases(result.documents, result.cases)
            text = (
                QCoreApplication.translate("MainWindow", "Backed up %1 and %2 to %3.")
                .replace("%1", documents)
                .replace("%2", cases)
                .replace("%3", str(result.archive))
            )
            self.said.emit(text)
            if result.problems:
                problems = "\n".join(f"• {p}" for p in result.problems)
                self._reporter.show_message(
                    text
                    + "\n\n"
                    + QCoreApplication.translate(
                        "MainWindow",
                        "Some stored files were missing or damaged, so they are not in it:",
                    )
                    + f"\n{problems}"
                )

        self.said.emit(QCoreApplication.translate("MainWindow", "Backing up…"))
        store = self._store
        return self._runner.read(  # reads only: edits go on meanwhile, the copy stays consistent
            QCoreApplication.translate("MainWindow", "Backing up"),
            lambda ctx: backup_store(store, target, progress=ctx.progress, cancel=ctx.cancelled),
            cancellable=True,
            on_result=done,
        )

    def ask_restore(self, parent: QWidget) -> QFileDialog | None:
        """Restores an archive into the open store when it holds nothing yet (a new computer).

        The archive is read and verified in the background; the window then closes its store
        and the composition root puts the restored one in its place and opens it again.
        """
        from yongju.core.backup import store_holds_nothing

        if not store_holds_nothing(Path(self._store.folder)):
            self._reporter.show_message(
                QCoreApplication.translate(
                    "MainWindow",
                    "This store already holds documents, so a backup is never restored over "
                    "it. To restore, start Yongju on a new folder (yongju --store NEW_FOLDER) "
                    "and choose File ▸ Restore… there.",
                )
            )
            return None
        dialog = _dialog(
            parent,
            QCoreApplication.translate("MainWindow", "Restore a Yongju Backup"),
            self._settings.last_folder("backup") or QDir.homePath(),
            save=False,
        )
        dialog.fileSelected.connect(lambda chosen: chosen and self.start_restore(Path(chosen)))
        dialog.open()
        return dialog

    def start_restore(self, archive: Path) -> Task:
        """Reads and verifies the archive on the write thread, after every earlier write."""
        from yongju.core.backup import unpack_backup

        folder = Path(self._store.folder)

        def unpacked(restored: Any) -> None:
            if self.reopen is not None:
                self.reopen(restored)

        self.said.emit(QCoreApplication.translate("MainWindow", "Checking the backup…"))
        return self._runner.write(
            QCoreApplication.translate("MainWindow", "Restoring"),
            lambda ctx: unpack_backup(archive, folder, progress=ctx.progress, cancel=ctx.cancelled),
            cancellable=True,
            on_result=unpacked,
        )
