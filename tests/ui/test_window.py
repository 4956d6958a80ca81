"""The real main window, built through the composition root on a temporary store."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFrame, QWidget

from tests.samples import Samples
from yongju.app import Composition, compose
from yongju.core.checklist import SlotState
from yongju.core.errors import CancelledError
from yongju.core.paths import AppPaths
from yongju.core.profiles import ProfileSet
from yongju.core.reading.ocr import TextBox
from yongju.ui.checklist.model import COL_STATE, SlotRole
from yongju.ui.documents.refused_dialog import RefusedDialog

WAIT = 10_000
# The offscreen platform cannot pass a window's size limits on; a real one can.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")


class OcrAtWork:
    """The OCR process stands at the OS edge. The real one, started for every import here,
    spent seconds of CPU starting, loading its engine and reading the first page, yet was
    stopped before it finished when the window closed (reading is tested with a fake in
    test_reading.py, the engine in core/reading/test_ocr.py): this one stays at its first
    page, without the CPU, until reading is cancelled."""

    def __init__(self) -> None:
        self.cancel: Callable[[], bool] | None = None

    def recognise_page(self, request: object) -> list[TextBox]:
        while not (self.cancel is not None and self.cancel()):
            time.sleep(0.05)
        raise CancelledError()

    def __enter__(self) -> OcrAtWork:
        return self

    def __exit__(self, *_exc: object) -> None:
        pass


@pytest.fixture
def app(qtbot, tmp_path: Path, store_folder: Path, profiles: ProfileSet):
    opened: list[QUrl] = []
    paths = AppPaths(store=store_folder, config=tmp_path / "config")
    # The shipped profiles, read once a run (compose read them for every window, as a start
    # with user profiles beside them must; tests have none).
    composition = compose(
        paths, open_url=opened.append, make_recogniser=OcrAtWork, profiles=profiles
    )
    composition.opened = opened  # type: ignore[attr-defined]
    qtbot.addWidget(composition.window)
    composition.window.show()
    qtbot.waitUntil(lambda: not composition.workspace.busy, timeout=WAIT)
    yield composition
    composition.window.close()
    composition.shutdown()


class Scans(Samples):
    """Samples whose PDFs have one page where a test does not ask for more: a second page
    was drawn, inspected, rendered, previewed and read in every window test for nothing
    (about 20 ms of CPU an import). Tests that turn, leave out or count pages say how many."""

    def pdf(self, name: str = "doc.pdf", pages: int = 1, label: str | None = None) -> Path:
        return super().pdf(name, pages, label)


@pytest.fixture
def samples(tmp_path: Path) -> Samples:
    return Scans(tmp_path / "scans")


def settle(qtbot, app: Composition) -> None:
    """Waits until no background task runs and the views show the store."""
    qtbot.waitUntil(lambda: not app.runner.active() and not app.workspace.busy, timeout=WAIT)


def drop(
    widget: QWidget,
    mime: QMimeData,
    pos: QPoint,
    actions: Qt.DropAction = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction,
) -> QDropEvent:
    """What a drag from a file manager delivers: enter, move, drop."""
    point = QPointF(pos)
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QApplication.sendEvent(widget, QDragEnterEvent(pos, actions, mime, left, none))
    QApplication.sendEvent(widget, QDragMoveEvent(pos, actions, mime, left, none))
    event = QDropEvent(point, actions, mime, left, none)
    QApplication.sendEvent(widget, event)
    return event


def file_urls(*paths: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def make_case(qtbot, app: Composition, date: dt.date | None = None) -> int:
    case = app.store.create_case("Jan Peeters", "spouse_of_chinese_citizen", date)
    app.workspace.select_case(case.id)
    settle(qtbot, app)
    return case.id


def slot_row_pos(app: Composition, slot_id: str) -> QPoint:
    tree = app.window.checklist.tree
    row = app.workspace.checklist.row_of(slot_id)
    return tree.visualRect(app.workspace.checklist.index(row, 0)).center()


def filed(app: Composition, slot_id: str) -> list[int]:
    checklist = app.workspace.current_checklist
    return checklist.status(slot_id).document_ids if checklist else []


def inbox_ids(app: Composition) -> list[int]:
    return [item.document.id for item in app.workspace.inbox.records()]


def test_window_opens_empty(app: Composition) -> None:
    window = app.window
    assert "Yongju" in window.windowTitle()
    assert window.checklist.headline() == "No case selected"
    assert app.workspace.inbox.rowCount() == 0
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&View", "&Help"]


def test_dropping_files_on_inbox_imports_and_lists_refusals(qtbot, app, samples) -> None:
    good = [samples.pdf("passport.pdf", pages=2), samples.jpeg("bank.jpg")]
    broken = samples.folder / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 this is not really a pdf at all")
    shown: list[RefusedDialog] = []
    app.imports.refused_shown.connect(shown.append)
    viewport = app.window.inbox.view.viewport()
    event = drop(viewport, file_urls(*good, broken), viewport.rect().center())
    assert event.isAccepted()
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=WAIT)
    settle(qtbot, app)
    names = sorted(i.document.original_name for i in app.workspace.inbox.records())
    assert names == ["bank.jpg", "passport.pdf"]
    rows = shown[0].rows()
    assert [name for name, _ in rows] == ["broken.pdf"]
    assert rows[0][1]  # a reason in words
    assert "refused 1" in app.window.message.text()
    shown[0].close()


def test_dropping_files_on_a_slot_imports_and_files_them(qtbot, app, samples) -> None:
    make_case(qtbot, app)
    scan = samples.pdf("my-marriage.pdf", pages=3)
    tree = app.window.checklist.tree
    drop(tree.viewport(), file_urls(scan), slot_row_pos(app, "sp_marriage_cert"))
    qtbot.waitUntil(lambda: len(filed(app, "sp_marriage_cert")) == 1, timeout=WAIT)
    settle(qtbot, app)
    assert inbox_ids(app) == []
    row = app.workspace.checklist.row_of("sp_marriage_cert")
    assert app.workspace.checklist.index(row, 0).data(SlotRole.COUNT) == 1


def import_into_inbox(qtbot, app: Composition, *paths: Path) -> list[int]:
    app.imports.start(paths)
    qtbot.waitUntil(lambda: len(app.workspace.inbox.records()) >= len(paths), timeout=WAIT)
    settle(qtbot, app)
    return inbox_ids(app)


def import_quietly(app: Composition, *paths: Path) -> list[int]:
    """Documents for a test whose point comes after the import (filing them, say): imported
    through the store, as ``yongju import`` would. Through the window each was shown,
    rendered and read in the background before the test filed it (30-80 ms of CPU)."""
    from yongju.core.importing import import_files

    return [r.document.id for r in import_files(app.store, paths) if r.document is not None]


def test_drag_from_inbox_to_slot_then_undo_and_redo(qtbot, app, samples) -> None:
    make_case(qtbot, app)
    (doc_id,) = import_into_inbox(qtbot, app, samples.pdf("scan-1.pdf"))
    inbox = app.workspace.inbox
    mime = inbox.mimeData([inbox.index(0)])
    drop(app.window.checklist.tree.viewport(), mime, slot_row_pos(app, "passport"))
    qtbot.waitUntil(lambda: filed(app, "passport") == [doc_id], timeout=WAIT)
    settle(qtbot, app)
    assert inbox_ids(app) == []
    stack = app.editor.stack
    assert stack.undoText().startswith("File into Passport")
    stack.undo()
    qtbot.waitUntil(lambda: inbox_ids(app) == [doc_id], timeout=WAIT)
    settle(qtbot, app)
    assert filed(app, "passport") == []
    stack.redo()
    qtbot.waitUntil(lambda: filed(app, "passport") == [doc_id], timeout=WAIT)


def test_reorder_within_a_slot_through_the_model(qtbot, app, samples) -> None:
    case_id = make_case(qtbot, app)
    ids = import_quietly(app, *(samples.pdf(f"p{i}.pdf") for i in range(3)))
    for doc_id in sorted(ids):
        app.store.file_document(case_id, "sp_residence_history", doc_id)
    app.window.checklist.select_slot("sp_residence_history")
    qtbot.waitUntil(lambda: app.workspace.slot_documents.rowCount() == 3, timeout=WAIT)
    settle(qtbot, app)
    model = app.workspace.slot_documents
    first, second, third = sorted(ids)
    mime = model.mimeData([model.index(0)])
    assert model.dropMimeData(mime, Qt.DropAction.MoveAction, 3, 0, model.index(-1))
    qtbot.waitUntil(
        lambda: filed(app, "sp_residence_history") == [second, third, first], timeout=WAIT
    )
    app.editor.stack.undo()
    qtbot.waitUntil(
        lambda: filed(app, "sp_residence_history") == [first, second, third], timeout=WAIT
    )


def test_checklist_updates_when_the_submission_date_changes(qtbot, app, samples) -> None:
    case_id = make_case(qtbot, app)
    (doc_id,) = import_quietly(app, samples.pdf("pass.pdf"))
    app.store.update_document(doc_id, expires=dt.date(2027, 6, 30))
    app.store.file_document(case_id, "passport", doc_id)
    app.workspace.refresh()
    settle(qtbot, app)
    row = app.workspace.checklist.row_of("passport")
    state = lambda: app.workspace.checklist.index(row, COL_STATE).data(SlotRole.STATE)  # noqa: E731
    assert state() == SlotState.OK
    bar = app.window.case_bar
    bar.date.date_edited.emit(dt.date(2027, 9, 1))  # a finished edit: after the passport expires
    qtbot.waitUntil(lambda: state() == SlotState.EXPIRES_BEFORE_SUBMISSION, timeout=WAIT)
    assert "2027-09-01" in app.window.checklist.detail()
    app.editor.stack.undo()
    qtbot.waitUntil(lambda: state() == SlotState.OK, timeout=WAIT)


def test_accepting_a_suggestion_takes_one_click(qtbot, app, samples) -> None:
    make_case(qtbot, app)
    (doc_id,) = import_into_inbox(qtbot, app, samples.pdf("passport-scan.pdf"))
    item = app.workspace.inbox.record(0)
    assert item.document.suggested_slot == "passport"
    assert item.suggested_title.startswith("Passport")
    grid = app.window.inbox
    pill = grid.delegate.suggestion_rect(grid.tile_rect(0))
    from pytestqt.qtbot import QtBot

    QtBot.mouseClick(grid.view.viewport(), Qt.MouseButton.LeftButton, pos=pill.center())
    qtbot.waitUntil(lambda: filed(app, "passport") == [doc_id], timeout=WAIT)


def test_open_original_uses_the_source_else_a_read_only_copy(qtbot, app, samples) -> None:
    (doc_id,) = import_into_inbox(qtbot, app, samples.jpeg("id.jpg"))
    document = app.store.document(doc_id)
    actions = app.window.documents
    assert actions.open_original(document) == Path(document.source_path)
    Path(document.source_path).unlink()
    copy = actions.open_original(document)
    assert copy != Path(document.source_path) and copy.name == "id.jpg"
    assert copy.read_bytes() == app.store.blob_path(document.sha256).read_bytes()
    assert not copy.stat().st_mode & 0o200
    assert [u.toLocalFile() for u in app.opened] == [document.source_path, str(copy)]


def test_settings_remember_the_last_case(qtbot, tmp_path, app) -> None:
    case_id = make_case(qtbot, app)
    app.window.close()
    assert app.settings.last_case() == case_id


def test_watched_folder_brings_scans_into_the_inbox(qtbot, app, samples, tmp_path) -> None:
    folder = tmp_path / "scanner"
    folder.mkdir()
    (folder / "~$lock.tmp").write_bytes(b"temporary")
    watch = app.watch
    watch.quiet_seconds = 0.2
    panel = app.window.open_watch_panel()
    panel.set_folder(str(folder))
    watch.start()
    assert watch.running and watch.mode in ("native", "polling")
    assert "Watching" in app.window.watch_status.text()
    scan = samples.pdf("from-scanner.pdf")
    scan.rename(folder / scan.name)
    qtbot.waitUntil(
        lambda: (
            [i.document.original_name for i in app.workspace.inbox.records()]
            == ["from-scanner.pdf"]
        ),
        timeout=WAIT,
    )
    qtbot.waitUntil(lambda: "watched folder" in app.window.message.text(), timeout=WAIT)
    panel.refresh()
    assert any(
        "~$lock.tmp" in panel.skipped.topLevelItem(i).text(0)
        for i in range(panel.skipped.topLevelItemCount())
    )
    watch.stop()
    assert not watch.running
    assert app.settings.value("watch/on") == "0"
    panel.close()


def test_first_case_is_selected_when_none_was(qtbot, app) -> None:
    case = app.store.create_case("Ana Souza", "employment")
    app.workspace.refresh()
    qtbot.waitUntil(lambda: app.workspace.case_id == case.id, timeout=WAIT)
    settle(qtbot, app)
    assert app.window.case_bar.cases.currentText() == "Ana Souza"
    assert app.workspace.checklist.rowCount() == len(app.profiles.get("employment").slots)
    assert "open" in app.window.checklist.headline()
    assert app.window.windowTitle().startswith("Ana Souza — Yongju")


def test_new_case_dialog_creates_and_selects_the_case(qtbot, app) -> None:
    dialog = app.window.case_bar.ask_new_case()
    assert not dialog._ok.isEnabled()  # no name yet
    dialog.name.setText("Jan Peeters")
    dialog.profile.setCurrentIndex(dialog.profile.findData("spouse_of_chinese_citizen"))
    dialog.date._edit.setText("1.3.2027")  # typed, day first, as many users write it
    dialog.accept()
    qtbot.waitUntil(lambda: app.workspace.current_case is not None, timeout=WAIT)
    case = app.workspace.current_case
    assert (case.name, case.profile_id, case.submission_date) == (
        "Jan Peeters",
        "spouse_of_chinese_citizen",
        dt.date(2027, 3, 1),
    )
    assert not app.window.checklist.new_case_button.isVisible()


def test_import_can_be_cancelled_from_the_status_bar(qtbot, app, samples) -> None:
    # Small scans: their number, not their size, keeps the import running to be cancelled.
    paths = [samples.jpeg(f"page-{i}.jpg", width=124, height=175) for i in range(40)]
    status = app.window.task_status
    task = app.imports.start(paths)
    assert status.task is task and status.isVisibleTo(app.window)
    status.cancel()
    qtbot.waitUntil(lambda: not app.runner.active(), timeout=WAIT)
    settle(qtbot, app)
    assert len(app.workspace.inbox.records()) < len(paths)
    assert not status.isVisibleTo(app.window)


class _Paints(QObject):
    """Counts the paints of the widgets it watches."""

    def __init__(self, *widgets: QWidget) -> None:
        super().__init__()
        self.painted: list[QWidget] = []
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            self.painted.append(watched)
        return False


def test_a_refresh_that_changes_nothing_repaints_neither_the_slot_grid_nor_the_banner(
    qtbot, app
) -> None:
    make_case(qtbot, app)
    window = app.window
    grid = window.slot_grid.view.viewport()
    banner = window.checklist.findChild(QFrame, "readinessBanner")
    for _ in range(3):
        QApplication.processEvents()  # what the case's selection painted
    paints = _Paints(grid, banner)
    app.workspace.refresh()
    settle(qtbot, app)
    for _ in range(3):
        QApplication.processEvents()  # the paints a refresh asked for, if any
    assert paints.painted == []
    grid.update()  # and the watch sees a paint that does happen
    banner.update()
    qtbot.waitUntil(lambda: {grid, banner} <= set(paints.painted), timeout=WAIT)


def test_a_date_change_does_not_reread_the_inbox(qtbot, app, monkeypatch) -> None:
    case_id = make_case(qtbot, app)
    calls: list[int] = []
    original = app.store.inbox
    monkeypatch.setattr(app.store, "inbox", lambda: calls.append(1) or original())
    app.editor.set_submission_date(case_id, dt.date(2027, 5, 1))
    qtbot.waitUntil(lambda: "2027-05-01" in app.window.checklist.detail(), timeout=WAIT)
    settle(qtbot, app)
    assert calls == []
    app.editor.stack.undo()
    settle(qtbot, app)
    assert calls == []


def test_a_case_whose_profile_is_gone_is_explained(qtbot, app) -> None:
    shown: list[str] = []
    app.reporter.shown.connect(shown.append)
    case = app.store.create_case("Old case", "a_profile_that_was_removed")
    app.workspace.select_case(case.id)
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT)
    settle(qtbot, app)
    assert "a_profile_that_was_removed" in shown[0]
    assert app.workspace.case_id is None


def test_inbox_filter_searches_every_document(qtbot, app, samples) -> None:
    paths = [samples.jpeg(f"receipt-{i}.jpg") for i in range(3)]
    paths.append(samples.jpeg("birth certificate.jpg"))
    import_into_inbox(qtbot, app, *paths)
    app.workspace.inbox._batch = 2  # as with thousands: not every row is fetched yet
    grid = app.window.inbox
    grid.filter.setText("BIRTH")
    assert grid.proxy.rowCount() == 1
    assert grid.proxy.index(0, 0).data() == "birth certificate"
    assert grid.view.model() is grid.proxy
    assert grid._count.text().startswith("1 of 4")
    grid.view.setCurrentIndex(grid.proxy.index(0, 0))
    assert [i.document.original_name for i in grid.selected_items()] == ["birth certificate.jpg"]
    grid.filter.clear()
    assert grid.proxy.rowCount() == 4


def test_suggestions_come_from_the_selected_cases_profile(qtbot, app, samples) -> None:
    make_case(qtbot, app)  # a spouse case: its marriage slot is sp_marriage_cert
    import_into_inbox(qtbot, app, samples.pdf("marriage certificate.pdf"))
    item = app.workspace.inbox.record(0)
    assert item.document.suggested_slot == "sp_marriage_cert"
    assert item.suggested_title.startswith("Marriage certificate")


def test_inbox_tiles_suggest_only_slots_of_the_selected_case(qtbot, app, samples) -> None:
    # Imported before any case: suggested from every profile (another profile's slot ids).
    import_into_inbox(
        qtbot, app, samples.pdf("acte de mariage.pdf"), samples.pdf("work permit.pdf")
    )
    stored = {
        i.document.original_name: i.document.suggested_slot for i in app.workspace.inbox.records()
    }
    assert stored["work permit.pdf"] not in (None, "passport")  # a work-permit slot elsewhere
    make_case(qtbot, app)
    own = {s.slot.id for s in app.workspace.current_checklist.slots}
    shown = {i.document.original_name: i for i in app.workspace.inbox.records()}
    assert shown["acte de mariage.pdf"].suggested_slot == "sp_marriage_cert"
    assert shown["acte de mariage.pdf"].suggested_title.startswith("Marriage certificate")
    assert shown["work permit.pdf"].suggested_slot is None
    assert shown["work permit.pdf"].suggested_title == ""
    assert {i.suggested_slot for i in shown.values()} - {None} <= own
    app.window.inbox.view.selectAll()
    app.window.menu_actions.accept_suggestion.trigger()
    marriage = shown["acte de mariage.pdf"].document.id
    qtbot.waitUntil(lambda: filed(app, "sp_marriage_cert") == [marriage], timeout=WAIT)
    settle(qtbot, app)
    assert inbox_ids(app) == [shown["work permit.pdf"].document.id]


def test_window_layout_is_remembered(qtbot, tmp_path, app) -> None:
    window = app.window
    window.resize(760, 560)  # within the offscreen screen (800 x 600)
    main = window._splitters["main"]
    main.setSizes([200, 300, 260])
    wanted = main.sizes()
    window.close()
    again = compose(app.paths, open_url=lambda url: None, profiles=app.profiles)
    qtbot.addWidget(again.window)
    again.window.show()
    try:
        assert again.window.size().height() == 560
        restored = again.window._splitters["main"].sizes()
        assert all(abs(a - b) <= 4 for a, b in zip(restored, wanted, strict=True)), restored
    finally:
        again.window.close()
        again.shutdown()


def test_dropping_an_already_filed_file_on_its_slot_changes_nothing(qtbot, app, samples) -> None:
    case_id = make_case(qtbot, app)
    scan = samples.pdf("passport.pdf")
    (doc_id,) = import_quietly(app, scan)
    app.store.file_document(case_id, "passport", doc_id)
    app.workspace.refresh()
    settle(qtbot, app)
    shown: list[str] = []
    app.reporter.shown.connect(shown.append)
    finished: list[object] = []
    app.imports.import_finished.connect(finished.append)
    drop(app.window.checklist.tree.viewport(), file_urls(scan), slot_row_pos(app, "passport"))
    qtbot.waitUntil(lambda: bool(finished), timeout=WAIT)
    settle(qtbot, app)
    assert filed(app, "passport") == [doc_id]
    assert shown == []  # no "already filed" error for a duplicate
    assert "already in the store 1" in app.window.message.text()


def test_thumbnails_render_in_the_background_into_the_store_cache(qtbot, app, samples) -> None:
    (doc_id,) = import_into_inbox(qtbot, app, samples.pdf("thumb.pdf"))
    provider = app.window.thumbnails
    document = app.store.document(doc_id)
    provider.forget()
    with qtbot.waitSignal(provider.thumbnail_ready, timeout=WAIT) as ready:
        first = provider.pixmap(document)
    assert ready.args == [doc_id]
    pixmap = provider.pixmap(document)
    assert first is None and pixmap is not None and not pixmap.isNull()
    assert max(pixmap.width(), pixmap.height()) == 256
    assert list((app.store.cache_dir / "thumbs").glob(f"{document.sha256}-0-256-0.jpg"))
