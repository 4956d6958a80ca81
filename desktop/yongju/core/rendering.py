"""Renders pages of stored documents to images, and caches them as JPEG thumbnails.

``ThumbnailCache`` renders in a ``Sandbox`` worker bounded in memory and time: a page that
would take PDFium gigabytes is refused with a sentence instead of taking down the window.
``render_page`` itself is the unbounded step the worker runs.
"""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pillow_heif
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageOps, UnidentifiedImageError

from yongju.core.atomicwrite import written_beside
from yongju.core.errors import YongjuError
from yongju.core.pdfium import PDFIUM_LOCK
from yongju.core.records import DocumentRecord, MediaType
from yongju.core.sandbox import Limits, Sandbox, TooComplexError

pillow_heif.register_heif_opener()

MIN_SIZE = 16
MAX_SIZE = 4096
_JPEG_QUALITY = 85
_FULL_PAGE_TOLERANCE = 0.02  # an image covering 98% of the page counts as the whole page
_ROTATIONS = (0, 90, 180, 270)


class RenderError(YongjuError):
    """A page could not be rendered (damaged file, wrong password, page out of range)."""


class PasswordError(RenderError):
    """The PDF is encrypted and the password we have does not open it."""


class BlobStore(Protocol):
    """What rendering needs from a store: where bytes and cache live, and PDF passwords."""

    def blob_path(self, sha256: str) -> Path: ...

    def document_password(self, doc_id: int) -> str | None: ...

    @property
    def cache_dir(self) -> Path: ...


@dataclass(frozen=True)
class PageRequest:
    """One page of one stored file at one size (longest edge, pixels) and clockwise rotation."""

    path: Path
    media_type: MediaType
    page: int
    size: int
    rotation: int = 0
    password: str = ""


def render_page(request: PageRequest) -> Image.Image:
    """The page as an RGB image whose longest edge is at most ``request.size`` pixels."""
    if request.rotation % 360 not in _ROTATIONS:
        raise RenderError(f"A page can only be turned by a quarter turn, not {request.rotation}°.")
    size = max(MIN_SIZE, min(MAX_SIZE, request.size))
    try:
        if request.media_type is MediaType.PDF:
            return _render_pdf(request, size)
        return _render_image(request, size)
    except RenderError:
        raise
    except Image.DecompressionBombError:
        raise RenderError(f"{request.path.name} is too large an image to show safely.") from None
    except FileNotFoundError:
        raise RenderError(f"The stored file {request.path.name} is missing.") from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        # Pillow reports truncated or malformed files with these (SyntaxError for bad TIFF tags).
        raise RenderError(f"{request.path.name} cannot be shown: it is damaged ({exc}).") from None


def _rotated(image: Image.Image, rotation: int) -> Image.Image:
    turns = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180}
    turns[270] = Image.Transpose.ROTATE_90
    method = turns.get(rotation % 360)
    return image.transpose(method) if method is not None else image


def _render_image(request: PageRequest, size: int) -> Image.Image:
    try:
        opened = Image.open(request.path)
    except UnidentifiedImageError:
        raise RenderError(f"{request.path.name} is not an image Yongju can read.") from None
    with opened as image:
        frames = getattr(image, "n_frames", 1)
        if not 0 <= request.page < frames:
            raise RenderError(f"{request.path.name} has no page {request.page + 1}.")
        if request.page:
            image.seek(request.page)
        if image.format == "JPEG":
            # Draft mode lets libjpeg decode at 1/2, 1/4 or 1/8 scale: a thumbnail of a large
            # scan costs a fraction of a full decode.
            image.draft("RGB", (size, size))
        upright = ImageOps.exif_transpose(image) if request.page == 0 else image
        result = _to_rgb(upright)
    result.thumbnail((size, size), Image.Resampling.LANCZOS)
    return _rotated(result, request.rotation)


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        # Transparent areas of a PNG are shown on white paper, not black.
        rgba = image.convert("RGBA")
        paper = Image.new("RGB", rgba.size, "white")
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    if image.mode.startswith("I;16"):
        # 16-bit greyscale scans: scale to 8 bits rather than let values above 255 clip to white.
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    return image.convert("RGB")


def _render_pdf(request: PageRequest, size: int) -> Image.Image:
    with PDFIUM_LOCK:
        document = _open_pdf(request)
        try:
            if not 0 <= request.page < len(document):
                raise RenderError(f"{request.path.name} has no page {request.page + 1}.")
            page = document[request.page]
            try:
                rotation = (page.get_rotation() + request.rotation) % 360
                jpeg = _full_page_jpeg(page)
                if jpeg is None:
                    width, height = page.get_size()
                    scale = size / max(width, height, 1.0)
                    bitmap = page.render(scale=scale, rotation=request.rotation % 360)
                    try:
                        drawn: Image.Image = bitmap.to_pil().convert("RGB")  # a copy
                        return drawn
                    finally:
                        bitmap.close()  # here, under the lock, not later by the collector
            finally:
                page.close()
        finally:
            document.close()
    # Decoding the scan's own JPEG needs no pdfium, so it happens outside the lock.
    with Image.open(io.BytesIO(jpeg)) as image:
        image.draft("RGB", (size, size))
        result = image.convert("RGB")
    result.thumbnail((size, size), Image.Resampling.LANCZOS)
    return _rotated(result, rotation)


def _open_pdf(request: PageRequest) -> Any:
    if not request.path.is_file():
        raise RenderError(f"The stored file {request.path.name} is missing.")
    try:
        return pdfium.PdfDocument(request.path, password=request.password or None)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise PasswordError(
                f"{request.path.name} is protected by a password Yongju does not have."
            ) from None
        raise RenderError(
            f"{request.path.name} cannot be shown: it is not a readable PDF."
        ) from None


def _full_page_jpeg(page: Any) -> bytes | None:
    """The raw JPEG of a scanned page: one upright DCT image covering the whole page, or None."""
    objects = list(page.get_objects(max_depth=1))
    if len(objects) != 1 or objects[0].type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
        return None
    image = objects[0]
    if image.get_filters() != ["DCTDecode"]:
        return None
    colorspace = image.get_metadata().colorspace
    if colorspace not in (pdfium_c.FPDF_COLORSPACE_DEVICEGRAY, pdfium_c.FPDF_COLORSPACE_DEVICERGB):
        return None  # CMYK and ICC-based scans need colour management: let pdfium draw them
    matrix = image.get_matrix()
    if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
        return None  # placed rotated or mirrored
    left, bottom, right, top = page.get_cropbox()
    box_left, box_bottom, box_right, box_top = image.get_bounds()
    slack_x = (right - left) * _FULL_PAGE_TOLERANCE
    slack_y = (top - bottom) * _FULL_PAGE_TOLERANCE
    covers = (
        box_left <= left + slack_x
        and box_bottom <= bottom + slack_y
        and box_right >= right - slack_x
        and box_top >= top - slack_y
    )
    return bytes(image.get_data(decode_simple=False)) if covers else None


class ThumbnailCache:
    """JPEG renders of pages under ``<store>/cache/thumbs``; deleting the folder is harmless.

    Pages are rendered in a worker process of its own (started at the first render, ended
    by ``close`` or when the program ends).
    """

    def __init__(self, folder: Path, limits: Limits | None = None) -> None:
        self.folder = folder
        self._sandbox = Sandbox(limits, preload=("yongju.core.rendering",))

    def close(self) -> None:
        """Stops the rendering worker (a later render starts a new one)."""
        self._sandbox.close()

    @classmethod
    def for_store(cls, store: BlobStore) -> ThumbnailCache:
        """The cache that lives inside ``store``."""
        return cls(store.cache_dir / "thumbs")

    def path(self, sha256: str, page: int, size: int, rotation: int) -> Path:
        """Where the render of this page at this size and rotation is (or would be) kept."""
        return self.folder / f"{sha256}-{page}-{size}-{rotation % 360}.jpg"

    def render(self, store: BlobStore, document: DocumentRecord, page: int, size: int) -> Path:
        """A cached JPEG of ``page`` of ``document`` with its rotation applied, rendered if new."""
        rotation = document.page(page).rotation % 360
        target = self.path(document.sha256, page, size, rotation)
        if target.is_file():
            return target
        password = (store.document_password(document.id) or "") if document.encrypted else ""
        request = PageRequest(
            path=store.blob_path(document.sha256),
            media_type=MediaType(document.media_type),
            page=page,
            size=size,
            rotation=rotation,
            password=password,
        )
        return self.render_request(request, target)

    def render_request(self, request: PageRequest, target: Path) -> Path:
        """Renders ``request`` into the JPEG ``target`` (in this cache's folder), bounded."""
        try:
            self._sandbox.run(_render_into, request, self.folder, target)
        except TooComplexError as exc:
            detail = str(exc).partition("(")[2].rstrip(")")
            raise RenderError(f"The page is too complex to show safely ({detail}).") from None
        return target

    def prune(self, max_bytes: int) -> int:
        """Deletes the least recently written renders until the cache fits; returns bytes freed.

        Safe while renders are being read: a reader holds an open file (POSIX) or finds the
        file missing and renders it again.
        """
        if not self.folder.is_dir():
            return 0
        entries = []
        for entry in self.folder.iterdir():
            try:
                info = entry.stat()
            except OSError:
                continue  # removed meanwhile
            if entry.suffix == ".jpg":
                entries.append((info.st_mtime, info.st_size, entry))
        total = sum(size for _, size, _ in entries)
        freed = 0
        for _, size, entry in sorted(entries, key=lambda item: item[0]):
            if total - freed <= max_bytes:
                break
            entry.unlink(missing_ok=True)
            freed += size
        return freed

    def clear(self) -> None:
        """Deletes every cached render (they are all made again on demand), and the hidden
        ``.part`` files of renders that were killed half-written."""
        if self.folder.is_dir():
            for entry in self.folder.iterdir():
                if entry.suffix in (".jpg", ".part"):
                    entry.unlink(missing_ok=True)


def _private_folder(folder: Path) -> None:
    """Makes ``folder`` and any missing parents 0700: renders of passports are the user's
    alone (``mkdir(parents=True)`` would give the parents the umask's 0755)."""
    missing = []
    for path in (folder, *folder.parents):
        if path.exists():
            break
        missing.append(path)
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=0o700)
        os.chmod(path, 0o700)  # exactly, whatever the umask took off


def _render_into(request: PageRequest, folder: Path, target: Path) -> None:
    """The worker's job: render, then write beside ``target`` and rename, so a reader never
    sees half a file."""
    image = render_page(request)
    try:
        _private_folder(folder)
        # Not synced: a render lost to a power cut is made again when next shown.
        with written_beside(target, durable=False) as temporary:
            image.save(temporary, "JPEG", quality=_JPEG_QUALITY)
    except OSError as exc:
        raise RenderError(f"The thumbnail cache cannot be written ({exc.strerror}).") from None
