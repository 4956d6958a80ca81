"""The window's longest GUI-thread stall while it reads scans in the background.

Builds the real window through the composition root (offscreen), imports generated scans
(``reading_corpus.py``) so they are pending, lets background reading run with the real OCR
worker, and records the gaps of a 5 ms timer on the GUI thread until every document is read.

    python benchmarks/bench_reading_gui.py [--count 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "desktop"), str(ROOT)]

from benchmarks.reading_corpus import generate  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from yongju.app import compose  # noqa: E402
from yongju.core.paths import AppPaths  # noqa: E402
from yongju.core.records import TextStatus  # noqa: E402

TICK_MS = 5


class _Instant:
    """Stands in for the OCR worker: reads nothing, at once (for a baseline)."""

    cancel = None

    def recognise_page(self, request: object) -> list[object]:
        return []

    def __enter__(self) -> _Instant:
        return self

    def __exit__(self, *_exc: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument(
        "--no-ocr",
        action="store_true",
        help="a recogniser that finds nothing at once: the same window work without OCR",
    )
    args = parser.parse_args()
    app = QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        generate(corpus, args.count, seed=3)
        paths = AppPaths(store=Path(tmp) / "store", config=Path(tmp) / "config")
        composition = compose(
            paths, open_url=lambda url: None, make_recogniser=_Instant if args.no_ocr else None
        )
        composition.window.show()
        gaps: list[float] = []
        last = [time.monotonic()]

        def tick() -> None:
            now = time.monotonic()
            gaps.append((now - last[0]) * 1000 - TICK_MS)
            last[0] = now

        timer = QTimer()
        timer.timeout.connect(tick)
        timer.start(TICK_MS)
        started = time.monotonic()
        composition.imports.start(sorted(p for p in corpus.iterdir() if p.suffix != ".json"))

        def done() -> bool:
            docs = composition.store.documents()
            return len(docs) == args.count and all(
                d.text_status in (TextStatus.DONE, TextStatus.FAILED) for d in docs
            )

        checker = QTimer()  # a cheap query twice a second: all read yet?
        checker.timeout.connect(lambda: done() and app.quit())
        checker.start(500)
        app.exec()
        took = time.monotonic() - started
        timer.stop()
        composition.window.close()
        composition.shutdown()
    gaps.sort()
    print(f"{args.count} scans imported and read in {took:.1f} s")
    print(
        f"GUI-thread gaps: longest {gaps[-1]:.0f} ms, p99 {gaps[int(len(gaps) * 0.99)]:.0f} ms, "
        f"median {statistics.median(gaps):.1f} ms over {len(gaps)} ticks"
    )


if __name__ == "__main__":
    main()
