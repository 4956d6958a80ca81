"""The benchmark corpus generator: same seed, same bytes; every file holds the pages it claims."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image
from pypdf import PdfReader

CORPUS_PY = Path(__file__).resolve().parents[1] / "benchmarks" / "corpus.py"
# A seed whose 16-page plan holds every format and page kind, so every writer is exercised.
PAGES, SEED, DPI = 16, 147, 30


@pytest.fixture(scope="module")
def corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_corpus", CORPUS_PY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def _digests(paths: list[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def _page_count(path: Path) -> int:
    if path.suffix == ".pdf":
        return len(PdfReader(path).pages)
    with Image.open(path) as im:
        return getattr(im, "n_frames", 1)


def test_same_seed_gives_same_bytes(corpus: ModuleType, tmp_path: Path) -> None:
    first = corpus.make_corpus(tmp_path / "a", PAGES, SEED, "mixed", dpi=DPI)
    second = corpus.make_corpus(tmp_path / "b", PAGES, SEED, "mixed", dpi=DPI)
    assert _digests(first) == _digests(second)
    other = corpus.make_corpus(tmp_path / "c", PAGES, SEED + 1, "mixed", dpi=DPI)
    assert set(_digests(other).values()).isdisjoint(_digests(first).values())


def test_cached_pages_rebuild_identical_files(corpus: ModuleType, tmp_path: Path) -> None:
    paths = corpus.make_corpus(tmp_path, PAGES, SEED, "mixed", dpi=DPI)
    before = _digests(paths)
    for p in paths:
        p.unlink()
    (tmp_path / corpus.MANIFEST).unlink()
    assert any((tmp_path / corpus.CACHE).iterdir())  # the rebuild reads rendered pages back
    assert _digests(corpus.make_corpus(tmp_path, PAGES, SEED, "mixed", dpi=DPI)) == before


def test_files_hold_the_planned_pages(corpus: ModuleType, tmp_path: Path) -> None:
    paths = corpus.make_corpus(tmp_path, PAGES, SEED, "mixed", dpi=DPI)
    claimed = corpus.corpus_pages(tmp_path)
    assert {p.suffix.lower() for p in paths} >= {".pdf", ".jpg", ".png", ".tif"}
    assert {p.name: _page_count(p) for p in paths} == claimed
    assert sum(claimed.values()) == PAGES
    with Image.open(next(p for p in paths if p.suffix == ".png")) as photo:
        assert photo.size == (41, 58)  # 35 x 49 mm at 30 dpi


def test_pdf_mix_has_only_pdfs_with_embedded_jpegs(corpus: ModuleType, tmp_path: Path) -> None:
    paths = corpus.make_corpus(tmp_path, 5, 2, "pdf", dpi=DPI)
    assert {p.suffix for p in paths} == {".pdf"}
    assert sum(_page_count(p) for p in paths) == 5
    page = PdfReader(paths[0]).pages[0]
    xobjects = page["/Resources"]["/XObject"]
    image = next(iter(xobjects.values())).get_object()
    assert image["/Filter"] == "/DCTDecode"  # the scan's JPEG, not re-encoded


def test_full_size_page_is_a4_at_300_dpi(corpus: ModuleType) -> None:
    spec = corpus.PageSpec("a4", 1, 300)
    assert spec.pixels() == (2480, 3508)
    assert corpus.PageSpec("a4-landscape", 1, 300).pixels() == (3508, 2480)


def test_stale_files_of_an_earlier_corpus_are_removed(corpus: ModuleType, tmp_path: Path) -> None:
    big = corpus.make_corpus(tmp_path, 12, 5, "pdf", dpi=DPI)
    small = corpus.make_corpus(tmp_path, 3, 6, "pdf", dpi=DPI)
    kept = {p.name for p in tmp_path.iterdir() if p.is_file() and p.name != corpus.MANIFEST}
    assert kept == {p.name for p in small}
    assert len(big) > len(small)
