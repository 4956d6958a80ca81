"""The packet: a case exported as one ordered, print-ready A4 PDF with its manifest."""

from yongju.core.packet.model import (
    CoverInfo,
    ManifestRange,
    PacketDocument,
    PacketOptions,
    PacketResult,
    PacketSection,
)

__all__ = [
    "CoverInfo",
    "ManifestRange",
    "PacketDocument",
    "PacketOptions",
    "PacketResult",
    "PacketSection",
]
