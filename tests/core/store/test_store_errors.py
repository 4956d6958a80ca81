"""What goes wrong under the store becomes the store's own error, or one sentence.

Real databases throughout; only the edges of the OS that cannot be made real here (a full
file system's free space, ``statvfs``) are faked. Permission cases run as another user
(``nobody``) when the suite runs as root, since root may write anywhere.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event

from yongju.core.errors import (
    DatabaseError,
    StoreDamagedError,
    StoreError,
    StoreFullError,
    StoreReadOnlyError,
)
from yongju.core.store import DB_NAME, Store
from yongju.core.store.folder import (
    database_holds_nothing,
    database_state,
    disk_full,
    os_store_error,
    prepare_folder,
    sqlite_store_error,
    store_problem,
    writable,
)

NOBODY = 65534


@contextmanager
def as_another_user() -> Iterator[None]:
    """Runs the body as ``nobody`` when root (who may write anywhere), else as oneself."""
    if os.geteuid() != 0:
        yield
        return
    os.setresuid(NOBODY, NOBODY, 0)  # the saved id lets the test become root again
    try:
        yield
    finally:
        os.setresuid(0, 0, 0)


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A folder every user may enter (pytest's own temporary folders are root's alone)."""
    path = Path(tempfile.mkdtemp(prefix="yongju-test-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path)


def _sqlite_error(name: str, message: str) -> sqlite3.Error:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorname = name
    return error


# --------------------------------------------------------------------- the store's engine
def test_sqlite_refusing_a_write_is_the_stores_database_error(store: Store) -> None:
    event.listen(store.engine, "connect", lambda dbapi, _r: dbapi.execute("PRAGMA query_only=1"))
    store.disconnect()
    with pytest.raises(DatabaseError, match="attempt to write a readonly database") as raised:
        store.create_case("Ana", "employment")
    assert isinstance(raised.value.__cause__, sqlite3.OperationalError)
    assert str(store_problem(raised.value, store.folder)) == str(
        StoreReadOnlyError.at(store.folder)
    )
    assert store.cases() == []  # reading still works


def test_a_database_damaged_while_open_is_said_to_be_damaged(store: Store) -> None:
    for n in range(30):
        store.create_case(f"Case {n}", "employment")
    store.close()  # everything in yongju.db itself, no write-ahead log
    path = store.folder / DB_NAME
    data = path.read_bytes()
    path.write_bytes(data[:4096] + b"\xa5" * (len(data) - 4096))  # the header survives
    with pytest.raises(StoreDamagedError, match=r"is damaged .*doctor --repair"):
        store.cases()
    with pytest.raises(StoreDamagedError):
        store.integrity_problems()


def test_a_file_where_the_blobs_folder_belongs_is_one_sentence(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    Store.open(folder).close()
    shutil.rmtree(folder / "blobs")
    (folder / "blobs").write_bytes(b"not a folder")
    with pytest.raises(StoreError, match=f"Cannot use {folder} as a store: File exists"):
        Store.open(folder)


def test_a_migration_sqlite_refuses_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    prepare_folder(folder)
    with sqlite3.connect(folder / DB_NAME) as db:  # claims 0003, but has no tables at all
        db.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        db.execute("INSERT INTO alembic_version VALUES ('0003')")
    db.close()
    with pytest.raises(StoreError, match=r"cannot be used .*no such table.*yongju doctor"):
        Store.open(folder)
    assert database_state(folder).revision == "0003"
    assert [p.name.startswith("yongju-0003-") for p in (folder / "backups").iterdir()] == [True]


def test_a_rolling_copy_that_fails_stops_no_work(tmp_path: Path, caplog) -> None:
    folder = tmp_path / "store"
    with Store.open(folder) as store:
        shutil.rmtree(folder / "backups", ignore_errors=True)
        (folder / "backups").write_bytes(b"")  # no copy can be written now
        case = store.create_case("Ana", "employment")
        assert store.case(case.id).name == "Ana"
    assert "could not take a rolling copy of the database" in caplog.text
    assert (folder / "backups").read_bytes() == b""


# --------------------------------------------------------------------- sentences
def test_sqlite_errors_about_the_whole_store_are_sentences(tmp_path: Path, monkeypatch) -> None:
    with sqlite3.connect(":memory:") as db:
        db.execute("CREATE TABLE t (a)")
        db.execute("PRAGMA max_page_count=1")
        with pytest.raises(sqlite3.OperationalError) as full:
            db.executemany("INSERT INTO t VALUES (?)", [("x" * 1000,)] * 100)
    assert type(sqlite_store_error(full.value, tmp_path)) is StoreFullError
    damaged = sqlite_store_error(_sqlite_error("SQLITE_CORRUPT", "malformed"), tmp_path)
    assert type(damaged) is StoreDamagedError and "damaged (malformed)" in str(damaged)
    locked = sqlite_store_error(_sqlite_error("SQLITE_BUSY", "database is locked"), tmp_path)
    assert type(locked) is StoreError and "cannot be used (database is locked)" in str(locked)
    io_error = _sqlite_error("SQLITE_IOERR_WRITE", "disk I/O error")
    assert type(sqlite_store_error(io_error, tmp_path)) is StoreError
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: shutil._ntuple_diskusage(10, 10, 0))
    assert type(sqlite_store_error(io_error, tmp_path)) is StoreFullError
    cannot_open = _sqlite_error("SQLITE_CANTOPEN", "unable to open database file")
    assert type(sqlite_store_error(cannot_open, tmp_path)) is StoreError
    assert store_problem(cannot_open, tmp_path) is None  # no better sentence: unexpected
    assert store_problem(ValueError("a bug"), tmp_path) is None
    assert store_problem(DatabaseError("integrity check failed"), tmp_path) is None


def test_a_store_that_cannot_be_written_is_said_to_be_read_only(open_dir: Path) -> None:
    cannot_open = _sqlite_error("SQLITE_CANTOPEN", "unable to open database file")
    with as_another_user():
        assert not writable(open_dir)
        assert type(sqlite_store_error(cannot_open, open_dir)) is StoreReadOnlyError


def test_os_errors_about_the_store_are_sentences(tmp_path: Path) -> None:
    for number, kind in (
        (errno.ENOSPC, StoreFullError),
        (errno.EDQUOT, StoreFullError),
        (errno.EACCES, StoreReadOnlyError),
        (errno.EROFS, StoreReadOnlyError),
    ):
        assert type(os_store_error(OSError(number, os.strerror(number)), tmp_path)) is kind
    other = os_store_error(OSError(errno.EIO, "Input/output error"), tmp_path)
    assert str(other) == f"Cannot use {tmp_path} as a store: Input/output error."
    assert (
        str(os_store_error(OSError("odd"), tmp_path)) == f"Cannot use {tmp_path} as a store: odd."
    )


def test_free_space_and_write_access_are_judged_safely(tmp_path: Path, monkeypatch) -> None:
    assert not disk_full(tmp_path / "missing")  # cannot tell: not full
    assert writable(tmp_path)
    monkeypatch.setattr(os, "statvfs", lambda _p: os.statvfs_result((0,) * 8 + (os.ST_RDONLY, 255)))
    assert not writable(tmp_path)  # a read-only file system, whatever the folder's mode

    def no_statvfs(_path: object) -> os.statvfs_result:
        raise OSError(errno.ENOSYS, "not here")

    monkeypatch.setattr(os, "statvfs", no_statvfs)
    assert writable(tmp_path)


# --------------------------------------------------------------------- the folder
def test_a_folder_that_cannot_be_a_store_is_refused_with_a_sentence(
    tmp_path: Path, open_dir: Path
) -> None:
    (tmp_path / "a-file").write_bytes(b"x")
    with pytest.raises(StoreError, match="is a file, not a folder"):
        prepare_folder(tmp_path / "a-file")
    with pytest.raises(StoreError, match=r"Cannot use .* as a store: Not a directory"):
        prepare_folder(tmp_path / "a-file" / "store")
    hidden = open_dir / "hidden"
    hidden.mkdir(mode=0o700)
    (hidden / "letter.txt").write_bytes(b"x")
    with as_another_user(), pytest.raises(StoreReadOnlyError):
        prepare_folder(hidden)


def test_what_the_database_of_a_folder_is_before_it_is_opened(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    (folder / DB_NAME).symlink_to(DB_NAME)  # a link to itself
    with pytest.raises(StoreError, match="Too many levels of symbolic links"):
        database_state(folder)
    (folder / DB_NAME).unlink()
    with sqlite3.connect(folder / DB_NAME) as db:
        db.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
    db.close()
    state = database_state(folder)
    assert (state.revision, state.damaged) == (None, False)  # made, never migrated
    with sqlite3.connect(folder / DB_NAME) as db:
        db.execute("DROP TABLE alembic_version")
        db.execute("CREATE TABLE recipes (name TEXT)")
    db.close()
    with pytest.raises(StoreError, match="is a database, but not a Yongju store"):
        database_state(folder)


def test_a_store_readable_but_not_writable_is_read_only(open_dir: Path) -> None:
    folder = open_dir / "store"
    Store.open(folder).close()
    folder.chmod(0o755)
    (folder / DB_NAME).chmod(0o644)
    with as_another_user(), pytest.raises(StoreReadOnlyError):
        database_state(folder)  # reading a write-ahead-log database needs to write beside it


def test_whether_a_database_holds_anything(tmp_path: Path) -> None:
    with Store.open(tmp_path / "store") as store:
        assert database_holds_nothing(store.folder / DB_NAME)
        store.create_case("Ana", "employment")
        assert not database_holds_nothing(store.folder / DB_NAME)
    (tmp_path / "garbage.db").write_bytes(b"\x01" * 4096)
    assert not database_holds_nothing(tmp_path / "garbage.db")
    with sqlite3.connect(tmp_path / "other.db") as db:
        db.execute("CREATE TABLE documents (id INTEGER)")
    db.close()
    assert database_holds_nothing(tmp_path / "other.db")  # no cases table: none held


def test_an_index_that_disagrees_with_its_table_is_an_integrity_problem(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    with Store.open(folder) as store:
        store.add_document(
            sha256="ab" * 32,
            media_type="application/pdf",  # type: ignore[arg-type]
            original_name="a.pdf",
            source_path="",
            size=1,
            pages=1,
        )
    with sqlite3.connect(folder / DB_NAME) as db:
        db.execute("PRAGMA writable_schema=ON")
        db.execute(
            "UPDATE sqlite_master SET sql = replace(sql, '(text_status)', '(size)') "
            "WHERE name = 'ix_documents_text_status'"
        )
    db.close()
    with Store.open(folder) as store:
        problems = store.integrity_problems()
    assert problems and all("ix_documents_text_status" in p for p in problems)
