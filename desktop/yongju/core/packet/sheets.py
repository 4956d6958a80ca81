"""Drawing sheets: a source page as a form XObject on a fresh A4 page, and the bookmarks."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Sequence
from typing import Any

import pikepdf

from yongju.core.packet.geometry import Box, Matrix, fit, is_a4, shown_size
from yongju.core.packet.model import A4_PORTRAIT
from yongju.core.packet.pdfwriter import ObjectCopier, PdfStreamWriter, Raw, Ref, name, text_string
from yongju.core.packet.sources import Source, inherited

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
    head.append(b"/Resources " + (copier.value(resources) if resources is not None else b"<< >>"))
    group = page.get("/Group")
    if group is not None:
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
        parts = [c.read_bytes() for c in contents if isinstance(c, pikepdf.Stream)]
        data = zlib.compress(b"\n".join(parts), 6)
        head.append(b"/Filter /FlateDecode")
    head.append(b"/Length %d >>" % len(data))
    ref = writer.write_raw_stream(b" ".join(head), data, ref)
    copier.copy_pending()
    return ref


def _num(value: float) -> bytes:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return (text if text not in ("", "-0") else "0").encode("ascii")


def _cm(matrix: Matrix) -> bytes:
    return b" ".join(_num(v) for v in matrix) + b" cm"


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
    ) -> Ref:
        """Places one page full-sheet, or (``card``) an ID card's sides one above the other
        on a portrait sheet (a lone side in the upper half, as a photocopy would have it)."""
        forms: list[tuple[Ref, Matrix]] = []
        if not card:
            source, copier, index = items[0]
            box, rotation = source.box(index), source.rotation(index)
            shown = shown_size(box, rotation)
            sheet = _sheet(*shown)
            if is_a4(*shown):
                area, expand = Box(0, 0, *sheet), True
            else:
                m = self.margin
                # Known sizes stay true (a small certificate is copied at 100%, as a
                # photocopier would); photos of unknown resolution fill the sheet.
                area, expand = Box(m, m, sheet[0] - m, sheet[1] - m), not _true_size(source)
            forms.append(
                (
                    write_form(self.writer, copier, source.page(index), box),
                    fit(box, rotation, area, expand=expand),
                )
            )
        else:
            sheet = A4_PORTRAIT
            m, half = self.margin, A4_PORTRAIT[1] / 2
            areas = [
                Box(m, half + m / 2, sheet[0] - m, sheet[1] - m),
                Box(m, m, sheet[0] - m, half - m / 2),
            ]
            for (source, copier, index), area in zip(items, areas, strict=False):
                box, rotation = source.box(index), source.rotation(index)
                forms.append(
                    (
                        write_form(self.writer, copier, source.page(index), box),
                        fit(box, rotation, area, expand=not _true_size(source)),
                    )
                )
        return self._page(sheet, forms, stamp)

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
        contents = self.writer.write_stream(b"\n".join(content), compress=False)
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


def _sheet(width: float, height: float) -> tuple[float, float]:
    a, b = A4_PORTRAIT
    return (b, a) if width > height else (a, b)


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
