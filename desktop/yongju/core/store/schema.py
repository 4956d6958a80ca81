"""The store's tables as SQLAlchemy 2 typed ORM classes (changed only through a migration)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    media_type: Mapped[str] = mapped_column(String(40))
    original_name: Mapped[str] = mapped_column(Text)
    source_path: Mapped[str] = mapped_column(Text, default="")
    size: Mapped[int]
    pages: Mapped[int]
    width_px: Mapped[int | None]
    height_px: Mapped[int | None]
    dpi: Mapped[float | None]
    encrypted: Mapped[bool] = mapped_column(default=False)
    password: Mapped[str | None] = mapped_column(Text)  # the one that opened it on import
    has_text: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str] = mapped_column(Text, default="")
    issued: Mapped[dt.date | None]
    expires: Mapped[dt.date | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(16))
    legalised: Mapped[bool] = mapped_column(default=False)
    legalised_on: Mapped[dt.date | None]  # the date of the legalisation the scan includes
    issued_in: Mapped[str | None] = mapped_column(String(16))  # china | abroad | mission
    suggested_slot: Mapped[str | None] = mapped_column(String(80))
    imported_at: Mapped[dt.datetime]
    text_status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    text_error: Mapped[str] = mapped_column(Text, default="")
    reading_notes: Mapped[str] = mapped_column(Text, default="")

    page_settings: Mapped[list[PageSettingRow]] = relationship(
        cascade="all, delete-orphan", order_by="PageSettingRow.page_index", lazy="selectin"
    )


class PageSettingRow(Base):
    __tablename__ = "page_settings"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    page_index: Mapped[int] = mapped_column(primary_key=True)
    rotation: Mapped[int] = mapped_column(default=0)
    excluded: Mapped[bool] = mapped_column(default=False)


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    profile_id: Mapped[str] = mapped_column(String(80))
    submission_date: Mapped[dt.date | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime]

    decisions: Mapped[list[SlotDecisionRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SlotDecisionRow.slot_id"
    )
    facts: Mapped[list[CaseFact]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="CaseFact.key"
    )


class SlotDecisionRow(Base):
    """The user's answer for one slot: it applies, or it does not (with the reason)."""

    __tablename__ = "slot_decisions"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    slot_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    applies: Mapped[bool]
    reason: Mapped[str] = mapped_column(Text, default="")


class CaseFact(Base):
    """One fact about a case (city, agent, route, marriage date…), as text."""

    __tablename__ = "case_facts"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Filing(Base):
    __tablename__ = "filings"
    __table_args__ = (
        UniqueConstraint("case_id", "slot_id", "document_id", name="uq_filing_once_per_slot"),
        Index("ix_filings_case_slot", "case_id", "slot_id", "position"),
        Index("ix_filings_document", "document_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    slot_id: Mapped[str] = mapped_column(String(80))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    position: Mapped[int]
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("filings.id", ondelete="SET NULL"))

    covers: Mapped[list[FilingCover]] = relationship(
        cascade="all, delete-orphan",
        lazy="selectin",
        foreign_keys="FilingCover.filing_id",
        order_by="FilingCover.original_id",
    )


class FilingCover(Base):
    """A legalisation filing that also covers another original of its slot (one certificate,
    several originals)."""

    __tablename__ = "filing_covers"

    filing_id: Mapped[int] = mapped_column(
        ForeignKey("filings.id", ondelete="CASCADE"), primary_key=True
    )
    original_id: Mapped[int] = mapped_column(
        ForeignKey("filings.id", ondelete="CASCADE"), primary_key=True
    )


class Export(Base):
    __tablename__ = "exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(Text)
    pages: Mapped[int]
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime]
    manifest: Mapped[str] = mapped_column(Text)


class WatchedFile(Base):
    """A file the watched-folder reconcile has handled, so a restart does not import it again."""

    __tablename__ = "watched_files"
    __table_args__ = (UniqueConstraint("folder", "rel_path", name="uq_watched_path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    folder: Mapped[str] = mapped_column(Text)
    rel_path: Mapped[str] = mapped_column(Text)
    size: Mapped[int]
    mtime_ns: Mapped[int]
    sha256: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    handled_at: Mapped[dt.datetime]


class PageTextRow(Base):
    """The text of one page, and the engine (name, version) that produced it."""

    __tablename__ = "page_texts"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    page_index: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    engine: Mapped[str] = mapped_column(String(40))
    engine_version: Mapped[str] = mapped_column(String(80))
    read_at: Mapped[dt.datetime]


class ProposalRow(Base):
    """A value proposed from a document's text, waiting for the user to accept it."""

    __tablename__ = "proposals"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    field: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    page: Mapped[int]
    evidence: Mapped[str] = mapped_column(Text)
