"""The facts of a case (city, agent, route, marriage date…) as a form, and its dialog.

Shown in New Case and, for an existing case, from the case bar's "Facts…" button. Each
choice fact has "Not answered" first: a fact left open keeps its conditions undecided.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from yongju.core.facts import FactKind, FactSpec, facts_for
from yongju.core.profiles import Profile
from yongju.core.records import CaseRecord
from yongju.ui.common.slot_text import chinese_interface
from yongju.ui.details.date_field import DateField


def _words(item: FactSpec | object) -> str:
    chinese = chinese_interface()
    return str(getattr(item, "label_zh" if chinese else "label_en"))


class FactsForm(QWidget):
    """One row per fact of a profile; ``values()`` gives every fact, None when unanswered."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._form = QFormLayout(self)
        self._form.setContentsMargins(0, 0, 0, 0)
        self._fields: dict[str, QComboBox | DateField] = {}

    def set_profile(self, profile: Profile, facts: dict[str, str] | None = None) -> None:
        """Rebuilds the rows for ``profile``, keeping what was already chosen."""
        known = {**self.values(), **(facts or {})}
        while self._form.rowCount():
            self._form.removeRow(0)
        self._fields = {}
        for spec in facts_for(profile):
            field = self._field(spec, known.get(spec.key))
            self._fields[spec.key] = field
            self._form.addRow(_words(spec) + ":", field)

    def _field(self, spec: FactSpec, value: str | None) -> QComboBox | DateField:
        if spec.kind is FactKind.DATE:
            date = DateField()
            date.setAccessibleName(_words(spec))
            date.set_date(dt.date.fromisoformat(value) if value else None)
            return date
        combo = QComboBox()
        combo.setAccessibleName(_words(spec))
        combo.addItem(self.tr("Not answered"), None)
        for choice in spec.choices:
            combo.addItem(_words(choice), choice.value)
        combo.setCurrentIndex(max(0, combo.findData(value)) if value else 0)
        return combo

    def values(self) -> dict[str, str | None]:
        result: dict[str, str | None] = {}
        for key, field in self._fields.items():
            if isinstance(field, DateField):
                date = field.date()
                result[key] = date.isoformat() if date else None
            else:
                data = field.currentData()
                result[key] = str(data) if data else None
        return result


class CaseFactsDialog(QDialog):
    """Edits the facts of an existing case; ``changes()`` holds what differs."""

    def __init__(self, case: CaseRecord, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Facts of %1").replace("%1", case.name))
        self._case = case
        self.form = FactsForm()
        self.form.set_profile(profile, dict(case.facts))
        intro = QLabel(
            self.tr(
                "The facts decide which conditional requirements apply. A fact not answered "
                "leaves its requirements undecided."
            )
        )
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def changes(self) -> dict[str, str | None]:
        """The facts whose value the user changed (None: forget the fact)."""
        old = dict(self._case.facts)
        return {k: v for k, v in self.form.values().items() if old.get(k) != v}
