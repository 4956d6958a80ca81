"""The packet engine on hostile inputs: each class of real-world damage that once broke it."""

from __future__ import annotations

import zlib
from pathlib import Path

import pikepdf
import pytest

from yongju.core.errors import ExportError
from yongju.core.packet import PacketDocument, PacketOptions, PacketSection, build_packet
from yongju.core.packet import sheets as sheets_module
from yongju.core.records import MediaType

A4 = (595.2756, 841.8898)
MARGIN = 8 * 72 / 25.4
NO_COVER = PacketOptions(cover=False, stamp=False)
CONTENT = b"0 0 1 rg 10 10 30 30 re f"


def stream(head: bytes, data: bytes) -> bytes:
    """A stream object's body: its dictionary (without /Length) and its data."""
    return b"<< " + head + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def make_pdf(
    path: Path, pages: list[bytes], extra: dict[int, bytes] | None = None, tree: bytes = b""
) -> Path:
    """A PDF written byte by byte (so damage can be put exactly where a real file has it),
    with a correct cross-reference table. ``pages`` are page dictionaries' inner text
    (``/Parent 2 0 R`` is added), ``tree`` more of the page tree root's (inherited
    attributes); ``extra`` objects are numbered from 10 by the caller."""
    objects: dict[int, bytes] = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    kids = b" ".join(b"%d 0 R" % (100 + i) for i in range(len(pages)))
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d %s >>" % (kids, len(pages), tree)
    for i, body in enumerate(pages):
        objects[100 + i] = b"<< /Type /Page /Parent 2 0 R " + body + b" >>"
    objects.update(extra or {})
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num] if num in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    path.write_bytes(bytes(out))
    return path


def export(tmp_path: Path, *files: Path) -> pikepdf.Pdf:
    """Exports the files as one slot and returns the packet, checked as qpdf --check would."""
    documents = tuple(PacketDocument(f, MediaType.PDF, f.stem, "s") for f in files)
    output = tmp_path / "packet.pdf"
    result = build_packet([PacketSection("s", "Slot", "材料", documents)], output, NO_COVER)
    pdf = pikepdf.open(output)
    assert len(pdf.pages) == result.pages
    assert pdf.check_pdf_syntax() == []
    return pdf


def form(pdf: pikepdf.Pdf, index: int = 0) -> pikepdf.Stream:
    return pdf.pages[index].Resources.XObject.P0


def placed(pdf: pikepdf.Pdf, index: int = 0) -> list[tuple[float, float]]:
    """Where the corners of the source page's box land on the sheet."""
    for operands, operator in pikepdf.parse_content_stream(pdf.pages[index]):
        if operator == pikepdf.Operator("cm"):
            a, b, c, d, e, f = (float(v) for v in operands)
            break
    x0, y0, x1, y1 = (float(v) for v in form(pdf, index).BBox)
    return [
        (a * x + c * y + e, b * x + d * y + f) for x, y in ((x0, y0), (x0, y1), (x1, y0), (x1, y1))
    ]


def extent(corners: list[tuple[float, float]]) -> tuple[float, float]:
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    return max(xs) - min(xs), max(ys) - min(ys)


def fitted(width: float, height: float) -> tuple[float, float]:
    """A page of known size on its A4 sheet: shrunk into the margins if larger, else 100%."""
    sheet = (A4[1], A4[0]) if width > height else A4
    scale = min(1.0, (sheet[0] - 2 * MARGIN) / width, (sheet[1] - 2 * MARGIN) / height)
    return width * scale, height * scale


def content_of(pdf: pikepdf.Pdf, index: int = 0) -> bytes:
    return bytes(form(pdf, index).read_bytes())


def test_keys_that_are_not_utf8_are_kept_byte_for_byte(tmp_path: Path) -> None:
    # A flipped bit in a key, as in damaged scans: '/Medi\xc5Box' (so no usable media
    # box: US Letter, as readers assume) and a font key qpdf hands back surrogate-escaped;
    # a key that is not a name at all, and a string of arbitrary bytes.
    src = make_pdf(
        tmp_path / "names.pdf",
        [
            b"/Medi\xc5Box [0 0 144 144] /Contents 11 0 R /Resources << /Font << /F1 10 0 R >> "
            b"/Properties << (odd) 5 /Q\xd4 <00ff5c29> /S (a\\)\xfe) >> >>"
        ],
        {
            10: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /W\x9bdth 3 >>",
            11: stream(b"", b"BT /F1 12 Tf 72 72 Td (Hi) Tj ET"),
        },
    )
    pdf = export(tmp_path, src)
    font = form(pdf).Resources.Font.F1
    assert font.BaseFont == "/Helvetica"
    assert b"/W#9bdth 3" in font.unparse(resolved=True)
    properties = form(pdf).Resources.Properties
    assert b"/Q#d4" in properties.unparse(resolved=True)
    assert bytes(properties.S) == b"a)\xfe"
    assert extent(placed(pdf)) == pytest.approx(fitted(612, 792), abs=0.01)  # Letter


def test_indirect_scalars_are_written_as_values_not_as_the_sources_references(
    tmp_path: Path,
) -> None:
    # A damaged font object that reads as a string, and an indirect name: once written as
    # the source's own "10 0 R", which pointed at an unrelated object of the packet.
    src = make_pdf(
        tmp_path / "scalars.pdf",
        [
            b"/MediaBox [0 0 200 200] /Contents 12 0 R "
            b"/Resources << /Font << /F1 10 0 R >> /Properties << /P1 << /Kind 11 0 R >> >> >>"
        ],
        {10: b"<a6>", 11: b"/Odd", 12: stream(b"", CONTENT)},
    )
    pdf = export(tmp_path, src)
    resources = form(pdf).Resources
    assert bytes(resources.Font.F1) == b"\xa6"
    assert resources.Properties.P1.Kind == "/Odd"


def test_broken_references_and_non_dictionary_resources_become_null_or_empty(
    tmp_path: Path,
) -> None:
    src = make_pdf(
        tmp_path / "broken.pdf",
        [
            b"/MediaBox [0 0 200 200] /Contents 10 0 R "
            b"/Resources << /XObject << /Gone 99 0 R >> /ExtGState 98 0 R >>",
            b"/MediaBox [0 0 200 200] /Contents 10 0 R /Resources 7 /Group (not a dict)",
        ],
        {10: stream(b"", CONTENT)},
    )
    pdf = export(tmp_path, src)
    assert len(pdf.pages) == 2
    assert "/Gone" not in form(pdf, 0).Resources.XObject  # qpdf drops null-valued keys
    assert dict(form(pdf, 1).Resources) == {}
    assert "/Group" not in form(pdf, 1)


def test_inline_image_split_over_a_contents_array_with_damaged_flate(tmp_path: Path) -> None:
    inline = b"q 20 0 0 20 50 50 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q"
    tail = b"0 0 1 RG " + b" ".join(b"%d %d m %d %d l S" % (i, i, i + 5, i + 9) for i in range(400))
    damaged = bytearray(zlib.compress(tail, 9))
    damaged[len(damaged) // 2 : len(damaged) // 2 + 40] = bytes(40)  # zeroed sectors
    src = make_pdf(
        tmp_path / "inline.pdf",
        [b"/MediaBox [0 0 200 200] /Contents [10 0 R 11 0 R 12 0 R] /Resources << >>"],
        {
            10: stream(b"", b"q 1 0 0"),  # an operation split between two streams
            11: stream(b"/Filter /FlateDecode", zlib.compress(b"1 0 0 cm " + inline + b" Q")),
            12: stream(b"/Filter /FlateDecode", bytes(damaged)),
        },
    )
    pdf = export(tmp_path, src)
    content = content_of(pdf)
    assert b"q 1 0 0\n1 0 0 cm " + inline in content
    with pikepdf.open(src) as source, pytest.raises(pikepdf.DataDecodingError):
        source.pages[0].Contents[2].read_bytes()
    # What inflates before the damage is drawn (as readers do), not the whole page lost.
    kept = content.split(inline + b" Q\n", 1)[1]
    assert kept[:2000] == tail[:2000] and len(kept) < len(tail)
    whole = pikepdf.Stream(pdf, content.split(b" Q\n0 0 1 RG", 1)[0] + b" Q")
    operators = [str(op) for _, op in pikepdf.parse_content_stream(whole)]
    assert operators == ["q", "cm", "q", "cm", "INLINE IMAGE", "Q", "Q"]


def test_inherited_attributes_rotation_and_media_box_origin(tmp_path: Path) -> None:
    # Resources, MediaBox and /Rotate 90 set on the page tree, not the page; the box does
    # not start at 0 0. (Written by hand: pikepdf would push them down onto the page.)
    src = make_pdf(
        tmp_path / "inherited.pdf",
        [b"/Contents 11 0 R"],
        {
            10: stream(
                b"/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8",
                b"\x00",
            ),
            11: stream(b"", b"q 300 0 0 500 100 200 cm /Im Do Q"),
        },
        tree=b"/MediaBox [100 200 400 700] /Rotate 90 /Resources << /XObject << /Im 10 0 R >> >>",
    )
    pdf = export(tmp_path, src)
    assert [float(v) for v in pdf.pages[0].mediabox] == pytest.approx([0, 0, A4[1], A4[0]])
    assert "/Im" in form(pdf).Resources.XObject
    corners = placed(pdf)
    width, height = extent(corners)
    assert (width, height) == pytest.approx((500, 300), abs=0.01)  # turned, true size
    # Turned clockwise: the page's top-left corner (100, 700) is now the top-right.
    top_left = corners[1]
    assert top_left == pytest.approx((max(x for x, _ in corners), max(y for _, y in corners)))
    assert top_left == pytest.approx(((A4[1] + 500) / 2, (A4[0] + 300) / 2), abs=0.01)


@pytest.mark.parametrize(
    ("rotate", "shown"),
    [(b"45", (300, 200)), (b"-90", (200, 300)), (b"450", (200, 300)), (b"/Ninety", (300, 200))],
)
def test_odd_rotations(tmp_path: Path, rotate: bytes, shown: tuple[float, float]) -> None:
    src = make_pdf(
        tmp_path / "rot.pdf",
        [b"/MediaBox [0 0 300 200] /Rotate " + rotate + b" /Contents 10 0 R"],
        {10: stream(b"", CONTENT)},
    )
    assert extent(placed(export(tmp_path, src))) == pytest.approx(shown, abs=0.01)


def test_user_unit_and_huge_media_boxes_fit_the_sheet(tmp_path: Path) -> None:
    src = make_pdf(
        tmp_path / "big.pdf",
        [
            # 100 units of 10 points: a 1000-point page, shrunk to fit (not kept at 100 pt).
            b"/MediaBox [0 0 100 100] /UserUnit 10 /Contents 10 0 R",
            # 14 km wide: the scale (~4e-5) must not be rounded away to 0.
            b"/MediaBox [0 0 40000000 30000000] /Contents 10 0 R",
            b"/MediaBox [0 0 0 0] /Contents 10 0 R",  # degenerate: Letter
            b"/MediaBox [0 0 nope 5] /CropBox [0 0 1e999 2] /Contents 10 0 R",
        ],
        {10: stream(b"", CONTENT)},
    )
    pdf = export(tmp_path, src)
    assert extent(placed(pdf, 0)) == pytest.approx((A4[0] - 2 * MARGIN,) * 2, rel=1e-3)
    assert extent(placed(pdf, 1)) == pytest.approx(fitted(40_000_000, 30_000_000), rel=1e-3)
    assert extent(placed(pdf, 2)) == pytest.approx(fitted(612, 792), abs=0.01)
    assert extent(placed(pdf, 3)) == pytest.approx(fitted(612, 792), abs=0.01)


def test_loops_self_reference_deep_nesting_and_unusual_filters(tmp_path: Path) -> None:
    deep = b"[" * 450 + b"1" + b"]" * 450
    image = b"0000ff00>"  # 2 x 2 grey, ASCIIHex then (no-op) flate parameters
    src = make_pdf(
        tmp_path / "loops.pdf",
        [
            b"/MediaBox [0 0 200 200] /Contents 13 0 R /Resources << /XObject << /Fx 10 0 R "
            b"/Im 14 0 R >> /Properties << /Loop 11 0 R /Deep " + deep + b" /Pg 100 0 R >> >>"
        ],
        {
            # A form drawing itself (readers stop the recursion; we must copy it once).
            10: stream(
                b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] "
                b"/Resources << /XObject << /Fx 10 0 R >> >>",
                b"/Fx Do",
            ),
            11: b"<< /Next 12 0 R >>",
            12: b"[11 0 R 12 0 R]",
            13: stream(b"", b"/Fx Do q 20 0 0 20 0 0 cm /Im Do Q"),
            14: stream(
                b"/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Filter [/ASCIIHexDecode] /DecodeParms [null] "
                b"/F (outside.bin)",
                image,
            ),
        },
    )
    pdf = export(tmp_path, src)
    resources = form(pdf).Resources
    fx = resources.XObject.Fx
    assert fx.Resources.XObject.Fx.objgen == fx.objgen
    loop = resources.Properties.Loop.Next
    assert loop[0].objgen == resources.Properties.Loop.objgen and loop[1].objgen == loop.objgen
    depth, node = 0, resources.Properties.Deep
    while isinstance(node, pikepdf.Array):
        depth, node = depth + 1, node[0]
    assert depth == 450
    assert "/Pg" not in resources.Properties  # a page reached from resources: dropped
    im = resources.XObject.Im
    assert im.read_raw_bytes() == image and im.read_bytes() == b"\x00\x00\xff\x00"
    assert list(im.Filter) == ["/ASCIIHexDecode"] and "/F" not in im  # no external file


def test_a_page_that_cannot_be_copied_fails_in_one_line_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = make_pdf(
        tmp_path / "fine.pdf",
        [b"/MediaBox [0 0 200 200] /Contents 10 0 R"] * 2,
        {10: stream(b"", CONTENT)},
    )
    real = sheets_module.write_form
    calls = []

    def failing(*args: object, **kw: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("qpdf: something deep\nwith a second line")
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(sheets_module, "write_form", failing)
    with pytest.raises(ExportError) as caught:
        export(tmp_path, src)
    message = str(caught.value)
    assert "\n" not in message
    assert "Page 2 of 'fine'" in message and "RuntimeError: qpdf: something deep" in message
    assert list(tmp_path.glob("packet*")) == [] and list(tmp_path.glob(".packet*")) == []


def test_a_size_budget_leaves_damaged_images_alone(tmp_path: Path) -> None:
    import io
    import random

    from PIL import Image

    rng = random.Random(3)
    noise = Image.frombytes("L", (300, 300), bytes(rng.randrange(256) for _ in range(90_000)))
    buffer = io.BytesIO()
    noise.save(buffer, "JPEG", quality=95)
    good = buffer.getvalue()
    damaged = good[: len(good) * 3 // 4]  # a truncated scan: PIL fails only when decoding
    head = b"/Type /XObject /Subtype /Image /Width 300 /Height 300 /ColorSpace /DeviceGray "
    head += b"/BitsPerComponent 8 /Filter /DCTDecode"
    src = make_pdf(
        tmp_path / "scans.pdf",
        [
            b"/MediaBox [0 0 300 300] /Contents 12 0 R /Resources << /XObject << /Im 10 0 R >> >>",
            b"/MediaBox [0 0 300 300] /Contents 12 0 R /Resources << /XObject << /Im 11 0 R >> >>",
        ],
        {
            10: stream(head, good),
            11: stream(head, damaged),
            12: stream(b"", b"300 0 0 300 0 0 cm /Im Do"),
        },
    )
    budget = len(good) + len(damaged) - len(good) // 3
    documents = (PacketDocument(src, MediaType.PDF, "scans", "s"),)
    output = tmp_path / "packet.pdf"
    result = build_packet(
        [PacketSection("s", "Slot", "材料", documents)],
        output,
        PacketOptions(cover=False, stamp=False, max_size=budget),
    )
    assert result.bytes <= budget and "1 of 2 images were recompressed" in result.warnings[0]
    with pikepdf.open(output) as pdf:
        assert form(pdf, 1).Resources.XObject.Im.read_raw_bytes() == damaged
        assert len(form(pdf, 0).Resources.XObject.Im.read_raw_bytes()) < len(good)
