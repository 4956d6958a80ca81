"""The applicant Yongju was first built for records every paper he handed in, and is ready.

A Belgian in Shanghai married to a Chinese citizen: a Chinese marriage certificate, his wife's
ID card and household register, RMB 200,000 frozen for a year, a Belgian police certificate
with its apostille and translation, and letters from the Belgian consulate in Shanghai (which
need no apostille, only a translation).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from tests.samples import Samples
from yongju.core.checklist import SlotState, build_checklist
from yongju.core.importing import import_files
from yongju.core.packet import PacketOptions, export_packet
from yongju.core.profiles import ProfileSet
from yongju.core.records import Origin, Role
from yongju.core.store import Store

TODAY = dt.date(2026, 12, 1)
SUBMISSION = dt.date(2027, 3, 1)
CHINA = {"issued_in": Origin.CHINA, "language": "zh"}

# slot, file name, role, details
PAPERS: list[tuple[str, str, Role, dict[str, object]]] = [
    ("application_form", "申请表.jpg", Role.ORIGINAL, CHINA),
    ("photo_print", "photo.jpg", Role.ORIGINAL, {}),
    ("passport", "paspoort.jpg", Role.ORIGINAL, {"expires": dt.date(2031, 6, 30)}),
    ("health_certificate", "体检.jpg", Role.ORIGINAL, {**CHINA, "issued": dt.date(2026, 11, 20)}),
    ("ncr_foreign", "uittreksel-strafregister.jpg", Role.ORIGINAL,
     {"issued_in": Origin.ABROAD, "language": "nl", "issued": dt.date(2026, 10, 12)}),
    ("ncr_foreign", "apostille.jpg", Role.LEGALISATION, {"issued": dt.date(2026, 10, 20)}),
    ("ncr_foreign", "vertaling.jpg", Role.TRANSLATION, {"language": "zh"}),
    ("sp_marriage_cert", "结婚证.jpg", Role.ORIGINAL, {**CHINA, "issued": dt.date(2019, 5, 1)}),
    ("sp_marriage_reg_id", "old-passport-2019.jpg", Role.ORIGINAL, {}),
    ("sp_spouse_id_card", "身份证.jpg", Role.ORIGINAL, {**CHINA, "expires": dt.date(2035, 8, 1)}),
    ("sp_spouse_hukou", "户口簿.jpg", Role.ORIGINAL, CHINA),
    ("sp_financial_proof", "存款冻结证明.jpg", Role.ORIGINAL,
     {**CHINA, "issued": dt.date(2026, 11, 25), "expires": dt.date(2027, 11, 25),
      "legalised": True, "legalised_on": dt.date(2026, 11, 26)}),
    ("sp_housing", "房产证.jpg", Role.ORIGINAL, CHINA),
    ("sp_residence_history", "passport-2016.jpg", Role.ORIGINAL, {}),
    ("sp_residence_history", "出入境记录.jpg", Role.ORIGINAL, CHINA),
    ("sp_income_employment", "完税证明.jpg", Role.ORIGINAL, CHINA),
    ("accommodation_reg", "临时住宿登记.jpg", Role.ORIGINAL, CHINA),
    ("consular_certificates", "consulaat-attest-burgerlijke-staat.jpg", Role.ORIGINAL,
     {"issued_in": Origin.MISSION, "language": "nl", "issued": dt.date(2026, 11, 5)}),
    ("consular_certificates", "vertaling-attest.jpg", Role.TRANSLATION, {"language": "zh"}),
    ("consular_certificates", "consulat-lettre-nom.jpg", Role.ORIGINAL,
     {"issued_in": Origin.MISSION, "language": "fr", "issued": dt.date(2026, 11, 5)}),
    ("consular_certificates", "traduction-lettre.jpg", Role.TRANSLATION, {"language": "zh"}),
    ("other_supporting", "wife-letter.jpg", Role.ORIGINAL, CHINA),
]  # fmt: skip

FACTS = {
    "city": "shanghai",
    "agent": "no",
    "former_chinese": "no",
    "deposit_holder": "applicant",
    "home": "owned",
    "marriage_date": "2019-05-01",
    "resident_since": "2018-09-01",
}


def test_the_belgian_in_shanghai_records_every_paper_and_is_ready(
    tmp_path: Path, store: Store, profiles: ProfileSet, samples: Samples
) -> None:
    case = store.create_case("Jan Peeters", "spouse_of_chinese_citizen", SUBMISSION, facts=FACTS)
    store.decide_slot(case.id, "photo_digital", False, "Shanghai's 2023 list asks for no CD")
    scans = [
        samples.jpeg(name, label=f"paper {i}", width=155, height=219)  # small: quick to export
        for i, (_s, name, _r, _d) in enumerate(PAPERS)
    ]
    results = import_files(store, scans)
    for (slot, _name, role, details), result in zip(PAPERS, results, strict=True):
        assert result.document_id is not None
        store.update_document(result.document_id, **details)
        store.file_document(case.id, slot, result.document_id, role)

    checklist = build_checklist(store, profiles, case.id, today=TODAY)
    assert checklist.ready, checklist.warnings
    states = {s.slot.id: s.state for s in checklist.slots}
    assert states["sp_spouse_pr"] is SlotState.OPTIONAL_EMPTY
    assert states["photo_digital"] is SlotState.NOT_APPLICABLE
    assert states["consular_certificates"] is SlotState.OK  # no apostille for a consulate
    assert [d.state.value for d in checklist.durations] == ["ok", "ok"]
    filed = {f.document_id for s in checklist.slots for f in s.filings}
    assert filed == {r.document_id for r in results}  # every paper he handed in

    # The deposit frozen for a year carries the case well past the planned date.
    assert checklist.status("sp_financial_proof").valid_until == dt.date(2027, 5, 24)
    out = tmp_path / "packet.pdf"
    # The packet's order and ranges, not its cover and stamps (they have tests of their own).
    options = PacketOptions(cover=False, stamp=False)
    result = export_packet(store, profiles, case.id, out, options, today=TODAY)
    slots_in_packet = [r.slot for r in result.ranges]
    assert "consular_certificates" in slots_in_packet and "other_supporting" in slots_in_packet
    manifest = json.loads(result.manifest_json)
    assert manifest["ranges"]
