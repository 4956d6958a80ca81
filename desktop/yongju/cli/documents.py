"""Commands about documents: ``import``, ``docs``, ``doc set``, ``file`` and ``unfile``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from yongju.cli.context import CommandContext, UsageError, parse_date
from yongju.cli.reading import proposals_json, register_accept
from yongju.core.errors import FilingError
from yongju.core.importing import ImportResult, ImportStatus, expand_paths, import_files
from yongju.core.profiles import all_keywords
from yongju.core.records import DocumentRecord, ProposalRecord, Role

ROLES = [r.value for r in Role]


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    imp = commands.add_parser("import", parents=[common], help="import scans (files or folders)")
    imp.add_argument("paths", nargs="+", metavar="PATH")
    imp.add_argument("--case", metavar="NAME", help="file the documents into this case…")
    imp.add_argument("--slot", metavar="SLOT", help="…under this slot")
    imp.add_argument("--role", choices=ROLES, default="original")
    imp.add_argument(
        "--password",
        action="append",
        default=[],
        metavar="P",
        help="password of encrypted PDFs (may be given several times)",
    )
    imp.set_defaults(func=cmd_import)

    docs = commands.add_parser("docs", parents=[common], help="list the documents in the store")
    docs.add_argument("--inbox", action="store_true", help="only documents not filed anywhere")
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
        p.add_argument("--slot", required=True, metavar="SLOT")
        if name == "file":
            p.add_argument("--role", choices=ROLES, default="original")
            p.add_argument("--position", type=int, help="place in the slot (1 = first)")
        p.set_defaults(func=func)


def document_json(doc: DocumentRecord, proposals: Sequence[ProposalRecord] = ()) -> dict[str, Any]:
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
        "legalised": doc.legalised,
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


def _result_json(result: ImportResult, filed: str | None) -> dict[str, Any]:
    return {
        "path": str(result.path),
        "status": result.status.value,
        "document_id": result.document_id,
        "pages": result.pages,
        "reason": result.reason,
        "suggested_slot": result.document.suggested_slot if result.document else None,
        "filed": filed,
    }


def _result_line(result: ImportResult, filed: str | None) -> str:
    if result.status is ImportStatus.REFUSED:
        return f"refused    {result.path}: {result.reason}"
    doc = result.document
    assert doc is not None
    extra = (
        f" → filed in {filed}"
        if filed
        else (f" (suggested slot: {doc.suggested_slot})" if doc.suggested_slot else "")
    )
    pages = f"{doc.pages} page{'s' * (doc.pages != 1)}"
    return f"{result.status.value:10} #{doc.id:<5} {pages:9} {result.path}{extra}"


def _progress_printer() -> Any:
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int, path: Path) -> None:
        end = "\n" if done == total else ""
        print(f"\r\033[K[{done}/{total}] {path.name[:60]}", end=end, file=sys.stderr, flush=True)

    return show


def cmd_import(args: argparse.Namespace, ctx: CommandContext) -> int:
    if bool(args.case) != bool(args.slot):
        raise UsageError("--case and --slot go together")
    target = None
    # Slot ids differ between profiles (sp_marriage_cert, dep_marriage_cert…): suggest
    # from the case's own profile when there is one.
    keywords = all_keywords(ctx.profiles.profiles)
    if args.case:
        case = ctx.store.case(args.case)
        profile = ctx.profiles.get(case.profile_id)
        profile.slot(args.slot)
        keywords = profile.keywords()
        target = case
    files = expand_paths(args.paths)
    if not files:
        raise UsageError("no files to import")
    output: list[dict[str, Any]] = []

    def handle(result: ImportResult) -> None:
        # Each line is printed once its document is committed: what was reported survives.
        filed = None
        if target is not None and result.document is not None:
            filed = _file_quietly(ctx, target.id, args.slot, result.document.id, Role(args.role))
        output.append(_result_json(result, filed))
        if not ctx.json:
            print(_result_line(result, filed), flush=True)

    results = import_files(
        ctx.store,
        files,
        passwords=tuple(args.password),
        progress=_progress_printer(),
        keywords=keywords,
        on_result=handle,
    )
    if ctx.json:
        ctx.emit(output)
    return 1 if any(r.status is ImportStatus.REFUSED for r in results) else 0


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
    lines = [
        f"{d.id:5}  {d.media_type.value:16} {d.pages:4}p  issued {_day(d.issued)}  "
        f"expires {_day(d.expires)}  {d.display_title}"
        for d in docs
    ]
    proposals = ctx.store.proposals() if ctx.json else []
    ctx.emit([document_json(d, proposals) for d in docs], "\n".join(lines) or "No documents yet.")
    return 0


def cmd_doc_set(args: argparse.Namespace, ctx: CommandContext) -> int:
    store = ctx.store
    doc = store.document(args.document)
    changes: dict[str, Any] = {}
    for key in ("title", "notes", "language"):
        if getattr(args, key) is not None:
            changes[key] = getattr(args, key)
    for key in ("issued", "expires"):
        if hasattr(args, key):
            changes[key] = getattr(args, key)
    if args.legalised is not None:
        changes["legalised"] = args.legalised == "yes"
    if changes.get("language") in ("", "none"):
        changes["language"] = None
    if changes:
        doc = store.update_document(doc.id, **changes)
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


def cmd_file(args: argparse.Namespace, ctx: CommandContext) -> int:
    case = ctx.store.case(args.case)
    ctx.profiles.get(case.profile_id).slot(args.slot)
    position = args.position - 1 if args.position else None
    filing = ctx.store.file_document(
        case.id, args.slot, args.document, Role(args.role), position=position
    )
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
