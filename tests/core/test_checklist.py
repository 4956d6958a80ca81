"""The checklist: every slot state, validity windows against the planned submission date."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from tests.samples import document_record
from yongju.core.checklist import SlotState, SlotStatus, build_checklist, compute_slot
from yongju.core.dates import add_months
from yongju.core.importing import import_files
from yongju.core.profiles import Legalisation, Requirement, Slot, Validity
from yongju.core.records import (
    CaseRecord,
    DocumentRecord,
    FilingRecord,
    Origin,
    Role,
    SlotDecision,
)
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
    validity=Validity(issued_within_months=6, legalised_within_months=6),
)
DEPOSIT = Slot(
    id="s",
    title_en="Deposit",
    title_zh="存款",
    legalisation=Legalisation.NOTARISED,
    validity=Validity(valid_months_after_submission=6),
)
PASSPORT = Slot(id="s", title_en="Passport", title_zh="护照", validity=Validity(not_expired=True))
CONDITIONAL = Slot(
    id="s",
    title_en="Power of attorney",
    title_zh="委托书",
    requirement=Requirement.CONDITIONAL,
    condition="if an agent files",
    applies_if=(("agent", ("yes",)),),
    not_applicable_if=(("agent", ("no",)),),
)


def _state(slot, docs, filings, case=None):
    return compute_slot(slot, case or _case(), filings, {d.id: d for d in docs}, TODAY)


def test_an_empty_required_slot_is_missing_and_a_conditional_one_is_undecided() -> None:
    assert _state(PASSPORT, [], []).state is SlotState.MISSING
    status = _state(CONDITIONAL, [], [])
    assert status.state is SlotState.UNDECIDED and status.state.blocking
    assert status.state.label == "Decide: does this apply to you?"
    assert status.message == "It applies when: if an agent files"
    optional = Slot(id="s", title_en="x", title_zh="x", requirement=Requirement.OPTIONAL)
    assert _state(optional, [], []).state is SlotState.OPTIONAL_EMPTY


def test_facts_and_answers_decide_a_condition() -> None:
    assert _state(CONDITIONAL, [], [], _case(facts=(("agent", "yes"),))).state is (
        SlotState.MISSING
    )
    status = _state(CONDITIONAL, [], [], _case(facts=(("agent", "no"),)))
    assert status.state is SlotState.NOT_APPLICABLE
    assert status.not_applicable_reason == "An agent or relative files for you: No"
    # The user's answer wins over the facts; filing a document answers "yes".
    answered = _case(facts=(("agent", "no"),), decisions=(SlotDecision("s", True),))
    assert _state(CONDITIONAL, [], [], answered).state is SlotState.MISSING
    assert _state(CONDITIONAL, [_doc(1)], [_filing(1, 1)]).state is SlotState.OK


def test_a_required_slot_is_not_applicable_only_with_a_reason() -> None:
    without = _case(decisions=(SlotDecision("s", False, ""),))
    assert _state(PASSPORT, [], [], without).state is SlotState.MISSING
    with_reason = _case(decisions=(SlotDecision("s", False, "Lost; police report filed"),))
    status = _state(PASSPORT, [], [], with_reason)
    assert status.state is SlotState.NOT_APPLICABLE
    assert status.not_applicable_reason == "Lost; police report filed"
    assert _state(CONDITIONAL, [], [], without).state is SlotState.NOT_APPLICABLE


def test_a_slot_wanting_two_documents_counts_them() -> None:
    slot = Slot(id="s", title_en="x", title_zh="x", min_documents=2)
    status = _state(slot, [_doc(1)], [_filing(1, 1)])
    assert status.state is SlotState.MISSING and "1 more document needed" in status.message


def test_dates_are_needed_where_the_slot_has_rules() -> None:
    ncr = _doc(1, legalised=True, issued_in=Origin.ABROAD, legalised_on=TODAY)
    assert _state(NCR, [ncr], [_filing(1, 1)]).state is SlotState.NEEDS_DATE
    assert _state(PASSPORT, [_doc(1)], [_filing(1, 1)]).state is SlotState.NEEDS_DATE


def test_an_unknown_origin_is_its_own_state_never_abroad() -> None:
    issued = TODAY - dt.timedelta(days=30)
    status = _state(NCR, [_doc(1, issued=issued, language="zh")], [_filing(1, 1)])
    assert status.state is SlotState.NEEDS_ORIGIN
    assert "needs its origin" in status.message and "apostille" not in status.message


def test_origin_decides_legalisation_and_language_decides_translation() -> None:
    issued = TODAY - dt.timedelta(days=30)
    foreign = _doc(1, issued=issued, issued_in=Origin.ABROAD)
    status = _state(NCR, [foreign], [_filing(1, 1)])
    assert status.state is SlotState.NEEDS_LEGALISATION
    assert "needs a Chinese translation" in status.message
    docs = [foreign, _doc(2, issued=issued), _doc(3)]
    filings = [_filing(1, 1), _filing(2, 2, Role.LEGALISATION, 1)]
    assert _state(NCR, docs, filings).state is SlotState.NEEDS_TRANSLATION
    filings.append(_filing(3, 3, Role.TRANSLATION, 1))
    assert _state(NCR, docs, filings).state is SlotState.OK
    # A Chinese paper needs neither; a foreign mission's letter needs no apostille but,
    # in French, a translation.
    chinese = _doc(1, issued=issued, language="zh", issued_in=Origin.CHINA)
    assert _state(NCR, [chinese], [_filing(1, 1)]).state is SlotState.OK
    mission = _doc(1, issued=issued, issued_in=Origin.MISSION)
    assert _state(NCR, [mission], [_filing(1, 1)]).state is SlotState.NEEDS_TRANSLATION
    # A Chinese-language paper issued abroad still needs its apostille.
    abroad_zh = _doc(1, issued=issued, language="zh", issued_in=Origin.ABROAD)
    assert _state(NCR, [abroad_zh], [_filing(1, 1)]).state is SlotState.NEEDS_LEGALISATION


def test_notarised_slots_want_a_chinese_notary_or_an_apostille_by_origin() -> None:
    far = SUBMISSION + dt.timedelta(days=400)
    deposit = _doc(1, expires=far, language="zh", issued_in=Origin.CHINA)
    status = _state(DEPOSIT, [deposit], [_filing(1, 1)])
    assert status.state is SlotState.NEEDS_LEGALISATION and "notarisation" in status.message
    notarised = _doc(1, expires=far, legalised=True, issued_in=Origin.CHINA)
    assert _state(DEPOSIT, [notarised], [_filing(1, 1)]).state is SlotState.OK
    foreign = _doc(1, expires=far, language="zh", issued_in=Origin.ABROAD)
    assert "apostille" in _state(DEPOSIT, [foreign], [_filing(1, 1)]).message


def test_one_apostille_may_cover_several_originals() -> None:
    issued = TODAY - dt.timedelta(days=30)
    docs = [
        _doc(1, issued=issued, issued_in=Origin.ABROAD, language="zh"),
        _doc(2, issued=issued, issued_in=Origin.ABROAD, language="zh"),
        _doc(3, issued=issued),
    ]
    apostille = FilingRecord(3, 1, "s", 3, Role.LEGALISATION, 3, 1)
    filings = [_filing(1, 1), _filing(2, 2), apostille]
    assert _state(NCR, docs, filings).state is SlotState.NEEDS_LEGALISATION
    covering = FilingRecord(3, 1, "s", 3, Role.LEGALISATION, 3, 1, covers=(2,))
    assert _state(NCR, docs, [_filing(1, 1), _filing(2, 2), covering]).state is SlotState.OK


@pytest.mark.parametrize(
    ("issued", "submission", "state"),
    [
        (dt.date(2026, 9, 1), dt.date(2027, 3, 1), SlotState.OK),  # exactly six months
        (dt.date(2026, 8, 31), dt.date(2027, 3, 1), SlotState.EXPIRES_BEFORE_SUBMISSION),
        (dt.date(2026, 9, 2), dt.date(2027, 3, 2), SlotState.OK),
        (dt.date(2026, 8, 31), dt.date(2027, 2, 28), SlotState.OK),  # 31 Aug + 6 = 28 Feb
        (dt.date(2026, 9, 1), dt.date(2027, 3, 2), SlotState.EXPIRES_BEFORE_SUBMISSION),
    ],
)
def test_issued_within_six_calendar_months(
    issued: dt.date, submission: dt.date, state: SlotState
) -> None:
    doc = _doc(1, issued=issued, legalised=True, language="zh", issued_in=Origin.CHINA)
    status = _state(NCR, [doc], [_filing(1, 1)], _case(submission_date=submission))
    assert status.state is state


def test_the_legalisation_must_be_recent_too() -> None:
    original = _doc(1, issued=TODAY - dt.timedelta(days=10), issued_in=Origin.ABROAD)
    apostille = _doc(2, issued=dt.date(2026, 8, 31))
    translation = _doc(3)
    filings = [
        _filing(1, 1),
        _filing(2, 2, Role.LEGALISATION, 1),
        _filing(3, 3, Role.TRANSLATION, 1),
    ]
    status = _state(NCR, [original, apostille, translation], filings)
    assert status.state is SlotState.EXPIRES_BEFORE_SUBMISSION
    assert status.limiting_document_id == 2
    # A scan including its apostille counts the apostille's own date.
    included = _doc(1, issued=TODAY, issued_in=Origin.ABROAD, legalised=True, language="zh")
    assert _state(NCR, [included], [_filing(1, 1)]).state is SlotState.NEEDS_DATE
    dated = replace(included, legalised_on=dt.date(2026, 9, 1))
    assert _state(NCR, [dated], [_filing(1, 1)]).state is SlotState.OK


def test_a_deposit_must_stay_frozen_more_than_six_months_after_submission() -> None:
    def deposit(expires: dt.date) -> SlotStatus:
        doc = _doc(1, expires=expires, legalised=True, issued_in=Origin.CHINA)
        return _state(DEPOSIT, [doc], [_filing(1, 1)])

    exactly = deposit(dt.date(2027, 9, 1))  # 2027-03-01 + 6 months: not "more than"
    assert exactly.state is SlotState.FREEZE_TOO_SHORT
    assert exactly.message == "'Doc 1' must stay frozen until at least 2027-09-02"
    assert deposit(dt.date(2027, 9, 2)).state is SlotState.OK
    assert deposit(dt.date(2027, 9, 2)).valid_until == SUBMISSION
    assert deposit(dt.date(2026, 1, 1)).state is SlotState.FREEZE_TOO_SHORT


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"issued": SUBMISSION + dt.timedelta(days=1)}, "after the submission date"),
        ({"issued": TODAY + dt.timedelta(days=1)}, "after the submission date")
        if TODAY + dt.timedelta(days=1) > SUBMISSION
        else ({"issued": TODAY + dt.timedelta(days=1)}, "in the future"),
        ({"issued": dt.date(2026, 1, 1), "expires": dt.date(2025, 1, 1)}, "before it was issued"),
        ({"issued": dt.date(1026, 1, 1)}, "impossible date"),
        ({"expires": dt.date(1899, 12, 31)}, "impossible date"),
    ],
)
def test_impossible_dates_are_stated_as_such(changes: dict, words: str) -> None:
    doc = _doc(1, **changes)
    status = _state(PASSPORT, [doc], [_filing(1, 1)])
    assert status.state is SlotState.BAD_DATE and words in status.message


def test_a_passport_expiring_on_the_submission_day_is_ok_but_warned() -> None:
    status = _state(PASSPORT, [_doc(1, expires=SUBMISSION)], [_filing(1, 1)])
    assert status.state is SlotState.OK
    assert "expires on the submission day" in status.message
    assert not status.problems[0].blocking
    day_before = _state(
        PASSPORT, [_doc(1, expires=SUBMISSION - dt.timedelta(days=1))], [_filing(1, 1)]
    )
    assert day_before.state is SlotState.EXPIRES_BEFORE_SUBMISSION


def test_without_a_submission_date_documents_are_checked_against_today() -> None:
    case = _case(submission_date=None)
    soon = _doc(1, expires=TODAY + dt.timedelta(days=1))
    assert _state(PASSPORT, [soon], [_filing(1, 1)], case).state is SlotState.OK
    gone = _doc(1, expires=TODAY - dt.timedelta(days=1))
    assert _state(PASSPORT, [gone], [_filing(1, 1)], case).state is SlotState.EXPIRED


# Submission days: before today (the reference is today), today, just after, and months on.
SUBMISSION_OFFSETS = (-30, -1, 0, 1, 2, 31, 183, 184, 185, 400)
ISSUED_OFFSETS = range(-800, 101)


def _issue_days_to_check(submission: dt.date) -> list[dt.date]:
    """Issue days where the rule's outcome changes, a day either side, and a spread between.

    Where it changes: the document's last valid day (6 calendar months on) falls on the day
    before, on or after today or the reference day; it is issued on, before or after today or
    the submission; or it is issued at a month's end (the months clamp). 300 random pairs of
    days (hypothesis, 0.45 s of CPU) seldom hit one: a "<" made "<=" in the checklist's
    expiry or submission comparison passed three runs of them; each fails here.
    """
    reference = max(submission, TODAY)
    edges = {TODAY + dt.timedelta(days=d) for d in (-1, 0, 1)}
    edges |= {reference + dt.timedelta(days=d) for d in (-1, 0, 1)}
    issued_edges = {day + dt.timedelta(days=d) for day in (TODAY, submission) for d in (-1, 0, 1)}
    days = []
    for offset in ISSUED_OFFSETS:
        issued = TODAY + dt.timedelta(days=offset)
        month_end = (issued + dt.timedelta(days=1)).day == 1
        if (
            add_months(issued, 6) in edges
            or issued in issued_edges
            or month_end  # Aug 31 -> Feb 28 or 29, Dec 31 -> Jun 30
            or (issued.month == 8 and issued.day >= 28)  # Aug 29 and 30 -> Feb 28 too
            or offset % 37 == 0
        ):
            days.append(issued)
    return days


@pytest.mark.parametrize("submission_offset", SUBMISSION_OFFSETS)
def test_the_issue_date_rule_holds_at_each_edge_and_between(submission_offset: int) -> None:
    """OK exactly when the document is within 6 calendar months on the reference day."""
    submission = TODAY + dt.timedelta(days=submission_offset)
    reference = max(submission, TODAY)
    days = _issue_days_to_check(submission)
    assert len(days) > 30
    for issued in days:
        doc = _doc(1, issued=issued, legalised=True, language="zh", issued_in=Origin.CHINA)
        status = _state(NCR, [doc], [_filing(1, 1)], _case(submission_date=submission))
        last_day = add_months(issued, 6)
        if issued > submission or issued > TODAY:
            assert status.state is SlotState.BAD_DATE, issued
        elif last_day < TODAY:
            assert status.state is SlotState.EXPIRED, issued
        elif last_day < reference:
            assert status.state is SlotState.EXPIRES_BEFORE_SUBMISSION, issued
        else:
            assert status.state is SlotState.OK, issued
        assert status.valid_until == last_day


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2024, 2, 29), 6, dt.date(2024, 8, 29)),
        (dt.date(2023, 8, 31), 6, dt.date(2024, 2, 29)),
        (dt.date(2022, 8, 31), 6, dt.date(2023, 2, 28)),
        (dt.date(2026, 9, 1), 6, dt.date(2027, 3, 1)),
        (dt.date(2026, 12, 31), 2, dt.date(2027, 2, 28)),
        (dt.date(2027, 3, 31), -1, dt.date(2027, 2, 28)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
    ],
)
def test_calendar_months_clamp_to_the_end_of_the_month(
    day: dt.date, months: int, expected: dt.date
) -> None:
    assert add_months(day, months) == expected


SPOUSE_FACTS = {
    "city": "shanghai",
    "agent": "no",
    "former_chinese": "no",
    "deposit_holder": "applicant",
    "home": "owned",
    "marriage_date": "2019-05-01",
    "resident_since": "2018-09-01",
}


def test_a_spouse_case_is_not_ready_without_the_spouse_id_card_and_household_register(
    store: Store, samples, profiles
) -> None:
    profile = profiles.get("spouse_of_chinese_citizen")
    case = store.create_case("Jan", profile.id, SUBMISSION, facts=SPOUSE_FACTS)
    checklist = build_checklist(store, profiles, case.id, today=TODAY)
    assert not checklist.ready
    assert [s.slot.id for s in checklist.slots] == [s.id for s in profile.slots]
    undecided = [s.slot.id for s in checklist.slots if s.state is SlotState.UNDECIDED]
    assert undecided == ["photo_digital", "accommodation_reg"]
    for slot_id in undecided:
        store.decide_slot(case.id, slot_id, False, "The Shanghai office did not ask for it")
    results = import_files(store, [samples.jpeg(f"{s.id}.jpg") for s in profile.slots])
    docs = {s.id: r.document_id for s, r in zip(profile.slots, results, strict=True)}
    held_back = {"sp_spouse_id_card", "sp_spouse_hukou"}
    filed = [s for s in checklist.slots if s.applies and s.slot.id not in held_back]
    for status in filed:
        store.file_document(case.id, status.slot.id, docs[status.slot.id])
        store.update_document(
            docs[status.slot.id],
            issued=TODAY - dt.timedelta(days=10),
            expires=dt.date(2030, 1, 1),
            language="zh",
            issued_in=Origin.CHINA,
            legalised=True,
        )
    checklist = build_checklist(store, profiles, case.id, today=TODAY)
    assert not checklist.ready
    blocking = {s.slot.id: s.state for s in checklist.slots if s.state.blocking}
    assert blocking == {slot_id: SlotState.MISSING for slot_id in held_back}
    for slot_id in sorted(held_back):
        store.file_document(case.id, slot_id, docs[slot_id])
        store.update_document(docs[slot_id], expires=dt.date(2035, 1, 1), language="zh")
    checklist = build_checklist(store, profiles, case.id, today=TODAY)
    assert checklist.ready, checklist.warnings
    assert [d.state.value for d in checklist.durations] == ["ok", "ok"]
    health = docs["health_certificate"]
    store.update_document(health, issued=dt.date(2026, 8, 31))
    checklist = build_checklist(store, profiles, case.id, today=TODAY)
    assert not checklist.ready
    assert checklist.status("health_certificate").state is SlotState.EXPIRES_BEFORE_SUBMISSION
    assert checklist.limiting_document_id == health
    assert checklist.valid_until == dt.date(2027, 2, 28)
    assert any("Health certificate" in w for w in checklist.warnings)
