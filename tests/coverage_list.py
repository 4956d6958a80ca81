"""The coverage list: modules in ``tests/full_coverage.txt`` stay at 100% line and branch coverage.

pytest-cov measures every run (``--cov`` in pytest's addopts, configured in pyproject's
``[tool.coverage.*]``); after the whole suite has passed, ``check`` fails the run, naming each
listed module below 100% with its missing lines and branches. A run of some tests only (a
file, ``-k``, ``-m``) is not the whole suite, so it is not held to the list.
"""

from __future__ import annotations

import contextlib
import fnmatch
import importlib
import io
import sys
import threading
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIST = Path(__file__).with_name("full_coverage.txt")


def listed(path: Path = LIST) -> dict[str, tuple[str, ...]]:
    """Each listed module (a path from the repository's root) → the test files (globs) that
    must cover it, or () for the whole suite. Comments and blank lines are left out."""
    lines = (line.split("#", 1)[0].split() for line in path.read_text("utf-8").splitlines())
    return {words[0]: tuple(words[1:]) for words in lines if words}


def module_name(module: str) -> str:
    """The import name of a listed module: ``desktop/yongju/core/store/store.py`` →
    ``yongju.core.store.store`` (a package's ``__init__.py`` → the package)."""
    parts = Path(module).with_suffix("").parts[1:]  # desktop/ is on the path
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def listed_modules(path: Path = LIST) -> list[str]:
    """The module paths in the list, in its order."""
    return list(listed(path))


@dataclass(frozen=True)
class Shortfall:
    """A listed module below 100%: its coverage and coverage.py's report line for it."""

    module: str
    percent: float
    report: str

    def describe(self) -> str:
        return f"{self.module} is at {self.percent:.2f}%, not 100%:\n    {self.report}"


def shortfalls(cov: object, modules: list[str], root: Path = ROOT) -> list[Shortfall]:
    """The listed modules that ``cov`` (a ``coverage.Coverage`` with data) did not cover fully.

    A listed module that does not exist, or was never measured, is a shortfall too. One
    report covers them all (each report analyses its files again: one per module took 3 s).
    """
    from coverage.exceptions import NoDataError

    present = [module for module in modules if (root / module).is_file()]
    report = io.StringIO()
    if present:
        with contextlib.suppress(NoDataError):  # none of them measured
            cov.report(  # type: ignore[attr-defined]
                include=[str(root / module) for module in present],
                show_missing=True,
                file=report,
                precision=2,
            )
    table = report.getvalue()
    found = []
    for module in modules:
        if module not in present:
            found.append(Shortfall(module, 0.0, "no such file (fix tests/full_coverage.txt)"))
            continue
        row = _row(table, module)
        if row is None:
            found.append(Shortfall(module, 0.0, "never measured: no test imported it"))
            continue
        percent = float(next(word for word in row.split() if word.endswith("%"))[:-1])
        if percent < 100.0:
            header = next((line for line in table.splitlines() if line.startswith("Name")), "")
            found.append(Shortfall(module, percent, f"{header}\n    {row}"))
    return found


def _row(table: str, module: str) -> str | None:
    """coverage.py's table row for ``module``: statements, misses, branches, cover, missing."""
    for line in table.splitlines():
        words = line.split()
        if words and words[0].endswith(module) and any(w.endswith("%") for w in words):
            return line
    return None


class WholeSuite:
    """Tells whether this run is the whole suite: no paths given, nothing deselected."""

    def __init__(self) -> None:
        self.deselected = 0

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        self.deselected += len(items)

    def applies(self, session: pytest.Session) -> bool:
        config = session.config
        return (
            config.args_source is pytest.Config.ArgsSource.TESTPATHS
            and not self.deselected
            and not config.option.collectonly
            and not hasattr(config, "workerinput")  # an xdist worker holds only its share
        )


# Libraries the listed modules import, imported untraced before them: only our lines are
# measured, and tracing these imports too made the listed modules' import cost 1.4 s of CPU
# in each test process instead of 0.8 s. A library missing here is only imported traced.
_UNTRACED_FIRST = (
    "sqlalchemy",
    "sqlalchemy.orm",
    "pikepdf",
    "pypdf",
    "PIL.Image",
    "fontTools.ttLib",
    "watchdog.observers",
)


class CoveringTestsOnly:
    """Measures only during the tests the list names, when it names tests for every module.

    Tracing makes pure-Python code about twice as slow (coverage.py's tracer on Python 3.11),
    so the rest of the suite runs untraced. So does collection, which imports every library
    the tests use: the listed modules are imported first, traced, so that their top-level
    lines (imports, definitions) are measured. All tests are traced when a report is asked for
    (``--cov-report=term-missing``)."""

    def __init__(self, config: pytest.Config) -> None:
        modules = listed()
        self.globs = [g for tests in modules.values() for g in tests]
        reports = [kind for kind in getattr(config.option, "cov_report", None) or {} if kind]
        self.active = bool(modules) and all(modules.values()) and not reports

    def _cov(self, config: pytest.Config) -> object | None:
        plugin = config.pluginmanager.getplugin("_cov")
        controller = getattr(plugin, "cov_controller", None)
        return getattr(controller, "cov", None) if self.active else None

    def covers(self, item: pytest.Item) -> bool:
        test = item.path.relative_to(ROOT).as_posix() if item.path.is_relative_to(ROOT) else ""
        return any(fnmatch.fnmatch(test, glob) for glob in self.globs)

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection(self, session: pytest.Session) -> None:
        cov = self._cov(session.config)
        if cov is not None:
            # xdist's controller collects nothing and runs no test: importing the listed
            # modules there only delayed the workers' start.
            if not session.config.pluginmanager.has_plugin("dsession"):
                _pause(cov)
                for name in _UNTRACED_FIRST:
                    importlib.import_module(name)
                cov.start()  # type: ignore[attr-defined]
                for module in listed():
                    importlib.import_module(module_name(module))
            _pause(cov)

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        cov = self._cov(session.config)
        if cov is not None:
            _pause(cov)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, object, object]:
        cov = self._cov(item.config) if self.covers(item) else None
        if cov is None:
            return (yield)
        cov.start()  # type: ignore[attr-defined]
        try:
            return (yield)
        finally:
            _pause(cov)


def _pause(cov: object) -> None:
    """Stops tracing. An xdist worker holds two of pytest-cov's collectors (one started as
    the process began, its own at session start); stopping one resumes the other, so the
    tracer it puts back is taken off too."""
    cov.stop()  # type: ignore[attr-defined]
    if type(sys.gettrace()).__module__.startswith("coverage"):
        sys.settrace(None)
        threading.settrace(None)  # type: ignore[arg-type]


def check(session: pytest.Session, whole: WholeSuite) -> None:
    """After a passing run of the whole suite: fails it if a listed module is below 100%."""
    if not whole.applies(session) or session.testsfailed:
        return
    terminal = session.config.pluginmanager.getplugin("terminalreporter")
    plugin = session.config.pluginmanager.getplugin("_cov")
    controller = getattr(plugin, "cov_controller", None)
    if controller is None or getattr(plugin, "_disabled", False):
        if terminal is not None:
            terminal.write_line("")
            terminal.write_line("tests/full_coverage.txt not checked: coverage is off (--no-cov)")
        return
    found = shortfalls(controller.cov, listed_modules())
    if not found:
        return
    message = "\n".join(
        [
            "Coverage list (tests/full_coverage.txt): these modules must stay at 100% line and "
            "branch coverage",
            *(shortfall.describe() for shortfall in found),
        ]
    )
    if terminal is not None:
        terminal.write_line("")
        terminal.write_line(message, red=True, bold=True)
    session.testsfailed += 1  # the run's exit status says it failed
