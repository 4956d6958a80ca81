"""Damaged files of every shape: each is imported with its page count or refused, never raises."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.samples import Samples
from yongju.core.importing import ImportStatus, import_files
from yongju.core.store import Store

_BASE = Path(tempfile.mkdtemp(prefix="yongju-hostile-"))
_SAMPLES = Samples(_BASE / "samples")
ORIGINALS = {
    "pdf": _SAMPLES.pdf("three.pdf", pages=3).read_bytes(),
    "jpg": _SAMPLES.jpeg("scan.jpg").read_bytes(),
    "png": _SAMPLES.png("photo.png").read_bytes(),
    "tif": _SAMPLES.tiff("multi.tif", frames=3).read_bytes(),
}
PAGES = {"pdf": 3, "jpg": 1, "png": 1, "tif": 3}


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(sorted(ORIGINALS)))
    data = bytearray(ORIGINALS[kind])
    if draw(st.booleans()):
        del data[draw(st.integers(1, len(data) - 1)) :]
    for _ in range(draw(st.integers(0, 12))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return kind, bytes(data)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=damaged())
def test_damaged_files_are_imported_whole_or_refused(case: tuple[str, bytes]) -> None:
    kind, data = case
    folder = Path(tempfile.mkdtemp(dir=_BASE))
    path = folder / f"file.{kind}"
    path.write_bytes(data)
    with Store.open(folder / "store") as store:
        (result,) = import_files(store, [path], durable=False)
        if result.status is ImportStatus.REFUSED:
            assert result.reason and "\n" not in result.reason
            assert store.documents() == [] and store.blobs.staging_leftovers() == []
        else:
            assert result.document is not None
            assert 1 <= result.document.pages <= PAGES[kind]
            assert store.blob_path(result.document.sha256).read_bytes() == data
