"""Checklist problems in the interface language: the window words them as core does."""

from __future__ import annotations

import datetime as dt

from tests.samples import document_record
from yongju.core.checklist import PROBLEM_TEMPLATES, SlotState, compute_slot
from yongju.core.profiles import Legalisation, Slot, Validity
from yongju.core.records import CaseRecord, FilingRecord, Origin, Role
from yongju.ui.common.i18n import CHINESE, ENGLISH, Translations
from yongju.ui.common.slot_text import PROBLEM_TEXTS, slot_message

TODAY = dt.date(2026, 11, 27)


def _status():
    slot = Slot(
        id="ncr",
        title_en="Police certificate",
        title_zh="无犯罪记录证明",
        translation=True,
        legalisation=Legalisation.APOSTILLE,
        validity=Validity(issued_within_days=180),
    )
    case = CaseRecord(1, "A", "p", dt.date(2027, 3, 1), "", dt.datetime(2026, 1, 1))
    doc = document_record(
        id=1, title="Belgian certificate", issued=dt.date(2026, 6, 1), issued_in=Origin.ABROAD
    )
    filing = FilingRecord(1, 1, "ncr", 1, Role.ORIGINAL, 0, None)
    return compute_slot(slot, case, [filing], {1: doc}, TODAY)


def test_the_window_words_every_problem_as_core_does() -> None:
    assert {k.value: v for k, v in PROBLEM_TEMPLATES.items()} == PROBLEM_TEXTS


def test_problems_are_shown_in_the_interface_language(qapp) -> None:
    status = _status()
    assert status.state is SlotState.EXPIRES_BEFORE_SUBMISSION
    assert slot_message(status) == status.message
    assert "is valid only until 2026-11-28, before 2027-03-01" in status.message
    translations = Translations(qapp, CHINESE)
    try:
        chinese = slot_message(status)
        assert "“Belgian certificate”仅在 2026-11-28 前有效，早于 2027-03-01" in chinese
        assert "需要中文译文" in chinese and "需要海牙认证或领事认证" in chinese
    finally:
        translations.apply(ENGLISH)
