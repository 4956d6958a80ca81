"""Thumbnails for the grids: rendered in the background into the store's cache, kept in memory."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap

from yongju.core.records import DocumentRecord
from yongju.ui.common.tasks import TaskContext, TaskRunner

if TYPE_CHECKING:
    from yongju.core.rendering import ThumbnailCache
    from yongju.core.store import Store

THUMB_SIZE = 256  # pixels on the long side: sharp at 128 logical pixels on high-DPI screens
_MEMORY_LIMIT = 800  # pixmaps kept; a grid shows a few dozen at a time
# Renders kept on disk: ~15 kB a thumbnail and ~200 kB a preview page, so about 2,500
# previews or 30,000 thumbnails; the least recently made go first, and come back on demand.
DISK_BUDGET = 512 * 1024 * 1024


class ThumbnailProvider(QObject):
    """Answers with a pixmap when it has one; otherwise renders it and says so when ready."""

    thumbnail_ready = Signal(int)  # document id

    def __init__(self, store: Store, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._runner = runner
        self._cache: OrderedDict[tuple[str, int], QPixmap] = OrderedDict()
        self._pending: set[tuple[str, int]] = set()
        self._failed: set[tuple[str, int]] = set()
        self._renderer: ThumbnailCache | None = None
        self._held: list[Callable[[], None]] | None = None  # renders waiting for resume()
        # Renders asked for while a grid paints start once that paint is done: started at
        # once, the render threads would contend with the paint for Python's lock (the GIL),
        # and a paint of a screenful of new tiles (an import's next batch) took twice as long.
        self._after_paint: list[Callable[[], None]] = []

    def pixmap(self, document: DocumentRecord) -> QPixmap | None:
        """The first page's thumbnail, or None while it is being rendered (or cannot be)."""
        key = (document.sha256, document.page(0).rotation)
        pixmap = self._cache.get(key)
        if pixmap is not None:
            self._cache.move_to_end(key)
            return pixmap
        if key not in self._pending and key not in self._failed:
            self._pending.add(key)

            def start() -> None:
                self._runner.read(
                    "thumbnail",
                    lambda ctx: self._render(ctx, document),
                    on_result=lambda image: self._arrived(key, document.id, image),
                    on_error=lambda _exc: self._give_up(key),
                )

            if self._held is not None:
                self._held.append(start)
            else:
                if not self._after_paint:
                    QTimer.singleShot(0, self, self._start_after_paint)
                self._after_paint.append(start)
        return None

    def _start_after_paint(self) -> None:
        waiting, self._after_paint = self._after_paint, []
        for start in waiting:
            start()

    def hold(self) -> None:
        """Renders asked for from now on wait for ``resume`` (the first screen's paint: the
        first render loads Pillow and PDFium, which would slow that paint)."""
        if self._held is None:
            self._held = []

    def resume(self) -> None:
        """Starts the renders held since ``hold``, in the order they were asked for."""
        held, self._held = self._held or [], None
        for start in held:
            start()

    def tidy(self, max_bytes: int = DISK_BUDGET) -> None:
        """Trims the store's render cache in the background so it cannot grow without end."""
        self._runner.read("tidy thumbnails", lambda ctx: self._disk_cache().prune(max_bytes))

    def forget(self) -> None:
        self._cache.clear()
        self._failed.clear()

    def _render(self, ctx: TaskContext, document: DocumentRecord) -> QImage:
        # Runs on a worker: QImage (unlike QPixmap) may be made off the GUI thread.
        path: Path = self._disk_cache().render(self._store, document, 0, THUMB_SIZE)
        image = QImage(str(path))
        if image.isNull():
            raise OSError(f"unreadable thumbnail {path}")
        return image

    def _disk_cache(self) -> ThumbnailCache:
        if self._renderer is None:
            from yongju.core.rendering import ThumbnailCache  # pypdfium2 loads after start-up

            self._renderer = ThumbnailCache.for_store(self._store)
        return self._renderer

    def _arrived(self, key: tuple[str, int], document_id: int, image: QImage) -> None:
        self._pending.discard(key)
        self._cache[key] = QPixmap.fromImage(image)
        while len(self._cache) > _MEMORY_LIMIT:
            self._cache.popitem(last=False)
        self.thumbnail_ready.emit(document_id)

    def _give_up(self, key: tuple[str, int]) -> None:
        # A damaged or password-locked file keeps its placeholder; the preview says why.
        self._pending.discard(key)
        self._failed.add(key)
