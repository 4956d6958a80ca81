"""``yongju watch FOLDER``: import scans as they appear in a folder, one line per file."""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from yongju.cli.context import CommandContext, UsageError
from yongju.cli.passwords import add_input_passwords, input_passwords
from yongju.core.names import displayable, printable
from yongju.core.watching import (
    DEFAULT_QUIET_SECONDS,
    DEFAULT_SETTLE_SECONDS,
    FolderWatcher,
    WatchAction,
    WatchEvent,
    WatchOptions,
)

if TYPE_CHECKING:
    from yongju.cli.context import Commands

_FAILED = {WatchAction.REFUSED, WatchAction.ERROR}


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0 seconds")
    return value


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser(
        "watch",
        parents=[common],
        help="import scans as they appear in a folder",
        description="Imports each file that appears in FOLDER once it is completely written. "
        "Temporary and hidden files are skipped (and listed). Runs until Ctrl-C, or with "
        "--once handles what is there now and exits (status 1 if a file was refused or "
        "was still incomplete).",
    )
    p.add_argument("folder", metavar="FOLDER")
    p.add_argument(
        "--case",
        metavar="NAME",
        help="subfolders named after a slot of this case file their documents there",
    )
    p.add_argument(
        "--poll",
        type=_seconds,
        metavar="SECONDS",
        help="list the folder every SECONDS instead of using the system's file "
        "events (automatic on network shares)",
    )
    p.add_argument(
        "--once",
        action="store_true",
        help="handle the files there now (waiting for unfinished ones), then exit",
    )
    p.add_argument(
        "--move",
        action="store_true",
        help="move imported files to FOLDER/imported/ and refused ones to "
        "FOLDER/refused/ (with a .reason.txt); nothing is ever deleted",
    )
    p.add_argument(
        "--quiet-seconds",
        type=_seconds,
        default=DEFAULT_QUIET_SECONDS,
        metavar="N",
        help="a file must be unchanged this long before it is read "
        f"(default {DEFAULT_QUIET_SECONDS:g})",
    )
    p.add_argument(
        "--settle-seconds",
        type=_seconds,
        default=DEFAULT_SETTLE_SECONDS,
        metavar="N",
        help="an incomplete file unchanged this long is refused "
        f"(default {DEFAULT_SETTLE_SECONDS:g})",
    )
    p.add_argument(
        "--wait",
        type=_seconds,
        metavar="SECONDS",
        help="with --once: wait at most this long for unfinished files "
        "(default: quiet + settle seconds)",
    )
    p.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="PATTERN",
        help="also skip files matching this glob (may be given several times)",
    )
    p.add_argument(
        "--retry-refused",
        action="store_true",
        help="look again at files refused in earlier runs (after giving a --password, say); "
        "otherwise a refused file is looked at again only when it changes",
    )
    add_input_passwords(p)
    p.set_defaults(func=cmd_watch)


class _Printer:
    """Prints each event as it happens (from the watcher's thread) and counts them."""

    def __init__(self, folder: Path, as_json: bool, stop: threading.Event) -> None:
        self.folder = folder
        self.as_json = as_json
        self.counts: Counter[WatchAction] = Counter()
        self._stop = stop
        self._lock = threading.Lock()

    def __call__(self, event: WatchEvent) -> None:
        with self._lock:
            self.counts[event.action] += 1
            try:
                print(self.line(event), flush=True)
            except BrokenPipeError:  # the reader went away: stop watching quietly
                self._stop.set()

    def line(self, event: WatchEvent) -> str:
        """One line: a file name can neither break it nor send the terminal escape codes."""
        if self.as_json:
            fields = {
                k: displayable(v) if isinstance(v, str) else v for k, v in event.as_json().items()
            }
            return json.dumps(fields, ensure_ascii=False)
        return printable(event.describe(self.folder))

    def summary(self) -> str:
        parts = [f"{n} {action.value.replace('_', ' ')}" for action, n in self.counts.items()]
        return ", ".join(parts) if parts else "nothing new"


def cmd_watch(args: argparse.Namespace, context: CommandContext) -> int:
    folder = Path(args.folder).expanduser().absolute()
    if args.once and not folder.is_dir():
        raise UsageError(f"there is no folder {printable(str(folder))}")
    if args.case:
        context.store.case(args.case)  # a wrong name is an error now, not at the first file
    options = WatchOptions(
        poll_seconds=args.poll,
        quiet_seconds=args.quiet_seconds,
        settle_seconds=args.settle_seconds,
        move_files=args.move,
        ignore=tuple(args.ignore),
        case=args.case,
        passwords=input_passwords(args),
    )
    stop = threading.Event()
    printer = _Printer(folder, context.json, stop)
    watcher = FolderWatcher(
        context.store, folder, options, on_event=printer, profiles=context.profiles
    )
    if args.retry_refused:
        watcher.retry_refused()
    if args.once:
        events = watcher.run_once(max_wait=args.wait)
        earlier = len(watcher.refused()) - printer.counts[WatchAction.REFUSED]
        note = f"; {earlier} file(s) refused earlier still in the folder" if earlier > 0 else ""
        print(f"yongju: {printer.summary()}{note}", file=sys.stderr)
        failed = any(e.action in _FAILED for e in events) or bool(watcher.waiting())
        failed = failed or any(printer.counts[action] for action in _FAILED)  # the retry pass
        return 1 if failed else 0
    return _watch_until_stopped(watcher, printer, stop)


def _watch_until_stopped(watcher: FolderWatcher, printer: _Printer, stop: threading.Event) -> int:
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    watcher.start()
    announced = ""
    try:
        while True:  # said at once, not after the first wait
            if watcher.mode is not None:
                mode = f"{watcher.mode.value}: {watcher.mode_reason}"
                if mode != announced:  # at the start, and when the folder comes back
                    print(
                        f"yongju: watching {printable(str(watcher.folder))} ({mode}); Ctrl-C stops",
                        file=sys.stderr,
                    )
                    announced = mode
            if stop.wait(0.2):  # a short wait keeps Ctrl-C responsive
                break
    except KeyboardInterrupt:
        pass
    finally:
        with contextlib.suppress(KeyboardInterrupt):
            watcher.stop()
        signal.signal(signal.SIGTERM, previous)
    print(f"yongju: stopped watching ({printer.summary()})", file=sys.stderr)
    return 0
