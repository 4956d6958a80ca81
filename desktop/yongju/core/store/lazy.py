"""The store as the window opens it: checked at once, its first screen read with ``sqlite3``.

Importing SQLAlchemy and mapping the schema is the largest part of opening the window (about
0.2 s of a 0.75 s start on a quiet machine). ``LazyStore.open`` makes every check
``Store.open`` makes before anything is shown (a damaged store, one of a newer Yongju, a
folder that is not a store: the same one-sentence errors), migrating through ``Store.open``
at once when the schema is old. The reads of the first screen (cases, a case's checklist,
exports, the inbox) are answered with plain ``sqlite3`` until the real ``Store`` is loaded;
everything else loads it first (``load``, which the window calls on a worker once its first
screen is shown). The records are the same ones ``Store`` returns (a test compares them).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yongju.core.blobs import BlobStore
from yongju.core.errors import NotFoundError
from yongju.core.locking import StoreLock
from yongju.core.records import (
    CaseRecord,
    DocumentRecord,
    ExportRecord,
    FilingRecord,
    MediaType,
    Origin,
    PageSetting,
    Role,
    SlotDecision,
    TextStatus,
)
from yongju.core.store.folder import (
    BLOBS_DIR,
    DB_NAME,
    FolderPaths,
    database_state,
    os_store_error,
    prepare_folder,
    sqlite_store_error,
)

if TYPE_CHECKING:
    from yongju.core.store.store import Store

# The schema this version writes (equal to ``store.HEAD_REVISION``; a test keeps them equal).
HEAD_REVISION = "0004"
_STORE_WIDE_ERRORS = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
_DOCUMENT_COLUMNS = (
    "id, sha256, media_type, original_name, source_path, size, pages, width_px, height_px, "
    "dpi, encrypted, has_text, title, issued, expires, notes, language, legalised, "
    "suggested_slot, imported_at, issued_in, legalised_on, text_status, text_error"
)


class LazyStore(FolderPaths):
    """A checked store folder whose ``Store`` (and SQLAlchemy) is loaded on first need."""

    def __init__(self, folder: Path, lock: StoreLock) -> None:
        self.folder = folder
        self.lock = lock
        self._store: Store | None = None
        self._loading = threading.Lock()
        self.blobs = BlobStore(folder / BLOBS_DIR, lock)  # paths only: the store's own writes

    @classmethod
    def open(cls, folder: Path | str) -> LazyStore:
        """Checks the store in ``folder`` as ``Store.open`` does; loads it at once to migrate."""
        folder = Path(folder)
        lock = StoreLock(folder)
        try:
            prepare_folder(folder)
            with lock.shared():
                state = database_state(folder)
            ready = not state.damaged and state.revision == HEAD_REVISION
        except OSError as exc:
            raise os_store_error(exc, folder) from None
        lazy = cls(folder, lock)
        if not ready:
            lazy.load()  # creating, upgrading or refusing the store: Store.open's own work
        return lazy

    # -- the real store ------------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        return self._store is not None

    def load(self) -> Store:
        """The ``Store``, opened on the first call (any thread; the others wait for it)."""
        with self._loading:
            if self._store is None:
                from yongju.core.store.store import Store

                self._store = Store.open(self.folder, lock=self.lock)
            return self._store

    def __getattr__(self, name: str) -> Any:
        # Only what this class does not define: everything else is the real store's.
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.load(), name)

    def close(self) -> None:
        """Closes the store if it was loaded (before that, nothing was written or held)."""
        with self._loading:
            if self._store is not None:
                self._store.close()

    # -- the first screen's reads --------------------------------------------------------
    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A read-only connection of its own (any thread), damage said as ``Store`` says it."""
        try:
            conn = sqlite3.connect(f"file:{self.folder / DB_NAME}?mode=rw", uri=True)
        except sqlite3.Error as exc:
            raise sqlite_store_error(exc, self.folder) from None
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA query_only=1")
            yield conn
        except sqlite3.Error as exc:
            if getattr(exc, "sqlite_errorname", "").startswith(_STORE_WIDE_ERRORS):
                raise sqlite_store_error(exc, self.folder) from exc
            raise
        finally:
            conn.close()

    def cases(self) -> list[CaseRecord]:
        if self._store is not None:
            return self._store.cases()
        with self._read() as conn:
            return _cases(conn, "SELECT * FROM cases ORDER BY name", ())

    def case(self, key: int | str) -> CaseRecord:
        """A case by id, or by name (exact, then case-insensitive)."""
        if self._store is not None:
            return self._store.case(key)
        with self._read() as conn:
            found = []
            if isinstance(key, int) or key.isdigit():
                found = _cases(conn, "SELECT * FROM cases WHERE id = ?", (int(key),))
            name = str(key).strip()
            found = (
                found
                or _cases(conn, "SELECT * FROM cases WHERE name = ?", (name,))
                or _cases(conn, "SELECT * FROM cases WHERE lower(name) = ?", (name.lower(),))
            )
        if not found:
            raise NotFoundError(f"There is no case named '{name}'.")
        return found[0]

    def filings(
        self, case_id: int | None = None, document_id: int | None = None
    ) -> list[FilingRecord]:
        """Filings of a case (or of a document), ordered by slot and position."""
        if self._store is not None:
            return self._store.filings(case_id, document_id)
        where, args = [], []
        if case_id is not None:
            where.append("case_id = ?")
            args.append(case_id)
        if document_id is not None:
            where.append("document_id = ?")
            args.append(document_id)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        with self._read() as conn:
            covers: dict[int, list[int]] = {}
            for filing_id, original_id in conn.execute(
                "SELECT filing_id, original_id FROM filing_covers ORDER BY original_id"
            ):
                covers.setdefault(filing_id, []).append(original_id)
            rows = conn.execute(
                f"SELECT * FROM filings {clause} ORDER BY case_id, slot_id, position, id",
                args,
            )
            return [_filing(row, covers.get(row["id"], ())) for row in rows]

    def documents(self, ids: Sequence[int] | None = None) -> list[DocumentRecord]:
        """All documents (or those with ``ids``), oldest first."""
        if self._store is not None:
            return self._store.documents(ids)
        if ids is None:
            return self._documents("", (), "id")
        wanted = sorted(set(ids))
        marks = ", ".join("?" * len(wanted))
        return self._documents(f"WHERE id IN ({marks})", wanted, "id")

    def inbox(self) -> list[DocumentRecord]:
        """Documents not filed in any case, newest first."""
        if self._store is not None:
            return self._store.inbox()
        return self._documents("WHERE id NOT IN (SELECT document_id FROM filings)", (), "id DESC")

    def _documents(self, where: str, args: Sequence[Any], order: str) -> list[DocumentRecord]:
        with self._read() as conn:
            pages: dict[int, list[PageSetting]] = {}
            for doc_id, index, rotation, excluded in conn.execute(
                "SELECT document_id, page_index, rotation, excluded FROM page_settings "
                "WHERE rotation != 0 OR excluded ORDER BY document_id, page_index"
            ):
                pages.setdefault(doc_id, []).append(PageSetting(index, rotation, bool(excluded)))
            rows = conn.execute(
                f"SELECT {_DOCUMENT_COLUMNS} FROM documents {where} ORDER BY {order}",
                args,
            )
            return [_document(row, pages.get(row[0], ())) for row in rows]

    def exports(self, case_id: int | None = None) -> list[ExportRecord]:
        if self._store is not None:
            return self._store.exports(case_id)
        with self._read() as conn:
            if case_id is None:
                rows = conn.execute("SELECT * FROM exports ORDER BY id")
            else:
                rows = conn.execute(
                    "SELECT * FROM exports WHERE case_id = ? ORDER BY id", (case_id,)
                )
            return [_export(row) for row in rows]


# --------------------------------------------------------------------- rows to records
# Lookups instead of Enum(value) calls: the inbox makes thousands of records at start-up.
_MEDIA_TYPES = {m.value: m for m in MediaType}
_TEXT_STATUSES = {t.value: t for t in TextStatus}
_ORIGINS = {o.value: o for o in Origin}


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _utc(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


def _cases(conn: sqlite3.Connection, query: str, args: Sequence[Any]) -> list[CaseRecord]:
    rows = conn.execute(query, args).fetchall()
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    marks = ", ".join("?" * len(ids))
    decisions: dict[int, list[SlotDecision]] = {}
    for case_id, slot_id, applies, reason in conn.execute(
        "SELECT case_id, slot_id, applies, reason FROM slot_decisions "
        f"WHERE case_id IN ({marks}) ORDER BY case_id, slot_id",
        ids,
    ):
        decisions.setdefault(case_id, []).append(SlotDecision(slot_id, bool(applies), reason))
    facts: dict[int, list[tuple[str, str]]] = {}
    for case_id, key, value in conn.execute(
        f"SELECT case_id, key, value FROM case_facts WHERE case_id IN ({marks})",
        ids,
    ):
        facts.setdefault(case_id, []).append((key, value))
    return [
        CaseRecord(
            id=row["id"],
            name=row["name"],
            profile_id=row["profile_id"],
            submission_date=_date(row["submission_date"]),
            notes=row["notes"],
            created_at=_utc(row["created_at"]),
            decisions=tuple(decisions.get(row["id"], ())),
            facts=tuple(sorted(facts.get(row["id"], ()))),
        )
        for row in rows
    ]


def _filing(row: sqlite3.Row, covers: Sequence[int]) -> FilingRecord:
    return FilingRecord(
        id=row["id"],
        case_id=row["case_id"],
        slot_id=row["slot_id"],
        document_id=row["document_id"],
        role=Role(row["role"]),
        position=row["position"],
        parent_id=row["parent_id"],
        covers=tuple(covers),
    )


def _document(row: sqlite3.Row, page_settings: Sequence[PageSetting]) -> DocumentRecord:
    (
        doc_id,
        sha256,
        media_type,
        original_name,
        source_path,
        size,
        pages,
        width_px,
        height_px,
        dpi,
        encrypted,
        has_text,
        title,
        issued,
        expires,
        notes,
        language,
        legalised,
        suggested_slot,
        imported_at,
        issued_in,
        legalised_on,
        text_status,
        text_error,
    ) = row
    return DocumentRecord(
        id=doc_id,
        sha256=sha256,
        media_type=_MEDIA_TYPES.get(media_type) or MediaType(media_type),
        original_name=original_name,
        source_path=source_path,
        size=size,
        pages=pages,
        width_px=width_px,
        height_px=height_px,
        dpi=None if dpi is None else float(dpi),
        encrypted=bool(encrypted),
        has_text=bool(has_text),
        title=title,
        issued=_date(issued),
        expires=_date(expires),
        notes=notes,
        language=language,
        legalised=bool(legalised),
        suggested_slot=suggested_slot,
        imported_at=_utc(imported_at),
        page_settings=tuple(page_settings),
        issued_in=(_ORIGINS.get(issued_in) or Origin(issued_in)) if issued_in else None,
        legalised_on=_date(legalised_on),
        text_status=_TEXT_STATUSES.get(text_status) or TextStatus(text_status),
        text_error=text_error,
    )


def _export(row: sqlite3.Row) -> ExportRecord:
    return ExportRecord(
        id=row["id"],
        case_id=row["case_id"],
        path=row["path"],
        pages=row["pages"],
        size=row["size"],
        sha256=row["sha256"],
        created_at=_utc(row["created_at"]),
        manifest=row["manifest"],
    )
