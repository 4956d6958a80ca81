"""Test-wide settings: Qt runs offscreen and every test gets its own store and config."""
# ruff: noqa: E402  (the settings below come before the imports they affect)

from __future__ import annotations

import gc
import os
import shutil
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The suite keeps its compiled modules (ours, and pytest's rewritten tests) even where the
# environment says not to (PYTHONDONTWRITEBYTECODE, set in many containers): without them
# every worker compiled the whole tree again on every run, some 10 s of CPU a run, and every
# `python -m yongju` the tests start compiled the package.
sys.dont_write_bytecode = False

from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests import coverage_list, scratch, soak

# Imported by the fixtures that use them, not here: xdist's controller imports this file too,
# and starts its workers only after (SQLAlchemy and the rest took it 0.8 s).
if TYPE_CHECKING:
    from tests.launcher import Launcher
    from tests.samples import Samples
    from yongju.core.profiles import ProfileSet
    from yongju.core.store import Store

_WHOLE_SUITE = coverage_list.WholeSuite()


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # xdist's workers get their folders from here
        root = scratch.temproot(os.environ, config.option.basetemp)
        if root is not None:
            os.environ["PYTEST_DEBUG_TEMPROOT"] = root
    config.pluginmanager.register(_WHOLE_SUITE, "yongju-whole-suite")
    config.pluginmanager.register(
        coverage_list.CoveringTestsOnly(config), "yongju-covering-tests-only"
    )


def pytest_collection_finish(session: pytest.Session) -> None:
    """What is imported and collected by now lives as long as the worker: frozen out of the
    garbage collector's way, each full collection walks only what the tests made since
    (Qt, SQLAlchemy, pikepdf, fpdf2 and 1,500 test items made each one cost 0.5 s)."""
    gc.freeze()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow tests first: the workers share them out, so none is left running alone at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.hookimpl(wrapper=True, tryfirst=True)  # outside pytest-cov's: its data is combined
def pytest_runtestloop(session: pytest.Session) -> Generator[None, object, object]:
    result = yield
    coverage_list.check(session, _WHOLE_SUITE)
    return result


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test ever touches the real user store or config folder."""
    base = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("YONGJU_STORE", str(base / "store"))
    monkeypatch.setenv("YONGJU_CONFIG", str(base / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "xdgconfig"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "cache"))


@pytest.fixture
def samples(tmp_path: Path) -> Samples:
    """Real sample files (scans, PDFs, broken files) in a temporary folder."""
    from tests.samples import Samples

    return Samples(tmp_path / "samples")


@pytest.fixture(scope="session")
def _new_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store as ``Store.open`` makes it, made once per test process."""
    from yongju.core.store import Store

    folder = tmp_path_factory.mktemp("new-store") / "store"
    with Store.open(folder):
        pass
    return folder


@pytest.fixture
def store(tmp_path: Path, _new_store: Path) -> Iterator[Store]:
    """A fresh store in a temporary folder: a copy of a new one, modes and all (made once a
    process; each made anew cost 70 ms of CPU while new stores ran the migrations)."""
    from yongju.core.store import Store

    shutil.copytree(_new_store, tmp_path / "store")
    with Store.open(tmp_path / "store") as opened:
        yield opened


@pytest.fixture
def store_folder(tmp_path: Path, _new_store: Path) -> Path:
    """The folder of a fresh store, not opened: for tests that run commands on it (a copy,
    as ``store`` makes, rather than the migrations each first command would run)."""
    shutil.copytree(_new_store, tmp_path / "store")
    return tmp_path / "store"


@pytest.fixture(scope="session")
def profiles() -> ProfileSet:
    """The shipped requirement profiles."""
    from yongju.core.profiles import load_profiles
    from yongju.core.resources import resource_path

    loaded = load_profiles(resource_path("profiles"))
    assert not loaded.problems, loaded.problems
    return loaded


@pytest.fixture(scope="session")
def launcher() -> Iterator[Launcher]:
    """Starts ``python -m yongju`` and ``python -c`` processes at the cost of a fork."""
    from tests.launcher import Launcher

    started = Launcher()
    yield started
    started.close()


@pytest.fixture
def chance(request: pytest.FixtureRequest) -> soak.Chance:
    """Random choices for a test (kill moments, damaged bytes): new ones each run, and the
    seed printed beside a failure so that ``YONGJU_TEST_SEED`` replays them."""
    drawn = soak.Chance(soak.seed())
    request.node.add_report_section("call", "random seed", drawn.replay())
    return drawn
