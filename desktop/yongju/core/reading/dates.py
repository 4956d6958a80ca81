"""Issue and expiry dates found next to their labels, in Chinese and European languages.

Only a date that follows an issue or expiry label is taken, never a date alone: a wrong date
proposed is worse than none. Numeric dates are read day first (European) except where the
year leads; a slashed date whose day and month could be swapped is not read at all.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class DateField(StrEnum):
    ISSUED = "issued"
    EXPIRES = "expires"


_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan januari januar janvier janv jänner janner enero ene",
        "february feb februari februar fevrier fevr fev febrero",
        "march mar maart mrt marz maerz mars marzo",
        "april apr avril avr abril abr",
        "may mei mai mayo",
        "june jun juni juin junio",
        "july jul juli juillet juil julio",
        "august aug augustus aout agosto ago",
        "september sep sept septembre septiembre setiembre set",
        "october oct oktober okt octobre octubre",
        "november nov novembre noviembre",
        "december dec dezember dez decembre diciembre dic",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "o": 0, "O": 0}

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cjk", re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")),
    (
        "cjk_words",
        re.compile(
            r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月"
            r"([一二三四五六七八九十]{1,3})日"
        ),
    ),
    ("ymd", re.compile(r"(?<!\d)(\d{4})\s?([-./])\s?(\d{1,2})\s?\2\s?(\d{1,2})(?!\d)")),
    ("dmy", re.compile(r"(?<!\d)(\d{1,2})\s?([-./])\s?(\d{1,2})\s?\2\s?(\d{4})(?!\d)")),
    (
        "d_month_y",
        re.compile(
            r"(?<![\d])(\d{1,2})(?:er|st|nd|rd|th|\.)?\s*(?:de\s+)?"
            + _MONTH
            + r"(?:\s*/\s*[a-z]{3,9}\.?)?\s*(?:de\s+)?,?\s*(\d{4})(?!\d)"
        ),
    ),
    ("month_d_y", re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)")),
)


def normalise(text: str) -> str:
    """Full-width forms folded (NFKC), accents dropped, lower case: what labels are matched on."""
    folded = unicodedata.normalize("NFKC", text)
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", folded) if unicodedata.category(c) != "Mn"
    )
    return unicodedata.normalize("NFC", stripped).casefold()


@dataclass(frozen=True)
class FoundDate:
    """A date in a normalised line: where it starts and ends, and whether it is ambiguous."""

    date: dt.date | None  # None: it looks like a date but cannot be read safely
    start: int
    end: int
    swappable: bool = False  # 03/04/2026: day first in Europe, month first in the US


def _cn_number(text: str) -> int:
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return int("".join(str(_CN_DIGITS[c]) for c in text))


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day) if 1900 <= year <= 2100 else None
    except ValueError:
        return None


def _read(kind: str, match: re.Match[str]) -> dt.date | None:
    groups = match.groups()
    if kind == "cjk":
        return _make(int(groups[0]), int(groups[1]), int(groups[2]))
    if kind == "cjk_words":
        year = int("".join(str(_CN_DIGITS[c]) for c in groups[0]))
        return _make(year, _cn_number(groups[1]), _cn_number(groups[2]))
    if kind == "ymd":
        return _make(int(groups[0]), int(groups[2]), int(groups[3]))
    if kind == "dmy":
        day, separator, month = int(groups[0]), groups[1], int(groups[2])
        del separator  # day first; whether a slashed date may be US style is decided by its label
        return _make(int(groups[3]), month, day)
    if kind == "d_month_y":
        return _make(int(groups[2]), _MONTHS[groups[1]], int(groups[0]))
    return _make(int(groups[2]), _MONTHS[groups[0]], int(groups[1]))


def find_dates(line: str) -> list[FoundDate]:
    """Every date in a normalised line, left to right, without overlaps."""
    found: list[FoundDate] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(line):
            if any(f.start < match.end() and match.start() < f.end for f in found):
                continue
            groups = match.groups()
            swappable = (
                kind == "dmy"
                and groups[1] == "/"
                and groups[0] != groups[2]
                and int(groups[0]) <= 12
                and int(groups[2]) <= 12
            )
            found.append(FoundDate(_read(kind, match), match.start(), match.end(), swappable))
    return sorted(found, key=lambda f: f.start)


# Labels, normalised (no accents, lower case); spaces match any spacing, even none.
ISSUE_LABELS = (
    "签发日期|发证日期|签发时间|发证时间|出具日期|开具日期|颁发日期|填发日期|登记日期|签发于",
    "date of issue|issue date|issued on|date issued|date of issuance|issuing date|issued:",
    "delivre le|delivree le|date de delivrance|fait le|date d'emission|emis le|etabli le",
    "afgegeven op|datum van afgifte|afgiftedatum|uitgegeven op|datum afgifte|opgemaakt op",
    "ausgestellt am|ausstellungsdatum|datum der ausstellung|ausgestellt:",
    "fecha de expedicion|fecha de emision|expedido el|expedida el",
)
EXPIRY_LABELS = (
    "有效期至|有效期限至|有效日期至|有效期到|截止日期|失效日期|到期日期|到期日",
    "valid until|expiry date|date of expiry|expires on|expiration date|valid thru|expires:",
    "valid till|valable jusqu'au|valable jusqu au|date d'expiration|expire le|date d'echeance",
    "geldig tot en met|geldig tot|vervaldatum|gultig bis|ablaufdatum|gueltig bis",
    "valido hasta|fecha de caducidad|fecha de vencimiento",
)
RANGE_LABELS = ("有效期限|有效期|validity|period of validity|valid from|gultig von|geldig van",)
# Other dated labels: a date after them is not an issue or expiry date.
OTHER_LABELS = (
    "出生日期|出生|生日|结婚日期|入境日期|出境日期",
    "date of birth|birth date|born|date de naissance|ne le|nee le|geboortedatum|geboren",
    "geburtsdatum|fecha de nacimiento|date of marriage|entry date|date of entry",
)


def _label_pattern(groups: Sequence[str]) -> str:
    labels: list[str] = []
    for group in groups:
        labels.extend(group.split("|"))
    escaped = []
    for label in sorted(labels, key=len, reverse=True):
        body = r"\s*".join(re.escape(part) for part in label.split())
        # Latin labels are whole words: "fait le" must not match inside "portrait leasing".
        escaped.append(rf"(?<![a-z]){body}(?![a-z])" if label.isascii() else body)
    return "|".join(escaped)


_LABEL = re.compile(
    "|".join(
        f"(?P<{name}>{_label_pattern(groups)})"
        for name, groups in (
            ("expires", EXPIRY_LABELS),
            ("issued", ISSUE_LABELS),
            ("range", RANGE_LABELS),
            ("other", OTHER_LABELS),
        )
    )
)
_GAP = re.compile(r"[^\d]{0,40}")  # between a label and its date: no digits, not far
_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|~|至|到|to|until|bis|tot|au)\s*")


@dataclass(frozen=True)
class DateCandidate:
    """A date found after a label: which field, on which line, and the line's words."""

    field: DateField
    date: dt.date
    line: int
    evidence: str


@dataclass(frozen=True)
class _Label:
    kind: str
    start: int
    end: int
    english: bool = False  # an English label: a slashed date after it may be month first


_ENGLISH = re.compile(
    _label_pattern((ISSUE_LABELS[1], EXPIRY_LABELS[1], "valid till|validity|period of validity"))
)


_SAME_LABEL_GAP = re.compile(r"[\s/|:,()-]*")


def _labels(line: str) -> list[_Label]:
    """Labels in a line; a bilingual pair ("Date of issue / Date de délivrance") counts once."""
    found: list[_Label] = []
    for match in _LABEL.finditer(line):
        english = _ENGLISH.fullmatch(match.group()) is not None
        label = _Label(match.lastgroup or "other", match.start(), match.end(), english)
        last = found[-1] if found else None
        if (
            last
            and last.kind == label.kind
            and _SAME_LABEL_GAP.fullmatch(line[last.end : label.start])
        ):
            found[-1] = _Label(last.kind, last.start, label.end, last.english or label.english)
        else:
            found.append(label)
    return found


def _date_after(line: str, start: int, dates: list[FoundDate]) -> FoundDate | None:
    """The first date after ``start`` if only a short, digit-free gap separates them."""
    for date in dates:
        if date.start >= start:
            gap = line[start : date.start]
            return date if _GAP.fullmatch(gap) else None
    return None


def _emit(
    label: _Label, first: FoundDate, line: str, dates: list[FoundDate]
) -> list[tuple[DateField, FoundDate]]:
    if label.kind == "issued":
        return [(DateField.ISSUED, first)]
    if label.kind == "expires":
        return [(DateField.EXPIRES, first)]
    if label.kind == "range":
        later = [d for d in dates if d.start >= first.end]
        if later and _RANGE_JOIN.fullmatch(line[first.end : later[0].start]):
            return [(DateField.ISSUED, first), (DateField.EXPIRES, later[0])]
    return []


def labelled_dates(lines: Sequence[str]) -> list[DateCandidate | tuple[DateField, int]]:
    """Dates that follow an issue, expiry or validity label, in page order.

    A label at the end of its line takes the date at the start of the next line; a row of
    several labels (a passport's column headings) takes the next line's dates in order,
    only when there are as many. An unreadable date after a label is returned as
    ``(field, line)`` so the caller knows a date was there but could not be trusted.
    """
    normal = [normalise(line) for line in lines]
    found: list[DateCandidate | tuple[DateField, int]] = []
    for index, line in enumerate(normal):
        labels = _labels(line)
        if not labels:
            continue
        dates = find_dates(line)
        pending: list[_Label] = []
        for position, label in enumerate(labels):
            limit = labels[position + 1].start if position + 1 < len(labels) else len(line)
            date = _date_after(line, label.end, [d for d in dates if d.start < limit])
            if date is None:
                if label.end <= limit and not [d for d in dates if label.end <= d.start < limit]:
                    pending.append(label)
                continue
            found.extend(_candidates(label, date, line, dates, index, lines[index]))
        if pending and index + 1 < len(normal):
            found.extend(_from_next_line(pending, normal[index + 1], index + 1, lines))
    return found


def _candidates(
    label: _Label,
    date: FoundDate,
    line: str,
    dates: list[FoundDate],
    index: int,
    evidence: str,
) -> list[DateCandidate | tuple[DateField, int]]:
    out: list[DateCandidate | tuple[DateField, int]] = []
    for field, found in _emit(label, date, line, dates):
        value = None if found.swappable and label.english else found.date
        out.append(
            (field, index) if value is None else DateCandidate(field, value, index, evidence)
        )
    return out


def _from_next_line(
    pending: list[_Label], next_line: str, index: int, lines: Sequence[str]
) -> list[DateCandidate | tuple[DateField, int]]:
    dates = find_dates(next_line)
    if _labels(next_line) or not dates:
        return []
    evidence = f"{lines[index - 1].strip()} / {lines[index].strip()}"
    if len(pending) == 1:
        date = _date_after(next_line, 0, dates)
        if date is None:
            return []
        return _candidates(pending[0], date, next_line, dates, index, evidence)
    if len(pending) != len(dates) or any(p.kind == "range" for p in pending):
        return []
    out: list[DateCandidate | tuple[DateField, int]] = []
    for label, date in zip(pending, dates, strict=True):
        out.extend(_candidates(label, date, next_line, dates, index, evidence))
    return out
