"""A date editor that can also hold "no date": typed text (ISO or local forms) and a calendar."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

EARLIEST = dt.date(1900, 1, 1)  # older than any document a living applicant hands in
LATEST = dt.date(2200, 12, 31)

_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DMY = re.compile(r"^(\d{1,2})\s*([./-])\s*(\d{1,2})\s*[./-]\s*(\d{4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def day_first() -> bool:
    """Whether the interface language writes 14/05/2024 (day first) rather than 5/14/2024."""
    order = QLocale().dateFormat(QLocale.FormatType.ShortFormat).lower()
    return order.find("d") < order.find("m")


def parse_date(text: str, dayfirst: bool = True) -> dt.date | None:
    """The date in ``text``: 2024-05-14, 2024/5/14, 14.05.2024, 2024年5月14日 or 20240514.

    Blank text is "no date" (None). Dots always put the day first (14.05.2024); a slash
    between day and month follows ``dayfirst``. Raises ValueError for anything else.
    """
    text = text.strip().translate(_FULL_WIDTH)
    if not text:
        return None
    match = _YMD.match(text) or _COMPACT.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DMY.match(text)
        if not match:
            raise ValueError(text)
        first, separator, second, year_text = match.groups()
        year = int(year_text)
        if separator == "." or dayfirst:
            day, month = int(first), int(second)
        else:
            month, day = int(first), int(second)
    return dt.date(year, month, day)  # ValueError for 2024-02-30


_FULL_WIDTH = str.maketrans("０１２３４５６７８９／－．", "0123456789/-.")


class DateField(QWidget):
    """Edits an optional date; ``date_edited`` fires once per finished edit, not per keystroke.

    Text that is not a date, or not a plausible one, is shown with its reason under the
    field and not saved; the last saved date stays until the text is fixed or cleared.
    """

    date_edited = Signal(object)  # datetime.date | None

    def __init__(self, parent: QWidget | None = None, *, not_after_today: bool = False) -> None:
        super().__init__(parent)
        self.not_after_today = not_after_today  # an issue date cannot lie in the future
        self._edit = QLineEdit()
        self._edit.setPlaceholderText(self.tr("No date"))
        self._edit.setToolTip(
            self.tr("Type a date such as 2024-05-14, 14.05.2024 or 2024年5月14日, or pick one.")
        )
        self._pick = self._tool_button("▾", self.tr("Pick a date from a calendar"))
        self._clear = self._tool_button("✕", self.tr("Remove the date"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setForegroundRole(QPalette.ColorRole.BrightText)  # red in both themes
        self.error.setVisible(False)
        self._calendar: QCalendarWidget | None = None
        self._build_layout()
        self.setFocusProxy(self._edit)
        self._value: dt.date | None = None
        self._edit.editingFinished.connect(self._commit)
        self._edit.textEdited.connect(lambda _t: self._show_error(""))
        self._edit.textChanged.connect(lambda _t: self._sync_clear())
        self._pick.clicked.connect(self.open_calendar)
        self._clear.clicked.connect(self.clear)
        self._sync_clear()

    def _tool_button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return button

    def _build_layout(self) -> None:
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self._edit, 1)
        row.addWidget(self._pick)
        row.addWidget(self._clear)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error)

    # ------------------------------------------------------------------ public
    def date(self) -> dt.date | None:
        """The date saved (or being shown from the record), or None for "no date"."""
        return self._value

    def text(self) -> str:
        return self._edit.text()

    def set_date(self, value: dt.date | None) -> None:
        """Shows ``value`` without emitting ``date_edited`` (it comes from the record)."""
        self._value = value
        self._edit.setText(value.isoformat() if value else "")
        self._edit.setModified(False)
        self._show_error("")
        self._sync_clear()

    def clear(self) -> None:
        """Sets "no date" as if the user had done it."""
        self._edit.setText("")
        self._commit()

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self._edit.setAccessibleName(name)

    def calendar_month(self) -> tuple[int, int]:
        """The (year, month) the calendar opens on: the date typed or saved, else this month."""
        try:
            shown = parse_date(self._edit.text(), day_first())
        except ValueError:
            shown = None
        anchor = shown or self._value
        if anchor is None or not (EARLIEST <= anchor <= LATEST):
            anchor = dt.date.today()
        return anchor.year, anchor.month

    def open_calendar(self) -> QCalendarWidget:
        """A calendar under the field; a click on a day saves it."""
        if self._calendar is None:
            calendar = QCalendarWidget(self)
            calendar.setWindowFlags(Qt.WindowType.Popup)
            calendar.setGridVisible(True)
            calendar.setMinimumDate(QDate(EARLIEST.year, 1, 1))
            calendar.setMaximumDate(self._latest_qdate())
            calendar.clicked.connect(self._picked)
            calendar.activated.connect(self._picked)
            calendar.installEventFilter(self)
            self._calendar = calendar
        calendar = self._calendar
        calendar.setMaximumDate(self._latest_qdate())
        year, month = self.calendar_month()
        if self._value is not None:
            calendar.setSelectedDate(QDate(self._value.year, self._value.month, self._value.day))
        calendar.setCurrentPage(year, month)
        calendar.adjustSize()
        calendar.move(self._edit.mapToGlobal(QPoint(0, self._edit.height())))
        calendar.show()
        calendar.setFocus()
        return calendar

    # ------------------------------------------------------------------ internals
    def _latest_qdate(self) -> QDate:
        latest = dt.date.today() if self.not_after_today else LATEST
        return QDate(latest.year, latest.month, latest.day)

    def _picked(self, date: QDate) -> None:
        if self._calendar is not None:
            self._calendar.hide()
        self._edit.setText(date.toString("yyyy-MM-dd"))
        self._commit()
        self._edit.setFocus()

    def problem(self, value: dt.date) -> str:
        """Why ``value`` cannot be a document's date, or "" when it can."""
        if value < EARLIEST:
            return self.tr("%1 is before 1900: check the year.").replace("%1", value.isoformat())
        if value > LATEST:
            return self.tr("%1 is too far in the future: check the year.").replace(
                "%1", value.isoformat()
            )
        if self.not_after_today and value > dt.date.today():
            return self.tr("%1 is in the future: an issue date cannot be.").replace(
                "%1", value.isoformat()
            )
        return ""

    def commit(self) -> bool:
        """Takes the typed text now (as Enter does); False when it is not a usable date."""
        self._commit()
        return not self.error.text()

    def _commit(self) -> None:
        text = self._edit.text()
        try:
            value = parse_date(text, day_first())
        except ValueError:
            self._show_error(
                self.tr("“%1” is not a date. Type it like 2024-05-14.").replace("%1", text.strip())
            )
            return
        problem = self.problem(value) if value is not None else ""
        if problem:
            self._show_error(problem)
            return
        self._show_error("")
        self._edit.setText(value.isoformat() if value else "")
        self._sync_clear()
        if value != self._value:
            self._value = value
            self.date_edited.emit(value)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self._edit.setAccessibleDescription(text)

    def _sync_clear(self) -> None:
        self._clear.setEnabled(bool(self._edit.text()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Escape closes the calendar without choosing.
        if (
            watched is self._calendar
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            self._calendar.hide()
            return True
        return super().eventFilter(watched, event)
