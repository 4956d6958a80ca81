"""The selected document's pages, large enough to read, with rotate and leave-out actions."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QImage, QPalette, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolBar, QVBoxLayout, QWidget

from yongju.core.records import DocumentRecord
from yongju.ui.common.tasks import TaskRunner
from yongju.ui.preview.action_icons import make_action, paint_icons, set_text
from yongju.ui.preview.page_loader import PageLoader
from yongju.ui.preview.page_strip import PageListModel, PageStrip, excluded_look
from yongju.ui.preview.page_view import PageView

if TYPE_CHECKING:
    from yongju.core.rendering import BlobStore

THUMB_RENDER_SIZE = 256  # the same size as the document grid's, so their cache is shared
NARROW_PANE = 640  # pixels: below this the thumbnails shrink


class DocumentPreview(QWidget):
    """Pages of one document; rotating and leaving pages out are requests, not edits.

    The owner turns ``rotate_requested`` and ``exclude_requested`` into undoable commands
    and calls :meth:`set_document` with the updated record.
    """

    rotate_requested = Signal(int, int, int)  # document id, page (0-based), new rotation
    exclude_requested = Signal(int, int, bool)  # document id, page (0-based), excluded
    page_selected = Signal(int)  # page (0-based)

    def __init__(self, store: BlobStore, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self._loader = PageLoader(store, runner, self)
        self._document: DocumentRecord | None = None
        self._page = 0
        self._main_image: tuple[int, int, int, QImage] | None = None  # page, rotation, size
        self._pending_main: tuple[int, int, int] | None = None
        self._thumb_rotations: dict[int, int] = {}
        self._model = PageListModel(self)
        self._strip = PageStrip(self._model)
        self._view = PageView()
        self._page_label = QLabel()
        self._build_actions()
        self._build_layout()
        self._view.render_size_needed.connect(self._request_main)
        self._strip.selectionModel().currentChanged.connect(
            lambda cur, _: self.show_page(cur.row())
        )
        self.set_document(None)

    # ------------------------------------------------------------------ building
    def _action(self, text: str, icon: str, shortcut: str, slot: Any) -> QAction:
        action = make_action(self, text, icon, shortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.rotate_left_action = self._action(
            self.tr("Rotate Left"), "rotate-left", "Ctrl+Shift+R", lambda: self._rotate(-90)
        )
        self.rotate_right_action = self._action(
            self.tr("Rotate Right"), "rotate-right", "Ctrl+R", lambda: self._rotate(90)
        )
        self.exclude_action = self._action(
            self.tr("Leave Page Out"), "page-out", "Ctrl+Shift+X", self._toggle_excluded
        )
        self.exclude_action.setCheckable(True)
        self.zoom_out_action = self._action(
            self.tr("Zoom Out"), "zoom-out", "Ctrl+-", self._view.zoom_out
        )
        self.fit_action = self._action(
            self.tr("Fit Width"), "fit-width", "Ctrl+0", self._view.fit_width
        )
        self.zoom_in_action = self._action(
            self.tr("Zoom In"), "zoom-in", "Ctrl++", self._view.zoom_in
        )
        self.previous_page_action = self._action(
            self.tr("Previous Page"), "", "Ctrl+PgUp", lambda: self.show_page(self._page - 1)
        )
        self.next_page_action = self._action(
            self.tr("Next Page"), "", "Ctrl+PgDown", lambda: self.show_page(self._page + 1)
        )
        self._paint_icons()

    def _paint_icons(self) -> None:
        paint_icons(self.actions(), self.palette().color(QPalette.ColorRole.WindowText))

    def resizeEvent(self, event: QResizeEvent) -> None:
        # In a narrow pane the page being read needs the room more than the thumbnails do.
        narrow = event.size().width() < NARROW_PANE
        self._strip.set_thumb_size(
            PageStrip.THUMB_SIZE * 2 // 3 if narrow else PageStrip.THUMB_SIZE
        )
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_icons()  # light and dark themes need different ink
        super().changeEvent(event)

    def _build_layout(self) -> None:
        bar = QToolBar(self.tr("Page"))
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)  # fits a narrow pane
        bar.addActions([self.rotate_left_action, self.rotate_right_action, self.exclude_action])
        bar.addSeparator()
        bar.addActions([self.zoom_out_action, self.fit_action, self.zoom_in_action])
        bar.addSeparator()
        bar.addWidget(self._page_label)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self._strip)
        body.addWidget(self._view, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(bar)
        layout.addLayout(body, 1)

    # ------------------------------------------------------------------ public
    @property
    def document(self) -> DocumentRecord | None:
        return self._document

    def current_page(self) -> int:
        return self._page

    def set_document(self, document: DocumentRecord | None) -> None:
        """Shows ``document`` (None: nothing). The same document again keeps page and zoom."""
        same = (
            document is not None
            and self._document is not None
            and (document.id == self._document.id and document.sha256 == self._document.sha256)
        )
        self._document = document
        self._model.set_document(document)
        self._strip.setVisible(document is not None and document.pages > 1)
        if not same:
            self._forget_renders()
            self._page = 0
            self._view.fit_width()
            if document is None:
                self._view.clear(self.tr("Select a document to see its pages."))
        if document is not None:
            self.show_page(min(self._page, document.pages - 1))  # the page read comes first
            self._request_thumbnails()
        self._sync_actions()

    def show_page(self, page: int) -> None:
        """Shows page ``page`` (0-based) large and selects it in the strip."""
        if self._document is None or not 0 <= page < self._document.pages:
            return
        changed = page != self._page
        self._page = page
        index = self._model.index(page)
        if self._strip.currentIndex() != index:
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
            self._strip.selectionModel().setCurrentIndex(index, flags)
        shown = self._main_image
        rotation = self._document.page(page).rotation
        if shown is not None and shown[0] == page and shown[1] == rotation:
            self._display(shown[3], shown[2])
        else:
            self._request_main(self._view.wanted_render_size())
        self._sync_actions()
        if changed:
            self.page_selected.emit(page)

    # ------------------------------------------------------------------ actions
    def _rotate(self, degrees: int) -> None:
        if self._document is not None:
            rotation = (self._document.page(self._page).rotation + degrees) % 360
            self.rotate_requested.emit(self._document.id, self._page, rotation)

    def _toggle_excluded(self) -> None:
        if self._document is not None:
            excluded = not self._document.page(self._page).excluded
            self.exclude_requested.emit(self._document.id, self._page, excluded)
        self._sync_actions()  # shows the truth until the owner sends the updated record

    def _sync_actions(self) -> None:
        document = self._document
        for action in self.actions():
            action.setEnabled(document is not None)
        excluded = document is not None and document.page(self._page).excluded
        self.exclude_action.setChecked(excluded)
        set_text(
            self.exclude_action, self.tr("Include Page") if excluded else self.tr("Leave Page Out")
        )
        if document is None:
            self._page_label.setText("")
        else:
            text = self.tr("Page %1 of %2").replace("%1", str(self._page + 1))
            text = text.replace("%2", str(document.pages))
            if excluded:
                text += " · " + self.tr("left out of the packet")
            self._page_label.setText("  " + text)

    # ------------------------------------------------------------------ rendering
    def _forget_renders(self) -> None:
        self._loader.reset()
        self._main_image = None
        self._pending_main = None
        self._thumb_rotations.clear()

    def _request_thumbnails(self) -> None:
        assert self._document is not None
        for page in range(self._document.pages):
            rotation = self._document.page(page).rotation
            if self._thumb_rotations.get(page) != rotation:
                self._thumb_rotations[page] = rotation
                self._loader.load(
                    self._document,
                    page,
                    THUMB_RENDER_SIZE,
                    partial(self._model.set_thumbnail, page),
                    background=True,
                )

    def _request_main(self, size: int) -> None:
        if self._document is None:
            return
        page, rotation = self._page, self._document.page(self._page).rotation
        if self._pending_main == (page, rotation, size):
            return  # already on its way (selecting in the strip asks again)
        self._pending_main = (page, rotation, size)

        def show(image: QImage) -> None:
            self._pending_main = None
            self._main_image = (page, rotation, size, image)
            if page == self._page:
                self._display(image, size)

        def failed(message: str) -> None:
            self._pending_main = None
            if page == self._page:
                self._view.clear(self.tr("This page cannot be shown.") + "\n" + message)

        self._loader.load(self._document, page, size, show, failed)

    def _display(self, image: QImage, size: int) -> None:
        excluded = self._document is not None and self._document.page(self._page).excluded
        self._view.show_image(excluded_look(image) if excluded else image, size)
