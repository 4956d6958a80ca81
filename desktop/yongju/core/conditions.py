"""Whether a slot applies to a case, and the durations the rules demand: decided, never assumed.

A slot's applicability comes, in this order, from the user's answer (a required slot needs a
reason to be not applicable), from the case's facts through the profile's ``applies_if`` and
``not_applicable_if``, from a document already filed there (filing answers "yes"), and else
from the profile: required, optional, or undecided for a conditional slot.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from yongju.core.dates import add_years
from yongju.core.errors import DecisionError
from yongju.core.facts import FACTS, ROUTE, FactSpec, fact_date, route_spec
from yongju.core.profiles import Duration, Profile, Requirement, Slot
from yongju.core.records import CaseRecord


class Applicability(StrEnum):
    REQUIRED = "required"  # required by the profile, or a condition that applies
    OPTIONAL = "optional"
    UNDECIDED = "undecided"  # a condition nobody has answered yet: blocks readiness
    NOT_APPLICABLE = "not_applicable"


class DecidedBy(StrEnum):
    PROFILE = "profile"
    USER = "user"
    FACTS = "facts"
    FILING = "filing"  # a document was filed in a conditional slot


@dataclass(frozen=True)
class Decision:
    """Whether a slot applies to a case, who said so, and why (in both languages)."""

    applicability: Applicability
    by: DecidedBy = DecidedBy.PROFILE
    reason: str = ""
    reason_zh: str = ""


def _fact_words(profile: Profile | None, key: str, value: str) -> tuple[str, str]:
    if key == ROUTE:
        spec: FactSpec | None = route_spec(profile) if profile else None
    else:
        spec = FACTS.get(key)
    choice = spec.choice(value) if spec else None
    if spec is None or choice is None:
        return f"{key}: {value}", f"{key}：{value}"
    return f"{spec.label_en}: {choice.label_en}", f"{spec.label_zh}：{choice.label_zh}"


def decide(slot: Slot, case: CaseRecord, profile: Profile | None, filed: bool) -> Decision:
    """Whether ``slot`` applies to ``case`` (``filed``: an original is filed in it)."""
    answer = case.decision(slot.id)
    if answer is not None and answer.applies:
        return Decision(Applicability.REQUIRED, DecidedBy.USER)
    if answer is not None and (answer.reason or not slot.required):
        return Decision(Applicability.NOT_APPLICABLE, DecidedBy.USER, answer.reason, answer.reason)
    for key, values in slot.not_applicable_if:
        value = case.fact(key)
        if value is not None and value in values:
            en, zh = _fact_words(profile, key, value)
            return Decision(Applicability.NOT_APPLICABLE, DecidedBy.FACTS, en, zh)
    if slot.applies_if and all(case.fact(k) in values for k, values in slot.applies_if):
        words = [_fact_words(profile, k, case.fact(k) or "") for k, _v in slot.applies_if]
        return Decision(
            Applicability.REQUIRED,
            DecidedBy.FACTS,
            "; ".join(en for en, _zh in words),
            "；".join(zh for _en, zh in words),
        )
    if slot.requirement is Requirement.REQUIRED:
        return Decision(Applicability.REQUIRED)
    if slot.requirement is Requirement.OPTIONAL:
        return Decision(Applicability.OPTIONAL)
    if filed:
        return Decision(Applicability.REQUIRED, DecidedBy.FILING)
    return Decision(Applicability.UNDECIDED)


class DurationState(StrEnum):
    OK = "ok"
    NEEDS_FACT = "needs_fact"  # the date it is counted from is not known yet
    TOO_SHORT = "too_short"
    BAD_DATE = "bad_date"  # the date is after the submission date


DURATION_LABELS = {
    DurationState.OK: "OK",
    DurationState.NEEDS_FACT: "Needs a date",
    DurationState.TOO_SHORT: "Too short",
    DurationState.BAD_DATE: "Date after submission",
}


@dataclass(frozen=True)
class DurationStatus:
    """One duration the rules demand (married ≥ 5 years), counted to the reference date."""

    duration: Duration
    state: DurationState
    since: dt.date | None
    reached: dt.date | None  # the first day on which it is long enough
    reference: dt.date

    @property
    def blocking(self) -> bool:
        return self.state is not DurationState.OK

    @property
    def message(self) -> str:
        spec = FACTS[self.duration.fact]
        if self.state is DurationState.NEEDS_FACT:
            return f"Enter the fact '{self.duration.fact}' ({spec.label_en})"
        if self.state is DurationState.BAD_DATE:
            return f"{spec.label_en} ({self.since}) is after {self.reference}"
        if self.state is DurationState.TOO_SHORT:
            return (
                f"{self.duration.years} years are reached on {self.reached}, after {self.reference}"
            )
        return f"since {self.since}; {self.duration.years} years reached on {self.reached}"


def duration_status(duration: Duration, case: CaseRecord, reference: dt.date) -> DurationStatus:
    """Whether ``duration`` is long enough on ``reference`` (the submission date)."""
    since = fact_date(case.fact(duration.fact))
    if since is None:
        return DurationStatus(duration, DurationState.NEEDS_FACT, None, None, reference)
    reached = add_years(since, duration.years)
    if since > reference:
        state = DurationState.BAD_DATE
    else:
        state = DurationState.OK if reached <= reference else DurationState.TOO_SHORT
    return DurationStatus(duration, state, since, reached, reference)


def check_decision(slot: Slot, applies: bool | None, reason: str) -> None:
    """Refuses to mark a required slot not applicable without a reason."""
    if applies is False and slot.required and not reason.strip():
        raise DecisionError(
            f"'{slot.title_en}' is required: it can be marked not applicable only with a "
            "reason (the cover prints it)."
        )
