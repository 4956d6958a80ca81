"""Opens the export dialog for the selected case and runs the export on the write thread."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QDir, Qt

from yongju.ui.common.tasks import Task

if TYPE_CHECKING:
    from yongju.ui.window.main_window import MainWindow


def _exporter() -> Any:
    """Core's "export this case" (loaded on first use: it brings the PDF libraries)."""
    from yongju.core.packet import export_packet

    return export_packet


def default_path(window: MainWindow, case_name: str) -> Path:
    folder = window.parts.settings.last_folder("export") or QDir.homePath()
    safe = "".join(c if c.isalnum() or c in " -_()" else "_" for c in case_name).strip()
    name = QCoreApplication.translate("MainWindow", "%1 packet.pdf").replace("%1", safe or "case")
    return Path(folder) / name.strip()


def open_export_dialog(window: MainWindow) -> Any:
    """The dialog, or a sentence saying why there is none (no case, no exporter)."""
    parts, checklist = window.parts, window.workspace.current_checklist
    if checklist is None:
        parts.reporter.show_message(
            QCoreApplication.translate(
                "MainWindow", "Select or create a case to export its packet."
            )
        )
        return None
    export_case = _exporter()
    from yongju.ui.export.dialog import ExportDialog

    case_id = checklist.case.id

    def start(path: Path, options: Any) -> Task:
        parts.settings.set_last_folder("export", str(path.parent))
        return parts.runner.write(
            QCoreApplication.translate("MainWindow", "Exporting the packet"),
            lambda ctx: export_case(
                parts.store,
                parts.profiles,
                case_id,
                path,
                options,
                progress=ctx.progress,
                cancel=ctx.cancelled,
            ),
            cancellable=True,
            on_error=lambda _error: None,  # the dialog shows it
        )

    kwargs: dict[str, Any] = {"parent": window}
    if parts.open_url is not None:
        kwargs["open_url"] = parts.open_url
    from yongju.core.packet.case import text_warning

    unprintable = text_warning(parts.store, checklist)
    kwargs["notices"] = [unprintable] if unprintable else []
    dialog = ExportDialog(checklist, start, default_path(window, checklist.case.name), **kwargs)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.finished.connect(lambda _r: window.workspace.refresh())
    dialog.open()
    window.export_dialog = dialog
    return dialog
