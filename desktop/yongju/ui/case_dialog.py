"""The "New case" dialog: name, requirement profile, planned submission date and facts."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from yongju.core.profiles import ProfileSet
from yongju.ui.facts_form import FactsForm
from yongju.ui.slot_text import one_line_title


class NewCaseDialog(QDialog):
    """Asks for what a case needs; the OK button stays off until it has a name."""

    def __init__(self, profiles: ProfileSet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New Case"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("The applicant's name, e.g. Jan Peeters"))
        self.profile = QComboBox()
        for profile in profiles.profiles:
            self.profile.addItem(one_line_title(profile), profile.id)
        self.has_date = QCheckBox(self.tr("Planned submission date"))
        self.date = QDateEdit(QDate.currentDate().addMonths(2))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setEnabled(False)
        self.has_date.toggled.connect(self.date.setEnabled)
        self._profiles = profiles
        self.facts = FactsForm()
        self.profile.currentIndexChanged.connect(self._profile_changed)
        self._profile_changed()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self._ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._ok.setText(self.tr("Create"))
        self._ok.setEnabled(False)
        self.name.textChanged.connect(lambda text: self._ok.setEnabled(bool(text.strip())))
        form = QFormLayout(self)
        form.addRow(self.tr("Name:"), self.name)
        form.addRow(self.tr("Application:"), self.profile)
        form.addRow(self.has_date, self.date)
        form.addRow(self.facts)
        form.addRow(buttons)
        self.setMinimumWidth(520)

    def _profile_changed(self) -> None:
        if self.profile.currentIndex() >= 0:
            self.facts.set_profile(self._profiles.get(str(self.profile.currentData())))

    def values(self) -> tuple[str, str, dt.date | None, dict[str, str]]:
        """Name, profile id, planned submission date (None when not set) and the facts given."""
        date = self.date.date().toPython() if self.has_date.isChecked() else None
        facts = {k: v for k, v in self.facts.values().items() if v is not None}
        return self.name.text().strip(), str(self.profile.currentData()), date, facts
