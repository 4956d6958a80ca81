"""What every command shares: the store and profiles (opened on first use) and output."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yongju.core.errors import YongjuError
from yongju.core.paths import AppPaths
from yongju.core.profiles import ProfileSet
from yongju.core.store import Store


class UsageError(YongjuError):
    """The command line asks for something that cannot be (exit status 2)."""


def fail(message: str, status: int = 1) -> int:
    """Prints one line on stderr and returns ``status``."""
    print(f"yongju: {message}", file=sys.stderr)
    return status


def warn(message: str) -> None:
    print(f"yongju: warning: {message}", file=sys.stderr)


def parse_date(text: str) -> dt.date | None:
    """A date argument: YYYY-MM-DD, or ``none`` to clear it."""
    if text.strip().lower() in ("", "none", "-"):
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _log_to(folder: Path) -> None:
    """Unexpected errors go to ``<store>/logs/yongju.log``, never onto the user's terminal."""
    root = logging.getLogger()
    if any(isinstance(h, logging.FileHandler) for h in root.handlers):
        return
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(folder / "yongju.log", encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)


def to_json(value: Any) -> str:
    def default(obj: Any) -> Any:
        if isinstance(obj, dt.date | dt.datetime):
            return obj.isoformat()
        if isinstance(obj, set | frozenset | tuple):
            return sorted(obj) if isinstance(obj, set | frozenset) else list(obj)
        return str(obj)

    return json.dumps(value, ensure_ascii=False, indent=2, default=default)


@dataclass
class CommandContext:
    """The store and profiles for one command, opened lazily so ``--help`` stays instant."""

    paths: AppPaths
    json: bool = False
    _store: Store | None = field(default=None, repr=False)
    _profiles: ProfileSet | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> CommandContext:
        return cls(
            AppPaths.resolve(getattr(args, "store", None)), json=getattr(args, "json", False)
        )

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.paths.store)
            _log_to(self._store.log_dir)
        return self._store

    @property
    def profiles(self) -> ProfileSet:
        if self._profiles is None:
            from yongju.core.profiles import load_profiles
            from yongju.core.resources import resource_path

            self._profiles = load_profiles(resource_path("profiles"), self.paths.user_profiles)
            for problem in self._profiles.problems:
                warn(f"profile {problem.path} was not loaded: {problem.message}")
        return self._profiles

    def emit(self, data: Any, text: str | None = None) -> None:
        """Prints ``data`` as JSON with ``--json``, otherwise ``text``."""
        if self.json:
            print(to_json(data))
        elif text is not None and text != "":
            print(text)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
