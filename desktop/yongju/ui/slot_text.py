"""A slot's title in the interface language (Chinese first for a Chinese interface)."""

from __future__ import annotations

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
