"""What is wrong with one filed document: dates, origin, translation, legalisation, validity.

Origin decides legalisation (only a paper issued abroad needs an apostille or consular
legalisation; a notarised slot wants a Chinese notary for a paper issued in China); language
decides translation. Validity windows are counted in calendar months from the document's
dates to the reference day (the planned submission date, or today when that is earlier).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from yongju.core.dates import add_months, plausible
from yongju.core.profiles import Legalisation, Slot, Validity
from yongju.core.records import DocumentRecord, Origin


class ProblemKind(StrEnum):
    MORE_DOCUMENTS = "more_documents"
    UNDECIDED = "undecided"
    NEEDS_ISSUE_DATE = "needs_issue_date"
    NEEDS_EXPIRY_DATE = "needs_expiry_date"
    NEEDS_LEGALISATION_DATE = "needs_legalisation_date"
    NEEDS_ORIGIN = "needs_origin"
    NEEDS_TRANSLATION = "needs_translation"
    NEEDS_APOSTILLE = "needs_apostille"
    NEEDS_NOTARISATION = "needs_notarisation"
    EXPIRED = "expired"
    EXPIRES_BEFORE_SUBMISSION = "expires_before_submission"
    FREEZE_TOO_SHORT = "freeze_too_short"
    ISSUED_AFTER_SUBMISSION = "issued_after_submission"
    ISSUED_IN_FUTURE = "issued_in_future"
    EXPIRY_BEFORE_ISSUE = "expiry_before_issue"
    IMPLAUSIBLE_DATE = "implausible_date"
    LEGALISED_AFTER_SUBMISSION = "legalised_after_submission"
    EXPIRES_ON_SUBMISSION_DAY = "expires_on_submission_day"  # a warning: still acceptable


# English wording; the window translates the same templates (ui/slot_text.PROBLEM_TEXTS).
PROBLEM_TEMPLATES = {
    ProblemKind.MORE_DOCUMENTS: "{count} more document(s) needed",
    ProblemKind.UNDECIDED: "It applies when: {detail}",
    ProblemKind.NEEDS_ISSUE_DATE: "'{document}' needs its issue date",
    ProblemKind.NEEDS_EXPIRY_DATE: "'{document}' needs its expiry date",
    ProblemKind.NEEDS_LEGALISATION_DATE: "'{document}' needs the date of its legalisation",
    ProblemKind.NEEDS_ORIGIN: "'{document}' needs its origin: issued in China, abroad, "
    "or by a foreign mission in China",
    ProblemKind.NEEDS_TRANSLATION: "'{document}' needs a Chinese translation",
    ProblemKind.NEEDS_APOSTILLE: "'{document}' needs its apostille or legalisation",
    ProblemKind.NEEDS_NOTARISATION: "'{document}' needs its notarisation",
    ProblemKind.EXPIRED: "'{document}' was valid until {until}",
    ProblemKind.EXPIRES_BEFORE_SUBMISSION: "'{document}' is valid only until {until}, "
    "before {reference}",
    ProblemKind.FREEZE_TOO_SHORT: "'{document}' must stay frozen until at least {until}",
    ProblemKind.ISSUED_AFTER_SUBMISSION: "'{document}' is dated {until}, after the "
    "submission date {reference}",
    ProblemKind.ISSUED_IN_FUTURE: "'{document}' is dated {until}, in the future",
    ProblemKind.EXPIRY_BEFORE_ISSUE: "'{document}' expires ({until}) before it was issued "
    "({reference})",
    ProblemKind.IMPLAUSIBLE_DATE: "'{document}' has an impossible date: {until}",
    ProblemKind.LEGALISED_AFTER_SUBMISSION: "'{document}' was legalised on {until}, after "
    "{reference}",
    ProblemKind.EXPIRES_ON_SUBMISSION_DAY: "'{document}' expires on the submission day "
    "({until}): it is still valid, but renew it if the date may slip",
}

# The same in Chinese, as the window's catalogue words them (resources/translations, context
# "Checklist"; a test keeps the two equal): the packet prints both languages.
PROBLEM_TEMPLATES_ZH = {
    ProblemKind.MORE_DOCUMENTS: "还需 {count} 份文件",
    ProblemKind.UNDECIDED: "适用条件：{detail}",
    ProblemKind.NEEDS_ISSUE_DATE: "“{document}”需要填写签发日期",
    ProblemKind.NEEDS_EXPIRY_DATE: "“{document}”需要填写有效期至",
    ProblemKind.NEEDS_LEGALISATION_DATE: "“{document}”需填写认证日期",
    ProblemKind.NEEDS_ORIGIN: "“{document}”需注明出具地：中国境内、国外，或外国驻华使领馆",
    ProblemKind.NEEDS_TRANSLATION: "“{document}”需要中文译文",
    ProblemKind.NEEDS_APOSTILLE: "“{document}”需要海牙认证或领事认证",
    ProblemKind.NEEDS_NOTARISATION: "“{document}”需要公证",
    ProblemKind.EXPIRED: "“{document}”的有效期已于 {until} 截止",
    ProblemKind.EXPIRES_BEFORE_SUBMISSION: "“{document}”仅在 {until} 前有效，早于 {reference}",
    ProblemKind.FREEZE_TOO_SHORT: "“{document}”须冻结至少至 {until}",
    ProblemKind.ISSUED_AFTER_SUBMISSION: "“{document}”的日期为 {until}，晚于递交日期 {reference}",
    ProblemKind.ISSUED_IN_FUTURE: "“{document}”的日期为 {until}，是将来的日期",
    ProblemKind.EXPIRY_BEFORE_ISSUE: "“{document}”的有效期截止日({until})早于签发日({reference})",
    ProblemKind.IMPLAUSIBLE_DATE: "“{document}”的日期不可能：{until}",
    ProblemKind.LEGALISED_AFTER_SUBMISSION: "“{document}”的认证日期为 {until}，晚于 {reference}",
    ProblemKind.EXPIRES_ON_SUBMISSION_DAY: "“{document}”在递交当天({until})到期：仍然有效，"
    "但如递交日期可能推迟，请及时更新",
}

WARNING_KINDS = frozenset({ProblemKind.EXPIRES_ON_SUBMISSION_DAY})


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a slot, as data, so each interface can say it in its language."""

    kind: ProblemKind
    document: str = ""  # the document's title
    count: int = 0
    until: dt.date | None = None
    reference: dt.date | None = None
    detail: str = ""  # the condition of an undecided slot
    detail_zh: str = ""

    @property
    def blocking(self) -> bool:
        return self.kind not in WARNING_KINDS

    @property
    def english(self) -> str:
        text = PROBLEM_TEMPLATES[self.kind].format(
            document=self.document,
            count=self.count,
            until=self.until,
            reference=self.reference,
            detail=self.detail,
        )
        return text.replace("(s)", "" if self.count == 1 else "s").strip()

    @property
    def chinese(self) -> str:
        return (
            PROBLEM_TEMPLATES_ZH[self.kind]
            .format(
                document=self.document,
                count=self.count,
                until=self.until,
                reference=self.reference,
                detail=self.detail_zh or self.detail,
            )
            .strip()
        )


@dataclass(frozen=True)
class Limit:
    """A last acceptable submission day set by one document's date."""

    day: dt.date
    document_id: int
    freeze_months: int | None = None  # set by a strict "valid more than N months after" rule


@dataclass(frozen=True)
class DocumentCheck:
    problems: tuple[Problem, ...]
    limits: tuple[Limit, ...]


def _last_day_before_freeze_end(expires: dt.date, months: int) -> dt.date:
    """The last submission day s with ``expires`` strictly after s + ``months`` months."""
    day = add_months(expires, -months)
    while add_months(day, months) >= expires:
        day -= dt.timedelta(days=1)
    while add_months(day + dt.timedelta(days=1), months) < expires:
        day += dt.timedelta(days=1)
    return day


def date_problems(
    document: DocumentRecord, today: dt.date, submission: dt.date | None
) -> list[Problem]:
    """Dates that cannot be right: impossible, in the future, after submission, out of order."""
    name = document.display_title
    problems: list[Problem] = []
    for day in (document.issued, document.expires, document.legalised_on):
        if day is not None and not plausible(day):
            problems.append(Problem(ProblemKind.IMPLAUSIBLE_DATE, name, until=day))
    if problems:
        return problems
    issued = document.issued
    if issued is not None and submission is not None and issued > submission:
        problems.append(
            Problem(ProblemKind.ISSUED_AFTER_SUBMISSION, name, until=issued, reference=submission)
        )
    elif issued is not None and issued > today:
        problems.append(Problem(ProblemKind.ISSUED_IN_FUTURE, name, until=issued))
    if issued is not None and document.expires is not None and document.expires < issued:
        problems.append(
            Problem(ProblemKind.EXPIRY_BEFORE_ISSUE, name, until=document.expires, reference=issued)
        )
    legalised = document.legalised_on if document.legalised else None
    if legalised is not None and submission is not None and legalised > submission:
        problems.append(
            Problem(
                ProblemKind.LEGALISED_AFTER_SUBMISSION, name, until=legalised, reference=submission
            )
        )
    elif legalised is not None and legalised > today:
        problems.append(Problem(ProblemKind.ISSUED_IN_FUTURE, name, until=legalised))
    return problems


def effective_rules(slot: Slot, document: DocumentRecord, city: str | None) -> Validity:
    """The slot's date rules for this city and this document (``abroad_only`` ones drop away
    for a paper not issued abroad)."""
    rules = slot.validity_for(city)
    if rules.abroad_only and document.issued_in is not Origin.ABROAD:
        return Validity()
    return rules


def legalisation_wanted(
    slot: Slot, document: DocumentRecord, city: str | None
) -> ProblemKind | None:
    """The legalisation this paper needs given its origin (None: none, or origin unknown)."""
    origin = document.issued_in
    legalisation = slot.legalisation_for(city)
    if legalisation is Legalisation.APOSTILLE and origin is Origin.ABROAD:
        return ProblemKind.NEEDS_APOSTILLE
    if legalisation is Legalisation.NOTARISED:
        if origin is Origin.CHINA:
            return ProblemKind.NEEDS_NOTARISATION
        if origin is Origin.ABROAD:  # a foreign notarial deed carries an apostille
            return ProblemKind.NEEDS_APOSTILLE
    return None


def needs_origin(slot: Slot, city: str | None) -> bool:
    return (
        slot.legalisation_for(city) is not Legalisation.NONE or slot.validity_for(city).abroad_only
    )


def check_document(
    slot: Slot,
    document: DocumentRecord,
    legalisations: Sequence[DocumentRecord],
    has_translation: bool,
    city: str | None,
) -> DocumentCheck:
    """The problems of one original and the limits its dates (and its legalisations') set."""
    name = document.display_title
    problems: list[Problem] = []
    limits: list[Limit] = []
    if needs_origin(slot, city) and document.issued_in is None:
        problems.append(Problem(ProblemKind.NEEDS_ORIGIN, name))
    rules = effective_rules(slot, document, city)
    if rules.needs_issue_date and document.issued is None:
        problems.append(Problem(ProblemKind.NEEDS_ISSUE_DATE, name))
    if rules.needs_expiry_date and document.expires is None:
        problems.append(Problem(ProblemKind.NEEDS_EXPIRY_DATE, name))
    if slot.translation and document.language != "zh" and not has_translation:
        problems.append(Problem(ProblemKind.NEEDS_TRANSLATION, name))
    wanted = legalisation_wanted(slot, document, city)
    if wanted is not None and not document.legalised and not legalisations:
        problems.append(Problem(wanted, name))
    limits += _issue_and_expiry_limits(rules, document)
    if wanted is not None and rules.legalised_within_months is not None:
        dated = [(d.issued, d.id) for d in legalisations if d.issued is not None]
        if document.legalised and document.legalised_on is not None:
            dated.append((document.legalised_on, document.id))
        undated = [d for d in legalisations if d.issued is None]
        if document.legalised and document.legalised_on is None:
            problems.append(Problem(ProblemKind.NEEDS_LEGALISATION_DATE, name))
        problems += [Problem(ProblemKind.NEEDS_ISSUE_DATE, d.display_title) for d in undated]
        if dated:  # one recent certificate is enough
            day, doc_id = max(dated)
            limits.append(Limit(add_months(day, rules.legalised_within_months), doc_id))
    return DocumentCheck(tuple(problems), tuple(limits))


def _issue_and_expiry_limits(rules: Validity, document: DocumentRecord) -> list[Limit]:
    limits: list[Limit] = []
    if document.issued is not None:
        if rules.issued_within_months is not None:
            limits.append(
                Limit(add_months(document.issued, rules.issued_within_months), document.id)
            )
        if rules.issued_within_days is not None:
            day = document.issued + dt.timedelta(days=rules.issued_within_days)
            limits.append(Limit(day, document.id))
    if document.expires is not None:  # an expiry date always limits, rule or not
        months = rules.valid_months_after_submission
        if months is not None:
            day = _last_day_before_freeze_end(document.expires, months)
            limits.append(Limit(day, document.id, freeze_months=months))
        else:
            margin = rules.valid_days_after_submission or 0
            limits.append(Limit(document.expires - dt.timedelta(days=margin), document.id))
    return limits
