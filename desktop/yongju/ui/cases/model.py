"""The list of cases, for the case selector."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from PySide6.QtCore import QObject, Qt

from yongju.core.records import CaseRecord
from yongju.ui.common.record_list_model import Index, RecordListModel

CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
CASE_RECORD_ROLE = Qt.ItemDataRole.UserRole + 2


class CaseModel(RecordListModel[CaseRecord]):
    """Cases by name; the id and record are under named roles."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent, batch=10_000)  # a combo box needs every case at once

    def key(self, record: CaseRecord) -> Hashable:
        return record.id

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        case = self.record_at(index)
        if case is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return case.name
        if role == CASE_ID_ROLE:
            return case.id
        if role == CASE_RECORD_ROLE:
            return case
        if role == Qt.ItemDataRole.ToolTipRole:
            return case.notes or case.name
        return None

    def roleNames(self) -> dict[int, bytes]:
        names = dict(super().roleNames())
        names.update({CASE_ID_ROLE: b"case_id", CASE_RECORD_ROLE: b"case"})
        return names
