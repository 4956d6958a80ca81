"""The bilingual cover, the table of contents and the footer stamps, drawn with fpdf2.

Chinese is set in the Noto Sans CJK SC subset shipped in ``resources/fonts`` (embedded and
subset again in each packet), with Noto Sans as the fallback for accented Latin names.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pikepdf

from yongju.core.packet.model import CoverInfo, PacketDocument
from yongju.core.resources import resource_path

if TYPE_CHECKING:
    from yongju.core.packet.engine import Plan

INK = (33, 37, 41)
MUTED = (108, 117, 125)
RULE = (206, 212, 218)
NAVY = (24, 54, 94)
RED = (178, 34, 34)
GREEN = (46, 125, 50)
AMBER = (191, 102, 0)
SHADE = (243, 245, 248)
ROLE_LABELS = {
    "original": ("", ""),
    "legalisation": ("legalisation", "认证"),
    "translation": ("translation", "翻译件"),
}


def _pdf() -> Any:
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="pt", format="A4")
    pdf.set_auto_page_break(auto=True, margin=56)
    pdf.set_margins(56, 56, 56)
    fonts = resource_path("fonts")
    pdf.add_font("cjk", "", str(fonts / "NotoSansCJKsc-Regular-subset.otf"))
    pdf.add_font("cjk", "B", str(fonts / "NotoSansCJKsc-Bold-subset.otf"))
    pdf.add_font("latin", "", str(fonts / "NotoSans-Regular-subset.ttf"))
    pdf.add_font("latin", "B", str(fonts / "NotoSans-Bold-subset.ttf"))
    pdf.set_fallback_fonts(["latin"], exact_match=False)
    pdf.set_font("cjk", "", 10)
    pdf.set_text_color(*INK)
    pdf.set_creator("Yongju")
    return pdf


def _output(pdf: Any) -> pikepdf.Pdf:
    """The finished pages, opened; the font files fpdf2 keeps open (lazily read) are closed."""
    try:
        data = bytes(pdf.output())
    finally:
        _close(pdf)
    return pikepdf.open(io.BytesIO(data))


def _close(pdf: Any) -> None:
    for font in pdf.fonts.values():
        ttfont = getattr(font, "ttfont", None)
        if ttfont is not None:
            ttfont.close()


def _date(value: dt.date | None, missing: str = "not set · 未设定") -> str:
    return value.isoformat() if value is not None else missing


# ----------------------------------------------------------------------------- cover
def _cover_page(pdf: Any, info: CoverInfo, plan: Plan, pages: int) -> None:
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_fill_color(*NAVY)
    pdf.rect(0, 0, pdf.w, 10, style="F")
    pdf.set_y(48)
    pdf.set_font("cjk", "", 9)
    pdf.set_text_color(*MUTED)
    pdf.cell(
        width,
        14,
        "外国人永久居留申请材料  ·  APPLICATION DOSSIER FOR PERMANENT RESIDENCE IN CHINA",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y() + 6, pdf.w - pdf.r_margin, pdf.get_y() + 6)
    pdf.ln(40)
    pdf.set_font("cjk", "", 10)
    pdf.cell(width, 14, "申请人  APPLICANT", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_font("cjk", "B", 30)
    pdf.multi_cell(width, 38, info.applicant, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(22)
    pdf.set_text_color(*MUTED)
    pdf.set_font("cjk", "", 10)
    pdf.cell(width, 14, "申请类别  CATEGORY", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*NAVY)
    pdf.set_font("cjk", "B", 18)
    pdf.multi_cell(width, 26, info.title_zh, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", "", 13)
    pdf.multi_cell(width, 18, info.title_en, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(26)
    _badge(pdf, info)
    pdf.ln(22)
    _facts(pdf, info, plan, pages, width)
    if info.warnings:
        pdf.ln(18)
        _warnings(pdf, info, width)
    _cover_footer(pdf, info, width)


def _badge(pdf: Any, info: CoverInfo) -> None:
    colour = GREEN if info.ready else AMBER
    label = (
        "READY TO SUBMIT  ·  材料齐全"
        if info.ready
        else f"INCOMPLETE  ·  材料不全  ({len(info.warnings)})"
    )
    pdf.set_font("cjk", "B", 12)
    width = pdf.get_string_width(label) + 36
    x, y = pdf.l_margin, pdf.get_y()
    pdf.set_fill_color(*colour)
    pdf.rect(x, y, width, 30, style="F", round_corners=True, corner_radius=15)
    pdf.set_text_color(255, 255, 255)
    pdf.set_xy(x, y)
    pdf.cell(width, 30, label, align="C")
    pdf.set_text_color(*INK)
    pdf.set_xy(pdf.l_margin, y + 30)


def _facts(pdf: Any, info: CoverInfo, plan: Plan, pages: int, width: float) -> None:
    documents = len({(d.document_id, d.path) for d in plan.documents})
    rows = [
        ("计划递交日期", "Planned submission", _date(info.submission_date)),
        ("生成日期", "Generated", info.generated.strftime("%Y-%m-%d %H:%M")),
        ("文件有效期至", "All documents valid until", _date(info.valid_until, "—")),
        ("页数 / 文件数", "Pages / documents", f"{pages} / {documents}"),
    ]
    label_w = 190
    for zh, en, value in rows:
        y = pdf.get_y()
        pdf.set_draw_color(*RULE)
        pdf.line(pdf.l_margin, y, pdf.l_margin + width, y)
        pdf.set_xy(pdf.l_margin, y + 5)
        pdf.set_font("cjk", "B", 10)
        pdf.set_text_color(*INK)
        pdf.cell(label_w, 14, zh)
        pdf.set_font("cjk", "", 11)
        pdf.cell(width - label_w, 14, value, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", "", 8.5)
        pdf.set_text_color(*MUTED)
        pdf.cell(label_w, 12, en, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
    pdf.set_text_color(*INK)


def _warnings(pdf: Any, info: CoverInfo, width: float) -> None:
    pdf.set_font("cjk", "B", 11)
    pdf.set_text_color(*AMBER)
    pdf.cell(
        width,
        16,
        "尚缺或有问题的材料  ·  What is missing or needs attention",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    pdf.set_text_color(*INK)
    pdf.set_font("cjk", "", 9.5)
    for line in info.warnings:
        y = pdf.get_y()
        if y > pdf.h - 120:
            pdf.add_page()
            y = pdf.get_y()
        pdf.set_fill_color(*AMBER)
        pdf.rect(pdf.l_margin + 2, y + 4.5, 4, 4, style="F")
        pdf.set_x(pdf.l_margin + 14)
        pdf.multi_cell(width - 14, 13, line, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)


def _cover_footer(pdf: Any, info: CoverInfo, width: float) -> None:
    pdf.set_auto_page_break(False)
    pdf.set_xy(pdf.l_margin, pdf.h - 74)
    pdf.set_draw_color(*RULE)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
    pdf.ln(6)
    pdf.set_font("cjk", "", 7.5)
    pdf.set_text_color(*MUTED)
    checked = (
        f" (requirements checked {info.profile_checked.isoformat()})"
        if info.profile_checked
        else ""
    )
    pdf.multi_cell(
        width,
        10,
        "Prepared with Yongju 永居" + checked + ". Requirements differ between cities: confirm "
        "the list with your exit-entry office (出入境管理局) before you hand it in. Originals are "
        "shown at the office; these pages are the A4 copies it keeps.",
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_auto_page_break(True, margin=56)
    pdf.set_text_color(*INK)


# ----------------------------------------------------------------------------- contents
def _page_ranges(numbers: Sequence[int]) -> str:
    """1, 2, 3, 5 → "1–3, 5"."""
    if not numbers:
        return "—"
    ordered = sorted(set(numbers))
    runs: list[list[int]] = []
    for n in ordered:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in runs)


def _document_label(document: PacketDocument) -> str:
    en, zh = ROLE_LABELS.get(document.role.value, (document.role.value, ""))
    if not en:
        return document.title
    of = f" of {document.parent_title}" if document.parent_title else ""
    return f"{document.title}  [{en}{of} · {zh}]"


def _contents(pdf: Any, plan: Plan, offset: int) -> None:
    from fpdf.enums import TableBordersLayout, TableCellFillMode, WrapMode
    from fpdf.fonts import FontFace

    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("cjk", "B", 18)
    pdf.set_text_color(*NAVY)
    pdf.cell(width, 24, "目录  Contents", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", "", 8.5)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(
        width,
        11,
        "Pages are numbered from the cover (page 1). Copies: how many "
        "paper copies the office keeps (份数).",
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(8)
    pages = {
        index: [n + offset for _, n in pairs] for index, pairs in plan.document_sheets().items()
    }
    by_section: dict[int, list[int]] = {}
    for index, section_index in enumerate(plan.doc_section):
        by_section.setdefault(section_index, []).append(index)
    heading = FontFace(emphasis="BOLD", color=MUTED, size_pt=8, fill_color=(255, 255, 255))
    pdf.set_text_color(*INK)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(*RULE)
    with pdf.table(
        cell_fill_mode=TableCellFillMode.NONE,
        cell_fill_color=(255, 255, 255),
        col_widths=(4, 52, 12, 10),
        text_align=("RIGHT", "LEFT", "RIGHT", "CENTER"),
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        line_height=12,
        padding=(4, 4, 4, 4),
        headings_style=heading,
        wrapmode=WrapMode.WORD,
        repeat_headings=1,
        width=width,
    ) as table:
        table.row(["#", "材料 Requirement  /  文件 Documents", "页码 Pages", "份数 Copies"])
        for number, section in enumerate(plan.sections, start=1):
            docs = by_section.get(number - 1, [])
            _section_rows(pdf, table, number, section, docs, plan, pages)


def _section_rows(
    pdf: Any,
    table: Any,
    number: int,
    section: Any,
    docs: list[int],
    plan: Plan,
    pages: dict[int, list[int]],
) -> None:
    from fpdf.fonts import FontFace

    title = FontFace(emphasis="BOLD", size_pt=10, fill_color=SHADE)
    plain = FontFace(size_pt=9, fill_color=SHADE)
    row = table.row()
    row.cell(str(number), style=plain)
    row.cell(f"{section.title_zh}\n{section.title_en}", style=title)
    all_pages = [n for i in docs for n in pages.get(i, [])]
    row.cell(_page_ranges(all_pages) if all_pages else "", style=plain)
    copies = f"×{section.copies}" if section.copies else "—"
    row.cell(copies, style=plain)
    doc_style = FontFace(size_pt=9, fill_color=(255, 255, 255))
    note_style = FontFace(size_pt=8.5, color=MUTED, fill_color=(255, 255, 255))
    for index in docs:
        document = plan.documents[index]
        row = table.row()
        row.cell("", style=doc_style)
        row.cell("    " + _document_label(document), style=doc_style)
        row.cell(_page_ranges(pages.get(index, [])), style=doc_style)
        row.cell("", style=doc_style)
    notes = []
    if not docs:
        notes.append(section.problem or section.state or "No document filed · 未提交")
    elif section.problem:
        notes.append(section.problem)
    if section.copies_note:
        notes.append(section.copies_note)
    for note in notes:
        colour = AMBER if note == section.problem and section.problem else MUTED
        row = table.row()
        row.cell("", style=note_style)
        row.cell(
            "    " + note, style=FontFace(size_pt=8.5, color=colour, fill_color=(255, 255, 255))
        )
        row.cell("", style=note_style)
        row.cell("", style=note_style)


# ----------------------------------------------------------------------------- public
def render_cover(info: CoverInfo, plan: Plan) -> tuple[pikepdf.Pdf, int]:
    """The cover and contents pages; their count is fed back into the page numbers."""
    guess = 2
    for _ in range(4):
        pdf = _pdf()
        pdf.set_title(f"{info.applicant} — {info.title_en}")
        _cover_page(pdf, info, plan, len(plan.sheets) + guess)
        _contents(pdf, plan, guess)
        if pdf.pages_count == guess:
            break
        guess = pdf.pages_count
        _close(pdf)
    return _output(pdf), guess


def render_stamps(case_title: str, plan: Plan) -> pikepdf.Pdf:
    """One footer per packet page: case, slot and "page n of N" (drawn over a white label)."""
    pdf = _pdf()
    pdf.set_auto_page_break(False)
    total = plan.total_pages
    labels = ["Cover and contents · 封面和目录"] * plan.cover_pages
    for sheet in plan.sheets:
        section = plan.sections[sheet.section]
        labels.append(f"{section.title_en} · {section.title_zh}")
    for number, label in enumerate(labels, start=1):
        pdf.add_page()
        text = f"{case_title}   |   {label}   |   page {number} of {total} · 第{number}/{total}页"
        pdf.set_font("cjk", "", 7)
        width = min(pdf.get_string_width(text) + 16, pdf.w - 24)
        x, y = (pdf.w - width) / 2, pdf.h - 19
        with pdf.local_context(fill_opacity=0.85):
            pdf.set_fill_color(255, 255, 255)
            pdf.rect(x, y, width, 13, style="F", round_corners=True, corner_radius=4)
        pdf.set_text_color(*MUTED)
        pdf.set_xy(x, y)
        pdf.cell(width, 13, text, align="C")
    return _output(pdf)
