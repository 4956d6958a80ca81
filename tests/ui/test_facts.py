"""Facts in the window: asked in New Case, editable for a case, undoable; origin in one click."""
# ruff: noqa: F811  (the fixtures "app" and "samples" are imported from test_window)

from __future__ import annotations

import datetime as dt

from tests.samples import document_record
from tests.ui.test_window import WAIT, app, make_case, pytestmark, settle  # noqa: F401
from yongju.core.records import Origin
from yongju.ui.checklist.model import SlotRole
from yongju.ui.details.date_field import DateField
from yongju.ui.details.panel import DetailsPanel


def _state(app, slot_id: str) -> str:
    row = app.workspace.checklist.row_of(slot_id)
    return app.workspace.checklist.index(row, 1).data(SlotRole.STATE)


def test_new_case_asks_the_city_and_the_profiles_facts(qtbot, app) -> None:
    dialog = app.window.case_bar.ask_new_case()
    dialog.name.setText("Jan Peeters")
    dialog.profile.setCurrentIndex(dialog.profile.findData("employment"))
    keys = list(dialog.facts._fields)
    assert keys[0] == "city" and "route" in keys and "marriage_date" not in keys
    dialog.profile.setCurrentIndex(dialog.profile.findData("spouse_of_chinese_citizen"))
    fields = dialog.facts._fields
    assert "marriage_date" in fields and "route" not in fields
    assert isinstance(fields["marriage_date"], DateField)
    fields["city"].setCurrentIndex(fields["city"].findData("shanghai"))
    fields["agent"].setCurrentIndex(fields["agent"].findData("no"))
    fields["marriage_date"].set_date(dt.date(2019, 5, 1))
    dialog.accept()
    qtbot.waitUntil(lambda: app.workspace.current_case is not None, timeout=WAIT)
    case = app.workspace.current_case
    assert dict(case.facts) == {"agent": "no", "city": "shanghai", "marriage_date": "2019-05-01"}
    settle(qtbot, app)
    assert _state(app, "power_of_attorney") == "not_applicable"
    assert _state(app, "sp_marriage_reg_id") == "missing"  # Shanghai lists it


def test_the_facts_of_a_case_are_editable_and_undoable(qtbot, app) -> None:
    make_case(qtbot, app)
    assert _state(app, "power_of_attorney") == "undecided"
    dialog = app.window.case_bar.ask_facts()
    agent = dialog.form._fields["agent"]
    agent.setCurrentIndex(agent.findData("yes"))
    assert dialog.changes() == {"agent": "yes"}
    dialog.accept()
    qtbot.waitUntil(lambda: _state(app, "power_of_attorney") == "missing", timeout=WAIT)
    app.editor.stack.undo()
    qtbot.waitUntil(lambda: _state(app, "power_of_attorney") == "undecided", timeout=WAIT)
    assert app.store.cases()[0].facts == ()


def test_the_origin_is_one_click_in_the_details(qtbot) -> None:
    panel = DetailsPanel()
    qtbot.addWidget(panel)
    panel.set_document(document_record(id=7))
    assert panel.origin.currentData() is None
    with qtbot.waitSignal(panel.edited) as blocker:
        panel.origin.setCurrentIndex(panel.origin.findData("mission"))
        panel.origin.activated.emit(panel.origin.currentIndex())
    assert blocker.args == [7, {"issued_in": Origin.MISSION}]
    with qtbot.waitSignal(panel.edited) as blocker:
        panel.legalised_on.set_date(dt.date(2026, 10, 1))
        panel.legalised_on.date_edited.emit(dt.date(2026, 10, 1))
    assert blocker.args == [7, {"legalised_on": dt.date(2026, 10, 1), "legalised": True}]
    panel.set_document(document_record(id=8, issued_in=Origin.ABROAD))
    assert panel.origin.currentData() == "abroad"
