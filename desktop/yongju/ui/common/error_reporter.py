"""Errors become dialogs with a human sentence; unexpected ones are logged and shown once."""

from __future__ import annotations

import logging
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget
from shiboken6 import isValid

from yongju.core.errors import CancelledError, YongjuError
from yongju.core.logs import CrashNote, log_exception

log = logging.getLogger(__name__)


class ErrorReporter(QObject):
    """Shows user errors as they come and unexpected exceptions once (all are logged)."""

    shown = Signal(str)  # the sentence shown (tests and the status bar listen)

    def __init__(self, log_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_path = log_path  # where the composition root's store log writes
        self._window: QWidget | None = None
        self._unexpected_shown = False

    def set_window(self, window: QWidget | None) -> None:
        self._window = window

    def report(self, error: BaseException) -> None:
        """A failure of a background task or an action the user took."""
        if isinstance(error, CancelledError):
            return
        if isinstance(error, YongjuError):
            self.show_message(str(error))
        else:
            self.unexpected(type(error), error, error.__traceback__)

    def show_message(self, text: str, title: str = "") -> None:
        if self._window is not None and not isValid(self._window):
            # The window closed and was deleted while a task ran: no one to tell.
            log.warning("not shown, the window is gone: %s", text)
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            title or self.tr("Yongju"),
            text,
            QMessageBox.StandardButton.Ok,
            self._window,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # window-modal but not blocking: tests and the event loop keep running
        self.shown.emit(text)

    def unexpected(
        self,
        kind: type[BaseException],
        error: BaseException,
        tb: TracebackType | None,
    ) -> None:
        """Logs the traceback to ``<store>/logs/yongju.log``; shows a dialog the first time.

        A background task's error was logged where it happened, on its worker thread.
        """
        if error.__traceback__ is None and tb is not None:
            error = error.with_traceback(tb)
        log_exception(log, error, "unexpected error")
        if self._unexpected_shown:
            return
        self._unexpected_shown = True
        self.show_message(
            self.tr(
                "Something went wrong inside Yongju: %1\n\nYour documents are safe. "
                "The details were written to %2; please include that file if you report it."
            )
            .replace("%1", str(error) or kind.__name__)
            .replace("%2", str(self.log_path))
        )

    def tell_crash(self, crash: CrashNote) -> None:
        """Once, at the start after a native crash: what happened and where the details are."""
        self.show_message(
            self.tr(
                "Yongju stopped unexpectedly on %1. Your documents are safe. What it was doing "
                "is recorded in %2; please include that file if you report the problem."
            )
            .replace("%1", f"{crash.when:%Y-%m-%d %H:%M}")
            .replace("%2", str(crash.log_file))
        )

    def excepthook(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        """For ``sys.excepthook``: exceptions escaping Qt slots end up here."""
        if isinstance(error, YongjuError):
            self.report(error)
        else:
            self.unexpected(kind, error, tb)
