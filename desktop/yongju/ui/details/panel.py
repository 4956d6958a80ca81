"""The details panel: what the user says about a document (title, dates, language, role)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from yongju.core.profiles import Slot
from yongju.core.records import DocumentRecord, FilingRecord, Origin, Role
from yongju.ui.details.date_field import DateField


class DetailsPanel(QWidget):
    """Edits one document's title, dates, language, legalisation, role and notes.

    Nothing is written here: ``edited`` and ``role_changed`` are requests the owner turns into
    undoable commands, after which it calls :meth:`set_document` with the new record.
    """

    edited = Signal(int, dict)  # document id, {field: value} as Store.update_document takes
    role_changed = Signal(int, str)  # filing id, Role value

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document: DocumentRecord | None = None
        self._filing: FilingRecord | None = None
        self._slot: Slot | None = None
        self.title = QLineEdit()
        self.issued = DateField(not_after_today=True)
        self.expires = DateField()
        self.language = QComboBox()
        self.language.addItem(self.tr("Not in Chinese"), None)
        self.language.addItem(self.tr("In Chinese (中文)"), "zh")
        self.origin = QComboBox()  # one click: where it was issued decides legalisation
        for origin, text in (
            (None, self.tr("Not known yet")),
            (Origin.CHINA, self.tr("In China")),
            (Origin.ABROAD, self.tr("Abroad")),
            (Origin.MISSION, self.tr("By a foreign embassy or consulate in China")),
        ):
            self.origin.addItem(text, origin.value if origin else None)
        self.legalised = QCheckBox(self.tr("Includes its apostille or legalisation"))
        self.legalised_on = DateField()
        self.role = QComboBox()
        for role, text in (
            (Role.ORIGINAL, self.tr("Original document")),
            (Role.LEGALISATION, self.tr("Apostille or legalisation")),
            (Role.TRANSLATION, self.tr("Chinese translation")),
        ):
            self.role.addItem(text, role.value)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(90)
        self.date_warning = QLabel()
        self.date_warning.setWordWrap(True)
        self.date_warning.setForegroundRole(QPalette.ColorRole.BrightText)  # red in both themes
        self._build_layout()
        for combo in (self.language, self.origin, self.role):
            # As narrow as the pane needs: the longest choice ("By a foreign mission in
            # China") shows in the open list instead of pushing the form past the pane.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(10)
        self._connect()
        self.set_document(None)

    def _build_layout(self) -> None:
        self.document_box = QGroupBox(self.tr("Document"))
        form = QFormLayout(self.document_box)
        form.addRow(self.tr("&Title:"), self.title)
        form.addRow(self.tr("&Issued on:"), self.issued)
        form.addRow(self.tr("E&xpires on:"), self.expires)
        form.addRow("", self.date_warning)
        form.addRow(self.tr("Issued i&n:"), self.origin)
        form.addRow(self.tr("&Language:"), self.language)
        form.addRow(self.legalised)  # the whole width: a check box cannot wrap
        form.addRow(self.tr("Legalised on:"), self.legalised_on)
        form.addRow(self.tr("&Role in slot:"), self.role)
        form.addRow(self.tr("&Notes:"), self.notes)
        for label, field in (
            (self.tr("Issued on"), self.issued),
            (self.tr("Expires on"), self.expires),
            (self.tr("Legalised on"), self.legalised_on),
        ):
            field.setAccessibleName(label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.document_box)
        layout.addStretch(1)

    def _connect(self) -> None:
        self.title.editingFinished.connect(self._commit_title)
        self.issued.date_edited.connect(lambda value: self._emit("issued", value))
        self.expires.date_edited.connect(lambda value: self._emit("expires", value))
        self.language.activated.connect(
            lambda _i: self._emit("language", self.language.currentData())
        )
        self.legalised.clicked.connect(lambda checked: self._emit("legalised", bool(checked)))
        self.origin.activated.connect(self._origin_activated)
        self.legalised_on.date_edited.connect(self._legalised_on_edited)
        self.role.activated.connect(self._role_activated)
        self.notes.installEventFilter(self)

    def _origin_activated(self, _index: int) -> None:
        value = self.origin.currentData()
        self._emit("issued_in", Origin(value) if value else None)

    def _legalised_on_edited(self, value: dt.date | None) -> None:
        """A legalisation date says the scan includes its legalisation."""
        if value is not None and not self.legalised.isChecked():
            self._emit_many({"legalised_on": value, "legalised": True})
        else:
            self._emit("legalised_on", value)

    # ------------------------------------------------------------------ public
    @property
    def document(self) -> DocumentRecord | None:
        return self._document

    def set_document(
        self, document: DocumentRecord | None, filing: FilingRecord | None = None
    ) -> None:
        """Shows ``document`` (and its filing, which has the role); None empties the form."""
        if self._document is not None and (document is None or document.id != self._document.id):
            self._flush()  # typed but not yet confirmed: it belongs to the document being left
        self._document, self._filing = document, filing
        self.document_box.setEnabled(document is not None)
        self.role.setEnabled(filing is not None)
        self.title.setText(document.title if document else "")
        self.title.setPlaceholderText(document.original_name if document else "")
        self.issued.set_date(document.issued if document else None)
        self.expires.set_date(document.expires if document else None)
        self.language.setCurrentIndex(1 if document and document.language == "zh" else 0)
        self.legalised.setChecked(bool(document and document.legalised))
        self.legalised_on.set_date(document.legalised_on if document else None)
        origin = document.issued_in if document else None
        self.origin.setCurrentIndex(max(0, self.origin.findData(origin.value)) if origin else 0)
        if filing is not None:
            self.role.setCurrentIndex(max(0, self.role.findData(Role(filing.role).value)))
        if document is None or self.notes.toPlainText() != document.notes:
            self.notes.setPlainText(document.notes if document else "")
        self.notes.document().setModified(False)
        self._update_warning()

    def add_section(self, widget: QWidget) -> None:
        """Adds a box above the document's form (what reading the document proposes)."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, widget)

    def set_slot(
        self, slot: Slot | None, state_words: str = "", message: str = "", city: str = ""
    ) -> None:
        """The slot the document is in (or suggested for): its date rules shape the warnings.

        (What the slot asks for shows under the requirement's title, where the eye is.)
        """
        self._slot = slot
        self._update_warning()

    # ------------------------------------------------------------------ internals
    def _flush(self) -> None:
        if self.title.isModified():
            self._commit_title()
        if self.notes.document().isModified():
            self._commit_notes()

    def _commit_title(self) -> None:
        self.title.setModified(False)  # sent once; switching documents will not send it again
        self._emit("title", self.title.text().strip())

    def _commit_notes(self) -> None:
        self.notes.document().setModified(False)
        self._emit("notes", self.notes.toPlainText())

    def _emit(self, field: str, value: Any) -> None:
        document = self._document
        if document is None or getattr(document, field) == value:
            return  # nothing changed: no command, no undo step
        self.edited.emit(document.id, {field: value})

    def _emit_many(self, changes: dict[str, Any]) -> None:
        if self._document is not None:
            self.edited.emit(self._document.id, changes)

    def _role_activated(self, _index: int) -> None:
        role = self.role.currentData()
        if self._filing is not None and role != Role(self._filing.role).value:
            self.role_changed.emit(self._filing.id, role)

    def _update_warning(self) -> None:
        """Says, under the dates, what the slot needs and what looks wrong."""
        issued, expires = self.issued.date(), self.expires.date()
        problems = []
        if issued and expires and expires < issued:
            problems.append(self.tr("The expiry date is before the issue date."))
        if issued and issued > dt.date.today():
            problems.append(self.tr("The issue date is in the future."))
        validity = self._slot.validity if self._slot is not None else None
        if self._document is not None and validity is not None:
            if validity.needs_issue_date and issued is None:
                problems.append(self.tr("This requirement needs the issue date."))
            if validity.needs_expiry_date and expires is None:
                problems.append(self.tr("This requirement needs the expiry date."))
        self.date_warning.setText("\n".join(problems))
        self.date_warning.setVisible(bool(problems))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Notes are saved when the user leaves the box, not on every keystroke.
        if watched is self.notes and event.type() == QEvent.Type.FocusOut:
            self._commit_notes()
        return super().eventFilter(watched, event)
