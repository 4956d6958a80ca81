"""Commands that look after the store: ``doctor``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from yongju.cli.context import CommandContext, warn
from yongju.core.doctor import DoctorReport, check_store

if TYPE_CHECKING:
    from yongju.cli.context import Commands


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    doctor = commands.add_parser("doctor", parents=[common], help="check the store")
    doctor.add_argument(
        "--repair",
        action="store_true",
        help="bring back a lost database from its newest copy, add stored files without a "
        "record to the inbox (unreadable ones go to the store's quarantine folder) and remove "
        "leftovers of interrupted imports; never deletes a stored file",
    )
    doctor.add_argument(
        "--verify",
        action="store_true",
        help="also re-hash every stored file (slow on a large store)",
    )
    doctor.set_defaults(func=cmd_doctor)


def cmd_doctor(args: argparse.Namespace, ctx: CommandContext) -> int:
    # The folder, not ctx.store: a store too damaged to open is exactly doctor's business.
    folder = ctx.paths.store
    ctx.log_to(folder)
    report = check_store(
        folder,
        repair=args.repair,
        verify=args.verify,
        profile_ids=ctx.profiles.ids(),
        on_wait=lambda: warn("waiting for an import in another process to finish…"),
    )
    data = {
        "ok": report.ok,
        "problems": report.problems,
        "garbage": report.garbage,
        "unrecorded": report.unrecorded,
        "repaired": report.repaired,
        "quarantined": report.quarantined,
        "restored_from": report.restored_from or None,
        "documents": report.documents,
        "store": str(folder),
    }
    ctx.emit(data, "\n".join(_lines(folder, report, args.repair)))
    return 0 if report.ok else 1


def _lines(folder: object, report: DoctorReport, repair: bool) -> list[str]:
    lines = [f"Store {folder}: {report.documents} documents."]
    lines += [f"problem: {p}" for p in report.problems]
    lines += [f"no record: {u}" for u in report.unrecorded]
    lines += [f"garbage: {g}" for g in report.garbage]
    lines += [f"repaired: {r}" for r in report.repaired]
    lines += [f"quarantined: {q}" for q in report.quarantined]
    if report.advice:
        lines.append(report.advice)
    elif (report.unrecorded or report.garbage) and not repair:
        lines.append(
            "Run `yongju doctor --repair` to add the stored files without a record to the "
            "inbox and remove leftovers of interrupted imports."
        )
    if report.quarantined:
        lines.append(
            "The quarantined files could not be read as documents; they stay in the store's "
            "quarantine folder until you remove them."
        )
    if not report.ok:
        lines.append("Problems found.")
    elif report.unrecorded:
        count = len(report.unrecorded)
        files, them = ("file", "it") if count == 1 else ("files", "them")
        lines.append(
            f"Nothing is lost, but {count} stored {files} cannot be seen in Yongju until "
            f"`yongju doctor --repair` adds {them} to the inbox."
        )
    else:
        lines.append("OK.")
    return lines
