"""Context menu of documents, and opening the original in the system's viewer."""

from __future__ import annotations

import shutil
import stat
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QPoint, Qt, QUrl
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from yongju.core.errors import NotFoundError
from yongju.core.records import DocumentRecord, Role
from yongju.ui.common.slot_text import counted, one_line_title
from yongju.ui.documents.model import GridItem
from yongju.ui.editing.editor import Editor
from yongju.ui.window.drop_router import DropRouter

OpenUrl = Callable[[QUrl], Any]


class DocumentActions(QObject):
    """What can be done to documents from a menu; the OS edge (``open_url``) is injected."""

    def __init__(
        self,
        store: Any,
        editor: Editor,
        router: DropRouter,
        open_url: OpenUrl,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._editor = editor
        self._router = router
        self._open_url = open_url
        self._temp: tempfile.TemporaryDirectory[str] | None = None

    def close(self) -> None:
        if self._temp is not None:
            self._temp.cleanup()
            self._temp = None

    # -- the system viewer -------------------------------------------------------------
    def original_path(self, document: DocumentRecord) -> Path:
        """The user's original file if it is still there unchanged, else a read-only copy."""
        source = Path(document.source_path) if document.source_path else None
        if source is not None and source.is_file() and source.stat().st_size == document.size:
            return source
        blob = self._store.blob_path(document.sha256)
        if not blob.is_file():
            raise NotFoundError(f"The stored copy of “{document.display_title}” is missing.")
        if self._temp is None:
            self._temp = tempfile.TemporaryDirectory(prefix="yongju-view-")
        folder = Path(self._temp.name) / str(document.id)
        folder.mkdir(exist_ok=True)
        copy = folder / (document.original_name or f"document-{document.id}")
        if not copy.exists():
            shutil.copyfile(blob, copy)
            copy.chmod(stat.S_IRUSR)  # a viewer must not be able to save over it
        return copy

    def open_original(self, document: DocumentRecord) -> Path:
        path = self.original_path(document)
        self._open_url(QUrl.fromLocalFile(str(path)))
        return path

    def show_in_folder(self, document: DocumentRecord) -> Path:
        folder = self.original_path(document).parent
        self._open_url(QUrl.fromLocalFile(str(folder)))
        return folder

    # -- the menu ----------------------------------------------------------------------
    def build_menu(self, items: Sequence[GridItem], parent: QWidget) -> QMenu:
        menu = QMenu(parent)
        first = items[0]
        doc = first.document
        menu.addAction(self.tr("Open Original"), lambda: self.open_original(doc))
        menu.addAction(self.tr("Show in Folder"), lambda: self.show_in_folder(doc))
        menu.addSeparator()
        workspace = self._router.workspace
        if first.filing is None and first.suggested_title and first.suggested_slot:
            slot = first.suggested_slot
            menu.addAction(
                self.tr("File into %1").replace("%1", first.suggested_title),
                lambda: self.accept_suggestion(first),
            ).setEnabled(workspace.case_id is not None and slot is not None)
        self._file_into_menu(menu, items)
        filings = [item.filing for item in items if item.filing is not None]
        if filings:
            roles = menu.addMenu(self.tr("Role"))
            for role, text in (
                (Role.ORIGINAL, self.tr("Original")),
                (Role.LEGALISATION, self.tr("Legalisation / Apostille")),
                (Role.TRANSLATION, self.tr("Translation")),
            ):
                action = roles.addAction(text, lambda r=role: self._editor.set_role(filings[0], r))
                action.setCheckable(True)
                action.setChecked(filings[0].role is role)
            menu.addSeparator()
            menu.addAction(self.tr("Remove from Slot"), lambda: self._editor.unfile(filings))
        else:
            menu.addSeparator()
            menu.addAction(
                self.tr("Delete from Yongju…"),
                lambda: self.ask_delete([item.document for item in items], parent),
            )
        return menu

    def ask_delete(self, documents: Sequence[DocumentRecord], parent: QWidget) -> QMessageBox:
        """Deleting inbox documents from the store, after a confirmation (it cannot be undone)."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Delete Documents"),
            counted(
                self.tr("Delete %n document(s) from Yongju?", "", len(documents)), len(documents)
            ),
            QMessageBox.StandardButton.Cancel,
            parent.window(),
        )
        box.setInformativeText(
            self.tr(
                "Their copies in Yongju's store are removed; this cannot be undone. "
                "Your original files are not touched."
            )
        )
        delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        ids = [d.id for d in documents]
        box.buttonClicked.connect(lambda button: button is delete and self._delete(ids))
        box.open()
        return box

    def _delete(self, ids: list[int]) -> None:
        def work(store: Any) -> None:
            for doc_id in ids:
                store.delete_document(doc_id)

        self._editor.writer.submit("delete documents", work)

    def _file_into_menu(self, menu: QMenu, items: Sequence[GridItem]) -> None:
        checklist = self._router.workspace.current_checklist
        sub = menu.addMenu(self.tr("File Into"))
        sub.setEnabled(checklist is not None)
        if checklist is None:
            return
        ids = [item.document.id for item in items]
        for status in checklist.slots:
            slot = status.slot
            todo = [d for d in ids if d not in status.document_ids]
            action = sub.addAction(
                one_line_title(slot),
                lambda s=slot.id, t=todo: self._editor.file(
                    checklist.case.id, s, self._router.slot_title(s), t
                ),
            )
            action.setEnabled(bool(todo))

    def accept_suggestion(self, item: GridItem) -> bool:
        """Files an inbox document into its suggested slot of the current case, in one step."""
        slot_id = item.suggested_slot
        workspace = self._router.workspace
        if slot_id is None or workspace.case_id is None or workspace.current_checklist is None:
            return False
        if slot_id not in {s.slot.id for s in workspace.current_checklist.slots}:
            return False
        self._editor.file(
            workspace.case_id, slot_id, self._router.slot_title(slot_id), [item.document.id]
        )
        return True

    def set_role(self, filing_id: int, role: str) -> None:
        """The role chosen in the details panel, for a filing of the slot on screen."""
        for item in self._router.workspace.slot_documents.records():
            if item.filing is not None and item.filing.id == filing_id:
                self._editor.set_role(item.filing, Role(role))

    def popup(self, items: Sequence[GridItem], pos: QPoint, parent: QWidget) -> QMenu:
        menu = self.build_menu(items, parent)
        menu.popup(pos)
        return menu
