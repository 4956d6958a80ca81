"""A date editor that can also hold "no date": a QDateEdit with a clear button."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QObject, Signal
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QToolButton, QWidget

# The editor's minimum stands for "no date" and is shown as the special value text.
_NO_DATE = QDate(1900, 1, 1)


class DateField(QWidget):
    """Edits an optional date; ``date_edited`` fires once per finished edit, not per keystroke."""

    date_edited = Signal(object)  # datetime.date | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._edit = QDateEdit()
        self._edit.setCalendarPopup(True)
        self._edit.setDisplayFormat("yyyy-MM-dd")
        self._edit.setMinimumDate(_NO_DATE)
        self._edit.setMaximumDate(QDate(2200, 12, 31))
        self._edit.setSpecialValueText(self.tr("No date"))
        self._edit.setDate(_NO_DATE)
        self._clear = QToolButton()
        self._clear.setText("✕")
        self._clear.setToolTip(self.tr("Remove the date"))
        self._clear.setAccessibleName(self.tr("Remove the date"))
        self._clear.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self._edit, 1)
        layout.addWidget(self._clear)
        self.setFocusProxy(self._edit)
        self._value: dt.date | None = None
        self._edit.editingFinished.connect(self._commit)
        self._edit.calendarWidget().clicked.connect(lambda _d: self._commit())
        self._edit.calendarWidget().installEventFilter(self)
        self._clear.clicked.connect(self.clear)
        self._sync_clear()

    def date(self) -> dt.date | None:
        """The date shown, or None for "no date"."""
        return self._value

    def set_date(self, value: dt.date | None) -> None:
        """Shows ``value`` without emitting ``date_edited`` (it comes from the record)."""
        self._value = value
        self._edit.blockSignals(True)
        self._edit.setDate(QDate(value.year, value.month, value.day) if value else _NO_DATE)
        self._edit.blockSignals(False)
        self._sync_clear()

    def clear(self) -> None:
        """Sets "no date" as if the user had done it."""
        self._edit.setDate(_NO_DATE)
        self._commit()

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self._edit.setAccessibleName(name)

    def _commit(self) -> None:
        shown = self._edit.date()
        value = None if shown == _NO_DATE else dt.date(shown.year(), shown.month(), shown.day())
        self._sync_clear()
        if value != self._value:
            self._value = value
            self.date_edited.emit(value)

    def _sync_clear(self) -> None:
        self._clear.setEnabled(self._edit.date() != _NO_DATE)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A calendar opened on "no date" would show January 1900: open it on this month instead.
        if event.type() == QEvent.Type.Show and self._edit.date() == _NO_DATE:
            today = QDate.currentDate()
            calendar = self._edit.calendarWidget()
            calendar.setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)
