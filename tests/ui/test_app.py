"""The composition root's edges: start-up smoke test, one instance per store, error reporting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.launcher import Launcher
from yongju.core.errors import FilingError
from yongju.core.logs import open_store_log
from yongju.ui.common.error_reporter import ErrorReporter
from yongju.ui.common.single_instance import InstanceServer, server_name

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


def test_window_starts_and_quits_cleanly(tmp_path: Path, launcher: Launcher) -> None:
    done = launcher.run(
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
            "import sys; from yongju.ui.common.single_instance import send_to_running as s; "
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
    store_log = open_store_log(tmp_path / "logs", trace_crashes=False)
    reporter = ErrorReporter(store_log.log_file)
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
    store_log.close()


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_broken_user_profile_is_named_and_the_rest_works(
    qtbot, tmp_path: Path, store_folder: Path
) -> None:
    from yongju.app import compose
    from yongju.core.paths import AppPaths

    paths = AppPaths(store=store_folder, config=tmp_path / "config")
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

    from yongju.ui.common.single_instance import FileOpenFilter

    received: list[list[str]] = []
    opener = FileOpenFilter()
    opener.files_received.connect(received.append)
    assert opener.eventFilter(QObject(), QFileOpenEvent("/tmp/scan.pdf"))
    assert received == [["/tmp/scan.pdf"]]


@pytest.mark.parametrize("platform", ["darwin", "linux", "win32"])
def test_only_macos_filters_every_event_for_files_to_open(
    qapp, monkeypatch: pytest.MonkeyPatch, platform: str
) -> None:
    """Elsewhere no event of the window goes through Python to look for them: such a filter
    made every event wait for the lock an import's threads hold (the window stalled)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QFileOpenEvent

    from yongju.ui.common import single_instance

    monkeypatch.setattr(single_instance.sys, "platform", platform)
    opened = single_instance.open_file_events(qapp)
    if platform != "darwin":
        assert opened is None
        return
    assert opened is not None
    received: list[list[str]] = []
    opened.files_received.connect(received.append)
    try:
        QCoreApplication.sendEvent(qapp, QFileOpenEvent("/tmp/scan.pdf"))
        assert received == [["/tmp/scan.pdf"]]
    finally:
        qapp.removeEventFilter(opened)


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_crash_is_told_once_in_the_window(qtbot, tmp_path: Path, launcher: Launcher) -> None:
    from PySide6.QtCore import QTimer

    from tests.core.test_logs import CRASHING_COMMAND, _yongju
    from yongju.app import compose
    from yongju.core.paths import AppPaths

    store = tmp_path / "store"
    crashed = _yongju(launcher, "--store", str(store), "docs", code=CRASHING_COMMAND)
    assert crashed.returncode < 0
    paths = AppPaths(store=store, config=tmp_path / "config")
    told: list[list[str]] = []
    for _ in range(2):
        composition = compose(paths, open_url=lambda url: None)
        shown: list[str] = []
        composition.reporter.shown.connect(shown.append)
        # The crash is told from the event loop's first pass: this marker comes after it.
        passed: list[bool] = []
        QTimer.singleShot(0, lambda: passed.append(True))  # noqa: B023  (waited on here)
        qtbot.waitUntil(lambda: bool(passed), timeout=5000)  # noqa: B023
        told.append(shown)
        composition.window.close()
        composition.shutdown()
    assert len(told[0]) == 1 and "stopped unexpectedly" in told[0][0]
    assert str(store / "logs" / "yongju.log") in told[0][0]
    assert told[1] == []
    assert "Segmentation fault" in (store / "logs" / "yongju.log").read_text()


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_hostile_files_traceback_goes_to_the_store_log(
    qtbot, tmp_path: Path, samples, monkeypatch, capfd, store_folder: Path, profiles
) -> None:
    """The window writes the core's log, as the command line does, never the terminal."""
    from yongju.app import compose
    from yongju.core import importing
    from yongju.core.paths import AppPaths

    def choke(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded in the page tree")

    monkeypatch.setattr(importing, "_import_staged", choke)
    paths = AppPaths(store=store_folder, config=tmp_path / "config")
    composition = compose(paths, open_url=lambda url: None, profiles=profiles)
    finished: list[object] = []
    composition.imports.import_finished.connect(finished.append)
    composition.imports.start([samples.pdf("hostile.pdf")])
    qtbot.waitUntil(lambda: bool(finished), timeout=10_000)
    composition.window.close()
    composition.shutdown()
    log = (tmp_path / "store" / "logs" / "yongju.log").read_text()
    assert "unexpected error importing" in log and "hostile.pdf" in log
    assert "RecursionError: maximum recursion depth exceeded in the page tree" in log
    assert "Traceback" not in capfd.readouterr().err


def test_a_worker_logs_the_traceback_where_it_happens(qtbot, tmp_path: Path) -> None:
    from PySide6.QtCore import QThreadPool

    from yongju.ui.common.tasks import TaskRunner

    store_log = open_store_log(tmp_path / "logs", trace_crashes=False)
    read, write = QThreadPool(), QThreadPool()
    write.setMaxThreadCount(1)
    reporter = ErrorReporter(store_log.log_file)
    runner = TaskRunner(read, write, report_error=reporter.report)
    shown: list[str] = []
    reporter.shown.connect(shown.append)

    def render_page(ctx) -> None:
        raise ZeroDivisionError("page width is zero")

    runner.read("render a page", render_page)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert runner.shutdown()
    store_log.close()
    log = store_log.log_file.read_text()
    assert log.count("ZeroDivisionError: page width is zero") == 1  # not again by the reporter
    assert "task 'render a page' failed" in log
    assert "in render_page\n    raise ZeroDivisionError" in log
    assert "MainThread" not in log.split("task 'render a page' failed")[0].splitlines()[-1]
    assert "page width is zero" in shown[0]


def test_the_window_module_needs_no_sqlalchemy(tmp_path: Path) -> None:
    """Start-up: SQLAlchemy (a fifth of it) loads once the first screen is shown."""
    script = (
        "import sys, yongju.app; "
        "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'alembic'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=_env(tmp_path), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_store_loads_once_the_first_screen_is_painted(
    qtbot, tmp_path: Path, store_folder: Path, profiles
) -> None:
    from yongju.app import _after_first_screen, compose
    from yongju.core.paths import AppPaths
    from yongju.core.store import Store

    store = store_folder
    with Store.open(store) as opened:
        case = opened.create_case("Jan", "spouse_of_chinese_citizen")
    paths = AppPaths(store=store, config=tmp_path / "config")
    composition = compose(paths, open_url=lambda url: None, profiles=profiles)
    try:
        assert not composition.store.loaded  # checked, not loaded: the first screen needs none
        qtbot.addWidget(composition.window)
        seen: list[bool] = []
        composition.workspace.refreshed.connect(lambda: seen.append(composition.store.loaded))
        _after_first_screen(composition)
        composition.workspace.select_case(case.id)
        composition.window.show()
        qtbot.waitUntil(lambda: composition.store.loaded, timeout=30_000)
        assert seen[0] is False  # the first load was read without it
        qtbot.waitUntil(lambda: not composition.workspace.busy, timeout=30_000)
        assert composition.workspace.current_case == composition.store.case(case.id)
    finally:
        composition.window.close()
        composition.shutdown()
