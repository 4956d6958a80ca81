"""The one logging setup: a private rotating log, and native crashes reported once at next start."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.launcher import Launcher
from yongju.core import logs
from yongju.core.logs import LOG_NAME, log_exception, open_store_log, was_logged

ROOT = Path(__file__).resolve().parents[2]

# A real command whose work dies in native code, as a PDFium or libheif crash would.
CRASHING_COMMAND = """
import ctypes, sys
from yongju.core.store import Store
from yongju.__main__ import main
Store.documents = lambda self, ids=None: ctypes.string_at(0)
sys.exit(main(sys.argv[1:]))
"""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONFAULTHANDLER"}
    env["PYTHONPATH"] = str(ROOT / "desktop")
    return env


def _yongju(
    launcher: Launcher, *argv: str, code: str | None = None
) -> subprocess.CompletedProcess[str]:
    args = ["-c", code] if code else ["-m", "yongju"]
    return launcher.run(
        [sys.executable, *args, *argv],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_log_is_private_and_rotates(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(logs, "LOG_MAX_BYTES", 4000)
    folder = tmp_path / "logs"
    store_log = open_store_log(folder, trace_crashes=False)
    try:
        for n in range(200):
            logging.getLogger("yongju.core.importing").warning("line %d about passport.pdf", n)
    finally:
        store_log.close()
    assert _mode(folder) == 0o700
    files = sorted(folder.iterdir())
    assert [f.name for f in files] == [LOG_NAME, *(f"{LOG_NAME}.{i}" for i in (1, 2, 3))]
    assert all(_mode(f) == 0o600 for f in files)
    assert all(f.stat().st_size <= 4000 for f in files)
    assert "line 199 about passport.pdf" in (folder / LOG_NAME).read_text()
    logging.getLogger("yongju").warning("after close")  # no longer written there
    assert "after close" not in (folder / LOG_NAME).read_text()


def test_an_older_world_readable_log_becomes_private(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / LOG_NAME).write_text("old line\n")
    os.chmod(folder / LOG_NAME, 0o644)
    store_log = open_store_log(folder, trace_crashes=False)
    logging.getLogger("yongju").error("new line")
    store_log.close()
    assert _mode(folder / LOG_NAME) == 0o600
    assert (folder / LOG_NAME).read_text().startswith("old line\n")


def test_an_exception_is_logged_once_with_its_traceback(tmp_path: Path) -> None:
    store_log = open_store_log(tmp_path / "logs", trace_crashes=False)
    try:
        try:
            {}["missing"]
        except KeyError as exc:
            error = exc
        log_exception(logging.getLogger("yongju.ui.common.tasks"), error, "task 'import' failed")
        log_exception(logging.getLogger("yongju.ui"), error, "unexpected error")
    finally:
        store_log.close()
    text = store_log.log_file.read_text()
    assert was_logged(error)
    assert text.count("KeyError: 'missing'") == 1
    assert "task 'import' failed" in text and "Traceback (most recent call last)" in text


@pytest.mark.slow
def test_a_native_crash_is_traced_and_reported_once(tmp_path: Path, launcher: Launcher) -> None:
    store = str(tmp_path / "store")
    assert _yongju(launcher, "--store", store, "case", "list").returncode == 0
    crashed = _yongju(launcher, "--store", store, "docs", code=CRASHING_COMMAND)
    assert crashed.returncode < 0  # killed by SIGSEGV, as a native crash is
    assert crashed.stderr == ""  # the trace went to the store, not the terminal

    after = _yongju(launcher, "--store", store, "case", "list")
    assert after.returncode == 0
    lines = after.stderr.splitlines()
    assert len(lines) == 1, after.stderr
    assert lines[0].startswith("yongju: warning: Yongju stopped unexpectedly on ")
    assert "Segmentation fault" in lines[0] and "yongju.log" in lines[0]
    log = (tmp_path / "store" / "logs" / LOG_NAME).read_text()
    assert "Fatal Python error: Segmentation fault" in log
    assert "<lambda>" in log and "cmd_docs" in log  # where it crashed, every frame
    assert not list((tmp_path / "store" / "logs").glob("crash-*"))

    again = _yongju(launcher, "--store", store, "case", "list")
    assert again.returncode == 0 and again.stderr == ""  # said once only


def test_a_running_process_keeps_its_crash_file(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from yongju.core.logs import open_store_log; "
            f"log = open_store_log(Path({str(folder)!r})); print('ready', flush=True); "
            "sys.stdin.read(); log.close()",
        ],
        env=_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        theirs = folder / f"crash-{holder.pid}.txt"
        assert theirs.is_file() and _mode(theirs) == 0o600
        for _ in range(3):  # other starts meanwhile leave it alone
            mine = open_store_log(folder, trace_crashes=False)
            assert mine.crash is None
            mine.close()
            assert theirs.is_file()
    finally:
        holder.communicate("", timeout=60)
    assert holder.returncode == 0
    assert not theirs.exists()  # a clean exit leaves nothing behind


def test_a_log_that_cannot_be_written_does_not_stop_the_caller(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.write_text("a file where the folder should be")
    store_log = open_store_log(folder)
    logging.getLogger("yongju").error("nowhere to go")
    store_log.close()
    assert store_log.crash is None
    assert folder.read_text() == "a file where the folder should be"


def test_worker_threads_log_into_the_same_file(tmp_path: Path) -> None:
    store_log = open_store_log(tmp_path / "logs", trace_crashes=False)
    try:
        worker = threading.Thread(
            target=lambda: logging.getLogger("yongju.core.watching").error("from a worker"),
            name="watcher",
        )
        worker.start()
        worker.join()
    finally:
        store_log.close()
    assert " watcher ERROR yongju.core.watching: from a worker" in store_log.log_file.read_text()
