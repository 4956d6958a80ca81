"""The packet engine: plans the pages, streams them into a temporary PDF, checks it, renames it.

Works on plain inputs (``PacketSection`` of ``PacketDocument``); ``export.py`` builds those
from a stored case. Every sheet is a fresh A4 page drawing its source page(s) as form
XObjects, so nothing but what the page shows is carried over.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import hashlib
import json
import os
import queue
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pikepdf

from yongju.core.errors import CancelledError, ExportError
from yongju.core.packet.geometry import (
    Box,
    Matrix,
    fit,
    fits_half_sheet,
    is_a4,
    shown_size,
)
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
    FileRange,
    ObjectCopier,
    PdfStreamWriter,
    Raw,
    Ref,
    name,
    text_string,
)
from yongju.core.packet.sources import IMAGE_TYPES, Source, inherited, open_source
from yongju.core.records import MediaType

if TYPE_CHECKING:
    from yongju.core.packet.cover import CoverJob

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
STAMP_NAME = "YjStamp"


@dataclass(frozen=True)
class Placement:
    """One source page drawn on a sheet."""

    doc: int  # index into the plan's documents
    page: int  # 0-based page of that document


@dataclass
class Sheet:
    """One A4 page of the packet (one source page, or two on an ID-card sheet)."""

    section: int
    placements: list[Placement]


@dataclass
class Plan:
    """Every sheet in order, and which documents they draw from."""

    sections: Sequence[PacketSection]
    documents: list[PacketDocument] = field(default_factory=list)
    doc_section: list[int] = field(default_factory=list)
    sheets: list[Sheet] = field(default_factory=list)
    cover_pages: int = 0

    def document_sheets(self) -> dict[int, list[tuple[int, int]]]:
        """Document index → [(source page, packet page from 1)] in order."""
        result: dict[int, list[tuple[int, int]]] = {}
        for number, sheet in enumerate(self.sheets, start=self.cover_pages + 1):
            for placement in sheet.placements:
                result.setdefault(placement.doc, []).append((placement.page + 1, number))
        return result

    @property
    def total_pages(self) -> int:
        return self.cover_pages + len(self.sheets)


class SourceCache:
    """Opened inputs, each with the copier that maps its objects into the output."""

    def __init__(self, documents: Sequence[PacketDocument]) -> None:
        self._documents = documents
        self._open: dict[int, tuple[Source, ObjectCopier | None]] = {}

    def get(self, index: int) -> Source:
        if index not in self._open:
            self._open[index] = (open_source(self._documents[index]), None)
        return self._open[index][0]

    def copier(self, index: int, writer: PdfStreamWriter) -> ObjectCopier:
        source, copier = self._open.get(index) or (self.get(index), None)
        if copier is None:
            copier = writer.copier(source.raw_stream)
            self._open[index] = (source, copier)
        return copier

    def close(self, index: int) -> None:
        entry = self._open.pop(index, None)
        if entry is not None:
            entry[0].close()

    def close_all(self) -> None:
        for index in list(self._open):
            self.close(index)


# ----------------------------------------------------------------------------- planning
def page_count(document: PacketDocument, cache: SourceCache, index: int) -> int:
    """The document's page count: known from the store, else read from the file."""
    if document.pages is not None:
        return document.pages
    return cache.get(index).page_count


def make_plan(
    sections: Sequence[PacketSection],
    options: PacketOptions,
    cache: SourceCache,
    documents: list[PacketDocument],
) -> Plan:
    """Sheets in packet order; ID-card slots pair small pages two to a sheet."""
    plan = Plan(sections, documents)
    for section_index, section in enumerate(sections):
        pending: list[Placement] = []
        for document in section.documents:
            doc_index = len(plan.documents)
            plan.documents.append(document)
            plan.doc_section.append(section_index)
            count = page_count(document, cache, doc_index)
            excluded = {s.index for s in document.page_settings if s.excluded}
            for page in range(count):
                if page in excluded:
                    continue
                placement = Placement(doc_index, page)
                if section.id_card and options.id_card_layout and _pairable(cache, placement):
                    pending.append(placement)
                    if len(pending) == 2:
                        plan.sheets.append(Sheet(section_index, pending))
                        pending = []
                    continue
                if pending:
                    plan.sheets.append(Sheet(section_index, pending))
                    pending = []
                plan.sheets.append(Sheet(section_index, [placement]))
        if pending:
            plan.sheets.append(Sheet(section_index, pending))
    return plan


def _pairable(cache: SourceCache, placement: Placement) -> bool:
    """Small enough to share a sheet: a card-sized scan, or a photo of unknown size."""
    source = cache.get(placement.doc)
    if source.is_image and source.image_dpi is None:
        return True
    box = source.box(placement.page)
    return fits_half_sheet(*shown_size(box, source.rotation(placement.page)))


# ----------------------------------------------------------------------------- writing
class PacketFile:
    """The temporary packet file: written front to back, hashed on a second thread.

    Scan streams are copied file to file by the kernel (``copy_file_range``), never through
    Python; the hashing thread reads them back from the page cache with ``pread``, so the
    SHA-256 of a 600 MB packet costs no wall time on a machine with two cores. Small writes
    (object syntax) are batched. The queue is bounded: memory stays flat.
    """

    _CHUNK = 1 << 20

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0))
        self._sha256 = hashlib.sha256()
        self._queue: queue.Queue[bytes | FileRange | None] = queue.Queue(maxsize=64)
        self._small: list[bytes] = []
        self._small_size = 0
        self._kernel_copy = hasattr(os, "copy_file_range")
        self._thread = threading.Thread(target=self._hash, name="packet-sha256", daemon=True)
        self._thread.start()

    def _hash(self) -> None:
        buffer = bytearray(self._CHUNK)
        view = memoryview(buffer)
        while (item := self._queue.get()) is not None:
            if isinstance(item, bytes):
                self._sha256.update(item)
                continue
            try:
                done = 0
                while done < item.length:
                    count = os.preadv(
                        item.fd, [view[: min(self._CHUNK, item.length - done)]], item.offset + done
                    )
                    if count <= 0:
                        break
                    self._sha256.update(view[:count])
                    done += count
            finally:
                os.close(item.fd)

    def write(self, data: bytes) -> int:
        self._small.append(data)
        self._small_size += len(data)
        if self._small_size >= 1 << 16:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._small:
            data = b"".join(self._small)
            self._small, self._small_size = [], 0
            self._write_all(data)
            self._queue.put(data)

    def _write_all(self, data: bytes | memoryview) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view) :]

    def copy_range(self, source: FileRange) -> None:
        """Appends ``length`` bytes of another open file."""
        self.flush()
        done = 0
        if self._kernel_copy:
            try:
                while done < source.length:
                    count = os.copy_file_range(
                        source.fd, self.fd, source.length - done, source.offset + done
                    )
                    if count <= 0:
                        break
                    done += count
            except OSError:  # another file system or an old kernel: copy through memory
                self._kernel_copy = False
        while done < source.length:
            chunk = os.pread(
                source.fd, min(self._CHUNK, source.length - done), source.offset + done
            )
            if not chunk:
                raise ExportError("An input file changed while the packet was being written.")
            self._write_all(chunk)
            done += len(chunk)
        # The hashing thread reads the same bytes back through its own descriptor (the
        # source may be closed before it gets there).
        self._queue.put(FileRange(os.dup(source.fd), source.offset, source.length))

    def hexdigest(self) -> str:
        """Finishes hashing (call once, after the last write)."""
        self.flush()
        self._queue.put(None)
        self._thread.join()
        return self._sha256.hexdigest()

    def close(self) -> None:
        """Stops the hashing thread (if still running) and closes the file."""
        if self._thread.is_alive():
            self._small = []
            self._queue.put(None)
            self._thread.join()
        os.close(self.fd)


def write_form(
    writer: PdfStreamWriter, copier: ObjectCopier, page: pikepdf.Dictionary, box: Box
) -> Ref:
    """A source page as a form XObject: its content and resources, nothing else."""
    head = [
        b"<< /Type /XObject /Subtype /Form /BBox [%s]"
        % b" ".join(_num(v) for v in (box.x0, box.y0, box.x1, box.y1))
    ]
    resources = inherited(page, "/Resources")
    head.append(b"/Resources " + (copier.value(resources) if resources is not None else b"<< >>"))
    group = page.get("/Group")
    if group is not None:
        head.append(b"/Group " + copier.value(group))
    contents = page.get("/Contents")
    data = b""
    if isinstance(contents, pikepdf.Stream):
        data = contents.read_raw_bytes()
        for key in ("/Filter", "/DecodeParms"):
            value = contents.get(key)
            if value is not None:
                head.append(pikepdf.Name(key).unparse() + b" " + copier.value(value))
    elif isinstance(contents, pikepdf.Array):
        parts = [c.read_bytes() for c in contents if isinstance(c, pikepdf.Stream)]
        data = zlib.compress(b"\n".join(parts), 6)
        head.append(b"/Filter /FlateDecode")
    head.append(b"/Length %d >>" % len(data))
    ref = writer.write_raw_stream(b" ".join(head), data)
    copier.copy_pending()
    return ref


def _num(value: float) -> bytes:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return (text if text not in ("", "-0") else "0").encode("ascii")


def _cm(matrix: Matrix) -> bytes:
    return b" ".join(_num(v) for v in matrix) + b" cm"


class SheetWriter:
    """Writes sheets: one fresh A4 page each, drawing its placements and the stamp."""

    def __init__(self, writer: PdfStreamWriter, pages_ref: Ref, margin: float) -> None:
        self.writer = writer
        self.pages_ref = pages_ref
        self.margin = margin
        self.page_refs: list[Ref] = []

    def write_sheet(
        self, items: Sequence[tuple[Source, ObjectCopier, int]], stamp: Ref | None
    ) -> Ref:
        """Places one page full-sheet, or two (an ID card's sides) one above the other."""
        forms: list[tuple[Ref, Matrix]] = []
        if len(items) == 1:
            source, copier, index = items[0]
            box, rotation = source.box(index), source.rotation(index)
            shown = shown_size(box, rotation)
            sheet = _sheet(*shown)
            if is_a4(*shown):
                area, expand = Box(0, 0, *sheet), True
            else:
                m = self.margin
                # Known sizes stay true (a small certificate is copied at 100%, as a
                # photocopier would); photos of unknown resolution fill the sheet.
                area, expand = Box(m, m, sheet[0] - m, sheet[1] - m), not _true_size(source)
            forms.append(
                (
                    write_form(self.writer, copier, source.page(index), box),
                    fit(box, rotation, area, expand=expand),
                )
            )
        else:
            sheet = A4_PORTRAIT
            m, half = self.margin, A4_PORTRAIT[1] / 2
            areas = [
                Box(m, half + m / 2, sheet[0] - m, sheet[1] - m),
                Box(m, m, sheet[0] - m, half - m / 2),
            ]
            for (source, copier, index), area in zip(items, areas, strict=False):
                box, rotation = source.box(index), source.rotation(index)
                forms.append(
                    (
                        write_form(self.writer, copier, source.page(index), box),
                        fit(box, rotation, area, expand=not _true_size(source)),
                    )
                )
        return self._page(sheet, forms, stamp)

    def _page(
        self, sheet: tuple[float, float], forms: list[tuple[Ref, Matrix]], stamp: Ref | None
    ) -> Ref:
        content = []
        xobjects: dict[str, Any] = {}
        for number, (ref, matrix) in enumerate(forms):
            xobjects[f"P{number}"] = ref
            content.append(b"q %s /P%d Do Q" % (_cm(matrix), number))
        if stamp is not None:
            xobjects[STAMP_NAME] = stamp
            shift = (sheet[0] - A4_PORTRAIT[0]) / 2
            content.append(b"q %s /%s Do Q" % (_cm((1, 0, 0, 1, shift, 0)), STAMP_NAME.encode()))
        contents = self.writer.write_stream(b"\n".join(content), compress=False)
        ref = self.writer.write_object(
            {
                "Type": name("Page"),
                "Parent": self.pages_ref,
                "MediaBox": [0, 0, round(sheet[0], 4), round(sheet[1], 4)],
                "Resources": {"XObject": xobjects},
                "Contents": contents,
            }
        )
        self.page_refs.append(ref)
        return ref


def _sheet(width: float, height: float) -> tuple[float, float]:
    a, b = A4_PORTRAIT
    return (b, a) if width > height else (a, b)


def _true_size(source: Source) -> bool:
    """True size is kept when known: a PDF page, or a scan with a real resolution."""
    return not source.is_image or source.image_dpi is not None


# ----------------------------------------------------------------------------- outline
def write_outline(
    writer: PdfStreamWriter, entries: Sequence[tuple[str, Ref, Sequence[tuple[str, Ref]]]]
) -> Ref | None:
    """Bookmarks: one per slot, with one child per document."""
    if not entries:
        return None
    root = writer.reserve()
    tops = [writer.reserve() for _ in entries]
    for i, (title, page, children) in enumerate(entries):
        kids = [writer.reserve() for _ in children]
        for j, (child_title, child_page) in enumerate(children):
            item: dict[str, Any] = {
                "Title": text_string(child_title),
                "Parent": tops[i],
                "Dest": [child_page, name("Fit")],
            }
            if j > 0:
                item["Prev"] = kids[j - 1]
            if j + 1 < len(kids):
                item["Next"] = kids[j + 1]
            writer.write_object(item, kids[j])
        top: dict[str, Any] = {
            "Title": text_string(title),
            "Parent": root,
            "Dest": [page, name("Fit")],
        }
        if i > 0:
            top["Prev"] = tops[i - 1]
        if i + 1 < len(tops):
            top["Next"] = tops[i + 1]
        if kids:
            top.update({"First": kids[0], "Last": kids[-1], "Count": -len(kids)})
        writer.write_object(top, tops[i])
    writer.write_object(
        {"Type": name("Outlines"), "First": tops[0], "Last": tops[-1], "Count": len(tops)}, root
    )
    return root


def pdf_date(moment: dt.datetime) -> Raw:
    utc = moment.astimezone(dt.UTC)
    return text_string(utc.strftime("D:%Y%m%d%H%M%S+00'00'"))


# ----------------------------------------------------------------------------- the build
@dataclass(frozen=True)
class PacketText:
    """Titles for the PDF's metadata and the outline of the cover pages."""

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

    Nothing is ever left at ``output`` (or beside it) unless the whole packet was written,
    reopened and checked: a failure, a cancel or a kill leaves at most a hidden ``.part``.
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
        _remove_stale(folder, output.name)
        temp = _temp_path(folder, output.name)
    except OSError as exc:
        raise ExportError(f"Cannot write in {folder}: {exc.strerror or exc}.") from None
    manifest_written: Path | None = None
    try:
        plan = make_plan(sections, options, cache, documents)
        if not plan.sheets and not options.cover:
            raise ExportError("There is nothing to export: no document is filed in this case.")
        written = _write(plan, temp, options, cover, meta, cache, progress, cancel)
        warnings = list(written.warnings)
        if options.max_size is not None:
            from yongju.core.packet.budget import fit_budget

            warnings.extend(fit_budget(temp, options.max_size, cancel))
        if options.password:
            _encrypt(temp, options.password)
        verify(temp, plan.total_pages, written.outline_count, options.password)
        digest = _sha256(temp) if (options.max_size or options.password) else written.sha256
        size = temp.stat().st_size
        _fsync(temp)
        ranges = _ranges(plan)
        manifest_path = output.with_suffix(".json")
        manifest = _manifest_json(
            output, meta, plan, ranges, digest, size, cover, manifest_extra or {}
        )
        _write_atomic(manifest_path, manifest.encode("utf-8"))
        manifest_written = manifest_path
        os.replace(temp, output)
        manifest_written = None
        _fsync_dir(folder)
    except BaseException as exc:
        cache.close_all()
        temp.unlink(missing_ok=True)
        if manifest_written is not None:
            manifest_written.unlink(missing_ok=True)
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
    sha256: str
    outline_count: int
    warnings: tuple[str, ...]


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

    cover_job: CoverJob | None = None
    stamp_pdf: pikepdf.Pdf | None = None
    if options.cover and cover is not None:
        # Stamps print "page n of N", so they need the cover's page count first; without
        # them the cover is laid out beside the page copying and written last.
        cover_job = CoverJob(cover, plan, background=not options.stamp)
    try:
        if options.stamp:
            from yongju.core.packet.cover import render_stamps

            if cover_job is not None:
                plan.cover_pages = cover_job.page_count()
            stamp_pdf = render_stamps(meta.title, plan)
        out = PacketFile(temp)
        try:
            return _write_body(
                plan, out, temp, options, meta, cache, cover_job, stamp_pdf, progress, cancel
            )
        finally:
            out.close()
    finally:
        if cover_job is not None:
            cover_job.close()
        if stamp_pdf is not None:
            stamp_pdf.close()


def _write_body(
    plan: Plan,
    out: PacketFile,
    temp: Path,
    options: PacketOptions,
    meta: PacketText,
    cache: SourceCache,
    cover_job: CoverJob | None,
    stamp_pdf: pikepdf.Pdf | None,
    progress: Progress | None,
    cancel: Cancel | None,
) -> Written:
    total = plan.total_pages + (cover_job.estimate if cover_job and not plan.cover_pages else 0)
    last_use: dict[int, int] = {}
    for number, sheet in enumerate(plan.sheets):
        for placement in sheet.placements:
            last_use[placement.doc] = number
    writer = PdfStreamWriter(out)
    pages_ref = writer.reserve()
    sheets = SheetWriter(writer, pages_ref, options.margin_mm * MM)
    stamp_copier = writer.copier() if stamp_pdf is not None else None
    done = 0

    def stamp_for(number: int) -> Ref | None:
        if stamp_pdf is None or stamp_copier is None:
            return None
        page = stamp_pdf.pages[number].obj
        return write_form(writer, stamp_copier, page, Box(0, 0, *A4_PORTRAIT))

    def write_cover() -> list[Ref]:
        if cover_job is None:
            return []
        cover_pdf = cover_job.pdf()
        plan.cover_pages = len(cover_pdf.pages)
        source = Source(PacketDocument(temp, MediaType.PDF, "cover", ""), cover_pdf, False)
        copier = writer.copier()
        return [
            sheets.write_sheet([(source, copier, index)], stamp_for(index))
            for index in range(plan.cover_pages)
        ]

    cover_refs: list[Ref] = []
    if stamp_pdf is not None:  # the numbers are known: the cover goes first, as it is read
        cover_refs = write_cover()
        done = len(cover_refs)
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
        ref = sheets.write_sheet(items, stamp_for(done))
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
        done += 1
        if progress is not None:
            progress(done, total)
    if stamp_pdf is None:
        sheet_refs = list(sheets.page_refs)
        cover_refs = write_cover()  # written last, listed first in the page tree
        sheets.page_refs = cover_refs + sheet_refs
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
    return Written(out.hexdigest(), outline_count, ())


def _section_title(section: PacketSection) -> str:
    return f"{section.title_en} · {section.title_zh}" if section.title_zh else section.title_en


def _document_title(document: PacketDocument) -> str:
    role = "" if document.role.value == "original" else f" ({document.role.value})"
    return f"{document.title}{role}"


# ----------------------------------------------------------------------------- checks
def verify(path: Path, pages: int, outline_items: int, password: str | None) -> None:
    """Reopens the written file: it must parse, with the pages and bookmarks expected."""
    try:
        with pikepdf.open(path, password=password or "") as pdf:
            found = len(pdf.pages)
            with pdf.open_outline() as outline:
                items = _count_outline(outline.root)
    except pikepdf.PdfError as exc:
        raise ExportError(f"The written packet did not reopen ({exc}); nothing was kept.") from None
    if found != pages:
        raise ExportError(f"The written packet has {found} pages instead of {pages}.")
    if items != outline_items:
        raise ExportError(f"The written packet has {items} bookmarks instead of {outline_items}.")


def _count_outline(items: Sequence[Any]) -> int:
    return sum(1 + _count_outline(item.children) for item in items)


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


# ----------------------------------------------------------------------------- files
STALE_AFTER_S = 3600  # a .part this old belongs to an export that was killed


def _remove_stale(folder: Path, final_name: str) -> None:
    """Removes the hidden leftovers of earlier exports to the same name that were killed."""
    now = time.time()
    for leftover in folder.glob(f".{glob.escape(final_name)}.*.part"):
        with contextlib.suppress(OSError):
            if now - leftover.stat().st_mtime > STALE_AFTER_S:
                leftover.unlink()


def _temp_path(folder: Path, final_name: str) -> Path:
    handle, path = tempfile.mkstemp(prefix=f".{final_name}.", suffix=".part", dir=folder)
    os.close(handle)
    os.unlink(path)  # opened again with "xb": never follows a planted file
    return Path(path)


def _write_atomic(path: Path, data: bytes) -> None:
    temp = _temp_path(path.parent, path.name)
    try:
        with open(temp, "xb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename is still atomic
    finally:
        os.close(fd)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _encrypt(path: Path, password: str) -> None:
    """Re-saves the packet with AES-256 (user and owner password both ``password``)."""
    encrypted = path.with_name(path.name + ".enc")
    try:
        with pikepdf.open(path) as pdf:
            pdf.save(
                encrypted,
                encryption=pikepdf.Encryption(user=password, owner=password, R=6, aes=True),
            )
        os.replace(encrypted, path)
    finally:
        encrypted.unlink(missing_ok=True)


def is_image(document: PacketDocument) -> bool:
    return document.media_type in IMAGE_TYPES
