"""Deterministic generator of realistic scan corpora: A4 JPEG scans in PDFs, JPEG, PNG, TIFF."""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import math
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import img2pdf
from PIL import Image, ImageDraw, ImageFilter, ImageFont

# Bump when the rendering changes so cached pages and finished corpora are regenerated.
GENERATOR_VERSION = 1
MM_PER_INCH = 25.4
JPEG_QUALITY = 85
MANIFEST = "corpus.json"
CACHE = ".cache"

# (width_mm, height_mm) of the page kinds a real dossier holds.
SIZES_MM = {
    "a4": (210.0, 297.0),
    "a4-landscape": (297.0, 210.0),
    "id-card": (85.6, 54.0),
    "photo": (35.0, 49.0),  # the Chinese "2-inch" visa photo
}

FONT_CANDIDATES = (
    # A system font first: it does not change when the project's subset font is regenerated.
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # index 2 = Simplified Chinese
    (
        str(
            Path(__file__).resolve().parents[1] / "resources/fonts/NotoSansCJKsc-Regular-subset.otf"
        ),
        0,
    ),
)

SAMPLE_TEXT = (
    "中华人民共和国外国人永久居留身份证申请表 兹证明申请人在本单位工作 "
    "The applicant has been employed by this company since 2019 and holds the position of "
    "senior engineer. 无犯罪记录证明 经查询 未发现有犯罪记录 特此证明 "
    "Certificate of no criminal record; marriage certificate; bank statement 2023-2025; "
    "个人所得税纳税记录 社会保险缴费证明 房屋租赁合同 出生医学证明 护照首页及签证页 "
    "Tax payment records for the last four consecutive years, issued 2026-03-14. "
)

ID_CARD_TITLES = ("居民身份证", "RESIDENCE PERMIT", "DRIVING LICENCE", "社会保障卡")
DOC_TITLES = (
    "在职证明",
    "无犯罪记录证明",
    "结婚证",
    "EMPLOYMENT CERTIFICATE",
    "BANK STATEMENT",
    "个人所得税纳税记录",
    "社会保险个人权益记录",
    "房屋租赁合同",
    "CERTIFICATE OF BIRTH",
    "体检报告",
)
FILE_LABELS = (
    "scan",
    "Scan",
    "IMG",
    "在职证明",
    "无犯罪记录证明 公证",
    "passport pages",
    "bank statement",
    "结婚证",
    "tax record",
    "社保证明",
    "household register 户口本",
    "Document",
)


@dataclass(frozen=True)
class PageSpec:
    """Everything that decides a page's bytes; its hash names the cached JPEG."""

    kind: str  # a key of SIZES_MM
    seed: int
    dpi: int
    quality: int = JPEG_QUALITY

    def key(self) -> str:
        """A stable hash of the parameters (and the generator version)."""
        blob = json.dumps([GENERATOR_VERSION, asdict(self)], sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:24]

    def pixels(self) -> tuple[int, int]:
        """Width and height in pixels at the spec's resolution."""
        w_mm, h_mm = SIZES_MM[self.kind]
        return round(w_mm / MM_PER_INCH * self.dpi), round(h_mm / MM_PER_INCH * self.dpi)


@dataclass(frozen=True)
class FileSpec:
    """One corpus file: its name, format and pages."""

    name: str
    fmt: str  # pdf | jpeg | png | tiff-jpeg | tiff-g4
    pages: tuple[PageSpec, ...]


# ---------------------------------------------------------------- rendering


@lru_cache(maxsize=8)
def _font(px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path, index in FONT_CANDIDATES:
        if Path(path).exists():
            return ImageFont.truetype(path, px, index=index)
    return ImageFont.load_default(px)


@lru_cache(maxsize=4)
def _paper_tiles(dpi: int) -> tuple[Image.Image, ...]:
    """A few small paper-grain tiles; pages are tiled from them (cheap, no numpy)."""
    side = max(64, dpi * 5 // 3)  # 500 px at 300 dpi
    rng = random.Random(f"paper:{dpi}")
    tiles = []
    for _ in range(4):
        noise = Image.frombytes("L", (side, side), rng.randbytes(side * side))
        # Blur gives the grain a fibre size; the mapping squeezes it into light grey.
        grain = noise.filter(ImageFilter.GaussianBlur(1.5))
        tiles.append(grain.point(lambda v: 226 + (v - 128) * 8 // 128))
    return tuple(tiles)


@lru_cache(maxsize=8)
def _text_strip(px: int) -> Image.Image:
    """A long rendered line of mixed Chinese/Latin text as an ink mask; lines are cut from it."""
    font = _font(px)
    text = SAMPLE_TEXT * 3
    _left, top, right, bottom = font.getbbox(text)
    strip = Image.new("L", (right + 8, bottom - min(top, 0) + 8), 0)
    ImageDraw.Draw(strip).text((4, 4 - min(top, 0)), text, fill=255, font=font)
    # A whisker of blur: a scanner's optics never give perfectly sharp glyph edges.
    return strip.filter(ImageFilter.GaussianBlur(px / 40))


def _paper(size: tuple[int, int], rng: random.Random, dpi: int) -> Image.Image:
    tiles = _paper_tiles(dpi)
    side = tiles[0].width
    page = Image.new("L", size)
    ox, oy = rng.randrange(side), rng.randrange(side)
    flips = (None, Image.Transpose.FLIP_LEFT_RIGHT, Image.Transpose.FLIP_TOP_BOTTOM)
    for y in range(-oy, size[1], side):
        for x in range(-ox, size[0], side):
            tile = rng.choice(tiles)
            flip = rng.choice(flips)
            page.paste(tile if flip is None else tile.transpose(flip), (x, y))
    return page


def _text_lines(
    ink: Image.Image, rng: random.Random, box: tuple[int, int, int, int], px: int
) -> None:
    """Paste paragraphs of text lines cut from the strip into box (left, top, right, bottom)."""
    strip = _text_strip(px)
    left, top, right, bottom = box
    line_h = int(px * 1.6)
    y = top
    while y + strip.height < bottom:
        paragraph = rng.randint(2, 7)
        for i in range(paragraph):
            if y + strip.height >= bottom:
                break
            indent = 2 * px if i == 0 else 0
            width = right - left - indent
            if i == paragraph - 1:
                width = int(width * rng.uniform(0.2, 0.9))
            x0 = rng.randrange(0, max(1, strip.width - width))
            line = strip.crop((x0, 0, x0 + width, strip.height))
            ink.paste(line, (left + indent, y), line)
            y += line_h
        y += line_h // 2


def _stamp(size: int, rng: random.Random, px: int) -> Image.Image:
    """A round red company seal as a mask (ring, star and a ring of text)."""
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    ring = max(2, size // 28)
    draw.ellipse((ring, ring, size - ring, size - ring), outline=200, width=ring)
    c = size / 2
    r = size * 0.13
    star = []
    for k in range(10):
        a = -math.pi / 2 + k * math.pi / 5
        rr = r if k % 2 == 0 else r * 0.4
        star.append((c + rr * math.cos(a), c + rr * math.sin(a)))
    draw.polygon(star, fill=200)
    font = _font(max(6, size // 9))
    draw.text((c, c + size * 0.27), "专用章", fill=200, font=font, anchor="mm")
    draw.text((c, size * 0.2), "有限公司", fill=200, font=font, anchor="mm")
    # Ink never takes evenly: knock random specks out of the seal.
    speckle = Image.frombytes("L", (size // 4, size // 4), rng.randbytes((size // 4) ** 2))
    speckle = speckle.resize((size, size), Image.Resampling.BILINEAR).point(
        lambda v: 255 if v > 70 else 90
    )
    seal = Image.composite(mask, Image.new("L", (size, size), 0), speckle)
    return seal.rotate(rng.uniform(-30, 30), resample=Image.Resampling.BILINEAR)


def _document_ink(spec: PageSpec, rng: random.Random, size: tuple[int, int]) -> Image.Image:
    w, h = size
    dpi = spec.dpi
    body_px = max(6, round(10.5 / 72 * dpi))  # 10.5 pt body text
    title_px = round(body_px * 1.7)
    margin = round(dpi * 0.9)
    ink = Image.new("L", size, 0)
    draw = ImageDraw.Draw(ink)
    title = rng.choice(DOC_TITLES)
    draw.text((w // 2, margin), title, fill=235, font=_font(title_px), anchor="mt")
    top = margin + title_px * 2
    if rng.random() < 0.35:
        # A form: a ruled table in the upper part of the page.
        rows, cols = rng.randint(4, 9), rng.randint(2, 5)
        row_h = body_px * 2
        table_bottom = top + rows * row_h
        lw = max(1, dpi // 100)
        for r in range(rows + 1):
            draw.line((margin, top + r * row_h, w - margin, top + r * row_h), fill=220, width=lw)
        for c in range(cols + 1):
            x = margin + c * (w - 2 * margin) // cols
            draw.line((x, top, x, table_bottom), fill=220, width=lw)
        cell_w = (w - 2 * margin) // cols
        for r in range(rows):
            for c in range(cols):
                if rng.random() < 0.8:
                    _text_lines(
                        ink,
                        rng,
                        (
                            margin + c * cell_w + body_px // 2,
                            top + r * row_h + body_px // 3,
                            margin + (c + 1) * cell_w - body_px,
                            top + r * row_h + body_px // 3 + int(body_px * 1.7),
                        ),
                        body_px,
                    )
        top = table_bottom + body_px * 2
    bottom = h - margin - (round(dpi * 1.3) if rng.random() < 0.7 else 0)
    _text_lines(ink, rng, (margin, top, w - margin, bottom), body_px)
    # A handwritten signature: a jittery polyline.
    sx, sy = w - margin - dpi * 2, h - margin - dpi // 2
    points = [(sx + i * dpi // 12, sy + rng.randint(-dpi // 10, dpi // 10)) for i in range(20)]
    draw.line(points, fill=230, width=max(1, dpi // 90), joint="curve")
    return ink


def _id_card_ink(spec: PageSpec, rng: random.Random, size: tuple[int, int]) -> Image.Image:
    w, h = size
    px = max(6, round(8 / 72 * spec.dpi))
    ink = Image.new("L", size, 0)
    draw = ImageDraw.Draw(ink)
    draw.rounded_rectangle(
        (2, 2, w - 3, h - 3), radius=w // 25, outline=120, width=max(1, w // 300)
    )
    draw.text(
        (w // 2, h // 12),
        rng.choice(ID_CARD_TITLES),
        fill=230,
        font=_font(px * 3 // 2),
        anchor="mt",
    )
    photo = (w * 62 // 100, h * 25 // 100, w * 92 // 100, h * 85 // 100)
    draw.rectangle(photo, fill=90)
    cx, cy = (photo[0] + photo[2]) // 2, (photo[1] + photo[3]) // 2
    fw, fh = (photo[2] - photo[0]) // 3, (photo[3] - photo[1]) // 3
    draw.ellipse((cx - fw, cy - fh, cx + fw, cy + fh), fill=170)
    _text_lines(ink, rng, (w // 18, h * 28 // 100, w * 58 // 100, h * 90 // 100), px)
    return ink


def _photo(spec: PageSpec, rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """A synthetic passport-style photo: plain backdrop, head and shoulders, sensor noise."""
    w, h = size
    backdrop = rng.choice(((250, 250, 250), (67, 142, 219), (214, 36, 36)))
    img = Image.new("RGB", size, backdrop)
    draw = ImageDraw.Draw(img)
    skin = (rng.randint(190, 235), rng.randint(150, 190), rng.randint(120, 160))
    cloth = (rng.randint(10, 60), rng.randint(10, 60), rng.randint(30, 90))
    draw.ellipse((w * 0.05, h * 0.72, w * 0.95, h * 1.35), fill=cloth)
    draw.rectangle((w * 0.42, h * 0.55, w * 0.58, h * 0.8), fill=skin)
    draw.ellipse((w * 0.28, h * 0.18, w * 0.72, h * 0.66), fill=skin)
    draw.chord((w * 0.26, h * 0.12, w * 0.74, h * 0.5), 180, 360, fill=(30, 25, 20))
    img = img.filter(ImageFilter.GaussianBlur(max(1, w // 200)))
    noise = Image.frombytes("L", size, rng.randbytes(w * h)).point(lambda v: (v - 128) // 12 + 128)
    return Image.blend(img, Image.merge("RGB", (noise, noise, noise)), 0.12)


def render_page(spec: PageSpec) -> Image.Image:
    """Render one page (RGB) from its spec; the same spec gives the same pixels."""
    rng = random.Random(f"page:{spec.seed}")
    size = spec.pixels()
    if spec.kind == "photo":
        return _photo(spec, rng, size)
    paper = _paper(size, rng, spec.dpi)
    if spec.kind == "id-card":
        ink = _id_card_ink(spec, rng, size)
        tint = rng.choice(((-25, -8, 12), (-5, -15, -25), (-20, 2, -20)))
    else:
        ink = _document_ink(spec, rng, size)
        tint = (2, 0, -7)  # paper yellows slightly; scanners render it warm grey
    # The sheet lies a little crooked on the glass.
    ink = ink.rotate(rng.uniform(-1.2, 1.2), resample=Image.Resampling.BILINEAR)
    channels = tuple(paper.point(lambda v, t=t: v + t) for t in tint)
    page = Image.merge("RGB", channels)
    page.paste((38, 38, 48), (0, 0), ink)
    if spec.kind != "id-card" and rng.random() < 0.6:
        stamp_px = round(spec.dpi * 1.6)
        seal = _stamp(stamp_px, rng, stamp_px)
        w, h = size
        x = rng.randrange(max(1, w // 2), max(2, w - stamp_px - spec.dpi // 2))
        y = rng.randrange(max(1, h - spec.dpi * 3), max(2, h - stamp_px - spec.dpi // 3))
        page.paste((205, 40, 45), (x, y), seal)
    return page


def page_jpeg(spec: PageSpec, cache_dir: Path | None) -> bytes:
    """The page as JPEG bytes, from the cache when an identical page was rendered before."""
    cached = cache_dir / f"{spec.key()}.jpg" if cache_dir else None
    if cached is not None and cached.exists():
        return cached.read_bytes()
    buf = io.BytesIO()
    render_page(spec).save(buf, "JPEG", quality=spec.quality, dpi=(spec.dpi, spec.dpi))
    data = buf.getvalue()
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(cached)
    return data


# ---------------------------------------------------------------- corpus layout


def plan_corpus(pages: int, seed: int = 1, mix: str = "mixed", dpi: int = 300) -> list[FileSpec]:
    """Decide the files of a corpus holding exactly `pages` pages (no rendering)."""
    if mix not in ("pdf", "mixed"):
        raise ValueError(f"unknown mix {mix!r} (pdf or mixed)")
    if pages < 1:
        raise ValueError("a corpus needs at least one page")
    rng = random.Random(f"corpus:{seed}:{mix}")
    kinds: list[tuple[str, float]] = [("pdf", 0.62), ("pdf-id", 0.06)]
    if mix == "mixed":
        kinds += [
            ("jpeg", 0.12),
            ("jpeg-id", 0.06),
            ("png", 0.05),
            ("tiff-jpeg", 0.05),
            ("tiff-g4", 0.04),
        ]
    names, weights = zip(*kinds, strict=True)
    page_counts = (1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 8, 10, 12, 16)
    files: list[FileSpec] = []
    left = pages
    page_no = 0

    def page(kind: str) -> PageSpec:
        nonlocal page_no
        page_no += 1
        return PageSpec(kind, seed * 1_000_003 + page_no, dpi)

    while left > 0:
        what = rng.choices(names, weights)[0]
        if what in ("pdf", "tiff-jpeg", "tiff-g4"):
            n = min(left, rng.choice(page_counts) if what == "pdf" else rng.randint(2, 4))
            landscape_doc = rng.random() < 0.06
            specs = tuple(
                page("a4-landscape" if landscape_doc or rng.random() < 0.04 else "a4")
                for _ in range(n)
            )
            fmt, ext = ("pdf", "pdf") if what == "pdf" else (what, "tif")
        elif what == "pdf-id":
            specs = tuple(page("id-card") for _ in range(min(left, 2)))
            fmt, ext = "pdf", "pdf"
        elif what in ("jpeg", "jpeg-id"):
            specs = (page("a4" if what == "jpeg" else "id-card"),)
            fmt, ext = "jpeg", rng.choice(("jpg", "jpg", "jpeg", "JPG"))
        else:
            specs = (page("photo"),)
            fmt, ext = "png", "png"
        label = (
            rng.choice(FILE_LABELS)
            if what not in ("png", "pdf-id", "jpeg-id")
            else ("photo 2寸" if what == "png" else "ID card 证件")
        )
        files.append(FileSpec(f"{len(files) + 1:04d} {label}.{ext}", fmt, specs))
        left -= len(specs)
    return files


def _write_file(spec: FileSpec, path: Path, cache_dir: Path | None) -> None:
    jpegs = [page_jpeg(p, cache_dir) for p in spec.pages]
    if spec.fmt == "pdf":
        # img2pdf embeds the JPEG stream unchanged, as a scanner's PDF does.
        data = img2pdf.convert(jpegs, nodate=True, engine=img2pdf.Engine.internal)
    elif spec.fmt == "jpeg":
        data = jpegs[0]
    else:
        images = [Image.open(io.BytesIO(j)) for j in jpegs]
        buf = io.BytesIO()
        dpi = (spec.pages[0].dpi, spec.pages[0].dpi)
        if spec.fmt == "png":
            images[0].save(buf, "PNG", dpi=dpi)
        elif spec.fmt == "tiff-g4":
            # Office scanners' black-and-white mode: bilevel CCITT group 4.
            bilevel = [
                im.convert("L").point(lambda v: 255 if v > 150 else 0).convert("1") for im in images
            ]
            bilevel[0].save(
                buf, "TIFF", compression="group4", dpi=dpi, save_all=True, append_images=bilevel[1:]
            )
        else:
            images[0].save(
                buf,
                "TIFF",
                compression="jpeg",
                quality=JPEG_QUALITY,
                dpi=dpi,
                save_all=True,
                append_images=images[1:],
            )
        data = buf.getvalue()
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _corpus_key(files: list[FileSpec]) -> str:
    blob = json.dumps([GENERATOR_VERSION, [asdict(f) for f in files]], sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()


def make_corpus(
    out_dir: Path | str,
    pages: int = 800,
    seed: int = 1,
    mix: str = "mixed",
    *,
    dpi: int = 300,
    progress: bool = False,
) -> list[Path]:
    """Write a corpus of exactly `pages` pages into out_dir and return its files in order.

    The same arguments give the same bytes. Rendered pages are cached in out_dir/.cache, and
    a finished corpus (recorded in out_dir/corpus.json) is returned at once when re-requested.
    Files of an earlier corpus in out_dir that are not part of this one are removed.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = plan_corpus(pages, seed, mix, dpi)
    key = _corpus_key(files)
    paths = [out / f.name for f in files]
    manifest_path = out / MANIFEST
    old: dict[str, object] = {}
    if manifest_path.exists():
        try:
            old = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = {}
    old_files = old.get("files", [])
    if old.get("key") == key and isinstance(old_files, list):
        sizes = {str(e["name"]): int(e["size"]) for e in old_files}
        if all(p.exists() and p.stat().st_size == sizes.get(p.name) for p in paths):
            return paths
    wanted = {p.name for p in paths}
    for entry in old_files if isinstance(old_files, list) else []:
        stale = out / str(entry.get("name", ""))
        if stale.name and stale.name not in wanted and stale.parent == out and stale.exists():
            stale.unlink()
    manifest_path.unlink(missing_ok=True)
    cache_dir = out / CACHE
    started = time.monotonic()
    done = 0
    for spec, path in zip(files, paths, strict=True):
        _write_file(spec, path, cache_dir)
        done += len(spec.pages)
        if progress:
            rate = done / max(1e-9, time.monotonic() - started)
            print(f"\r{done}/{pages} pages ({rate:.1f}/s)", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    entries = [
        {"name": f.name, "format": f.fmt, "pages": len(f.pages), "size": p.stat().st_size}
        for f, p in zip(files, paths, strict=True)
    ]
    manifest = {"key": key, "pages": pages, "seed": seed, "mix": mix, "dpi": dpi, "files": entries}
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return paths


def corpus_pages(out_dir: Path | str) -> dict[str, int]:
    """File name -> page count of the corpus last written to out_dir (from corpus.json)."""
    manifest = json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
    return {e["name"]: e["pages"] for e in manifest["files"]}


def iter_sizes(paths: list[Path]) -> Iterator[int]:
    """Sizes in bytes of the given files."""
    return (p.stat().st_size for p in paths)


def main(argv: list[str] | None = None) -> int:
    """CLI: python benchmarks/corpus.py OUT_DIR --pages 800 [--seed 1] [--mix pdf|mixed]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--pages", type=int, default=800)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mix", choices=("pdf", "mixed"), default="mixed")
    parser.add_argument("--dpi", type=int, default=300, help="300 for real scans; lower for tests")
    args = parser.parse_args(argv)
    started = time.monotonic()
    paths = make_corpus(args.out_dir, args.pages, args.seed, args.mix, dpi=args.dpi, progress=True)
    total = sum(iter_sizes(paths))
    print(
        f"{len(paths)} files, {args.pages} pages, {total / 1e6:.1f} MB in {args.out_dir} "
        f"({time.monotonic() - started:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
