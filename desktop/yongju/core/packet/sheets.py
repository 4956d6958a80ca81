"""Drawing sheets: a source page as a form XObject on a fresh A4 page, and the bookmarks."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Sequence
from typing import Any

import pikepdf

from yongju.core.errors import ExportError, YongjuError
from yongju.core.packet.geometry import Box, Matrix, fit, is_a4, shown_size
from yongju.core.packet.model import A4_PORTRAIT, MM
from yongju.core.packet.pdfwriter import (
    ObjectCopier,
    PdfStreamWriter,
    Raw,
    Ref,
    format_number,
    name,
    text_string,
)
from yongju.core.packet.sources import Source, inherited
from yongju.core.packet.sources import reason as reason_text

STAMP_NAME = "YjStamp"


def write_form(
    writer: PdfStreamWriter,
    copier: ObjectCopier,
    page: pikepdf.Dictionary,
    box: Box,
    ref: Ref | None = None,
) -> Ref:
    """A source page as a form XObject: its content and resources, nothing else."""
    head = [
        b"<< /Type /XObject /Subtype /Form /BBox [%s]"
        % b" ".join(_num(v) for v in (box.x0, box.y0, box.x1, box.y1))
    ]
    resources = inherited(page, "/Resources")
    # Resources that are not a dictionary (a damaged file) are as good as none.
    if isinstance(resources, pikepdf.Dictionary):
        head.append(b"/Resources " + copier.value(resources))
    else:
        head.append(b"/Resources << >>")
    group = page.get("/Group")
    if isinstance(group, pikepdf.Dictionary):
        head.append(b"/Group " + copier.value(group))
    contents = page.get("/Contents")
    data = b""
    if isinstance(contents, pikepdf.Stream):
        data = contents.read_raw_bytes()
        for key in ("/Filter", "/DecodeParms"):
            value = contents.get(key)
            if value is not None:
                head.append(pikepdf.Name(key).unparse() + b" " + copier.value(value))
    elif isinstance(contents, pikepdf.Array):
        # A form has one stream: the page's streams are decoded and joined (a content
        # stream may end mid-operation and the next one carry on).
        parts = [_decoded(c) for c in contents if isinstance(c, pikepdf.Stream)]
        data = zlib.compress(b"\n".join(parts), 6)
        head.append(b"/Filter /FlateDecode")
    head.append(b"/Length %d >>" % len(data))
    ref = writer.write_raw_stream(b" ".join(head), data, ref)
    copier.copy_pending()
    return ref


def _decoded(stream: pikepdf.Stream) -> bytes:
    """A content stream's operators; of a damaged one, what decodes before the damage
    (which is what PDF readers draw), or nothing."""
    try:
        return bytes(stream.read_bytes())
    except pikepdf.PdfError:
        pass
    raw = stream.read_raw_bytes()
    if stream.get("/Filter") not in ("/FlateDecode", "/Fl") or stream.get("/DecodeParms"):
        return b""
    prefix = inflate_prefix(raw)
    # Cut after the last whole token, so no half number or operator runs into the next.
    end = max(prefix.rfind(c) for c in (b"\n", b"\r", b" ", b"\t"))
    return prefix[: end + 1] if end >= 0 else b""


def inflate_prefix(raw: bytes) -> bytes:
    """As much of a damaged zlib stream as inflates before the damage."""
    inflater = zlib.decompressobj()
    out: list[bytes] = []
    for at in range(0, len(raw), 256):
        chunk = raw[at : at + 256]
        backup = inflater.copy()
        try:
            out.append(inflater.decompress(chunk))
        except zlib.error:
            # Byte by byte through the chunk that failed, keeping what came before.
            inflater = backup
            for byte in range(len(chunk)):
                try:
                    out.append(inflater.decompress(chunk[byte : byte + 1]))
                except zlib.error:
                    return b"".join(out)
            return b"".join(out)
        if inflater.eof:
            break
    return b"".join(out)


def _num(value: float) -> bytes:
    return format_number(value)


def _cm(matrix: Matrix) -> bytes:
    return b" ".join(_num(v) for v in matrix) + b" cm"


# ID photos: the 2-inch exit-entry photo is 33 mm wide and 48 mm high. A photo whose image
# states its resolution is drawn at that size (up to a cell); one that does not, at 33 x 48.
PHOTO_SIZE = (33 * MM, 48 * MM)
PHOTO_GAP = 8 * MM
PHOTO_COLUMNS, PHOTO_ROWS = 4, 4
PHOTOS_PER_SHEET = PHOTO_COLUMNS * PHOTO_ROWS


class SheetWriter:
    """Writes sheets: one fresh A4 page each, drawing its placements and the stamp."""

    def __init__(self, writer: PdfStreamWriter, pages_ref: Ref, margin: float) -> None:
        self.writer = writer
        self.pages_ref = pages_ref
        self.margin = margin
        self.page_refs: list[Ref] = []

    def write_sheet(
        self,
        items: Sequence[tuple[Source, ObjectCopier, int]],
        stamp: Ref | None,
        *,
        card: bool = False,
        photos: bool = False,
    ) -> Ref:
        """Places one page full-sheet, or (``card``) an ID card's sides one above the other
        on a portrait sheet (a lone side in the upper half, as a photocopy would have it)."""
        forms: list[tuple[Ref, Matrix]] = []
        if photos:
            return self._photo_sheet(items, stamp)
        if not card:
            source, copier, index = items[0]
            box, rotation, unit = _measure(source, index)
            w, h = shown_size(box, rotation)
            shown = (w * unit, h * unit)
            sheet = _sheet(*shown)
            if is_a4(*shown):
                area, expand = Box(0, 0, *sheet), True
            else:
                m = self.margin
                # Known sizes stay true (a small certificate is copied at 100%, as a
                # photocopier would); photos of unknown resolution fill the sheet.
                area, expand = Box(m, m, sheet[0] - m, sheet[1] - m), not _true_size(source)
            form = self._form(source, copier, index, box)
            forms.append((form, fit(box, rotation, area, expand=expand, unit=unit)))
        else:
            sheet = A4_PORTRAIT
            m, half = self.margin, A4_PORTRAIT[1] / 2
            areas = [
                Box(m, half + m / 2, sheet[0] - m, sheet[1] - m),
                Box(m, m, sheet[0] - m, half - m / 2),
            ]
            for (source, copier, index), area in zip(items, areas, strict=False):
                box, rotation, unit = _measure(source, index)
                form = self._form(source, copier, index, box)
                matrix = fit(box, rotation, area, expand=not _true_size(source), unit=unit)
                forms.append((form, matrix))
        return self._page(sheet, forms, stamp)

    def _photo_sheet(
        self, items: Sequence[tuple[Source, ObjectCopier, int]], stamp: Ref | None
    ) -> Ref:
        """ID photos at their real size, in rows from the top left, like a sheet of prints."""
        sheet, m = A4_PORTRAIT, self.margin
        max_w = (sheet[0] - 2 * m - (PHOTO_COLUMNS - 1) * PHOTO_GAP) / PHOTO_COLUMNS
        max_h = (sheet[1] - 2 * m - (PHOTO_ROWS - 1) * PHOTO_GAP) / PHOTO_ROWS
        measured = [(item, _measure(item[0], item[2])) for item in items]
        sizes = [
            photo_size(source, box, rotation, unit)
            for (source, _c, _i), (box, rotation, unit) in measured
        ]
        sizes = [_within(w, h, max_w, max_h) for w, h in sizes]
        cell_w, cell_h = max(w for w, _h in sizes), max(h for _w, h in sizes)
        columns = min(PHOTO_COLUMNS, len(items))
        left = (sheet[0] - columns * cell_w - (columns - 1) * PHOTO_GAP) / 2
        forms: list[tuple[Ref, Matrix]] = []
        for number, (((source, copier, index), (box, rotation, unit)), (w, h)) in enumerate(
            zip(measured, sizes, strict=True)
        ):
            row, column = divmod(number, PHOTO_COLUMNS)
            x = left + column * (cell_w + PHOTO_GAP)
            top = sheet[1] - m - row * (cell_h + PHOTO_GAP)
            form = self._form(source, copier, index, box)
            forms.append((form, fit(box, rotation, Box(x, top - h, x + w, top), unit=unit)))
        return self._page(sheet, forms, stamp)

    def _form(self, source: Source, copier: ObjectCopier, index: int, box: Box) -> Ref:
        """The page as a form XObject; a page that cannot be copied fails the export with a
        one-line message naming the document and the page."""
        try:
            return write_form(self.writer, copier, source.page(index), box)
        except (OSError, YongjuError):
            raise  # the output's own failures, cancels and our messages pass unchanged
        except Exception as exc:
            raise page_error(source, index, exc) from None

    def _page(
        self, sheet: tuple[float, float], forms: list[tuple[Ref, Matrix]], stamp: Ref | None
    ) -> Ref:
        content = []
        xobjects: dict[str, Any] = {}
        for number, (ref, matrix) in enumerate(forms):
            xobjects[f"P{number}"] = ref
            content.append(b"q %s /P%d Do Q" % (_cm(matrix), number))
        if stamp is not None:
            xobjects[STAMP_NAME] = stamp
            shift = (sheet[0] - A4_PORTRAIT[0]) / 2
            content.append(b"q %s /%s Do Q" % (_cm((1, 0, 0, 1, shift, 0)), STAMP_NAME.encode()))
        contents = self.writer.write_stream(b"\n".join(content))
        ref = self.writer.write_object(
            {
                "Type": name("Page"),
                "Parent": self.pages_ref,
                "MediaBox": [0, 0, round(sheet[0], 4), round(sheet[1], 4)],
                "Resources": {"XObject": xobjects},
                "Contents": contents,
            }
        )
        self.page_refs.append(ref)
        return ref


def _measure(source: Source, index: int) -> tuple[Box, int, float]:
    """A page's visible box, rotation and user unit; a page too damaged to measure fails
    the export with a one-line message."""
    try:
        return source.box(index), source.rotation(index), source.user_unit(index)
    except YongjuError:
        raise
    except Exception as exc:
        raise page_error(source, index, exc) from None


def page_error(source: Source, index: int, exc: BaseException) -> ExportError:
    """The one-line error for a source page that cannot be put into the packet."""
    name = source.document.title or source.document.path.name
    kind, detail = type(exc).__name__, reason_text(exc, source.document.path)
    reason = kind if detail == kind else f"{kind}: {detail}"
    return ExportError(f"Page {index + 1} of '{name}' cannot be copied into the packet ({reason}).")


def _sheet(width: float, height: float) -> tuple[float, float]:
    a, b = A4_PORTRAIT
    return (b, a) if width > height else (a, b)


def photo_size(source: Source, box: Box, rotation: int, unit: float) -> tuple[float, float]:
    """The size a photo is printed at, in points: its own when the image states a real
    resolution, else the 2-inch photo's (33 x 48 mm), keeping its proportions."""
    w, h = shown_size(box, rotation)
    w, h = w * unit, h * unit
    if _true_size(source) or w <= 0 or h <= 0:
        return w, h
    return _within(w, h, *PHOTO_SIZE, grow=True)


def _within(
    w: float, h: float, max_w: float, max_h: float, *, grow: bool = False
) -> tuple[float, float]:
    """``w`` x ``h`` scaled (down only, unless ``grow``) to fit ``max_w`` x ``max_h``."""
    scale = min(max_w / w, max_h / h) if w > 0 and h > 0 else 1.0
    if not grow:
        scale = min(scale, 1.0)
    return w * scale, h * scale


def _true_size(source: Source) -> bool:
    """True size is kept when known: a PDF page, or a scan with a real resolution."""
    return not source.is_image or source.image_dpi is not None


def write_outline(
    writer: PdfStreamWriter, entries: Sequence[tuple[str, Ref, Sequence[tuple[str, Ref]]]]
) -> Ref | None:
    """Bookmarks: one per slot, with one child per document."""
    if not entries:
        return None
    root = writer.reserve()
    tops = [writer.reserve() for _ in entries]
    for i, (title, page, children) in enumerate(entries):
        kids = [writer.reserve() for _ in children]
        for j, (child_title, child_page) in enumerate(children):
            item: dict[str, Any] = {
                "Title": text_string(child_title),
                "Parent": tops[i],
                "Dest": [child_page, name("Fit")],
            }
            if j > 0:
                item["Prev"] = kids[j - 1]
            if j + 1 < len(kids):
                item["Next"] = kids[j + 1]
            writer.write_object(item, kids[j])
        top: dict[str, Any] = {
            "Title": text_string(title),
            "Parent": root,
            "Dest": [page, name("Fit")],
        }
        if i > 0:
            top["Prev"] = tops[i - 1]
        if i + 1 < len(tops):
            top["Next"] = tops[i + 1]
        if kids:
            top.update({"First": kids[0], "Last": kids[-1], "Count": -len(kids)})
        writer.write_object(top, tops[i])
    writer.write_object(
        {"Type": name("Outlines"), "First": tops[0], "Last": tops[-1], "Count": len(tops)}, root
    )
    return root


def pdf_date(moment: dt.datetime) -> Raw:
    utc = moment.astimezone(dt.UTC)
    return text_string(utc.strftime("D:%Y%m%d%H%M%S+00'00'"))
