"""The store: opening, privacy, migrations, refusing newer schemas, cases and filings."""

from __future__ import annotations

import datetime as dt
import sqlite3
import stat
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from yongju.core import store as store_module
from yongju.core.errors import FilingError, NotFoundError, StoreError, StoreTooNewError
from yongju.core.importing import import_files
from yongju.core.records import Origin, Role, SlotDecision
from yongju.core.store import KNOWN_REVISIONS, Store

MIGRATIONS = Path(store_module.__file__).parent / "migrations"


def _alembic_revisions() -> list[str]:
    config = Config()
    config.set_main_option(
        "script_location", str(Path(store_module.__file__).parent / "migrations")
    )
    script = ScriptDirectory.from_config(config)
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
    with pytest.raises(StoreError, match="not a readable Yongju store"):
        Store.open(folder)


def test_upgrading_an_old_store_keeps_data_and_backs_it_up(tmp_path: Path, samples) -> None:
    """A store written at schema 0001 (before watched folders) upgrades in place."""
    from alembic import command
    from sqlalchemy import create_engine

    folder = tmp_path / "old"
    folder.mkdir()
    engine = create_engine(f"sqlite:///{folder / 'yongju.db'}")
    config = Config()
    config.set_main_option(
        "script_location", str(Path(store_module.__file__).parent / "migrations")
    )
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.exec_driver_sql(
            "INSERT INTO cases (name, profile_id, notes, created_at) "
            "VALUES ('Old Case', 'employment', 'kept', '2025-01-01 00:00:00')"
        )
    engine.dispose()

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
    from alembic import command
    from sqlalchemy import create_engine

    folder = tmp_path / "old"
    folder.mkdir()
    engine = create_engine(f"sqlite:///{folder / 'yongju.db'}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
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
    engine.dispose()

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
