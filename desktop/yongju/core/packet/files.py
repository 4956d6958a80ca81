"""The packet's files: the hashed temporary PDF, atomic renames, checks and encryption."""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import queue
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pikepdf

from yongju.core.errors import ExportError
from yongju.core.packet.pdfwriter import FileRange


class PacketFile:
    """The temporary packet file: written front to back, hashed on a second thread.

    Scan streams are copied file to file by the kernel (``copy_file_range``), never through
    Python; the hashing thread reads them back from the page cache with ``pread``, so the
    SHA-256 of a 600 MB packet costs no wall time on a machine with two cores. Small writes
    (object syntax) are batched. The queue is bounded: memory stays flat.
    """

    _CHUNK = 1 << 20

    def __init__(self, path: Path) -> None:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        self.fd = os.open(path, flags, 0o666)  # a document, not a program: the umask decides
        self._sha256 = hashlib.sha256()
        self._queue: queue.Queue[bytes | FileRange | None] = queue.Queue(maxsize=64)
        self._small: list[bytes] = []
        self._small_size = 0
        self._kernel_copy = hasattr(os, "copy_file_range")
        self._thread = threading.Thread(target=self._hash, name="packet-sha256", daemon=True)
        self._thread.start()

    def _hash(self) -> None:
        buffer = bytearray(self._CHUNK)
        view = memoryview(buffer)
        while (item := self._queue.get()) is not None:
            if isinstance(item, bytes):
                self._sha256.update(item)
                continue
            try:
                done = 0
                while done < item.length:
                    count = os.preadv(
                        item.fd, [view[: min(self._CHUNK, item.length - done)]], item.offset + done
                    )
                    if count <= 0:
                        break
                    self._sha256.update(view[:count])
                    done += count
            finally:
                os.close(item.fd)

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
            self._queue.put(data)

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
            chunk = os.pread(
                source.fd, min(self._CHUNK, source.length - done), source.offset + done
            )
            if not chunk:
                raise ExportError("An input file changed while the packet was being written.")
            self._write_all(chunk)
            done += len(chunk)
        # The hashing thread reads the same bytes back through its own descriptor (the
        # source may be closed before it gets there).
        self._queue.put(FileRange(os.dup(source.fd), source.offset, source.length))

    def hexdigest(self) -> str:
        """Finishes hashing (call once, after the last write)."""
        self.flush()
        self._queue.put(None)
        self._thread.join()
        return self._sha256.hexdigest()

    def close(self) -> None:
        """Stops the hashing thread (if still running) and closes the file."""
        if self._thread.is_alive():
            self._small = []
            self._queue.put(None)
            self._thread.join()
        os.close(self.fd)


def verify(path: Path, pages: int, outline_items: int, password: str | None) -> None:
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


def _count_outline(items: Sequence[Any]) -> int:
    return sum(1 + _count_outline(item.children) for item in items)


STALE_AFTER_S = 3600  # a .part this old belongs to an export that was killed


def remove_stale(folder: Path, final_name: str) -> None:
    """Removes the hidden leftovers of earlier exports to the same name that were killed."""
    now = time.time()
    for leftover in folder.glob(f".{glob.escape(final_name)}.*.part"):
        with contextlib.suppress(OSError):
            if now - leftover.stat().st_mtime > STALE_AFTER_S:
                leftover.unlink()


def temp_path(folder: Path, final_name: str) -> Path:
    handle, path = tempfile.mkstemp(prefix=f".{final_name}.", suffix=".part", dir=folder)
    os.close(handle)
    os.unlink(path)  # opened again with "xb": never follows a planted file
    return Path(path)


def write_atomic(path: Path, data: bytes) -> None:
    temp = temp_path(path.parent, path.name)
    try:
        with open(temp, "xb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename is still atomic
    finally:
        os.close(fd)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def encrypt_file(path: Path, password: str) -> None:
    """Re-saves the packet with AES-256 (user and owner password both ``password``)."""
    encrypted = path.with_name(path.name + ".enc")
    try:
        with pikepdf.open(path) as pdf:
            pdf.save(
                encrypted,
                encryption=pikepdf.Encryption(user=password, owner=password, R=6, aes=True),
            )
        os.replace(encrypted, path)
    finally:
        encrypted.unlink(missing_ok=True)
