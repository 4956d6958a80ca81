"""The details panel: edits become requests (one per finished edit), the slot's rules in words."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from tests.samples import document_record
from yongju.core.profiles import Legalisation, Requirement, Slot, Validity
from yongju.core.records import DocumentRecord, FilingRecord, Role
from yongju.ui.checklist.slot_info import SlotInfo
from yongju.ui.details.panel import DetailsPanel


def _document(**changes: object) -> DocumentRecord:
    values: dict[str, object] = {
        "id": 7,
        "original_name": "crc-scan.pdf",
        "source_path": "/scans/crc-scan.pdf",
        "size": 1000,
        "pages": 2,
        "title": "Criminal record",
    }
    return document_record(**{**values, **changes})


FILING = FilingRecord(
    id=3, case_id=1, slot_id="crc", document_id=7, role=Role.ORIGINAL, position=0, parent_id=None
)
SLOT = Slot(
    id="crc",
    title_en="No-criminal-record certificate",
    title_zh="无犯罪记录证明",
    hint="From every country lived in.",
    requirement=Requirement.REQUIRED,
    copies=1,
    copies_note="Shanghai wants 2",
    translation=True,
    legalisation=Legalisation.APOSTILLE,
    validity=Validity(issued_within_days=180),
    cities=(("beijing", "Original kept."),),
    source="[BJ-FAQ]",
)


@pytest.fixture
def panel(qtbot) -> DetailsPanel:
    widget = DetailsPanel()
    qtbot.addWidget(widget)
    return widget


def test_title_edit_is_one_request_and_unchanged_text_none(qtbot, panel) -> None:
    panel.set_document(_document(), FILING)
    with qtbot.assertNotEmitted(panel.edited):
        panel.title.editingFinished.emit()
    panel.title.setText("  Police certificate (UK) ")
    panel.title.setModified(True)
    with qtbot.waitSignal(panel.edited) as blocker:
        panel.title.editingFinished.emit()
    assert blocker.args == [7, {"title": "Police certificate (UK)"}]
    with qtbot.assertNotEmitted(panel.edited):  # already sent: not again when leaving
        panel.set_document(_document(id=8))


def test_dates_can_be_set_and_cleared(qtbot, panel) -> None:
    panel.set_document(_document(expires=dt.date(2030, 5, 1)))
    assert panel.issued.date() is None and panel.expires.date() == dt.date(2030, 5, 1)
    edit = panel.issued._edit
    edit.setText("14.03.2026")
    with qtbot.waitSignal(panel.edited) as blocker:
        edit.editingFinished.emit()
    assert blocker.args == [7, {"issued": dt.date(2026, 3, 14)}]
    assert edit.text() == "2026-03-14"
    with qtbot.waitSignal(panel.edited) as blocker:
        panel.expires._clear.click()
    assert blocker.args == [7, {"expires": None}]
    assert panel.expires._edit.text() == "" and panel.expires._edit.placeholderText()


def test_language_legalised_notes_and_role(qtbot, panel) -> None:
    panel.set_document(_document(), FILING)
    with qtbot.waitSignal(panel.edited) as blocker:
        panel.language.setCurrentIndex(1)
        panel.language.activated.emit(1)
    assert blocker.args == [7, {"language": "zh"}]
    with qtbot.waitSignal(panel.edited) as blocker:
        panel.legalised.click()
    assert blocker.args == [7, {"legalised": True}]
    panel.notes.setPlainText("Ask the embassy about the seal")
    with qtbot.waitSignal(panel.edited) as blocker:
        panel.notes.clearFocus()
        panel.eventFilter(panel.notes, _focus_out())
    assert blocker.args == [7, {"notes": "Ask the embassy about the seal"}]
    with qtbot.waitSignal(panel.role_changed) as blocker:
        panel.role.setCurrentIndex(2)
        panel.role.activated.emit(2)
    assert blocker.args == [3, "translation"]


def _focus_out():
    from PySide6.QtGui import QFocusEvent

    return QFocusEvent(QFocusEvent.Type.FocusOut, Qt.FocusReason.OtherFocusReason)


def test_showing_a_record_emits_nothing_and_none_disables(qtbot, panel) -> None:
    with qtbot.assertNotEmitted(panel.edited):
        panel.set_document(_document(issued=dt.date(2026, 1, 2), language="zh", legalised=True))
    assert panel.language.currentData() == "zh" and panel.legalised.isChecked()
    assert not panel.role.isEnabled()  # not filed: no role to change
    panel.set_document(None)
    assert not panel.document_box.isEnabled() and panel.title.text() == ""


def test_slot_rules_in_words_and_date_warnings(panel) -> None:
    panel.set_document(_document(), FILING)
    panel.set_slot(SLOT, "Needs a date", "no issue date")
    info = SlotInfo(sources={"BJ-FAQ": "Beijing, FAQ — http://russian.beijing.gov.cn/faqs/"})
    info.set_slot(SLOT, "Needs a date", "no issue date")
    text = info.text()
    for words in (
        "无犯罪记录证明",
        "Issued within 180 days before submission.",
        "apostille",
        "Chinese translation",
        "Bring the original and one copy",
        "Shanghai wants 2",
        "Beijing:",
        "Needs a date",
        "<a href='http://russian.beijing.gov.cn/faqs/'>Beijing, FAQ</a>",
    ):
        assert words in text, words
    assert "[BJ-FAQ]" not in text  # sources by name, not by key
    assert panel.date_warning.text() == "This requirement needs the issue date."
    panel.set_document(_document(issued=dt.date(2026, 5, 1), expires=dt.date(2026, 1, 1)))
    assert panel.date_warning.text() == "The expiry date is before the issue date."
    panel.set_document(_document(issued=dt.date.today() + dt.timedelta(days=3)))
    assert panel.date_warning.text() == "The issue date is in the future."


def test_validity_words_follow_describe(qapp) -> None:
    info = SlotInfo()
    for validity in (
        Validity(issued_within_days=90),
        Validity(not_expired=True),
        Validity(valid_days_after_submission=30, issued_within_days=10),
    ):
        english = [w[0].upper() + w[1:] + "." for w in validity.describe()]
        assert info.validity_words(validity) == english


def test_unconfirmed_typing_is_kept_when_another_document_is_shown(qtbot, panel) -> None:
    panel.set_document(_document(), FILING)
    panel.title.setText("Typed, Enter not pressed")
    panel.title.setModified(True)  # as typing does
    panel.notes.setPlainText("half a thought")
    panel.notes.document().setModified(True)
    seen: list[tuple[int, dict]] = []
    panel.edited.connect(lambda doc_id, changes: seen.append((doc_id, changes)))
    panel.set_document(_document(id=8, title="Other"))
    assert seen == [(7, {"title": "Typed, Enter not pressed"}), (7, {"notes": "half a thought"})]
    assert panel.title.text() == "Other"
    with qtbot.assertNotEmitted(panel.edited):
        panel.set_document(_document(id=9))
