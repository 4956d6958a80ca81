"""Connects background reading to the window: status bar, proposals panel, search, accepting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, QTimer
from shiboken6 import isValid

from yongju.core.profiles import ProfileSet
from yongju.core.records import DocumentRecord, Origin, ProposalRecord
from yongju.ui.common.tasks import TaskContext, TaskRunner
from yongju.ui.documents.filter import DocumentFilter
from yongju.ui.documents.model import GridItem
from yongju.ui.reading.controller import BackgroundRecogniser, ReadingController
from yongju.ui.reading.proposals_panel import ProposalsPanel
from yongju.ui.reading.status import ReadingStatus

if TYPE_CHECKING:
    from yongju.core.store import Store
    from yongju.ui.window.main_window import MainWindow

_REFRESH_AFTER_MS = 300  # documents with a text layer are read many a second: refresh once


class ReadingWiring(QObject):
    """Owns the reading controller and the panel, and routes what they ask to the window.

    ``window`` is the main window (its child, this goes with it): its status bar, grids,
    details panel, selection, workspace, editor, document actions, importer and watcher.
    """

    def __init__(
        self,
        window: MainWindow,
        store: Store,
        profiles: ProfileSet,
        runner: TaskRunner,
        report: Callable[[BaseException], None],
        write_pool: QThreadPool,
        make_recogniser: Callable[[], BackgroundRecogniser] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.profiles = profiles
        self.runner = runner
        self.controller = ReadingController(
            store, write_pool, self._keywords, report, make_recogniser, self
        )
        self.status = ReadingStatus(self.controller)
        window.statusBar().addPermanentWidget(self.status)
        self.panel = ProposalsPanel(self._slot_title)
        if window.details is not None:
            window.details.add_section(self.panel)
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(_REFRESH_AFTER_MS)
        self._read: set[int] = set()  # documents read since the last refresh
        self._refresh.timeout.connect(self._show_read)
        window.workspace.own_write_pending = lambda: isValid(self._refresh) and bool(self._read)
        self._connect()

    def _connect(self) -> None:
        window = self.window
        # The importer and the watcher outlive the window (and this, its child): guarded.
        window.imports.import_finished.connect(lambda _results: self._start())
        if window.watch is not None:
            window.watch.documents_arrived.connect(lambda _n: self._start())
        self.controller.document_read.connect(self._document_read)
        for grid in (window.inbox, window.slot_grid):
            grid.selection_changed.connect(self._selected)
            grid.proxy.words_changed.connect(partial(self._search, grid.proxy))
        window.workspace.refreshed.connect(self._reload)
        self.panel.accept_requested.connect(self.accept)

    def _start(self) -> None:
        if isValid(self) and isValid(self.controller):
            self.controller.start()

    def shutdown(self) -> None:
        if isValid(self._refresh):
            self._refresh.stop()
        if isValid(self.controller):  # else it went with the window, its threads stopped
            self.controller.shutdown()

    # ------------------------------------------------------------------ reading
    def _keywords(self, doc_id: int) -> Mapping[str, Sequence[str]] | None:
        """The slots a document may be proposed: its case's, else the selected case's."""
        from yongju.core.reading.reader import profile_for

        profile = profile_for(self.store, self.profiles, doc_id)
        if profile is None:
            checklist = self.window.workspace.current_checklist  # read only, set on GUI thread
            profile = checklist.profile if checklist is not None else None
        return profile.keywords() if profile is not None else None

    def _document_read(self, doc_id: int) -> None:
        self._read.add(doc_id)
        self._refresh.start()
        if self.panel.document_id == doc_id:
            self._load(doc_id)

    def _show_read(self) -> None:
        # Reading changes a document's own fields (text, proposals, its suggested slot):
        # those tiles are re-read alone; the checklist and the shown slot as usual.
        read, self._read = self._read, set()
        self.window.workspace.refresh(inbox=False, documents=read)

    # ------------------------------------------------------------------ the panel
    def _slot_title(self, slot_id: str) -> str:
        checklist = self.window.workspace.current_checklist
        if checklist is not None:
            for status in checklist.slots:
                if status.slot.id == slot_id:
                    return f"{status.slot.title_en} ({status.slot.title_zh})"
        return slot_id

    def _selected(self, items: list[GridItem]) -> None:
        if items:
            self._load(items[0].document.id)

    def _reload(self) -> None:
        selected: GridItem | None = self.window.selection.selected
        if selected is None:
            self.panel.show_document(None)
        else:
            self._load(selected.document.id)

    def _load(self, doc_id: int) -> None:
        store = self.store

        def fetch(_ctx: TaskContext) -> tuple[DocumentRecord, list[ProposalRecord], list[str]]:
            return store.document(doc_id), store.proposals([doc_id]), store.reading_notes(doc_id)

        def show(result: tuple[DocumentRecord, list[ProposalRecord], list[str]]) -> None:
            if not isValid(self.panel):
                return  # the window closed while this was loading
            selected: GridItem | None = self.window.selection.selected
            if selected is not None and selected.document.id == doc_id:
                self.panel.show_document(*result)

        self.runner.read("load proposals", fetch, on_result=show, on_error=lambda _e: None)

    # ------------------------------------------------------------------ accepting
    def accept(self, doc_id: int, fields: list[str]) -> None:
        """Applies proposals as one undoable edit (a slot: files the document), drops them."""
        window = self.window
        waiting = {p.field: p for p in self.store.proposals([doc_id])}
        fields = [f for f in fields if f in waiting]
        changes = {f: _value(waiting[f]) for f in fields if f != "slot"}
        if changes:
            window.editor.edit_document(doc_id, **changes)
        if "slot" in fields:
            selected = window.selection.selected
            here = selected if selected is not None and selected.document.id == doc_id else None
            if here is not None and here.suggested_slot is None:
                # The slot the panel proposed, before a refresh has put it on the tile too.
                here = replace(here, suggested_slot=waiting["slot"].value)
            if here is None or not window.documents.accept_suggestion(here):
                fields.remove("slot")
        store = self.store
        self.runner.write(
            "accept proposals",
            lambda _ctx: store.dismiss_proposals(doc_id, fields),
            on_result=lambda _r: self._load(doc_id),
        )

    # ------------------------------------------------------------------ search
    def _search(self, proxy: DocumentFilter, words: list[str]) -> None:
        if not words:
            return
        store = self.store

        def lookup(_ctx: TaskContext) -> dict[str, set[int]]:
            return {word: store.documents_with_text(word) for word in words}

        def show(found: dict[str, set[int]]) -> None:
            if isValid(proxy):
                proxy.show_text_matches(words, found)

        self.runner.read("search text", lookup, on_result=show)


def _value(proposal: ProposalRecord) -> dt.date | Origin | str:
    if proposal.field in ("issued", "expires"):
        return dt.date.fromisoformat(proposal.value)
    if proposal.field == "issued_in":
        return Origin(proposal.value)
    return proposal.value
