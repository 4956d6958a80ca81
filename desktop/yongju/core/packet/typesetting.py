"""Typesetting shared by the cover, the contents and the stamps: fonts and colours.

Chinese is set in a Noto Sans CJK SC subset shipped in ``resources/fonts`` (subset again in
each packet), with Noto Sans for accented Latin, Greek and Cyrillic, and, only for texts that
need them, the whole Chinese face and the faces of other scripts (see ``glyphs``);
right-to-left and complex scripts are shaped by HarfBuzz.
"""

from __future__ import annotations

import collections
import contextlib
import copy
import datetime as dt
import functools
import io
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from yongju.core.packet.glyphs import CJK_FONTS, LATIN_FONTS, needs_shaping, script_fonts_for
from yongju.core.resources import resource_path

INK = (33, 37, 41)
MUTED = (108, 117, 125)
RULE = (206, 212, 218)
NAVY = (24, 54, 94)
GREEN = (46, 125, 50)
AMBER = (191, 102, 0)
SHADE = (243, 245, 248)
ROLE_LABELS = {
    "original": ("", ""),
    "legalisation": ("legalisation", "认证"),
    "translation": ("translation", "翻译件"),
}


def new_pdf(texts: Iterable[str] = ()) -> Any:
    """An A4 fpdf2 document with the shipped fonts, ready for ``texts``: the fallback fonts
    their characters need are added, and shaping is turned on when they need it."""
    from fpdf import FPDF

    texts = list(texts)
    shaping = needs_shaping(texts)
    kind = _shaped_where_needed() if shaping else FPDF
    pdf = kind(orientation="P", unit="pt", format="A4")
    pdf.set_auto_page_break(auto=True, margin=56)
    pdf.set_margins(56, 56, 56)
    fonts = resource_path("fonts")
    for style, name in CJK_FONTS.items():
        add_font(pdf, "cjk", style, fonts / name)
    for style, name in LATIN_FONTS.items():
        add_font(pdf, "latin", style, fonts / name)
    fallbacks = ["latin"]
    for index, name in enumerate(script_fonts_for(texts)):
        add_font(pdf, f"fallback{index}", "", fonts / name)
        fallbacks.append(f"fallback{index}")
    pdf.set_fallback_fonts(fallbacks, exact_match=False)
    pdf.set_font("cjk", "", 10)
    pdf.set_text_color(*INK)
    pdf.set_creator("Yongju")
    return pdf


@functools.cache
def _shaped_where_needed() -> Any:
    """An fpdf2 document that shapes with HarfBuzz only the texts that need it (one Arabic
    name shaped every text of its packet, which made the layout several times slower)."""
    from fpdf import FPDF

    class ShapedWhereNeeded(FPDF):
        def cell(self, w: Any = None, h: Any = None, text: str = "", *a: Any, **k: Any) -> Any:
            with self._shaped(text):
                return super().cell(w, h, text, *a, **k)

        def multi_cell(self, w: Any, h: Any = None, text: str = "", *a: Any, **k: Any) -> Any:
            with self._shaped(text):
                return super().multi_cell(w, h, text, *a, **k)

        def get_string_width(self, s: str, *a: Any, **k: Any) -> float:
            with self._shaped(s):
                return float(super().get_string_width(s, *a, **k))

        @contextlib.contextmanager
        def _shaped(self, text: str) -> Iterator[None]:
            if not needs_shaping([text]):
                yield
                return
            self.set_text_shaping(True)
            try:
                yield
            finally:
                self.set_text_shaping(False)

    return ShapedWhereNeeded


# fpdf2 reads a font's metrics (every glyph's width, the character map) each time a
# document adds it: about 0.45 s for each Chinese face, twice a packet (the cover and the
# stamps) and again for every export. Those metrics never change, so they are read once a
# process and each document gets its own copy of them with a fresh, lazily read font file,
# which fpdf2 subsets in place when it writes the document.
_parsed: dict[Path, Any] = {}
# The tables fontTools' subsetter reads whole from each document's font file (a third of the
# time it took a packet): read once too, and each document given its own copy. A Chinese
# face is subset from a cut (_only_printed_glyphs) instead: of its tables only the widths
# are kept, which shaping looks up (its vertical metrics took 0.25 s to read, whole face).
_KEPT = ("cmap", "hmtx", "vmtx")
_KEPT_CUT = ("hmtx",)
_tables: dict[Path, dict[str, Any]] = {}
# A face embedded as a whole file (not cut) is subset by fontTools from its glyph order, which
# it derives from the character map glyph by glyph (a third of subsetting a Latin face):
# derived once too, and each document given its own copy.
_orders: dict[Path, list[str]] = {}
_parsed_lock = threading.Lock()


def add_font(pdf: Any, family: str, style: str, path: Path) -> None:
    """``pdf.add_font(family, style, path)``, with the font's metrics read once a process.

    Each document's font shares the parsed character map and descriptor (as fpdf2's own
    copies of a font do) and has its own widths, glyph ids, subset and font file.
    """
    from fontTools.ttLib import TTFont
    from fpdf.enums import TextEmphasis
    from fpdf.fonts import SubsetMap

    fontkey = f"{family.lower()}{style}"
    with _parsed_lock:
        parsed = _parsed.get(path)
        if parsed is None:
            # fpdf2 reads the font's descriptor; its character map and widths, read for one
            # character only, are then read whole by HarfBuzz (_read_character_map).
            pdf.add_font(family, style, str(path), unicode_range=[_ONE_CHARACTER])
            font = pdf.fonts[fontkey]
            _read_character_map(font)
            font.ttfont.recalcBBoxes = False  # see _fresh_file
            _drop_unread(font.ttfont)
            kept = _KEPT_CUT if _is_cut(font) else _KEPT
            _tables[path] = {t: _own_copy(font.ttfont[t]) for t in kept if t in font.ttfont}
            if not _is_cut(font):
                _orders[path] = list(font.ttfont.getGlyphOrder())
            _parsed[path] = parsed = copy.copy(font)
            parsed.cw, parsed.glyph_ids = copy.copy(font.cw), dict(font.glyph_ids)
            parsed.ttfont = parsed.subset = None  # that document's own, not kept
            return
    font = copy.copy(parsed)
    font.i = len(pdf.fonts) + 1
    font.fontkey = fontkey
    font.emphasis = TextEmphasis.coerce(style)
    font.cw = copy.copy(parsed.cw)  # a defaultdict: looking up a character adds it
    font.glyph_ids = dict(parsed.glyph_ids)
    font.ttfont = _fresh_file(TTFont, path)
    for tag, table in _tables[path].items():
        font.ttfont[tag] = _own_copy(table)
    if path in _orders:
        font.ttfont.setGlyphOrder(list(_orders[path]))
    font.subset = SubsetMap(font)
    font.biggest_size_pt = 0
    font.missing_glyphs = []
    font._hbfont = None
    pdf.fonts[fontkey] = font
    if font.is_cff and font.is_cid_keyed:
        pdf._set_min_pdf_version("1.6")


_ONE_CHARACTER = 0x20


def _read_character_map(font: Any) -> None:
    """Sets fpdf2's character map (code point to glyph name), glyph ids and widths of
    ``font`` as fpdf2 reads them, but read by HarfBuzz.

    fpdf2 decompiles the whole character map and looks each character up in fontTools'
    tables, one Python call after another: 0.08 s for each Chinese subset, 0.4 s for the
    whole Chinese face, which every export (and every ``yongju export``) paid once. The
    same maps from HarfBuzz take a third of that (tests/core/test_packet_fonts.py compares
    the documents set with them, byte for byte, with documents set by fpdf2 alone).
    """
    if font.is_symbol:  # no Unicode character map: fpdf2's own reading stands (none shipped)
        return
    import uharfbuzz as hb  # type: ignore[import-untyped]
    from fpdf.fonts import SubsetMap

    face = hb.Face(hb.Blob.from_file_path(str(font.ttffile)))
    reader = hb.Font(face)  # its scale is the font's units, as fontTools' tables
    order = font.ttfont.getGlyphOrder()
    cmap: dict[int, str] = {}
    glyph_ids: dict[int, int] = {}
    # The missing glyph's width for the characters it lacks, as fpdf2's own.
    widths: collections.defaultdict[int, float] = collections.defaultdict(font.cw.default_factory)
    for char in sorted(face.unicodes):  # each has a glyph: read from the same map
        glyph = reader.get_nominal_glyph(char)
        width = reader.get_glyph_h_advance(glyph)
        cmap[char], glyph_ids[char] = order[glyph], glyph
        widths[char] = round(font.scale * (0 if width == 65535 else width) + 0.001)
    font.cmap, font.glyph_ids, font.cw = cmap, glyph_ids, widths
    font.subset = SubsetMap(font)  # made from the character map: made again from the whole


_DROPPED_UNREAD = ("GDEF", "GPOS", "GSUB")


def _fresh_file(ttfont_type: Any, path: Path) -> Any:
    """The font file opened as fpdf2 opens it: lazily, each table read when first used."""
    ttfont = ttfont_type(path, recalcTimestamp=False, lazy=True)
    # The shipped fonts' boxes are already right; recomputing them from every outline when
    # fpdf2 saves its subset costs ~0.4 s a packet.
    ttfont.recalcBBoxes = False
    _drop_unread(ttfont)
    return ttfont


def _own_copy(table: Any) -> Any:
    """A copy of a decompiled character map or metrics table with maps of its own (the
    subsetter replaces them, and may then change the new ones in place)."""
    own = copy.copy(table)
    if table.tableTag != "cmap":
        own.metrics = dict(table.metrics)
        return own
    own.tables = []
    for subtable in table.tables:
        subtable.ensureDecompiled()
        mine = copy.copy(subtable)
        mine.ttFont = None  # read already: no need to keep the font it was read from
        if hasattr(subtable, "cmap"):
            mine.cmap = dict(subtable.cmap)
        if hasattr(subtable, "uvsDict"):
            mine.uvsDict = {selector: list(pairs) for selector, pairs in subtable.uvsDict.items()}
        own.tables.append(mine)
    return own


def _drop_unread(ttfont: Any) -> None:
    """Removes the layout tables from a lazily opened font before they are read: fpdf2
    drops them from every subset, but fontTools' subsetter reads them whole before it drops
    them (half the time a cover and stamps took). HarfBuzz shapes from the file itself."""
    for tag in _DROPPED_UNREAD:
        if tag in ttfont:
            del ttfont[tag]


def pdf_bytes(pdf: Any) -> bytes:
    """The finished PDF, with the fonts its pages use; the font files fpdf2 keeps open (it
    reads them lazily) are closed."""
    try:
        _drop_unused_fonts(pdf)
        for font in pdf.fonts.values():
            _only_printed_glyphs(font)
        return bytes(pdf.output())
    finally:
        close_fonts(pdf)


# The one table the cut keeps: fpdf2 embeds a CID-keyed face as its CFF table alone (its
# widths and descriptor were read from the shipped file), so fontTools need not read, prune
# and write the others (a third of subsetting the cut). Without the layout tables HarfBuzz
# adds no alternate glyphs (vertical forms, ligatures) to the cut.
_CUT_KEEPS = "CFF "


def _is_cut(font: Any) -> bool:
    """Whether fpdf2 subsets ``font`` from a cut of its file (a CID-keyed CFF face)."""
    return bool(font.is_cff and font.is_cid_keyed)


def _only_printed_glyphs(font: Any) -> None:
    """Gives a Chinese face's document, before fpdf2 subsets it, a font file that holds only
    the glyphs its pages print, cut from the shipped file by HarfBuzz's subsetter.

    fontTools took ~0.1 s to subset a Chinese face (0.3 s the whole one) however few glyphs
    a document printed, most of it reading and pruning the font's 14,000 (62,000) glyphs;
    HarfBuzz cuts the file in a few milliseconds, and fontTools then subsets the cut. fpdf2
    embeds a CID-keyed face as its CFF table alone, which keeps the glyphs' names (their
    CIDs) and outlines: the embedded bytes are the same as fontTools made from the whole
    file (tests/core/test_packet_fonts.py compares them). Other faces are small and are
    embedded whole, so they are left as they are.
    """
    if not _is_cut(font):
        return
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    glyphs = [glyph for glyph, _ in font.subset.items() if glyph is not None]
    wanted = hb.SubsetInput()
    for glyph_id in {0, *(glyph.glyph_id for glyph in glyphs)}:
        wanted.glyph_set.add(glyph_id)
    face = hb.Face(hb.Blob.from_file_path(str(font.ttffile)))
    for tag in face.table_tags:
        if tag != _CUT_KEEPS:
            wanted.drop_table_tag_set.add(int.from_bytes(tag.encode("ascii"), "big"))
    wanted.flags = hb.SubsetFlags.NOTDEF_OUTLINE  # fpdf2 keeps .notdef's box too
    made = hb.subset(face, wanted)
    if made is None:  # HarfBuzz could not cut it (never seen): the whole file, as always
        return
    cut = TTFont(io.BytesIO(bytes(made.blob.data)), recalcTimestamp=False)
    cut.recalcBBoxes = False  # as _fresh_file
    if not {glyph.glyph_name for glyph in glyphs} <= set(cut.getGlyphOrder()):
        cut.close()  # never expected: fpdf2 then subsets the whole file too
        return
    font.ttfont.close()
    font.ttfont = cut


def _drop_unused_fonts(pdf: Any) -> None:
    """Takes the fonts no page uses out of ``pdf``: fpdf2 subsets and embeds every font it
    was given, used or not (the Latin faces, needed only for names the Chinese subset lacks;
    the bold Chinese face in a packet without a cover), which was 40% of the time it took
    to write a packet's stamps. The pages name the fonts they use in their resources."""
    catalog = getattr(pdf, "_resource_catalog", None)  # fpdf2's own; the lock has 2.8.9
    if catalog is None:
        return  # an fpdf2 without it: every font is embedded, as it always was
    from fpdf.enums import PDFResourceType

    used = {int(i) for i in catalog.get_used_resources(PDFResourceType.FONT)}
    for key, font in list(pdf.fonts.items()):
        if font.i not in used:
            close_fonts_of([font])
            del pdf.fonts[key]


def close_fonts(pdf: Any) -> None:
    close_fonts_of(pdf.fonts.values())


def close_fonts_of(fonts: Iterable[Any]) -> None:
    for font in fonts:
        ttfont = getattr(font, "ttfont", None)
        if ttfont is not None:
            ttfont.close()


def date_text(value: dt.date | None, missing: str = "not set · 未设定") -> str:
    return value.isoformat() if value is not None else missing
