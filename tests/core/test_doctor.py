"""doctor: diagnoses a damaged store, and repair mends it without ever deleting a stored file."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import soak
from tests.launcher import Launcher
from yongju.cli import run
from yongju.core.doctor import check_store
from yongju.core.importing import import_files
from yongju.core.inspection import reading_sandbox
from yongju.core.records import MediaType
from yongju.core.store import Store


def _blobs(folder: Path) -> dict[str, bytes]:
    """Every stored file, in blobs/ or quarantine/, by the SHA-256 of its bytes."""
    found = {}
    for sub in ("blobs", "quarantine"):
        for path in (folder / sub).rglob("*"):
            if path.is_file() and ".incoming" not in path.parts and "yongju-" not in path.name:
                data = path.read_bytes()
                found[hashlib.sha256(data).hexdigest()] = data
    return found


def _yongju(capsys, *argv: str) -> tuple[int, str, str]:
    status = run(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_a_healthy_store_is_ok(store: Store, samples) -> None:
    import_files(store, [samples.jpeg(), samples.pdf()])
    report = check_store(store, verify=True)
    assert report.ok and report.documents == 2
    assert (report.problems, report.garbage, report.repaired) == ([], [], [])


def test_repair_adopts_files_without_a_record_and_quarantines_unreadable_ones(
    store: Store, samples
) -> None:
    (result,) = import_files(store, [samples.jpeg()])
    tiff = samples.tiff("orphan.tif", frames=3).read_bytes()
    orphan = store.blobs.path_for(hashlib.sha256(tiff).hexdigest())
    orphan.parent.mkdir(exist_ok=True)
    orphan.write_bytes(tiff)  # as a crash between blob and row leaves it
    junk = b"not a document, but stored all the same"
    unreadable = store.blobs.path_for(hashlib.sha256(junk).hexdigest())
    unreadable.parent.mkdir(exist_ok=True)
    unreadable.write_bytes(junk)
    leftover = store.blobs.staging / "in-123"
    leftover.write_bytes(b"half a copy")

    report = check_store(store)
    assert report.ok and len(report.unrecorded) == 2 and len(report.garbage) == 1
    assert orphan.exists() and unreadable.exists() and leftover.exists()  # only looked

    report = check_store(store, repair=True)
    assert report.ok and report.unrecorded == [] and report.documents == 2
    adopted = store.find_by_sha(hashlib.sha256(tiff).hexdigest())
    assert adopted is not None and store.document(adopted.id) == adopted
    assert (adopted.media_type, adopted.pages, adopted.size) == (MediaType.TIFF, 3, len(tiff))
    assert adopted in store.inbox() and orphan.read_bytes() == tiff
    quarantined = store.folder / "quarantine" / hashlib.sha256(junk).hexdigest()
    assert quarantined.read_bytes() == junk and not unreadable.exists()
    assert report.quarantined == [f"{quarantined}: {_refusal(junk)}"]
    assert not leftover.exists()  # a partial copy no one was told was stored
    assert result.document is not None and store.blob_path(result.document.sha256).exists()
    again = check_store(store, repair=True)
    assert again.ok and (again.repaired, again.quarantined) == ([], [])


def _refusal(data: bytes) -> str:
    from yongju.core.inspection import RefusedFile, sniff

    with pytest.raises(RefusedFile) as refused:
        sniff(data)
    return str(refused.value)


def test_a_file_whose_bytes_no_longer_match_its_name_is_quarantined(store: Store, samples) -> None:
    data = samples.jpeg_bytes("changed")
    path = store.blobs.path_for("cd" * 32)
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    report = check_store(store, repair=True)
    assert store.documents() == []
    assert (store.folder / "quarantine" / ("cd" * 32 + ".jpg")).read_bytes() == data
    assert report.quarantined[0].endswith("its bytes do not match its name (the file is damaged)")


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


# --------------------------------------------------------------------- a lost database
def test_an_emptied_database_is_damage_for_every_command_and_repair_adopts_every_file(
    capsys, tmp_path: Path, samples
) -> None:
    """As found: ``: > STORE/yongju.db``; docs said "No documents yet." and repair deleted all."""
    folder = str(tmp_path / "store")
    files = [samples.jpeg("a.jpg"), samples.pdf("b.pdf", pages=3), samples.tiff("c.tif")]
    assert _yongju(capsys, "--store", folder, "import", *map(str, files))[0] == 0
    stored = _blobs(Path(folder))
    Path(folder, "yongju.db").write_bytes(b"")
    for copy in Path(folder, "backups").iterdir():  # as on a store from before rolling copies
        copy.unlink()

    for command in (["docs"], ["import", str(samples.jpeg("d.jpg"))], ["case", "list"]):
        status, out, err = _yongju(capsys, "--store", folder, *command)
        assert status == 1 and out == ""
        assert err.count("\n") == 1 and "damaged" in err and "yongju doctor --repair" in err

    status, out, err = _yongju(capsys, "--store", folder, "doctor")
    assert status == 1 and err == ""
    assert "problem: database: the database is empty, though the store holds 3 stored files" in out
    assert "there is no copy of the database" in out and "adds all 3 stored files" in out
    assert _blobs(Path(folder)) == stored  # doctor only looked

    status, out, err = _yongju(capsys, "--store", folder, "doctor", "--repair", "--json")
    report = json.loads(out)
    assert status == 0 and report["ok"] and report["documents"] == 3, report
    assert _blobs(Path(folder)) == stored  # nothing deleted
    with Store.open(folder) as opened:
        docs = {(d.media_type, d.pages, d.size) for d in opened.inbox()}
    assert docs == {(MediaType.JPEG, 1, len(stored_of(files[0]))), *_expected(files[1:])}
    status, out, _ = _yongju(capsys, "--store", folder, "doctor")
    assert status == 0 and out.strip().endswith("OK.")


def stored_of(path: Path) -> bytes:
    return path.read_bytes()


def _expected(files: list[Path]) -> set[tuple[MediaType, int, int]]:
    kinds = {".pdf": (MediaType.PDF, 3), ".tif": (MediaType.TIFF, 3)}
    return {(*kinds[f.suffix], f.stat().st_size) for f in files}


_CRASHING_IMPORT = """
import os, sys
from yongju.core.importing import import_files
from yongju.core.store import Store
store = Store.open(sys.argv[1])
import_files(store, [sys.argv[2]])
os._exit(0)  # the window killed: no orderly close, so no copy at close
"""


def test_repair_brings_back_titles_cases_and_filings_from_the_newest_copy(
    tmp_path: Path, samples, launcher: Launcher
) -> None:
    folder = tmp_path / "store"
    with Store.open(folder) as store:
        passport, police = import_files(store, [samples.jpeg("p.jpg"), samples.pdf("c.pdf")])
        assert passport.document and police.document
        store.update_document(passport.document.id, title="Passport", expires=dt.date(2031, 5, 1))
        case = store.create_case("Jan", "employment", dt.date(2027, 3, 1))
        store.file_document(case.id, "passport", passport.document.id)
    # An import after the copy of that session, in a process that died without closing.
    late = samples.pdf("late.pdf", pages=4)
    crashed = launcher.run(
        [sys.executable, "-c", _CRASHING_IMPORT, str(folder), str(late)], capture_output=True
    )
    assert crashed.returncode == 0, crashed.stderr
    (folder / "yongju.db").unlink()
    for suffix in ("-wal", "-shm"):
        (folder / f"yongju.db{suffix}").unlink(missing_ok=True)

    report = check_store(folder)
    assert not report.ok and "brings back the database copy of" in report.advice
    assert "and adds the 1 stored files newer than it to the inbox" in report.advice
    report = check_store(folder, repair=True)
    assert report.ok, report
    assert "backups/rolling-" in report.restored_from
    assert any("newer than the copy" in line for line in report.repaired)
    with Store.open(folder) as store:
        restored = store.document(passport.document.id)
        assert (restored.title, restored.expires) == ("Passport", dt.date(2031, 5, 1))
        (case,) = store.cases()
        assert (case.name, case.submission_date) == ("Jan", dt.date(2027, 3, 1))
        assert [f.document_id for f in store.filings(case.id)] == [passport.document.id]
        recovered = store.find_by_sha(hashlib.sha256(late.read_bytes()).hexdigest())
        assert recovered is not None and recovered.pages == 4 and recovered in store.inbox()


def test_a_corrupt_database_is_diagnosed_by_doctor(capsys, tmp_path: Path, samples) -> None:
    """doctor once failed on it with "unexpected error": diagnosing it is doctor's job."""
    folder = tmp_path / "store"
    with Store.open(folder) as store:
        import_files(store, [samples.jpeg("a.jpg"), samples.jpeg("b.jpg")])
        store.create_case("Kept", "employment")
    database = folder / "yongju.db"
    data = bytearray(database.read_bytes())
    for index in range(2 * 4096, len(data), 7):
        data[index] ^= 0x5A
    database.write_bytes(bytes(data))

    status, out, err = _yongju(capsys, "--store", str(folder), "docs")
    assert status == 1 and "damaged" in err and "doctor --repair" in err
    assert "unexpected" not in err and err.count("\n") == 1
    status, out, err = _yongju(capsys, "--store", str(folder), "doctor")
    assert status == 1 and err == ""
    assert re.search(r"problem: database: the database is (damaged|unreadable) \(", out), out
    status, out, err = _yongju(capsys, "--store", str(folder), "doctor", "--repair")
    assert status == 0 and err == "" and out.strip().endswith("OK."), out
    assert "brought back the copy of" in out
    with Store.open(folder) as store:
        assert len(store.documents()) == 2 and [c.name for c in store.cases()] == ["Kept"]
    assert list((folder / "quarantine").glob("yongju-damaged-*.db"))  # kept, not deleted


# --------------------------------------------------------------------- repair and import
_PAUSED_IMPORT = """
import sys
from yongju.core.importing import import_files
from yongju.core.store import Store
with Store.open(sys.argv[1]) as store:
    (result,) = import_files(store, [sys.argv[2]])
    print(result.status.value, result.document_id)
"""


def test_repair_waits_for_an_import_paused_in_another_process(
    tmp_path: Path, samples, launcher: Launcher
) -> None:
    """As found: an import paused behind a write lock lost its blob to ``doctor --repair``."""
    folder = tmp_path / "store"
    Store.open(folder).close()
    scan = samples.pdf("slow.pdf", pages=2)
    sha = hashlib.sha256(scan.read_bytes()).hexdigest()
    writer = sqlite3.connect(folder / "yongju.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # the import will wait for this write lock
    importer = launcher.popen(
        [sys.executable, "-c", _PAUSED_IMPORT, str(folder), str(scan)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    blob = folder / "blobs" / sha[:2] / sha[2:]
    deadline = time.monotonic() + 60
    while not blob.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert blob.exists()  # the file is in place; its row waits for the lock
    os.utime(blob, (0, 0))  # ages do not matter any more
    repair = launcher.popen(
        [sys.executable, "-m", "yongju", "--store", str(folder), "doctor", "--repair", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # The repair waits for the import's lock, whatever the time: it says so and does nothing.
    assert repair.stderr is not None
    assert "waiting for an import in another process" in repair.stderr.readline()
    assert repair.poll() is None and blob.exists() and importer.poll() is None
    writer.execute("ROLLBACK")
    writer.close()
    out, err = importer.communicate(timeout=60)
    assert (importer.returncode, out.split()[0]) == (0, "imported"), err
    out, _ = repair.communicate(timeout=60)
    report = json.loads(out)
    assert report["ok"] and report["repaired"] == [] and report["documents"] == 1
    with Store.open(folder) as store:
        (doc,) = store.documents()
        assert doc.sha256 == sha and doc.title == "slow" and store.blob_path(sha).is_file()


_REPAIRER = """
import sys
from pathlib import Path
from yongju.core.doctor import check_store
folder = Path(sys.argv[1])
while not (folder / "done").exists():
    report = check_store(folder, repair=True)
    assert report.ok, report
    assert not report.quarantined and not report.repaired, report
    if sys.stdout:
        print("repairing", flush=True)  # the first pass is done: the race is on
        sys.stdout.close()
        sys.stdout = None
"""


@pytest.mark.slow
def test_repairs_running_beside_imports_never_take_an_imported_file(
    tmp_path: Path, samples, launcher: Launcher
) -> None:
    """Two repair loops race the imports of another process: every file is imported, none
    adopted or lost. (The imports run here: a process of their own spent most of its time,
    and the spinning repairs most of theirs, starting its reading worker.)"""
    folder = tmp_path / "store"
    Store.open(folder).close()
    sources = tmp_path / "sources"
    sources.mkdir()
    count = soak.rounds(6, 100)  # each import a chance for a repair to race it
    for i in range(count):
        (sources / f"scan{i:03}.pdf").write_bytes(samples.pdf_bytes(1 + i % 2, f"s{i}"))
    with Store.open(folder) as store, reading_sandbox() as sandbox:
        sandbox.start()
        repairers = [
            launcher.popen(
                [sys.executable, "-c", _REPAIRER, str(folder)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        for repairer in repairers:
            assert repairer.stdout is not None
            assert repairer.stdout.readline() == "repairing\n", repairer.communicate()[1]
        statuses = [
            import_files(store, [path], sandbox=sandbox)[0].status.value
            for path in sorted(sources.iterdir())
        ]
    (folder / "done").touch()
    errors = [r.communicate(timeout=120)[1] for r in repairers]
    assert [r.returncode for r in repairers] == [0, 0], errors
    assert statuses == ["imported"] * count
    with Store.open(folder) as store:
        docs = store.documents()
        assert sorted(d.title for d in docs) == [f"scan{i:03}" for i in range(count)]
        assert all(store.blob_path(d.sha256).is_file() for d in docs)
    assert check_store(folder, verify=True).ok


# --------------------------------------------------------------------- repair killed
_LOST = """
import sys
from yongju.core.doctor import check_store
check_store(sys.argv[1], repair=True)
print("done", flush=True)
"""


@pytest.mark.slow
def test_repair_killed_at_any_point_never_loses_a_stored_file(
    tmp_path: Path, samples, launcher: Launcher, chance: soak.Chance
) -> None:
    """Killed anywhere in a repair, every stored file is still in the store; the next repair
    finishes the job."""
    template = tmp_path / "template"
    with Store.open(template) as store:
        paths = [samples.pdf(f"f{i}.pdf", pages=1 + i % 3) for i in range(6)]
        import_files(store, paths)
    junk = b"unreadable, to be quarantined"
    junk_path = template / "blobs" / hashlib.sha256(junk).hexdigest()[:2]
    junk_path.mkdir(exist_ok=True)
    (junk_path / hashlib.sha256(junk).hexdigest()[2:]).write_bytes(junk)
    stored = _blobs(template)
    whole = {0: 0.0, 1: 0.0}  # how long a repair takes, with and without copies: first runs
    for attempt in range(2 + soak.rounds(2, 40)):  # kill moments drawn anew each run
        folder = tmp_path / f"store{attempt}"
        subprocess.run(["cp", "-a", str(template), str(folder)], check=True)
        (folder / "yongju.db").write_bytes(b"")
        if attempt % 2:  # without copies, every file is adopted again
            subprocess.run(["rm", "-r", str(folder / "backups")], check=True)
        for suffix in ("-wal", "-shm"):
            (folder / f"yongju.db{suffix}").unlink(missing_ok=True)
        began = time.monotonic()
        repair = launcher.popen(
            [sys.executable, "-c", _LOST, str(folder)], stdout=subprocess.PIPE, text=True
        )
        assert repair.stdout is not None
        if attempt < 2:
            assert repair.stdout.read() == "done\n" and repair.wait(timeout=60) == 0
            whole[attempt] = time.monotonic() - began
        else:
            time.sleep(chance.uniform(0, whole[attempt % 2]))
            repair.send_signal(signal.SIGKILL)
            repair.wait(timeout=30)
        repair.stdout.close()
        assert _blobs(folder) == stored, attempt
        report = check_store(folder, repair=True)
        assert report.ok, (attempt, report)
        assert _blobs(folder) == stored
        with Store.open(folder) as store:
            assert len(store.documents()) == 6


def test_doctor_never_calls_unrecorded_files_ok_or_garbage(capsys, tmp_path: Path, samples) -> None:
    """As found: beside a fresh database, doctor said "OK." of files no row named."""
    folder = tmp_path / "store"
    with Store.open(folder) as store:
        data = samples.pdf_bytes(2, "kept")
        path = store.blobs.path_for(hashlib.sha256(data).hexdigest())
        path.parent.mkdir()
        path.write_bytes(data)
    status, out, _ = _yongju(capsys, "--store", str(folder), "doctor")
    assert status == 0 and "garbage" not in out and "OK." not in out
    assert out.strip().endswith(
        "Nothing is lost, but 1 stored file cannot be seen in Yongju until "
        "`yongju doctor --repair` adds it to the inbox."
    )
    status, out, _ = _yongju(capsys, "--store", str(folder), "doctor", "--repair")
    assert status == 0 and "added stored file" in out and out.strip().endswith("OK.")
