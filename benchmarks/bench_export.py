"""Time the whole `yongju export` command against `qpdf --empty --pages` on the same PDFs.

    .venv/bin/python benchmarks/bench_export.py [--pages 800] [--repeat 3] [--seed 1]
    .venv/bin/python benchmarks/bench_export.py --scale [--scale-pages 100000]

Generates (or reuses) an 800-page corpus of 300-dpi JPEG scans in PDFs with
``benchmarks/corpus.py``, imports it once into a store under ``benchmarks/out/`` and files
every document into the slots of a spouse case (plus two smaller cases with the first quarter
and half of the documents, for the growth check). Then, page cache warm, it runs alternately:

- the reference: ``qpdf --empty --pages F1 F2 … -- out.pdf`` with the same files in packet
  order;
- ``.venv/bin/yongju --store S export --case C -o out.pdf --allow-incomplete --no-stamp
  --json``: the whole command, interpreter start-up, cover, contents, checks and fsync
  included (without the page-number stamps, on by default, which qpdf does not draw: the
  two compare like with like, as they did before the stamps became the default).

It prints the median wall times, their ratio (the target: at most 2), pages per second,
peak RSS (from ``/usr/bin/time -v``) against the packet's size (the target: under 1.5x), and
the times at a quarter, half and all of the pages with a straight-line fit (linear growth:
the points sit on the line; the intercept is start-up and the cover). The figures also go
to ``benchmarks/out/bench_export.json``.

``--scale`` checks that export time stays linear in pages far beyond a real dossier (it
was quadratic: 20,000 pages took 45 s, 100,000 did not finish in 10 minutes). It makes
documents of 2,500 small vector pages each (a line and a page number: no scan data, so the
page count, not the bytes, is what is measured), imports them into a store under
``benchmarks/out/``, and times the whole ``yongju export`` command (cover and contents
included) for cases of 1/8, 1/4, 1/2 and all of ``--scale-pages``, with a straight-line fit
and peak RSS; figures in ``benchmarks/out/bench_export_scale.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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
from corpus import make_corpus

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
YONGJU = ROOT / ".venv" / "bin" / "yongju"
TIME = "/usr/bin/time"
PROFILE = "spouse_of_chinese_citizen"
TARGET_RATIO = 2.0
TARGET_RSS = 1.5


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss_mb: float
    bytes: int


def timed(argv: list[str], output: Path, expected_pages: int = 0) -> Run:
    """Runs argv under /usr/bin/time -v: wall time measured here, peak RSS from its report."""
    output.unlink(missing_ok=True)
    output.with_name(output.name + ".manifest.json").unlink(missing_ok=True)
    os.sync()  # the previous run's 600 MB of dirty pages must not slow this one
    fd, report = tempfile.mkstemp(prefix="bench-export-", suffix=".txt")
    os.close(fd)
    full = [TIME, "-v", "-o", report, *argv] if Path(TIME).exists() else argv
    started = time.perf_counter()
    proc = subprocess.run(full, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    text = Path(report).read_text(encoding="utf-8", errors="replace")
    os.unlink(report)
    if proc.returncode != 0:
        raise SystemExit(f"{argv[0]} failed ({proc.returncode}): {proc.stderr.strip()[:500]}")
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    rss = int(match.group(1)) / 1024 if match else float("nan")
    if argv[0] == str(YONGJU):  # the export says what it wrote: it must be every page
        written = json.loads(proc.stdout)
        if written["bytes"] != output.stat().st_size or written["pages"] < expected_pages:
            raise SystemExit(f"the export wrote {written['pages']} pages, expected more")
    return Run(seconds, rss, output.stat().st_size)


def prepare_store(pages: int, seed: int) -> tuple[Path, dict[str, list[Path]], dict[str, int]]:
    """The store with the corpus filed into three cases; blobs in packet order per case."""
    corpus = make_corpus(OUT / f"corpus-pdf-{pages}-seed{seed}", pages=pages, seed=seed, mix="pdf")
    folder = OUT / f"export-store-pdf-{pages}-seed{seed}"
    marker = folder / "bench-ready"
    from yongju.core.importing import import_files
    from yongju.core.profiles import load_profiles
    from yongju.core.resources import resource_path
    from yongju.core.store import Store

    profile = load_profiles(resource_path("profiles")).get(PROFILE)
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        with Store.open(folder) as store:
            results = import_files(store, corpus, durable=False)
            documents = [r.document for r in results if r.document is not None]
            total = sum(d.pages for d in documents)
            for name, share in (("all", 1.0), ("half", 0.5), ("quarter", 0.25)):
                case = store.create_case(f"Bench {name}", PROFILE)
                filed = 0
                for index, document in enumerate(documents):
                    if filed >= total * share:
                        break
                    slot = profile.slots[index % len(profile.slots)]
                    store.file_document(case.id, slot.id, document.id)
                    filed += document.pages
        marker.write_text("ok\n")
    order: dict[str, list[Path]] = {}
    counts: dict[str, int] = {}
    with Store.open(folder) as store:
        slot_rank = {slot.id: i for i, slot in enumerate(profile.slots)}
        for case in store.cases():
            filings = sorted(
                store.filings(case.id), key=lambda f: (slot_rank[f.slot_id], f.position)
            )
            docs = {d.id: d for d in store.documents()}
            key = case.name.split()[-1]
            order[key] = [store.blob_path(docs[f.document_id].sha256) for f in filings]
            counts[key] = sum(docs[f.document_id].pages for f in filings)
    return folder, order, counts


def warm(paths: list[Path]) -> None:
    for path in paths:
        with open(path, "rb") as fh:
            while fh.read(1 << 22):
                pass


def export_argv(store: Path, case: str, output: Path) -> list[str]:
    return [
        str(YONGJU),
        "--store",
        str(store),
        "export",
        "--case",
        f"Bench {case}",
        "-o",
        str(output),
        "--allow-incomplete",
        "--no-stamp",  # like the qpdf reference (and the figures from before it was default)
        "--json",
    ]


def qpdf_argv(paths: list[Path], output: Path) -> list[str]:
    return ["qpdf", "--empty", "--pages", *map(str, paths), "--", str(output)]


SCALE_DOC_PAGES = 2_500


def vector_pdf(path: Path, pages: int, label: str) -> None:
    """A PDF of ``pages`` A4 pages, each a line and its number in Helvetica (tiny pages)."""
    import pikepdf

    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont="/Helvetica"
        )
    )
    for number in range(pages):
        page = pdf.add_blank_page(page_size=(595.28, 841.89))
        text = f"{label} page {number + 1}".encode("ascii")
        page.obj.Contents = pdf.make_stream(
            b"0.5 w 60 780 m 535 780 l S BT /F1 11 Tf 60 790 Td (" + text + b") Tj ET"
        )
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    pdf.save(path)


def prepare_scale_store(total: int) -> tuple[Path, dict[str, int]]:
    """A store holding ``total`` pages in documents of 2,500, filed into four cases of
    1/8, 1/4, 1/2 and all of them."""
    from yongju.core.importing import import_files
    from yongju.core.profiles import load_profiles
    from yongju.core.resources import resource_path
    from yongju.core.store import Store

    folder = OUT / f"export-scale-store-{total}"
    source_dir = OUT / f"scale-sources-{total}"
    marker = folder / "bench-ready"
    shares = {"eighth": 8, "quarter": 4, "half": 2, "all": 1}
    counts = {name: total // divisor for name, divisor in shares.items()}
    if marker.exists():
        return folder, counts
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(source_dir, ignore_errors=True)
    source_dir.mkdir(parents=True)
    sizes = [SCALE_DOC_PAGES] * (total // SCALE_DOC_PAGES)
    if total % SCALE_DOC_PAGES:
        sizes.append(total % SCALE_DOC_PAGES)
    files = []
    for index, pages in enumerate(sizes):
        path = source_dir / f"long {index:03d}.pdf"
        vector_pdf(path, pages, f"document {index}")
        files.append(path)
    profile = load_profiles(resource_path("profiles")).get(PROFILE)
    with Store.open(folder) as store:
        results = import_files(store, files, durable=False)
        documents = [r.document for r in results if r.document is not None]
        for name, pages in counts.items():
            case = store.create_case(f"Scale {name}", PROFILE)
            filed = 0
            for index, document in enumerate(documents):
                if filed >= pages:
                    break
                slot = profile.slots[index % len(profile.slots)]
                store.file_document(case.id, slot.id, document.id)
                filed += document.pages
            counts[name] = filed
    shutil.rmtree(source_dir, ignore_errors=True)  # the store holds its own copies
    marker.write_text(json.dumps(counts) + "\n")
    return folder, counts


def scale_main(total: int) -> int:
    store, counts = prepare_scale_store(total)
    counts = json.loads((store / "bench-ready").read_text())
    scratch = Path(tempfile.mkdtemp(prefix="bench-export-scale-"))
    points = {}
    try:
        for name, pages in counts.items():
            argv = [*export_argv(store, name, scratch / "s.pdf")]
            argv[argv.index(f"Bench {name}")] = f"Scale {name}"
            run = timed(argv, scratch / "s.pdf")
            points[name] = {
                "pages": pages,
                "seconds": round(run.seconds, 2),
                "ms_per_page": round(1000 * run.seconds / pages, 3),
                "peak_rss_mb": round(run.peak_rss_mb, 1),
                "packet_mb": round(run.bytes / 1e6, 1),
            }
            print(
                f"{pages:>7} pages: {run.seconds:7.2f} s  {1000 * run.seconds / pages:6.3f} ms/page"
                f"  peak RSS {run.peak_rss_mb:6.1f} MB  packet {run.bytes / 1e6:6.1f} MB",
                flush=True,
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    xs = [p["pages"] for p in points.values()]
    ys = [p["seconds"] for p in points.values()]
    slope, intercept = statistics.linear_regression(xs, ys)
    worst = max(abs(intercept + slope * x - y) / y for x, y in zip(xs, ys, strict=True))
    report = {
        "points": points,
        "fit": {
            "ms_per_page": round(1000 * slope, 3),
            "fixed_s": round(intercept, 2),
            "worst_deviation": round(worst, 3),
        },
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench_export_scale.json").write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"fit {1000 * slope:.3f} ms/page + {intercept:.2f} s fixed, largest deviation from "
        f"the line {100 * worst:.0f}%"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=800)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", action="store_true", help="the linear-growth check")
    parser.add_argument("--scale-pages", type=int, default=100_000)
    args = parser.parse_args(argv)
    if args.scale:
        return scale_main(args.scale_pages)
    if shutil.which("qpdf") is None:
        raise SystemExit("qpdf is not installed (apt install qpdf)")
    store, order, counts = prepare_store(args.pages, args.seed)
    warm(order["all"])
    scratch = Path(tempfile.mkdtemp(prefix="bench-export-"))
    try:
        reference, ours = [], []
        for _ in range(args.repeat):
            reference.append(timed(qpdf_argv(order["all"], scratch / "q.pdf"), scratch / "q.pdf"))
            ours.append(
                timed(
                    export_argv(store, "all", scratch / "y.pdf"), scratch / "y.pdf", counts["all"]
                )
            )
        growth = {}
        for case in ("quarter", "half", "all"):
            runs = [
                timed(export_argv(store, case, scratch / "g.pdf"), scratch / "g.pdf")
                for _ in range(max(1, args.repeat - 1))
            ]
            seconds = statistics.median(r.seconds for r in runs)
            growth[case] = {
                "pages": counts[case],
                "seconds": round(seconds, 3),
                "ms_per_page": round(1000 * seconds / counts[case], 2),
            }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    xs = [g["pages"] for g in growth.values()]
    ys = [g["seconds"] for g in growth.values()]
    slope, intercept = statistics.linear_regression(xs, ys)
    fitted = [intercept + slope * x for x in xs]
    worst = max(abs(f - y) / y for f, y in zip(fitted, ys, strict=True))
    q = statistics.median(r.seconds for r in reference)
    y = statistics.median(r.seconds for r in ours)
    packet = ours[-1].bytes
    rss = max(r.peak_rss_mb for r in ours)
    pages = counts["all"]
    report = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "system": platform.platform(),
        },
        "pages": pages,
        "input_mb": round(sum(p.stat().st_size for p in order["all"]) / 1e6, 1),
        "packet_mb": round(packet / 1e6, 1),
        "qpdf": {"median_s": round(q, 3), "runs": [asdict(r) for r in reference]},
        "yongju_export": {"median_s": round(y, 3), "runs": [asdict(r) for r in ours]},
        "ratio": round(y / q, 2),
        "pages_per_second": {"qpdf": round(pages / q), "yongju": round(pages / y)},
        "peak_rss_mb": {
            "qpdf": round(max(r.peak_rss_mb for r in reference), 1),
            "yongju": round(rss, 1),
        },
        "rss_to_packet": round(rss * 1024 * 1024 / packet, 3),
        "growth": growth,
        "growth_fit": {
            "ms_per_page": round(1000 * slope, 2),
            "fixed_s": round(intercept, 3),
            "worst_deviation": round(worst, 3),
        },
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench_export.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"{pages} pages, {report['input_mb']} MB of scans → packet {report['packet_mb']} MB")
    print(
        f"qpdf --empty --pages : {q:6.2f} s  {pages / q:6.0f} pages/s  "
        f"peak RSS {report['peak_rss_mb']['qpdf']:7.1f} MB"
    )
    print(f"yongju export        : {y:6.2f} s  {pages / y:6.0f} pages/s  peak RSS {rss:7.1f} MB")
    print(
        f"ratio {y / q:.2f} (target ≤ {TARGET_RATIO}); peak RSS / packet "
        f"{report['rss_to_packet']:.3f} (target < {TARGET_RSS})"
    )
    print(
        "growth: "
        + ", ".join(f"{g['pages']} pages {g['seconds']:.2f} s" for g in growth.values())
        + f"; fit {1000 * slope:.2f} ms/page + {intercept:.2f} s fixed, "
        f"largest deviation from the line {100 * worst:.0f}%"
    )
    return 0 if y / q <= TARGET_RATIO and report["rss_to_packet"] < TARGET_RSS else 1


if __name__ == "__main__":
    sys.exit(main())
