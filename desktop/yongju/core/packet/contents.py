"""The table of contents: every slot with its documents, page ranges and paper copies."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from yongju.core.packet.model import PacketDocument
from yongju.core.packet.typesetting import (
    AMBER,
    INK,
    MUTED,
    NAVY,
    ROLE_LABELS,
    RULE,
    SHADE,
    fit_text,
    shorten,
)

if TYPE_CHECKING:
    from yongju.core.packet.plan import Plan


def page_ranges(numbers: Sequence[int]) -> str:
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


def document_label(document: PacketDocument) -> str:
    en, zh = ROLE_LABELS.get(document.role.value, (document.role.value, ""))
    if not en:
        return document.title
    of = f" of {document.parent_title}" if document.parent_title else ""
    return f"{document.title}  [{en}{of} · {zh}]"


class ContentsLayout:
    """The contents as a ruled table, set line by line with ``cell`` (fpdf2's table lays
    every character out several times: seconds for a packet of a few hundred documents).

    With ``dry`` it only counts pages, with the same arithmetic: the count goes into the page
    numbers the contents print, so the pages are laid out once.
    """

    NUMBER, PAGES, COPIES = 24.0, 72.0, 60.0
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
        pdf.cell(self.title_w, 13, fit_text(pdf, zh, self.title_w - 4))
        pdf.set_xy(self.x + self.NUMBER, y + 17)
        pdf.set_font("cjk", "B", 9)
        pdf.set_text_color(*INK)
        pdf.cell(self.title_w, 13, fit_text(pdf, en, self.title_w - 4))
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
        pdf.cell(self.title_w - 10, 18, fit_text(pdf, label, self.title_w - 14))
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
            pdf.cell(width, 12, fit_text(pdf, line, width - 4) if index == len(lines) - 1 else line)

    def end_slot(self) -> None:
        self.y += 2
        self.rule()
        self.y += 2


def lay_out_contents(pdf: Any, plan: Plan, offset: int, *, dry: bool = False) -> int:
    """Lays the contents out (or, ``dry``, only counts its pages); returns the page count."""
    pages = {
        index: [n + offset for _, n in pairs] for index, pairs in plan.document_sheets().items()
    }
    by_section: dict[int, list[int]] = {}
    for index, section_index in enumerate(plan.doc_section):
        by_section.setdefault(section_index, []).append(index)
    layout = ContentsLayout(pdf, dry)
    layout.title()
    for number, section in enumerate(plan.sections, start=1):
        docs = by_section.get(number - 1, [])
        all_pages = [n for i in docs for n in pages.get(i, [])]
        copies = f"×{section.copies}" if section.copies else "—"
        layout.slot(
            number,
            section.title_zh,
            section.title_en,
            page_ranges(all_pages) if all_pages else "",
            copies,
        )
        for index in docs:
            layout.document(
                document_label(plan.documents[index]), page_ranges(pages.get(index, []))
            )
        problem = shorten(section.problem, 200)
        if not docs:
            layout.note(
                problem or section.note or section.state or "No document filed · 未提交",
                AMBER if problem else MUTED,
            )
        elif problem:
            layout.note(problem, AMBER)
        if section.note and (docs or problem):
            layout.note(shorten(section.note, 200), MUTED)
        if section.copies_note:
            layout.note(section.copies_note, MUTED)
        layout.end_slot()
    pdf.set_text_color(*INK)
    return layout.pages
