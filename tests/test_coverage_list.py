"""The coverage list names real modules, and a module below 100% is named with what is missing."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import coverage

from tests.coverage_list import ROOT, listed_modules, module_name, shortfalls

SIGN = """\
def sign(number):
    if number < 0:
        return "negative"
    return "positive"
"""
NEVER_CALLED = """

def never_called():
    return "missed"
"""


def _measured(folder: Path, text: str, *calls: int) -> coverage.Coverage:
    """``text`` written to ``folder/measured.py``, imported and its ``sign`` called, measured."""
    (folder / "measured.py").write_text(text, encoding="utf-8")
    cov = coverage.Coverage(data_file=None, config_file=False, branch=True, source=[str(folder)])
    cov.start()
    try:
        spec = importlib.util.spec_from_file_location("measured", folder / "measured.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for number in calls:
            module.sign(number)
    finally:
        cov.stop()
    return cov


def test_every_listed_module_exists_and_is_listed_once() -> None:
    modules = listed_modules()
    assert len(modules) == len(set(modules))
    assert [m for m in modules if not (ROOT / m).is_file()] == []
    # Imported by that name before collection, so that its top-level lines are measured.
    origins = {m: importlib.util.find_spec(module_name(m)).origin for m in modules}  # type: ignore[union-attr]
    assert {m: Path(o).resolve() for m, o in origins.items() if o} == {
        m: (ROOT / m).resolve() for m in modules
    }


def test_comments_and_blank_lines_are_not_modules(tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text("# a comment\n\ndesktop/a.py  # why\n  desktop/b.py\n", encoding="utf-8")
    assert listed_modules(listing) == ["desktop/a.py", "desktop/b.py"]


def test_a_module_below_100_percent_is_named_with_its_missing_lines_and_branch(
    tmp_path: Path,
) -> None:
    cov = _measured(tmp_path, SIGN + NEVER_CALLED, 5)
    [found] = shortfalls(cov, ["measured.py"], root=tmp_path)
    assert found.module == "measured.py" and 0 < found.percent < 100
    text = found.describe()
    assert text.startswith(f"measured.py is at {found.percent:.2f}%, not 100%")
    assert text.rstrip().endswith("3, 8")  # the untaken branch's line, never_called's body


def test_a_fully_covered_module_passes_and_a_listed_file_that_is_gone_does_not(
    tmp_path: Path,
) -> None:
    cov = _measured(tmp_path, SIGN, 5, -5)
    found = shortfalls(cov, ["measured.py", "gone.py"], root=tmp_path)
    assert [(f.module, f.percent) for f in found] == [("gone.py", 0.0)]
    assert "no such file" in found[0].report
    (tmp_path / "never_imported.py").write_text(SIGN, encoding="utf-8")
    found = shortfalls(cov, ["never_imported.py", "measured.py"], root=tmp_path)
    assert [(f.module, f.percent) for f in found] == [("never_imported.py", 0.0)]
