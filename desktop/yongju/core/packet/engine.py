"""The packet engine: plans the pages, streams them into a temporary PDF, checks it, renames it.

Works on plain inputs (``PacketSection`` of ``PacketDocument``); ``case.py`` builds those
from a stored case. Every sheet is a fresh A4 page drawing its source page(s) as form
XObjects, so nothing but what the page shows is carried over.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yongju.core.errors import CancelledError, ExportError
from yongju.core.packet.files import (
    PacketFile,
    encrypt_file,
    fsync_dir,
    fsync_file,
    remove_stale,
    sha256_file,
    temp_path,
    verify,
    write_atomic,
)
from yongju.core.packet.geometry import Box
from yongju.core.packet.model import (
    A4_PORTRAIT,
    MM,
    CoverInfo,
    ManifestRange,
    PacketDocument,
    PacketOptions,
    PacketResult,
    PacketSection,
)
from yongju.core.packet.pdfwriter import (
    PdfStreamWriter,
    Ref,
    name,
    text_string,
)
from yongju.core.packet.plan import Plan, SourceCache, make_plan
from yongju.core.packet.sheets import SheetWriter, pdf_date, write_form, write_outline
from yongju.core.packet.sources import Source
from yongju.core.records import MediaType

if TYPE_CHECKING:
    from yongju.core.packet.cover import CoverJob

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


# ----------------------------------------------------------------------------- the build
@dataclass(frozen=True)
class PacketText:
    """Title, author and subject of the PDF (its document properties)."""

    title: str
    author: str
    subject: str = ""


def build_packet(
    sections: Sequence[PacketSection],
    output: Path,
    options: PacketOptions,
    *,
    cover: CoverInfo | None = None,
    meta: PacketText | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    manifest_extra: dict[str, object] | None = None,
) -> PacketResult:
    """Writes the packet to ``output`` (atomically) and its manifest beside it.

    Nothing is ever left at ``output`` unless the whole packet was written, reopened and
    checked: a failure or a cancel leaves nothing, a kill at most a hidden ``.part`` beside it.
    """
    output = Path(output)
    if output.suffix.lower() != ".pdf":
        raise ExportError(f"The packet must be a .pdf file, not '{output.name}'.")
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"The folder {folder} does not exist.")
    meta = meta or PacketText(title=output.stem, author="")
    documents: list[PacketDocument] = []  # filled while planning
    cache = SourceCache(documents)
    try:
        remove_stale(folder, output.name)
        temp = temp_path(folder, output.name)
    except OSError as exc:
        raise ExportError(f"Cannot write in {folder}: {exc.strerror or exc}.") from None
    placed: Path | None = None  # the packet, once renamed into place
    try:
        plan = make_plan(sections, options, cache, documents)
        if not plan.sheets and not options.cover:
            raise ExportError("There is nothing to export: no document is filed in this case.")
        written = _write(plan, temp, options, cover, meta, cache, progress, cancel)
        warnings: list[str] = []
        if options.max_size is not None:
            from yongju.core.packet.budget import fit_budget

            warnings.extend(fit_budget(temp, options.max_size, cancel))
        if options.password:
            encrypt_file(temp, options.password)
        verify(temp, plan.total_pages, written.outline_count, options.password)
        digest = sha256_file(temp) if (options.max_size or options.password) else written.sha256
        size = temp.stat().st_size
        fsync_file(temp)
        ranges = _ranges(plan)
        manifest_path = output.with_suffix(".json")
        manifest = _manifest_json(
            output, meta, plan, ranges, digest, size, cover, manifest_extra or {}
        )
        # The packet first: a kill between the two renames leaves a whole packet whose
        # manifest is missing, never a manifest of a packet that is not there.
        os.replace(temp, output)
        placed = output
        write_atomic(manifest_path, manifest.encode("utf-8"))
        placed = None
        fsync_dir(folder)
    except BaseException as exc:
        cache.close_all()
        temp.unlink(missing_ok=True)
        if placed is not None:  # no packet without its manifest
            placed.unlink(missing_ok=True)
        if isinstance(exc, OSError):  # a full disk, a folder turned read-only, …
            raise ExportError(
                f"The packet could not be written to {output}: {exc.strerror or exc}."
            ) from None
        raise
    cache.close_all()
    return PacketResult(
        output=output,
        pages=plan.total_pages,
        bytes=size,
        manifest_path=manifest_path,
        sha256=digest,
        warnings=tuple(warnings),
        ranges=tuple(ranges),
        manifest_json=manifest,
    )


@dataclass(frozen=True)
class Written:
    """What writing the temporary file gave: its hash and how many bookmarks it has."""

    sha256: str
    outline_count: int


def _write(
    plan: Plan,
    temp: Path,
    options: PacketOptions,
    cover: CoverInfo | None,
    meta: PacketText,
    cache: SourceCache,
    progress: Progress | None,
    cancel: Cancel | None,
) -> Written:
    from yongju.core.packet.cover import CoverJob

    job: CoverJob | None = None
    info = cover if options.cover else None
    if info is not None or options.stamp:
        # Laid out beside the page copying (a forked child where that is safe) and written
        # last; the page tree still lists the cover first.
        job = CoverJob(info, plan, meta.title if options.stamp else None)
    try:
        out = PacketFile(temp)
        try:
            return _write_body(plan, out, temp, options, meta, cache, job, progress, cancel)
        finally:
            out.close()
    finally:
        if job is not None:
            job.close()


def _write_body(
    plan: Plan,
    out: PacketFile,
    temp: Path,
    options: PacketOptions,
    meta: PacketText,
    cache: SourceCache,
    job: CoverJob | None,
    progress: Progress | None,
    cancel: Cancel | None,
) -> Written:
    total = plan.total_pages + (job.estimate if job is not None else 0)
    last_use: dict[int, int] = {}
    for number, sheet in enumerate(plan.sheets):
        for placement in sheet.placements:
            last_use[placement.doc] = number
    writer = PdfStreamWriter(out)
    pages_ref = writer.reserve()
    sheets = SheetWriter(writer, pages_ref, options.margin_mm * MM)
    # Each sheet's stamp is referenced now and written at the end, when it is drawn.
    stamp_refs = [writer.reserve() for _ in plan.sheets] if options.stamp else []
    outline: list[tuple[str, Ref, list[tuple[str, Ref]]]] = []
    current_section = -1
    seen_docs: set[int] = set()
    for number, sheet in enumerate(plan.sheets):
        if cancel is not None and cancel():
            raise CancelledError("Export cancelled; no file was written.")
        items = []
        for placement in sheet.placements:
            source = cache.get(placement.doc)
            source.flatten_annotations()
            items.append((source, cache.copier(placement.doc, writer), placement.page))
        ref = sheets.write_sheet(items, stamp_refs[number] if stamp_refs else None, card=sheet.card)
        if sheet.section != current_section:
            current_section = sheet.section
            section = plan.sections[sheet.section]
            outline.append((_section_title(section), ref, []))
        for placement in sheet.placements:
            if placement.doc not in seen_docs:
                seen_docs.add(placement.doc)
                outline[-1][2].append((_document_title(plan.documents[placement.doc]), ref))
            if last_use[placement.doc] == number:
                cache.close(placement.doc)
        if progress is not None:
            progress(number + 1, total)
    if job is not None:
        sheet_refs = list(sheets.page_refs)
        cover_refs = _write_generated(writer, sheets, job, stamp_refs, temp)
        sheets.page_refs = cover_refs + sheet_refs  # written last, listed first
        if progress is not None:
            progress(plan.total_pages, plan.total_pages)
    outline_root = write_outline(writer, outline)
    catalog: dict[str, Any] = {"ViewerPreferences": {"DisplayDocTitle": True}}
    if outline_root is not None:
        catalog.update({"Outlines": outline_root, "PageMode": name("UseOutlines")})
    now = pdf_date(dt.datetime.now(dt.UTC))
    info = {
        "Title": text_string(meta.title),
        "Author": text_string(meta.author),
        "Subject": text_string(meta.subject),
        "Creator": text_string("Yongju 永居"),
        "Producer": text_string("Yongju packet engine"),
        "CreationDate": now,
        "ModDate": now,
    }
    file_id = hashlib.md5(f"{temp}{now.text!r}".encode(), usedforsecurity=False).digest()
    writer.finish(sheets.page_refs, pages_ref, catalog, info, file_id)
    outline_count = len(outline) + sum(len(children) for _, _, children in outline)
    return Written(out.hexdigest(), outline_count)


def _write_generated(
    writer: PdfStreamWriter,
    sheets: SheetWriter,
    job: CoverJob,
    stamp_refs: list[Ref],
    temp: Path,
) -> list[Ref]:
    """Writes the cover sheets and every stamp; returns the cover sheets' pages."""
    cover_pdf, stamps_pdf = job.cover_pdf(), job.stamps_pdf()
    job.plan.cover_pages = len(cover_pdf.pages) if cover_pdf is not None else 0
    stamp_copier = writer.copier()
    a4 = Box(0, 0, *A4_PORTRAIT)

    def stamp(number: int, ref: Ref | None = None) -> Ref | None:
        if stamps_pdf is None:
            return None
        return write_form(writer, stamp_copier, stamps_pdf.pages[number].obj, a4, ref)

    cover_refs: list[Ref] = []
    if cover_pdf is not None:
        source = Source(PacketDocument(temp, MediaType.PDF, "cover", ""), cover_pdf, False)
        copier = writer.copier()
        cover_refs = [
            sheets.write_sheet([(source, copier, index)], stamp(index))
            for index in range(len(cover_pdf.pages))
        ]
    for index, ref in enumerate(stamp_refs):
        stamp(len(cover_refs) + index, ref)
    return cover_refs


def _section_title(section: PacketSection) -> str:
    return f"{section.title_en} · {section.title_zh}" if section.title_zh else section.title_en


def _document_title(document: PacketDocument) -> str:
    role = "" if document.role.value == "original" else f" ({document.role.value})"
    return f"{document.title}{role}"


def _ranges(plan: Plan) -> list[ManifestRange]:
    ranges = []
    for index, pairs in sorted(plan.document_sheets().items()):
        document = plan.documents[index]
        ranges.append(
            ManifestRange(
                slot=document.slot_id,
                document_id=document.document_id,
                role=document.role.value,
                sha256=document.sha256,
                title=document.title,
                source_pages=tuple(p for p, _ in pairs),
                packet_pages=tuple(n for _, n in pairs),
            )
        )
    return ranges


def _manifest_json(
    output: Path,
    meta: PacketText,
    plan: Plan,
    ranges: Sequence[ManifestRange],
    digest: str,
    size: int,
    cover: CoverInfo | None,
    extra: dict[str, object],
) -> str:
    data = {
        "packet": output.name,
        **extra,
        "title": meta.title,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "pages": plan.total_pages,
        "cover_pages": plan.cover_pages,
        "bytes": size,
        "sha256": digest,
        "ready": cover.ready if cover is not None else None,
        "ranges": [r.as_json() for r in ranges],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
