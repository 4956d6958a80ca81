"""The reconciler pass by pass, on a clock the test turns: real files and store, no sleeping."""

from __future__ import annotations

import errno
import io
import itertools
import types
from collections.abc import Callable
from pathlib import Path

import img2pdf
import pytest
from PIL import Image

from tests.clock import Clock
from yongju.core import blobs
from yongju.core.store import Store
from yongju.core.watching import WatchAction, WatchEvent, WatchOptions
from yongju.core.watching.reconcile import MAX_BACKOFF_SECONDS, Reconciler

QUIET = 3.0
SETTLE = 60.0


def jpeg(seed: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 50), (seed % 256, 60, 90)).save(buffer, "JPEG", comment=f"r{seed}")
    return buffer.getvalue()


def pdf(seed: int) -> bytes:
    return bytes(img2pdf.convert(jpeg(seed)))


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "Scans"
    folder.mkdir()
    return folder


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def reconciler(store: Store, inbox: Path, clock: Clock) -> Callable[..., Reconciler]:
    def make(**options: object) -> Reconciler:
        values: dict[str, object] = {"quiet_seconds": QUIET, "settle_seconds": SETTLE}
        values.update(options)
        return Reconciler(store, inbox, WatchOptions(**values), clock=clock)  # type: ignore[arg-type]

    return make


def actions(events: list[WatchEvent]) -> list[tuple[str, WatchAction]]:
    return [(e.path.name, e.action) for e in events]


def test_a_file_is_imported_once_it_has_been_left_alone_for_the_quiet_time(
    reconciler: Callable[..., Reconciler], store: Store, inbox: Path, clock: Clock
) -> None:
    watching = reconciler()
    (inbox / "scan.jpg").write_bytes(jpeg(1))
    assert watching.reconcile() == []  # seen: from now on it must stay unchanged
    assert watching.next_due() == clock.now + QUIET
    [waiting] = watching.waiting()
    assert (waiting.path.name, waiting.reason) == ("scan.jpg", "waiting until it stops changing")
    clock.now += QUIET - 0.1
    assert watching.reconcile() == []
    clock.now += 0.1
    heard: list[WatchEvent] = []
    events = watching.reconcile(on_event=heard.append)
    assert actions(events) == [("scan.jpg", WatchAction.IMPORTED)] and heard == events
    assert watching.next_due() is None and watching.waiting() == []
    assert store.document_count() == 1
    clock.now += 3600
    assert watching.reconcile() == []  # remembered: never imported twice


def test_a_file_still_growing_is_said_to_be_written_once_and_then_imported_whole(
    reconciler: Callable[..., Reconciler], store: Store, inbox: Path, clock: Clock
) -> None:
    watching = reconciler()
    whole = pdf(2)
    scan = inbox / "scan.pdf"
    scan.write_bytes(whole[:100])
    watching.reconcile()
    for end in (400, 800):
        clock.now += 1.0
        with scan.open("r+b") as out:
            out.seek(0, 2)
            out.write(whole[out.tell() : end])
        events = watching.reconcile()
        expected = [("scan.pdf", WatchAction.WAITING)] if end == 400 else []
        assert actions(events) == expected  # the reason is said once, not on every pass
    assert events == [] and watching.waiting()[0].reason == "still being written"
    scan.write_bytes(whole)
    clock.now += 1.0
    assert watching.reconcile() == []
    clock.now += QUIET
    [imported] = watching.reconcile()
    assert imported.action is WatchAction.IMPORTED
    assert store.document(imported.document_id or 0).size == len(whole)


def test_a_file_removed_before_it_settled_is_no_longer_waited_for(
    reconciler: Callable[..., Reconciler], inbox: Path, clock: Clock
) -> None:
    watching = reconciler()
    (inbox / "gone.jpg").write_bytes(jpeg(3))
    watching.reconcile()
    (inbox / "gone.jpg").unlink()
    clock.now += 1.0
    assert watching.reconcile() == []
    assert watching.next_due() is None and watching.waiting() == []


def test_a_cut_off_file_is_retried_with_backoff_and_refused_only_after_the_settle_time(
    reconciler: Callable[..., Reconciler], store: Store, inbox: Path, clock: Clock
) -> None:
    watching = reconciler()
    whole = pdf(4)
    (inbox / "stuck.pdf").write_bytes(whole[:-400])  # the scanner died mid-file
    start = clock.now
    watching.reconcile()
    checks = []
    events: list[WatchEvent] = []
    while not any(e.action is WatchAction.REFUSED for e in events):
        due = watching.next_due()
        assert due is not None
        clock.now = due
        checks.append(due - start)
        events += watching.reconcile()
    delays = [b - a for a, b in itertools.pairwise(checks)]
    assert delays[:3] == [QUIET * 2, QUIET * 4, QUIET * 8]  # backing off ...
    assert max(delays) <= MAX_BACKOFF_SECONDS
    assert checks[-1] == SETTLE  # ... but looked at once more when the settle time is over
    assert actions(events) == [("stuck.pdf", WatchAction.WAITING), ("stuck.pdf", "refused")]
    assert events[0].reason == (
        f"the PDF declares {len(whole)} bytes, {len(whole) - 400} are there so far"
    )
    assert "incomplete" in events[1].reason
    assert [e.path.name for e in watching.refused()] == ["stuck.pdf"]
    assert store.document_count() == 0
    clock.now += 3600
    assert watching.reconcile() == [] and len(watching.refused()) == 1


def test_a_refusal_that_may_mean_unfinished_waits_for_the_settle_time(
    reconciler: Callable[..., Reconciler], inbox: Path, clock: Clock
) -> None:
    """A JPEG with bytes after its end marker may still be written: refused only when old."""
    watching = reconciler()
    (inbox / "odd.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(300) + b"\xff\xd9" + b"more")
    watching.reconcile()
    clock.now += QUIET
    [waiting] = watching.reconcile()
    assert waiting.action is WatchAction.WAITING
    assert waiting.reason.startswith("not readable yet (")
    clock.now += SETTLE
    [refused] = watching.reconcile()
    assert refused.action is WatchAction.REFUSED and refused.reason in waiting.reason


def test_a_cancelled_pass_leaves_the_rest_for_the_next(
    reconciler: Callable[..., Reconciler], store: Store, inbox: Path, clock: Clock
) -> None:
    watching = reconciler()
    for seed in (5, 6):
        (inbox / f"{seed}.jpg").write_bytes(jpeg(seed))
    watching.reconcile()
    clock.now += QUIET
    asked = iter([False, True])
    events = watching.reconcile(cancel=lambda: next(asked))
    assert actions(events) == [("5.jpg", WatchAction.IMPORTED)]
    assert watching.next_due() == clock.now  # still due
    assert actions(watching.reconcile()) == [("6.jpg", WatchAction.IMPORTED)]
    assert store.document_count() == 2


def test_a_file_deleted_just_before_it_is_read_is_refused_as_unreadable(
    reconciler: Callable[..., Reconciler], inbox: Path, clock: Clock
) -> None:
    watching = reconciler()
    (inbox / "brief.jpg").write_bytes(jpeg(7))
    watching.reconcile()
    clock.now += SETTLE + 1  # it was left alone long enough for a final verdict

    def delete_first() -> bool:
        (inbox / "brief.jpg").unlink(missing_ok=True)
        return False

    [event] = watching.reconcile(cancel=delete_first)
    assert event.action is WatchAction.REFUSED
    assert event.reason == "the file does not exist"
    remembered = watching.memory.get("brief.jpg")
    assert remembered is not None and remembered.sha256 is None  # nothing left to hash


def test_a_read_only_store_is_an_error_tried_again_later_not_a_refusal(
    reconciler: Callable[..., Reconciler],
    store: Store,
    inbox: Path,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def read_only(*_args: object, **_kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EROFS, "Read-only file system")

    watching = reconciler()
    (inbox / "scan.jpg").write_bytes(jpeg(8))
    watching.reconcile()
    clock.now += QUIET
    # The OS edge: the store's disk is read-only (root ignores permissions, so it is faked).
    monkeypatch.setattr(blobs, "tempfile", types.SimpleNamespace(mkstemp=read_only))
    [error] = watching.reconcile()
    assert error.action is WatchAction.ERROR
    assert "is read-only" in error.reason and error.reason.endswith("; trying again later")
    assert watching.refused() == [] and store.document_count() == 0
    monkeypatch.undo()
    due = watching.next_due()
    assert due is not None and due > clock.now
    clock.now = due
    assert actions(watching.reconcile()) == [("scan.jpg", WatchAction.IMPORTED)]


def test_moving_stops_while_imported_is_a_file_and_says_so_once(
    reconciler: Callable[..., Reconciler], inbox: Path, clock: Clock
) -> None:
    watching = reconciler(move_files=True)
    (inbox / "imported").write_text("a file where the folder should be")
    (inbox / "a.jpg").write_bytes(jpeg(9))
    watching.reconcile()
    clock.now += QUIET
    events = watching.reconcile()
    assert actions(events) == [
        ("Scans", WatchAction.ERROR),
        ("a.jpg", WatchAction.IMPORTED),
        ("imported", WatchAction.REFUSED),  # the file itself is looked at like any other
    ]
    assert events[0].reason == (
        "imported is a file, not a folder, so moving is stopped (move it away)"
    )
    assert events[1].reason == "left in place: moving is stopped" and events[1].moved_to is None
    (inbox / "b.jpg").write_bytes(jpeg(10))
    watching.reconcile()
    clock.now += QUIET
    assert actions(watching.reconcile()) == [("b.jpg", WatchAction.IMPORTED)]  # said once
    assert (inbox / "a.jpg").is_file() and (inbox / "b.jpg").is_file()
    (inbox / "imported").unlink()
    (inbox / "imported").symlink_to(inbox / "a.jpg")  # another problem: said again
    (inbox / "c.jpg").write_bytes(jpeg(19))
    watching.reconcile()
    clock.now += QUIET
    events = watching.reconcile()
    assert actions(events) == [("Scans", WatchAction.ERROR), ("c.jpg", WatchAction.IMPORTED)]
    assert "imported/ is a symbolic link" in events[0].reason


def test_a_link_swapped_in_during_the_pass_stops_moving_for_the_rest(
    reconciler: Callable[..., Reconciler], inbox: Path, tmp_path: Path, clock: Clock
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (inbox / "imported").mkdir()
    watching = reconciler(move_files=True)
    (inbox / "a.jpg").write_bytes(jpeg(11))
    (inbox / "b.txt").write_text("not a scan")
    watching.reconcile()
    clock.now += QUIET

    def swap_once() -> bool:  # after the pass looked at its folders, before the first move
        if not (inbox / "imported").is_symlink():
            (inbox / "imported").rmdir()
            (inbox / "imported").symlink_to(elsewhere)
        return False

    events = watching.reconcile(cancel=swap_once)
    assert actions(events) == [
        ("Scans", WatchAction.ERROR),
        ("a.jpg", WatchAction.IMPORTED),
        ("b.txt", WatchAction.REFUSED),
    ]
    assert "imported/ is a symbolic link" in events[0].reason
    assert events[1].reason == "left in place: moving is stopped"
    assert events[2].reason.endswith("; left in place: moving is stopped")
    assert list(elsewhere.iterdir()) == [] and (inbox / "a.jpg").is_file()


def test_a_file_that_cannot_be_moved_stays_and_the_event_says_why(
    reconciler: Callable[..., Reconciler], inbox: Path, clock: Clock
) -> None:
    (inbox / "passport").mkdir()
    (inbox / "imported").mkdir()
    (inbox / "imported" / "passport").write_text("a file where a folder must go")
    watching = reconciler(move_files=True)
    (inbox / "passport" / "scan.jpg").write_bytes(jpeg(12))
    watching.reconcile()
    clock.now += QUIET
    [event] = watching.reconcile()
    assert event.action is WatchAction.IMPORTED and event.moved_to is None
    assert event.reason == "could not be moved to imported/: Not a directory"
    assert (inbox / "passport" / "scan.jpg").is_file()


def test_skipped_files_are_said_once_and_listed_while_they_are_there(
    reconciler: Callable[..., Reconciler], inbox: Path, clock: Clock
) -> None:
    watching = reconciler()
    (inbox / ".hidden.jpg").write_bytes(jpeg(13))
    [skipped] = watching.reconcile()
    assert (skipped.path.name, skipped.action) == (".hidden.jpg", WatchAction.SKIPPED)
    clock.now += QUIET
    assert watching.reconcile() == []
    assert [e.path.name for e in watching.skipped()] == [".hidden.jpg"]
    (inbox / ".hidden.jpg").unlink()
    assert watching.reconcile() == [] and watching.skipped() == []


def test_handled_files_are_moved_aside_and_refused_ones_keep_their_reason(
    reconciler: Callable[..., Reconciler], inbox: Path, clock: Clock
) -> None:
    watching = reconciler(move_files=True)
    (inbox / "scan.jpg").write_bytes(jpeg(14))
    (inbox / "letter.txt").write_text("not a scan")
    watching.reconcile()
    clock.now += QUIET
    events = {e.path.name: e for e in watching.reconcile()}
    assert events["scan.jpg"].moved_to == inbox / "imported" / "scan.jpg"
    refused = events["letter.txt"]
    assert refused.action is WatchAction.REFUSED and refused.moved_to is not None
    assert refused.reason in (inbox / "refused" / "letter.txt.reason.txt").read_text("utf-8")
    assert sorted(p.name for p in inbox.iterdir()) == ["imported", "refused"]
    assert watching.refused() == []  # moved away: nothing left to list
    clock.now += 3600
    assert watching.reconcile() == []  # its own folders are not looked into


def test_a_refused_file_is_listed_after_a_restart_and_looked_at_again_when_forgotten(
    reconciler: Callable[..., Reconciler], inbox: Path, clock: Clock
) -> None:
    (inbox / "letter.txt").write_text("not a scan")
    first = reconciler()
    first.reconcile()
    clock.now += QUIET
    assert actions(first.reconcile()) == [("letter.txt", WatchAction.REFUSED)]
    second = reconciler()
    assert second.reconcile() == []
    assert [(e.path.name, e.reason) for e in second.refused()] == [
        ("letter.txt", first.refused()[0].reason)
    ]
    second.forget(["letter.txt"])
    second.reconcile()
    clock.now += QUIET
    assert actions(second.reconcile()) == [("letter.txt", WatchAction.REFUSED)]


def test_forgetting_what_was_pending_starts_afresh(
    reconciler: Callable[..., Reconciler], inbox: Path, clock: Clock
) -> None:
    watching = reconciler()
    (inbox / "a.jpg").write_bytes(jpeg(15))
    (inbox / ".b.jpg").write_bytes(jpeg(16))
    watching.reconcile()
    assert watching.waiting() and watching.skipped()
    watching.forget_pending()  # the folder went away
    assert watching.waiting() == [] and watching.skipped() == []
    assert watching.next_due() is None
    assert actions(watching.reconcile()) == [(".b.jpg", WatchAction.SKIPPED)]  # said again


@pytest.mark.parametrize("case", [None, "Anna", "nobody by that name"])
def test_a_slot_subfolder_files_the_document_and_suggestions_come_from_the_cases_profiles(
    store: Store, inbox: Path, clock: Clock, profiles, case: str | None
) -> None:
    anna = store.create_case("Anna", "spouse_of_chinese_citizen")
    (inbox / "Anna" / "passport").mkdir(parents=True)
    (inbox / "Anna" / "passport" / "scan.jpg").write_bytes(jpeg(17))
    (inbox / "marriage certificate.jpg").write_bytes(jpeg(18))
    options = WatchOptions(quiet_seconds=QUIET, settle_seconds=SETTLE, case=case)
    watching = Reconciler(store, inbox, options, profiles=profiles, clock=clock)
    watching.reconcile()
    clock.now += QUIET
    events = {e.path.name: e for e in watching.reconcile()}
    assert (events["scan.jpg"].case_id, events["scan.jpg"].slot_id) == (anna.id, "passport")
    assert [f.slot_id for f in store.filings(anna.id)] == ["passport"]
    [inboxed] = store.inbox()
    assert inboxed.original_name == "marriage certificate.jpg"
    assert inboxed.suggested_slot == "sp_marriage_cert"  # a slot of the cases' profile
