"""The packet's files: unnamed temporary files linked into place, hashing threads, checks.

Everything written here is readable by the user alone (0600). Where the system allows
(Linux: ``O_TMPFILE`` and ``/proc/self/fd``) the packet is written to a file without a name,
linked into place only when whole and checked, so a killed export leaves nothing; with a
password the unencrypted packet lives in memory (``memfd_create``) and only the encrypted
one is ever written to disk. Elsewhere hidden ``.NAME.XXXX.part`` files (``atomicwrite``),
locked while in use, stand in; the next export to the same folder removes those a killed
export left.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import queue
import re
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import pikepdf
from pypdf import PasswordType, PdfReader

from yongju.core.atomicwrite import fsync_folder, replace_with, temporary_beside
from yongju.core.errors import ExportError
from yongju.core.hashing import CHUNK, hash_range
from yongju.core.packet.pdfwriter import FileRange

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks; leftovers go by age
    fcntl = None  # type: ignore[assignment]

_PROC_FD = Path("/proc/self/fd")


# ----------------------------------------------------------------------------- threads
Job = Callable[[], None]


class Worker:
    """A thread running jobs in order that can never hang whoever feeds it.

    A job's failure is kept, and the thread goes on taking (and discarding) what is queued,
    so the bounded queue never stays full; ``check`` and ``finish`` raise the failure as the
    ``ExportError`` that ``describe`` makes of it. Each job may come with a descriptor the
    thread closes once the job is done or discarded.
    """

    PUT_WAIT = 0.5  # seconds a full queue is waited on before looking whether the thread lives

    def __init__(self, name: str, describe: Callable[[BaseException], ExportError]) -> None:
        self._queue: queue.Queue[tuple[Job, int | None] | None] = queue.Queue(maxsize=64)
        self._describe = describe
        self._error: BaseException | None = None
        self._stopped = False
        self._discard = False  # stopped early: queued jobs are dropped, not run
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            job, fd = item
            try:
                if self._error is None and not self._discard:
                    job()
            except BaseException as exc:  # reported by check(), on the producer's thread
                self._error = exc
            finally:
                if fd is not None:
                    with contextlib.suppress(OSError):
                        os.close(fd)

    def _put(self, item: tuple[Job, int | None] | None) -> bool:
        while True:
            try:
                self._queue.put(item, timeout=self.PUT_WAIT)
                return True
            except queue.Full:
                if not self._thread.is_alive():  # never expected: it catches everything
                    return False

    def submit(self, job: Job, fd: int | None = None) -> None:
        """Queues ``job`` (raises the failure of an earlier one instead, if any)."""
        try:
            self.check()
            if self._stopped or not self._put((job, fd)):
                raise self._describe(RuntimeError("the thread has stopped"))
        except BaseException:
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
            raise

    def check(self) -> None:
        """Raises the failure of a job that has already run, if any."""
        if self._error is not None:
            raise self._describe(self._error) from None

    def finish(self) -> None:
        """Waits for every queued job; raises the first failure."""
        self.stop()
        self.check()

    def stop(self, *, discard: bool = False) -> None:
        """Lets the queued jobs end (or, with ``discard``, drops them) and the thread stop
        (idempotent)."""
        self._discard = self._discard or discard
        if not self._stopped:
            self._stopped = True
            if self._put(None):
                self._join()

    def _join(self) -> None:
        """Waits for the thread to end, waking it again while it has not.

        An interrupt (Ctrl-C, or the SIGTERM that ``yongju export`` turns into one) raised
        inside ``queue.put`` between waking the thread's waiter and taking that waiter off
        the condition's list leaves it there, stale: the next put wakes the stale waiter,
        not the thread, which would sleep forever on a queue holding its stop.
        """
        while True:
            self._thread.join(self.PUT_WAIT)
            if not self._thread.is_alive():
                return
            with self._queue.mutex:
                self._queue.not_empty.notify_all()


def _packet_hash_failed(exc: BaseException) -> ExportError:
    return ExportError(
        f"The packet's checksum could not be computed ({_why(exc)}); nothing was written."
    )


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc).splitlines()[0] if str(exc).strip() else type(exc).__name__


class PacketFile:
    """The packet being written, front to back, hashed on a second thread.

    Scan streams are copied file to file by the kernel (``copy_file_range``), never through
    Python; the hashing thread reads them back from the page cache with ``pread``, so the
    SHA-256 of a 600 MB packet costs no wall time on a machine with two cores. Small writes
    (object syntax) are batched. The queue is bounded: memory stays flat.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._sha256 = hashlib.sha256()
        self._small: list[bytes] = []
        self._small_size = 0
        self._kernel_copy = hasattr(os, "copy_file_range")
        self._hasher = Worker("packet-sha256", _packet_hash_failed)

    def write(self, data: bytes) -> int:
        self._small.append(data)
        self._small_size += len(data)
        if self._small_size >= 1 << 16:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._small:
            data = b"".join(self._small)
            self._small, self._small_size = [], 0
            self._write_all(data)
            self._hasher.submit(lambda: self._sha256.update(data))

    def _write_all(self, data: bytes | memoryview) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view) :]

    def copy_range(self, source: FileRange) -> None:
        """Appends ``length`` bytes of another open file."""
        self.flush()
        done = 0
        if self._kernel_copy:
            try:
                while done < source.length:
                    count = os.copy_file_range(
                        source.fd, self.fd, source.length - done, source.offset + done
                    )
                    if count <= 0:
                        break
                    done += count
            except OSError:  # another file system or an old kernel: copy through memory
                self._kernel_copy = False
        while done < source.length:
            chunk = os.pread(source.fd, min(CHUNK, source.length - done), source.offset + done)
            if not chunk:
                raise ExportError("An input file changed while the packet was being written.")
            self._write_all(chunk)
            done += len(chunk)
        # The hashing thread reads the same bytes back through its own descriptor (the
        # source may be closed before it gets there).
        fd, offset, length = os.dup(source.fd), source.offset, source.length
        self._hasher.submit(lambda: hash_range(self._sha256, fd, offset, length), fd)

    def hexdigest(self) -> str:
        """Finishes hashing (call once, after the last write)."""
        self.flush()
        self._hasher.finish()
        return self._sha256.hexdigest()

    def close(self) -> None:
        """Stops the hashing thread (the file itself belongs to its ``Scratch``)."""
        self._small = []
        self._hasher.stop(discard=True)


# ----------------------------------------------------------------------------- files
LEFTOVER = re.compile(r"^\..+\.(?:pdf|json)\.[A-Za-z0-9_]+\.part(?:\.enc|\.fit)?$")
STALE_AFTER_S = 3600  # without locks: a .part this old belongs to an export that was killed
FRESH_S = 5  # a .part younger than this may be one whose creator is about to lock it


def _unnamed_ok() -> bool:
    return hasattr(os, "O_TMPFILE") and _PROC_FD.is_dir()


class Scratch:
    """A file being written for the packet, readable by the user alone.

    On disk it is an unnamed file (``O_TMPFILE``) in the destination folder where the
    system allows, linked into place by ``place``; else a hidden, locked ``.part`` file
    renamed into place. In memory (``memfd_create``) it never reaches the disk at all.
    ``path`` names it for libraries that want a path; ``close`` removes it unless placed.
    """

    def __init__(self, fd: int, named: Path | None, folder: Path) -> None:
        self.fd = fd
        self.named = named
        self.folder = folder
        self.placed = False

    @classmethod
    def on_disk(cls, folder: Path, final_name: str) -> Scratch:
        if _unnamed_ok():
            try:
                flags = os.O_TMPFILE | os.O_RDWR | getattr(os, "O_CLOEXEC", 0)
                return cls(os.open(folder, flags, 0o600), None, folder)
            except OSError as exc:
                if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
                    raise
        fd, name = temporary_beside(folder / final_name)
        if fcntl is not None:  # held until closed: the next export's clean-up leaves it be
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return cls(fd, name, folder)

    @classmethod
    def in_memory(cls, folder: Path, final_name: str) -> Scratch:
        """A file that never reaches the disk where the system allows (else ``on_disk``)."""
        if hasattr(os, "memfd_create") and _PROC_FD.is_dir():
            with contextlib.suppress(OSError):
                return cls(os.memfd_create("yongju-packet", os.MFD_CLOEXEC), None, folder)
        return cls.on_disk(folder, final_name)

    @property
    def path(self) -> str:
        return str(self.named) if self.named is not None else f"{_PROC_FD}/{self.fd}"

    @property
    def size(self) -> int:
        return os.fstat(self.fd).st_size

    def stream(self) -> BinaryIO:
        """A file object writing to this file from its start (for ``pikepdf.save``: given a
        path, it writes a temporary file of its own beside it and renames it)."""
        os.ftruncate(self.fd, 0)
        stream = os.fdopen(os.dup(self.fd), "w+b")
        stream.seek(0)
        return stream

    def write_all(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view) :]

    def place(self, target: Path) -> None:
        """Makes the file ``target`` (replacing what is there, atomically), flushed to disk."""
        if self.named is not None:
            replace_with(self.named, target)
            self.named = None
            self.placed = True
            return
        os.fsync(self.fd)
        # link() does not follow /proc/self/fd's magic link; linkat(AT_SYMLINK_FOLLOW)
        # does, and os.link calls linkat only when given a folder descriptor.
        folder = os.open(target.parent if str(target.parent) else ".", os.O_RDONLY)
        try:
            try:
                os.link(self.path, target.name, dst_dir_fd=folder, follow_symlinks=True)
            except FileExistsError:
                # A link cannot replace a file: link under a hidden name, then rename.
                hidden = f".{target.name}.{secrets.token_hex(4)}.part"
                os.link(self.path, hidden, dst_dir_fd=folder, follow_symlinks=True)
                try:
                    os.replace(hidden, target.name, src_dir_fd=folder, dst_dir_fd=folder)
                except BaseException:
                    with contextlib.suppress(OSError):
                        os.unlink(hidden, dir_fd=folder)
                    raise
        finally:
            os.close(folder)
        fsync_folder(target.parent)
        self.placed = True

    def close(self) -> None:
        if self.named is not None:
            with contextlib.suppress(OSError):
                self.named.unlink()
            self.named = None
        with contextlib.suppress(OSError):
            os.close(self.fd)


def remove_stale(folder: Path) -> None:
    """Removes the hidden leftovers of earlier exports to this folder that were killed
    (``.NAME.pdf.XXXX.part``, ``….part.enc``, ``….part.fit``, manifests' ``.part``).

    A leftover nobody holds a lock on is removed (a running export holds its own); where
    locks do not exist, only leftovers an hour old are.
    """
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not LEFTOVER.match(entry.name):
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if not entry.is_file(follow_symlinks=False) or now - info.st_mtime < FRESH_S:
                continue
            if fcntl is None:
                if now - info.st_mtime > STALE_AFTER_S:
                    os.unlink(entry.path)
                continue
            fd = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # fails while an export runs
                os.unlink(entry.path)
            finally:
                os.close(fd)


# ----------------------------------------------------------------------------- checks
def verify(path: str, pages: int, outline_items: int, password: str | None) -> None:
    """Reopens the written file: it must parse, with the pages and bookmarks expected."""
    try:
        with pikepdf.open(path, password=password or "") as pdf:
            found = len(pdf.pages)
            with pdf.open_outline() as outline:
                items = _count_outline(outline.root)
    except pikepdf.PdfError as exc:
        raise ExportError(f"The written packet did not reopen ({exc}); nothing was kept.") from None
    if found != pages:
        raise ExportError(f"The written packet has {found} pages instead of {pages}.")
    if items != outline_items:
        raise ExportError(f"The written packet has {items} bookmarks instead of {outline_items}.")


def reread(path: str, pages: int, titles: Sequence[str], password: str | None) -> None:
    """Reads the written file again with pypdf, a reader independent of qpdf (which wrote the
    encryption and the size budget, and checked the file above): the pages, the bookmarks'
    titles in order and the password must be what was meant, so a writer bug one reader
    forgives is still caught by the other."""
    try:
        with open(path, "rb") as stream:  # given a path, pypdf would read the whole file in
            _reread(PdfReader(stream, strict=True), pages, titles, password)
    except ExportError:
        raise
    except Exception as exc:  # whatever pypdf trips on, the packet is not trusted
        raise ExportError(
            f"The written packet did not read back with pypdf ({_why(exc)}); nothing was kept."
        ) from None


def _reread(reader: PdfReader, pages: int, titles: Sequence[str], password: str | None) -> None:
    if reader.is_encrypted and not password:
        raise ExportError("The written packet asks for a password though none was given.")
    if password and not reader.is_encrypted:
        raise ExportError("The written packet opens without the password it was given.")
    if password and reader.decrypt(password) == PasswordType.NOT_DECRYPTED:
        raise ExportError("The written packet does not open with its password.")
    found = len(reader.pages)
    if found != pages:
        raise ExportError(f"The written packet reads back with {found} pages instead of {pages}.")
    if _outline_titles(reader.outline) != list(titles):
        raise ExportError(
            "The written packet's bookmarks read back differently from what was written."
        )


def _outline_titles(items: Sequence[Any]) -> list[str]:
    """Bookmark titles depth first (pypdf nests a bookmark's children as a list after it)."""
    titles: list[str] = []
    for item in items:
        if isinstance(item, list):
            titles.extend(_outline_titles(item))
        else:
            titles.append(str(item.title))
    return titles


def _count_outline(items: Sequence[Any]) -> int:
    return sum(1 + _count_outline(item.children) for item in items)


def encrypt(source: str, target: Scratch, password: str) -> None:
    """Saves ``source`` again into ``target`` with AES-256 (user and owner password both
    ``password``); qpdf encrypts as it writes, so ``target`` never holds plain pages."""
    aes = pikepdf.Encryption(user=password, owner=password, R=6, aes=True)
    with pikepdf.open(source) as pdf, target.stream() as stream:
        pdf.save(stream, encryption=aes)
