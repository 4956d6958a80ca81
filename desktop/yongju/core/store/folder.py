"""What a store folder is before it is opened: new, a store, damaged, or someone else's.

Every answer that stops Yongju is one sentence that says what is wrong and what to do. The
database is read here with ``sqlite3`` alone, never opened as a store: it may be damaged,
someone else's, or of a newer Yongju.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from yongju.core.blobs import TEMP_DIR, BlobStore
from yongju.core.errors import (
    DatabaseError,
    StoreDamagedError,
    StoreError,
    StoreFullError,
    StoreReadOnlyError,
)
from yongju.core.locking import LOCK_NAME
from yongju.core.store.dbcopy import BACKUPS_DIR

DB_NAME = "yongju.db"
BLOBS_DIR = "blobs"
# What only a Yongju store holds: a folder with one of these is a store (perhaps damaged).
_STORE_MARKERS = {DB_NAME, LOCK_NAME, BLOBS_DIR, BACKUPS_DIR}
# What file managers leave in any folder: it does not make a folder someone else's.
_SYSTEM_LITTER = {".DS_Store", ".localized", "Thumbs.db", "desktop.ini", ".directory"}
# Below this much free space an I/O error of SQLite's is the disk being full.
_NEARLY_FULL_BYTES = 1 << 20


@dataclass(frozen=True)
class DatabaseState:
    """The database of a store folder: its schema revision, or what is wrong with it."""

    revision: str | None  # None: no schema yet (a new store) or damaged
    damage: str = ""  # "missing", "empty", "unreadable (…)": then the store is damaged
    stored_files: int = 0

    @property
    def damaged(self) -> bool:
        return bool(self.damage)


def prepare_folder(folder: Path) -> bool:
    """Makes sure ``folder`` can be a store; returns whether Yongju created it now.

    A folder Yongju creates is made private (0700). An existing folder keeps its mode; one
    that holds things but is not a store is refused, so that nothing is written into it.
    """
    try:
        folder.mkdir(mode=0o700, parents=True)
    except FileExistsError:
        if not folder.is_dir():
            raise StoreError(
                f"{folder} is a file, not a folder; choose a folder for the store."
            ) from None
        if _foreign_contents(folder):
            raise StoreError(
                f"{folder} is not empty and not a Yongju store; "
                "choose a new or empty folder for the store."
            ) from None
        return False
    except OSError as exc:
        raise os_store_error(exc, folder) from None
    os.chmod(folder, 0o700)  # passports and bank statements: the user's eyes only
    return True


def _foreign_contents(folder: Path) -> bool:
    """Whether ``folder`` holds things but nothing of a store's.

    Judged from one listing: asking "is it a store?" and then "is it empty?" raced with
    another process creating the store in between (its lock file appeared between the two).
    """
    try:
        with os.scandir(folder) as entries:
            names = {entry.name for entry in entries}
    except OSError as exc:
        raise os_store_error(exc, folder) from None
    return not names & _STORE_MARKERS and bool(names - _SYSTEM_LITTER)


def count_stored_files(folder: Path) -> int:
    """How many files ``blobs/`` holds (in its two-letter folders)."""
    root = folder / BLOBS_DIR
    if not root.is_dir():
        return 0
    count = 0
    with os.scandir(root) as subs:
        for sub in subs:
            if sub.is_dir() and len(sub.name) == 2 and sub.name != TEMP_DIR:
                with os.scandir(sub.path) as entries:
                    count += sum(1 for entry in entries if entry.is_file())
    return count


def has_database_copies(folder: Path) -> bool:
    backups = folder / BACKUPS_DIR
    return backups.is_dir() and any(p.suffix == ".db" for p in backups.iterdir())


def database_state(folder: Path, *, keep: list[sqlite3.Connection] | None = None) -> DatabaseState:
    """Reads the schema revision without loading Alembic (fast start-up).

    A database that is missing, empty or unreadable while the folder holds stored files (or
    copies of the database) is damage, never an empty store. Raises for a database of
    another program, a full disk and a read-only store.

    With ``keep``, the connection that read a revision is left open in it rather than
    closed (``Store.open`` gives it to the store as its first): closing the only
    connection to a database ends its write-ahead log, which the store's first connection
    then made again, a millisecond of CPU on each command.
    """
    path = folder / DB_NAME
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return _no_schema(folder, "missing")
    except OSError as exc:
        raise os_store_error(exc, folder) from None
    if size == 0:
        return _no_schema(folder, "empty")
    try:
        conn = _connect_existing(path)
        kept = False
        try:
            if not conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).fetchone():
                if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                    raise StoreError(
                        f"{path} is a database, but not a Yongju store; "
                        "choose another folder for the store."
                    )
                return _no_schema(folder, "empty")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if keep is not None:
                keep.append(conn)
                kept = True
        finally:
            if not kept:
                conn.close()
    except sqlite3.DatabaseError as exc:
        problem = sqlite_store_error(exc, folder)
        if isinstance(problem, StoreDamagedError):
            return DatabaseState(None, f"unreadable ({exc})", count_stored_files(folder))
        raise problem from None
    return DatabaseState(str(row[0]) if row else None)


def _connect_existing(path: Path) -> sqlite3.Connection:
    """A connection to an existing database, never creating one.

    Read-write when it can be (after a crash, a read-only connection cannot replay the
    write-ahead log and would call a healthy store unreadable), else read-only. (SQLite
    itself opens a file it may not write read-only; it is reading that then refuses.)
    Any thread may use it, as the store's connections (see ``database_state``'s ``keep``).
    """
    conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        conn.close()
        if not getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_READONLY", "SQLITE_PERM")):
            raise
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    return conn


def _no_schema(folder: Path, what: str) -> DatabaseState:
    files = count_stored_files(folder)
    if files or has_database_copies(folder):
        return DatabaseState(None, what, files)
    return DatabaseState(None)


def damaged_store_error(folder: Path, state: DatabaseState) -> StoreDamagedError:
    """The sentence every command says about a damaged store."""
    files = state.stored_files
    if files:
        held = f" though it holds {files} stored file{'s' if files != 1 else ''}"
    else:
        held = " though copies of it remain" if has_database_copies(folder) else ""
    return StoreDamagedError(
        f"The store in {folder} is damaged: its database is {state.damage}{held}; "
        "run `yongju doctor --repair` to rebuild it."
    )


def sqlite_store_error(exc: sqlite3.Error, folder: Path) -> StoreError:
    """One sentence for an SQLite error about the store as a whole."""
    name = getattr(exc, "sqlite_errorname", "")
    if name.startswith("SQLITE_FULL") or (name.startswith("SQLITE_IOERR") and disk_full(folder)):
        return StoreFullError.at(folder)
    if name.startswith("SQLITE_READONLY") or (
        name.startswith("SQLITE_CANTOPEN") and not writable(folder)
    ):
        return StoreReadOnlyError.at(folder)
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return StoreDamagedError(
            f"The store's database in {folder} is damaged ({exc}); "
            "run `yongju doctor --repair` to bring back a copy of it."
        )
    return StoreError(
        f"The store's database in {folder} cannot be used ({exc}); "
        "check the disk, then run `yongju doctor`."
    )


def store_problem(exc: BaseException, folder: Path) -> StoreError | None:
    """The sentence for a database error about the store in ``folder`` as a whole (a full
    disk, a read-only or damaged database), or None when it is about something else."""
    cause = exc.__cause__ if isinstance(exc, DatabaseError) else exc
    if not isinstance(cause, sqlite3.Error):
        return None
    problem = sqlite_store_error(cause, folder)
    return problem if type(problem) is not StoreError else None


def database_holds_nothing(path: Path) -> bool:
    """Whether the database ``path`` holds no document and no case (False: unreadable)."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
            return all(
                db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
                for table in ("documents", "cases")
                if table in tables
            )
    except sqlite3.DatabaseError:
        return False


def os_store_error(exc: OSError, folder: Path) -> StoreError:
    """One sentence for an OS error about the store folder."""
    if exc.errno == errno.ENOSPC or exc.errno == getattr(errno, "EDQUOT", -1):
        return StoreFullError.at(folder)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StoreReadOnlyError.at(folder)
    return StoreError(f"Cannot use {folder} as a store: {exc.strerror or exc}.")


def disk_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < _NEARLY_FULL_BYTES
    except OSError:
        return False


def writable(folder: Path) -> bool:
    """Whether files can be created in ``folder`` (its file system too, not just its mode)."""
    if not os.access(folder, os.W_OK):
        return False
    try:
        return not (os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (AttributeError, OSError):  # no statvfs on Windows
        return True


class FolderPaths:
    """What a store folder holds beside its database, named once for the ``Store`` and the
    ``LazyStore`` (which answers these without loading the store)."""

    folder: Path
    blobs: BlobStore

    @property
    def cache_dir(self) -> Path:
        """Thumbnails and previews: safe to delete at any time."""
        return self.folder / "cache"

    @property
    def log_dir(self) -> Path:
        return self.folder / "logs"

    def blob_path(self, sha256: str) -> Path:
        return self.blobs.path_for(sha256)
