"""What the watcher reports and how it is configured: frozen records, no behaviour."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

DEFAULT_QUIET_SECONDS = 3.0
DEFAULT_SETTLE_SECONDS = 60.0
DEFAULT_POLL_SECONDS = 2.0
DEFAULT_RESCAN_SECONDS = 60.0


class WatchAction(StrEnum):
    """What happened to a file (or to the folder)."""

    IMPORTED = "imported"  # a new document is in the store
    DUPLICATE = "duplicate"  # the same bytes were already in the store: nothing new
    REFUSED = "refused"  # not a document Yongju accepts, or damaged; final until it changes
    SKIPPED = "skipped"  # ignored by a rule (hidden, temporary, the user's ignore list)
    WAITING = "waiting"  # still being written or not readable yet: retried later
    ERROR = "error"  # the watcher could not finish (store error, move failed): retried later
    FOLDER_MISSING = "folder_missing"  # the folder went away (unmounted share, removed disk)
    FOLDER_BACK = "folder_back"  # ... and came back: watching resumed


class WatchMode(StrEnum):
    """How changes are noticed."""

    NATIVE = "native"  # the operating system's file events (inotify, FSEvents, ...)
    POLLING = "polling"  # the folder is listed every few seconds


@dataclass(frozen=True)
class WatchEvent:
    """One thing the watcher did or saw; ``path`` is absolute."""

    path: Path
    action: WatchAction
    reason: str = ""
    document_id: int | None = None
    time: dt.datetime | None = None
    moved_to: Path | None = None  # where the original went (``imported/``, ``refused/``)
    case_id: int | None = None  # the case and slot the document was filed into, if any
    slot_id: str | None = None

    def describe(self, folder: Path | None = None) -> str:
        """One line for a person: ``imported  scan.pdf (document 12)``.

        Paths inside ``folder`` are shown relative to it.
        """

        def shown(path: Path) -> str:
            if folder is not None and path.is_relative_to(folder):
                return str(path.relative_to(folder)) or "."
            return str(path)

        text = f"{self.action.value:<14} {shown(self.path)}"
        if self.document_id is not None:
            text += f" (document {self.document_id})"
        if self.slot_id:
            text += f" → filed in {self.slot_id}"
        if self.reason:
            text += f": {self.reason}"
        if self.moved_to is not None:
            text += f" [moved to {shown(self.moved_to)}]"
        return text

    def as_json(self) -> dict[str, object]:
        """A JSON-ready dict (paths and times as strings)."""
        return {
            "path": str(self.path),
            "action": self.action.value,
            "reason": self.reason,
            "document_id": self.document_id,
            "time": self.time.isoformat() if self.time else None,
            "moved_to": str(self.moved_to) if self.moved_to else None,
            "case_id": self.case_id,
            "slot_id": self.slot_id,
        }


@dataclass(frozen=True)
class WatchOptions:
    """How a folder is watched; every field has a default a user would expect."""

    poll_seconds: float | None = None  # poll every N s; None: native events where they work
    quiet_seconds: float = DEFAULT_QUIET_SECONDS  # size and mtime unchanged this long
    settle_seconds: float = DEFAULT_SETTLE_SECONDS  # unreadable this long after a change: final
    rescan_seconds: float = DEFAULT_RESCAN_SECONDS  # full rescan even when no event came
    debounce_seconds: float = 0.25  # events closer than this make one reconcile
    move_files: bool = False  # move originals to imported/ and refused/ afterwards
    ignore: tuple[str, ...] = ()  # the user's glob patterns, matched against names and paths
    case: str | None = None  # case (name or id) whose slots the subfolders are named after
    max_depth: int = 2  # folder/case/slot/file: deeper folders are skipped (and reported)
    passwords: tuple[str, ...] = ()  # tried on encrypted PDFs
