"""Generates scans with known truth for the reading benchmark: same seed, same files.

Chinese and European certificates with their issue and expiry dates in each form the reader
knows, passports with valid machine-readable zones, rendered at 300 dpi on A4 and then
spoilt as a flatbed scanner or a phone camera would (skew, noise, blur, uneven light, JPEG
artefacts). Fonts come from ``resources/fonts`` (Noto Sans, Noto Sans CJK SC subsets); a
machine-readable zone is drawn in OCR-B (``benchmarks/fonts/OCRB.otf``, public domain), the
typeface passports print it in.

    python benchmarks/reading_corpus.py OUT_DIR [--count N] [--seed S]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import img2pdf
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "desktop"), str(ROOT)]

from benchmarks.mrz_lines import td1, td3  # noqa: E402

FONTS = ROOT / "resources" / "fonts"
OCR_B = Path(__file__).resolve().parent / "fonts" / "OCRB.otf"
A4 = (2480, 3508)  # 300 dpi
TODAY = dt.date(2026, 12, 1)

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
}


@dataclass
class Truth:
    """What a generated document says: the fields a perfect reader would propose."""

    name: str
    kind: str
    slot: str | None
    issued: str | None = None
    expires: str | None = None
    language: str | None = None
    issued_in: str | None = None
    mrz: dict[str, str] = field(default_factory=dict)


def _font(size: int, cjk: bool = False, bold: bool = False) -> ImageFont.FreeTypeFont:
    if cjk:
        name = "NotoSansCJKsc-Bold-subset.otf" if bold else "NotoSansCJKsc-Regular-subset.otf"
    else:
        name = "NotoSans-Bold-subset.ttf" if bold else "NotoSans-Regular-subset.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def _date_text(day: dt.date, form: str, lang: str = "en") -> str:
    months = MONTHS.get(lang, MONTHS["en"]).split()
    return {
        "cjk": f"{day.year}年{day.month}月{day.day}日",
        "iso": day.isoformat(),
        "dot": day.strftime("%d.%m.%Y"),
        "dash": day.strftime("%d-%m-%Y"),
        "slash_unambiguous": day.strftime("%d/%m/%Y"),
        "words": f"{day.day} {months[day.month - 1]} {day.year}",
        "words_de": f"{day.day}. {months[day.month - 1]} {day.year}",
        "us_words": f"{months[day.month - 1]} {day.day}, {day.year}",
        "passport": day.strftime("%d %b %Y").upper(),
    }[form]


def _past(rng: random.Random, most_days: int = 150) -> dt.date:
    return TODAY - dt.timedelta(days=rng.randint(5, most_days))


class Page:
    """An A4 page at 300 dpi to write lines on."""

    def __init__(self) -> None:
        self.image = Image.new("L", A4, 255)
        self.draw = ImageDraw.Draw(self.image)
        self.y = 300

    def line(self, text: str, size: int = 46, cjk: bool = False, bold: bool = False,
             x: int = 220, gap: int = 40) -> None:  # fmt: skip
        font = _font(size, cjk, bold)
        self.draw.text((x, self.y), text, font=font, fill=0)
        self.y += size + gap

    def pair(self, label: str, value: str, cjk: bool = False, size: int = 46) -> None:
        """A label and its value in two columns, as forms print them."""
        font = _font(size, cjk)
        self.draw.text((220, self.y), label, font=font, fill=0)
        self.draw.text((1250, self.y), value, font=font, fill=0)
        self.y += size + 40

    def zone(self, lines: tuple[str, ...], size: int = 48) -> None:
        """A machine-readable zone in OCR-B at the foot of the page. OCR-B is fixed-width:
        at 48 px (300 dpi) a 44-character line is about 125 mm, as on a passport."""
        font = ImageFont.truetype(str(OCR_B), size)
        top = A4[1] - 420 - len(lines) * (size + 50)
        for row, text in enumerate(lines):
            self.draw.text((140, top + row * (size + 50)), text, font=font, fill=0)


def chinese_ncr(rng: random.Random, name: str) -> tuple[Page, Truth]:
    issued = _past(rng)
    expires = issued + dt.timedelta(days=180)
    page = Page()
    page.line("无犯罪记录证明", 90, cjk=True, bold=True, x=800, gap=120)
    page.line(
        f"兹证明 {rng.choice(['张伟', '李娜', '王芳', '刘洋'])}，公民身份号码 310115198001011234，",
        cjk=True,
    )
    page.line("在本辖区居住期间，未发现有犯罪记录。", cjk=True, gap=200)
    page.line("上海市公安局浦东分局 陆家嘴派出所", cjk=True)
    label = rng.choice(["签发日期", "出具日期"])
    page.line(f"{label}：{_date_text(issued, 'cjk')}", cjk=True)
    page.line(f"有效期至：{_date_text(expires, 'cjk')}", cjk=True)
    truth = Truth(name, "chinese_ncr", "ncr_china", issued.isoformat(), expires.isoformat(),
                  "zh", "china")  # fmt: skip
    return page, truth


def chinese_marriage(rng: random.Random, name: str) -> tuple[Page, Truth]:
    issued = TODAY - dt.timedelta(days=rng.randint(2000, 5000))
    page = Page()
    page.line("结婚证", 110, cjk=True, bold=True, x=1000, gap=160)
    page.pair("持证人", rng.choice(["张伟", "李娜", "王芳"]), cjk=True)
    page.pair("登记日期", _date_text(issued, "cjk"), cjk=True)
    page.pair("结婚证字号", f"J310115-{issued.year}-{rng.randint(1000, 9999):06d}", cjk=True)
    page.line("上海市浦东新区民政局", cjk=True, gap=60)
    page.line("婚姻登记专用章", cjk=True)
    truth = Truth(name, "chinese_marriage", "sp_marriage_cert", issued.isoformat(), None,
                  "zh", "china")  # fmt: skip
    return page, truth


def chinese_deposit(rng: random.Random, name: str) -> tuple[Page, Truth]:
    issued = _past(rng, 60)
    page = Page()
    page.line("存款证明书", 90, cjk=True, bold=True, x=900, gap=120)
    page.line("中国工商银行上海市分行", cjk=True)
    page.line(f"兹证明存款人 {rng.choice(['张伟', '王芳'])} 在我行存款人民币贰拾万元整，", cjk=True)
    page.line("该笔存款已冻结。", cjk=True, gap=120)
    page.line(f"开具日期：{_date_text(issued, rng.choice(['cjk', 'iso']))}", cjk=True)
    truth = Truth(name, "chinese_deposit", "sp_financial_proof", issued.isoformat(), None,
                  "zh", "china")  # fmt: skip
    return page, truth


def french_ncr(rng: random.Random, name: str) -> tuple[Page, Truth]:
    issued = _past(rng)
    page = Page()
    page.line("Royaume de Belgique — SPF Justice", 50)
    page.line("Extrait de casier judiciaire", 80, bold=True, gap=120)
    page.line("Nom : PEETERS    Prénom : Jan    Né le 1er janvier 1980 à Gand")
    page.line("Il est certifié que le casier judiciaire de la personne ci-dessus ne comporte")
    page.line("aucune condamnation à la date du présent extrait.", gap=160)
    form = rng.choice(["words", "dot", "slash_unambiguous"])
    label = rng.choice(["Délivré le", "Date de délivrance :"])
    page.line(f"{label} {_date_text(issued, form, 'fr')} à Bruxelles")
    truth = Truth(name, "french_ncr", "ncr_foreign", issued.isoformat(), None, "fr", "abroad")
    return page, truth


def dutch_ncr(rng: random.Random, name: str) -> tuple[Page, Truth]:
    issued = _past(rng)
    expires = issued + dt.timedelta(days=rng.choice([90, 180]))
    page = Page()
    page.line("Koninkrijk België — Federale Overheidsdienst Justitie", 48)
    page.line("Uittreksel uit het strafregister", 80, bold=True, gap=120)
    page.line("Naam: JANSSENS    Voornaam: Lotte    Geboren op 3 maart 1985 te Antwerpen")
    page.line("Er is geen veroordeling ingeschreven in het strafregister op naam van")
    page.line("de bovengenoemde persoon.", gap=160)
    label = rng.choice(["Afgegeven op", "Datum van afgifte:"])
    page.line(f"{label} {_date_text(issued, rng.choice(['dash', 'words']), 'nl')}")
    page.line(f"Geldig tot {_date_text(expires, 'dash')}")
    truth = Truth(name, "dutch_ncr", "ncr_foreign", issued.isoformat(), expires.isoformat(),
                  "nl", "abroad")  # fmt: skip
    return page, truth


def german_ncr(rng: random.Random, name: str) -> tuple[Page, Truth]:
    issued = _past(rng)
    page = Page()
    page.line("Bundesamt für Justiz — Bundeszentralregister", 48)
    page.line("Führungszeugnis", 90, bold=True, gap=120)
    page.line("Familienname: MÜLLER    Vorname: Anna    Geburtsdatum: 12.08.1988")
    page.line("Inhalt: Keine Eintragung", gap=160)
    label = rng.choice(["Ausgestellt am", "Ausstellungsdatum:"])
    page.line(f"{label} {_date_text(issued, rng.choice(['dot', 'words_de']), 'de')} in Bonn")
    truth = Truth(name, "german_ncr", "ncr_foreign", issued.isoformat(), None, "de", "abroad")
    return page, truth


def english_ncr(rng: random.Random, name: str) -> tuple[Page, Truth]:
    issued = _past(rng)
    expires = issued + dt.timedelta(days=365)
    page = Page()
    page.line("Commonwealth of Australia — Australian Federal Police", 48)
    page.line("National Police Certificate", 80, bold=True, gap=120)
    page.line("This is to certify that the person named below has no disclosable court")
    page.line("outcomes recorded against the name of SMITH, John.", gap=160)
    page.pair("Date of issue:", _date_text(issued, rng.choice(["words", "us_words"]), "en"))
    page.pair("Valid until:", _date_text(expires, "words", "en"))
    truth = Truth(name, "english_ncr", "ncr_foreign", issued.isoformat(), expires.isoformat(),
                  "en", "abroad")  # fmt: skip
    return page, truth


def passport(rng: random.Random, name: str) -> tuple[Page, Truth]:
    issued = TODAY - dt.timedelta(days=rng.randint(200, 3000))
    expires = issued.replace(year=issued.year + 10) - dt.timedelta(days=1)
    birth = dt.date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
    surname, given = rng.choice([("PEETERS", "MARC"), ("DUBOIS", "CLAIRE"), ("SMITH", "ROBERT"),
                                 ("MUELLER", "ANNA"), ("VERMEULEN", "SOPHIE")])  # fmt: skip
    state = rng.choice(["BEL", "FRA", "GBR", "NLD", "DEU"])
    number = f"{rng.choice('EGHKP')}{rng.choice('ABHKM')}{rng.randint(1000000, 9999999)}"
    lines = td3(surname, given, number, state, birth, rng.choice("MF"), expires)
    page = Page()
    page.line("PASSPORT / PASSEPORT", 70, bold=True, gap=100)
    page.pair("Surname / Nom", surname)
    page.pair("Given names / Prénoms", given)
    page.pair("Date of birth", _date_text(birth, "passport"))
    page.line("Date of issue / Date de délivrance", 40, gap=20)
    page.line(_date_text(issued, "passport"), 46, gap=50)
    page.line("Date of expiry / Date d'expiration", 40, gap=20)
    page.line(_date_text(expires, "passport"), 46, gap=50)
    page.zone(lines)
    mrz = {"document_number": number, "nationality": state, "surname": surname,
           "given_names": given, "birth_date": birth.isoformat(),
           "expiry_date": expires.isoformat()}  # fmt: skip
    return page, Truth(
        name, "passport", "passport", issued.isoformat(), expires.isoformat(), mrz=mrz
    )


def id_card(rng: random.Random, name: str) -> tuple[Page, Truth]:
    expires = TODAY + dt.timedelta(days=rng.randint(300, 3000))
    birth = dt.date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
    surname, given = rng.choice([("PEETERS", "JAN"), ("DUBOIS", "LEA"), ("JANSSENS", "TOM")])
    number = f"{rng.randint(100, 999)}{rng.randint(1000000, 9999999)}"[:9]
    lines = td1(surname, given, number, "BEL", birth, rng.choice("MF"), expires)
    page = Page()
    page.line("BELGIË BELGIQUE BELGIEN — IDENTITEITSKAART", 60, bold=True)
    page.zone(lines, 56)
    mrz = {"document_number": number, "nationality": "BEL", "surname": surname,
           "given_names": given, "birth_date": birth.isoformat(),
           "expiry_date": expires.isoformat()}  # fmt: skip
    return page, Truth(name, "id_card", None, None, expires.isoformat(), mrz=mrz)


def embassy_letter(rng: random.Random, name: str) -> tuple[Page, Truth]:
    issued = _past(rng, 90)
    city = rng.choice(["Beijing", "Shanghai", "Guangzhou"])
    page = Page()
    where = (
        "Embassy of Belgium in Beijing"
        if city == "Beijing"
        else f"Consulate General of Belgium in {city}"
    )
    page.line(where, 60, bold=True, gap=120)
    page.line("CERTIFICATE", 70, bold=True, x=1000, gap=100)
    page.line("The undersigned consul certifies that Mr PEETERS Marc, born on 1 January 1980,")
    page.line("is registered with this consular post.", gap=160)
    page.line(f"Date of issue: {_date_text(issued, 'words', 'en')}")
    return page, Truth(
        name, "embassy_letter", "consular_certificates", issued.isoformat(), None, "en", "mission"
    )


KINDS: tuple[Callable[[random.Random, str], tuple[Page, Truth]], ...] = (
    chinese_ncr, chinese_marriage, chinese_deposit, french_ncr, dutch_ncr, german_ncr,
    english_ncr, passport, id_card, embassy_letter,
)  # fmt: skip


def spoil(image: Image.Image, rng: random.Random, phone: bool) -> Image.Image:
    """What a flatbed scanner (light) or a phone camera (heavier) does to a page."""
    angle = rng.uniform(-3.0, 3.0) if phone else rng.uniform(-1.2, 1.2)
    page = image.convert("RGB").rotate(angle, resample=Image.Resampling.BICUBIC,
                                       expand=False, fillcolor=(236, 236, 232))  # fmt: skip
    if phone:
        page = page.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.2)))
        light = Image.linear_gradient("L").resize(page.size).point(lambda v: 200 + v * 55 // 255)
        page = Image.composite(page, Image.new("RGB", page.size, (60, 58, 55)), light)
    noise = Image.effect_noise(page.size, 18 if phone else 8).convert("RGB")
    page = Image.blend(page, noise, 0.06 if phone else 0.03)
    return page


def generate(out: Path, count: int, seed: int) -> list[Truth]:
    """Writes ``count`` documents (JPEG or PDF) and ``truth.json`` into ``out``."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    truths = []
    for index in range(count):
        kind = KINDS[index % len(KINDS)]
        phone = rng.random() < 0.4
        as_pdf = not phone and rng.random() < 0.5
        name = f"{index:03d}-{'IMG' if phone else 'scan'}.{'pdf' if as_pdf else 'jpg'}"
        page, truth = kind(rng, name)
        buffer = io.BytesIO()
        spoil(page.image, rng, phone).save(
            buffer, "JPEG", quality=rng.randint(60, 85), dpi=(300, 300)
        )
        data = img2pdf.convert(buffer.getvalue()) if as_pdf else buffer.getvalue()
        (out / name).write_bytes(data)
        truths.append(truth)
    (out / "truth.json").write_text(
        json.dumps([asdict(t) for t in truths], ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return truths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    generate(args.out, args.count, args.seed)


if __name__ == "__main__":
    main()
