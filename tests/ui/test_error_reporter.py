"""The error reporter: a sentence in a dialog, and never an error of its own."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget
from shiboken6 import delete

from yongju.core.errors import FilingError
from yongju.ui.common.error_reporter import ErrorReporter


def test_an_error_for_a_window_that_is_gone_is_logged_not_raised(qtbot, tmp_path: Path, caplog):
    """A task's error landing after its window was deleted raised RuntimeError ("Internal
    C++ object (MainWindow) already deleted") inside Qt's event loop."""
    reporter = ErrorReporter(tmp_path / "yongju.log")
    window = QWidget()
    reporter.set_window(window)
    shown: list[str] = []
    reporter.shown.connect(shown.append)
    delete(window)

    reporter.report(FilingError("That slot takes one document."))

    assert shown == []
    assert "That slot takes one document." in caplog.text


def test_an_error_is_shown_over_its_window(qtbot, tmp_path: Path) -> None:
    reporter = ErrorReporter(tmp_path / "yongju.log")
    window = QWidget()
    qtbot.addWidget(window)
    reporter.set_window(window)
    shown: list[str] = []
    reporter.shown.connect(shown.append)

    reporter.report(FilingError("That slot takes one document."))

    assert shown == ["That slot takes one document."]
    boxes = window.findChildren(QMessageBox)
    assert [box.text() for box in boxes] == ["That slot takes one document."]
    boxes[0].close()
