"""Renders pages off the GUI thread through the task helper; stale results never arrive."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QImage
from shiboken6 import isValid

from yongju.core.errors import CancelledError
from yongju.core.records import DocumentRecord

if TYPE_CHECKING:  # core.rendering loads pypdfium2 and Pillow: at the first page, not start-up
    from yongju.core.rendering import BlobStore, ThumbnailCache
from yongju.ui.common.tasks import Task, TaskRunner

OnImage = Callable[[QImage], None]
OnError = Callable[[str], None]


@dataclass(frozen=True)
class _Job:
    document: DocumentRecord
    page: int
    size: int
    on_image: OnImage
    on_error: OnError | None


class PageLoader(QObject):
    """Loads page renders (from the cache, or rendered into it) as QImages.

    Pages the user looks at start at once; thumbnails trickle a few at a time behind them, so
    a 300-page PDF neither floods the pool nor delays the page being read.
    """

    THUMBNAILS_IN_FLIGHT = 2

    def __init__(self, store: BlobStore, runner: TaskRunner, parent: QObject | None = None):
        super().__init__(parent)
        self._store = store
        self._runner = runner
        self._cache: ThumbnailCache | None = None  # made on first use
        self._generation = 0
        self._tasks: list[Task] = []
        self._waiting: deque[_Job] = deque()
        self._thumbnails_running = 0

    def reset(self) -> None:
        """Forgets every request: running ones are cancelled, their results dropped."""
        self._generation += 1
        for task in self._tasks:
            task.cancel()
        self._waiting.clear()
        self._thumbnails_running = 0

    def load(
        self,
        document: DocumentRecord,
        page: int,
        size: int,
        on_image: OnImage,
        on_error: OnError | None = None,
        *,
        background: bool = False,
    ) -> None:
        """Calls ``on_image`` on the GUI thread with the page, unless ``reset`` came first."""
        job = _Job(document, page, size, on_image, on_error)
        if background:
            self._waiting.append(job)
            self._pump()
        else:
            self._start(job, background=False)

    def _pump(self) -> None:
        while self._waiting and self._thumbnails_running < self.THUMBNAILS_IN_FLIGHT:
            self._thumbnails_running += 1
            self._start(self._waiting.popleft(), background=True)

    def _start(self, job: _Job, *, background: bool) -> None:
        from yongju.core.rendering import RenderError, ThumbnailCache

        if self._cache is None:
            self._cache = ThumbnailCache.for_store(self._store)
        cache, store, generation = self._cache, self._store, self._generation
        unreadable = self.tr("The page could not be read back from the cache.")

        def work(_context: object) -> QImage:
            image = QImage(str(cache.render(store, job.document, job.page, job.size)))
            if image.isNull():
                raise RenderError(unreadable)
            return image

        def current() -> bool:
            # Results can arrive after the widget that asked was closed and deleted.
            return generation == self._generation and isValid(self)

        def done(image: QImage) -> None:
            if current():
                job.on_image(image)

        def failed(error: BaseException) -> None:
            if not current() or isinstance(error, CancelledError):
                return
            if job.on_error is not None:
                job.on_error(str(error) if isinstance(error, RenderError) else repr(error))

        def finished() -> None:
            if task in self._tasks:
                self._tasks.remove(task)
            # A cancelled task means a reset or the runner shutting down: start nothing new.
            if background and current() and not task.cancel_requested:
                self._thumbnails_running -= 1
                self._pump()

        task = self._runner.read(self.tr("Showing pages"), work, on_result=done, on_error=failed)
        self._tasks.append(task)
        task.finished.connect(finished)
