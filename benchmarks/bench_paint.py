"""Time one full repaint of the inbox grid, idle and beside threads that run Python.

The window's longest stalls during an import were full repaints of the inbox (a new batch
of tiles shown): 5 ms on an idle window, 25-33 ms while the import ran. The cost is not the
drawing but Python's lock (the GIL): each Qt call the delegate makes may let it go, and
taking it back waits for a busy thread's switch interval. This benchmark separates the two:
a store of 60 scans from corpus.py (the first 60 of the 150-dpi stall corpus), the window
built by the composition root on the offscreen platform, every thumbnail rendered, then the
inbox's viewport repainted ``--repeat`` times with 0, 1 and 2 threads spinning in Python
beside it (at the pool threads' priority, with the window's 1 ms switch interval).

    .venv/bin/python benchmarks/bench_paint.py [--repeat 40]

Prints the median and best wall time of a repaint, and the GUI thread's CPU time per
repaint (less noisy on a shared machine), for each number of spinning threads; the figures
go to benchmarks/out/bench_paint.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_gui import stall_files

OUT = Path(__file__).resolve().parent / "out"
SPINNERS = (0, 1, 2)
DOCUMENTS = 60


def _store(folder: Path) -> None:
    from yongju.core.importing import import_files
    from yongju.core.store import Store

    with Store.open(folder) as store:
        store.create_case("Benchmark 基准", "spouse_of_chinese_citizen", None)
        import_files(store, stall_files()[:DOCUMENTS])  # the stall's 150-dpi scans


def _spin(stop: threading.Event) -> None:
    from yongju.core.priority import lower_thread

    lower_thread()
    while not stop.is_set():
        sum(range(2000))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from yongju.app import GUI_SWITCH_INTERVAL_S, compose
    from yongju.core.paths import AppPaths

    scratch = Path(tempfile.mkdtemp(prefix="bench-paint-", dir=OUT))
    try:
        _store(scratch / "store")
        c = compose(AppPaths(store=scratch / "store", config=scratch / "config"))
        c.window.resize(1344, 846)
        c.window.show()
        view = c.window.inbox.view
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # loaded, painted, every visible thumbnail in
            app.processEvents()
            if c.workspace.inbox.rowCount() and not c.workspace.busy and not c.runner.active():
                view.viewport().repaint()
                app.processEvents()
                if not c.runner.active():
                    break
            time.sleep(0.01)
        sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
        results: dict[str, Any] = {"documents": DOCUMENTS, "repeat": args.repeat, "runs": {}}
        for spinners in SPINNERS:
            stop = threading.Event()
            threads = [threading.Thread(target=_spin, args=(stop,)) for _ in range(spinners)]
            for thread in threads:
                thread.start()
            walls, cpus = [], []
            for _ in range(args.repeat):
                wall, cpu = time.perf_counter(), time.thread_time()
                view.viewport().repaint()
                cpus.append((time.thread_time() - cpu) * 1000)
                walls.append((time.perf_counter() - wall) * 1000)
            stop.set()
            for thread in threads:
                thread.join()
            run = {
                "wall_median_ms": statistics.median(walls),
                "wall_best_ms": min(walls),
                "gui_cpu_median_ms": statistics.median(cpus),
            }
            results["runs"][str(spinners)] = run
            print(
                f"{spinners} spinning thread(s): repaint {run['wall_median_ms']:.1f} ms median, "
                f"{run['wall_best_ms']:.1f} ms best; GUI thread CPU "
                f"{run['gui_cpu_median_ms']:.1f} ms"
            )
        c.window.close()
        c.shutdown()
        (OUT / "bench_paint.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
