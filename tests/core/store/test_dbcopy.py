"""Copies of the database: taken whole or not at all, read and trimmed without a store."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from yongju.core import atomicwrite
from yongju.core.errors import DatabaseError
from yongju.core.store import DB_NAME, HEAD_REVISION, Store
from yongju.core.store.changes import ChangeCounter
from yongju.core.store.dbcopy import (
    ROLLING_PREFIX,
    RollingCopies,
    copy_database,
    drop_documents,
    is_readable_copy,
    read_copy,
)


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _store_with_documents(tmp_path_factory.mktemp("dbcopy") / "store").parent


@pytest.fixture
def database(tmp_path: Path, _template: Path) -> Path:
    """A store's database with three documents (one filed) and a case: a copy of one made
    once for the module, in ``tmp_path / "store"``."""
    shutil.copytree(_template, tmp_path / "store")
    return tmp_path / "store" / DB_NAME


def _store_with_documents(folder: Path) -> Path:
    """A store's database with three documents (one filed) and a case."""
    with Store.open(folder) as store:
        case = store.create_case("Ana", "employment")
        for n in (1, 2, 3):
            doc = store.add_document(
                sha256=f"{n:064x}",
                media_type="application/pdf",  # type: ignore[arg-type]
                original_name=f"{n}.pdf",
                source_path="",
                size=n,
                pages=1,
            )
        store.file_document(case.id, "passport", doc.id)
    return folder / DB_NAME


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".copy-"))


def test_a_copy_is_read_and_trimmed_without_opening_a_store(tmp_path: Path, database: Path) -> None:
    copy = tmp_path / "copy.db"
    copy_database(database, copy)
    assert oct(copy.stat().st_mode & 0o777) == "0o600"
    contents = read_copy(copy, check=True)
    assert contents.revision == HEAD_REVISION and contents.cases == 1
    assert contents.documents == tuple((n, f"{n:064x}") for n in (1, 2, 3))
    drop_documents(copy, [3, 1])
    assert read_copy(copy).documents == ((2, f"{2:064x}"),)
    with sqlite3.connect(copy) as db:  # the filing of a dropped document went with it
        assert db.execute("SELECT count(*) FROM filings").fetchone() == (0,)
    db.close()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="names open files via /proc")
def test_a_copy_is_whole_and_on_disk_before_it_replaces_the_target(
    tmp_path: Path, database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite writes the copy unsynced; the file is synced whole, then renamed, then its
    folder synced: a crash leaves the old copy or the new one."""
    source = database
    target = tmp_path / "copies" / "copy.db"
    target.parent.mkdir()
    target.write_bytes(b"the old copy")
    synced: list[tuple[str, bool]] = []
    real_fsync = atomicwrite.os.fsync

    def fsync(fd: int) -> None:
        path = Path(os.readlink(f"/proc/self/fd/{fd}"))
        whole = path.is_file() and is_readable_copy(path)
        synced.append((path.name if path.is_file() else "folder", whole))
        assert target.read_bytes() == b"the old copy" or path == target.parent
        real_fsync(fd)

    monkeypatch.setattr(atomicwrite.os, "fsync", fsync)
    copy_database(source, target)
    assert [whole for _name, whole in synced] == [True, False]
    assert synced[0][0].startswith(".copy.db.") and synced[1][0] == "folder"
    assert read_copy(target, check=True).documents == read_copy(source).documents
    with sqlite3.connect(target) as db:  # one self-contained file
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    db.close()


def test_a_copy_that_fails_leaves_nothing_behind(tmp_path: Path, database: Path) -> None:
    (tmp_path / "garbage.db").write_bytes(b"\x01" * 4096)
    with pytest.raises(DatabaseError, match="file is not a database") as raised:
        copy_database(tmp_path / "garbage.db", tmp_path / "copy.db")
    assert isinstance(raised.value.__cause__, sqlite3.DatabaseError)
    (tmp_path / "taken").mkdir()
    with pytest.raises(IsADirectoryError):
        copy_database(database, tmp_path / "taken")
    assert _leftovers(tmp_path) == [] and not (tmp_path / "copy.db").exists()


def test_a_copy_that_cannot_be_read_is_a_database_error(tmp_path: Path) -> None:
    (tmp_path / "garbage.db").write_bytes(b"\x01" * 4096)
    with pytest.raises(DatabaseError, match="file is not a database"):
        read_copy(tmp_path / "garbage.db")
    with pytest.raises(DatabaseError, match="file is not a database"):
        drop_documents(tmp_path / "garbage.db", [1])
    with sqlite3.connect(tmp_path / "unversioned.db") as db:
        db.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
    db.close()
    with pytest.raises(DatabaseError, match="it has no schema revision"):
        read_copy(tmp_path / "unversioned.db")


def test_a_copy_whose_index_disagrees_with_its_table_fails_the_check(
    tmp_path: Path, database: Path
) -> None:
    copy = tmp_path / "copy.db"
    copy_database(database, copy)
    with sqlite3.connect(copy) as db:  # the index on text_status now claims to index size
        db.execute("PRAGMA writable_schema=ON")
        changed = db.execute(
            "UPDATE sqlite_master SET sql = replace(sql, '(text_status)', '(size)') "
            "WHERE type = 'index' AND tbl_name = 'documents' AND sql LIKE '%(text_status)%'"
        )
        assert changed.rowcount == 1
    db.close()
    assert read_copy(copy).cases == 1  # readable, unchecked
    with pytest.raises(DatabaseError, match="integrity check failed"):
        read_copy(copy, check=True)
    assert is_readable_copy(copy)  # quick_check does not compare an index with its table


def test_only_a_whole_database_is_a_readable_copy(tmp_path: Path, database: Path) -> None:
    copy = tmp_path / "copy.db"
    copy_database(database, copy)
    assert is_readable_copy(copy)
    (tmp_path / "garbage.db").write_bytes(b"\x01" * 4096)
    assert not is_readable_copy(tmp_path / "garbage.db")
    assert not is_readable_copy(tmp_path / "missing.db")


def test_a_copy_named_like_a_rolling_one_but_not_stamped_is_dated_by_its_file(
    database: Path,
) -> None:
    backups = database.parent / "backups"
    odd = backups / f"{ROLLING_PREFIX}not-a-time.db"
    odd.write_bytes(b"")
    os.utime(odd, (1_700_000_000, 1_700_000_000))
    before_upgrade = backups / "yongju-0003-20260101-000000.db"
    before_upgrade.write_bytes(b"")
    os.utime(before_upgrade, (1_600_000_000, 1_600_000_000))
    (backups / ".copy-unfinished.db").write_bytes(b"")
    (backups / "notes.txt").write_bytes(b"")
    copies = RollingCopies(database).copies()
    assert odd in [c.path for c in copies]
    assert [c.taken.timestamp() for c in copies if c.path == odd] == [1_700_000_000]
    assert copies[-1].path == before_upgrade and copies[-1].taken.timestamp() == 1_600_000_000
    assert all(c.path.suffix == ".db" and not c.path.name.startswith(".") for c in copies)


def test_the_change_counter_says_minus_one_when_it_cannot_read(database: Path) -> None:
    counter = ChangeCounter(database)
    assert counter.value() >= 0
    database.write_bytes(b"\x01" * 8192)  # replaced under it by something unreadable
    assert counter.value() == -1
    counter.close()
    counter.close()  # closing twice is harmless
    assert counter.value() == -1
