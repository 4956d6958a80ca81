"""Errors a user can cause, each with a message a person understands (never a traceback)."""

from __future__ import annotations


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


class FactError(YongjuError):
    """A case fact that does not exist, or a value it cannot take, was given."""


class DecisionError(YongjuError):
    """A slot cannot be decided as asked (a required slot marked not applicable without reason)."""
