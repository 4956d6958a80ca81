"""Imports files into the store: validate, hash, deduplicate, store unchanged, suggest a slot."""

from __future__ import annotations

import errno
import logging
import os
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from yongju.core.blobs import BlobWriteError, StagedBlob, os_error_reason
from yongju.core.errors import DatabaseError, DuplicateDocumentError
from yongju.core.inspection import (
    FileInfo,
    RefusedFile,
    inspect_bounded,
    inspect_file,
    reading_sandbox,
)
from yongju.core.names import displayable, printable
from yongju.core.records import DocumentRecord
from yongju.core.sandbox import Sandbox
from yongju.core.store import Store
from yongju.core.suggest import guess_language_origin, suggest_slot

__all__ = [
    "CancelCallback",
    "FileInfo",
    "ImportResult",
    "ImportStatus",
    "ProgressCallback",
    "RefusedFile",
    "expand_paths",
    "import_file",
    "import_files",
    "inspect_file",
]

log = logging.getLogger(__name__)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in never blocks the open
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

ProgressCallback = Callable[[int, int, Path], None]
CancelCallback = Callable[[], bool]


class ImportStatus(StrEnum):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    REFUSED = "refused"


@dataclass(frozen=True)
class ImportResult:
    """What happened to one input file."""

    path: Path
    status: ImportStatus
    document: DocumentRecord | None = None
    reason: str = ""

    @property
    def document_id(self) -> int | None:
        return self.document.id if self.document else None

    @property
    def pages(self) -> int | None:
        return self.document.pages if self.document else None

    @property
    def ok(self) -> bool:
        return self.status is not ImportStatus.REFUSED


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files named, and the files inside folders named (recursively, sorted, hidden skipped).

    A folder inside that cannot be opened, and a link to a folder inside (not followed), are
    listed themselves, in their place: importing them refuses each with its reason.
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        try:
            is_folder = path.is_dir()
        except OSError:  # a folder on its path cannot be searched: import_file says so
            is_folder = False
        if not is_folder:
            files.append(path)
            continue
        for root, dirs, names in os.walk(
            path, onerror=lambda exc: files.append(Path(exc.filename))
        ):
            linked = [d for d in dirs if Path(root, d).is_symlink()]
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in linked)
            shown = sorted(n for n in [*names, *linked] if not n.startswith("."))
            files.extend(Path(root, n) for n in shown)
    return files


def import_files(
    store: Store,
    paths: Sequence[Path | str],
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
    passwords: Sequence[str] = (),
    keywords: Mapping[str, Sequence[str]] | None = None,
    durable: bool = True,
    on_result: Callable[[ImportResult], None] | None = None,
    sandbox: Sandbox | None = None,
    follow_links: bool = True,
) -> list[ImportResult]:
    """Imports each file; one bad file never stops the batch.

    Each imported document is committed before the next file starts, so whatever is
    reported imported survives a crash. ``cancel`` is asked before each file; when it
    returns True the files not yet started are left alone and the results so far returned.
    ``keywords`` (slot id → words) lets a slot be suggested for each new document;
    ``on_result`` hears about each file as soon as it is done (and committed).
    Files are read in ``sandbox`` (a worker bounded in memory and time), by default one
    started for this batch. Without ``follow_links`` (the watched folder), a file that is a
    symbolic link is refused rather than followed.
    """
    files = [Path(p) for p in paths]
    results: list[ImportResult] = []
    own = reading_sandbox() if sandbox is None and files else None
    if own is not None:
        own.start()  # it loads its modules while the first file is copied
    try:
        for done, path in enumerate(files):
            if cancel is not None and cancel():
                break
            result = import_file(
                store,
                path,
                passwords=tuple(passwords),
                keywords=keywords,
                durable=durable,
                sandbox=sandbox or own,
                follow_links=follow_links,
            )
            results.append(result)
            if on_result is not None:
                on_result(result)
            if progress is not None:
                progress(done + 1, len(files), path)
    finally:
        if own is not None:
            own.close()
    return results


def import_file(
    store: Store,
    path: Path,
    *,
    passwords: tuple[str, ...] = (),
    keywords: Mapping[str, Sequence[str]] | None = None,
    durable: bool = True,
    sandbox: Sandbox | None = None,
    follow_links: bool = True,
) -> ImportResult:
    """Imports one file (see ``import_files``)."""
    try:
        why = _unimportable(path, follow_links)
        if why:
            return _refused(path, why)
        staged = store.blobs.stage(path, durable=durable)
    except BlobWriteError as exc:
        return _refused(path, f"cannot be copied into the store: {exc}")
    except OSError as exc:
        return _refused(path, f"cannot be read: {exc.strerror or exc}")
    try:
        return _import_staged(store, path, staged, passwords, keywords, sandbox)
    except RefusedFile as exc:
        return _refused(path, str(exc))
    except OSError as exc:
        return _refused(path, f"cannot be stored: {exc.strerror or exc}")
    except DatabaseError as exc:  # SQLite: a full disk, a locked or read-only database
        detail = str(exc)
        full = "full" in detail.lower()
        return _refused(
            path,
            "the disk holding the store is full"
            if full
            else f"the store's database refused it ({detail})",
        )
    except Exception as exc:  # a parser choking on a hostile file must not end the batch
        log.warning("unexpected error importing %s", displayable(str(path)), exc_info=True)
        # The store's staging copy is an internal name: the user's file is named instead.
        detail = str(exc).replace(str(staged.temp_path), displayable(path.name))
        return _refused(path, f"cannot be read ({type(exc).__name__}: {detail})".splitlines()[0])
    finally:
        store.blobs.discard(staged)  # a no-op once committed


def _unimportable(path: Path, follow_links: bool) -> str:
    """Why ``path`` cannot be imported before a byte is copied, or "" if it can be tried."""
    try:
        info = path.stat() if follow_links else path.lstat()
    except OSError as exc:
        return _missing_reason(path, exc)
    if stat.S_ISLNK(info.st_mode):
        return "it is a symbolic link, and links in a watched folder are not followed"
    if stat.S_ISDIR(info.st_mode):
        return _folder_reason(path)
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    if info.st_size == 0:
        return "the file is empty (0 bytes)"
    try:  # opened once here, so an unreadable file is blamed, not the store it is copied to
        os.close(os.open(path, os.O_RDONLY | _NONBLOCK | (0 if follow_links else _NOFOLLOW)))
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_links:
            return "it is a symbolic link, and links in a watched folder are not followed"
        return f"cannot be read: {os_error_reason(exc)}"
    return ""


def _missing_reason(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "it is a symbolic link that leads back to itself (a link loop)"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        if path.is_symlink():
            return "it is a symbolic link to a file that does not exist"
        return "the file does not exist"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read: permission denied (a folder on its path cannot be opened)"
    return f"cannot be read: {os_error_reason(exc)}"


def _folder_reason(path: Path) -> str:
    if path.is_symlink():
        return "it is a symbolic link to a folder; links inside folders are not followed"
    try:
        with os.scandir(path):
            pass
    except OSError as exc:
        return f"the folder cannot be opened: {os_error_reason(exc)}"
    return "it is a folder, not a file"


def _import_staged(
    store: Store,
    path: Path,
    staged: StagedBlob,
    passwords: tuple[str, ...],
    keywords: Mapping[str, Sequence[str]] | None,
    sandbox: Sandbox | None,
) -> ImportResult:
    existing = store.find_by_sha(staged.sha256)
    if existing is not None:
        if not store.blobs.exists(staged.sha256):
            store.blobs.commit(staged)  # heal a store whose blob had gone missing
        return ImportResult(path, ImportStatus.DUPLICATE, existing, "already in the store")
    info = inspect_bounded(
        staged.temp_path, staged.head, staged.tail, passwords, staged.size, sandbox
    )
    store.blobs.commit(staged)
    try:
        document = _add_document(store, path, staged, info, keywords)
    except DuplicateDocumentError as exc:  # the same bytes imported a moment ago elsewhere
        return ImportResult(path, ImportStatus.DUPLICATE, exc.document, "already in the store")
    return ImportResult(path, ImportStatus.IMPORTED, document)


def _add_document(
    store: Store,
    path: Path,
    staged: StagedBlob,
    info: FileInfo,
    keywords: Mapping[str, Sequence[str]] | None,
) -> DocumentRecord:
    suggested = suggest_slot(path.stem, info.text, keywords) if keywords else None
    # Defaults from what is known: Chinese → issued in China; unknown stays unknown.
    language, origin = guess_language_origin(path.name, info.text)
    return store.add_document(
        sha256=staged.sha256,
        media_type=info.media_type,
        # Names are kept as text a database and a screen can take (undecodable bytes as
        # \xff); the file on disk is named exactly by ``source_path`` only when valid UTF-8.
        original_name=displayable(path.name),
        source_path=displayable(str(path.absolute())),
        size=staged.size,
        pages=info.pages,
        width_px=info.width_px,
        height_px=info.height_px,
        dpi=info.dpi,
        encrypted=info.encrypted,
        password=info.password,
        has_text=info.has_text,
        title=_title_from_name(path),
        suggested_slot=suggested,
        language=language,
        issued_in=origin,
        legalised=False,
        notes="",
    )


def _title_from_name(path: Path) -> str:
    """A readable title from a file name: ``scan_0012-passport`` → ``scan 0012 passport``."""
    return " ".join(printable(path.stem).replace("_", " ").replace("-", " ").split())


def _refused(path: Path, reason: str) -> ImportResult:
    return ImportResult(path, ImportStatus.REFUSED, None, reason)
