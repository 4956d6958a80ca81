"""The selected requirement's rule, under its title where the eye goes: what, how, and sources."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

from yongju.core.profiles import Slot
from yongju.ui.checklist.slot_info import SlotInfo

_SHARE = 0.45  # of the pane at most; the documents keep the rest


class SlotRule(QScrollArea):
    """A :class:`SlotInfo` sized to its text, up to about half the pane it sits in."""

    def __init__(self, sources: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pane: QWidget | None = None  # first: setWidget() already filters events
        self.info = SlotInfo(sources=sources, with_title=False)
        self.info.setContentsMargins(12, 0, 12, 4)
        self.setWidget(self.info)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVisible(False)

    def follow(self, pane: QWidget) -> None:
        """Keeps within ``pane``'s share as the user resizes it."""
        self._pane = pane
        pane.installEventFilter(self)

    def set_slot(self, slot: Slot | None, state_words: str = "", message: str = "") -> None:
        self.info.set_slot(slot, state_words, message)
        self.setVisible(slot is not None)
        self.fit()

    def text(self) -> str:
        return self.info.text()

    def fit(self) -> None:
        """As tall as the text at this width, but no taller than the pane's share."""
        width = max(100, (self._pane.width() if self._pane else self.width()) - 4)
        wanted = self.info.heightForWidth(width) + 2
        cap = int(self._pane.height() * _SHARE) if self._pane is not None else wanted
        self.setFixedHeight(max(24, min(wanted, cap)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._pane and event.type() == QEvent.Type.Resize and self.isVisible():
            self.fit()
        return super().eventFilter(watched, event)
