"""Background threads, and the workers they start, run below the window's priority."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from yongju.core.priority import (
    BACKGROUND_NICENESS,
    WORKER_NICENESS,
    lower_thread,
    thread_niceness,
    worker_niceness,
)
from yongju.core.sandbox import Sandbox

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="threads have no niceness")


def _in_a_thread(work) -> object:
    found: list[object] = []
    thread = threading.Thread(target=lambda: found.append(work()))
    thread.start()
    thread.join()
    return found[0]


def _niceness_of_this_process() -> int:
    return os.getpriority(os.PRIO_PROCESS, 0)


def test_only_the_lowered_thread_gives_way() -> None:
    before = thread_niceness()

    def lowered() -> tuple[int, int]:
        lower_thread()
        first = thread_niceness()
        lower_thread(BACKGROUND_NICENESS - 5)  # never raised again
        return first, thread_niceness()

    assert _in_a_thread(lowered) == (BACKGROUND_NICENESS, BACKGROUND_NICENESS)
    assert thread_niceness() == before  # the calling (GUI) thread is untouched
    # A thread started by a lowered one is lowered too.
    assert _in_a_thread(lambda: (lower_thread(), _in_a_thread(thread_niceness))[1]) == 10


def test_a_worker_started_by_background_work_runs_below_it() -> None:
    """Background threads share the GIL with the window: one holding it must never wait for
    a core behind a worker busy rendering, so their workers run lower still."""

    def started_by_a_background_thread() -> int:
        lower_thread()
        with Sandbox() as sandbox:
            return sandbox.run(_niceness_of_this_process)

    assert _in_a_thread(started_by_a_background_thread) == WORKER_NICENESS > BACKGROUND_NICENESS
    assert _in_a_thread(lambda: (lower_thread(), worker_niceness())[1]) == WORKER_NICENESS
    # Never above its starter (workers fork from a server whose own niceness they keep:
    # one started by a background thread makes every worker a background one).
    with Sandbox() as sandbox:
        assert sandbox.run(_niceness_of_this_process) >= thread_niceness()


def test_the_window_s_recognition_worker_runs_lowest() -> None:
    """The window's reading worker keeps both cores busy for seconds a page: it runs at the
    lowest priority (an absolute one: it used to add 10 to its starter's)."""
    import time

    from yongju.core.reading.ocr import OcrWorker

    worker = OcrWorker(background=True)
    worker._start()
    try:
        pid = worker._process.pid
        deadline = time.monotonic() + 10
        while os.getpriority(os.PRIO_PROCESS, pid) == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert os.getpriority(os.PRIO_PROCESS, pid) == WORKER_NICENESS
    finally:
        worker.close()
