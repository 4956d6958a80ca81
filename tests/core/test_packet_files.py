"""The packet's files: the hashing thread, unnamed and hidden temporary files, their clean-up
and the checks of the written packet, each at the edges where the system says no."""

from __future__ import annotations

import errno
import hashlib
import os
import queue
import stat
import threading
import time
from pathlib import Path

import pikepdf
import pytest

from tests.samples import Samples
from yongju.core.errors import ExportError
from yongju.core.packet import PacketDocument, inputs
from yongju.core.packet import files as packet_files
from yongju.core.packet.files import PacketFile, Scratch, Worker, remove_stale, verify
from yongju.core.packet.inputs import InputCheck
from yongju.core.packet.pdfwriter import FileRange
from yongju.core.records import MediaType


def _failed(exc: BaseException) -> ExportError:
    return ExportError(f"failed: {exc}")


# ----------------------------------------------------------------------------- Worker
def test_a_stopped_worker_refuses_jobs_and_closes_their_descriptors(tmp_path: Path) -> None:
    worker = Worker("test", _failed)
    ran: list[int] = []
    worker.submit(lambda: ran.append(1))
    worker.finish()
    worker.stop()  # idempotent
    fd = os.open(tmp_path, os.O_RDONLY)
    with pytest.raises(ExportError, match="failed: the thread has stopped"):
        worker.submit(lambda: ran.append(2), fd)
    with pytest.raises(OSError, match="Bad file descriptor"):
        os.fstat(fd)  # closed for the caller, who handed it over
    assert ran == [1]


def test_a_dead_worker_thread_never_hangs_whoever_feeds_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Worker, "PUT_WAIT", 0.05)  # each wait on the full queue, shortened
    worker = Worker("test", _failed)
    worker.stop()  # the real thread ends; make it look as if it had died while running
    worker._stopped = False
    worker._queue = queue.Queue(maxsize=1)
    worker._queue.put(None)  # full, and nobody takes from it
    started = time.monotonic()
    with pytest.raises(ExportError, match="the thread has stopped"):
        worker.submit(lambda: None)
    worker.stop()  # cannot queue its end either: returns without waiting
    assert time.monotonic() - started < 5


def test_after_a_failed_job_the_queued_ones_are_dropped() -> None:
    worker = Worker("test", _failed)
    go = threading.Event()
    ran: list[int] = []

    def fail() -> None:
        go.wait(10)
        raise OSError(errno.EIO, "Input/output error")

    worker.submit(fail)
    worker.submit(lambda: ran.append(1))  # queued behind the job that will fail
    go.set()
    with pytest.raises(ExportError, match="Input/output error"):
        worker.finish()
    assert ran == []


def test_a_discarding_stop_drops_the_queued_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    worker = Worker("test", _failed)
    started, go = threading.Event(), threading.Event()
    ran: list[int] = []
    worker.submit(lambda: (started.set(), go.wait(10), ran.append(1)))
    worker.submit(lambda: ran.append(2))
    assert started.wait(10)  # the first job runs; the second is queued behind it
    join = worker._join

    def join_once_the_first_job_may_end() -> None:
        go.set()  # the first job ends once the stop has begun (its end queued), not before
        join()

    monkeypatch.setattr(worker, "_join", join_once_the_first_job_may_end)
    worker.stop(discard=True)
    assert go.is_set() and ran == [1]


def test_a_full_queue_waits_for_the_thread_instead_of_failing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Worker, "PUT_WAIT", 0.01)
    worker = Worker("test", _failed)
    go = threading.Event()
    ran: list[int] = []
    worker.submit(lambda: go.wait(10))
    for number in range(64):  # fills the bounded queue behind the waiting job
        worker.submit(lambda number=number: ran.append(number))  # type: ignore[misc]
    put, full = worker._queue.put, [0]

    def put_freed_after_two_waits(*args: object, **kwargs: object) -> None:
        try:
            put(*args, **kwargs)  # type: ignore[arg-type]
        except queue.Full:
            full[0] += 1
            if full[0] == 2:  # later than one put's wait: it waited again
                go.set()
            raise

    monkeypatch.setattr(worker._queue, "put", put_freed_after_two_waits)
    worker.submit(lambda: ran.append(64))
    worker.finish()
    assert ran == list(range(65)) and full[0] == 2


def test_a_wakeup_lost_to_an_interrupt_never_hangs_the_stop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Found by the SIGTERM round of test_killing_the_export_never_leaves_a_file...: an
    interrupt (Ctrl-C, or the SIGTERM ``yongju export`` turns into one) raised inside
    ``queue.put`` between waking the thread's waiter and taking it off the condition's list
    leaves it there, stale. The next put then wakes that stale waiter instead of the
    thread, which sleeps on a queue holding its stop, and the stop waited for it forever
    (the export hung, holding the store)."""
    monkeypatch.setattr(Worker, "PUT_WAIT", 0.05)
    worker = Worker("test", _failed)
    not_empty = worker._queue.not_empty
    deadline = time.monotonic() + 10
    while not not_empty._waiters and time.monotonic() < deadline:  # type: ignore[attr-defined]
        time.sleep(0.01)  # the thread waits for a job
    stale = threading.Lock()
    stale.acquire()
    not_empty._waiters.appendleft(stale)  # type: ignore[attr-defined]
    stopped = threading.Thread(target=worker.stop, daemon=True)
    stopped.start()
    stopped.join(10)
    assert not stopped.is_alive(), "the stop hung"
    assert not worker._thread.is_alive()


# ----------------------------------------------------------------------------- PacketFile
@pytest.fixture
def out_fd(tmp_path: Path):  # type: ignore[no-untyped-def]
    fd = os.open(tmp_path / "out.bin", os.O_RDWR | os.O_CREAT, 0o600)
    yield fd
    os.close(fd)


def test_the_packet_file_hashes_exactly_what_it_wrote(tmp_path: Path, out_fd: int) -> None:
    source = tmp_path / "scan.bin"
    source.write_bytes(os.urandom(300_000))
    out = PacketFile(out_fd)
    out.flush()  # nothing yet: nothing written
    out.write(b"head")
    out.write(b"x" * 70_000)  # past the batch size: written at once
    fd = os.open(source, os.O_RDONLY)
    try:
        out.copy_range(FileRange(fd, 1000, 250_000))
    finally:
        os.close(fd)
    out.write(b"tail")
    digest = out.hexdigest()
    out.close()
    written = (tmp_path / "out.bin").read_bytes()
    expected = b"head" + b"x" * 70_000 + source.read_bytes()[1000:251_000] + b"tail"
    assert written == expected
    assert digest == hashlib.sha256(expected).hexdigest()


def test_copying_through_memory_when_the_kernel_cannot(
    tmp_path: Path, out_fd: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> int:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(packet_files.os, "copy_file_range", refuse)
    source = tmp_path / "scan.bin"
    source.write_bytes(b"0123456789" * 1000)
    out = PacketFile(out_fd)
    fd = os.open(source, os.O_RDONLY)
    try:
        out.copy_range(FileRange(fd, 5, 9000))
        out.copy_range(FileRange(fd, 0, 10))  # through memory from then on
    finally:
        os.close(fd)
    digest = out.hexdigest()
    out.close()
    expected = source.read_bytes()[5:9005] + b"0123456789"
    assert (tmp_path / "out.bin").read_bytes() == expected
    assert digest == hashlib.sha256(expected).hexdigest()


def test_an_input_that_shrank_while_copied_stops_the_packet(tmp_path: Path, out_fd: int) -> None:
    source = tmp_path / "scan.bin"
    source.write_bytes(b"a" * 1000)
    out = PacketFile(out_fd)
    fd = os.open(source, os.O_RDONLY)
    try:
        with pytest.raises(ExportError, match="An input file changed while the packet"):
            out.copy_range(FileRange(fd, 0, 5000))
    finally:
        os.close(fd)
        out.close()


def test_a_hashing_failure_is_one_sentence(
    tmp_path: Path, out_fd: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(digest: object, fd: int, offset: int, length: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(packet_files, "hash_range", unreadable)
    source = tmp_path / "scan.bin"
    source.write_bytes(b"a" * 1000)
    out = PacketFile(out_fd)
    fd = os.open(source, os.O_RDONLY)
    try:
        out.copy_range(FileRange(fd, 0, 1000))
    finally:
        os.close(fd)
    with pytest.raises(ExportError) as raised:
        out.hexdigest()
    out.close()
    assert str(raised.value) == (
        "The packet's checksum could not be computed (Input/output error); nothing was written."
    )


@pytest.mark.parametrize(
    ("exc", "why"),
    [
        (OSError(errno.EIO, "Input/output error"), "Input/output error"),
        (ValueError("first line\nsecond"), "first line"),
        (RuntimeError(), "RuntimeError"),
    ],
)
def test_a_failure_is_told_in_its_first_line(exc: BaseException, why: str) -> None:
    assert packet_files._why(exc) == why


# ----------------------------------------------------------------------------- Scratch
def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_an_unnamed_file_is_linked_into_place_over_an_older_packet(tmp_path: Path) -> None:
    target = tmp_path / "packet.pdf"
    target.write_bytes(b"older")
    scratch = Scratch.on_disk(tmp_path, target.name)
    assert scratch.named is None and _names(tmp_path) == ["packet.pdf"]  # no name yet
    scratch.write_all(b"%PDF-new")
    scratch.place(target)
    scratch.close()
    assert target.read_bytes() == b"%PDF-new" and _names(tmp_path) == ["packet.pdf"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_failed_rename_over_an_older_packet_leaves_it_and_no_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "packet.pdf"
    target.write_bytes(b"older")
    scratch = Scratch.on_disk(tmp_path, target.name)
    scratch.write_all(b"%PDF-new")

    def refuse(*args: object, **kw: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(packet_files.os, "replace", refuse)
    with pytest.raises(OSError, match="No space left"):
        scratch.place(target)
    scratch.close()
    assert target.read_bytes() == b"older" and _names(tmp_path) == ["packet.pdf"]


def _no_unnamed_files(monkeypatch: pytest.MonkeyPatch, error: int) -> None:
    real_open = os.open

    def opening(path: object, flags: int, *args: object, **kw: object) -> int:
        if flags & getattr(os, "O_TMPFILE", 0) == getattr(os, "O_TMPFILE", -1):
            raise OSError(error, os.strerror(error))
        return real_open(path, flags, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(packet_files.os, "open", opening)


def test_where_unnamed_files_are_refused_a_hidden_locked_part_file_stands_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_unnamed_files(monkeypatch, errno.EOPNOTSUPP)
    target = tmp_path / "packet.pdf"
    scratch = Scratch.on_disk(tmp_path, target.name)
    assert scratch.named is not None and scratch.named.parent == tmp_path
    assert packet_files.LEFTOVER.match(scratch.named.name)
    assert stat.S_IMODE(scratch.named.stat().st_mode) == 0o600
    other = os.open(scratch.named, os.O_RDONLY)
    try:  # locked while in use: the next export's clean-up cannot take it
        with pytest.raises(BlockingIOError):
            packet_files.fcntl.flock(other, packet_files.fcntl.LOCK_EX | packet_files.fcntl.LOCK_NB)
    finally:
        os.close(other)
    assert scratch.path == str(scratch.named)
    scratch.write_all(b"%PDF-1.7")
    scratch.place(target)
    scratch.close()
    assert target.read_bytes() == b"%PDF-1.7" and _names(tmp_path) == ["packet.pdf"]


def test_a_part_file_not_placed_is_removed_when_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packet_files, "_unnamed_ok", lambda: False)
    monkeypatch.setattr(packet_files, "fcntl", None)  # as on Windows: no lock to take
    scratch = Scratch.on_disk(tmp_path, "packet.pdf")
    assert scratch.named is not None and scratch.named.exists()
    scratch.close()
    assert _names(tmp_path) == [] and scratch.named is None
    scratch.close()  # twice is harmless


def test_any_other_refusal_of_an_unnamed_file_is_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_unnamed_files(monkeypatch, errno.EACCES)
    with pytest.raises(PermissionError):
        Scratch.on_disk(tmp_path, "packet.pdf")
    assert _names(tmp_path) == []


def test_without_memfd_an_in_memory_file_goes_to_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> int:
        raise OSError(errno.EMFILE, "Too many open files")

    monkeypatch.setattr(packet_files.os, "memfd_create", refuse)
    scratch = Scratch.in_memory(tmp_path, "packet.pdf")
    try:
        assert scratch.path.startswith("/proc/self/fd/")
        assert os.readlink(scratch.path).startswith(str(tmp_path))  # an unnamed disk file
    finally:
        scratch.close()


def test_a_system_without_memfd_writes_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(packet_files.os, "memfd_create")
    scratch = Scratch.in_memory(tmp_path, "packet.pdf")
    try:
        assert os.readlink(scratch.path).startswith(str(tmp_path))
    finally:
        scratch.close()


def test_stream_rewrites_the_file_from_its_start(tmp_path: Path) -> None:
    scratch = Scratch.in_memory(tmp_path, "packet.pdf")
    try:
        scratch.write_all(b"a much longer first attempt")
        with scratch.stream() as stream:
            stream.write(b"second")
        assert scratch.size == 6
        assert os.pread(scratch.fd, 100, 0) == b"second"
    finally:
        scratch.close()


# ----------------------------------------------------------------------------- remove_stale
def _leftover(folder: Path, name: str, age_s: float) -> Path:
    path = folder / name
    path.write_bytes(b"partial")
    when = time.time() - age_s
    os.utime(path, (when, when))
    return path


def test_leftovers_nobody_holds_are_removed_and_the_rest_kept(tmp_path: Path) -> None:
    old = _leftover(tmp_path, ".packet.pdf.abc123.part", 60)
    fresh = _leftover(tmp_path, ".packet.pdf.def456.part", 0)  # its creator may lock it yet
    held = _leftover(tmp_path, ".packet.pdf.ghi789.part.enc", 60)
    mine = _leftover(tmp_path, "packet.pdf", 60)  # not a leftover's name
    (tmp_path / ".other.pdf.xyz.part").mkdir()  # a folder by that name is not ours
    fd = os.open(held, os.O_RDONLY)
    try:
        packet_files.fcntl.flock(fd, packet_files.fcntl.LOCK_EX)  # an export still running
        remove_stale(tmp_path)
    finally:
        os.close(fd)
    assert not old.exists()
    assert fresh.exists() and held.exists() and mine.exists()
    assert (tmp_path / ".other.pdf.xyz.part").is_dir()


def test_without_locks_only_hour_old_leftovers_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packet_files, "fcntl", None)
    old = _leftover(tmp_path, ".packet.pdf.abc123.part", packet_files.STALE_AFTER_S + 60)
    recent = _leftover(tmp_path, ".packet.pdf.manifest.json.def456.part", 600)
    remove_stale(tmp_path)
    assert not old.exists() and recent.exists()


def test_a_folder_that_cannot_be_listed_has_nothing_to_clean(tmp_path: Path) -> None:
    remove_stale(tmp_path / "missing")  # no error: the export says what is wrong instead


# ----------------------------------------------------------------------------- verify
def _outlined(tmp_path: Path, pages: int, bookmarks: int) -> Path:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page()
    with pdf.open_outline() as outline:
        outline.root.extend(pikepdf.OutlineItem(f"b{n}", 0) for n in range(bookmarks))
    path = tmp_path / "written.pdf"
    pdf.save(path)
    return path


def test_verify_accepts_the_packet_that_was_meant(tmp_path: Path) -> None:
    verify(str(_outlined(tmp_path, 3, 2)), 3, 2, None)


def test_verify_refuses_other_pages_other_bookmarks_or_no_pdf(
    tmp_path: Path, samples: Samples
) -> None:
    path = str(_outlined(tmp_path, 3, 2))
    with pytest.raises(ExportError, match="has 3 pages instead of 4"):
        verify(path, 4, 2, None)
    with pytest.raises(ExportError, match="has 2 bookmarks instead of 1"):
        verify(path, 3, 1, None)
    with pytest.raises(ExportError, match="did not reopen"):
        verify(str(samples.damaged_pdf()), 3, 2, None)


def test_no_thread_is_left_behind(tmp_path: Path, out_fd: int) -> None:
    before = threading.active_count()
    out = PacketFile(out_fd)
    out.write(b"x")
    out.hexdigest()
    out.close()
    assert threading.active_count() == before


# ----------------------------------------------------------------------------- inputs
def _input(path: Path, sha256: str = "") -> PacketDocument:
    return PacketDocument(path, MediaType.PDF, "Bank statement", "s", sha256=sha256)


def test_inputs_are_hashed_once_and_matched_against_the_store(samples: Samples) -> None:
    path = samples.pdf()
    check = InputCheck()
    try:
        document = _input(path, hashlib.sha256(path.read_bytes()).hexdigest())
        check.submit(document)
        check.submit(document)  # the same file again: hashed once
        assert check.finish() == {path: document.sha256}
        assert check.explain() is None
    finally:
        check.close()


def test_a_missing_input_the_store_never_had_is_named_by_its_path(tmp_path: Path) -> None:
    check = InputCheck()
    try:
        with pytest.raises(ExportError) as raised:
            check.submit(_input(tmp_path / "gone.pdf"))
        assert str(raised.value) == (
            f"'Bank statement' cannot be read: {tmp_path / 'gone.pdf'} does not exist."
        )
    finally:
        check.close()


def test_an_input_that_cannot_be_opened_is_one_sentence(
    samples: Samples, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kw: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(inputs.os, "open", refuse)
    check = InputCheck()
    try:
        with pytest.raises(ExportError) as raised:
            check.submit(_input(samples.pdf()))
        assert str(raised.value) == (
            "'Bank statement' cannot be read (Permission denied); nothing was exported."
        )
    finally:
        check.close()


def test_an_unexpected_hashing_failure_is_still_one_sentence(
    samples: Samples, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(fd: int) -> str:
        raise ValueError("digest unavailable")

    monkeypatch.setattr(inputs, "fd_sha256", broken)
    check = InputCheck()
    try:
        check.submit(_input(samples.pdf()))
        with pytest.raises(ExportError) as raised:
            check.finish()
        assert str(raised.value) == (
            "An input file could not be read to check it (digest unavailable); nothing was written."
        )
        assert check.explain() is None  # a file without a recorded hash explains nothing
    finally:
        check.close()


def test_a_stored_file_that_changed_or_vanished_is_named(samples: Samples) -> None:
    changed, vanished = samples.pdf("changed.pdf"), samples.pdf("vanished.pdf")
    check = InputCheck()
    try:
        check.submit(_input(changed, "0" * 64))
        check.submit(_input(vanished, hashlib.sha256(vanished.read_bytes()).hexdigest()))
        vanished.unlink()  # after it was opened: its hash is still taken
        with pytest.raises(ExportError, match="is damaged \\(its bytes no longer match"):
            check.finish()
        explained = check.explain()
        assert explained is not None and "is damaged" in str(explained)
        changed.unlink()
        explained = check.explain()  # the first stored file behind it, now gone
        assert explained is not None and "is missing from the store" in str(explained)
    finally:
        check.close()


def test_a_stored_file_that_cannot_be_read_back_is_named(
    samples: Samples, monkeypatch: pytest.MonkeyPatch
) -> None:
    def bad_sector(fd: int) -> str:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(inputs, "fd_sha256", bad_sector)
    check = InputCheck()
    try:
        check.submit(_input(samples.pdf(), "0" * 64))
        with pytest.raises(ExportError) as raised:
            check.finish()
        assert str(raised.value).startswith(
            "The stored file of 'Bank statement' could not be read to check it (Input/output error)"
        )
    finally:
        check.close()
