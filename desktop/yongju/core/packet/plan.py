"""Planning a packet: which source page goes on which A4 sheet, in packet order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from yongju.core.errors import ExportError
from yongju.core.packet.geometry import fits_half_sheet, shown_size
from yongju.core.packet.inputs import InputCheck
from yongju.core.packet.model import PacketDocument, PacketOptions, PacketSection
from yongju.core.packet.pdfwriter import ObjectCopier, PdfStreamWriter
from yongju.core.packet.sheets import PHOTOS_PER_SHEET
from yongju.core.packet.sources import IMAGE_TYPES, Source, open_source


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
    card: bool = False  # an ID-card sheet: sides in the upper and lower halves
    photos: bool = False  # ID photos at their real size, in rows (see sheets.PHOTO_GRID)


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
    """Opened inputs, each with the copier that maps its objects into the output.

    Each input's file is handed to ``check`` (hashed against the store's record) the first
    time it is opened; when an input cannot be read, a missing or damaged stored file is
    named instead of qpdf's words about it.
    """

    def __init__(self, documents: Sequence[PacketDocument], check: InputCheck) -> None:
        self._documents = documents
        self._open: dict[int, tuple[Source, ObjectCopier | None]] = {}
        self.check = check

    def get(self, index: int) -> Source:
        if index not in self._open:
            document = self._documents[index]
            self.check.submit(document)
            try:
                source = open_source(document)
            except ExportError as exc:
                raise self.check.explain() or exc from None
            self._open[index] = (source, None)
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
    """Sheets in packet order; ID-card slots pair small pages two to a sheet, and photo
    slots put their photos at real size, several to a sheet."""
    plan = Plan(sections, documents)
    for section_index, section in enumerate(sections):
        pending: list[Placement] = []
        photos: list[Placement] = []
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
                if section.photo and document.media_type in IMAGE_TYPES:
                    photos.append(placement)
                    if len(photos) == PHOTOS_PER_SHEET:
                        plan.sheets.append(Sheet(section_index, photos, photos=True))
                        photos = []
                    continue
                if photos:  # the photos so far keep their place before this page
                    plan.sheets.append(Sheet(section_index, photos, photos=True))
                    photos = []
                if section.id_card and options.id_card_layout and _pairable(cache, placement):
                    pending.append(placement)
                    if len(pending) == 2:
                        plan.sheets.append(Sheet(section_index, pending, card=True))
                        pending = []
                    continue
                if pending:
                    plan.sheets.append(Sheet(section_index, pending, card=True))
                    pending = []
                plan.sheets.append(Sheet(section_index, [placement]))
            # Inputs opened to be counted or measured are opened again when written: a case
            # of a thousand documents must not hold a thousand files open.
            cache.close(doc_index)
        if pending:
            plan.sheets.append(Sheet(section_index, pending, card=True))
        if photos:
            plan.sheets.append(Sheet(section_index, photos, photos=True))
    return plan


def _pairable(cache: SourceCache, placement: Placement) -> bool:
    """Small enough to share a sheet: a card-sized scan, or a photo of unknown size."""
    source = cache.get(placement.doc)
    if source.is_image and source.image_dpi is None:
        return True
    try:
        box = source.box(placement.page)
        w, h = shown_size(box, source.rotation(placement.page))
        unit = source.user_unit(placement.page)
    except Exception:
        return False  # a page too damaged to measure gets a sheet of its own (and its error)
    return fits_half_sheet(w * unit, h * unit)
