"""Runs core's folder watcher for the window: its handler only forwards a signal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QTimer, Signal

from yongju.core.profiles import ProfileSet
from yongju.ui.common.settings import Settings
from yongju.ui.common.tasks import TaskRunner


class WatchController(QObject):
    """Starts and stops a ``FolderWatcher``; its events arrive here on the GUI thread."""

    event_arrived = Signal(object)  # WatchEvent (emitted from the watcher's thread: queued)
    state_changed = Signal()  # started, stopped, folder or mode changed
    documents_arrived = Signal(int)  # how many new documents since the last refresh

    def __init__(
        self,
        store: Any,
        profiles: ProfileSet,
        runner: TaskRunner,
        settings: Settings,
        changed: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store, self._profiles = store, profiles
        self._runner, self._settings = runner, settings
        self._changed = changed
        self.watcher: Any = None
        self.last_event: Any = None
        self._new = 0
        self.quiet_seconds: float | None = None  # None: core's default (a few seconds)
        # A burst of 100 files must cost a few refreshes, not 100.
        self._debounce = QTimer(self, singleShot=True, interval=400)
        self._debounce.timeout.connect(self._refresh)
        self.event_arrived.connect(self._on_event)

    # -- settings ----------------------------------------------------------------------
    @property
    def folder(self) -> str:
        return self._settings.last_folder("watch")

    @property
    def polling(self) -> bool:
        return self._settings.value("watch/polling") == "1"

    @property
    def move_files(self) -> bool:
        return self._settings.value("watch/move") == "1"

    def configure(self, folder: str, polling: bool, move_files: bool) -> None:
        """Remembers the choices; a running watcher restarts with them."""
        running = self.running
        if running:
            self.stop()
        self._settings.set_last_folder("watch", folder)
        self._settings.set_value("watch/polling", "1" if polling else "0")
        self._settings.set_value("watch/move", "1" if move_files else "0")
        self.state_changed.emit()
        if running and folder:
            self.start()

    # -- running -----------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.watcher is not None

    @property
    def mode(self) -> str:
        mode = getattr(self.watcher, "mode", None)
        return mode.value if mode is not None else ""

    def start(self) -> None:
        """Starts watching the chosen folder (remembered: it restarts with the app)."""
        from yongju.core.watching import FolderWatcher, WatchOptions

        if self.running or not self.folder:
            return
        options = WatchOptions(
            poll_seconds=2.0 if self.polling else None, move_files=self.move_files
        )
        if self.quiet_seconds is not None:
            options = replace(options, quiet_seconds=self.quiet_seconds)
        self.watcher = FolderWatcher(
            self._store,
            Path(self.folder),
            options,
            on_event=self.event_arrived.emit,  # forwards only: the watcher's thread stays out
            profiles=self._profiles,
        )
        self.watcher.start()
        self._settings.set_value("watch/on", "1")
        self.state_changed.emit()

    def stop(self, remember: bool = True) -> None:
        """Stops watching; the watcher's thread is joined off the GUI thread."""
        watcher, self.watcher = self.watcher, None
        if watcher is None:
            return
        if remember:
            self._settings.set_value("watch/on", "0")
        self._runner.read("stop watching", lambda ctx: watcher.stop())
        self.state_changed.emit()

    def shutdown(self) -> None:
        """At exit: stops, but remembers that it was on."""
        self.stop(remember=False)

    def resume(self) -> None:
        """Starts again at launch if the user left it on."""
        if self._settings.value("watch/on") == "1" and self.folder:
            self.start()

    def skipped(self) -> list[Any]:
        if self.watcher is None:
            return []
        return [*self.watcher.skipped(), *self.watcher.refused()]

    # -- events ------------------------------------------------------------------------
    def _on_event(self, event: Any) -> None:
        self.last_event = event
        if event.action in ("imported", "duplicate") or event.slot_id:
            if event.action == "imported":
                self._new += 1
            self._debounce.start()
        self.state_changed.emit()

    def _refresh(self) -> None:
        self._changed()
        if self._new:
            self.documents_arrived.emit(self._new)
            self._new = 0


_EVENT_WORDS = {
    "imported": QT_TRANSLATE_NOOP("WatchController", "Imported"),
    "duplicate": QT_TRANSLATE_NOOP("WatchController", "Already in Yongju"),
    "refused": QT_TRANSLATE_NOOP("WatchController", "Refused"),
    "skipped": QT_TRANSLATE_NOOP("WatchController", "Skipped"),
    "waiting": QT_TRANSLATE_NOOP("WatchController", "Waiting for"),
    "error": QT_TRANSLATE_NOOP("WatchController", "Could not import"),
    "folder_missing": QT_TRANSLATE_NOOP("WatchController", "The folder went away"),
    "folder_back": QT_TRANSLATE_NOOP("WatchController", "The folder is back"),
}


def describe_event(event: Any) -> str:
    """One line for a person: "09:14:02 · Imported scan 12.pdf", with the reason if any."""
    action = str(getattr(event.action, "value", event.action))
    words = QCoreApplication.translate("WatchController", _EVENT_WORDS.get(action, action))
    when = f"{event.time:%H:%M:%S} · " if event.time else ""
    if action in ("folder_missing", "folder_back"):
        return f"{when}{words}"
    text = f"{when}{words} {event.path.name}"
    if event.reason and action != "imported":
        text += f": {event.reason}"
    return text
