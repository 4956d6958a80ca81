"""The store as the window opens it: the same checks, the same records, SQLAlchemy loaded later."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.samples import Samples
from yongju.core.errors import NotFoundError, StoreDamagedError, StoreError, StoreTooNewError
from yongju.core.importing import import_files
from yongju.core.records import Origin, Role
from yongju.core.store import HEAD_REVISION, Store
from yongju.core.store import lazy as lazystore
from yongju.core.store.lazy import LazyStore


def test_it_knows_the_schema_the_store_writes() -> None:
    assert lazystore.HEAD_REVISION == HEAD_REVISION


@pytest.fixture(scope="module")
def _filled_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """One filled store for the module (making it is half a second: 5 imports, 20 writes);
    each test changes its own copy."""
    base = tmp_path_factory.mktemp("lazy-template")
    return base / "store", _fill(base / "store", Samples(base / "samples"))


@pytest.fixture
def filled(tmp_path: Path, _filled_template: tuple[Path, dict[str, int]]) -> dict[str, int]:
    """A copy of the filled store at ``tmp_path / "store"``, closed; the ids in it."""
    template, ids = _filled_template
    shutil.copytree(template, tmp_path / "store")
    return dict(ids)


def _fill(folder: Path, samples: Samples) -> dict[str, int]:
    """Cases with facts, decisions and exports; documents with every field set; covers."""
    with Store.open(folder) as store:
        paths = [samples.jpeg(f"p{i}.jpg", label=f"page {i}") for i in range(4)]
        paths.append(samples.pdf("letter.pdf", pages=3))
        ids = [r.document_id for r in import_files(store, paths) if r.document_id is not None]
        a, b, c, d, pdf = ids
        store.update_document(
            a,
            title="王喆 ID card front",
            issued=dt.date(2024, 5, 14),
            expires=dt.date(2034, 5, 13),
            notes="checked",
            language="zh",
            legalised=True,
            legalised_on=dt.date(2024, 6, 1),
            issued_in=Origin.MISSION,
        )
        store.set_page(pdf, 1, rotation=90)
        store.set_page(pdf, 2, excluded=True)
        store.set_page(pdf, 0, rotation=0)  # a page setting row that changes nothing
        case = store.create_case(
            "Ahmad محمد", "spouse_of_chinese_citizen", dt.date(2027, 1, 2), "notes", {"city": "x"}
        )
        store.set_facts(case.id, {"agent": "no"})
        store.decide_slot(case.id, "sp_owner_consent", False, "We own the flat.")
        store.decide_slot(case.id, "ncr_foreign", True)
        other = store.create_case("another", "employment")
        first = store.file_document(case.id, "ncr_foreign", a)
        second = store.file_document(case.id, "ncr_foreign", b)
        apostille = store.file_document(case.id, "ncr_foreign", c, Role.LEGALISATION, first.id)
        store.set_covers(apostille.id, second.id, True)
        store.file_document(other.id, "passport", a)
        store.record_export(case.id, "/tmp/a.pdf", 12, 3456, "ab" * 32, '{"slots": []}')
        store.record_export(other.id, "/tmp/b.pdf", 1, 2, "cd" * 32, "{}")
        return {"case": case.id, "other": other.id, "pdf": pdf, "d": d}


def test_the_first_screen_reads_give_what_the_store_gives(
    tmp_path: Path, filled: dict[str, int]
) -> None:
    folder = tmp_path / "store"
    ids = filled
    lazy = LazyStore.open(folder)
    assert not lazy.loaded  # nothing needed SQLAlchemy so far
    with Store.open(folder) as store:
        assert lazy.cases() == store.cases()
        for key in (ids["case"], str(ids["case"]), "Ahmad محمد", "ANOTHER"):
            assert lazy.case(key) == store.case(key)
        assert lazy.filings() == store.filings()
        assert lazy.filings(ids["case"]) == store.filings(ids["case"])
        assert lazy.filings(document_id=ids["pdf"]) == store.filings(document_id=ids["pdf"])
        assert lazy.documents() == store.documents()
        assert lazy.documents([ids["pdf"], ids["d"], 999]) == store.documents(
            [ids["pdf"], ids["d"], 999]
        )
        assert lazy.inbox() == store.inbox() and len(store.inbox()) == 2
        assert lazy.exports() == store.exports()
        assert lazy.exports(ids["other"]) == store.exports(ids["other"])
        assert lazy.blob_path("ab" * 32) == store.blob_path("ab" * 32)
        assert (lazy.cache_dir, lazy.log_dir) == (store.cache_dir, store.log_dir)
        with pytest.raises(NotFoundError) as lazily:
            lazy.case("nobody")
        with pytest.raises(NotFoundError) as really:
            store.case("nobody")
        assert str(lazily.value) == str(really.value)
    assert not lazy.loaded
    lazy.close()  # nothing to close yet


def test_anything_else_loads_the_store_and_then_everything_is_the_stores(
    tmp_path: Path, filled: dict[str, int]
) -> None:
    folder = tmp_path / "store"
    ids = filled
    lazy = LazyStore.open(folder)
    assert lazy.document_count() == 5 and lazy.loaded  # not one of the first screen's reads
    real = lazy.load()
    assert isinstance(real, Store) and lazy.load() is real
    renamed = lazy.update_case(ids["other"], name="renamed")
    assert lazy.case(ids["other"]) == renamed == real.case("renamed")
    assert lazy.cases() == real.cases() and lazy.inbox() == real.inbox()
    assert lazy.filings(ids["case"]) == real.filings(ids["case"])
    assert lazy.documents([ids["d"]]) == real.documents([ids["d"]])
    assert lazy.exports(ids["case"]) == real.exports(ids["case"])
    with pytest.raises(AttributeError):
        lazy.no_such_thing  # noqa: B018
    lazy.close()
    assert real.engine.pool.checkedout() == 0


def test_opening_does_not_import_sqlalchemy(tmp_path: Path, filled: dict[str, int]) -> None:
    folder = tmp_path / "store"
    script = (
        "import sys; from yongju.core.store.lazy import LazyStore; "
        f"s = LazyStore.open({str(folder)!r}); s.cases(); s.inbox(); "
        "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'alembic'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def test_a_new_store_is_created_at_once(tmp_path: Path) -> None:
    lazy = LazyStore.open(tmp_path / "new")
    assert lazy.loaded and lazy.cases() == []
    lazy.close()


def test_an_old_store_is_upgraded_at_once(tmp_path: Path) -> None:
    from tests.old_stores import old_store

    folder = tmp_path / "old"
    with old_store(folder, "0003"):
        pass
    lazy = LazyStore.open(folder)
    assert lazy.loaded and lazy.cases() == []
    lazy.close()
    with sqlite3.connect(folder / "yongju.db") as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0004"


def test_a_newer_or_damaged_store_is_refused_with_the_stores_own_sentence(
    tmp_path: Path, samples
) -> None:
    newer = tmp_path / "newer"
    Store.open(newer).close()
    with sqlite3.connect(newer / "yongju.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreTooNewError, match="newer Yongju"):
        LazyStore.open(newer)
    damaged = tmp_path / "damaged"
    with Store.open(damaged) as store:
        import_files(store, [samples.jpeg("a.jpg")])
    (damaged / "yongju.db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreDamagedError) as lazily:
        LazyStore.open(damaged)
    with pytest.raises(StoreDamagedError) as really:
        Store.open(damaged)
    assert str(lazily.value) == str(really.value)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "holiday.jpg").write_bytes(b"someone else's")
    with pytest.raises(StoreError, match="not empty and not a Yongju store"):
        LazyStore.open(foreign)


def test_damage_found_by_a_first_screen_read_is_the_stores_sentence(
    tmp_path: Path, filled: dict[str, int]
) -> None:
    folder = tmp_path / "store"
    lazy = LazyStore.open(folder)
    (folder / "yongju.db").write_bytes(b"this is not sqlite" * 100)
    for wal in ("yongju.db-wal", "yongju.db-shm"):
        (folder / wal).unlink(missing_ok=True)
    with pytest.raises(StoreDamagedError, match="yongju doctor --repair"):
        lazy.inbox()


def test_an_os_error_while_checking_is_the_stores_sentence(
    tmp_path: Path, filled: dict[str, int], monkeypatch
) -> None:
    import errno

    from yongju.core.store import store as store_module

    folder = tmp_path / "store"

    def failing(_folder: Path, **_keep: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(lazystore, "database_state", failing)
    monkeypatch.setattr(store_module, "database_state", failing)
    with pytest.raises(StoreError) as lazily:
        LazyStore.open(folder)
    with pytest.raises(StoreError) as really:
        Store.open(folder)
    assert str(lazily.value) == str(really.value)


def test_a_read_that_cannot_reach_the_database_says_so(
    tmp_path: Path, filled: dict[str, int]
) -> None:
    folder = tmp_path / "store"
    lazy = LazyStore.open(folder)
    assert getattr(lazy, "__wrapped__", None) is None and not lazy.loaded  # no load for dunders
    with sqlite3.connect(folder / "yongju.db") as conn:
        conn.execute("DROP TABLE exports")
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        lazy.exports()  # not damage: the error as it is
    for name in ("yongju.db", "yongju.db-wal", "yongju.db-shm"):
        (folder / name).unlink(missing_ok=True)
    with pytest.raises(StoreError, match=str(folder)):
        lazy.cases()


def test_the_package_loads_the_store_at_first_use_of_its_names() -> None:
    import yongju.core.store as package

    assert package.Store is Store and package.HEAD_REVISION == HEAD_REVISION
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        package.nothing  # noqa: B018
