"""Consistent copies of the store's database (SQLite's online backup API), and rolling ones.

``copy_database`` is the one way Yongju copies a live database: it is safe while other
processes read and write it, and the copy appears whole or not at all, private to the user.
``RollingCopies`` keeps the last few copies in ``<store>/backups`` so that a lost database
can be brought back by ``doctor --repair``. ``read_copy`` and ``drop_documents`` read and
trim a copy without opening it as a store (a backup's, a repair's candidates).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from yongju.core.atomicwrite import written_beside
from yongju.core.errors import DatabaseError

BACKUPS_DIR = "backups"
ROLLING_PREFIX = "rolling-"
KEEP_COPIES = 5
COPY_INTERVAL_SECONDS = 300.0
_STAMP = "%Y%m%dT%H%M%S.%fZ"


def copy_database(source: Path, target: Path) -> None:
    """Copies the SQLite database ``source`` to ``target`` (0600), replacing it atomically.

    The copy is written beside ``target`` under a temporary name, synced, then renamed, so a
    crash leaves either the old ``target`` or the new one, never half a copy. SQLite's
    refusals come as ``DatabaseError``.
    """
    try:
        with written_beside(target) as temp:  # 0600 already; SQLite writes into it
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            try:
                dst = sqlite3.connect(temp)
                try:
                    # The whole file is synced before it is renamed into place: SQLite's own
                    # syncs while it writes the temporary file protect nothing (a crash
                    # leaves the old target) and took nine tenths of the copy's time.
                    dst.execute("PRAGMA synchronous=OFF")
                    src.backup(dst)
                    dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
                finally:
                    dst.close()
            finally:
                src.close()
    except sqlite3.Error as exc:
        raise DatabaseError(str(exc)) from exc


def is_readable_copy(path: Path) -> bool:
    """Whether ``path`` is a whole SQLite database (``quick_check`` passes)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return bool(conn.execute("PRAGMA quick_check").fetchone() == ("ok",))
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False


@dataclass(frozen=True)
class CopyContents:
    """What a copy of the database holds, read without opening it as a store."""

    revision: str  # its schema revision
    documents: tuple[tuple[int, str], ...]  # (id, SHA-256) of each document, by id
    cases: int


def read_copy(path: Path, *, check: bool = False) -> CopyContents:
    """What the database copy ``path`` holds (``check``: after SQLite's integrity check).

    Raises ``DatabaseError`` when it cannot be read, is not whole, or has no schema revision.
    """
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            if check and conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise DatabaseError("integrity check failed")
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if revision is None:
                raise DatabaseError("it has no schema revision")
            query = "SELECT id, sha256 FROM documents ORDER BY id"
            documents = tuple((int(i), str(sha)) for i, sha in conn.execute(query))
            cases = int(conn.execute("SELECT count(*) FROM cases").fetchone()[0])
    except sqlite3.Error as exc:
        raise DatabaseError(str(exc)) from exc
    return CopyContents(str(revision[0]), documents, cases)


def drop_documents(path: Path, doc_ids: Iterable[int]) -> None:
    """Deletes documents (their filings, pages and texts with them) from a database copy."""
    try:
        with contextlib.closing(sqlite3.connect(path)) as conn, conn:
            conn.execute("PRAGMA foreign_keys=ON")
            conn.executemany("DELETE FROM documents WHERE id = ?", [(i,) for i in doc_ids])
    except sqlite3.Error as exc:
        raise DatabaseError(str(exc)) from exc


@dataclass(frozen=True)
class DatabaseCopy:
    """One copy in the backups folder, and when it was taken (aware, UTC)."""

    path: Path
    taken: dt.datetime


class RollingCopies:
    """The last ``keep`` copies of a database, taken at most once every ``interval`` seconds."""

    def __init__(
        self,
        database: Path,
        *,
        keep: int = KEEP_COPIES,
        interval: float = COPY_INTERVAL_SECONDS,
    ) -> None:
        self.database = database
        self.folder = database.parent / BACKUPS_DIR
        self.keep = keep
        self.interval = interval
        self._guard = threading.Lock()
        self._last: float | None = None  # time.time() of the newest copy, once looked up

    def copies(self) -> list[DatabaseCopy]:
        """Every copy in the backups folder (rolling and pre-upgrade ones), newest first."""
        if not self.folder.is_dir():
            return []
        found = [
            DatabaseCopy(path, _taken(path))
            for path in self.folder.iterdir()
            if path.suffix == ".db" and not path.name.startswith(".") and path.is_file()
        ]
        return sorted(found, key=lambda c: c.taken, reverse=True)

    def after_write(self, *, closing: bool = False) -> DatabaseCopy | None:
        """Takes a copy if the newest is older than the interval.

        When ``closing``, a copy younger than the interval is replaced by a fresh one, so the
        changes of a short session are kept without adding a copy each time.
        """
        with self._guard:
            now = time.time()
            if self._last is None or now - self._last >= self.interval:
                rolling = self._rolling()  # another process may have taken one meanwhile
                newest = rolling[0].taken.timestamp() if rolling else 0.0
                self._last = max(self._last or 0.0, newest)
            recent = now - self._last < self.interval
            if recent and not closing:
                return None
            taken = self._take(replace_newest=recent)
            self._last = now
            return taken

    def _rolling(self) -> list[DatabaseCopy]:
        return [c for c in self.copies() if c.path.name.startswith(ROLLING_PREFIX)]

    def _take(self, *, replace_newest: bool) -> DatabaseCopy:
        self.folder.mkdir(mode=0o700, exist_ok=True)
        taken = dt.datetime.now(dt.UTC)
        target = self.folder / f"{ROLLING_PREFIX}{taken.strftime(_STAMP)}.db"
        copy_database(self.database, target)
        rolling = [c for c in self._rolling() if c.path != target]
        for old in rolling[:1] if replace_newest else []:
            old.path.unlink(missing_ok=True)
        for old in rolling[(1 if replace_newest else 0) + self.keep - 1 :]:
            old.path.unlink(missing_ok=True)
        return DatabaseCopy(target, taken)


def _taken(path: Path) -> dt.datetime:
    """When a copy was taken: from its name if it is a rolling copy, else its file's time."""
    if path.name.startswith(ROLLING_PREFIX):
        try:
            stamp = path.name[len(ROLLING_PREFIX) : -len(".db")]
            return dt.datetime.strptime(stamp, _STAMP).replace(tzinfo=dt.UTC)
        except ValueError:
            pass
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
