"""A list model over frozen records: lazy fetching, and updates that touch only changed rows."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from difflib import SequenceMatcher
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex

R = TypeVar("R", bound=Hashable)
Index = QModelIndex | QPersistentModelIndex

FETCH_BATCH = 200  # rows handed to the view at a time; a store may hold thousands


class RecordListModel(QAbstractListModel, Generic[R]):
    """Holds a list of records; the view sees the first ``fetched`` of them.

    ``set_records`` compares the new list with the old one by key and emits row
    insertions, removals and ``dataChanged`` only where something differs, so views keep
    their selection and scroll position instead of being reset.
    """

    def __init__(self, parent: QObject | None = None, batch: int = FETCH_BATCH) -> None:
        super().__init__(parent)
        self._records: list[R] = []
        # Each record's key, in step with ``_records``: lookups and the list's comparisons
        # without calling ``key`` for thousands of records each time (an inbox of 5,000).
        self._keys: list[Hashable] = []
        self._fetched = 0
        self._batch = batch

    # Subclasses say what identifies a record across updates.
    def key(self, record: R) -> Hashable:
        return record

    # -- read access -------------------------------------------------------------------
    def records(self) -> list[R]:
        """Every record, fetched by the view or not."""
        return list(self._records)

    def record(self, row: int) -> R:
        return self._records[row]

    def record_at(self, index: Index) -> R | None:
        if not index.isValid() or index.row() >= self._fetched:
            return None
        return self._records[index.row()]

    def row_of(self, key: Hashable) -> int:
        """The visible row whose record has ``key``, or -1."""
        try:
            row = self._keys.index(key, 0, self._fetched)
        except ValueError:
            return -1
        return row

    # -- Qt model interface ------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._fetched

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._fetched < len(self._records)

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        count = min(self._batch, len(self._records) - self._fetched)
        if count <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._fetched, self._fetched + count - 1)
        self._fetched += count
        self.endInsertRows()

    def data(self, index: Index, role: int = 0) -> Any:
        raise NotImplementedError

    # -- updates -----------------------------------------------------------------------
    def set_records(self, records: Sequence[R]) -> None:
        """Replaces the list, signalling only the rows that were added, removed or changed."""
        new = list(records)
        if not self._records:
            self._records = new
            self._keys = [self.key(r) for r in new]
            self._fetched = 0
            if new:
                self.fetchMore(QModelIndex())
            return
        old_keys = list(self._keys)
        new_keys = [self.key(r) for r in new]
        if old_keys != new_keys:
            old_set, new_set = set(old_keys), set(new_keys)
            kept_old = [k for k in old_keys if k in new_set]
            kept_new = [k for k in new_keys if k in old_set]
            if kept_old == kept_new:  # the usual case: rows only came and went
                self._remove_missing(old_keys, new_set)
                self._insert_new(new, new_keys, old_set)
            else:
                self._apply_diff(old_keys, new_keys, new)
        self._refresh(0, new)

    def replace_records(self, records: Sequence[R]) -> None:
        """Puts each of ``records`` in the place of the listed record with its key (one not
        listed is left out), signalling only the rows that changed.

        For a few records of a long list: no comparison of the whole list, as
        ``set_records`` makes.
        """
        if not records:
            return
        first = last = -1
        for record in records:
            try:
                row = self._keys.index(self.key(record))
            except ValueError:
                continue  # not listed
            if self._records[row] == record:
                continue
            self._records[row] = record
            if row < self._fetched:
                first = row if first < 0 else min(first, row)
                last = max(last, row)
        if first >= 0:
            self.dataChanged.emit(self.index(first), self.index(last))

    def _remove_missing(self, old_keys: list[Hashable], keep: set[Hashable]) -> None:
        end = len(old_keys)
        while end > 0:  # runs of removed rows, from the end
            if old_keys[end - 1] in keep:
                end -= 1
                continue
            start = end
            while start > 0 and old_keys[start - 1] not in keep:
                start -= 1
            self._remove(start, end)
            end = start

    def _insert_new(self, new: list[R], new_keys: list[Hashable], old: set[Hashable]) -> None:
        start = 0
        while start < len(new_keys):  # runs of new rows, from the start
            if new_keys[start] in old:
                start += 1
                continue
            end = start
            while end < len(new_keys) and new_keys[end] not in old:
                end += 1
            self._insert(start, new[start:end])
            start = end

    def _apply_diff(self, old_keys: list[Hashable], new_keys: list[Hashable], new: list[R]) -> None:
        """Rows also moved: a general diff (slower; lists that reorder are short)."""
        matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
        # From the end backwards, so the positions of earlier operations stay valid.
        for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
            if tag in ("delete", "replace"):
                self._remove(i1, i2)
            if tag in ("insert", "replace"):
                self._insert(i1, new[j1:j2])

    def _refresh(self, start: int, records: list[R]) -> None:
        first = last = -1
        for offset, record in enumerate(records):
            row = start + offset
            if self._records[row] != record:
                self._records[row] = record
                if row < self._fetched:
                    first = row if first < 0 else first
                    last = row
        if first >= 0:
            self.dataChanged.emit(self.index(first), self.index(last))

    def _remove(self, start: int, end: int) -> None:
        visible_end = min(end, self._fetched)
        if start < visible_end:
            self.beginRemoveRows(QModelIndex(), start, visible_end - 1)
            del self._records[start:end]
            del self._keys[start:end]
            self._fetched -= visible_end - start
            self.endRemoveRows()
        else:
            del self._records[start:end]
            del self._keys[start:end]

    def _insert(self, at: int, records: list[R]) -> None:
        # Rows land in view when they go among fetched rows, or after all of them.
        if at < self._fetched or self._fetched == len(self._records):
            self.beginInsertRows(QModelIndex(), at, at + len(records) - 1)
            self._records[at:at] = records
            self._keys[at:at] = [self.key(r) for r in records]
            self._fetched += len(records)
            self.endInsertRows()
        else:
            self._records[at:at] = records
            self._keys[at:at] = [self.key(r) for r in records]

    def add_front(self, records: Sequence[R]) -> int:
        """Puts ``records`` not already listed at the top (newest first); returns how many."""
        known = set(self._keys)
        new = [r for r in records if self.key(r) not in known]
        if new:
            if not self._records:
                self.set_records(new)
            else:
                self._insert(0, new)
        return len(new)

    def touch(self, predicate: Callable[[R], bool]) -> None:
        """Emits ``dataChanged`` for visible rows whose record matches (e.g. a new thumbnail)."""
        for row in range(self._fetched):
            if predicate(self._records[row]):
                index = self.index(row)
                self.dataChanged.emit(index, index)
