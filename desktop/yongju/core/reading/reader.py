"""Reads stored documents: page text into the store, then proposals from it (never applied)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from yongju.core.errors import CancelledError
from yongju.core.profiles import Profile, ProfileSet
from yongju.core.reading.ocr import OcrError
from yongju.core.reading.pages import PageSource, PageText, Recogniser, read_pages
from yongju.core.reading.proposals import propose
from yongju.core.records import (
    DocumentRecord,
    PageTextRecord,
    ProposalRecord,
    TextStatus,
)
from yongju.core.rendering import RenderError
from yongju.core.store import Store

log = logging.getLogger(__name__)

Keywords = Mapping[str, Sequence[str]]
# (pages done, pages in all, the document being read)
ReadProgress = Callable[[int, int, DocumentRecord], None]


@dataclass(frozen=True)
class ReadOutcome:
    """What reading one document gave: its proposals and notes, or why it failed."""

    document: DocumentRecord
    proposals: tuple[ProposalRecord, ...] = ()
    notes: tuple[str, ...] = ()
    error: str = ""
    cancelled: bool = False


def profile_for(store: Store, profiles: ProfileSet, doc_id: int) -> Profile | None:
    """The profile whose slots a document may be proposed for.

    The profile of the case it is filed in; else, when every case of the store follows one
    profile, that one. Otherwise no slot is proposed: a slot of another case's profile
    would be wrong for this one.
    """
    case_ids = {f.case_id for f in store.filings(document_id=doc_id)}
    cases = [c for c in store.cases() if c.id in case_ids] if case_ids else store.cases()
    profile_ids = {c.profile_id for c in cases}
    if len(profile_ids) != 1:
        return None
    profile_id = profile_ids.pop()
    return profiles.get(profile_id) if profile_id in profiles.ids() else None


@dataclass(frozen=True)
class Recognised:
    """A document's pages read and what they propose, not yet stored."""

    document: DocumentRecord
    pages: tuple[PageText, ...] = ()
    proposals: tuple[ProposalRecord, ...] = ()
    notes: tuple[str, ...] = ()
    error: str = ""
    cancelled: bool = False


def recognise(
    store: Store,
    doc_id: int,
    recogniser: Recogniser,
    *,
    keywords: Keywords | None = None,
    today: dt.date | None = None,
    source: PageSource | None = None,
    progress: ReadProgress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Recognised:
    """Reads one document's pages and works out its proposals; writes nothing.

    A page that cannot be rendered or recognised gives the reason in ``error``; a cancelled
    reading says ``cancelled``.
    """
    document = store.document(doc_id)
    password = store.document_password(doc_id) if document.encrypted else None

    def page_done(done: int, total: int) -> None:
        if progress is not None:
            progress(done, total, document)

    try:
        pages = read_pages(
            store.blob_path(document.sha256),
            document,
            password,
            recogniser,
            source=source,
            progress=page_done,
            cancel=cancel,
        )
    except CancelledError:
        return Recognised(document, cancelled=True)
    except (OcrError, RenderError) as exc:
        return Recognised(document, error=str(exc))
    except Exception as exc:  # a hostile file must not stop the other documents
        log.warning("reading document %s failed", doc_id, exc_info=True)
        return Recognised(document, error=f"it could not be read ({type(exc).__name__}: {exc})")
    if len(pages) < document.pages:
        return Recognised(document, cancelled=True)
    reading = propose(pages, keywords, today)
    proposals = tuple(
        ProposalRecord(doc_id, p.field.value, p.value, p.page, p.evidence)
        for p in reading.proposals
    )
    return Recognised(document, tuple(pages), proposals, reading.notes)


def record(store: Store, recognised: Recognised) -> ReadOutcome:
    """Stores a reading: its text and proposals (done), or why it failed (failed).

    A cancelled reading stores nothing: the document stays pending, to be resumed.
    """
    document = recognised.document
    if recognised.cancelled:
        return ReadOutcome(document, cancelled=True)
    if recognised.error:
        store.set_text_status([document.id], TextStatus.FAILED, recognised.error)
        return ReadOutcome(store.document(document.id), error=recognised.error)
    pages = [_page_record(document.id, p) for p in recognised.pages]
    saved = store.save_reading(document.id, pages, recognised.proposals, recognised.notes)
    return ReadOutcome(saved, tuple(store.proposals([document.id])), recognised.notes)


def read_document(
    store: Store,
    doc_id: int,
    recogniser: Recogniser,
    *,
    keywords: Keywords | None = None,
    today: dt.date | None = None,
    source: PageSource | None = None,
    progress: ReadProgress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ReadOutcome:
    """Reads one document and stores what it found (see ``recognise`` and ``record``)."""
    found = recognise(
        store,
        doc_id,
        recogniser,
        keywords=keywords,
        today=today,
        source=source,
        progress=progress,
        cancel=cancel,
    )
    return record(store, found)


def _page_record(doc_id: int, page: PageText) -> PageTextRecord:
    return PageTextRecord(doc_id, page.index, page.text, page.engine, page.engine_version)


def read_documents(
    store: Store,
    doc_ids: Sequence[int],
    recogniser: Recogniser,
    *,
    keywords: Callable[[int], Keywords | None],
    today: dt.date | None = None,
    source: PageSource | None = None,
    progress: ReadProgress | None = None,
    cancel: Callable[[], bool] | None = None,
    on_outcome: Callable[[ReadOutcome], None] | None = None,
) -> list[ReadOutcome]:
    """Reads each document in turn; one failure never stops the others.

    ``keywords(doc_id)`` gives the slot keywords a document may be proposed (or None);
    ``on_outcome`` hears about each document as soon as its reading is stored.
    """
    outcomes = []
    for doc_id in doc_ids:
        if cancel is not None and cancel():
            break
        outcome = read_document(
            store,
            doc_id,
            recogniser,
            keywords=keywords(doc_id),
            today=today,
            source=source,
            progress=progress,
            cancel=cancel,
        )
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
        if outcome.cancelled:
            break
    return outcomes
