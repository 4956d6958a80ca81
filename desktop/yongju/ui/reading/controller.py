"""Reads documents in the background after import: text, then proposals, never blocking.

One task on its own one-thread pool works through the pending documents (imports add more,
a restart finds them again), so it never holds up an import, an edit or a thumbnail. The
recognition itself runs in a worker process at low priority; this thread mostly waits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QThreadPool, Signal

from yongju.ui.common.tasks import Task, TaskContext, TaskRunner

if TYPE_CHECKING:
    from yongju.core.reading.ocr import TextBox
    from yongju.core.rendering import PageRequest
    from yongju.core.store import Store

Keywords = Mapping[str, Sequence[str]] | None


class BackgroundRecogniser(Protocol):
    """What reading in the background needs of an OCR engine (``OcrWorker``, or a test's
    fake): pages recognised, a way to stop mid-page, and a worker to start and close."""

    cancel: Callable[[], bool] | None

    def recognise_page(self, request: PageRequest) -> list[TextBox]: ...

    def __enter__(self) -> BackgroundRecogniser: ...

    def __exit__(self, *_exc: object) -> None: ...


class ReadingController(QObject):
    """Starts, follows and stops background reading; says when a document has been read."""

    document_read = Signal(int)  # document id (its text and proposals are stored)
    progressed = Signal(int, int, str)  # documents done, documents in all, the one being read
    stopped = Signal()

    def __init__(
        self,
        store: Store,
        write_pool: QThreadPool,
        keywords: Callable[[int], Keywords],
        report_error: Callable[[BaseException], None] | None = None,
        make_recogniser: Callable[[], BackgroundRecogniser] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._keywords = keywords
        self._make_recogniser = make_recogniser or _background_worker
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        # Its own runner: reading is long and must not queue behind (or ahead of) user work.
        self._runner = TaskRunner(self._pool, write_pool, report_error, parent=self)
        self._task: Task | None = None
        self._shut_down = False
        self.done = 0
        self.total = 0

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(self) -> None:
        """Reads the pending documents (again picks up ones imported meanwhile); never after
        ``shutdown`` (an import ending after the window closed would start a reading nothing
        stops, which the window's deletion then waits for)."""
        if self._task is not None or self._shut_down:
            return
        self._task = self._runner.read(
            self.tr("Reading documents"),
            self._work,
            cancellable=True,
        )
        self._task.progressed.connect(self.progressed)
        self._task.finished.connect(self._finished)

    def cancel(self) -> None:
        """Stops after the page being read; the rest stays pending for next time."""
        if self._task is not None:
            self._task.cancel()

    def shutdown(self) -> None:
        self._shut_down = True
        self.cancel()
        self._runner.shutdown()

    def _work(self, ctx: TaskContext) -> int:
        from yongju.core.reading.pages import SandboxedPages
        from yongju.core.reading.reader import read_document

        read: set[int] = set()
        with self._make_recogniser() as recogniser, SandboxedPages() as pages:
            recogniser.cancel = ctx.cancelled  # a cancel stops even the page being read
            while not ctx.cancelled():
                pending = [i for i in self._store.pending_reading() if i not in read]
                if not pending:
                    break
                doc_id = pending[0]
                total = len(read) + len(pending)
                document = self._store.document(doc_id)
                ctx.progress(len(read), total, document.display_title)
                outcome = read_document(
                    self._store,
                    doc_id,
                    recogniser,
                    keywords=self._keywords(doc_id),
                    source=pages,
                    cancel=ctx.cancelled,
                )
                read.add(doc_id)
                if not outcome.cancelled:
                    self.document_read.emit(doc_id)  # queued to the GUI thread
            ctx.progress(len(read), len(read), "")
        return len(read)

    def _finished(self) -> None:
        self._task = None
        self.stopped.emit()


def _background_worker() -> BackgroundRecogniser:
    from yongju.core.reading.ocr import OcrWorker

    return OcrWorker(threads=2, background=True)
