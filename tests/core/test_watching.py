"""The watched folder end to end: real files, a real store, real threads, bounded waits."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import img2pdf
import pytest
from PIL import Image

from tests.clock import Clock
from yongju.core.store import Store
from yongju.core.watching import FolderWatcher, WatchAction, WatchEvent, WatchMode, WatchOptions
from yongju.core.watching.memory import SeenFile, SeenFiles

QUIET = 0.05  # each test waits it at least once; the slow scanner pauses four times longer
# Room for a wrong second import to show up: longer than a debounce, a quiet period and an
# import on a loaded machine (kept in seconds, not in quiet periods, as QUIET shrank).
SECOND_LOOK = 0.3
DEBOUNCE = 0.05  # events this close make one reconcile (the default, 0.25 s, is for people)
WAIT = 30.0  # generous bound; the tests finish as soon as the condition holds


_NEWS = threading.Condition()  # notified at each event a Recorder hears


def wait_until(condition: Callable[[], bool], timeout: float = WAIT) -> bool:
    """Waits for ``condition``: looked at again as soon as the watcher reports an event (not
    up to 50 ms later), and every 50 ms for what no event says (the watcher's mode)."""
    deadline = time.monotonic() + timeout
    with _NEWS:
        while not condition():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            _NEWS.wait(min(left, 0.05))
    return True


def jpeg(seed: int, size: tuple[int, int] = (60, 80)) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (seed % 256, seed // 256 % 256, 90))
    image.save(buffer, "JPEG", comment=f"test image {seed}")  # distinct bytes for each seed
    return buffer.getvalue()


def pdf(pages: int, seed: int = 0, size: tuple[int, int] = (300, 420)) -> bytes:
    return bytes(img2pdf.convert([jpeg(seed * 1000 + i, size) for i in range(pages)]))


class Recorder:
    """Collects events from the watcher's thread."""

    def __init__(self) -> None:
        self.events: list[WatchEvent] = []
        self._lock = threading.Lock()

    def __call__(self, event: WatchEvent) -> None:
        with self._lock:
            self.events.append(event)
        with _NEWS:  # not while holding _lock: wait_until holds _NEWS as it takes _lock
            _NEWS.notify_all()

    def actions(self, action: WatchAction) -> list[WatchEvent]:
        with self._lock:
            return [e for e in self.events if e.action is action]

    def names(self, action: WatchAction) -> list[str]:
        return sorted(e.path.name for e in self.actions(action))


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "Scans"
    folder.mkdir()
    return folder


@pytest.fixture
def watch(store: Store, inbox: Path) -> Iterator[Callable[..., tuple[FolderWatcher, Recorder]]]:
    started: list[FolderWatcher] = []

    def start(**options: object) -> tuple[FolderWatcher, Recorder]:
        recorder = Recorder()
        values: dict[str, object] = {
            "quiet_seconds": QUIET,
            "settle_seconds": 5.0,
            "debounce_seconds": DEBOUNCE,
        }
        values.update(options)
        watcher = FolderWatcher(
            store,
            inbox,
            WatchOptions(**values),  # type: ignore[arg-type]
            on_event=recorder,
        )
        watcher.start()
        started.append(watcher)
        assert wait_until(lambda: watcher.mode is not None or watcher.folder_missing)
        return watcher, recorder

    yield start
    for watcher in started:
        watcher.stop()


SCANNER = r"""
import sys, time
data = open(sys.argv[1], "rb").read()
chunks = 4  # three pauses, each longer than the quiet period
step = len(data) // chunks + 1
with open(sys.argv[2], "wb") as out:
    for i in range(chunks):
        if i:
            time.sleep(0.2)  # longer than the quiet period: stability alone would be fooled
        out.write(data[i * step:(i + 1) * step])
        out.flush()
"""


@pytest.mark.slow
def test_a_scan_written_slowly_is_imported_once_after_the_last_byte(
    watch: Callable[..., tuple[FolderWatcher, Recorder]],
    store: Store,
    inbox: Path,
    tmp_path: Path,
) -> None:
    source = tmp_path / "source.pdf"
    source.write_bytes(pdf(20))
    _, events = watch()
    scanner = subprocess.Popen(
        [sys.executable, "-c", SCANNER, str(source), str(inbox / "scan.pdf")]
    )
    try:
        assert scanner.wait(timeout=WAIT) == 0
        assert wait_until(lambda: bool(events.actions(WatchAction.IMPORTED)))
    finally:
        scanner.kill()
    time.sleep(SECOND_LOOK)
    imported = events.actions(WatchAction.IMPORTED)
    assert len(imported) == 1
    document = store.document(imported[0].document_id or 0)
    assert document.pages == 20
    assert document.size == source.stat().st_size
    assert store.document_count() == 1
    assert not events.actions(WatchAction.REFUSED)
    assert events.actions(WatchAction.WAITING), "the half-written file was noticed and held back"


# Each file costs its import (30 ms or more on a loaded machine); events for the later files
# arrive while the earlier ones are imported all the same with 30 as with 100.
BURST = 30


@pytest.mark.parametrize("poll", [None, 0.05], ids=["native", "polling"])
def test_a_burst_of_files_is_imported_exactly_once(
    watch: Callable[..., tuple[FolderWatcher, Recorder]],
    store: Store,
    inbox: Path,
    tmp_path: Path,
    poll: float | None,
) -> None:
    staging = tmp_path / "staging"
    staging.mkdir()
    for i in range(BURST):
        (staging / f"page-{i:03}.jpg").write_bytes(jpeg(i + 1))
    watcher, events = watch(poll_seconds=poll)
    assert watcher.mode is (WatchMode.POLLING if poll else WatchMode.NATIVE)
    for item in sorted(staging.iterdir()):
        shutil.copy(item, inbox / item.name)
    assert wait_until(lambda: len(events.actions(WatchAction.IMPORTED)) >= BURST, timeout=60)
    time.sleep(SECOND_LOOK)
    assert events.names(WatchAction.IMPORTED) == sorted(p.name for p in staging.iterdir())
    assert store.document_count() == BURST
    assert not events.actions(WatchAction.DUPLICATE)
    assert not events.actions(WatchAction.REFUSED)


def test_a_restart_imports_nothing_again(
    watch: Callable[..., tuple[FolderWatcher, Recorder]],
    store: Store,
    inbox: Path,
) -> None:
    for i in range(5):
        (inbox / f"old-{i}.jpg").write_bytes(jpeg(500 + i))
    first, events = watch()
    assert wait_until(lambda: len(events.actions(WatchAction.IMPORTED)) == 5)
    first.stop()

    clock = Clock()
    second = FolderWatcher(
        store,
        inbox,
        WatchOptions(quiet_seconds=QUIET),
        on_event=events,
        clock=clock,
        sleep=clock.sleep,
    )
    handled = second.run_once(max_wait=5)
    assert handled == []
    assert store.document_count() == 5
    # A new file beside the old ones is still noticed.
    (inbox / "new.jpg").write_bytes(jpeg(999))
    assert [e.action for e in second.run_once(max_wait=5)] == [WatchAction.IMPORTED]


def test_temporary_and_hidden_files_are_skipped_and_listed(
    watch: Callable[..., tuple[FolderWatcher, Recorder]],
    store: Store,
    inbox: Path,
) -> None:
    for name in ("scan.pdf.part", ".hidden.jpg", "~$form.docx", "dl.crdownload", "notes.tmp"):
        (inbox / name).write_bytes(jpeg(7))
    (inbox / "mine.jpg").write_bytes(jpeg(8))
    (inbox / "keep-out.jpg").write_bytes(jpeg(9))
    watcher, events = watch(ignore=("keep-*",))
    assert wait_until(lambda: bool(events.actions(WatchAction.IMPORTED)))
    skipped = {e.path.name: e.reason for e in watcher.skipped()}
    assert set(skipped) == {
        "scan.pdf.part",
        ".hidden.jpg",
        "~$form.docx",
        "dl.crdownload",
        "notes.tmp",
        "keep-out.jpg",
    }
    assert all(skipped.values())
    assert "keep-*" in skipped["keep-out.jpg"]
    assert events.names(WatchAction.SKIPPED) == sorted(skipped)
    assert events.names(WatchAction.IMPORTED) == ["mine.jpg"]
    assert store.document_count() == 1


def test_a_damaged_file_is_refused_with_a_reason_and_moved_aside(
    watch: Callable[..., tuple[FolderWatcher, Recorder]],
    store: Store,
    inbox: Path,
) -> None:
    good = jpeg(11)
    (inbox / "damaged.jpg").write_bytes(good[:200] + bytes(50) + good[-50:])  # ends like a JPEG
    (inbox / "letter.txt").write_text("not a scan\n")
    (inbox / "fine.jpg").write_bytes(jpeg(12))
    _, events = watch(move_files=True)
    assert wait_until(
        lambda: (
            len(events.actions(WatchAction.REFUSED)) == 2
            and bool(events.actions(WatchAction.IMPORTED))
        )
    )
    refused = {e.path.name: e for e in events.actions(WatchAction.REFUSED)}
    for name, event in refused.items():
        assert event.reason
        assert event.moved_to == inbox / "refused" / name
        assert event.moved_to.exists()
        note = inbox / "refused" / f"{name}.reason.txt"
        assert event.reason in note.read_text(encoding="utf-8")
    assert (inbox / "imported" / "fine.jpg").exists()
    assert sorted(p.name for p in inbox.iterdir()) == ["imported", "refused"]
    assert store.document_count() == 1


def test_the_folder_vanishing_and_coming_back_is_survived(
    watch: Callable[..., tuple[FolderWatcher, Recorder]],
    store: Store,
    inbox: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Looked for every 0.1 s rather than every second: the waits below end sooner.
    monkeypatch.setattr("yongju.core.watching.watcher.PRESENCE_SECONDS", 0.1)
    (inbox / "before.jpg").write_bytes(jpeg(21))
    watcher, events = watch()
    assert wait_until(lambda: len(events.actions(WatchAction.IMPORTED)) == 1)
    parked = tmp_path / "unplugged"
    inbox.rename(parked)  # the disk is pulled out
    assert wait_until(lambda: bool(events.actions(WatchAction.FOLDER_MISSING)))
    assert watcher.running and watcher.folder_missing
    parked.rename(inbox)  # ... and plugged in again, with a new scan on it
    (inbox / "after.jpg").write_bytes(jpeg(22))
    assert wait_until(lambda: len(events.actions(WatchAction.IMPORTED)) == 2)
    assert events.actions(WatchAction.FOLDER_BACK)
    assert events.names(WatchAction.IMPORTED) == ["after.jpg", "before.jpg"]
    assert store.document_count() == 2
    assert watcher.mode is WatchMode.NATIVE


def test_a_file_that_never_completes_is_refused_only_after_the_settle_time(
    store: Store,
    inbox: Path,
) -> None:
    (inbox / "stuck.pdf").write_bytes(pdf(3)[:-400])  # the scanner died mid-file
    events = Recorder()
    clock = Clock()
    watcher = FolderWatcher(
        store,
        inbox,
        WatchOptions(quiet_seconds=QUIET, settle_seconds=60),
        on_event=events,
        clock=clock,
        sleep=clock.sleep,
    )
    handled = watcher.run_once()
    assert [e.action for e in handled] == [WatchAction.WAITING, WatchAction.REFUSED]
    assert clock.slept >= 60  # waited (on the test's clock) for the whole settle time
    assert "incomplete" in handled[-1].reason
    # Refused for good (until it changes): the next pass does nothing.
    assert watcher.run_once(max_wait=2) == []


def test_a_network_share_is_polled(
    watch: Callable[..., tuple[FolderWatcher, Recorder]],
    store: Store,
    inbox: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The OS edge faked: /proc/mounts says the folder is an NFS mount.
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\nnas:/scans {inbox} nfs4 rw 0 0\n")
    monkeypatch.setattr("yongju.core.watching.mounts.MOUNTS_FILE", mounts)
    monkeypatch.setattr("yongju.core.watching.observers.DEFAULT_POLL_SECONDS", 0.05)  # not 2 s
    watcher, events = watch()
    assert watcher.mode is WatchMode.POLLING
    assert "nfs4" in watcher.mode_reason
    (inbox / "shared.jpg").write_bytes(jpeg(31))
    assert wait_until(lambda: events.names(WatchAction.IMPORTED) == ["shared.jpg"])


class _NoInotify:
    """An observer that cannot start, as when the inotify watch limit is reached."""

    def schedule(self, *args: object, **kwargs: object) -> None:
        raise OSError(28, "inotify watch limit reached")

    def stop(self) -> None:
        pass

    def is_alive(self) -> bool:
        return False


def test_polling_takes_over_when_native_events_cannot_start(
    watch: Callable[..., tuple[FolderWatcher, Recorder]],
    inbox: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("yongju.core.watching.observers.Observer", _NoInotify)
    monkeypatch.setattr("yongju.core.watching.observers.DEFAULT_POLL_SECONDS", 0.05)  # not 2 s
    watcher, events = watch()
    assert watcher.mode is WatchMode.POLLING
    assert "inotify watch limit" in watcher.mode_reason
    (inbox / "fallback.jpg").write_bytes(jpeg(32))
    assert wait_until(lambda: events.names(WatchAction.IMPORTED) == ["fallback.jpg"])


def test_the_periodic_rescan_finds_files_whose_events_were_lost(
    watch: Callable[..., tuple[FolderWatcher, Recorder]],
    inbox: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(FolderWatcher, "_changed", lambda self, event: None)  # events lost
    _, events = watch(rescan_seconds=0.2)
    (inbox / "unannounced.jpg").write_bytes(jpeg(33))
    assert wait_until(lambda: events.names(WatchAction.IMPORTED) == ["unannounced.jpg"])


def test_refused_files_are_listed_after_a_restart_and_can_be_retried(
    store: Store, inbox: Path
) -> None:
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really a PDF\n%%EOF\n")
    options = WatchOptions(quiet_seconds=QUIET)
    clock = Clock()
    first = FolderWatcher(store, inbox, options, clock=clock, sleep=clock.sleep)
    assert [e.action for e in first.run_once(max_wait=5)] == [WatchAction.REFUSED]

    second = FolderWatcher(store, inbox, options, clock=clock, sleep=clock.sleep)
    assert second.run_once(max_wait=5) == []  # not refused again on every start...
    listed = second.refused()  # ... but still listed, with its reason
    assert [e.path.name for e in listed] == ["broken.pdf"]
    assert listed[0].reason
    second.retry(inbox / "broken.pdf")
    assert [e.action for e in second.run_once(max_wait=5)] == [WatchAction.REFUSED]


def test_files_gone_for_a_month_are_forgotten_and_recent_ones_kept(
    store: Store, inbox: Path
) -> None:
    memory = SeenFiles(store, str(inbox))
    long_ago = dt.datetime(2020, 1, 1)
    memory.put_all(
        [
            SeenFile("gone-long-ago.pdf", 10, 1, None, "imported", handled_at=long_ago),
            SeenFile("gone-yesterday.pdf", 10, 1, None, "imported"),
        ]
    )
    clock = Clock()
    watcher = FolderWatcher(store, inbox, WatchOptions(), clock=clock, sleep=clock.sleep)
    watcher.run_once(max_wait=2)
    kept = SeenFiles(store, str(inbox))
    assert kept.get("gone-long-ago.pdf") is None
    assert kept.get("gone-yesterday.pdf") is not None


def test_the_same_bytes_under_two_names_make_one_document(store: Store, inbox: Path) -> None:
    (inbox / "a.jpg").write_bytes(jpeg(41))
    (inbox / "a copy.jpg").write_bytes(jpeg(41))
    clock = Clock()
    watcher = FolderWatcher(store, inbox, WatchOptions(), clock=clock, sleep=clock.sleep)
    handled = watcher.run_once(max_wait=5)
    assert sorted(e.action for e in handled) == [WatchAction.DUPLICATE, WatchAction.IMPORTED]
    assert len({e.document_id for e in handled}) == 1
    assert store.document_count() == 1
