"""File ▸ Back Up… and Restore… in the real window, its file dialogs answered as a person would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from tests.samples import Samples
from yongju.app import Composition, compose, reopen_after_restore
from yongju.core.backup import is_backup, restore_store
from yongju.core.importing import import_files
from yongju.core.paths import AppPaths
from yongju.core.store import Store

WAIT = 15_000
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _open(qtbot, store: Path, config: Path) -> Composition:
    composition = compose(AppPaths(store=store, config=config), open_url=lambda url: None)
    composition.shown = []  # type: ignore[attr-defined]
    composition.reporter.shown.connect(composition.shown.append)  # type: ignore[attr-defined]
    composition.window.show()
    qtbot.waitUntil(lambda: not composition.workspace.busy, timeout=WAIT)
    return composition


def _close(composition: Composition) -> None:
    composition.window.close()
    composition.shutdown()


def _answer_dialog(qtbot, window, answer: Path | None) -> list[QFileDialog]:
    """The file dialog the action opened, answered as a person would (or cancelled)."""
    qtbot.waitUntil(lambda: bool(window.findChildren(QFileDialog)), timeout=WAIT)
    dialogs = window.findChildren(QFileDialog)
    dialog = dialogs[0]
    if answer is None:
        dialog.reject()
    else:
        dialog.selectFile(str(answer))
        dialog.accept()
    return dialogs


@pytest.fixture
def full_store(tmp_path: Path, store_folder: Path) -> Path:
    folder = store_folder  # a copy of a new store: no migrations to run for each test
    samples = Samples(tmp_path / "scans")
    with Store.open(folder) as store:
        case = store.create_case("Jan Peeters", "spouse_of_chinese_citizen")
        docs = import_files(store, [samples.pdf("passport.pdf"), samples.jpeg("marriage.jpg")])
        store.file_document(case.id, "passport", docs[0].document.id)
    return folder


def test_back_up_writes_a_verified_archive_in_the_background(
    qtbot, tmp_path: Path, full_store: Path
) -> None:
    app = _open(qtbot, full_store, tmp_path / "config")
    archive = tmp_path / "out" / "my backup.tar"
    archive.parent.mkdir()
    started: list = []
    app.runner.task_started.connect(started.append)
    app.window.menu_actions.backup.trigger()
    qtbot.waitUntil(lambda: bool(app.window.findChildren(QFileDialog)), timeout=WAIT)
    offered = app.window.findChildren(QFileDialog)[0].selectedFiles()
    assert len(offered) == 1 and offered[0].endswith(".tar")  # a dated name is offered
    _answer_dialog(qtbot, app.window, archive)
    qtbot.waitUntil(lambda: "Backed up" in app.window.message.text(), timeout=WAIT)
    assert [(t.label, t.cancellable) for t in started] == [("Backing up", True)]
    assert app.window.message.text() == f"Backed up 2 documents and 1 case to {archive}."
    assert is_backup(archive)
    _close(app)
    restored = restore_store(archive, tmp_path / "check")
    assert (restored.documents, restored.cases) == (2, 1)


def test_restore_fills_an_empty_store_and_reopens_it(
    qtbot, tmp_path: Path, full_store: Path
) -> None:
    with Store.open(full_store) as store:
        from yongju.core.backup import backup_store

        archive = backup_store(store, tmp_path / "backup.tar").archive
    fresh = _open(qtbot, tmp_path / "new-computer", tmp_path / "config")
    assert fresh.workspace.inbox.rowCount() == 0
    fresh.window.menu_actions.restore.trigger()
    _answer_dialog(qtbot, fresh.window, archive)
    qtbot.waitUntil(lambda: fresh.restored is not None, timeout=WAIT)
    assert not fresh.window.isVisible()  # run_gui reopens the store next

    app = reopen_after_restore(fresh, open_url=lambda url: None)
    shown: list[str] = []
    app.reporter.shown.connect(shown.append)
    app.window.show()
    qtbot.waitUntil(lambda: bool(shown) and not app.workspace.busy, timeout=WAIT)
    assert shown[0].startswith("Restored 2 documents and 1 case from the backup of 20")
    assert [c.name for c in app.store.cases()] == ["Jan Peeters"]
    assert app.workspace.inbox.rowCount() == 1  # the marriage certificate; the passport is filed
    assert app.paths.store == tmp_path / "new-computer"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    _close(app)


def test_restore_is_refused_over_a_store_with_documents(
    qtbot, tmp_path: Path, full_store: Path
) -> None:
    app = _open(qtbot, full_store, tmp_path / "config")
    app.window.menu_actions.restore.trigger()
    qtbot.waitUntil(lambda: bool(app.shown), timeout=WAIT)  # type: ignore[attr-defined]
    assert app.window.findChildren(QFileDialog) == []  # not even asked
    assert app.shown[0].startswith("This store already holds documents")  # type: ignore
    assert app.restored is None and app.window.isVisible()
    _close(app)


def test_a_damaged_backup_is_explained_and_the_store_stays_open(
    qtbot, tmp_path: Path, store_folder: Path
) -> None:
    damaged = tmp_path / "damaged.tar"
    damaged.write_bytes(b"not an archive at all" * 100)
    app = _open(qtbot, store_folder, tmp_path / "config")
    app.window.menu_actions.restore.trigger()
    _answer_dialog(qtbot, app.window, damaged)
    qtbot.waitUntil(lambda: bool(app.shown), timeout=WAIT)  # type: ignore[attr-defined]
    assert app.shown == [f"{damaged} is not a Yongju backup."]  # type: ignore[attr-defined]
    assert app.restored is None and app.window.isVisible()
    _close(app)


def test_the_file_menu_offers_back_up_and_restore(
    qtbot, tmp_path: Path, store_folder: Path
) -> None:
    app = _open(qtbot, store_folder, tmp_path / "config")
    file_menu = app.window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions() if a.text()]
    assert texts.index("&Back Up…") == texts.index("&Export Packet…") + 1
    assert texts.index("&Restore…") == texts.index("&Back Up…") + 1
    _close(app)
