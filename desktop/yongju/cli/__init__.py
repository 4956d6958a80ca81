"""The command line: the same core, headless, for scripts, batch work and tests."""

from __future__ import annotations

import argparse
import functools
import importlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from yongju import __version__
from yongju.cli.context import CommandContext, UsageError, fail
from yongju.core.errors import NotFoundError, YongjuError

# The module that registers each command: a command line that names one builds only that
# module's parsers (building all of them cost more CPU than many a command's own work).
# Each module exposes ``register(subparsers, common)``; a command's handler is stored as
# ``func`` on its parser and called with (args, CommandContext) -> exit status.
COMMANDS = {
    **dict.fromkeys(("profiles", "case", "check"), "yongju.cli.catalogue"),
    **dict.fromkeys(("import", "docs", "doc", "file", "unfile"), "yongju.cli.documents"),
    "read": "yongju.cli.reading",
    "doctor": "yongju.cli.maintenance",
    "watch": "yongju.cli.watch",
    **dict.fromkeys(("export", "exports"), "yongju.cli.export"),
    **dict.fromkeys(("backup", "restore"), "yongju.cli.backup"),
}
COMMAND_MODULES = tuple(dict.fromkeys(COMMANDS.values()))  # in the order help lists them


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ``yongju`` argument parser with every command, or with only the commands of
    ``command``'s module when it names one (``--help`` lists them all)."""
    return _build(COMMANDS.get(command or ""))


@functools.cache
def _parser_of(module: str | None) -> argparse.ArgumentParser:
    """``build_parser``'s parser for the commands of ``module``, built once a process.

    Building one cost more CPU (3-6 ms) than many a command's own work, for every command
    run in one process (the tests run hundreds). Sharing is safe because parsing leaves a
    parser as it was: nothing is read from the environment or the clock while it is built,
    argparse copies a list default before it appends to it, and no command changes the
    arguments it is given (``tests/test_cli.py`` checks that runs leave every default as
    it was, and that runs in one process answer as separate processes would).
    """
    return _build(module)


def _build(module: str | None) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--store",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="the store folder (default: $YONGJU_STORE, else your user data folder)",
    )
    common.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print machine-readable JSON (a stable interface for scripts)",
    )
    parser = argparse.ArgumentParser(
        prog="yongju",
        parents=[common],
        description="Yongju (永居): assemble, check and print a China permanent-residence "
        "dossier. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"yongju {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in (module,) if module else COMMAND_MODULES:
        importlib.import_module(name).register(commands, common)
    return parser


def _without_store(argv: Sequence[str]) -> tuple[list[str], str | None]:
    """``argv`` without ``--store DIR`` (or ``--store=DIR``), and that DIR."""
    rest: list[str] = []
    store = None
    args = iter(argv)
    for arg in args:
        if arg == "--store":
            store = next(args, None)
        elif arg.startswith("--store="):
            store = arg.partition("=")[2]
        else:
            rest.append(arg)
    return rest, store


def _first_word(argv: Sequence[str]) -> str | None:
    """The first argument that is not an option: the command, or a file for the window."""
    positional = [a for a in _without_store(argv)[0] if not a.startswith("-")]
    return positional[0] if positional else None


def _command_alone(argv: Sequence[str]) -> str | None:
    """The command named, when its module's parsers alone can read ``argv`` (not when help
    is asked for before it: the help lists every command)."""
    rest, first = _without_store(argv)[0], _first_word(argv)
    if first is None or any(a in ("-h", "--help") for a in rest[: rest.index(first)]):
        return None
    return first


def _wants_window(argv: Sequence[str]) -> bool:
    first = _first_word(argv)
    if first is None:
        return not any(a in ("-h", "--help", "--version") for a in argv)
    return first not in COMMANDS and Path(first).exists()


def run(argv: Sequence[str]) -> int:
    """Runs one command line; returns the exit status (0 ok, 1 refused/not ready, 2 usage)."""
    if not _without_store(argv)[0]:
        return _run_window(list(argv))  # plain `yongju`: no need to build every command first
    if _wants_window(argv):
        return _run_window(list(argv))
    parser = _parser_of(COMMANDS.get(_command_alone(argv) or ""))
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        parser.print_help()
        return 2
    context = CommandContext.from_args(args)
    try:
        return int(args.func(args, context))
    except UsageError as exc:
        return fail(str(exc), status=2)
    except NotFoundError as exc:
        return fail(str(exc), status=2)
    except YongjuError as exc:
        return fail(str(exc), status=1)
    except KeyboardInterrupt:
        return fail("interrupted", status=130)
    except BrokenPipeError:  # the reader went away (`yongju docs | head`): stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:  # a full disk, a folder without permission…
        return fail(f"{exc.strerror or exc}{f': {exc.filename}' if exc.filename else ''}")
    except Exception as exc:  # a bug of ours: one line here, the traceback in the log
        problem = _store_problem(exc, context)
        if problem is not None:
            return fail(str(problem))
        where = context.log_file()
        logging.getLogger("yongju").exception("unexpected error in %s", args.command)
        details = f"; details are in {where}" if where else ""
        return fail(f"unexpected error ({type(exc).__name__}: {exc}){details}".replace("\n", " "))
    finally:
        context.close()


def _store_problem(exc: Exception, context: CommandContext) -> YongjuError | None:
    """The sentence for a database error about the whole store (a full disk, a read-only or
    damaged database), or None for anything else."""
    from yongju.core.store.folder import store_problem

    return store_problem(exc, context.paths.store)


def _run_window(argv: list[str]) -> int:
    rest, store = _without_store(argv)
    files = [a for a in rest if not a.startswith("-")]
    try:
        from yongju.app import run_gui
    except ImportError as exc:  # a minimal install without the window
        print(f"yongju: the window is not available in this installation ({exc}).", file=sys.stderr)
        return 1
    from yongju.core.paths import AppPaths

    return run_gui(files, AppPaths.resolve(store))
