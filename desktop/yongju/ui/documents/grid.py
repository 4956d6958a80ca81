"""A grid of document tiles with a heading: the inbox, or the documents of the selected slot."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QAction, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from yongju.ui.common.slot_text import counted, without_mnemonic
from yongju.ui.documents.filter import DocumentFilter
from yongju.ui.documents.model import DocumentModel, GridItem
from yongju.ui.documents.tile_delegate import TILE, TileDelegate


class _TileView(QListView):
    """An icon-mode list that says what to do when it is empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.placeholder = ""
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)  # drops go to the model, never float free
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setWrapping(True)
        self.setUniformItemSizes(True)
        self.setGridSize(TILE)
        self.setSpacing(0)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setDropIndicatorShown(True)
        self.setAcceptDrops(True)
        self.setMouseTracking(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        # Static movement switches dragging and the viewport's drops off: on again, so drags
        # start here and drops reach the model (which decides what they mean).
        self.setDragEnabled(True)
        self.viewport().setAcceptDrops(True)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if self.placeholder and model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            rect = self.viewport().rect().adjusted(24, 24, -24, -24)
            painter.drawText(
                rect, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.placeholder
            )
            painter.end()


class DocumentGrid(QWidget):
    """Heading, count and tiles; selection and requests come out as signals."""

    selection_changed = Signal(list)  # list[GridItem]
    activated = Signal(object)  # GridItem (double click or Enter)
    suggestion_accepted = Signal(object)  # GridItem whose suggested slot was clicked
    context_menu_requested = Signal(list, QPoint)  # list[GridItem], global position

    def __init__(self, title: str, model: DocumentModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._title = QLabel(title)
        font = QFont(self._title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self._title.setFont(font)
        self._title.setWordWrap(True)  # a long slot title must not widen the whole pane
        self._count = QLabel()
        self._count.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._subtitle = QLabel()
        self._subtitle.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._subtitle.setWordWrap(True)
        self.proxy = DocumentFilter(model, self)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setMaximumWidth(180)
        self.filter.setVisible(False)
        self.view = _TileView()
        self.view.setModel(self.proxy)
        self.view.setAccessibleName(title)
        self.delegate = TileDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self._build_layout()
        self._connect()

    def _build_layout(self) -> None:
        heading = QHBoxLayout()
        heading.setContentsMargins(12, 10, 12, 0)
        heading.addWidget(self._title)
        heading.addWidget(self._count)
        heading.addStretch(1)
        heading.addWidget(self.filter)
        self._heading = heading
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(heading)
        self._subtitle.setContentsMargins(12, 0, 12, 0)
        layout.addWidget(self._subtitle)
        layout.addWidget(self.view, 1)

    def _connect(self) -> None:
        self.view.selectionModel().selectionChanged.connect(
            lambda *_: self.selection_changed.emit(self.selected_items())
        )
        self.view.activated.connect(lambda index: self.activated.emit(self._item(index)))
        self.delegate.suggestion_clicked.connect(
            lambda index: self.suggestion_accepted.emit(self._item(index))
        )
        self.view.customContextMenuRequested.connect(self._context_menu)
        for rows in ("rowsInserted", "rowsRemoved", "modelReset"):
            getattr(self.model, rows).connect(self._update_count)
        self.filter.textChanged.connect(self._filter_changed)
        self._update_count()

    def add_heading_action(self, action: QAction) -> QToolButton:
        """A button for ``action`` at the right of the heading (e.g. "Import Files…")."""
        button = QToolButton()
        button.setDefaultAction(action)
        button.setText(without_mnemonic(action.text()))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAutoRaise(True)
        self._heading.addWidget(button)
        return button

    def set_title(self, title: str, subtitle: str = "") -> None:
        self._title.setText(title)
        self.view.setAccessibleName(title)
        self._subtitle.setText(subtitle)
        self._subtitle.setVisible(bool(subtitle))

    def add_header(self, widget: QWidget) -> None:
        """Puts ``widget`` between the heading and the tiles (the requirement's rule)."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.view), widget)

    def set_placeholder(self, text: str) -> None:
        if text != self.view.placeholder:  # asked again on every refresh: repaint only news
            self.view.placeholder = text
            self.view.viewport().update()

    def set_default_drop_action(self, action: Qt.DropAction) -> None:
        """What a plain drag from here does (the slot grid moves, the inbox files)."""
        self.view.setDefaultDropAction(action)

    def enable_filter(self) -> None:
        """Shows the filter field (the inbox may hold thousands of documents)."""
        self.filter.setVisible(True)

    def view_index(self, row: int) -> QModelIndex:
        """The view's index for the model's ``row`` (the filter sits between them)."""
        return self.proxy.mapFromSource(self.model.index(row))

    def selected_items(self) -> list[GridItem]:
        rows = sorted(
            self.proxy.mapToSource(i).row() for i in self.view.selectionModel().selectedIndexes()
        )
        return [self.model.record(r) for r in rows if r >= 0]

    def tile_rect(self, row: int) -> QRect:
        """Where the model's ``row`` is in the view's viewport (tests click and drag there)."""
        return self.view.visualRect(self.view_index(row))

    def _item(self, index: QModelIndex) -> GridItem | None:
        return self.model.record_at(self.proxy.mapToSource(index))

    def _filter_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid() and not self.view.selectionModel().isSelected(index):
            self.view.setCurrentIndex(index)
        items = self.selected_items()
        if items:
            self.context_menu_requested.emit(items, self.view.viewport().mapToGlobal(pos))

    def _update_count(self, *_: object) -> None:
        total = len(self.model.records())
        text = counted(self.tr("%n document(s)", "", total), total) if total else ""
        if self.proxy.active:
            text = self.tr("%1 of %2").replace("%1", str(self.proxy.rowCount())).replace("%2", text)
        self._count.setText(text)
