"""Opens the export dialog for the selected case and runs the export on the write thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QDir, Qt
from PySide6.QtWidgets import QWidget

from yongju.core.checklist import Checklist
from yongju.core.profiles import ProfileSet
from yongju.ui.common.error_reporter import ErrorReporter
from yongju.ui.common.settings import Settings
from yongju.ui.common.tasks import Task, TaskRunner

if TYPE_CHECKING:
    from yongju.core.store import Store


def _exporter() -> Any:
    """Core's "export this case" (loaded on first use: it brings the PDF libraries)."""
    from yongju.core.packet import export_packet

    return export_packet


class ExportFlow:
    """File ▸ Export Packet…: the dialog for the case on screen, and the export it starts.

    ``checklist`` says which case is on screen (None: none is); ``finished`` is called when
    the dialog closes, so the window shows the export in the case's history.
    """

    def __init__(
        self,
        store: Store,
        profiles: ProfileSet,
        runner: TaskRunner,
        settings: Settings,
        reporter: ErrorReporter,
        checklist: Callable[[], Checklist | None],
        finished: Callable[[], None],
        open_url: Callable[[Any], Any] | None = None,
    ) -> None:
        self._store = store
        self._profiles = profiles
        self._runner = runner
        self._settings = settings
        self._reporter = reporter
        self._checklist = checklist
        self._finished = finished
        self._open_url = open_url

    def default_path(self, case_name: str) -> Path:
        folder = self._settings.last_folder("export") or QDir.homePath()
        safe = "".join(c if c.isalnum() or c in " -_()" else "_" for c in case_name).strip()
        name = QCoreApplication.translate("MainWindow", "%1 packet.pdf").replace(
            "%1", safe or "case"
        )
        return Path(folder) / name.strip()

    def open_dialog(self, parent: QWidget) -> Any:
        """The dialog, or a sentence saying why there is none (no case, no exporter)."""
        checklist = self._checklist()
        if checklist is None:
            self._reporter.show_message(
                QCoreApplication.translate(
                    "MainWindow", "Select or create a case to export its packet."
                )
            )
            return None
        export_case = _exporter()
        from yongju.ui.export.dialog import ExportDialog

        case_id = checklist.case.id
        store, profiles, settings = self._store, self._profiles, self._settings

        def start(path: Path, options: Any) -> Task:
            settings.set_last_folder("export", str(path.parent))
            return self._runner.write(
                QCoreApplication.translate("MainWindow", "Exporting the packet"),
                lambda ctx: export_case(
                    store,
                    profiles,
                    case_id,
                    path,
                    options,
                    progress=ctx.progress,
                    cancel=ctx.cancelled,
                ),
                cancellable=True,
                on_error=lambda _error: None,  # the dialog shows it
            )

        kwargs: dict[str, Any] = {"parent": parent}
        if self._open_url is not None:
            kwargs["open_url"] = self._open_url
        from yongju.core.packet.case import text_warning

        unprintable = text_warning(store, checklist)
        kwargs["notices"] = [unprintable] if unprintable else []
        dialog = ExportDialog(checklist, start, self.default_path(checklist.case.name), **kwargs)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self._finished())
        dialog.open()
        return dialog
