"""The checklist: the state of every slot of a case, and whether the case is ready to hand in.

A case is ready when every slot that applies is complete, no condition is undecided and every
duration the rules demand is long enough. See ``conditions`` (what applies) and
``document_checks`` (what is wrong with a document).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from yongju.core.conditions import (
    Applicability,
    DecidedBy,
    Decision,
    DurationState,
    DurationStatus,
    decide,
    duration_status,
)
from yongju.core.dates import add_months
from yongju.core.document_checks import (
    PROBLEM_TEMPLATES,
    Limit,
    Problem,
    ProblemKind,
    check_document,
    date_problems,
)
from yongju.core.facts import FACTS
from yongju.core.profiles import Profile, ProfileSet, Slot
from yongju.core.records import CaseRecord, DocumentRecord, FilingRecord, Role

__all__ = [
    "PROBLEM_TEMPLATES",
    "Checklist",
    "DecidedBy",
    "Problem",
    "ProblemKind",
    "SlotState",
    "SlotStatus",
    "build_checklist",
    "compute_checklist",
    "compute_slot",
]


class SlotState(StrEnum):
    MISSING = "missing"
    UNDECIDED = "undecided"
    NEEDS_DATE = "needs_date"
    BAD_DATE = "bad_date"
    NEEDS_ORIGIN = "needs_origin"
    NEEDS_TRANSLATION = "needs_translation"
    NEEDS_LEGALISATION = "needs_legalisation"
    EXPIRED = "expired"
    EXPIRES_BEFORE_SUBMISSION = "expires_before_submission"
    FREEZE_TOO_SHORT = "freeze_too_short"
    OK = "ok"
    NOT_APPLICABLE = "not_applicable"
    OPTIONAL_EMPTY = "optional_empty"

    @property
    def label(self) -> str:
        """The state in words (English; the UI translates)."""
        return STATE_LABELS[self]

    @property
    def label_zh(self) -> str:
        return STATE_LABELS_ZH[self]

    @property
    def blocking(self) -> bool:
        """True when this state keeps the case from being ready."""
        return self not in (SlotState.OK, SlotState.NOT_APPLICABLE, SlotState.OPTIONAL_EMPTY)


STATE_LABELS = {
    SlotState.MISSING: "Missing",
    SlotState.UNDECIDED: "Decide: does this apply to you?",
    SlotState.NEEDS_DATE: "Needs a date",
    SlotState.BAD_DATE: "Date problem",
    SlotState.NEEDS_ORIGIN: "Needs its origin",
    SlotState.NEEDS_TRANSLATION: "Needs a translation",
    SlotState.NEEDS_LEGALISATION: "Needs legalisation",
    SlotState.EXPIRED: "Expired",
    SlotState.EXPIRES_BEFORE_SUBMISSION: "Expires before submission",
    SlotState.FREEZE_TOO_SHORT: "Frozen too short",
    SlotState.OK: "OK",
    SlotState.NOT_APPLICABLE: "Not applicable",
    SlotState.OPTIONAL_EMPTY: "Optional, empty",
}
STATE_LABELS_ZH = {
    SlotState.MISSING: "缺少",
    SlotState.UNDECIDED: "待确认是否适用",
    SlotState.NEEDS_DATE: "需填写日期",
    SlotState.BAD_DATE: "日期有误",
    SlotState.NEEDS_ORIGIN: "需注明出具地",
    SlotState.NEEDS_TRANSLATION: "需中文翻译",
    SlotState.NEEDS_LEGALISATION: "需认证",
    SlotState.EXPIRED: "已过期",
    SlotState.EXPIRES_BEFORE_SUBMISSION: "递交前过期",
    SlotState.FREEZE_TOO_SHORT: "冻结期不足",
    SlotState.OK: "齐全",
    SlotState.NOT_APPLICABLE: "不适用",
    SlotState.OPTIONAL_EMPTY: "可选，未提供",
}

_PROBLEM_STATES = {
    ProblemKind.MORE_DOCUMENTS: SlotState.MISSING,
    ProblemKind.UNDECIDED: SlotState.UNDECIDED,
    ProblemKind.NEEDS_ISSUE_DATE: SlotState.NEEDS_DATE,
    ProblemKind.NEEDS_EXPIRY_DATE: SlotState.NEEDS_DATE,
    ProblemKind.NEEDS_LEGALISATION_DATE: SlotState.NEEDS_DATE,
    ProblemKind.NEEDS_ORIGIN: SlotState.NEEDS_ORIGIN,
    ProblemKind.NEEDS_TRANSLATION: SlotState.NEEDS_TRANSLATION,
    ProblemKind.NEEDS_APOSTILLE: SlotState.NEEDS_LEGALISATION,
    ProblemKind.NEEDS_NOTARISATION: SlotState.NEEDS_LEGALISATION,
    ProblemKind.EXPIRED: SlotState.EXPIRED,
    ProblemKind.EXPIRES_BEFORE_SUBMISSION: SlotState.EXPIRES_BEFORE_SUBMISSION,
    ProblemKind.FREEZE_TOO_SHORT: SlotState.FREEZE_TOO_SHORT,
    ProblemKind.ISSUED_AFTER_SUBMISSION: SlotState.BAD_DATE,
    ProblemKind.ISSUED_IN_FUTURE: SlotState.BAD_DATE,
    ProblemKind.EXPIRY_BEFORE_ISSUE: SlotState.BAD_DATE,
    ProblemKind.IMPLAUSIBLE_DATE: SlotState.BAD_DATE,
    ProblemKind.LEGALISED_AFTER_SUBMISSION: SlotState.BAD_DATE,
    ProblemKind.EXPIRES_ON_SUBMISSION_DAY: SlotState.OK,
}

# When a slot has several problems, the one shown first is the one that costs most to fix.
_SEVERITY = (
    SlotState.BAD_DATE,
    SlotState.EXPIRED,
    SlotState.FREEZE_TOO_SHORT,
    SlotState.EXPIRES_BEFORE_SUBMISSION,
    SlotState.MISSING,
    SlotState.NEEDS_ORIGIN,
    SlotState.NEEDS_DATE,
    SlotState.NEEDS_LEGALISATION,
    SlotState.NEEDS_TRANSLATION,
    SlotState.OK,
)


def problem_state(problem: Problem) -> SlotState:
    return _PROBLEM_STATES[problem.kind]


@dataclass(frozen=True)
class SlotStatus:
    """One slot of a case: its state, the filings in it and what is wrong, in words."""

    slot: Slot
    state: SlotState
    filings: tuple[FilingRecord, ...]
    problems: tuple[Problem, ...] = ()  # costliest to fix first; warnings last
    valid_until: dt.date | None = None
    limiting_document_id: int | None = None
    decision: Decision = field(default_factory=lambda: Decision(Applicability.REQUIRED))

    @property
    def message(self) -> str:
        """The problems in English, one sentence each."""
        return "; ".join(p.english for p in self.problems)

    @property
    def applies(self) -> bool:
        return self.decision.applicability is Applicability.REQUIRED

    @property
    def not_applicable_reason(self) -> str:
        return self.decision.reason if self.state is SlotState.NOT_APPLICABLE else ""

    @property
    def document_ids(self) -> list[int]:
        return [f.document_id for f in self.filings]

    @property
    def originals(self) -> list[FilingRecord]:
        return [f for f in self.filings if f.role is Role.ORIGINAL]


@dataclass(frozen=True)
class Checklist:
    """Every slot of a case in profile order, with the case's readiness."""

    case: CaseRecord
    profile: Profile
    slots: tuple[SlotStatus, ...]
    today: dt.date
    stray_filings: tuple[FilingRecord, ...] = ()
    durations: tuple[DurationStatus, ...] = ()

    @property
    def ready(self) -> bool:
        return not any(s.state.blocking for s in self.slots) and not any(
            d.blocking for d in self.durations
        )

    @property
    def reference(self) -> dt.date:
        """The day the dates are checked against."""
        return reference_day(self.case, self.today)

    @property
    def submission_passed(self) -> bool:
        date = self.case.submission_date
        return date is not None and date < self.today

    @property
    def valid_until(self) -> dt.date | None:
        """The last day on which every dated document is still acceptable."""
        dated = [s for s in self.slots if s.valid_until and s.state is not SlotState.NOT_APPLICABLE]
        return min((s.valid_until for s in dated if s.valid_until), default=None)

    @property
    def limiting_document_id(self) -> int | None:
        """The document whose date sets ``valid_until``."""
        dated = [s for s in self.slots if s.valid_until and s.state is not SlotState.NOT_APPLICABLE]
        if not dated:
            return None
        return min(dated, key=lambda s: s.valid_until or dt.date.max).limiting_document_id

    def status(self, slot_id: str) -> SlotStatus:
        for status in self.slots:
            if status.slot.id == slot_id:
                return status
        raise KeyError(slot_id)

    @property
    def warnings(self) -> list[str]:
        """One line per blocking slot or duration, and notices, for the cover and the CLI."""
        return [english for english, _ in self.bilingual_warnings]

    @property
    def bilingual_warnings(self) -> list[tuple[str, str]]:
        """``warnings`` each with its Chinese line (English, Chinese): the packet prints both."""
        lines = []
        if self.submission_passed:
            date = self.case.submission_date
            lines.append(
                (
                    f"The planned submission date {date} has passed: dates are "
                    f"checked against today ({self.today}); set the new date.",
                    f"计划递交日期 {date} 已过：日期按今天（{self.today}）核对；请设定新的日期。",
                )
            )
        lines += [(_warning(s), _warning_zh(s)) for s in self.slots if s.state.blocking]
        lines += [
            (
                f"{d.duration.title_en} ({d.duration.title_zh}): {d.message}",
                f"{d.duration.title_zh}：{_duration_zh(d)}",
            )
            for d in self.durations
            if d.blocking
        ]
        if self.stray_filings:
            slots = ", ".join(sorted({f.slot_id for f in self.stray_filings}))
            lines.append(
                (
                    f"Documents are filed under slots this profile does not have: {slots}",
                    f"有文件归在本类别清单没有的材料项下：{slots}",
                )
            )
        return lines

    @property
    def notices(self) -> list[str]:
        """Non-blocking warnings of complete slots (a passport expiring on the day)."""
        return [
            f"{s.slot.title_en}: {p.english}"
            for s in self.slots
            for p in s.problems
            if not p.blocking
        ]


def _warning(status: SlotStatus) -> str:
    title = f"{status.slot.title_en} ({status.slot.title_zh})"
    if status.state is SlotState.UNDECIDED:
        return f"{title}: decide whether it applies — {status.slot.condition}"
    return f"{title}: {status.state.label.lower()}" + (
        f" — {status.message}" if status.message else ""
    )


def _warning_zh(status: SlotStatus) -> str:
    slot = status.slot
    if status.state is SlotState.UNDECIDED:
        return f"{slot.title_zh}：请确认是否适用 — {slot.condition_zh or slot.condition}"
    message = "；".join(p.chinese for p in status.problems)
    return f"{slot.title_zh}：{status.state.label_zh}" + (f" — {message}" if message else "")


def _duration_zh(status: DurationStatus) -> str:
    """``DurationStatus.message`` in Chinese."""
    label = FACTS[status.duration.fact].label_zh
    if status.state is DurationState.NEEDS_FACT:
        return f"请在申请情况中填写“{label}”"
    if status.state is DurationState.BAD_DATE:
        return f"{label}（{status.since}）晚于 {status.reference}"
    if status.state is DurationState.TOO_SHORT:
        return f"满 {status.duration.years} 年要到 {status.reached}，晚于 {status.reference}"
    return f"自 {status.since} 起；{status.reached} 满 {status.duration.years} 年"


def reference_day(case: CaseRecord, today: dt.date) -> dt.date:
    """The planned submission date, or today when it is unset or has passed."""
    if case.submission_date is None or case.submission_date < today:
        return today
    return case.submission_date


def compute_slot(
    slot: Slot,
    case: CaseRecord,
    filings: Sequence[FilingRecord],
    documents: Mapping[int, DocumentRecord],
    today: dt.date,
    profile: Profile | None = None,
) -> SlotStatus:
    """The state of one slot (pure: everything it needs is passed in)."""
    originals = [f for f in filings if f.role is Role.ORIGINAL]
    decision = decide(slot, case, profile, filed=bool(originals))
    if decision.applicability is Applicability.NOT_APPLICABLE:
        return SlotStatus(slot, SlotState.NOT_APPLICABLE, tuple(filings), decision=decision)
    if decision.applicability is Applicability.UNDECIDED:
        problem = Problem(ProblemKind.UNDECIDED, detail=slot.condition, detail_zh=slot.condition_zh)
        return SlotStatus(slot, SlotState.UNDECIDED, tuple(filings), (problem,), decision=decision)
    if not originals and decision.applicability is Applicability.OPTIONAL:
        return SlotStatus(slot, SlotState.OPTIONAL_EMPTY, tuple(filings), decision=decision)
    problems, limits = _filed_problems(slot, case, filings, documents, today)
    missing = len(originals) < slot.min_documents
    if missing and originals:
        # "Missing" says it all for an empty slot; a partly filled one says how many more.
        problems.append(
            Problem(ProblemKind.MORE_DOCUMENTS, count=slot.min_documents - len(originals))
        )
    limit = min(limits, key=lambda lim: lim.day, default=None)
    if limit is not None:
        problems += _limit_problems(case, limit, documents, today)
    states = {problem_state(p) for p in problems} | ({SlotState.MISSING} if missing else set())
    state = next(s for s in _SEVERITY if s in states or s is SlotState.OK)
    ordered = sorted(problems, key=lambda p: _SEVERITY.index(problem_state(p)))
    return SlotStatus(
        slot,
        state,
        tuple(filings),
        tuple(ordered),
        valid_until=limit.day if limit else None,
        limiting_document_id=limit.document_id if limit else None,
        decision=decision,
    )


def _filed_problems(
    slot: Slot,
    case: CaseRecord,
    filings: Sequence[FilingRecord],
    documents: Mapping[int, DocumentRecord],
    today: dt.date,
) -> tuple[list[Problem], list[Limit]]:
    """The problems and date limits of every original filed in the slot."""
    problems: list[Problem] = []
    limits: list[Limit] = []
    city = case.fact("city")
    checked: set[int] = set()
    for filing in (f for f in filings if f.role is Role.ORIGINAL):
        document = documents[filing.document_id]
        children = [f for f in filings if f.parent_id == filing.id or filing.id in f.covers]
        legalisations = [documents[c.document_id] for c in children if c.role is Role.LEGALISATION]
        has_translation = any(c.role is Role.TRANSLATION for c in children)
        for dated in (document, *legalisations):
            if dated.id not in checked:
                checked.add(dated.id)
                problems += date_problems(dated, today, case.submission_date)
        result = check_document(slot, document, legalisations, has_translation, city)
        problems += result.problems
        limits += result.limits
        if document.expires is not None and document.expires == reference_day(case, today):
            problems.append(
                Problem(
                    ProblemKind.EXPIRES_ON_SUBMISSION_DAY,
                    document.display_title,
                    until=document.expires,
                )
            )
    return problems, limits


def _limit_problems(
    case: CaseRecord,
    limit: Limit,
    documents: Mapping[int, DocumentRecord],
    today: dt.date,
) -> list[Problem]:
    """What the earliest limit means on the reference day."""
    name = documents[limit.document_id].display_title
    reference = reference_day(case, today)
    if limit.freeze_months is not None and limit.day < reference:
        needed = add_months(reference, limit.freeze_months) + dt.timedelta(days=1)
        return [Problem(ProblemKind.FREEZE_TOO_SHORT, name, until=needed, reference=reference)]
    if limit.day < today:
        return [Problem(ProblemKind.EXPIRED, name, until=limit.day)]
    if limit.day < reference:
        return [
            Problem(
                ProblemKind.EXPIRES_BEFORE_SUBMISSION, name, until=limit.day, reference=reference
            )
        ]
    return []


def compute_checklist(
    case: CaseRecord,
    profile: Profile,
    filings: Sequence[FilingRecord],
    documents: Mapping[int, DocumentRecord],
    today: dt.date,
) -> Checklist:
    """The checklist of a case (pure)."""
    by_slot: dict[str, list[FilingRecord]] = {}
    for filing in filings:
        by_slot.setdefault(filing.slot_id, []).append(filing)
    known = {slot.id for slot in profile.slots}
    stray = tuple(f for f in filings if f.slot_id not in known)
    statuses = tuple(
        compute_slot(
            slot,
            case,
            sorted(by_slot.get(slot.id, []), key=lambda f: f.position),
            documents,
            today,
            profile,
        )
        for slot in profile.slots
    )
    reference = reference_day(case, today)
    durations = tuple(duration_status(d, case, reference) for d in profile.durations)
    return Checklist(case, profile, statuses, today, stray, durations)


class CaseReads(Protocol):
    """What building a checklist reads: the ``Store``, or the window's ``LazyStore`` (which
    reads them without loading SQLAlchemy, for the first screen)."""

    def case(self, key: int | str) -> CaseRecord: ...

    def filings(
        self, case_id: int | None = None, document_id: int | None = None
    ) -> list[FilingRecord]: ...

    def documents(self, ids: Sequence[int] | None = None) -> list[DocumentRecord]: ...


def build_checklist(
    store: CaseReads, profiles: ProfileSet, case_id: int | str, today: dt.date | None = None
) -> Checklist:
    """The checklist of a stored case, as of ``today`` (default: the real today)."""
    return case_checklist(store, profiles, store.case(case_id), today)[0]


def case_checklist(
    store: CaseReads, profiles: ProfileSet, case: CaseRecord, today: dt.date | None = None
) -> tuple[Checklist, dict[int, DocumentRecord]]:
    """The checklist of ``case`` (already read), and the documents filed in it, by id (the
    window shows a slot's as tiles: read once for both)."""
    filings = store.filings(case.id)
    documents = {d.id: d for d in store.documents(sorted({f.document_id for f in filings}))}
    profile = profiles.get(case.profile_id)
    return compute_checklist(case, profile, filings, documents, today or dt.date.today()), documents
