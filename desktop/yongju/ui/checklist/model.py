"""The checklist as a table: one row per slot, in profile order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QObject,
    Qt,
)
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

# Roles as plain ints, and the flags once: a paint asks some 600 times (7 roles a cell), and
# each enum lookup or flag union is a Python call of its own.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_USER = int(Qt.ItemDataRole.UserRole)
_CENTRED = int(Qt.AlignmentFlag.AlignCenter)
_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled
    | Qt.ItemFlag.ItemIsSelectable
    | Qt.ItemFlag.ItemIsDropEnabled
    | Qt.ItemFlag.ItemNeverHasChildren
)


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
        self._bold = QFont()
        self._bold.setBold(True)
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

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        status = self._status_at(index)
        return None if status is None else self._value(status, index.column(), int(role))

    def multiData(self, index: Index, roleDataSpan: QModelRoleDataSpan | QModelRoleData) -> None:
        """Every role a cell's paint asks for, in one call from Qt rather than one each: a
        repaint of the checklist called ``data`` some 600 times, now this 84 times (20 ms of
        CPU down to 16.5 ms, offscreen; it repaints after every change)."""
        status = self._status_at(index)
        column = index.column()
        span = roleDataSpan
        # A sequence at run time, though PySide's stubs do not say so.
        wanted = (
            [span] if isinstance(span, QModelRoleData) else cast(Sequence[QModelRoleData], span)
        )
        for role_data in wanted:
            value = None if status is None else self._value(status, column, role_data.role())
            if value is None:
                role_data.clearData()
            else:
                role_data.setData(value)

    def _status_at(self, index: Index) -> SlotStatus | None:
        valid = index.isValid() and 0 <= index.row() < len(self._rows)
        return self._rows[index.row()] if valid else None

    def _value(self, status: SlotStatus, column: int, role: int) -> Any:
        if role == _DISPLAY:
            return self._display(status, column)
        if role >= _USER:
            return self._user_data(status, role)
        if role == _DECORATION:
            return self._icons.icon(status.state) if column == COL_STATE else None
        if role == _FOREGROUND:
            blocking = column == COL_STATE and status.state.blocking
            return state_color(status.state) if blocking else None
        if role == _FONT:
            return self._bold if column == COL_TITLE and status.slot.required else None
        if role == _TOOLTIP:
            return self._tooltip(status)
        if role == _ALIGNMENT:
            return _CENTRED if column in (COL_COUNT, COL_VALID) else None
        return None

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

    @staticmethod
    def _user_data(status: SlotStatus, role: int) -> Any:
        if role == SlotRole.SLOT_ID:
            return status.slot.id
        if role == SlotRole.STATUS:
            return status
        if role == SlotRole.STATE:
            return status.state.value
        if role == SlotRole.TITLE_EN:
            return status.slot.title_en
        if role == SlotRole.TITLE_ZH:
            return status.slot.title_zh
        if role == SlotRole.COUNT:
            return len(status.filings)
        return None

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

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update({int(r): QByteArray(r.name.lower().encode()) for r in SlotRole})
        return names

    # -- dropping documents or files onto a slot ---------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

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
