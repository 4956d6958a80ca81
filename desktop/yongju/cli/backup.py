"""``yongju backup`` and ``yongju restore``: the whole store in one verified archive."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from yongju.cli.context import CommandContext, warn

if TYPE_CHECKING:
    from yongju.cli.context import Commands


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    backup = commands.add_parser(
        "backup",
        parents=[common],
        help="write the whole store into one archive (safe while Yongju is open)",
        description="Writes the database (a consistent copy, even while the window or a "
        "watcher is writing), every stored file and a list of their SHA-256 hashes into one "
        "archive, readable only by you. An existing FILE is replaced only if it is a Yongju "
        "backup.",
    )
    backup.add_argument("file", metavar="FILE", help="the archive to write, e.g. yongju.tar")
    backup.set_defaults(func=cmd_backup)
    restore = commands.add_parser(
        "restore",
        parents=[common],
        help="restore an archive into a new or empty store",
        description="Checks every file of the archive against its recorded SHA-256, then puts "
        "the store in place in one step (--store DIR, or the default store). A store that "
        "already holds documents is never restored over; a damaged archive restores nothing.",
    )
    restore.add_argument("file", metavar="FILE", help="an archive written by `yongju backup`")
    restore.set_defaults(func=cmd_restore)


def _terminate(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # unwinds through the work, which removes its temporary files


@contextmanager
def _stoppable() -> Iterator[None]:
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _progress(what: str) -> Callable[[int, int], None] | None:
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        percent = 100 * done // max(total, 1)
        print(f"\r\033[K{what}: {percent}%", end=end, file=sys.stderr, flush=True)

    return show


def cmd_backup(args: argparse.Namespace, ctx: CommandContext) -> int:
    from yongju.core.backup import backup_store

    with _stoppable():
        result = backup_store(ctx.store, Path(args.file), progress=_progress("Backing up"))
    data = {
        "archive": str(result.archive),
        "documents": result.documents,
        "cases": result.cases,
        "files": result.files,
        "bytes": result.size,
        "problems": list(result.problems),
    }
    ctx.emit(
        data,
        f"Backed up {_count(result.documents, 'document')} and {_count(result.cases, 'case')} "
        f"({result.size / 1e6:.1f} MB) to {result.archive}.",
    )
    for problem in result.problems:
        warn(f"{problem} (run `yongju doctor --verify`)")
    return 1 if result.problems else 0


def cmd_restore(args: argparse.Namespace, ctx: CommandContext) -> int:
    from yongju.core.backup import restore_store

    target = ctx.paths.store  # never opened: opening would make it a (non-empty) store
    with _stoppable():
        result = restore_store(Path(args.file), target, progress=_progress("Restoring"))
    data = {
        "store": str(result.folder),
        "documents": result.documents,
        "cases": result.cases,
        "files": result.files,
        "created": result.created,
        "problems": list(result.problems),
    }
    ctx.emit(
        data,
        f"Restored {_count(result.documents, 'document')} and {_count(result.cases, 'case')} "
        f"(backed up {result.created or 'at an unknown time'}) into {result.folder}.",
    )
    for problem in result.problems:
        warn(f"the backup says: {problem}")
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"
