"""Every character a user can type prints on the packet's own pages, or is named beforehand."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pytest
import uharfbuzz  # type: ignore[import-untyped]
from fpdf import FPDF

from tests.samples import Samples
from yongju.cli import run
from yongju.core.importing import import_files
from yongju.core.packet import PacketOptions, export_packet, typesetting
from yongju.core.packet.glyphs import (
    CJK_FONTS,
    CJK_WHOLE,
    LATIN_FONTS,
    coverage,
    needs_shaping,
    script_fonts_for,
    unprintable,
    unprintable_warning,
)
from yongju.core.profiles import ProfileSet
from yongju.core.resources import resource_path
from yongju.core.store import Store

TODAY = dt.date(2026, 11, 27)
PROFILE = "spouse_of_chinese_citizen"
# 喆 and 堃 are outside GB 2312 (the old subset dropped them); the rest are other scripts.
TITLES = {
    "passport": "王喆 ID card front",
    "health_certificate": "健康证明 李堃",
    "sp_marriage_cert": "Свидетельство о браке Ирина Łukasz Dvořák",
    "sp_housing": "Ελληνικά Παπαδόπουλος",
}
APPLICANT = "Ahmad محمد"


def _page_text(pdf: pdfium.PdfDocument, index: int) -> str:
    page = pdf[index]
    text = page.get_textpage()
    try:
        return str(text.get_text_range())
    finally:
        text.close()
        page.close()


def fonts_embedded(pdf: pikepdf.Pdf) -> Counter[str]:
    """How many times a PDF embeds each face (fpdf2's names, without the subset tags)."""
    return Counter(
        str(obj.FontName).split("+", 1)[-1]
        for obj in pdf.objects
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor"
    )


def _case_with_titles(store: Store, samples: Samples) -> int:
    case = store.create_case(APPLICANT, PROFILE, TODAY + dt.timedelta(days=30))
    for slot_id, title in TITLES.items():
        result = import_files(store, [samples.jpeg(f"{slot_id}.jpg")])[0]
        assert result.document is not None
        store.file_document(case.id, slot_id, result.document.id)
        store.update_document(result.document.id, title=title)
    return case.id


def test_cover_contents_and_stamps_print_every_character(
    tmp_path: Path, store: Store, profiles: ProfileSet, samples: Samples
) -> None:
    case_id = _case_with_titles(store, samples)
    out = tmp_path / "packet.pdf"
    options = PacketOptions(allow_incomplete=True, stamp=True)
    result = export_packet(store, profiles, case_id, out, options, today=TODAY)
    assert not any("No font shipped" in w for w in result.warnings)
    # The cover, the contents and the stamps are one generated document: each font they
    # use is embedded once.
    with pikepdf.open(out) as written:
        faces = Counter(
            str(obj.FontName)
            for obj in written.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor"
        )
    fallbacks = script_fonts_for([*TITLES.values(), APPLICANT])
    shipped = len(CJK_FONTS) + len(LATIN_FONTS) + len(fallbacks)
    assert 4 <= sum(faces.values()) <= shipped, faces
    pdf = pdfium.PdfDocument(out)
    try:
        text = "".join(_page_text(pdf, i) for i in range(len(pdf)))
        # The page images and fonts are there; now every character of every title.
        for title in TITLES.values():
            for word in title.split():
                assert word in text, word
        assert "Ahmad" in text
        # HarfBuzz shapes the Arabic name: its letters come out as joined glyphs, which the
        # text layer maps back to the same letters (in either direction).
        assert "محمد" in text or "محمد"[::-1] in text
        # Rendered, the Arabic name is not blank: its glyphs draw ink on the cover.
        bitmap = pdf[0].render(scale=1).to_pil().convert("L")
        assert bitmap.getextrema()[0] < 128
    finally:
        pdf.close()


def test_a_character_no_font_has_is_named_before_writing(
    tmp_path: Path,
    store: Store,
    profiles: ProfileSet,
    samples: Samples,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case_id = _case_with_titles(store, samples)
    store.update_case(case_id, name="Ahmad 𓀀 محمد")  # an Egyptian hieroglyph
    out = tmp_path / "packet.pdf"
    loaded: list[str] = []
    real = typesetting.add_font
    monkeypatch.setattr(
        typesetting,
        "add_font",
        lambda pdf, family, style, path: loaded.append(path.name) or real(pdf, family, style, path),
    )
    # The stamps print the name on every page (the cover is the test above's).
    code = run(
        ["--store", str(store.folder), "export", "--case", str(case_id), "-o", str(out),
         "--allow-incomplete", "--no-cover"]
    )  # fmt: skip
    assert code == 0
    stdout, err = capsys.readouterr()
    assert "𓀀 (U+13000)" in err
    assert not any(char in err for char in "喆堃Łмα") and "U+0645" not in err  # all printable
    assert "U+13000" not in stdout  # said once, before writing
    with pikepdf.open(out) as written:
        assert len(written.pages) == len(TITLES)
    # Without a cover the documents' titles print nowhere: the whole Chinese face (2 s to
    # read) is not loaded for their 喆 and 堃; the Arabic face is, for the stamps' name.
    assert "NotoSansArabic-Regular.ttf" in loaded and CJK_WHOLE not in loaded


def test_glyph_checks() -> None:
    assert unprintable(["王喆 Łukasz Ирина محمد שלום नमस्ते ქართული"]) == []
    assert unprintable(["a\u200db\u200f c\n"]) == []  # joiners, marks and spaces need no glyph
    assert unprintable(["😀 𓀀"]) == ["😀", "𓀀"]
    warning = unprintable_warning(["x😀"])
    assert warning is not None and "😀 (U+1F600)" in warning
    assert unprintable_warning(["王喆"]) is None
    assert needs_shaping(["محمد"]) and needs_shaping(["नमस्ते"])
    assert not needs_shaping(["王喆 Łukasz Ирина Ελληνικά"])


@pytest.mark.parametrize("name", ["NotoSans-Regular-subset.ttf", "NotoSansThai-Regular.ttf"])
def test_a_fonts_coverage_is_its_best_character_map(name: str) -> None:
    """HarfBuzz reads which characters a font has: the same as fontTools' best cmap (of a
    TrueType face here; every shipped font was compared when the reader changed)."""
    from fontTools.ttLib import TTFont

    with TTFont(str(resource_path("fonts", name)), lazy=True) as font:
        assert coverage(name) == frozenset(font.getBestCmap())
    assert ord("ก") in coverage("NotoSansThai-Regular.ttf")


def test_only_the_texts_that_need_it_are_shaped(monkeypatch: pytest.MonkeyPatch) -> None:
    """HarfBuzz shapes the Arabic name wherever it is set, and nothing else of its document
    (shaping every text because of one name made the layout several times slower)."""
    from fpdf.fonts import TTFFont

    shaped: list[str] = []
    original = TTFFont.perform_harfbuzz_shaping
    monkeypatch.setattr(
        TTFFont,
        "perform_harfbuzz_shaping",
        lambda font, text, *a: shaped.append(text) or original(font, text, *a),
    )
    pdf = typesetting.new_pdf([APPLICANT, "申请人 APPLICANT"])
    pdf.add_page()
    for text in (APPLICANT, "申请人 APPLICANT", "page 1 of 9"):
        pdf.cell(300, 14, text)
        pdf.multi_cell(300, 14, text)
        pdf.get_string_width(text)
    assert "محمد" in shaped and all(text in APPLICANT for text in shaped), shaped
    assert pdf.text_shaping is None  # off again after each shaped text
    typesetting.close_fonts(pdf)
    shaped.clear()
    plain = typesetting.new_pdf(["申请人 APPLICANT"])
    plain.add_page()
    plain.multi_cell(300, 14, "申请人 APPLICANT Łukasz")
    typesetting.close_fonts(plain)
    assert shaped == []


def test_every_fallback_font_is_shipped_and_made_by_make_font() -> None:
    from yongju.core.packet.glyphs import SCRIPT_FONTS, SCRIPTS
    from yongju.core.resources import resource_path

    assert all(resource_path("fonts", name).is_file() for name in SCRIPT_FONTS)
    make_font = (Path(__file__).resolve().parents[2] / "packaging" / "make-font").read_text()
    assert all(f'"{script}"' in make_font for script in SCRIPTS)


def test_fonts_read_once_a_process_set_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A font's metrics (and the tables each subset reads whole) are read once a process; a
    document set with the kept ones is the same, byte for byte, as one set with fonts fpdf2
    read itself (every script, bold, shaping), and the kept copy is not changed by the
    documents that use it."""
    # Without 喆 and 堃: the whole Chinese face is a font of the same kind as the subsets
    # (CFF, CID-keyed), and reading its 65,000 glyphs for each of four documents took 3 s.
    texts = [" ".join([*TITLES.values(), APPLICANT]).replace("喆", "哲").replace("堃", "坤")]
    created = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)

    def document() -> bytes:
        pdf = typesetting.new_pdf(texts)
        pdf.set_creation_date(created)
        pdf.add_page()
        pdf.multi_cell(400, 14, texts[0])
        pdf.set_font("cjk", "B", 14)
        pdf.multi_cell(400, 14, texts[0])
        return typesetting.pdf_bytes(pdf)

    def read_by_fpdf_alone(pdf: FPDF, family: str, style: str, path: Path) -> None:
        pdf.add_font(family, style, str(path))
        pdf.fonts[f"{family}{style}"].ttfont.recalcBBoxes = False  # the shipped boxes are right

    with monkeypatch.context() as fpdf_alone:
        fpdf_alone.setattr(typesetting, "add_font", read_by_fpdf_alone)
        read_by_fpdf = document()

    def maps_of(kept: dict[str, Any]) -> list[Any]:
        return kept["cmap"].tables if "cmap" in kept else []  # none kept for the Chinese

    def tables() -> dict[Path, object]:
        """The kept character maps and metrics, as plain values."""
        return {
            path: [
                [(sub.format, dict(getattr(sub, "cmap", {}))) for sub in maps_of(kept)],
                *(dict(kept[tag].metrics) for tag in ("hmtx", "vmtx") if tag in kept),
            ]
            for path, kept in typesetting._tables.items()
        }

    monkeypatch.setattr(typesetting, "_parsed", {})
    monkeypatch.setattr(typesetting, "_tables", {})
    monkeypatch.setattr(typesetting, "_orders", {})
    assert document() == read_by_fpdf  # read and kept
    kept = dict(typesetting._parsed)
    assert len(kept) == 5  # Chinese and Latin, regular and bold, Arabic
    widths = {path: dict(font.cw) for path, font in kept.items()}
    maps = tables()
    assert len(maps) == 5
    orders = {path: list(order) for path, order in typesetting._orders.items()}
    assert len(orders) == 3  # the faces embedded whole: Latin, regular and bold, Arabic
    calls: list[str] = []
    original = FPDF.add_font
    monkeypatch.setattr(FPDF, "add_font", lambda *a, **k: calls.append(a[1]) or original(*a, **k))
    assert document() == read_by_fpdf
    assert document() == read_by_fpdf
    assert calls == []  # nothing read again
    assert {path: dict(font.cw) for path, font in kept.items()} == widths
    assert tables() == maps
    assert typesetting._orders == orders
    assert all(font.ttfont is None and font.subset is None for font in kept.values())


def test_a_font_no_page_prints_with_is_neither_subset_nor_embedded() -> None:
    """fpdf2 subsets and embeds every font it was given, used or not: the stamps of a
    packet without a cover spent 40% of their writing on the Chinese bold face and the two
    Latin faces (which only names the Chinese subset lacks need)."""
    import io

    pdf = typesetting.new_pdf(["申请人 Łukasz"])
    pdf.add_page()
    pdf.cell(300, 14, "申请人 APPLICANT")
    with pikepdf.open(io.BytesIO(typesetting.pdf_bytes(pdf))) as written:
        assert fonts_embedded(written) == Counter({"NotoSansCJKSC": 1})


def test_the_chinese_faces_are_cut_by_harfbuzz_into_the_same_embedded_bytes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """fpdf2 is given each Chinese face cut to the glyphs its pages print (HarfBuzz, a few
    milliseconds, instead of fontTools reading all 14,000): it embeds the same bytes as from
    the whole file. This fails if fpdf2 ever embeds more of a CID-keyed face than its CFF
    table, or names its glyphs otherwise; then the cut must go."""
    created = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
    text = "申请人 APPLICANT 夫妻团聚 健康证明书 2027-03-01 第3/9页"
    cut: dict[str, int] = {}
    tables: dict[str, list[str]] = {}
    real = typesetting._only_printed_glyphs

    def cutting(font: Any) -> None:
        real(font)
        cut[font.fontkey] = len(font.ttfont.getGlyphOrder())
        tables[font.fontkey] = sorted(set(font.ttfont.keys()) - {"GlyphOrder"})

    def document() -> bytes:
        pdf = typesetting.new_pdf([text])
        pdf.set_creation_date(created)
        pdf.add_page()
        pdf.multi_cell(400, 14, text)
        pdf.set_font("cjk", "B", 14)
        pdf.multi_cell(400, 14, text)
        # In the bold face, a glyph whose id and name disagree (never expected): its cut
        # would lack the name, so that face is subset from the whole file.
        font = pdf.fonts["cjkB"]
        name = font.cmap[ord("永")]  # printed nowhere; glyph 5 is another one
        font.subset.pick_glyph(font.subset.get_glyph(5, (), name, 1000))
        return bytes(typesetting.pdf_bytes(pdf))

    monkeypatch.setattr(typesetting, "_only_printed_glyphs", cutting)
    with_cut = document()
    assert cut["cjk"] < 40 and cut["cjkB"] > 10_000, cut  # the cut; the whole file
    assert tables["cjk"] == ["CFF "]  # what fpdf2 embeds of it: fontTools reads no other
    monkeypatch.setattr(typesetting, "_only_printed_glyphs", lambda font: None)
    assert document() == with_cut
    # Where HarfBuzz cannot cut a face, fpdf2 subsets the whole file.
    monkeypatch.setattr(typesetting, "_only_printed_glyphs", cutting)
    monkeypatch.setattr(uharfbuzz, "subset", lambda face, wanted: None)
    cut.clear()
    assert document() == with_cut and cut["cjk"] > 10_000
    with pikepdf.open(io.BytesIO(with_cut)) as written:
        assert fonts_embedded(written) == Counter(["NotoSansCJKSC", "NotoSansCJKSCBold"])
