"""Content-addressed file storage: ``blobs/ab/cdef…`` named by SHA-256, written atomically."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from yongju.core.errors import StoreReadOnlyError, YongjuError
from yongju.core.hashing import CHUNK, HashingReader
from yongju.core.locking import LockHold, StoreLock

TEMP_DIR = ".incoming"


class BlobWriteError(YongjuError):
    """A file could not be copied into the store (disk full, unreadable source…)."""


def os_error_reason(exc: OSError) -> str:
    """One sentence for an OS error a user can act on."""
    if exc.errno == errno.ENOSPC:
        return "the disk holding the store is full"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENOENT:
        return "the file no longer exists"
    if exc.errno == errno.EISDIR:
        return "it is a folder, not a file"
    return exc.strerror or str(exc)


@dataclass(frozen=True)
class StagedBlob:
    """A copy of a source file in the store's staging folder, hashed while it was copied."""

    temp_path: Path
    sha256: str
    size: int
    head: bytes  # the first bytes, for identifying the type
    tail: bytes  # the last bytes, for spotting truncation
    # The store's lock, held shared from staging until ``discard``: a repair waits for it.
    hold: LockHold | None = field(default=None, compare=False, repr=False)


class BlobStore:
    """The ``blobs`` folder of a store."""

    def __init__(self, root: Path, lock: StoreLock | None = None) -> None:
        self.root = root
        self.staging = root / TEMP_DIR
        self.lock = lock

    def ensure(self) -> None:
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.staging.mkdir(mode=0o700, exist_ok=True)

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:]

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def stage(self, source: Path, *, durable: bool = True) -> StagedBlob:
        """Copies ``source`` into the staging folder, hashing it on the way (one read).

        From here until ``discard`` (which every caller must reach, also after ``commit``)
        the store's lock is held shared, so that ``doctor --repair`` never takes the staged
        copy or its blob for a leftover while the document's row is still to be written.
        """
        hold = self.lock.hold_shared() if self.lock is not None else None
        try:
            return self._stage(source, durable, hold)
        except BaseException:
            if hold is not None:
                hold.release()
            raise

    def _stage(self, source: Path, durable: bool, hold: LockHold | None) -> StagedBlob:
        try:
            fd, temp_name = tempfile.mkstemp(dir=self.staging, prefix="in-")
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise StoreReadOnlyError.at(self.root.parent) from None
            raise BlobWriteError(os_error_reason(exc)) from exc
        temp_path = Path(temp_name)
        ends = _Ends()
        try:
            with source.open("rb") as src, os.fdopen(fd, "wb") as dst:
                reader = HashingReader(src, ends.see)
                shutil.copyfileobj(reader, dst, CHUNK)
                if durable:
                    dst.flush()
                    os.fsync(dst.fileno())
        except OSError as exc:
            temp_path.unlink(missing_ok=True)
            raise BlobWriteError(os_error_reason(exc)) from exc
        except BaseException:
            temp_path.unlink(missing_ok=True)
            raise
        return StagedBlob(temp_path, reader.hexdigest(), reader.size, ends.head, ends.tail, hold)

    def commit(self, staged: StagedBlob) -> Path:
        """Moves a staged copy to its content address (a no-op if that blob exists)."""
        final = self.path_for(staged.sha256)
        if final.is_file():
            staged.temp_path.unlink(missing_ok=True)
            return final
        final.parent.mkdir(mode=0o700, exist_ok=True)
        os.chmod(staged.temp_path, 0o600)
        os.replace(staged.temp_path, final)
        return final

    def discard(self, staged: StagedBlob) -> None:
        """Removes the staged copy if it is still there, and lets go of the store's lock."""
        try:
            staged.temp_path.unlink(missing_ok=True)
        finally:
            if staged.hold is not None:
                staged.hold.release()

    def all_hashes(self) -> Iterator[tuple[str, Path]]:
        """Every blob on disk, as (sha256, path)."""
        for sub in sorted(self.root.iterdir()) if self.root.is_dir() else []:
            if sub.is_dir() and len(sub.name) == 2 and sub.name != TEMP_DIR:
                for blob in sorted(sub.iterdir()):
                    yield sub.name + blob.name, blob

    def staging_leftovers(self) -> list[Path]:
        return sorted(self.staging.iterdir()) if self.staging.is_dir() else []


class _Ends:
    """The first and last bytes of a file seen chunk by chunk (its type; its truncation)."""

    def __init__(self) -> None:
        self.head = b""
        self.tail = b""

    def see(self, chunk: bytes) -> None:
        if not self.head:
            self.head = chunk[:4096]
        self.tail = chunk[-65536:] if len(chunk) >= 65536 else (self.tail + chunk)[-65536:]
