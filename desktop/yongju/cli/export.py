"""``yongju export``: write a case's packet (PDF + manifest); ``yongju exports``: its history."""

from __future__ import annotations

import argparse
import json
import re
import signal
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from yongju.cli.context import CommandContext, UsageError, warn
from yongju.cli.passwords import add_packet_password, packet_password

if TYPE_CHECKING:
    from yongju.cli.context import Commands

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(kb|k|mb|m|gb|g|b)?\s*$", re.IGNORECASE)
_UNITS = {
    "b": 1,
    "k": 1_000,
    "kb": 1_000,
    "m": 1_000_000,
    "mb": 1_000_000,
    "g": 1_000_000_000,
    "gb": 1_000_000_000,
}


def parse_size(text: str) -> int:
    """``20MB``, ``500 kB``, ``1.5G`` or a plain number of megabytes → bytes (decimal units)."""
    match = _SIZE.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"not a size (like 20MB): {text!r}")
    number, unit = float(match.group(1)), (match.group(2) or "mb").lower()
    size = int(number * _UNITS[unit])
    if size < 100_000:
        raise argparse.ArgumentTypeError(f"a packet cannot fit in {text!r}; give at least 0.1MB")
    return size


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    export = commands.add_parser(
        "export",
        parents=[common],
        help="write a case's packet: one ordered A4 PDF",
        description="Writes the case's packet (cover, contents, every filed document in the "
        "profile's order, bookmarks) and its manifest beside it (FILE.pdf.manifest.json).",
    )
    export.add_argument("--case", required=True, metavar="NAME", help="the case (name or id)")
    export.add_argument(
        "-o", "--output", required=True, metavar="FILE.pdf", help="where to write the packet"
    )
    export.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="export even if the checklist is not ready (the cover says so)",
    )
    export.add_argument(
        "--no-cover", action="store_true", help="leave out the cover and contents pages"
    )
    export.add_argument(
        "--no-stamp",
        action="store_true",
        help="leave out the footer that numbers every page (case, slot, 'page n of N'); "
        "pages are numbered by default, as the contents refer to them",
    )
    export.add_argument(  # the default now; still accepted so that scripts keep working
        "--stamp", action="store_true", help=argparse.SUPPRESS
    )
    add_packet_password(export)
    export.add_argument(
        "--max-size",
        type=parse_size,
        metavar="SIZE",
        help="recompress images so the file fits, e.g. 20MB",
    )
    export.add_argument(
        "--no-id-card-layout", action="store_true", help="never put two ID-card sides on one page"
    )
    export.set_defaults(func=cmd_export)

    history = commands.add_parser(
        "exports",
        parents=[common],
        help="what was exported for a case, and when",
        description="Lists the packets written for the case, oldest first: when, where, pages, "
        "size and SHA-256 (the record of what was handed in). --json adds each manifest.",
    )
    history.add_argument("--case", required=True, metavar="NAME", help="the case (name or id)")
    history.set_defaults(func=cmd_exports)


def _terminate(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # unwinds through the export, which removes its temporary file


def cmd_export(args: argparse.Namespace, ctx: CommandContext) -> int:
    from yongju.core.packet import PacketOptions
    from yongju.core.packet.case import export_packet

    output = Path(args.output).expanduser()
    if output.suffix.lower() != ".pdf":
        raise UsageError(f"the packet must be a .pdf file, not '{output.name}'")
    options = PacketOptions(
        cover=not args.no_cover,
        stamp=not args.no_stamp,
        password=packet_password(args),
        max_size=args.max_size,
        allow_incomplete=args.allow_incomplete,
        id_card_layout=not args.no_id_card_layout,
    )
    said: list[str] = []

    def say_first(unprintable: str) -> None:  # before writing: the user can stop and rename
        said.append(unprintable)
        if not ctx.json:
            warn(unprintable)

    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        result = export_packet(
            ctx.store, ctx.profiles, _case_key(args.case), output, options, warn_first=say_first
        )
    finally:
        signal.signal(signal.SIGTERM, previous)
    data = {
        "output": str(result.output),
        "pages": result.pages,
        "bytes": result.bytes,
        "manifest": str(result.manifest_path),
        "warnings": list(result.warnings),
    }
    lines = [
        f"Wrote {result.output}: {result.pages} pages, {result.bytes / 1e6:.1f} MB "
        f"(manifest {result.manifest_path.name})."
    ]
    lines += [f"warning: {w}" for w in result.warnings if w not in said]
    ctx.emit(data, "\n".join(lines))
    return 0


def cmd_exports(args: argparse.Namespace, ctx: CommandContext) -> int:
    case = ctx.store.case(_case_key(args.case))
    exports = ctx.store.exports(case.id)
    data = [
        {
            "id": e.id,
            "created_at": e.created_at.isoformat(),
            "path": e.path,
            "pages": e.pages,
            "bytes": e.size,
            "sha256": e.sha256,
            "manifest": _manifest(e.manifest),
        }
        for e in exports
    ]
    lines = [
        f"{e.created_at.astimezone():%Y-%m-%d %H:%M}  {e.pages:4} pages  "
        f"{e.size / 1e6:6.1f} MB  {e.path}\n    sha256 {e.sha256}"
        for e in exports
    ]
    ctx.emit(data, "\n".join(lines) or f"Nothing has been exported for {case.name} yet.")
    return 0


def _manifest(text: str) -> object:
    """The manifest as JSON (kept as text if a store from elsewhere holds something else)."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _case_key(text: str) -> int | str:
    return int(text) if text.isdigit() else text
