"""Checks a store: database against blobs, and (with repair) removes harmless garbage."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, text

from yongju.core import schema as db
from yongju.core.blobs import sha256_of
from yongju.core.store import Store

# A blob or staged copy younger than this may belong to an import still running in another
# process (its row is committed right after the blob is in place): never remove it.
GARBAGE_MIN_AGE_SECONDS = 120.0


@dataclass
class DoctorReport:
    """What ``check_store`` found. ``ok`` is False only for real problems, not for garbage."""

    problems: list[str] = field(default_factory=list)
    garbage: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    documents: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def check_store(
    store: Store,
    *,
    repair: bool = False,
    verify: bool = False,
    profile_ids: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    now: float | None = None,
) -> DoctorReport:
    """Checks the database, every document's blob (``verify``: its hash too) and the cases.

    Blobs without a row and leftovers of interrupted imports are garbage: listed, and with
    ``repair`` removed (when older than a couple of minutes). A row without its blob, a blob
    whose bytes changed, or a damaged database is a problem that repair cannot fix.
    """
    report = DoctorReport()
    _check_database(store, report)
    known = _check_documents(store, report, verify, progress)
    _check_garbage(store, report, known, repair, time.time() if now is None else now)
    if profile_ids is not None:
        installed = set(profile_ids)
        for case in store.cases():
            if case.profile_id not in installed:
                report.problems.append(
                    f"case '{case.name}' uses profile '{case.profile_id}', which is not installed"
                )
    return report


def _check_database(store: Store, report: DoctorReport) -> None:
    with store.engine.connect() as conn:
        result = [row[0] for row in conn.execute(text("PRAGMA integrity_check"))]
        if result != ["ok"]:
            report.problems.extend(f"database: {line}" for line in result[:20])
        for row in conn.execute(text("PRAGMA foreign_key_check")):
            report.problems.append(f"database: a row of '{row[0]}' points to a missing '{row[2]}'")


def _check_documents(
    store: Store, report: DoctorReport, verify: bool, progress: Callable[[int, int], None] | None
) -> set[str]:
    with store.session() as s:
        rows = [(r.id, r.sha256, r.size) for r in s.scalars(select(db.Document))]
    report.documents = len(rows)
    for done, (doc_id, sha, size) in enumerate(rows, start=1):
        path = store.blob_path(sha)
        if not path.is_file():
            report.problems.append(f"document {doc_id}: its file is missing from the store")
        elif path.stat().st_size != size:
            report.problems.append(f"document {doc_id}: its file has the wrong size")
        elif verify and sha256_of(path) != sha:
            report.problems.append(f"document {doc_id}: its file's bytes have changed")
        if progress:
            progress(done, len(rows))
    return {sha for _, sha, _ in rows}


def _check_garbage(
    store: Store, report: DoctorReport, known: set[str], repair: bool, now: float
) -> None:
    leftovers: list[tuple[Path, str]] = [
        (path, f"orphaned file {sha[:12]}… (no document refers to it)")
        for sha, path in store.blobs.all_hashes()
        if sha not in known
    ]
    leftovers += [
        (path, f"leftover of an interrupted import: {path.name}")
        for path in store.blobs.staging_leftovers()
    ]
    for path, what in leftovers:
        old_enough = now - path.stat().st_mtime >= GARBAGE_MIN_AGE_SECONDS
        if repair and old_enough:
            path.unlink(missing_ok=True)
            report.repaired.append(f"removed {what}")
        else:
            suffix = "" if old_enough else " (recent: an import may still be running)"
            report.garbage.append(what + suffix)
