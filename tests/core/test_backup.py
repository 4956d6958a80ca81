"""Backup and restore: one verified archive, taken while others write, restored all or nothing."""

from __future__ import annotations

import datetime as dt
import io
import stat
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from tests import soak
from tests.launcher import Child, Launcher
from tests.samples import Samples
from yongju.core.backup import (
    BackupError,
    backup_store,
    is_backup,
    restore_store,
    store_holds_nothing,
)
from yongju.core.doctor import check_store
from yongju.core.errors import CancelledError
from yongju.core.hashing import file_sha256
from yongju.core.importing import import_files
from yongju.core.records import Role
from yongju.core.store import Store


def _fill(store: Store, samples: Samples) -> dict[str, object]:
    """Real content: documents of every kind, metadata, a case with filings and choices."""
    paths = [
        samples.pdf("passport.pdf", pages=3),
        samples.jpeg("marriage.jpg", label="marriage"),
        samples.png("photo.png"),
        samples.tiff("bank.tif", frames=2),
        samples.jpeg("translation.jpg", label="translation"),
    ]
    results = import_files(store, paths)
    ids = [r.document.id for r in results if r.document is not None]
    assert len(ids) == 5
    store.update_document(ids[0], title="Passport", expires=dt.date(2031, 5, 1), language="en")
    store.update_document(ids[1], title="Marriage certificate", issued=dt.date(2026, 9, 30))
    store.set_page(ids[0], 1, rotation=90)
    store.set_page(ids[0], 2, excluded=True)
    case = store.create_case("Jan Peeters", "spouse_of_chinese_citizen", dt.date(2027, 3, 1))
    store.file_document(case.id, "sp_marriage_cert", ids[1])
    store.file_document(case.id, "sp_marriage_cert", ids[4], Role.TRANSLATION)
    store.file_document(case.id, "passport", ids[0])
    store.set_not_applicable(case.id, "sp_hukou", True)
    return _content(store)


def _content(store: Store) -> dict[str, object]:
    documents = store.documents()
    return {
        "documents": [
            (d.id, d.sha256, d.title, d.issued, d.expires, d.page_settings, d.pages)
            for d in documents
        ],
        "cases": [
            (c.name, c.profile_id, c.submission_date, c.not_applicable) for c in store.cases()
        ],
        "filings": [
            (f.slot_id, f.document_id, f.role, f.position, f.parent_id is not None)
            for f in store.filings()
        ],
        "hashes": sorted(file_sha256(store.blob_path(d.sha256)) for d in documents),
    }


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_round_trip_keeps_everything(store: Store, samples: Samples, tmp_path: Path) -> None:
    before = _fill(store, samples)
    archive = tmp_path / "backups" / "yongju.tar"
    archive.parent.mkdir()
    steps: list[tuple[int, int]] = []
    result = backup_store(store, archive, progress=lambda d, t: steps.append((d, t)))
    assert (result.documents, result.cases, result.files, result.problems) == (5, 1, 5, ())
    assert _mode(archive) == 0o600 and is_backup(archive)
    assert steps[-1] == (6, 6)  # five files and the database
    assert sorted(p.name for p in archive.parent.iterdir()) == ["yongju.tar"]  # no leftovers

    target = tmp_path / "elsewhere" / "store"
    restored = restore_store(archive, target)
    assert (restored.folder, restored.documents, restored.cases) == (target, 5, 1)
    assert _mode(target) == 0o700
    assert all(_mode(p) == 0o600 for p in (target / "blobs").rglob("*") if p.is_file())
    assert all(_mode(p) == 0o700 for p in target.rglob("*") if p.is_dir())
    assert [p.name for p in target.parent.iterdir()] == ["store"]
    with Store.open(target) as copy:
        assert _content(copy) == before
        report = check_store(copy, verify=True)
        assert report.ok and not report.garbage, report


def test_a_damaged_archive_restores_nothing_and_names_the_member(
    store: Store, samples: Samples, tmp_path: Path
) -> None:
    _fill(store, samples)
    archive = tmp_path / "yongju.tar"
    backup_store(store, archive)
    with tarfile.open(archive) as tar:
        blob = next(m for m in tar.getmembers() if m.name.startswith("blobs/"))
    data = bytearray(archive.read_bytes())
    data[blob.offset_data + blob.size // 2] ^= 0x40  # one bit, inside a stored scan
    damaged = tmp_path / "damaged.tar"
    damaged.write_bytes(bytes(data))
    target = tmp_path / "restored"
    with pytest.raises(BackupError) as caught:
        restore_store(damaged, target)
    assert str(caught.value) == (
        f"The backup damaged.tar is damaged: {blob.name} does not match its recorded "
        "SHA-256; nothing was restored."
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "damaged.tar",
        "samples",
        "store",
        "yongju.tar",
    ]

    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[: blob.offset_data + 1000])
    with pytest.raises(BackupError, match=r"truncated.tar is damaged \(near blobs/.*nothing"):
        restore_store(truncated, target)
    assert not target.exists()

    not_backup = samples.pdf("not-a-backup.pdf")
    with pytest.raises(BackupError, match=r"not-a-backup\.pdf is not a Yongju backup\."):
        restore_store(not_backup, target)
    assert not target.exists()


def test_any_damage_is_refused_or_harmless(
    store: Store, samples: Samples, tmp_path: Path, chance: soak.Chance
) -> None:
    """Bytes flipped anywhere: the archive restores whole and right, or restores nothing."""
    before = _fill(store, samples)
    archive = tmp_path / "yongju.tar"
    backup_store(store, archive)
    clean = archive.read_bytes()
    refused = 0
    attempts = soak.rounds(12, 400)  # new flips each run; 150 of 150 were refused in a trial
    for attempt in range(attempts):
        data = bytearray(clean)
        for _ in range(chance.randint(1, 3)):
            data[chance.randrange(len(data))] ^= 1 << chance.randrange(8)
        damaged = tmp_path / f"damaged-{attempt}.tar"
        damaged.write_bytes(bytes(data))
        target = tmp_path / f"restored-{attempt}"
        try:
            restore_store(damaged, target)
        except BackupError as exc:
            refused += 1
            assert str(exc).endswith(("nothing was restored.", "is not a Yongju backup.")), exc
            assert not target.exists()
            continue
        with Store.open(target) as copy:  # the flip hit padding: everything is intact
            assert _content(copy) == before
    assert refused >= attempts * 3 // 4
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_members_outside_the_store_are_refused(tmp_path: Path) -> None:
    archive = tmp_path / "evil.tar"
    with tarfile.open(archive, "w") as tar:
        for name in ("yongju-backup", "../outside.txt"):
            info = tarfile.TarInfo(name)
            payload = b'{"format": 1}'
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    with pytest.raises(BackupError, match=r"unexpected member \('../outside.txt'\)"):
        restore_store(archive, tmp_path / "restored")
    assert not (tmp_path / "outside.txt").exists() and not (tmp_path / "restored").exists()


def test_restore_refuses_a_store_that_holds_anything(
    store: Store, samples: Samples, tmp_path: Path
) -> None:
    _fill(store, samples)
    archive = tmp_path / "yongju.tar"
    backup_store(store, archive)

    with Store.open(tmp_path / "busy") as busy:
        kept = import_files(busy, [samples.jpeg("kept.jpg", label="kept")])[0].document
    with pytest.raises(BackupError, match="is not empty; a backup is restored only into a new"):
        restore_store(archive, tmp_path / "busy")
    with Store.open(tmp_path / "busy") as busy:
        assert [d.sha256 for d in busy.documents()] == [kept.sha256]

    with Store.open(tmp_path / "case-only") as only_a_case:
        only_a_case.create_case("Someone", "employment")
    other = tmp_path / "papers"
    other.mkdir()
    (other / "letter.txt").write_text("mine")
    for folder in (tmp_path / "case-only", other):
        assert not store_holds_nothing(folder)
        with pytest.raises(BackupError, match="is not empty"):
            restore_store(archive, folder)
    assert (other / "letter.txt").read_text() == "mine"

    fresh = tmp_path / "fresh"  # a new computer: the window made an empty store first
    Store.open(fresh).close()
    assert store_holds_nothing(fresh)
    restore_store(archive, fresh)
    with Store.open(fresh) as copy:
        assert len(copy.documents()) == 5
    empty = tmp_path / "empty"
    empty.mkdir()
    restore_store(archive, empty)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_backup_never_replaces_a_file_it_did_not_write(
    store: Store, samples: Samples, tmp_path: Path
) -> None:
    _fill(store, samples)
    mine = tmp_path / "taxes.tar"
    mine.write_bytes(b"the user's own file")
    with pytest.raises(BackupError, match="exists and is not a Yongju backup"):
        backup_store(store, mine)
    assert mine.read_bytes() == b"the user's own file"
    with pytest.raises(BackupError, match="inside the store would be lost"):
        backup_store(store, store.folder / "backup.tar")

    archive = tmp_path / "yongju.tar"
    backup_store(store, archive)
    store.create_case("Second", "employment")
    assert backup_store(store, archive).cases == 2  # its own backup is replaced


def test_a_cancelled_backup_leaves_nothing(store: Store, samples: Samples, tmp_path: Path) -> None:
    _fill(store, samples)
    out = tmp_path / "out"
    out.mkdir()
    steps: list[int] = []
    with pytest.raises(CancelledError):
        backup_store(
            store,
            out / "yongju.tar",
            progress=lambda done, total: steps.append(done),
            cancel=lambda: len(steps) >= 2,
        )
    assert steps == [1, 2] and list(out.iterdir()) == []


def test_a_document_deleted_during_the_backup_is_left_out(
    store: Store, samples: Samples, tmp_path: Path
) -> None:
    _fill(store, samples)
    last = max(store.documents(), key=lambda d: d.sha256)  # its file is read last

    def delete_it(done: int, total: int) -> None:
        if done == 1:  # the database copy is taken: the row is in it, the file goes now
            store.delete_document(last.id)

    result = backup_store(store, tmp_path / "yongju.tar", progress=delete_it)
    assert (result.documents, result.files, result.problems) == (4, 4, ())
    restore_store(tmp_path / "yongju.tar", tmp_path / "restored")
    with Store.open(tmp_path / "restored") as copy:
        assert last.id not in {d.id for d in copy.documents()}
        assert len(copy.documents()) == 4
        assert check_store(copy, verify=True).ok


def test_a_damaged_store_is_still_backed_up_and_says_what_is_missing(
    store: Store, samples: Samples, tmp_path: Path
) -> None:
    _fill(store, samples)
    lost = store.documents()[2]
    store.blob_path(lost.sha256).unlink()
    result = backup_store(store, tmp_path / "yongju.tar")
    assert result.problems == (f"document {lost.id}: its file is missing from the store",)
    assert (result.documents, result.files) == (5, 4)
    restored = restore_store(tmp_path / "yongju.tar", tmp_path / "restored")
    assert restored.problems == result.problems
    with Store.open(tmp_path / "restored") as copy:
        report = check_store(copy)
        assert report.problems == [f"document {lost.id}: its file is missing from the store"]


WRITER = """
import sys, time
from pathlib import Path
from yongju.core.importing import import_files
from yongju.core.store import Store
from tests import soak
from tests.launcher import Child, Launcher
from tests.samples import Samples

store = Store.open(Path(sys.argv[1]))
samples = Samples(Path(sys.argv[2]))
n = 0
while not Path(sys.argv[3]).exists():
    n += 1
    doc = import_files(store, [samples.jpeg(f"w{n}.jpg", label=f"writer {n}")])[0].document
    case = store.create_case(f"Writer {n}", "employment")
    if n % 2:
        store.delete_document(doc.id)  # its blob goes too: a backup must cope
    else:
        store.file_document(case.id, "passport", doc.id)
    if n == 1:  # writing at full speed now (the first import waited for the reading worker)
        print("ready", flush=True)
print(n, flush=True)
"""


def test_backup_while_another_process_writes(
    store: Store, samples: Samples, tmp_path: Path, launcher: Launcher
) -> None:
    _fill(store, samples)
    stop = tmp_path / "stop"
    writer = launcher.popen(
        [sys.executable, "-c", WRITER, str(store.folder), str(tmp_path / "w"), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        archives = []
        for n in range(soak.rounds(3, 30)):  # each a new race with the writer
            archive = tmp_path / f"during-{n}.tar"
            result = backup_store(store, archive)
            assert result.problems == ()
            archives.append(archive)
            time.sleep(0.05)
    finally:
        stop.touch()
        out, _ = writer.communicate(timeout=120)
    assert writer.returncode == 0 and int(out.strip()) > 0
    for n, archive in enumerate(archives):
        target = tmp_path / f"restored-{n}"
        restore_store(archive, target)
        with Store.open(target) as copy:  # consistent: every row has its file, bytes right
            report = check_store(copy, verify=True)
            assert report.ok and not report.garbage, report
            names = {c.name for c in copy.cases()}
            assert "Jan Peeters" in names
            for f in copy.filings():
                assert copy.document(f.document_id)


KILLED_BACKUP = """
import sys, time
from pathlib import Path
from yongju.core.backup import backup_store
from yongju.core.store import Store

store = Store.open(Path(sys.argv[1]))
print("start", flush=True)
begun = time.monotonic()
backup_store(store, Path(sys.argv[2]))
print(time.monotonic() - begun, flush=True)
"""


def test_a_killed_backup_never_leaves_a_partial_archive(
    store: Store, samples: Samples, tmp_path: Path, launcher: Launcher, chance: soak.Chance
) -> None:
    """Killed at random points: the archive is absent or whole; the next run tidies up."""
    import signal

    scans = [
        samples.jpeg(f"page-{n}.jpg", label=f"page {n}", width=1600, height=2263) for n in range(12)
    ]
    import_files(store, scans)
    out = tmp_path / "out"
    out.mkdir()

    def start(target: Path) -> Child:
        child = launcher.popen(
            [sys.executable, "-c", KILLED_BACKUP, str(store.folder), str(target)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None and child.stdout.readline().strip() == "start"
        return child

    timing = start(out / "timing.tar")
    duration = float(timing.communicate(timeout=120)[0])
    (out / "timing.tar").unlink()
    complete: list[str] = []
    kills = soak.rounds(4, 40)
    for n in range(kills):
        target = out / f"killed-{n}.tar"
        child = start(target)
        time.sleep(chance.uniform(0, duration * 1.1))
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
        if target.exists():  # it finished before the kill: then it is whole
            complete.append(target.name)
            restored = restore_store(target, tmp_path / f"check-{n}")
            assert restored.documents == 12
        assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == complete
    assert len(complete) < kills  # most kills landed inside the backup
    backup_store(store, out / "final.tar")
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # leftovers removed


def test_a_document_deleted_during_a_backup_is_left_out_though_its_id_is_reused(
    store: Store, samples: Samples, tmp_path: Path
) -> None:
    """As found (a run of ``test_backup_while_another_process_writes`` under load): SQLite
    gives a new document the id of one deleted a moment before, so "is document 6 still
    there?" said yes for another document, and the backup called the file missing."""
    (kept,) = import_files(store, [samples.jpeg("a.jpg", label="kept")])
    (deleted,) = import_files(store, [samples.jpeg("b.jpg", label="deleted")])
    assert kept.document is not None and deleted.document is not None
    reused: list[int] = []

    def meanwhile() -> bool:  # asked once the database copy is taken
        if not reused:
            store.delete_document(deleted.document.id)
            (new,) = import_files(store, [samples.jpeg("c.jpg", label="new")])
            assert new.document is not None
            reused.append(new.document.id)
        return False

    result = backup_store(store, tmp_path / "b.tar", cancel=meanwhile)
    assert reused == [deleted.document.id]  # the deleted document's id, given again
    assert result.problems == () and result.documents == 1
    restore_store(tmp_path / "b.tar", tmp_path / "restored")
    with Store.open(tmp_path / "restored") as copy:
        assert [d.sha256 for d in copy.documents()] == [kept.document.sha256]
