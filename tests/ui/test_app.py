"""The composition root's edges: start-up smoke test, one instance per store, error reporting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from yongju.core.errors import FilingError
from yongju.ui.error_reporter import ErrorReporter
from yongju.ui.single_instance import InstanceServer, server_name

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        YONGJU_SMOKE_TEST="1",
        YONGJU_CONFIG=str(tmp_path / "config"),
        PYTHONPATH=str(ROOT / "desktop"),
    )
    return env


def test_window_starts_and_quits_cleanly(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "yongju", "--store", str(tmp_path / "store")],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "yongju: smoke test: window shown" in done.stdout
    assert (tmp_path / "config" / "yongju.ini").is_file()  # settings saved on the way out


def test_second_launch_hands_its_files_to_the_running_window(qtbot, tmp_path: Path) -> None:
    name = server_name(tmp_path / "store")
    assert name.startswith("yongju-") and len(name) == len("yongju-") + 16
    server = InstanceServer(name)
    assert server.listening
    received: list[list[str]] = []
    server.files_received.connect(received.append)
    client = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from yongju.ui.single_instance import send_to_running as s; "
            f"sys.exit(0 if s({name!r}, ['/tmp/a.pdf', '/tmp/b.jpg']) else 3)",
        ],
        env=_env(tmp_path),
    )
    try:
        qtbot.waitUntil(lambda: bool(received) and client.poll() is not None, timeout=20_000)
    finally:
        if client.poll() is None:
            client.kill()
        client.wait()
        server.shutdown()
    assert received == [["/tmp/a.pdf", "/tmp/b.jpg"]]
    assert client.returncode == 0


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_unexpected_errors_are_logged_and_shown_once(qtbot, tmp_path: Path) -> None:
    reporter = ErrorReporter(tmp_path / "logs" / "yongju.log")
    shown: list[str] = []
    reporter.shown.connect(shown.append)
    for _ in range(2):
        try:
            raise KeyError("boom")
        except KeyError as exc:
            reporter.excepthook(type(exc), exc, exc.__traceback__)
    reporter.report(FilingError("That document is already filed there."))
    assert len(shown) == 2
    assert "Something went wrong" in shown[0] and "yongju.log" in shown[0]
    assert shown[1] == "That document is already filed there."
    log = (tmp_path / "logs" / "yongju.log").read_text()
    assert log.count("KeyError: 'boom'") == 2
    reporter.close()


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_broken_user_profile_is_named_and_the_rest_works(qtbot, tmp_path: Path) -> None:
    from yongju.app import compose
    from yongju.core.paths import AppPaths

    paths = AppPaths(store=tmp_path / "store", config=tmp_path / "config")
    paths.user_profiles.mkdir(parents=True)
    (paths.user_profiles / "my-city.toml").write_text("id = [broken\n", encoding="utf-8")
    composition = compose(paths, open_url=lambda url: None)
    shown: list[str] = []
    composition.reporter.shown.connect(shown.append)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert "my-city.toml" in shown[0]
    assert "spouse_of_chinese_citizen" in composition.profiles.ids()
    composition.window.close()
    composition.shutdown()


def test_file_open_events_become_imports(qapp) -> None:
    from PySide6.QtCore import QObject
    from PySide6.QtGui import QFileOpenEvent

    from yongju.ui.single_instance import FileOpenFilter

    received: list[list[str]] = []
    opener = FileOpenFilter()
    opener.files_received.connect(received.append)
    assert opener.eventFilter(QObject(), QFileOpenEvent("/tmp/scan.pdf"))
    assert received == [["/tmp/scan.pdf"]]
