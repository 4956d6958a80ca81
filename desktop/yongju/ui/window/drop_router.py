"""What a drop means, wherever it lands: import files, file documents, reorder or unfile."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, Qt

from yongju.ui.common.slot_text import slot_title
from yongju.ui.documents.import_flow import ImportFlow, ImportTarget
from yongju.ui.documents.model import decode_documents
from yongju.ui.editing.editor import Editor
from yongju.ui.window.workspace import Workspace


def local_paths(mime: QMimeData) -> list[Path]:
    """The local files and folders in a drop (remote URLs are not ours to fetch)."""
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class DropRouter:
    """Turns drops on the inbox, the slot grid and checklist rows into imports and commands."""

    def __init__(self, workspace: Workspace, editor: Editor, imports: ImportFlow) -> None:
        self.workspace = workspace
        self.editor = editor
        self.imports = imports

    def slot_title(self, slot_id: str) -> str:
        checklist = self.workspace.current_checklist
        if checklist is not None:
            for slot in checklist.profile.slots:
                if slot.id == slot_id:
                    return slot_title(slot)
        return slot_id

    def target(self, slot_id: str, position: int | None = None) -> ImportTarget | None:
        case_id = self.workspace.case_id
        if case_id is None:
            return None
        return ImportTarget(case_id, slot_id, self.slot_title(slot_id), position)

    # -- drop sites --------------------------------------------------------------------
    def on_inbox(self, mime: QMimeData, _row: int) -> bool:
        """Files become new inbox documents; documents dragged out of a slot are unfiled."""
        payload = decode_documents(mime)
        if payload is not None:
            if payload.get("source") != "slot":
                return False
            wanted = set(payload.get("filings", []))
            filings = [
                item.filing
                for item in self.workspace.slot_documents.records()
                if item.filing is not None and item.filing.id in wanted
            ]
            self.editor.unfile(filings)
            return bool(filings)
        paths = local_paths(mime)
        if paths:
            self.imports.start(paths)
        return bool(paths)

    def on_slot_grid(self, mime: QMimeData, row: int) -> bool:
        """Into the selected slot: file from the inbox, reorder within, or import there."""
        slot_id = self.workspace.slot_id
        if slot_id is None or self.workspace.case_id is None:
            return False
        payload = decode_documents(mime)
        if payload is not None and payload.get("source") == "slot":
            return self._reorder(payload.get("filings", []), row)
        return self.on_slot(mime, slot_id, row)

    def on_slot_row(self, mime: QMimeData, slot_id: str, action: Qt.DropAction) -> bool:
        """A drop on a checklist row. Documents dragged out of the shown slot move there
        (a copy when the user holds the copy modifier); everything else is filed there."""
        payload = decode_documents(mime)
        if (
            payload is not None
            and payload.get("source") == "slot"
            and action == Qt.DropAction.MoveAction
            and slot_id != self.workspace.slot_id
        ):
            return self._move_to(payload.get("filings", []), slot_id)
        return self.on_slot(mime, slot_id)

    def on_slot(self, mime: QMimeData, slot_id: str, position: int | None = None) -> bool:
        """A drop on a slot: file documents there, or import files and file them."""
        target = self.target(slot_id, position)
        if target is None:
            return False
        payload = decode_documents(mime)
        if payload is not None:
            already = self._filed_in(slot_id)
            ids = [d for d in payload.get("documents", []) if d not in already]
            self.editor.file(target.case_id, slot_id, target.slot_title, ids, position)
            return bool(ids)
        paths = local_paths(mime)
        if paths:
            self.imports.start(paths, target)
        return bool(paths)

    def file_imported(self, target: ImportTarget, document_ids: list[int]) -> None:
        """Files what a drop on a slot imported (duplicates already there are left alone)."""
        already = (
            self._filed_in(target.slot_id) if target.case_id == self.workspace.case_id else set()
        )
        ids = [d for d in document_ids if d not in already]
        self.editor.file(target.case_id, target.slot_id, target.slot_title, ids, target.position)

    def _move_to(self, filing_ids: list[int], slot_id: str) -> bool:
        target = self.target(slot_id)
        wanted = set(filing_ids)
        filings = [
            item.filing
            for item in self.workspace.slot_documents.records()
            if item.filing is not None and item.filing.id in wanted
        ]
        if target is None or not filings:
            return False
        already = self._filed_in(slot_id)
        self.editor.move_to_slot(filings, target.slot_id, target.slot_title, already)
        return True

    def _filed_in(self, slot_id: str) -> set[int]:
        checklist = self.workspace.current_checklist
        if checklist is None:
            return set()
        try:
            return set(checklist.status(slot_id).document_ids)
        except KeyError:
            return set()

    def _reorder(self, filing_ids: list[int], row: int) -> bool:
        items = self.workspace.slot_documents.records()
        rows = [i for i, item in enumerate(items) if item.filing and item.filing.id in filing_ids]
        if len(rows) != 1:
            return False  # one document at a time keeps "where did it go" obvious
        filing = items[rows[0]].filing
        assert filing is not None
        row = len(items) if row < 0 else row
        position = row - 1 if row > rows[0] else row
        self.editor.move(filing, position)
        return True
