"""The table of contents: every slot with its documents, page ranges and paper copies."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from yongju.core.packet.model import PacketDocument, PacketSection
from yongju.core.packet.typesetting import (
    AMBER,
    INK,
    MUTED,
    NAVY,
    ROLE_LABELS,
    RULE,
    SHADE,
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


@dataclass(frozen=True)
class Row:
    """A piece of the contents that is never split: its height and how to draw it at a y."""

    height: float
    draw: Callable[[float], None]


@dataclass(frozen=True)
class Block:
    """A slot's rows, kept on one page (see ``ContentsLayout.block``)."""

    head: Row
    rows: Sequence[Row]
    continued: Row | None = None


class ContentsLayout:
    """The contents as a ruled table, set line by line with ``cell`` (fpdf2's table lays
    every character out several times: seconds for a packet of a few hundred documents).
    Long text wraps (``lines`` measures it); nothing is cut.

    A slot (its header, documents and notes) is kept on one page: it starts a new page when
    it does not fit, and only a slot taller than a whole page is split, its header repeated
    and marked "(continued) · 续".

    Every row is measured once; ``place`` then counts the pages (``dry``) or sets them, with
    the same arithmetic. The count goes into the page numbers the contents print, which
    change no row's height: they are added (``offset``) when the rows are drawn.
    """

    NUMBER, PAGES, COPIES = 24.0, 72.0, 60.0
    TOP = 56.0
    HEADER = 16.0  # the column header at the top of every page
    LINE = 12.0  # a line of a note

    def __init__(self, pdf: Any) -> None:
        self.pdf, self.dry = pdf, True
        self.x = pdf.l_margin
        self.width = pdf.w - pdf.l_margin - pdf.r_margin
        self.title_w = self.width - self.NUMBER - self.PAGES - self.COPIES
        self.note_w = self.title_w + self.PAGES - 10
        self.bottom = pdf.h - 56
        self.y = self.TOP
        self.pages = 0
        self.offset = 0  # the cover and contents pages before the packet's first sheet

    def place(self, blocks: Sequence[Block], *, dry: bool) -> int:
        """Counts the pages of ``blocks`` (``dry``) or sets them; returns the page count."""
        self.dry, self.y, self.pages = dry, self.TOP, 0
        self.title()
        for block in blocks:
            self.block(block.head, block.rows, block.continued)
        return self.pages

    def numbers(self, pages: Sequence[int]) -> str:
        """The packet pages ``pages`` (counted from the first sheet) as printed ranges."""
        return page_ranges([n + self.offset for n in pages])

    # ------------------------------------------------------------------ measuring
    def lines(self, text: str, width: float, style: str, size: float) -> list[str]:
        """``text`` wrapped to ``width`` in the font (measured once, before any page is set)."""
        pdf = self.pdf
        pdf.set_font("cjk", style, size)
        if "\n" not in text and pdf.get_string_width(text) <= width - 2 * pdf.c_margin:
            return [text]
        wrapped = pdf.multi_cell(width, self.LINE, text, dry_run=True, output="LINES")
        return [str(line) for line in wrapped] or [""]

    # ------------------------------------------------------------------ pages
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
        self.y += self.HEADER
        self.rule(INK, 0.8)

    def rule(self, colour: tuple[int, int, int] = RULE, width: float = 0.5) -> None:
        if not self.dry:
            self.pdf.set_draw_color(*colour)
            self.pdf.set_line_width(width)
            self.pdf.line(self.x, self.y, self.x + self.width, self.y)

    def next_page(self) -> None:
        self.new_page()
        self.header()

    def put(self, row: Row) -> None:
        if not self.dry:
            row.draw(self.y)
        self.y += row.height

    def block(self, head: Row, rows: Sequence[Row], continued: Row | None = None) -> None:
        """``head`` and ``rows`` on one page: on the next one unless they fit here. Only a
        block taller than a whole page is split, ``continued`` (if any) heading each part."""
        total = head.height + sum(row.height for row in rows)
        fresh = self.bottom - self.TOP - self.HEADER  # a whole page of rows
        at_top = self.y <= self.TOP + self.HEADER
        if self.y + total > self.bottom and not at_top:
            first = head.height + (rows[0].height if rows else 0)
            if total <= fresh or self.y + first > self.bottom:
                self.next_page()
        self.put(head)
        for row in rows:
            if self.y + row.height > self.bottom and self.y > self.TOP + self.HEADER:
                self.next_page()
                if continued is not None:
                    self.put(continued)
            self.put(row)

    # ------------------------------------------------------------------ rows
    def slot_head(
        self, number: int, zh: str, en: str, pages: Sequence[int] | None, copies: str
    ) -> Row:
        """A slot's shaded header; ``pages`` (None for a continued one: none printed)."""
        zh_lines = self.lines(zh, self.title_w, "B", 10)
        en_lines = self.lines(en, self.title_w, "B", 9)
        height = max(34.0, 8 + 13 * (len(zh_lines) + len(en_lines)))

        def draw(y: float) -> None:
            pdf = self.pdf
            pdf.set_fill_color(*SHADE)
            pdf.rect(self.x, y, self.width, height, style="F")
            pdf.set_text_color(*NAVY)
            pdf.set_font("cjk", "B", 10)
            pdf.set_xy(self.x, y)
            pdf.cell(self.NUMBER - 6, 34, str(number), align="R")
            line_y = y + 4
            for line in zh_lines:
                pdf.set_xy(self.x + self.NUMBER, line_y)
                pdf.cell(self.title_w, 13, line)
                line_y += 13
            pdf.set_font("cjk", "B", 9)
            pdf.set_text_color(*INK)
            for line in en_lines:
                pdf.set_xy(self.x + self.NUMBER, line_y)
                pdf.cell(self.title_w, 13, line)
                line_y += 13
            pdf.set_font("cjk", "", 9.5)
            pdf.set_xy(self.x + self.NUMBER + self.title_w, y)
            pdf.cell(self.PAGES, 34, self.numbers(pages) if pages else "", align="R")
            pdf.cell(self.COPIES, 34, copies, align="C")

        return Row(height, draw)

    def document(self, label: str, pages: Sequence[int]) -> Row:
        lines = self.lines(label, self.title_w - 10, "", 9)
        height = 18.0 if len(lines) == 1 else self.LINE * len(lines) + 6

        def draw(y: float) -> None:
            pdf = self.pdf
            pdf.set_font("cjk", "", 9)
            pdf.set_text_color(*INK)
            if len(lines) == 1:
                pdf.set_xy(self.x + self.NUMBER + 10, y)
                pdf.cell(self.title_w - 10, 18, lines[0])
            else:
                for index, line in enumerate(lines):
                    pdf.set_xy(self.x + self.NUMBER + 10, y + 3 + self.LINE * index)
                    pdf.cell(self.title_w - 10, self.LINE, line)
            pdf.set_xy(self.x + self.NUMBER + self.title_w, y)
            pdf.cell(self.PAGES, 18, self.numbers(pages), align="R")
            pdf.set_draw_color(*SHADE)
            pdf.set_line_width(0.4)
            right = self.x + self.NUMBER + self.title_w + self.PAGES
            pdf.line(self.x + self.NUMBER + 10, y + height, right, y + height)

        return Row(height, draw)

    def note(self, text: str, colour: tuple[int, int, int], indent: float | None = None) -> Row:
        x = self.x + (self.NUMBER + 10 if indent is None else indent)
        width = self.x + self.NUMBER + self.title_w + self.PAGES - x
        self.pdf.set_font("cjk", "", 8.5)
        lines = self.lines(_one_line_if_short(self.pdf, text, width), width, "", 8.5)

        def draw(y: float) -> None:
            pdf = self.pdf
            pdf.set_font("cjk", "", 8.5)
            pdf.set_text_color(*colour)
            for index, line in enumerate(lines):
                pdf.set_xy(x, y + 3 + self.LINE * index)
                pdf.cell(width, self.LINE, line)

        return Row(self.LINE * len(lines) + 6, draw)

    def end(self) -> Row:
        def draw(y: float) -> None:
            self.pdf.set_draw_color(*RULE)
            self.pdf.set_line_width(0.5)
            self.pdf.line(self.x, y + 2, self.x + self.width, y + 2)

        return Row(4.0, draw)


def _one_line_if_short(pdf: Any, text: str, width: float) -> str:
    """Chinese and English ("中文\nEnglish") side by side when both fit on one line."""
    chinese, newline, english = text.partition("\n")
    if not newline or "\n" in english:
        return text
    joined = f"{chinese}  ·  {english}"
    return joined if pdf.get_string_width(joined) <= width - 2 * pdf.c_margin else text


def _empty_optional_words(numbered: Sequence[tuple[int, PacketSection]]) -> str:
    slots = "；".join(f"{n} {s.title_zh} {s.title_en}" for n, s in numbered)
    return f"可选，未提供 · Optional, empty:  {slots}"


class Contents:
    """The contents of ``plan`` in ``pdf``, measured once: ``count`` says how many pages
    they take, ``draw`` sets them (a dry pass measured every row again, a third of the
    contents' time)."""

    def __init__(self, pdf: Any, plan: Plan) -> None:
        self.pdf = pdf
        self.layout = ContentsLayout(pdf)
        with _placing_itself(pdf):
            self.blocks = _blocks(self.layout, plan)

    def count(self) -> int:
        return self.layout.place(self.blocks, dry=True)

    def draw(self, offset: int) -> int:
        """Sets the contents on new pages, the packet's pages numbered after ``offset``."""
        self.layout.offset = offset
        with _placing_itself(self.pdf):
            pages = self.layout.place(self.blocks, dry=False)
        self.pdf.set_text_color(*INK)
        return pages


@contextlib.contextmanager
def _placing_itself(pdf: Any) -> Iterator[None]:
    """No automatic page breaks: the layout places every line itself."""
    auto_break, break_margin = pdf.auto_page_break, pdf.b_margin
    pdf.set_auto_page_break(False)
    try:
        yield
    finally:
        pdf.set_auto_page_break(auto_break, margin=break_margin)


def _blocks(layout: ContentsLayout, plan: Plan) -> list[Block]:
    """Every slot's rows, measured, in order; the empty optional slots in one line last."""
    pages = {index: [n for _, n in pairs] for index, pairs in plan.document_sheets().items()}
    by_section: dict[int, list[int]] = {}
    for index, section_index in enumerate(plan.doc_section):
        by_section.setdefault(section_index, []).append(index)
    blocks: list[Block] = []
    empty: list[tuple[int, PacketSection]] = []
    for number, section in enumerate(plan.sections, start=1):
        docs = by_section.get(number - 1, [])
        if section.optional_empty and not docs:
            empty.append((number, section))
            continue
        all_pages = [n for i in docs for n in pages.get(i, [])]
        copies = f"×{section.copies}" if section.copies else "—"
        head = layout.slot_head(number, section.title_zh, section.title_en, all_pages, copies)
        rows = [layout.document(document_label(plan.documents[i]), pages.get(i, [])) for i in docs]
        if not docs:
            rows.append(
                layout.note(
                    section.problem
                    or section.note
                    or section.state
                    or "未提交 · No document filed",
                    AMBER if section.problem else MUTED,
                )
            )
        elif section.problem:
            rows.append(layout.note(section.problem, AMBER))
        if section.note and (docs or section.problem):
            rows.append(layout.note(section.note, MUTED))
        if section.copies_note:
            rows.append(layout.note(section.copies_note, MUTED))
        rows.append(layout.end())
        continued = layout.slot_head(
            number, section.title_zh, section.title_en + "  (continued) · 续", None, ""
        )
        blocks.append(Block(head, rows, continued))
    if empty:
        blocks.append(Block(layout.note(_empty_optional_words(empty), MUTED, indent=0.0), []))
    return blocks
