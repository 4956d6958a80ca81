"""Damaged files of every shape: each is imported with its page count or refused, never raises."""

from __future__ import annotations

import functools
import json
import os
import select
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import soak
from tests.hostile import operator_bomb_pdf, refuse
from tests.launcher import Launcher
from tests.samples import Samples
from yongju.core.importing import ImportStatus, import_files
from yongju.core.inspection import RefusedFile, reading_sandbox
from yongju.core.records import MediaType
from yongju.core.rendering import PageRequest, RenderError, ThumbnailCache
from yongju.core.sandbox import Limits, Sandbox, TooComplexError
from yongju.core.store import Store

_BASE = Path(tempfile.mkdtemp(prefix="yongju-hostile-"))
_SAMPLES = Samples(_BASE / "samples")
ORIGINALS = {
    "pdf": _SAMPLES.pdf("three.pdf", pages=3).read_bytes(),
    "jpg": _SAMPLES.jpeg("scan.jpg").read_bytes(),
    "png": _SAMPLES.png("photo.png").read_bytes(),
    "tif": _SAMPLES.tiff("multi.tif", frames=3).read_bytes(),
}
PAGES = {"pdf": 3, "jpg": 1, "png": 1, "tif": 3}


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(sorted(ORIGINALS)))
    data = bytearray(ORIGINALS[kind])
    if draw(st.booleans()):
        del data[draw(st.integers(1, len(data) - 1)) :]
    for _ in range(draw(st.integers(0, 12))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return kind, bytes(data)


@pytest.fixture(scope="module")
def shared_sandbox() -> Iterator[Sandbox]:
    """One reading worker for every example (a batch import's, not one started per file)."""
    with reading_sandbox() as sandbox:
        yield sandbox


@settings(
    max_examples=soak.rounds(12, 1000),  # new examples each run (each a store opened: 50 ms)
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(case=damaged())
def test_damaged_files_are_imported_whole_or_refused(
    case: tuple[str, bytes], _new_store: Path, shared_sandbox: Sandbox
) -> None:
    kind, data = case
    folder = Path(tempfile.mkdtemp(dir=_BASE))
    path = folder / f"file.{kind}"
    path.write_bytes(data)
    shutil.copytree(_new_store, folder / "store")  # a new store, without its migrations
    with Store.open(folder / "store") as store:
        (result,) = import_files(store, [path], durable=False, sandbox=shared_sandbox)
        if result.status is ImportStatus.REFUSED:
            assert result.reason and "\n" not in result.reason
            assert store.documents() == [] and store.blobs.staging_leftovers() == []
        else:
            assert result.document is not None
            assert 1 <= result.document.pages <= PAGES[kind]
            assert store.blob_path(result.document.sha256).read_bytes() == data


# ---------------------------------------------------------------- files that cost gigabytes
# Reading is bounded in a worker process (core/sandbox.py); these build the hostile files
# of issue 9 and check that each is refused with a sentence while the batch goes on.

# A worker needs about 90 MB to start (and a good scan here 1 MB more); a bomb fills the rest
# before it is refused, so the less there is to fill, the sooner: about 5 s a gigabyte on a
# loaded machine. 2 million operators need more than a gigabyte (14 MB of stream, then
# PDFium's page objects for each): past every limit set here, refused while PDFium parses
# them. (The stream alone, of comments instead of operators, is read under this limit; the
# 8 million operators of before, 56 MB of stream, needed 192 MB to be parsed at all, and
# 0.3 s of CPU, not 0.1 s, to be refused.)
SMALL = Limits(memory_bytes=128 << 20, seconds=60.0)


@functools.cache
def _bomb() -> bytes:
    return operator_bomb_pdf(_BASE / "bomb.pdf", 2_000_000).read_bytes()  # 0.1 s, once


def bomb_at(path: Path, copy: int = 0) -> Path:
    """A bomb at ``path``; each ``copy`` has other bytes (a comment after its end), so
    that none is a duplicate of another."""
    path.write_bytes(_bomb() + b"%% copy %d\n" % copy)
    return path


def test_an_operator_bomb_pdf_is_refused_and_the_batch_goes_on(
    store: Store, samples: Samples
) -> None:
    before = samples.pdf("before.pdf", pages=2)
    bomb = bomb_at(samples.folder / "bomb.pdf")
    after = samples.jpeg("after.jpg")
    assert bomb.stat().st_size < 600_000
    with reading_sandbox(SMALL) as sandbox:
        results = import_files(store, [before, bomb, after], sandbox=sandbox)
    assert [r.status for r in results] == [
        ImportStatus.IMPORTED,
        ImportStatus.REFUSED,
        ImportStatus.IMPORTED,
    ]
    assert results[1].reason.startswith("the file is too complex to read safely")
    assert "\n" not in results[1].reason
    assert len(store.documents()) == 2 and store.blobs.staging_leftovers() == []


def test_many_bombs_in_a_row_each_get_a_fresh_worker(store: Store, samples: Samples) -> None:
    """The worker that died on a bomb is replaced: every file after it is still read."""
    paths: list[Path] = []
    for i in range(3):
        paths.append(bomb_at(samples.folder / f"bomb{i}.pdf", i))
        paths.append(samples.pdf(f"good{i}.pdf", pages=i + 1))
    with reading_sandbox(SMALL) as sandbox:
        results = import_files(store, paths, sandbox=sandbox)
        assert sandbox.restarts == 3
    assert [r.status.value for r in results] == ["refused", "imported"] * 3
    assert [r.pages for r in results[1::2]] == [1, 2, 3]


def _ulimit_v() -> dict[int, tuple[int, int]]:
    """What a user's ``ulimit -v 262144`` gives a command: its worker's cap is then the lower
    of the default (2 GB) and this, so a bomb fills 256 MB, not 2 GB, before it is refused.
    (The command itself peaks near 100 MB; a smaller limit is a faster test: a user's 1 GB
    took the same path, 4 s longer.)"""
    import resource  # POSIX only, as the limit is

    return {resource.RLIMIT_AS: (256 << 20, 256 << 20)}


@pytest.mark.slow  # a command, its worker, and the bomb filling 256 MB before it is refused
def test_import_under_a_memory_limit_refuses_the_bomb_and_imports_the_rest(
    store_folder: Path, samples: Samples, launcher: Launcher
) -> None:
    """The command of issue 9, with no limits of its own: under ``ulimit -v`` it aborted
    (SIGABRT, no message), left its staged copy and never imported the files after it."""
    files = [
        samples.pdf("a.pdf"),
        bomb_at(samples.folder / "bomb.pdf"),
        samples.pdf("c.pdf", pages=3),
    ]
    store = store_folder
    done = launcher.run(
        [sys.executable, "-m", "yongju", "--store", str(store), "import", "--json"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        rlimits=_ulimit_v(),
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    results = json.loads(done.stdout)
    assert [r["status"] for r in results] == ["imported", "refused", "imported"]
    assert "too complex to read safely" in results[1]["reason"]
    # The limit it ran into is the user's, not the 2 GB the worker would have had.
    assert "more than 0.25 GB of memory" in results[1]["reason"], results[1]["reason"]
    assert list((store / "blobs" / ".incoming").iterdir()) == []


def test_a_bomb_already_in_the_store_is_not_rendered_in_process(tmp_path: Path) -> None:
    """Thumbnails and previews render in a bounded worker too: a refusal, not a crash."""
    bomb = bomb_at(tmp_path / "bomb.pdf")
    cache = ThumbnailCache(tmp_path / "thumbs", limits=SMALL)
    request = PageRequest(path=bomb, media_type=MediaType.PDF, page=0, size=256)
    try:
        with pytest.raises(RenderError, match="too complex to show safely"):
            cache.render_request(request, tmp_path / "thumbs" / "bomb.jpg")
        assert not (tmp_path / "thumbs" / "bomb.jpg").exists()
    finally:
        cache.close()


# ---------------------------------------------------------------- the worker itself


def test_the_worker_is_stopped_at_its_deadline_and_replaced() -> None:
    # A tenth of a second: the job never ends by itself, so any deadline proves the kill.
    with Sandbox(Limits(seconds=0.1, seconds_per_mb=0)) as sandbox:
        first = sandbox.run(os.getpid)
        with pytest.raises(TooComplexError, match=r"more than [01] seconds"):
            sandbox.run(time.sleep, 600)
        second = sandbox.run(os.getpid)
        assert first != second and not _alive(first)


def test_running_out_of_memory_or_dying_is_a_sentence_and_the_next_job_runs() -> None:
    with Sandbox(Limits(memory_bytes=512 << 20)) as sandbox:
        with pytest.raises(TooComplexError, match=r"more than 0\.5 GB of memory"):
            sandbox.run(bytearray, 1 << 30)  # a MemoryError inside the worker
        with pytest.raises(TooComplexError, match="too complex to read safely"):
            sandbox.run(os.abort)  # what PDFium does when an allocation fails
        with pytest.raises(RefusedFile, match="no pages"):
            sandbox.run(refuse, "the PDF has no pages")  # the user's errors come back as such
        assert sandbox.run(sum, [1, 2, 3]) == 6


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):  # reaped between the two looks, or as read
        return False


# A busy worker is handed its job as ``Sandbox.run`` hands it, but without ``run``'s deadline
# (the parent then never kills the worker itself, however late its own end comes) and with
# no CPU time beyond the second the worker has begun: it spins for under 1 s, not the 2 s
# and more that ``run`` gives the shortest deadline.
_ORPHAN_SCRIPT = """
import os, sys
from yongju.core.sandbox import Sandbox
sandbox = Sandbox()
sandbox.start()
print(sandbox.run(os.getpid), flush=True)
if sys.argv[1] == "busy":  # killed while the worker spins in a job
    sandbox._send((sum, (range(10**13),), 0))
os.kill(os.getpid(), 9)
"""


@pytest.mark.parametrize("state", ["idle", "busy"])
def test_the_worker_never_outlives_its_parent(state: str, launcher: Launcher) -> None:
    """A SIGKILLed parent leaves no worker: an idle one reads the end of its pipe, a busy
    one reaches its CPU-time limit."""
    for _ in range(soak.rounds(1, 10)):
        done = launcher.run(
            [sys.executable, "-c", _ORPHAN_SCRIPT, state],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == -9
        worker = int(done.stdout.split()[0])
        _wait_for_the_end_of(worker, timeout=60)
        assert not _alive(worker)


def _wait_for_the_end_of(pid: int, timeout: float) -> None:
    """Returns when process ``pid`` has ended (woken by its end: no polling interval to
    wait out), or after ``timeout`` seconds. Any process, not only a child of ours."""
    deadline = time.monotonic() + timeout
    try:
        pidfd = os.pidfd_open(pid)
    except ProcessLookupError:
        return  # already gone
    try:
        select.select([pidfd], [], [], timeout)
    finally:
        os.close(pidfd)
    # Ended, it may still be on its way out ("X (dead)" for a moment while it is reaped).
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.005)


@pytest.mark.slow  # a command, its worker, and the bomb filling 256 MB before it is refused
def test_watch_once_refuses_the_bomb_and_imports_odd_names(
    tmp_path: Path, store_folder: Path, samples: Samples, launcher: Launcher
) -> None:
    """The watcher reads in the same bounded worker; ``watch --once`` ended with an
    unexpected error on a name that is not UTF-8."""
    folder = tmp_path / "Scans"
    folder.mkdir()
    bomb_at(folder / "bomb.pdf")
    odd = os.fsdecode(b"scan-\xff\x1b[2J.pdf")
    (folder / odd).write_bytes(samples.pdf_bytes(2, "odd"))
    command = [sys.executable, "-m", "yongju", "--store", str(store_folder), "watch"]
    timing = ["--quiet-seconds", "0.05", "--settle-seconds", "2"]  # written before it starts
    done = launcher.run(
        [*command, "--once", *timing, "--move", str(folder)],
        capture_output=True,
        text=True,
        errors="surrogateescape",
        rlimits=_ulimit_v(),
        timeout=300,
    )
    assert done.returncode == 1, done.stderr  # the bomb was refused
    assert "Traceback" not in done.stderr and "unexpected" not in done.stderr
    assert "\x1b" not in done.stdout
    lines = sorted(done.stdout.splitlines())
    assert lines[0].startswith("imported") and "scan-\\xff\\x1b[2J.pdf" in lines[0]
    assert lines[1].startswith("refused        bomb.pdf: the file is too complex to read safely")
    note = (folder / "refused" / "bomb.pdf.reason.txt").read_text(encoding="utf-8")
    assert "too complex to read safely" in note
    assert (folder / "imported" / odd).is_file()


def test_a_worker_killed_while_idle_is_replaced_for_the_next_job() -> None:
    """The system may end an idle worker (the OOM killer, a user's kill): the next job
    starts a new one instead of failing every file after it."""
    with Sandbox() as sandbox:
        first = sandbox.run(os.getpid)
        os.kill(first, 9)
        while _alive(first):
            time.sleep(0.05)
        second = sandbox.run(os.getpid)
        assert second != first and sandbox.run(os.getpid) == second


class _GonePipe:
    """The worker's end of a pipe whose parent has already exited."""

    def send(self, _message: object) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    def recv(self) -> object:
        raise EOFError


def test_a_worker_whose_parent_is_gone_ends_quietly(capsys: pytest.CaptureFixture[str]) -> None:
    """`yongju import missing.jpg` ended before its worker said it was ready; the worker then
    printed a BrokenPipeError traceback onto the user's terminal."""
    from yongju.core.sandbox import serve

    serve(_GonePipe(), 1 << 40, ())  # type: ignore[arg-type]
    assert capsys.readouterr().err == ""
