"""The store's operations, each branch: typed arguments in, frozen records out."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.exc import IntegrityError

from yongju.core.errors import DuplicateDocumentError, FilingError, NotFoundError
from yongju.core.records import (
    DocumentRecord,
    LaidFiling,
    MediaType,
    Origin,
    PageTextRecord,
    ProposalRecord,
    Role,
    SeenFile,
    SlotLayout,
    TextStatus,
)
from yongju.core.store import Store


def _add(store: Store, n: int, **fields: object) -> DocumentRecord:
    """A document row (no stored file: these tests are about the rows)."""
    values: dict[str, object] = {
        "sha256": f"{n:064x}",
        "media_type": MediaType.PDF,
        "original_name": f"scan-{n}.pdf",
        "source_path": f"/scans/scan-{n}.pdf",
        "size": 1000 + n,
        "pages": 3,
    }
    values.update(fields)
    return store.add_document(**values)  # type: ignore[arg-type]


# --------------------------------------------------------------------- documents
def test_a_document_is_added_with_what_was_given_and_defaults_for_the_rest(store: Store) -> None:
    plain = _add(store, 1)
    assert (plain.title, plain.notes, plain.language, plain.issued_in) == ("", "", None, None)
    assert (plain.encrypted, plain.has_text, plain.legalised) == (False, False, False)
    assert plain.text_status is TextStatus.PENDING and plain.media_type is MediaType.PDF
    assert abs(plain.imported_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    when = dt.datetime(2026, 5, 1, 12, 30)
    full = _add(
        store,
        2,
        media_type=MediaType.JPEG,
        width_px=2480,
        height_px=3508,
        dpi=300.0,
        encrypted=True,
        password="secret",
        has_text=True,
        title="Passport",
        notes="renewed",
        language="en",
        issued_in=Origin.ABROAD,
        legalised=True,
        suggested_slot="passport",
        imported_at=when,
    )
    assert (full.width_px, full.height_px, full.dpi) == (2480, 3508, 300.0)
    assert (full.title, full.notes, full.language, full.issued_in) == (
        "Passport",
        "renewed",
        "en",
        Origin.ABROAD,
    )
    assert full.legalised and full.encrypted and full.has_text
    assert full.suggested_slot == "passport" and full.media_type is MediaType.JPEG
    assert full.imported_at == when.replace(tzinfo=dt.UTC)
    assert store.document_password(full.id) == "secret"
    assert store.document(full.id) == full
    assert store.find_by_sha(full.sha256) == full and store.find_by_sha("0" * 63 + "f") is None
    assert store.document_count() == 2


def test_the_same_bytes_added_twice_name_the_document_stored_first(store: Store) -> None:
    first = _add(store, 7, title="First")
    with pytest.raises(DuplicateDocumentError) as raised:
        _add(store, 7, title="Second")
    assert raised.value.document == first
    assert str(raised.value) == f"This file is already in the store as document {first.id}."
    assert store.document_count() == 1


def test_a_row_the_database_refuses_for_another_reason_is_not_called_a_duplicate(
    store: Store,
) -> None:
    with pytest.raises(IntegrityError):  # a bug of the caller's: said as it is
        _add(store, 8, original_name=None)
    assert store.document_count() == 0


def test_only_the_fields_given_change(store: Store) -> None:
    doc = _add(store, 1, title="Passport", notes="old", language="en")
    changed = store.update_document(
        doc.id,
        issued=dt.date(2020, 1, 2),
        expires=dt.date(2030, 1, 1),
        legalised=True,
        legalised_on=dt.date(2021, 3, 4),
        issued_in=Origin.CHINA,
    )
    assert (changed.title, changed.notes, changed.language) == ("Passport", "old", "en")
    assert (changed.issued, changed.expires, changed.legalised_on) == (
        dt.date(2020, 1, 2),
        dt.date(2030, 1, 1),
        dt.date(2021, 3, 4),
    )
    assert changed.legalised and changed.issued_in is Origin.CHINA
    emptied = store.update_document(doc.id, title=None, notes=None, language=None)
    assert (emptied.title, emptied.notes, emptied.language) == ("", "", None)
    assert emptied.issued == dt.date(2020, 1, 2)
    assert store.update_document(doc.id) == emptied
    assert store.set_origin(doc.id, None).issued_in is None
    with pytest.raises(NotFoundError, match="no document with id 999"):
        store.update_document(999, title="x")
    with pytest.raises(NotFoundError, match="no document with id 999"):
        store.document(999)
    with pytest.raises(TypeError):
        store.update_document(doc.id, colour="red")  # type: ignore[call-arg]


def test_pages_are_rotated_and_excluded_one_setting_at_a_time(store: Store) -> None:
    doc = _add(store, 1)
    rotated = store.set_page(doc.id, 1, rotation=-90)
    assert [(p.index, p.rotation, p.excluded) for p in rotated.page_settings] == [(1, 270, False)]
    excluded = store.set_page(doc.id, 1, excluded=True)
    assert [(p.index, p.rotation, p.excluded) for p in excluded.page_settings] == [(1, 270, True)]
    assert store.set_page(doc.id, 1, rotation=0, excluded=False).page_settings == ()
    assert store.documents([doc.id])[0].page_settings == ()
    with pytest.raises(ValueError, match="multiple of 90"):
        store.set_page(doc.id, 0, rotation=45)
    with pytest.raises(NotFoundError, match="has no page 4"):
        store.set_page(doc.id, 3, rotation=90)


def test_the_inbox_lists_unfiled_documents_newest_first(store: Store) -> None:
    a, b, c = (_add(store, n) for n in (1, 2, 3))
    store.set_page(b.id, 0, rotation=180)
    case = store.create_case("Ana", "employment")
    store.file_document(case.id, "passport", a.id)
    inbox = store.inbox()
    assert [d.id for d in inbox] == [c.id, b.id]
    assert [p.rotation for p in inbox[1].page_settings] == [180]
    assert [d.id for d in store.documents()] == [a.id, b.id, c.id]
    assert [d.id for d in store.documents([c.id, a.id])] == [a.id, c.id]


def test_what_doctor_and_backup_ask_of_the_documents(store: Store) -> None:
    a, b = _add(store, 1), _add(store, 2)
    assert store.document_files() == [(a.id, a.sha256, a.size), (b.id, b.sha256, b.size)]
    assert store.integrity_problems() == [] and store.foreign_key_problems() == []


# --------------------------------------------------------------------- reading
def test_reading_is_saved_proposed_accepted_and_dismissed(store: Store) -> None:
    doc = _add(store, 1, title="Scan 1", language="en")
    other = _add(store, 2)
    assert store.pending_reading() == [doc.id, other.id]
    store.set_text_status([other.id], TextStatus.FAILED, "the engine crashed")
    failed = store.document(other.id)
    assert (failed.text_status, failed.text_error) == (TextStatus.FAILED, "the engine crashed")
    assert store.pending_reading() == [doc.id]
    pages = [PageTextRecord(doc.id, 0, "PASSPORT 100%_sure", "rapidocr", "3.4")]
    proposals = [
        ProposalRecord(doc.id, "slot", "passport", 1, "PASSPORT"),
        ProposalRecord(doc.id, "title", "Passport", 1, "PASSPORT"),
        ProposalRecord(doc.id, "language", "en", 1, "PASSPORT"),  # what it says already
        ProposalRecord(doc.id, "expires", "2031-05-01", 1, "01 MAY 2031"),
        ProposalRecord(doc.id, "issued_in", "abroad", 1, "BELGIUM"),
    ]
    done = store.save_reading(doc.id, pages, proposals, ["check digit wrong", ""])
    assert done.text_status is TextStatus.DONE and done.suggested_slot == "passport"
    assert store.page_texts(doc.id) == pages
    assert store.reading_notes(doc.id) == ["check digit wrong"]
    assert [p.field for p in store.proposals([doc.id])] == [
        "expires",
        "issued_in",
        "slot",
        "title",
    ]
    assert len(store.proposals()) == 4
    assert store.documents_with_text("100%_") == {doc.id}
    assert store.documents_with_text("100%x") == set() and store.documents_with_text("  ") == set()
    with pytest.raises(NotFoundError, match="no proposed language"):
        store.accept_proposals(doc.id, ["language"])
    titled = store.accept_proposals(doc.id, ["title"])
    assert titled.title == "Passport" and titled.expires is None
    accepted = store.accept_proposals(doc.id)
    assert (accepted.expires, accepted.issued_in) == (dt.date(2031, 5, 1), Origin.ABROAD)
    assert [p.field for p in store.proposals([doc.id])] == ["slot"]
    assert store.accept_proposals(doc.id, ["slot"]) == accepted  # the caller files it
    assert store.proposals([doc.id]) == []
    with pytest.raises(ValueError, match="not a field a proposal can set: notes"):
        store.save_reading(doc.id, [], [ProposalRecord(doc.id, "notes", "x", 1, "x")])
    assert store.page_texts(doc.id) == pages  # the whole reading was refused
    again = store.save_reading(doc.id, [], [])
    assert store.page_texts(doc.id) == [] and again.text_status is TextStatus.DONE


# --------------------------------------------------------------------- cases
def test_a_case_changes_only_the_fields_given(store: Store) -> None:
    case = store.create_case("Ana", "employment", dt.date(2027, 1, 1), "first", {"city": "x"})
    other = store.create_case("Bo", "employment")
    renamed = store.update_case(case.id, profile_id="spouse_of_chinese_citizen", notes=None)
    assert (renamed.name, renamed.profile_id, renamed.notes) == (
        "Ana",
        "spouse_of_chinese_citizen",
        "",
    )
    assert renamed.submission_date == dt.date(2027, 1, 1) and renamed.facts == (("city", "x"),)
    assert store.update_case(case.id, name="ANA").name == "ANA"  # its own name, recased
    with pytest.raises(FilingError, match="already a case named 'bo'"):
        store.update_case(case.id, name="bo")
    with pytest.raises(FilingError, match="needs a name"):
        store.update_case(other.id, name="   ")
    assert [c.name for c in store.cases()] == ["ANA", "Bo"]
    assert store.case(str(other.id)).name == "Bo" and store.case(" bo ").id == other.id
    with pytest.raises(NotFoundError, match="no case named 'Cy'"):
        store.case("Cy")
    with pytest.raises(NotFoundError, match="no case named '4242'"):
        store.case(4242)


def test_slot_decisions_and_facts_are_set_changed_and_forgotten(store: Store) -> None:
    case = store.create_case("Ana", "employment")
    assert store.decide_slot(case.id, "degree", None).decisions == ()  # nothing to forget
    case = store.set_not_applicable(case.id, "degree", True, " no degree ")
    assert case.not_applicable == frozenset({"degree"})
    case = store.set_not_applicable(case.id, "degree", False)
    assert case.decisions == ()
    case = store.set_facts(case.id, {"city": "shanghai", "agent": None})
    case = store.set_facts(case.id, {"city": "beijing"})
    assert case.facts == (("city", "beijing"),)


# --------------------------------------------------------------------- filings
def test_roles_and_covers_change_within_a_slot(store: Store) -> None:
    case = store.create_case("Ana", "employment")
    a, b, c, d = (_add(store, n).id for n in (1, 2, 3, 4))
    first = store.file_document(case.id, "degree", a)
    second = store.file_document(case.id, "degree", b, position=0)
    assert [f.document_id for f in store.filings(case.id)] == [b, a]
    with pytest.raises(FilingError, match="already filed"):
        store.file_document(case.id, "degree", a)
    with pytest.raises(FilingError, match="before its translation"):
        store.file_document(case.id, "payslip", c, Role.TRANSLATION)
    stamp = store.file_document(case.id, "degree", c, Role.LEGALISATION)
    assert stamp.parent_id == first.id  # the last original of the slot
    with pytest.raises(FilingError, match=f"Filing {stamp.id} is not an original"):
        store.file_document(case.id, "degree", d, Role.TRANSLATION, stamp.id)
    moved = store.set_filing_role(stamp.id, Role.TRANSLATION, second.id)
    assert (moved.role, moved.parent_id) == (Role.TRANSLATION, second.id)
    with pytest.raises(FilingError, match="is not a legalisation"):
        store.set_covers(moved.id, first.id, True)
    stamp = store.set_filing_role(stamp.id, Role.LEGALISATION, first.id)
    assert store.set_covers(stamp.id, first.id, True).covers == ()  # its own original
    assert store.set_covers(stamp.id, second.id, True).covers == (second.id,)
    assert store.set_covers(stamp.id, second.id, True).covers == (second.id,)
    assert store.set_covers(stamp.id, second.id, False).covers == ()
    assert store.set_covers(stamp.id, second.id, False).covers == ()
    elsewhere = store.file_document(case.id, "payslip", d)
    with pytest.raises(FilingError, match=f"Filing {elsewhere.id} is not an original"):
        store.set_covers(stamp.id, elsewhere.id, True)
    original = store.set_filing_role(stamp.id, Role.ORIGINAL)
    assert (original.role, original.parent_id) == (Role.ORIGINAL, None)
    order = store.move_filing(first.id, 99)
    assert [f.document_id for f in order] == [b, c, a]
    assert [f.document_id for f in store.filings(document_id=a)] == [a]
    with pytest.raises(NotFoundError, match="no filing with id 999"):
        store.unfile(999)


def test_restoring_a_slot_brings_back_exactly_its_covers(store: Store) -> None:
    case = store.create_case("Ana", "employment")
    a, b, c = (_add(store, n).id for n in (1, 2, 3))
    first = store.file_document(case.id, "degree", a)
    second = store.file_document(case.id, "degree", b)
    stamp = store.file_document(case.id, "degree", c, Role.LEGALISATION, first.id)
    store.set_covers(stamp.id, second.id, True)
    covered = store.slot_layout(case.id, "degree")
    assert covered.filings[2] == LaidFiling(c, Role.LEGALISATION, a, (b,))
    store.set_covers(stamp.id, second.id, False)
    uncovered = store.slot_layout(case.id, "degree")
    store.restore_slot(covered)
    assert store.slot_layout(case.id, "degree") == covered
    store.restore_slot(uncovered)
    assert store.slot_layout(case.id, "degree") == uncovered
    with pytest.raises(NotFoundError, match="no case with id 99"):
        store.restore_slot(SlotLayout(99, "degree", ()))


# --------------------------------------------------------------------- watched folders, exports
def test_watched_files_are_remembered_replaced_and_forgotten_per_folder(store: Store) -> None:
    doc = _add(store, 1)
    when = dt.datetime(2026, 11, 30, 8, 0)
    seen = SeenFile("a.pdf", 10, 111, "ab" * 32, "imported", "", doc.id, when)
    store.remember_watched("/scans", [seen, SeenFile("b.pdf", 5, 222, None, "refused", "empty")])
    store.remember_watched("/other", [SeenFile("a.pdf", 1, 1, None, "refused")])
    remembered = {f.rel_path: f for f in store.watched_files("/scans")}
    assert remembered["a.pdf"] == seen
    assert remembered["b.pdf"].handled_at is not None and remembered["b.pdf"].reason == "empty"
    store.remember_watched("/scans", [SeenFile("a.pdf", 11, 333, None, "duplicate")])
    replaced = {f.rel_path: f for f in store.watched_files("/scans")}["a.pdf"]
    assert (replaced.size, replaced.status, replaced.document_id) == (11, "duplicate", None)
    store.forget_watched("/scans", ["a.pdf", "never.pdf"])
    assert [f.rel_path for f in store.watched_files("/scans")] == ["b.pdf"]
    assert [f.size for f in store.watched_files("/other")] == [1]


def test_exports_are_recorded_per_case(store: Store, tmp_path) -> None:
    ana, bo = store.create_case("Ana", "employment"), store.create_case("Bo", "employment")
    first = store.record_export(ana.id, tmp_path / "ana.pdf", 12, 3456, "cd" * 32, "{}")
    store.record_export(bo.id, "bo.pdf", 1, 2, "ef" * 32, '{"a": 1}')
    assert (first.path, first.pages, first.size, first.manifest) == (
        str(tmp_path / "ana.pdf"),
        12,
        3456,
        "{}",
    )
    assert abs(first.created_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    assert store.exports(ana.id) == [first]
    assert [e.path for e in store.exports()] == [str(tmp_path / "ana.pdf"), "bo.pdf"]
    assert store.cache_dir == store.folder / "cache" and store.log_dir == store.folder / "logs"
