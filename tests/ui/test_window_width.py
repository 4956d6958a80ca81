"""The window fits a 1280-pixel screen whatever the case bar holds."""

# ruff: noqa: F811  (the fixtures "app" and "samples" are imported from test_window)
from __future__ import annotations

from tests.ui.test_window import (  # the same composition-root fixture and helpers
    app,  # noqa: F401
    make_case,
    pytestmark,  # noqa: F401
    settle,
)


def test_the_case_bar_never_makes_the_window_wider_than_the_screen(qtbot, app) -> None:
    """With an export recorded, the case bar's "Last exported … → …" label and the longest
    category title made the window 1,609 pixels wide on a 1,366-pixel screen."""
    case_id = make_case(qtbot, app)
    bar = app.window.case_bar
    longest = max(range(bar.profile.count()), key=lambda i: len(bar.profile.itemText(i)))
    bar.profile.setCurrentIndex(longest)
    app.store.record_export(
        case_id, "/home/someone/Documents/a rather long packet name for the office.pdf",
        42, 1_000_000, "0" * 64, "{}",
    )  # fmt: skip
    app.workspace.refresh()
    settle(qtbot, app)
    assert bar.history.isVisible()
    assert app.window.minimumSizeHint().width() <= 1280
    assert "a rather long packet name" in bar.history.toolTip()  # the whole label, on hover
