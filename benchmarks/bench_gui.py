"""Measure the window: loop gaps and inbox re-reads in a 200-file import; start-up on 5,000 docs.

Two measurements, each in fresh `yongju` window processes started exactly as `yongju --store
DIR` (no argument: `run_gui` builds the window through the composition root), with
`gui_probe.py` hooked into `yongju.app.compose` to see the composition it builds:

stall    a temporary store holding one case; once the window is shown and idle, 200 scans
         (160 at 150 dpi, 40 at 300 dpi, from corpus.py) are dropped onto the inbox (the same
         drag-enter/move/drop events a file manager sends, so the window's own import flow
         runs). A 5 ms precise QTimer on the GUI thread records every tick; the longest
         interval between ticks is the longest the event loop stalled. Measured from the drop
         until the import, the refresh and every thumbnail task it caused have finished; then
         (separately) while the inbox is paged down so every tile's thumbnail is rendered.
         Also counts how often the whole inbox was read from the store meanwhile (an import
         adds what it brought to the grid; the target is none).
startup  a store of 5,000 tiny distinct scans (JPEG, every tenth a PDF) and a case with 40
         filings, cached in benchmarks/out/; the time from launching the process to the
         window being usable: the inbox viewport painted after the first load of the case
         and inbox, and the event loop free again. Against a bare PySide6 QMainWindow (same
         size, same platform) launched and measured the same way: first paint, loop free.

Run (Xvfb is started on a free display and stopped again; --platform offscreen skips it):

    .venv/bin/python benchmarks/bench_gui.py [stall|startup|all] [--repeat 3] [--platform xvfb]

Figures go to benchmarks/out/bench_gui*.json; the exit status is 1 when a target is missed
(longest gap > 50 ms, any inbox re-read during the import, start-up ratio > 5).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_corpus

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
OUT = BENCH / "out"
PYTHON = ROOT / ".venv" / "bin" / "python"
TARGET_GAP_MS = 50.0
TARGET_RATIO = 5.0
TARGET_REREADS = 0  # an import adds its documents to the inbox; it does not re-read it
SCREEN = "1400x900x24"
CHILD_TIMEOUT_S = 400
PROFILE_ID = "spouse_of_chinese_citizen"
STORE_VERSION = 1  # bump when the big store's recipe changes

# The window process: yongju's own entry point, with the probe hooked in first.
LAUNCH_YONGJU = (
    "import sys; sys.path.insert(0, {bench!r}); import gui_probe; gui_probe.install(); "
    "from yongju.__main__ import main; sys.exit(main(sys.argv[1:]))"
)
# The reference: the least a PySide6 program does to show a main window, timed the same way.
LAUNCH_BARE = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(int(sys.argv[1]), int(sys.argv[2]))
def usable():
    print(f"usable {time.monotonic()!r}", flush=True)
    window.close()
class Paints(QObject):
    seen = False
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not Paints.seen:
            Paints.seen = True
            QTimer.singleShot(0, usable)
        return False
paints = Paints()
window.installEventFilter(paints)
window.show()
sys.exit(app.exec())
"""


# ---------------------------------------------------------------- display


def free_display() -> int:
    """A display number nobody uses (others on this machine run their own Xvfb)."""
    for n in range(191, 260):
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
            return n
    raise SystemExit("no free X display number")


class Display:
    """Xvfb on a free display (or nothing, for the offscreen platform)."""

    def __init__(self, platform: str) -> None:
        self.platform = platform
        self.proc: subprocess.Popen[bytes] | None = None
        self.env: dict[str, str] = {"QT_QPA_PLATFORM": "offscreen"}
        if platform == "xvfb":
            n = free_display()
            self.proc = subprocess.Popen(
                ["Xvfb", f":{n}", "-screen", "0", SCREEN, "-nolisten", "tcp"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + 10
            while not Path(f"/tmp/.X11-unix/X{n}").exists():
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.close()
                    raise SystemExit("Xvfb did not start")
                time.sleep(0.05)
            self.env = {"QT_QPA_PLATFORM": "xcb", "DISPLAY": f":{n}"}

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None


def child_env(
    display: Display, config: Path, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """The window process's environment: its own config folder, the chosen platform."""
    env = dict(os.environ)
    env.pop("YONGJU_SMOKE_TEST", None)
    env.update(display.env)
    env.update(YONGJU_CONFIG=str(config), PYTHONPATH=str(ROOT / "desktop"))
    env["PYTHONFAULTHANDLER"] = "1"  # a crash prints every thread's Python stack
    env.update(extra or {})
    return env


def write_config(config: Path, case_id: int) -> None:
    """Settings as a returning user has them: the window opens on the case last worked on."""
    config.mkdir(parents=True, exist_ok=True)
    ini = config / "yongju.ini"
    if not ini.exists():
        ini.write_text(f"[session]\nlast_case={case_id}\n", encoding="utf-8")


def run_window(
    store: Path, display: Display, config: Path, env: dict[str, str] | None = None
) -> tuple[float, dict[str, Any]]:
    """Launches `yongju --store STORE` with the probe; (seconds from launch to usable, result)."""
    fd, out_name = tempfile.mkstemp(prefix="bench-gui-", suffix=".json", dir=OUT)
    os.close(fd)
    extra = {"YONGJU_BENCH_OUT": out_name, **(env or {})}
    argv = [str(PYTHON), "-c", LAUNCH_YONGJU.format(bench=str(BENCH)), "--store", str(store)]
    try:
        started = time.monotonic()
        proc = subprocess.run(
            argv,
            env=child_env(display, config, extra),
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_S,
            check=False,
        )
        text = Path(out_name).read_text(encoding="utf-8")
    finally:
        os.unlink(out_name)
    if proc.returncode != 0 or not text:
        crash = OUT / "bench_gui_crash.txt"
        crash.write_text(f"exit {proc.returncode}\n{text}\n{proc.stderr}", encoding="utf-8")
        raise SystemExit(
            f"the window exited {proc.returncode} (result {'written' if text else 'missing'}; "
            f"details in {crash}): {proc.stderr.strip()[-3000:]}"
        )
    result = json.loads(text)
    if "error" in result:
        raise SystemExit(f"the window reported: {result['error']}\n{proc.stderr[-3000:]}")
    result["stderr"] = proc.stderr.strip()[-2000:]
    return result["marks"]["usable"] - started, result


def run_bare(display: Display, size: tuple[int, int]) -> float:
    """Launches the bare PySide6 window; seconds from launch to first paint with the loop free."""
    argv = [str(PYTHON), "-c", LAUNCH_BARE, str(size[0]), str(size[1])]
    env = child_env(display, OUT / "bare-config")
    started = time.monotonic()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, check=False)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("usable ")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"bare window exited {proc.returncode}: {proc.stderr.strip()[-2000:]}")
    return float(lines[0].split()[1]) - started


# ---------------------------------------------------------------- stall during an import


def stall_files() -> list[Path]:
    """200 scans: 160 at 150 dpi (quick to import) and 40 full 300-dpi ones."""
    low = make_corpus(OUT / "corpus-mixed-640-seed2-dpi150", 640, 2, "mixed", dpi=150)
    high = make_corpus(OUT / "corpus-mixed-120-seed3", 120, 3, "mixed")
    files = low[:160] + high[:40]
    if len(files) != 200:
        raise SystemExit(f"expected 200 files, the corpora gave {len(files)}")
    return files


def new_case_store(folder: Path) -> int:
    """A fresh store holding one case (the window opens on it); returns the case id."""
    from yongju.core.store import Store

    with Store.open(folder) as store:
        case = store.create_case("Benchmark 基准", PROFILE_ID, None)
        return case.id


def copy_of_big_store(big: Path, folder: Path) -> int:
    """A copy of the big store (so the import changes nothing cached); returns its case id."""
    from yongju.core.store import Store

    shutil.copytree(big, folder)
    with Store.open(folder) as store:
        return store.case("Benchmark 基准").id


def bench_stall(
    display: Display,
    repeat: int,
    profile: bool,
    inject_ms: float = 0,
    big: Path | None = None,
    gc_freeze: bool = False,
) -> dict[str, Any]:
    """Runs the 200-file drop `repeat` times, each in a new window on a new store.

    The store is empty but for one case, or with ``big`` a copy of that (big) store.
    """
    files = stall_files()
    size = sum(p.stat().st_size for p in files)
    print(f"stall: 200 files, {size / 1e6:.0f} MB", file=sys.stderr)
    runs = []
    for i in range(repeat):
        scratch = Path(tempfile.mkdtemp(prefix="bench-gui-stall-", dir=OUT))
        try:
            if big is None:
                case_id = new_case_store(scratch / "store")
            else:
                case_id = copy_of_big_store(big, scratch / "store")
            write_config(scratch / "config", case_id)
            listing = scratch / "files.txt"
            listing.write_text("\n".join(str(p) for p in files), encoding="utf-8")
            env = {"YONGJU_BENCH_MODE": "stall", "YONGJU_BENCH_FILES": str(listing)}
            if gc_freeze:
                env["YONGJU_BENCH_GC_FREEZE"] = "1"
            if inject_ms:
                env["YONGJU_BENCH_INJECT_MS"] = str(inject_ms)
            if profile and i == repeat - 1:
                env["YONGJU_BENCH_PROFILE"] = str(OUT / "bench_gui_stall.prof")
            subprocess.run(["sync"], check=False)
            _, result = run_window(scratch / "store", display, scratch / "config", env)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        check_stall(result, len(files), result["inbox_documents"])
        during = result["during_import"]
        print(
            f"  run {i + 1}: import {result['import_seconds']:.2f} s, settled "
            f"{result['settled_seconds']:.2f} s, max gap {during['max_ms']:.1f} ms, p99 "
            f"{during['p99_ms']:.1f} ms; scrolling max {result['scrolling']['max_ms']:.1f} ms; "
            f"inbox re-read {result['inbox_rereads']} times",
            file=sys.stderr,
        )
        runs.append(result)
    return {
        "files": len(files),
        "bytes": size,
        "documents_before": runs[0]["inbox_documents"],
        "runs": runs,
        "median": {
            "import_seconds": statistics.median(r["import_seconds"] for r in runs),
            "settled_seconds": statistics.median(r["settled_seconds"] for r in runs),
            "max_gap_ms": statistics.median(r["during_import"]["max_ms"] for r in runs),
            "p99_gap_ms": statistics.median(r["during_import"]["p99_ms"] for r in runs),
            "scroll_max_gap_ms": statistics.median(r["scrolling"]["max_ms"] for r in runs),
        },
        "worst_max_gap_ms": max(r["during_import"]["max_ms"] for r in runs),
        "most_inbox_rereads": max(r["inbox_rereads"] for r in runs),
    }


def check_stall(result: dict[str, Any], expected: int, before: int) -> None:
    """The drop was taken and every file imported and shown in the inbox."""
    problems = []
    if not result.get("drop_accepted"):
        problems.append("the inbox did not accept the drop")
    if result.get("statuses") != {"imported": expected}:
        problems.append(f"import statuses {result.get('statuses')}")
    if result.get("inbox_documents_after") != before + expected:
        problems.append(f"inbox shows {result.get('inbox_documents_after')} documents")
    if problems:
        raise SystemExit("stall run went wrong: " + "; ".join(problems))


# ---------------------------------------------------------------- start-up on a big store


def tiny_scan(i: int, rng: random.Random) -> bytes:
    """A small distinct JPEG: a page-coloured sheet with a few grey lines and a red seal."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (96, 136), (246 - rng.randrange(12), 243, 236))
    draw = ImageDraw.Draw(image)
    for row in range(12, 120, 9):
        draw.line((10, row, 10 + rng.randrange(40, 76), row), fill=(70, 70, 80), width=2)
    x, y = rng.randrange(40, 70), rng.randrange(80, 110)
    draw.ellipse((x, y, x + 20, y + 20), outline=(200, 30, 30), width=2)
    draw.text((8, 122), f"{i:05d}", fill=(0, 0, 0))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def big_store(docs: int, filed: int) -> tuple[Path, Path]:
    """A store of ``docs`` documents and a case with ``filed`` filings; made once, then reused."""
    folder = OUT / f"gui-store-d{docs}-f{filed}-v{STORE_VERSION}"
    store_dir, config = folder / "store", folder / "config"
    done = folder / "ready.json"
    if done.exists():
        return store_dir, config
    import img2pdf

    from yongju.core.importing import import_files
    from yongju.core.profiles import all_keywords, load_profiles
    from yongju.core.resources import resource_path
    from yongju.core.store import Store

    shutil.rmtree(folder, ignore_errors=True)
    scans = folder / "scans"
    scans.mkdir(parents=True)
    rng = random.Random(f"gui-store:{docs}")
    labels = ("scan", "IMG", "passport", "bank statement", "结婚证", "体检 health", "户口本")
    paths = []
    for i in range(docs):
        jpeg = tiny_scan(i, rng)
        label = labels[i % len(labels)]
        if i % 10 == 9:
            path = scans / f"{label} {i:05d}.pdf"
            path.write_bytes(img2pdf.convert(jpeg, nodate=True, engine=img2pdf.Engine.internal))
        else:
            path = scans / f"{label} {i:05d}.jpg"
            path.write_bytes(jpeg)
        paths.append(path)
    profiles = load_profiles(resource_path("profiles"), None)
    started = time.monotonic()
    with Store.open(store_dir) as store:

        def progress(done_: int, total: int, _path: object) -> None:
            if done_ % 250 == 0 or done_ == total:
                print(f"\r  importing {done_}/{total}", end="", file=sys.stderr, flush=True)

        results = import_files(
            store,
            paths,
            durable=False,
            progress=progress,
            keywords=all_keywords(profiles.profiles),
        )
        print(file=sys.stderr)
        bad = [r for r in results if r.status != "imported"]
        if bad:
            raise SystemExit(f"{len(bad)} tiny scans not imported: {bad[0].reason}")
        case = store.create_case("Benchmark 基准", PROFILE_ID, None)
        store.create_case("Second case", PROFILE_ID, None)
        profile = next(p for p in profiles.profiles if p.id == PROFILE_ID)
        slots = [s.id for s in profile.slots][:10]
        ids = [r.document.id for r in results[:filed] if r.document is not None]
        for n, doc_id in enumerate(ids):
            store.file_document(case.id, slots[n % len(slots)], doc_id)
        case_id = case.id
    shutil.rmtree(scans)
    write_config(config, case_id)
    done.write_text(
        json.dumps({"documents": docs, "filed": filed, "seconds": time.monotonic() - started})
    )
    return store_dir, config


def bench_startup(display: Display, repeat: int, docs: int, filed: int) -> dict[str, Any]:
    """Alternates the bare window and yongju on the big store; medians of each."""
    store, config = big_store(docs, filed)
    print(f"startup: store of {docs} documents, {filed} filed in a case", file=sys.stderr)
    # One launch of each first, not timed: fills the page cache and the thumbnail cache.
    _, first = run_window(store, display, config)
    size = (int(first["window_size"][0]), int(first["window_size"][1]))
    run_bare(display, size)
    yongju_runs: list[float] = []
    bare_runs: list[float] = []
    details = []
    for i in range(repeat):
        bare_runs.append(run_bare(display, size))
        seconds, result = run_window(store, display, config)
        check_startup(result, docs - filed)
        yongju_runs.append(seconds)
        details.append(result)
        print(
            f"  run {i + 1}: bare {bare_runs[-1]:.3f} s, yongju {seconds:.3f} s",
            file=sys.stderr,
        )
    bare, yongju = statistics.median(bare_runs), statistics.median(yongju_runs)
    return {
        "documents": docs,
        "filed": filed,
        "window_size": size,
        "bare_runs": bare_runs,
        "yongju_runs": yongju_runs,
        "bare_median_seconds": bare,
        "yongju_median_seconds": yongju,
        "ratio": yongju / bare,
        "yongju_details": details,
        "phases_median_seconds": phases(details, yongju_runs),
    }


def phases(details: list[dict[str, Any]], totals: list[float]) -> dict[str, float]:
    """Where a launch's time goes, median of each part."""
    parts: dict[str, list[float]] = {}
    for d, total in zip(details, totals, strict=True):
        m = d["marks"]
        launch = m["usable"] - total
        marks = {
            "Python start-up (to the probe)": m["probe_start"] - launch,
            "import yongju.app (PySide6, ui, core)": m["app_imported"] - m["probe_start"],
            "CLI parser, to QApplication": m["application_start"] - m["app_imported"],
            "QApplication": m["application_end"] - m["application_start"],
            "single-instance check, settings": m["look_start"] - m["application_end"],
            "translations, fonts, palette": m["look_end"] - m["look_start"],
            "compose (store, models, widgets)": m["compose_end"] - m["compose_start"],
            "compose end to first paint": m["first_paint"] - m["compose_end"],
            "compose end to first load shown": m["first_refresh"] - m["compose_end"],
            "compose end to usable": m["usable"] - m["compose_end"],
        }
        for name, value in marks.items():
            parts.setdefault(name, []).append(value)
    return {name: statistics.median(values) for name, values in parts.items()}


def check_startup(result: dict[str, Any], inbox: int) -> None:
    """The window opened on the case, with the inbox listing every unfiled document."""
    problems = []
    if result.get("case_selected") is None or not result.get("checklist_rows"):
        problems.append("no case shown")
    if result.get("inbox_documents") != inbox:
        problems.append(f"inbox holds {result.get('inbox_documents')}, expected {inbox}")
    if not result.get("inbox_rows_shown"):
        problems.append("no inbox rows shown")
    if problems:
        raise SystemExit("start-up run went wrong: " + "; ".join(problems))


# ---------------------------------------------------------------- report


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import platform

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    return {
        # The window is worked on while it is measured: say which code the figures are of.
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_in_desktop": git("status", "--porcelain", "--", "desktop").splitlines(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "load_average": os.getloadavg(),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the chosen measurements and print the figures (or JSON)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("what", nargs="?", choices=("stall", "startup", "all"), default="all")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (median)")
    parser.add_argument("--platform", choices=("xvfb", "offscreen"), default="xvfb")
    parser.add_argument("--docs", type=int, default=5000, help="documents in the big store")
    parser.add_argument("--filed", type=int, default=40, help="of them filed in the case")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the GUI thread in the last stall run"
    )
    parser.add_argument(
        "--self-check",
        type=float,
        metavar="MS",
        default=0,
        help="stall: block the GUI thread MS ms mid-import; the gap found must cover it",
    )
    parser.add_argument(
        "--big",
        action="store_true",
        help="stall: import into a copy of the big start-up store (--docs) instead of an empty one",
    )
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="stall, an experiment: gc.freeze() once the window is up (the app: after its load)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"platform": args.platform, "repeat": args.repeat}
    display = Display(args.platform)
    try:
        if args.what in ("stall", "all"):
            big = big_store(args.docs, args.filed)[0] if args.big else None
            report["stall"] = bench_stall(
                display, args.repeat, args.profile, args.self_check, big, args.gc_freeze
            )
        if args.what in ("startup", "all"):
            report["startup"] = bench_startup(display, args.repeat, args.docs, args.filed)
    finally:
        display.close()
    report["machine"] = machine()
    name = "bench_gui.json" if args.what == "all" else f"bench_gui_{args.what}.json"
    if args.big:
        name = name.replace(".json", "_big.json")
    if args.gc_freeze:
        name = name.replace(".json", "_gc_freeze.json")
    if args.self_check:
        name = "bench_gui_self_check.json"  # not figures to keep
    (OUT / name).write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str))
    ok = True
    if args.json:
        print(json.dumps(report, indent=1, ensure_ascii=False, default=str))
    if "stall" in report and args.self_check:
        found = min(r["during_import"]["max_ms"] for r in report["stall"]["runs"])
        caught = args.self_check <= found <= args.self_check + TARGET_GAP_MS
        print(
            f"self-check: blocked {args.self_check:.0f} ms, longest gap found {found:.1f} ms: "
            + ("caught" if caught else "MISSED")
        )
        return 0 if caught else 1
    if "stall" in report:
        m = report["stall"]["median"]
        worst = report["stall"]["worst_max_gap_ms"]
        verdict = "ok" if worst <= TARGET_GAP_MS else "TOO LONG"
        ok &= worst <= TARGET_GAP_MS
        rereads = report["stall"]["most_inbox_rereads"]
        ok &= rereads <= TARGET_REREADS
        into = report["stall"]["documents_before"]
        print(
            f"import of 200 files into a store of {into} documents: {m['import_seconds']:.2f} s "
            f"(settled {m['settled_seconds']:.2f} s); longest loop gap median "
            f"{m['max_gap_ms']:.1f} ms, worst {worst:.1f} ms, p99 {m['p99_gap_ms']:.1f} ms "
            f"(target <= {TARGET_GAP_MS:.0f} ms: {verdict}); while scrolling through the new "
            f"tiles {m['scroll_max_gap_ms']:.1f} ms"
        )
        print(
            f"inbox re-read from the store during the import: at most {rereads} times "
            f"(target {TARGET_REREADS}: {'ok' if rereads <= TARGET_REREADS else 'TOO MANY'})"
        )
    if "startup" in report:
        s = report["startup"]
        verdict = "ok" if s["ratio"] <= TARGET_RATIO else "TOO SLOW"
        ok &= s["ratio"] <= TARGET_RATIO
        print(
            f"start-up on {s['documents']} documents: yongju {s['yongju_median_seconds']:.3f} s, "
            f"bare PySide6 {s['bare_median_seconds']:.3f} s, ratio {s['ratio']:.2f} "
            f"(target <= {TARGET_RATIO:.0f}: {verdict})"
        )
        for part, seconds in s["phases_median_seconds"].items():
            print(f"  {part:<40} {seconds:.3f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
