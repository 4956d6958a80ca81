"""Where Yongju keeps things: the store, user profiles, caches and settings (one place)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "yongju"
STORE_ENV = "YONGJU_STORE"
CONFIG_ENV = "YONGJU_CONFIG"


@dataclass(frozen=True)
class AppPaths:
    """The folders one run of Yongju uses; tests and ``--store`` build their own."""

    store: Path
    config: Path

    @property
    def user_profiles(self) -> Path:
        """Folder of the user's own (edited or added) requirement profiles."""
        return self.config / "profiles"

    @classmethod
    def resolve(cls, store: str | os.PathLike[str] | None = None) -> AppPaths:
        """The paths for this run: ``store`` if given, else ``$YONGJU_STORE``, else the default."""
        chosen = store or os.environ.get(STORE_ENV)
        store_dir = Path(chosen) if chosen else Path(platformdirs.user_data_dir(APP_NAME))
        config_env = os.environ.get(CONFIG_ENV)
        config_dir = (
            Path(config_env) if config_env else Path(platformdirs.user_config_dir(APP_NAME))
        )
        return cls(
            store=store_dir.expanduser().absolute(), config=config_dir.expanduser().absolute()
        )
