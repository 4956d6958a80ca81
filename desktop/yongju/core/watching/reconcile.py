"""One reconcile pass: compare the folder with what was already handled, import what is ready.

Idempotent by design: a pass looks only at the folder and the remembered state, never at
which events arrived, so a missed or doubled event costs at most one extra pass.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from yongju.core.errors import YongjuError
from yongju.core.hashing import file_sha256
from yongju.core.importing import ImportResult, ImportStatus, import_files
from yongju.core.inspection import reading_sandbox
from yongju.core.profiles import ProfileSet
from yongju.core.sandbox import Sandbox
from yongju.core.store import Store, utcnow
from yongju.core.suggest import suggestion_keywords
from yongju.core.watching.completeness import Completeness, check_complete
from yongju.core.watching.events import WatchAction, WatchEvent, WatchOptions
from yongju.core.watching.memory import SeenFile, SeenFiles
from yongju.core.watching.memory import key as memory_key
from yongju.core.watching.moving import LinkedFolderError, move_aside
from yongju.core.watching.routing import SlotRouter
from yongju.core.watching.rules import IMPORTED_DIR, OWN_DIRS, REFUSED_DIR
from yongju.core.watching.scanning import scan_folder

MAX_BACKOFF_SECONDS = 30.0
FORGET_AFTER_DAYS = 30  # a remembered file missing from the folder this long is forgotten
PRUNE_EVERY_SECONDS = 3600.0
_RETRYABLE = (Completeness.INCOMPLETE, Completeness.UNKNOWN)


@dataclass
class _Pending:
    """A file seen but not handled yet. Times are ``clock()`` seconds."""

    size: int
    mtime_ns: int
    changed_at: float  # when its size or mtime was last seen to change (or first seen)
    next_check: float
    attempts: int = 0
    reason: str = ""  # the last "waiting" reason reported, so each is reported once


def now_local() -> dt.datetime:
    return dt.datetime.now().astimezone()


class Reconciler:
    """The watcher's memory and judgement; single-threaded (the watcher's thread calls it)."""

    def __init__(
        self,
        store: Store,
        folder: Path,
        options: WatchOptions,
        *,
        profiles: ProfileSet | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.folder = Path(os.path.abspath(folder))
        self.options = options
        self.memory = SeenFiles(store, str(self.folder))
        self._clock = clock
        self._router = SlotRouter(store, profiles, options.case) if profiles else None
        self._profiles = profiles
        self._pending: dict[str, _Pending] = {}
        self._skipped: dict[str, WatchEvent] = {}
        self._waiting_now: tuple[WatchEvent, ...] = ()
        self._skipped_now: tuple[WatchEvent, ...] = ()
        self._refused_now: tuple[WatchEvent, ...] = ()
        self._next_prune = 0.0
        self._events: list[WatchEvent] = []
        self._listener: Callable[[WatchEvent], object] | None = None
        self._moving_stopped = ""  # why originals are left in place although moving is on
        self._sandbox: Sandbox | None = None

    # ------------------------------------------------------------------ queries
    def next_due(self) -> float | None:
        """When a waiting file should next be looked at, or None if nothing waits."""
        return min((p.next_check for p in self._pending.values()), default=None)

    def waiting(self) -> list[WatchEvent]:
        """Files seen but not handled yet, with what they wait for (as of the last pass).

        Safe to call from any thread: it reads a snapshot the pass publishes.
        """
        return list(self._waiting_now)

    def skipped(self) -> list[WatchEvent]:
        """Files and folders left alone, each with its reason (as of the last pass)."""
        return list(self._skipped_now)

    def refused(self) -> list[WatchEvent]:
        """Files refused in an earlier pass (or run) that are still in the folder, unchanged."""
        return list(self._refused_now)

    def forget(self, rel_paths: Sequence[str]) -> None:
        """Forgets how these files were handled, so the next pass looks at them afresh."""
        self.memory.forget_all(rel_paths)

    def _publish(self) -> None:
        """Replaces the snapshots other threads read (one attribute store each: atomic)."""
        self._waiting_now = tuple(
            WatchEvent(
                self.folder / rel,
                WatchAction.WAITING,
                p.reason or "waiting until it stops changing",
            )
            for rel, p in sorted(self._pending.items())
        )
        self._skipped_now = tuple(self._skipped[rel] for rel in sorted(self._skipped))

    def forget_pending(self) -> None:
        """Starts afresh (the folder went away: what was waiting must be looked at again)."""
        self._pending.clear()
        self._skipped.clear()
        self._refused_now = ()
        self._publish()

    # ------------------------------------------------------------------ the pass
    def reconcile(
        self,
        cancel: Callable[[], bool] | None = None,
        on_event: Callable[[WatchEvent], object] | None = None,
    ) -> list[WatchEvent]:
        """One pass over the folder; returns what happened. Raises ``scanning.FolderGone``.

        ``on_event`` hears each event as it happens (a long batch shows progress), and
        ``cancel`` is asked between files.
        """
        self._events = []
        self._listener = on_event
        now = self._clock()
        files, skips = scan_folder(self.folder, self.options)
        self._report_skips(skips)
        for rel in [r for r in self._pending if r not in files]:
            del self._pending[rel]  # renamed or deleted before it settled
        if now >= self._next_prune:
            self._next_prune = now + PRUNE_EVERY_SECONDS
            self._prune(files)
        due: list[str] = []
        refused: list[WatchEvent] = []
        for rel, st in sorted(files.items()):
            seen = self.memory.get(rel)
            if seen is not None and seen.matches(st.st_size, st.st_mtime_ns):
                self._pending.pop(rel, None)
                if seen.status == WatchAction.REFUSED.value:
                    refused.append(WatchEvent(self.folder / rel, WatchAction.REFUSED, seen.reason))
                continue
            self._observe(rel, st, now)
            if self._pending[rel].next_check <= now:
                due.append(rel)
        self._refused_now = tuple(refused)
        if due and self.options.move_files:
            self._check_own_dirs()
        try:
            with reading_sandbox() as self._sandbox:  # one reading worker for the pass
                self._handle(due, now, cancel)
        finally:
            self._sandbox = None
            self._publish()
        return self._events

    def _check_own_dirs(self) -> None:
        """Stops moving while ``imported/`` or ``refused/`` is a link (or not a folder), and
        says so once; resumes when both are real folders or absent. (Each move checks again
        with the folders held open, so a link swapped in after this look is refused too.)"""
        problem = ""
        for name in sorted(OWN_DIRS):
            path = self.folder / name
            if path.is_symlink():
                problem = str(LinkedFolderError(f"{name}/"))
            elif os.path.lexists(path) and not path.is_dir():
                problem = f"{name} is a file, not a folder, so moving is stopped (move it away)"
        if problem and problem != self._moving_stopped:
            self._say(WatchEvent(self.folder, WatchAction.ERROR, problem, time=now_local()))
        self._moving_stopped = problem

    def _prune(self, files: dict[str, os.stat_result]) -> None:
        """Forgets files gone from the folder for a long time (not briefly: a share that is
        away for a day must not have its files imported again as duplicates)."""
        cutoff = utcnow() - dt.timedelta(days=FORGET_AFTER_DAYS)
        present = {memory_key(rel) for rel in files}
        self.memory.forget_all(
            e.rel_path
            for e in self.memory.entries()
            if e.rel_path not in present and e.handled_at is not None and e.handled_at < cutoff
        )

    def _say(self, event: WatchEvent | None) -> None:
        if event is None:
            return
        self._events.append(event)
        if self._listener is not None:
            self._listener(event)

    def _observe(self, rel: str, st: os.stat_result, now: float) -> None:
        """Records the file's size and mtime; an event when it is seen still changing."""
        pending = self._pending.get(rel)
        if pending is not None and (pending.size, pending.mtime_ns) == (st.st_size, st.st_mtime_ns):
            return
        quiet = self.options.quiet_seconds
        self._pending[rel] = _Pending(
            st.st_size, st.st_mtime_ns, now, now + quiet, reason=pending.reason if pending else ""
        )
        if pending is not None:
            self._say(self._waiting(rel, self._pending[rel], "still being written"))

    def _waiting(self, rel: str, pending: _Pending, reason: str) -> WatchEvent | None:
        if pending.reason == reason:
            return None
        pending.reason = reason
        return WatchEvent(self.folder / rel, WatchAction.WAITING, reason, time=now_local())

    def _retry(self, rel: str, now: float, reason: str) -> WatchEvent | None:
        """Looks again later, backing off, but always once the settle time is over."""
        pending = self._pending[rel]
        pending.attempts += 1
        delay = min(self.options.quiet_seconds * 2**pending.attempts, MAX_BACKOFF_SECONDS)
        final_at = pending.changed_at + self.options.settle_seconds
        pending.next_check = min(now + delay, final_at) if now < final_at else now + delay
        return self._waiting(rel, pending, reason)

    def _young(self, rel: str, now: float) -> bool:
        return now - self._pending[rel].changed_at < self.options.settle_seconds

    def _handle(self, due: Sequence[str], now: float, cancel: Callable[[], bool] | None) -> None:
        for rel in due:
            if cancel is not None and cancel():
                return  # the rest stays due for the next pass
            try:
                verdict, why = check_complete(self.folder / rel)
            except OSError as exc:
                verdict, why = Completeness.INCOMPLETE, f"cannot be read yet: {exc.strerror}"
            if verdict is Completeness.INCOMPLETE and self._young(rel, now):
                self._say(self._retry(rel, now, why))
            else:
                self._import(rel, verdict, now)

    def _import(self, rel: str, verdict: Completeness, now: float) -> None:
        """Imports one file (one at a time, so each result is remembered and shown at once)."""
        try:
            results = import_files(
                self.store,
                [self.folder / rel],
                passwords=self.options.passwords,
                keywords=self._suggestion_keywords(),
                sandbox=self._sandbox,
                follow_links=False,
            )
        except YongjuError as exc:  # the store, not the file: try again later
            self._say(self._error(rel, now, str(exc)))
            return
        event, entry = self._outcome(rel, verdict, results[0], now)
        if entry is not None:
            self.memory.put_all([entry])
        self._say(event)

    def _suggestion_keywords(self) -> dict[str, tuple[str, ...]] | None:
        """Keywords of the watched case's profile, else of the store's cases' profiles.

        A suggestion is then always a slot of a case the document may land in.
        """
        if self._profiles is None:
            return None
        cases = self.store.cases()
        if self.options.case is not None:
            wanted = str(self.options.case).strip().casefold()
            cases = [c for c in cases if wanted in (c.name.casefold(), str(c.id))] or cases
        return suggestion_keywords(self._profiles, cases)

    def _error(self, rel: str, now: float, message: str) -> WatchEvent:
        self._retry(rel, now, message)
        return WatchEvent(
            self.folder / rel, WatchAction.ERROR, f"{message}; trying again later", time=now_local()
        )

    def _outcome(
        self, rel: str, verdict: Completeness, result: ImportResult, now: float
    ) -> tuple[WatchEvent | None, SeenFile | None]:
        pending = self._pending[rel]
        if result.status is ImportStatus.REFUSED:
            retryable = verdict in _RETRYABLE or result.reason.startswith("cannot be read")
            if retryable and self._young(rel, now):
                return self._retry(rel, now, f"not readable yet ({result.reason})"), None
            return self._final(rel, pending, WatchAction.REFUSED, result.reason, None, None)
        document = result.document
        assert document is not None  # imported and duplicate always carry their document
        action = WatchAction(result.status.value)
        return self._final(rel, pending, action, "", document.id, document.sha256)

    def _final(
        self,
        rel: str,
        pending: _Pending,
        action: WatchAction,
        reason: str,
        document_id: int | None,
        sha256: str | None,
    ) -> tuple[WatchEvent, SeenFile | None]:
        """Handled for good: filed, moved aside or remembered; the event says which."""
        del self._pending[rel]
        path = self.folder / rel
        event = WatchEvent(path, action, reason, document_id, now_local())
        if document_id is not None and self._router is not None:
            event = self._router.file(event, rel)
        if self.options.move_files:
            moved, event = self._move(rel, action, reason, event)
            if moved:
                return event, None
        if action is WatchAction.REFUSED:
            self._refused_now += (event,)
        if sha256 is None:
            sha256 = _sha256(path)
        entry = SeenFile(
            rel, pending.size, pending.mtime_ns, sha256, action.value, reason, document_id
        )
        return event, entry

    def _move(
        self, rel: str, action: WatchAction, reason: str, event: WatchEvent
    ) -> tuple[bool, WatchEvent]:
        """Moves the original aside; the event says where, or why it stayed."""
        subfolder = REFUSED_DIR if action is WatchAction.REFUSED else IMPORTED_DIR
        extra = ""
        if self._moving_stopped:
            extra = "left in place: moving is stopped"
        else:
            try:
                note = reason if action is WatchAction.REFUSED else None
                moved = move_aside(self.folder, rel, subfolder, note)
                return True, replace(event, moved_to=moved)
            except LinkedFolderError as exc:
                self._moving_stopped = str(exc)
                self._say(WatchEvent(self.folder, WatchAction.ERROR, str(exc), time=now_local()))
                extra = "left in place: moving is stopped"
            except OSError as exc:
                extra = f"could not be moved to {subfolder}/: {exc.strerror or exc}"
        return False, replace(event, reason=f"{event.reason}; {extra}" if event.reason else extra)

    # ------------------------------------------------------------------ scanning
    def _report_skips(self, skips: dict[str, str]) -> None:
        """A skipped-event for each newly skipped file (each once, not on every pass)."""
        for rel, reason in sorted(skips.items()):
            known = self._skipped.get(rel)
            if known is None or known.reason != reason:
                event = WatchEvent(self.folder / rel, WatchAction.SKIPPED, reason, time=now_local())
                self._skipped[rel] = event
                self._say(event)
        for rel in [r for r in self._skipped if r not in skips]:
            del self._skipped[rel]


def _sha256(path: Path) -> str | None:
    """The file's SHA-256, or None when it cannot be read (gone, or not ours to read)."""
    try:
        return file_sha256(path)
    except OSError:
        return None
