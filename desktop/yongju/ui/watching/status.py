"""The status bar's word on the watched folder; a click opens its panel."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QWidget

from yongju.ui.watching.controller import WatchController, describe_event


class WatchStatus(QLabel):
    """ "Watching Scans (system events)" or "Not watching a folder"."""

    clicked = Signal()

    def __init__(self, controller: WatchController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setContentsMargins(8, 0, 8, 0)
        controller.state_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        ctl = self.controller
        if not ctl.running:
            self.setText(self.tr("Not watching a folder"))
            self.setToolTip(self.tr("File ▸ Watched Folder… to import scans automatically"))
            return
        name = ctl.folder.rstrip("/").rsplit("/", 1)[-1] or ctl.folder
        if getattr(ctl.watcher, "folder_missing", False):
            self.setText(self.tr("⚠ %1 is missing").replace("%1", name))
        else:
            mode = self.tr("polling") if ctl.mode == "polling" else self.tr("live")
            self.setText(self.tr("● Watching %1 (%2)").replace("%1", name).replace("%2", mode))
        event = ctl.last_event
        self.setToolTip(describe_event(event) if event is not None else ctl.folder)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit()
        super().mousePressEvent(event)
