"""The folder watcher: file events (native or polled) wake one thread that reconciles.

Qt-free; the window and the CLI both drive it. Callbacks run on the watcher's own thread.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent
from watchdog.observers.api import BaseObserver

from yongju.core.priority import lower_thread
from yongju.core.profiles import ProfileSet
from yongju.core.store import Store
from yongju.core.watching.events import (
    WatchAction,
    WatchEvent,
    WatchMode,
    WatchOptions,
)
from yongju.core.watching.observers import start_observer, stop_observer
from yongju.core.watching.reconcile import Reconciler, now_local
from yongju.core.watching.rules import OWN_DIRS
from yongju.core.watching.scanning import FolderGone

log = logging.getLogger(__name__)
EventCallback = Callable[[WatchEvent], None]
PRESENCE_SECONDS = 1.0  # how often a vanished folder is looked for (and a present one checked)
MAX_DEBOUNCE_SECONDS = 1.0  # a steady stream of events still reconciles this often


class FolderWatcher:
    """Watches one folder and imports each file once it is completely written.

    ``on_event`` gets every ``WatchEvent`` (on the watcher's thread: a UI forwards it).
    ``clock`` and ``sleep`` replace ``time.monotonic`` and the waits of ``run_once`` (a test
    turns the clock instead of waiting); the watching thread always waits in real seconds.
    """

    def __init__(
        self,
        store: Store,
        folder: Path | str,
        options: WatchOptions | None = None,
        *,
        on_event: EventCallback | None = None,
        profiles: ProfileSet | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] | None = None,
    ) -> None:
        self.options = options or WatchOptions()
        self.folder = Path(os.path.abspath(folder))
        self._on_event = on_event
        self._clock = clock
        self._reconciler = Reconciler(
            store, self.folder, self.options, profiles=profiles, clock=clock
        )
        self._cond = threading.Condition()
        self._stopping = threading.Event()
        self._sleep = sleep or self._stopping.wait
        self._thread: threading.Thread | None = None
        self._observer: BaseObserver | None = None
        self._mode: WatchMode | None = None
        self.mode_reason = ""
        self.last_event: WatchEvent | None = None
        self._missing = False
        self._device: int | None = None
        # Wake-up bookkeeping, guarded by _cond.
        self._forced = True
        self._retries: list[str] = []
        self._first_change: float | None = None
        self._last_change = 0.0
        self._next_rescan = 0.0
        self._next_presence = 0.0

    # ------------------------------------------------------------------ public API
    @property
    def mode(self) -> WatchMode | None:
        """``native`` or ``polling`` while watching (``mode_reason`` says why), else None."""
        return self._mode

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def folder_missing(self) -> bool:
        return self._missing

    def start(self) -> None:
        """Starts watching in a background thread (a first reconcile runs at once).

        ``mode`` is known when this returns (None if the folder is missing: the thread
        reports that, and picks a mode when the folder comes back).
        """
        if self._thread is not None and self._thread.is_alive():
            if not self._stopping.is_set():
                return  # already watching
            self._thread.join()  # a stop still finishing its file: one thread at a time
        self._stopping.clear()
        with self._cond:
            self._forced = True
        self._start_observer()
        self._thread = threading.Thread(target=self._run, name="yongju-watcher", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stops watching: an import in progress finishes its current file first."""
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            if not self._thread.is_alive():  # else still finishing one file: start() waits
                self._thread = None
        self._stop_observer()
        self._mode = None

    def reconcile_now(self) -> None:
        """Looks at the whole folder at once (from any thread); synchronous if not started."""
        if not self.running:
            self._reconcile()
            return
        with self._cond:
            self._forced = True
            self._cond.notify_all()

    def run_once(self, max_wait: float | None = None) -> list[WatchEvent]:
        """Handles what is in the folder now, then returns (for ``yongju watch --once``).

        Files still being written are waited for, up to ``max_wait`` seconds (by default the
        quiet plus settle time, enough for a final verdict); those left are reported waiting.
        """
        if self.running:
            raise RuntimeError("run_once() cannot be used while the watcher is running")
        limit = self.options.quiet_seconds + self.options.settle_seconds + 1.0
        deadline = self._clock() + (limit if max_wait is None else max_wait)
        events: list[WatchEvent] = []
        while not self._stopping.is_set():
            events += self._reconcile()
            due = self._reconciler.next_due()
            if due is None or self._missing:
                break
            if due > deadline:
                for event in self._reconciler.waiting():
                    note = f"not imported yet: {event.reason} (try again later)"
                    events.append(
                        self._emit(
                            WatchEvent(event.path, WatchAction.WAITING, note, time=now_local())
                        )
                    )
                break
            self._sleep(max(0.0, due - self._clock()))
        return events

    def refused(self) -> list[WatchEvent]:
        """Files refused earlier that are still in the folder, unchanged (with the reason)."""
        return self._reconciler.refused()

    def retry(self, *paths: Path | str) -> None:
        """Forgets that ``paths`` were handled (refused files, say) and looks at them again
        (``yongju watch --retry-refused``)."""
        rels = []
        for path in paths:
            try:
                rels.append(Path(os.path.abspath(path)).relative_to(self.folder).as_posix())
            except ValueError:
                continue
        if not rels:
            return
        with self._cond:
            self._retries.extend(rels)
        self.reconcile_now()

    def retry_refused(self) -> None:
        """Looks again at every file refused in an earlier run that is still there, unchanged
        (after giving the password a locked PDF needed, say)."""
        if not self.running:
            self.reconcile_now()  # one pass finds them (and handles what is new)
        self.retry(*(event.path for event in self.refused()))

    def skipped(self) -> list[WatchEvent]:
        """Files and folders currently left alone, each with its reason."""
        return self._reconciler.skipped()

    def waiting(self) -> list[WatchEvent]:
        """Files seen but not imported yet (still being written, or not readable yet)."""
        return self._reconciler.waiting()

    # ------------------------------------------------------------------ internals
    def _emit(self, event: WatchEvent) -> WatchEvent:
        self.last_event = event
        if self._on_event is not None:
            try:
                self._on_event(event)
            except Exception:  # a broken listener must not stop the watching
                log.exception("watch event listener failed")
        return event

    def _reconcile(self, observe: bool = False) -> list[WatchEvent]:
        """One pass, with the folder's disappearance and return handled.

        With ``observe`` (the watching thread), the observer is (re)started before the pass,
        so nothing created during the pass goes unnoticed.
        """
        why = self._probe()
        if why is not None:
            self._folder_gone(why)
            return []
        if observe and self._observer is None:
            self._start_observer()
        if self._missing:
            self._missing = False
            mode = f" ({self._mode.value})" if self._mode else ""
            self._emit(
                WatchEvent(
                    self.folder,
                    WatchAction.FOLDER_BACK,
                    f"the folder is back; watching again{mode}",
                    time=now_local(),
                )
            )
        self._apply_retries()
        try:
            return self._reconciler.reconcile(self._stopping.is_set, self._emit)
        except FolderGone as exc:
            self._folder_gone(str(exc))
            return []

    def _probe(self) -> str | None:
        """None if the folder can be listed, else why not ("" when it is simply not there)."""
        try:
            with os.scandir(self.folder) as entries:
                next(entries, None)
        except (FileNotFoundError, NotADirectoryError):
            return ""
        except OSError as exc:
            return f"the folder cannot be read ({exc.strerror})"
        return None

    def _apply_retries(self) -> None:
        with self._cond:
            paths, self._retries = self._retries, []
        if paths:
            self._reconciler.forget(paths)

    def _folder_gone(self, why: str = "") -> None:
        if self._missing:
            return
        self._missing = True
        self._reconciler.forget_pending()
        self._stop_observer()
        self._mode = None
        why = why or "the folder is not there (removed, or a disk or share not connected)"
        self._emit(
            WatchEvent(
                self.folder,
                WatchAction.FOLDER_MISSING,
                f"{why}; watching resumes when it comes back",
                time=now_local(),
            )
        )

    def _changed(self, event: FileSystemEvent) -> None:
        """Called on watchdog's thread for each event: note it and wake the worker."""
        paths = [os.fsdecode(event.src_path), os.fsdecode(event.dest_path or b"")]
        if all(self._ours(p) for p in paths if p):
            return
        now = self._clock()
        with self._cond:
            self._last_change = now
            if self._first_change is None:
                self._first_change = now
            self._cond.notify_all()

    def _ours(self, path: str) -> bool:
        """Events inside imported/ and refused/ are the watcher's own moves."""
        try:
            rel = Path(path).relative_to(self.folder)
        except ValueError:
            return False
        return bool(rel.parts) and rel.parts[0] in OWN_DIRS

    def _run(self) -> None:
        lower_thread()  # importing what arrives is background work: the window comes first
        failures = 0
        try:
            while not self._stopping.is_set():
                reconcile = self._wait()
                if self._stopping.is_set():
                    break
                try:
                    self._step(reconcile)
                    failures = 0
                except Exception as exc:  # report and carry on: watching must not just end
                    failures += 1
                    log.exception("watching %s failed", self.folder)
                    if failures == 1:
                        self._emit(
                            WatchEvent(
                                self.folder,
                                WatchAction.ERROR,
                                f"watching failed ({exc}); trying again",
                                time=now_local(),
                            )
                        )
                    self._stopping.wait(min(2.0**failures, 60.0))
        finally:
            self._stop_observer()

    def _step(self, reconcile: bool) -> None:
        self._check_observer()
        if reconcile or self._missing or self._probe() is not None:
            self._reconcile(observe=True)
            if not self._missing:
                self._next_rescan = self._clock() + self.options.rescan_seconds

    def _wait(self) -> bool:
        """Sleeps until something is due; True if a reconcile is due (else a presence check)."""
        with self._cond:
            while not self._stopping.is_set():
                now = self._clock()
                due = self._due(now)
                if due <= now:
                    break
                self._cond.wait(min(due - now, PRESENCE_SECONDS))
            now = self._clock()
            reconcile = self._forced or now >= self._next_rescan
            pending = self._reconciler.next_due()
            reconcile = reconcile or (pending is not None and pending <= now)
            if self._first_change is not None and self._debounced(now) <= now:
                reconcile = True
            if reconcile:
                self._forced = False
                self._first_change = None
            self._next_presence = now + PRESENCE_SECONDS
            return reconcile

    def _debounced(self, now: float) -> float:
        assert self._first_change is not None
        return min(
            self._last_change + self.options.debounce_seconds,
            self._first_change + MAX_DEBOUNCE_SECONDS,
        )

    def _due(self, now: float) -> float:
        if self._forced:
            return now
        due = min(self._next_rescan, self._next_presence)
        pending = self._reconciler.next_due()
        if pending is not None:
            due = min(due, pending)
        if self._first_change is not None:
            due = min(due, self._debounced(now))
        return due

    # ------------------------------------------------------------------ observers
    def _start_observer(self) -> None:
        try:
            self._device = self.folder.stat().st_dev
            self._observer, self._mode, self.mode_reason = start_observer(
                self.folder, self.options, self._changed
            )
        except OSError:
            return  # gone (again): the next pass reports it

    def _check_observer(self) -> None:
        """Restarts the observer if it died or the folder now sits on another filesystem
        (a share mounted over the old mount point)."""
        if self._observer is None or self._missing:
            return
        try:
            device = self.folder.stat().st_dev
        except OSError:
            return  # the reconcile reports the folder missing
        if device != self._device or not self._observer.is_alive():
            self._stop_observer()
            self._start_observer()

    def _stop_observer(self) -> None:
        observer, self._observer = self._observer, None
        if observer is not None:
            stop_observer(observer)
