"""ID photos are printed at their real size, several to a sheet, never blown up to A4."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from tests.core.test_packet import doc, section
from yongju.core.packet import PacketOptions, build_packet
from yongju.core.packet.model import MM

# The photos' inked size is measured: without the page-number stamp (on by default), whose
# text would be inked too.
NO_COVER = PacketOptions(cover=False, stamp=False)


def photo(path: Path, size: tuple[int, int], dpi: int | None) -> Path:
    image = Image.new("RGB", size, (200, 210, 230))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, **({"dpi": (dpi, dpi)} if dpi else {}))
    path.write_bytes(buffer.getvalue())
    return path


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    """(start, length) of each run of True."""
    runs, start = [], None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            runs.append((start, i - start))
            start = None
    return runs


SCALE = 4  # rendered at 288 dpi: a pixel is a quarter point


def printed_mm(path: Path, index: int) -> tuple[list[float], list[float]]:
    """The widths of the inked columns and heights of the inked rows on a page, in mm
    (photos are light blue on white, so each photo is one run across and one down)."""
    pdf = pdfium.PdfDocument(path)
    try:
        image = pdf[index].render(scale=SCALE).to_pil().convert("L")
    finally:
        pdf.close()
    ink = image.point(lambda v: 255 if v < 250 else 0)
    inked_columns, inked_rows = ink.getprojection()  # 1 where a column (row) has any ink
    columns, rows = [bool(v) for v in inked_columns], [bool(v) for v in inked_rows]
    to_mm = 1 / SCALE / MM
    return (
        [length * to_mm for _s, length in _runs(columns)],
        [length * to_mm for _s, length in _runs(rows)],
    )


def page_count(path: Path) -> int:
    pdf = pdfium.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def test_photos_keep_their_real_size_and_share_a_sheet(tmp_path: Path) -> None:
    # A scan at 300 dpi of a 33 x 48 mm print, and a phone picture that states no resolution.
    scanned = photo(tmp_path / "scanned.jpg", (390, 567), 300)
    phone = photo(tmp_path / "phone.jpg", (1200, 1600), None)
    page = photo(tmp_path / "page.jpg", (620, 877), None)  # an ordinary scan in another slot
    photos = section("photo", doc(scanned, "photo"), doc(phone, "photo"), photo=True)
    other = section("other", doc(page, "other"))
    out = tmp_path / "packet.pdf"
    result = build_packet([photos, other], out, NO_COVER)
    assert result.pages == 2  # both photos on one sheet, the scan on its own
    assert [r.packet_pages for r in result.ranges] == [(1,), (1,), (2,)]
    widths, heights = printed_mm(out, 0)
    assert len(widths) == 2 and len(heights) == 1  # side by side in one row
    assert abs(widths[0] - 33.0) < 0.5 and abs(heights[0] - 48.0) < 0.5  # its stated size
    assert abs(widths[1] - 33.0) < 0.5  # 3:4, fitted in 33 x 48 mm: 33 x 44
    widths, _heights = printed_mm(out, 1)
    assert widths[0] > 150  # an ordinary page still fills its sheet


def test_many_photos_fill_rows_then_a_new_sheet(tmp_path: Path) -> None:
    docs = [doc(photo(tmp_path / f"p{i}.jpg", (390, 567), 300), "photo") for i in range(18)]
    out = tmp_path / "packet.pdf"
    result = build_packet([section("photo", *docs, photo=True)], out, NO_COVER)
    assert result.pages == 2
    widths, heights = printed_mm(out, 0)
    assert len(widths) == 4 and len(heights) == 4  # four rows of four
    assert all(abs(h - 48.0) < 0.5 for h in heights)
    widths, heights = printed_mm(out, 1)
    assert len(widths) == 2 and len(heights) == 1
