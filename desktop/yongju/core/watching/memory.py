"""What the watcher has already handled in a folder, kept in the store's ``watched_files``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy import delete, select

from yongju.core.names import displayable
from yongju.core.store import Store, utcnow
from yongju.core.store import schema as db


@dataclass(frozen=True)
class SeenFile:
    """A file handled for good (imported, duplicate or refused) as it was at that moment."""

    rel_path: str  # relative to the watched folder, with forward slashes (see ``key``)
    size: int
    mtime_ns: int
    sha256: str | None
    status: str  # "imported", "duplicate" or "refused"
    reason: str = ""
    document_id: int | None = None
    handled_at: dt.datetime | None = None

    def matches(self, size: int, mtime_ns: int) -> bool:
        """True while the file on disk is the one that was handled."""
        return self.size == size and self.mtime_ns == mtime_ns


def key(rel_path: str) -> str:
    """How a relative path is kept: bytes of a name that are not UTF-8 as ``\\xNN``
    (SQLite takes only valid text). Idempotent, so keys may be passed again."""
    return displayable(rel_path)


class SeenFiles:
    """The handled files of one folder: read once, then kept in memory and written through.

    Used from the watcher's own thread only; each write is one short store session.
    """

    def __init__(self, store: Store, folder_key: str) -> None:
        self._store = store
        self._folder = folder_key
        self._entries: dict[str, SeenFile] = {}
        self.reload()

    def reload(self) -> None:
        """Reads the folder's rows again (after the folder came back, say)."""
        with self._store.session() as s:
            rows = s.scalars(select(db.WatchedFile).where(db.WatchedFile.folder == self._folder))
            self._entries = {row.rel_path: _record(row) for row in rows}

    def get(self, rel_path: str) -> SeenFile | None:
        return self._entries.get(key(rel_path))

    def entries(self) -> list[SeenFile]:
        return list(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def put_all(self, entries: Iterable[SeenFile]) -> None:
        """Remembers (or replaces) each entry, in one transaction."""
        entries = [e if e.handled_at else _stamped(e) for e in entries]
        entries = [replace(e, rel_path=key(e.rel_path)) for e in entries]
        if not entries:
            return
        with self._store.session() as s:
            for entry in entries:
                row = s.scalar(
                    select(db.WatchedFile).where(
                        db.WatchedFile.folder == self._folder,
                        db.WatchedFile.rel_path == entry.rel_path,
                    )
                )
                if row is None:
                    row = db.WatchedFile(folder=self._folder, rel_path=entry.rel_path)
                    s.add(row)
                row.size, row.mtime_ns, row.sha256 = entry.size, entry.mtime_ns, entry.sha256
                row.status, row.reason, row.document_id = (
                    entry.status,
                    entry.reason,
                    entry.document_id,
                )
                row.handled_at = entry.handled_at or utcnow()
        self._entries.update((e.rel_path, e) for e in entries)

    def forget_all(self, rel_paths: Iterable[str]) -> None:
        """Drops entries (a moved-away file, so a new file of the same name is imported)."""
        paths = [key(p) for p in rel_paths if key(p) in self._entries]
        if not paths:
            return
        with self._store.session() as s:
            s.execute(
                delete(db.WatchedFile).where(
                    db.WatchedFile.folder == self._folder, db.WatchedFile.rel_path.in_(paths)
                )
            )
        for path in paths:
            self._entries.pop(path, None)


def _stamped(entry: SeenFile) -> SeenFile:
    return SeenFile(
        entry.rel_path,
        entry.size,
        entry.mtime_ns,
        entry.sha256,
        entry.status,
        entry.reason,
        entry.document_id,
        utcnow(),
    )


def _record(row: db.WatchedFile) -> SeenFile:
    return SeenFile(
        rel_path=row.rel_path,
        size=row.size,
        mtime_ns=row.mtime_ns,
        sha256=row.sha256,
        status=row.status,
        reason=row.reason,
        document_id=row.document_id,
        handled_at=row.handled_at,
    )
