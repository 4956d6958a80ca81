"""Commands that look after the store: ``doctor``."""

from __future__ import annotations

import argparse
from typing import Any

from yongju.cli.context import CommandContext
from yongju.core.doctor import check_store


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    doctor = commands.add_parser("doctor", parents=[common], help="check the store")
    doctor.add_argument(
        "--repair",
        action="store_true",
        help="remove orphaned files and leftovers of interrupted imports",
    )
    doctor.add_argument(
        "--verify",
        action="store_true",
        help="also re-hash every stored file (slow on a large store)",
    )
    doctor.set_defaults(func=cmd_doctor)


def cmd_doctor(args: argparse.Namespace, ctx: CommandContext) -> int:
    report = check_store(
        ctx.store, repair=args.repair, verify=args.verify, profile_ids=ctx.profiles.ids()
    )
    data = {
        "ok": report.ok,
        "problems": report.problems,
        "garbage": report.garbage,
        "repaired": report.repaired,
        "documents": report.documents,
        "store": str(ctx.store.folder),
    }
    lines = [f"Store {ctx.store.folder}: {report.documents} documents."]
    lines += [f"problem: {p}" for p in report.problems]
    lines += [f"garbage: {g}" for g in report.garbage]
    lines += [f"repaired: {r}" for r in report.repaired]
    if report.garbage and not args.repair:
        lines.append("Run `yongju doctor --repair` to remove the garbage (it is harmless).")
    lines.append("OK." if report.ok else "Problems found.")
    ctx.emit(data, "\n".join(lines))
    return 0 if report.ok else 1
