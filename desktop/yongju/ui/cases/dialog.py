"""The "New case" dialog: name, requirement profile, planned submission date and facts."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from yongju.core.profiles import Profile, ProfileSet
from yongju.ui.cases.facts_form import FactsForm
from yongju.ui.common.slot_text import one_line_title
from yongju.ui.details.date_field import DateField

# The order people look for their category in: family reasons first (most applicants), then
# work and investment, then the rare ones. Profiles not named here (a user's own) come last.
CATEGORY_ORDER = (
    "spouse_of_chinese_citizen",
    "child_joining_parents",
    "elderly_relative",
    "accompanying_family",
    "employment",
    "high_level_talent",
    "investment",
    "special_contribution",
)


def profiles_in_order(profiles: ProfileSet) -> list[Profile]:
    """The profiles as the New Case dialog and the case bar list them."""
    rank = {profile_id: i for i, profile_id in enumerate(CATEGORY_ORDER)}
    return sorted(profiles.profiles, key=lambda p: (rank.get(p.id, len(rank)), one_line_title(p)))


class NewCaseDialog(QDialog):
    """Asks for what a case needs; the OK button stays off until it has a name and a category."""

    def __init__(
        self, profiles: ProfileSet, parent: QWidget | None = None, last_profile: str | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New Case"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("The applicant's name, e.g. Jan Peeters"))
        self.profile = QComboBox()
        for profile in profiles_in_order(profiles):
            self.profile.addItem(one_line_title(profile), profile.id)
        # Nothing chosen for the user (a wrong category means a wrong checklist); the
        # category of the case made last is offered again, for families filing together.
        self.profile.setPlaceholderText(self.tr("Choose the kind of application"))
        self.profile.setCurrentIndex(self.profile.findData(last_profile) if last_profile else -1)
        self.date = (
            DateField()
        )  # typed (2027-03-01, 1.3.2027, 2027年3月1日) or picked; may stay empty
        self.date.setAccessibleName(self.tr("Planned submission date"))
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
        self.name.textChanged.connect(self._sync)
        self.profile.currentIndexChanged.connect(self._sync)
        form = QFormLayout(self)
        form.addRow(self.tr("Name:"), self.name)
        form.addRow(self.tr("Application:"), self.profile)
        form.addRow(self.tr("Planned submission:"), self.date)
        form.addRow(self.facts)
        form.addRow(buttons)
        self.setMinimumWidth(520)

    def _profile_changed(self) -> None:
        if self.profile.currentIndex() >= 0:
            self.facts.set_profile(self._profiles.get(str(self.profile.currentData())))

    def _sync(self, *_: object) -> None:
        self._ok.setEnabled(bool(self.name.text().strip()) and self.profile.currentIndex() >= 0)

    def accept(self) -> None:
        if not self.date.commit():
            return  # the date field says what is wrong with the typed date
        super().accept()

    def values(self) -> tuple[str, str, dt.date | None, dict[str, str]]:
        """Name, profile id, planned submission date (None when not set) and the facts given."""
        facts = {k: v for k, v in self.facts.values().items() if v is not None}
        return self.name.text().strip(), str(self.profile.currentData()), self.date.date(), facts
