"""The store: one private folder holding the SQLite database and the stored files.

Every line of SQL in Yongju lives in this package, and only here are SQLAlchemy, Alembic and
``sqlite3`` imported (a test keeps it so). ``store.py`` is the ``Store`` the rest of the
application uses, speaking in frozen records; ``schema.py`` and ``migrations/`` are its
tables; ``folder.py`` says what a folder is before it is opened (new, a store, damaged,
someone else's) and reads databases that cannot be opened as a store; ``dbcopy.py`` takes
consistent copies of the database (the rolling ones, a backup's) and reads them;
``changes.py`` notices commits of other processes; ``lazy.py`` is the store as the window
opens it, its first screen read before SQLAlchemy is loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from yongju.core.store.store import DB_NAME, HEAD_REVISION, KNOWN_REVISIONS, Store, utcnow

__all__ = ["DB_NAME", "HEAD_REVISION", "KNOWN_REVISIONS", "Store", "utcnow"]


def __getattr__(name: str) -> Any:
    """The store's names, loaded on first use: ``folder`` and ``changes`` stay free of
    SQLAlchemy, which the command line and the window's start-up load only when needed."""
    if name in __all__:
        from yongju.core.store import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
