"""Dates as the exit-entry offices count them: calendar months, end of month clamped."""

from __future__ import annotations

import calendar
import datetime as dt

# Earlier dates on a certificate are typing mistakes (a year of 0026 or 1026).
EARLIEST_PLAUSIBLE = dt.date(1900, 1, 1)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months; a day the month lacks becomes its last day.

    2026-09-01 + 6 = 2027-03-01; 2024-02-29 + 6 = 2024-08-29; 2023-08-31 + 6 = 2024-02-29.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved by whole years (29 February becomes 28 February in a common year)."""
    return add_months(day, 12 * years)


def plausible(day: dt.date) -> bool:
    """False for a date no certificate can carry (before 1900)."""
    return day >= EARLIEST_PLAUSIBLE
