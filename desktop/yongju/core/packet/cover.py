"""The bilingual cover, the table of contents and the footer stamps, drawn with fpdf2.

Chinese is set in the Noto Sans CJK SC subset shipped in ``resources/fonts`` (embedded and
subset again in each packet), with Noto Sans as the fallback for accented Latin names.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import multiprocessing
import signal
import threading
from collections.abc import Sequence
from multiprocessing.connection import Connection
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
    for font in pdf.fonts.values():
        # The shipped fonts' boxes are already right; recomputing them from every outline
        # when fpdf2 saves its subset costs ~0.4 s a packet.
        ttfont = getattr(font, "ttfont", None)
        if ttfont is not None:
            ttfont.recalcBBoxes = False
    pdf.set_font("cjk", "", 10)
    pdf.set_text_color(*INK)
    pdf.set_creator("Yongju")
    return pdf


def _output(pdf: Any) -> pikepdf.Pdf:
    """The finished pages, opened."""
    return pikepdf.open(io.BytesIO(_bytes(pdf)))


def _bytes(pdf: Any) -> bytes:
    """The finished PDF; the font files fpdf2 keeps open (it reads them lazily) are closed."""
    try:
        return bytes(pdf.output())
    finally:
        _close(pdf)


def _close(pdf: Any) -> None:
    for font in pdf.fonts.values():
        ttfont = getattr(font, "ttfont", None)
        if ttfont is not None:
            ttfont.close()


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _date(value: dt.date | None, missing: str = "not set · 未设定") -> str:
    return value.isoformat() if value is not None else missing


# ----------------------------------------------------------------------------- cover
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
    # One line each, as many as fit above the footer: the cover stays one page, and the
    # contents repeat every problem under its slot in full.
    room = int((pdf.h - 90 - pdf.get_y()) // 15)
    lines = list(info.warnings)
    if len(lines) > room:
        more = len(lines) - (room - 1)
        lines = [*lines[: room - 1], f"… and {more} more: see the contents · 其余 {more} 项见目录"]
    for line in lines:
        y = pdf.get_y()
        pdf.set_fill_color(*AMBER)
        pdf.rect(pdf.l_margin + 2, y + 5.5, 4, 4, style="F")
        pdf.set_x(pdf.l_margin + 14)
        pdf.cell(width - 14, 15, _fit(pdf, line, width - 16), new_x="LMARGIN", new_y="NEXT")


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


def _fit(pdf: Any, text: str, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with its ellipsis
        middle = (low + high + 1) // 2
        if pdf.get_string_width(text[:middle].rstrip() + "…") <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


class _ContentsLayout:
    """The contents as a ruled table, set line by line with ``cell`` (fpdf2's table lays
    every character out several times: seconds for a packet of a few hundred documents).

    With ``dry`` it only counts pages, with the same arithmetic: the count goes into the page
    numbers the contents print, so the pages are laid out once.
    """

    NUMBER, PAGES, COPIES = 24.0, 72.0, 48.0
    TOP = 56.0

    def __init__(self, pdf: Any, dry: bool) -> None:
        self.pdf, self.dry = pdf, dry
        self.x = pdf.l_margin
        self.width = pdf.w - pdf.l_margin - pdf.r_margin
        self.title_w = self.width - self.NUMBER - self.PAGES - self.COPIES
        self.bottom = pdf.h - 56
        self.y = self.TOP
        self.pages = 0

    def new_page(self) -> None:
        self.pages += 1
        self.y = self.TOP
        if not self.dry:
            self.pdf.add_page()

    def title(self) -> None:
        self.new_page()
        if not self.dry:
            pdf = self.pdf
            pdf.set_xy(self.x, self.y)
            pdf.set_font("cjk", "B", 18)
            pdf.set_text_color(*NAVY)
            pdf.cell(self.width, 24, "目录  Contents")
            pdf.set_xy(self.x, self.y + 24)
            pdf.set_font("cjk", "", 8.5)
            pdf.set_text_color(*MUTED)
            pdf.cell(
                self.width,
                12,
                "Pages are numbered from the cover (page 1). Copies: how "
                "many paper copies the office keeps (份数).",
            )
        self.y += 44
        self.header()

    def header(self) -> None:
        if not self.dry:
            pdf = self.pdf
            pdf.set_font("cjk", "B", 8)
            pdf.set_text_color(*MUTED)
            pdf.set_xy(self.x, self.y)
            pdf.cell(self.NUMBER - 6, 16, "#", align="R")
            pdf.cell(6, 16, "")
            pdf.cell(self.title_w, 16, "材料 Requirement  /  文件 Documents")
            pdf.cell(self.PAGES, 16, "页码 Pages", align="R")
            pdf.cell(self.COPIES, 16, "份数 Copies", align="C")
        self.y += 16
        self.rule(INK, 0.8)

    def rule(self, colour: tuple[int, int, int] = RULE, width: float = 0.5) -> None:
        if not self.dry:
            self.pdf.set_draw_color(*colour)
            self.pdf.set_line_width(width)
            self.pdf.line(self.x, self.y, self.x + self.width, self.y)

    def room(self, height: float) -> None:
        """A new page (with the header again) unless ``height`` still fits on this one."""
        if self.y + height > self.bottom:
            self.new_page()
            self.header()

    def slot(self, number: int, zh: str, en: str, pages: str, copies: str) -> None:
        self.room(34 + 18)
        y = self.y
        self.y += 34
        if self.dry:
            return
        pdf = self.pdf
        pdf.set_fill_color(*SHADE)
        pdf.rect(self.x, y, self.width, 34, style="F")
        pdf.set_text_color(*NAVY)
        pdf.set_font("cjk", "B", 10)
        pdf.set_xy(self.x, y)
        pdf.cell(self.NUMBER - 6, 34, str(number), align="R")
        pdf.set_xy(self.x + self.NUMBER, y + 4)
        pdf.cell(self.title_w, 13, _fit(pdf, zh, self.title_w - 4))
        pdf.set_xy(self.x + self.NUMBER, y + 17)
        pdf.set_font("cjk", "B", 9)
        pdf.set_text_color(*INK)
        pdf.cell(self.title_w, 13, _fit(pdf, en, self.title_w - 4))
        pdf.set_font("cjk", "", 9.5)
        pdf.set_xy(self.x + self.NUMBER + self.title_w, y)
        pdf.cell(self.PAGES, 34, pages, align="R")
        pdf.cell(self.COPIES, 34, copies, align="C")

    def document(self, label: str, pages: str) -> None:
        self.room(18)
        y = self.y
        self.y += 18
        if self.dry:
            return
        pdf = self.pdf
        pdf.set_font("cjk", "", 9)
        pdf.set_text_color(*INK)
        pdf.set_xy(self.x + self.NUMBER + 10, y)
        pdf.cell(self.title_w - 10, 18, _fit(pdf, label, self.title_w - 14))
        pdf.cell(self.PAGES, 18, pages, align="R")
        pdf.set_draw_color(*SHADE)
        pdf.set_line_width(0.4)
        right = self.x + self.NUMBER + self.title_w + self.PAGES
        pdf.line(self.x + self.NUMBER + 10, y + 18, right, y + 18)

    def note(self, text: str, colour: tuple[int, int, int]) -> None:
        pdf = self.pdf
        pdf.set_font("cjk", "", 8.5)
        width = self.title_w + self.PAGES - 10
        lines = [text]
        if pdf.get_string_width(text) > width - 4:
            lines = pdf.multi_cell(width, 12, text, dry_run=True, output="LINES")[:2]
        self.room(12 * len(lines) + 6)
        y = self.y + 3
        self.y += 12 * len(lines) + 6
        if self.dry:
            return
        pdf.set_text_color(*colour)
        for index, line in enumerate(lines):
            pdf.set_xy(self.x + self.NUMBER + 10, y + 12 * index)
            pdf.cell(width, 12, _fit(pdf, line, width - 4) if index == len(lines) - 1 else line)

    def end_slot(self) -> None:
        self.y += 2
        self.rule()
        self.y += 2


def _contents(pdf: Any, plan: Plan, offset: int, *, dry: bool = False) -> int:
    """Lays the contents out (or, ``dry``, only counts its pages); returns the page count."""
    pages = {
        index: [n + offset for _, n in pairs] for index, pairs in plan.document_sheets().items()
    }
    by_section: dict[int, list[int]] = {}
    for index, section_index in enumerate(plan.doc_section):
        by_section.setdefault(section_index, []).append(index)
    layout = _ContentsLayout(pdf, dry)
    layout.title()
    for number, section in enumerate(plan.sections, start=1):
        docs = by_section.get(number - 1, [])
        all_pages = [n for i in docs for n in pages.get(i, [])]
        copies = f"×{section.copies}" if section.copies else "—"
        layout.slot(
            number,
            section.title_zh,
            section.title_en,
            _page_ranges(all_pages) if all_pages else "",
            copies,
        )
        for index in docs:
            layout.document(
                _document_label(plan.documents[index]), _page_ranges(pages.get(index, []))
            )
        problem = _shorten(section.problem, 200)
        if not docs:
            layout.note(
                problem or section.state or "No document filed · 未提交",
                AMBER if problem else MUTED,
            )
        elif problem:
            layout.note(problem, AMBER)
        if section.copies_note:
            layout.note(section.copies_note, MUTED)
        layout.end_slot()
    pdf.set_text_color(*INK)
    return layout.pages


def _estimate_pages(info: CoverInfo, plan: Plan) -> int:
    """A first guess of the cover and contents page count (right in most cases, which saves
    laying the contents out twice: the count feeds back into the page numbers)."""
    height = 70.0  # the contents title and header
    docs_by_section: dict[int, int] = {}
    for section_index in plan.doc_section:
        docs_by_section[section_index] = docs_by_section.get(section_index, 0) + 1
    for index, section in enumerate(plan.sections):
        docs = docs_by_section.get(index, 0)
        notes = [section.problem or (section.state if not docs else ""), section.copies_note]
        height += 38 + 18 * docs + sum(18 if len(n) < 90 else 30 for n in notes if n)
    return 1 + max(1, math.ceil(height / 710))


def render_cover(info: CoverInfo, plan: Plan) -> tuple[bytes, int]:
    """The cover and contents pages as a PDF, and their count (which the page numbers in the
    contents include: it is measured first, then everything is laid out once)."""
    pdf = _pdf()
    pdf.set_title(f"{info.applicant} — {info.title_en}")
    pdf.add_page()  # the cover's; measuring wraps text on it without drawing
    count = 1 + _contents(pdf, plan, 0, dry=True)
    _cover_page(pdf, info, plan, len(plan.sheets) + count)
    _contents(pdf, plan, count)
    if pdf.pages_count != count:  # never expected; then lay out again with the true count
        count = pdf.pages_count
        _close(pdf)
        pdf = _pdf()
        pdf.add_page()
        _cover_page(pdf, info, plan, len(plan.sheets) + count)
        _contents(pdf, plan, count)
    return _bytes(pdf), pdf.pages_count


def _render_in_child(info: CoverInfo, plan: Plan, connection: Connection) -> None:
    # The parent's handlers (the command line turns SIGTERM into KeyboardInterrupt) are not
    # this child's business: a terminate() from the parent must simply end it.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        connection.send(render_cover(info, plan))
    except BaseException as exc:  # reported to the parent, which lays the cover out itself
        connection.send(f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()


class CoverJob:
    """Lays the cover out, in a forked child process when that is safe.

    fpdf2 sets text in pure Python (about a second for a long contents); a child process
    does it on the other core while the pages are copied. Only a single-threaded process
    forks (the command line); the window's worker threads make fork unsafe, so there, and
    where fork does not exist, the cover is laid out in place.
    """

    def __init__(self, info: CoverInfo, plan: Plan, *, background: bool = True) -> None:
        self.info, self.plan = info, plan
        self.estimate = _estimate_pages(info, plan)
        self._result: tuple[bytes, int] | None = None
        self._process: Any = None
        self._connection: Connection | None = None
        self._pdf: pikepdf.Pdf | None = None
        if (
            background
            and threading.active_count() == 1
            and "fork" in multiprocessing.get_all_start_methods()
        ):
            context = multiprocessing.get_context("fork")
            receiver, sender = context.Pipe(duplex=False)
            self._process = context.Process(
                target=_render_in_child, args=(info, plan, sender), daemon=True
            )
            self._process.start()
            sender.close()
            self._connection = receiver

    def _finish(self) -> tuple[bytes, int]:
        if self._result is None and self._connection is not None:
            try:
                received = self._connection.recv()
            except (EOFError, OSError):
                received = None
            self._stop()
            if isinstance(received, tuple):
                self._result = received
        if self._result is None:
            self._result = render_cover(self.info, self.plan)
        return self._result

    def page_count(self) -> int:
        return self._finish()[1]

    def pdf(self) -> pikepdf.Pdf:
        """The cover pages, opened (closed by ``close``)."""
        if self._pdf is None:
            self._pdf = pikepdf.open(io.BytesIO(self._finish()[0]))
        return self._pdf

    def _stop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None

    def close(self) -> None:
        """Stops the child if it still runs and closes the cover PDF."""
        self._stop()
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None


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
