"""The case bar shows what was exported for the case, and opens each export's manifest."""
# ruff: noqa: F811  (the fixtures "app" and "samples" are imported from test_window)

from __future__ import annotations

import json
from pathlib import Path

from tests.ui.test_window import (  # the same composition-root fixture and helpers
    WAIT,
    app,  # noqa: F401
    import_quietly,
    make_case,
    pytestmark,  # noqa: F401
    samples,  # noqa: F401
    settle,
)
from yongju.core.packet import PacketOptions
from yongju.core.packet.case import export_packet


def test_the_case_bar_shows_the_last_export_and_each_manifest(
    qtbot, app, samples, tmp_path
) -> None:
    case_id = make_case(qtbot, app)
    history = app.window.case_bar.history
    assert history.isHidden()  # nothing exported yet: nothing to say
    (passport,) = import_quietly(app, samples.pdf("passport.pdf", pages=2))
    app.store.file_document(case_id, "passport", passport)
    # No cover and no stamps: the history is the point, and laying them out costs seconds.
    options = PacketOptions(allow_incomplete=True, cover=False, stamp=False)
    packets = [tmp_path / "first.pdf", tmp_path / "packet.pdf"]
    for packet in packets:  # as `yongju export` in another process would
        export_packet(app.store, app.profiles, case_id, packet, options)
    app.workspace.refresh()
    qtbot.waitUntil(lambda: len(history.records) == 2, timeout=WAIT)
    last = app.store.exports(case_id)[-1]
    stamp = f"{last.created_at.astimezone():%Y-%m-%d %H:%M}"
    assert history.isVisible()
    assert history.text() == f"Last exported {stamp} → packet.pdf"
    actions = history.menu().actions()
    assert [a.text().split(" → ")[1] for a in actions] == [
        f"{packets[1]} ({last.pages} pages)",  # newest first
        f"{packets[0]} ({last.pages} pages)",
    ]
    actions[1].trigger()
    dialog = history.dialog
    assert dialog is not None and dialog.isVisible()
    shown = json.loads(dialog.manifest.toPlainText())
    written = Path(f"{packets[0]}.manifest.json").read_text(encoding="utf-8")
    assert shown == json.loads(written)  # the record of what was handed in
    dialog.reject()
    other = app.store.create_case("Li Na", "employment")
    app.workspace.select_case(other.id)
    settle(qtbot, app)
    qtbot.waitUntil(lambda: history.isHidden(), timeout=WAIT)
    app.workspace.select_case(case_id)
    qtbot.waitUntil(lambda: history.isVisible(), timeout=WAIT)
