"""Filters a document grid by words in titles, file names and notes."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel

from yongju.ui.document_model import DocumentModel


class DocumentFilter(QSortFilterProxyModel):
    """Every word typed must appear (case-insensitively) in the title, file name or notes."""

    def __init__(self, source: DocumentModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._words: list[str] = []
        self.setSourceModel(source)

    @property
    def active(self) -> bool:
        return bool(self._words)

    def set_text(self, text: str) -> None:
        words = text.casefold().split()
        if words == self._words:
            return
        if words:
            # Lazily fetched rows must be searched too: a filter sees the whole inbox.
            while self._source.canFetchMore(QModelIndex()):
                self._source.fetchMore(QModelIndex())
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+; invalidateRowsFilter is deprecated
            self.beginFilterChange()
            self._words = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._words = words
            self.invalidateRowsFilter()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self._words:
            return True
        document = self._source.record(source_row).document
        haystack = " ".join((document.title, document.original_name, document.notes)).casefold()
        return all(word in haystack for word in self._words)
