"""Icons for slot states, drawn in code so they match both palettes and need no theme."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap

from yongju.core.checklist import SlotState

# colour, glyph: green tick for done, red for what blocks, amber for what needs a step, grey idle
_LOOK: dict[SlotState, tuple[str, str]] = {
    SlotState.OK: ("#2e9d57", "tick"),
    SlotState.MISSING: ("#d64541", "!"),
    SlotState.UNDECIDED: ("#d9a21b", "?"),
    SlotState.BAD_DATE: ("#d64541", "?"),
    SlotState.NEEDS_ORIGIN: ("#d9a21b", "⌂"),
    SlotState.FREEZE_TOO_SHORT: ("#e0762b", "clock"),
    SlotState.EXPIRED: ("#d64541", "cross"),
    SlotState.EXPIRES_BEFORE_SUBMISSION: ("#e0762b", "clock"),
    SlotState.NEEDS_DATE: ("#d9a21b", "?"),
    SlotState.NEEDS_TRANSLATION: ("#d9a21b", "文"),
    SlotState.NEEDS_LEGALISATION: ("#d9a21b", "§"),
    SlotState.NOT_APPLICABLE: ("#9aa1ab", "–"),
    SlotState.OPTIONAL_EMPTY: ("#9aa1ab", "ring"),
}

# Marked for translation here; translated when shown (QCoreApplication.translate).
_WORDS: dict[SlotState, str] = {
    SlotState.OK: QT_TRANSLATE_NOOP("SlotState", "Complete"),
    SlotState.MISSING: QT_TRANSLATE_NOOP("SlotState", "Missing"),
    SlotState.UNDECIDED: QT_TRANSLATE_NOOP("SlotState", "Decide: does this apply to you?"),
    SlotState.BAD_DATE: QT_TRANSLATE_NOOP("SlotState", "Date problem"),
    SlotState.NEEDS_ORIGIN: QT_TRANSLATE_NOOP("SlotState", "Needs its origin"),
    SlotState.FREEZE_TOO_SHORT: QT_TRANSLATE_NOOP("SlotState", "Frozen too short"),
    SlotState.EXPIRED: QT_TRANSLATE_NOOP("SlotState", "Expired"),
    SlotState.EXPIRES_BEFORE_SUBMISSION: QT_TRANSLATE_NOOP(
        "SlotState", "Expires before submission"
    ),
    SlotState.NEEDS_DATE: QT_TRANSLATE_NOOP("SlotState", "Needs a date"),
    SlotState.NEEDS_TRANSLATION: QT_TRANSLATE_NOOP("SlotState", "Needs a translation"),
    SlotState.NEEDS_LEGALISATION: QT_TRANSLATE_NOOP("SlotState", "Needs legalisation"),
    SlotState.NOT_APPLICABLE: QT_TRANSLATE_NOOP("SlotState", "Not applicable"),
    SlotState.OPTIONAL_EMPTY: QT_TRANSLATE_NOOP("SlotState", "Optional"),
}


def state_words(state: SlotState) -> str:
    """The state in words, in the interface language."""
    return QCoreApplication.translate("SlotState", _WORDS[state])


def state_color(state: SlotState) -> QColor:
    return QColor(_LOOK[state][0])


def draw_badge(color: QColor, glyph: str, size: int = 32) -> QPixmap:
    """A filled circle with a white glyph, at 2x for crisp high-DPI rendering."""
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.fill(Qt.GlobalColor.transparent)
    pixmap.setDevicePixelRatio(2.0)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    inset = size * 0.06
    painter.drawEllipse(QRectF(inset, inset, size - 2 * inset, size - 2 * inset))
    if glyph in _SHAPES:
        # Drawn, not typed: symbol glyphs (✓ ✕ ⏱ ○) are missing from many systems' fonts.
        pen = QPen(QColor("white"), size * 0.11)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        _SHAPES[glyph](painter, size)
    else:
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(size * 0.55))
        painter.setFont(font)
        painter.setPen(QPen(QColor("white")))
        painter.drawText(
            QRectF(QPointF(0, 0), QPointF(size, size)), Qt.AlignmentFlag.AlignCenter, glyph
        )
    painter.end()
    return pixmap


def _tick(painter: QPainter, s: float) -> None:
    painter.drawPolyline(
        [QPointF(s * 0.28, s * 0.52), QPointF(s * 0.44, s * 0.67), QPointF(s * 0.72, s * 0.35)]
    )


def _cross(painter: QPainter, s: float) -> None:
    painter.drawLine(QPointF(s * 0.34, s * 0.34), QPointF(s * 0.66, s * 0.66))
    painter.drawLine(QPointF(s * 0.66, s * 0.34), QPointF(s * 0.34, s * 0.66))


def _clock(painter: QPainter, s: float) -> None:
    painter.drawEllipse(QRectF(s * 0.27, s * 0.27, s * 0.46, s * 0.46))
    painter.drawPolyline(
        [QPointF(s * 0.5, s * 0.36), QPointF(s * 0.5, s * 0.5), QPointF(s * 0.6, s * 0.57)]
    )


def _ring(painter: QPainter, s: float) -> None:
    painter.drawEllipse(QRectF(s * 0.33, s * 0.33, s * 0.34, s * 0.34))


def _lock(painter: QPainter, s: float) -> None:
    painter.drawArc(QRectF(s * 0.39, s * 0.24, s * 0.22, s * 0.3), 0, 180 * 16)
    painter.setBrush(QColor("white"))
    painter.drawRoundedRect(QRectF(s * 0.3, s * 0.42, s * 0.4, s * 0.3), s * 0.04, s * 0.04)


_SHAPES = {"tick": _tick, "cross": _cross, "clock": _clock, "ring": _ring, "lock": _lock}


class StateIcons:
    """One icon per state, made on first use (after the QApplication exists)."""

    def __init__(self) -> None:
        self._icons: dict[SlotState, QIcon] = {}

    def icon(self, state: SlotState) -> QIcon:
        if state not in self._icons:
            color, glyph = _LOOK[state]
            self._icons[state] = QIcon(draw_badge(QColor(color), glyph))
        return self._icons[state]
