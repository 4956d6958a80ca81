"""Words shown to people: slot titles in the interface language, counted nouns."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QLocale


def chinese_interface() -> bool:
    return QLocale().language() == QLocale.Language.Chinese


def slot_title(slot: Any) -> str:
    """The short title a person reads in menus, pills and undo texts."""
    return str(slot.title_zh if chinese_interface() else slot.title_en)


def two_line_title(slot: Any) -> str:
    """Both titles, the interface language's first."""
    first, second = (
        (slot.title_zh, slot.title_en) if chinese_interface() else (slot.title_en, slot.title_zh)
    )
    return f"{first}\n{second}"


def counted(text: str, n: int) -> str:
    """``tr("%n page(s)", "", n)`` without an English catalogue reads "1 page", "3 pages"."""
    return text.replace("(s)", "" if n == 1 else "s")


def one_line_title(item: Any) -> str:
    """Both titles on one line (a slot or a profile), the interface language's first."""
    return two_line_title(item).replace("\n", " · ")


def without_mnemonic(text: str) -> str:
    """ "&Import Files…" → "Import Files…", "导入文件(&I)…" → "导入文件…" (for buttons)."""
    return re.sub(r"\(&\w\)", "", text).replace("&", "")
