"""Valid machine-readable zones (ICAO 9303 TD3 and TD1) for generated test documents."""

from __future__ import annotations

import datetime as dt
import unicodedata

from yongju.core.reading.mrz import check_digit

_ICAO = {"Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "SS", "Å": "AA", "Æ": "AE", "Ø": "OE"}


def _field(text: str, length: int) -> str:
    """Upper case, transliterated as ICAO 9303 says (Ü → UE), spaces as fillers, padded."""
    text = "".join(_ICAO.get(c, c) for c in text.upper())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return text.replace(" ", "<").replace("-", "<")[:length].ljust(length, "<")


def _with_digit(text: str) -> str:
    return text + str(check_digit(text))


def td3(
    surname: str,
    given: str,
    number: str,
    nationality: str,
    birth: dt.date,
    sex: str,
    expiry: dt.date,
    issuing: str | None = None,
) -> tuple[str, str]:
    """A passport's two lines, every check digit right."""
    state, nationality = _field(issuing or nationality, 3), _field(nationality, 3)
    line1 = _field(f"P<{state}{_field(surname, 39).rstrip('<')}<<{given}", 44)
    number_part = _with_digit(_field(number, 9))
    birth_part = _with_digit(birth.strftime("%y%m%d"))
    expiry_part = _with_digit(expiry.strftime("%y%m%d"))
    personal = _field("", 14) + "0"
    body = number_part + nationality + birth_part + sex + expiry_part + personal
    composite = number_part + birth_part + expiry_part + personal
    return line1, body + str(check_digit(composite))


def td1(
    surname: str,
    given: str,
    number: str,
    nationality: str,
    birth: dt.date,
    sex: str,
    expiry: dt.date,
    issuing: str | None = None,
) -> tuple[str, str, str]:
    """An identity card's three lines, every check digit right."""
    state, nationality = _field(issuing or nationality, 3), _field(nationality, 3)
    line1 = f"I<{state}" + _with_digit(_field(number, 9)) + _field("", 15)
    birth_part = _with_digit(birth.strftime("%y%m%d"))
    expiry_part = _with_digit(expiry.strftime("%y%m%d"))
    line2 = birth_part + sex + expiry_part + nationality + _field("", 11)
    composite = line1[5:30] + birth_part + expiry_part + line2[18:29]
    line3 = _field(f"{_field(surname, 30).rstrip('<')}<<{given}", 30)
    return line1, line2 + str(check_digit(composite)), line3
