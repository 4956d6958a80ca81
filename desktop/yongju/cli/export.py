"""``yongju export``: write a case's packet (PDF + manifest) from the command line."""

from __future__ import annotations

import argparse
import re
import signal
from pathlib import Path
from typing import Any

from yongju.cli.context import CommandContext, UsageError, warn
from yongju.cli.passwords import add_packet_password, packet_password

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


def register(commands: Any, common: argparse.ArgumentParser) -> None:
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


def _terminate(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt  # unwinds through the export, which removes its temporary file


def cmd_export(args: argparse.Namespace, ctx: CommandContext) -> int:
    from yongju.core.checklist import build_checklist
    from yongju.core.packet import PacketOptions
    from yongju.core.packet.case import export_packet, text_warning

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
    # Said before writing, so the user can stop and rename before the packet exists.
    unprintable = text_warning(
        ctx.store, build_checklist(ctx.store, ctx.profiles, _case_key(args.case))
    )
    if unprintable and not ctx.json:
        warn(unprintable)
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        result = export_packet(ctx.store, ctx.profiles, _case_key(args.case), output, options)
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
    lines += [f"warning: {w}" for w in result.warnings if w != unprintable]
    ctx.emit(data, "\n".join(lines))
    return 0


def _case_key(text: str) -> int | str:
    return int(text) if text.isdigit() else text
