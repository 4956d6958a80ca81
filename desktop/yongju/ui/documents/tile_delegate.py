"""Draws a document tile: the thumbnail as a sheet of paper, its title, and badges.

A tile is painted from a few small pictures drawn once and kept (the sheet's frame and
shadow, each pill) and its title's line breaks worked out once. While an import runs, every
call the GUI thread makes into Python while painting may have to wait for the importing
threads to hand back Python's lock (the GIL): a full repaint of the inbox that took 5 ms on
an idle window took 25-33 ms during an import. Fewer calls a tile is fewer such waits.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from yongju.ui.common.i18n import QT_TRANSLATE_NOOP
from yongju.ui.common.record_list_model import Index
from yongju.ui.common.state_icons import draw_badge
from yongju.ui.documents.model import DocumentRole

TILE = QSize(132, 218)  # sheet, two lines of title (Han glyphs are tall), suggestion pill
THUMB = QSize(106, 134)
_PAD = 8
_PILL = 20
_KEPT = 512  # pictures and line breaks kept: a few screens of tiles
T = TypeVar("T")
_ROLE_LABELS = {
    "legalisation": QT_TRANSLATE_NOOP("TileDelegate", "Legalisation"),
    "translation": QT_TRANSLATE_NOOP("TileDelegate", "Translation"),
}


class TileDelegate(QStyledItemDelegate):
    """Paints tiles; a click on the "suggested slot" pill asks to accept the suggestion."""

    suggestion_clicked = Signal(QModelIndex)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
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
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
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

    def _paint_sheet(self, painter: QPainter, tile: QRect, index: Index, palette: QPalette) -> None:
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
        mid = palette.color(QPalette.ColorRole.Mid)
        frame = _kept(
            ("sheet", sheet.width(), sheet.height(), mid.rgba(), _ratio(painter)),
            lambda: _sheet_picture(sheet.width(), sheet.height(), mid, _ratio(painter)),
        )
        painter.drawPixmap(sheet.topLeft() - QPoint(_FRAME, _FRAME), frame)
        if pixmap is not None and not pixmap.isNull() and not isinstance(decoration, QIcon):
            painter.drawPixmap(sheet, pixmap)
        elif isinstance(decoration, QIcon) and not decoration.isNull():
            decoration.paint(painter, sheet.adjusted(20, 30, -20, -30))

    def _paint_title(self, painter: QPainter, tile: QRect, index: Index, palette: QPalette) -> None:
        title = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        top = tile.y() + _PAD + THUMB.height() + 4
        # Ends above the pill: the second line (often the Chinese title) stays readable.
        rect = QRect(tile.x() + 4, top, tile.width() - 8, self._pill_rect(tile).top() - 2 - top)
        font = painter.font()
        lines = _kept(
            ("lines", title, font.key(), rect.width()),
            lambda: _two_lines(title, QFontMetrics(font), rect.width()),
        )
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, lines)

    def _paint_badges(self, painter: QPainter, tile: QRect, index: Index) -> None:
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
            font = painter.font()
            width = _kept(
                ("advance", label, font.key()),
                lambda: min(sheet.width() + 8, _small(font).horizontalAdvance(label) + 14),
            )
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
            font = painter.font()
            text = _kept(
                ("suggestion", suggestion, font.key()), lambda: suggestion_text(suggestion, font)
            )
            _pill(painter, self._pill_rect(tile), text, QColor("#2f6fde"))

    # -- one-click acceptance of the suggestion ----------------------------------------
    def editorEvent(
        self,
        event: QEvent,
        model: object,
        option: QStyleOptionViewItem,
        index: Index,
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
            # PySide6 makes a QModelIndex of a persistent one; its stub only lists QModelIndex.
            self.suggestion_clicked.emit(QModelIndex(index))  # type: ignore[arg-type]
            return True
        return False

    @classmethod
    def suggestion_rect(cls, tile_rect: QRect) -> QRect:
        """Where the pill is drawn inside a tile (tests click there)."""
        return cls._pill_rect(tile_rect.adjusted(3, 3, -3, -3))


def _small_font(font: QFont) -> QFont:
    """The pills' smaller font."""
    small = QFont(font)
    small.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
    return small


def _small(font: QFont) -> QFontMetrics:
    """The metrics of the pills' smaller font."""
    return QFontMetrics(_small_font(font))


def suggestion_text(suggestion: str, font: QFont) -> str:
    """What the suggestion pill of a tile says, in ``font`` (the tile's)."""
    width = TileDelegate.suggestion_rect(QRect(0, 0, TILE.width(), TILE.height())).width()
    return _small(font).elidedText("→ " + suggestion, Qt.TextElideMode.ElideMiddle, width - 10)


def _pill(painter: QPainter, rect: QRect, text: str, color: QColor) -> None:
    font, ratio = painter.font(), _ratio(painter)
    picture = _kept(
        ("pill", text, color.rgba(), rect.width(), rect.height(), font.key(), ratio),
        lambda: _pill_picture(rect.width(), rect.height(), text, color, font, ratio),
    )
    painter.drawPixmap(rect.topLeft(), picture)


def _pill_picture(
    width: int, height: int, text: str, color: QColor, font: QFont, ratio: float
) -> QPixmap:
    """A rounded label in white on ``color``, in the pills' smaller font."""
    picture, painter = _canvas(width, height, ratio)
    rect = QRect(0, 0, width, height)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawRoundedRect(rect, height / 2, height / 2)
    painter.setPen(QColor("white"))
    painter.setFont(_small_font(font))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return picture


_FRAME = 1  # the frame picture reaches this far beyond the sheet (its outline's half pixel)


def _sheet_picture(width: int, height: int, mid: QColor, ratio: float) -> QPixmap:
    """A sheet of paper: white, outlined in ``mid``, over a soft shadow."""
    picture, painter = _canvas(width + 2 * _FRAME + 3, height + 2 * _FRAME + 3, ratio)
    sheet = QRect(_FRAME, _FRAME, width, height)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(0, 0, 0, 40))
    painter.drawRect(sheet.translated(2, 3))  # a soft shadow under the paper
    painter.setBrush(QColor("white"))
    painter.setPen(QPen(mid, 1))
    painter.drawRect(sheet)
    painter.end()
    return picture


def _canvas(width: int, height: int, ratio: float) -> tuple[QPixmap, QPainter]:
    """A transparent picture of ``width`` x ``height`` logical pixels at the screen's
    ``ratio``, and an antialiased painter on it (as the tile's own)."""
    picture = QPixmap(max(1, round(width * ratio)), max(1, round(height * ratio)))
    picture.setDevicePixelRatio(ratio)
    picture.fill(Qt.GlobalColor.transparent)
    painter = QPainter(picture)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return picture, painter


def _ratio(painter: QPainter) -> float:
    device = painter.device()
    return device.devicePixelRatioF() if device is not None else 1.0


_cache: OrderedDict[Hashable, object] = OrderedDict()


def _kept(key: Hashable, make: Callable[[], T]) -> T:
    """``make()``, made once for ``key`` and kept while among the last ``_KEPT`` used."""
    found = _cache.get(key)
    if found is not None:
        _cache.move_to_end(key)
        return found  # type: ignore[return-value]
    value = make()
    _cache[key] = value
    if len(_cache) > _KEPT:
        _cache.popitem(last=False)
    return value


def _two_lines(text: str, metrics: QFontMetrics, width: int) -> str:
    """Wraps a title onto at most two lines, eliding the second."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    low, high = 1, len(text)  # the longest start that fits lies in [low, high)
    while high - low > 1:
        middle = (low + high) // 2
        if metrics.horizontalAdvance(text[:middle]) <= width:
            low = middle
        else:
            high = middle
    cut = low
    space = text.rfind(" ", 0, cut + 1)
    if space > 0:  # break between words ("marriage / translation"), not inside one
        cut = space
    rest = metrics.elidedText(text[cut:].strip(), Qt.TextElideMode.ElideRight, width)
    return f"{text[:cut].rstrip()}\n{rest}"
