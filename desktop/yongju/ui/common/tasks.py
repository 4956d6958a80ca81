"""The one task helper: runs a function off the GUI thread and reports back on the GUI thread."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from yongju.core.errors import CancelledError, YongjuError
from yongju.core.logs import log_exception
from yongju.core.priority import lower_thread

log = logging.getLogger(__name__)

T = TypeVar("T")  # what a task's function returns, handed to its ``on_result``

# Progress from core can arrive thousands of times a second; the GUI needs a few per second.
_PROGRESS_INTERVAL_S = 0.05


class TaskContext:
    """Handed to a running function: report progress and ask whether to stop (thread-safe)."""

    def __init__(self, task: Task) -> None:
        self._task = task
        self._last_emit = 0.0

    def progress(self, done: int, total: int, text: object = "") -> None:
        """Reports ``done`` of ``total``; throttled so the GUI thread is never flooded."""
        now = time.monotonic()
        if done < total and now - self._last_emit < _PROGRESS_INTERVAL_S:
            return
        self._last_emit = now
        self._task._step.emit(int(done), int(total), str(text))

    def cancelled(self) -> bool:
        """True once the user asked to stop; core's ``cancel=`` callbacks take this."""
        return self._task._cancel_event.is_set()

    def check(self) -> None:
        """Raises :class:`CancelledError` if the user asked to stop."""
        if self.cancelled():
            raise CancelledError()


class Task(QObject):
    """One background job; its public signals are always delivered on the GUI thread."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception (CancelledError when the user stopped it)
    finished = Signal()  # after succeeded or failed, always

    # Emitted from the worker thread; received by this object, which lives on the GUI thread.
    _step = Signal(int, int, str)
    _done = Signal(object, object)

    def __init__(self, label: str, cancellable: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.cancellable = cancellable
        self.done = 0
        self.total = 0
        self.running = True
        self._cancel_event = threading.Event()
        self._discarded = False  # its runner shut down: no result or error is handed on
        self._left = threading.Event()  # its worker thread has left the emit of ``_done``
        self._step.connect(self._on_step)
        self._done.connect(self._on_done)

    def cancel(self) -> None:
        """Asks the function to stop at its next check; it reports ``CancelledError``."""
        self._cancel_event.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel_event.is_set()

    def discard(self) -> None:
        """Cancels, and drops whatever the function still returns or raises: it is for a
        window that has closed, or a store that is shut."""
        self._discarded = True
        self.cancel()

    @Slot(int, int, str)
    def _on_step(self, done: int, total: int, text: str) -> None:
        self.done, self.total = done, total
        self.progressed.emit(done, total, text)

    @Slot(object, object)
    def _on_done(self, result: object, error: object) -> None:
        self.running = False
        if not self._discarded:
            if error is None:
                self.succeeded.emit(result)
            else:
                self.failed.emit(error)
        self.finished.emit()


class _Runnable(QRunnable, Generic[T]):
    def __init__(self, task: Task, fn: Callable[[TaskContext], T]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task = task
        self._fn = fn

    def run(self) -> None:
        lower_thread()  # the pool's threads, and the workers they start, yield to the window
        task = self._task
        context = TaskContext(task)
        outcome: tuple[object, BaseException | None]
        try:
            context.check()  # cancelled while still queued
            outcome = (self._fn(context), None)
        except BaseException as exc:  # delivered to the GUI thread, never lost
            if not isinstance(exc, YongjuError):  # a bug or an OS failure: logged right here
                log_exception(log, exc, f"task {task.label!r} failed")
            outcome = (None, exc)
        try:
            task._done.emit(*outcome)
        finally:
            task._left.set()  # from here on this thread never touches the task's QObject


class TaskRunner(QObject):
    """Runs reads on a shared pool and writes on a pool of one thread, so writes stay ordered."""

    task_started = Signal(object)  # Task
    task_finished = Signal(object)  # Task

    def __init__(
        self,
        read_pool: QThreadPool,
        write_pool: QThreadPool,
        report_error: Callable[[BaseException], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if write_pool.maxThreadCount() != 1:
            raise ValueError("the write pool must have exactly one thread")
        self._read_pool = read_pool
        self._write_pool = write_pool
        self._report_error = report_error
        self._active: list[Task] = []
        self._stopped = False

    def read(
        self,
        label: str,
        fn: Callable[[TaskContext], T],
        *,
        cancellable: bool = False,
        on_result: Callable[[T], object] | None = None,
        on_error: Callable[[BaseException], object] | None = None,
        on_progress: Callable[[int, int, str], object] | None = None,
        priority: int = 0,
    ) -> Task:
        """Runs ``fn(context)`` on the read pool (it must not write to the store)."""
        task = self._task(label, cancellable, on_result, on_error, on_progress)
        if not self._stopped:
            self._read_pool.start(_Runnable(task, fn), priority)  # higher first when queued
        return task

    def write(
        self,
        label: str,
        fn: Callable[[TaskContext], T],
        *,
        cancellable: bool = False,
        on_result: Callable[[T], object] | None = None,
        on_error: Callable[[BaseException], object] | None = None,
        on_progress: Callable[[int, int, str], object] | None = None,
    ) -> Task:
        """Runs ``fn(context)`` on the single write thread, after every earlier write."""
        task = self._task(label, cancellable, on_result, on_error, on_progress)
        if not self._stopped:
            self._write_pool.start(_Runnable(task, fn))
        return task

    def active(self) -> list[Task]:
        """Tasks started and not yet finished, oldest first."""
        return list(self._active)

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Cancels every task and waits for the threads; True when all stopped in time.

        What they still return is dropped, and tasks asked for later never run: a result
        landing after this started the next load, on a closed store, for a closed window.
        """
        self._stopped = True
        for task in self._active:
            task.discard()
        reads = self._read_pool.waitForDone(timeout_ms)
        return self._write_pool.waitForDone(timeout_ms) and reads

    def _task(
        self,
        label: str,
        cancellable: bool,
        on_result: Callable[[T], object] | None,
        on_error: Callable[[BaseException], object] | None,
        on_progress: Callable[[int, int, str], object] | None,
    ) -> Task:
        # No parent: a task is deleted only by its own deleteLater on the GUI thread. As a
        # child of the runner it crashed the suite now and then: deleting the finished task
        # released its slots' lambdas, the last references to the runner, whose destructor
        # then deleted its children, the half-deleted task among them, a second time.
        task = Task(label, cancellable)
        if self._stopped:
            task.discard()
            task.running = False
            return task  # never started, never reported, never active
        if on_result is not None:
            task.succeeded.connect(on_result)
        task.failed.connect(on_error if on_error is not None else self._default_error)
        if on_progress is not None:
            task.progressed.connect(on_progress)
        task.finished.connect(lambda: self._finish(task))
        self._active.append(task)
        self.task_started.emit(task)
        return task

    def _default_error(self, error: BaseException) -> None:
        if isinstance(error, CancelledError):
            return  # the user asked for it; nothing to tell them
        if self._report_error is not None:
            self._report_error(error)

    def _finish(self, task: Task) -> None:
        if task in self._active:
            self._active.remove(task)
        self.task_finished.emit(task)
        _delete_once_left(task)


def _delete_once_left(task: Task) -> None:
    """Deletes a finished task on the GUI thread once its worker thread has left the emit
    that reported it. PySide lets go of the GIL while it emits, so the GUI thread can handle
    the result and delete the task while that emit is still running on the worker thread:
    a use-after-free, which crashed a test process now and then. The worker is normally
    out within microseconds; if it was preempted, the next look is a millisecond later."""
    if task._left.is_set():
        task.deleteLater()
    else:
        QTimer.singleShot(1, task, lambda: _delete_once_left(task))
