"""Icons for the page actions, drawn in code in the palette's text colour.

Used where the desktop's icon theme has none (Windows, macOS, a bare X session), so the
preview's tool bar stays compact and legible everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QIcon,
    QIconEngine,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QApplication, QStyleOption

Draw = Callable[[QPainter, float], None]


def _arrow_arc(p: QPainter, s: float, clockwise: bool) -> None:
    # Nearly a full circle, open at the top, with the arrowhead at the top pointing the way
    # the page turns (Qt's angles run counter-clockwise from three o'clock).
    rect = QRectF(s * 0.2, s * 0.22, s * 0.6, s * 0.6)
    start, sweep = (10.0, -290.0) if clockwise else (170.0, 290.0)
    path = QPainterPath()
    path.arcMoveTo(rect, start)
    path.arcTo(rect, start, sweep)
    p.drawPath(path)
    tip = path.pointAtPercent(1.0)
    heading = path.angleAtPercent(1.0)
    for turn in (150.0, -150.0):
        angle = math.radians(heading + turn)
        p.drawLine(tip, tip + QPointF(math.cos(angle), -math.sin(angle)) * (s * 0.2))


def _rotate_left(p: QPainter, s: float) -> None:
    _arrow_arc(p, s, clockwise=False)


def _rotate_right(p: QPainter, s: float) -> None:
    _arrow_arc(p, s, clockwise=True)


def _page_out(p: QPainter, s: float) -> None:
    p.drawRect(QRectF(s * 0.26, s * 0.16, s * 0.48, s * 0.68))
    p.drawLine(QPointF(s * 0.16, s * 0.84), QPointF(s * 0.84, s * 0.16))


def _magnifier(p: QPainter, s: float, plus: bool) -> None:
    p.drawEllipse(QPointF(s * 0.42, s * 0.42), s * 0.26, s * 0.26)
    p.drawLine(QPointF(s * 0.61, s * 0.61), QPointF(s * 0.86, s * 0.86))
    p.drawLine(QPointF(s * 0.3, s * 0.42), QPointF(s * 0.54, s * 0.42))
    if plus:
        p.drawLine(QPointF(s * 0.42, s * 0.3), QPointF(s * 0.42, s * 0.54))


def _fit_width(p: QPainter, s: float) -> None:
    p.drawLine(QPointF(s * 0.14, s * 0.2), QPointF(s * 0.14, s * 0.8))
    p.drawLine(QPointF(s * 0.86, s * 0.2), QPointF(s * 0.86, s * 0.8))
    p.drawLine(QPointF(s * 0.26, s * 0.5), QPointF(s * 0.74, s * 0.5))
    for x, d in ((0.26, 1), (0.74, -1)):
        p.drawLine(QPointF(s * x, s * 0.5), QPointF(s * (x + d * 0.12), s * 0.38))
        p.drawLine(QPointF(s * x, s * 0.5), QPointF(s * (x + d * 0.12), s * 0.62))


DRAWINGS: dict[str, Draw] = {
    "rotate-left": _rotate_left,
    "rotate-right": _rotate_right,
    "page-out": _page_out,
    "zoom-in": lambda p, s: _magnifier(p, s, True),
    "zoom-out": lambda p, s: _magnifier(p, s, False),
    "fit-width": _fit_width,
}


def action_pixmap(name: str, colour: QColor, size: int, ratio: float = 1.0) -> QPixmap:
    """One icon drawn at ``size`` logical pixels in ``colour``."""
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(colour, max(1.5, size * 0.09))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    DRAWINGS[name](painter, float(size))
    painter.end()
    return pixmap


class _DrawnIcon(QIconEngine):
    """Draws an icon at each size when it is first shown, then keeps that pixmap.

    (Drawing it up front at every tool bar size and both pixel ratios, 48 pixmaps for the
    preview's six actions, was a fifth of building the window: 15 ms of 80.)
    """

    def __init__(self, name: str, colour: QColor) -> None:
        super().__init__()
        self._name = name
        self._colour = QColor(colour)
        self._drawn: dict[tuple[int, int, QIcon.Mode], QPixmap] = {}

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        side = min(rect.width(), rect.height())
        pixmap = self._pixmap(side, ratio, mode)
        painter.drawPixmap(QRectF(rect), pixmap, QRectF(pixmap.rect()))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self._pixmap(min(size.width(), size.height()), 1.0, mode)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        """At ``scale`` device pixels to a logical one, ``size`` being logical pixels."""
        return self._pixmap(min(size.width(), size.height()), scale, mode)

    def _pixmap(self, side: int, ratio: float, mode: QIcon.Mode) -> QPixmap:
        key = (side, round(ratio * 100), mode)
        if key not in self._drawn:
            pixmap = action_pixmap(self._name, self._colour, side, ratio)
            if mode == QIcon.Mode.Disabled:  # greyed by the style, as Qt greys pixmap icons
                style = QApplication.style()
                pixmap = style.generatedIconPixmap(mode, pixmap, QStyleOption())
            self._drawn[key] = pixmap
        return self._drawn[key]

    def clone(self) -> QIconEngine:
        return _DrawnIcon(self._name, self._colour)


def action_icon(name: str, colour: QColor) -> QIcon:
    """The icon ``name`` (a key of ``DRAWINGS``), drawn in ``colour`` at the sizes shown."""
    return QIcon(_DrawnIcon(name, colour))


# Our drawn icon names → the freedesktop icon theme names a Linux desktop may offer instead.
THEME_NAMES = {
    "rotate-left": "object-rotate-left",
    "rotate-right": "object-rotate-right",
    "page-out": "edit-delete",
    "zoom-in": "zoom-in",
    "zoom-out": "zoom-out",
    "fit-width": "zoom-fit-width",
}


def make_action(parent: QObject, text: str, icon: str, shortcut: str) -> QAction:
    """An action for a widget's own keys (not the window's), its tooltip naming the shortcut."""
    action = QAction(text, parent)
    action.setData(icon)
    action.setShortcut(QKeySequence(shortcut))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    set_text(action, text)
    return action


def set_text(action: QAction, text: str) -> None:
    """Changes an action's text and its tooltip together."""
    action.setText(text)
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{text} ({keys})" if keys else text)


def paint_icons(actions: Iterable[QAction], colour: QColor) -> None:
    """The desktop theme's icons where it has them, else ours drawn in ``colour``."""
    for action in actions:
        name = str(action.data())
        if name in DRAWINGS:
            action.setIcon(QIcon.fromTheme(THEME_NAMES[name], action_icon(name, colour)))
