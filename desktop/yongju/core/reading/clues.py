"""What a page's words say about a document: its language, where it was issued, its title."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from yongju.core.reading.dates import normalise

_HANZI = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[a-zà-ÿ]", re.IGNORECASE)
_WORD = re.compile(r"[a-zà-ÿ]+")

# Words frequent in one language and rare in the others (accents dropped, lower case).
_STOPWORDS = {
    "en": "the and of this is that with certificate issued date hereby was has",
    "fr": "le les des du et est pour une certificat extrait delivre ne nee au aux",
    "nl": "het een van en dat voor met op uittreksel afgegeven geldig geboren bij",
    "de": "der die das und ist von fur mit dem den bis am ausgestellt geboren wird",
    "es": "el los las del y que para por certificado expedido nacido con",
}
_STOPWORD_SETS = {lang: set(words.split()) for lang, words in _STOPWORDS.items()}

_MISSION = re.compile(
    r"embassy|consulate|consulate general|ambassade|consulat|consulaat|botschaft|"
    r"generalkonsulat|embajada|consulado|大使馆|领事馆|总领事馆|领馆"
)
_IN_CHINA = re.compile(
    r"\b(beijing|peking|pekin|shanghai|guangzhou|canton|chengdu|shenyang|wuhan|chongqing|"
    r"shenzhen|hangzhou|nanjing|tianjin|suzhou|xiamen|qingdao|dalian|xi'?an|kunming|"
    r"china|chine|chinese|chinois|chinoise|prc|volksrepublik|republique populaire)\b|"
    r"北京|上海|广州|成都|沈阳|武汉|重庆|深圳|杭州|南京|天津|中国"
)
_MISSION_IN_CHINA = re.compile(r"驻华|驻沪|驻穗|驻(?:北京|上海|广州|成都|沈阳|武汉|重庆)")
# A Chinese mission abroad (it legalised a foreign paper): not a sign of a Chinese origin.
_PRC_MISSION_ABROAD = re.compile(r"中华人民共和国驻|中国驻")
_TRANSLATION = re.compile(r"翻译|译文|translation|traduction|vertaling|ubersetzung|traduccion")
_CHINESE_ISSUER = re.compile(
    r"公安局|派出所|人民政府|民政局|公证处|出入境|人民医院|卫生|银行|街道|居民委员会|"
    r"不动产|房地产|人力资源|税务|中华人民共和国"
)

# Document kinds a title names, in the languages seen most (normalised).
TITLE_PHRASES = (
    "无犯罪记录证明 结婚证 离婚证 出生医学证明 出生证明 户口簿 居民身份证 健康证明 体检 "
    "存款证明 不动产权证书 房屋所有权证 租赁合同 在职证明 工作证明 收入证明 完税证明 "
    "公证书 认证 护照 永久居留 担保书 亲属关系证明",
    "certificate of no criminal record|police clearance certificate|criminal record|"
    "marriage certificate|birth certificate|certificate of good conduct|bank statement|"
    "employment certificate|certificate of employment|health certificate|passport|"
    "deposit certificate|tenancy agreement|lease agreement",
    "extrait de casier judiciaire|casier judiciaire|acte de mariage|acte de naissance|"
    "certificat de bonne vie et moeurs|attestation|passeport|releve bancaire",
    "uittreksel uit het strafregister|strafregister|huwelijksakte|geboorteakte|"
    "verklaring omtrent het gedrag|paspoort|bankafschrift",
    "fuhrungszeugnis|heiratsurkunde|geburtsurkunde|reisepass|kontoauszug|bescheinigung",
    "certificado de antecedentes penales|acta de matrimonio|acta de nacimiento|pasaporte",
)
_TITLE = re.compile(
    "|".join(
        re.escape(phrase) if not phrase.isascii() else rf"(?<![a-z]){re.escape(phrase)}(?![a-z])"
        for group in TITLE_PHRASES
        for phrase in (group.split("|") if "|" in group else group.split())
    )
)


def language(text: str) -> tuple[str, str] | None:
    """The document's language ("zh", "en", "fr", "nl", "de", "es") and the words that say so.

    Chinese when most letters are Han characters; otherwise the language whose common words
    are at least twice as frequent as any other's. None when unsure.
    """
    hanzi = len(_HANZI.findall(text))
    latin = len(_LATIN.findall(text))
    if hanzi >= 20 and hanzi >= latin:
        sample = "".join(_HANZI.findall(text))[:12]
        return "zh", sample
    if hanzi > 5:
        return None  # mixed: a bilingual document or a translation
    counts: Counter[str] = Counter()
    hits: dict[str, list[str]] = {}
    for word in _WORD.findall(normalise(text)):
        for lang, words in _STOPWORD_SETS.items():
            if word in words:
                counts[lang] += 1
                hits.setdefault(lang, []).append(word)
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < 6:
        return None
    if len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
        return None
    best = ranked[0][0]
    return best, " ".join(dict.fromkeys(hits[best]))


def origin(lines: Sequence[str], lang: str | None) -> tuple[str, str] | None:
    """Where the paper was issued ("china", "abroad", "mission") and the words that say so."""
    normal = [normalise(line) for line in lines]
    for line, raw in zip(normal, lines, strict=True):
        if _MISSION_IN_CHINA.search(line):
            return "mission", raw.strip()
        if (
            _MISSION.search(line)
            and _IN_CHINA.search(line)
            and not _PRC_MISSION_ABROAD.search(line)
        ):
            return "mission", raw.strip()
    text = "\n".join(normal)
    if _TRANSLATION.search(text):
        return None  # a translation: its language says nothing about where the original is from
    if lang == "zh" and not _PRC_MISSION_ABROAD.search(text):
        for line, raw in zip(normal, lines, strict=True):
            if _CHINESE_ISSUER.search(line):
                return "china", raw.strip()
        return None
    if lang in ("en", "fr", "nl", "de", "es") and not _HANZI.search(text):
        if _IN_CHINA.search(text) or _MISSION.search(text):
            return None
        return "abroad", f"written in {lang}, no mention of China"
    return None


def title(lines: Sequence[str]) -> tuple[str, str] | None:
    """A short line near the top naming the kind of document, as printed."""
    for raw in lines[:12]:
        line = normalise(raw)
        match = _TITLE.search(line)
        if match and len(raw.strip()) <= 60:
            cleaned = " ".join(raw.replace("：", " ").split()).strip(" :")
            return cleaned, raw.strip()
    return None
