"""Draws a checklist title as two lines: the interface language's title, the other beneath."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QStaticText
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

# Han glyphs come from a fallback font taller than the Latin one the metrics describe.
_CJK_LINE = 1.15
_PAD = 4
_MAX_LINES = 2000  # laid-out lines kept per font (a few profiles' titles at a few widths)
# Once, not per line painted: each enum lookup and flag union is a Python call of its own.
_SELECTED = QStyle.StateFlag.State_Selected
_ELIDE_RIGHT = Qt.TextElideMode.ElideRight


@dataclass
class _Fonts:
    """A cell font's two lines: fonts, heights, and each line laid out once (text, width)."""

    fonts: tuple[QFont, QFont]
    heights: tuple[int, int]
    lines: dict[tuple[int, str, int], QStaticText] = field(default_factory=dict)


class SlotTitleDelegate(QStyledItemDelegate):
    """First line bold for required slots, second line smaller and quieter."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._by_font: dict[tuple[str, float], _Fonts] = {}

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        line = QFontMetrics(option.font).lineSpacing()
        return QSize(size.width(), int(line * _CJK_LINE * 2) + 2 * _PAD)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")  # opt.text lost its "\n"
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        first, _, second = text.partition("\n")
        selected = bool(opt.state & _SELECTED)
        palette = opt.palette
        main_color = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        quiet_color = main_color if selected else palette.color(QPalette.ColorRole.PlaceholderText)
        rect = opt.rect.adjusted(6, 0, -6, 0)
        painter.save()
        fonts = self._fonts(painter, opt.font)
        first_height, second_height = fonts.heights
        top = rect.y() + max(0, (rect.height() - first_height - second_height) // 2)
        line = QRect(rect.x(), top, rect.width(), first_height)
        self._line(painter, fonts, 0, line, first, main_color)
        self._line(
            painter,
            fonts,
            1,
            QRect(rect.x(), top + first_height, rect.width(), second_height),
            second,
            quiet_color,
        )
        painter.restore()

    def _fonts(self, painter: QPainter, font: QFont) -> _Fonts:
        """The two lines' fonts and heights for a cell's font, made once per font and screen."""
        key = (font.key(), painter.device().devicePixelRatioF())
        fonts = self._by_font.get(key)
        if fonts is None:
            small = QFont(font)
            small.setBold(False)
            if small.pointSizeF() > 0:
                small.setPointSizeF(small.pointSizeF() * 0.92)
            # Metrics from the painter: the device it paints on decides the real glyph sizes.
            painter.setFont(font)
            first = int(painter.fontMetrics().lineSpacing() * _CJK_LINE)
            painter.setFont(small)
            second = int(painter.fontMetrics().lineSpacing() * _CJK_LINE)
            fonts = self._by_font[key] = _Fonts((QFont(font), small), (first, second), {})
        return fonts

    @staticmethod
    def _line(
        painter: QPainter, fonts: _Fonts, which: int, rect: QRect, text: str, color: QColor
    ) -> None:
        """One line, elided to the cell: its layout (elision, shaping) is kept per text and
        width, as a repaint (after every change) drew the same titles again."""
        font = fonts.fonts[which]
        painter.setFont(font)
        painter.setPen(color)
        key = (which, text, rect.width())
        laid = fonts.lines.get(key)
        if laid is None:
            if len(fonts.lines) >= _MAX_LINES:
                fonts.lines.clear()
            elided = painter.fontMetrics().elidedText(text, _ELIDE_RIGHT, rect.width())
            laid = QStaticText(elided)
            laid.setTextFormat(Qt.TextFormat.PlainText)
            laid.prepare(painter.transform(), font)
            fonts.lines[key] = laid
        height = laid.size().height()
        painter.drawStaticText(QPointF(rect.x(), rect.y() + (rect.height() - height) / 2), laid)
