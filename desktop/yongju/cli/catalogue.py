"""Commands about profiles, cases and the checklist: ``profiles``, ``case …``, ``check``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from yongju.cli.context import CommandContext, UsageError, parse_date
from yongju.core.checklist import Checklist, SlotState, SlotStatus, build_checklist
from yongju.core.conditions import DURATION_LABELS, check_decision
from yongju.core.facts import CITIES, facts_for, parse_assignments
from yongju.core.profiles import Profile
from yongju.core.records import CaseRecord

if TYPE_CHECKING:
    from yongju.cli.context import Commands

STATE_MARKS = {
    SlotState.OK: "✓",
    SlotState.NOT_APPLICABLE: "–",
    SlotState.OPTIONAL_EMPTY: "·",
}


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
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
    _fact_arguments(new)
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
    _fact_arguments(set_)
    set_.set_defaults(func=cmd_case_set)
    facts = sub.add_parser("facts", parents=[common], help="a case's facts and their values")
    facts.add_argument("case", metavar="NAME")
    facts.set_defaults(func=cmd_case_facts)
    delete = sub.add_parser("delete", parents=[common], help="delete a case (documents stay)")
    delete.add_argument("case", metavar="NAME")
    delete.set_defaults(func=cmd_case_delete)
    na = sub.add_parser("na", parents=[common], help="mark a slot not applicable to a case")
    na.add_argument("case", metavar="NAME")
    na.add_argument("slot", metavar="SLOT")
    na.add_argument("--reason", default="", help="why (required for a required slot)")
    na.add_argument("--undo", action="store_true", help="forget the answer (undecided again)")
    na.set_defaults(func=cmd_case_na)
    applies = sub.add_parser("applies", parents=[common], help="answer: this slot applies")
    applies.add_argument("case", metavar="NAME")
    applies.add_argument("slot", metavar="SLOT")
    applies.add_argument("--undo", action="store_true", help="forget the answer")
    applies.set_defaults(func=cmd_case_applies)

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


def _fact_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--city", choices=[c.value for c in CITIES], help="the city you apply in (its rules)"
    )
    parser.add_argument(
        "--fact",
        action="extend",
        nargs="+",
        default=[],
        metavar="KEY=VALUE",
        help="a fact deciding conditions (see `yongju case facts NAME`); VALUE none forgets it",
    )


def _facts_from(args: argparse.Namespace, profile: Profile) -> dict[str, str | None]:
    items = ([f"city={args.city}"] if args.city else []) + list(args.fact)
    return parse_assignments(profile, items)


def case_json(case: CaseRecord) -> dict[str, object]:
    return {
        "id": case.id,
        "name": case.name,
        "profile": case.profile_id,
        "submission_date": case.submission_date,
        "notes": case.notes,
        "facts": dict(case.facts),
        "not_applicable": sorted(case.not_applicable),
        "decisions": [
            {"slot": d.slot_id, "applies": d.applies, "reason": d.reason} for d in case.decisions
        ],
    }


def _case_line(case: CaseRecord) -> str:
    date = case.submission_date.isoformat() if case.submission_date else "no date set"
    return f"{case.id:4}  {case.name:30} {case.profile_id:30} submission: {date}"


def cmd_case_new(args: argparse.Namespace, ctx: CommandContext) -> int:
    profile = ctx.profiles.get(args.profile)
    facts = {k: v for k, v in _facts_from(args, profile).items() if v is not None}
    case = ctx.store.create_case(args.name, profile.id, args.submission_date, args.notes, facts)
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
    profile = ctx.profiles.get(changes.get("profile_id", case.profile_id))
    facts = _facts_from(args, profile)
    if not changes and not facts:
        raise UsageError(
            "nothing to change: give --name, --profile, --submission-date, --notes, --city "
            "or --fact"
        )
    if changes:
        case = ctx.store.update_case(case.id, **changes)
    if facts:
        case = ctx.store.set_facts(case.id, facts)
    ctx.emit(case_json(case), _case_line(case))
    return 0


def cmd_case_facts(args: argparse.Namespace, ctx: CommandContext) -> int:
    case = ctx.store.case(args.case)
    profile = ctx.profiles.get(case.profile_id)
    rows = [
        {
            "key": spec.key,
            "label_en": spec.label_en,
            "label_zh": spec.label_zh,
            "kind": spec.kind.value,
            "allowed": spec.allowed(),
            "values": [
                {"value": c.value, "label_en": c.label_en, "label_zh": c.label_zh}
                for c in spec.choices
            ],
            "value": case.fact(spec.key),
        }
        for spec in facts_for(profile)
    ]
    lines = [f"{case.name} — facts of {profile.title_en} ({profile.title_zh})"]
    lines += [
        f"  {r['key']:24} {r['value'] or '(not answered)':14} {r['allowed']:40} {r['label_en']}"
        for r in rows
    ]
    lines.append("Set one with: yongju case set NAME --fact KEY=VALUE")
    ctx.emit({"case": case.name, "profile": profile.id, "facts": rows}, "\n".join(lines))
    return 0


def cmd_case_delete(args: argparse.Namespace, ctx: CommandContext) -> int:
    case = ctx.store.case(args.case)
    ctx.store.delete_case(case.id)
    ctx.emit({"deleted": case.id}, f"Deleted case {case.name} (its documents stay in the store).")
    return 0


def cmd_case_na(args: argparse.Namespace, ctx: CommandContext) -> int:
    return _decide(ctx, args.case, args.slot, None if args.undo else False, args.reason)


def cmd_case_applies(args: argparse.Namespace, ctx: CommandContext) -> int:
    return _decide(ctx, args.case, args.slot, None if args.undo else True, "")


def _decide(ctx: CommandContext, name: str, slot_id: str, applies: bool | None, reason: str) -> int:
    case = ctx.store.case(name)
    slot = ctx.profiles.get(case.profile_id).slot(slot_id)
    check_decision(slot, applies, reason)
    case = ctx.store.decide_slot(case.id, slot.id, applies, reason)
    words = {None: "decided by the facts again", True: "applies", False: "is not applicable"}
    why = f" ({reason.strip()})" if applies is False and reason.strip() else ""
    ctx.emit(case_json(case), f"{slot.id} {words[applies]} for {case.name}{why}.")
    return 0


def _slot_json(s: SlotStatus) -> dict[str, object]:
    return {
        "id": s.slot.id,
        "title_en": s.slot.title_en,
        "title_zh": s.slot.title_zh,
        "required": s.slot.required,
        "requirement": s.slot.requirement.value,
        "applies": s.decision.applicability.value,
        "decided_by": s.decision.by.value,
        "reason": s.decision.reason,
        "state": s.state.value,
        "label": s.state.label,
        "label_zh": s.state.label_zh,
        "blocking": s.state.blocking,
        "documents": s.document_ids,
        "message": s.message,
        "problems": [
            {
                "kind": p.kind.value,
                "document": p.document,
                "date": p.until,
                "reference": p.reference,
                "blocking": p.blocking,
                "text": p.english,
            }
            for p in s.problems
        ],
        "valid_until": s.valid_until,
    }


def checklist_json(checklist: Checklist) -> dict[str, object]:
    return {
        "case": checklist.case.name,
        "case_id": checklist.case.id,
        "profile": checklist.profile.id,
        "submission_date": checklist.case.submission_date,
        "checked_against": checklist.reference,
        "submission_date_passed": checklist.submission_passed,
        "facts": dict(checklist.case.facts),
        "ready": checklist.ready,
        "valid_until": checklist.valid_until,
        "limiting_document": checklist.limiting_document_id,
        "slots": [_slot_json(s) for s in checklist.slots],
        "durations": [
            {
                "id": d.duration.id,
                "title_en": d.duration.title_en,
                "title_zh": d.duration.title_zh,
                "fact": d.duration.fact,
                "years": d.duration.years,
                "state": d.state.value,
                "label": DURATION_LABELS[d.state],
                "blocking": d.blocking,
                "since": d.since,
                "reached": d.reached,
                "message": d.message,
            }
            for d in checklist.durations
        ],
        "warnings": checklist.warnings,
        "notices": checklist.notices,
    }


def checklist_text(checklist: Checklist) -> str:
    case = checklist.case
    head = [
        f"{case.name} — {checklist.profile.title_en} ({checklist.profile.title_zh})",
        f"Planned submission: {case.submission_date or 'not set (checked against today)'}",
        "READY to hand in." if checklist.ready else "NOT READY.",
    ]
    if checklist.submission_passed:
        head.append(
            f"Warning: the planned submission date has passed; checked against today "
            f"({checklist.today})."
        )
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
            f" {mark} {s.state.label:31} {s.slot.id:28} docs {docs:10} "
            f"{s.slot.title_en} ({s.slot.title_zh})"
        )
        if s.message:
            rows.append(f"      {s.message}")
        if s.state is SlotState.NOT_APPLICABLE and s.decision.reason:
            rows.append(f"      not applicable: {s.decision.reason}")
    for d in checklist.durations:
        mark = "✗" if d.blocking else "✓"
        rows.append(f" {mark} {DURATION_LABELS[d.state]:31} {d.duration.title_en}: {d.message}")
    return "\n".join([*head, "", *rows])


def cmd_check(args: argparse.Namespace, ctx: CommandContext) -> int:
    checklist = build_checklist(ctx.store, ctx.profiles, args.case, today=args.today)
    ctx.emit(checklist_json(checklist), checklist_text(checklist))
    return 0 if checklist.ready else 1
