"""Does a file look completely written? Cheap checks of each format's end marker.

These checks only ever delay an import (a file that looks cut off is retried until it has
been left alone for the settle time); the importer alone decides whether a file is refused.
"""

from __future__ import annotations

import os
import re
import struct
from enum import Enum
from pathlib import Path
from typing import BinaryIO

_TAIL = 2048
# The first bytes of every accepted format: a file holding less may be any of them.
_MAGICS = (b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF", b"II*\x00", b"MM\x00*")
_LINEARIZED = re.compile(rb"/Linearized\s.{0,200}?/L\s+(\d+)", re.DOTALL)


class Completeness(Enum):
    COMPLETE = "complete"  # the format's end marker is there: a refusal is final at once
    INCOMPLETE = "incomplete"  # cut off (or nothing written yet): wait for more bytes
    UNKNOWN = "unknown"  # the format has no end marker: a refusal may mean "not finished"
    FOREIGN = "foreign"  # not a format Yongju accepts: the importer will say so


def check_complete(path: Path) -> tuple[Completeness, str]:
    """The verdict for ``path`` and, unless complete, why."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        head = handle.read(1024)
        handle.seek(max(0, size - _TAIL))
        tail = handle.read(_TAIL)
        if size == 0:
            return Completeness.INCOMPLETE, "the file is empty so far"
        if not head.strip(b"\x00"):
            return Completeness.INCOMPLETE, "nothing has been written into the file yet"
        if len(head) < 16 and _may_become_accepted(head):
            return Completeness.INCOMPLETE, f"only {size} bytes have been written so far"
        if b"%PDF-" in head:
            return _pdf(head, tail, size)
        if head.startswith(b"\xff\xd8\xff"):
            return _jpeg(tail)
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return _png(tail)
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return _riff(head, tail, size)
        if head[:4] in (b"II*\x00", b"MM\x00*"):
            return _tiff(head, size)
        if head[4:8] == b"ftyp":
            return _boxes(handle, size)
    return Completeness.FOREIGN, "not a PDF or image file"


def _may_become_accepted(head: bytes) -> bool:
    """A file of a few bytes is the start of an accepted format, written further soon."""
    if any(m.startswith(head[: len(m)]) for m in _MAGICS):
        return True
    return len(head) < 12 and b"ftyp".startswith(head[4:8])  # HEIF: size, then "ftyp"


def _pdf(head: bytes, tail: bytes, size: int) -> tuple[Completeness, str]:
    # A linearized ("fast web view") PDF states its length up front, and has a first %%EOF
    # near the start: a file cut anywhere after that would otherwise look whole.
    linearized = _LINEARIZED.search(head)
    if linearized and int(linearized.group(1)) > size:
        return Completeness.INCOMPLETE, (
            f"the PDF declares {int(linearized.group(1))} bytes, {size} are there so far"
        )
    if not tail[-16:].strip(b"\x00"):  # a copy that reserved the space first (SMB, Windows)
        return Completeness.INCOMPLETE, "the end of the PDF is not written yet"
    end = tail.rfind(b"%%EOF")
    if end >= 0 and len(tail[end + 5 :].strip(b"\r\n\t \x0c")) <= 1024:
        return Completeness.COMPLETE, ""
    return Completeness.INCOMPLETE, "the PDF has no end-of-file marker yet"


def _jpeg(tail: bytes) -> tuple[Completeness, str]:
    stripped = tail.rstrip(b"\x00")
    if stripped.endswith(b"\xff\xd9"):
        return Completeness.COMPLETE, ""
    if b"\xff\xd9" in tail:
        return Completeness.UNKNOWN, "the JPEG has data after its end marker"
    return Completeness.INCOMPLETE, "the JPEG has no end marker yet"


def _png(tail: bytes) -> tuple[Completeness, str]:
    if b"IEND" in tail[-64:]:
        return Completeness.COMPLETE, ""
    return Completeness.INCOMPLETE, "the PNG has no end chunk yet"


def _riff(head: bytes, tail: bytes, size: int) -> tuple[Completeness, str]:
    (declared,) = struct.unpack("<I", head[4:8])
    if not tail[-16:].strip(b"\x00"):  # a copy that reserved the space first (SMB, Windows)
        return Completeness.INCOMPLETE, "the end of the file is not written yet"
    if declared + 8 <= size:
        return Completeness.COMPLETE, ""
    return Completeness.INCOMPLETE, f"the WebP declares {declared + 8} bytes, {size} are there"


def _tiff(head: bytes, size: int) -> tuple[Completeness, str]:
    order = "<" if head[:2] == b"II" else ">"
    (first_ifd,) = struct.unpack(order + "I", head[4:8])
    if first_ifd + 2 > size:  # many writers put the directory last
        return Completeness.INCOMPLETE, "the TIFF's page directory is not written yet"
    return Completeness.UNKNOWN, "a TIFF has no end marker"


def _boxes(handle: BinaryIO, size: int) -> tuple[Completeness, str]:
    """HEIF/AVIF: the top-level boxes must add up to the file's size."""
    offset = 0
    for _ in range(10_000):
        if offset == size:
            return Completeness.COMPLETE, ""
        handle.seek(offset)
        header = handle.read(16)
        if len(header) < 8:
            break
        (length,) = struct.unpack(">I", header[:4])
        if length == 1 and len(header) == 16:
            (length,) = struct.unpack(">Q", header[8:16])
        elif length == 0:  # "to the end of the file"
            return Completeness.UNKNOWN, "the last box runs to the end of the file"
        if length < 8:
            return Completeness.UNKNOWN, "the file's boxes are not well formed"
        offset += length
    return Completeness.INCOMPLETE, "the image's last box is not fully written yet"
