"""The layer rules: nothing under core/ imports Qt (the UI is the only Qt layer), and nothing
outside core/store/ touches the database (the store owns all SQL)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "desktop" / "yongju"
CORE = PACKAGE / "core"
STORE = CORE / "store"
DATABASE_LIBRARIES = {"sqlalchemy", "sqlite3", "alembic"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


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
