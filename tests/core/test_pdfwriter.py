"""The streaming PDF writer and its copier, on real pikepdf objects and real files."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

import pikepdf
import pytest
from packaging.requirements import Requirement

from yongju.core.packet.pdfwriter import object_type


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
