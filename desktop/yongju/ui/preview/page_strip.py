"""The preview's strip of page thumbnails: a small list model and its view."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from yongju.core.records import DocumentRecord

PAGE_ROLE = Qt.ItemDataRole.UserRole + 1
EXCLUDED_ROLE = Qt.ItemDataRole.UserRole + 2
ROTATION_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex


def excluded_look(image: QImage) -> QImage:
    """A left-out page: faded to grey and struck through, so it reads as "not in the packet"."""
    faded = image.convertToFormat(QImage.Format.Format_Grayscale8).convertToFormat(
        QImage.Format.Format_ARGB32_Premultiplied
    )
    painter = QPainter(faded)
    painter.fillRect(faded.rect(), QColor(255, 255, 255, 150))
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#c0392b"), max(2.0, faded.width() / 60)))
    w, h = float(faded.width()), float(faded.height())
    painter.drawLine(QPointF(0, 0), QPointF(w, h))
    painter.drawLine(QPointF(w, 0), QPointF(0, h))
    painter.end()
    return faded


class PageListModel(QAbstractListModel):
    """One row per page of the shown document, with its thumbnail once rendered."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document: DocumentRecord | None = None
        self._thumbs: dict[int, QImage] = {}
        self._icons: dict[tuple[int, bool], QIcon] = {}
        # Shown until a page's thumbnail arrives, so the view lays rows out at their final size.
        self._placeholder = QImage(181, 256, QImage.Format.Format_RGB32)
        self._placeholder.fill(QColor("#d5d9df"))

    @property
    def document(self) -> DocumentRecord | None:
        return self._document

    def set_document(self, document: DocumentRecord | None) -> None:
        """Shows ``document``'s pages; keeps thumbnails if it is the same file again."""
        same = (
            document is not None
            and self._document is not None
            and document.id == self._document.id
            and document.pages == self._document.pages
        )
        if same and document is not None:
            self._document = document
            if self.rowCount():
                self.dataChanged.emit(self.index(0), self.index(self.rowCount() - 1))
            return
        self.beginResetModel()
        self._document = document
        self._thumbs.clear()
        self._icons.clear()
        self.endResetModel()

    def set_thumbnail(self, page: int, image: QImage) -> None:
        """Stores a rendered thumbnail (already rotated) and repaints its row."""
        if 0 <= page < self.rowCount():
            self._thumbs[page] = image
            self._icons.pop((page, False), None)
            self._icons.pop((page, True), None)
            self.dataChanged.emit(self.index(page), self.index(page))

    def thumbnail(self, page: int) -> QImage | None:
        """The rendered thumbnail of ``page``, once it has arrived."""
        return self._thumbs.get(page)

    def _icon(self, page: int, excluded: bool) -> QIcon:
        # A QIcon (not a pixmap) so the view scales the render down to its icon size.
        key = (page, excluded)
        if key not in self._icons:
            image = self._thumbs.get(page, self._placeholder)
            shown = excluded_look(image) if excluded else image
            icon = QIcon(QPixmap.fromImage(shown))
            if page not in self._thumbs:
                return icon
            self._icons[key] = icon
        return self._icons[key]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._document is None:
            return 0
        return self._document.pages

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or self._document is None:
            return None
        page = index.row()
        if not 0 <= page < self.rowCount():
            return None
        setting = self._document.page(page)
        if role == Qt.ItemDataRole.DisplayRole:
            if setting.excluded:
                return self.tr("%1 (left out)").replace("%1", str(page + 1))
            return str(page + 1)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(page, setting.excluded)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self.tr("Page %1 of %2").replace("%1", str(page + 1))
            tip = tip.replace("%2", str(self._document.pages))
            return tip + ("\n" + self.tr("Left out of the packet") if setting.excluded else "")
        if role == PAGE_ROLE:
            return page
        if role == EXCLUDED_ROLE:
            return setting.excluded
        if role == ROTATION_ROLE:
            return setting.rotation
        return None


class _PageDelegate(QStyledItemDelegate):
    """Draws each page centred with its number below, highlighted when selected."""

    def __init__(self, thumb: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.thumb = thumb

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(self.thumb + 16, self.thumb + option.fontMetrics.height() + 20)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        palette, rect = option.palette, option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(
                rect.adjusted(2, 2, -2, -2), palette.color(QPalette.ColorRole.Highlight)
            )
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        box = QRect(rect.x(), rect.y() + 8, rect.width(), self.thumb)
        if isinstance(icon, QIcon):
            icon.paint(painter, box, Qt.AlignmentFlag.AlignCenter)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(palette.color(role))
        text_box = QRect(rect.x(), box.bottom() + 4, rect.width(), rect.bottom() - box.bottom() - 4)
        painter.drawText(
            text_box,
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
            str(index.data(Qt.ItemDataRole.DisplayRole)),
        )


class PageStrip(QListView):
    """A vertical column of page thumbnails; selecting one shows it large."""

    THUMB_SIZE = 112

    def __init__(self, model: PageListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._delegate = _PageDelegate(self.THUMB_SIZE, self)
        self.setItemDelegate(self._delegate)
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.set_thumb_size(self.THUMB_SIZE)
        self.setAccessibleName(self.tr("Pages"))

    def set_thumb_size(self, size: int) -> None:
        """Draws pages ``size`` pixels tall (smaller when the preview pane is narrow)."""
        self._delegate.thumb = size
        bar = self.verticalScrollBar().sizeHint().width()
        self.setFixedWidth(size + 24 + bar + 2 * self.frameWidth())
        self.scheduleDelayedItemsLayout()  # uniform item sizes are measured again
