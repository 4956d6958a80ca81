"""The store's lock: imports hold it shared, repair and schema changes hold it exclusively.

An advisory lock on ``<store>/yongju.lock`` (``flock`` on POSIX, so it is released by the
kernel when a process dies, however it dies). Each hold opens the file anew, so two holds in
one process exclude each other as two processes would. Windows has no shared file lock in
the standard library: there every hold is exclusive, which is stricter (imports into one
store then take turns, file by file) but never wrong.
"""

from __future__ import annotations

import errno
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = "yongju.lock"
_POLL_SECONDS = 0.05


class LockHold:
    """One hold of the lock; ``release`` ends it (a no-op the second time)."""

    def __init__(self, fd: int | None) -> None:
        self._fd = fd
        self._guard = threading.Lock()

    def release(self) -> None:
        with self._guard:
            fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing the file releases the lock

    def __enter__(self) -> LockHold:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


class StoreLock:
    """The lock of one store folder.

    While this object holds the lock exclusively, its own shared holds are granted at once
    (the holder already excludes everyone else), so a repair can open the store it locked.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_NAME
        self._exclusive: LockHold | None = None

    def hold_shared(self) -> LockHold:
        """Takes the lock shared (waiting for an exclusive holder) until ``release``."""
        if self._exclusive is not None:
            return LockHold(None)
        return self._take(shared=True, on_wait=None)

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self.hold_shared():
            yield

    @contextmanager
    def exclusive(self, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Holds the lock alone; ``on_wait`` is called once if someone else holds it now."""
        if self._exclusive is not None:
            yield
            return
        hold = self._take(shared=False, on_wait=on_wait)
        self._exclusive = hold
        try:
            yield
        finally:
            self._exclusive = None
            hold.release()

    def _take(self, *, shared: bool, on_wait: Callable[[], None] | None) -> LockHold:
        fd = self._open()
        if fd is None:  # a read-only store without a lock file: nobody can write to it
            return LockHold(None)
        try:
            if not _try_lock(fd, shared):
                if on_wait is not None:
                    on_wait()
                _wait_for_lock(fd, shared)
        except BaseException:
            os.close(fd)
            raise
        return LockHold(fd)

    def _open(self) -> int | None:
        flags = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT | flags, 0o600)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise
        try:
            return os.open(self.path, os.O_RDONLY | flags)
        except (FileNotFoundError, PermissionError):
            return None


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int, shared: bool) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _wait_for_lock(fd: int, shared: bool) -> None:
        while not _try_lock(fd, shared):
            time.sleep(_POLL_SECONDS)

else:
    import fcntl

    def _try_lock(fd: int, shared: bool) -> bool:
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _wait_for_lock(fd: int, shared: bool) -> None:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
