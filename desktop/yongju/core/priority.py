"""Background work gives way to the window: its threads and the workers they start run at a
lower priority, so the GUI thread gets a processor as soon as it has something to draw.

On 2 cores an import keeps both busy (copying and hashing on a thread, reading in a worker
process, thumbnails in another), and the GUI thread, ready to run, waited up to 100 ms for a
core. Linux gives each thread its own niceness, so only the background threads are lowered;
elsewhere this does nothing (macOS and Windows favour the foreground window themselves).
"""

from __future__ import annotations

import contextlib
import os
import sys

BACKGROUND_NICENESS = 10
# Worker processes started by background threads go lower still. They share no lock with the
# window, but its background threads share Python's (the GIL) with the GUI thread: a thread
# holding it must never wait for a core behind a worker busy rendering a page, or the window
# waits with it.
WORKER_NICENESS = 19


def thread_niceness() -> int:
    """The calling thread's niceness (0 where threads have none of their own)."""
    if sys.platform != "linux":
        return 0
    return os.getpriority(os.PRIO_PROCESS, 0)  # on Linux, 0 is the calling thread


def worker_niceness() -> int:
    """The niceness for a worker process the calling thread starts: the lowest when the
    thread is itself background work, else the thread's own (a command in a terminal)."""
    niceness = thread_niceness()
    return WORKER_NICENESS if niceness > 0 else niceness


def lower_thread(niceness: int = BACKGROUND_NICENESS) -> None:
    """Lowers the calling thread's priority to ``niceness`` (never raises it: an ordinary
    user could not raise it back)."""
    if sys.platform != "linux":
        return
    with contextlib.suppress(OSError):
        if os.getpriority(os.PRIO_PROCESS, 0) < niceness:
            os.setpriority(os.PRIO_PROCESS, 0, niceness)
