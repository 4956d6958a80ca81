"""Commands about profiles, cases and the checklist: ``profiles``, ``case …``, ``check``."""

from __future__ import annotations

import argparse
from typing import Any

from yongju.cli.context import CommandContext, UsageError, parse_date
from yongju.core.checklist import Checklist, SlotState, build_checklist
from yongju.core.records import CaseRecord

STATE_MARKS = {
    SlotState.OK: "✓",
    SlotState.NOT_APPLICABLE: "–",
    SlotState.OPTIONAL_EMPTY: "·",
}


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser("profiles", parents=[common], help="list the requirement profiles")
    p.add_argument("--slots", action="store_true", help="list every profile's slots too")
    p.set_defaults(func=cmd_profiles)

    case = commands.add_parser("case", parents=[common], help="create, list and change cases")
    sub = case.add_subparsers(dest="case_command", metavar="ACTION", required=True)
    new = sub.add_parser("new", parents=[common], help="create a case")
    new.add_argument("name", help="the applicant's name, for example")
    new.add_argument("--profile", required=True, help="profile id (see `yongju profiles`)")
    new.add_argument("--submission-date", type=parse_date, metavar="YYYY-MM-DD")
    new.add_argument("--notes", default="")
    new.set_defaults(func=cmd_case_new)
    lst = sub.add_parser("list", parents=[common], help="list the cases")
    lst.set_defaults(func=cmd_case_list)
    set_ = sub.add_parser("set", parents=[common], help="change a case")
    set_.add_argument("case", metavar="NAME")
    set_.add_argument("--name", dest="new_name")
    set_.add_argument("--profile")
    set_.add_argument(
        "--submission-date", type=parse_date, metavar="YYYY-MM-DD|none", default=argparse.SUPPRESS
    )
    set_.add_argument("--notes")
    set_.set_defaults(func=cmd_case_set)
    delete = sub.add_parser("delete", parents=[common], help="delete a case (documents stay)")
    delete.add_argument("case", metavar="NAME")
    delete.set_defaults(func=cmd_case_delete)
    na = sub.add_parser("na", parents=[common], help="mark a slot not applicable to a case")
    na.add_argument("case", metavar="NAME")
    na.add_argument("slot", metavar="SLOT")
    na.add_argument("--undo", action="store_true", help="make the slot applicable again")
    na.set_defaults(func=cmd_case_na)

    check = commands.add_parser("check", parents=[common], help="the checklist of a case")
    check.add_argument("--case", required=True, metavar="NAME")
    check.add_argument("--today", type=parse_date, help=argparse.SUPPRESS)  # for reproducible runs
    check.set_defaults(func=cmd_check)


def cmd_profiles(args: argparse.Namespace, ctx: CommandContext) -> int:
    profiles = ctx.profiles.profiles
    data = [
        {
            "id": p.id,
            "title_en": p.title_en,
            "title_zh": p.title_zh,
            "version": p.version,
            "checked": p.checked,
            "builtin": p.builtin,
            "slots": [
                {
                    "id": s.id,
                    "title_en": s.title_en,
                    "title_zh": s.title_zh,
                    "required": s.required,
                    "requirement": s.requirement.value,
                }
                for s in p.slots
            ],
        }
        for p in profiles
    ]
    lines = []
    for p in profiles:
        lines.append(f"{p.id:32} {p.title_en} ({p.title_zh}) — {len(p.slots)} slots")
        if args.slots:
            lines.extend(
                f"    {s.id:30} {s.requirement.value:11} {s.title_en} ({s.title_zh})"
                for s in p.slots
            )
    ctx.emit(data, "\n".join(lines))
    return 0


def case_json(case: CaseRecord) -> dict[str, Any]:
    return {
        "id": case.id,
        "name": case.name,
        "profile": case.profile_id,
        "submission_date": case.submission_date,
        "notes": case.notes,
        "not_applicable": sorted(case.not_applicable),
    }


def _case_line(case: CaseRecord) -> str:
    date = case.submission_date.isoformat() if case.submission_date else "no date set"
    return f"{case.id:4}  {case.name:30} {case.profile_id:30} submission: {date}"


def cmd_case_new(args: argparse.Namespace, ctx: CommandContext) -> int:
    profile = ctx.profiles.get(args.profile)
    case = ctx.store.create_case(args.name, profile.id, args.submission_date, args.notes)
    ctx.emit(case_json(case), f"Created case {case.id}: {case.name} ({profile.title_en})")
    return 0


def cmd_case_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    cases = ctx.store.cases()
    ctx.emit(
        [case_json(c) for c in cases], "\n".join(_case_line(c) for c in cases) or "No cases yet."
    )
    return 0


def cmd_case_set(args: argparse.Namespace, ctx: CommandContext) -> int:
    case = ctx.store.case(args.case)
    changes: dict[str, Any] = {}
    if args.new_name is not None:
        changes["name"] = args.new_name
    if args.profile is not None:
        changes["profile_id"] = ctx.profiles.get(args.profile).id
    if hasattr(args, "submission_date"):  # given, possibly as "none" to clear it
        changes["submission_date"] = args.submission_date
    if args.notes is not None:
        changes["notes"] = args.notes
    if not changes:
        raise UsageError("nothing to change: give --name, --profile, --submission-date or --notes")
    case = ctx.store.update_case(case.id, **changes)
    ctx.emit(case_json(case), _case_line(case))
    return 0


def cmd_case_delete(args: argparse.Namespace, ctx: CommandContext) -> int:
    case = ctx.store.case(args.case)
    ctx.store.delete_case(case.id)
    ctx.emit({"deleted": case.id}, f"Deleted case {case.name} (its documents stay in the store).")
    return 0


def cmd_case_na(args: argparse.Namespace, ctx: CommandContext) -> int:
    case = ctx.store.case(args.case)
    ctx.profiles.get(case.profile_id).slot(args.slot)
    case = ctx.store.set_not_applicable(case.id, args.slot, not args.undo)
    state = "applicable again" if args.undo else "not applicable"
    ctx.emit(case_json(case), f"{args.slot} is {state} for {case.name}.")
    return 0


def checklist_json(checklist: Checklist) -> dict[str, Any]:
    return {
        "case": checklist.case.name,
        "case_id": checklist.case.id,
        "profile": checklist.profile.id,
        "submission_date": checklist.case.submission_date,
        "ready": checklist.ready,
        "valid_until": checklist.valid_until,
        "limiting_document": checklist.limiting_document_id,
        "slots": [
            {
                "id": s.slot.id,
                "title_en": s.slot.title_en,
                "title_zh": s.slot.title_zh,
                "required": s.slot.required,
                "state": s.state.value,
                "label": s.state.label,
                "documents": s.document_ids,
                "message": s.message,
                "valid_until": s.valid_until,
            }
            for s in checklist.slots
        ],
        "warnings": checklist.warnings,
    }


def checklist_text(checklist: Checklist) -> str:
    case = checklist.case
    head = [
        f"{case.name} — {checklist.profile.title_en} ({checklist.profile.title_zh})",
        f"Planned submission: {case.submission_date or 'not set (checked against today)'}",
        "READY to hand in." if checklist.ready else "NOT READY.",
    ]
    if checklist.valid_until:
        head.append(
            f"Valid until {checklist.valid_until} "
            f"(set by document {checklist.limiting_document_id})."
        )
    rows = []
    for s in checklist.slots:
        mark = STATE_MARKS.get(s.state, "✗")
        docs = ",".join(str(i) for i in s.document_ids) or "-"
        rows.append(
            f" {mark} {s.state.label:26} {s.slot.id:28} docs {docs:10} "
            f"{s.slot.title_en} ({s.slot.title_zh})"
        )
        if s.message:
            rows.append(f"      {s.message}")
    return "\n".join([*head, "", *rows])


def cmd_check(args: argparse.Namespace, ctx: CommandContext) -> int:
    checklist = build_checklist(ctx.store, ctx.profiles, args.case, today=args.today)
    ctx.emit(checklist_json(checklist), checklist_text(checklist))
    return 0 if checklist.ready else 1
