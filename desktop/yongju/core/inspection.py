"""Identifies a file by its content and checks it is a whole, openable PDF or image.

Parsing runs in a ``Sandbox`` worker (``inspect_bounded``): a hostile file can cost that
worker its memory or its time, never the command or the window.
"""

from __future__ import annotations

import re
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from yongju.core.errors import YongjuError
from yongju.core.pdfium import PDFIUM_LOCK
from yongju.core.records import MediaType
from yongju.core.sandbox import Limits, Sandbox, TooComplexError

if TYPE_CHECKING:
    from PIL.Image import Image as PilImage
    from pypdfium2 import PdfDocument

# A4 at 600 dpi is 35 MP and A3 at 600 dpi 70 MP; anything far beyond is not a scan
# (and decoding it would take gigabytes of memory).
MAX_SCAN_PIXELS = 150_000_000
# What the worker loads before its first job (while the caller copies the first file).
WORKER_MODULES = ("yongju.core.inspection", "pypdfium2", "pikepdf", "PIL.Image")
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


class RefusedFile(YongjuError):
    """A file Yongju will not import; the message is the one-line reason."""


@dataclass(frozen=True)
class FileInfo:
    """What inspecting a file found."""

    media_type: MediaType
    pages: int
    width_px: int | None = None
    height_px: int | None = None
    dpi: float | None = None
    encrypted: bool = False
    password: str | None = None
    has_text: bool = False
    text: str = ""  # a little of the text layer, to suggest a slot


def sniff(head: bytes) -> MediaType:
    """The media type from a file's first bytes; ``RefusedFile`` with a reason otherwise."""
    if b"%PDF-" in head[:1024]:
        return MediaType.PDF
    if head.startswith(b"\xff\xd8\xff"):
        return MediaType.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return MediaType.PNG
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return MediaType.TIFF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return MediaType.WEBP
    if head[4:8] == b"ftyp":
        if head[8:12] in _HEIF_BRANDS:
            return MediaType.HEIF
        if head[8:12] in (b"avif", b"avis"):
            raise RefusedFile("AVIF images are not supported; save the photo as JPEG or HEIC")
    raise RefusedFile(_describe_unsupported(head))


def _describe_unsupported(head: bytes) -> str:
    text = head[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<?xml")) or b"<html" in text:
        return "it is a web page (HTML), not a PDF or image — perhaps a download that failed"
    if head.startswith(b"PK\x03\x04"):
        return "it is a ZIP archive or Office document; save it as PDF first"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "it is an old Office document; save it as PDF first"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF images are not supported; save it as PNG"
    if head.startswith(b"BM"):
        return "BMP images are not supported; save it as PNG"
    if head.strip(b"\x00") == b"":
        return "the file holds only zero bytes (an unfinished copy or a damaged disk?)"
    return "not a PDF or a supported image (JPEG, PNG, TIFF, HEIC, WebP)"


def reading_sandbox(limits: Limits | None = None) -> Sandbox:
    """A worker for ``inspect_bounded`` (start it early: it loads PDFium and qpdf)."""
    return Sandbox(limits, preload=WORKER_MODULES)


def inspect_file(
    path: Path, passwords: tuple[str, ...] = (), sandbox: Sandbox | None = None
) -> FileInfo:
    """Checks a file on disk, as import would, without importing it (in ``sandbox``, or in
    a worker of its own)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(4096)
            fh.seek(max(0, size - 65536))
            tail = fh.read()
    except OSError as exc:
        raise RefusedFile(f"cannot be read: {exc.strerror}") from None
    if size == 0:
        raise RefusedFile("the file is empty (0 bytes)")
    return inspect_bounded(path, head, tail, passwords, size, sandbox)


def inspect_bounded(
    path: Path,
    head: bytes,
    tail: bytes,
    passwords: tuple[str, ...],
    size: int,
    sandbox: Sandbox | None = None,
) -> FileInfo:
    """``inspect_bytes`` in a worker bounded in memory and time; a file that passes the
    bounds is refused as too complex to read safely."""
    sniff(head)  # a file of another type is refused here, without a round trip
    if sandbox is None:
        with reading_sandbox() as own:
            return inspect_bounded(path, head, tail, passwords, size, own)
    try:
        return sandbox.run(inspect_bytes, path, head, tail, passwords, size=size)
    except TooComplexError as exc:
        raise RefusedFile(str(exc)) from None


def inspect_bytes(path: Path, head: bytes, tail: bytes, passwords: tuple[str, ...]) -> FileInfo:
    """Checks the file at ``path`` whose first and last bytes are given."""
    media_type = sniff(head)
    if media_type is MediaType.PDF:
        if _shorter_than_declared(head, path):
            raise RefusedFile("the PDF is incomplete (truncated, or still being written)")
        return _inspect_pdf(path, tail, passwords)
    return _inspect_image(path, media_type)


def _inspect_pdf(path: Path, tail: bytes, passwords: tuple[str, ...]) -> FileInfo:
    if not _ends_like_a_pdf(tail):
        raise RefusedFile("the PDF is incomplete (truncated, or still being written)")
    import pypdfium2.raw as pdfium_c
    from pypdfium2 import PdfiumError

    with PDFIUM_LOCK:
        document, password = _open_pdf(path, passwords)
        try:
            pages = len(document)
            if pages == 0:
                raise RefusedFile("the PDF has no pages")
            # Every page must at least have a size: a page that does not is damaged, and
            # the packet could not be printed with it (cheap: page contents are not parsed).
            sizes = [_page_size(document, index) for index in range(pages)]
            width, height = sizes[0]
            encrypted = pdfium_c.FPDF_GetSecurityHandlerRevision(document) != -1
            text = _first_page_text(document)
        except PdfiumError:
            raise RefusedFile("the PDF is damaged and cannot be read") from None
        finally:
            document.close()
    _check_packet_reader(path, password, pages)
    return FileInfo(
        media_type=MediaType.PDF,
        pages=pages,
        encrypted=encrypted,
        password=password if encrypted else None,
        has_text=bool(text.strip()),
        text=text,
        width_px=round(width),
        height_px=round(height),
    )


def _check_packet_reader(path: Path, password: str | None, pages: int) -> None:
    """The packet is written with qpdf (pikepdf): a PDF it cannot read, or whose pages it
    counts otherwise than PDFium, is damaged, and is refused now rather than at export."""
    import pikepdf

    try:
        # Read as a stream, not mapped: a mapping of a large file would count against the
        # worker's address-space limit.
        with pikepdf.open(
            path, password=password or "", access_mode=pikepdf.AccessMode.stream
        ) as pdf:
            count = len(pdf.pages)
    except pikepdf.PasswordError:
        # PDFium tries a password in several encodings, qpdf only as given: an older PDF
        # whose password has accented or non-Latin letters opens in one and not the other.
        raise RefusedFile(
            "the PDF's password works in some programs but not for the packet (an older PDF "
            "with a password of accented or non-Latin letters); save it without a password "
            "in a PDF viewer and import that copy"
        ) from None
    except (pikepdf.PdfError, OSError, RuntimeError, ValueError):
        raise RefusedFile("the PDF is damaged: its structure cannot be read") from None
    if count != pages:
        raise RefusedFile(f"the PDF is damaged: its page tree is inconsistent ({count} or {pages})")


def _page_size(document: PdfDocument, index: int) -> tuple[float, float]:
    from pypdfium2 import PdfiumError

    try:
        width, height = document.get_page_size(index)
    except PdfiumError:
        raise RefusedFile(f"the PDF is damaged: page {index + 1} cannot be read") from None
    if not (width > 0 and height > 0):
        raise RefusedFile(f"the PDF is damaged: page {index + 1} has no size")
    return width, height


_LINEARIZED_LENGTH = re.compile(rb"/Linearized\s.{0,200}?/L\s+(\d+)", re.DOTALL)


def _shorter_than_declared(head: bytes, path: Path) -> bool:
    """A linearized ("fast web view") PDF states its length up front; a cut one is shorter.

    (It may legitimately be longer, after incremental saves.)
    """
    declared = _LINEARIZED_LENGTH.search(head[:2048])
    return declared is not None and path.stat().st_size < int(declared[1])


def _ends_like_a_pdf(tail: bytes) -> bool:
    """A whole PDF ends with ``%%EOF``, give or take some padding (linearized files also
    have one near the start, so only the end counts)."""
    end = tail.rfind(b"%%EOF")
    return end >= 0 and len(tail[end + 5 :].strip(b"\x00\r\n\t \x0c")) <= 1024


def _open_pdf(path: Path, passwords: tuple[str, ...]) -> tuple[PdfDocument, str | None]:
    from pypdfium2 import PdfDocument, PdfiumError
    from pypdfium2.raw import FPDF_ERR_PASSWORD

    for password in (None, *passwords):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return PdfDocument(str(path), password=password), password
        except PdfiumError as exc:
            if exc.err_code != FPDF_ERR_PASSWORD:
                raise RefusedFile("the PDF is damaged and cannot be opened") from None
    if passwords:
        raise RefusedFile("the PDF is encrypted and none of the given passwords opens it")
    raise RefusedFile("the PDF is encrypted with a password; import it again with the password")


def _first_page_text(document: PdfDocument) -> str:
    from pypdfium2 import PdfiumError

    try:
        page = document[0]
        try:
            textpage = page.get_textpage()
            try:
                return str(textpage.get_text_bounded())[:2000]
            finally:
                textpage.close()
        finally:
            page.close()
    except PdfiumError:
        return ""


def _inspect_image(path: Path, media_type: MediaType) -> FileInfo:
    from PIL import Image, UnidentifiedImageError

    if media_type is MediaType.HEIF:
        import pillow_heif

        pillow_heif.register_heif_opener()
    try:
        with warnings.catch_warnings():
            # Pillow warns (corrupt EXIF, truncated read…) on the very files we refuse
            # below with a reason of our own; its warnings would only be noise.
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                width, height = image.size
                if width * height > MAX_SCAN_PIXELS:
                    raise RefusedFile(
                        f"the image is too large to be a scan ({width}×{height} pixels)"
                    )
                frames = getattr(image, "n_frames", 1) if media_type is MediaType.TIFF else 1
                _check_decodes(image, media_type, frames)
                dpi = _dpi(image.info.get("dpi"))
    except RefusedFile:
        raise
    except Image.DecompressionBombError as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))
        size = f" ({int(found[1]) / 1e6:,.0f} million pixels)" if found else ""
        raise RefusedFile(f"the image is too large to be a scan{size}") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        message = str(exc).lower()
        if "truncated" in message or isinstance(exc, EOFError):
            raise RefusedFile(
                "the image is incomplete (truncated, or still being written)"
            ) from None
        raise RefusedFile("the image is damaged and cannot be read") from None
    except (TypeError, KeyError, IndexError, AttributeError, struct.error):
        # Pillow's TIFF reader fails like this on a file cut short inside its directories.
        raise RefusedFile("the image is damaged or incomplete and cannot be read") from None
    return FileInfo(media_type=media_type, pages=frames, width_px=width, height_px=height, dpi=dpi)


def _check_decodes(image: object, media_type: MediaType, frames: int) -> None:
    """Decodes the image data (cheaply where possible) so a truncated file is caught now."""
    from PIL import Image

    assert isinstance(image, Image.Image)
    if media_type is MediaType.JPEG:
        image.draft("L", (max(1, image.width // 8), max(1, image.height // 8)))
        image.load()
        return
    if media_type is MediaType.TIFF:
        _check_tiff_strips(image, frames)
        return
    image.load()


# TIFF tags holding where each strip (or tile) of image data lies, and how long it is.
_TIFF_DATA_TAGS = ((273, 279), (324, 325))


def _check_tiff_strips(image: PilImage, frames: int) -> None:
    """Every frame's image data must lie inside the file.

    Decoding each page (libtiff, ~25 ms a page) would be slower and, on a cut file,
    misses a truncation in the last bytes that this catches.
    """
    path = getattr(image, "filename", "")
    size = Path(path).stat().st_size if path else None
    for index in range(frames):
        image.seek(index)
        tags = getattr(image, "tag_v2", {})
        extents = [
            (offsets, counts)
            for offsets_tag, counts_tag in _TIFF_DATA_TAGS
            if (offsets := tags.get(offsets_tag)) is not None
            and (counts := tags.get(counts_tag)) is not None
        ]
        if not extents:
            raise RefusedFile(f"the TIFF is damaged: page {index + 1} has no image data")
        for offsets, counts in extents:
            offsets, counts = _as_tuple(offsets), _as_tuple(counts)
            end = max(o + c for o, c in zip(offsets, counts, strict=False))
            if size is not None and end > size:
                raise RefusedFile("the image is incomplete (truncated, or still being written)")


def _as_tuple(value: object) -> tuple[int, ...]:
    return tuple(value) if isinstance(value, tuple | list) else (int(value),)  # type: ignore[call-overload]


def _dpi(value: object) -> float | None:
    if isinstance(value, tuple) and value and isinstance(value[0], int | float) and value[0] > 1:
        return round(float(value[0]), 1)
    return None
