"""Errors become dialogs with a human sentence; unexpected ones are logged and shown once."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from yongju.core.errors import CancelledError, YongjuError


class ErrorReporter(QObject):
    """Shows user errors as they come and unexpected exceptions once (all are logged)."""

    shown = Signal(str)  # the sentence shown (tests and the status bar listen)

    def __init__(self, log_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self._logger = logging.getLogger(f"yongju.ui.{id(self)}")
        self._logger.propagate = False
        self._handler: logging.Handler | None = None
        self._window: QWidget | None = None
        self._unexpected_shown = False

    def set_window(self, window: QWidget | None) -> None:
        self._window = window

    def close(self) -> None:
        if self._handler is not None:
            self._logger.removeHandler(self._handler)
            self._handler.close()
            self._handler = None

    def report(self, error: BaseException) -> None:
        """A failure of a background task or an action the user took."""
        if isinstance(error, CancelledError):
            return
        if isinstance(error, YongjuError):
            self.show_message(str(error))
        else:
            self.unexpected(type(error), error, error.__traceback__)

    def show_message(self, text: str, title: str = "") -> None:
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
        """Logs the traceback to ``<store>/logs/yongju.log``; shows a dialog the first time."""
        self._log().error(
            "Unexpected error\n%s", "".join(traceback.format_exception(kind, error, tb))
        )
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

    def excepthook(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        """For ``sys.excepthook``: exceptions escaping Qt slots end up here."""
        if isinstance(error, YongjuError):
            self.report(error)
        else:
            self.unexpected(kind, error, tb)

    def _log(self) -> logging.Logger:
        if self._handler is None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._handler = logging.FileHandler(self.log_path, encoding="utf-8")
            self._handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            self._logger.addHandler(self._handler)
            self._logger.setLevel(logging.INFO)
        return self._logger
