"""JPEG-compressed TIFF frames as plain baseline JPEGs, losslessly, for DCTDecode passthrough.

libtiff stores a JPEG TIFF as many small strips (8 or 16 rows each), every strip a complete
JPEG scan sharing the tables in the JPEGTables tag. Decoding and re-encoding such a scan
would lose quality (as JPEG) or triple its size (as Flate). Because each strip is whole
MCU rows and starts with its DC predictions reset, the strips can instead be joined into one
JPEG with a restart marker between them (DRI = MCUs per strip): the entropy-coded bytes
are copied unchanged, so the picture is bit-for-bit the same. Anything unusual (tiles,
progressive or arithmetic coding, strips with their own restart intervals or tables, odd
strip heights) returns None, and the caller converts the frame the ordinary way.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SOI, _EOI = b"\xff\xd8", b"\xff\xd9"
_BASELINE = (0xC0, 0xC1)  # sequential Huffman (8- and 12-bit extended)
_STANDALONE = set(range(0xD0, 0xD8)) | {0xD8, 0xD9, 0x01}


@dataclass(frozen=True)
class _Scan:
    tables: list[bytes]  # DQT/DHT segments found in the strip itself
    sof: bytes  # the SOF segment
    sos: bytes  # the SOS segment
    data: bytes  # the entropy-coded bytes, up to (not including) EOI


def _segments(data: bytes) -> tuple[list[tuple[int, bytes]], int] | None:
    """Marker segments up to and including SOS, and where the entropy data starts."""
    if not data.startswith(_SOI):
        return None
    at, found = 2, []
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in _STANDALONE:
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        segment = data[at : at + 2 + length]
        found.append((marker, segment))
        at += 2 + length
        if marker == 0xDA:
            return found, at
    return found, at


def _scan(strip: bytes) -> _Scan | None:
    parsed = _segments(strip)
    if parsed is None:
        return None
    segments, start = parsed
    sof = [s for m, s in segments if 0xC0 <= m <= 0xCF and m not in (0xC4, 0xC8, 0xCC)]
    sos = [s for m, s in segments if m == 0xDA]
    if len(sof) != 1 or sof[0][1] not in _BASELINE or len(sos) != 1:
        return None
    if any(m == 0xDD for m, _ in segments):  # a strip with its own restart interval
        return None
    end = strip.rfind(_EOI)
    if end < start:
        return None
    tables = [s for m, s in segments if m in (0xDB, 0xC4)]
    return _Scan(tables, sof[0], sos[0], strip[start:end])


def _table_segments(jpeg_tables: bytes) -> list[bytes] | None:
    parsed = _segments(jpeg_tables + (b"" if jpeg_tables.endswith(_EOI) else _EOI))
    if parsed is None:
        return None
    return [s for m, s in parsed[0] if m in (0xDB, 0xC4, 0xDD) and m != 0xDD]


def _mcu(sof: bytes) -> tuple[int, int, int, int]:
    """(height, width, MCU height, MCU width) from an SOF segment."""
    height, width, count = struct.unpack(">HHB", sof[5:10])
    factors = [sof[10 + 3 * i + 1] for i in range(count)]
    h_max = max(f >> 4 for f in factors)
    v_max = max(f & 0x0F for f in factors)
    return height, width, 8 * v_max, 8 * h_max


def join_strips(
    strips: list[bytes],
    jpeg_tables: bytes | None,
    height: int,
    rows_per_strip: int,
    adobe_transform: int | None,
) -> bytes | None:
    """One baseline JPEG from a frame's JPEG strips, or None if they cannot be joined."""
    scans = [_scan(strip) for strip in strips]
    if not scans or any(s is None for s in scans):
        return None
    first = scans[0]
    assert first is not None
    tables = _table_segments(jpeg_tables) if jpeg_tables else []
    if tables is None:
        return None
    for scan in scans[1:]:
        assert scan is not None
        if (
            scan.sos != first.sos
            or scan.sof[:5] != first.sof[:5]
            or scan.sof[7:] != first.sof[7:]
            or (scan.tables and scan.tables != first.tables)
        ):
            return None
    _, width, mcu_h, mcu_w = _mcu(first.sof)
    if rows_per_strip % mcu_h or len(strips) != -(-height // rows_per_strip):
        return None
    interval = -(-width // mcu_w) * (rows_per_strip // mcu_h)
    if not 0 < interval <= 0xFFFF:
        return None
    sof = first.sof[:5] + struct.pack(">H", height) + first.sof[7:]
    parts = [_SOI]
    if adobe_transform is not None:  # says how the three components are coded (RGB or YCbCr)
        parts.append(b"\xff\xee\x00\x0eAdobe\x00\x64\x00\x00\x00\x00" + bytes([adobe_transform]))
    parts += [
        *tables,
        *first.tables,
        sof,
        b"\xff\xdd\x00\x04" + struct.pack(">H", interval),
        first.sos,
    ]
    for index, scan in enumerate(scans):
        assert scan is not None
        if index:
            parts.append(bytes([0xFF, 0xD0 + (index - 1) % 8]))
        parts.append(scan.data)
    parts.append(_EOI)
    return b"".join(parts)


def tiff_jpeg_frames(path: Path) -> list[tuple[bytes, tuple[float, float] | None]] | None:
    """Every frame of a JPEG-compressed TIFF as (JPEG bytes, dpi), or None if any frame is
    something else (then the whole file is converted the ordinary way)."""
    from PIL import Image, ImageSequence

    frames: list[tuple[bytes, tuple[float, float] | None]] = []
    with Image.open(path) as image, open(path, "rb") as fh:
        if image.format != "TIFF":
            return None
        for frame in ImageSequence.Iterator(image):
            tags: Any = getattr(frame, "tag_v2", {})
            if tags.get(259) != 7 or 322 in tags or tags.get(284, 1) != 1:
                return None  # not new-style JPEG, tiled, or planar
            photometric = tags.get(262)
            samples = tags.get(277, 1)
            if photometric not in (1, 2, 6) or samples not in (1, 3):
                return None
            offsets, counts = tags.get(273), tags.get(279)
            if not offsets or not counts or len(offsets) != len(counts):
                return None
            strips = []
            for offset, count in zip(offsets, counts, strict=True):
                fh.seek(offset)
                strips.append(fh.read(count))
            height = int(tags.get(257))
            rows = int(tags.get(278, height))
            transform = None if samples == 1 else (0 if photometric == 2 else 1)
            jpeg = join_strips(strips, tags.get(347), height, min(rows, height), transform)
            if jpeg is None:
                return None
            dpi = frame.info.get("dpi")
            frames.append((jpeg, (float(dpi[0]), float(dpi[1])) if dpi else None))
    return frames
