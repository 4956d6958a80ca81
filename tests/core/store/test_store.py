"""The store: opening, privacy, migrations, refusing newer schemas, cases and filings."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from tests import soak
from tests.launcher import Launcher
from tests.old_stores import alembic_config, migrations_on, old_store
from yongju.core import store as store_module
from yongju.core.errors import (
    FilingError,
    NotFoundError,
    StoreDamagedError,
    StoreError,
    StoreReadOnlyError,
    StoreTooNewError,
)
from yongju.core.importing import import_files
from yongju.core.records import MediaType, Origin, Role, SlotDecision
from yongju.core.store import KNOWN_REVISIONS, Store


def _alembic_revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def test_known_revisions_match_the_migrations() -> None:
    assert list(KNOWN_REVISIONS) == _alembic_revisions()


def test_a_new_store_is_private_and_at_the_latest_schema(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "store"
    with Store.open(folder):
        pass
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "yongju.db").stat().st_mode) == 0o600
    with sqlite3.connect(folder / "yongju.db") as conn:
        assert (
            conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            == (KNOWN_REVISIONS[-1])
        )
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_store_from_a_newer_yongju_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    Store.open(folder).close()
    with sqlite3.connect(folder / "yongju.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreTooNewError, match="newer Yongju"):
        Store.open(folder)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    (folder / "yongju.db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreDamagedError, match=r"unreadable .* doctor --repair"):
        Store.open(folder)
    assert (folder / "yongju.db").read_bytes() == b"this is not sqlite" * 100


def test_upgrading_an_old_store_keeps_data_and_backs_it_up(tmp_path: Path, samples) -> None:
    """A store written at schema 0001 (before watched folders) upgrades in place."""
    folder = tmp_path / "old"
    with old_store(folder, "0001") as connection:
        connection.exec_driver_sql(
            "INSERT INTO cases (name, profile_id, notes, created_at) "
            "VALUES ('Old Case', 'employment', 'kept', '2025-01-01 00:00:00')"
        )

    with Store.open(folder) as store:
        assert [c.name for c in store.cases()] == ["Old Case"]
        assert store.case("Old Case").notes == "kept"
        with store.engine.connect() as conn:
            tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
        assert "watched_files" in tables
    backups = list((folder / "backups").glob("yongju-0001-*.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        assert conn.execute("SELECT name FROM cases").fetchall() == [("Old Case",)]


def test_upgrading_from_0002_keeps_not_applicable_slots_as_decisions(tmp_path: Path) -> None:
    """0003 turns the old not-applicable marks into decisions; documents get no origin."""
    folder = tmp_path / "old"
    with old_store(folder, "0002") as connection:
        connection.exec_driver_sql(
            "INSERT INTO cases (id, name, profile_id, notes, created_at) "
            "VALUES (1, 'Old', 'spouse_of_chinese_citizen', '', '2025-01-01 00:00:00')"
        )
        connection.exec_driver_sql(
            "INSERT INTO not_applicable (case_id, slot_id) VALUES (1, 'sp_spouse_pr')"
        )
        connection.exec_driver_sql(
            "INSERT INTO documents (id, sha256, media_type, original_name, source_path, size, "
            "pages, encrypted, has_text, title, notes, language, legalised, imported_at) VALUES "
            "(1, 'aa', 'application/pdf', 'a.pdf', '', 1, 1, 0, 0, '', '', 'zh', 1, "
            "'2025-01-01 00:00:00')"
        )

    with Store.open(folder) as store:
        case = store.case("Old")
        assert case.not_applicable == frozenset({"sp_spouse_pr"})
        assert case.decision("sp_spouse_pr") == SlotDecision("sp_spouse_pr", False, "")
        assert case.facts == ()
        (doc,) = store.documents()
        assert (doc.language, doc.legalised, doc.issued_in, doc.legalised_on) == (
            "zh",
            True,
            None,
            None,
        )


def test_facts_decisions_origin_and_covers_round_trip(store: Store, samples) -> None:
    case = store.create_case("F", "spouse_of_chinese_citizen", facts={"city": "shanghai"})
    assert case.fact("city") == "shanghai" and case.fact("agent") is None
    case = store.set_facts(case.id, {"agent": "no", "city": "beijing"})
    assert case.facts == (("agent", "no"), ("city", "beijing"))
    case = store.set_facts(case.id, {"agent": None})
    assert case.facts == (("city", "beijing"),)
    case = store.decide_slot(case.id, "sp_owner_consent", False, "  We own the flat. ")
    assert case.decision("sp_owner_consent") == SlotDecision(
        "sp_owner_consent", False, "We own the flat."
    )
    case = store.decide_slot(case.id, "sp_owner_consent", True)
    assert case.not_applicable == frozenset() and case.decision("sp_owner_consent").applies
    case = store.decide_slot(case.id, "sp_owner_consent", None)
    assert case.decisions == ()

    a, b, c = _three_documents(store, samples)
    doc = store.set_origin(a, Origin.MISSION)
    assert doc.issued_in is Origin.MISSION
    doc = store.update_document(a, legalised_on=dt.date(2026, 10, 1), issued_in=None)
    assert (doc.issued_in, doc.legalised_on) == (None, dt.date(2026, 10, 1))
    first = store.file_document(case.id, "ncr_foreign", a)
    second = store.file_document(case.id, "ncr_foreign", b)
    apostille = store.file_document(case.id, "ncr_foreign", c, Role.LEGALISATION, first.id)
    covering = store.set_covers(apostille.id, second.id, True)
    assert covering.covers == (second.id,)
    assert store.filings(case.id)[-1].covers == (second.id,)
    with pytest.raises(FilingError, match="not an original"):
        store.set_covers(apostille.id, apostille.id, True)
    store.unfile(second.id)
    assert [f.covers for f in store.filings(case.id) if f.id == apostille.id] == [()]
    store.delete_case(case.id)


def test_cases_are_created_found_renamed_and_deleted(store: Store) -> None:
    case = store.create_case("  Jan   Peeters ", "spouse_of_chinese_citizen", dt.date(2027, 3, 1))
    assert case.name == "Jan Peeters"
    assert store.case("jan peeters").id == case.id
    assert store.case(case.id).submission_date == dt.date(2027, 3, 1)
    with pytest.raises(FilingError, match="already a case"):
        store.create_case("JAN PEETERS", "employment")
    renamed = store.update_case(case.id, name="Jan P.", submission_date=None)
    assert (renamed.name, renamed.submission_date) == ("Jan P.", None)
    store.delete_case(case.id)
    with pytest.raises(NotFoundError, match="no case named"):
        store.case("Jan P.")


def _three_documents(store: Store, samples) -> list[int]:
    results = import_files(store, [samples.jpeg(f"p{i}.jpg") for i in range(3)])
    return [r.document_id for r in results if r.document_id is not None]


def test_filing_order_moves_and_unfiling(store: Store, samples) -> None:
    a, b, c = _three_documents(store, samples)
    case = store.create_case("A", "employment")
    fa = store.file_document(case.id, "passport", a)
    fb = store.file_document(case.id, "passport", b)
    fc = store.file_document(case.id, "passport", c, position=0)
    assert [f.document_id for f in store.filings(case.id)] == [c, a, b]
    store.move_filing(fc.id, 2)
    assert [f.document_id for f in store.filings(case.id)] == [a, b, c]
    store.unfile(fa.id)
    assert [(f.document_id, f.position) for f in store.filings(case.id)] == [(b, 0), (c, 1)]
    assert {d.id for d in store.inbox()} == {a}
    with pytest.raises(FilingError, match="already filed"):
        store.file_document(case.id, "passport", fb.document_id)
    with pytest.raises(NotFoundError, match="no case with id 99"):
        store.file_document(99, "passport", a)
    with pytest.raises(NotFoundError, match="no document with id 999"):
        store.file_document(case.id, "passport", 999)
    assert [f.document_id for f in store.filings(case.id)] == [b, c]


def test_a_document_may_be_filed_in_several_cases(store: Store, samples) -> None:
    (doc, *_) = _three_documents(store, samples)
    one = store.create_case("Husband", "spouse_of_chinese_citizen")
    two = store.create_case("Child", "child_joining_parents")
    store.file_document(one.id, "sp_marriage_cert", doc)
    store.file_document(two.id, "ch_parents_marriage", doc)
    assert len(store.filings(document_id=doc)) == 2


def test_translations_belong_to_an_original(store: Store, samples) -> None:
    original, translation, other = _three_documents(store, samples)
    case = store.create_case("A", "spouse_of_chinese_citizen")
    with pytest.raises(FilingError, match="before its translation"):
        store.file_document(case.id, "sp_marriage_cert", translation, Role.TRANSLATION)
    parent = store.file_document(case.id, "sp_marriage_cert", original)
    child = store.file_document(case.id, "sp_marriage_cert", translation, Role.TRANSLATION)
    assert child.parent_id == parent.id
    with pytest.raises(FilingError, match="not an original"):
        store.file_document(
            case.id, "sp_marriage_cert", other, Role.LEGALISATION, parent_id=child.id
        )
    store.unfile(parent.id)
    assert store.filings(case.id)[0].parent_id is None


def test_page_settings_are_metadata_only(store: Store, samples) -> None:
    result = import_files(store, [samples.pdf("two.pdf", pages=2)])[0]
    doc = result.document
    assert doc is not None
    blob = store.blob_path(doc.sha256).read_bytes()
    doc = store.set_page(doc.id, 1, rotation=270)
    doc = store.set_page(doc.id, 0, excluded=True)
    assert doc.page(1).rotation == 270 and doc.page(0).excluded
    assert doc.included_pages == [1]
    assert store.blob_path(doc.sha256).read_bytes() == blob
    with pytest.raises(NotFoundError, match="no page 3"):
        store.set_page(doc.id, 2, rotation=90)
    with pytest.raises(ValueError, match="multiple of 90"):
        store.set_page(doc.id, 0, rotation=45)


def test_not_applicable_slots(store: Store) -> None:
    case = store.create_case("A", "spouse_of_chinese_citizen")
    case = store.set_not_applicable(case.id, "sp_owner_consent", True)
    assert case.not_applicable == {"sp_owner_consent"}
    assert store.set_not_applicable(case.id, "sp_owner_consent", False).not_applicable == set()


def test_deleting_a_case_keeps_its_documents(store: Store, samples) -> None:
    (doc, *_) = _three_documents(store, samples)
    case = store.create_case("A", "employment")
    store.file_document(case.id, "passport", doc)
    store.delete_case(case.id)
    assert store.filings() == []
    assert store.document(doc).id == doc


# --------------------------------------------------------------------- a damaged store
def _store_with_files(folder: Path, samples) -> list[str]:
    with Store.open(folder) as opened:
        results = import_files(opened, [samples.jpeg("a.jpg"), samples.pdf("b.pdf", pages=3)])
        return [r.document.sha256 for r in results if r.document is not None]


@pytest.mark.parametrize("damage", ["emptied", "deleted", "garbled"])
def test_a_lost_database_beside_stored_files_is_a_damaged_store(
    tmp_path: Path, samples, damage: str
) -> None:
    """``: > STORE/yongju.db`` once made every command see an empty store (and repair wipe it)."""
    folder = tmp_path / "store"
    shas = _store_with_files(folder, samples)
    database = folder / "yongju.db"
    if damage == "emptied":
        database.write_bytes(b"")
    elif damage == "deleted":
        database.unlink()
    else:
        database.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreDamagedError) as caught:
        Store.open(folder)
    message = str(caught.value)
    assert "yongju doctor --repair" in message and "2 stored files" in message
    assert message.count(". ") == 0 and message.endswith(".")  # one sentence
    assert all((folder / "blobs" / sha[:2] / sha[2:]).is_file() for sha in shas)
    assert database.exists() == (damage != "deleted")  # nothing was created in its place


def test_a_new_or_emptied_store_without_files_opens(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    (folder / "yongju.db").write_bytes(b"")
    with Store.open(folder) as opened:
        assert opened.documents() == []


# --------------------------------------------------------------------- a foreign folder
def test_a_folder_that_is_not_a_store_is_refused_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(folder, 0o1777)
    (folder / "holiday.jpg").write_bytes(b"someone else's")
    with pytest.raises(StoreError, match="not empty and not a Yongju store"):
        Store.open(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o1777
    assert sorted(p.name for p in folder.iterdir()) == ["holiday.jpg"]


def test_an_existing_empty_folder_keeps_its_mode(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    os.chmod(folder, 0o1777)
    with Store.open(folder):
        pass
    assert stat.S_IMODE(folder.stat().st_mode) == 0o1777
    assert stat.S_IMODE((folder / "yongju.db").stat().st_mode) == 0o600
    assert stat.S_IMODE((folder / "blobs").stat().st_mode) == 0o700


# --------------------------------------------------------------------- processes at once
_OPENER = """
import os, sys, time
from pathlib import Path
from yongju.core.store import Store
base, rounds, me = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
for i in range(rounds):
    (base / f"ready-{i}-{me}").touch()
    deadline = time.monotonic() + 60
    while len(list(base.glob(f"ready-{i}-*"))) < 3:
        if time.monotonic() > deadline:
            sys.exit("another opener died")
        time.sleep(0.001)
    with Store.open(base / f"store-{i}") as store:
        store.create_case(f"case {me}", "employment")
"""


def test_three_processes_creating_a_store_at_once(tmp_path: Path, launcher: Launcher) -> None:
    """They once raced on CREATE TABLE ("table documents already exists"): never again."""
    rounds = soak.rounds(3, 60)  # each round a new race, three creators at one moment
    processes = [
        launcher.popen(
            [sys.executable, "-c", _OPENER, str(tmp_path), str(rounds), str(n)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(3)
    ]
    outputs = [p.communicate(timeout=600) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], outputs
    for i in range(rounds):
        with Store.open(tmp_path / f"store-{i}") as opened:
            assert sorted(c.name for c in opened.cases()) == ["case 0", "case 1", "case 2"]


_CREATOR = """
import sys
from yongju.core.store import Store
print("started", flush=True)
store = Store.open(sys.argv[1])
print("opened", flush=True)
store.close()
"""


@pytest.mark.slow
def test_a_store_creation_killed_at_any_point_leaves_a_store_that_opens(
    tmp_path: Path, launcher: Launcher, chance: soak.Chance
) -> None:
    """Creating the schema is one transaction: a kill leaves all of it or none of it."""
    whole = 0.0  # from the database file's appearing to the store's opening: the first run
    for attempt in range(1 + soak.rounds(6, 120)):  # kill moments drawn anew each run
        folder = tmp_path / f"store{attempt}"
        creator = launcher.popen(
            [sys.executable, "-c", _CREATOR, str(folder)], stdout=subprocess.PIPE, text=True
        )
        assert creator.stdout is not None and creator.stdout.readline() == "started\n"
        while not (folder / "yongju.db").exists() and creator.poll() is None:
            time.sleep(0.001)
        if attempt == 0:
            began = time.monotonic()
            assert creator.stdout.readline() == "opened\n"
            whole = time.monotonic() - began
            assert creator.wait(timeout=60) == 0
        else:
            time.sleep(chance.uniform(0.0, whole))  # somewhere while the tables are made
            creator.send_signal(signal.SIGKILL)
            creator.wait(timeout=30)
        creator.stdout.close()
        with Store.open(folder) as opened:
            assert opened.documents() == [] and opened.cases() == []
        with sqlite3.connect(folder / "yongju.db") as conn:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            assert revision == (KNOWN_REVISIONS[-1],)


def test_the_connection_that_checked_the_store_is_the_stores_first(
    store_folder: Path, monkeypatch
) -> None:
    """Opening a store and reading it connects once: the revision check's connection is
    the engine's first (closing it ended the write-ahead log that the next one made again)."""
    opened: list[object] = []
    connect = sqlite3.connect

    def counted(*args: object, **kwargs: object) -> sqlite3.Connection:
        if "mode=ro" not in str(args[0]) and "backups" not in str(args[0]):  # not a copy's
            opened.append(args[0])
        return connect(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", counted)
    monkeypatch.setattr(sqlite3.dbapi2, "connect", counted)  # SQLAlchemy's name for it
    with Store.open(store_folder) as store:
        case = store.create_case("Ana", "employment")
        assert store.case(case.id) == case
        assert len(opened) == 1
        store.disconnect()  # a repair moves the file: what was left open is closed too
        assert store.cases() == [case] and len(opened) == 2


# --------------------------------------------------------------------- rolling copies
def _copies(folder: Path) -> list[Path]:
    return sorted((folder / "backups").glob("rolling-*.db"))


def _case_names(copy: Path) -> list[str]:
    with sqlite3.connect(f"file:{copy}?mode=ro", uri=True) as conn:
        return [row[0] for row in conn.execute("SELECT name FROM cases ORDER BY id")]


def test_rolling_copies_follow_changes_at_most_one_an_interval(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    with Store.open(folder) as store:
        store.cases()  # reading takes no copy
        assert _copies(folder) == []
        store.create_case("One", "employment")  # the first change is copied at once
        (first,) = _copies(folder)
        store.create_case("Two", "employment")  # within the interval: not copied now
        assert _copies(folder) == [first] and _case_names(first) == ["One"]
    (closing,) = _copies(folder)  # closing replaces the recent copy with a whole one
    assert _case_names(closing) == ["One", "Two"]
    assert stat.S_IMODE(closing.stat().st_mode) == 0o600
    assert stat.S_IMODE((folder / "backups").stat().st_mode) == 0o700
    with Store.open(folder):
        pass  # nothing changed: no copy
    assert _copies(folder) == [closing]


def test_a_document_written_is_copied_and_details_it_already_has_take_no_copy(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "store"
    with Store.open(folder) as store:
        doc = store.add_document(
            sha256="a" * 64, media_type=MediaType.PDF, original_name="a.pdf", source_path="",
            size=1, pages=1, title="Passport",
        )  # fmt: skip
        (first,) = _copies(folder)  # the first change is copied at once
        store.copies.interval = 0.0  # from here every change is due for a copy
        same = store.update_document(doc.id, title="Passport", notes=None, language=None)
        assert same == doc and _copies(folder) == [first]
        changed = store.update_document(doc.id, notes="kept", language="zh")
        assert (changed.notes, changed.language) == ("kept", "zh")
        assert len(_copies(folder)) == 2
        assert store.document(doc.id) == changed


def test_a_change_outside_the_orm_is_copied_too(tmp_path: Path) -> None:
    """Bulk statements never flush the ORM; SQLite's own change count still sees them."""
    from sqlalchemy import text

    folder = tmp_path / "store"
    with Store.open(folder) as store:
        store.create_case("One", "employment")
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE cases SET name = 'Renamed'"))
    (copy,) = _copies(folder)
    assert _case_names(copy) == ["Renamed"]


def test_only_the_last_few_copies_are_kept(tmp_path: Path) -> None:
    with Store.open(tmp_path / "store") as store:
        store.copies.interval = 0.0  # every change is due for a copy
        for i in range(8):
            store.create_case(f"Case {i}", "employment")
        copies = _copies(store.folder)
        assert len(copies) == store.copies.keep == 5
        assert _case_names(copies[-1]) == [f"Case {i}" for i in range(8)]
        assert _case_names(copies[0]) == [f"Case {i}" for i in range(4)]


# --------------------------------------------------------------------- full and read-only
@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB file system of its own (tmpfs; needs the right to mount, as root has)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip("cannot mount a small file system here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def _cli(launcher: Launcher, *argv: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "yongju", *argv]
    return launcher.run(command, capture_output=True, text=True, timeout=120)


def test_a_full_disk_is_said_to_be_full(small_disk: Path, samples, launcher: Launcher) -> None:
    """As found: even ``docs`` said "not a readable Yongju store (disk I/O error)"."""
    folder = small_disk / "store"
    with Store.open(folder) as store:  # as `yongju import` leaves it
        (imported,) = import_files(store, [samples.jpeg()])
        assert imported.document is not None
    (filler := small_disk / "filler").write_bytes(b"")
    with filler.open("ab") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError:
            pass
    for command in (["docs"], ["doctor"], ["import", str(samples.jpeg("b.jpg"))]):
        result = _cli(launcher, "--store", str(folder), *command)
        assert result.returncode == 1, result
        assert "is full; free some space on it and try again." in result.stdout + result.stderr
        assert "Traceback" not in result.stderr and "unexpected" not in result.stderr


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Callable[[Path], None]]:
    """Makes a folder read-only for everyone, root too (a read-only bind mount)."""
    mounted: list[Path] = []

    def make(folder: Path) -> None:
        for args in (["--bind", str(folder), str(folder)], ["-o", "remount,bind,ro", str(folder)]):
            if subprocess.run(["mount", *args], capture_output=True).returncode != 0:
                pytest.skip("cannot make a read-only mount here")
        mounted.append(folder)

    yield make
    for folder in mounted:
        subprocess.run(["umount", str(folder)], check=True)


def test_importing_into_a_read_only_store_blames_the_store(
    tmp_path: Path, samples, read_only, launcher: Launcher
) -> None:
    """As found: the source file was refused, as if it were at fault."""
    folder = tmp_path / "store"
    with Store.open(folder) as store:  # as `yongju import` leaves it
        (imported,) = import_files(store, [samples.jpeg()])
        assert imported.document is not None
    read_only(folder)
    for command in (["import", str(samples.jpeg("new.jpg"))], ["docs"]):
        result = _cli(launcher, "--store", str(folder), *command)
        assert result.returncode == 1 and result.stdout == ""
        assert result.stderr == f"yongju: {StoreReadOnlyError.at(folder)}\n"


def test_a_read_only_blobs_folder_stops_the_import_with_a_sentence(
    store: Store, samples, read_only
) -> None:
    read_only(store.folder / "blobs")
    with pytest.raises(StoreReadOnlyError, match="is read-only"):
        import_files(store, [samples.jpeg("a.jpg"), samples.jpeg("b.jpg")])
    assert store.documents() == []


def test_a_bug_while_opening_the_store_is_one_line(tmp_path: Path, capsys, monkeypatch) -> None:
    """As found: the error handler opened the store again, and printed 150 lines."""
    from yongju.cli import run

    def broken(*_args: object, **_kwargs: object) -> Store:
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr(Store, "open", broken)
    status = run(["--store", str(tmp_path / "store"), "docs"])
    out, err = capsys.readouterr()
    assert status == 1 and out == ""
    assert err.count("\n") == 1 and "unexpected error (RuntimeError: a bug of ours)" in err
    log = (tmp_path / "store" / "logs" / "yongju.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "a bug of ours" in log


_BROKEN_COMMAND = """
import sys
from yongju.cli import catalogue, run

def broken(*_args):
    raise ZeroDivisionError("division by zero")

catalogue.cmd_case_list = broken
sys.exit(run(["--store", sys.argv[1], "case", "list"]))
"""


def test_a_bug_beside_a_foreign_folder_prints_no_traceback(
    tmp_path: Path, launcher: Launcher
) -> None:
    """With no store to log into, the traceback is dropped, never printed (a real process:
    pytest's own log handlers would hide the difference)."""
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "letter.txt").write_text("mine")
    result = launcher.run(
        [sys.executable, "-c", _BROKEN_COMMAND, str(folder)], capture_output=True, text=True
    )
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == "yongju: unexpected error (ZeroDivisionError: division by zero)\n"
    assert sorted(p.name for p in folder.iterdir()) == ["letter.txt"]


def test_a_slot_layout_is_restored_exactly_after_its_original_was_unfiled(
    store: Store, samples
) -> None:
    case = store.create_case("L", "spouse_of_chinese_citizen")
    a, b, c = _three_documents(store, samples)
    first = store.file_document(case.id, "ncr_foreign", a)
    translation = store.file_document(case.id, "ncr_foreign", b, Role.TRANSLATION, first.id)
    apostille = store.file_document(case.id, "ncr_foreign", c, Role.LEGALISATION, first.id)
    before = store.slot_layout(case.id, "ncr_foreign")
    assert [f.parent_document for f in before.filings] == [None, a, a]
    store.unfile(first.id)
    assert {f.parent_id for f in store.filings(case.id)} == {None}  # the links were cut
    restored = store.restore_slot(before)
    assert store.slot_layout(case.id, "ncr_foreign") == before
    assert [f.id for f in restored[1:]] == [translation.id, apostille.id]
    assert restored[1].parent_id == restored[0].id == restored[2].parent_id
    store.unfile(apostille.id)
    store.delete_document(c)  # gone since: left out, the rest still restored
    store.restore_slot(before)
    assert [f.document_id for f in store.filings(case.id)] == [a, b]


def test_a_store_created_by_another_process_meanwhile_is_not_created_again(
    tmp_path: Path, monkeypatch
) -> None:
    """Between the first look (under the shared lock) and the exclusive lock another process
    may have made the store: the second look finds it, and nothing is migrated twice."""
    from yongju.core.store import store as opening

    folder = tmp_path / "store"
    looks: list[str | None] = []
    first_look, create = opening._check_revision, opening._create

    def raced(at: Path, new_database: bool = False, keep: list | None = None) -> str | None:
        revision = first_look(at, new_database, keep)
        if not looks:  # the other process creates it right after this first look
            assert create(at / store_module.DB_NAME)
        looks.append(revision)
        return revision

    monkeypatch.setattr(opening, "_check_revision", raced)
    monkeypatch.setattr(opening, "_create", lambda _path: pytest.fail("created twice"))
    monkeypatch.setattr(opening, "_migrate", lambda _path: pytest.fail("migrated"))
    with Store.open(folder) as store:
        assert store.cases() == []
    assert looks == [None, store_module.HEAD_REVISION]
    assert not (folder / "backups").exists() or not list((folder / "backups").iterdir())


def test_every_migration_is_undone_and_redone(tmp_path: Path) -> None:
    """Each revision's downgrade takes away what its upgrade made, one step at a time."""
    from alembic import command

    folder = tmp_path / "store"
    with Store.open(folder) as store:
        store.create_case("Ana", "employment")

    def schema() -> list[tuple[str, str]]:
        with sqlite3.connect(folder / "yongju.db") as db:
            query = "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            found = sorted(db.execute(query).fetchall())
        db.close()
        return found

    head = schema()
    with migrations_on(folder) as (config, _connection):
        for target in reversed(("base", *KNOWN_REVISIONS[:-1])):
            command.downgrade(config, target)
    assert schema() == [("table", "alembic_version")]
    with Store.open(folder) as store:  # made again from nothing
        assert store.cases() == []
    assert schema() == head


def test_the_folder_checks_load_without_sqlalchemy() -> None:
    """The command line and the window's start-up read a folder before a store is opened:
    the package loads SQLAlchemy only when the store itself is asked for."""
    probe = (
        "import sys, yongju.core.store.folder, yongju.core.store.changes; "
        "print('sqlalchemy' in sys.modules); "
        "from yongju.core.store import Store; print('sqlalchemy' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "True"]
    assert store_module.Store is Store
    with pytest.raises(AttributeError, match="has no attribute 'Stor'"):
        store_module.Stor  # noqa: B018


# --------------------------------------------------------------------- compiled statements
def test_a_store_opened_after_another_compiles_no_statement_again(tmp_path: Path) -> None:
    """Every store's engine has its own dialect object, yet they share compiled statements
    (each store opened, each command run in-process, compiled everything anew)."""
    from sqlalchemy import event

    def run_through(folder: Path) -> tuple[list[bool], list[str]]:
        hits: list[bool] = []
        with Store.open(folder) as opened:

            def seen(_conn, _cursor, _sql, _params, context, _many) -> None:
                hits.append(context.cache_hit == context.dialect.CACHE_HIT)

            event.listen(opened.engine, "after_cursor_execute", seen)
            case = opened.create_case(f"Case in {folder.name}", "employment")
            opened.decide_slot(case.id, "passport", False, "lost")
            names = [c.name for c in opened.cases()]
            assert opened.case(case.name).decision("passport") is not None
        return hits, names

    run_through(tmp_path / "first")
    hits, names = run_through(tmp_path / "second")
    assert names == ["Case in second"]  # its own database, never the first one's
    assert hits and all(hits), hits


def test_dialects_are_equal_only_when_made_alike() -> None:
    import sqlite3 as driver

    from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

    from yongju.core.store.store import StoreDialect

    made = StoreDialect(dbapi=driver)
    assert made == StoreDialect(dbapi=driver) and hash(made) == hash(StoreDialect(dbapi=driver))
    assert made != StoreDialect(dbapi=driver, paramstyle="named")
    assert made != SQLiteDialect_pysqlite(dbapi=driver)

    class Other(StoreDialect):
        pass

    assert made != Other(dbapi=driver)
