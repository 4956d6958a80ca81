"""The checklist: every slot state, validity windows against the planned submission date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.samples import document_record
from yongju.core.checklist import SlotState, build_checklist, compute_slot
from yongju.core.importing import import_files
from yongju.core.profiles import Legalisation, Requirement, Slot, Validity
from yongju.core.records import CaseRecord, DocumentRecord, FilingRecord, Role, SlotDecision
from yongju.core.store import Store

TODAY = dt.date(2026, 11, 27)
SUBMISSION = dt.date(2027, 3, 1)


def _case(**kw) -> CaseRecord:
    values = dict(
        id=1,
        name="A",
        profile_id="p",
        submission_date=SUBMISSION,
        notes="",
        created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    values.update(kw)
    return CaseRecord(**values)


def _doc(doc_id: int, **kw) -> DocumentRecord:
    values = dict(
        id=doc_id, sha256=f"{doc_id:064x}", original_name=f"d{doc_id}", title=f"Doc {doc_id}"
    )
    return document_record(**{**values, **kw})


def _filing(
    filing_id: int,
    doc_id: int,
    role: Role = Role.ORIGINAL,
    parent: int | None = None,
    slot: str = "s",
) -> FilingRecord:
    return FilingRecord(filing_id, 1, slot, doc_id, role, filing_id, parent)


NCR = Slot(
    id="s",
    title_en="Police certificate",
    title_zh="无犯罪记录证明",
    translation=True,
    legalisation=Legalisation.APOSTILLE,
    validity=Validity(issued_within_days=180),
)
DEPOSIT = Slot(
    id="s",
    title_en="Deposit",
    title_zh="存款",
    legalisation=Legalisation.NOTARISED,
    validity=Validity(valid_days_after_submission=183),
)
PASSPORT = Slot(id="s", title_en="Passport", title_zh="护照", validity=Validity(not_expired=True))


def _state(slot, docs, filings, case=None):
    return compute_slot(slot, case or _case(), filings, {d.id: d for d in docs}, TODAY)


def test_an_empty_required_slot_is_missing_and_an_empty_conditional_one_is_not() -> None:
    assert _state(PASSPORT, [], []).state is SlotState.MISSING
    conditional = Slot(
        id="s",
        title_en="x",
        title_zh="x",
        requirement=Requirement.CONDITIONAL,
        condition="if an agent files",
    )
    assert _state(conditional, [], []).state is SlotState.OPTIONAL_EMPTY
    assert _state(
        PASSPORT, [], [], _case(decisions=(SlotDecision("s", False, "reason"),))
    ).state is (SlotState.NOT_APPLICABLE)


def test_a_slot_wanting_two_documents_counts_them() -> None:
    slot = Slot(id="s", title_en="x", title_zh="x", min_documents=2)
    status = _state(slot, [_doc(1)], [_filing(1, 1)])
    assert status.state is SlotState.MISSING and "1 more document needed" in status.message


def test_dates_are_needed_where_the_slot_has_rules() -> None:
    assert _state(NCR, [_doc(1, legalised=True)], [_filing(1, 1)]).state is SlotState.NEEDS_DATE
    assert _state(PASSPORT, [_doc(1)], [_filing(1, 1)]).state is SlotState.NEEDS_DATE


def test_foreign_papers_need_translation_and_apostille_chinese_ones_do_not() -> None:
    issued = SUBMISSION - dt.timedelta(days=30)
    foreign = _doc(1, issued=issued)
    status = _state(NCR, [foreign], [_filing(1, 1)])
    assert status.state is SlotState.NEEDS_LEGALISATION
    assert "needs a Chinese translation" in status.message
    docs = [foreign, _doc(2), _doc(3)]
    filings = [_filing(1, 1), _filing(2, 2, Role.LEGALISATION, 1)]
    assert _state(NCR, docs, filings).state is SlotState.NEEDS_TRANSLATION
    filings.append(_filing(3, 3, Role.TRANSLATION, 1))
    assert _state(NCR, docs, filings).state is SlotState.OK
    chinese = _doc(1, issued=issued, language="zh")
    assert _state(NCR, [chinese], [_filing(1, 1)]).state is SlotState.OK


def test_notarised_slots_need_notarisation_even_for_chinese_papers() -> None:
    deposit = _doc(1, expires=SUBMISSION + dt.timedelta(days=400), language="zh")
    assert _state(DEPOSIT, [deposit], [_filing(1, 1)]).state is SlotState.NEEDS_LEGALISATION
    notarised = _doc(1, expires=SUBMISSION + dt.timedelta(days=400), legalised=True)
    assert _state(DEPOSIT, [notarised], [_filing(1, 1)]).state is SlotState.OK


@pytest.mark.parametrize(
    ("issued", "state"),
    [
        (SUBMISSION - dt.timedelta(days=180), SlotState.OK),
        (SUBMISSION - dt.timedelta(days=181), SlotState.EXPIRES_BEFORE_SUBMISSION),
        (TODAY - dt.timedelta(days=181), SlotState.EXPIRED),
    ],
)
def test_issued_within_six_months_of_submission(issued: dt.date, state: SlotState) -> None:
    doc = _doc(1, issued=issued, legalised=True, language="zh")
    assert _state(NCR, [doc], [_filing(1, 1)]).state is state


def test_the_legalisation_must_be_recent_too() -> None:
    original = _doc(1, issued=SUBMISSION - dt.timedelta(days=10))
    apostille = _doc(2, issued=SUBMISSION - dt.timedelta(days=200))
    translation = _doc(3)
    filings = [
        _filing(1, 1),
        _filing(2, 2, Role.LEGALISATION, 1),
        _filing(3, 3, Role.TRANSLATION, 1),
    ]
    status = _state(NCR, [original, apostille, translation], filings)
    assert status.state is SlotState.EXPIRES_BEFORE_SUBMISSION
    assert status.limiting_document_id == 2


def test_a_deposit_must_stay_frozen_six_months_after_submission() -> None:
    short = _doc(1, expires=SUBMISSION + dt.timedelta(days=100), legalised=True)
    status = _state(DEPOSIT, [short], [_filing(1, 1)])
    assert status.state is SlotState.EXPIRES_BEFORE_SUBMISSION
    assert status.valid_until == SUBMISSION + dt.timedelta(days=100 - 183)


def test_without_a_submission_date_documents_are_checked_against_today() -> None:
    case = _case(submission_date=None)
    soon = _doc(1, expires=TODAY + dt.timedelta(days=1))
    assert _state(PASSPORT, [soon], [_filing(1, 1)], case).state is SlotState.OK
    gone = _doc(1, expires=TODAY - dt.timedelta(days=1))
    assert _state(PASSPORT, [gone], [_filing(1, 1)], case).state is SlotState.EXPIRED


@settings(max_examples=300, deadline=None)
@given(issued_offset=st.integers(-800, 100), submission_offset=st.integers(-30, 400))
def test_issue_date_rule_property(issued_offset: int, submission_offset: int) -> None:
    """OK exactly when the document is still within 180 days on the reference day."""
    submission = TODAY + dt.timedelta(days=submission_offset)
    issued = TODAY + dt.timedelta(days=issued_offset)
    doc = _doc(1, issued=issued, legalised=True, language="zh")
    status = _state(NCR, [doc], [_filing(1, 1)], _case(submission_date=submission))
    reference = max(submission, TODAY)
    last_day = issued + dt.timedelta(days=180)
    if last_day < TODAY:
        assert status.state is SlotState.EXPIRED
    elif last_day < reference:
        assert status.state is SlotState.EXPIRES_BEFORE_SUBMISSION
    else:
        assert status.state is SlotState.OK
    assert status.valid_until == last_day


def test_a_stored_case_becomes_ready_and_reports_what_limits_it(
    store: Store, samples, profiles
) -> None:
    profile = profiles.get("spouse_of_chinese_citizen")
    case = store.create_case("Jan", profile.id, SUBMISSION)
    checklist = build_checklist(store, profiles, case.id, today=TODAY)
    assert not checklist.ready
    assert [s.slot.id for s in checklist.slots] == [s.id for s in profile.slots]
    results = import_files(store, [samples.jpeg(f"{s.id}.jpg") for s in profile.slots])
    docs = {s.id: r.document_id for s, r in zip(profile.slots, results, strict=True)}
    for slot in profile.slots:
        if slot.required:
            store.file_document(case.id, slot.id, docs[slot.id])
            store.update_document(
                docs[slot.id],
                issued=TODAY - dt.timedelta(days=10),
                expires=dt.date(2030, 1, 1),
                language="zh",
                legalised=True,
            )
    checklist = build_checklist(store, profiles, case.id, today=TODAY)
    assert checklist.ready, checklist.warnings
    health = docs["health_certificate"]
    store.update_document(health, issued=TODAY - dt.timedelta(days=100))
    checklist = build_checklist(store, profiles, case.id, today=TODAY)
    assert not checklist.ready
    assert checklist.status("health_certificate").state is SlotState.EXPIRES_BEFORE_SUBMISSION
    assert checklist.limiting_document_id == health
    assert checklist.valid_until == TODAY - dt.timedelta(days=100) + dt.timedelta(days=180)
    assert any("Health certificate" in w for w in checklist.warnings)
