"""Registers the shipped CJK font so Chinese renders even where the system has no CJK font."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo
from PySide6.QtWidgets import QApplication

from yongju.core.packet.glyphs import CJK_FONTS, CJK_WHOLE, SCRIPTS
from yongju.core.resources import resource_path

# The whole Regular face (a name such as 王喆 shows whole in the window, as in the packet);
# Qt reads a registered font lazily, so its size costs nothing at start-up.
CJK_FONT_FILES = (CJK_WHOLE, CJK_FONTS["B"])
SCRIPT_FONT_FILES = tuple(f"NotoSans{script}-Regular.ttf" for script in SCRIPTS)


@dataclass(frozen=True)
class FontSetup:
    """What ``install_fonts`` did: the shipped family's name and whether it is now the fallback."""

    cjk_family: str | None
    system_has_cjk: bool
    fallback_installed: bool


def system_cjk_families() -> list[str]:
    """Font families the system offers for Simplified Chinese (before ours is added)."""
    return list(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def register_cjk_font() -> str | None:
    """Adds the shipped Noto Sans CJK SC (and the other scripts' faces, which Qt's fallback
    finds by itself) to Qt's font database; the CJK family, or None."""
    for name in SCRIPT_FONT_FILES:
        path = resource_path("fonts", name)
        if path.is_file():
            QFontDatabase.addApplicationFont(str(path))
    family: str | None = None
    for name in CJK_FONT_FILES:
        path = resource_path("fonts", name)
        if not path.is_file():
            continue
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        family = family or (families[0] if families else None)
    return family


def install_fonts(app: QApplication) -> FontSetup:
    """Registers the CJK font and makes it the fallback of the application font.

    Qt tries a font's families in order for every character, so Latin text keeps the
    system's font and Han characters come from Noto Sans CJK SC. Without this, Qt's own
    fallback picks any CJK face, often a Japanese one, whose forms differ from the Simplified
    Chinese that applicants and officials read.
    """
    system_has_cjk = bool(system_cjk_families())
    family = register_cjk_font()
    if family is not None:
        font = QFont(app.font())
        # The resolved family ("Noto Sans"), not an alias like "Sans Serif" that Qt would
        # skip in a list, leaving every character to the CJK font.
        resolved = QFontInfo(font).family()
        first = resolved if resolved and resolved != family else font.family()
        font.setFamilies([first, family])
        app.setFont(font)
    return FontSetup(
        cjk_family=family, system_has_cjk=system_has_cjk, fallback_installed=family is not None
    )
