"""File names as text a person (and the database) can take.

On Linux a file name is bytes; Python shows bytes that are not UTF-8 as lone surrogates
(``surrogateescape``), which SQLite, log files and terminals refuse. Names are stored and
shown with such bytes written as ``\\xff``, and printed with control characters (a newline,
a terminal escape) written out, so a file name can never forge a line or recolour a screen.
"""

from __future__ import annotations

import unicodedata

# Bidirectional overrides and isolates: a name could show its letters in another order.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def displayable(text: str) -> str:
    """``text`` with bytes that were not UTF-8 written as ``\\xNN`` (valid UTF-8 after)."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def printable(text: str) -> str:
    """``displayable(text)`` with control characters written out (``\\n``, ``\\x1b``)."""
    shown = displayable(text)
    if shown.isprintable():
        return shown
    return "".join(_escaped(char) for char in shown)


def _escaped(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    if unicodedata.category(char) == "Cc" or char in _BIDI_CONTROLS:
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return char
