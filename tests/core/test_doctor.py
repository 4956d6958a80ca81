"""doctor: database against blobs; garbage is listed and (when old enough) removed."""

from __future__ import annotations

import os
import time

from yongju.core.doctor import GARBAGE_MIN_AGE_SECONDS, check_store
from yongju.core.importing import import_files
from yongju.core.store import Store


def test_a_healthy_store_is_ok(store: Store, samples) -> None:
    import_files(store, [samples.jpeg(), samples.pdf()])
    report = check_store(store, verify=True)
    assert report.ok and report.documents == 2
    assert (report.problems, report.garbage, report.repaired) == ([], [], [])


def test_orphans_and_leftovers_are_garbage_removed_by_repair(store: Store, samples) -> None:
    (result,) = import_files(store, [samples.jpeg()])
    orphan = store.blobs.path_for("ab" * 32)
    orphan.parent.mkdir(exist_ok=True)
    orphan.write_bytes(b"left by a crash between blob and row")
    leftover = store.blobs.staging / "in-123"
    leftover.write_bytes(b"half a copy")
    report = check_store(store, repair=True)
    assert report.ok  # garbage is harmless
    assert len(report.garbage) == 2 and all("recent" in g for g in report.garbage)
    assert orphan.exists() and leftover.exists()  # too young: an import may be running
    later = time.time() + GARBAGE_MIN_AGE_SECONDS + 1
    report = check_store(store, repair=True, now=later)
    assert len(report.repaired) == 2 and report.garbage == []
    assert not orphan.exists() and not leftover.exists()
    assert result.document is not None and store.blob_path(result.document.sha256).exists()


def test_missing_or_changed_files_are_problems(store: Store, samples) -> None:
    one, two = import_files(store, [samples.jpeg("a.jpg"), samples.jpeg("b.jpg")])
    assert one.document and two.document
    store.blob_path(one.document.sha256).unlink()
    path = store.blob_path(two.document.sha256)
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF
    os.chmod(path, 0o600)
    path.write_bytes(bytes(data))
    report = check_store(store, verify=True)
    assert not report.ok
    assert report.problems == [
        f"document {one.document.id}: its file is missing from the store",
        f"document {two.document.id}: its file's bytes have changed",
    ]


def test_cases_with_an_unknown_profile_are_reported(store: Store) -> None:
    store.create_case("A", "retired_profile")
    report = check_store(store, profile_ids=["employment"])
    assert report.problems == ["case 'A' uses profile 'retired_profile', which is not installed"]
