"""Proposals from a document's text: slot, title, dates, language and origin — only when sure.

Each proposal carries the page and the words it came from. Where the evidence is weak or
contradicts itself (two different issue dates, a machine-readable zone whose check digits
fail) nothing is proposed and a note says why: a wrong date is worse than none.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from yongju.core.reading import clues
from yongju.core.reading.dates import DateCandidate, DateField, labelled_dates, normalise
from yongju.core.reading.mrz import MrzResult, find_mrz
from yongju.core.reading.pages import PageText
from yongju.core.suggest import suggest_slot


class Field(StrEnum):
    """What a proposal would set on the document."""

    SLOT = "slot"
    TITLE = "title"
    ISSUED = "issued"
    EXPIRES = "expires"
    LANGUAGE = "language"
    ISSUED_IN = "issued_in"


@dataclass(frozen=True)
class Proposal:
    """One value proposed for a document, with where it was found (1-based page, the words)."""

    field: Field
    value: str  # ISO date for dates; slot id; language code; china | abroad | mission
    page: int
    evidence: str


@dataclass(frozen=True)
class Reading:
    """Everything reading a document's text proposes, and why some things were not proposed."""

    proposals: tuple[Proposal, ...]
    notes: tuple[str, ...] = ()
    mrz: MrzResult | None = None

    def get(self, field: Field) -> Proposal | None:
        for proposal in self.proposals:
            if proposal.field is field:
                return proposal
        return None


_SLOT_MIN_SCORE = 6.0  # one Chinese word of two characters, or a Latin word of six letters
_SLOT_MARGIN = 1.5  # the best slot must score this much more than the runner-up
_TITLE_LINES = 8  # a keyword in the first lines (the title) counts double


def _matches(keyword: str, text: str) -> bool:
    keyword = normalise(keyword).strip()
    if not keyword:
        return False
    if keyword.isascii():
        return re.search(rf"(?<![a-z0-9]){re.escape(keyword)}(?![a-z0-9])", text) is not None
    return keyword in text


def slot_scores(
    lines: Sequence[str], keywords: Mapping[str, Sequence[str]]
) -> list[tuple[float, str, str]]:
    """(score, slot id, the keyword that weighed most) for each slot with a match, best first."""
    head = normalise("\n".join(lines[:_TITLE_LINES]))
    body = normalise("\n".join(lines))[:8000]
    scored = []
    for slot_id, words in keywords.items():
        score, best_word, best_weight = 0.0, "", 0.0
        for word in words:
            weight = float(len(word) if word.isascii() else 3 * len(word))
            if _matches(word, head):
                weight *= 2
            elif not _matches(word, body):
                continue
            score += weight
            if weight > best_weight:
                best_word, best_weight = word, weight
        if score:
            scored.append((score, slot_id, best_word))
    return sorted(scored, reverse=True)


def _fits_origin(slot_id: str, origin: str | None) -> bool:
    """A slot named for papers from abroad never takes a Chinese one, nor the reverse.

    (A Chinese police certificate says 无犯罪记录证明 just as a translated foreign one does.)
    """
    if origin == "china":
        return "foreign" not in slot_id
    if origin in ("abroad", "mission"):
        return "china" not in slot_id
    return True


def _slot(
    pages: Sequence[PageText],
    keywords: Mapping[str, Sequence[str]],
    mrz: MrzResult | None,
    origin: str | None = None,
) -> Proposal | None:
    if mrz is not None and not mrz.document_type.startswith("P"):
        return None  # an identity card: which slot wants a foreign one is not for us to say
    if mrz is not None and mrz.valid:
        for slot_id, words in keywords.items():
            if any(w.lower() == "passport" for w in words):
                return Proposal(Field.SLOT, slot_id, 1, "machine-readable zone of a passport")
    for page in pages[:2]:
        scores = [x for x in slot_scores(page.lines, keywords) if _fits_origin(x[1], origin)]
        if not scores:
            continue
        keywords = {slot_id: keywords[slot_id] for _, slot_id, _ in scores}
        best = scores[0]
        runner_up = scores[1][0] if len(scores) > 1 else 0.0
        # The keyword matcher suggestions use everywhere must agree with the scores here.
        agreed = suggest_slot("", page.text, keywords) == best[1]
        if best[0] >= _SLOT_MIN_SCORE and best[0] >= _SLOT_MARGIN * runner_up and agreed:
            return Proposal(Field.SLOT, best[1], page.index + 1, best[2])
        return None
    return None


def _plausible(field: DateField, value: dt.date, today: dt.date) -> bool:
    if field is DateField.ISSUED:
        return dt.date(1950, 1, 1) <= value <= today
    return dt.date(1990, 1, 1) <= value <= today.replace(year=today.year + 60)


def _dates(
    pages: Sequence[PageText], today: dt.date, notes: list[str]
) -> dict[DateField, Proposal]:
    """Per field, the date of the first page that labels one, if that page agrees with itself."""
    chosen: dict[DateField, Proposal] = {}
    for field in DateField:
        for page in pages:
            found = [c for c in labelled_dates(page.lines) if _field_of(c) is field]
            if not found:
                continue
            readable = [c for c in found if isinstance(c, DateCandidate)]
            values = {c.date for c in readable}
            if len(readable) < len(found):
                notes.append(
                    f"page {page.index + 1}: a {field.value} date could not be read safely"
                )
            elif len(values) > 1:
                shown = ", ".join(sorted(v.isoformat() for v in values))
                notes.append(f"page {page.index + 1}: different {field.value} dates ({shown})")
            elif not _plausible(field, readable[0].date, today):
                notes.append(
                    f"page {page.index + 1}: the {field.value} date "
                    f"{readable[0].date.isoformat()} is implausible"
                )
            else:
                first = readable[0]
                chosen[field] = Proposal(
                    Field(field.value), first.date.isoformat(), page.index + 1, first.evidence
                )
            break
    issued, expires = chosen.get(DateField.ISSUED), chosen.get(DateField.EXPIRES)
    if issued and expires and expires.value <= issued.value:
        notes.append(f"the expiry date {expires.value} is not after the issue date {issued.value}")
        return {}
    return chosen


def _field_of(candidate: DateCandidate | tuple[DateField, int]) -> DateField:
    return candidate.field if isinstance(candidate, DateCandidate) else candidate[0]


def _find_mrz(pages: Sequence[PageText], today: dt.date) -> tuple[MrzResult | None, int]:
    best: tuple[MrzResult | None, int] = (None, 0)
    for page in pages:
        found = find_mrz(page.lines, today)
        if found is not None and (best[0] is None or (found.valid and not best[0].valid)):
            best = (found, page.index + 1)
    return best


def propose(
    pages: Sequence[PageText],
    keywords: Mapping[str, Sequence[str]] | None = None,
    today: dt.date | None = None,
) -> Reading:
    """What the text of ``pages`` proposes. ``keywords``: slot id → words of the case's profile."""
    today = today or dt.date.today()
    notes: list[str] = []
    proposals: list[Proposal] = []
    mrz, mrz_page = _find_mrz(pages, today)
    dates = _dates(pages, today, notes)
    if mrz is not None and not mrz.valid:
        notes.append("machine-readable zone not used: " + "; ".join(mrz.problems))
    if mrz is not None and mrz.valid and mrz.expiry_date is not None:
        # Check digits make the zone more trustworthy than the printed expiry.
        dates[DateField.EXPIRES] = Proposal(
            Field.EXPIRES,
            mrz.expiry_date.isoformat(),
            mrz_page,
            mrz.lines[1],
        )
        issued = dates.get(DateField.ISSUED)
        if issued is not None and issued.value >= dates[DateField.EXPIRES].value:
            del dates[DateField.ISSUED]
    first = pages[0] if pages else None
    all_text = "\n".join(p.text for p in pages[:3])
    if mrz is not None and mrz.valid and mrz.document_type.startswith("P"):
        proposals.append(
            Proposal(
                Field.TITLE,
                f"Passport {mrz.issuing_state} {mrz.name}".strip(),
                mrz_page,
                mrz.lines[0],
            )
        )
    elif first is not None and (found_title := clues.title(first.lines)) is not None:
        proposals.append(Proposal(Field.TITLE, found_title[0], first.index + 1, found_title[1]))
    proposals.extend(dates[field] for field in DateField if field in dates)
    lang = clues.language(all_text)
    if lang is not None and mrz is None:
        proposals.append(Proposal(Field.LANGUAGE, lang[0], 1, lang[1]))
    lines = [line for p in pages[:3] for line in p.lines]
    where = clues.origin(lines, lang[0] if lang else None)
    if where is not None and mrz is None:
        page = next((p.index + 1 for p in pages if where[1] in p.text), 1)
        proposals.append(Proposal(Field.ISSUED_IN, where[0], page, where[1]))
    if keywords:
        slot = _slot(pages, keywords, mrz, where[0] if where else None)
        if slot is not None:
            proposals.insert(0, slot)
    return Reading(tuple(proposals), tuple(notes), mrz)
