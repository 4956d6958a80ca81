"""Issue 11, as a new user meets the window: no wrong edits, dates you can type, outside changes."""
# ruff: noqa: F811  (the fixtures "app" and "samples" are imported from test_window)

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QInputMethodEvent
from PySide6.QtWidgets import QApplication

from tests.ui.test_window import (  # the same composition-root fixture and helpers
    WAIT,
    app,  # noqa: F401
    filed,
    import_into_inbox,
    import_quietly,
    make_case,
    pytestmark,  # noqa: F401
    samples,  # noqa: F401
    settle,
)
from yongju.app import Composition
from yongju.cli import run
from yongju.ui.window.main_window import APP_TITLE


def select_slot(qtbot, app: Composition, slot_id: str) -> None:
    app.window.checklist.select_slot(slot_id)
    qtbot.waitUntil(lambda: app.workspace.slot_id == slot_id, timeout=WAIT)
    settle(qtbot, app)


def select_tile(qtbot, app: Composition, grid, row: int) -> None:
    grid.view.setCurrentIndex(grid.view_index(row))
    settle(qtbot, app)


def type_text(qtbot, widget, text: str) -> None:
    """Types ``text``: keys for ASCII, an input method's commit for the rest (年, 月, NUL)."""
    for char in text:
        if " " <= char < "\x7f":
            qtbot.keyClick(widget, char)
        else:
            event = QInputMethodEvent()
            event.setCommitString(char)
            QApplication.sendEvent(widget, event)


def type_date(qtbot, field, text: str) -> None:
    """Selects all in the date field, types ``text`` and presses Enter, as a person would."""
    edit = field._edit
    edit.setFocus()
    edit.selectAll()
    type_text(qtbot, edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


# -- 1. the Document panel edits only what is on screen -------------------------------------
def test_panel_empties_when_another_requirement_is_selected(qtbot, app, samples) -> None:
    case_id = make_case(qtbot, app)
    passport, marriage = import_quietly(app, samples.pdf("a.pdf"), samples.pdf("b.pdf"))
    app.store.file_document(case_id, "passport", passport)
    app.store.file_document(case_id, "sp_marriage_cert", marriage)
    app.workspace.refresh()
    select_slot(qtbot, app, "passport")
    window, details = app.window, app.window.details
    select_tile(qtbot, app, window.slot_grid, 0)
    assert details.document.id == passport
    select_slot(qtbot, app, "sp_marriage_cert")
    assert details.document is None  # not the passport, which is no longer on screen
    assert not details.document_box.isEnabled()
    assert window.preview.document is None
    select_tile(qtbot, app, window.slot_grid, 0)
    assert details.document.id == marriage


def test_panel_shows_the_stores_values_after_undo_and_redo(qtbot, app, samples) -> None:
    case_id = make_case(qtbot, app)
    (doc_id,) = import_quietly(app, samples.pdf("pass.pdf"))
    app.store.update_document(doc_id, expires=dt.date(2027, 1, 2))
    app.store.file_document(case_id, "passport", doc_id)
    app.workspace.refresh()
    select_slot(qtbot, app, "passport")
    select_tile(qtbot, app, app.window.slot_grid, 0)
    details = app.window.details
    type_date(qtbot, details.expires, "2028-01-02")
    qtbot.waitUntil(lambda: app.store.document(doc_id).expires == dt.date(2028, 1, 2), timeout=WAIT)
    settle(qtbot, app)
    app.editor.stack.undo()
    qtbot.waitUntil(lambda: app.store.document(doc_id).expires == dt.date(2027, 1, 2), timeout=WAIT)
    settle(qtbot, app)
    assert details.expires.text() == "2027-01-02"
    assert details.expires.date() == dt.date(2027, 1, 2)
    app.editor.stack.redo()
    qtbot.waitUntil(lambda: details.expires.text() == "2028-01-02", timeout=WAIT)


def test_role_is_off_once_a_filing_is_undone(qtbot, app, samples) -> None:
    case_id = make_case(qtbot, app)
    (doc_id,) = import_into_inbox(qtbot, app, samples.pdf("scan.pdf"))
    select_slot(qtbot, app, "passport")
    app.editor.file(case_id, "passport", "Passport", [doc_id])
    qtbot.waitUntil(lambda: filed(app, "passport") == [doc_id], timeout=WAIT)
    settle(qtbot, app)
    select_tile(qtbot, app, app.window.slot_grid, 0)
    details = app.window.details
    assert details.role.isEnabled()
    app.editor.stack.undo()
    qtbot.waitUntil(lambda: filed(app, "passport") == [], timeout=WAIT)
    settle(qtbot, app)
    assert details.document is None or details._filing is None
    assert not details.role.isEnabled()


# -- 2. dates can be typed ------------------------------------------------------------------
def test_dates_are_typed_in_iso_and_local_forms(qtbot, app, samples) -> None:
    (doc_id,) = import_into_inbox(qtbot, app, samples.pdf("crc.pdf"))
    select_tile(qtbot, app, app.window.inbox, 0)
    details = app.window.details
    for text, wanted in (
        ("2024-05-14", dt.date(2024, 5, 14)),
        ("2024/5/15", dt.date(2024, 5, 15)),
        ("16.05.2024", dt.date(2024, 5, 16)),
        ("2024年5月17日", dt.date(2024, 5, 17)),
    ):
        type_date(qtbot, details.issued, text)
        qtbot.waitUntil(lambda w=wanted: app.store.document(doc_id).issued == w, timeout=WAIT)
        settle(qtbot, app)
        assert details.issued.text() == wanted.isoformat()
        assert not details.issued.error.isVisibleTo(details)


def test_an_empty_date_field_takes_typing(qtbot, app, samples) -> None:
    (doc_id,) = import_into_inbox(qtbot, app, samples.pdf("crc.pdf"))
    select_tile(qtbot, app, app.window.inbox, 0)
    field = app.window.details.expires
    field._edit.setFocus()
    qtbot.keyClicks(field._edit, "2024-05-14")  # no select-all: the field was empty
    qtbot.keyClick(field._edit, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: app.store.document(doc_id).expires == dt.date(2024, 5, 14), timeout=WAIT
    )


def test_bad_or_implausible_dates_are_shown_not_saved(qtbot, app, samples) -> None:
    (doc_id,) = import_into_inbox(qtbot, app, samples.pdf("crc.pdf"))
    select_tile(qtbot, app, app.window.inbox, 0)
    details = app.window.details
    future = dt.date.today() + dt.timedelta(days=30)
    for field, text in (
        (details.issued, "20240514x"),
        (details.issued, "1901-05-14x"),
        (details.expires, "2024-02-30"),
        (details.issued, "1899-12-31"),
        (details.issued, future.isoformat()),
    ):
        type_date(qtbot, field, text)
        settle(qtbot, app)
        assert field.error.isVisibleTo(details), text
        assert field.error.text()
        assert field.text() == text  # kept, for the user to fix
    assert app.editor.stack.count() == 0
    document = app.store.document(doc_id)
    assert (document.issued, document.expires) == (None, None)
    type_date(qtbot, details.expires, future.isoformat())  # an expiry may be in the future
    qtbot.waitUntil(lambda: app.store.document(doc_id).expires == future, timeout=WAIT)


@pytest.mark.qt_log_ignore("does not support (raise|grabbing)", extend=True)
def test_the_calendar_opens_on_a_sensible_month(qtbot, app, samples) -> None:
    import_into_inbox(qtbot, app, samples.pdf("crc.pdf"))
    select_tile(qtbot, app, app.window.inbox, 0)
    field = app.window.details.expires
    calendar = field.open_calendar()
    today = dt.date.today()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year, today.month)
    calendar.hide()
    field.set_date(dt.date(2031, 7, 9))
    calendar = field.open_calendar()
    assert (calendar.yearShown(), calendar.monthShown()) == (2031, 7)
    calendar.hide()


# -- 3. the export dialog's file name -------------------------------------------------------
def test_any_text_in_save_as_is_harmless_and_checked_on_export(qtbot, app) -> None:
    make_case(qtbot, app)
    dialog = app.window.menu_actions.export.trigger() or app.window.export_dialog
    form = dialog.form
    form.path.selectAll()
    for text in ("/", "//", "/tmp/", "~", "/no/such/folder/", "\x00", "/tmp/a\x00b.pdf"):
        form.path.setText("")
        type_text(qtbot, form.path, text)  # every prefix of what a person types
        assert form.path.text() == text
    dialog.confirm.setChecked(True)
    form.path.setText("/")
    dialog.export_button.click()
    assert dialog._task is None  # nothing started
    assert form.note.isVisibleTo(dialog) and form.note.text()
    dialog.reject()


# -- 4. changes made elsewhere show -------------------------------------------------------
def test_changes_from_the_command_line_show_without_a_click(qtbot, app, samples) -> None:
    # The command runs in this process, on its own connection: the window learns of changes
    # from SQLite's data_version, which any other connection's commit moves, as another
    # process's does (two Python start-ups cost seconds here).
    app.workspace.change_timer.setInterval(50)  # the poll, sooner than a person needs it
    scan = samples.pdf("from-the-cli.pdf")
    store = ["--store", str(app.paths.store)]
    assert run([*store, "import", str(scan)]) == 0
    qtbot.waitUntil(
        lambda: (
            [i.document.original_name for i in app.workspace.inbox.records()]
            == ["from-the-cli.pdf"]
        ),
        timeout=WAIT,
    )
    assert run([*store, "case", "new", "Ana Souza", "--profile", "employment"]) == 0
    qtbot.waitUntil(lambda: app.window.case_bar.cases.count() == 1, timeout=WAIT)


def test_a_change_of_the_window_s_own_waits_for_its_refresh_not_the_poll(
    qtbot, app, samples
) -> None:
    """A document the window's reader just wrote is shown by the refresh it asked for (the
    read documents alone); the poll, which cannot tell that write from another program's,
    would read the whole inbox again. Another program's change still shows once that is done."""
    from yongju.core.importing import import_files

    pending = [True]
    app.workspace.own_write_pending = lambda: pending[0]
    app.workspace.change_timer.stop()  # polled by hand below
    import_files(app.store, [samples.pdf("elsewhere.pdf")])
    assert not app.workspace.check_for_changes()
    pending[0] = False
    assert app.workspace.check_for_changes()
    qtbot.waitUntil(lambda: len(app.workspace.inbox.records()) == 1, timeout=WAIT)


def test_view_refresh_rereads_the_store(qtbot, app, samples) -> None:
    app.workspace.change_timer.stop()  # only F5 may notice this one
    from yongju.core.importing import import_files

    import_files(app.store, [samples.pdf("quiet.pdf")])
    action = app.window.menu_actions.refresh
    assert action.shortcut().toString() == "F5"
    assert "&View" in [a.text() for a in app.window.menuBar().actions()]
    action.trigger()
    qtbot.waitUntil(lambda: len(app.workspace.inbox.records()) == 1, timeout=WAIT)


# -- 5. the watched folder's path can be typed ---------------------------------------------
def test_watched_folder_path_can_be_typed(qtbot, app, tmp_path) -> None:
    folder = tmp_path / "scanner"
    folder.mkdir()
    panel = app.window.open_watch_panel()
    assert not panel.folder.isReadOnly()
    panel.folder.setFocus()
    panel.folder.selectAll()
    qtbot.keyClicks(panel.folder, str(tmp_path / "nowhere"))
    qtbot.keyClick(panel.folder, Qt.Key.Key_Return)
    assert app.watch.folder != str(tmp_path / "nowhere")
    assert panel.folder_error.isVisibleTo(panel) and panel.folder_error.text()
    panel.folder.selectAll()
    qtbot.keyClicks(panel.folder, str(folder))
    qtbot.keyClick(panel.folder, Qt.Key.Key_Return)
    assert app.watch.folder == str(folder)
    assert not panel.folder_error.isVisibleTo(panel)
    assert panel.toggle.isEnabled()
    panel.close()


# -- 9. new case, title, plural forms -------------------------------------------------------
def test_new_case_lists_family_first_and_preselects_nothing(qtbot, app) -> None:
    dialog = app.window.case_bar.ask_new_case()
    ids = [dialog.profile.itemData(i) for i in range(dialog.profile.count())]
    assert dialog.profile.currentData() is None  # nothing chosen for the user
    assert not dialog._ok.isEnabled()
    dialog.name.setText("Jan Peeters")
    assert not dialog._ok.isEnabled()  # still no category
    chosen = [i for i in ids if i]
    assert chosen[0] == "spouse_of_chinese_citizen"
    assert chosen.index("elderly_relative") < chosen.index("employment")
    assert chosen[-1] == "special_contribution"
    dialog.profile.setCurrentIndex(dialog.profile.findData("employment"))
    assert dialog._ok.isEnabled()
    dialog.date._edit.setText("31.02.2027")  # no such day: said, and nothing created
    dialog.accept()
    assert dialog.date.error.text() and dialog.result() == 0
    dialog.date._edit.setText("2027年3月1日")
    dialog.accept()
    qtbot.waitUntil(lambda: app.workspace.current_case is not None, timeout=WAIT)
    assert app.workspace.current_case.submission_date == dt.date(2027, 3, 1)
    again = app.window.case_bar.ask_new_case()
    assert again.profile.currentData() == "employment"  # the last used
    again.reject()


def shown_title(window) -> str:
    """The title the window manager shows: Qt adds the display name unless it ends the title."""
    title, app_name = window.windowTitle(), APP_TITLE  # app.py makes APP_TITLE the display name
    return title if title.endswith(app_name) else f"{title} — {app_name}"


def test_window_title_says_yongju_once(qtbot, app) -> None:
    assert shown_title(app.window).count("Yongju") == 1, shown_title(app.window)
    make_case(qtbot, app)
    assert shown_title(app.window) == "Jan Peeters — Yongju 永居"


def test_status_bar_uses_plural_forms(qtbot, qapp, app) -> None:
    from yongju.ui.common.i18n import ENGLISH, Translations

    translations = Translations(qapp, ENGLISH)  # as run_gui installs it before the window
    try:
        app.watch.documents_arrived.emit(1)
        wanted = "1 new document from the watched folder is in the inbox."
        assert app.window.message.text() == wanted
        app.watch.documents_arrived.emit(3)
        wanted = "3 new documents from the watched folder are in the inbox."
        assert app.window.message.text() == wanted
    finally:
        translations.apply("")
        translations.deleteLater()


# -- 8. the requirement's rule where the eye is ---------------------------------------------
def test_a_requirements_rule_shows_under_its_title_with_named_sources(qtbot, app) -> None:
    make_case(qtbot, app)
    window = app.window
    window.resize(1280, 720)
    select_slot(qtbot, app, "sp_marriage_cert")
    rule = window.slot_rule
    assert rule.isVisibleTo(window)
    assert window.slot_grid.isAncestorOf(rule)  # in the requirement's pane, above its documents
    qtbot.waitUntil(lambda: rule.geometry().bottom() <= window.slot_grid.view.geometry().top())
    slot = app.workspace.slot_status().slot
    text = rule.text()
    assert slot.hint[:40] in text
    assert "[" not in text.split("Sources:")[1]  # names, not keys like [BJ-TAL]
    assert "<a href='http" in text
    rule.info.linkActivated.emit("https://example.org/rules")
    assert [u.toString() for u in app.opened] == ["https://example.org/rules"]
    select_slot(qtbot, app, "passport")
    assert app.workspace.slot_status().slot.title_en.split()[0] in window.slot_grid._title.text()


# -- 7. nothing a user must read is clipped ----------------------------------------------
@pytest.fixture
def tile_font(qtbot) -> QFont:
    """The font tiles are drawn in: an inbox grid's, built as the window builds it (the two
    tests below only measure text, and a whole window cost them 0.1 s of CPU each)."""
    from yongju.ui.documents.grid import DocumentGrid
    from yongju.ui.documents.model import DocumentModel

    grid = DocumentGrid("Inbox", DocumentModel("inbox"))
    qtbot.addWidget(grid)
    return grid.view.font()


def test_two_different_suggestions_read_differently_on_their_pills(tile_font, profiles) -> None:
    from yongju.ui.documents.tile_delegate import suggestion_text

    font = tile_font
    profile = profiles.get("spouse_of_chinese_citizen")
    titles = [s.title_en for s in profile.slots] + [s.title_zh for s in profile.slots]
    pills = [suggestion_text(title, font) for title in titles]
    assert len(set(pills)) == len(set(titles)), [p for p in pills if pills.count(p) > 1]


def test_state_words_fit_their_column_on_two_lines(qtbot, app) -> None:
    make_case(qtbot, app)
    tree = app.window.checklist.tree
    tree.resize(495, 600)
    width = tree.header().sectionSize(1) - 22 - 12  # the icon and margins
    metrics = tree.fontMetrics()
    from yongju.core.checklist import SlotState
    from yongju.ui.common.state_icons import state_words

    for state in SlotState:
        words = state_words(state)
        lines = metrics.boundingRect(0, 0, width, 1000, Qt.TextFlag.TextWordWrap, words)
        assert lines.height() <= 2 * metrics.lineSpacing(), words
        assert max(metrics.horizontalAdvance(w) for w in words.split()) <= width, words
    assert tree.wordWrap()


def test_export_warnings_wrap_and_show_without_sideways_scrolling(qtbot, app) -> None:
    make_case(qtbot, app)
    dialog = app.window.menu_actions.export.trigger() or app.window.export_dialog
    warnings = dialog.warnings
    assert warnings.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert warnings.wordWrap()
    line = warnings.fontMetrics().lineSpacing()
    assert warnings.minimumHeight() >= 6 * line  # a spouse case has many open requirements
    dialog.reject()


# -- speed: an import adds what it brought ----------------------------------------------
def test_an_import_adds_its_documents_without_rereading_the_inbox(
    qtbot, app, samples, monkeypatch
) -> None:
    make_case(qtbot, app)
    import_into_inbox(qtbot, app, samples.pdf("already-here.pdf"))
    calls: list[int] = []
    original = app.store.inbox
    monkeypatch.setattr(app.store, "inbox", lambda: calls.append(1) or original())
    finished: list[object] = []
    app.imports.import_finished.connect(finished.append)
    app.imports.start([samples.jpeg(f"new-{i}.jpg") for i in range(5)])
    polls: list[int] = []
    app.workspace.change_timer.timeout.connect(lambda: polls.append(1))  # after the poll's own
    app.workspace.change_timer.setInterval(50)
    qtbot.waitUntil(lambda: bool(finished), timeout=WAIT)
    settle(qtbot, app)
    polls.clear()
    qtbot.waitUntil(lambda: len(polls) >= 2, timeout=WAIT)  # polls of the store have been
    settle(qtbot, app)
    assert calls == []
    names = [i.document.original_name for i in app.workspace.inbox.records()]
    assert names == [f"new-{i}.jpg" for i in reversed(range(5))] + ["already-here.pdf"]
    # As the store has them (background reading may still be updating their reading status,
    # and refreshes the tiles when it has: not this test's business).
    shown = [
        (i.document.id, i.document.sha256, i.document.pages) for i in app.workspace.inbox.records()
    ]
    assert shown == [(d.id, d.sha256, d.pages) for d in original()]


def test_documents_arriving_during_a_refresh_stay_in_the_inbox(
    qtbot, app, samples, monkeypatch
) -> None:
    from yongju.core.importing import import_files

    stale = app.store.inbox()  # what a load that started before the import reads
    (result,) = import_files(app.store, [samples.jpeg("late.jpg")])
    monkeypatch.setattr(app.store, "inbox", lambda: stale)
    app.workspace.refresh()
    assert app.workspace.busy
    app.workspace.add_to_inbox([result.document])  # the import shows it meanwhile
    settle(qtbot, app)
    assert [i.document.original_name for i in app.workspace.inbox.records()] == ["late.jpg"]


def test_tile_titles_break_between_words(tile_font) -> None:
    from PySide6.QtGui import QFontMetrics

    from yongju.ui.documents.tile_delegate import THUMB, _two_lines

    metrics = QFontMetrics(tile_font)
    width = THUMB.width() + 18
    lines = _two_lines("marriage translation certificate", metrics, width).split("\n")
    assert lines[0] == "marriage translation" or lines[0] == "marriage", lines
    assert all(not line.startswith(("n", "ertificate")) for line in lines[1:]), lines


def test_pending_documents_are_read_only_after_the_first_load(qtbot, app, monkeypatch) -> None:
    from yongju.app import _after_first_load

    monkeypatch.setattr("yongju.app.READING_DELAY_MS", 10)  # the order is the point, not the wait
    started: list[bool] = []
    app.workspace.refresh()
    _after_first_load(app.workspace, lambda: started.append(app.workspace.busy))
    assert started == []  # not while the store is being loaded
    qtbot.waitUntil(lambda: bool(started), timeout=WAIT)
    assert started == [False]


def test_suggestions_for_another_profile_come_right_after_a_quick_first_load(
    qtbot, app, samples
) -> None:
    import sqlite3

    (doc_id,) = import_into_inbox(qtbot, app, samples.pdf("marriage certificate.pdf"))
    with sqlite3.connect(app.paths.store / "yongju.db") as db:  # as another profile suggested
        db.execute(
            "update documents set suggested_slot = 'dep_marriage_cert' where id = ?", [doc_id]
        )
    app.workspace.change_timer.stop()
    make_case(qtbot, app)  # a spouse case: its marriage slot is sp_marriage_cert
    workspace = app.workspace
    workspace._loaded_once = workspace._quick_shown = False  # as at start-up
    workspace._suggestions.clear()
    loads: list[object] = []
    workspace.refreshed.connect(
        lambda: loads.append([i.suggested_slot for i in workspace.inbox.records()])
    )
    workspace.refresh()
    qtbot.waitUntil(lambda: bool(loads), timeout=WAIT)
    settle(qtbot, app)
    assert [i.suggested_slot for i in workspace.inbox.records()] == ["sp_marriage_cert"]


def test_the_document_form_fits_its_pane_at_1280(qtbot, app) -> None:
    details = app.window.details
    app.window.resize(1280, 720)
    side = app.window._splitters["main"].sizes()[2]
    assert details.minimumSizeHint().width() <= min(side, 300)  # no sideways scrolling


def test_documents_arriving_while_a_case_loads_get_that_cases_suggestions(
    qtbot, app, samples, monkeypatch
) -> None:
    """An import's documents shown before the case's checklist was (accepting a suggestion
    of the selected tile once did nothing: it had been made without the checklist)."""
    from yongju.core.importing import import_files
    from yongju.core.profiles import all_keywords

    case = app.store.create_case("Jan", "spouse_of_chinese_citizen")
    stale = app.store.inbox()  # what a load that started before the import reads
    keywords = all_keywords(app.profiles.profiles)
    (result,) = import_files(app.store, [samples.pdf("passport-scan.pdf")], keywords=keywords)
    assert result.document.suggested_slot == "passport"
    monkeypatch.setattr(app.store, "inbox", lambda: stale)
    app.workspace.select_case(case.id)
    assert app.workspace.busy and app.workspace.current_checklist is None
    app.workspace.add_to_inbox([result.document])  # the import shows it meanwhile
    settle(qtbot, app)
    (item,) = app.workspace.inbox.records()
    assert item.suggested_slot == "passport"
