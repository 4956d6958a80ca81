"""Stores as older versions of Yongju left them: a database migrated only to a given revision."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, create_engine

from yongju.core import store as store_module

MIGRATIONS = Path(store_module.__file__).parent / "migrations"


def alembic_config() -> Config:
    """Alembic's configuration for the store's migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@contextmanager
def migrations_on(folder: Path) -> Iterator[tuple[Config, Connection]]:
    """Alembic bound to the store database in ``folder`` (made if missing), in one
    transaction that commits when the block ends."""
    folder.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{folder / 'yongju.db'}")
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            yield config, connection
    finally:
        engine.dispose()


@contextmanager
def old_store(folder: Path, revision: str) -> Iterator[Connection]:
    """A store in ``folder`` at schema ``revision``; what the block writes on the connection
    goes in with it."""
    with migrations_on(folder) as (config, connection):
        command.upgrade(config, revision)
        yield connection
