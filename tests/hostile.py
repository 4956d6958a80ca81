"""Small files that cost a reader gigabytes: built here, never stored in the repository."""

from __future__ import annotations

import zlib
from pathlib import Path

OPERATOR = b"(a) Tj "


def refuse(message: str) -> None:
    """Refuses a file, as an inspection does: for a sandbox's worker to run. (Here, not in a
    test module, which the worker would import to find it: building that module's sample
    files took a second of CPU.)"""
    from yongju.core.inspection import RefusedFile

    raise RefusedFile(message)


def operator_bomb_pdf(path: Path, operators: int = 40_000_000) -> Path:
    """A one-page PDF whose content stream holds ``operators`` text-showing operators.

    With the default, about 400 KB on disk; PDFium grows past 20 GB parsing its page (the
    file of issue 9: 467 KB, 23.7 GB). The stream is deflated chunk by chunk, so making it
    takes a second and little memory.
    """
    deflate = zlib.compressobj(9)
    stream = bytearray(deflate.compress(b"BT /F1 1 Tf "))
    chunk = 1_000_000
    piece = OPERATOR * chunk
    for _ in range(operators // chunk):
        stream += deflate.compress(piece)
    stream += deflate.compress(OPERATOR * (operators % chunk) + b"ET")
    stream += deflate.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
        + bytes(stream)
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path
