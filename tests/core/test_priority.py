"""Background threads, and the workers they start, run below the window's priority."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from yongju.core.priority import BACKGROUND_NICENESS, lower_thread, thread_niceness
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


def test_a_worker_runs_at_the_priority_of_the_thread_that_started_it() -> None:
    def started_by_a_background_thread() -> int:
        lower_thread()
        with Sandbox() as sandbox:
            return sandbox.run(_niceness_of_this_process)

    assert _in_a_thread(started_by_a_background_thread) == BACKGROUND_NICENESS
    # Never above its starter (workers fork from a server whose own niceness they keep:
    # one started by a background thread makes every worker a background one).
    with Sandbox() as sandbox:
        assert sandbox.run(_niceness_of_this_process) >= thread_niceness()
