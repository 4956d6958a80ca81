"""Which files the watcher leaves alone, and the reason it gives for each (nothing is silent)."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence

# Folders the watcher itself writes into (with moving on); never scanned.
IMPORTED_DIR = "imported"
REFUSED_DIR = "refused"
OWN_DIRS = frozenset({IMPORTED_DIR, REFUSED_DIR})

# (pattern, reason): temporary files of scanners, browsers, sync tools and office programs.
# Matched case-insensitively against the file name, first match wins.
BUILTIN_RULES: tuple[tuple[str, str], ...] = (
    ("~$*", "an office program's lock file"),
    (".~lock*", "a LibreOffice lock file"),
    ("._*", "macOS metadata (AppleDouble)"),
    (".ds_store", "macOS folder settings"),
    ("thumbs.db", "Windows thumbnail cache"),
    ("desktop.ini", "Windows folder settings"),
    ("*.part", "a download still in progress (.part)"),
    ("*.partial", "a download still in progress (.partial)"),
    ("*.crdownload", "a Chrome download still in progress"),
    ("*.download", "a Safari download still in progress"),
    ("*.opdownload", "an Opera download still in progress"),
    ("*.tmp", "a temporary file (.tmp)"),
    ("*.temp", "a temporary file (.temp)"),
    ("*.swp", "an editor's swap file"),
    ("*.swx", "an editor's swap file"),
    ("*~", "a backup copy (~)"),
    ("*.!sync", "a file still being synchronised"),
    ("*.syncthing.*.tmp", "a file still being synchronised"),
)


def skip_reason(name: str, rel_path: str, user_patterns: Sequence[str] = ()) -> str | None:
    """Why the file ``name`` (at ``rel_path`` below the folder) is skipped, or None to handle it.

    The user's patterns are globs matched against the name and against the relative path
    (``*.docx``, ``drafts/*``), ignoring case.
    """
    lowered = name.lower()
    for pattern, reason in BUILTIN_RULES:
        if fnmatch.fnmatchcase(lowered, pattern):
            return reason
    if name.startswith("."):
        return "a hidden file"
    return _user_reason(name, rel_path, user_patterns)


def skip_dir_reason(name: str, rel_path: str, user_patterns: Sequence[str] = ()) -> str | None:
    """Why a subfolder is not scanned, or None to scan it."""
    if name.startswith("."):
        return "a hidden folder"
    return _user_reason(name, rel_path, user_patterns)


def _user_reason(name: str, rel_path: str, user_patterns: Sequence[str]) -> str | None:
    name, rel_path = name.lower(), rel_path.lower()
    for pattern in user_patterns:
        lowered = pattern.strip().lower()
        if lowered and (
            fnmatch.fnmatchcase(name, lowered) or fnmatch.fnmatchcase(rel_path, lowered)
        ):
            return f"matches your ignore pattern '{pattern.strip()}'"
    return None
