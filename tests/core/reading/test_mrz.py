"""The machine-readable zone: ICAO 9303 specimens, check digits, and OCR's usual misreadings."""

from __future__ import annotations

import datetime as dt

import pytest
from benchmarks.mrz_lines import td1, td3

from yongju.core.reading.mrz import check_digit, find_mrz, parse_td1, parse_td3

TODAY = dt.date(2026, 12, 1)
# The specimens of ICAO Doc 9303 (part 4, TD3; part 5, TD1).
TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)


@pytest.mark.parametrize(
    ("text", "digit"),
    [("L898902C3", 6), ("740812", 2), ("120415", 9), ("D23145890", 7), ("<<<", 0)],
)
def test_check_digits_of_the_specimens(text: str, digit: int) -> None:
    assert check_digit(text) == digit


def test_a_passport_zone_gives_its_fields() -> None:
    mrz = parse_td3(*TD3, today=TODAY)
    assert mrz.valid, mrz.problems
    assert (mrz.kind, mrz.document_type, mrz.issuing_state) == ("TD3", "P", "UTO")
    assert (mrz.document_number, mrz.nationality, mrz.sex) == ("L898902C3", "UTO", "F")
    assert (mrz.surname, mrz.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert mrz.birth_date == dt.date(1974, 8, 12)
    assert mrz.expiry_date == dt.date(2012, 4, 15)


def test_an_id_card_zone_gives_its_fields() -> None:
    mrz = parse_td1(*TD1, today=TODAY)
    assert mrz.valid, mrz.problems
    assert (mrz.kind, mrz.document_number, mrz.nationality) == ("TD1", "D23145890", "UTO")
    assert (mrz.surname, mrz.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert (mrz.birth_date, mrz.expiry_date) == (dt.date(1974, 8, 12), dt.date(2012, 4, 15))


@pytest.mark.parametrize(
    ("position", "name"),
    [(9, "document number"), (19, "date of birth"), (27, "date of expiry"), (43, "composite")],
)
def test_a_wrong_check_digit_is_named(position: int, name: str) -> None:
    line = TD3[1]
    wrong = str((int(line[position]) + 1) % 10)
    mrz = parse_td3(TD3[0], line[:position] + wrong + line[position + 1 :], today=TODAY)
    assert not mrz.valid
    assert any(name in problem for problem in mrz.problems), mrz.problems


def test_a_changed_date_fails_its_check_digit() -> None:
    # The expiry read as 2013 instead of 2012: the digit no longer agrees.
    mrz = parse_td3(TD3[0], TD3[1].replace("1204159", "1304159"), today=TODAY)
    assert not mrz.valid
    assert any("date of expiry" in p for p in mrz.problems)


def test_a_wrong_td1_check_digit_is_named() -> None:
    mrz = parse_td1(TD1[0], TD1[1].replace("1204159", "1204158"), TD1[2], today=TODAY)
    assert not mrz.valid
    assert any("date of expiry" in p for p in mrz.problems)


def test_ocr_misreadings_are_mended_only_where_the_digits_agree() -> None:
    # O for 0 in dates, « for <<, spaces, a name's 0 for O, fillers read as K, short filler run.
    noisy = [
        "REPUBLIC OF UTOPIA",
        "P<UTOERIKSS0N«ANNA<MARIA<<<<<<<<<KK<<<<<<",
        "L898902C3 6UTO74O8122F12O4159ZE184226B<<<<<10",
    ]
    mrz = find_mrz(noisy, TODAY)
    assert mrz is not None and mrz.valid, mrz
    assert (mrz.surname, mrz.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert mrz.expiry_date == dt.date(2012, 4, 15)


def test_a_document_number_is_mended_by_its_check_digit() -> None:
    # A passport number with an O read as 0: only one reading makes the digit agree.
    birth, expiry = dt.date(1980, 1, 1), dt.date(2030, 1, 1)
    line1, line2 = td3("Peeters", "Jan", "XHOO77349", "BEL", birth, "M", expiry)
    mrz = parse_td3(line1, "XH0O" + line2[4:], TODAY)
    assert mrz.valid, mrz.problems
    assert mrz.document_number == "XHOO77349"


def test_generated_zones_read_back() -> None:
    birth, expiry = dt.date(1988, 2, 29), dt.date(2031, 7, 9)
    passport = parse_td3(*td3("Van Damme", "Lotte Marie", "EP7781203", "NLD", birth, "F", expiry))
    card = parse_td1(*td1("Müller", "Anna", "L01X00T47", "D", birth, "F", expiry, issuing="D"))
    assert passport.valid and card.valid, (passport.problems, card.problems)
    assert (passport.surname, passport.given_names) == ("VAN DAMME", "LOTTE MARIE")
    assert (passport.birth_date, passport.expiry_date) == (birth, expiry)
    assert (card.document_number, card.expiry_date) == ("L01X00T47", expiry)
    assert (card.surname, card.nationality) == ("MUELLER", "D")


def test_no_zone_in_ordinary_text() -> None:
    assert find_mrz(["Extrait de casier judiciaire", "Délivré le 3 octobre 2026"], TODAY) is None


def test_lookalike_symbols_in_a_zone_are_read_as_letters() -> None:
    # Seen on a phone photo: ∪ for U in the name, spaces between fillers.
    lines = td1(
        "Dubois", "Lea", "953454347", "BEL", dt.date(1979, 3, 28), "M", dt.date(2031, 10, 5)
    )
    seen = [lines[0], lines[1][:18] + " ".join(lines[1][18:]), lines[2].replace("U", "∪", 1)]
    mrz = find_mrz(seen, TODAY)
    assert mrz is not None and mrz.valid, mrz
    assert (mrz.kind, mrz.surname, mrz.expiry_date) == ("TD1", "DUBOIS", dt.date(2031, 10, 5))
