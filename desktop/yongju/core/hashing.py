"""SHA-256 of files: the one way Yongju hashes a file, an open descriptor or bytes in passing.

The store names every blob by its SHA-256, and the watcher, the doctor, backups and the
packet all check files against those names; they all hash through here, so "the SHA-256 of
a file" means the same bytes everywhere.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    """The SHA-256 of the file at ``path``."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def fd_sha256(fd: int) -> str:
    """The SHA-256 of a whole open file, read from its start whatever the descriptor's
    offset (which is left where it was)."""
    digest = hashlib.sha256()
    hash_range(digest, fd, 0, os.fstat(fd).st_size)
    return digest.hexdigest()


def hash_range(digest: Any, fd: int, offset: int, length: int) -> None:
    """Feeds ``length`` bytes of ``fd`` from ``offset`` into ``digest`` (with ``pread``, so
    threads can share the descriptor); a short read (the file shrank) is an error, never a
    partial hash."""
    buffer = bytearray(min(CHUNK, max(length, 1)))
    view = memoryview(buffer)
    done = 0
    while done < length:
        count = os.preadv(fd, [view[: min(len(buffer), length - done)]], offset + done)
        if count <= 0:
            raise OSError(errno.EIO, f"only {done} of {length} bytes could be read back")
        digest.update(view[:count])
        done += count


class HashingReader(io.RawIOBase):
    """Reads ``source`` for whoever copies it, hashing and counting every byte on the way,
    so a file is copied and hashed in one read. ``on_chunk`` sees each chunk as it passes
    (it may raise to stop the copy, as a cancel does)."""

    def __init__(self, source: IO[bytes], on_chunk: Callable[[bytes], None] | None = None) -> None:
        super().__init__()
        self._source = source
        self._on_chunk = on_chunk
        self._digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size if size > 0 else CHUNK)
        self._digest.update(data)
        self.size += len(data)
        if self._on_chunk is not None and data:
            self._on_chunk(data)
        return data

    def hexdigest(self) -> str:
        """The SHA-256 of everything read so far."""
        return self._digest.hexdigest()
