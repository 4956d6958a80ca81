"""Reading benchmark: per field recall and precision of proposals, MRZ accuracy, seconds per page.

Generates a corpus with known truth (``reading_corpus.py``), imports it into a temporary
store with one spouse case, reads every document as ``yongju read`` does (OCR worker,
sandboxed rendering), and compares what was proposed with the truth.

    python benchmarks/bench_reading.py [--count 40] [--seed 12] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "desktop"), str(ROOT)]

from benchmarks.reading_corpus import TODAY, generate  # noqa: E402

from yongju.core.importing import import_files  # noqa: E402
from yongju.core.profiles import load_profiles  # noqa: E402
from yongju.core.reading.ocr import OcrWorker  # noqa: E402
from yongju.core.reading.pages import PageText, SandboxedPages  # noqa: E402
from yongju.core.reading.proposals import propose  # noqa: E402
from yongju.core.reading.reader import read_document  # noqa: E402
from yongju.core.resources import resource_path  # noqa: E402
from yongju.core.store import Store  # noqa: E402

FIELDS = ("slot", "issued", "expires", "language", "issued_in")
MRZ_FIELDS = ("document_number", "nationality", "surname", "given_names", "birth_date",
              "expiry_date")  # fmt: skip


def _read_all(store: Store, keywords: dict[str, tuple[str, ...]]) -> tuple[float, int, float]:
    """Reads every document; (seconds reading, pages, seconds of the engine's first load)."""
    pages = 0
    spent = 0.0
    first = 0.0
    with OcrWorker(threads=2) as worker, SandboxedPages() as source:
        for number, document in enumerate(store.documents()):
            start = time.perf_counter()
            outcome = read_document(store, document.id, worker, keywords=keywords, today=TODAY,
                                    source=source)  # fmt: skip
            took = time.perf_counter() - start
            if outcome.error:
                print(f"  {document.original_name}: failed: {outcome.error}")
            if number == 0:
                first = took  # starting the worker and loading the models
                continue
            spent += took
            pages += document.pages
    return spent, pages, first


def _score(store: Store, truths: list[dict[str, object]]) -> dict[str, Counter[str]]:
    by_name = {t["name"]: t for t in truths}
    scores: dict[str, Counter[str]] = {f: Counter() for f in (*FIELDS, "mrz", *MRZ_FIELDS)}
    for document in store.documents():
        truth = by_name[document.original_name]
        proposed = {p.field: p.value for p in store.proposals([document.id])}
        for field in FIELDS:
            expected, got = truth.get(field), proposed.get(field)
            count = scores[field]
            count["truth"] += expected is not None
            if got is not None:
                count["proposed"] += 1
                count["right"] += got == expected
                if got != expected:
                    print(f"  wrong {field}: {document.original_name} {got!r} != {expected!r}")
        expected_mrz = truth.get("mrz") or {}
        if expected_mrz:
            pages = [PageText(p.index, p.text, p.engine, p.engine_version)
                     for p in store.page_texts(document.id)]  # fmt: skip
            mrz = propose(pages, None, TODAY).mrz
            for field in MRZ_FIELDS:
                value = getattr(mrz, field, None) if mrz is not None and mrz.valid else None
                shown = value.isoformat() if hasattr(value, "isoformat") else value
                for key in ("mrz", field):
                    scores[key]["truth"] += 1
                    scores[key]["right"] += shown == expected_mrz[field]  # type: ignore[index]
                if shown != expected_mrz[field]:  # type: ignore[index]
                    print(f"  wrong MRZ {field}: {document.original_name} {shown!r}")
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--corpus", type=Path, help="an existing corpus folder (else generated)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus or Path(tmp) / "corpus"
        if args.corpus is None:
            generate(corpus, args.count, args.seed)
        truths = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
        profiles = load_profiles(resource_path("profiles"))
        keywords = profiles.get("spouse_of_chinese_citizen").keywords()
        with Store.open(Path(tmp) / "store") as store:
            store.create_case("Benchmark", "spouse_of_chinese_citizen")
            import_files(store, sorted(p for p in corpus.iterdir() if p.suffix != ".json"))
            spent, pages, first = _read_all(store, keywords)
            scores = _score(store, truths)
    print(f"\n{len(truths)} documents; first document (worker start, model load) {first:.1f} s")
    print(f"recognition: {spent / max(pages, 1):.2f} s per page over {pages} pages\n")
    print(f"{'field':10} {'truth':>6} {'proposed':>9} {'right':>6} {'precision':>10} {'recall':>7}")
    for field in FIELDS:
        c = scores[field]
        precision = c["right"] / c["proposed"] if c["proposed"] else 1.0
        recall = c["right"] / c["truth"] if c["truth"] else 1.0
        print(f"{field:10} {c['truth']:6} {c['proposed']:9} {c['right']:6} "
              f"{precision:10.1%} {recall:7.1%}")  # fmt: skip
    print()
    for key in (*MRZ_FIELDS, "mrz"):
        c = scores[key]
        name = "MRZ, all fields" if key == "mrz" else f"MRZ {key}"
        share = c["right"] / max(c["truth"], 1)
        print(f"{name:22} {c['right']:3} of {c['truth']:3} right ({share:.1%})")
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = cpu.ru_utime + cpu.ru_stime
    print(f"\nCPU of the worker processes (OCR, rendering), model load included: {used:.0f} s, "
          f"{used / max(pages + 1, 1):.2f} s per page")  # fmt: skip


if __name__ == "__main__":
    main()
