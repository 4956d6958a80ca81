"""Moves handled originals into ``imported/`` or ``refused/``: never deletes, never overwrites."""

from __future__ import annotations

import errno
import os
from pathlib import Path


def free_name(target: Path) -> Path:
    """``target`` if nothing is there, else ``name (2).ext``, ``name (3).ext`` ..."""
    if not os.path.lexists(target):
        return target
    for number in range(2, 100_000):
        candidate = target.with_name(f"{target.stem} ({number}){target.suffix}")
        if not os.path.lexists(candidate):
            return candidate
    raise FileExistsError(errno.EEXIST, "no free name", str(target))


def _move_without_overwrite(source: Path, target: Path) -> Path:
    """Moves ``source`` to ``target`` or the next free name; returns where it went."""
    for _ in range(20):  # someone may take the name between the check and the move
        candidate = free_name(target)
        try:
            # A hard link fails instead of replacing an existing file, then the old name goes.
            os.link(source, candidate)
        except FileExistsError:
            continue
        except OSError:
            # FAT, SMB and some FUSE filesystems have no hard links: check, then rename.
            if os.path.lexists(candidate):
                continue
            os.rename(source, candidate)
            return candidate
        os.unlink(source)
        return candidate
    raise FileExistsError(errno.EEXIST, "no free name", str(target))


def move_aside(folder: Path, rel_path: str, subfolder: str, reason: str | None = None) -> Path:
    """Moves ``folder/rel_path`` to ``folder/subfolder/rel_path``; returns the new path.

    With a ``reason`` (refused files), ``<new name>.reason.txt`` is written beside it.
    """
    source = folder / rel_path
    target_dir = (folder / subfolder / rel_path).parent
    target_dir.mkdir(parents=True, exist_ok=True)
    moved = _move_without_overwrite(source, target_dir / source.name)
    if reason is not None:
        note = free_name(moved.with_name(moved.name + ".reason.txt"))
        with open(note, "x", encoding="utf-8") as handle:
            handle.write(f"{moved.name} was not imported into Yongju: {reason}\n")
    return moved
