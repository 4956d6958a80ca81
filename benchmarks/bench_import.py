"""Time `yongju import` of ~800 scanned pages against `sha256sum` + `cp` of the same files."""

from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import corpus_pages, make_corpus

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
TIME = "/usr/bin/time"
TARGET_RATIO = 2.5
# The reference: hash every file, then copy them all into a folder, as one shell command.
REFERENCE_SH = 'sha256sum -- "$@" > /dev/null && cp -- "$@" "$BENCH_DEST"/'


@dataclass(frozen=True)
class Run:
    """One timed run of one side."""

    seconds: float
    peak_rss_kb: int
    exit_status: int


@dataclass(frozen=True)
class Side:
    """The median of several runs of one side, with throughput."""

    name: str
    command: str
    runs: list[Run]
    median_seconds: float
    pages_per_second: float
    mb_per_second: float
    peak_rss_mb: float


def _timed(argv: list[str], env: dict[str, str] | None = None) -> tuple[Run, str, str]:
    """Run argv under /usr/bin/time -v; wall time measured here, peak RSS from time's report."""
    fd, report_name = tempfile.mkstemp(prefix="bench-time-", suffix=".txt")
    os.close(fd)
    use_time = Path(TIME).exists()
    full = [TIME, "-v", "-o", report_name, *argv] if use_time else argv
    started = time.perf_counter()
    proc = subprocess.run(full, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - started
    text = Path(report_name).read_text(errors="replace")
    os.unlink(report_name)
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    peak = int(match.group(1)) if match else _children_maxrss_kb()
    return Run(seconds, peak, proc.returncode), proc.stdout, proc.stderr


def _children_maxrss_kb() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def _warm(paths: list[Path]) -> None:
    """Read every file once so both sides start with the corpus in the page cache."""
    for p in paths:
        with p.open("rb") as f:
            while f.read(1 << 20):
                pass


def _settle() -> None:
    """Flush dirty pages left by the previous run so it does not slow the next one down."""
    subprocess.run(["sync"], check=False)


def run_reference(paths: list[Path], scratch: Path) -> Run:
    """(a) sha256sum + cp of the files into a fresh folder."""
    dest = Path(tempfile.mkdtemp(prefix="ref-", dir=scratch))
    try:
        env = dict(os.environ, BENCH_DEST=str(dest))
        run, _out, err = _timed(["sh", "-c", REFERENCE_SH, "sh", *map(str, paths)], env)
        if run.exit_status != 0:
            raise SystemExit(f"reference failed: {err.strip()}")
        return run
    finally:
        shutil.rmtree(dest, ignore_errors=True)


def _results(stdout: str) -> list[dict[str, object]]:
    data = json.loads(stdout)
    if isinstance(data, dict):
        data = next((v for v in data.values() if isinstance(v, list)), [])
    return [r for r in data if isinstance(r, dict)]


def check_import(stdout: str, expected: dict[str, int]) -> list[str]:
    """Problems with the import's JSON: files not imported or with the wrong page count."""
    try:
        results = _results(stdout)
    except ValueError as exc:
        return [f"output is not JSON: {exc}"]
    problems = []
    seen = set()
    for r in results:
        name = Path(str(r.get("path", ""))).name
        seen.add(name)
        if r.get("status") != "imported":
            problems.append(f"{name}: {r.get('status')} {r.get('reason', '')}".strip())
        elif name in expected and r.get("pages") != expected[name]:
            problems.append(f"{name}: {r.get('pages')} pages, expected {expected[name]}")
    problems += [f"{name}: missing from the output" for name in sorted(set(expected) - seen)]
    return problems


def import_argv(yongju: Path, store: Path, paths: list[Path]) -> list[str]:
    """The whole command under test."""
    return [str(yongju), "--store", str(store), "import", *map(str, paths), "--json"]


def run_import(yongju: Path, paths: list[Path], scratch: Path, expected: dict[str, int]) -> Run:
    """(b) the whole `yongju import` command into a fresh store."""
    store = Path(tempfile.mkdtemp(prefix="store-", dir=scratch)) / "store"
    try:
        run, out, err = _timed(import_argv(yongju, store, paths))
        problems = check_import(out, expected)
        if run.exit_status != 0 or problems:
            shown = "\n  ".join(problems[:10])
            raise SystemExit(
                f"import exited {run.exit_status}: {err.strip()[-2000:]}\n  {shown}".rstrip()
            )
        return run
    finally:
        shutil.rmtree(store.parent, ignore_errors=True)


def summarise(name: str, command: str, runs: list[Run], pages: int, size: int) -> Side:
    """Median wall time and the throughput it gives."""
    median = statistics.median(r.seconds for r in runs)
    return Side(
        name=name,
        command=command,
        runs=runs,
        median_seconds=median,
        pages_per_second=pages / median,
        mb_per_second=size / 1e6 / median,
        peak_rss_mb=max(r.peak_rss_kb for r in runs) / 1024,
    )


def profile_import(yongju: Path, paths: list[Path], scratch: Path, top: int) -> Path:
    """Run the import once under cProfile and print where the time goes."""
    python = yongju.parent / "python"
    prof = OUT / "import.prof"
    store = Path(tempfile.mkdtemp(prefix="store-prof-", dir=scratch)) / "store"
    argv = [str(python), "-m", "cProfile", "-o", str(prof), "-m", "yongju"]
    argv += import_argv(yongju, store, paths)[1:]
    try:
        subprocess.run(argv, capture_output=True, check=False)
    finally:
        shutil.rmtree(store.parent, ignore_errors=True)
    stats = pstats.Stats(str(prof))
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return prof


def worker_cost(paths: list[Path]) -> dict[str, float]:
    """What reading files in the bounded worker (core/sandbox.py) costs against reading them
    in-process: the worker's start, and the time per file, over the whole corpus."""
    sys.path.insert(0, str(ROOT / "desktop"))
    from yongju.core.inspection import inspect_bounded, inspect_bytes, reading_sandbox

    def heads(path: Path) -> tuple[bytes, bytes, int]:
        data = path.read_bytes()
        return data[:4096], data[-65536:], len(data)

    inputs = [(p, *heads(p)) for p in paths]
    started = time.perf_counter()
    for path, head, tail, _size in inputs:
        inspect_bytes(path, head, tail, ())
    in_process = time.perf_counter() - started
    started = time.perf_counter()
    with reading_sandbox() as sandbox:
        sandbox.start()
        sandbox.run(os.getpid)
        ready = time.perf_counter() - started
        started = time.perf_counter()
        for path, head, tail, size in inputs:
            inspect_bounded(path, head, tail, (), size, sandbox)
        in_worker = time.perf_counter() - started
    return {
        "files": len(inputs),
        "worker_start_s": ready,
        "in_process_s": in_process,
        "in_worker_s": in_worker,
        "extra_ms_per_file": (in_worker - in_process) / len(inputs) * 1000,
    }


def machine() -> dict[str, object]:
    """What the figures were measured on."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "kernel": platform.release(),
        "load_average": os.getloadavg(),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=800)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mix", choices=("pdf", "mixed"), default="mixed")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side (median)")
    parser.add_argument("--yongju", type=Path, default=ROOT / ".venv" / "bin" / "yongju")
    parser.add_argument("--reference-only", action="store_true", help="skip the import side")
    parser.add_argument("--profile", action="store_true", help="also run the import in cProfile")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--worker-cost",
        action="store_true",
        help="only time reading the corpus in-process against in the bounded worker",
    )
    args = parser.parse_args(argv)

    corpus_dir = OUT / f"corpus-{args.mix}-{args.pages}-seed{args.seed}"
    started = time.monotonic()
    paths = make_corpus(corpus_dir, args.pages, args.seed, args.mix, progress=True)
    expected = corpus_pages(corpus_dir)
    size = sum(p.stat().st_size for p in paths)
    print(
        f"corpus: {len(paths)} files, {args.pages} pages, {size / 1e6:.0f} MB "
        f"({time.monotonic() - started:.1f} s)",
        file=sys.stderr,
    )
    if args.worker_cost:
        _warm(paths)
        first = worker_cost(paths)  # the first start includes the fork server's
        print(json.dumps({"first": first, "again": worker_cost(paths)}, indent=1))
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="bench-import-", dir=OUT))
    do_import = not args.reference_only
    if do_import and not args.yongju.exists():
        raise SystemExit(f"{args.yongju} not found (make the venv, or pass --reference-only)")
    ref_runs: list[Run] = []
    imp_runs: list[Run] = []
    try:
        _warm(paths)
        for i in range(args.repeat):
            # Alternate the sides so a change in machine load hits both alike.
            _settle()
            ref_runs.append(run_reference(paths, scratch))
            print(f"  run {i + 1}: reference {ref_runs[-1].seconds:.2f} s", file=sys.stderr)
            if do_import:
                _settle()
                imp_runs.append(run_import(args.yongju, paths, scratch, expected))
                print(f"  run {i + 1}: import    {imp_runs[-1].seconds:.2f} s", file=sys.stderr)
        if args.profile and do_import:
            _settle()
            profile_import(args.yongju, paths, scratch, top=30)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    sides = [
        summarise("sha256sum + cp", "sha256sum FILES; cp FILES DIR", ref_runs, args.pages, size)
    ]
    if imp_runs:
        command = "yongju --store TMP import FILES --json"
        sides.append(summarise("yongju import", command, imp_runs, args.pages, size))
    ratio = sides[1].median_seconds / sides[0].median_seconds if imp_runs else None
    report = {
        "machine": machine(),
        "corpus": {"files": len(paths), "pages": args.pages, "bytes": size, "mix": args.mix},
        "repeat": args.repeat,
        "sides": [asdict(s) for s in sides],
        "ratio": ratio,
        "target_ratio": TARGET_RATIO,
    }
    (OUT / "bench_import.json").write_text(json.dumps(report, indent=1))
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        print(f"{'side':<16} {'median s':>9} {'pages/s':>9} {'MB/s':>8} {'peak RSS MB':>12}")
        for s in sides:
            print(
                f"{s.name:<16} {s.median_seconds:>9.2f} {s.pages_per_second:>9.1f} "
                f"{s.mb_per_second:>8.1f} {s.peak_rss_mb:>12.1f}"
            )
        if ratio is not None:
            verdict = "ok" if ratio <= TARGET_RATIO else "TOO SLOW"
            print(f"ratio import/reference: {ratio:.2f} (target <= {TARGET_RATIO}: {verdict})")
    return 0 if ratio is None or ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
