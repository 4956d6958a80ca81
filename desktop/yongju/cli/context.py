"""What every command shares: the store and profiles (opened on first use) and output."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yongju.core.errors import YongjuError
from yongju.core.logs import StoreLog, open_store_log
from yongju.core.paths import AppPaths
from yongju.core.profiles import ProfileSet

if TYPE_CHECKING:
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
    _log: StoreLog | None = field(default=None, repr=False)
    _quiet: logging.Handler | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> CommandContext:
        return cls(
            AppPaths.resolve(getattr(args, "store", None)), json=getattr(args, "json", False)
        )

    @property
    def store(self) -> Store:
        if self._store is None:
            from yongju.core.store import Store  # SQLAlchemy: only for commands that need it

            self._store = Store.open(self.paths.store)
            self.log_to(self._store.folder)
        return self._store

    def log_to(self, folder: Path) -> None:
        """Sends unexpected errors to the log of the store in ``folder``, never onto the
        terminal (a folder that is not a store and not empty gets no ``logs/``)."""
        from yongju.core.store.folder import prepare_folder

        if self._log is not None:
            return
        try:
            prepare_folder(folder)
        except YongjuError:
            return
        self._log = open_store_log(folder / "logs")
        if self._log.crash is not None:  # said once: the next start finds nothing
            warn(self._log.crash.sentence())

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

    def log_file(self) -> Path | None:
        """Where unexpected errors are written: the store's log, if there is a store.

        Never opens the store: this is asked while handling an error, perhaps one from
        opening it. Without a log the traceback is dropped rather than printed.
        """
        self.log_to(self.paths.store)
        if self._log is None:
            self._quiet = logging.NullHandler()
            logging.getLogger().addHandler(self._quiet)
            return None
        return self._log.log_file

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._quiet is not None:
            logging.getLogger().removeHandler(self._quiet)
            self._quiet = None
