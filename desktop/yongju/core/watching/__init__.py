"""The watched folder: files that appear in it are imported once they are completely written.

Typical use (the window and ``yongju watch`` do exactly this)::

    watcher = FolderWatcher(store, folder, WatchOptions(move_files=True), on_event=print)
    watcher.start()   # ... watcher.mode, watcher.skipped(), watcher.last_event ...
    watcher.stop()
"""

from yongju.core.watching.events import (
    DEFAULT_POLL_SECONDS,
    DEFAULT_QUIET_SECONDS,
    DEFAULT_RESCAN_SECONDS,
    DEFAULT_SETTLE_SECONDS,
    WatchAction,
    WatchEvent,
    WatchMode,
    WatchOptions,
)
from yongju.core.watching.watcher import EventCallback, FolderWatcher

__all__ = [
    "DEFAULT_POLL_SECONDS",
    "DEFAULT_QUIET_SECONDS",
    "DEFAULT_RESCAN_SECONDS",
    "DEFAULT_SETTLE_SECONDS",
    "EventCallback",
    "FolderWatcher",
    "WatchAction",
    "WatchEvent",
    "WatchMode",
    "WatchOptions",
]
