"""The item model behind a document grid: the inbox, or the documents filed in one slot."""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, QObject, Qt
from PySide6.QtGui import QIcon, QPixmap

from yongju.core.records import DocumentRecord, FilingRecord
from yongju.ui.common.record_list_model import Index, RecordListModel
from yongju.ui.common.slot_text import counted

DOCUMENT_MIME = "application/x-yongju-documents"


@dataclass(frozen=True)
class GridItem:
    """One tile: a document, the filing that put it in the shown slot, and hints for badges."""

    document: DocumentRecord
    filing: FilingRecord | None = None
    suggested_title: str = ""  # the suggested slot's title in the current case's profile
    suggested_slot: str | None = None  # a slot of the selected case's profile, or None

    @property
    def key(self) -> Hashable:
        return ("filing", self.filing.id) if self.filing else ("document", self.document.id)


class DocumentRole(IntEnum):
    RECORD = Qt.ItemDataRole.UserRole + 1  # the DocumentRecord
    FILING = Qt.ItemDataRole.UserRole + 2  # the FilingRecord, or None in the inbox
    DOCUMENT_ID = Qt.ItemDataRole.UserRole + 3
    PAGES = Qt.ItemDataRole.UserRole + 4
    ENCRYPTED = Qt.ItemDataRole.UserRole + 5
    SUGGESTED_SLOT = Qt.ItemDataRole.UserRole + 6  # a slot id of the selected case, or None
    SUGGESTED_TITLE = Qt.ItemDataRole.UserRole + 7
    ROLE = Qt.ItemDataRole.UserRole + 8  # the filing's role, "" in the inbox


ThumbnailSource = Callable[[DocumentRecord], QPixmap | None]
DropHandler = Callable[[QMimeData, int], bool]


def encode_documents(items: Sequence[GridItem], source: str) -> QMimeData:
    """Drag data naming the documents (and filings) being dragged, and where they come from."""
    mime = QMimeData()
    payload = {
        "source": source,
        "documents": [item.document.id for item in items],
        "filings": [item.filing.id for item in items if item.filing is not None],
    }
    mime.setData(DOCUMENT_MIME, json.dumps(payload).encode())
    return mime


def decode_documents(mime: QMimeData) -> dict[str, Any] | None:
    """The payload of :func:`encode_documents`, or None when the drag is something else."""
    if not mime.hasFormat(DOCUMENT_MIME):
        return None
    try:
        payload = json.loads(bytes(mime.data(DOCUMENT_MIME).data()).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    return payload if isinstance(payload, dict) else None


class DocumentModel(RecordListModel[GridItem]):
    """Tiles of documents; thumbnails come from a source that renders them in the background."""

    def __init__(self, source_name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source_name = source_name  # "inbox" or "slot": said in drag data
        self._thumbnail: ThumbnailSource | None = None
        self._placeholder = QIcon()
        self._drop_handler: DropHandler | None = None

    def key(self, record: GridItem) -> Hashable:
        return record.key

    def set_thumbnail_source(self, source: ThumbnailSource, placeholder: QIcon) -> None:
        self._thumbnail = source
        self._placeholder = placeholder

    def set_drop_handler(self, handler: DropHandler | None) -> None:
        """Who decides what a drop means (filing, reordering, importing)."""
        self._drop_handler = handler

    def thumbnail_ready(self, document_id: int) -> None:
        self.touch(lambda item: item.document.id == document_id)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.record_at(index)
        if item is None:
            return None
        doc = item.document
        if role == Qt.ItemDataRole.DisplayRole:
            return doc.display_title
        if role == Qt.ItemDataRole.DecorationRole:
            pixmap = self._thumbnail(doc) if self._thumbnail is not None else None
            return pixmap if pixmap is not None else self._placeholder
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item)
        return self._user_data(item, role)

    def _user_data(self, item: GridItem, role: int) -> Any:
        doc = item.document
        values: dict[int, Any] = {
            DocumentRole.RECORD: doc,
            DocumentRole.FILING: item.filing,
            DocumentRole.DOCUMENT_ID: doc.id,
            DocumentRole.PAGES: doc.pages,
            DocumentRole.ENCRYPTED: doc.encrypted,
            DocumentRole.SUGGESTED_SLOT: item.suggested_slot,
            DocumentRole.SUGGESTED_TITLE: item.suggested_title,
            DocumentRole.ROLE: item.filing.role.value if item.filing else "",
        }
        return values.get(role)

    def _tooltip(self, item: GridItem) -> str:
        doc = item.document
        lines = [
            doc.display_title,
            counted(self.tr("%n page(s)", "", doc.pages), doc.pages),
            doc.original_name,
        ]
        if doc.issued:
            lines.append(self.tr("Issued %1").replace("%1", doc.issued.isoformat()))
        if doc.expires:
            lines.append(self.tr("Expires %1").replace("%1", doc.expires.isoformat()))
        if doc.encrypted:
            lines.append(self.tr("Password-protected"))
        if item.suggested_title:
            lines.append(self.tr("Suggested: %1").replace("%1", item.suggested_title))
        return "\n".join(lines)

    def roleNames(self) -> dict[int, bytes]:
        names = dict(super().roleNames())
        names.update({int(r): r.name.lower().encode() for r in DocumentRole})
        return names

    # -- drag and drop -----------------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [DOCUMENT_MIME, "text/uri-list"]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return encode_documents([self.record(r) for r in rows], self.source_name)

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return self._drop_handler is not None and (data.hasFormat(DOCUMENT_MIME) or data.hasUrls())

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if self._drop_handler is None:
            return False
        target = parent.row() if parent.isValid() else row
        return self._drop_handler(data, target if target >= 0 else self.rowCount())
