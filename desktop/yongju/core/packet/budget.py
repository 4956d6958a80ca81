"""Fitting a written packet into a size budget: recompress images, largest first, gently first.

Each level is tried on the largest images before any image gets a harsher one, and the work
stops as soon as the estimate fits, so images are degraded to the least degree needed.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pikepdf

from yongju.core.errors import CancelledError, ExportError
from yongju.core.packet.files import Scratch

A4_LONG_INCHES = 297 / 25.4
# (JPEG quality, highest resolution kept in dpi on an A4 sheet); None keeps every pixel.
LEVELS: tuple[tuple[int, int | None], ...] = (
    (85, None),
    (75, 200),
    (65, 150),
    (55, 120),
    (45, 100),
    (35, 75),
)
MIN_IMAGE_BYTES = 16_384  # smaller images are not worth a generation of loss
SAFETY = 0.985  # leave room for the xref growth and rounding of the estimate


@dataclass(frozen=True)
class _Encoded:
    """An image encoded as JPEG: its bytes, size and colour mode (not its pixels: the
    encodings an image is tried at are kept until it is rewritten)."""

    data: bytes
    width: int
    height: int
    mode: str


@dataclass
class _Image:
    obj: pikepdf.Object
    size: int
    level: int = -1
    # Encodings of the image as it is now, by level: the estimate encodes the largest image,
    # and the level it chooses is then applied to that image with the same encoding.
    encoded: dict[int, _Encoded | None] = field(default_factory=dict)


def _images(pdf: pikepdf.Pdf) -> list[_Image]:
    """Every distinct image XObject worth recompressing."""
    seen: set[tuple[int, int]] = set()
    found: list[_Image] = []
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream) or obj.objgen in seen:
            continue
        if obj.get("/Subtype") != "/Image" or obj.get("/ImageMask", False):
            continue
        bits = obj.get("/BitsPerComponent", 8)
        if not isinstance(bits, int) or bits < 8:
            continue  # bilevel scans (CCITT, JBIG2) are already tiny and lose text if resampled
        if "/Decode" in obj:
            continue  # a decode array (inverted or remapped samples) is not carried by PIL
        seen.add(obj.objgen)
        length = obj.get("/Length")
        size = int(length) if isinstance(length, int) else len(obj.read_raw_bytes())
        if size >= MIN_IMAGE_BYTES:
            found.append(_Image(obj, size))
    return found


def _encode(image: _Image, quality: int, max_dpi: int | None) -> _Encoded | None:
    """The image as a JPEG at ``quality``, downsampled to ``max_dpi``, or None when that
    would not shrink it or it cannot be decoded."""
    try:
        picture = pikepdf.PdfImage(image.obj).as_pil_image()  # type: ignore[arg-type]
        buffer = io.BytesIO()
        picture = _shrunk(picture, image, max_dpi)
        picture.save(buffer, "JPEG", quality=quality, optimize=True)
    except Exception:
        # Exotic colour spaces and filters, and damaged image data (PIL reports it as
        # OSError or ValueError, pikepdf as PdfError), are left as they are.
        return None
    data = buffer.getvalue()
    if len(data) >= image.size:
        return None
    return _Encoded(data, picture.width, picture.height, picture.mode)


def _shrunk(picture: Any, image: _Image, max_dpi: int | None) -> Any:
    """The picture downsampled to ``max_dpi`` on A4, in a mode JPEG can hold; decoded here,
    so damaged image data fails now rather than half-way through writing."""
    from PIL import Image

    size = None
    has_mask = "/SMask" in image.obj or "/Mask" in image.obj
    if max_dpi is not None and not has_mask:  # a soft mask must keep the image's size
        long_side = max(picture.size)
        limit = int(max_dpi * A4_LONG_INCHES)
        if long_side > limit:
            ratio = limit / long_side
            size = (max(1, round(picture.width * ratio)), max(1, round(picture.height * ratio)))
            picture.draft(picture.mode, size)  # a JPEG decodes at 1/2, 1/4… directly: fast
    picture.load()
    if size is not None:
        picture = picture.resize(size, Image.Resampling.LANCZOS)
    if picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    return picture


def _encoded(image: _Image, level: int) -> _Encoded | None:
    """``_encode`` at ``level`` (its quality and resolution), once for each state of the image."""
    if level not in image.encoded:
        image.encoded[level] = _encode(image, *LEVELS[level])
    return image.encoded[level]


def _recompress(image: _Image, level: int) -> bool:
    """Replaces the image by its recompressed version at ``level`` when that is smaller."""
    encoded = _encoded(image, level)
    if encoded is None:
        return False
    image.encoded = {}  # of the image before: the next level starts from this one
    image.size = len(encoded.data)
    image.obj.write(encoded.data, filter=pikepdf.Name.DCTDecode)
    image.obj.Width, image.obj.Height = encoded.width, encoded.height
    image.obj.ColorSpace = (
        pikepdf.Name.DeviceRGB if encoded.mode == "RGB" else pikepdf.Name.DeviceGray
    )
    image.obj.BitsPerComponent = 8
    for key in ("/DecodeParms", "/Decode", "/Intent"):
        if key in image.obj:
            del image.obj[key]
    return True


def _choose_level(images: list[_Image], total: int, budget: int) -> int:
    """The gentlest level that, applied to every image, is estimated to meet the budget.

    The estimate encodes the largest image only (a few encodes, not one per image and level).
    """
    largest = max(images, key=lambda i: i.size)
    image_bytes = sum(i.size for i in images)
    for level in range(len(LEVELS)):
        encoded = _encoded(largest, level)
        ratio = len(encoded.data) / largest.size if encoded is not None else 1.0
        if total - image_bytes * (1 - ratio) <= budget * SAFETY:
            return level
    return len(LEVELS) - 1


def fit_budget(
    source: str, target: Scratch, budget: int, cancel: Callable[[], bool] | None = None
) -> list[str] | None:
    """Writes ``source`` again as ``target``, at most ``budget`` bytes; returns what was
    done, in words, or None when ``source`` already fits (``target`` is then untouched).

    Raises ``ExportError`` when even the harshest level cannot meet the budget.
    """
    before = os.stat(source).st_size
    if before <= budget:
        return None
    with pikepdf.open(source) as pdf:
        images = _images(pdf)
        if not images:
            raise ExportError(
                f"The packet is {before / 1e6:.1f} MB and has no images that could be "
                f"recompressed to fit {budget / 1e6:.1f} MB."
            )
        total = before
        level = _choose_level(images, total, budget)
        while True:
            for image in sorted(images, key=lambda i: i.size, reverse=True):
                if total <= budget * SAFETY:
                    break
                if cancel is not None and cancel():
                    raise CancelledError("Export cancelled; no file was written.")
                old = image.size
                if _recompress(image, level):
                    total -= old - image.size
                    image.level = level
            if total <= budget * SAFETY or level == len(LEVELS) - 1:
                break
            level += 1  # the estimate was optimistic: go one level further
        with target.stream() as stream:
            pdf.save(stream)
    after = target.size
    if after > budget:
        raise ExportError(
            f"The packet cannot be made smaller than {after / 1e6:.1f} MB "
            f"(budget {budget / 1e6:.1f} MB) at a readable quality. Raise the budget "
            "or leave some pages out."
        )
    changed = sum(1 for i in images if i.level >= 0)
    quality, max_dpi = LEVELS[max(i.level for i in images)]
    resolution = f", at most {max_dpi} dpi" if max_dpi else ""
    return [
        f"To fit {budget / 1e6:.1f} MB, {changed} of {len(images)} images were recompressed "
        f"(JPEG quality {quality}{resolution}), largest first: "
        f"{before / 1e6:.1f} MB → {after / 1e6:.1f} MB."
    ]
