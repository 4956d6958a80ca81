"""The export dialog: options, the checklist's warnings, progress, cancel, then open or show."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from yongju.core.checklist import Checklist, SlotState, SlotStatus
from yongju.core.errors import CancelledError, YongjuError
from yongju.core.packet import PacketOptions, PacketResult
from yongju.core.profiles import Layout
from yongju.ui.common.i18n import bilingual
from yongju.ui.common.slot_text import slot_message
from yongju.ui.common.state_icons import StateIcons, state_words
from yongju.ui.common.tasks import Task
from yongju.ui.export.options import MEGABYTE, ExportOptionsForm

_CJK_LINE = 1.2  # Han glyphs come from a fallback font taller than the Latin one measured

# Starts the export in the background (the owner runs it through its task helper).
StartExport = Callable[[Path, PacketOptions], Task]


class ExportDialog(QDialog):
    """Collects the options, runs ``start_export`` and reports the result."""

    exported = Signal(object)  # PacketResult

    def __init__(
        self,
        checklist: Checklist,
        start_export: StartExport,
        default_path: Path,
        icons: StateIcons | None = None,
        open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
        parent: QWidget | None = None,
        notices: Sequence[str] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export the Packet"))
        self.setMinimumWidth(560)
        self._checklist, self._start, self._open_url = checklist, start_export, open_url
        self._icons = icons or StateIcons()
        self._task: Task | None = None
        self._result: PacketResult | None = None
        self._close_when_done = False
        self._notices = list(notices)  # said before writing (characters no font can print)
        has_id_cards = any(s.slot.layout is Layout.ID_CARD for s in checklist.slots)
        self.form = ExportOptionsForm(default_path, has_id_cards)
        self.warnings = QListWidget()
        # Whole sentences, wrapped: no sideways scrolling to read what blocks the export.
        self.warnings.setWordWrap(True)
        self.warnings.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.warnings.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Always there: a scroll bar appearing after the rows were measured would narrow
        # them, and their wrapped lines would no longer fit (Qt then elides them).
        self.warnings.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.warnings.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.warnings.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.warnings.setUniformItemSizes(False)
        self.confirm = QCheckBox(self.tr("Export anyway: I know this case is not complete"))
        self.progress = QProgressBar()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(
            self.tr("&Export"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.open_button = QPushButton(self.tr("&Open the PDF"))
        self.folder_button = QPushButton(self.tr("Show in &Folder"))
        for button in (self.open_button, self.folder_button):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self._build(checklist)
        self.form.changed.connect(self._sync)
        self.confirm.toggled.connect(self._sync)
        self.export_button.clicked.connect(self.start)
        self.open_button.clicked.connect(lambda: self._open(False))
        self.folder_button.clicked.connect(lambda: self._open(True))
        self.close_button.clicked.connect(self.reject)
        self._set_running(False)

    def _build(self, checklist: Checklist) -> None:
        blocking = self._fill_warnings(checklist)
        layout = QVBoxLayout(self)
        layout.addWidget(self._heading(checklist))
        layout.addSpacing(4)
        title = QLabel(self.tr("Not ready yet:") if blocking else self.tr("Ready to export."))
        title.setStyleSheet("font-weight: bold")
        layout.addWidget(title)
        layout.addWidget(self.warnings, 1)  # the dialog's spare height goes to the list
        layout.addWidget(self.confirm)
        options = QGroupBox(self.tr("Packet"))
        QVBoxLayout(options).addWidget(self.form)
        layout.addWidget(options)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def _heading(self, checklist: Checklist) -> QLabel:
        case = checklist.case
        profile = bilingual(checklist.profile.title_en, checklist.profile.title_zh)
        done = sum(1 for s in checklist.slots if not s.state.blocking)
        summary = self.tr("Requirements complete: %1 of %2 · Documents filed: %3")
        summary = summary.replace("%1", str(done)).replace("%2", str(len(checklist.slots)))
        summary = summary.replace("%3", str(sum(len(s.filings) for s in checklist.slots)))
        if case.submission_date is not None:
            planned = self.tr("Planned submission: %1").replace("%1", str(case.submission_date))
            summary += " · " + planned
        heading = QLabel(
            f"<big><b>{escape(case.name)}</b></big><br>{escape(profile)}<br>"
            f"<small>{escape(summary)}</small>"
        )
        heading.setTextFormat(Qt.TextFormat.RichText)
        heading.setWordWrap(True)
        return heading

    def _fill_warnings(self, checklist: Checklist) -> list[SlotStatus]:
        blocking = [s for s in checklist.slots if s.state.blocking]
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for notice in self._notices:
            item = QListWidgetItem(warning, notice)
            item.setToolTip(notice)
            self.warnings.addItem(item)
        for status in blocking:
            title = bilingual(status.slot.title_en, status.slot.title_zh)
            item = QListWidgetItem(
                self._icons.icon(status.state), f"{title}: {state_words(status.state)}"
            )
            item.setToolTip(slot_message(status))
            self.warnings.addItem(item)
        if checklist.stray_filings:
            self.warnings.addItem(
                self.tr(
                    "Some documents are filed under requirements this profile does not have; "
                    "they go at the end, under “Other documents”."
                )
            )
        if not self.warnings.count():
            item = QListWidgetItem(
                self._icons.icon(SlotState.OK), self.tr("Every requirement is complete.")
            )
            self.warnings.addItem(item)
        self._fit_warnings()
        self.confirm.setVisible(not checklist.ready)
        return blocking

    def _fit_warnings(self) -> None:
        """Each warning as tall as its wrapped lines; the list up to about eight lines tall.

        Rows are measured here, not by Qt: a line with Chinese in it is drawn with the
        (taller) CJK font, and Qt's own measure would cut the wrapped row's last line.
        """
        metrics = self.warnings.fontMetrics()
        line = int(metrics.lineSpacing() * _CJK_LINE) + 1
        width = max(self.minimumWidth(), 560) - 90  # the dialog's margins, icon, scroll bar
        needed = 0
        for i in range(self.warnings.count()):
            item = self.warnings.item(i)
            wrapped = metrics.boundingRect(
                0, 0, width, 10_000, Qt.TextFlag.TextWordWrap, item.text()
            ).height()
            lines = max(1, round(wrapped / metrics.lineSpacing()))
            item.setSizeHint(QSize(width, lines * line + 6))
            needed += lines * line + 6
        self.warnings.setMinimumHeight(min(needed + 8, (line + 6) * 8 + 8))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.warnings.doItemsLayout()  # measured again at the width the dialog opened with

    # ------------------------------------------------------------------ running
    def start(self) -> None:
        """Starts writing the packet with the chosen options (if nothing blocks)."""
        if self._task is not None or not self._can_export() or self.form.show_problem():
            return
        path = self.form.output_path()
        assert path is not None  # show_problem() found none missing
        self._result = None
        self.status.setText(self.tr("Writing the packet…"))
        self.progress.setRange(0, 0)  # busy until the first progress report
        self._task = self._start(path, self.form.options(self.confirm.isChecked()))
        self._task.progressed.connect(self._on_progress)
        self._task.succeeded.connect(self._on_success)
        self._task.failed.connect(self._on_failure)
        self._task.finished.connect(self._on_finished)
        self._set_running(True)

    def reject(self) -> None:
        """Cancel stops a running export first; the dialog closes when it has stopped."""
        if self._task is not None:
            self._task.cancel()
            self._close_when_done = True
            self.status.setText(self.tr("Stopping…"))
            self.close_button.setEnabled(False)
            return
        super().reject()

    def _on_progress(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if text:
            self.status.setText(text)

    def _on_success(self, result: PacketResult) -> None:
        self._result = result
        summary = self.tr("Saved %1: %2 pages, %3 MB.").replace("%1", result.output.name)
        summary = summary.replace("%2", str(result.pages))
        summary = summary.replace("%3", f"{result.bytes / MEGABYTE:.1f}")
        self.status.setText("\n".join([summary, *result.warnings]))
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.exported.emit(result)

    def _on_failure(self, error: BaseException) -> None:
        if isinstance(error, CancelledError):
            self.status.setText(self.tr("Cancelled. Nothing was written."))
        elif isinstance(error, YongjuError):
            self.status.setText(self.tr("The packet was not written:") + " " + str(error))
        else:
            self.status.setText(
                self.tr("The packet was not written because of an unexpected error:")
                + f" {type(error).__name__}: {error}"
            )
        self.progress.setRange(0, 1)
        self.progress.setValue(0)

    def _on_finished(self) -> None:
        self._task = None
        self._set_running(False)
        if self._close_when_done:
            super().reject()

    # ------------------------------------------------------------------ state
    def _can_export(self) -> bool:
        ready = self._checklist.ready or self.confirm.isChecked()
        return ready and not self.form.blocking_problem()

    def _sync(self) -> None:
        self.export_button.setEnabled(self._task is None and self._can_export())

    def _set_running(self, running: bool) -> None:
        self.form.setEnabled(not running)
        self.confirm.setEnabled(not running)
        self.progress.setVisible(running or self._result is not None)
        done = self._result is not None and not running
        self.open_button.setVisible(done)
        self.folder_button.setVisible(done)
        self.close_button.setEnabled(True)
        self.close_button.setText(self.tr("Close") if done else self.tr("Cancel"))
        self.export_button.setText(self.tr("Export &Again") if done else self.tr("&Export"))
        self._sync()
        if done:
            self.open_button.setDefault(True)

    def _open(self, folder: bool) -> None:
        if self._result is not None:
            target = self._result.output.parent if folder else self._result.output
            self._open_url(QUrl.fromLocalFile(str(target)))
