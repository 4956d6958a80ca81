"""Exporting a stored case: readiness, order inside a slot, the store's history, the CLI."""

from __future__ import annotations

import datetime as dt
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pypdf
import pytest

from tests import soak
from tests.launcher import Launcher
from tests.samples import Samples
from yongju.cli import run
from yongju.core.checklist import build_checklist
from yongju.core.errors import ExportError
from yongju.core.importing import import_files
from yongju.core.packet import PacketOptions, export_packet
from yongju.core.profiles import ProfileSet, Slot
from yongju.core.records import Origin, Role
from yongju.core.store import Store

TODAY = dt.date(2026, 11, 27)
PROFILE = "spouse_of_chinese_citizen"
SPOUSE_FACTS = {
    "city": "shanghai",
    "agent": "no",
    "former_chinese": "no",
    "deposit_holder": "applicant",
    "home": "owned",
    "marriage_date": "2019-05-01",
    "resident_since": "2018-09-01",
}


def applying(store: Store, profiles: ProfileSet, case_id: int) -> list[Slot]:
    """The slots that apply to a case (required, or decided to apply), in profile order."""
    checklist = build_checklist(store, profiles, case_id, today=TODAY)
    return [s.slot for s in checklist.slots if s.applies]


def ready_case(store: Store, profiles: ProfileSet, samples: Samples) -> int:
    """A spouse case with every required slot filed by a one-page scan, dated and in order."""
    case = store.create_case(
        "Jan Peeters 杨", PROFILE, TODAY + dt.timedelta(days=30), facts=SPOUSE_FACTS
    )
    for slot_id in ("photo_digital", "accommodation_reg"):  # the facts leave these open
        store.decide_slot(case.id, slot_id, False, "Not asked for by the Shanghai office")
    required = applying(store, profiles, case.id)
    results = import_files(store, [samples.jpeg(f"{s.id}.jpg") for s in required])
    for slot, result in zip(required, results, strict=True):
        assert result.document is not None
        store.file_document(case.id, slot.id, result.document.id)
        store.update_document(
            result.document.id,
            issued=TODAY - dt.timedelta(days=10),
            expires=dt.date(2030, 1, 1),
            language="zh",
            issued_in=Origin.CHINA,
            legalised=True,
        )
    return case.id


def test_a_ready_case_exports_in_profile_order_and_is_recorded(
    tmp_path: Path, store: Store, profiles: ProfileSet, samples: Samples
) -> None:
    case_id = ready_case(store, profiles, samples)
    out = tmp_path / "packet.pdf"
    options = PacketOptions(stamp=False)  # the stamps have tests of their own
    result = export_packet(store, profiles, case_id, out, options, today=TODAY)
    required = [s.id for s in applying(store, profiles, case_id)]
    assert [r.slot for r in result.ranges] == required
    cover_pages = json.loads(result.manifest_json)["cover_pages"]
    assert cover_pages >= 2 and result.pages == cover_pages + len(required)  # one page each
    assert [r.packet_pages for r in result.ranges] == [
        (cover_pages + i,) for i in range(1, len(required) + 1)
    ]
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == result.pages
        with pdf.open_outline() as outline:
            assert len(outline.root) == len(required)  # one bookmark per filled slot
    history = store.exports(case_id)
    assert [(e.pages, e.size, e.sha256) for e in history] == [
        (result.pages, out.stat().st_size, result.sha256)
    ]
    assert json.loads(history[0].manifest)["ranges"][0]["slot"] == required[0]


def test_inside_a_slot_original_then_legalisation_then_translation(
    tmp_path: Path, store: Store, profiles: ProfileSet, samples: Samples
) -> None:
    case = store.create_case("Ana", PROFILE)
    names = ["cert_a", "translation_a", "apostille_a", "cert_b", "translation_b"]
    docs = [
        r.document.id
        for r in import_files(store, [samples.jpeg(f"{n}.jpg") for n in names])
        if r.document is not None
    ]
    slot = "sp_marriage_cert"
    a = store.file_document(case.id, slot, docs[0])
    store.file_document(case.id, slot, docs[1], role=Role.TRANSLATION, parent_id=a.id)
    store.file_document(case.id, slot, docs[2], role=Role.LEGALISATION, parent_id=a.id)
    b = store.file_document(case.id, slot, docs[3])
    store.file_document(case.id, slot, docs[4], role=Role.TRANSLATION, parent_id=b.id)
    result = export_packet(
        store,
        profiles,
        case.id,
        tmp_path / "p.pdf",
        PacketOptions(allow_incomplete=True, cover=False),
        today=TODAY,
    )
    assert [(r.document_id, r.role) for r in result.ranges] == [
        (docs[0], "original"),
        (docs[2], "legalisation"),
        (docs[1], "translation"),
        (docs[3], "original"),
        (docs[4], "translation"),
    ]
    assert [r.packet_pages for r in result.ranges] == [(1,), (2,), (3,), (4,), (5,)]


def test_an_incomplete_case_is_refused_unless_allowed_and_its_cover_says_why(
    tmp_path: Path, store: Store, profiles: ProfileSet
) -> None:
    """Refused, nothing written; allowed, the cover and contents say what is missing, why
    slots do not apply and what is left to decide (one export for both: a cover costs ~1 s)."""
    case = store.create_case(
        "Mia", PROFILE, TODAY - dt.timedelta(days=3), facts={"city": "shanghai", "agent": "no"}
    )
    store.decide_slot(case.id, "sp_spouse_hukou", False, "Spouse registered in Hong Kong")
    out = tmp_path / "p.pdf"
    with pytest.raises(ExportError, match=r"not ready.*--allow-incomplete"):
        export_packet(store, profiles, case.id, out, today=TODAY)
    assert not out.exists() and store.exports(case.id) == []
    options = PacketOptions(allow_incomplete=True, stamp=False)
    result = export_packet(store, profiles, case.id, out, options, today=TODAY)
    assert any("missing" in w for w in result.warnings)
    assert result.pages >= 1 and len(store.exports(case.id)) == 1
    pages = pypdf.PdfReader(out).pages
    text = " ".join(" ".join(p.extract_text().replace("\x00", "").split()) for p in pages)
    assert "date has passed" in text and "has passed: dates are checked against today" in text
    assert "计划递交日期 2026-11-24 已过" in text  # and in Chinese
    # What the user typed is printed as typed; what the profile says, in both languages.
    assert "不适用 · Not applicable — Spouse registered in Hong Kong" in text
    assert "不适用 — 申请城市：上海" in text
    assert "Not applicable — City of application: Shanghai" in text
    assert "Decide: does this apply to you? — It applies when: Only if the applicant was" in text
    assert "待确认是否适用 — 适用条件：" in text
    assert "婚姻关系满5年 date not entered · 未填写日期" in text  # a duration line on the cover


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = run(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_json_and_exit_statuses(
    tmp_path: Path,
    store: Store,
    profiles: ProfileSet,
    samples: Samples,
    capsys: pytest.CaptureFixture[str],
) -> None:
    case = store.create_case("Mia", PROFILE)
    pdf = import_files(store, [samples.pdf("passport.pdf", pages=2)])[0].document
    assert pdf is not None
    store.file_document(case.id, "passport", pdf.id)
    folder = str(store.folder)
    out = tmp_path / "mia.pdf"
    status, _, err = cli(capsys, "--store", folder, "export", "--case", "Mia", "-o", str(out))
    assert status == 1 and "not ready" in err and "Traceback" not in err
    assert err.count("\n") == 1 and not out.exists()
    status, text, err = cli(
        capsys,
        "--store",
        folder,
        "export",
        "--case",
        "mia",
        "-o",
        str(out),
        "--allow-incomplete",
        "--no-cover",
        "--no-stamp",
        "--max-size",
        "20MB",
        "--json",
    )
    assert status == 0, err
    data = json.loads(text)
    assert set(data) == {"output", "pages", "bytes", "manifest", "warnings"}
    assert (data["output"], data["pages"], data["bytes"]) == (str(out), 2, out.stat().st_size)
    assert Path(data["manifest"]).is_file() and data["warnings"]
    status, _, err = cli(capsys, "--store", folder, "export", "--case", "Mia", "-o", "x.txt")
    assert status == 2 and ".pdf" in err
    status, _, err = cli(capsys, "--store", folder, "export", "--case", "Nobody", "-o", str(out))
    assert status == 2 and "Nobody" in err


def test_export_reads_the_case_once_and_warns_of_unprintable_names_before_writing(
    tmp_path: Path,
    store: Store,
    profiles: ProfileSet,
    samples: Samples,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import yongju.core.checklist as checklist_module
    import yongju.core.packet.case as packet_case

    case = store.create_case("Ahmad 𓀀", PROFILE)  # an Egyptian hieroglyph: in no font
    pdf = import_files(store, [samples.pdf("passport.pdf")])[0].document
    assert pdf is not None
    store.file_document(case.id, "passport", pdf.id)
    out = tmp_path / "out" / "ahmad.pdf"
    out.parent.mkdir()
    heard: list[tuple[str, list[str]]] = []
    warn_first = lambda w: heard.append((w, sorted(p.name for p in out.parent.iterdir())))  # noqa: E731
    options = PacketOptions(allow_incomplete=True, cover=False, stamp=False)
    result = export_packet(store, profiles, case.id, out, options, warn_first=warn_first)
    assert [(w.split(" (U+")[0], files) for w, files in heard] == [
        ("No font shipped with Yongju can print 𓀀", [])  # nothing written yet
    ]
    assert heard[0][0] in result.warnings
    # `yongju export` reads the case's checklist once (it read it twice, the first time only
    # for this warning), says the warning once on stderr, and not again with the others.
    built: list[object] = []
    counted = packet_case.build_checklist
    for module in (checklist_module, packet_case):
        monkeypatch.setattr(
            module, "build_checklist", lambda *a, **k: built.append(1) or counted(*a, **k)
        )
    argv = ["--store", str(store.folder), "export", "--case", str(case.id), "-o", str(out)]
    assert run([*argv, "--allow-incomplete", "--no-cover", "--no-stamp"]) == 0
    outerr = capsys.readouterr()
    assert built == [1]
    assert outerr.err.count("U+13000") == 1 and "U+13000" not in outerr.out


def test_killing_the_export_never_leaves_a_file_at_the_destination(
    tmp_path: Path, store: Store, samples: Samples, launcher: Launcher, chance: soak.Chance
) -> None:
    """`yongju export` killed, then stopped, at a random moment 0.2-0.9 s into its run (new
    moments each run): forked from the launcher's loaded server, it is exporting by then, not
    still importing its modules."""
    case = store.create_case("Kim", PROFILE)
    docs = import_files(store, [samples.pdf(f"d{i}.pdf", pages=4) for i in range(6)])
    for result in docs:
        assert result.document is not None
        store.file_document(case.id, "passport", result.document.id)
    store.close()
    out = tmp_path / "out" / "kim.pdf"
    out.parent.mkdir()
    command = [
        sys.executable,
        "-m",
        "yongju",
        "--store",
        str(store.folder),
        "export",
        "--case",
        "Kim",
        "-o",
        str(out),
        "--allow-incomplete",
    ]
    for sig in (signal.SIGKILL, signal.SIGTERM):
        parts_before = {p for p in out.parent.iterdir() if p.suffix == ".part"}
        process = launcher.popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.2, 0.9))
        process.send_signal(sig)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:  # it hung once, in the hashing thread's stop
            process.kill()
            process.wait()
            pytest.fail(f"the export hung after {sig.name}")
        if out.exists():  # it finished before the signal: then it must be whole
            with pikepdf.open(out) as pdf:
                assert len(pdf.pages) > 24
            out.unlink()
            out.with_name(out.name + ".manifest.json").unlink(missing_ok=True)
        assert not out.exists()
        if sig == signal.SIGTERM:  # a polite stop also removes its temporary file
            parts = {p for p in out.parent.iterdir() if p.suffix == ".part"}
            assert parts <= parts_before  # (a SIGKILL before may have left one: hidden)
