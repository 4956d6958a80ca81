"""Edits through the real window: each one undoable, each one reaching the store."""
# ruff: noqa: F811  (the fixtures "app" and "samples" are imported from test_window)

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QMimeData, QPoint, QUrl
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from tests.ui.test_window import (  # the same composition-root fixture and helpers
    WAIT,
    app,  # noqa: F401
    drop,
    filed,
    import_into_inbox,
    import_quietly,
    inbox_ids,
    make_case,
    pytestmark,  # noqa: F401
    samples,  # noqa: F401
    settle,
)
from yongju.core.records import Role
from yongju.ui.checklist.decisions import ReasonDialog
from yongju.ui.checklist.model import SlotRole


def test_rotate_exclude_and_edit_are_undoable(qtbot, app, samples) -> None:
    (doc_id,) = import_into_inbox(qtbot, app, samples.pdf("two.pdf", pages=2))
    editor, store = app.editor, app.store
    editor.rotate(doc_id, 1, 90)
    editor.exclude(doc_id, 0, True)
    editor.edit_document(doc_id, title="Birth certificate", issued=dt.date(2026, 9, 1))
    settle(qtbot, app)
    doc = store.document(doc_id)
    assert (doc.page(1).rotation, doc.page(0).excluded) == (90, True)
    assert (doc.title, doc.issued) == ("Birth certificate", dt.date(2026, 9, 1))
    for _ in range(3):
        editor.stack.undo()
    settle(qtbot, app)
    doc = store.document(doc_id)
    assert (doc.page(1).rotation, doc.page(0).excluded, doc.title, doc.issued) == (
        0,
        False,
        "two",
        None,
    )
    assert app.workspace.inbox.record(0).document == doc  # the view shows the store
    editor.stack.redo()
    settle(qtbot, app)
    assert store.document(doc_id).page(1).rotation == 90


def test_preview_and_details_requests_become_commands(qtbot, app, samples) -> None:
    (doc_id,) = import_into_inbox(qtbot, app, samples.pdf("p.pdf", pages=2))
    window = app.window
    window.inbox.view.setCurrentIndex(window.inbox.view_index(0))
    assert window.preview.document.id == doc_id
    window.preview.rotate_requested.emit(doc_id, 0, 270)
    window.details.edited.emit(doc_id, {"notes": "original in the blue folder"})
    settle(qtbot, app)
    doc = app.store.document(doc_id)
    assert doc.page(0).rotation == 270 and doc.notes == "original in the blue folder"
    assert window.preview.document == doc  # the preview got the new record
    assert app.editor.stack.count() == 2


def test_dragging_from_a_slot_to_the_inbox_unfiles(qtbot, app, samples) -> None:
    case_id = make_case(qtbot, app)
    (doc_id,) = import_quietly(app, samples.pdf("marriage.pdf"))
    app.store.file_document(case_id, "sp_marriage_cert", doc_id)
    app.window.checklist.select_slot("sp_marriage_cert")
    qtbot.waitUntil(lambda: app.workspace.slot_documents.rowCount() == 1, timeout=WAIT)
    settle(qtbot, app)
    model = app.workspace.slot_documents
    viewport = app.window.inbox.view.viewport()
    drop(viewport, model.mimeData([model.index(0)]), viewport.rect().center())
    qtbot.waitUntil(lambda: inbox_ids(app) == [doc_id], timeout=WAIT)
    assert filed(app, "sp_marriage_cert") == []
    assert app.editor.stack.undoText() == "Remove from slot"


def test_delete_key_removes_selected_documents_from_the_slot(qtbot, app, samples) -> None:
    case_id = make_case(qtbot, app)
    (doc_id,) = import_quietly(app, samples.pdf("bank.pdf"))
    app.store.file_document(case_id, "sp_financial_proof", doc_id)
    app.window.checklist.select_slot("sp_financial_proof")
    qtbot.waitUntil(lambda: app.workspace.slot_documents.rowCount() == 1, timeout=WAIT)
    grid = app.window.slot_grid
    grid.view.setCurrentIndex(grid.view_index(0))
    app.window.menu_actions.delete.trigger()
    qtbot.waitUntil(lambda: inbox_ids(app) == [doc_id], timeout=WAIT)


def test_paste_imports_files_named_on_the_clipboard(qtbot, app, samples) -> None:
    scan = samples.jpeg("pasted.jpg")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(scan))])
    clipboard = QApplication.clipboard()
    clipboard.setMimeData(mime)
    try:
        app.window.menu_actions.paste.trigger()
        qtbot.waitUntil(lambda: len(inbox_ids(app)) == 1, timeout=WAIT)
        assert app.workspace.inbox.record(0).document.original_name == "pasted.jpg"
    finally:
        # The clipboard owns the QMimeData; left there, Qt would delete its Python wrapper
        # after the interpreter is gone, and the test process would crash at exit.
        clipboard.clear()


def test_rename_and_delete_case_with_confirmation(qtbot, app) -> None:
    make_case(qtbot, app)
    bar = app.window.case_bar
    rename = bar.ask_rename()
    rename.setTextValue("Jan Peeters-Wang")
    rename.accept()
    qtbot.waitUntil(lambda: bar.cases.currentText() == "Jan Peeters-Wang", timeout=WAIT)
    box = bar.ask_delete()
    assert "Jan Peeters-Wang" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    settle(qtbot, app)
    assert len(app.store.cases()) == 1
    box = bar.ask_delete()
    delete = next(b for b in box.buttons() if b.text() == "Delete")
    delete.click()
    qtbot.waitUntil(lambda: app.store.cases() == [], timeout=WAIT)
    settle(qtbot, app)
    assert app.workspace.current_case is None
    assert app.window.checklist.headline() == "No case selected"


def test_dropping_files_on_the_slot_grid_files_them_at_the_drop(qtbot, app, samples) -> None:
    case_id = make_case(qtbot, app)
    (first,) = import_quietly(app, samples.pdf("old-passport-1.pdf"))
    app.store.file_document(case_id, "sp_residence_history", first)
    app.window.checklist.select_slot("sp_residence_history")
    qtbot.waitUntil(lambda: app.workspace.slot_documents.rowCount() == 1, timeout=WAIT)
    settle(qtbot, app)
    grid = app.window.slot_grid
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(samples.pdf("old-passport-2.pdf")))])
    upper_half = grid.tile_rect(0).center() - QPoint(0, 20)  # before the first tile
    event = drop(grid.view.viewport(), mime, upper_half)
    assert event.isAccepted()
    qtbot.waitUntil(lambda: len(filed(app, "sp_residence_history")) == 2, timeout=WAIT)
    settle(qtbot, app)
    names = [i.document.original_name for i in app.workspace.slot_documents.records()]
    assert names == ["old-passport-2.pdf", "old-passport-1.pdf"]
    assert inbox_ids(app) == []


def test_deleting_an_inbox_document_asks_first(qtbot, app, samples) -> None:
    scan = samples.jpeg("junk.jpg")
    assert len(import_into_inbox(qtbot, app, scan)) == 1
    grid = app.window.inbox
    grid.view.setCurrentIndex(grid.view_index(0))
    box = app.window.documents.ask_delete([grid.model.record(0).document], app.window)
    assert box.text() == "Delete 1 document from Yongju?"
    next(b for b in box.buttons() if b.text() == "Delete").click()
    qtbot.waitUntil(lambda: inbox_ids(app) == [], timeout=WAIT)
    assert app.store.documents() == [] and scan.is_file()  # the original is untouched


def test_export_from_the_dialog_writes_the_filed_pages_in_order(qtbot, app, samples, tmp_path):
    from pypdf import PdfReader

    case_id = make_case(qtbot, app)
    passport, marriage = import_quietly(
        app, samples.pdf("passport.pdf", pages=2), samples.pdf("marriage.pdf", pages=3)
    )
    app.store.file_document(case_id, "passport", passport)
    app.store.file_document(case_id, "sp_marriage_cert", marriage)
    app.editor.exclude(marriage, 1, True)  # a blank back page left out
    settle(qtbot, app)
    app.window.menu_actions.export.trigger()
    dialog = app.window.export_dialog
    target = tmp_path / "out" / "packet.pdf"
    target.parent.mkdir()
    dialog.form.path.setText(str(target))
    dialog.form.cover.setChecked(False)
    dialog.form.stamp.setChecked(False)  # the pages and their order are the point here
    assert not dialog.export_button.isEnabled()  # incomplete: it asks first
    dialog.confirm.setChecked(True)
    results: list[object] = []
    dialog.exported.connect(results.append)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: bool(results), timeout=30_000)
    pages = PdfReader(target).pages
    assert len(pages) == 2 + 2  # passport first (profile order), then 2 of 3 marriage pages
    assert app.store.exports(case_id)[0].pages == 4
    dialog.close()


def test_ctrl_return_files_the_selection_into_its_suggestion(qtbot, app, samples) -> None:
    make_case(qtbot, app)
    ids = import_into_inbox(qtbot, app, samples.pdf("passport-scan.pdf"), samples.pdf("x.pdf"))
    grid = app.window.inbox
    grid.view.selectAll()
    app.window.menu_actions.accept_suggestion.trigger()
    suggested = next(d for d in ids if app.store.document(d).suggested_slot == "passport")
    qtbot.waitUntil(lambda: filed(app, "passport") == [suggested], timeout=WAIT)
    settle(qtbot, app)
    assert len(inbox_ids(app)) == 1  # the one without a suggestion stays


def test_slot_menu_marks_a_slot_not_applicable_and_back(qtbot, app) -> None:
    make_case(qtbot, app)
    row = app.workspace.checklist.row_of("ncr_china")
    state = lambda: app.workspace.checklist.index(row, 1).data(SlotRole.STATE)  # noqa: E731
    before = state()
    menu = app.window.slot_menu("ncr_china")
    texts = [a.text() for a in menu.actions()]
    assert texts == [
        "Import Files into This Slot…",
        "Applies to This Case",
        "Does Not Apply to This Case…",
    ]
    menu.actions()[2].trigger()
    dialog = app.window.findChild(ReasonDialog)
    assert dialog is not None
    dialog.reason.setText("The Shanghai office does not ask for it")
    dialog.accept()
    qtbot.waitUntil(lambda: state() == "not_applicable", timeout=WAIT)
    case = app.store.cases()[0]
    assert case.decision("ncr_china").reason == "The Shanghai office does not ask for it"
    menu.deleteLater()
    menu = app.window.slot_menu("ncr_china")
    assert [a.text() for a in menu.actions()][-1] == "Let the Facts Decide Again"
    app.editor.stack.undo()
    qtbot.waitUntil(lambda: state() == before, timeout=WAIT)
    menu.deleteLater()


def test_a_required_slot_needs_a_reason_to_not_apply(qtbot, app) -> None:
    make_case(qtbot, app)
    menu = app.window.slot_menu("sp_spouse_hukou")
    menu.actions()[2].trigger()
    dialog = app.window.findChild(ReasonDialog)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.reason.setText("Spouse registered abroad")
    assert ok.isEnabled()
    dialog.reject()
    menu.deleteLater()


def test_an_expiry_entered_in_the_details_updates_the_checklist(qtbot, app, samples) -> None:
    case_id = make_case(qtbot, app, dt.date(2027, 3, 1))
    (doc_id,) = import_quietly(app, samples.pdf("pp.pdf"))
    app.store.file_document(case_id, "passport", doc_id)
    app.window.checklist.select_slot("passport")
    qtbot.waitUntil(lambda: app.workspace.slot_documents.rowCount() == 1, timeout=WAIT)
    settle(qtbot, app)
    row = app.workspace.checklist.row_of("passport")
    state = lambda: app.workspace.checklist.index(row, 1).data(SlotRole.STATE)  # noqa: E731
    assert state() == "needs_date"
    grid = app.window.slot_grid
    grid.view.setCurrentIndex(grid.view_index(0))
    app.window.details.edited.emit(doc_id, {"expires": dt.date(2027, 1, 31)})
    qtbot.waitUntil(lambda: state() == "expires_before_submission", timeout=WAIT)
    app.window.details.edited.emit(doc_id, {"expires": dt.date(2030, 1, 31)})
    qtbot.waitUntil(lambda: state() == "ok", timeout=WAIT)
    assert app.workspace.checklist.index(row, 3).data() == "2030-01-31"


def test_dragging_from_one_slot_onto_another_moves_in_one_undo_step(qtbot, app, samples):
    from PySide6.QtCore import Qt

    from tests.ui.test_window import slot_row_pos

    case_id = make_case(qtbot, app)
    (doc_id,) = import_quietly(app, samples.pdf("misfiled.pdf"))
    app.store.file_document(case_id, "ncr_china", doc_id)
    app.window.checklist.select_slot("ncr_china")
    qtbot.waitUntil(lambda: app.workspace.slot_documents.rowCount() == 1, timeout=WAIT)
    settle(qtbot, app)
    model = app.workspace.slot_documents
    tree = app.window.checklist.tree
    drop(
        tree.viewport(),
        model.mimeData([model.index(0)]),
        slot_row_pos(app, "ncr_foreign"),
        Qt.DropAction.MoveAction,
    )
    qtbot.waitUntil(lambda: filed(app, "ncr_foreign") == [doc_id], timeout=WAIT)
    settle(qtbot, app)
    assert filed(app, "ncr_china") == []
    assert app.editor.stack.undoText().startswith("Move to No-criminal-record")
    app.editor.stack.undo()
    qtbot.waitUntil(lambda: filed(app, "ncr_china") == [doc_id], timeout=WAIT)
    settle(qtbot, app)
    assert filed(app, "ncr_foreign") == []


def test_renaming_a_case_that_moves_in_the_list_keeps_it_selected(qtbot, app) -> None:
    app.store.create_case("Li Mei", "child_joining_parents")
    case_id = make_case(qtbot, app)  # "Jan Peeters" sorts before "Li Mei"
    app.editor.edit_case(case_id, name="Zhang Wei")  # now it sorts after
    bar = app.window.case_bar
    qtbot.waitUntil(
        lambda: [c.name for c in app.workspace.cases.records()] == ["Li Mei", "Zhang Wei"],
        timeout=WAIT,
    )
    settle(qtbot, app)
    assert app.workspace.case_id == case_id
    assert bar.cases.currentText() == "Zhang Wei"


def test_the_submission_date_can_be_cleared(qtbot, app) -> None:
    case_id = make_case(qtbot, app, dt.date(2027, 3, 1))
    assert "2027-03-01" in app.window.checklist.detail()
    app.window.case_bar.date.clear()
    qtbot.waitUntil(lambda: app.store.case(case_id).submission_date is None, timeout=WAIT)
    qtbot.waitUntil(lambda: "No submission date" in app.window.checklist.detail(), timeout=WAIT)


def _layout(store, case_id: int, slot_id: str) -> list[tuple]:
    """A slot as documents see it: ids change on undo, documents and links must not."""
    filings = [f for f in store.filings(case_id) if f.slot_id == slot_id]
    doc_of = {f.id: f.document_id for f in filings}
    return [
        (
            f.document_id,
            f.role,
            f.position,
            doc_of.get(f.parent_id) if f.parent_id else None,
            tuple(sorted(doc_of[c] for c in f.covers)),
        )
        for f in filings
    ]


def _filing(store, case_id: int, doc_id: int):
    return next(f for f in store.filings(case_id) if f.document_id == doc_id)


def _five_filed(qtbot, app, samples) -> tuple[int, list[int]]:
    """Two originals, each with a translation, and one apostille covering both."""
    case_id = make_case(qtbot, app)
    store = app.store
    docs = import_quietly(app, *(samples.jpeg(f"d{i}.jpg") for i in range(5)))
    first = store.file_document(case_id, "passport", docs[0])
    second = store.file_document(case_id, "passport", docs[1])
    store.file_document(case_id, "passport", docs[2], Role.TRANSLATION, first.id)
    store.file_document(case_id, "passport", docs[3], Role.TRANSLATION, second.id)
    apostille = store.file_document(case_id, "passport", docs[4], Role.LEGALISATION, first.id)
    store.set_covers(apostille.id, second.id, True)
    store.move_filing(_filing(store, case_id, docs[2]).id, 1)  # first, its translation, ...
    app.workspace.select_case(case_id)
    settle(qtbot, app)
    return case_id, docs


def test_undoing_an_unfiling_brings_back_its_translation_and_legalisation(
    qtbot, app, samples
) -> None:
    case_id, docs = _five_filed(qtbot, app, samples)
    store = app.store
    before = _layout(store, case_id, "passport")
    for doc_id in (docs[0], docs[1]):  # each original in turn, then both together
        app.editor.unfile([_filing(store, case_id, doc_id)])
        settle(qtbot, app)
        assert doc_id not in [f.document_id for f in store.filings(case_id)]
        app.editor.stack.undo()
        settle(qtbot, app)
        assert _layout(store, case_id, "passport") == before
    app.editor.unfile([_filing(store, case_id, d) for d in (docs[2], docs[0], docs[4])])
    settle(qtbot, app)
    assert [f.document_id for f in store.filings(case_id)] == [docs[1], docs[3]]
    app.editor.stack.undo()
    settle(qtbot, app)
    assert _layout(store, case_id, "passport") == before
    app.editor.stack.redo()
    settle(qtbot, app)
    assert [f.document_id for f in store.filings(case_id)] == [docs[1], docs[3]]


def test_undoing_a_role_change_restores_the_translation_to_its_own_original(
    qtbot, app, samples
) -> None:
    case_id, docs = _five_filed(qtbot, app, samples)
    store = app.store
    before = _layout(store, case_id, "passport")
    for doc_id, role in (
        (docs[2], Role.ORIGINAL),  # the first original's translation becomes an original
        (docs[4], Role.TRANSLATION),  # the apostille covering both becomes a translation
        (docs[0], Role.LEGALISATION),  # an original with a translation and an apostille
    ):
        app.editor.set_role(_filing(store, case_id, doc_id), role)
        settle(qtbot, app)
        assert _filing(store, case_id, doc_id).role is role
        app.editor.stack.undo()
        settle(qtbot, app)
        assert _layout(store, case_id, "passport") == before
        app.editor.stack.redo()
        settle(qtbot, app)
        assert _filing(store, case_id, doc_id).role is role
        app.editor.stack.undo()
        settle(qtbot, app)
        assert _layout(store, case_id, "passport") == before


def test_the_case_bar_creates_a_case_selects_it_and_deletes_it_with_its_history(qtbot, app) -> None:
    bar = app.window.case_bar
    bar.create_requested.emit("Jan Peeters", "spouse_of_chinese_citizen", None, None)
    qtbot.waitUntil(lambda: app.workspace.case_id is not None, timeout=WAIT)
    settle(qtbot, app)
    (case,) = app.store.cases()
    assert (case.name, app.workspace.case_id) == ("Jan Peeters", case.id)
    assert app.window.message.text() == "Created the case “Jan Peeters”."
    assert app.window.windowTitle().startswith("Jan Peeters — ")
    app.editor.set_submission_date(case.id, dt.date(2027, 3, 1))
    settle(qtbot, app)
    assert app.editor.stack.count() == 1
    bar.delete_requested.emit(case.id)
    qtbot.waitUntil(lambda: app.workspace.case_id is None, timeout=WAIT)
    settle(qtbot, app)
    assert app.store.cases() == []
    assert app.editor.stack.count() == 0  # its commands named a case that is gone
    assert app.workspace.current_checklist is None
