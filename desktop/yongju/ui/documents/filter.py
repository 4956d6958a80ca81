"""Filters a document grid by words in titles, file names, notes and recognised text."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Signal,
)

from yongju.ui.documents.model import DocumentModel


class DocumentFilter(QSortFilterProxyModel):
    """Every word typed must appear (case-insensitively) in the title, file name or notes,
    or in the document's recognised text.

    The text lives in the store: ``words_changed`` asks the owner to look the words up off
    the GUI thread, and :meth:`show_text_matches` brings the answer back.
    """

    words_changed = Signal(list)  # the words now filtered by

    def __init__(self, source: DocumentModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._words: list[str] = []
        self._in_text: Mapping[str, set[int]] = {}
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
        self._refilter(words, {})
        self.words_changed.emit(list(words))

    def show_text_matches(self, words: list[str], in_text: Mapping[str, set[int]]) -> None:
        """The documents whose recognised text holds each word (ignored if the words moved on)."""
        if words == self._words:
            self._refilter(words, in_text)

    def _refilter(self, words: list[str], in_text: Mapping[str, set[int]]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+; invalidateRowsFilter is deprecated
            self.beginFilterChange()
            self._words, self._in_text = words, in_text
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._words, self._in_text = words, in_text
            self.invalidateRowsFilter()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self._words:
            return True
        document = self._source.record(source_row).document
        haystack = " ".join((document.title, document.original_name, document.notes)).casefold()
        return all(
            word in haystack or document.id in self._in_text.get(word, ()) for word in self._words
        )
