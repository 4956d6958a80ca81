"""Draws a document tile: the thumbnail as a sheet of paper, its title, and badges."""

from __future__ import annotations

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QMouseEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from yongju.ui.common.state_icons import draw_badge
from yongju.ui.documents.model import DocumentRole

TILE = QSize(132, 218)  # sheet, two lines of title (Han glyphs are tall), suggestion pill
THUMB = QSize(106, 134)
_PAD = 8
_PILL = 20
_ROLE_LABELS = {
    "legalisation": QT_TRANSLATE_NOOP("TileDelegate", "Legalisation"),
    "translation": QT_TRANSLATE_NOOP("TileDelegate", "Translation"),
}


class TileDelegate(QStyledItemDelegate):
    """Paints tiles; a click on the "suggested slot" pill asks to accept the suggestion."""

    suggestion_clicked = Signal(QModelIndex)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        return TILE

    # -- geometry ----------------------------------------------------------------------
    @staticmethod
    def _thumb_rect(tile: QRect) -> QRect:
        return QRect(
            tile.x() + (tile.width() - THUMB.width()) // 2,
            tile.y() + _PAD,
            THUMB.width(),
            THUMB.height(),
        )

    @staticmethod
    def _pill_rect(tile: QRect) -> QRect:
        return QRect(tile.x() + 4, tile.bottom() - _PILL - 3, tile.width() - 8, _PILL)

    # -- painting ----------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        tile = option.rect.adjusted(3, 3, -3, -3)
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected or option.state & QStyle.StateFlag.State_MouseOver:
            color = QColor(palette.color(QPalette.ColorRole.Highlight))
            color.setAlpha(70 if selected else 28)
            painter.setPen(
                QPen(palette.color(QPalette.ColorRole.Highlight), 1.5)
                if selected
                else Qt.PenStyle.NoPen
            )
            painter.setBrush(color)
            painter.drawRoundedRect(tile, 8, 8)
        self._paint_sheet(painter, tile, index, palette)
        self._paint_title(painter, tile, index, palette)
        self._paint_badges(painter, tile, index)
        painter.restore()

    def _paint_sheet(self, painter: QPainter, tile: QRect, index: QModelIndex, palette: QPalette):
        area = self._thumb_rect(tile)
        decoration = index.data(Qt.ItemDataRole.DecorationRole)
        pixmap = None
        if isinstance(decoration, QIcon):
            pixmap = decoration.pixmap(area.size() * 0.5)
        elif decoration is not None:
            pixmap = decoration
        if pixmap is None or pixmap.isNull():
            sheet = QRect(area.x() + 14, area.y(), area.width() - 28, area.height())
        else:
            size = (
                pixmap.deviceIndependentSize()
                .toSize()
                .scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            )
            sheet = QRect(
                area.x() + (area.width() - size.width()) // 2,
                area.y() + (area.height() - size.height()) // 2,
                size.width(),
                size.height(),
            )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 40))
        painter.drawRect(sheet.translated(2, 3))  # a soft shadow under the paper
        painter.setBrush(QColor("white"))
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawRect(sheet)
        if pixmap is not None and not pixmap.isNull() and not isinstance(decoration, QIcon):
            painter.drawPixmap(sheet, pixmap)
        elif isinstance(decoration, QIcon) and not decoration.isNull():
            decoration.paint(painter, sheet.adjusted(20, 30, -20, -30))

    def _paint_title(self, painter: QPainter, tile: QRect, index: QModelIndex, palette: QPalette):
        title = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        top = tile.y() + _PAD + THUMB.height() + 4
        # Ends above the pill: the second line (often the Chinese title) stays readable.
        rect = QRect(tile.x() + 4, top, tile.width() - 8, self._pill_rect(tile).top() - 2 - top)
        metrics = QFontMetrics(painter.font())
        lines = _two_lines(title, metrics, rect.width())
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, lines)

    def _paint_badges(self, painter: QPainter, tile: QRect, index: QModelIndex) -> None:
        sheet = self._thumb_rect(tile)
        pages = int(index.data(DocumentRole.PAGES) or 0)
        _pill(
            painter,
            QRect(sheet.right() - 34, sheet.bottom() - 22, 38, 18),
            self.tr("%n p", "pages, on a tile's badge", pages),
            QColor(30, 34, 40, 200),
        )
        if index.data(DocumentRole.ENCRYPTED):
            lock = draw_badge(QColor("#8a5a00"), "lock", 22)  # password-protected PDF
            painter.drawPixmap(QPoint(sheet.x() - 6, sheet.y() + 2), lock)
        role = str(index.data(DocumentRole.ROLE) or "")
        if role in _ROLE_LABELS:
            # Top right of the sheet: clear of the page count (bottom right) and the lock.
            label = self.tr(_ROLE_LABELS[role])
            width = min(sheet.width() + 8, _small_metrics(painter).horizontalAdvance(label) + 14)
            _pill(
                painter,
                QRect(sheet.right() + 4 - width, sheet.y() + 4, width, 18),
                label,
                QColor("#5b4bb7"),
            )
        suggestion = str(index.data(DocumentRole.SUGGESTED_TITLE) or "")
        if suggestion and index.data(DocumentRole.FILING) is None:
            # Elided in the middle: "Chinese spouse's ID card" and "…household register" stay
            # apart ("→ Chinese…ID card", "→ Chinese…(hukou)"); the tile's tooltip has it whole.
            text = suggestion_text(suggestion, painter.font())
            _pill(painter, self._pill_rect(tile), text, QColor("#2f6fde"))

    # -- one-click acceptance of the suggestion ----------------------------------------
    def editorEvent(
        self,
        event: QEvent,
        model: object,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        if (
            event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
            and index.data(DocumentRole.SUGGESTED_TITLE)
            and index.data(DocumentRole.FILING) is None
            and self._pill_rect(option.rect.adjusted(3, 3, -3, -3)).contains(
                event.position().toPoint()
            )
        ):
            self.suggestion_clicked.emit(QModelIndex(index))
            return True
        return False

    @classmethod
    def suggestion_rect(cls, tile_rect: QRect) -> QRect:
        """Where the pill is drawn inside a tile (tests click there)."""
        return cls._pill_rect(tile_rect.adjusted(3, 3, -3, -3))


def _small_metrics(painter: QPainter) -> QFontMetrics:
    return _small(painter.font())


def _small(font: QFont) -> QFontMetrics:
    """The metrics of the pills' smaller font."""
    small = QFont(font)
    small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
    return QFontMetrics(small)


def suggestion_text(suggestion: str, font: QFont) -> str:
    """What the suggestion pill of a tile says, in ``font`` (the tile's)."""
    width = TileDelegate.suggestion_rect(QRect(0, 0, TILE.width(), TILE.height())).width()
    return _small(font).elidedText("→ " + suggestion, Qt.TextElideMode.ElideMiddle, width - 10)


def _pill(painter: QPainter, rect: QRect, text: str, color: QColor) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
    painter.setPen(QColor("white"))
    font = painter.font()
    small = painter.font()
    small.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
    painter.setFont(small)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.setFont(font)


def _two_lines(text: str, metrics: QFontMetrics, width: int) -> str:
    """Wraps a title onto at most two lines, eliding the second."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    cut = len(text)
    while cut > 1 and metrics.horizontalAdvance(text[:cut]) > width:
        cut -= 1
    space = text.rfind(" ", 0, cut + 1)
    if space > 0:  # break between words ("marriage / translation"), not inside one
        cut = space
    rest = metrics.elidedText(text[cut:].strip(), Qt.TextElideMode.ElideRight, width)
    return f"{text[:cut].rstrip()}\n{rest}"
