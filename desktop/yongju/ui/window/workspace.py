"""What the window shows (cases, checklist, inbox, the selected slot), loaded off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from yongju.core.checklist import Checklist, SlotStatus, case_checklist
from yongju.core.errors import NotFoundError
from yongju.core.profiles import ProfileSet
from yongju.core.records import CaseRecord, DocumentRecord, ExportRecord
from yongju.core.store.changes import ChangeCounter
from yongju.core.suggest import case_suggestion, suggestion_keywords
from yongju.ui.cases.model import CaseModel
from yongju.ui.checklist.model import ChecklistModel
from yongju.ui.common.slot_text import slot_title
from yongju.ui.common.tasks import TaskContext, TaskRunner
from yongju.ui.documents.model import DocumentModel, GridItem

if TYPE_CHECKING:
    from yongju.core.store import Store


@dataclass(frozen=True)
class Snapshot:
    """Everything one refresh read from the store, for one (case, slot) selection."""

    requested_case_id: int | None
    case_id: int | None  # None when the requested case no longer exists
    slot_id: str | None
    cases: list[CaseRecord]
    checklist: Checklist | None = None
    inbox: list[GridItem] | None = None  # None: not reloaded (the change could not touch it)
    slot_items: list[GridItem] = field(default_factory=list)
    version: int = -1  # the store's data_version read before loading: newer means changed since
    exports: list[ExportRecord] = field(default_factory=list)  # the case's, oldest first
    # Documents re-read on their own (read in the background): their tiles are updated in
    # place, without reading the whole inbox again.
    documents: list[DocumentRecord] = field(default_factory=list)


class Workspace(QObject):
    """Holds the models and the selection; ``refresh`` reloads them in the background.

    Refreshes coalesce: asking while one runs schedules exactly one more, so a burst of
    edits costs two loads, not one per edit.
    """

    case_changed = Signal(object)  # CaseRecord | None
    checklist_changed = Signal(object)  # Checklist | None
    slot_changed = Signal(object)  # SlotStatus | None
    exports_changed = Signal(object)  # list[ExportRecord] of the shown case, oldest first
    refreshed = Signal()

    def __init__(
        self,
        store: Store,
        profiles: ProfileSet,
        runner: TaskRunner,
        report: Callable[[BaseException], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._report = report
        self.store = store
        self.profiles = profiles
        self._runner = runner
        self.cases = CaseModel(self)
        self.checklist = ChecklistModel(self)
        self.inbox = DocumentModel("inbox", self)
        self.slot_documents = DocumentModel("slot", self)
        self.case_id: int | None = None
        self.slot_id: str | None = None
        self.current_case: CaseRecord | None = None
        self.current_checklist: Checklist | None = None
        self.current_exports: list[ExportRecord] = []
        self._loading = False
        self._again = False
        self._inbox_wanted = False
        self._documents_wanted: set[int] = set()
        # Asked before polling: True while the window's own write waits for the refresh that
        # shows it (documents just read), which the poll would take for another program's.
        self.own_write_pending: Callable[[], bool] = lambda: False
        self._changes: ChangeCounter | None = None
        self._added_while_loading: list[GridItem] = []  # kept when a load read before them
        # (profile, document, stored suggestion, title, file name) -> slot: see _grid_items
        self._suggestions: dict[tuple[str, int, str | None, str, str], str | None] = {}
        self._loaded_once = False
        self._quick_shown = False  # a quick first load left suggestions to make
        self.seen_version = -1
        # How the load after the quick first one is started: at once, or (the window's
        # choice) once the first screen has been painted, so it does not slow that paint.
        self.start_follow_up: Callable[[Callable[[], None]], None] = lambda load: load()
        # Commits by `yongju` commands or a watcher in another process show within a second.
        self.change_timer = QTimer(self, interval=1000)
        self.change_timer.timeout.connect(self.check_for_changes)

    # -- changes made elsewhere --------------------------------------------------------
    def watch_store(self, changes: ChangeCounter) -> None:
        """Polls ``changes`` (cheap) and refreshes when another process committed."""
        self._changes = changes
        self.change_timer.start()

    def stop_watching(self) -> None:
        self.change_timer.stop()
        if self._changes is not None:
            self._changes.close()
            self._changes = None

    def check_for_changes(self) -> bool:
        """Refreshes when the store changed since the shown data was read; True if it did."""
        if (
            self._changes is None
            or self._loading
            or self._runner.active()
            or self.own_write_pending()
        ):
            return False  # a load or an edit is under way: its refresh will read the store
        if self._changes.value() == self.seen_version:
            return False
        self.refresh()
        return True

    # -- selection ---------------------------------------------------------------------
    def select_case(self, case_id: int | None) -> None:
        if case_id != self.case_id:
            self.case_id = case_id
            self.slot_id = None
            self.refresh()

    def select_slot(self, slot_id: str | None) -> None:
        if slot_id != self.slot_id:
            self.slot_id = slot_id
            self.refresh()

    def slot_status(self) -> SlotStatus | None:
        if self.current_checklist is None or self.slot_id is None:
            return None
        try:
            return self.current_checklist.status(self.slot_id)
        except KeyError:
            return None

    @property
    def busy(self) -> bool:
        return self._loading

    # -- documents that just arrived ---------------------------------------------------
    def add_to_inbox(self, documents: list[DocumentRecord]) -> None:
        """Shows newly imported documents at the top of the inbox without re-reading it.

        (Re-reading an inbox of thousands costs a worker seconds and the GUI thread a diff.)
        """
        items = self._grid_items(list(reversed(documents)), self.current_checklist)
        self.inbox.add_front(items)
        if self._loading:
            self._added_while_loading[:0] = items  # newest first, like the inbox

    def note_own_changes(self) -> None:
        """What the window itself just wrote is shown: no refresh for it when polling."""
        if self._changes is not None and not self._loading:
            self.seen_version = self._changes.value()

    # -- loading -----------------------------------------------------------------------
    def refresh(self, inbox: bool = True, documents: Collection[int] = ()) -> None:
        """Reloads what is shown, in the background; ``inbox=False`` when it cannot have changed.

        ``documents``: with ``inbox=False``, documents whose own fields changed (they were
        read): re-read alone, their tiles updated where they are. (With thousands of
        documents the inbox is the one costly part to read, and to compare on the GUI thread.)
        """
        self._inbox_wanted = self._inbox_wanted or inbox
        self._documents_wanted.update(documents)
        if self._loading:
            self._again = True
            return
        self._loading = True
        case_id, slot_id = self.case_id, self.slot_id
        with_inbox, self._inbox_wanted = self._inbox_wanted, False
        ids = () if with_inbox else sorted(self._documents_wanted)
        self._documents_wanted = set()
        self._runner.read(
            "refresh",
            lambda ctx: self._load(ctx, case_id, slot_id, with_inbox, ids),
            on_result=self._apply,
            on_error=self._failed,
            priority=10,  # ahead of queued thumbnails: what the user just did shows first
        )

    def _load(
        self,
        ctx: TaskContext,
        case_id: int | None,
        slot_id: str | None,
        with_inbox: bool,
        documents: Sequence[int] = (),
    ) -> Snapshot:
        store = self.store
        version = self._changes.value() if self._changes is not None else -1
        requested = case_id
        cases = store.cases()
        checklist = None
        slot_items: list[GridItem] = []
        exports: list[ExportRecord] = []
        case = next((c for c in cases if c.id == case_id), None)
        if case is not None:
            # The case just read with the others, and the filed documents kept for the
            # slot's tiles: two reads fewer a refresh than build_checklist's.
            checklist, docs = case_checklist(store, self.profiles, case)
            exports = store.exports(case.id)
            status = next((s for s in checklist.slots if s.slot.id == slot_id), None)
            if status is not None:
                slot_items = [
                    GridItem(docs[f.document_id], f)
                    for f in status.filings
                    if f.document_id in docs
                ]
        else:
            case_id = None
        inbox = self._inbox_items(checklist) if with_inbox else None
        changed = store.documents(documents) if documents else []
        return Snapshot(
            requested,
            case_id,
            slot_id,
            cases,
            checklist,
            inbox,
            slot_items,
            version,
            exports,
            changed,
        )

    def _inbox_items(self, checklist: Checklist | None) -> list[GridItem]:
        """The inbox; with a case selected, each tile's suggestion is a slot of that case only."""
        return self._grid_items(self.store.inbox(), checklist, quick=not self._loaded_once)

    def _grid_items(
        self, docs: list[DocumentRecord], checklist: Checklist | None, quick: bool = False
    ) -> list[GridItem]:
        """Inbox tiles for ``docs``, suggesting only slots of the selected case's profile.

        Suggesting again for another profile reads each file name against every keyword
        (about a millisecond a document), so answers are remembered per document and profile.
        ``quick`` (the first load at start-up) keeps only stored suggestions of this profile;
        the next load, right after, makes the others.
        """
        if checklist is None:
            return [GridItem(d) for d in docs]
        profile = checklist.profile
        every = self.profiles.every_keyword
        titles = {slot.id: slot_title(slot) for slot in profile.slots}
        memo = self._suggestions
        items = []
        for doc in docs:
            key = (profile.id, doc.id, doc.suggested_slot, doc.title, doc.original_name)
            if key in memo:
                slot = memo[key]
            elif quick:
                slot = doc.suggested_slot if doc.suggested_slot in titles else None
                self._quick_shown = True
            else:
                slot = memo[key] = case_suggestion(doc, profile, every)
            items.append(GridItem(doc, None, titles.get(slot or "", ""), slot))
        return items

    def suggestion_keywords(self) -> dict[str, tuple[str, ...]]:
        """Keywords to suggest slots for new documents: the selected case's, else its cases'."""
        if self.current_checklist is not None:
            return self.current_checklist.profile.keywords()
        return suggestion_keywords(self.profiles, self.cases.records())

    def _apply(self, snap: Snapshot) -> None:
        self._loading = False
        self.seen_version = snap.version
        follow_up = False
        if snap.inbox is not None and not self._loaded_once:
            self._loaded_once = True
            follow_up = self._quick_shown  # the suggestions the quick first load left out
        if snap.requested_case_id != self.case_id or snap.slot_id != self.slot_id:
            self._again = True  # the selection moved while this was loading
            self._inbox_wanted = self._inbox_wanted or snap.inbox is not None
            self._documents_wanted.update(d.id for d in snap.documents)
            self.cases.set_records(snap.cases)
        else:
            self._show(snap)
        if self._again:
            self._again = False
            self.refresh(inbox=False)  # what was asked meanwhile: the inbox only if it was
        else:
            self.refreshed.emit()  # what is shown is the store (bar suggestions still to make)
            if follow_up:
                self.start_follow_up(self.refresh)

    def _show(self, snap: Snapshot) -> None:
        if snap.case_id is None:
            self.case_id = None  # it was deleted (or never existed)
        case = snap.checklist.case if snap.checklist else None
        if case != self.current_case:
            self.current_case = case
            self.case_changed.emit(case)
        if snap.exports != self.current_exports:
            self.current_exports = snap.exports
            self.exports_changed.emit(snap.exports)
        self.current_checklist = snap.checklist
        self.checklist.set_statuses(snap.checklist.slots if snap.checklist else [])
        self.checklist_changed.emit(snap.checklist)
        if snap.inbox is not None:
            read = {item.document.id for item in snap.inbox}
            late = [i.document for i in self._added_while_loading if i.document.id not in read]
            # Shown before this load's checklist: their suggestions are made again with it.
            late_items = self._grid_items(late, snap.checklist)
            self._added_while_loading = []
            self.inbox.set_records(late_items + snap.inbox)
        elif snap.documents:
            self.inbox.replace_records(self._grid_items(snap.documents, snap.checklist))
        self.slot_documents.set_records(snap.slot_items)
        self.slot_changed.emit(self.slot_status())
        # Last: a first case appearing makes the selector pick it, which starts a new load.
        self.cases.set_records(snap.cases)

    def _failed(self, error: BaseException) -> None:
        self._loading = False
        if isinstance(error, NotFoundError) and self.case_id is not None:
            # The case exists but cannot be shown (its profile was removed, say): say why,
            # and show no case rather than failing again on every refresh.
            self.case_id = None
            self._again = True
        self._report(error)
        if self._again:
            self._again = False
            self.refresh()
