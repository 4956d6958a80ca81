"""The streaming PDF writer and its copier, on real pikepdf objects and real files."""

from __future__ import annotations

import io
import os
import tomllib
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path

import pikepdf
import pytest
from packaging.requirements import Requirement

from yongju.core.packet import pdfwriter
from yongju.core.packet.pdfwriter import (
    FileRange,
    PdfStreamWriter,
    Ref,
    format_number,
    name,
    name_token,
    object_type,
    serialize,
    text_string,
)


@pytest.fixture
def pdf() -> pikepdf.Pdf:
    made = pikepdf.new()
    made.add_blank_page()
    return made


def test_object_type_names_every_kind_of_object_pikepdf_hands_out(pdf: pikepdf.Pdf) -> None:
    # The one use of pikepdf's private _type_code: a pikepdf that renames or changes it
    # fails here rather than in an export.
    content = pdf.make_stream(b"q 1 0 0 1 0 0 cm Q")
    operators = [op for _, op in pikepdf.parse_content_stream(content)]
    found = {
        "dictionary": object_type(pikepdf.Dictionary(A=1)),
        "array": object_type(pikepdf.Array([1, 2])),
        "stream": object_type(content),
        "name": object_type(pikepdf.Name.Foo),
        "string": object_type(pikepdf.String("x")),
        "operator": object_type(operators[0]),
        "page": object_type(pdf.pages[0].obj),
    }
    assert found == {
        "dictionary": pikepdf.ObjectType.dictionary,
        "array": pikepdf.ObjectType.array,
        "stream": pikepdf.ObjectType.stream,
        "name": pikepdf.ObjectType.name_,
        "string": pikepdf.ObjectType.string,
        "operator": pikepdf.ObjectType.operator,
        "page": pikepdf.ObjectType.dictionary,
    }
    assert all(isinstance(code, pikepdf.ObjectType) for code in found.values())


def test_object_type_agrees_with_pikepdfs_public_type_checks(pdf: pikepdf.Pdf) -> None:
    objects = [
        pikepdf.Dictionary(A=1),
        pikepdf.Array([]),
        pdf.make_stream(b""),
        pikepdf.Name.Foo,
        pikepdf.String("x"),
    ]
    classes = [pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream, pikepdf.Name, pikepdf.String]
    for obj in objects:
        matching = [cls for cls in classes if isinstance(obj, cls)]
        assert len(matching) == 1
        assert object_type(obj) == matching[0].object_type  # type: ignore[attr-defined]


def test_pikepdf_is_bounded_below_its_next_major_and_the_installed_one_fits() -> None:
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    declared = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    pikepdf_req = next(Requirement(d) for d in declared if Requirement(d).name == "pikepdf")
    installed = version("pikepdf")
    major = int(installed.split(".")[0])
    assert pikepdf_req.specifier.contains(installed)
    # The bound is what the test above was run against: the next major is not allowed in.
    assert not pikepdf_req.specifier.contains(f"{major + 1}.0")


class MemorySink:
    """A Sink into memory: writes as given, file ranges read with pread."""

    def __init__(self) -> None:
        self.data = bytearray()

    def write(self, data: bytes) -> int:
        self.data += data
        return len(data)

    def copy_range(self, source: FileRange) -> None:
        self.data += os.pread(source.fd, source.length, source.offset)


def test_a_written_file_opens_with_its_pages_streams_and_catalog(tmp_path: Path) -> None:
    source = tmp_path / "bytes.bin"
    source.write_bytes(b"xxBT /F1 12 Tf ETyy")
    sink = MemorySink()
    writer = PdfStreamWriter(sink)
    pages_ref = writer.reserve()
    fd = os.open(source, os.O_RDONLY)
    try:
        content = writer.write_raw_stream(b"<< /Length 15 >>", FileRange(fd, 2, 15))
    finally:
        os.close(fd)
    drawn = writer.write_stream(b"0 0 m 10 10 l S", {"Type": name("XObject")})
    unused = writer.reserve()  # reserved, never written: a free entry in the xref
    page = writer.write_object(
        {
            "Type": name("Page"),
            "Parent": pages_ref,
            "MediaBox": [0, 0, 595.2756, 841.8898],
            "Contents": [content, drawn],
            "Rotate": 0,
            "Tabs": None,
            "Flag": True,
            "Off": False,
        }
    )
    writer.finish(
        [page], pages_ref, {"Lang": text_string("zh")}, {"Title": text_string("永居")}, b"\x01" * 16
    )
    with pikepdf.open(io.BytesIO(bytes(sink.data))) as pdf:
        assert len(pdf.pages) == 1
        obj = pdf.pages[0].obj
        assert [float(v) for v in obj.MediaBox] == [0, 0, 595.2756, 841.8898]
        assert obj.Contents[0].read_bytes() == b"BT /F1 12 Tf ET"
        assert obj.Contents[1].read_bytes() == b"0 0 m 10 10 l S"
        assert obj.Flag is True and obj.Off is False and obj.get("/Tabs") is None
        assert str(pdf.Root.Lang) == "zh" and str(pdf.docinfo.Title) == "永居"
        assert bytes(pdf.trailer.ID[0]) == b"\x01" * 16
    assert b"%d 0 obj" % unused.num not in sink.data
    table = bytes(sink.data).split(b"\nxref\n", 1)[1].split(b"\n")
    assert table[0] == b"0 %d" % (unused.num + 4)  # pages, page, catalog and info follow
    assert table[1 + unused.num] == table[1] == b"0000000000 65535 f "  # free, like object 0


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, b"1"),
        (-0.00001, b"-0.00001"),
        (0.0000123456, b"0.000012346"),
        (2.5e-13, b"0"),
        (-0.0, b"0"),
        (float("nan"), b"0"),
        (float("inf"), b"0"),
    ],
)
def test_numbers_are_written_without_exponent_and_never_as_nan(value: float, text: bytes) -> None:
    assert format_number(value) == text


def test_serialize_writes_our_values_and_refuses_others() -> None:
    value = {"A": [Ref(3), None, True, False, 2, Decimal("0.5")], "B": name("X Y")}
    assert serialize(value) == b"<< /A [3 0 R null true false 2 0.5] /B /X#20Y >>"
    with pytest.raises(TypeError, match="cannot write set into a PDF"):
        serialize({1, 2})


def test_the_copier_writes_scalars_and_drops_what_cannot_print(pdf: pikepdf.Pdf) -> None:
    writer = PdfStreamWriter(MemorySink())
    copier = writer.copier()
    assert copier.value(True) == b"true" and copier.value(False) == b"false"
    assert copier.value(None) == b"null" and copier.value(Decimal("1.25")) == b"1.25"
    action = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript))
    assert copier.value(action) == b"null"  # an indirect action is not even referenced
    image = pikepdf.Dictionary(Interpolate=True, BitsPerComponent=8, Run=action, A=action)
    written = copier.direct(image)  # pikepdf gives the keys in no fixed order
    assert written.startswith(b"<< ") and written.endswith(b" >>")
    entries = sorted(entry.strip() for entry in written[3:-3].split(b"/") if entry)
    assert entries == [b"BitsPerComponent 8", b"Interpolate true", b"Run null"]
    operator = next(op for _, op in pikepdf.parse_content_stream(pdf.make_stream(b"q Q")))
    assert copier.direct(operator) == b"null"  # only content streams hold operators
    page = copier.value(pdf.pages[0].obj)
    assert page == b"null"  # a page reached from resources would drag its document along


def test_name_tokens_stay_right_once_the_cache_is_full(monkeypatch: pytest.MonkeyPatch) -> None:
    full = {f"/K{n}": b"/K%d" % n for n in range(4096)}
    monkeypatch.setattr(pdfwriter, "_name_tokens", full)
    assert name_token("/A B") == b"/A#20B"
    assert name_token("/A B") == b"/A#20B" and "/A B" not in full  # made again, not kept
    monkeypatch.setattr(pdfwriter, "_name_tokens", {})
    assert name_token("plain") == b"/plain"  # a key without its slash
    assert pdfwriter._name_tokens == {"plain": b"/plain"}
