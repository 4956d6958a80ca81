"""The status bar's view of background reading: how many documents are read, and Cancel."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from yongju.ui.reading.controller import ReadingController


class ReadingStatus(QWidget):
    """ "Reading documents 2 / 5" with a bar and a Cancel button; hidden when idle."""

    def __init__(self, controller: ReadingController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(160)
        self.cancel_button = QToolButton()
        self.cancel_button.setText(self.tr("Stop Reading"))
        self.cancel_button.setToolTip(
            self.tr("Stop reading; the documents not yet read are read the next time.")
        )
        self.cancel_button.clicked.connect(self._cancel)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 6, 0)
        row.addWidget(self.label)
        row.addWidget(self.bar)
        row.addWidget(self.cancel_button)
        controller.progressed.connect(self._progressed)
        controller.stopped.connect(lambda: self.setVisible(False))
        self.setVisible(False)

    def _progressed(self, done: int, total: int, title: str) -> None:
        if done >= total:
            self.setVisible(False)
            return
        self.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.bar.setFormat(f"{done} / {total}")
        shown = title if len(title) <= 32 else title[:31] + "…"
        self.label.setText(self.tr("Reading “%1”").replace("%1", shown))

    def _cancel(self) -> None:
        self._controller.cancel()
        self.cancel_button.setEnabled(False)
        self.label.setText(self.tr("Stopping…"))
