"""Checks a store, and with repair mends it without ever deleting a stored file.

A lost or damaged database is brought back from the newest good rolling copy; a stored file
that no row names is inspected again and adopted into the inbox, or, if it cannot be read,
moved to ``quarantine/`` and listed. Repair holds the store's lock exclusively, so it never
runs while an import (which holds it shared) is between its file and its row.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from yongju.core.blobs import BlobStore, sha256_of
from yongju.core.errors import DatabaseError, StoreDamagedError
from yongju.core.inspection import FileInfo, RefusedFile, inspect_file, reading_sandbox, sniff
from yongju.core.locking import StoreLock
from yongju.core.records import MediaType
from yongju.core.sandbox import Sandbox
from yongju.core.store import KNOWN_REVISIONS, Store
from yongju.core.store.dbcopy import (
    DatabaseCopy,
    RollingCopies,
    copy_database,
    is_readable_copy,
    read_copy,
)
from yongju.core.store.folder import BLOBS_DIR, DB_NAME, database_state, prepare_folder

QUARANTINE_DIR = "quarantine"
_EXTENSIONS = {
    MediaType.PDF: ".pdf",
    MediaType.JPEG: ".jpg",
    MediaType.PNG: ".png",
    MediaType.TIFF: ".tif",
    MediaType.HEIF: ".heic",
    MediaType.WEBP: ".webp",
}


@dataclass
class DoctorReport:
    """What ``check_store`` found and did. ``ok`` is False only for real problems."""

    problems: list[str] = field(default_factory=list)
    garbage: list[str] = field(default_factory=list)  # leftovers of interrupted imports
    unrecorded: list[str] = field(default_factory=list)  # stored files no row names
    repaired: list[str] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)
    restored_from: str = ""  # the copy the database was brought back from
    advice: str = ""  # what repair would do, when it has something to do
    documents: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def check_store(
    store: Store | Path,
    *,
    repair: bool = False,
    verify: bool = False,
    profile_ids: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    on_wait: Callable[[], None] | None = None,
) -> DoctorReport:
    """Checks the database, every document's file (``verify``: its hash too) and the cases.

    ``store`` is an open store, or a store folder (which may be too damaged to open). With
    ``repair`` the store's lock is held exclusively (``on_wait`` hears if that means waiting
    for an import in another process); nothing stored is ever deleted.
    """
    folder = store.folder if isinstance(store, Store) else Path(store)
    lock = store.lock if isinstance(store, Store) else StoreLock(folder)
    report = DoctorReport()
    prepare_folder(folder)  # refuses a folder that is not a store; never changes its mode
    with lock.exclusive(on_wait) if repair else nullcontext():
        damage = _database_damage(folder, store, lock)
        if damage and not repair:
            report.problems.append(f"database: {damage}")
            report.advice = _restore_plan(folder)
            return report
        if damage:
            if isinstance(store, Store):
                store.disconnect()  # its connections hold the damaged file
            _restore_database(folder, report, damage)
        with _opened(store, lock, new_database=bool(damage)) as opened:
            _check_foreign_keys(opened, report)
            _check_documents(opened, report, verify, progress)
            _check_unrecorded(opened, report, repair)
            _check_leftovers(opened, report, repair)
            if profile_ids is not None:
                _check_profiles(opened, report, set(profile_ids))
    return report


@contextmanager
def _opened(store: Store | Path, lock: StoreLock, new_database: bool = False) -> Iterator[Store]:
    if isinstance(store, Store):
        yield store
        return
    with Store.open(store, lock=lock, new_database=new_database) as opened:
        yield opened


# --------------------------------------------------------------------- the database
def _database_damage(folder: Path, store: Store | Path, lock: StoreLock) -> str:
    """What is wrong with the database as a whole, or "" when nothing is."""
    state = database_state(folder)
    if state.damaged:
        files = state.stored_files
        return f"the database is {state.damage}, though the store holds {files} stored files"
    if state.revision is None:
        return ""
    try:
        with _opened(store, lock) as opened:
            found = opened.integrity_problems()
    except (StoreDamagedError, DatabaseError) as exc:
        return f"the database is damaged ({exc.__cause__ or exc})"
    if found:
        return "the database is damaged (" + "; ".join(found[:3]) + ")"
    return ""


def _check_foreign_keys(store: Store, report: DoctorReport) -> None:
    for table, missing in store.foreign_key_problems():
        report.problems.append(f"database: a row of '{table}' points to a missing '{missing}'")


def _good_copies(folder: Path) -> Iterator[tuple[DatabaseCopy, set[str]]]:
    """The readable copies of this store's database (newest first), with the files each knew."""
    for copy in RollingCopies(folder / DB_NAME).copies():
        if not is_readable_copy(copy.path):
            continue
        try:
            contents = read_copy(copy.path)
        except DatabaseError:
            continue
        if contents.revision in KNOWN_REVISIONS:
            yield copy, {sha for _id, sha in contents.documents}


def _restore_plan(folder: Path) -> str:
    """What ``--repair`` would do about a damaged database, in one sentence."""
    shas = {sha for sha, _ in _stored_files(folder)}
    for copy, known in _good_copies(folder):
        newer = len(shas - known)
        adds = (
            f"adds the {newer} stored files newer than it to the inbox"
            if newer
            else "every stored file is in that copy"
        )
        return (
            f"Run `yongju doctor --repair`: it brings back the database copy of {_when(copy)}, "
            f"and {adds}."
        )
    return (
        "Run `yongju doctor --repair`: there is no copy of the database, so it starts a new "
        f"one and adds all {len(shas)} stored files to the inbox."
    )


def _restore_database(folder: Path, report: DoctorReport, damage: str) -> None:
    """Moves the damaged database into quarantine and puts the newest good copy in its place."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = folder / (DB_NAME + suffix)
        if not path.exists():
            continue
        if suffix == "" and path.stat().st_size == 0:
            path.unlink()  # an empty file holds nothing to keep
            continue
        target = _quarantine_folder(folder) / f"yongju-damaged-{stamp}.db{suffix}"
        os.replace(path, target)
        if suffix == "":
            report.repaired.append(f"moved the damaged database aside to {target}")
    for copy, _known in _good_copies(folder):
        copy_database(copy.path, folder / DB_NAME)
        report.restored_from = f"the copy of {_when(copy)} ({copy.path})"
        report.repaired.append(f"{_was(damage)}: brought back {report.restored_from}")
        return
    report.repaired.append(f"{_was(damage)}: started a new one (there was no copy to bring back)")


def _was(damage: str) -> str:
    """``the database is empty, though the store holds…`` as said after the repair."""
    return damage.replace("the database is", "the database was", 1).replace(" holds ", " held ")


def _when(copy: DatabaseCopy) -> str:
    return copy.taken.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


# --------------------------------------------------------------------- documents and files
def _check_documents(
    store: Store, report: DoctorReport, verify: bool, progress: Callable[[int, int], None] | None
) -> None:
    rows = store.document_files()
    report.documents = len(rows)
    for done, (doc_id, sha, size) in enumerate(rows, start=1):
        path = store.blob_path(sha)
        if not path.is_file():
            report.problems.append(f"document {doc_id}: its file is missing from the store")
        elif path.stat().st_size != size:
            report.problems.append(f"document {doc_id}: its file has the wrong size")
        elif verify and sha256_of(path) != sha:
            report.problems.append(f"document {doc_id}: its file's bytes have changed")
        if progress:
            progress(done, len(rows))


def _stored_files(folder: Path) -> list[tuple[str, Path]]:
    return list(BlobStore(folder / BLOBS_DIR).all_hashes())


def _check_unrecorded(store: Store, report: DoctorReport, repair: bool) -> None:
    """Stored files no row names: listed, and with repair adopted (or quarantined)."""
    known = {sha for _id, sha, _size in store.document_files()}
    unrecorded = [(sha, path) for sha, path in store.blobs.all_hashes() if sha not in known]
    if not repair:
        report.unrecorded += [f"stored file {sha[:12]}… has no record" for sha, _ in unrecorded]
        return
    if not unrecorded:
        return
    with reading_sandbox() as sandbox:  # one bounded worker reads them all
        for sha, path in unrecorded:
            info = _inspect_stored(sha, path, sandbox)
            if isinstance(info, str):
                target = _quarantine(store.folder, sha, path)
                report.quarantined.append(f"{target}: {info}")
                continue
            doc = _adopt(store, sha, path, info)
            report.repaired.append(
                f"added stored file {sha[:12]}… to the inbox as document {doc}"
                + (" (newer than the copy)" if report.restored_from else "")
            )
            report.documents += 1


def _inspect_stored(sha: str, path: Path, sandbox: Sandbox) -> FileInfo | str:
    """What a stored file is, inspected as an import would; or why it cannot be adopted."""
    try:
        if sha256_of(path) != sha:
            return "its bytes do not match its name (the file is damaged)"
        return inspect_file(path, sandbox=sandbox)
    except RefusedFile as exc:
        return str(exc)
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
    except Exception as exc:  # a parser failing on a damaged file: keep it aside, say so
        return f"it cannot be read ({type(exc).__name__})"


def _adopt(store: Store, sha: str, path: Path, info: FileInfo) -> int:
    """Adds a stored file to the inbox as a document, with what inspecting it found."""
    stat = path.stat()
    ext = _EXTENSIONS.get(info.media_type, "")
    doc = store.add_document(
        sha256=sha,
        media_type=info.media_type,
        original_name=f"recovered-{sha[:12]}{ext}",
        source_path="",
        size=stat.st_size,
        pages=info.pages,
        width_px=info.width_px,
        height_px=info.height_px,
        dpi=info.dpi,
        encrypted=info.encrypted,
        password=info.password,
        has_text=info.has_text,
        title=f"Recovered document {sha[:8]}",
        suggested_slot=None,
        language=None,
        legalised=False,
        notes="Its record was lost; `yongju doctor --repair` found the file in the store.",
        imported_at=dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).replace(tzinfo=None),
    )
    return doc.id


def _quarantine_folder(folder: Path) -> Path:
    target = folder / QUARANTINE_DIR
    target.mkdir(mode=0o700, exist_ok=True)
    return target


def _quarantine(folder: Path, sha: str, path: Path) -> Path:
    """Moves a stored file that cannot be adopted into the quarantine folder (never deletes)."""
    try:
        with path.open("rb") as fh:
            ext = _EXTENSIONS.get(sniff(fh.read(4096)), "")
    except (RefusedFile, OSError):
        ext = ""
    quarantine = _quarantine_folder(folder)
    target = quarantine / f"{sha}{ext}"
    number = 1
    while target.exists():  # never over another quarantined file
        number += 1
        target = quarantine / f"{sha}-{number}{ext}"
    os.replace(path, target)
    return target


def _check_leftovers(store: Store, report: DoctorReport, repair: bool) -> None:
    """Partial copies of interrupted imports (never reported imported): removed by repair.

    Repair holds the store's lock alone, so no import is staging a copy right now.
    """
    for path in store.blobs.staging_leftovers():
        what = f"leftover of an interrupted import: {path.name}"
        if repair:
            path.unlink(missing_ok=True)
            report.repaired.append(f"removed {what}")
        else:
            report.garbage.append(what)


def _check_profiles(store: Store, report: DoctorReport, installed: set[str]) -> None:
    for case in store.cases():
        if case.profile_id not in installed:
            report.problems.append(
                f"case '{case.name}' uses profile '{case.profile_id}', which is not installed"
            )
