"""The checklist: the state of every slot of a case, and whether the case is ready to hand in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from yongju.core.profiles import Legalisation, Profile, ProfileSet, Slot
from yongju.core.records import CaseRecord, DocumentRecord, FilingRecord, Role
from yongju.core.store import Store


class SlotState(StrEnum):
    MISSING = "missing"
    NEEDS_DATE = "needs_date"
    NEEDS_TRANSLATION = "needs_translation"
    NEEDS_LEGALISATION = "needs_legalisation"
    EXPIRED = "expired"
    EXPIRES_BEFORE_SUBMISSION = "expires_before_submission"
    OK = "ok"
    NOT_APPLICABLE = "not_applicable"
    OPTIONAL_EMPTY = "optional_empty"

    @property
    def label(self) -> str:
        """The state in words (English; the UI translates)."""
        return STATE_LABELS[self]

    @property
    def blocking(self) -> bool:
        """True when this state keeps the case from being ready."""
        return self not in (SlotState.OK, SlotState.NOT_APPLICABLE, SlotState.OPTIONAL_EMPTY)


STATE_LABELS = {
    SlotState.MISSING: "Missing",
    SlotState.NEEDS_DATE: "Needs a date",
    SlotState.NEEDS_TRANSLATION: "Needs a translation",
    SlotState.NEEDS_LEGALISATION: "Needs legalisation",
    SlotState.EXPIRED: "Expired",
    SlotState.EXPIRES_BEFORE_SUBMISSION: "Expires before submission",
    SlotState.OK: "OK",
    SlotState.NOT_APPLICABLE: "Not applicable",
    SlotState.OPTIONAL_EMPTY: "Optional, empty",
}

# When a slot has several problems, the one shown first is the one that costs most to fix.
_SEVERITY = (
    SlotState.EXPIRED,
    SlotState.EXPIRES_BEFORE_SUBMISSION,
    SlotState.MISSING,
    SlotState.NEEDS_DATE,
    SlotState.NEEDS_LEGALISATION,
    SlotState.NEEDS_TRANSLATION,
)


class ProblemKind(StrEnum):
    MORE_DOCUMENTS = "more_documents"
    NEEDS_ISSUE_DATE = "needs_issue_date"
    NEEDS_EXPIRY_DATE = "needs_expiry_date"
    NEEDS_TRANSLATION = "needs_translation"
    NEEDS_APOSTILLE = "needs_apostille"
    NEEDS_NOTARISATION = "needs_notarisation"
    EXPIRED = "expired"
    EXPIRES_BEFORE_SUBMISSION = "expires_before_submission"


_PROBLEM_STATES = {
    ProblemKind.MORE_DOCUMENTS: SlotState.MISSING,
    ProblemKind.NEEDS_ISSUE_DATE: SlotState.NEEDS_DATE,
    ProblemKind.NEEDS_EXPIRY_DATE: SlotState.NEEDS_DATE,
    ProblemKind.NEEDS_TRANSLATION: SlotState.NEEDS_TRANSLATION,
    ProblemKind.NEEDS_APOSTILLE: SlotState.NEEDS_LEGALISATION,
    ProblemKind.NEEDS_NOTARISATION: SlotState.NEEDS_LEGALISATION,
    ProblemKind.EXPIRED: SlotState.EXPIRED,
    ProblemKind.EXPIRES_BEFORE_SUBMISSION: SlotState.EXPIRES_BEFORE_SUBMISSION,
}

# English wording; the window translates the same templates (ui/slot_text.problem_words).
PROBLEM_TEMPLATES = {
    ProblemKind.MORE_DOCUMENTS: "{count} more document(s) needed",
    ProblemKind.NEEDS_ISSUE_DATE: "'{document}' needs its issue date",
    ProblemKind.NEEDS_EXPIRY_DATE: "'{document}' needs its expiry date",
    ProblemKind.NEEDS_TRANSLATION: "'{document}' needs a Chinese translation",
    ProblemKind.NEEDS_APOSTILLE: "'{document}' needs its apostille or legalisation",
    ProblemKind.NEEDS_NOTARISATION: "'{document}' needs its notarisation",
    ProblemKind.EXPIRED: "'{document}' was valid until {until}",
    ProblemKind.EXPIRES_BEFORE_SUBMISSION: "'{document}' is valid only until {until}, "
    "before {reference}",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a slot, as data, so each interface can say it in its language."""

    kind: ProblemKind
    document: str = ""  # the document's title
    count: int = 0
    until: dt.date | None = None
    reference: dt.date | None = None

    @property
    def state(self) -> SlotState:
        return _PROBLEM_STATES[self.kind]

    @property
    def english(self) -> str:
        text = PROBLEM_TEMPLATES[self.kind].format(
            document=self.document, count=self.count, until=self.until, reference=self.reference
        )
        return text.replace("(s)", "" if self.count == 1 else "s")


@dataclass(frozen=True)
class SlotStatus:
    """One slot of a case: its state, the filings in it and what is wrong, in words."""

    slot: Slot
    state: SlotState
    filings: tuple[FilingRecord, ...]
    problems: tuple[Problem, ...] = ()  # costliest to fix first
    valid_until: dt.date | None = None
    limiting_document_id: int | None = None

    @property
    def message(self) -> str:
        """The problems in English, one sentence each."""
        return "; ".join(p.english for p in self.problems)

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

    @property
    def ready(self) -> bool:
        return not any(s.state.blocking for s in self.slots)

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
        """One line per blocking slot, for the packet's cover and the export dialog."""
        lines = [
            f"{s.slot.title_en} ({s.slot.title_zh}): {s.state.label.lower()}"
            + (f" — {s.message}" if s.message else "")
            for s in self.slots
            if s.state.blocking
        ]
        if self.stray_filings:
            slots = sorted({f.slot_id for f in self.stray_filings})
            lines.append(
                f"Documents are filed under slots this profile does not have: {', '.join(slots)}"
            )
        return lines


def _reference(case: CaseRecord, today: dt.date) -> dt.date:
    if case.submission_date is None or case.submission_date < today:
        return today
    return case.submission_date


def document_valid_until(slot: Slot, document: DocumentRecord) -> dt.date | None:
    """The last submission date on which ``document`` satisfies the slot's date rules."""
    limits: list[dt.date] = []
    rules = slot.validity
    if rules.issued_within_days is not None and document.issued is not None:
        limits.append(document.issued + dt.timedelta(days=rules.issued_within_days))
    if document.expires is not None:
        margin = rules.valid_days_after_submission or 0
        limits.append(document.expires - dt.timedelta(days=margin))
    return min(limits, default=None)


def compute_slot(
    slot: Slot,
    case: CaseRecord,
    filings: Sequence[FilingRecord],
    documents: Mapping[int, DocumentRecord],
    today: dt.date,
) -> SlotStatus:
    """The state of one slot (pure: everything it needs is passed in)."""
    if slot.id in case.not_applicable:
        return SlotStatus(slot, SlotState.NOT_APPLICABLE, tuple(filings))
    originals = [f for f in filings if f.role is Role.ORIGINAL]
    if not originals and not slot.required:
        return SlotStatus(slot, SlotState.OPTIONAL_EMPTY, tuple(filings))
    reference = _reference(case, today)
    problems: list[Problem] = []
    missing = len(originals) < slot.min_documents
    if missing and originals:
        # "Missing" says it all for an empty slot; a partly filled one says how many more.
        problems.append(
            Problem(ProblemKind.MORE_DOCUMENTS, count=slot.min_documents - len(originals))
        )
    until: tuple[dt.date, int] | None = None
    for filing in originals:
        document = documents[filing.document_id]
        children = [f for f in filings if f.parent_id == filing.id]
        problems += _document_problems(slot, document, children)
        for checked in [filing, *(c for c in children if c.role is Role.LEGALISATION)]:
            limit = document_valid_until(slot, documents[checked.document_id])
            if limit is not None and (until is None or limit < until[0]):
                until = (limit, checked.document_id)
    if until is not None:
        name = documents[until[1]].display_title
        if until[0] < today:
            problems.append(Problem(ProblemKind.EXPIRED, name, until=until[0]))
        elif until[0] < reference:
            problems.append(
                Problem(
                    ProblemKind.EXPIRES_BEFORE_SUBMISSION, name, until=until[0], reference=reference
                )
            )
    states = {p.state for p in problems} | ({SlotState.MISSING} if missing else set())
    state = next((s for s in _SEVERITY if s in states), SlotState.OK)
    ordered = sorted(problems, key=lambda p: _SEVERITY.index(p.state))
    return SlotStatus(
        slot,
        state,
        tuple(filings),
        tuple(ordered),
        valid_until=until[0] if until else None,
        limiting_document_id=until[1] if until else None,
    )


def _document_problems(
    slot: Slot, document: DocumentRecord, children: Sequence[FilingRecord]
) -> list[Problem]:
    name = document.display_title
    problems: list[Problem] = []
    rules = slot.validity
    if rules.needs_issue_date and document.issued is None:
        problems.append(Problem(ProblemKind.NEEDS_ISSUE_DATE, name))
    if rules.needs_expiry_date and document.expires is None:
        problems.append(Problem(ProblemKind.NEEDS_EXPIRY_DATE, name))
    roles = {c.role for c in children}
    in_chinese = document.language == "zh"
    if slot.translation and not in_chinese and Role.TRANSLATION not in roles:
        problems.append(Problem(ProblemKind.NEEDS_TRANSLATION, name))
    notarised = slot.legalisation is Legalisation.NOTARISED
    wants_legalisation = notarised or (
        slot.legalisation is Legalisation.APOSTILLE and not in_chinese
    )
    if wants_legalisation and not document.legalised and Role.LEGALISATION not in roles:
        kind = ProblemKind.NEEDS_NOTARISATION if notarised else ProblemKind.NEEDS_APOSTILLE
        problems.append(Problem(kind, name))
    return problems


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
            slot, case, sorted(by_slot.get(slot.id, []), key=lambda f: f.position), documents, today
        )
        for slot in profile.slots
    )
    return Checklist(case, profile, statuses, today, stray)


def build_checklist(
    store: Store, profiles: ProfileSet, case_id: int | str, today: dt.date | None = None
) -> Checklist:
    """The checklist of a stored case, as of ``today`` (default: the real today)."""
    case = store.case(case_id)
    profile = profiles.get(case.profile_id)
    filings = store.filings(case.id)
    documents = {d.id: d for d in store.documents(sorted({f.document_id for f in filings}))}
    return compute_checklist(case, profile, filings, documents, today or dt.date.today())
