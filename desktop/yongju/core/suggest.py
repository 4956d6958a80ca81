"""Suggests a slot for a document from its file name and text, in seven languages.

Matching ignores case, accents, separators, camelCase and digits, so
``Scan_2026-03-01_Paspoort_Jan.pdf``, ``IMG_2034_huwelijksakte.jpg`` and
``Fuehrungszeugnis.pdf`` find their slots. A suggestion is always a slot of the case it is
shown for: ``case_suggestion`` re-suggests a document for one case's profile.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from yongju.core.profiles import Profile, ProfileSet, all_keywords
from yongju.core.records import CaseRecord, DocumentRecord

_NON_WORD = re.compile(r"[\W_]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Letters NFKD does not take apart.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O"})
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_LATIN_ENDINGS = "(?:s|es|e|en|n)?"  # passports, passeports, Pässe → pass-e, actes, akten
_CYRILLIC_ENDINGS = "(?:[а-я]{1,2})?"  # паспорта, браке
TEXT_LIMIT = 4000  # characters of a text layer looked at


def _fold(text: str) -> str:
    """Lower case without accents: ``Führungszeugnis`` → ``fuhrungszeugnis``; ß → ss."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _split_words(text: str) -> str:
    """Spaces where camelCase humps and digit runs meet letters: ``IMG2034PaspoortJan``."""
    out: list[str] = []
    for i, char in enumerate(text):
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if prev and (
            (prev.islower() and char.isupper())
            or (prev.isupper() and char.isupper() and nxt.islower())
            or (prev.isdigit() != char.isdigit() and (prev.isalpha() or char.isalpha()))
        ):
            out.append(" ")
        out.append(char)
    return "".join(out)


def normalise(text: str) -> str:
    """Words of ``text`` folded and space-separated, with a space at both ends."""
    words = _NON_WORD.sub(" ", _fold(_split_words(text))).split()
    return " " + " ".join(words) + " "


def _ending(word: str) -> str:
    if len(word) < 4 or word.isdigit():
        return ""
    return _CYRILLIC_ENDINGS if "а" <= word[-1] <= "я" else _LATIN_ENDINGS


@functools.lru_cache(maxsize=4096)
def _pattern(keyword: str) -> re.Pattern[str] | None:
    """A pattern finding ``keyword`` in a normalised text, or None for a Chinese keyword.

    Each word may carry a plural ending; German umlauts match as ü, u or ue; a phrase also
    matches written as one word (``marriagecertificate``).
    """
    if _HAN.search(keyword):
        return None
    spellings = {_fold(keyword), _fold(keyword.translate(_UMLAUTS))}
    alternatives = []
    for spelling in sorted(spellings):
        words = _NON_WORD.sub(" ", spelling).split()
        if not words:
            continue
        alternatives.append(" ".join(re.escape(w) + _ending(w) for w in words))
        if len(words) > 1:
            alternatives.append(re.escape("".join(words)) + _ending(words[-1]))
    if not alternatives:
        return re.compile(r"(?!x)x")  # a keyword of punctuation only matches nothing
    return re.compile(" (?:" + "|".join(alternatives) + ") ")


def _weight(keyword: str) -> int:
    letters = [c for c in keyword if c.isalnum()]
    han = sum(1 for c in letters if _HAN.match(c))
    return (len(letters) - han) + 3 * han


_Span = tuple[bool, int, int]  # (in the joined text, start, end)


class _Text:
    """One text, normalised once: spaced words for Latin and Cyrillic, joined for Chinese."""

    def __init__(self, text: str) -> None:
        self.words = normalise(text)
        self.joined = self.words.replace(" ", "")

    def spans(self, keyword: str) -> list[_Span]:
        pattern = _pattern(keyword)
        if pattern is None:
            needle = re.escape(_fold(keyword).replace(" ", ""))
            return [(True, m.start(), m.end()) for m in re.finditer(needle, self.joined)]
        return [(False, m.start(), m.end()) for m in pattern.finditer(self.words)]

    def found(self, keywords: Mapping[str, Sequence[str]]) -> dict[str, set[str]]:
        """Slot id → its keywords found here, but not those inside a longer keyword found.

        In 国内无犯罪记录证明 the Chinese record's 国内无犯罪 hides the foreign one's 无犯罪;
        in "old passport" the history slot's words hide the passport's.
        """
        hits = [
            (slot_id, word, span)
            for slot_id, words in keywords.items()
            for word in words
            for span in self.spans(word)
        ]
        spans = {span for _, _, span in hits}
        found: dict[str, set[str]] = {}
        for slot_id, word, span in hits:
            if not any(_inside(span, other) for other in spans):
                found.setdefault(slot_id, set()).add(word)
        return found


def _inside(span: _Span, other: _Span) -> bool:
    """``span`` lies within the longer ``other``."""
    return (
        span[0] == other[0]
        and other[1] <= span[1]
        and span[2] <= other[2]
        and other[2] - other[1] > span[2] - span[1]
    )


def suggest_slot(name: str, text: str, keywords: Mapping[str, Sequence[str]]) -> str | None:
    """The slot whose keywords best match ``name`` (file name) and ``text`` (text layer).

    A keyword found in the file name counts twice as much as one found in the text; longer
    keywords count more (a Chinese character three times a letter), and a keyword found only
    inside a longer one does not count, so "old passport" suggests the history slot, not the
    passport. Ties go to the slot listed first.
    """
    in_name = _Text(name).found(keywords)
    in_text = _Text(text[:TEXT_LIMIT]).found(keywords) if text.strip() else {}
    best: tuple[int, str] | None = None
    for slot_id in keywords:
        named = in_name.get(slot_id, set())
        score = sum(2 * _weight(w) for w in named)
        score += sum(_weight(w) for w in in_text.get(slot_id, set()) - named)
        if score and (best is None or score > best[0]):
            best = (score, slot_id)
    return best[1] if best else None


def suggestion_keywords(
    profiles: ProfileSet, cases: Iterable[CaseRecord]
) -> dict[str, tuple[str, ...]]:
    """Keywords to suggest with when a new document may land in any of ``cases``.

    They are the keywords of the cases' profiles, so a suggestion is always a slot some case
    has. With no case yet, every profile's: the suggestion is made again for a case when it is
    shown there (``case_suggestion``).
    """
    known = set(profiles.ids())
    wanted = {case.profile_id for case in cases} & known
    return all_keywords(p for p in profiles.profiles if p.id in wanted or not wanted)


def case_suggestion(
    document: DocumentRecord,
    profile: Profile,
    every_keyword: Mapping[str, Sequence[str]] | None = None,
    *,
    name: str = "",
) -> str | None:
    """The slot of ``profile`` to suggest for ``document``, or None: never another profile's."""
    return resuggest(document, profile.keywords(), every_keyword, name=name)


def resuggest(
    document: DocumentRecord,
    keywords: Mapping[str, Sequence[str]],
    every_keyword: Mapping[str, Sequence[str]] | None = None,
    *,
    name: str = "",
) -> str | None:
    """``document``'s suggestion among the slots of ``keywords`` only.

    The stored suggestion stands when it is one of them. Otherwise the document is suggested
    again from its file name, its title and ``name`` (another name it was imported under); the
    stored slot's own keywords (looked up in ``every_keyword``: ``all_keywords`` of every
    profile) stand in for the text layer it was suggested from, so another profile's
    ``dep_marriage_cert`` becomes ``sp_marriage_cert``.
    """
    stored = document.suggested_slot
    if stored in keywords:
        return stored
    hints = (every_keyword or {}).get(stored, ()) if stored else ()
    names = " | ".join(p for p in (document.original_name, document.title, name) if p)
    return suggest_slot(_strip_extension(names), " | ".join(hints), keywords)


def _strip_extension(name: str) -> str:
    return re.sub(r"\.(?:pdf|jpe?g|png|tiff?|heic|heif|webp)\b", " ", name, flags=re.IGNORECASE)


# --- language and origin ------------------------------------------------------------------

# Words that say a paper written in Chinese was still issued abroad (国外无犯罪记录证明).
_FOREIGN_MARKERS = ("国外", "境外", "外国", "海外")
# Frequent short words of each language, found in a text layer.
_STOPWORDS = {
    "en": {"the", "of", "and", "is", "this", "that", "certificate", "to", "in", "for"},
    "fr": {"le", "la", "les", "de", "du", "des", "et", "est", "une", "acte", "certificat"},
    "nl": {"de", "het", "een", "van", "en", "is", "dat", "voor", "akte", "uittreksel"},
    "de": {"der", "die", "das", "und", "ist", "von", "den", "des", "urkunde", "eine"},
    "es": {"el", "la", "los", "de", "del", "y", "es", "que", "certificado", "una"},
}


def guess_language_origin(name: str, text: str) -> tuple[str | None, str | None]:
    """The language (``"zh"``, ``"en"``…) and origin (``"china"``) a document most likely has.

    Chinese in the text layer, or in a file name when there is no other text, means issued in
    China, in Chinese, unless the words say the paper is foreign (国外, 境外…). A text layer in
    another language gives that language and leaves the origin unknown: (None) is never
    "abroad", since a foreign mission in China and a Chinese notary write in other languages
    too. Nothing known gives (None, None).
    """
    body = text[:TEXT_LIMIT]
    language = _text_language(body)
    if language is None:
        language = "zh" if _HAN.search(name) else None
    if language != "zh":
        return language, None
    foreign = any(marker in name or marker in body for marker in _FOREIGN_MARKERS)
    return ("zh", None) if foreign else ("zh", "china")


def _letters(text: str) -> list[str]:
    return [c for c in text if c.isalpha()]


def _text_language(text: str) -> str | None:
    """The language of a text layer, or None when it says too little to tell."""
    letters = _letters(text)
    han = sum(1 for c in letters if _HAN.match(c))
    if han >= 2 and han / len(letters) > 0.3:  # a Chinese character carries a word's worth
        return "zh"
    if len(letters) < 20:
        return None
    cyrillic = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    if cyrillic / len(letters) > 0.5:
        return "ru"
    words = normalise(text).split()
    counts = {lang: sum(1 for w in words if w in stop) for lang, stop in _STOPWORDS.items()}
    best = max(counts, key=lambda lang: counts[lang])
    return best if counts[best] >= 2 else None
