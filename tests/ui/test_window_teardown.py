"""Signals of objects that outlive the window never reach its deleted widgets."""

from __future__ import annotations

from pathlib import Path

from shiboken6 import delete

from yongju.app import compose
from yongju.core.paths import AppPaths


def test_a_refresh_ending_after_the_window_was_deleted_is_harmless(
    qtbot, tmp_path: Path, store_folder: Path, profiles
):
    """A refresh (or an import) that finished after the window was deleted raised
    "_TileView already deleted" from the panels' update in a test's teardown."""
    paths = AppPaths(store=store_folder, config=tmp_path / "config")
    composition = compose(paths, profiles=profiles)
    qtbot.waitUntil(lambda: not composition.workspace.busy, timeout=15_000)
    workspace, imports = composition.workspace, composition.window.imports
    delete(composition.window)  # as Qt does when the window is destroyed first
    workspace.refreshed.emit()
    imports.import_finished.emit([])
    composition.shutdown()
