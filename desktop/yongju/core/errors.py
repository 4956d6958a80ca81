"""Errors a user can cause, each with a message a person understands (never a traceback)."""

from __future__ import annotations

from pathlib import Path

from yongju.core.records import DocumentRecord


class YongjuError(Exception):
    """Base of every error shown to the user as one sentence."""


class StoreError(YongjuError):
    """The store cannot be opened or is in a state Yongju will not touch."""


class StoreTooNewError(StoreError):
    """The store was written by a newer Yongju."""


class NotFoundError(YongjuError):
    """A case, document, profile or slot that does not exist was named."""


class ProfileError(YongjuError):
    """A requirement profile file is broken; the message names the file and the problem."""


class FilingError(YongjuError):
    """A document cannot be filed (or unfiled) as asked."""


class ExportError(YongjuError):
    """A packet could not be written."""


class CancelledError(YongjuError):
    """The user cancelled a long operation."""

    def __init__(self, message: str = "Cancelled.") -> None:
        super().__init__(message)


class StoreDamagedError(StoreError):
    """The store's database is missing, empty or unreadable beside stored files."""


class StoreFullError(StoreError):
    """The disk holding the store is full."""

    @classmethod
    def at(cls, folder: Path) -> StoreFullError:
        return cls(
            f"The disk holding the store {folder} is full; free some space on it and try again."
        )


class StoreReadOnlyError(StoreError):
    """The store cannot be written to (permissions, or a read-only disk)."""

    @classmethod
    def at(cls, folder: Path) -> StoreReadOnlyError:
        return cls(
            f"The store in {folder} is read-only; give yourself write permission on it "
            "(or choose another store with --store) and try again."
        )


class FactError(YongjuError):
    """A case fact that does not exist, or a value it cannot take, was given."""


class DecisionError(YongjuError):
    """A slot cannot be decided as asked (a required slot marked not applicable without reason)."""


class DatabaseError(Exception):
    """SQLite refused an operation on a database of the store (the disk is full, the database
    is read-only, held locked too long, or not a whole database); ``str()`` is SQLite's words.

    Raised by ``core.store`` in place of SQLAlchemy's and ``sqlite3``'s exceptions, so no code
    outside the store needs to know either. It is not a ``YongjuError``: where no sentence is
    better (``core.store.folder.store_problem``), it is reported as unexpected.
    """


class DuplicateDocumentError(YongjuError):
    """The bytes of a document being added are already in the store (another process added
    them a moment before); ``document`` is the one stored."""

    def __init__(self, document: DocumentRecord) -> None:
        super().__init__(f"This file is already in the store as document {document.id}.")
        self.document = document
