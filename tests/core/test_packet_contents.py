"""The contents and cover a clerk reads: compact, in both languages, numbered, never cut."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pypdfium2
import pytest

from tests.samples import Samples
from yongju.core.checklist import build_checklist
from yongju.core.document_checks import PROBLEM_TEMPLATES, PROBLEM_TEMPLATES_ZH, ProblemKind
from yongju.core.importing import import_files
from yongju.core.packet import PacketOptions, export_packet, typesetting
from yongju.core.packet.contents import Contents
from yongju.core.packet.cover import render_generated
from yongju.core.packet.engine import build_packet
from yongju.core.packet.model import CoverInfo, PacketDocument, PacketSection, printed_texts
from yongju.core.packet.plan import Placement, Plan, Sheet
from yongju.core.profiles import ProfileSet, Requirement
from yongju.core.records import MediaType
from yongju.core.resources import resource_path
from yongju.core.store import Store

TODAY = dt.date(2026, 11, 27)
INFO = CoverInfo(
    applicant="Ana Silva",
    title_en="Employment",
    title_zh="工作",
    submission_date=TODAY + dt.timedelta(days=30),
    generated=dt.datetime(2026, 11, 27, 9, 0),
    ready=True,
)


def texts(data: bytes | Path) -> list[str]:
    """The text of every page."""
    reader = pypdfium2.PdfDocument(data)
    try:
        return [reader[i].get_textpage().get_text_range() for i in range(len(reader))]
    finally:
        reader.close()


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def document(title: str, slot: str) -> PacketDocument:
    return PacketDocument(Path("/nonexistent.jpg"), MediaType.JPEG, title, slot)


def plan_of(sections: list[PacketSection]) -> Plan:
    """A plan of ``sections`` with one packet page per document."""
    plan = Plan(sections)
    for index, section in enumerate(sections):
        for item in section.documents:
            plan.sheets.append(Sheet(index, [Placement(len(plan.documents), 0)]))
            plan.documents.append(item)
            plan.doc_section.append(index)
    return plan


def cover_and_contents(
    sections: list[PacketSection], info: CoverInfo = INFO
) -> tuple[list[str], int]:
    """The cover and contents of ``sections`` (one packet page per document)."""
    generated = render_generated(info, plan_of(sections), stamp_title=None)
    data, count = generated.document, generated.cover_pages
    pages = texts(data)
    assert len(pages) == count
    return pages, count


def filled(slot: str, count: int, **kw: object) -> PacketSection:
    items = tuple(document(f"{slot} document {n}", slot) for n in range(1, count + 1))
    return PacketSection(slot, f"Slot {slot}", f"材料{slot}", items, **kw)  # type: ignore[arg-type]


def empty_optional(slot: str) -> PacketSection:
    return PacketSection(
        slot,
        f"Optional {slot}",
        f"可选材料{slot}",
        state="Optional, empty · 可选，未提供",
        copies_note="1 copy",
        optional_empty=True,
    )


def test_every_problem_has_english_and_chinese_words_as_the_window_has() -> None:
    import xml.etree.ElementTree as ET

    assert set(PROBLEM_TEMPLATES) == set(ProblemKind) == set(PROBLEM_TEMPLATES_ZH)
    catalogue = ET.parse(resource_path("translations") / "yongju_zh_CN.ts").getroot()
    words = {
        message.findtext("source"): message.findtext("translation")
        for context in catalogue
        if context.findtext("name") == "Checklist"
        for message in context.iter("message")
    }
    for kind in ProblemKind:
        assert words[PROBLEM_TEMPLATES[kind]] == PROBLEM_TEMPLATES_ZH[kind], kind


def test_thirteen_documents_and_many_empty_optional_slots_fit_one_contents_page() -> None:
    sections: list[PacketSection] = []
    for n in range(8):  # 13 documents in 8 slots, 14 empty optional slots among them
        sections.append(filled(f"f{n}", 2 if n < 5 else 1))
        sections.append(empty_optional(f"o{n}"))
    sections += [empty_optional(f"o{n}") for n in range(8, 14)]
    assert sum(len(s.documents) for s in sections) == 13
    pages, count = cover_and_contents(sections)
    assert count == 2  # the cover and one page of contents
    contents = pages[1]
    assert contents.count("Optional, empty") == 1
    line = flat(contents[contents.index("Optional, empty") :])
    numbers = [i for i, s in enumerate(sections, start=1) if s.optional_empty]
    for number in numbers:  # each by its number and both titles
        slot = sections[number - 1]
        assert flat(f"{number} {slot.title_zh} {slot.title_en}") in line


def test_a_long_title_wraps_and_is_never_cut() -> None:
    words = [f"word{n}" for n in range(60)]
    long_title = "Bank statement " + " ".join(words)
    sections = [
        PacketSection(
            "bank",
            "Bank statements of the last six months for every account " + " ".join(words[:20]),
            "近六个月银行流水" * 8,
            (document(long_title, "bank"), document("second", "bank")),
            problem="缺少 — " + "很长的说明" * 30 + "\nMissing — " + " ".join(words),
            note="不适用 — 理由" + "\nNot applicable — " + " ".join(reversed(words)),
            copies_note=" ".join(words),
        )
    ]
    info = replace(
        INFO,
        ready=False,
        notes=" ".join(words),
        warnings=("Bank statements: missing — " + " ".join(words),),
        warnings_zh=("银行流水：缺少 — " + "很长的说明" * 20,),
    )
    pages, _ = cover_and_contents(sections, info)
    text = "\n".join(pages)
    assert "…" not in text
    found = set(text.split())
    assert all(word in found for word in words)
    assert flat("很长的说明" * 30) in flat(text)
    assert flat(long_title) in flat(pages[1])


SPLITS = range(20, 40, 3)  # documents in the slot before: its end moves down the page


def split_sections(before: int) -> list[PacketSection]:
    return [filled("a", before), filled("b", 6, note="注意\nMind the dates")]


@pytest.fixture(scope="module")
def split_contents() -> dict[int, list[str]]:
    """The contents of each packet of the test below, set one after another in one
    document (one font subset and text layer instead of seven): page texts by ``before``.

    Each is set as the cover sets it (``Contents``: counted, then drawn), and the count
    must be the pages drawn."""
    plans = {before: plan_of(split_sections(before)) for before in SPLITS}
    pdf = typesetting.new_pdf([t for p in plans.values() for t in printed_texts(INFO, p.sections)])
    spans = {}
    for before, plan in plans.items():
        first = pdf.pages_count
        contents = Contents(pdf, plan)
        count = contents.count()
        assert contents.draw(count) == count == pdf.pages_count - first
        spans[before] = (first, pdf.pages_count)
    pages = texts(typesetting.pdf_bytes(pdf))
    return {before: pages[first:end] for before, (first, end) in spans.items()}


@pytest.mark.parametrize("before", SPLITS)
def test_a_slot_is_never_split_across_pages(
    before: int, split_contents: dict[int, list[str]]
) -> None:
    """Whatever fills the page before it, a slot's header and its last row share a page."""
    pages = split_contents[before]
    holding = [i for i, page in enumerate(pages) if "Slot b" in page]
    assert len(holding) == 1
    assert "b document 6" in pages[holding[0]] and "Mind the dates" in pages[holding[0]]


def test_a_slot_taller_than_a_page_goes_on_with_its_header_repeated() -> None:
    pages, count = cover_and_contents([filled("a", 3), filled("b", 80)])
    assert count >= 3
    continued = [p for p in pages if "Slot b" in p]
    assert len(continued) >= 2
    assert all("(continued) · 续" in p for p in continued[1:])
    assert "b document 80" in "".join(pages) and "b document 1" in pages[1]


def test_pages_are_numbered_by_default(tmp_path: Path, samples: Samples) -> None:
    sections = [
        PacketSection(
            "s",
            "Passport",
            "护照",
            (PacketDocument(samples.pdf(pages=3), MediaType.PDF, "passport", "s"),),
        )
    ]
    numbered = build_packet(sections, tmp_path / "a.pdf", PacketOptions(), cover=INFO)
    pages = texts(tmp_path / "a.pdf")
    total = numbered.pages
    assert len(pages) == total >= 5
    for n, page in enumerate(pages, start=1):
        assert f"page {n} of {total}" in page and f"第{n}/{total}页" in page
    build_packet(sections, tmp_path / "b.pdf", PacketOptions(stamp=False), cover=INFO)
    unnumbered = texts(tmp_path / "b.pdf")
    assert len(unnumbered) == total
    assert not any(re.search(r"page \d+ of|第\d+/\d+页", page) for page in unnumbered)


def test_problems_and_reasons_are_printed_in_chinese_and_english(
    tmp_path: Path, store: Store, profiles: ProfileSet, samples: Samples
) -> None:
    profile = profiles.get("spouse_of_chinese_citizen")
    slot = next(s for s in profile.slots if s.translation and s.requirement is Requirement.REQUIRED)
    case = store.create_case(
        "Mia", profile.id, TODAY + dt.timedelta(days=30), facts={"city": "shanghai"}
    )
    result = import_files(store, [samples.jpeg("letter.jpg")])[0]
    assert result.document is not None
    store.file_document(case.id, slot.id, result.document.id)
    store.update_document(result.document.id, title="Letter", language="en")
    checklist = build_checklist(store, profiles, case.id, today=TODAY)
    na = next(s for s in checklist.slots if s.decision.reason_zh and not s.applies)
    out = tmp_path / "p.pdf"
    options = PacketOptions(allow_incomplete=True, stamp=False)
    export_packet(store, profiles, case.id, out, options, today=TODAY)
    pages = texts(out)
    cover, contents = flat(pages[0]), flat(" ".join(pages[1:]))
    assert flat("“Letter”需要中文译文") in contents
    assert flat("'Letter' needs a Chinese translation") in contents
    english, chinese = checklist.bilingual_warnings[0]
    assert "：缺少" in chinese and flat(chinese) in cover and flat(english) in cover
    assert flat(na.decision.reason_zh) in contents and flat(na.decision.reason) in contents
    state = checklist.status(slot.id).state
    assert flat(f"{state.label_zh} — ") in contents and flat(f"{state.label} — ") in contents


def test_the_cli_numbers_pages_unless_told_not_to(
    tmp_path: Path, store: Store, samples: Samples, capsys: pytest.CaptureFixture[str]
) -> None:
    from yongju.cli import run

    case = store.create_case("Mia", "spouse_of_chinese_citizen")
    pdf = import_files(store, [samples.pdf("passport.pdf", pages=2)])[0].document
    assert pdf is not None
    store.file_document(case.id, "passport", pdf.id)
    base = ["--store", str(store.folder), "export", "--case", "Mia", "--allow-incomplete"]
    numbered = re.compile(r"page \d+ of \d+ · 第\d+/\d+页")
    for flags, stamped in (((), True), (("--stamp",), True), (("--no-stamp",), False)):
        out = tmp_path / f"p{len(flags)}{stamped}.pdf"
        assert run([*base, "-o", str(out), "--no-cover", *flags]) == 0, capsys.readouterr()
        pages = texts(out)
        assert [bool(numbered.search(page)) for page in pages] == [stamped] * len(pages)
    with pytest.raises(SystemExit):
        run(["export", "--help"])
    assert "--no-stamp" in " ".join(capsys.readouterr().out.split())
