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
from yongju.core.hashing import fd_sha256
from yongju.core.packet.files import (
    PacketFile,
    Scratch,
    encrypt,
    remove_stale,
    reread,
    verify,
)
from yongju.core.packet.geometry import Box
from yongju.core.packet.inputs import InputCheck
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


MANIFEST_SUFFIX = ".manifest.json"


def manifest_path_for(output: Path) -> Path:
    """Where the manifest of ``output`` goes: ``NAME.pdf.manifest.json`` beside it (a name
    no other program uses, so it cannot take the place of the user's ``NAME.json``)."""
    return output.with_name(output.name + MANIFEST_SUFFIX)


def _is_our_manifest(path: Path, packet_name: str) -> bool:
    """True if ``path`` is a manifest Yongju wrote for ``packet_name`` (replaceable)."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 64 << 20:
            return False
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("packet") == packet_name and "ranges" in data


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
    checked: a failure, a cancel or a kill leaves nothing (see ``files.Scratch``). Every
    input's bytes are checked against the SHA-256 the store recorded.
    """
    output = Path(output)
    if output.suffix.lower() != ".pdf":
        raise ExportError(f"The packet must be a .pdf file, not '{output.name}'.")
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"The folder {folder} does not exist.")
    manifest_path = manifest_path_for(output)
    if os.path.lexists(manifest_path) and not _is_our_manifest(manifest_path, output.name):
        raise ExportError(
            f"{manifest_path} already exists and was not written by Yongju; choose another "
            "name for the packet or move that file away."
        )
    meta = meta or PacketText(title=output.stem, author="")
    documents: list[PacketDocument] = []  # filled while planning
    check = InputCheck()
    cache = SourceCache(documents, check)
    scratches: list[Scratch] = []

    def scratch(*, in_memory: bool) -> Scratch:
        made = (Scratch.in_memory if in_memory else Scratch.on_disk)(folder, output.name)
        scratches.append(made)
        return made

    remove_stale(folder)
    placed: Path | None = None  # the packet, once in place
    try:
        plan = make_plan(sections, options, cache, documents)
        if not plan.sheets and not options.cover:
            raise ExportError("There is nothing to export: no document is filed in this case.")
        # With a password the plain packet stays in memory: only its encryption is written.
        body = scratch(in_memory=bool(options.password))
        written = _write(plan, body, options, cover, meta, cache, progress, cancel)
        found = check.finish()
        current, warnings = body, []
        if options.max_size is not None:
            from yongju.core.packet.budget import fit_budget

            smaller = scratch(in_memory=bool(options.password))
            done = fit_budget(current.path, smaller, options.max_size, cancel)
            if done is not None:
                current, warnings = smaller, done
        if options.password:
            encrypted = scratch(in_memory=False)
            encrypt(current.path, encrypted, options.password)
            current = encrypted
        verify(current.path, plan.total_pages, written.outline_count, options.password)
        reread(current.path, plan.total_pages, written.outline_titles, options.password)
        digest = written.sha256 if current is body else fd_sha256(current.fd)
        size = current.size
        ranges = _ranges(plan, found)
        manifest = _manifest_json(
            output, meta, plan, ranges, digest, size, cover, manifest_extra or {}
        )
        manifest_file = scratch(in_memory=False)
        manifest_file.write_all(manifest.encode("utf-8"))
        # The packet first: a kill between the two leaves a whole packet whose manifest is
        # missing, never a manifest of a packet that is not there.
        current.place(output)
        placed = output
        manifest_file.place(manifest_path)
        placed = None
    except BaseException as exc:
        if placed is not None:  # no packet without its manifest
            placed.unlink(missing_ok=True)
        if isinstance(exc, ExportError) and not isinstance(exc, CancelledError):
            better = check.explain()  # a missing or damaged stored file behind the failure
            if better is not None and str(better) != str(exc):
                raise better from None
        if isinstance(exc, OSError):  # a full disk, a folder turned read-only, …
            raise ExportError(
                f"The packet could not be written to {output}: {exc.strerror or exc}."
            ) from None
        raise
    finally:
        cache.close_all()
        check.close()
        for made in scratches:
            made.close()
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
    """What writing the temporary file gave: its hash and its bookmarks' titles, depth first."""

    sha256: str
    outline_titles: tuple[str, ...]

    @property
    def outline_count(self) -> int:
        return len(self.outline_titles)


def _write(
    plan: Plan,
    body: Scratch,
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
        # Laid out on a thread beside the page copying and written last; the page tree
        # still lists the cover first.
        job = CoverJob(info, plan, meta.title if options.stamp else None)
    try:
        out = PacketFile(body.fd)
        try:
            return _write_body(plan, out, body, options, meta, cache, job, progress, cancel)
        finally:
            out.close()
    finally:
        if job is not None:
            job.close()


def _write_body(
    plan: Plan,
    out: PacketFile,
    body: Scratch,
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
        stamp = stamp_refs[number] if stamp_refs else None
        ref = sheets.write_sheet(items, stamp, card=sheet.card, photos=sheet.photos)
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
        cache.check.check()  # a damaged input stops the export as soon as it is known
    if job is not None:
        sheet_refs = list(sheets.page_refs)
        cover_refs = _write_generated(writer, sheets, job, stamp_refs)
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
    file_id = hashlib.md5(f"{body.path}{now.text!r}".encode(), usedforsecurity=False).digest()
    writer.finish(sheets.page_refs, pages_ref, catalog, info, file_id)
    titles = [t for title, _, children in outline for t in (title, *(c for c, _ in children))]
    return Written(out.hexdigest(), tuple(titles))


def _write_generated(
    writer: PdfStreamWriter,
    sheets: SheetWriter,
    job: CoverJob,
    stamp_refs: list[Ref],
) -> list[Ref]:
    """Writes the cover sheets and every stamp; returns the cover sheets' pages."""
    generated, cover_pages, stamped = job.generated_pdf()
    job.plan.cover_pages = cover_pages
    # One copier: the cover and the stamps share their fonts, which are written once.
    copier = writer.copier()
    a4 = Box(0, 0, *A4_PORTRAIT)
    # Taken once: pikepdf's pages[i] copies the whole page list on every call.
    stamp_pages = [page.obj for page in generated.pages][cover_pages:] if stamped else []

    def stamp(number: int, ref: Ref | None = None) -> Ref | None:
        if not stamped:
            return None
        return write_form(writer, copier, stamp_pages[number], a4, ref)

    source = Source(PacketDocument(Path("cover"), MediaType.PDF, "cover", ""), generated, False)
    cover_refs = [
        sheets.write_sheet([(source, copier, index)], stamp(index)) for index in range(cover_pages)
    ]
    for index, ref in enumerate(stamp_refs):
        stamp(cover_pages + index, ref)
    return cover_refs


def _section_title(section: PacketSection) -> str:
    return f"{section.title_en} · {section.title_zh}" if section.title_zh else section.title_en


def _document_title(document: PacketDocument) -> str:
    role = "" if document.role.value == "original" else f" ({document.role.value})"
    return f"{document.title}{role}"


def _ranges(plan: Plan, found: dict[Path, str]) -> list[ManifestRange]:
    """Where each document went; its SHA-256 is that of the bytes read while exporting
    (``verified`` when it is the one the store recorded at import)."""
    ranges = []
    for index, pairs in sorted(plan.document_sheets().items()):
        document = plan.documents[index]
        digest = found.get(document.path, "")
        ranges.append(
            ManifestRange(
                slot=document.slot_id,
                document_id=document.document_id,
                role=document.role.value,
                sha256=digest or document.sha256,
                verified=bool(document.sha256) and digest == document.sha256,
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
        # Every input was hashed while it was read; "verified": it matched the store.
        "inputs_verified": bool(ranges) and all(r.verified for r in ranges),
        "ranges": [r.as_json() for r in ranges],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
