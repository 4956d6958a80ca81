"""The export dialog names, before anything is written, the characters no font can print."""

# ruff: noqa: F811  (the fixtures "app" and "samples" are imported from test_window)
from __future__ import annotations

from tests.ui.test_window import (  # the same composition-root fixture and helpers
    app,  # noqa: F401
    import_quietly,
    make_case,
    pytestmark,  # noqa: F401
    samples,  # noqa: F401
    settle,
)


def test_unprintable_characters_are_listed_before_export(qtbot, app, samples) -> None:
    case_id = make_case(qtbot, app)
    (doc_id,) = import_quietly(app, samples.pdf("passport.pdf"))
    app.store.file_document(case_id, "passport", doc_id)
    app.store.update_document(doc_id, title="Passport 𓀀 王喆")
    app.workspace.refresh()
    settle(qtbot, app)
    app.window.menu_actions.export.trigger()
    dialog = app.window.export_dialog
    texts = [dialog.warnings.item(i).text() for i in range(dialog.warnings.count())]
    assert "𓀀 (U+13000)" in texts[0]  # first, above what the checklist lacks
    assert not any("喆" in text for text in texts)  # the whole Chinese face prints it
    dialog.close()
