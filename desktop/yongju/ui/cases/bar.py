"""The case selector: pick, create, rename and delete cases; edit profile and submission date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QToolButton,
    QWidget,
)

from yongju.core.profiles import ProfileSet
from yongju.core.records import CaseRecord, ExportRecord
from yongju.ui.cases.dialog import NewCaseDialog, profiles_in_order
from yongju.ui.cases.facts_form import CaseFactsDialog
from yongju.ui.cases.model import CASE_ID_ROLE, CaseModel
from yongju.ui.common.slot_text import one_line_title
from yongju.ui.details.date_field import DateField
from yongju.ui.export.history import ExportHistoryButton


class CaseBar(QWidget):
    """A row of controls; every change leaves as a request signal for the window to carry out."""

    case_selected = Signal(object)  # case id or None
    create_requested = Signal(str, str, object, object)  # name, profile id, date or None, facts
    facts_change_requested = Signal(int, object)  # case id, {fact: value or None}
    rename_requested = Signal(int, str)
    delete_requested = Signal(int)
    profile_change_requested = Signal(int, str)
    date_change_requested = Signal(int, object)  # case id, date or None

    def __init__(self, model: CaseModel, profiles: ProfileSet, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.profiles = profiles
        self._case: CaseRecord | None = None
        self._quiet = False
        self.cases = QComboBox()
        self.cases.setModel(model)
        self.cases.setMinimumContentsLength(12)
        self.cases.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.new_button = self._button(self.tr("New Case…"), self.ask_new_case)
        self.rename_button = self._button(self.tr("Rename…"), self.ask_rename)
        self.delete_button = self._button(self.tr("Delete…"), self.ask_delete)
        self.profile = QComboBox()
        for profile in profiles_in_order(profiles):
            self.profile.addItem(one_line_title(profile), profile.id)
        # Its longest title would make the window wider than a 1366-pixel screen: it shrinks,
        # and the list and the tooltip show the whole title.
        self.profile.setMinimumContentsLength(12)
        self.profile.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.profile.currentTextChanged.connect(self.profile.setToolTip)
        self.date = DateField()  # the details panel's date editor: "no date" and a clear button
        self.date.setAccessibleName(self.tr("Planned submission date"))
        self.date.setMinimumWidth(150)
        self.facts_button = self._button(self.tr("Facts…"), self.ask_facts)
        self.facts_button.setToolTip(
            self.tr("City, agent, route, dates: the facts that decide what applies")
        )
        self.history = ExportHistoryButton()
        self._build_layout()
        self.cases.currentIndexChanged.connect(self._case_index_changed)
        self.profile.activated.connect(self._profile_activated)
        self.date.date_edited.connect(self._date_edited)
        self.show_case(None)

    def _button(self, text: str, slot: object) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.clicked.connect(slot)
        return button

    def _build_layout(self) -> None:
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.addWidget(QLabel(self.tr("Case:")))
        row.addWidget(self.cases, 2)
        for button in (self.new_button, self.rename_button, self.delete_button):
            row.addWidget(button)
        row.addSpacing(16)
        row.addWidget(QLabel(self.tr("Application:")))
        row.addWidget(self.profile, 3)
        row.addSpacing(8)
        row.addWidget(QLabel(self.tr("Submission:")))
        row.addWidget(self.date)
        row.addWidget(self.facts_button)
        row.addSpacing(8)
        row.addWidget(self.history)

    # -- showing the current case ------------------------------------------------------
    def show_case(self, case: CaseRecord | None) -> None:
        """Shows ``case`` without emitting change requests."""
        self._quiet = True
        self._case = case
        widgets = (self.rename_button, self.delete_button, self.profile, self.date)
        for widget in (*widgets, self.facts_button):
            widget.setEnabled(case is not None)
        if case is not None:
            row = self.model.row_of(case.id)
            if row >= 0 and row != self.cases.currentIndex():
                self.cases.setCurrentIndex(row)
            self.profile.setCurrentIndex(max(0, self.profile.findData(case.profile_id)))
            self.date.set_date(case.submission_date)
        else:
            self.profile.setCurrentIndex(-1)
            self.date.set_date(None)
        self._quiet = False

    def show_exports(self, exports: Sequence[ExportRecord]) -> None:
        """Shows the current case's exports (the last one, and a menu of them all)."""
        self.history.show_exports(exports)

    def current_case_id(self) -> int | None:
        index = self.cases.currentIndex()
        return self.cases.itemData(index, CASE_ID_ROLE) if index >= 0 else None

    def _case_index_changed(self, _index: int) -> None:
        if not self._quiet:
            self.case_selected.emit(self.current_case_id())

    def _profile_activated(self, _index: int) -> None:
        profile_id = str(self.profile.currentData())
        if self._case is not None and profile_id != self._case.profile_id:
            self.profile_change_requested.emit(self._case.id, profile_id)

    def _date_edited(self, date: dt.date | None) -> None:
        if self._case is not None and date != self._case.submission_date:
            self.date_change_requested.emit(self._case.id, date)

    # -- dialogs (opened, never exec'd: the event loop keeps running) -------------------
    def ask_new_case(self) -> NewCaseDialog:
        cases = self.model.records()
        last = max(cases, key=lambda c: (c.created_at, c.id)).profile_id if cases else None
        dialog = NewCaseDialog(self.profiles, self.window(), last_profile=last)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.create_requested.emit(*dialog.values()))
        dialog.open()
        return dialog

    def ask_facts(self) -> CaseFactsDialog | None:
        case = self._case
        if case is None:
            return None
        dialog = CaseFactsDialog(case, self.profiles.get(case.profile_id), self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def accepted() -> None:
            changes = dialog.changes()
            if changes:
                self.facts_change_requested.emit(case.id, changes)

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def ask_rename(self) -> QInputDialog | None:
        case = self._case
        if case is None:
            return None
        dialog = QInputDialog(self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowTitle(self.tr("Rename Case"))
        dialog.setLabelText(self.tr("New name:"))
        dialog.setTextValue(case.name)

        def chosen(name: str) -> None:
            if name.strip() and name.strip() != case.name:
                self.rename_requested.emit(case.id, name.strip())

        dialog.textValueSelected.connect(chosen)
        dialog.open()
        return dialog

    def ask_delete(self) -> QMessageBox | None:
        case = self._case
        if case is None:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Delete Case"),
            self.tr("Delete the case “%1”?").replace("%1", case.name),
            QMessageBox.StandardButton.Cancel,
            self.window(),
        )
        box.setInformativeText(
            self.tr("Its checklist and filings are removed. The documents stay in the store.")
        )
        delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def clicked(button: object) -> None:
            if button is delete:
                self.delete_requested.emit(case.id)

        box.buttonClicked.connect(clicked)
        box.open()
        return box
