"""Starts the right watchdog observer for a folder: native where events arrive, else polling."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserverVFS

from yongju.core.watching.events import DEFAULT_POLL_SECONDS, WatchMode, WatchOptions
from yongju.core.watching.mounts import polling_reason
from yongju.core.watching.scanning import list_without_own

log = logging.getLogger(__name__)
# Opening and reading files (as the import does) must not wake the watcher again.
_EVENT_TYPES = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileDeletedEvent,
    FileClosedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
]


class _Forwarder(FileSystemEventHandler):
    """watchdog's handler: only says "something changed" (the reconcile finds out what)."""

    def __init__(self, on_change: Callable[[FileSystemEvent], None]) -> None:
        self._on_change = on_change

    def on_any_event(self, event: FileSystemEvent) -> None:
        self._on_change(event)


def start_observer(
    folder: Path, options: WatchOptions, on_change: Callable[[FileSystemEvent], None]
) -> tuple[BaseObserver, WatchMode, str]:
    """A started observer, its mode and why that mode (words for the user).

    Polling when asked for, on network filesystems, or when the native observer cannot
    start (the inotify watch or instance limit reached, say). Raises ``OSError`` when the
    folder cannot be watched at all.
    """
    handler = _Forwarder(on_change)
    reason = "polling was asked for" if options.poll_seconds else polling_reason(folder) or ""
    if not reason:
        observer: BaseObserver = Observer()
        try:
            observer.schedule(handler, str(folder), recursive=True, event_filter=_EVENT_TYPES)
            observer.start()
        except OSError as exc:
            reason = f"native file events are not available ({exc.strerror or exc})"
            stop_observer(observer)
        else:
            return observer, WatchMode.NATIVE, "the operating system reports changes"
    interval = options.poll_seconds or DEFAULT_POLL_SECONDS

    # Listing imported/ and refused/ on every poll would only cost time on a slow share.
    def listdir(path: str | None) -> Iterator[os.DirEntry[str]]:
        return iter(list_without_own(folder, path))

    observer = PollingObserverVFS(os.stat, listdir, polling_interval=interval)
    observer.schedule(handler, str(folder), recursive=True, event_filter=_EVENT_TYPES)
    observer.start()
    return observer, WatchMode.POLLING, f"{reason}; the folder is listed every {interval:g} s"


def stop_observer(observer: BaseObserver) -> None:
    """Stops an observer without raising (its folder may already be gone)."""
    try:
        observer.stop()
        if observer.is_alive():
            observer.join(5.0)
    except Exception:
        log.debug("observer did not stop cleanly", exc_info=True)
