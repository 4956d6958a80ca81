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
from yongju.core.records import CaseRecord, DocumentRecord, Origin

_NON_WORD = re.compile(r"[\W_]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Letters NFKD does not take apart.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O"})
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_LATIN_ENDINGS = "(?:s|es|e|en|n)?"  # passports, passeports, Pässe → pass-e, actes, akten
_CYRILLIC_ENDINGS = "(?:[а-я]{1,2})?"  # паспорта, браке
TEXT_LIMIT = 4000  # characters of a text layer looked at
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_UPPER = "A-Z\u00c0-\u00de\u0410-\u042f\u0401"
_LOWER = "a-z\u00df-\u00ff\u0430-\u044f\u0451"
_HUMPS = re.compile(
    rf"(?<=[{_LOWER}])(?=[{_UPPER}])"  # marriageCertificate
    rf"|(?<=[{_UPPER}])(?=[{_UPPER}][{_LOWER}])"  # PDFScan
    r"|(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])"  # IMG2034, 2034huwelijksakte
)


def _fold(text: str) -> str:
    """Lower case without accents: ``Führungszeugnis`` → ``fuhrungszeugnis``; ß → ss."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return _COMBINING.sub("", decomposed).casefold()


def _split_words(text: str) -> str:
    """Spaces where camelCase humps and digit runs meet letters: ``IMG2034PaspoortJan``."""
    return _HUMPS.sub(" ", text)


def normalise(text: str) -> str:
    """Words of ``text`` folded and space-separated, with a space at both ends."""
    words = _NON_WORD.sub(" ", _fold(_split_words(text))).split()
    return " " + " ".join(words) + " "


def _ending(word: str) -> str:
    if len(word) < 4 or word.isdigit():
        return ""
    return _CYRILLIC_ENDINGS if "а" <= word[-1] <= "я" else _LATIN_ENDINGS


@functools.lru_cache(maxsize=4096)
def _pattern(keyword: str) -> tuple[str, tuple[str, ...]] | None:
    """A pattern (its source) finding ``keyword`` in a normalised text, or None for a
    Chinese keyword.

    Each word may carry a plural ending; German umlauts match as ü, u or ue; a phrase also
    matches written as one word (``marriagecertificate``). With the pattern come probes: a
    text holding none of them cannot match, which spares most regular-expression searches,
    and most compilations (``_regex``).
    """
    if _HAN.search(keyword):
        return None
    spellings = {_fold(keyword), _fold(keyword.translate(_UMLAUTS))}
    alternatives, probes = [], []
    for spelling in sorted(spellings):
        words = _NON_WORD.sub(" ", spelling).split()
        if not words:
            continue
        probes.append(" " + words[0][:4])
        alternatives.append(" ".join(re.escape(w) + _ending(w) for w in words))
        if len(words) > 1:
            alternatives.append(re.escape("".join(words)) + _ending(words[-1]))
    if not alternatives:
        return None  # a keyword of punctuation only: treated as text, matching nothing
    return " (?:" + "|".join(alternatives) + ") ", tuple(probes)


@functools.lru_cache(maxsize=4096)
def _regex(source: str) -> re.Pattern[str]:
    """``source`` compiled, once, and only when a text holds one of its probes: compiling
    every keyword's pattern was 0.4 s of a process's first suggestion."""
    return re.compile(source)


@functools.lru_cache(maxsize=4096)
def _needle(keyword: str) -> str:
    """A Chinese keyword as it is looked for in a joined text (a quarter of a suggestion's
    time went to folding the same keywords again for each text)."""
    return _fold(keyword).replace(" ", "")


def _weight(keyword: str) -> int:
    letters = [c for c in keyword if c.isalnum()]
    han = sum(1 for c in letters if _HAN.match(c))
    return (len(letters) - han) + 3 * han


_Span = tuple[bool, int, int]  # (in the joined text, start, end)
_Keyword = tuple[str, str]  # (slot id, keyword)
_PROBE_LENGTH = 4  # a probe is the first letters of a keyword's first word, at most four


class _Index:
    """The keywords of one mapping, filed by what a text must hold to match them.

    A Latin or Cyrillic keyword is filed under its probes (the start of its first word), a
    Chinese one under its first character: a text is then tried against the few keywords
    whose probe or character it holds, not all of them (every keyword, tried in turn, was
    0.9 ms a file name and 2.4 ms a name with a text layer, for each document imported).
    """

    def __init__(self, keywords: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        self.by_probe: dict[str, list[_Keyword]] = {}
        self.by_character: dict[str, list[_Keyword]] = {}
        for slot_id, words in keywords:
            for word in words:
                compiled = _pattern(word)
                if compiled is None:
                    needle = _needle(word)
                    if needle:  # an empty one is found nowhere
                        self.by_character.setdefault(needle[0], []).append((slot_id, word))
                    continue
                for probe in dict.fromkeys(compiled[1]):
                    self.by_probe.setdefault(probe[1:], []).append((slot_id, word))


@functools.lru_cache(maxsize=32)
def _filed(keywords: tuple[tuple[str, tuple[str, ...]], ...]) -> _Index:
    return _Index(keywords)


def _index(keywords: Mapping[str, Sequence[str]]) -> _Index:
    """``keywords`` filed once (a batch of imports, a window's refreshes ask with the same)."""
    return _filed(tuple((slot_id, tuple(words)) for slot_id, words in keywords.items()))


class _Text:
    """One text, normalised once: spaced words for Latin and Cyrillic, joined for Chinese."""

    def __init__(self, text: str) -> None:
        self.words = normalise(text)
        self.joined = self.words.replace(" ", "")

    def spans(self, keyword: str) -> list[_Span]:
        compiled = _pattern(keyword)
        if compiled is None:
            needle = _needle(keyword)
            if not needle or needle not in self.joined:
                return []
            return [(True, m.start(), m.end()) for m in re.finditer(re.escape(needle), self.joined)]
        source, probes = compiled
        if not any(probe in self.words for probe in probes):
            return []
        return [(False, m.start(), m.end()) for m in _regex(source).finditer(self.words)]

    def candidates(self, index: _Index) -> dict[_Keyword, None]:
        """The keywords of ``index`` this text may hold: those whose probe starts one of its
        words (a probe is `` pass``: a word starting with ``pass``), or whose first
        character it has."""
        found: dict[_Keyword, None] = {}
        starts = {word[:n] for word in self.words.split() for n in range(1, _PROBE_LENGTH + 1)}
        for start in starts:
            found.update(dict.fromkeys(index.by_probe.get(start, ())))
        for character in set(self.joined):
            found.update(dict.fromkeys(index.by_character.get(character, ())))
        return found

    def found(self, index: _Index) -> dict[str, set[str]]:
        """Slot id → its keywords found here, but not those inside a longer keyword found.

        In 国内无犯罪记录证明 the Chinese record's 国内无犯罪 hides the foreign one's 无犯罪;
        in "old passport" the history slot's words hide the passport's.
        """
        hits = [
            (slot_id, word, span)
            for slot_id, word in self.candidates(index)
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
    index = _index(keywords)
    in_name = _Text(name).found(index)
    in_text = _Text(text[:TEXT_LIMIT]).found(index) if text.strip() else {}
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
    if stored is None or stored in keywords:
        # None: nothing matched when every slot that could now be shown was asked already
        # (suggestions are made over the profiles of all cases, or of all profiles).
        return stored
    hints = (every_keyword or {}).get(stored, ())
    names = " | ".join(p for p in (document.original_name, document.title, name) if p)
    return suggest_slot(_strip_extension(names), " | ".join(hints), keywords)


def _strip_extension(name: str) -> str:
    return re.sub(r"\.(?:pdf|jpe?g|png|tiff?|heic|heif|webp)\b", " ", name, flags=re.IGNORECASE)


# --- language and origin ------------------------------------------------------------------

# Words that say a paper in Chinese may not come from a Chinese authority: issued abroad
# (国外无犯罪记录证明) or by a foreign embassy or consulate in China (驻华, 使馆). Not 外国 or
# 境外: 外国人工作许可证 and 境外人员临时住宿登记表 are Chinese papers about foreigners.
_NOT_CHINA_MARKERS = ("国外", "驻华", "使馆", "领事馆", "领馆")
# Frequent short words of each language, found in a text layer.
_STOPWORDS = {
    "en": {"the", "of", "and", "is", "this", "that", "certificate", "to", "in", "for"},
    "fr": {"le", "la", "les", "de", "du", "des", "et", "est", "une", "acte", "certificat"},
    "nl": {"de", "het", "een", "van", "en", "is", "dat", "voor", "akte", "uittreksel"},
    "de": {"der", "die", "das", "und", "ist", "von", "den", "des", "urkunde", "eine"},
    "es": {"el", "la", "los", "de", "del", "y", "es", "que", "certificado", "una"},
}


def guess_language_origin(name: str, text: str) -> tuple[str | None, Origin | None]:
    """The language (``"zh"``, ``"en"``…) and origin (``Origin.CHINA``) a document likely has.

    Chinese in the text layer, or in the file name when the text layer tells nothing, means
    in Chinese and issued in China, unless the words point elsewhere (国外, 驻华, 使馆…: the
    origin stays unknown). A text layer in another language gives that language and leaves
    the origin unknown. A guess never says "issued abroad": unknown stays unknown, for the
    user to answer. Nothing known gives (None, None).
    """
    body = text[:TEXT_LIMIT]
    language = _text_language(body)
    if language is None:
        language = "zh" if _HAN.search(name) else None
    if language != "zh":
        return language, None
    elsewhere = any(marker in name or marker in body for marker in _NOT_CHINA_MARKERS)
    return ("zh", None) if elsewhere else ("zh", Origin.CHINA)


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
