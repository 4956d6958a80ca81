"""Every edit the user makes goes through here, as an undoable command on one stack."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QUndoStack

from yongju.core.records import FilingRecord, Role
from yongju.ui.editing.commands import (
    DecisionCommand,
    FactsCommand,
    FieldsCommand,
    FileCommand,
    MoveCommand,
    PageCommand,
    RoleCommand,
    StoreWriter,
    UnfileCommand,
)

_DECISION_TEXTS = {
    True: QT_TRANSLATE_NOOP("Editor", "Mark applicable"),
    False: QT_TRANSLATE_NOOP("Editor", "Mark not applicable"),
    None: QT_TRANSLATE_NOOP("Editor", "Let the facts decide"),
}
_CHANGE_FACTS = QT_TRANSLATE_NOOP("Editor", "Change facts")


def _tr(text: str) -> str:
    return QCoreApplication.translate("Editor", text)


class Editor:
    """Builds commands with words for the Edit menu ("Undo File into Passport") and pushes them."""

    def __init__(self, stack: QUndoStack, writer: StoreWriter) -> None:
        self.stack = stack
        self.writer = writer

    def file(
        self,
        case_id: int,
        slot_id: str,
        slot_title: str,
        document_ids: Sequence[int],
        position: int | None = None,
        role: Role = Role.ORIGINAL,
    ) -> None:
        if not document_ids:
            return
        text = _tr("File into %1").replace("%1", slot_title)
        self.stack.push(
            FileCommand(self.writer, text, case_id, slot_id, document_ids, position, role)
        )

    def move_to_slot(
        self,
        filings: Sequence[FilingRecord],
        slot_id: str,
        slot_title: str,
        already_there: Collection[int] = (),
    ) -> None:
        """Takes documents out of their slot and files them in another: one undo step."""
        if not filings:
            return
        ids = [f.document_id for f in filings if f.document_id not in already_there]
        self.stack.beginMacro(_tr("Move to %1").replace("%1", slot_title))
        self.stack.push(UnfileCommand(self.writer, _tr("Remove from slot"), filings))
        if ids:
            text = _tr("File into %1").replace("%1", slot_title)
            self.stack.push(FileCommand(self.writer, text, filings[0].case_id, slot_id, ids))
        self.stack.endMacro()

    def unfile(self, filings: Sequence[FilingRecord]) -> None:
        if filings:
            self.stack.push(UnfileCommand(self.writer, _tr("Remove from slot"), filings))

    def move(self, filing: FilingRecord, position: int) -> None:
        if position != filing.position:
            self.stack.push(
                MoveCommand(
                    self.writer,
                    _tr("Reorder"),
                    filing.case_id,
                    filing.slot_id,
                    filing.document_id,
                    position,
                )
            )

    def set_role(self, filing: FilingRecord, role: Role) -> None:
        if role is not filing.role:
            self.stack.push(RoleCommand(self.writer, _tr("Change role"), filing, role))

    def rotate(self, document_id: int, page: int, rotation: int) -> None:
        """Sets the page's clockwise rotation (0, 90, 180 or 270)."""
        self.stack.push(
            PageCommand(self.writer, _tr("Rotate page"), document_id, page, rotation=rotation)
        )

    def exclude(self, document_id: int, page: int, excluded: bool) -> None:
        text = _tr("Exclude page") if excluded else _tr("Include page")
        self.stack.push(PageCommand(self.writer, text, document_id, page, excluded=excluded))

    def edit_document(self, document_id: int, **changes: Any) -> None:
        if changes:
            self.stack.push(
                FieldsCommand(self.writer, _tr("Edit document"), "document", document_id, changes)
            )

    def edit_case(self, case_id: int, **changes: Any) -> None:
        if changes:
            self.stack.push(FieldsCommand(self.writer, _tr("Edit case"), "case", case_id, changes))

    def set_submission_date(self, case_id: int, date: dt.date | None) -> None:
        self.stack.push(
            FieldsCommand(
                self.writer,
                _tr("Change submission date"),
                "case",
                case_id,
                {"submission_date": date},
            )
        )

    def set_not_applicable(self, case_id: int, slot_id: str, value: bool, reason: str = "") -> None:
        self.decide(case_id, slot_id, False if value else None, reason)

    def decide(self, case_id: int, slot_id: str, applies: bool | None, reason: str) -> None:
        """Answers whether a slot applies (None: the facts decide again)."""
        text = _tr(_DECISION_TEXTS[applies])
        self.stack.push(DecisionCommand(self.writer, text, case_id, slot_id, applies, reason))

    def set_facts(self, case_id: int, facts: dict[str, str | None]) -> None:
        if facts:
            self.stack.push(FactsCommand(self.writer, _tr(_CHANGE_FACTS), case_id, facts))

    # -- not undoable: a case made or deleted -------------------------------------------
    def create_case(
        self,
        name: str,
        profile_id: str,
        date: dt.date | None,
        facts: dict[str, str] | None,
        created: Callable[[Any], None],
    ) -> None:
        """Creates a case on the write thread; ``created`` gets its record."""
        self.writer.submit(
            "create case",
            lambda store: store.create_case(name, profile_id, date, facts=facts or {}),
            on_done=created,
        )

    def delete_case(self, case_id: int, deleted: Callable[[], None]) -> None:
        """Deletes a case and forgets the undo history (its commands name a case that is gone)."""

        def done(_result: Any) -> None:
            self.stack.clear()
            deleted()

        self.writer.submit("delete case", lambda store: store.delete_case(case_id), on_done=done)
