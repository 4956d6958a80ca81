"""Reads untrusted files in a worker process bounded in memory and time.

A hostile PDF of a few hundred kilobytes can make PDFium or qpdf allocate tens of gigabytes
or run for minutes; in-process that takes down the command, or the window. Parsing therefore
happens in one worker process per ``Sandbox``: its address space is capped
(``RLIMIT_AS``), each job has a wall-clock deadline (the worker is killed when it passes)
and a CPU-time cap (the worker ends itself if its parent is gone). A worker that dies or is
killed is replaced for the next job; the job itself fails with ``TooComplexError``.

Workers come from multiprocessing's ``forkserver`` (Linux, macOS: a clean server process,
started once with PDFium, qpdf and Pillow loaded, forks each worker in about 12 ms) or
``spawn`` (Windows, frozen bundles: a fresh interpreter, about 0.2 s), never ``fork``: the
window has threads, and a forked copy of a threaded process can deadlock. A worker never
outlives its parent: it reads its jobs from a pipe and ends when the pipe closes, and a job
has a CPU-time limit. (As with any multiprocessing program, a script using this must guard
its top level with ``if __name__ == "__main__":``.)
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import math
import multiprocessing
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from yongju.core.errors import YongjuError
from yongju.core.priority import lower_thread, worker_niceness

log = logging.getLogger(__name__)
T = TypeVar("T")

# A worker with PDFium, qpdf and Pillow loaded has about 90 MB of address space; the largest
# scan Yongju accepts (150 million pixels) decodes to 450 MB (600 MB with an alpha channel).
DEFAULT_MEMORY_BYTES = 2 << 30
DEFAULT_SECONDS = 30.0  # one file's inspection or one page's render, at least
SECONDS_PER_MB = 0.1  # ... plus this for each megabyte of the file (a 600 MB PDF: 90 s)
# Loaded once by the fork server, so that each worker starts with them in memory.
SERVER_PRELOAD = ("yongju.core.inspection", "yongju.core.rendering", "pikepdf")
START_SECONDS = 120.0  # a worker starting on a machine under heavy load
_STOP_SECONDS = 5.0


class TooComplexError(YongjuError):
    """A file needed more memory or time to read than Yongju allows for one file."""


@dataclass(frozen=True)
class Limits:
    """What one job in the worker may use."""

    memory_bytes: int = DEFAULT_MEMORY_BYTES
    seconds: float = DEFAULT_SECONDS
    seconds_per_mb: float = SECONDS_PER_MB

    def deadline_for(self, size: int) -> float:
        """Seconds allowed for a file of ``size`` bytes."""
        return self.seconds + self.seconds_per_mb * size / 1e6


class Sandbox:
    """One worker process that runs functions on untrusted files, one job at a time.

    ``run`` may be called from several threads (jobs queue on a lock). Functions and their
    arguments must be picklable (module-level functions, plain data); an error the user can
    cause (a ``YongjuError``) comes back as itself.
    """

    def __init__(self, limits: Limits | None = None, preload: Sequence[str] = ()) -> None:
        self.limits = limits or Limits()
        self._preload = tuple(preload)
        self._lock = threading.Lock()
        self._process: BaseProcess | None = None
        self._conn: Connection[Any, Any] | None = None
        self._ready = False
        self.restarts = 0  # workers replaced after a crash or a timeout (for tests and logs)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Starts the worker now (it loads its modules while the caller does other work)."""
        with self._lock:
            self._ensure_started()

    def run(self, func: Callable[..., T], *args: Any, size: int = 0) -> T:
        """``func(*args)`` in the worker, within the limits for a file of ``size`` bytes.

        Raises ``TooComplexError`` if the worker runs out of memory, dies, or passes the
        deadline (it is then killed, and a new one serves the next job).
        """
        deadline = self.limits.deadline_for(size)
        with self._lock:
            conn = self._send((func, args, math.ceil(deadline) + 1))
            try:
                if not conn.poll(deadline):
                    self._kill()
                    raise TooComplexError(_too_complex(f"more than {deadline:.0f} seconds"))
                status, value = conn.recv()
            except (EOFError, OSError):
                self._kill()
                raise TooComplexError(_too_complex(self._memory_text)) from None
        if status == "ok":
            return value  # type: ignore[no-any-return]
        if status == "memory":
            raise TooComplexError(_too_complex(self._memory_text))
        if status == "error":
            raise value
        log.error("the reading worker failed:\n%s", value)
        raise RuntimeError(str(value).strip().splitlines()[-1])

    def close(self) -> None:
        """Stops the worker (it finishes nothing: no job runs between calls)."""
        with self._lock:
            conn, process = self._conn, self._process
            self._conn, self._process, self._ready = None, None, False
            if conn is not None:
                with contextlib.suppress(OSError):
                    conn.send(None)
                conn.close()
            if process is not None:
                process.join(_STOP_SECONDS)
                if process.is_alive():
                    process.kill()
                    process.join()

    @property
    def _memory_text(self) -> str:
        # The cap the worker set itself: under a user's lower limit (``ulimit -v``), that one.
        cap = memory_cap(self.limits.memory_bytes)
        return f"more than {cap / (1 << 30):.3g} GB of memory"

    # ------------------------------------------------------------------ internals
    def _send(self, job: object) -> Connection[Any, Any]:
        """Hands ``job`` to the worker; one that died while idle (killed by the system, say)
        is replaced, and the new one takes the job."""
        for _attempt in range(2):
            conn = self._ensure_ready()
            try:
                conn.send(job)
                return conn
            except OSError:
                self._kill()
        raise YongjuError("The worker process that reads files stopped as soon as it started.")

    def _ensure_started(self) -> Connection[Any, Any]:
        if self._conn is not None and self._process is not None:
            return self._conn
        context = worker_context()
        parent, child = context.Pipe()
        process = context.Process(
            target=serve,
            # Below the thread that needs it when that is background work (see core.priority).
            args=(child, self.limits.memory_bytes, self._preload, worker_niceness()),
            name="yongju-reader",
            daemon=True,
        )
        process.start()
        child.close()  # only the worker holds its end: its death reads as EOF here
        self._process, self._conn, self._ready = process, parent, False
        return self._conn

    def _ensure_ready(self) -> Connection[Any, Any]:
        conn = self._ensure_started()
        if self._ready:
            return conn
        try:
            if not conn.poll(START_SECONDS):
                raise EOFError
            conn.recv()  # "ready"
        except (EOFError, OSError):
            self._kill()
            raise YongjuError("The worker process that reads files could not be started.") from None
        self._ready = True
        return conn

    def _kill(self) -> None:
        process, conn = self._process, self._conn
        self._process, self._conn, self._ready = None, None, False
        self.restarts += 1
        if conn is not None:
            conn.close()
        if process is not None:
            process.kill()
            process.join()


def worker_context() -> Any:
    """Where worker processes come from: the fork server (see the module's note), or
    ``spawn`` where there is none. The recognition worker starts from here too."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods or getattr(sys, "frozen", False):
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(SERVER_PRELOAD))  # no effect once the server runs
    return context


def _too_complex(needed: str) -> str:
    """The reason given for a file the worker could not read within its limits.

    (A worker that dies on a file, from an allocation PDFium could not make or a crash,
    is counted as running out of memory: that is by far the likely cause.)
    """
    return f"the file is too complex to read safely (reading it needed {needed})"


def serve(
    conn: Connection[Any, Any], memory_bytes: int, preload: Sequence[str], niceness: int = 0
) -> None:
    """The worker's loop: limits itself, then runs jobs until the pipe closes."""
    _limit_memory(memory_bytes)
    lower_thread(niceness)
    for name in preload:
        importlib.import_module(name)
    try:
        conn.send("ready")
        while True:
            job = conn.recv()
            if job is None:
                return
            func, args, cpu_seconds = job
            _limit_cpu(cpu_seconds)
            conn.send(_answer(func, args))
    except (EOFError, OSError):
        return  # the parent is gone (a command that ended at once), or closed us: quietly


def _answer(func: Callable[..., object], args: tuple[object, ...]) -> tuple[str, object]:
    try:
        return "ok", func(*args)
    except MemoryError:
        return "memory", None
    except YongjuError as exc:
        return "error", exc
    except Exception:
        return "crash", traceback.format_exc()


def memory_cap(memory_bytes: int) -> int:
    """The address space a worker limits itself to: ``memory_bytes``, or less under a lower
    hard limit this process was given (a worker inherits it, and can never go above it)."""
    if sys.platform == "win32":  # no rlimits there: the deadline still applies
        return memory_bytes
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        return min(memory_bytes, hard)
    return memory_bytes


def _limit_memory(memory_bytes: int) -> None:
    if sys.platform == "win32":
        return
    import resource

    cap = memory_cap(memory_bytes)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def _limit_cpu(seconds: int) -> None:
    """The CPU time this job may use; past it the kernel ends the worker (SIGXCPU), so a
    runaway parse stops even when no parent is left to kill it."""
    if sys.platform == "win32":
        return
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = math.ceil(usage.ru_utime + usage.ru_stime)
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    limit = used + seconds
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (limit, hard))
