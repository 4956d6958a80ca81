"""Undoable edits: each command writes through the single write thread, then the views refresh.

Commands name filings by (case, slot, document), never by filing id: undoing an unfile
creates a new filing with a new id, and later commands on the stack must still find it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from yongju.core.errors import FilingError
from yongju.core.records import FilingRecord, Role, SlotLayout
from yongju.ui.common.tasks import Task, TaskRunner


class StoreWriter:
    """Runs store writes in order on the write thread; reports errors and changes."""

    def __init__(
        self,
        store: Any,
        runner: TaskRunner,
        changed: Callable[..., None],
        report: Callable[[BaseException], None],
    ) -> None:
        self.store = store
        self._runner = runner
        self._changed = changed
        self._report = report

    def submit(
        self,
        label: str,
        fn: Callable[[Any], Any],
        on_done: Callable[[Any], None] | None = None,
        inbox: bool = True,
    ) -> Task:
        """Runs ``fn(store)``; ``inbox=False`` when the write cannot change the inbox."""

        def succeeded(result: Any) -> None:
            if on_done is not None:
                on_done(result)
            self._changed(inbox=inbox)

        def failed(error: BaseException) -> None:
            self._report(error)
            self._changed()  # show what the store really holds now

        return self._runner.write(
            label, lambda ctx: fn(self.store), on_result=succeeded, on_error=failed
        )


def _filing_of(store: Any, case_id: int, slot_id: str, document_id: int) -> FilingRecord:
    for filing in store.filings(case_id):
        if filing.slot_id == slot_id and filing.document_id == document_id:
            return filing
    raise FilingError("That document is no longer filed there.")


class StoreCommand(QUndoCommand):
    """Runs ``apply``/``revert`` on the write thread; a failed apply makes undo a no-op."""

    touches_inbox = True  # whether the inbox must be read again afterwards

    def __init__(self, writer: StoreWriter, text: str) -> None:
        super().__init__(text)
        self._writer = writer
        self.applied = False

    def redo(self) -> None:
        self._writer.submit(self.text(), self._apply_tracked, inbox=self.touches_inbox)

    def undo(self) -> None:
        self._writer.submit(self.text(), self._revert_tracked, inbox=self.touches_inbox)

    def _apply_tracked(self, store: Any) -> None:
        self.apply(store)
        self.applied = True

    def _revert_tracked(self, store: Any) -> None:
        if self.applied:
            self.revert(store)
            self.applied = False

    def apply(self, store: Any) -> None:
        raise NotImplementedError

    def revert(self, store: Any) -> None:
        raise NotImplementedError


class FileCommand(StoreCommand):
    """Files documents into a slot (at a position, else at the end)."""

    def __init__(
        self,
        writer: StoreWriter,
        text: str,
        case_id: int,
        slot_id: str,
        document_ids: Sequence[int],
        position: int | None = None,
        role: Role = Role.ORIGINAL,
    ) -> None:
        super().__init__(writer, text)
        self.case_id, self.slot_id = case_id, slot_id
        self.document_ids = list(document_ids)
        self.position, self.role = position, role
        self._filed: list[int] = []

    def apply(self, store: Any) -> None:
        self._filed = []
        try:
            for offset, doc_id in enumerate(self.document_ids):
                at = None if self.position is None else self.position + offset
                store.file_document(self.case_id, self.slot_id, doc_id, self.role, position=at)
                self._filed.append(doc_id)
        finally:
            self.applied = bool(self._filed)  # a partial filing can still be undone

    def revert(self, store: Any) -> None:
        for doc_id in reversed(self._filed):
            store.unfile(_filing_of(store, self.case_id, self.slot_id, doc_id).id)


class UnfileCommand(StoreCommand):
    """Takes documents out of their slots (they stay in the store, and in the inbox if unfiled).

    Undo puts each touched slot back as it was, translations and legalisations still
    belonging to the originals they belonged to (unfiling an original cut those links).
    """

    def __init__(self, writer: StoreWriter, text: str, filings: Sequence[FilingRecord]) -> None:
        super().__init__(writer, text)
        self.keys = [(f.case_id, f.slot_id, f.document_id) for f in filings]
        self._before: list[SlotLayout] = []

    def apply(self, store: Any) -> None:
        slots = dict.fromkeys((case_id, slot_id) for case_id, slot_id, _ in self.keys)
        self._before = [store.slot_layout(case_id, slot_id) for case_id, slot_id in slots]
        for case_id, slot_id, doc_id in self.keys:
            store.unfile(_filing_of(store, case_id, slot_id, doc_id).id)

    def revert(self, store: Any) -> None:
        for layout in self._before:
            store.restore_slot(layout)


class MoveCommand(StoreCommand):
    """Reorders a document within its slot."""

    touches_inbox = False

    def __init__(
        self, writer: StoreWriter, text: str, case_id: int, slot_id: str, doc_id: int, pos: int
    ) -> None:
        super().__init__(writer, text)
        self.key = (case_id, slot_id, doc_id)
        self.position = pos
        self._old = 0

    def apply(self, store: Any) -> None:
        current = _filing_of(store, *self.key)
        self._old = current.position
        store.move_filing(current.id, self.position)

    def revert(self, store: Any) -> None:
        store.move_filing(_filing_of(store, *self.key).id, self._old)


class RoleCommand(StoreCommand):
    """Says what a filed document is: original, legalisation or translation.

    Undo puts the slot back as it was: a translation returns to its own original, not to
    whichever original the store would pick for it.
    """

    touches_inbox = False

    def __init__(self, writer: StoreWriter, text: str, filing: FilingRecord, role: Role) -> None:
        super().__init__(writer, text)
        self.key = (filing.case_id, filing.slot_id, filing.document_id)
        self.role = role
        self._before: SlotLayout | None = None

    def apply(self, store: Any) -> None:
        current = _filing_of(store, *self.key)
        self._before = store.slot_layout(current.case_id, current.slot_id)
        store.set_filing_role(current.id, self.role)

    def revert(self, store: Any) -> None:
        if self._before is not None:
            store.restore_slot(self._before)


class PageCommand(StoreCommand):
    """Sets a page's rotation or whether it is left out (metadata only)."""

    def __init__(
        self,
        writer: StoreWriter,
        text: str,
        doc_id: int,
        page: int,
        rotation: int | None = None,
        excluded: bool | None = None,
    ) -> None:
        super().__init__(writer, text)
        self.doc_id, self.page, self.rotation, self.excluded = doc_id, page, rotation, excluded
        self._old_rotation, self._old_excluded = 0, False

    def apply(self, store: Any) -> None:
        setting = store.document(self.doc_id).page(self.page)
        self._old_rotation, self._old_excluded = setting.rotation, setting.excluded
        rotation = None if self.rotation is None else self.rotation % 360
        store.set_page(self.doc_id, self.page, rotation=rotation, excluded=self.excluded)

    def revert(self, store: Any) -> None:
        store.set_page(
            self.doc_id, self.page, rotation=self._old_rotation, excluded=self._old_excluded
        )


class FieldsCommand(StoreCommand):
    """Changes fields of a document or a case (title, dates, notes, profile…)."""

    def __init__(
        self, writer: StoreWriter, text: str, kind: str, record_id: int, changes: dict[str, Any]
    ) -> None:
        super().__init__(writer, text)
        if kind not in ("document", "case"):
            raise ValueError(kind)
        self.kind, self.record_id, self.changes = kind, record_id, dict(changes)
        self._old: dict[str, Any] = {}
        # A case's date or name leaves the inbox alone; its profile renames the suggestions.
        self.touches_inbox = kind == "document" or "profile_id" in changes

    def _io(self, store: Any) -> tuple[Callable[[int], Any], Callable[..., Any]]:
        if self.kind == "document":
            return store.document, store.update_document
        return store.case, store.update_case

    def apply(self, store: Any) -> None:
        read, write = self._io(store)
        current = read(self.record_id)
        self._old = {key: getattr(current, key) for key in self.changes}
        write(self.record_id, **self.changes)

    def revert(self, store: Any) -> None:
        _, write = self._io(store)
        write(self.record_id, **self._old)


class DecisionCommand(StoreCommand):
    """Answers whether a slot applies to a case (None: let the facts decide again)."""

    touches_inbox = False

    def __init__(
        self,
        writer: StoreWriter,
        text: str,
        case_id: int,
        slot_id: str,
        applies: bool | None,
        reason: str = "",
    ) -> None:
        super().__init__(writer, text)
        self.case_id, self.slot_id, self.applies, self.reason = case_id, slot_id, applies, reason
        self._old: tuple[bool | None, str] = (None, "")

    def apply(self, store: Any) -> None:
        old = store.case(self.case_id).decision(self.slot_id)
        self._old = (old.applies, old.reason) if old else (None, "")
        store.decide_slot(self.case_id, self.slot_id, self.applies, self.reason)

    def revert(self, store: Any) -> None:
        store.decide_slot(self.case_id, self.slot_id, *self._old)


class FactsCommand(StoreCommand):
    """Sets (or forgets, with None) facts of a case."""

    touches_inbox = False

    def __init__(
        self, writer: StoreWriter, text: str, case_id: int, facts: dict[str, str | None]
    ) -> None:
        super().__init__(writer, text)
        self.case_id, self.facts = case_id, dict(facts)
        self._old: dict[str, str | None] = {}

    def apply(self, store: Any) -> None:
        case = store.case(self.case_id)
        self._old = {key: case.fact(key) for key in self.facts}
        store.set_facts(self.case_id, self.facts)

    def revert(self, store: Any) -> None:
        store.set_facts(self.case_id, self._old)


def make_stack(parent: Any = None) -> QUndoStack:
    stack = QUndoStack(parent)
    stack.setUndoLimit(500)
    return stack
