"""Lists the watched folder: the files to look at, and the ones skipped with their reasons."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from yongju.core.watching.events import WatchOptions
from yongju.core.watching.rules import OWN_DIRS, skip_dir_reason, skip_reason

Files = dict[str, os.stat_result]  # relative path (forward slashes) → stat
Skips = dict[str, str]  # relative path → reason


LINK_REASON = "a symbolic link (links in a watched folder are not followed)"


class FolderGone(Exception):
    """The watched folder itself cannot be listed (removed, unmounted); the message says why
    when it is more than "not there"."""


def scan_folder(folder: Path, options: WatchOptions) -> tuple[Files, Skips]:
    """Every candidate file and every skipped file or folder. Raises ``FolderGone``."""
    files: Files = {}
    skips: Skips = {}
    stack: list[tuple[Path, str, int]] = [(folder, "", 0)]
    while stack:
        directory, rel_dir, depth = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except (FileNotFoundError, NotADirectoryError):
            if not rel_dir:
                raise FolderGone("") from None
            continue  # a subfolder removed while we looked
        except OSError as exc:
            if not rel_dir:
                raise FolderGone(f"the folder cannot be read ({exc.strerror})") from None
            skips[rel_dir] = f"the folder cannot be read: {exc.strerror}"
            continue
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                subfolder = _classify(entry, rel, depth, options, files, skips)
            except OSError:
                continue  # gone between listing and looking: the next pass knows
            if subfolder:
                stack.append((Path(entry.path), rel, depth + 1))
    return files, skips


def _classify(
    entry: os.DirEntry[str],
    rel: str,
    depth: int,
    options: WatchOptions,
    files: Files,
    skips: Skips,
) -> bool:
    """Puts the entry in ``files`` or ``skips``; True for a subfolder to scan.

    Symbolic links are never followed: one planted in a shared folder could otherwise pull
    any file the user can read into the store (and, with moving on, be moved instead).
    """
    if entry.is_symlink():
        skips[rel] = LINK_REASON
        return False
    if entry.is_dir(follow_symlinks=False):
        if depth == 0 and entry.name in OWN_DIRS:
            return False  # imported/ and refused/: the watcher's own
        reason = skip_dir_reason(entry.name, rel, options.ignore)
        if reason is None and depth >= options.max_depth:
            reason = f"a folder more than {options.max_depth} levels deep"
        if reason is not None:
            skips[rel] = reason
        return reason is None
    if not entry.is_file(follow_symlinks=False):
        skips[rel] = "not a regular file"
        return False
    reason = skip_reason(entry.name, rel, options.ignore)
    st = entry.stat(follow_symlinks=False)
    hidden_flag = getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0)  # Windows only
    if reason is None and getattr(st, "st_file_attributes", 0) & hidden_flag:
        reason = "a hidden file"
    if reason is None:
        files[rel] = st
    else:
        skips[rel] = reason
    return False


def list_without_own(folder: Path, path: str | None) -> list[os.DirEntry[str]]:
    """``os.scandir`` for the polling observer, leaving out imported/ and refused/."""
    entries = list(os.scandir(path))
    if path is not None and Path(path) == folder:
        entries = [e for e in entries if e.name not in OWN_DIRS]
    return entries
