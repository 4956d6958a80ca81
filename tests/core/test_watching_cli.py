"""``yongju watch``: one line (or JSON object) per file, exit status, slot subfolders, Ctrl-C."""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PIL import Image

from tests.launcher import Launcher
from yongju.cli import run
from yongju.cli.watch import _Printer, _watch_until_stopped
from yongju.core.store import Store
from yongju.core.watching import FolderWatcher

# Each new file waits the quiet period in real time: these tests are about what the command
# prints and returns, not the waiting (test_watching times that).
FAST = ["--quiet-seconds", "0.05", "--settle-seconds", "2"]


def jpeg(seed: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 50), (seed % 256, 40, 90)).save(buffer, "JPEG", comment=f"cli {seed}")
    return buffer.getvalue()


@pytest.fixture
def folder(tmp_path: Path, store_folder: Path) -> Path:
    """The watched folder, beside a new store at ``tmp_path / "store"`` (a copy: each command
    making it anew ran the migrations)."""
    scans = tmp_path / "Scans"
    scans.mkdir()
    return scans


def test_once_moves_files_and_exits_1_when_something_was_refused(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "scan.jpg").write_bytes(jpeg(1))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not a PDF\n%%EOF\n")
    (folder / "photo.jpg.crdownload").write_bytes(b"partial")
    status = run(
        ["--store", str(tmp_path / "store"), "watch", str(folder), "--once", "--move", *FAST]
    )
    out = capsys.readouterr().out.splitlines()
    assert status == 1
    assert any(line.startswith("imported") and "scan.jpg" in line for line in out)
    assert any(line.startswith("refused") and "broken.pdf" in line for line in out)
    assert any(line.startswith("skipped") and "crdownload" in line for line in out)
    assert (folder / "imported" / "scan.jpg").exists()
    assert (folder / "refused" / "broken.pdf.reason.txt").exists()
    assert (folder / "photo.jpg.crdownload").exists()

    # Again: nothing new, nothing refused, status 0.
    status = run(["--store", str(tmp_path / "store"), "watch", str(folder), "--once", *FAST])
    assert status == 0
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()] == ["skipped"]


def test_json_gives_one_object_per_line(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "a.jpg").write_bytes(jpeg(2))
    (folder / "b.jpg").write_bytes(jpeg(3))
    status = run(
        ["--store", str(tmp_path / "store"), "watch", str(folder), "--once", "--json", *FAST]
    )
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status == 0
    assert sorted(Path(r["path"]).name for r in records) == ["a.jpg", "b.jpg"]
    assert {r["action"] for r in records} == {"imported"}
    assert all(isinstance(r["document_id"], int) for r in records)


def test_slot_subfolders_file_documents_into_the_case(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(tmp_path / "store") as store:
        anna = store.create_case("Anna", "spouse_of_chinese_citizen")
        ben = store.create_case("Ben", "spouse_of_chinese_citizen")
    for sub, seed in (("passport", 4), ("Ben/passport", 5), ("holiday", 6)):
        (folder / sub).mkdir(parents=True)
        (folder / sub / f"scan{seed}.jpg").write_bytes(jpeg(seed))
    status = run(
        [
            "--store",
            str(tmp_path / "store"),
            "watch",
            str(folder),
            "--once",
            "--case",
            "Anna",
            *FAST,
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "not a slot" in out and "holiday" in out
    with Store.open(tmp_path / "store") as store:
        assert [(f.slot_id) for f in store.filings(anna.id)] == ["passport"]
        assert [(f.slot_id) for f in store.filings(ben.id)] == ["passport"]
        assert [d.original_name for d in store.inbox()] == ["scan6.jpg"]


def test_an_unknown_case_is_a_usage_error(tmp_path: Path, folder: Path) -> None:
    assert (
        run(
            ["--store", str(tmp_path / "store"), "watch", str(folder), "--once", "--case", "Nobody"]
        )
        == 2
    )


CHILD = """
import signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started in the background
from yongju.cli import run
sys.exit(run(sys.argv[1:]))
"""


def test_ctrl_c_stops_cleanly(tmp_path: Path, folder: Path, launcher: Launcher) -> None:
    child = launcher.popen(
        [
            sys.executable,
            "-c",
            CHILD,
            "--store",
            str(tmp_path / "store"),
            "watch",
            str(folder),
            "--quiet-seconds",
            "0.05",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stderr is not None
        assert "watching" in child.stderr.readline()  # started, in native or polling mode
        # Moved in whole: written in place, it was once seen empty on a loaded machine, and
        # said "waiting" before "imported".
        (tmp_path / "late.jpg").write_bytes(jpeg(7))
        (tmp_path / "late.jpg").rename(folder / "late.jpg")
        assert child.stdout is not None
        assert child.stdout.readline().startswith("imported")
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=20)
    finally:
        child.kill()
    assert child.returncode == 0
    assert "Traceback" not in err
    assert "stopped watching (1 imported)" in err


def test_once_exits_1_when_a_file_is_still_unfinished_at_the_bound(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "half.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)  # no %%EOF yet
    status = run(
        [
            "--store",
            str(tmp_path / "store"),
            "watch",
            str(folder),
            "--once",
            "--quiet-seconds",
            "0.05",
            "--wait",
            "0.3",
        ]
    )
    lines = capsys.readouterr().out.splitlines()
    assert status == 1
    assert lines[-1].startswith("waiting") and "not imported yet" in lines[-1]
    assert (folder / "half.pdf").exists()


def test_retry_refused_looks_again_at_files_refused_in_earlier_runs(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.samples import Samples

    locked = Samples(tmp_path / "made").encrypted_pdf("locked.pdf", password="s3cret")
    (folder / "locked.pdf").write_bytes(locked.read_bytes())
    store = ["--store", str(tmp_path / "store")]
    assert run([*store, "watch", str(folder), "--once", *FAST]) == 1
    assert capsys.readouterr().out.startswith("refused")
    again = [*store, "watch", str(folder), "--once", "--password", "s3cret", *FAST]
    assert run(again) == 0  # remembered as refused: not looked at on every start...
    assert "refused earlier" in capsys.readouterr().err
    wrong = [*store, "watch", str(folder), "--once", "--password", "wrong", *FAST]
    assert run([*wrong, "--retry-refused"]) == 1  # ... unless asked to: refused again
    assert capsys.readouterr().out.startswith("refused")
    assert run([*again, "--retry-refused"]) == 0  # and with the right password, imported
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out] == ["imported"]
    with Store.open(tmp_path / "store") as opened:
        assert len(opened.documents()) == 1


def test_watching_is_said_before_the_first_wait(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The line came only after the command's first 0.2 s wait (asked to stop at once, it
    said nothing at all)."""
    stop = threading.Event()
    stop.set()  # stopped before the first wait: only what comes before it is said
    with Store.open(tmp_path / "store") as store:
        watcher = FolderWatcher(store, folder)
        assert _watch_until_stopped(watcher, _Printer(folder, False, stop), stop) == 0
    err = capsys.readouterr().err
    assert "yongju: watching" in err and "Ctrl-C stops" in err
