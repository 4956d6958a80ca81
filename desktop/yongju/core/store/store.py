"""The store: one private folder with the SQLite database (made or migrated at open) and blobs."""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace, TracebackType
from typing import Any, Final, TypeVar

from sqlalchemy import (
    Connection,
    Engine,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, lazyload, sessionmaker
from sqlalchemy.util import LRUCache

from yongju.core.blobs import BlobStore
from yongju.core.errors import (
    DatabaseError,
    DuplicateDocumentError,
    FilingError,
    NotFoundError,
    StoreTooNewError,
)
from yongju.core.locking import StoreLock
from yongju.core.records import (
    CaseRecord,
    DocumentRecord,
    ExportRecord,
    FilingRecord,
    LaidFiling,
    MediaType,
    Origin,
    PageSetting,
    PageTextRecord,
    ProposalRecord,
    Role,
    SeenFile,
    SlotDecision,
    SlotLayout,
    TextStatus,
)
from yongju.core.store import schema as db
from yongju.core.store.dbcopy import BACKUPS_DIR, RollingCopies, copy_database
from yongju.core.store.folder import (
    BLOBS_DIR,
    FolderPaths,
    damaged_store_error,
    database_state,
    os_store_error,
    prepare_folder,
    sqlite_store_error,
)
from yongju.core.store.folder import (
    DB_NAME as DB_NAME,
)

log = logging.getLogger(__name__)

# Every schema revision this version knows, oldest first (a test keeps it equal to Alembic's).
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004")
HEAD_REVISION = KNOWN_REVISIONS[-1]
_T = TypeVar("_T")
_CHANGES_SEEN = "yongju.changes_seen"  # a DBAPI connection's total_changes at its last end
# SQLite errors meaning the database itself is damaged: said as a sentence naming the repair.
# (A full disk or a read-only store stays a DatabaseError here: an import refuses the file
# with a reason of its own, and the command line says the sentence.)
_STORE_WIDE_ERRORS = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


class StoreDialect(SQLiteDialect_pysqlite):
    """SQLite as every store's engine speaks it, so that a statement is compiled once a process.

    SQLAlchemy keeps compiled statements per engine, keyed by the engine's dialect object;
    each ``Store.open`` makes an engine, so every store opened in a process (each command
    run in-process, each test) compiled every statement it ran again, 2-3 ms each. Two
    dialects of this class made with the same arguments (the same driver module) compile
    the same SQL: they are equal, and all stores share one cache (``_COMPILED``).
    """

    supports_statement_cache = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        driver = kwargs.pop("dbapi", None)
        self._made_with = (id(driver), tuple(sorted((k, repr(v)) for k, v in kwargs.items())))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StoreDialect) or type(other) is not type(self):
            return False
        return self._made_with == other._made_with

    def __hash__(self) -> int:
        return hash(self._made_with)


registry.register("sqlite.yongju", __name__, StoreDialect.__name__)
# The compiled statements of every store in this process (SQLAlchemy's per-engine default
# holds 500; the store has fewer than 200 distinct statements).
_COMPILED: LRUCache[Any, Any] = LRUCache(1000)


class Unchanged(enum.Enum):
    """The default of an ``update_…`` argument not given: the field keeps its value."""

    UNCHANGED = "unchanged"


UNCHANGED: Final = Unchanged.UNCHANGED


def utcnow() -> dt.datetime:
    """Now in UTC, as the naive value SQLite stores."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _backup(path: Path, revision: str) -> Path:
    """Copies the database aside (consistently, through SQLite) before an upgrade."""
    folder = path.parent / BACKUPS_DIR
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"yongju-{revision}-{stamp}.db"
    copy_database(path, target)
    return target


def _create(path: Path) -> bool:
    """Makes the newest schema (``head_schema``) in a database without tables, in one
    transaction: all of it, or none (a process killed halfway leaves no table behind).

    Returns False, changing nothing, when the database has tables but no revision (every
    migration undone): Alembic takes it up. A new store thus never loads Alembic, and skips
    the migrations' ~70 ms of CPU (``test_head_schema`` keeps both schemas equal).
    """
    from yongju.core.store import head_schema

    # The driver's own transaction handling is off: the transaction below is ours alone.
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        _on_connect(conn, None)
        conn.execute("BEGIN IMMEDIATE")
        if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            return False  # closing the connection rolls the transaction back
        for statement in head_schema.STATEMENTS:
            conn.execute(statement)
        insert = "INSERT INTO alembic_version (version_num) VALUES (?)"
        conn.execute(insert, (head_schema.REVISION,))
        conn.execute("COMMIT")
    return True


def _migrate(path: Path) -> None:
    """Brings the database to the latest schema in one transaction: all of it, or none.

    Python's sqlite3 commits before each CREATE or ALTER on its own; here the driver's own
    transaction handling is off and the transaction is ours, so a process killed halfway
    leaves the database as it was (SQLite's DDL is transactional).
    """
    from alembic import command
    from alembic.config import Config

    engine = create_engine(f"sqlite:///{path}")

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        _on_connect(dbapi_connection, _record)

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()


def _check_revision(
    folder: Path, new_database: bool = False, keep: list[sqlite3.Connection] | None = None
) -> str | None:
    """The store's schema revision; raises for a damaged store or one of a newer Yongju
    (``keep``: see ``database_state``)."""
    state = database_state(folder, keep=keep)
    if state.damaged and not (new_database and state.damage in ("missing", "empty")):
        raise damaged_store_error(folder, state)
    if state.revision is not None and state.revision not in KNOWN_REVISIONS:
        raise StoreTooNewError(
            f"The store in {folder} was written by a newer Yongju (schema {state.revision}); "
            "update Yongju to open it."
        )
    return state.revision


def _translate_error(folder: Path) -> Callable[[Any], None]:
    """An engine hook: SQLite's "the database is damaged" errors become a sentence, and its
    operational errors (a full disk, a locked or read-only database) the store's own
    ``DatabaseError``; what is left (a constraint broken) stays inside the store."""

    def handle(context: Any) -> None:
        original = context.original_exception
        if isinstance(original, sqlite3.Error) and getattr(
            original, "sqlite_errorname", ""
        ).startswith(_STORE_WIDE_ERRORS):
            raise sqlite_store_error(original, folder) from original
        if isinstance(original, sqlite3.OperationalError):
            raise DatabaseError(str(original)) from original

    return handle


def _close_all(connections: list[sqlite3.Connection]) -> None:
    while connections:
        connections.pop().close()


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class Store(FolderPaths):
    """A store folder. Each operation opens its own short session; records come out frozen."""

    def __init__(
        self,
        folder: Path,
        engine: Engine,
        lock: StoreLock | None = None,
        first: list[sqlite3.Connection] | None = None,
    ) -> None:
        """``first``: connections to the database left open by its checks, which the engine
        takes before it opens any of its own."""
        self.folder = folder
        self.engine = engine
        self._first = first if first is not None else []
        event.listen(engine, "do_connect", self._hand_over)
        self.lock = lock or StoreLock(folder)
        self.blobs = BlobStore(folder / BLOBS_DIR, self.lock)
        self.copies = RollingCopies(folder / DB_NAME)
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._uncopied = False  # committed changes not yet in a rolling copy
        event.listen(engine, "commit", self._on_commit)
        event.listen(engine, "rollback", lambda conn: _changes_since_last_end(conn))

    # ----------------------------------------------------------------- lifecycle
    @classmethod
    def open(
        cls, folder: Path | str, *, lock: StoreLock | None = None, new_database: bool = False
    ) -> Store:
        """Opens (creating or upgrading) the store in ``folder``.

        Creating and upgrading happen under the store's exclusive lock: of several processes
        opening a new store at once, one creates it and the others wait, then open it. A
        missing, empty or unreadable database beside stored files is refused as damage,
        unless ``new_database`` (a repair that has set the old one aside) asks for a new one.
        """
        folder = Path(folder)
        prepare_folder(folder)
        lock = lock or StoreLock(folder)
        path = folder / DB_NAME
        engine = create_engine(
            f"sqlite+yongju:///{path}",
            connect_args={"check_same_thread": False},
            execution_options={"compiled_cache": _COMPILED},
        )
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "handle_error", _translate_error(folder))
        first: list[sqlite3.Connection] = []  # the check's connection, for the engine
        try:
            with lock.shared():
                revision = _check_revision(folder, new_database, first)
            if revision != HEAD_REVISION:
                _close_all(first)  # creating or migrating works on connections of its own
                with lock.exclusive():
                    revision = _check_revision(folder, new_database)  # done meanwhile?
                    if revision != HEAD_REVISION:
                        if revision is not None:
                            _backup(path, revision)
                        if revision is not None or not _create(path):
                            _migrate(path)
                        os.chmod(path, 0o600)
            store = cls(folder, engine, lock, first)
            store.blobs.ensure()
        except BaseException as exc:
            _close_all(first)
            engine.dispose()
            if isinstance(exc, OSError):
                raise os_store_error(exc, folder) from None
            if isinstance(exc, sqlite3.Error):  # from making a new schema
                raise sqlite_store_error(exc, folder) from None
            cause = exc.orig if isinstance(exc, DBAPIError) else exc.__cause__
            if isinstance(exc, DBAPIError | DatabaseError) and isinstance(cause, sqlite3.Error):
                raise sqlite_store_error(cause, folder) from None
            raise
        return store

    def close(self) -> None:
        """Closes the database, first taking a rolling copy if there are changes not in one."""
        if self._uncopied:
            self._take_copy(closing=True)
        _close_all(self._first)
        # The pool's connections closed, without the new pool ``engine.dispose`` makes for
        # an engine that goes on (``disconnect``): a fifth of a millisecond each command.
        self.engine.pool.dispose()

    def disconnect(self) -> None:
        """Closes the database's connections (a repair is about to move the file away); the
        next operation opens new ones."""
        _close_all(self._first)
        self.engine.dispose()

    def _hand_over(self, *_args: Any) -> sqlite3.Connection | None:
        """The engine's ``do_connect``: a connection the checks left open, else None (the
        engine opens one)."""
        try:
            return self._first.pop()
        except IndexError:
            return None

    def _on_commit(self, conn: Any) -> None:
        # Any write, through a session or a plain connection; the copy itself is taken once
        # the commit is done (this hook runs just before it).
        if _changes_since_last_end(conn):
            self._uncopied = True

    def _take_copy(self, *, closing: bool = False) -> None:
        try:
            if self.copies.after_write(closing=closing) is not None:
                self._uncopied = False
        except (OSError, DatabaseError):  # a copy is a safety net: its failure stops no work
            log.warning("could not take a rolling copy of the database", exc_info=True)

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A short transaction: committed on success, rolled back on error."""
        with self._sessions.begin() as session:
            yield session
        if self._uncopied:
            self._take_copy()

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A short transaction on a plain connection, as ``session`` without the ORM: one
        row written costs a third of the CPU (an import, a document's details)."""
        with self.engine.begin() as conn:
            yield conn
        if self._uncopied:
            self._take_copy()

    # ----------------------------------------------------------------- documents
    def documents(self, ids: Sequence[int] | None = None) -> list[DocumentRecord]:
        """All documents (or those with ``ids``), oldest first."""
        where = db.Document.id.in_(list(ids)) if ids is not None else None
        return self._document_records(where, newest_first=False)

    def _document_records(self, where: Any, *, newest_first: bool) -> list[DocumentRecord]:
        """Documents as records, read as plain rows.

        Lists of thousands are read often (the inbox refreshes during an import); ORM
        objects would cost ten times as much and leave the garbage collector a heap to walk.
        """
        table = db.Document.__table__
        order = table.c.id.desc() if newest_first else table.c.id
        query = select(table).order_by(order)
        settings_query = select(db.PageSettingRow.__table__)
        if where is not None:
            query = query.where(where)
            settings_query = settings_query.where(
                db.PageSettingRow.document_id.in_(select(table.c.id).where(where))
            )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            pages: dict[int, list[PageSetting]] = {}
            # No document, no pages to read: most look-ups by SHA-256 find none.
            for row in conn.execute(settings_query) if rows else ():
                if row.rotation or row.excluded:
                    pages.setdefault(row.document_id, []).append(
                        PageSetting(row.page_index, row.rotation, row.excluded)
                    )
        return [_document(row, pages.get(row.id, ())) for row in rows]

    def document(self, doc_id: int) -> DocumentRecord:
        found = self._document_records(db.Document.id == doc_id, newest_first=False)
        if not found:
            raise NotFoundError(f"There is no document with id {doc_id}.")
        return found[0]

    def document_count(self) -> int:
        with self.session() as s:
            return int(s.scalar(select(func.count(db.Document.id))) or 0)

    def document_password(self, doc_id: int) -> str | None:
        """The password that opened an encrypted PDF on import (kept in the private store)."""
        with self.session() as s:
            return _get(s, db.Document, doc_id, "document").password

    def find_by_sha(self, sha256: str) -> DocumentRecord | None:
        found = self._document_records(db.Document.sha256 == sha256, newest_first=False)
        return found[0] if found else None

    def add_document(
        self,
        *,
        sha256: str,
        media_type: MediaType,
        original_name: str,
        source_path: str,
        size: int,
        pages: int,
        width_px: int | None = None,
        height_px: int | None = None,
        dpi: float | None = None,
        encrypted: bool = False,
        password: str | None = None,
        has_text: bool = False,
        title: str = "",
        notes: str = "",
        language: str | None = None,
        issued_in: Origin | None = None,
        legalised: bool = False,
        suggested_slot: str | None = None,
        imported_at: dt.datetime | None = None,
    ) -> DocumentRecord:
        """Inserts a document row; its blob must already be in place (see ``importing``).

        ``imported_at`` (naive UTC) defaults to now (a repair adopting a file gives the
        file's time). ``DuplicateDocumentError`` says another process stored the same bytes
        a moment before.
        """
        values = {
            **_NEW_DOCUMENT,  # what the schema gives the columns not set here
            "sha256": sha256,
            "media_type": MediaType(media_type).value,
            "original_name": original_name,
            "source_path": source_path,
            "size": size,
            "pages": pages,
            "width_px": width_px,
            "height_px": height_px,
            "dpi": dpi,
            "encrypted": encrypted,
            "password": password,
            "has_text": has_text,
            "title": title,
            "notes": notes,
            "language": language,
            "legalised": legalised,
            "issued_in": None if issued_in is None else Origin(issued_in).value,
            "suggested_slot": suggested_slot,
            "imported_at": imported_at or utcnow(),
        }
        try:
            with self._writing() as conn:
                result = conn.execute(insert(db.Document), values)
        except IntegrityError:
            stored = self.find_by_sha(sha256)
            if stored is None:
                raise
            raise DuplicateDocumentError(stored) from None
        # A new document's record is what was written (no page settings yet): not read back.
        return _document(SimpleNamespace(id=result.lastrowid, **values), ())

    def inbox(self) -> list[DocumentRecord]:
        """Documents not filed in any case, newest first."""
        filed = select(db.Filing.document_id)
        return self._document_records(db.Document.id.not_in(filed), newest_first=True)

    def update_document(
        self,
        doc_id: int,
        *,
        title: str | Unchanged | None = UNCHANGED,
        issued: dt.date | Unchanged | None = UNCHANGED,
        expires: dt.date | Unchanged | None = UNCHANGED,
        notes: str | Unchanged | None = UNCHANGED,
        language: str | Unchanged | None = UNCHANGED,
        legalised: bool | Unchanged = UNCHANGED,
        legalised_on: dt.date | Unchanged | None = UNCHANGED,
        issued_in: Origin | Unchanged | None = UNCHANGED,
    ) -> DocumentRecord:
        """Changes the fields given of a document's metadata (None empties a title or notes);
        ``legalised_on`` is the date of the legalisation the scan includes."""
        changes = _given(
            title=title,
            issued=issued,
            expires=expires,
            notes=notes,
            language=language,
            legalised=legalised,
            legalised_on=legalised_on,
            issued_in=issued_in,
        )
        if changes.get("issued_in") is not None:
            changes["issued_in"] = Origin(changes["issued_in"]).value
        for key in ("title", "notes"):
            if key in changes and changes[key] is None:
                changes[key] = ""
        if changes:
            # Written on a plain connection; a change to what is already there writes no
            # row, so that it takes no copy of the database, as through the ORM.
            table = db.Document.__table__
            differs = or_(*(table.c[key].is_distinct_from(v) for key, v in changes.items()))
            with self._writing() as conn:
                conn.execute(
                    update(db.Document).where(table.c.id == doc_id, differs).values(changes)
                )
        return self.document(doc_id)

    def set_origin(self, doc_id: int, origin: Origin | None) -> DocumentRecord:
        """Records where a document was issued (None: not known)."""
        return self.update_document(doc_id, issued_in=origin)

    def set_page(
        self, doc_id: int, index: int, *, rotation: int | None = None, excluded: bool | None = None
    ) -> DocumentRecord:
        """Rotates or excludes one page (metadata only; the stored file never changes)."""
        if rotation is not None and rotation % 90:
            raise ValueError("rotation must be a multiple of 90 degrees")
        with self.session() as s:
            row = _get(s, db.Document, doc_id, "document")
            if not 0 <= index < row.pages:
                raise NotFoundError(f"Document {doc_id} has no page {index + 1}.")
            setting = s.get(db.PageSettingRow, (doc_id, index))
            if setting is None:
                setting = db.PageSettingRow(document_id=doc_id, page_index=index)
                s.add(setting)
                setting.rotation, setting.excluded = 0, False
            if rotation is not None:
                setting.rotation = rotation % 360
            if excluded is not None:
                setting.excluded = excluded
            s.flush()
            s.refresh(row)
            return _document(row)

    def delete_document(self, doc_id: int) -> None:
        """Removes a document from the store (its filings too). The user's original is untouched.

        Row and file go under the store's lock, so a repair never sees the file without its
        row and adopts it back.
        """
        with self.lock.shared():
            with self.session() as s:
                row = _get(s, db.Document, doc_id, "document")
                sha = row.sha256
                s.delete(row)
            self.blob_path(sha).unlink(missing_ok=True)

    # ----------------------------------------------------------------- checks
    def integrity_problems(self) -> list[str]:
        """What SQLite's integrity check finds wrong in the database ([] when it is whole).

        A database too damaged to be checked raises ``StoreDamagedError`` or
        ``DatabaseError``.
        """
        with self.engine.connect() as conn:
            found = [str(row[0]) for row in conn.execute(text("PRAGMA integrity_check"))]
        return [] if found == ["ok"] else found

    def foreign_key_problems(self) -> list[tuple[str, str]]:
        """Rows that name a row that is gone: (their table, the table of the missing row)."""
        with self.engine.connect() as conn:
            rows = conn.execute(text("PRAGMA foreign_key_check"))
            return [(str(row[0]), str(row[2])) for row in rows]

    def document_files(self) -> list[tuple[int, str, int]]:
        """Each document's id, SHA-256 and size (what its stored file must be), by id."""
        query = select(db.Document.id, db.Document.sha256, db.Document.size)
        with self.session() as s:
            return [(row.id, row.sha256, row.size) for row in s.execute(query.order_by("id"))]

    # ----------------------------------------------------------------- reading
    def pending_reading(self) -> list[int]:
        """Ids of the documents waiting to be read, oldest first (a restart resumes them)."""
        with self.session() as s:
            query = select(db.Document.id).where(db.Document.text_status == TextStatus.PENDING)
            return list(s.scalars(query.order_by(db.Document.id)))

    def set_text_status(self, doc_ids: Sequence[int], status: TextStatus, error: str = "") -> None:
        """Marks documents pending (to be read again), failed (with why) or not to be read."""
        with self.session() as s:
            for doc_id in doc_ids:
                row = _get(s, db.Document, doc_id, "document")
                row.text_status, row.text_error = TextStatus(status).value, error

    def save_reading(
        self,
        doc_id: int,
        pages: Sequence[PageTextRecord],
        proposals: Sequence[ProposalRecord],
        notes: Sequence[str] = (),
    ) -> DocumentRecord:
        """Stores what reading found (replacing an earlier reading) and marks the document done.

        A proposal equal to what the document already says is not kept; a slot proposed from
        the content replaces the one guessed from the file name.
        """
        with self.session() as s:
            row = _get(s, db.Document, doc_id, "document")
            s.execute(delete(db.PageTextRow).where(db.PageTextRow.document_id == doc_id))
            s.execute(delete(db.ProposalRow).where(db.ProposalRow.document_id == doc_id))
            now = utcnow()
            for page in pages:
                s.add(
                    db.PageTextRow(
                        document_id=doc_id,
                        page_index=page.index,
                        text=page.text,
                        engine=page.engine,
                        engine_version=page.engine_version,
                        read_at=now,
                    )
                )
            current = _document(row)
            for proposal in proposals:
                if proposal.field == "slot":
                    row.suggested_slot = proposal.value
                if _proposal_differs(current, proposal):
                    s.add(
                        db.ProposalRow(
                            document_id=doc_id,
                            field=proposal.field,
                            value=proposal.value,
                            page=proposal.page,
                            evidence=proposal.evidence,
                        )
                    )
            row.text_status, row.text_error = TextStatus.DONE.value, ""
            row.reading_notes = "\n".join(notes)
            s.flush()
            return _document(row)

    def page_texts(self, doc_id: int) -> list[PageTextRecord]:
        """The text of each page read so far, in page order."""
        with self.session() as s:
            query = select(db.PageTextRow).where(db.PageTextRow.document_id == doc_id)
            return [
                PageTextRecord(r.document_id, r.page_index, r.text, r.engine, r.engine_version)
                for r in s.scalars(query.order_by(db.PageTextRow.page_index))
            ]

    def reading_notes(self, doc_id: int) -> list[str]:
        """Why reading proposed less than it might have (check digits, contradicting dates)."""
        with self.session() as s:
            notes = _get(s, db.Document, doc_id, "document").reading_notes
            return [n for n in notes.splitlines() if n]

    def proposals(self, doc_ids: Sequence[int] | None = None) -> list[ProposalRecord]:
        """Proposals waiting for the user (of ``doc_ids``, else of every document)."""
        with self.session() as s:
            query = select(db.ProposalRow).order_by(db.ProposalRow.document_id)
            if doc_ids is not None:
                query = query.where(db.ProposalRow.document_id.in_(list(doc_ids)))
            return [
                ProposalRecord(r.document_id, r.field, r.value, r.page, r.evidence)
                for r in s.scalars(query)
            ]

    def accept_proposals(self, doc_id: int, fields: Sequence[str] | None = None) -> DocumentRecord:
        """Applies a document's proposals (``fields``, else all but the slot) and drops them.

        The slot is filed by the caller, into a case (``file_document``), then dismissed.
        """
        waiting = {p.field: p for p in self.proposals([doc_id])}
        wanted = [f for f in waiting if f != "slot"] if fields is None else list(fields)
        missing = [f for f in wanted if f not in waiting]
        if missing:
            raise NotFoundError(f"Document {doc_id} has no proposed {', '.join(missing)}.")
        changes = {f: _proposal_value(waiting[f]) for f in wanted if f != "slot"}
        document = self.update_document(doc_id, **changes) if changes else self.document(doc_id)
        self.dismiss_proposals(doc_id, wanted)
        return document

    def dismiss_proposals(self, doc_id: int, fields: Sequence[str]) -> None:
        """Forgets proposals the user accepted or did not want."""
        with self.session() as s:
            s.execute(
                delete(db.ProposalRow).where(
                    db.ProposalRow.document_id == doc_id, db.ProposalRow.field.in_(list(fields))
                )
            )

    def documents_with_text(self, words: str) -> set[int]:
        """Ids of documents whose read text contains ``words`` (case-insensitive)."""
        words = words.strip()
        if not words:
            return set()
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        with self.session() as s:
            query = select(db.PageTextRow.document_id).where(
                db.PageTextRow.text.ilike(pattern, escape="\\")
            )
            return set(s.scalars(query.distinct()))

    # ----------------------------------------------------------------- cases
    def cases(self) -> list[CaseRecord]:
        with self.engine.connect() as conn:
            return _case_records(conn, None)

    def case(self, key: int | str) -> CaseRecord:
        """A case by id, or by name (exact, then case-insensitive).

        Read as plain rows, as every command that names a case reads it first: through
        the ORM (a session, its identity map and the loaders of decisions and facts) it
        cost three times as much.
        """
        cases = db.Case.__table__.c
        name = str(key).strip()
        wheres = [cases.name == name, func.lower(cases.name) == name.lower()]
        if isinstance(key, int) or key.isdigit():
            wheres.insert(0, cases.id == int(key))
        with self.engine.connect() as conn:
            for where in wheres:
                found = _case_records(conn, where)
                if found:
                    return found[0]
        raise NotFoundError(f"There is no case named '{name}'.")

    def create_case(
        self,
        name: str,
        profile_id: str,
        submission_date: dt.date | None = None,
        notes: str = "",
        facts: Mapping[str, str] | None = None,
    ) -> CaseRecord:
        """A new case; ``facts`` (already checked by ``core.facts``) are stored with it."""
        name = _case_name(name)
        known = sorted((facts or {}).items())
        values = {
            "name": name,
            "profile_id": profile_id,
            "submission_date": submission_date,
            "notes": notes,
            "created_at": utcnow(),
        }
        cases = db.Case.__table__
        with self._writing() as conn:  # plain rows, as a document's (see ``add_document``)
            if conn.execute(
                select(cases.c.id).where(func.lower(cases.c.name) == name.lower())
            ).first():
                raise FilingError(f"There is already a case named '{name}'.")
            case_id = conn.execute(insert(db.Case), values).lastrowid
            if known:
                rows = [{"case_id": case_id, "key": k, "value": v} for k, v in known]
                conn.execute(insert(db.CaseFact), rows)
        # A new case's record is what was written (no decisions yet): not read back.
        return _case(SimpleNamespace(id=case_id, **values), (), known)

    def update_case(
        self,
        case_id: int,
        *,
        name: str | Unchanged = UNCHANGED,
        profile_id: str | Unchanged = UNCHANGED,
        submission_date: dt.date | Unchanged | None = UNCHANGED,
        notes: str | Unchanged | None = UNCHANGED,
    ) -> CaseRecord:
        """Changes the fields given of a case: name, profile, planned submission date, notes."""
        changes = _given(profile_id=profile_id, submission_date=submission_date, notes=notes)
        with self.session() as s:
            row = _get(s, db.Case, case_id, "case")
            if not isinstance(name, Unchanged):
                name = _case_name(name)
                clash = s.scalar(
                    select(db.Case).where(
                        func.lower(db.Case.name) == name.lower(), db.Case.id != case_id
                    )
                )
                if clash:
                    raise FilingError(f"There is already a case named '{name}'.")
                row.name = name
            for key, value in changes.items():
                setattr(row, key, "" if key == "notes" and value is None else value)
            s.flush()
            return _case(row)

    def delete_case(self, case_id: int) -> None:
        """Deletes a case and its filings; its documents stay in the store."""
        with self.session() as s:
            s.delete(_get(s, db.Case, case_id, "case"))

    def set_not_applicable(
        self, case_id: int, slot_id: str, value: bool, reason: str = ""
    ) -> CaseRecord:
        """Marks a slot as not applicable to this case (with the reason), or undoes that."""
        return self.decide_slot(case_id, slot_id, False if value else None, reason)

    def decide_slot(
        self, case_id: int, slot_id: str, applies: bool | None, reason: str = ""
    ) -> CaseRecord:
        """Records whether a slot applies to this case (None: forget the answer).

        Whether a reason is needed is the checklist's rule (see ``core.checklist.decide``).
        """
        with self.session() as s:
            row = _get(s, db.Case, case_id, "case")
            current = {d.slot_id: d for d in row.decisions}
            old = current.get(slot_id)
            if applies is None:
                if old is not None:
                    row.decisions.remove(old)
            elif old is None:
                row.decisions.append(
                    db.SlotDecisionRow(
                        case_id=case_id, slot_id=slot_id, applies=applies, reason=reason.strip()
                    )
                )
            else:
                old.applies, old.reason = applies, reason.strip()
            s.flush()
            return _case(row)

    def set_facts(self, case_id: int, facts: Mapping[str, str | None]) -> CaseRecord:
        """Sets (or, with None, forgets) facts of a case; values come checked by ``core.facts``."""
        with self.session() as s:
            row = _get(s, db.Case, case_id, "case")
            current = {f.key: f for f in row.facts}
            for key, value in facts.items():
                old = current.get(key)
                if value is None:
                    if old is not None:
                        row.facts.remove(old)
                elif old is None:
                    row.facts.append(db.CaseFact(case_id=case_id, key=key, value=value))
                else:
                    old.value = value
            s.flush()
            s.refresh(row)
            return _case(row)

    # ----------------------------------------------------------------- filings
    def filings(
        self, case_id: int | None = None, document_id: int | None = None
    ) -> list[FilingRecord]:
        """Filings of a case (or of a document), ordered by slot and position (read as plain
        rows, as ``documents`` are)."""
        filings, covers = db.Filing.__table__, db.FilingCover.__table__
        query = select(filings).order_by(
            filings.c.case_id, filings.c.slot_id, filings.c.position, filings.c.id
        )
        if case_id is not None:
            query = query.where(filings.c.case_id == case_id)
        if document_id is not None:
            query = query.where(filings.c.document_id == document_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            covered: dict[int, list[int]] = {}
            if rows:
                wanted = covers.c.filing_id.in_([row.id for row in rows])
                for cover in conn.execute(
                    select(covers).where(wanted).order_by(covers.c.original_id)
                ):
                    covered.setdefault(cover.filing_id, []).append(cover.original_id)
        return [_filing(row, covered.get(row.id, ())) for row in rows]

    def file_document(
        self,
        case_id: int,
        slot_id: str,
        document_id: int,
        role: Role = Role.ORIGINAL,
        parent_id: int | None = None,
        position: int | None = None,
    ) -> FilingRecord:
        """Files a document into a slot of a case (at ``position``, else at the end).

        A translation or legalisation belongs to an original of the same slot: ``parent_id``,
        or else the last original filed there.
        """
        role = Role(role)
        filings = db.Filing.__table__
        # Plain rows, as filing a document is done often (a third of the ORM's CPU).
        with self._writing() as conn:
            _require_both(conn, case_id, document_id)
            query = select(filings.c.id, filings.c.document_id, filings.c.role, filings.c.position)
            siblings = conn.execute(
                query.where(filings.c.case_id == case_id, filings.c.slot_id == slot_id).order_by(
                    filings.c.position, filings.c.id
                )
            ).all()
            if any(f.document_id == document_id for f in siblings):
                raise FilingError(f"Document {document_id} is already filed in '{slot_id}'.")
            if role is not Role.ORIGINAL:
                parent_id = _parent_for(siblings, parent_id, slot_id)
            else:
                parent_id = None
            at = len(siblings) if position is None else max(0, min(position, len(siblings)))
            values = {
                "case_id": case_id,
                "slot_id": slot_id,
                "document_id": document_id,
                "role": role.value,
                "position": at,
                "parent_id": parent_id,
            }
            new_id = conn.execute(insert(db.Filing), values).lastrowid
            # The slot numbered 0, 1, 2… with the new filing at ``at``: only moved rows written.
            order = [f.id for f in siblings]
            order.insert(at, new_id)
            was = {f.id: f.position for f in siblings}
            moved = [
                {"filing": filing, "to": index}
                for index, filing in enumerate(order)
                if filing != new_id and was[filing] != index
            ]
            if moved:
                renumber = update(db.Filing).where(filings.c.id == bindparam("filing"))
                conn.execute(renumber.values(position=bindparam("to")), moved)
        return _filing(SimpleNamespace(id=new_id, **values), ())

    def unfile(self, filing_id: int) -> FilingRecord:
        """Removes a filing (the document stays in the store); returns what was removed."""
        with self.session() as s:
            row = _get(s, db.Filing, filing_id, "filing")
            removed = _filing(row)
            s.delete(row)
            s.flush()
            siblings = _slot_rows(s, removed.case_id, removed.slot_id, covers=False)
            for index, sibling in enumerate(siblings):
                sibling.position = index
            return removed

    def move_filing(self, filing_id: int, position: int) -> list[FilingRecord]:
        """Moves a filing to ``position`` within its slot; returns the slot's new order."""
        with self.session() as s:
            row = _get(s, db.Filing, filing_id, "filing")
            siblings = [f for f in _slot_rows(s, row.case_id, row.slot_id) if f.id != row.id]
            siblings.insert(max(0, min(position, len(siblings))), row)
            for index, sibling in enumerate(siblings):
                sibling.position = index
            s.flush()
            return [_filing(f) for f in siblings]

    def set_filing_role(
        self, filing_id: int, role: Role, parent_id: int | None = None
    ) -> FilingRecord:
        """Changes what a filed document is (original, legalisation or translation)."""
        with self.session() as s:
            row = _get(s, db.Filing, filing_id, "filing")
            role = Role(role)
            rows = _slot_rows(s, row.case_id, row.slot_id, covers=False)
            siblings = [f for f in rows if f.id != row.id]
            row.role = role.value
            row.parent_id = (
                None if role is Role.ORIGINAL else _parent_for(siblings, parent_id, row.slot_id)
            )
            s.flush()
            return _filing(row)

    def set_covers(self, filing_id: int, original_id: int, covers: bool) -> FilingRecord:
        """Lets one legalisation filing also cover another original of its slot, or stops it."""
        with self.session() as s:
            row = _get(s, db.Filing, filing_id, "filing")
            original = _get(s, db.Filing, original_id, "filing")
            if row.role != Role.LEGALISATION.value:
                raise FilingError(f"Filing {filing_id} is not a legalisation.")
            if (original.case_id, original.slot_id) != (row.case_id, row.slot_id) or (
                original.role != Role.ORIGINAL.value
            ):
                raise FilingError(f"Filing {original_id} is not an original in '{row.slot_id}'.")
            current = {c.original_id: c for c in row.covers}
            if covers and original_id not in current and original_id != row.parent_id:
                row.covers.append(db.FilingCover(filing_id=filing_id, original_id=original_id))
            elif not covers and original_id in current:
                row.covers.remove(current[original_id])
            s.flush()
            return _filing(row)

    def slot_layout(self, case_id: int, slot_id: str) -> SlotLayout:
        """What the slot holds now, named by documents (see ``restore_slot``)."""
        with self.session() as s:
            rows = _slot_rows(s, case_id, slot_id)
            doc_of = {row.id: row.document_id for row in rows}
            return SlotLayout(
                case_id,
                slot_id,
                tuple(
                    LaidFiling(
                        row.document_id,
                        Role(row.role),
                        doc_of.get(row.parent_id) if row.parent_id is not None else None,
                        tuple(sorted(doc_of[c.original_id] for c in row.covers)),
                    )
                    for row in rows
                ),
            )

    def restore_slot(self, layout: SlotLayout) -> list[FilingRecord]:
        """Puts a slot back as ``layout`` says, in one transaction: files its documents that are
        no longer there and restores every role, order, original and covered original.

        Filings of documents the layout does not name stay, after the restored ones; documents
        deleted since are left out. Returns the slot's filings in order.
        """
        with self.session() as s:
            _require(s, db.Case, layout.case_id, "case")
            rows = _slot_rows(s, layout.case_id, layout.slot_id)
            by_doc = {row.document_id: row for row in rows}
            laid = [f for f in layout.filings if s.get(db.Document, f.document_id) is not None]
            for filing in laid:
                if filing.document_id not in by_doc:
                    row = db.Filing(
                        case_id=layout.case_id,
                        slot_id=layout.slot_id,
                        document_id=filing.document_id,
                        role=filing.role.value,
                        position=len(by_doc),
                    )
                    s.add(row)
                    by_doc[filing.document_id] = row
            s.flush()
            for filing in laid:
                row = by_doc[filing.document_id]
                row.role = filing.role.value
                parent = by_doc.get(filing.parent_document or -1)
                keeps_parent = parent is not None and filing.role is not Role.ORIGINAL
                row.parent_id = parent.id if parent is not None and keeps_parent else None
                wanted = {by_doc[d].id for d in filing.covers_documents if d in by_doc}
                for cover in [c for c in row.covers if c.original_id not in wanted]:
                    row.covers.remove(cover)
                present = {c.original_id for c in row.covers}
                for original_id in sorted(wanted - present):
                    row.covers.append(db.FilingCover(filing_id=row.id, original_id=original_id))
            named = [by_doc[f.document_id] for f in laid]
            order = named + [row for row in rows if row not in named]
            for index, row in enumerate(order):
                row.position = index
            s.flush()
            return [_filing(row) for row in order]

    # ----------------------------------------------------------------- watched folders
    def watched_files(self, folder: str) -> list[SeenFile]:
        """The files the watcher has handled in ``folder`` (its key, see ``core.watching``)."""
        with self.session() as s:
            rows = s.scalars(select(db.WatchedFile).where(db.WatchedFile.folder == folder))
            return [_seen_file(row) for row in rows]

    def remember_watched(self, folder: str, entries: Sequence[SeenFile]) -> None:
        """Records (or replaces) files of ``folder`` the watcher handled, in one transaction."""
        with self.session() as s:
            for entry in entries:
                row = s.scalar(
                    select(db.WatchedFile).where(
                        db.WatchedFile.folder == folder,
                        db.WatchedFile.rel_path == entry.rel_path,
                    )
                )
                if row is None:
                    row = db.WatchedFile(folder=folder, rel_path=entry.rel_path)
                    s.add(row)
                row.size, row.mtime_ns, row.sha256 = entry.size, entry.mtime_ns, entry.sha256
                row.status, row.reason = entry.status, entry.reason
                row.document_id = entry.document_id
                row.handled_at = entry.handled_at or utcnow()

    def forget_watched(self, folder: str, rel_paths: Sequence[str]) -> None:
        """Forgets handled files of ``folder`` (moved away: a new file of the name is new)."""
        where = db.WatchedFile.folder == folder, db.WatchedFile.rel_path.in_(list(rel_paths))
        with self.session() as s:
            s.execute(delete(db.WatchedFile).where(*where))

    # ----------------------------------------------------------------- exports
    def record_export(
        self, case_id: int, path: Path | str, pages: int, size: int, sha256: str, manifest: str
    ) -> ExportRecord:
        """Adds an export to the store's history."""
        with self.session() as s:
            row = db.Export(
                case_id=case_id,
                path=str(path),
                pages=pages,
                size=size,
                sha256=sha256,
                manifest=manifest,
                created_at=utcnow(),
            )
            s.add(row)
            s.flush()
            return _export(row)

    def exports(self, case_id: int | None = None) -> list[ExportRecord]:
        with self.session() as s:
            query = select(db.Export).order_by(db.Export.id)
            if case_id is not None:
                query = query.where(db.Export.case_id == case_id)
            return [_export(row) for row in s.scalars(query)]


# --------------------------------------------------------------------- helpers
def _changes_since_last_end(conn: Any) -> int:
    """Rows this connection changed since its last commit or rollback (SQLite counts them)."""
    dbapi = conn.connection.dbapi_connection
    info = conn.connection.info
    total = int(dbapi.total_changes)
    seen = int(info.get(_CHANGES_SEEN, 0))
    info[_CHANGES_SEEN] = total
    return total - seen


def _given(**fields: object) -> dict[str, Any]:
    """The fields of an ``update_…`` call that were given."""
    return {key: value for key, value in fields.items() if value is not UNCHANGED}


def _get(session: Session, model: type[_T], key: int, what: str) -> _T:
    row = session.get(model, key)
    if row is None:
        raise NotFoundError(f"There is no {what} with id {key}.")
    return row


def _case_records(conn: Connection, where: Any) -> list[CaseRecord]:
    """The cases ``where`` selects (all, by name, when None), with their decisions and facts,
    read as plain rows."""
    cases = db.Case.__table__
    decisions, facts = db.SlotDecisionRow.__table__, db.CaseFact.__table__
    query = select(cases).order_by(cases.c.name)
    rows = conn.execute(query if where is None else query.where(where)).all()
    if not rows:
        return []
    ids = [row.id for row in rows]
    decided: dict[int, list[SlotDecision]] = {}
    for d in conn.execute(
        select(decisions).where(decisions.c.case_id.in_(ids)).order_by(decisions.c.slot_id)
    ):
        decided.setdefault(d.case_id, []).append(SlotDecision(d.slot_id, d.applies, d.reason))
    known: dict[int, list[tuple[str, str]]] = {}
    for f in conn.execute(select(facts).where(facts.c.case_id.in_(ids))):
        known.setdefault(f.case_id, []).append((f.key, f.value))
    return [_case(row, decided.get(row.id, ()), known.get(row.id, ())) for row in rows]


def _case_name(name: str) -> str:
    name = " ".join(str(name).split())
    if not name:
        raise FilingError("A case needs a name (the applicant's name, for example).")
    return name


def _require(session: Session, model: type[db.Case | db.Document], key: int, what: str) -> None:
    """Raises unless ``model`` has a row ``key``; reads none of its related rows."""
    if session.scalar(select(model.id).where(model.id == key)) is None:
        raise NotFoundError(f"There is no {what} with id {key}.")


def _require_both(session: Session | Connection, case_id: int, document_id: int) -> None:
    """``_require`` of a case and a document, in one query (filing asks for both)."""
    case = select(db.Case.id).where(db.Case.id == case_id).scalar_subquery()
    document = select(db.Document.id).where(db.Document.id == document_id).scalar_subquery()
    found_case, found_document = session.execute(select(case, document)).one()
    if found_case is None:
        raise NotFoundError(f"There is no case with id {case_id}.")
    if found_document is None:
        raise NotFoundError(f"There is no document with id {document_id}.")


def _slot_rows(
    session: Session, case_id: int, slot_id: str, *, covers: bool = True
) -> list[db.Filing]:
    """A slot's filings in order; their covered originals read with them, or (``covers``
    False: only order and roles are wanted) when first asked for."""
    query = (
        select(db.Filing)
        .where(db.Filing.case_id == case_id, db.Filing.slot_id == slot_id)
        .order_by(db.Filing.position, db.Filing.id)
    )
    if not covers:
        query = query.options(lazyload(db.Filing.covers))
    return list(session.scalars(query))


def _unset_columns(model: type[db.Base]) -> dict[str, Any]:
    """Each column of ``model``'s table with the value an insert that leaves it out stores:
    its scalar default, or NULL (the id is the database's to give)."""
    return {
        column.name: column.default.arg if column.default is not None else None
        for column in model.__table__.columns
        if column.name != "id" and (column.default is None or column.default.is_scalar)
    }


# A new document's columns that ``add_document`` does not set (read once, at import).
_NEW_DOCUMENT = _unset_columns(db.Document)


def _parent_for(siblings: Sequence[Any], parent_id: int | None, slot_id: str) -> int:
    """The original a translation or legalisation belongs to (``siblings``: ORM objects or
    plain rows of the slot's filings, in order)."""
    originals = [f for f in siblings if f.role == Role.ORIGINAL.value]
    if parent_id is not None:
        if not any(f.id == parent_id for f in originals):
            raise FilingError(f"Filing {parent_id} is not an original in '{slot_id}'.")
        return parent_id
    if not originals:
        raise FilingError(
            f"File the original into '{slot_id}' before its translation or legalisation."
        )
    return int(originals[-1].id)


def _document(row: Any, page_settings: Sequence[PageSetting] | None = None) -> DocumentRecord:
    """A record from an ORM object or a plain row (then ``page_settings`` comes apart)."""
    if page_settings is None:
        page_settings = [
            PageSetting(p.page_index, p.rotation, p.excluded)
            for p in row.page_settings
            if p.rotation or p.excluded
        ]
    return DocumentRecord(
        id=row.id,
        sha256=row.sha256,
        media_type=MediaType(row.media_type),
        original_name=row.original_name,
        source_path=row.source_path,
        size=row.size,
        pages=row.pages,
        width_px=row.width_px,
        height_px=row.height_px,
        dpi=row.dpi,
        encrypted=row.encrypted,
        has_text=row.has_text,
        title=row.title,
        issued=row.issued,
        expires=row.expires,
        notes=row.notes,
        language=row.language,
        legalised=row.legalised,
        suggested_slot=row.suggested_slot,
        imported_at=row.imported_at.replace(tzinfo=dt.UTC),
        page_settings=tuple(page_settings),
        issued_in=Origin(row.issued_in) if row.issued_in else None,
        legalised_on=row.legalised_on,
        text_status=TextStatus(row.text_status),
        text_error=row.text_error,
    )


_PROPOSAL_FIELDS = {"title", "issued", "expires", "language", "issued_in"}


def _proposal_value(proposal: ProposalRecord) -> Any:
    """A proposal's value as the document field wants it."""
    if proposal.field in ("issued", "expires"):
        return dt.date.fromisoformat(proposal.value)
    if proposal.field == "issued_in":
        return Origin(proposal.value)
    if proposal.field not in _PROPOSAL_FIELDS:
        raise ValueError(f"not a field a proposal can set: {proposal.field}")
    return proposal.value


def _proposal_differs(document: DocumentRecord, proposal: ProposalRecord) -> bool:
    """Whether accepting ``proposal`` would change anything."""
    if proposal.field == "slot":
        return True
    return bool(getattr(document, proposal.field) != _proposal_value(proposal))


def _case(
    row: Any,
    decisions: Sequence[SlotDecision] | None = None,
    facts: Sequence[tuple[str, str]] | None = None,
) -> CaseRecord:
    """A record from an ORM object or a plain row (then decisions and facts come apart)."""
    if decisions is None or facts is None:
        decisions = [SlotDecision(d.slot_id, d.applies, d.reason) for d in row.decisions]
        facts = [(f.key, f.value) for f in row.facts]
    return CaseRecord(
        id=row.id,
        name=row.name,
        profile_id=row.profile_id,
        submission_date=row.submission_date,
        notes=row.notes,
        created_at=row.created_at.replace(tzinfo=dt.UTC),
        decisions=tuple(decisions),
        facts=tuple(sorted(facts)),
    )


def _filing(row: Any, covers: Sequence[int] | None = None) -> FilingRecord:
    """A record from an ORM object or a plain row (then ``covers`` comes apart)."""
    return FilingRecord(
        id=row.id,
        case_id=row.case_id,
        slot_id=row.slot_id,
        document_id=row.document_id,
        role=Role(row.role),
        position=row.position,
        parent_id=row.parent_id,
        covers=tuple(c.original_id for c in row.covers) if covers is None else tuple(covers),
    )


def _export(row: db.Export) -> ExportRecord:
    return ExportRecord(
        id=row.id,
        case_id=row.case_id,
        path=row.path,
        pages=row.pages,
        size=row.size,
        sha256=row.sha256,
        created_at=row.created_at.replace(tzinfo=dt.UTC),
        manifest=row.manifest,
    )


def _seen_file(row: db.WatchedFile) -> SeenFile:
    return SeenFile(
        rel_path=row.rel_path,
        size=row.size,
        mtime_ns=row.mtime_ns,
        sha256=row.sha256,
        status=row.status,
        reason=row.reason,
        document_id=row.document_id,
        handled_at=row.handled_at,
    )
