"""Words shown to people: slot titles in the interface language, counted nouns."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale


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


# The checklist's problems, worded as core words them in English (a test keeps the two equal).
PROBLEM_TEXTS = {
    "more_documents": QT_TRANSLATE_NOOP("Checklist", "{count} more document(s) needed"),
    "needs_issue_date": QT_TRANSLATE_NOOP("Checklist", "'{document}' needs its issue date"),
    "needs_expiry_date": QT_TRANSLATE_NOOP("Checklist", "'{document}' needs its expiry date"),
    "needs_translation": QT_TRANSLATE_NOOP("Checklist", "'{document}' needs a Chinese translation"),
    "needs_apostille": QT_TRANSLATE_NOOP(
        "Checklist", "'{document}' needs its apostille or legalisation"
    ),
    "needs_notarisation": QT_TRANSLATE_NOOP("Checklist", "'{document}' needs its notarisation"),
    "expired": QT_TRANSLATE_NOOP("Checklist", "'{document}' was valid until {until}"),
    "expires_before_submission": QT_TRANSLATE_NOOP(
        "Checklist", "'{document}' is valid only until {until}, before {reference}"
    ),
}


def problem_words(problem: Any) -> str:
    """One checklist problem in the interface language."""
    template = QCoreApplication.translate("Checklist", PROBLEM_TEXTS[problem.kind.value])
    text = template.format(
        document=problem.document,
        count=problem.count,
        until=problem.until,
        reference=problem.reference,
    )
    return counted(text, problem.count)


def slot_message(status: Any) -> str:
    """What is wrong in a slot, in the interface language (empty when nothing is)."""
    separator = "；" if chinese_interface() else "; "
    return separator.join(problem_words(p) for p in status.problems)
