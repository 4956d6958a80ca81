"""One page shown large in a scroll area: fit to width by default, zoom in and out."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPalette, QPixmap, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QWidget

# Render sizes (longest edge, pixels) are taken from these steps so the cache is reused
# across small window resizes instead of holding one render per pixel width.
RENDER_STEPS = (800, 1200, 1600, 2400, 3200, 4096)
ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.25, 4.0
_MARGIN = 12
_PORTRAIT = 1.415  # A4 height / width: a portrait page's longest edge for a given width


class PageView(QScrollArea):
    """Shows a rendered page; says which render size it needs via ``render_size_needed``."""

    render_size_needed = Signal(int)  # emitted when the view grew past the current render
    zoom_changed = Signal(float)  # 1.0 is "fit to width"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.viewport().setBackgroundRole(QPalette.ColorRole.Mid)  # a desk behind the paper
        self._label = QLabel()
        self._label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._label.setContentsMargins(_MARGIN, _MARGIN, _MARGIN, _MARGIN)
        self._label.setWordWrap(True)
        self.setWidget(self._label)
        self._image: QImage | None = None
        self._rendered_size = 0
        self._zoom = 1.0
        self._resize_timer = QTimer(self, singleShot=True, interval=150)
        self._resize_timer.timeout.connect(self._check_render_size)

    @property
    def zoom(self) -> float:
        return self._zoom

    @property
    def image(self) -> QImage | None:
        """The render being shown (before scaling), or None when showing a message."""
        return self._image

    @property
    def message(self) -> str:
        return self._label.text()

    def clear(self, message: str = "") -> None:
        """Shows no page, only ``message`` (e.g. "No document selected")."""
        self._image = None
        self._rendered_size = 0
        self._label.setPixmap(QPixmap())
        self._label.setText(message)
        self._label.setFixedSize(self.viewport().width(), 120)

    def show_image(self, image: QImage, rendered_size: int) -> None:
        """Shows ``image`` (already rotated and, if left out, faded) at the current zoom."""
        self._image = image
        self._rendered_size = rendered_size
        self._label.setText("")
        self._relayout()

    def wanted_render_size(self) -> int:
        """The render step whose pixels cover the view's width at the current zoom."""
        ratio = self.devicePixelRatioF()
        needed = self._target_width() * ratio * _PORTRAIT
        return next((step for step in RENDER_STEPS if step >= needed), RENDER_STEPS[-1])

    def set_zoom(self, zoom: float) -> None:
        """Sets the zoom (1.0 = page width fills the view) and asks for a sharper render."""
        zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        if zoom == self._zoom:
            return
        self._zoom = zoom
        self._relayout()
        self.zoom_changed.emit(zoom)
        self._check_render_size()

    def zoom_in(self) -> None:
        self.set_zoom(self._zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self._zoom / ZOOM_STEP)

    def fit_width(self) -> None:
        self.set_zoom(1.0)

    def _target_width(self) -> int:
        # Leave room for the vertical scroll bar so fitting never adds a horizontal one.
        bar = self.verticalScrollBar().sizeHint().width()
        return max(50, int((self.viewport().width() - bar - 2 * _MARGIN) * self._zoom))

    def _relayout(self) -> None:
        if self._image is None or self._image.isNull():
            return
        width = self._target_width()
        ratio = self.devicePixelRatioF()
        scaled = self._image.scaledToWidth(
            int(width * ratio), Qt.TransformationMode.SmoothTransformation
        )
        pixmap = QPixmap.fromImage(scaled)
        pixmap.setDevicePixelRatio(ratio)
        self._label.setPixmap(pixmap)
        height = int(scaled.height() / ratio)
        self._label.setFixedSize(width + 2 * _MARGIN, height + 2 * _MARGIN)

    def _check_render_size(self) -> None:
        if self._image is not None and self.wanted_render_size() > self._rendered_size:
            self.render_size_needed.emit(self.wanted_render_size())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._image is None:
            self._label.setFixedWidth(self.viewport().width())
        self._relayout()
        self._resize_timer.start()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_in() if event.angleDelta().y() > 0 else self.zoom_out()
            event.accept()
            return
        super().wheelEvent(event)
