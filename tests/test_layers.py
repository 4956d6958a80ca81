"""The layer rules: core never imports Qt, nothing outside core/store/ touches the database
(the store owns all SQL), no import cycles, packages import only downwards, and
docs/architecture.md's picture of them is the one the code draws."""

from __future__ import annotations

import ast
import functools
import importlib.machinery
import importlib.util
import sys
import tomllib
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "desktop" / "yongju"
CORE = PACKAGE / "core"
STORE = CORE / "store"
DATABASE_LIBRARIES = {"sqlalchemy", "sqlite3", "alembic"}


def _imports(path: Path) -> set[str]:
    return set(_imported(path.read_text(encoding="utf-8")))


@functools.cache
def _imported(source: str) -> frozenset[str]:
    """Every module a source imports, anywhere in it (its import statements are found by
    packaging/architecture, once a process: every test here asks)."""
    names: set[str] = set()
    for node, _where in ARCHITECTURE.import_statements(source):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif node.module:
            names.add(node.module)
    return frozenset(names)


def test_core_never_imports_qt() -> None:
    offenders = {
        str(path.relative_to(CORE)): sorted(
            n
            for n in _imports(path)
            if n.split(".")[0] in {"PySide6", "shiboken6", "PyQt5", "PyQt6"}
        )
        for path in CORE.rglob("*.py")
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, f"core/ must not import Qt: {offenders}"
    assert any(CORE.rglob("*.py")), "core/ should not be empty"


def _database_imports(path: Path) -> list[str]:
    return sorted(n for n in _imports(path) if n.split(".")[0] in DATABASE_LIBRARIES)


def test_only_the_store_touches_the_database() -> None:
    """SQLAlchemy, Alembic and sqlite3 are imported in core/store/ and nowhere else, even
    inside a function: every query, and every database error, is the store's."""
    modules = list(PACKAGE.rglob("*.py"))
    offenders = {
        str(path.relative_to(PACKAGE)): _database_imports(path)
        for path in modules
        if STORE not in path.parents
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, f"only core/store/ may use the database: {offenders}"
    inside = {path.name for path in modules if STORE in path.parents and _database_imports(path)}
    assert {"store.py", "schema.py", "folder.py", "dbcopy.py", "changes.py"} <= inside


def test_no_module_imports_what_mypy_skips() -> None:
    """pyproject's mypy settings skip some libraries other libraries import (a fresh
    checkout's check is faster): one of ours importing them would be checked against Any."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    skipped = [
        pattern.removesuffix(".*")
        for override in settings["tool"]["mypy"]["overrides"]
        if override.get("follow_imports") == "skip"
        for pattern in override["module"]
    ]
    assert skipped, "pyproject no longer skips any module: drop this test"
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            name
            for name in _imports(path)
            for prefix in skipped
            if name == prefix or name.startswith(prefix + ".")
        )
        for path in PACKAGE.rglob("*.py")
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, f"mypy skips what these import (pyproject.toml): {offenders}"


def _architecture() -> ModuleType:
    """packaging/architecture, the script that reads the import graph and draws it."""
    path = ROOT / "packaging" / "architecture"
    loader = importlib.machinery.SourceFileLoader("yongju_architecture", str(path))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[loader.name] = module  # dataclasses look their module up
    loader.exec_module(module)
    return module


ARCHITECTURE = _architecture()

# Who may import whom: each package of desktop/yongju/ and the packages it may import (core
# and Qt aside, which every ui package may use). A feature imports common and the few
# features below it; only window/ (and app.py, the composition root) sees them all.
UI_BELOW_WINDOW = {
    "ui.common": set(),
    "ui.editing": {"ui.common"},
    "ui.details": {"ui.common"},
    "ui.preview": {"ui.common"},
    "ui.export": {"ui.common"},
    "ui.watching": {"ui.common"},
    "ui.documents": {"ui.common"},
    "ui.checklist": {"ui.common", "ui.documents", "ui.editing"},
    "ui.cases": {"ui.common", "ui.details", "ui.export"},
    "ui.reading": {"ui.common"},
}
MAY_IMPORT = {
    "yongju": set(),
    "core": set(),
    "cli": {"core", "app"},
    "ui": set(),
    **{name: {"core", *below} for name, below in UI_BELOW_WINDOW.items()},
    "ui.window": {"core", *UI_BELOW_WINDOW},
    "app": {"core", "ui.window", *UI_BELOW_WINDOW},
}


def _cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    graph: dict[str, set[str]] = {}
    for source, target in edges:
        graph.setdefault(source, set()).add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    edges = {("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "d")}
    assert _cycles(edges) == [["a", "b", "c"]]
    assert _cycles({("a", "b"), ("b", "c")}) == []


def test_no_module_imports_itself_round_a_cycle() -> None:
    """No yongju module imports, at module level, one that imports it back (however far)."""
    imports = ARCHITECTURE.imports()
    assert len(imports) > 300, "the import graph should be read"
    at_import = {(i.source, i.target) for i in imports if i.top_level}
    assert not _cycles(at_import), f"import cycles: {_cycles(at_import)}"
    # Imports inside functions (loaded on first use) make no cycle either.
    every = {(i.source, i.target) for i in imports}
    assert not _cycles(every), f"import cycles through deferred imports: {_cycles(every)}"


def test_packages_import_only_downwards() -> None:
    """Each package imports only those below it (common imports no other ui package).

    Type hints count too: a feature that names the window's class even under
    ``TYPE_CHECKING`` reaches back into it (as the export flow once did), so it is refused.
    """
    known = set(MAY_IMPORT)
    boxes = {ARCHITECTURE.box(name) for name in ARCHITECTURE.modules()}
    assert boxes <= known, f"packages with no rule in MAY_IMPORT: {boxes - known}"
    wrong = sorted(
        f"{i.source} imports {i.target}"
        for i in ARCHITECTURE.imports(annotations=True)
        if ARCHITECTURE.box(i.target) != ARCHITECTURE.box(i.source)
        and ARCHITECTURE.box(i.target) not in MAY_IMPORT[ARCHITECTURE.box(i.source)]
    )
    assert not wrong, "imports against the direction of the layers:\n" + "\n".join(wrong)


def test_the_architecture_picture_is_generated_from_the_code() -> None:
    """docs/architecture.md's picture is what packaging/architecture draws today."""
    text = ARCHITECTURE.DOC.read_text(encoding="utf-8")
    assert ARCHITECTURE.BEGIN in text and ARCHITECTURE.END in text
    assert ARCHITECTURE.updated(text) == text, (
        "docs/architecture.md is out of date: run .venv/bin/python packaging/architecture"
    )
