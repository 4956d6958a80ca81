"""Getting files in: background import with progress and cancel, then filing where dropped."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QObject, Qt, QUrl, Signal
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from yongju.ui.common.settings import Settings
from yongju.ui.common.slot_text import counted
from yongju.ui.common.tasks import Task, TaskContext, TaskRunner
from yongju.ui.documents.refused_dialog import RefusedDialog

_SHOW_EVERY_MS = 1000


@dataclass(frozen=True)
class ImportTarget:
    """Where dropped files go after import: a slot of a case (None means the inbox)."""

    case_id: int
    slot_id: str
    slot_title: str
    position: int | None = None


FileInto = Callable[[ImportTarget, list[int]], None]
AddDocuments = Callable[[list[Any]], None]  # new DocumentRecords, oldest first


class ImportFlow(QObject):
    """Runs ``import_files`` on the write thread; refused files are listed in a dialog."""

    import_finished = Signal(list)  # list[ImportResult]
    refused_shown = Signal(object)  # the RefusedDialog

    def __init__(
        self,
        store: Any,
        keywords: Callable[[], Mapping[str, Sequence[str]]],
        runner: TaskRunner,
        file_into: FileInto,
        changed: Callable[[], None],
        add_documents: AddDocuments | None = None,
        parent: QObject | None = None,
        *,
        settings: Settings,
    ) -> None:
        super().__init__(parent)
        self._settings = settings  # the folder files were last imported from
        # New documents go straight into the inbox's list; without it the inbox is re-read.
        self._add_documents = add_documents
        self._shown: Callable[[], None] = lambda: None
        self._store = store
        self._keywords = keywords  # asked at each import: the selected case's slots
        self._runner = runner
        self._file_into = file_into
        self._changed = changed
        self._window: QWidget | None = None

    def set_shown(self, shown: Callable[[], None]) -> None:
        """Called once an import's documents are all in the inbox (the store needs no re-read)."""
        self._shown = shown

    def set_window(self, window: QWidget) -> None:
        self._window = window

    def ask(
        self, parent: QWidget, target: ImportTarget | None = None, folder: bool = False
    ) -> QFileDialog:
        """A file dialog (opened, not exec'd); the chosen files import in the background."""
        settings = self._settings
        dialog = QFileDialog(
            parent,
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
                        "Scans and photos "
                        "(*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.heic *.heif *.webp)",
                    ),
                    QCoreApplication.translate("MainWindow", "All files (*)"),
                ]
            )

        def chosen(files: list[str]) -> None:
            if files:
                settings.set_last_folder(
                    "import", str(Path(files[0]).parent if not folder else Path(files[0]))
                )
                self.start(files, target)

        dialog.filesSelected.connect(chosen)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def paste(self) -> list[Path]:
        """Imports files whose paths or file URLs are on the clipboard (none: returns [])."""
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
            self.start(paths)
        return paths

    def start(self, paths: Sequence[Path | str], target: ImportTarget | None = None) -> Task:
        """Imports files and folders (recursively) in the background."""
        chosen = [Path(p) for p in paths]
        label = counted(self.tr("Importing %n item(s)", "", len(chosen)), len(chosen))
        clock = QElapsedTimer()
        clock.start()
        arrived: deque[Any] = deque()  # filled by the worker, emptied on the GUI thread

        def show_arrived() -> None:
            documents = []
            while arrived:
                documents.append(arrived.popleft())
            if documents and self._add_documents is not None:
                self._add_documents(documents)

        def progressed(_done: int, _total: int, _text: str) -> None:
            # A long import shows its documents as they arrive, about once a second.
            if target is None and clock.elapsed() >= _SHOW_EVERY_MS:
                clock.restart()
                if self._add_documents is not None:
                    show_arrived()
                else:
                    self._changed()

        def finished(results: list[Any]) -> None:
            show_arrived()
            self._finished(results, target)

        keywords = self._keywords()
        collect = arrived.append if target is None and self._add_documents else None
        return self._runner.write(
            label,
            lambda ctx: self._work(ctx, chosen, keywords, collect),
            cancellable=True,
            on_result=finished,
            on_progress=progressed,
        )

    def _work(
        self,
        ctx: TaskContext,
        paths: list[Path],
        keywords: Mapping[str, Sequence[str]],
        collect: Callable[[Any], None] | None,
    ) -> list[Any]:
        from yongju.core.importing import expand_paths, import_files  # after start-up

        def on_result(result: Any) -> None:
            if collect is not None and result.status == "imported" and result.document:
                collect(result.document)  # committed: safe to show

        files = expand_paths(paths)
        ctx.progress(0, len(files), "")
        return import_files(
            self._store,
            files,
            progress=lambda done, total, path: ctx.progress(done, total, Path(path).name),
            cancel=ctx.cancelled,
            keywords=keywords,
            on_result=on_result,
        )

    def _finished(self, results: list[Any], target: ImportTarget | None) -> None:
        ok = [r for r in results if r.ok and r.document is not None]
        refused = [(Path(r.path), r.reason) for r in results if not r.ok]
        if target is not None and ok:
            ids = list(dict.fromkeys(r.document.id for r in ok))
            self._file_into(target, ids)
        elif self._add_documents is None:
            self._changed()
        else:
            self._shown()
        if refused:
            imported = sum(1 for r in ok if r.status == "imported")
            dialog = RefusedDialog(refused, imported, len(ok) - imported, self._window)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()
            self.refused_shown.emit(dialog)
        self.import_finished.emit(results)
