"""Backing up a store into one archive, and restoring it, verified, into an empty place.

The archive is an uncompressed tar (the scans inside are compressed already), written 0600
under a temporary name and renamed into place. Its members, in order:

- ``yongju-backup``: a marker saying what the file is (so a later backup may replace it);
- ``blobs/ab/cdef…``: every stored file the database copy refers to;
- ``yongju.db``: a consistent copy of the database, taken with SQLite's backup API, so the
  window or a command may go on writing while the backup runs;
- ``manifest.json``: every member above with its size and SHA-256, computed while it was
  written.

A restore reads the archive into a private temporary folder beside the target, checks every
member against the manifest and the database, and only then renames the folder into place:
a damaged archive restores nothing and names the member that failed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from yongju.core.blobs import CHUNK, os_error_reason
from yongju.core.errors import CancelledError, DatabaseError, YongjuError
from yongju.core.locking import LOCK_NAME
from yongju.core.store import DB_NAME, KNOWN_REVISIONS, Store
from yongju.core.store.dbcopy import BACKUPS_DIR, copy_database, drop_documents, read_copy
from yongju.core.store.folder import database_holds_nothing

FORMAT = 1
MARKER = "yongju-backup"
MANIFEST = "manifest.json"
_BLOB_MEMBER = re.compile(r"blobs/[0-9a-f]{2}/[0-9a-f]{62}")
_MANIFEST_LIMIT = 64 << 20
# What an empty store may hold besides nothing: made by opening it, or by a window on it.
_EMPTY_STORE_ENTRIES = {
    DB_NAME,
    f"{DB_NAME}-wal",
    f"{DB_NAME}-shm",
    LOCK_NAME,
    "blobs",
    "logs",
    "cache",
    BACKUPS_DIR,
}

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


class BackupError(YongjuError):
    """A backup could not be written, or an archive cannot be restored (one sentence)."""


@dataclass(frozen=True)
class BackupResult:
    """What a backup holds."""

    archive: Path
    documents: int
    cases: int
    files: int
    size: int  # bytes of the archive
    problems: tuple[str, ...] = ()  # stored files missing or changed (doctor says more)


@dataclass(frozen=True)
class RestoredBackup:
    """An archive read and verified into a private folder, ready to become a store."""

    folder: Path
    documents: int
    cases: int
    files: int
    created: str  # when the backup was made (ISO 8601, from its manifest)
    problems: tuple[str, ...] = ()


@dataclass
class _Member:
    name: str
    size: int = 0
    sha256: str = ""


@dataclass
class _Counter:
    total: int
    progress: Progress | None
    cancel: Cancel | None
    done: int = 0
    members: list[_Member] = field(default_factory=list)
    cancelled: str = "The backup was cancelled; nothing was written."

    def step(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)

    def check(self) -> None:
        if self.cancel is not None and self.cancel():
            raise CancelledError(self.cancelled)


# --------------------------------------------------------------------------- work folders
_LEFTOVER = re.compile(r"\.yongju-(backup|restoring|replaced)-(\d+)-[a-z0-9_]+")


def _work_folder(parent: Path, kind: str) -> Path:
    """A private folder for one run's temporary files, named after its process.

    A run killed before it could tidy up leaves it behind; the next run of the same kind in
    that folder removes it once no process of that id is alive.
    """
    _remove_leftovers(parent, kind)
    return Path(tempfile.mkdtemp(prefix=f".yongju-{kind}-{os.getpid()}-", dir=parent))


def _remove_leftovers(parent: Path, kind: str) -> None:
    if os.name != "posix":  # no way to ask whether a process lives without touching it
        return
    with contextlib.suppress(OSError):
        for path in parent.iterdir():
            match = _LEFTOVER.fullmatch(path.name)
            if match is None or match[1] != kind or _alive(int(match[2])):
                continue
            if kind == "replaced" and not store_holds_nothing(path / "store"):
                continue  # a store put aside and never put back: the user's, keep it
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # alive, someone else's
    return True


# --------------------------------------------------------------------------- backup
def backup_store(
    store: Store, target: Path, *, progress: Progress | None = None, cancel: Cancel | None = None
) -> BackupResult:
    """Writes the whole store into the archive ``target`` (see the module's description).

    ``progress(done, total)`` counts files; ``cancel()`` returning True stops it, leaving
    nothing behind. An existing ``target`` is replaced only if it is a Yongju backup.
    """
    target = _backup_target(store, Path(target))
    try:
        work = _work_folder(target.parent, "backup")
    except OSError as exc:
        raise BackupError(f"Cannot write in {target.parent}: {os_error_reason(exc)}.") from None
    try:
        return _write_backup(store, target, work, progress, cancel)
    except OSError as exc:
        raise BackupError(f"The backup could not be written: {os_error_reason(exc)}.") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _backup_target(store: Store, target: Path) -> Path:
    target = target.expanduser().absolute()
    folder = store.folder.resolve()
    if target.resolve() == folder or folder in target.resolve().parents:
        raise BackupError("A backup inside the store would be lost with it; choose another folder.")
    if target.is_dir():
        raise BackupError(f"{target} is a folder; give the backup a file name.")
    if (target.exists() or target.is_symlink()) and not is_backup(target):
        raise BackupError(
            f"{target} exists and is not a Yongju backup; choose another name "
            "(Yongju only replaces its own backups)."
        )
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    return target


def is_backup(path: Path) -> bool:
    """True when ``path`` is a regular file whose first member is a Yongju backup's marker."""
    if path.is_symlink() or not path.is_file():
        return False
    try:
        with tarfile.open(path, "r|") as tar:
            first = tar.next()
            return first is not None and first.name == MARKER
    except (OSError, tarfile.TarError, EOFError):
        return False


def _write_backup(
    store: Store, target: Path, work: Path, progress: Progress | None, cancel: Cancel | None
) -> BackupResult:
    database = work / DB_NAME
    snapshot = _snapshot(store, database)
    counter = _Counter(len(snapshot.blobs) + 1, progress, cancel)
    counter.check()
    part = work / "archive.part"
    with (
        open(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out,
        tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        _add_bytes(tar, MARKER, json.dumps({"format": FORMAT}).encode())
        problems = _add_blobs(store, tar, snapshot, database, counter)
        _add_file(tar, DB_NAME, database, counter)
        documents = snapshot.documents - len(snapshot.dropped)
        manifest = {
            "format": FORMAT,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "schema": snapshot.revision,
            "documents": documents,
            "cases": snapshot.cases,
            "members": [vars(m) for m in counter.members],
            "problems": problems,
        }
        _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1).encode())
        tar.close()
        out.flush()
        os.fsync(out.fileno())
    counter.check()
    os.replace(part, target)
    _sync_folder(target.parent)
    return BackupResult(
        target,
        documents,
        snapshot.cases,
        len(counter.members) - 1,
        target.stat().st_size,
        tuple(problems),
    )


@dataclass
class _Snapshot:
    revision: str
    documents: int
    cases: int
    blobs: dict[str, list[int]]  # sha256 → document ids
    dropped: set[int] = field(default_factory=set)


def _snapshot(store: Store, database: Path) -> _Snapshot:
    """A consistent copy of the database, taken through SQLite while others may write."""
    try:
        copy_database(store.folder / DB_NAME, database)  # the rolling copies' own function
        contents = read_copy(database)
    except DatabaseError as exc:
        raise BackupError(f"The store's database cannot be read ({exc}).") from None
    blobs: dict[str, list[int]] = {}
    for doc_id, sha in contents.documents:
        blobs.setdefault(sha, []).append(doc_id)
    return _Snapshot(contents.revision, len(contents.documents), contents.cases, blobs)


def _add_blobs(
    store: Store, tar: tarfile.TarFile, snapshot: _Snapshot, database: Path, counter: _Counter
) -> list[str]:
    problems: list[str] = []
    for sha, doc_ids in sorted(snapshot.blobs.items()):
        counter.check()
        path = store.blob_path(sha)
        try:
            member = _add_file(tar, f"blobs/{sha[:2]}/{sha[2:]}", path, counter)
        except FileNotFoundError:
            if store.has_documents(doc_ids):
                problems.append(f"document {doc_ids[0]}: its file is missing from the store")
            else:  # deleted after the snapshot: leave it out of the copy too
                snapshot.dropped.update(doc_ids)
            counter.step()
            continue
        if member.sha256 != sha:
            problems.append(f"document {doc_ids[0]}: its file's bytes have changed")
    if snapshot.dropped:
        drop_documents(database, sorted(snapshot.dropped))
    return problems


class _HashingReader(io.RawIOBase):
    """Reads a file for tarfile, hashing it and checking for cancel on the way."""

    def __init__(self, source: IO[bytes], counter: _Counter) -> None:
        self._source = source
        self._counter = counter
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        self._counter.check()
        data = self._source.read(size if size > 0 else CHUNK)
        self.digest.update(data)
        return data


def _add_file(tar: tarfile.TarFile, name: str, path: Path, counter: _Counter) -> _Member:
    with open(path, "rb") as source:
        size = os.fstat(source.fileno()).st_size
        reader = _HashingReader(source, counter)
        tar.addfile(_info(name, size), reader)
    member = _Member(name, size, reader.digest.hexdigest())
    counter.members.append(member)
    counter.step()
    return member


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    tar.addfile(_info(name, len(data)), io.BytesIO(data))


def _info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(dt.datetime.now().timestamp())
    return info


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every system can open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --------------------------------------------------------------------------- restore
def restore_store(
    archive: Path, target: Path, *, progress: Progress | None = None, cancel: Cancel | None = None
) -> RestoredBackup:
    """Restores ``archive`` as the store ``target``, which must be absent or hold nothing."""
    restored = unpack_backup(archive, target, progress=progress, cancel=cancel)
    try:
        install_restored(restored, target)
    except BaseException:
        shutil.rmtree(restored.folder, ignore_errors=True)
        raise
    return RestoredBackup(
        target,
        restored.documents,
        restored.cases,
        restored.files,
        restored.created,
        restored.problems,
    )


def store_holds_nothing(folder: Path) -> bool:
    """True when ``folder`` is absent, empty, or a store without documents, cases or files."""
    if not folder.exists() and not folder.is_symlink():
        return True
    if folder.is_symlink() or not folder.is_dir():
        return False
    names = {p.name for p in folder.iterdir()}
    if not names:
        return True
    if not names <= _EMPTY_STORE_ENTRIES:
        return False
    blobs = folder / "blobs"
    if blobs.is_dir() and any(p.is_file() or p.is_symlink() for p in blobs.rglob("*")):
        return False
    if DB_NAME not in names:
        return True
    return database_holds_nothing(folder / DB_NAME)


def _refuse_target(target: Path) -> None:
    if not store_holds_nothing(target):
        raise BackupError(
            f"{target} is not empty; a backup is restored only into a new or empty store "
            "(give another folder with --store)."
        )


def unpack_backup(
    archive: Path, target: Path, *, progress: Progress | None = None, cancel: Cancel | None = None
) -> RestoredBackup:
    """Reads and verifies ``archive`` into a private folder beside ``target`` (not yet it)."""
    archive, target = Path(archive).expanduser().absolute(), Path(target).expanduser().absolute()
    _refuse_target(target)
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist or is not a file.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(target.parent, "replaced")
        folder = _work_folder(target.parent, "restoring")
    except OSError as exc:
        raise BackupError(f"Cannot write in {target.parent}: {os_error_reason(exc)}.") from None
    try:
        return _unpack(archive, folder, progress, cancel)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _unpack(
    archive: Path, folder: Path, progress: Progress | None, cancel: Cancel | None
) -> RestoredBackup:
    counter = _Counter(0, progress, cancel, cancelled="Cancelled; nothing was restored.")
    read: dict[str, _Member] = {}
    manifest: dict[str, Any] | None = None
    damaged = f"The backup {archive.name} is damaged"
    name = ""
    try:
        with open(archive, "rb") as raw, tarfile.open(fileobj=raw, mode="r|") as tar:
            counter.total = max(1, os.fstat(raw.fileno()).st_size >> 20)  # in MiB: ints stay small
            for index, info in enumerate(_members(tar, archive)):
                name = info.name
                counter.check()
                if index == 0:
                    _read_marker(tar, info, archive)
                elif info.name == MANIFEST:
                    manifest = _read_manifest(tar, info, damaged)
                else:
                    read[info.name] = _extract(tar, info, folder, raw, counter)
    except (tarfile.TarError, EOFError) as exc:
        if not name:
            raise BackupError(f"{archive} is not a Yongju backup.") from None
        raise BackupError(f"{damaged} (near {name}: {exc}); nothing was restored.") from None
    except OSError as exc:
        raise BackupError(f"The backup could not be restored: {os_error_reason(exc)}.") from None
    if manifest is None:
        raise BackupError(f"{damaged} (it ends before its manifest); nothing was restored.")
    _check_members(read, manifest, damaged)
    documents, cases = _check_database(folder, read, manifest, damaged)
    return RestoredBackup(
        folder,
        documents,
        cases,
        len(read) - 1,
        str(manifest.get("created", "")),
        tuple(str(p) for p in manifest.get("problems", [])),
    )


def _members(tar: tarfile.TarFile, archive: Path) -> Iterator[tarfile.TarInfo]:
    seen: set[str] = set()
    for index, info in enumerate(tar):
        if index == 0 and info.name != MARKER:
            raise BackupError(f"{archive} is not a Yongju backup.")
        allowed = info.name in (MARKER, MANIFEST, DB_NAME) or _BLOB_MEMBER.fullmatch(info.name)
        if not info.isreg() or not allowed or info.name in seen:
            raise BackupError(
                f"The backup {archive.name} holds an unexpected member ({info.name!r}); "
                "nothing was restored."
            )
        seen.add(info.name)
        yield info


def _read_marker(tar: tarfile.TarFile, info: tarfile.TarInfo, archive: Path) -> None:
    data = _small(tar, info, 4096)
    try:
        version = json.loads(data)["format"]
    except (ValueError, KeyError, TypeError):
        raise BackupError(f"{archive} is not a Yongju backup.") from None
    if version != FORMAT:
        raise BackupError(f"{archive} was written by a newer Yongju; update Yongju to restore it.")


def _read_manifest(tar: tarfile.TarFile, info: tarfile.TarInfo, damaged: str) -> dict[str, Any]:
    try:
        manifest = json.loads(_small(tar, info, _MANIFEST_LIMIT))
        if not isinstance(manifest, dict) or not isinstance(manifest["members"], list):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise BackupError(
            f"{damaged} (its manifest cannot be read); nothing was restored."
        ) from None
    return manifest


def _small(tar: tarfile.TarFile, info: tarfile.TarInfo, limit: int) -> bytes:
    source = tar.extractfile(info)
    if source is None or info.size > limit:
        raise tarfile.TarError(f"{info.name} is too large")
    return source.read()


def _extract(
    tar: tarfile.TarFile, info: tarfile.TarInfo, folder: Path, raw: IO[bytes], counter: _Counter
) -> _Member:
    source = tar.extractfile(info)
    if source is None:
        raise tarfile.TarError("not a file")
    path = folder / info.name
    for parent in reversed(path.relative_to(folder).parents[:-1]):  # each one 0700, not umask's
        (folder / parent).mkdir(mode=0o700, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    with open(os.open(path, flags, 0o600), "wb") as out:
        while chunk := source.read(CHUNK):
            counter.check()
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
            if counter.progress is not None:
                counter.progress(min(raw.tell() >> 20, counter.total), counter.total)
        out.flush()
        os.fsync(out.fileno())
    return _Member(info.name, size, digest.hexdigest())


def _check_members(read: dict[str, _Member], manifest: dict[str, Any], damaged: str) -> None:
    listed: dict[str, dict[str, Any]] = {}
    for entry in manifest["members"]:
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            listed[entry["name"]] = entry
    for name, entry in listed.items():
        member = read.get(name)
        if member is None:
            raise BackupError(f"{damaged}: {name} is missing from it; nothing was restored.")
        if member.size != entry.get("size") or member.sha256 != entry.get("sha256"):
            raise BackupError(
                f"{damaged}: {name} does not match its recorded SHA-256; nothing was restored."
            )
    extra = sorted(set(read) - set(listed))
    if extra:
        raise BackupError(f"{damaged}: {extra[0]} is not in its manifest; nothing was restored.")
    if DB_NAME not in read:
        raise BackupError(f"{damaged}: it holds no database; nothing was restored.")


def _check_database(
    folder: Path, read: dict[str, _Member], manifest: dict[str, Any], damaged: str
) -> tuple[int, int]:
    """The copy opens, is whole, is a schema this version knows, and its files are all here."""
    missing_ok = {str(p) for p in manifest.get("problems", [])}
    try:
        contents = read_copy(folder / DB_NAME, check=True)
    except DatabaseError as exc:
        raise BackupError(f"{damaged}: its database cannot be read ({exc}).") from None
    revision, documents, cases = contents.revision, contents.documents, contents.cases
    if revision not in KNOWN_REVISIONS:
        raise BackupError(
            "The backup was made by a newer Yongju (schema "
            f"{revision}); update Yongju to restore it."
        )
    for doc_id, sha in documents:
        name = f"blobs/{sha[:2]}/{sha[2:]}"
        lost = f"document {doc_id}: its file is missing from the store"
        if name not in read and lost not in missing_ok:
            raise BackupError(f"{damaged}: {name} is missing from it; nothing was restored.")
    os.chmod(folder, 0o700)
    return len(documents), cases


def install_restored(restored: RestoredBackup, target: Path) -> None:
    """Renames the verified folder into place as ``target`` (absent, empty or an empty store).

    An empty store in the way is moved aside first and removed once the restored store is in
    place; should it have received a document meanwhile, everything is put back as it was.
    """
    target = Path(target).expanduser().absolute()
    _refuse_target(target)
    if not target.exists():
        os.rename(restored.folder, target)
        _sync_folder(target.parent)
        return
    aside = _work_folder(target.parent, "replaced")
    os.rename(target, aside / "store")
    try:
        os.rename(restored.folder, target)
    except OSError:
        os.rename(aside / "store", target)
        aside.rmdir()
        raise
    if not store_holds_nothing(aside / "store"):
        os.rename(target, restored.folder)
        os.rename(aside / "store", target)
        aside.rmdir()
        raise BackupError(
            f"{target} received documents while the backup was being restored; "
            "nothing was restored."
        )
    logs = aside / "store" / "logs"
    if logs.is_dir() and not (target / "logs").exists():
        os.rename(logs, target / "logs")  # the log of what happened before stays readable
    shutil.rmtree(aside, ignore_errors=True)
    _sync_folder(target.parent)
