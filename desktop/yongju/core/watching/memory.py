"""What the watcher has already handled in a folder, kept in the store's ``watched_files``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from yongju.core.names import displayable
from yongju.core.records import SeenFile as SeenFile
from yongju.core.store import Store, utcnow


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
        self._entries = {e.rel_path: e for e in self._store.watched_files(self._folder)}

    def get(self, rel_path: str) -> SeenFile | None:
        return self._entries.get(key(rel_path))

    def entries(self) -> list[SeenFile]:
        return list(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def put_all(self, entries: Iterable[SeenFile]) -> None:
        """Remembers (or replaces) each entry, in one transaction."""
        now = utcnow()
        stamped = [
            replace(e, rel_path=key(e.rel_path), handled_at=e.handled_at or now) for e in entries
        ]
        if not stamped:
            return
        self._store.remember_watched(self._folder, stamped)
        self._entries.update((e.rel_path, e) for e in stamped)

    def forget_all(self, rel_paths: Iterable[str]) -> None:
        """Drops entries (a moved-away file, so a new file of the same name is imported)."""
        paths = [key(p) for p in rel_paths if key(p) in self._entries]
        if not paths:
            return
        self._store.forget_watched(self._folder, paths)
        for path in paths:
            self._entries.pop(path, None)
