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
    "undecided": QT_TRANSLATE_NOOP("Checklist", "It applies when: {detail}"),
    "needs_issue_date": QT_TRANSLATE_NOOP("Checklist", "'{document}' needs its issue date"),
    "needs_expiry_date": QT_TRANSLATE_NOOP("Checklist", "'{document}' needs its expiry date"),
    "needs_legalisation_date": QT_TRANSLATE_NOOP(
        "Checklist", "'{document}' needs the date of its legalisation"
    ),
    "needs_origin": QT_TRANSLATE_NOOP(
        "Checklist",
        "'{document}' needs its origin: issued in China, abroad, or by a foreign mission in China",
    ),
    "needs_translation": QT_TRANSLATE_NOOP("Checklist", "'{document}' needs a Chinese translation"),
    "needs_apostille": QT_TRANSLATE_NOOP(
        "Checklist", "'{document}' needs its apostille or legalisation"
    ),
    "needs_notarisation": QT_TRANSLATE_NOOP("Checklist", "'{document}' needs its notarisation"),
    "expired": QT_TRANSLATE_NOOP("Checklist", "'{document}' was valid until {until}"),
    "expires_before_submission": QT_TRANSLATE_NOOP(
        "Checklist", "'{document}' is valid only until {until}, before {reference}"
    ),
    "freeze_too_short": QT_TRANSLATE_NOOP(
        "Checklist", "'{document}' must stay frozen until at least {until}"
    ),
    "issued_after_submission": QT_TRANSLATE_NOOP(
        "Checklist", "'{document}' is dated {until}, after the submission date {reference}"
    ),
    "issued_in_future": QT_TRANSLATE_NOOP(
        "Checklist", "'{document}' is dated {until}, in the future"
    ),
    "expiry_before_issue": QT_TRANSLATE_NOOP(
        "Checklist", "'{document}' expires ({until}) before it was issued ({reference})"
    ),
    "implausible_date": QT_TRANSLATE_NOOP(
        "Checklist", "'{document}' has an impossible date: {until}"
    ),
    "legalised_after_submission": QT_TRANSLATE_NOOP(
        "Checklist", "'{document}' was legalised on {until}, after {reference}"
    ),
    "expires_on_submission_day": QT_TRANSLATE_NOOP(
        "Checklist",
        "'{document}' expires on the submission day ({until}): it is still valid, "
        "but renew it if the date may slip",
    ),
}


def problem_words(problem: Any) -> str:
    """One checklist problem in the interface language."""
    template = QCoreApplication.translate("Checklist", PROBLEM_TEXTS[problem.kind.value])
    detail = problem.detail_zh if chinese_interface() and problem.detail_zh else problem.detail
    text = template.format(
        document=problem.document,
        count=problem.count,
        until=problem.until,
        reference=problem.reference,
        detail=detail,
    )
    return counted(text, problem.count).strip()


def slot_message(status: Any) -> str:
    """What is wrong in a slot (or why it does not apply), in the interface language."""
    separator = "；" if chinese_interface() else "; "
    words = [problem_words(p) for p in status.problems]
    reason = not_applicable_reason(status)
    if reason:
        words.append(reason)
    return separator.join(words)


def not_applicable_reason(status: Any) -> str:
    """Why a slot does not apply, in the interface language ("" when it applies)."""
    if status.state.value != "not_applicable" or not status.decision.reason:
        return ""
    decision = status.decision
    reason = decision.reason_zh if chinese_interface() and decision.reason_zh else decision.reason
    return QCoreApplication.translate("Checklist", "Reason: %1").replace("%1", reason)


DURATION_TEXTS = {
    "ok": QT_TRANSLATE_NOOP("Checklist", "%1: yes"),
    "needs_fact": QT_TRANSLATE_NOOP("Checklist", "%1: enter the date in the case's facts"),
    "too_short": QT_TRANSLATE_NOOP("Checklist", "%1: not until %2"),
    "bad_date": QT_TRANSLATE_NOOP("Checklist", "%1: the date is after the submission"),
}


def duration_words(status: Any) -> str:
    """A duration the rules demand and whether it is met, in the interface language."""
    title = status.duration.title_zh if chinese_interface() else status.duration.title_en
    template = QCoreApplication.translate("Checklist", DURATION_TEXTS[status.state.value])
    reached = status.reached.isoformat() if status.reached else ""
    return template.replace("%1", title).replace("%2", reached)
