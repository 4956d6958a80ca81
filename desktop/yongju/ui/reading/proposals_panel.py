"""What Yongju read in a document and proposes: each value with where it was found, to accept."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from yongju.core.records import DocumentRecord, ProposalRecord, TextStatus

_ORDER = ("slot", "title", "issued", "expires", "language", "issued_in")


class ProposalsPanel(QGroupBox):
    """Lists a document's proposals; ``accept_requested`` asks the owner to apply some."""

    accept_requested = Signal(int, list)  # document id, [field, ...]

    def __init__(self, describe_slot: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Read from the document"))
        self._describe_slot = describe_slot
        self._document: DocumentRecord | None = None
        self._proposals: list[ProposalRecord] = []
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.rows = QGridLayout()
        self.rows.setColumnStretch(1, 1)
        self.accept_all = QPushButton(self.tr("Accept All"))
        self.accept_all.clicked.connect(self._accept_all)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.accept_all)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(self.rows)
        layout.addLayout(buttons)
        layout.addWidget(self.notes)
        self.accept_buttons: dict[str, QPushButton] = {}
        self.show_document(None)

    @property
    def document_id(self) -> int | None:
        return self._document.id if self._document else None

    def show_document(
        self,
        document: DocumentRecord | None,
        proposals: Sequence[ProposalRecord] = (),
        notes: Sequence[str] = (),
    ) -> None:
        """Shows what reading ``document`` proposes (hidden when there is no document)."""
        self._document = document
        self._proposals = sorted(
            proposals, key=lambda p: _ORDER.index(p.field) if p.field in _ORDER else 99
        )
        self._clear_rows()
        quiet = document is not None and document.text_status is TextStatus.DONE
        if document is None or (quiet and not self._proposals and not notes):
            self.setVisible(False)  # nothing to say: the form keeps the room
            return
        self.setVisible(True)
        self.status.setText(self._status_text(document))
        self.status.setVisible(bool(self.status.text()))
        for row, proposal in enumerate(self._proposals):
            self._add_row(row, proposal)
        self.accept_all.setVisible(len(self._proposals) > 1)
        shown = [self.tr("Not proposed: %1").replace("%1", note) for note in notes]
        self.notes.setText("\n".join(shown))
        self.notes.setVisible(bool(shown))

    def _status_text(self, document: DocumentRecord) -> str:
        if document.text_status is TextStatus.PENDING:
            return self.tr("Reading this document…")
        if document.text_status is TextStatus.FAILED:
            return self.tr("It could not be read: %1").replace("%1", document.text_error)
        return ""

    def _clear_rows(self) -> None:
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.accept_buttons = {}

    def _add_row(self, row: int, proposal: ProposalRecord) -> None:
        name = QLabel(self._field_name(proposal.field))
        value = QLabel(f"<b>{_escape(self._value_text(proposal))}</b>")
        value.setWordWrap(True)
        evidence = " ".join(proposal.evidence.split())
        shown = evidence if len(evidence) <= 40 else evidence[:39] + "…"
        where = QLabel(
            self.tr("page %1: “%2”").replace("%1", str(proposal.page)).replace("%2", shown)
        )
        where.setToolTip(evidence)
        for label in (value, where):  # long words (a passport's zone) must not widen the panel
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        where.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        accept = QPushButton(self.tr("Accept"))
        accept.setAccessibleName(self.tr("Accept %1").replace("%1", name.text()))
        accept.clicked.connect(lambda _checked=False, f=proposal.field: self._accept([f]))
        self.accept_buttons[proposal.field] = accept
        self.rows.addWidget(name, row * 2, 0)
        self.rows.addWidget(value, row * 2, 1)
        self.rows.addWidget(accept, row * 2, 2)
        self.rows.addWidget(where, row * 2 + 1, 1, 1, 2)

    def _field_name(self, field: str) -> str:
        names = {
            "slot": self.tr("Requirement"),
            "title": self.tr("Title"),
            "issued": self.tr("Issued on"),
            "expires": self.tr("Expires on"),
            "language": self.tr("Language"),
            "issued_in": self.tr("Issued"),
        }
        return names.get(field, field)

    def _value_text(self, proposal: ProposalRecord) -> str:
        if proposal.field == "slot":
            return self._describe_slot(proposal.value)
        if proposal.field == "language":
            return self.tr("In Chinese (中文)") if proposal.value == "zh" else proposal.value
        if proposal.field == "issued_in":
            return {
                "china": self.tr("in China"),
                "abroad": self.tr("abroad"),
                "mission": self.tr("by a foreign mission in China"),
            }.get(proposal.value, proposal.value)
        return proposal.value

    def _accept(self, fields: list[str]) -> None:
        if self._document is not None:
            self.accept_requested.emit(self._document.id, fields)

    def _accept_all(self) -> None:
        self._accept([p.field for p in self._proposals])


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
