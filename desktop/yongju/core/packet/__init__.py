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
    "build_packet",
    "export_case",
    "export_packet",
]


def __getattr__(attribute: str) -> object:
    """``export_packet`` (alias ``export_case``) and ``build_packet`` load the PDF libraries
    only when first used, so importing the options stays cheap."""
    if attribute in ("export_packet", "export_case"):
        from yongju.core.packet.case import export_packet

        return export_packet
    if attribute == "build_packet":
        from yongju.core.packet.engine import build_packet

        return build_packet
    raise AttributeError(f"module 'yongju.core.packet' has no attribute {attribute!r}")
