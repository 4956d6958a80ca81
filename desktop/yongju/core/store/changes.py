"""Noticing what other processes (the command line, a watcher) commit to the same store."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path


class ChangeCounter:
    """SQLite's ``PRAGMA data_version`` on a private read-only connection.

    The number changes whenever any other connection commits to the database, and costs
    microseconds to read, so a window can poll it on a timer. Every commit counts — the
    window's own included, since they come through other connections — so callers compare
    against the value read when they last loaded what they show.
    """

    def __init__(self, database: Path) -> None:
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = sqlite3.connect(
            f"file:{database}?mode=ro", uri=True, check_same_thread=False
        )

    def value(self) -> int:
        """The current version; -1 once closed (or when the database cannot be read)."""
        with self._lock:
            if self._conn is None:
                return -1
            try:
                row = self._conn.execute("PRAGMA data_version").fetchone()
            except sqlite3.Error:
                return -1
        return int(row[0])

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
