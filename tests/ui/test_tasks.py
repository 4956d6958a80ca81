"""The task helper: results, errors, progress and cancellation come back on the GUI thread."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import Qt, QThread, QThreadPool

from yongju.core.errors import CancelledError, FilingError
from yongju.ui.common.tasks import TaskContext, TaskRunner


@pytest.fixture
def runner(qapp):
    read_pool, write_pool = QThreadPool(), QThreadPool()
    write_pool.setMaxThreadCount(1)
    errors: list[BaseException] = []
    runner = TaskRunner(read_pool, write_pool, report_error=errors.append)
    runner.errors = errors  # type: ignore[attr-defined]
    yield runner
    assert runner.shutdown()


def test_result_arrives_on_gui_thread(qtbot, runner) -> None:
    seen: list[tuple[object, bool]] = []
    gui = QThread.currentThread()
    worker_threads: list[int] = []

    def work(ctx: TaskContext) -> int:
        worker_threads.append(threading.get_ident())
        return 42

    task = runner.read(
        "answer", work, on_result=lambda r: seen.append((r, QThread.currentThread() is gui))
    )
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert seen == [(42, True)]
    assert worker_threads and worker_threads[0] != threading.get_ident()
    assert runner.active() == []


def test_errors_go_to_default_reporter_but_cancel_does_not(qtbot, runner) -> None:
    def fail(ctx: TaskContext) -> None:
        raise FilingError("That slot takes one document.")

    def stop(ctx: TaskContext) -> None:
        raise CancelledError()

    runner.write("fail", fail)
    runner.write("stop", stop)
    qtbot.waitUntil(lambda: not runner.active(), timeout=5000)
    assert [str(e) for e in runner.errors] == ["That slot takes one document."]


def test_progress_and_cancel(qtbot, runner) -> None:
    started = threading.Event()
    steps: list[tuple[int, int]] = []

    def long(ctx: TaskContext) -> str:
        ctx.progress(1, 10, "first")
        started.set()
        while not ctx.cancelled():
            threading.Event().wait(0.005)
        ctx.check()
        return "never"

    failures: list[BaseException] = []
    task = runner.write(
        "long",
        long,
        cancellable=True,
        on_error=failures.append,
        on_progress=lambda d, t, _: steps.append((d, t)),
    )
    assert started.wait(5)
    task.cancel()
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert steps == [(1, 10)]
    assert len(failures) == 1 and isinstance(failures[0], CancelledError)


def test_writes_run_in_order_on_one_thread(qtbot, runner) -> None:
    order: list[int] = []
    threads: set[int] = set()

    def step(n: int):
        def fn(ctx: TaskContext) -> None:
            threads.add(threading.get_ident())
            order.append(n)

        return fn

    tasks = [runner.write(f"w{n}", step(n)) for n in range(20)]
    with qtbot.waitSignal(tasks[-1].finished, timeout=5000):
        pass
    assert order == list(range(20))
    assert len(threads) == 1


def test_write_pool_must_have_one_thread(qapp) -> None:
    with pytest.raises(ValueError):
        TaskRunner(QThreadPool(), QThreadPool())


_RELEASE_RUNNER = """
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool
from yongju.ui.common.tasks import TaskRunner

app = QCoreApplication([])
read, write = QThreadPool(), QThreadPool()
write.setMaxThreadCount(1)
for _ in range(20):
    runner = TaskRunner(read, write)
    done = []
    runner.read("answer", lambda ctx: 42, on_result=done.append)
    while not done:
        app.processEvents()
    del runner  # now only the finished task's connections hold it
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
print("all released")
"""


def test_a_runner_released_by_its_last_finished_task_does_not_crash() -> None:
    """The suite's occasional segfault, made certain: a runner (a test's local, say) whose
    last reference is a finished task's slot goes when that task is deleted; the task must
    not be its child, or the runner deletes the half-deleted task a second time."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    desktop = Path(__file__).resolve().parents[2] / "desktop"
    done = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", _RELEASE_RUNNER],
        env={**os.environ, "PYTHONPATH": str(desktop)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "all released"


def test_tasks_run_below_the_windows_priority(qtbot, runner) -> None:
    """The GUI thread gets a processor first: on 2 cores an import's threads kept it waiting."""
    from yongju.core.priority import BACKGROUND_NICENESS, thread_niceness

    seen: list[int] = []
    for start in (runner.read, runner.write):
        task = start("priority", lambda ctx: thread_niceness(), on_result=seen.append)
        with qtbot.waitSignal(task.finished, timeout=5000):
            pass
    expected = BACKGROUND_NICENESS if sys.platform == "linux" else 0
    assert seen == [expected, expected]
    assert thread_niceness() < BACKGROUND_NICENESS or sys.platform != "linux"


def test_after_shutdown_no_task_starts_and_no_late_result_is_delivered(qtbot, runner) -> None:
    """A window's refresh that landed after its runner shut down started another load: on
    a closed store, reported to a deleted window (the suite saw the RuntimeError)."""
    release = threading.Event()
    seen: list[object] = []
    ran: list[str] = []

    def slow(ctx: TaskContext) -> str:
        release.wait(5)
        return "late"

    runner.read("slow", slow, on_result=seen.append, on_error=seen.append)
    release.set()  # it ends as shutdown waits; what it returns is never delivered
    assert runner.shutdown()
    later = runner.read("after", lambda ctx: ran.append("after"), on_error=seen.append)
    runner.write("after", lambda ctx: ran.append("after"), on_result=seen.append)
    qtbot.wait(50)  # whatever was posted back is delivered now
    assert (ran, seen) == ([], [])
    assert not later.running
    assert runner.active() == []


def test_a_task_is_deleted_only_after_its_worker_has_left_the_emission(qtbot, runner) -> None:
    """PySide lets go of the GIL while a signal is emitted: the GUI thread handled a task's
    result and deleted the task while its worker thread was still inside the emit that
    reported it, a use-after-free (the suite's segfault at tasks.py, now and then). A slot
    run inside that emission, on the worker thread, waits to see the task deleted."""
    go = threading.Event()
    deleted = threading.Event()
    seen_inside: list[bool] = []

    def inside_the_emission(result: object, error: object) -> None:
        seen_inside.append(deleted.wait(0.3))

    task = runner.read("answer", lambda ctx: (go.wait(5), 42)[1])
    task.destroyed.connect(deleted.set)
    task._done.connect(inside_the_emission, Qt.ConnectionType.DirectConnection)
    del task
    go.set()
    qtbot.waitUntil(lambda: bool(seen_inside), timeout=5000)
    assert seen_inside == [False]
    qtbot.waitUntil(deleted.is_set, timeout=5000)  # and then it is deleted, not leaked
