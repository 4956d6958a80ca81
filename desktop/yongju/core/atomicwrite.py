"""Writing a file whole or not at all: a temporary file beside the target, synced, renamed.

Every file Yongju writes in place of another (database copies, backups, page renders, the
packet where the system has no unnamed files) goes through here: the temporary file is
created 0600 (readable by the user alone) in the target's folder, so the rename cannot cross
file systems, and its name, ``.NAME.XXXXXXXX.part``, is hidden and says whose it is. A crash
leaves the old target or the new one, never half of either.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def temporary_beside(target: Path) -> tuple[int, Path]:
    """A new, empty, 0600 file named ``.NAME.XXXXXXXX.part`` in ``target``'s folder, open for
    reading and writing: its descriptor and its path."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    return fd, Path(name)


def fsync_folder(folder: Path) -> None:
    """Flushes ``folder``'s entries (a rename into it) to disk, where the system can."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not every system can open a folder
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename is still atomic
    finally:
        os.close(fd)


def replace_with(temporary: Path, target: Path, *, durable: bool = True) -> None:
    """Renames the written ``temporary`` onto ``target``; ``durable``: both the file's bytes
    and the rename are on disk when this returns."""
    if durable:
        fd = os.open(temporary, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    os.replace(temporary, target)
    if durable:
        fsync_folder(target.parent)


@contextlib.contextmanager
def written_beside(target: Path, *, durable: bool = True) -> Iterator[Path]:
    """Yields the path of a temporary file beside ``target`` (0600, empty) to write; when
    the block ends it replaces ``target`` (see ``replace_with``), when it raises it is
    removed and ``target`` is left as it was.

    ``durable=False`` is for caches that can be made again (a thumbnail): the rename is
    still atomic, but a power cut may lose it.
    """
    fd, temporary = temporary_beside(target)
    os.close(fd)
    try:
        yield temporary
        replace_with(temporary, target, durable=durable)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
