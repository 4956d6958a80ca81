"""Moves handled originals into ``imported/`` or ``refused/``: never deletes, never overwrites,
never moves or writes through a symbolic link.

A watched folder may be shared (a scanner's share, a synced folder): whoever can write there
can plant a link named ``refused`` pointing at ``~/.config/autostart``. So every step works
on folders held open (``O_DIRECTORY | O_NOFOLLOW`` descriptors, then ``linkat``/``renameat``
and ``openat`` relative to them), not on paths checked first: a link swapped in between the
check and the move is refused by the kernel itself. Only the watched folder itself may be
reached through a link (the user chose that path).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIR_FLAGS = os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC
_NOTE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
_NO_HARD_LINKS = (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK)
# Where the kernel cannot open folders relative to others (Windows), paths are checked.
DIR_FD_SUPPORTED = os.open in os.supports_dir_fd and bool(_NOFOLLOW and _DIRECTORY)


class LinkedFolderError(OSError):
    """A folder the watcher would move into (or out of) is a symbolic link."""

    def __init__(self, shown: str) -> None:
        super().__init__(
            errno.ELOOP,
            f"{shown} is a symbolic link; files are never moved through a link, so moving "
            "is stopped (make it a real folder, or remove it)",
        )

    def __str__(self) -> str:
        return str(self.strerror)


def move_aside(folder: Path, rel_path: str, subfolder: str, reason: str | None = None) -> Path:
    """Moves ``folder/rel_path`` to ``folder/subfolder/rel_path``; returns the new path.

    With a ``reason`` (refused files), ``<new name>.reason.txt`` is written beside it.
    Raises ``LinkedFolderError`` if ``subfolder``, or a folder on either side of the move, is
    a symbolic link, and ``OSError`` if the source is not a regular file.
    """
    if not DIR_FD_SUPPORTED:
        return _move_by_path(folder, rel_path, subfolder, reason)
    *parents, name = rel_path.split("/")
    opened: list[int] = []
    try:
        root = _opened(opened, os.open(folder, os.O_RDONLY | _DIRECTORY | _CLOEXEC))
        source = root
        for index, part in enumerate(parents):
            shown = "/".join(parents[: index + 1]) + "/"
            source = _opened(opened, _open_dir(part, source, create=False, shown=shown))
        target = _opened(opened, _open_dir(subfolder, root, create=True, shown=f"{subfolder}/"))
        for index, part in enumerate(parents):
            shown = "/".join([subfolder, *parents[: index + 1]]) + "/"
            target = _opened(opened, _open_dir(part, target, create=True, shown=shown))
        info = os.stat(name, dir_fd=source, follow_symlinks=False)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a link, or a folder)")
        moved = _move_without_overwrite(name, source, target, info)
        if reason is not None:
            _write_note(target, moved, reason)
    finally:
        for fd in reversed(opened):
            os.close(fd)
    return folder.joinpath(subfolder, *parents, moved)


def _opened(opened: list[int], fd: int) -> int:
    opened.append(fd)
    return fd


def _open_dir(name: str, dir_fd: int, *, create: bool, shown: str) -> int:
    """The folder ``name`` inside ``dir_fd``, opened without following a link."""
    if create:
        with contextlib.suppress(FileExistsError):
            os.mkdir(name, dir_fd=dir_fd)
    try:
        return os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK) and _link_or_swapped(
            name, dir_fd
        ):
            raise LinkedFolderError(shown) from None
        raise


def _link_or_swapped(name: str, dir_fd: int) -> bool:
    """After an open refused as "a link or not a folder": it is a link, or it is a folder
    now or gone, so it was swapped in that instant (taken for a link: moving stops)."""
    try:
        mode = os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode
    except OSError:
        return True  # gone, or changing under us: stopping is the safe answer
    # Only a plain file of that name is really "not a folder"; anything else (a link, a
    # folder back in place, whatever a swap left for an instant) stops moving.
    return not stat.S_ISREG(mode)


def _exists(name: str, dir_fd: int) -> bool:
    try:
        os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return True


def _free_name(name: str, dir_fd: int) -> str:
    """``name`` if nothing is there, else ``stem (2).ext``, ``stem (3).ext`` ..."""
    if not _exists(name, dir_fd):
        return name
    path = Path(name)
    for number in range(2, 100_000):
        candidate = f"{path.stem} ({number}){path.suffix}"
        if not _exists(candidate, dir_fd):
            return candidate
    raise FileExistsError(errno.EEXIST, "no free name", name)


def _move_without_overwrite(name: str, source: int, target: int, info: os.stat_result) -> str:
    """Moves ``name`` from folder ``source`` into folder ``target`` under a free name."""
    for _ in range(20):  # someone may take the name between the check and the move
        candidate = _free_name(name, target)
        try:
            # A hard link fails instead of replacing an existing file, then the old name goes.
            os.link(name, candidate, src_dir_fd=source, dst_dir_fd=target, follow_symlinks=False)
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno not in _NO_HARD_LINKS:
                raise
            # FAT, SMB and some FUSE filesystems have no hard links: check, then rename.
            if _exists(candidate, target):
                continue
            os.rename(name, candidate, src_dir_fd=source, dst_dir_fd=target)
            return candidate
        now = os.stat(name, dir_fd=source, follow_symlinks=False)
        if (now.st_dev, now.st_ino) == (info.st_dev, info.st_ino):
            os.unlink(name, dir_fd=source)  # else swapped meanwhile: leave the newcomer alone
        return candidate
    raise FileExistsError(errno.EEXIST, "no free name", name)


def _write_note(target: int, moved: str, reason: str) -> None:
    """``<moved>.reason.txt`` beside the moved file: created new, never through a link."""
    for _ in range(20):
        note = _free_name(moved + ".reason.txt", target)
        try:
            fd = os.open(note, _NOTE_FLAGS, 0o666, dir_fd=target)
        except FileExistsError:
            continue
        with open(fd, "w", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(f"{moved} was not imported into Yongju: {reason}\n")
        return


def _move_by_path(folder: Path, rel_path: str, subfolder: str, reason: str | None) -> Path:
    """Where folders cannot be held open: the same moves by path, links refused by a check."""
    source = folder / rel_path
    target_dir = (folder / subfolder / rel_path).parent
    parts = rel_path.split("/")[:-1]
    checked = [folder.joinpath(*parts[: i + 1]) for i in range(len(parts))]
    checked += [folder.joinpath(subfolder, *parts[:i]) for i in range(len(parts) + 1)]
    for path in checked:
        if path.is_symlink():
            raise LinkedFolderError(f"{path.relative_to(folder).as_posix()}/")
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / source.name
    for number in range(2, 100_000):
        if not os.path.lexists(target):
            break
        target = target_dir / f"{source.stem} ({number}){source.suffix}"
    os.rename(source, target)
    if reason is not None:
        with open(f"{target}.reason.txt", "x", encoding="utf-8") as handle:
            handle.write(f"{target.name} was not imported into Yongju: {reason}\n")
    return target
