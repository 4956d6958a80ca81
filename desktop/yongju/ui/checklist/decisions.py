"""Answering "does this apply to you?" for a slot: applies, does not (with a reason), or let
the case's facts decide again. A required slot needs a reason; the cover prints it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from yongju.core.checklist import SlotStatus
from yongju.core.conditions import Applicability, DecidedBy
from yongju.ui.common.slot_text import chinese_interface, slot_title
from yongju.ui.editing.editor import Editor


class ReasonDialog(QDialog):
    """Asks why a slot does not apply; for a required slot, OK waits for a reason."""

    def __init__(self, status: SlotStatus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("Decisions", "Does Not Apply"))
        required = status.slot.required
        question = QLabel(
            QCoreApplication.translate(
                "Decisions",
                "Why does “%1” not apply to this case? The reason is printed in the contents.",
            ).replace("%1", slot_title(status.slot))
        )
        question.setWordWrap(True)
        self.reason = QLineEdit(
            status.decision.reason if status.decision.by is DecidedBy.USER else ""
        )
        self.reason.setPlaceholderText(
            QCoreApplication.translate(
                "Decisions", "A reason is needed: this requirement is required."
            )
            if required
            else QCoreApplication.translate(
                "Decisions", "Optional: for example, the office said it is not needed."
            )
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        if required:
            ok.setEnabled(bool(self.reason.text().strip()))
            self.reason.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.reason)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)


def ask_reason(
    editor: Editor, parent: QWidget | None, case_id: int, status: SlotStatus
) -> ReasonDialog:
    dialog = ReasonDialog(status, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(
        lambda: editor.decide(case_id, status.slot.id, False, dialog.reason.text().strip())
    )
    dialog.open()
    return dialog


def add_decision_actions(editor: Editor, menu: QMenu, case_id: int, status: SlotStatus) -> None:
    """The answers a slot's menu offers, given how it is decided now (the reason's dialog
    opens over the menu's parent)."""
    decision = status.decision
    slot_id = status.slot.id
    by_user = decision.by is DecidedBy.USER
    if not (by_user and decision.applicability is Applicability.REQUIRED):
        menu.addAction(
            QCoreApplication.translate("Decisions", "Applies to This Case"),
            lambda: editor.decide(case_id, slot_id, True, ""),
        )
    if not (by_user and decision.applicability is Applicability.NOT_APPLICABLE):
        menu.addAction(
            QCoreApplication.translate("Decisions", "Does Not Apply to This Case…"),
            lambda: ask_reason(editor, menu.parentWidget(), case_id, status),
        )
    if by_user:
        menu.addAction(
            QCoreApplication.translate("Decisions", "Let the Facts Decide Again"),
            lambda: editor.decide(case_id, slot_id, None, ""),
        )


def decision_words(status: SlotStatus) -> str:
    """Who decided whether the slot applies, and why, in the interface language."""
    decision = status.decision
    reason = decision.reason_zh if chinese_interface() and decision.reason_zh else decision.reason
    if decision.by is DecidedBy.FACTS:
        return QCoreApplication.translate("Decisions", "Decided by the case's facts: %1").replace(
            "%1", reason
        )
    if decision.by is DecidedBy.USER:
        if decision.applicability is Applicability.REQUIRED:
            return QCoreApplication.translate("Decisions", "You said it applies.")
        return QCoreApplication.translate("Decisions", "You said it does not apply: %1").replace(
            "%1", reason or "—"
        )
    if decision.by is DecidedBy.FILING:
        return QCoreApplication.translate("Decisions", "A document is filed here, so it applies.")
    return ""
