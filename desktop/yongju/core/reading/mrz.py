"""The machine-readable zone of passports (TD3) and ID cards (TD1) (ICAO 9303), checked.

OCR confuses a few characters (O and 0, I and 1, « for <<); those are repaired only where the
field's kind allows one reading (digits in dates), or where exactly one reading makes every
check digit agree (document numbers). A zone whose check digits still fail is returned with
``problems`` and proposes nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

_WEIGHTS = (7, 3, 1)
_TO_DIGIT = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2",
                           "S": "5", "G": "6", "B": "8", "<": "0"})  # fmt: skip
_TO_LETTER = str.maketrans({"0": "O", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B"})
_AMBIGUOUS = {"0": "O", "O": "0", "1": "I", "I": "1", "5": "S", "S": "5", "8": "B", "B": "8",
              "2": "Z", "Z": "2"}  # fmt: skip
_FILLER_LOOKALIKES = str.maketrans({c: "<" for c in "‹〈＜(<[{«"})
_VALID = re.compile(r"^[A-Z0-9<]+$")
# Symbols and other scripts' letters OCR puts for Latin ones (∪ for U, Cyrillic О for O…).
_LETTER_LOOKALIKES = str.maketrans(
    {"∪": "U", "∩": "N", "○": "O", "〇": "O", "Ø": "O", "丨": "I", "А": "A", "В": "B", "Е": "E",
     "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X", "У": "Y"}
)  # fmt: skip
TD3_LENGTH = 44
TD1_LENGTH = 30


def check_digit(field_text: str) -> int:
    """ICAO 9303 check digit: digits as themselves, A=10 … Z=35, < = 0, weights 7 3 1."""
    total = 0
    for index, char in enumerate(field_text):
        if char.isdigit():
            value = int(char)
        elif "A" <= char <= "Z":
            value = ord(char) - ord("A") + 10
        elif char == "<":
            value = 0
        else:
            raise ValueError(f"not an MRZ character: {char!r}")
        total += value * _WEIGHTS[index % 3]
    return total % 10


@dataclass(frozen=True)
class MrzResult:
    """What a machine-readable zone says, and whether its check digits agree."""

    kind: str  # "TD3" (passport) or "TD1" (ID card)
    lines: tuple[str, ...]
    document_type: str
    issuing_state: str
    document_number: str
    nationality: str
    surname: str
    given_names: str
    birth_date: dt.date | None
    sex: str
    expiry_date: dt.date | None
    problems: tuple[str, ...] = field(default=())

    @property
    def valid(self) -> bool:
        """Every check digit agrees and the dates are real dates."""
        return not self.problems

    @property
    def name(self) -> str:
        return f"{self.surname}, {self.given_names}".strip(", ")


def _clean(line: str) -> str:
    """An OCR line as MRZ characters: upper case, no spaces, look-alikes of < mapped."""
    # A J or I in a proportional font often comes out as a bar; dates map I to 1 later.
    text = unicodedata.normalize("NFKC", line).upper()  # full-width forms, Ⅰ (a numeral) → I
    text = text.replace("«", "<<").replace("|", "I").translate(_FILLER_LOOKALIKES)
    return "".join(text.split()).translate(_LETTER_LOOKALIKES)


def _name_field(text: str) -> tuple[str, str]:
    """Surname and given names from ``SURNAME<<GIVEN<NAMES<<<``."""
    text = text.translate(_TO_LETTER)
    surname, _, given = text.partition("<<")
    # Fillers misread as K: a run of K after the names' end ("ANNA<MARIA<<<KK<<<"), or a
    # lone K between fillers. Names never look like that.
    given = re.sub(r"(?<=<<)K+(?=<|$)|(?<=<)K(?=<)", lambda m: "<" * len(m.group()), given)
    return surname.replace("<", " ").strip(), " ".join(given.replace("<", " ").split())


def _date(text: str, *, future: bool, today: dt.date) -> dt.date | None:
    """YYMMDD; a birth date is in the past, an expiry within 50 years around today."""
    if not text.isdigit():
        return None
    year, month, day = int(text[:2]), int(text[2:4]), int(text[4:6])
    century = 2000 if future or 2000 + year <= today.year else 1900
    if future and 2000 + year > today.year + 50:
        century = 1900
    try:
        return dt.date(century + year, month, day)
    except ValueError:
        return None


def _digits(text: str) -> str:
    return text.translate(_TO_DIGIT)


def _check(name: str, value: str, digit: str, problems: list[str]) -> None:
    computed = check_digit(value) if _VALID.match(value) else None
    if computed is None or not digit.isdigit() or computed != int(digit):
        shown = "?" if computed is None else str(computed)
        problems.append(
            f"the check digit of the {name} does not match (read {digit!r}, computed {shown})"
        )


def _document_number(number: str, digit: str) -> str:
    """The one reading of an alphanumeric number whose check digit agrees (O/0, I/1…)."""
    if digit.isdigit() and check_digit(number) == int(digit):
        return number
    positions = [i for i, c in enumerate(number) if c in _AMBIGUOUS][:8]
    matches = []
    for choice in itertools.product((False, True), repeat=len(positions)):
        chars = list(number)
        for flip, position in zip(choice, positions, strict=True):
            if flip:
                chars[position] = _AMBIGUOUS[chars[position]]
        candidate = "".join(chars)
        if digit.isdigit() and check_digit(candidate) == int(digit):
            matches.append(candidate)
    return matches[0] if len(matches) == 1 else number


def parse_td3(line1: str, line2: str, today: dt.date | None = None) -> MrzResult:
    """A passport's two 44-character lines."""
    today = today or dt.date.today()
    line1, line2 = _clean(line1), _clean(line2)
    problems: list[str] = []
    if len(line1) != TD3_LENGTH or len(line2) != TD3_LENGTH:
        problems.append(f"the lines are {len(line1)} and {len(line2)} characters, not 44")
        line1, line2 = line1.ljust(TD3_LENGTH, "<")[:44], line2.ljust(TD3_LENGTH, "<")[:44]
    number = _document_number(line2[0:9], _digits(line2[9]))
    birth, expiry = _digits(line2[13:19]), _digits(line2[21:27])
    digits = {i: _digits(line2[i]) for i in (9, 19, 27, 42, 43)}
    personal = line2[28:42]
    _check("document number", number, digits[9], problems)
    _check("date of birth", birth, digits[19], problems)
    _check("date of expiry", expiry, digits[27], problems)
    if personal.strip("<") or digits[42] not in ("0", "<"):
        _check("personal number", personal, line2[42], problems)
    composite = number + digits[9] + birth + digits[19] + expiry + digits[27] + personal + line2[42]
    _check("whole zone (composite)", composite, digits[43], problems)
    surname, given = _name_field(line1[5:44])
    return _result("TD3", (line1, line2), line1[0:2], line1[2:5], number, line2[10:13],
                   surname, given, birth, line2[20], expiry, problems, today)  # fmt: skip


def parse_td1(line1: str, line2: str, line3: str, today: dt.date | None = None) -> MrzResult:
    """An ID card's three 30-character lines."""
    today = today or dt.date.today()
    lines = [_clean(line) for line in (line1, line2, line3)]
    problems: list[str] = []
    if any(len(line) != TD1_LENGTH for line in lines):
        problems.append("the lines are " + ", ".join(str(len(x)) for x in lines) + ", not 30")
        lines = [line.ljust(TD1_LENGTH, "<")[:TD1_LENGTH] for line in lines]
    line1, line2, line3 = lines
    number = _document_number(line1[5:14], _digits(line1[14]))
    birth, expiry = _digits(line2[0:6]), _digits(line2[8:14])
    _check("document number", number, _digits(line1[14]), problems)
    _check("date of birth", birth, _digits(line2[6]), problems)
    _check("date of expiry", expiry, _digits(line2[14]), problems)
    upper = line1[0:5] + number + _digits(line1[14]) + line1[15:30]
    composite = upper[5:30] + birth + _digits(line2[6]) + expiry + _digits(line2[14])
    composite += line2[18:29]
    _check("whole zone (composite)", composite, _digits(line2[29]), problems)
    surname, given = _name_field(line3)
    return _result("TD1", (line1, line2, line3), line1[0:2], line1[2:5], number, line2[15:18],
                   surname, given, birth, line2[7], expiry, problems, today)  # fmt: skip


def _result(
    kind: str,
    lines: tuple[str, ...],
    document_type: str,
    issuing_state: str,
    number: str,
    nationality: str,
    surname: str,
    given: str,
    birth: str,
    sex: str,
    expiry: str,
    problems: list[str],
    today: dt.date,
) -> MrzResult:
    birth_date = _date(birth, future=False, today=today)
    expiry_date = _date(expiry, future=True, today=today)
    if birth_date is None:
        problems.append(f"the date of birth {birth!r} is not a date")
    if expiry_date is None:
        problems.append(f"the date of expiry {expiry!r} is not a date")
    return MrzResult(
        kind=kind,
        lines=lines,
        document_type=document_type.replace("<", ""),
        issuing_state=issuing_state.translate(_TO_LETTER).replace("<", ""),
        document_number=number.replace("<", ""),
        nationality=nationality.translate(_TO_LETTER).replace("<", ""),
        surname=surname,
        given_names=given,
        birth_date=birth_date,
        sex=sex if sex in ("M", "F") else "",
        expiry_date=expiry_date,
        problems=tuple(problems),
    )


def _candidates(lines: Sequence[str]) -> list[tuple[int, str]]:
    """Lines that look like MRZ lines: long, mostly A–Z 0–9 <, with fillers."""
    found = []
    for index, line in enumerate(lines):
        text = _clean(line)
        if len(text) >= 26 and text.count("<") >= 2 and _VALID.match(text):
            found.append((index, text))
    return found


def _repaired_length(text: str, length: int) -> str:
    """A line one or two characters short or long, mended at its filler run."""
    if len(text) < length:
        run = max(re.finditer(r"<+", text), key=lambda m: len(m.group()), default=None)
        if run is not None:
            missing = length - len(text)
            return text[: run.end()] + "<" * missing + text[run.end() :]
    if len(text) > length:
        extra = len(text) - length
        run = max(re.finditer(r"<+", text), key=lambda m: len(m.group()), default=None)
        if run is not None and len(run.group()) > extra:
            return text[: run.end() - extra] + text[run.end() :]
    return text


def find_mrz(lines: Sequence[str], today: dt.date | None = None) -> MrzResult | None:
    """The machine-readable zone among a page's text lines, or None when there is none.

    Among several readings the one whose check digits agree wins; a zone found whose
    digits all fail is still returned (with its problems) so the user learns why.
    """
    found = _candidates(lines)
    readings: list[MrzResult] = []
    for (i, first), (j, second) in itertools.pairwise(found):
        if j - i > 2:
            continue
        # The name line's filler run is where OCR loses or adds characters: it may be far off.
        names_line = first[0] in "PV" and 34 <= len(first) <= TD3_LENGTH + 4
        if names_line and abs(len(second) - TD3_LENGTH) <= 2:
            readings.append(
                parse_td3(
                    _repaired_length(first, TD3_LENGTH),
                    _repaired_length(second, TD3_LENGTH),
                    today,
                )
            )
    for (i, a), (_, b), (k, c) in zip(found, found[1:], found[2:], strict=False):
        if k - i <= 4 and all(abs(len(x) - TD1_LENGTH) <= 2 for x in (a, b, c)):
            a, b, c = (_repaired_length(x, TD1_LENGTH) for x in (a, b, c))
            readings.append(parse_td1(a, b, c, today))
    if not readings:
        return None
    return min(readings, key=lambda r: len(r.problems))
