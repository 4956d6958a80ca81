"""Opening one input for the packet: a PDF as it is, an image as a lossless one-image PDF."""

from __future__ import annotations

import contextlib
import io
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import pikepdf

from yongju.core.errors import ExportError
from yongju.core.packet.geometry import Box
from yongju.core.packet.jpegmeta import without_metadata
from yongju.core.packet.model import PacketDocument
from yongju.core.packet.pdfwriter import FileRange
from yongju.core.records import MediaType

IMAGE_TYPES = frozenset(
    {MediaType.JPEG, MediaType.PNG, MediaType.TIFF, MediaType.HEIF, MediaType.WEBP}
)
_NATIVE = frozenset({MediaType.JPEG, MediaType.PNG, MediaType.TIFF})  # img2pdf reads these
LETTER = Box(0, 0, 612, 792)


class Source:
    """An opened input: its pages as pikepdf objects, with inherited attributes resolved."""

    def __init__(self, document: PacketDocument, pdf: pikepdf.Pdf, is_image: bool) -> None:
        self.document = document
        self.pdf = pdf
        self.is_image = is_image
        self.image_dpi: float | None = None
        self._flattened = False
        self._flattened_any = False
        self._xref: dict[tuple[int, int], Any] | None = None
        self._file: IO[bytes] | None = None
        self._pages: list[pikepdf.Dictionary] | None = None
        self._settings = {setting.index: setting for setting in document.page_settings}

    @property
    def page_count(self) -> int:
        return len(self.pdf.pages)

    def pages(self) -> list[pikepdf.Dictionary]:
        """Every page's dictionary, in order."""
        if self._pages is None:
            self._pages = [page.obj for page in self.pdf.pages]
        return self._pages

    def page(self, index: int) -> pikepdf.Dictionary:
        """The page's dictionary. pikepdf's ``pages[i]`` copies qpdf's whole page list on
        every call (quadratic over a long document), so the list is taken once, by iterating."""
        pages = self.pages()
        if not 0 <= index < len(pages):
            raise ExportError(
                f"'{self.document.title}' has no page {index + 1} (it has {len(pages)})."
            )
        return pages[index]

    def box(self, index: int) -> Box:
        """The visible part of a page: its crop box within its media box."""
        page = self.page(index)
        # No usable media box: US Letter, as PDF readers assume (pdfium, poppler, pdf.js).
        media = _box(inherited(page, "/MediaBox")) or LETTER
        crop = _box(inherited(page, "/CropBox"))
        if crop is None:
            return media
        clipped = Box(
            max(media.x0, crop.x0),
            max(media.y0, crop.y0),
            min(media.x1, crop.x1),
            min(media.y1, crop.y1),
        )
        return clipped if clipped.width > 1 and clipped.height > 1 else media

    def rotation(self, index: int) -> int:
        """The page's own /Rotate plus the user's rotation, clockwise degrees."""
        own = inherited(self.page(index), "/Rotate")
        try:
            own_degrees = int(own) if isinstance(own, int | Decimal) else 0
        except (TypeError, ValueError, ArithmeticError):
            own_degrees = 0
        if own_degrees % 90:  # not a quarter turn: readers ignore it, and so do we
            own_degrees = 0
        setting = self._settings.get(index)
        return (own_degrees + (setting.rotation if setting is not None else 0)) % 360

    def user_unit(self, index: int) -> float:
        """Points per unit of the page's space (/UserUnit, PDF 1.6: 1 unless a large page
        says otherwise)."""
        unit = self.page(index).get("/UserUnit")
        try:
            value = float(unit) if isinstance(unit, int | Decimal) else 1.0
        except (TypeError, ValueError, ArithmeticError):
            return 1.0
        return value if math.isfinite(value) and 0 < value <= 75_000 else 1.0

    def flatten_annotations(self) -> None:
        """Draws printable annotations (filled forms, stamps) into the pages, once.

        Annotations themselves are never copied (they can carry actions); what they show
        on paper is kept this way.
        """
        if self._flattened or self.is_image:
            return
        self._flattened = True
        if any("/Annots" in page for page in self.pages()):
            self._flattened_any = True
            # A broken appearance stream or annotation: annotations are dropped, nothing
            # else (qpdf reports damage as PdfError, odd names as Unicode or Type errors).
            with contextlib.suppress(pikepdf.PdfError, RuntimeError, ValueError, TypeError):
                self.pdf.flatten_annotations("print")

    def raw_stream(self, obj: pikepdf.Object) -> FileRange | None:
        """Where a stream's raw (still encoded) bytes lie in the file, or None.

        Only for unencrypted files, and only when the bytes are framed exactly by
        ``N G obj … stream`` and ``endstream`` as the /Length says; anything unusual goes
        through qpdf instead. Streams qpdf has changed in memory (flattened annotations)
        also go through qpdf.
        """
        if self.is_image or self.pdf.is_encrypted or self._flattened_any:
            return None
        if self._xref is None:
            self._xref = self.pdf.get_xref_table()
            self._file = open(self.document.path, "rb")  # noqa: SIM115 - closed in close()
        entry = self._xref.get(obj.objgen)
        length = obj.get("/Length")
        if entry is None or entry.type != 1 or not isinstance(length, int) or self._file is None:
            return None
        return _framed_stream(self._file.fileno(), obj.objgen, entry.offset, length)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self.pdf.close()


def _framed_stream(fd: int, objgen: tuple[int, int], offset: int, length: int) -> FileRange | None:
    head = os.pread(fd, 2048, offset)
    if not head.startswith(b"%d %d obj" % objgen):
        return None
    at = head.find(b"stream")
    if at < 0 or b"endstream" in head[: at + 9] or not head[:at].rstrip().endswith(b">>"):
        return None
    start = at + 6
    if head[start : start + 2] == b"\r\n":
        start += 2
    elif head[start : start + 1] in (b"\n", b"\r"):
        start += 1
    else:
        return None
    tail = os.pread(fd, 16, offset + start + length).lstrip(b"\r\n \t")
    if not tail.startswith(b"endstream"):
        return None
    return FileRange(fd, offset + start, length)


def inherited(page: pikepdf.Dictionary, key: str) -> Any:
    """A page attribute that may be set on the page or on a parent in the page tree."""
    node: Any = page
    for _ in range(64):  # a loop in a broken page tree must not hang us
        if not isinstance(node, pikepdf.Dictionary):
            return None
        value = node.get(key)
        if value is not None:
            return value
        node = node.get("/Parent")
    return None


def _box(value: Any) -> Box | None:
    """A rectangle from a box entry, or None when it is not four finite numbers enclosing
    an area (a damaged box is as good as none)."""
    if not isinstance(value, pikepdf.Array) or len(value) != 4:
        return None
    try:
        x0, y0, x1, y1 = (float(v) for v in value)
    except (TypeError, ValueError, ArithmeticError):
        return None
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)):
        return None
    box = Box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    return box if box.width >= 1 and box.height >= 1 else None


@contextmanager
def opened(document: PacketDocument) -> Iterator[Source]:
    """Opens an input for copying; closes it afterwards."""
    source = open_source(document)
    try:
        yield source
    finally:
        source.close()


def open_source(document: PacketDocument) -> Source:
    """Opens a PDF (decrypted with its import password) or converts an image losslessly."""
    name = document.title or document.path.name
    if document.media_type in IMAGE_TYPES:
        pdf = pikepdf.open(io.BytesIO(image_to_pdf(document)))
        _clean_jpegs(pdf)
        source = Source(document, pdf, True)
        source.image_dpi = _image_dpi(document)
        return source
    try:
        pdf = pikepdf.open(
            document.path, password=document.password, access_mode=pikepdf.AccessMode.stream
        )
    except pikepdf.PasswordError:
        raise ExportError(f"'{name}' is encrypted and its password is not known.") from None
    except (pikepdf.PdfError, OSError) as exc:
        raise ExportError(f"'{name}' cannot be read: {reason(exc, document.path)}.") from None
    return Source(document, pdf, False)


def _clean_jpegs(pdf: pikepdf.Pdf) -> None:
    """A photo's JPEG loses its metadata (EXIF with the GPS position, XMP, comments), its
    compressed image data kept byte for byte; img2pdf has already turned the page as the
    EXIF orientation says. JPEGs whose Adobe marker says "RGB, not YCbCr" (joined TIFF
    strips) get the matching /ColorTransform 0, so no reader turns their colours."""
    for page in pdf.pages:
        xobjects: Any = page.obj.get("/Resources", pikepdf.Dictionary()).get("/XObject", {})
        for image in xobjects.values():
            if image.get("/Subtype") != "/Image" or image.get("/Filter") != "/DCTDecode":
                continue
            raw = image.read_raw_bytes()
            clean = without_metadata(raw)
            if clean is not raw:
                parms = image.get("/DecodeParms")
                image.write(clean, filter=pikepdf.Name.DCTDecode)
                if parms is not None:
                    image.DecodeParms = parms
            if image.get("/DecodeParms") is not None:
                continue
            head = clean[:64]
            at = head.find(b"\xff\xee\x00\x0eAdobe")
            if (
                at >= 0
                and len(head) > at + 15
                and head[at + 15] == 0
                and image.get("/ColorSpace") == "/DeviceRGB"
            ):
                image.DecodeParms = pikepdf.Dictionary(ColorTransform=0)


def reason(exc: BaseException, path: Path | None = None) -> str:
    """An exception's first line, without the stored file's path qpdf puts in front (the
    message names the document by its title already)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if path is not None:
        text = text.replace(f"{path} ", "").replace(f"{path}: ", "").replace(str(path), "")
    return text.strip(" :")[:160] or type(exc).__name__


def image_to_pdf(document: PacketDocument) -> bytes:
    """A PDF of the image's frames: JPEG (and CCITT/PNG where it can) passed through as is.

    img2pdf never re-encodes a JPEG. HEIC and WebP, which no PDF reader decodes, become
    lossless PNG first; images img2pdf refuses (alpha, odd modes) are flattened on white.
    """
    import img2pdf

    name = document.title or document.path.name
    if document.media_type is MediaType.TIFF:
        from yongju.core.packet.tiffjpeg import tiff_jpeg_frames

        try:
            frames = tiff_jpeg_frames(document.path)
        except (OSError, ValueError, SyntaxError):
            frames = None
        if frames:  # JPEG strips joined as they are: no re-encoding, no growth
            dpi = frames[0][1] or (96.0, 96.0)
            return bytes(
                img2pdf.convert(
                    [jpeg for jpeg, _ in frames], layout_fun=img2pdf.get_fixed_dpi_layout_fun(dpi)
                )
            )
    if document.media_type in _NATIVE:
        try:
            return bytes(img2pdf.convert(str(document.path), rotation=img2pdf.Rotation.ifvalid))
        except Exception:
            pass
    try:
        return bytes(img2pdf.convert(_as_pngs(document), rotation=img2pdf.Rotation.ifvalid))
    except Exception as exc:
        raise ExportError(f"'{name}' cannot be converted: {reason(exc)}.") from None


def _as_pngs(document: PacketDocument) -> list[bytes]:
    from PIL import Image, ImageSequence

    if document.media_type is MediaType.HEIF:
        import pillow_heif

        pillow_heif.register_heif_opener()
    pngs: list[bytes] = []
    with Image.open(document.path) as image:
        dpi = image.info.get("dpi")
        for frame in ImageSequence.Iterator(image):
            picture = (
                frame.convert("RGBA")
                if "A" in frame.getbands() or (frame.mode == "P" and "transparency" in frame.info)
                else frame
            )
            if picture.mode == "RGBA":
                white = Image.new("RGB", picture.size, "white")
                white.paste(picture, mask=picture.getchannel("A"))
                picture = white
            elif picture.mode not in ("RGB", "L", "1"):
                picture = picture.convert("RGB")
            buffer = io.BytesIO()
            picture.save(buffer, "PNG", dpi=dpi or (96, 96))
            pngs.append(buffer.getvalue())
    return pngs


def _image_dpi(document: PacketDocument) -> float | None:
    """The resolution an image states, if any (a phone photo's 72 is not a real one)."""
    from PIL import Image

    try:
        if document.media_type is MediaType.HEIF:
            return None
        with Image.open(document.path) as image:
            dpi = image.info.get("dpi")
    except OSError:
        return None
    if not dpi:
        return None
    value = float(dpi[0])
    return value if value >= 150 else None
