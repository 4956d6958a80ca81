"""Real sample files for tests: scans as JPEG/PNG/TIFF/HEIC/WebP, PDFs, and broken ones."""

from __future__ import annotations

import datetime as dt
import functools
import io
import struct
import zlib
from pathlib import Path

import img2pdf
from PIL import Image, ImageDraw

from yongju.core.records import DocumentRecord, MediaType


def document_record(**changes: object) -> DocumentRecord:
    """A document record for tests that need one without a store; ``changes`` override."""
    values: dict[str, object] = {
        "id": 1,
        "sha256": "ab" * 32,
        "media_type": MediaType.PDF,
        "original_name": "scan.pdf",
        "source_path": "",
        "size": 1,
        "pages": 1,
        "width_px": None,
        "height_px": None,
        "dpi": None,
        "encrypted": False,
        "has_text": False,
        "title": "",
        "issued": None,
        "expires": None,
        "notes": "",
        "language": None,
        "legalised": False,
        "suggested_slot": None,
        "imported_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    }
    values.update(changes)
    return DocumentRecord(**values)  # type: ignore[arg-type]


class Samples:
    """Makes files in a folder; every method returns the path it wrote."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._count = 0

    def _path(self, name: str) -> Path:
        self._count += 1
        return self.folder / name

    @staticmethod
    def scan_image(
        width: int = 620, height: int = 877, label: str = "scan", shade: int = 235
    ) -> Image.Image:
        """A small A4-proportioned page with a few text-like lines (distinct per label)."""
        image = Image.new("RGB", (width, height), (shade, shade, shade - 5))
        draw = ImageDraw.Draw(image)
        draw.text((40, 40), label, fill=(20, 20, 20))
        for i, y in enumerate(range(100, height - 60, 36)):
            draw.line(
                (40, y, width - 40 - (i * 37 + len(label) * 11) % 200, y),
                fill=(60, 60, 60),
                width=3,
            )
        return image

    def jpeg_bytes(self, label: str = "scan", width: int = 620, height: int = 877) -> bytes:
        return _jpeg_bytes(label, width, height)

    def jpeg(self, name: str = "scan.jpg", label: str | None = None, **size: int) -> Path:
        path = self._path(name)
        path.write_bytes(self.jpeg_bytes(label or name, **size))
        return path

    def png(self, name: str = "photo.png", label: str | None = None) -> Path:
        path = self._path(name)
        self.scan_image(300, 400, label or name).save(path, "PNG")
        return path

    def webp(self, name: str = "photo.webp") -> Path:
        path = self._path(name)
        self.scan_image(300, 400, name).save(path, "WEBP", lossless=True)
        return path

    def heic(self, name: str = "phone.heic") -> Path:
        import pillow_heif

        path = self._path(name)
        pillow_heif.from_pillow(self.scan_image(320, 420, name)).save(path, quality=80)
        return path

    def tiff(self, name: str = "multi.tif", frames: int = 3) -> Path:
        path = self._path(name)
        images = [self.scan_image(300, 420, f"{name} {i}") for i in range(frames)]
        images[0].save(
            path, "TIFF", save_all=True, append_images=images[1:], compression="tiff_deflate"
        )
        return path

    def pdf_bytes(self, pages: int = 2, label: str = "doc") -> bytes:
        return img2pdf.convert([self.jpeg_bytes(f"{label} p{i + 1}") for i in range(pages)])

    def pdf(self, name: str = "doc.pdf", pages: int = 2, label: str | None = None) -> Path:
        path = self._path(name)
        path.write_bytes(self.pdf_bytes(pages, label or name))
        return path

    def text_pdf(self, name: str, text: str) -> Path:
        """A PDF with a real text layer (for slot suggestions)."""
        from fpdf import FPDF

        pdf = FPDF()
        pdf.add_page()
        pdf.set_font("helvetica", size=14)
        pdf.cell(text=text)
        path = self._path(name)
        pdf.output(str(path))
        return path

    def encrypted_pdf(self, name: str = "locked.pdf", password: str = "secret") -> Path:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(self.pdf_bytes(2, name))))
        writer.encrypt(
            user_password=password, owner_password=password + "-owner", algorithm="AES-256"
        )
        path = self._path(name)
        with path.open("wb") as fh:
            writer.write(fh)
        return path

    def truncated_pdf(self, name: str = "truncated.pdf") -> Path:
        path = self._path(name)
        data = self.pdf_bytes(3, name)
        path.write_bytes(data[: len(data) * 2 // 3])
        return path

    def truncated_jpeg(self, name: str = "partial.jpg") -> Path:
        path = self._path(name)
        data = self.jpeg_bytes(name)
        path.write_bytes(data[: len(data) // 2])
        return path

    def damaged_pdf(self, name: str = "damaged.pdf") -> Path:
        path = self._path(name)
        path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
        return path

    def html_named_pdf(self, name: str = "download.pdf") -> Path:
        path = self._path(name)
        path.write_text(
            "<!DOCTYPE html><html><head><title>Error</title></head>"
            "<body>Session expired</body></html>",
            encoding="utf-8",
        )
        return path

    def empty(self, name: str = "empty.pdf") -> Path:
        path = self._path(name)
        path.write_bytes(b"")
        return path

    def huge_png(self, name: str = "huge.png", side: int = 30000) -> Path:
        """A tiny file whose header claims ``side``×``side`` pixels (a decompression bomb)."""

        def chunk(kind: bytes, data: bytes) -> bytes:
            return (
                struct.pack(">I", len(data))
                + kind
                + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
            )

        row = b"\x00" + b"\x00" * side
        idat = zlib.compress(row * 16, 9)
        data = (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", idat)
            + chunk(b"IEND", b"")
        )
        path = self._path(name)
        path.write_bytes(data)
        return path

    def gif(self, name: str = "anim.gif") -> Path:
        path = self._path(name)
        Image.new("P", (10, 10)).save(path, "GIF")
        return path


@functools.lru_cache(maxsize=1024)
def _jpeg_bytes(label: str, width: int, height: int) -> bytes:
    """A scan's JPEG, drawn and encoded once a process: the same arguments give the same
    bytes (the encoder is deterministic), and a suite asks for the same scans hundreds of
    times."""
    buffer = io.BytesIO()
    Samples.scan_image(width, height, label).save(buffer, "JPEG", quality=80, dpi=(75, 75))
    return buffer.getvalue()
