"""A JPEG without its metadata: the compressed image kept byte for byte, what does not print
(EXIF with the camera and GPS position, XMP, comments, Photoshop data, appended images and
videos) dropped.

Only whole marker segments are dropped. Kept: everything decoding needs (tables, frame and
scan headers, restart intervals, the entropy-coded data) and the segments that change how
the pixels are decoded or shown: JFIF (APP0, density), ICC profile (APP2) and Adobe (APP14,
the colour transform). Anything after the image's end marker (a phone's second picture,
depth map or motion-photo video) is dropped too. A JPEG that does not parse is left as it is.
"""

from __future__ import annotations

import re
import struct

_SOI, _EOI = b"\xff\xd8", b"\xff\xd9"
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM and restart markers: no length
_COM = 0xFE
_SOS = 0xDA
# A marker inside entropy-coded data: 0xFF followed by neither stuffing (00), a restart
# marker (D0–D7) nor another fill byte.
_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def _kept(marker: int, body: bytes) -> bool:
    if marker == _COM:
        return False
    if not 0xE0 <= marker <= 0xEF:
        return True  # not an application segment: decoding needs it
    if marker == 0xE0:
        return body.startswith(b"JFIF\x00")  # not JFXX (a thumbnail)
    if marker == 0xE2:
        return body.startswith(b"ICC_PROFILE\x00")  # not MPF (more pictures)
    if marker == 0xEE:
        return body.startswith(b"Adobe")
    return False  # EXIF and XMP (APP1), Photoshop/IPTC (APP13), maker data…


def without_metadata(data: bytes) -> bytes:
    """``data`` with its metadata segments and trailing data dropped (see the module)."""
    if not data.startswith(_SOI):
        return data
    parts = [_SOI]
    at = 2
    dropped = False
    try:
        while True:
            while data[at] == 0xFF and data[at + 1] == 0xFF:  # fill bytes before a marker
                at += 1
            if data[at] != 0xFF:
                return data
            marker = data[at + 1]
            if marker == 0xD9:  # EOI
                parts.append(_EOI)
                break
            if marker in _STANDALONE:
                parts.append(data[at : at + 2])
                at += 2
                continue
            (length,) = struct.unpack(">H", data[at + 2 : at + 4])
            end = at + 2 + length
            if length < 2 or end > len(data):
                return data
            if _kept(marker, data[at + 4 : end]):
                parts.append(data[at:end])
            else:
                dropped = True
            at = end
            if marker == _SOS:  # entropy-coded data up to the next marker
                found = _MARKER.search(data, at)
                if found is None:
                    return data
                parts.append(data[at : found.start()])
                at = found.start()
    except (IndexError, struct.error):
        return data
    if at + 2 < len(data):
        dropped = True
    return b"".join(parts) if dropped else data


def needs_cleaning(head: bytes, tail: bytes) -> bool:
    """Whether a JPEG, judged by its first bytes (64 kB are plenty) and its last two, has
    anything ``without_metadata`` would drop: a metadata segment before the image data, or
    data after its end marker. (A second picture after the end is announced by an MPF
    segment in the head.) Cheap, so that clean scans are copied without being read."""
    if not head.startswith(_SOI):
        return False
    if tail != _EOI:
        return True
    at = 2
    try:
        while True:
            while head[at] == 0xFF and head[at + 1] == 0xFF:
                at += 1
            if head[at] != 0xFF:
                return False
            marker = head[at + 1]
            if marker in _STANDALONE:
                at += 2
                continue
            if marker in (_SOS, 0xD9):
                return False
            (length,) = struct.unpack(">H", head[at + 2 : at + 4])
            if not _kept(marker, head[at + 4 : at + 2 + length]):
                return True
            at += 2 + length
    except (IndexError, struct.error):
        return True  # the head ends before the image data: read it all and see
