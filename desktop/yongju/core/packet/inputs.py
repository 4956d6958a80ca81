"""Checking the inputs while they are exported: each stored file is hashed as it is read.

The store names every blob by its SHA-256; a packet must never carry a file whose bytes
changed on disk since it was imported (a bad sector, a stray write) under the original's
hash. Each input is hashed once, on a thread of its own, beside the page copying; a file
that is missing or differs stops the export with one sentence naming the document.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

from yongju.core.errors import ExportError
from yongju.core.hashing import fd_sha256
from yongju.core.packet.files import Worker
from yongju.core.packet.model import PacketDocument


def _title(document: PacketDocument) -> str:
    return document.title or document.path.name


def missing_error(document: PacketDocument) -> ExportError:
    if not document.sha256:
        return ExportError(f"'{_title(document)}' cannot be read: {document.path} does not exist.")
    return ExportError(
        f"The stored file of '{_title(document)}' is missing from the store, so nothing was "
        "exported; run `yongju doctor` to see what is affected and what can be done."
    )


def damaged_error(document: PacketDocument) -> ExportError:
    return ExportError(
        f"The stored file of '{_title(document)}' is damaged (its bytes no longer match what "
        "was imported), so nothing was exported; run `yongju doctor --verify` to find every "
        "damaged file."
    )


def _hash_failed(exc: BaseException) -> ExportError:
    if isinstance(exc, ExportError):
        return exc
    why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return ExportError(f"An input file could not be read to check it ({why}); nothing was written.")


class InputCheck:
    """Hashes each input file once (the first time it is opened) on its own thread."""

    def __init__(self) -> None:
        self._worker = Worker("packet-inputs", _hash_failed)
        self._lock = threading.Lock()
        self._found: dict[Path, str] = {}  # path → SHA-256 of its bytes as read
        self._documents: dict[Path, PacketDocument] = {}

    def submit(self, document: PacketDocument) -> None:
        """Starts hashing ``document``'s file (once per file); a missing file fails now."""
        if document.path in self._documents:
            return
        try:
            fd = os.open(document.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            raise missing_error(document) from None
        except OSError as exc:
            raise ExportError(
                f"'{_title(document)}' cannot be read ({exc.strerror or exc}); nothing was "
                "exported."
            ) from None
        self._documents[document.path] = document
        self._worker.submit(lambda: self._hash(document, fd), fd)

    def _hash(self, document: PacketDocument, fd: int) -> None:
        try:
            digest = fd_sha256(fd)
        except OSError as exc:  # a bad sector, a file that shrank while being read
            raise ExportError(
                f"The stored file of '{_title(document)}' could not be read to check it "
                f"({exc.strerror or exc}), so nothing was exported; run `yongju doctor "
                "--verify` to check every stored file."
            ) from None
        with self._lock:
            self._found[document.path] = digest

    def check(self) -> None:
        """Raises for the first file hashed so far that differs from the store's record."""
        self._worker.check()
        with self._lock:
            found = list(self._found.items())
        for path, digest in found:
            document = self._documents[path]
            if document.sha256 and digest != document.sha256:
                raise damaged_error(document)

    def finish(self) -> dict[Path, str]:
        """Waits for every file; raises as ``check``; returns each file's SHA-256."""
        self._worker.finish()
        self.check()
        return dict(self._found)

    def explain(self) -> ExportError | None:
        """After a failure to read an input: the missing or damaged stored file behind it,
        if there is one (a truncated blob fails in qpdf before its hash is known)."""
        with contextlib.suppress(ExportError):
            self._worker.finish()
        for path, document in self._documents.items():
            if not document.sha256:
                continue
            if not path.exists():
                return missing_error(document)
            with self._lock:
                digest = self._found.get(path)
            if digest is not None and digest != document.sha256:
                return damaged_error(document)
        return None

    def close(self) -> None:
        self._worker.stop(discard=True)
