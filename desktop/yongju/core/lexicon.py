"""The keyword lexicon (``keywords.toml``): slot id → words, per language, that suggest the slot.

Keywords live apart from the rule files so that words and rules are edited independently.
The format is described in ``docs/profiles.md`` and at the top of the shipped file.
"""

from __future__ import annotations

import difflib
import functools
import tomllib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yongju.core.errors import ProfileError

KEYWORDS_FILE = "keywords.toml"
LANGUAGES = ("en", "zh", "fr", "nl", "de", "es", "ru")
_ENTRY_KEYS = {*LANGUAGES, "like"}


@dataclass(frozen=True)
class Lexicon:
    """Slot id → language → keywords; ``words(slot_id)`` flattens one slot's."""

    entries: Mapping[str, Mapping[str, tuple[str, ...]]]

    def words(self, slot_id: str) -> tuple[str, ...]:
        by_language = self.entries.get(slot_id, {})
        return tuple(dict.fromkeys(w for lang in LANGUAGES for w in by_language.get(lang, ())))

    def languages(self, slot_id: str) -> tuple[str, ...]:
        """The languages that have at least one keyword for ``slot_id``."""
        by_language = self.entries.get(slot_id, {})
        return tuple(lang for lang in LANGUAGES if by_language.get(lang))


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProfileError(f'{where} must be a list of text, like ["passport", "护照"]')
    return tuple(dict.fromkeys(v.strip() for v in value if v.strip()))


def _entry(name: str, slot_id: str, raw: Any) -> tuple[dict[str, tuple[str, ...]], str | None]:
    where = f"{name}: [{slot_id}]"
    if not isinstance(raw, dict):
        raise ProfileError(f"{where} must be a table of language = [words]")
    unknown = sorted(set(raw) - _ENTRY_KEYS)
    if unknown:
        close = difflib.get_close_matches(unknown[0], sorted(_ENTRY_KEYS), n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(LANGUAGES)}, like"
        raise ProfileError(f"{where}: unknown key '{unknown[0]}' ({hint})")
    like = raw.get("like")
    if like is not None and not isinstance(like, str):
        raise ProfileError(f"{where}: 'like' must be a slot id in quotes")
    words = {lang: _strings(raw[lang], f"{where}: '{lang}'") for lang in LANGUAGES if lang in raw}
    return words, like


def read_toml(path: Path) -> dict[str, Any]:
    """A profile folder's TOML file, parsed; ``ProfileError`` says why it cannot be.

    A file read again unchanged gives the tables parsed before (their readers never change
    them): a user's profile folder loaded beside the built-in one, or loaded again after an
    edit, parsed every built-in file again, 20 ms of the 36 a load took.
    """
    try:
        return _parsed_toml(path.read_bytes())
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path.name}: not valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise ProfileError(f"{path.name}: not UTF-8 text (save it as UTF-8)") from None
    except OSError as exc:
        raise ProfileError(f"{path.name}: cannot be read ({exc.strerror})") from None


@functools.lru_cache(maxsize=64)
def _parsed_toml(data: bytes) -> dict[str, Any]:
    return tomllib.loads(data.decode("utf-8"))  # as tomllib.load decodes what it reads


def read_lexicon(path: Path) -> Lexicon:
    """One ``keywords.toml``, checked, with its ``like`` references resolved."""
    data = read_toml(path)
    own: dict[str, dict[str, tuple[str, ...]]] = {}
    likes: dict[str, str] = {}
    for slot_id, raw in data.items():
        own[slot_id], like = _entry(path.name, slot_id, raw)
        if like is not None:
            likes[slot_id] = like
    for slot_id, like in likes.items():
        if like not in own or like in likes:
            raise ProfileError(
                f"{path.name}: [{slot_id}]: 'like' must name a slot of this file that has "
                f"no 'like' itself, not '{like}'"
            )
        own[slot_id] = _merged([own[like], own[slot_id]])
    return Lexicon(own)


def _merged(parts: Sequence[Mapping[str, tuple[str, ...]]]) -> dict[str, tuple[str, ...]]:
    merged: dict[str, tuple[str, ...]] = {}
    for part in parts:
        for lang, words in part.items():
            merged[lang] = tuple(dict.fromkeys((*merged.get(lang, ()), *words)))
    return merged


def combine(lexicons: Sequence[Lexicon]) -> Lexicon:
    """The built-in lexicon with the user's added: a user's words add to a slot's, never drop."""
    slot_ids = dict.fromkeys(s for lexicon in lexicons for s in lexicon.entries)
    return Lexicon(
        {
            slot_id: _merged([lex.entries[slot_id] for lex in lexicons if slot_id in lex.entries])
            for slot_id in slot_ids
        }
    )


def unknown_slots(lexicon: Lexicon, known: Collection[str]) -> list[str]:
    """Messages for lexicon entries that name no slot of any profile (a typo, a removed slot)."""
    messages = []
    for slot_id in lexicon.entries:
        if slot_id not in known:
            close = difflib.get_close_matches(slot_id, sorted(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            messages.append(f"[{slot_id}] names no slot of any profile{hint}")
    return messages
