"""The bilingual cover page, the cover job (laid out beside the page copying) and footer stamps.

Fonts, fallbacks and shaping: ``typesetting.new_pdf`` and ``glyphs``.
"""

from __future__ import annotations

import contextlib
import copy
import io
import math
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pikepdf

from yongju.core.packet.contents import Contents
from yongju.core.packet.model import CoverInfo, PacketSection, printed_texts
from yongju.core.packet.typesetting import (
    AMBER,
    GREEN,
    INK,
    MUTED,
    NAVY,
    RULE,
    close_fonts,
    date_text,
    new_pdf,
    pdf_bytes,
)

if TYPE_CHECKING:
    from yongju.core.packet.plan import Plan


def _cover_page(pdf: Any, info: CoverInfo, plan: Plan, pages: int) -> None:
    """Draws the cover on the current (first) page."""
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
    if info.notes.strip():
        pdf.ln(14)
        _notes(pdf, info.notes, width, reserve=200 if info.warnings else 0)
    if info.warnings:
        pdf.ln(18)
        _warnings(pdf, info, width)
    _cover_footer(pdf, info, width)


def _wrapped(pdf: Any, text: str, width: float, height: float) -> list[str]:
    """``text`` as the lines ``multi_cell`` would set it in the current font (never cut)."""
    if "\n" not in text and pdf.get_string_width(text) <= width - 2 * pdf.c_margin:
        return [text]
    return [str(line) for line in pdf.multi_cell(width, height, text, dry_run=True, output="LINES")]


def _notes(pdf: Any, notes: str, width: float, reserve: float) -> None:
    """The case's notes, wrapped, as many lines as leave ``reserve`` above the footer (the
    cover stays one page); the last line then says that they go on."""
    pdf.set_font("cjk", "B", 10)
    pdf.set_text_color(*INK)
    pdf.cell(width, 15, "备注  Notes", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", "", 9.5)
    pdf.set_text_color(*MUTED)
    paragraphs = [line.strip() for line in notes.strip().splitlines() if line.strip()]
    lines = [wrapped for p in paragraphs for wrapped in _wrapped(pdf, p, width, 14)]
    room = max(2, int((pdf.h - 90 - reserve - pdf.get_y()) // 14))
    if len(lines) > room:
        lines = [*lines[: room - 1], "（备注未印完，全文见申请案件 · the notes go on in the case）"]
    for line in lines:
        pdf.cell(width, 14, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)


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
        (
            "计划递交日期",
            "Planned submission",
            date_text(info.submission_date)
            + ("  (date has passed · 日期已过)" if info.submission_passed else ""),
        ),
        ("生成日期", "Generated", info.generated.strftime("%Y-%m-%d %H:%M")),
        ("文件有效期至", "All documents valid until", date_text(info.valid_until, "—")),
        ("页数 / 文件数", "Pages / documents", f"{pages} / {documents}"),
        *info.durations,
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
    # Each in Chinese and English, wrapped, as many as fit above the footer: the cover stays
    # one page, and the contents repeat every problem under its slot in full.
    items = []
    for index, english in enumerate(info.warnings):
        chinese = info.warnings_zh[index] if index < len(info.warnings_zh) else ""
        pdf.set_font("cjk", "", 9.5)
        lines = [(line, INK) for line in _wrapped(pdf, chinese, width - 14, 13)] if chinese else []
        pdf.set_font("cjk", "", 8.5)
        lines += [(line, MUTED) for line in _wrapped(pdf, english, width - 14, 12)]
        items.append(lines)
    room = pdf.h - 90 - pdf.get_y()
    shown, used = 0, 0.0
    for lines in items:
        height = 13.0 * len(lines) + 3
        more = 16.0 if shown + 1 < len(items) else 0.0
        if used + height + more > room:
            break
        shown, used = shown + 1, used + height
    for lines in items[:shown]:
        y = pdf.get_y()
        pdf.set_fill_color(*AMBER)
        pdf.rect(pdf.l_margin + 2, y + 4.5, 4, 4, style="F")
        for line, colour in lines:
            pdf.set_font("cjk", "", 9.5 if colour == INK else 8.5)
            pdf.set_text_color(*colour)
            pdf.set_x(pdf.l_margin + 14)
            pdf.cell(width - 14, 13, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    if shown < len(items):
        more_count = len(items) - shown
        pdf.set_font("cjk", "", 9.5)
        pdf.set_text_color(*AMBER)
        pdf.set_x(pdf.l_margin + 14)
        pdf.cell(
            width - 14,
            15,
            f"其余 {more_count} 项见目录 · {more_count} more: see the contents",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.set_text_color(*INK)


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
def _estimate_pages(info: CoverInfo, plan: Plan) -> int:
    """A first guess of the cover and contents page count (right in most cases, which saves
    laying the contents out twice: the count feeds back into the page numbers)."""
    height = 70.0  # the contents title and header
    docs_by_section: dict[int, int] = {}
    for section_index in plan.doc_section:
        docs_by_section[section_index] = docs_by_section.get(section_index, 0) + 1
    for index, section in enumerate(plan.sections):
        docs = docs_by_section.get(index, 0)
        if section.optional_empty and not docs:
            height += 6  # listed together in one line at the end
            continue
        notes = [
            section.problem or (section.state if not docs else ""),
            section.note,
            section.copies_note,
        ]
        height += 38 + 18 * docs + sum(18 + 12 * (len(n) // 90 + n.count("\n")) for n in notes if n)
    return 1 + max(1, math.ceil(height / 710))


def _lay_out_cover(pdf: Any, info: CoverInfo, plan: Plan, texts: list[str]) -> tuple[Any, int]:
    """Lays the cover and contents out in ``pdf`` (new, no page yet, made for ``texts``);
    returns the document (a new one if it had to start again) and their page count, which
    the page numbers in the contents include: it is counted first, then everything is laid
    out once."""
    pdf.set_title(f"{info.applicant} — {info.title_en}")
    pdf.add_page()  # the cover's; measuring wraps text on it without drawing
    contents = Contents(pdf, plan)
    count = 1 + contents.count()
    _cover_page(pdf, info, plan, len(plan.sheets) + count)
    contents.draw(count)
    if pdf.pages_count != count:  # never expected; then lay out again with the true count
        count = pdf.pages_count
        close_fonts(pdf)
        pdf = new_pdf(texts)
        pdf.add_page()
        contents = Contents(pdf, plan)
        _cover_page(pdf, info, plan, len(plan.sheets) + count)
        contents.draw(count)
    return pdf, pdf.pages_count


@dataclass(frozen=True)
class Generated:
    """The pages Yongju draws itself, in one PDF (its fonts are subset and embedded once):
    first the cover and contents, then (if stamped) one footer stamp per packet page."""

    document: bytes
    cover_pages: int
    stamped: bool


def render_generated(info: CoverInfo | None, plan: Plan, stamp_title: str | None) -> Generated:
    """The cover (if ``info``) and then the stamps (if ``stamp_title``), which number the
    pages after the cover (one of the two at least)."""
    if info is not None:
        texts = printed_texts(info, plan.sections, stamp_title)
    else:
        texts = _stamp_texts(plan, stamp_title)
    pdf = new_pdf(texts)
    count = 0
    if info is not None:
        pdf, count = _lay_out_cover(pdf, info, plan, texts)
    if stamp_title is not None:
        plan.cover_pages = count
        _stamps(pdf, stamp_title, plan)
    return Generated(pdf_bytes(pdf), count, stamped=stamp_title is not None)


class CoverJob:
    """Lays out the cover and the stamps on a thread of this process, beside the page
    copying (fpdf2 is pure Python, but the copying spends much of its time in the kernel
    and in hashing, without the interpreter lock).

    They used to be laid out in a forked child; a killed export left that child blocked in
    a pipe write forever, holding the store's database and log. A thread cannot outlive
    its process, so nothing is left behind.
    """

    def __init__(self, info: CoverInfo | None, plan: Plan, stamp_title: str | None = None) -> None:
        self.info, self.plan, self.stamp_title = info, plan, stamp_title
        self.estimate = _estimate_pages(info, plan) if info is not None else 0
        self._result: Generated | None = None
        self._opened: list[pikepdf.Pdf] = []
        # Its own copy of the plan: laying out the stamps sets the cover's page count.
        own = copy.copy(plan)
        self._thread = threading.Thread(
            target=self._render, args=(own,), name="packet-cover", daemon=True
        )
        self._thread.start()

    def _render(self, plan: Plan) -> None:
        # A failure is left to result(), which lays the pages out again and so raises it
        # on the exporting thread.
        with contextlib.suppress(BaseException):
            self._result = render_generated(self.info, plan, self.stamp_title)

    def result(self) -> Generated:
        """The pages (waits for the thread; lays them out here if it failed)."""
        self._thread.join()
        if self._result is None:
            self._result = render_generated(self.info, self.plan, self.stamp_title)
        return self._result

    def generated_pdf(self) -> tuple[pikepdf.Pdf, int, bool]:
        """The generated pages, opened (closed by ``close``); how many of them are the
        cover and contents; and whether a stamp page per packet page follows them."""
        result = self.result()
        pdf = pikepdf.open(io.BytesIO(result.document))
        self._opened.append(pdf)
        return pdf, result.cover_pages, result.stamped

    def close(self) -> None:
        """Closes the opened PDFs, after the thread has ended (a failed or cancelled export
        waits for the layout, at most a second or two, and so leaves no thread behind)."""
        self._thread.join()
        for pdf in self._opened:
            pdf.close()
        self._opened = []


COVER_LABEL = "Cover and contents · 封面和目录"


def _stamp_label(section: PacketSection) -> str:
    return f"{section.title_en} · {section.title_zh}"


def _stamp_texts(plan: Plan, stamp_title: str | None) -> list[str]:
    """What the stamps print (without a cover, the documents' titles are printed nowhere:
    a name in another script loads its font only when it is printed)."""
    return [stamp_title or "", COVER_LABEL, *(_stamp_label(s) for s in plan.sections)]


def _stamps(pdf: Any, case_title: str, plan: Plan) -> None:
    """Adds one footer page per packet page to ``pdf``: case, slot and "page n of N" (drawn
    over a white label)."""
    pdf.set_auto_page_break(False)
    total = plan.total_pages
    labels = [COVER_LABEL] * plan.cover_pages
    labels += [_stamp_label(plan.sections[sheet.section]) for sheet in plan.sheets]
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
