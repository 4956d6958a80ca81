"""The case bar's record of what was exported: the last packet, and every one with its manifest."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from yongju.core.records import ExportRecord


def when(record: ExportRecord) -> str:
    """The export's time on this computer's clock, to the minute."""
    return f"{record.created_at.astimezone():%Y-%m-%d %H:%M}"


class ExportHistoryButton(QToolButton):
    """“Last exported … → packet.pdf”; its menu lists every export, newest first, and opens
    each one's manifest. Hidden while the case has none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setAutoRaise(True)
        # A tool button is fixed at its text's width; this one may shrink (elided).
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setMenu(QMenu(self))
        self.records: list[ExportRecord] = []
        self.dialog: ExportRecordDialog | None = None
        self.show_exports([])

    def minimumSizeHint(self) -> QSize:
        """Narrow: on a small screen the label is elided (its tooltip says it whole) rather
        than making the window wider than the screen."""
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 120), hint.height())

    def show_exports(self, records: Sequence[ExportRecord]) -> None:
        """Shows ``records`` (oldest first, as the store keeps them)."""
        self.records = list(records)
        menu = self.menu()
        menu.clear()
        self.setVisible(bool(self.records))
        if not self.records:
            return
        last = self.records[-1]
        self.setText(
            self.tr("Last exported %1 → %2")
            .replace("%1", when(last))
            .replace("%2", Path(last.path).name)
        )
        count = self.tr("%n packet(s) exported for this case", "", len(self.records))
        self.setToolTip(f"{self.text()}\n{count}")
        for record in reversed(self.records):
            action = menu.addAction(
                self.tr("%1 → %2 (%3 pages)")
                .replace("%1", when(record))
                .replace("%2", record.path)
                .replace("%3", str(record.pages))
            )
            action.triggered.connect(lambda _=False, r=record: self.open_record(r))

    def open_record(self, record: ExportRecord) -> ExportRecordDialog:
        """Opens (never execs) the record of one export, manifest included."""
        dialog = ExportRecordDialog(record, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.destroyed.connect(lambda *_: setattr(self, "dialog", None))
        dialog.open()
        return dialog


class ExportRecordDialog(QDialog):
    """One export as it was handed in: where, when, its size and checksum, and its manifest."""

    def __init__(self, record: ExportRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Exported %1").replace("%1", when(record)))
        self.resize(640, 480)
        summary = QLabel(
            self.tr("%1\n%2 pages, %3 MB\nSHA-256 %4")
            .replace("%1", record.path)
            .replace("%2", str(record.pages))
            .replace("%3", f"{record.size / 1e6:.1f}")
            .replace("%4", record.sha256)
        )
        summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        summary.setWordWrap(True)
        self.manifest = QPlainTextEdit(_pretty(record.manifest))
        self.manifest.setReadOnly(True)
        self.manifest.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(QLabel(self.tr("Manifest:")))
        layout.addWidget(self.manifest, 1)
        layout.addWidget(buttons)


def _pretty(manifest: str) -> str:
    try:
        return json.dumps(json.loads(manifest), ensure_ascii=False, indent=2)
    except ValueError:
        return manifest
