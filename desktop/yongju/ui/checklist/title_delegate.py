"""Draws a checklist title as two lines: the interface language's title, the other beneath."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

# Han glyphs come from a fallback font taller than the Latin one the metrics describe.
_CJK_LINE = 1.15
_PAD = 4
# Once, not per line painted: each enum lookup and flag union is a Python call of its own.
_LINE_FLAGS = int(
    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextDontClip
)
_SELECTED = QStyle.StateFlag.State_Selected
_ELIDE_RIGHT = Qt.TextElideMode.ElideRight


class SlotTitleDelegate(QStyledItemDelegate):
    """First line bold for required slots, second line smaller and quieter."""

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
        small = QFont(opt.font)
        small.setBold(False)
        if small.pointSizeF() > 0:
            small.setPointSizeF(small.pointSizeF() * 0.92)
        painter.save()
        # Metrics from the painter: the device it paints on decides the real glyph sizes.
        painter.setFont(opt.font)
        first_height = int(painter.fontMetrics().lineSpacing() * _CJK_LINE)
        painter.setFont(small)
        second_height = int(painter.fontMetrics().lineSpacing() * _CJK_LINE)
        rect = opt.rect.adjusted(6, 0, -6, 0)
        top = rect.y() + max(0, (rect.height() - first_height - second_height) // 2)
        self._line(
            painter, QRect(rect.x(), top, rect.width(), first_height), first, opt.font, main_color
        )
        self._line(
            painter,
            QRect(rect.x(), top + first_height, rect.width(), second_height),
            second,
            small,
            quiet_color,
        )
        painter.restore()

    @staticmethod
    def _line(painter: QPainter, rect: QRect, text: str, font: QFont, color: object) -> None:
        painter.setFont(font)
        painter.setPen(color)
        elided = painter.fontMetrics().elidedText(text, _ELIDE_RIGHT, rect.width())
        painter.drawText(rect, _LINE_FLAGS, elided)
