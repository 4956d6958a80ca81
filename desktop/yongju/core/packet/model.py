"""The packet's inputs and outputs as plain frozen records (no PDF library needed to use them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from yongju.core.records import MediaType, PageSetting, Role

A4_PORTRAIT = (595.2756, 841.8898)  # 210 x 297 mm in points
MM = 72 / 25.4


@dataclass(frozen=True)
class PacketOptions:
    """How a packet is written.

    ``stamp`` prints case, slot and "page n of N" at the foot of every page (on by default:
    the contents refer to page numbers). ``max_size`` is a byte budget: images are
    recompressed (largest first, as little as needed) until the file fits.
    ``password`` encrypts the packet with AES-256.
    """

    cover: bool = True
    stamp: bool = True
    password: str | None = None
    max_size: int | None = None
    allow_incomplete: bool = False
    id_card_layout: bool = True
    margin_mm: float = 8.0


@dataclass(frozen=True)
class PacketDocument:
    """One input file as it goes into the packet, and where it came from."""

    path: Path
    media_type: MediaType
    title: str
    slot_id: str
    role: Role = Role.ORIGINAL
    document_id: int | None = None
    sha256: str = ""
    page_settings: tuple[PageSetting, ...] = ()
    password: str = ""
    pages: int | None = None  # when known (the store knows): saves opening the file twice
    parent_title: str = ""  # the original a translation or legalisation belongs to

    def setting(self, index: int) -> PageSetting:
        for setting in self.page_settings:
            if setting.index == index:
                return setting
        return PageSetting(index)


@dataclass(frozen=True)
class PacketSection:
    """One slot of the packet: its titles, paper copies and its documents in order."""

    slot_id: str
    title_en: str
    title_zh: str
    documents: tuple[PacketDocument, ...] = ()
    copies: int = 1
    copies_note: str = ""
    id_card: bool = False
    photo: bool = False  # ID photos: real size (2-inch, 33 x 48 mm), several to a sheet
    state: str = ""  # the checklist state in words, shown in the contents
    # What is wrong, when something is, and what is said though not wrong (why it does not
    # apply, a non-blocking warning): one line per language, Chinese first.
    problem: str = ""
    note: str = ""
    # Optional and nothing filed: the contents list these together in one line at the end.
    optional_empty: bool = False


@dataclass(frozen=True)
class CoverInfo:
    """What the cover says about the case."""

    applicant: str
    title_en: str
    title_zh: str
    submission_date: dt.date | None
    generated: dt.datetime
    ready: bool
    warnings: tuple[str, ...] = ()
    warnings_zh: tuple[str, ...] = ()  # the same in Chinese, in the same order ("": none)
    valid_until: dt.date | None = None
    notes: str = ""
    profile_checked: dt.date | None = None
    submission_passed: bool = False  # the planned date is before the day the packet was made
    # durations the rules demand: (Chinese title, English title, state in words)
    durations: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class ManifestRange:
    """Where one document's pages went: source pages and packet pages, both from 1."""

    slot: str
    document_id: int | None
    role: str
    sha256: str
    title: str
    source_pages: tuple[int, ...]
    packet_pages: tuple[int, ...]
    verified: bool = False  # its bytes, hashed while exported, matched the store's SHA-256

    def as_json(self) -> dict[str, object]:
        return {
            "slot": self.slot,
            "document_id": self.document_id,
            "role": self.role,
            "sha256": self.sha256,
            "verified": self.verified,
            "title": self.title,
            "source_pages": list(self.source_pages),
            "packet_pages": list(self.packet_pages),
        }


@dataclass(frozen=True)
class PacketResult:
    """A packet that was written, checked and put in place."""

    output: Path
    pages: int
    bytes: int
    manifest_path: Path
    sha256: str
    warnings: tuple[str, ...] = ()
    ranges: tuple[ManifestRange, ...] = field(default=(), repr=False)
    manifest_json: str = field(default="", repr=False)


def printed_texts(
    cover: CoverInfo | None, sections: Sequence[PacketSection], stamp_title: str | None = None
) -> list[str]:
    """Every text the packet's own pages (cover, contents, stamps) may print, to choose fonts
    for and to check that each character can be printed."""
    texts = [stamp_title or ""]
    if cover is not None:
        texts += [cover.applicant, cover.title_en, cover.title_zh, cover.notes, *cover.warnings]
        texts += [*cover.warnings_zh, *(text for row in cover.durations for text in row)]
    for section in sections:
        texts += [section.title_en, section.title_zh, section.copies_note]
        texts += [section.state, section.problem, section.note]
        for document in section.documents:
            texts += [document.title, document.parent_title]
    return [text for text in texts if text]
