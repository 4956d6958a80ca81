"""One logging setup for the window and the command line: the store's private, rotating log.

Both faces call :func:`open_store_log` once the store is open. It sends every ``yongju``
logger (and warnings from libraries) to ``<store>/logs/yongju.log`` (0600, rotated at
1 MB, three old files kept), and points :mod:`faulthandler` at a private file in the same
folder, so that a native crash (PDFium, qpdf or libheif run in-process) leaves a Python
traceback of every thread behind. At the next start that trace is moved into the log and
handed back once as :class:`CrashNote`, for the window or the command line to mention.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import faulthandler
import logging
import logging.handlers
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

LOG_NAME = "yongju.log"
LOG_MAX_BYTES = 1 << 20
LOG_BACKUPS = 3
# One crash file per running process, locked while it runs: a file another process can lock
# belongs to a process that is gone, and if it is not empty, that process died of a crash.
CRASH_PREFIX = "crash-"
CRASH_SUFFIX = ".txt"
_FORMAT = "%(asctime)s %(process)d %(threadName)s %(levelname)s %(name)s: %(message)s"
_LOGGED = "_yongju_logged"


@dataclass(frozen=True)
class CrashNote:
    """A native crash of an earlier run, found at start-up (its trace is now in the log)."""

    when: dt.datetime  # when the crashed run wrote its trace (local time)
    log_file: Path
    summary: str  # the fatal error's first line, e.g. "Fatal Python error: Segmentation fault"

    def sentence(self) -> str:
        """What the command line prints (the window says the same in its own words)."""
        return (
            f"Yongju stopped unexpectedly on {self.when:%Y-%m-%d at %H:%M} ({self.summary}); "
            f"your documents are safe, and the details are in {self.log_file}."
        )


class _PrivateRotatingHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files are created 0600 (they may name documents and folders)."""

    def _open(self) -> Any:
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.baseFilename, flags, 0o600)
        with contextlib.suppress(OSError):  # a log written by an older version
            os.chmod(self.baseFilename, 0o600)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


class StoreLog:
    """The log of one process on one store; :meth:`close` undoes everything it set up."""

    def __init__(self, folder: Path, handler: logging.Handler | None) -> None:
        self.folder = folder
        self.log_file = folder / LOG_NAME
        self.crash: CrashNote | None = None
        self._handler = handler
        self._crash_file: IO[bytes] | None = None
        self._crash_path: Path | None = None

    def close(self) -> None:
        """Detaches the handler and, on a clean exit, removes this run's empty crash file."""
        if self._handler is not None:
            _detach(self._handler)
            self._handler = None
        if self._crash_file is not None:
            faulthandler.disable()
            self._crash_file.close()
            self._crash_file = None
            if self._crash_path is not None:
                with contextlib.suppress(OSError):
                    self._crash_path.unlink()

    def _trace_crashes(self) -> None:
        """Sends native crash traces to a private file, unless a developer chose elsewhere."""
        if faulthandler.is_enabled():  # `python -X faulthandler`, or a test runner's
            return
        path = self.folder / f"{CRASH_PREFIX}{os.getpid()}{CRASH_SUFFIX}"
        # Locked under another name first, so no other process ever sees it unlocked.
        staged = path.with_suffix(".new")
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        try:
            crash_file = open(os.open(staged, flags, 0o600), "wb")  # noqa: SIM115
            _lock(crash_file)
            os.replace(staged, path)
        except OSError:
            return  # a read-only store still works; it just cannot keep crash traces
        faulthandler.enable(file=crash_file, all_threads=True)  # open while the process runs
        self._crash_file, self._crash_path = crash_file, path


def open_store_log(folder: Path, *, trace_crashes: bool = True) -> StoreLog:
    """Starts logging into ``folder`` (the store's ``logs``); never fails the caller.

    The returned log's ``crash`` is set when an earlier run died of a native crash: that
    trace has been moved into the log, and no later start reports it again.
    """
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handler: logging.Handler | None = _PrivateRotatingHandler(
            folder / LOG_NAME, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    except OSError:
        handler = None  # an unwritable store: errors still reach the user as sentences
    if handler is not None:
        handler.setLevel(logging.INFO)
        handler.setFormatter(logging.Formatter(_FORMAT))
        logging.getLogger().addHandler(handler)
        logging.getLogger("yongju").setLevel(logging.INFO)
    log = StoreLog(folder, handler)
    if handler is not None:
        log.crash = _collect_crashes(folder, log.log_file)
        if trace_crashes:
            log._trace_crashes()
    return log


def log_exception(logger: logging.Logger, error: BaseException, message: str) -> None:
    """Logs ``error`` with its traceback, once: later reporters see it was logged."""
    if was_logged(error):
        return
    logger.error(message, exc_info=(type(error), error, error.__traceback__))
    with contextlib.suppress(AttributeError, TypeError):
        setattr(error, _LOGGED, True)


def was_logged(error: BaseException) -> bool:
    """True when :func:`log_exception` already wrote ``error``'s traceback."""
    return bool(getattr(error, _LOGGED, False))


def _detach(handler: logging.Handler) -> None:
    logging.getLogger().removeHandler(handler)
    handler.close()


def _collect_crashes(folder: Path, log_file: Path) -> CrashNote | None:
    """Moves the traces of crashed runs into the log; returns the newest, if any."""
    newest: CrashNote | None = None
    logger = logging.getLogger("yongju.crash")
    for path in sorted(folder.glob(f"{CRASH_PREFIX}*{CRASH_SUFFIX}")):
        try:
            with open(path, "rb") as probe:
                if not _lock(probe):
                    continue  # its process is still running
                trace = probe.read().decode("utf-8", "replace").strip()
            when = dt.datetime.fromtimestamp(path.stat().st_mtime)
        except OSError:
            continue
        if trace:
            logger.critical("an earlier run stopped with a native crash:\n%s", trace)
            summary = trace.splitlines()[0]
            if newest is None or when >= newest.when:
                newest = CrashNote(when, log_file, summary)
        with contextlib.suppress(OSError):
            path.unlink()
    return newest


def _lock(file: IO[bytes]) -> bool:
    """Takes an exclusive lock on ``file`` without waiting; False when another process holds it.

    The lock goes when the process ends, however it ends. Where there are no such locks
    (Windows), an open file cannot be removed instead, which keeps a running process's file.
    """
    if sys.platform == "win32":
        return True
    import fcntl

    try:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True
