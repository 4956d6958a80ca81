"""Issue and expiry dates next to their labels, per language; unsafe dates are not read."""

from __future__ import annotations

import datetime as dt

import pytest

from yongju.core.reading.dates import DateCandidate, DateField, labelled_dates

ISSUED, EXPIRES = DateField.ISSUED, DateField.EXPIRES
D = dt.date


def _found(*lines: str) -> list[tuple[DateField, dt.date]]:
    return [(c.field, c.date) for c in labelled_dates(lines) if isinstance(c, DateCandidate)]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # Chinese
        (["签发日期：2026年10月2日"], [(ISSUED, D(2026, 10, 2))]),
        (["签发日期 2026 年 10 月 2 日"], [(ISSUED, D(2026, 10, 2))]),
        (["发证日期：2025-03-14"], [(ISSUED, D(2025, 3, 14))]),
        (["有效期至：2027年4月1日"], [(EXPIRES, D(2027, 4, 1))]),
        (["有效期至 2031.05.14"], [(EXPIRES, D(2031, 5, 14))]),
        (["出具日期：二〇二六年十月二日"], [(ISSUED, D(2026, 10, 2))]),
        (["有效期限 2016.05.10-2036.05.10"], [(ISSUED, D(2016, 5, 10)), (EXPIRES, D(2036, 5, 10))]),
        (["签发日期：２０２６年１０月２日"], [(ISSUED, D(2026, 10, 2))]),  # full-width digits
        # English
        (["Date of issue: 2 October 2026"], [(ISSUED, D(2026, 10, 2))]),
        (["Issue date 02.10.2026"], [(ISSUED, D(2026, 10, 2))]),
        (["Valid until October 2, 2031"], [(EXPIRES, D(2031, 10, 2))]),
        (["Expiry date: 14 May 2031"], [(EXPIRES, D(2031, 5, 14))]),
        (["Date of expiry", "14 MAY 2031"], [(EXPIRES, D(2031, 5, 14))]),
        # French
        (["Délivré le 3 octobre 2026 à Bruxelles"], [(ISSUED, D(2026, 10, 3))]),
        (["Delivre le 1er mars 2026"], [(ISSUED, D(2026, 3, 1))]),  # OCR lost the accents
        (["Date de délivrance : 03/10/2026"], [(ISSUED, D(2026, 10, 3))]),
        (["Valable jusqu'au 2 février 2031"], [(EXPIRES, D(2031, 2, 2))]),
        # Dutch
        (["Afgegeven op 14 mei 2026"], [(ISSUED, D(2026, 5, 14))]),
        (["Datum van afgifte: 14-05-2026"], [(ISSUED, D(2026, 5, 14))]),
        (["Geldig tot 14-05-2031"], [(EXPIRES, D(2031, 5, 14))]),
        # German
        (["Ausgestellt am 3. März 2025"], [(ISSUED, D(2025, 3, 3))]),
        (["Ausstellungsdatum: 03.03.2025"], [(ISSUED, D(2025, 3, 3))]),
        (["Gültig bis: 02.03.2035"], [(EXPIRES, D(2035, 3, 2))]),
        # Spanish
        (["Fecha de expedición: 5 de junio de 2026"], [(ISSUED, D(2026, 6, 5))]),
        # A passport's bilingual column headings, dates on the next line, in order.
        (
            ["Date of issue / Date de délivrance   Date of expiry / Date d'expiration",
             "02 OCT /OCT 2016   01 OCT /OCT 2026"],
            [(ISSUED, D(2016, 10, 2)), (EXPIRES, D(2026, 10, 1))],
        ),
    ],
)  # fmt: skip
def test_labelled_dates(lines: list[str], expected: list[tuple[DateField, dt.date]]) -> None:
    assert _found(*lines) == expected


@pytest.mark.parametrize(
    "lines",
    [
        ["Bruxelles, le 3 octobre 2026"],  # a date without an issue or expiry label
        ["Date of birth 12 AUG 1974"],  # a label of another date
        ["出生日期：1980年1月1日"],
        ["Date of issue", "Place of issue: Brussels", "02.10.2026"],  # too far from its label
        ["Issue date 2026-13-02"],  # no such month
        ["Date of issue   Date of expiry", "02.10.2016"],  # two labels, one date: which?
        ["Issued on 2026"],  # a year is not a date
    ],
)
def test_no_date_where_none_is_safe(lines: list[str]) -> None:
    assert _found(*lines) == []


def test_a_day_month_swap_is_not_guessed() -> None:
    # 03/04/2026 after an English label: the third of April or March the fourth?
    found = labelled_dates(["Date of issue: 03/04/2026"])
    assert found == [(ISSUED, 0)]
    assert _found("Date of issue: 13/04/2026") == [(ISSUED, D(2026, 4, 13))]
