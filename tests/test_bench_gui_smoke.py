"""The GUI benchmark's own arithmetic and checks, without opening a window."""

from __future__ import annotations

import importlib.util
import io
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def probe() -> ModuleType:
    return _load("gui_probe")


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return _load("bench_gui")


def test_gap_stats_report_the_longest_interval_between_ticks(probe: ModuleType) -> None:
    ticks = [i * 0.005 for i in range(200)]  # a steady 5 ms loop...
    ticks += [ticks[-1] + 0.150 + i * 0.005 for i in range(200)]  # ...then one 150 ms stall
    stats = probe._gap_stats(ticks)
    assert stats["max_ms"] == pytest.approx(150, abs=0.01)
    assert stats["p99_ms"] == pytest.approx(5, abs=0.01)
    assert stats["median_ms"] == pytest.approx(5, abs=0.01)
    assert (stats["over_50_ms"], stats["over_100_ms"]) == (1, 1)


def test_tiny_scans_are_distinct_jpegs(bench: ModuleType) -> None:
    rng = random.Random("test")
    scans = [bench.tiny_scan(i, rng) for i in range(20)]
    assert len(set(scans)) == 20  # each becomes its own document, never a duplicate
    with Image.open(io.BytesIO(scans[0])) as image:
        assert (image.format, image.size) == ("JPEG", (96, 136))


def test_a_stall_run_that_lost_documents_is_rejected(bench: ModuleType) -> None:
    good = {"drop_accepted": True, "statuses": {"imported": 200}, "inbox_documents_after": 210}
    bench.check_stall(good, 200, 10)
    with pytest.raises(SystemExit, match="inbox shows 209"):
        bench.check_stall({**good, "inbox_documents_after": 209}, 200, 10)
    with pytest.raises(SystemExit, match="import statuses"):
        bench.check_stall({**good, "statuses": {"imported": 199, "refused": 1}}, 200, 10)
