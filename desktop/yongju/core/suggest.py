"""Suggests a slot for a new document from its file name and text (English and Chinese)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

_SEPARATORS = re.compile(r"[\s_\-.,;:()\[\]{}+]+")


def _normalise(text: str) -> str:
    return " " + _SEPARATORS.sub(" ", text.lower()) + " "


def _matches(keyword: str, haystack: str) -> bool:
    keyword = keyword.lower().strip()
    if not keyword:
        return False
    if keyword.isascii():
        # Latin keywords must match whole words ("id" must not match inside "valid").
        return _normalise(keyword) in haystack
    return keyword in haystack


def suggest_slot(name: str, text: str, keywords: Mapping[str, Sequence[str]]) -> str | None:
    """The slot whose keywords best match ``name`` (file name) and ``text`` (text layer).

    A keyword found in the file name counts twice as much as one found in the text; longer
    keywords count more, so "marriage certificate" beats "certificate".
    """
    in_name = _normalise(name)
    in_text = _normalise(text[:4000])
    best: tuple[float, str] | None = None
    for slot_id, words in keywords.items():
        score = 0.0
        for word in words:
            weight = len(word) if word.isascii() else 3 * len(word)
            if _matches(word, in_name):
                score += 2 * weight
            elif in_text.strip() and _matches(word, in_text):
                score += weight
        if score and (best is None or score > best[0]):
            best = (score, slot_id)
    return best[1] if best else None
