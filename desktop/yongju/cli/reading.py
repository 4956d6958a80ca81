"""Commands about reading documents: ``read`` (text and proposals) and ``doc accept``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from yongju.cli.context import CommandContext, UsageError
from yongju.core.errors import FilingError
from yongju.core.records import CaseRecord, DocumentRecord, ProposalRecord, Role

if TYPE_CHECKING:
    from yongju.cli.context import Commands

FIELDS = ("slot", "title", "issued", "expires", "language", "issued_in")


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    read = commands.add_parser(
        "read",
        parents=[common],
        help="read documents now (text layer or recognition) and print what they propose",
    )
    read.add_argument("documents", nargs="*", type=int, metavar="DOC_ID")
    read.add_argument(
        "--all", action="store_true", help="read every document again (default: those pending)"
    )
    read.add_argument("--case", metavar="NAME", help="propose slots of this case's profile")
    read.set_defaults(func=cmd_read)


def register_accept(doc_commands: Commands, common: argparse.ArgumentParser) -> None:
    """``doc accept ID [--field NAME] [--case NAME]`` (a sub-command of ``doc``)."""
    accept = doc_commands.add_parser(
        "accept", parents=[common], help="accept what reading the document proposed"
    )
    accept.add_argument("document", type=int, metavar="DOC_ID")
    accept.add_argument(
        "--field", action="append", choices=FIELDS, help="only this field (may be repeated)"
    )
    accept.add_argument("--case", metavar="NAME", help="the case to file a proposed slot in")
    accept.set_defaults(func=cmd_accept)


def proposals_json(proposals: Iterable[ProposalRecord]) -> dict[str, object]:
    """Field → {value, page, evidence}: what reading proposes, not yet accepted."""
    return {p.field: {"value": p.value, "page": p.page, "evidence": p.evidence} for p in proposals}


def _proposal_lines(proposals: Sequence[ProposalRecord], notes: Sequence[str]) -> list[str]:
    lines = [
        f"    {p.field:10} {p.value:24} page {p.page}: {_short(p.evidence)}" for p in proposals
    ]
    return lines + [f"    not proposed: {note}" for note in notes]


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _progress() -> Callable[[int, int, DocumentRecord], None] | None:
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int, doc: DocumentRecord) -> None:
        print(
            f"\r\033[K[#{doc.id} page {done}/{total}] {doc.display_title[:50]}",
            end="",
            file=sys.stderr,
            flush=True,
        )

    return show


def _keywords(
    ctx: CommandContext, case_name: str | None
) -> Callable[[int], Mapping[str, Sequence[str]] | None]:
    from yongju.core.reading.reader import profile_for

    if case_name:
        profile = ctx.profiles.get(ctx.store.case(case_name).profile_id)
        words = profile.keywords()
        return lambda _doc_id: words

    def for_document(doc_id: int) -> Mapping[str, Sequence[str]] | None:
        profile = profile_for(ctx.store, ctx.profiles, doc_id)
        return profile.keywords() if profile is not None else None

    return for_document


def cmd_read(args: argparse.Namespace, ctx: CommandContext) -> int:
    from yongju.core.reading.ocr import OcrWorker
    from yongju.core.reading.pages import SandboxedPages
    from yongju.core.reading.reader import ReadOutcome, read_documents

    store = ctx.store
    if args.documents and args.all:
        raise UsageError("name documents or give --all, not both")
    if args.documents:
        ids = [store.document(i).id for i in args.documents]
    else:
        ids = [d.id for d in store.documents()] if args.all else store.pending_reading()
    if not ids:
        ctx.emit([], "Nothing to read: every document has been read (--all reads them again).")
        return 0
    output: list[dict[str, object]] = []

    def report(outcome: ReadOutcome) -> None:
        doc = outcome.document
        output.append(
            {
                "document_id": doc.id,
                "text_status": doc.text_status.value,
                "error": outcome.error,
                "proposed": proposals_json(outcome.proposals),
                "notes": list(outcome.notes),
            }
        )
        if ctx.json:
            return
        if sys.stderr.isatty():
            print("\r\033[K", end="", file=sys.stderr)
        state = f"failed: {outcome.error}" if outcome.error else doc.text_status.value
        print(f"#{doc.id:<5} {doc.display_title}: {state}", flush=True)
        for line in _proposal_lines(outcome.proposals, outcome.notes):
            print(line, flush=True)

    with OcrWorker(threads=max(1, os.cpu_count() or 1)) as worker, SandboxedPages() as pages:
        outcomes = read_documents(
            store,
            ids,
            worker,
            keywords=_keywords(ctx, args.case),
            source=pages,
            progress=_progress(),
            on_outcome=report,
        )
    if ctx.json:
        ctx.emit(output)
    return 1 if any(o.error for o in outcomes) else 0


def _case_for_slot(ctx: CommandContext, name: str | None, slot: str) -> CaseRecord | None:
    if name:
        return ctx.store.case(name)
    cases = [
        c
        for c in ctx.store.cases()
        if c.profile_id in ctx.profiles.ids()
        and any(s.id == slot for s in ctx.profiles.get(c.profile_id).slots)
    ]
    return cases[0] if len(cases) == 1 else None


def cmd_accept(args: argparse.Namespace, ctx: CommandContext) -> int:
    store = ctx.store
    waiting = {p.field: p for p in store.proposals([args.document])}
    store.document(args.document)  # "There is no document with id …" before anything else
    fields = args.field or list(waiting)
    missing = [f for f in fields if f not in waiting]
    if missing or not fields:
        raise FilingError(
            f"Document {args.document} has no proposed {', '.join(missing) or 'values'}."
        )
    said: list[str] = []
    if "slot" in fields:
        slot = waiting["slot"].value
        case = _case_for_slot(ctx, args.case, slot)
        if case is None and args.field:
            raise UsageError("name the case to file the document in with --case")
        if case is not None:
            store.file_document(case.id, slot, args.document, Role.ORIGINAL)
            store.dismiss_proposals(args.document, ["slot"])
            said.append(f"filed in {case.name} / {slot}")
        fields = [f for f in fields if f != "slot"]
    doc = store.accept_proposals(args.document, fields) if fields else store.document(args.document)
    said += [f"{f} set to {waiting[f].value}" for f in fields]
    ctx.emit(
        {"document_id": doc.id, "accepted": [f for f in waiting if f not in _left(ctx, doc.id)]},
        f"Document {doc.id}: " + "; ".join(said) + ".",
    )
    return 0


def _left(ctx: CommandContext, doc_id: int) -> set[str]:
    return {p.field for p in ctx.store.proposals([doc_id])}
