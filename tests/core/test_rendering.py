"""Rendering pages of stored documents, and the thumbnail cache."""

from __future__ import annotations

import io
import os
import stat
import struct
import zlib
from dataclasses import replace
from pathlib import Path

import img2pdf
import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter

from tests.samples import document_record
from yongju.core import rendering
from yongju.core.records import DocumentRecord, MediaType, PageSetting
from yongju.core.rendering import (
    PageRequest,
    PasswordError,
    RenderError,
    ThumbnailCache,
    render_page,
)

RED = (220, 0, 0)


def _marked_scan(width: int = 1240, height: int = 1754) -> Image.Image:
    """A white portrait page with a red block in its top-left corner."""
    image = Image.new("RGB", (width, height), "white")
    ImageDraw.Draw(image).rectangle((0, 0, width // 3, height // 6), fill=RED)
    return image


def _jpeg_bytes(image: Image.Image, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, **params)
    return buffer.getvalue()


def _is_red(pixel: tuple[int, ...]) -> bool:
    return pixel[0] > 150 and pixel[1] < 90 and pixel[2] < 90


def _corner(image: Image.Image, where: str) -> tuple[int, ...]:
    w, h = image.size
    x = 3 if "left" in where else w - 4
    y = 3 if "top" in where else h - 4
    return tuple(image.getpixel((x, y)))  # type: ignore[arg-type]


@pytest.fixture
def scan_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "scan.pdf"
    path.write_bytes(img2pdf.convert(_jpeg_bytes(_marked_scan())))
    return path


@pytest.fixture
def vector_pdf(tmp_path: Path) -> Path:
    """Two A4 pages drawn with vector graphics (no image: pdfium must render them)."""
    pdf = FPDF(unit="pt", format="A4")
    for _ in range(2):
        pdf.add_page()
        pdf.set_fill_color(*RED)
        pdf.rect(0, 0, 200, 140, style="F")
    path = tmp_path / "vector.pdf"
    pdf.output(str(path))
    return path


def _request(path: Path, media: MediaType, **kwargs: object) -> PageRequest:
    return PageRequest(
        path=path,
        media_type=media,
        page=kwargs.pop("page", 0),  # type: ignore[arg-type]
        size=kwargs.pop("size", 256),
        **kwargs,
    )  # type: ignore[arg-type]


def test_scanned_pdf_page_uses_its_embedded_jpeg(scan_pdf: Path) -> None:
    jpeg = _jpeg_bytes(_marked_scan())
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(scan_pdf)
    try:
        assert rendering._full_page_jpeg(document[0]) == jpeg
    finally:
        document.close()
    image = render_page(_request(scan_pdf, MediaType.PDF))
    assert max(image.size) == 256
    assert image.size[0] < image.size[1]
    assert _is_red(_corner(image, "top-left"))
    assert not _is_red(_corner(image, "bottom-right"))


def test_vector_pdf_is_drawn_by_pdfium_and_rotated_clockwise(vector_pdf: Path) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(vector_pdf)
    try:
        assert rendering._full_page_jpeg(document[1]) is None
    finally:
        document.close()
    upright = render_page(_request(vector_pdf, MediaType.PDF, page=1))
    assert upright.size[0] < upright.size[1] and _is_red(_corner(upright, "top-left"))
    turned = render_page(_request(vector_pdf, MediaType.PDF, page=1, rotation=90))
    assert turned.size == (upright.size[1], upright.size[0])
    assert _is_red(_corner(turned, "top-right"))  # clockwise: top-left moves to top-right


@pytest.mark.parametrize(
    "rotation, corner", [(90, "top-right"), (180, "bottom-right"), (270, "bottom-left")]
)
def test_scan_rotation_moves_the_mark_clockwise(scan_pdf: Path, rotation: int, corner: str) -> None:
    image = render_page(_request(scan_pdf, MediaType.PDF, rotation=rotation))
    assert _is_red(_corner(image, corner))
    assert not _is_red(_corner(image, "top-left"))


def test_page_rotate_key_of_the_pdf_is_honoured(scan_pdf: Path, tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(scan_pdf))
    writer.pages[0].rotate(90)
    turned = tmp_path / "turned.pdf"
    writer.write(turned)
    image = render_page(_request(turned, MediaType.PDF))
    assert image.size[0] > image.size[1]
    assert _is_red(_corner(image, "top-right"))


@pytest.mark.parametrize(
    "fmt, media",
    [
        ("PNG", MediaType.PNG),
        ("WEBP", MediaType.WEBP),
        ("HEIF", MediaType.HEIF),
        ("JPEG", MediaType.JPEG),
    ],
)
def test_images_render_in_every_accepted_format(tmp_path: Path, fmt: str, media: MediaType) -> None:
    path = tmp_path / f"page.{fmt.lower()}"
    _marked_scan(620, 877).save(path, fmt, quality=90)
    image = render_page(_request(path, media, size=300))
    assert image.mode == "RGB" and max(image.size) == 300
    assert _is_red(_corner(image, "top-left"))


def test_jpeg_exif_orientation_is_applied_before_the_users_rotation(tmp_path: Path) -> None:
    # Stored sideways (landscape) with EXIF saying "turn 90° clockwise to view" (orientation 6).
    sideways = _marked_scan(620, 877).transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "phone.jpg"
    path.write_bytes(_jpeg_bytes(sideways, exif=exif.tobytes()))
    image = render_page(_request(path, MediaType.JPEG))
    assert image.size[0] < image.size[1]
    assert _is_red(_corner(image, "top-left"))


def test_multipage_tiff_frames_and_transparent_png(tmp_path: Path) -> None:
    path = tmp_path / "pages.tif"
    first, second = Image.new("RGB", (200, 280), "white"), _marked_scan(200, 280)
    first.save(path, save_all=True, append_images=[second], compression="tiff_lzw")
    assert not _is_red(_corner(render_page(_request(path, MediaType.TIFF)), "top-left"))
    assert _is_red(_corner(render_page(_request(path, MediaType.TIFF, page=1)), "top-left"))
    with pytest.raises(RenderError, match="has no page 3"):
        render_page(_request(path, MediaType.TIFF, page=2))
    png = tmp_path / "clear.png"
    Image.new("RGBA", (50, 50), (0, 0, 0, 0)).save(png)
    assert render_page(_request(png, MediaType.PNG)).getpixel((25, 25)) == (255, 255, 255)


def test_encrypted_pdf_needs_its_password(scan_pdf: Path, tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(scan_pdf))
    writer.encrypt(user_password="s3cret", owner_password="owner", algorithm="AES-256")
    locked = tmp_path / "locked.pdf"
    writer.write(locked)
    with pytest.raises(PasswordError, match="password"):
        render_page(_request(locked, MediaType.PDF))
    image = render_page(_request(locked, MediaType.PDF, password="s3cret"))
    assert _is_red(_corner(image, "top-left"))


def _bomb_png(path: Path, side: int) -> None:
    """A tiny PNG whose header claims side × side pixels (Pillow checks it when opening)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b""))


def test_damaged_and_hostile_files_raise_typed_errors(tmp_path: Path, scan_pdf: Path) -> None:
    bomb = tmp_path / "bomb.png"
    _bomb_png(bomb, 40_000)
    with pytest.raises(RenderError, match="too large"):
        render_page(_request(bomb, MediaType.PNG))
    truncated = tmp_path / "cut.pdf"
    truncated.write_bytes(scan_pdf.read_bytes()[:300])
    with pytest.raises(RenderError, match="not a readable PDF"):
        render_page(_request(truncated, MediaType.PDF))
    garbage = tmp_path / "noise.jpg"
    garbage.write_bytes(b"not a picture at all")
    with pytest.raises(RenderError, match="not an image"):
        render_page(_request(garbage, MediaType.JPEG))
    with pytest.raises(RenderError, match="missing"):
        render_page(_request(tmp_path / "gone.pdf", MediaType.PDF))
    with pytest.raises(RenderError, match="quarter turn"):
        render_page(_request(scan_pdf, MediaType.PDF, rotation=45))


class _FakeStore:
    """Only the two things rendering asks of a store (the real Store offers the same)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def blob_path(self, sha256: str) -> Path:
        return self.folder / "blobs" / sha256

    def document_password(self, doc_id: int) -> str | None:
        return "s3cret"

    @property
    def cache_dir(self) -> Path:
        return self.folder / "cache"


def _document(
    sha: str, media: MediaType, pages: int = 1, encrypted: bool = False
) -> DocumentRecord:
    return document_record(sha256=sha, media_type=media, pages=pages, encrypted=encrypted)


def test_cache_writes_jpeg_named_by_page_size_rotation_and_reuses_it(
    tmp_path: Path, vector_pdf: Path
) -> None:
    store = _FakeStore(tmp_path / "store")
    sha = "ab" * 32
    store.blob_path(sha).parent.mkdir(parents=True)
    store.blob_path(sha).write_bytes(vector_pdf.read_bytes())
    cache = ThumbnailCache.for_store(store)
    document = _document(sha, MediaType.PDF, pages=2)
    first = cache.render(store, document, 1, 128)
    assert first == store.cache_dir / "thumbs" / f"{sha}-1-128-0.jpg"
    with Image.open(first) as image:
        assert image.format == "JPEG" and max(image.size) == 128
    assert [p.name for p in first.parent.iterdir()] == [first.name]  # no temporary left over
    # Renders of passports are the user's alone, like the store they live in.
    for made in (store.cache_dir, first.parent):
        assert stat.S_IMODE(made.stat().st_mode) == 0o700, made
    assert stat.S_IMODE(first.stat().st_mode) == 0o600

    store.blob_path(sha).unlink()  # a cached page is served without reading the blob again
    assert cache.render(store, document, 1, 128) == first

    turned = replace(document, page_settings=(PageSetting(1, rotation=270),))
    with pytest.raises(RenderError, match="missing"):
        cache.render(store, turned, 1, 128)
    killed = first.parent / f".{first.name}.a1b2c3d4.part"  # a render killed half-written
    killed.write_bytes(b"\xff\xd8")
    cache.clear()
    assert not any(first.parent.iterdir())


def test_cache_opens_encrypted_pdfs_with_the_password_the_store_keeps(
    tmp_path: Path, scan_pdf: Path
) -> None:
    store = _FakeStore(tmp_path / "store")
    writer = PdfWriter(clone_from=PdfReader(scan_pdf))
    writer.encrypt(user_password="s3cret", algorithm="AES-256")
    sha = "cd" * 32
    store.blob_path(sha).parent.mkdir(parents=True)
    writer.write(store.blob_path(sha))
    cache = ThumbnailCache.for_store(store)
    with pytest.raises(PasswordError):  # without the flag, no password is asked for
        cache.render(store, _document(sha, MediaType.PDF), 0, 64)
    path = cache.render(store, _document(sha, MediaType.PDF, encrypted=True), 0, 64)
    with Image.open(path) as image:
        assert _is_red(_corner(image.convert("RGB"), "top-left"))


def test_prune_removes_the_oldest_renders_first(tmp_path: Path) -> None:
    cache = ThumbnailCache(tmp_path / "thumbs")
    cache.folder.mkdir()
    for age, name in enumerate(["new", "middle", "old"]):
        path = cache.folder / f"{name}.jpg"
        path.write_bytes(b"x" * 1000)
        os.utime(path, (1_000_000 - age * 100, 1_000_000 - age * 100))
    (cache.folder / "keep.txt").write_bytes(b"not a render")
    assert cache.prune(2500) == 1000
    assert sorted(p.name for p in cache.folder.iterdir()) == ["keep.txt", "middle.jpg", "new.jpg"]
    assert cache.prune(0) == 2000
    assert cache.prune(0) == 0


def test_sixteen_bit_greyscale_scans_keep_their_tones(tmp_path: Path) -> None:
    path = tmp_path / "grey16.png"
    row = struct.pack("<20H", *[32768] * 20) + struct.pack("<20H", *[65535] * 20)
    Image.frombytes("I;16", (40, 20), row * 20).save(path)
    rendered = render_page(_request(path, MediaType.PNG, size=40))
    assert rendered.getpixel((5, 5)) == (128, 128, 128)
    assert rendered.getpixel((35, 5)) == (255, 255, 255)
