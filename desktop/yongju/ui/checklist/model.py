"""The checklist as a table: one row per slot, in profile order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QMimeData, QModelIndex, QObject, Qt
from PySide6.QtGui import QFont

from yongju.core.checklist import SlotState, SlotStatus
from yongju.core.profiles import Requirement
from yongju.ui.common.record_list_model import Index
from yongju.ui.common.slot_text import one_line_title, slot_message, two_line_title
from yongju.ui.common.state_icons import StateIcons, state_color, state_words
from yongju.ui.documents.model import DOCUMENT_MIME

COL_TITLE, COL_STATE, COL_COUNT, COL_VALID = range(4)
_COLUMNS = 4

SlotDropHandler = Callable[[QMimeData, str, Qt.DropAction], bool]


class SlotRole(IntEnum):
    SLOT_ID = Qt.ItemDataRole.UserRole + 1
    STATUS = Qt.ItemDataRole.UserRole + 2  # the SlotStatus
    STATE = Qt.ItemDataRole.UserRole + 3  # the SlotState value
    TITLE_EN = Qt.ItemDataRole.UserRole + 4
    TITLE_ZH = Qt.ItemDataRole.UserRole + 5
    COUNT = Qt.ItemDataRole.UserRole + 6


class ChecklistModel(QAbstractTableModel):
    """Rows are :class:`SlotStatus` records; a new checklist updates only the rows that differ."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[SlotStatus] = []
        self._icons = StateIcons()
        self._drop_handler: SlotDropHandler | None = None

    def set_drop_handler(self, handler: SlotDropHandler | None) -> None:
        self._drop_handler = handler

    def statuses(self) -> list[SlotStatus]:
        return list(self._rows)

    def status(self, row: int) -> SlotStatus:
        return self._rows[row]

    def row_of(self, slot_id: str) -> int:
        for row, status in enumerate(self._rows):
            if status.slot.id == slot_id:
                return row
        return -1

    def set_statuses(self, statuses: Sequence[SlotStatus]) -> None:
        """Shows a new checklist; when the slots are the same, only changed rows are signalled."""
        new = list(statuses)
        if [s.slot.id for s in new] != [s.slot.id for s in self._rows]:
            self.beginResetModel()  # another profile (or case): a different list altogether
            self._rows = new
            self.endResetModel()
            return
        for row, status in enumerate(new):
            if status != self._rows[row]:
                self._rows[row] = status
                self.dataChanged.emit(self.index(row, 0), self.index(row, COL_VALID))

    # -- Qt model interface ------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else _COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = (
            self.tr("Requirement"),
            self.tr("State"),
            self.tr("Docs"),
            self.tr("Valid until"),
        )
        return headers[section] if 0 <= section < len(headers) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        status = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(status, column)
        if role == Qt.ItemDataRole.DecorationRole and column == COL_STATE:
            return self._icons.icon(status.state)
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_STATE:
            return state_color(status.state) if status.state.blocking else None
        if role == Qt.ItemDataRole.FontRole and column == COL_TITLE and status.slot.required:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(status)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_COUNT, COL_VALID):
            return int(Qt.AlignmentFlag.AlignCenter)
        return self._user_data(status, role)

    def _display(self, status: SlotStatus, column: int) -> str:
        slot = status.slot
        if column == COL_TITLE:
            return two_line_title(slot)
        if column == COL_STATE:
            return state_words(status.state)
        if column == COL_COUNT:
            wanted = slot.max_documents
            count = len(status.filings)
            return f"{count}/{wanted}" if wanted and wanted > 1 else str(count)
        if column == COL_VALID:
            return status.valid_until.isoformat() if status.valid_until else ""
        return ""

    def _user_data(self, status: SlotStatus, role: int) -> Any:
        values: dict[int, Any] = {
            SlotRole.SLOT_ID: status.slot.id,
            SlotRole.STATUS: status,
            SlotRole.STATE: status.state.value,
            SlotRole.TITLE_EN: status.slot.title_en,
            SlotRole.TITLE_ZH: status.slot.title_zh,
            SlotRole.COUNT: len(status.filings),
        }
        return values.get(role)

    def _tooltip(self, status: SlotStatus) -> str:
        slot = status.slot
        lines = [one_line_title(slot)]
        if slot.requirement is Requirement.CONDITIONAL and slot.condition:
            lines.append(self.tr("Only if: %1").replace("%1", slot.condition))
        if status.problems:
            lines.append(slot_message(status))
        elif status.state is SlotState.OK:
            lines.append(state_words(status.state))
        if slot.hint:
            lines.append(slot.hint)
        return "\n".join(lines)

    def roleNames(self) -> dict[int, bytes]:
        names = dict(super().roleNames())
        names.update({int(r): r.name.lower().encode() for r in SlotRole})
        return names

    # -- dropping documents or files onto a slot ---------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDropEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [DOCUMENT_MIME, "text/uri-list"]

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return (
            self._drop_handler is not None
            and parent.isValid()
            and (data.hasFormat(DOCUMENT_MIME) or data.hasUrls())
        )

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        assert self._drop_handler is not None
        return self._drop_handler(data, self._rows[parent.row()].slot.id, action)
