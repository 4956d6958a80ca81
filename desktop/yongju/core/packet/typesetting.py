"""Typesetting shared by the cover, the contents and the stamps: fonts and colours.

Chinese is set in a Noto Sans CJK SC subset shipped in ``resources/fonts`` (subset again in
each packet), with Noto Sans for accented Latin, Greek and Cyrillic, and, only for texts that
need them, the whole Chinese face and the faces of other scripts (see ``glyphs``);
right-to-left and complex scripts are shaped by HarfBuzz.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
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
    pdf = FPDF(orientation="P", unit="pt", format="A4")
    pdf.set_auto_page_break(auto=True, margin=56)
    pdf.set_margins(56, 56, 56)
    fonts = resource_path("fonts")
    for style, name in CJK_FONTS.items():
        pdf.add_font("cjk", style, str(fonts / name))
    for style, name in LATIN_FONTS.items():
        pdf.add_font("latin", style, str(fonts / name))
    fallbacks = ["latin"]
    for index, name in enumerate(script_fonts_for(texts)):
        pdf.add_font(f"fallback{index}", "", str(fonts / name))
        fallbacks.append(f"fallback{index}")
    pdf.set_fallback_fonts(fallbacks, exact_match=False)
    if needs_shaping(texts):
        pdf.set_text_shaping(True)
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


def pdf_bytes(pdf: Any) -> bytes:
    """The finished PDF; the font files fpdf2 keeps open (it reads them lazily) are closed."""
    try:
        return bytes(pdf.output())
    finally:
        close_fonts(pdf)


def close_fonts(pdf: Any) -> None:
    for font in pdf.fonts.values():
        ttfont = getattr(font, "ttfont", None)
        if ttfont is not None:
            ttfont.close()


def date_text(value: dt.date | None, missing: str = "not set · 未设定") -> str:
    return value.isoformat() if value is not None else missing
