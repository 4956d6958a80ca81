"""Which shipped font prints each character, and which characters no shipped font can print.

The packet's own pages are set in a subset of Noto Sans CJK SC (GB 2312 and the profiles'
characters: small, so every export loads it fast) and Noto Sans (Latin, Greek, Cyrillic).
Texts that need more get fallbacks loaded for them alone: the whole Noto Sans CJK SC (喆, 堃
and the rest of GB 18030, kana, Hangul) and the Noto Sans faces of other scripts. A name in a
script none of them covers would silently vanish from the page, so the export looks first and
names those characters in a warning.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache

from yongju.core.resources import resource_path

CJK_FONTS = {"": "NotoSansCJKsc-Regular-subset.otf", "B": "NotoSansCJKsc-Bold-subset.otf"}
LATIN_FONTS = {"": "NotoSans-Regular-subset.ttf", "B": "NotoSans-Bold-subset.ttf"}
CJK_WHOLE = "NotoSansCJKsc-Regular.otf"
# Fallbacks in the order they are tried: the whole Chinese face, then the Regular faces of
# other scripts (kept in step with packaging/make-font's SCRIPTS).
SCRIPTS = (
    "Arabic", "Hebrew", "Syriac", "Thaana", "Devanagari", "Bengali", "Gurmukhi", "Gujarati",
    "Tamil", "Telugu", "Kannada", "Malayalam", "Sinhala", "Thai", "Lao", "Khmer", "Myanmar",
    "Georgian", "Armenian", "Ethiopic", "Mongolian",
)  # fmt: skip
SCRIPT_FONTS = (CJK_WHOLE, *(f"NotoSans{script}-Regular.ttf" for script in SCRIPTS))
# Characters that take no glyph of their own: controls, joiners and direction marks
# (categories Cc and Cf), line and paragraph separators.
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}


@cache
def coverage(name: str) -> frozenset[int]:
    """The code points the shipped font file ``name`` has a glyph for (its best character
    map, as HarfBuzz reads it: the same sets fontTools' ``getBestCmap`` gave, for every
    shipped font, in a twentieth of the time; all of them took 0.4 s of CPU, the first time
    an export checked a name)."""
    import uharfbuzz as hb  # type: ignore[import-untyped]

    face = hb.Face(hb.Blob.from_file_path(str(resource_path("fonts", name))))
    return frozenset(face.unicodes)


def _printable_by(name: str, char: str) -> bool:
    return ord(char) in coverage(name)


def _visible(char: str) -> bool:
    return not char.isspace() and unicodedata.category(char) not in _INVISIBLE


def script_fonts_for(texts: Iterable[str]) -> list[str]:
    """The fallback fonts that the characters of ``texts`` need (beyond the subsets)."""
    wanted: list[str] = []
    for char in _foreign_characters(texts):
        for name in SCRIPT_FONTS:
            if name not in wanted and _printable_by(name, char):
                wanted.append(name)
                break
    return wanted


def unprintable(texts: Iterable[str]) -> list[str]:
    """The characters of ``texts`` that no shipped font can print, in order of appearance."""
    return [
        char
        for char in _foreign_characters(texts)
        if not any(_printable_by(name, char) for name in SCRIPT_FONTS)
    ]


def _foreign_characters(texts: Iterable[str]) -> list[str]:
    """Visible characters of ``texts`` that neither the Chinese nor the Latin subset has."""
    seen: set[str] = set()
    found: list[str] = []
    for text in texts:
        for char in text:
            if char in seen or char.isascii():
                continue
            seen.add(char)
            if not _visible(char):
                continue
            if _printable_by(CJK_FONTS[""], char) or _printable_by(LATIN_FONTS[""], char):
                continue
            found.append(char)
    return found


def unprintable_warning(texts: Iterable[str]) -> str | None:
    """One sentence naming the characters that will be left out of the packet, or None."""
    missing = unprintable(texts)
    if not missing:
        return None
    shown = ", ".join(f"{char} (U+{ord(char):04X})" for char in missing[:8])
    more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
    return (
        f"No font shipped with Yongju can print {shown}{more}; "
        "these characters are left out of the cover, contents and page stamps."
    )


def needs_shaping(texts: Iterable[str]) -> bool:
    """True when ``texts`` hold right-to-left or complex-script characters (HarfBuzz shapes
    them; Chinese and Latin are set without it, which is several times faster)."""
    return any(name != CJK_WHOLE for name in script_fonts_for(texts))
