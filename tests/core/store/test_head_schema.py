"""A new store is made from ``head_schema`` at once: the schema every migration leaves.

When a migration is added, this test fails until ``head_schema.py`` is made again from the
migrations: ``.venv/bin/python -m tests.core.store.test_head_schema`` writes it.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from pathlib import Path

import pytest

from yongju.core.errors import StoreError
from yongju.core.store import HEAD_REVISION, Store, head_schema
from yongju.core.store import store as opening
from yongju.core.store.folder import DB_NAME

# Everything SQLite says about a schema: its statements, and the tables and indexes as read.
_PRAGMAS = ("table_xinfo", "foreign_key_list", "index_list")


def _migrated(folder: Path) -> Path:
    """A database brought to the newest schema by running every migration (as an old
    store's upgrade does)."""
    folder.mkdir(parents=True)
    opening._migrate(folder / DB_NAME)
    return folder / DB_NAME


def _statements(path: Path) -> list[str]:
    """The statements that made the schema of ``path``, in the order they were run."""
    with sqlite3.connect(path) as db:
        query = "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
        found = [row[0] for row in db.execute(query)]
    db.close()
    return found


def _described(path: Path) -> dict[str, object]:
    """The schema of ``path`` as SQLite reads it back, and the store's revision."""
    with sqlite3.connect(path) as db:
        master = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        described: dict[str, object] = {"master": db.execute(master).fetchall()}
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for pragma in _PRAGMAS:
                described[f"{pragma}({table})"] = db.execute(f"PRAGMA {pragma}({table})").fetchall()
        indexes = [
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='index'")
        ]
        for index in indexes:
            described[f"index_xinfo({index})"] = db.execute(
                f"PRAGMA index_xinfo({index})"
            ).fetchall()
        for pragma in ("user_version", "application_id", "journal_mode", "encoding"):
            described[pragma] = db.execute(f"PRAGMA {pragma}").fetchall()
        described["revision"] = db.execute("SELECT * FROM alembic_version").fetchall()
    db.close()
    return described


def test_a_new_store_has_the_schema_every_migration_leaves(tmp_path: Path) -> None:
    migrated = _migrated(tmp_path / "migrated")
    assert _statements(migrated) == list(head_schema.STATEMENTS), (
        "head_schema.py is not the migrations' schema: make it again with "
        "`.venv/bin/python -m tests.core.store.test_head_schema`"
    )
    assert head_schema.REVISION == HEAD_REVISION
    with Store.open(tmp_path / "created"):
        pass
    assert _described(tmp_path / "created" / DB_NAME) == _described(migrated)


def test_a_new_store_is_made_without_alembic(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(opening, "_migrate", lambda _path: pytest.fail("migrated"))
    with Store.open(tmp_path / "store") as store:
        assert store.cases() == []


def test_a_creation_sqlite_refuses_leaves_no_table_behind(tmp_path: Path, monkeypatch) -> None:
    """All of the schema or none of it: a statement refused halfway undoes the others."""
    broken = (*head_schema.STATEMENTS[:3], "CREATE TABLE documents (id INTEGER)")
    monkeypatch.setattr(head_schema, "STATEMENTS", broken)
    folder = tmp_path / "store"
    with pytest.raises(StoreError, match=r"cannot be used .*already exists.*yongju doctor"):
        Store.open(folder)
    with sqlite3.connect(folder / DB_NAME) as db:
        assert db.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
    db.close()
    monkeypatch.undo()
    with Store.open(folder) as store:  # the next open makes it whole
        assert store.cases() == []


def module_text(statements: list[str]) -> str:
    """``head_schema.py`` for ``statements`` (each split where SQLite's text breaks a line
    or a column ends, so that it reads as the table it makes)."""
    lines = [
        '"""The schema of the newest revision, exactly as the migrations leave it in SQLite.',
        "",
        "A new store is made from these statements in one transaction, without Alembic: running",
        "every migration cost each new store ~70 ms of CPU, and loading Alembic 0.15 s more.",
        "Written from the migrations by ``python -m tests.core.store.test_head_schema``; a test",
        "keeps it equal to them. Never edit it by hand: a change of schema is a migration.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        f'REVISION = "{HEAD_REVISION}"',
        "",
        "STATEMENTS = (",
    ]
    for statement in statements:
        pieces = [p for p in re.split(r"(?<=\n)", statement) if p]  # a line of the table each
        for index, piece in enumerate(pieces):
            end = "," if index == len(pieces) - 1 else ""
            lines.extend(f"    {_quoted(part)}" for part in _shorter(piece)[:-1])
            lines.append(f"    {_quoted(_shorter(piece)[-1])}{end}")
    lines.append(")")
    return "\n".join(lines) + "\n"


def _shorter(line: str) -> list[str]:
    """``line`` cut after a comma where it is too long for one line of source."""
    parts = [""]
    for piece in re.split(r"(?<=, )", line):
        if parts[-1] and len(_quoted(parts[-1] + piece)) > 90:
            parts.append("")
        parts[-1] += piece
    return parts


def _quoted(text: str) -> str:
    """``text`` as a string literal, quoted as ruff's formatter would."""
    inner = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
    if '"' in inner and "'" not in inner:
        return f"'{inner}'"
    return '"' + inner.replace('"', '\\"') + '"'


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        made = _statements(_migrated(Path(scratch) / "store"))
    target = Path(head_schema.__file__)
    target.write_text(module_text(made), encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)
