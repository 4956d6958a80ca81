"""Frozen records that core hands out: the UI and CLI never see an ORM object."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a filed document is within its slot."""

    ORIGINAL = "original"
    LEGALISATION = "legalisation"  # apostille, consular legalisation or notarial certificate
    TRANSLATION = "translation"


ROLE_ORDER = {Role.ORIGINAL: 0, Role.LEGALISATION: 1, Role.TRANSLATION: 2}


class Origin(StrEnum):
    """Where a document was issued: this, not its language, decides legalisation."""

    CHINA = "china"  # a Chinese authority or notary: no legalisation
    ABROAD = "abroad"  # a foreign authority abroad: apostille or consular legalisation
    MISSION = "mission"  # a foreign embassy or consulate in China: outside the Convention


class TextStatus(StrEnum):
    """Whether a document's text has been read (text layer or recognition)."""

    NONE = "none"  # never to be read (not asked)
    PENDING = "pending"  # waiting to be read (after import, or asked again)
    DONE = "done"
    FAILED = "failed"  # the reason is in ``DocumentRecord.text_error``


class MediaType(StrEnum):
    PDF = "application/pdf"
    JPEG = "image/jpeg"
    PNG = "image/png"
    TIFF = "image/tiff"
    HEIF = "image/heif"
    WEBP = "image/webp"


@dataclass(frozen=True)
class PageSetting:
    """How one page of a document is shown and exported (never applied to the stored bytes)."""

    index: int  # 0-based
    rotation: int = 0  # clockwise degrees: 0, 90, 180 or 270
    excluded: bool = False


@dataclass(frozen=True)
class DocumentRecord:
    """One imported file, stored byte-for-byte, and what the user said about it."""

    id: int
    sha256: str
    media_type: MediaType
    original_name: str
    source_path: str
    size: int
    pages: int
    width_px: int | None
    height_px: int | None
    dpi: float | None
    encrypted: bool
    has_text: bool
    title: str
    issued: dt.date | None
    expires: dt.date | None
    notes: str
    language: str | None  # "zh" when the document is in Chinese and needs no translation
    legalised: bool  # the scan already includes its apostille, legalisation or notarisation
    suggested_slot: str | None
    imported_at: dt.datetime
    page_settings: tuple[PageSetting, ...] = ()
    issued_in: Origin | None = None  # None: not known yet (never assumed)
    legalised_on: dt.date | None = None  # the date of the legalisation the scan includes
    text_status: TextStatus = TextStatus.NONE
    text_error: str = ""  # why reading failed

    def page(self, index: int) -> PageSetting:
        for setting in self.page_settings:
            if setting.index == index:
                return setting
        return PageSetting(index)

    @property
    def included_pages(self) -> list[int]:
        """0-based indexes of the pages that go into a packet, in order."""
        excluded = {s.index for s in self.page_settings if s.excluded}
        return [i for i in range(self.pages) if i not in excluded]

    @property
    def display_title(self) -> str:
        return self.title or self.original_name


@dataclass(frozen=True)
class SlotDecision:
    """The user's answer for a slot of a case: it applies, or it does not, and why."""

    slot_id: str
    applies: bool
    reason: str = ""


@dataclass(frozen=True)
class CaseRecord:
    """One applicant's application under one profile."""

    id: int
    name: str
    profile_id: str
    submission_date: dt.date | None
    notes: str
    created_at: dt.datetime
    decisions: tuple[SlotDecision, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()  # (key, value), sorted by key

    @property
    def not_applicable(self) -> frozenset[str]:
        """The slots the user marked not applicable."""
        return frozenset(d.slot_id for d in self.decisions if not d.applies)

    def decision(self, slot_id: str) -> SlotDecision | None:
        for decision in self.decisions:
            if decision.slot_id == slot_id:
                return decision
        return None

    def fact(self, key: str) -> str | None:
        """A fact's value as entered, or None when it was never answered."""
        for fact_key, value in self.facts:
            if fact_key == key:
                return value
        return None


@dataclass(frozen=True)
class FilingRecord:
    """A document placed in a slot of a case."""

    id: int
    case_id: int
    slot_id: str
    document_id: int
    role: Role
    position: int
    parent_id: int | None  # the original filing a translation or legalisation belongs to
    covers: tuple[int, ...] = ()  # further originals one legalisation certificate covers


@dataclass(frozen=True)
class LaidFiling:
    """One filing of a slot named by documents, so it outlives its filing id being remade."""

    document_id: int
    role: Role
    parent_document: int | None  # the document of the original it belongs to
    covers_documents: tuple[int, ...] = ()  # documents of further originals it covers


@dataclass(frozen=True)
class SlotLayout:
    """What a slot of a case holds, in order, and how its filings belong together: what an
    undo puts back exactly."""

    case_id: int
    slot_id: str
    filings: tuple[LaidFiling, ...]


@dataclass(frozen=True)
class ExportRecord:
    """One packet written for a case."""

    id: int
    case_id: int
    path: str
    pages: int
    size: int
    sha256: str
    created_at: dt.datetime
    manifest: str  # the JSON manifest, as written beside the PDF


@dataclass(frozen=True)
class PageTextRecord:
    """The text of one page of a document, and the engine that read it."""

    document_id: int
    index: int  # 0-based
    text: str
    engine: str  # "rapidocr", or "pdfium text layer" for a PDF's own text
    engine_version: str


@dataclass(frozen=True)
class ProposalRecord:
    """A value read from a document, waiting for the user: never applied silently."""

    document_id: int
    field: str  # slot | title | issued | expires | language | issued_in
    value: str  # ISO date for dates, slot id, language code, china | abroad | mission
    page: int  # 1-based page it was found on
    evidence: str  # the words it was read from


@dataclass(frozen=True)
class SeenFile:
    """A file of a watched folder handled for good (imported, duplicate or refused) as it was
    at that moment, so a restart does not import it again."""

    rel_path: str  # relative to the watched folder, with forward slashes
    size: int
    mtime_ns: int
    sha256: str | None
    status: str  # "imported", "duplicate" or "refused"
    reason: str = ""
    document_id: int | None = None
    handled_at: dt.datetime | None = None

    def matches(self, size: int, mtime_ns: int) -> bool:
        """True while the file on disk is the one that was handled."""
        return self.size == size and self.mtime_ns == mtime_ns
