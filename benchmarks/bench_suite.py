"""Where the test suite's CPU goes: per test file, inside the xdist workers.

The suite is bound by CPU on 2 cores, and its wall time on a shared machine moves by up to
8 % between two runs of one tree: a change that saves a few seconds cannot be seen in it.
This runs the suite (or the pytest arguments given) with a small plugin that records, for
each test, the CPU time of its worker process (all its threads) and its wall time, then
prints the files that cost most, the workers' own start-up and collection, and the whole
run's wall and CPU as ``time`` counts it (child processes included once they have been
waited for; fork servers that outlive their test process are not).

    .venv/bin/python benchmarks/bench_suite.py [--top 30] [-- PYTEST-ARGS...]

The figures go to benchmarks/out/bench_suite.json; docs/performance.md quotes them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out" / "bench_suite.json"
_FOLDER_ENV = "YONGJU_BENCH_SUITE_DIR"

# -- the plugin, loaded into pytest and each worker with `-p benchmarks.bench_suite` --------

_rows: list[tuple[str, float, float]] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> object:
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        return (yield)
    finally:
        _rows.append((item.nodeid, time.process_time() - cpu, time.perf_counter() - wall))


def pytest_sessionfinish() -> None:
    folder = os.environ.get(_FOLDER_ENV)
    if folder:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        record = {"rows": _rows, "process_cpu": time.process_time()}
        Path(folder, f"{worker}.json").write_text(json.dumps(record), encoding="utf-8")


# -- the command ----------------------------------------------------------------------------


def measure(pytest_args: list[str]) -> dict[str, object]:
    """Runs pytest with the plugin; returns per-file and whole-run figures."""
    with tempfile.TemporaryDirectory(prefix="bench-suite-") as folder:
        env = {**os.environ, _FOLDER_ENV: folder}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "benchmarks.bench_suite", *pytest_args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        records = {p.stem: json.loads(p.read_text()) for p in Path(folder).glob("*.json")}
    files: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    in_tests = 0.0
    tests: list[tuple[str, float, float]] = []
    for record in records.values():
        for nodeid, cpu, test_wall in record["rows"]:
            tests.append((nodeid, cpu, test_wall))
            row = files[nodeid.split("::")[0]]
            row[0] += cpu
            row[1] += test_wall
            row[2] += 1
            in_tests += cpu
    # The processes that ran tests: xdist's workers, or pytest itself with `-n 0`.
    workers = {k: v for k, v in records.items() if k != "main"} or records
    return {
        "exit_status": done.returncode,
        "summary": done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "",
        "failed": [line for line in done.stdout.splitlines() if line.startswith("FAILED ")],
        "wall_s": round(wall, 1),
        "cpu_counted_s": round(
            (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 1
        ),
        "workers_cpu_s": round(sum(float(v["process_cpu"]) for v in workers.values()), 1),
        "in_tests_cpu_s": round(in_tests, 1),
        "files": {
            name: {"cpu_s": round(cpu, 2), "wall_s": round(w, 2), "tests": int(n)}
            for name, (cpu, w, n) in sorted(files.items(), key=lambda kv: -kv[1][0])
        },
        # The tests whose worker waited longest: on other processes, on the disk or on sleeps.
        "waiting": [
            {"test": nodeid, "cpu_s": round(cpu, 3), "wall_s": round(w, 3)}
            for nodeid, cpu, w in sorted(tests, key=lambda t: t[1] - t[2])[:100]
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=30, help="how many files to print")
    parser.add_argument(
        "--waiting", type=int, default=0, help="also print the tests that waited longest"
    )
    parser.add_argument("pytest_args", nargs="*", help="after --: arguments for pytest")
    args = parser.parse_args()
    result = measure(args.pytest_args)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    print(result["summary"])
    for line in result["failed"]:  # type: ignore[attr-defined]
        print(line)
    print(
        f"wall {result['wall_s']} s; CPU counted {result['cpu_counted_s']} s; "
        f"workers {result['workers_cpu_s']} s, of it in tests {result['in_tests_cpu_s']} s"
    )
    print(f"{'CPU s':>7} {'wall s':>7} {'tests':>5}  file")
    files = result["files"]
    assert isinstance(files, dict)
    for name, row in list(files.items())[: args.top]:
        print(f"{row['cpu_s']:7.2f} {row['wall_s']:7.2f} {row['tests']:5d}  {name}")
    waiting = result["waiting"]
    assert isinstance(waiting, list)
    if args.waiting:
        print(f"\n{'wait s':>7} {'CPU s':>7}  test (wall minus the worker's CPU)")
    for row in waiting[: args.waiting]:
        print(f"{row['wall_s'] - row['cpu_s']:7.2f} {row['cpu_s']:7.2f}  {row['test']}")
    return 0 if result["exit_status"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
