"""Commands about documents: ``import``, ``docs``, ``doc set``, ``file`` and ``unfile``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yongju.cli.context import CommandContext, UsageError, parse_date
from yongju.cli.passwords import add_input_passwords, input_passwords
from yongju.cli.reading import proposals_json, register_accept
from yongju.core.errors import FilingError
from yongju.core.importing import ImportResult, ImportStatus, expand_paths, import_files
from yongju.core.names import displayable, printable
from yongju.core.profiles import Profile
from yongju.core.records import CaseRecord, DocumentRecord, Origin, ProposalRecord, Role
from yongju.core.suggest import case_suggestion, resuggest, suggest_slot, suggestion_keywords

if TYPE_CHECKING:
    from yongju.cli.context import Commands

ROLES = [r.value for r in Role]
ORIGINS = [o.value for o in Origin]


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    imp = commands.add_parser("import", parents=[common], help="import scans (files or folders)")
    imp.add_argument("paths", nargs="+", metavar="PATH")
    imp.add_argument(
        "--case",
        metavar="NAME",
        help="file the documents into this case, each under its suggested slot…",
    )
    imp.add_argument("--slot", metavar="SLOT", help="…or all under this slot")
    imp.add_argument("--role", choices=ROLES, default="original")
    add_input_passwords(imp)
    imp.set_defaults(func=cmd_import)

    docs = commands.add_parser("docs", parents=[common], help="list the documents in the store")
    docs.add_argument("--inbox", action="store_true", help="only documents not filed anywhere")
    docs.add_argument("--case", metavar="NAME", help="suggest slots of this case's profile")
    docs.set_defaults(func=cmd_docs)

    doc = commands.add_parser("doc", parents=[common], help="change a document's details")
    sub = doc.add_subparsers(dest="doc_command", metavar="ACTION", required=True)
    set_ = sub.add_parser("set", parents=[common], help="set title, dates, notes, pages…")
    set_.add_argument("document", type=int, metavar="DOC_ID")
    set_.add_argument("--title")
    set_.add_argument(
        "--issued", type=parse_date, default=argparse.SUPPRESS, metavar="YYYY-MM-DD|none"
    )
    set_.add_argument(
        "--expires", type=parse_date, default=argparse.SUPPRESS, metavar="YYYY-MM-DD|none"
    )
    set_.add_argument("--notes")
    set_.add_argument("--language", help="'zh' if the document is in Chinese, else e.g. 'en'")
    set_.add_argument(
        "--legalised",
        choices=["yes", "no"],
        help="the scan already includes its apostille/legalisation/notarisation",
    )
    set_.add_argument(
        "--legalised-on",
        type=parse_date,
        default=argparse.SUPPRESS,
        metavar="YYYY-MM-DD|none",
        help="the date of the legalisation the scan includes (implies --legalised yes)",
    )
    set_.add_argument(
        "--issued-in",
        choices=[*ORIGINS, "unknown"],
        help="where it was issued: china, abroad, or mission (a foreign embassy or consulate "
        "in China); only papers issued abroad need an apostille or legalisation",
    )
    set_.add_argument("--rotate", action="append", default=[], metavar="PAGE:DEGREES")
    set_.add_argument("--exclude", action="append", default=[], type=int, metavar="PAGE")
    set_.add_argument("--include", action="append", default=[], type=int, metavar="PAGE")
    set_.set_defaults(func=cmd_doc_set)
    register_accept(sub, common)

    for name, func, text in (
        ("file", cmd_file, "file a document into a slot of a case"),
        ("unfile", cmd_unfile, "take a document out of a slot"),
    ):
        p = commands.add_parser(name, parents=[common], help=text)
        p.add_argument("document", type=int, metavar="DOC_ID")
        p.add_argument("--case", required=True, metavar="NAME")
        if name == "file":
            p.add_argument("--slot", metavar="SLOT", help="default: the suggested slot")
            p.add_argument("--role", choices=ROLES, default="original")
            p.add_argument("--position", type=int, help="place in the slot (1 = first)")
            p.add_argument(
                "--covers",
                type=int,
                action="append",
                default=[],
                metavar="DOC_ID",
                help="a legalisation: the original(s) in the slot it certifies (one "
                "certificate may cover several)",
            )
        else:
            p.add_argument("--slot", required=True, metavar="SLOT")
        p.set_defaults(func=func)


def document_json(
    doc: DocumentRecord, proposals: Sequence[ProposalRecord] = ()
) -> dict[str, object]:
    """A document as ``docs --json`` prints it; ``proposals`` are those read from its text."""
    return {
        "id": doc.id,
        "sha256": doc.sha256,
        "pages": doc.pages,
        "title": doc.title,
        "media_type": doc.media_type.value,
        "issued": doc.issued,
        "expires": doc.expires,
        "original_name": doc.original_name,
        "source_path": doc.source_path,
        "size": doc.size,
        "encrypted": doc.encrypted,
        "language": doc.language,
        "issued_in": doc.issued_in.value if doc.issued_in else None,
        "legalised": doc.legalised,
        "legalised_on": doc.legalised_on,
        "notes": doc.notes,
        "suggested_slot": doc.suggested_slot,
        "width_px": doc.width_px,
        "height_px": doc.height_px,
        "dpi": doc.dpi,
        "pages_settings": [
            {"page": s.index + 1, "rotation": s.rotation, "excluded": s.excluded}
            for s in doc.page_settings
        ],
        "text_status": doc.text_status.value,
        "proposed": proposals_json(p for p in proposals if p.document_id == doc.id),
    }


@dataclass(frozen=True)
class _Placed:
    """Where ``import`` put one document: its suggestion, the slot filed in, or why not."""

    suggested: str | None = None
    filed: str | None = None
    inbox_reason: str = ""  # set when importing into a case left the document in the inbox


def _result_json(result: ImportResult, placed: _Placed) -> dict[str, object]:
    data: dict[str, object] = {
        "path": displayable(str(result.path)),  # JSON escapes control characters itself
        "status": result.status.value,
        "document_id": result.document_id,
        "pages": result.pages,
        "reason": result.reason,
        "suggested_slot": placed.suggested,
        "filed": placed.filed,
    }
    if placed.inbox_reason:
        data["inbox"] = placed.inbox_reason
    return data


def _result_line(result: ImportResult, placed: _Placed) -> str:
    if result.status is ImportStatus.REFUSED:
        return f"refused    {printable(str(result.path))}: {result.reason}"
    doc = result.document
    assert doc is not None
    if placed.filed:
        extra = f" → filed in {placed.filed}"
    elif placed.inbox_reason:
        extra = f" → stays in the inbox ({placed.inbox_reason})"
    else:
        extra = f" (suggested slot: {placed.suggested})" if placed.suggested else ""
    pages = f"{doc.pages} page{'s' * (doc.pages != 1)}"
    return f"{result.status.value:10} #{doc.id:<5} {pages:9} {printable(str(result.path))}{extra}"


def _progress_printer() -> Callable[[int, int, Path], None] | None:
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int, path: Path) -> None:
        end = "\n" if done == total else ""
        print(
            f"\r\033[K[{done}/{total}] {printable(path.name)[:60]}",
            end=end,
            file=sys.stderr,
            flush=True,
        )

    return show


def cmd_import(args: argparse.Namespace, ctx: CommandContext) -> int:
    if args.slot and not args.case:
        raise UsageError("--slot needs --case")
    target: tuple[CaseRecord, Profile] | None = None
    if args.case:
        case = ctx.store.case(args.case)
        profile = ctx.profiles.get(case.profile_id)
        if args.slot:
            profile.slot(args.slot)
        target = (case, profile)
        # A suggestion is always a slot of the case it lands in.
        keywords = profile.keywords()
    else:
        keywords = suggestion_keywords(ctx.profiles, ctx.store.cases())
    files = expand_paths(args.paths)
    if not files:
        raise UsageError("no files to import")
    output: list[dict[str, object]] = []

    def handle(result: ImportResult) -> None:
        # Each line is printed once its document is committed: what was reported survives.
        placed = _Placed()
        if result.document is not None:
            placed = _place(ctx, args, target, result)
        output.append(_result_json(result, placed))
        if not ctx.json:
            print(_result_line(result, placed), flush=True)

    results = import_files(
        ctx.store,
        files,
        passwords=input_passwords(args),
        progress=_progress_printer(),
        keywords=keywords,
        on_result=handle,
    )
    if ctx.json:
        ctx.emit(output)
    elif target is not None and not args.slot:
        filed = sum(1 for r in output if r["filed"])
        waiting = sum(1 for r in output if r.get("inbox"))
        print(f"Filed {filed} into {target[0].name}; {waiting} stay in the inbox.")
    return 1 if any(r.status is ImportStatus.REFUSED for r in results) else 0


def _place(
    ctx: CommandContext,
    args: argparse.Namespace,
    target: tuple[CaseRecord, Profile] | None,
    result: ImportResult,
) -> _Placed:
    """Files an imported document into the case asked for: ``--slot``, else its suggestion."""
    doc = result.document
    assert doc is not None
    if target is None:
        return _Placed(doc.suggested_slot)
    case, profile = target
    role = Role(args.role)
    if args.slot:
        return _Placed(doc.suggested_slot, _file_quietly(ctx, case.id, args.slot, doc.id, role))
    slot = case_suggestion(doc, profile, ctx.profiles.every_keyword, name=result.path.name)
    if slot is None and result.status is ImportStatus.DUPLICATE:  # known, under a new name
        slot = suggest_slot(result.path.stem, "", profile.keywords())
    # This document's filings only: reading the whole case for each file of a batch made
    # importing a folder into a case slow down with every file it filed.
    already = [f.slot_id for f in ctx.store.filings(case.id, document_id=doc.id)]
    if already:  # a duplicate filed earlier: leave it where the user put it
        return _Placed(slot, already[0])
    if slot is None:
        return _Placed(None, None, "no suggestion")
    limit = profile.slot(slot).max_documents
    if role is Role.ORIGINAL and limit is not None and _originals(ctx, case.id, slot) >= limit:
        # A second ID card is more likely a mistake than a replacement: the user decides.
        return _Placed(slot, None, f"{slot} already holds its {limit} document{'s' * (limit != 1)}")
    try:
        ctx.store.file_document(case.id, slot, doc.id, role)
    except FilingError as exc:
        return _Placed(slot, None, str(exc))
    return _Placed(slot, slot)


def _originals(ctx: CommandContext, case_id: int, slot: str) -> int:
    return sum(
        1 for f in ctx.store.filings(case_id) if f.slot_id == slot and f.role is Role.ORIGINAL
    )


def _file_quietly(ctx: CommandContext, case_id: int, slot: str, doc_id: int, role: Role) -> str:
    already = [
        f for f in ctx.store.filings(case_id) if f.slot_id == slot and f.document_id == doc_id
    ]
    if not already:
        ctx.store.file_document(case_id, slot, doc_id, role)
    return slot


def _day(value: object) -> str:
    # !s first: a date's own format spec would read "10" as an strftime pattern.
    return f"{value or '-'!s:10}"


def cmd_docs(args: argparse.Namespace, ctx: CommandContext) -> int:
    docs = ctx.store.inbox() if args.inbox else ctx.store.documents()
    suggested = _suggestions(ctx, docs, args.case)
    lines = [
        f"{d.id:5}  {d.media_type.value:16} {d.pages:4}p  issued {_day(d.issued)}  "
        f"expires {_day(d.expires)}  {d.display_title}"
        + (f"  → {suggested[d.id]}" if args.case and suggested[d.id] else "")
        for d in docs
    ]
    proposals = ctx.store.proposals() if ctx.json else []
    ctx.emit(
        [{**document_json(d, proposals), "suggested_slot": suggested[d.id]} for d in docs],
        "\n".join(lines) or "No documents yet.",
    )
    return 0


def _suggestions(
    ctx: CommandContext, docs: list[DocumentRecord], case_name: str | None
) -> dict[int, str | None]:
    """Each document's suggestion: a slot of the case named, else of some case of the store.

    A suggestion stored before the store's cases changed is made again, so none names a slot
    that no case (or not the case named) has.
    """
    every = ctx.profiles.every_keyword
    if case_name:
        profile = ctx.profiles.get(ctx.store.case(case_name).profile_id)
        return {d.id: case_suggestion(d, profile, every) for d in docs}
    cases = ctx.store.cases()
    if not cases:
        return {d.id: d.suggested_slot for d in docs}
    keywords = suggestion_keywords(ctx.profiles, cases)
    return {d.id: resuggest(d, keywords, every) for d in docs}


def cmd_doc_set(args: argparse.Namespace, ctx: CommandContext) -> int:
    store = ctx.store
    changes: dict[str, Any] = {}
    for key in ("title", "notes", "language"):
        if getattr(args, key) is not None:
            changes[key] = getattr(args, key)
    for key in ("issued", "expires"):
        if hasattr(args, key):
            changes[key] = getattr(args, key)
    if args.legalised is not None:
        changes["legalised"] = args.legalised == "yes"
    if hasattr(args, "legalised_on"):
        changes["legalised_on"] = args.legalised_on
        if args.legalised_on is not None and args.legalised is None:
            changes["legalised"] = True
    if args.issued_in is not None:
        changes["issued_in"] = None if args.issued_in == "unknown" else Origin(args.issued_in)
    if changes.get("language") in ("", "none"):
        changes["language"] = None
    # The change returns the document: reading it first as well (it must exist) cost a
    # read of the document and its pages.
    doc = store.update_document(args.document, **changes) if changes else None
    doc = doc or store.document(args.document)
    for spec in args.rotate:
        page, _, degrees = spec.partition(":")
        if not (page.isdigit() and degrees.lstrip("-").isdigit()) or int(degrees) % 90:
            raise UsageError(f"--rotate wants PAGE:DEGREES (a multiple of 90), not {spec!r}")
        doc = store.set_page(doc.id, int(page) - 1, rotation=int(degrees))
    for page in args.exclude:
        doc = store.set_page(doc.id, page - 1, excluded=True)
    for page in args.include:
        doc = store.set_page(doc.id, page - 1, excluded=False)
    ctx.emit(
        document_json(doc),
        f"Document {doc.id}: {doc.display_title} "
        f"(issued {doc.issued or '-'}, expires {doc.expires or '-'})",
    )
    return 0


def _covered_originals(
    ctx: CommandContext, case_id: int, slot_id: str, documents: list[int], role: Role
) -> list[int]:
    """The filing ids of the originals (named by document id) a legalisation covers."""
    if not documents:
        return []  # nothing to look up: most filings cover nothing
    if role is not Role.LEGALISATION:
        raise UsageError("--covers is for a legalisation (--role legalisation)")
    originals = {
        f.document_id: f.id
        for f in ctx.store.filings(case_id)
        if f.slot_id == slot_id and f.role is Role.ORIGINAL
    }
    missing = [d for d in documents if d not in originals]
    if missing:
        raise FilingError(f"Document {missing[0]} is not an original in '{slot_id}'.")
    return [originals[d] for d in documents]


def cmd_file(args: argparse.Namespace, ctx: CommandContext) -> int:
    case = ctx.store.case(args.case)
    profile = ctx.profiles.get(case.profile_id)
    slot = args.slot
    if slot is None:
        doc = ctx.store.document(args.document)
        slot = case_suggestion(doc, profile, ctx.profiles.every_keyword)
        if slot is None:
            raise UsageError(
                f"Document {doc.id} has no suggested slot in {case.name}: give one with --slot "
                f"(see `yongju profiles --slots`)."
            )
    profile.slot(slot)
    position = args.position - 1 if args.position else None
    covered = _covered_originals(ctx, case.id, slot, args.covers, Role(args.role))
    filing = ctx.store.file_document(
        case.id,
        slot,
        args.document,
        Role(args.role),
        parent_id=covered[0] if covered else None,
        position=position,
    )
    for original in covered[1:]:
        filing = ctx.store.set_covers(filing.id, original, True)
    ctx.emit(
        {
            "filing_id": filing.id,
            "case": case.name,
            "slot": filing.slot_id,
            "document_id": filing.document_id,
            "role": filing.role.value,
            "position": filing.position + 1,
        },
        f"Filed document {filing.document_id} in {case.name} / {filing.slot_id} "
        f"as {filing.role.value}.",
    )
    return 0


def cmd_unfile(args: argparse.Namespace, ctx: CommandContext) -> int:
    case = ctx.store.case(args.case)
    matches = [
        f
        for f in ctx.store.filings(case.id)
        if f.slot_id == args.slot and f.document_id == args.document
    ]
    if not matches:
        raise FilingError(f"Document {args.document} is not filed in {case.name} / {args.slot}.")
    ctx.store.unfile(matches[0].id)
    ctx.emit(
        {"unfiled": matches[0].id},
        f"Took document {args.document} out of {case.name} / {args.slot}.",
    )
    return 0
