"""A streaming PDF writer: objects go to disk as they are copied, so memory stays flat.

pikepdf copies foreign pages by reading every stream into memory first (it sets qpdf's
"immediate copy"), and pypdf's ``PdfWriter`` holds every input until ``write()``: both peak
at about the packet's size. This writer instead copies one source document at a time,
writing each object (raw stream bytes untouched: JPEG scans stay byte-identical) as soon as
it is reached, then lets the source go. Only a table of offsets stays in memory.

Copying is an allow-list by construction: only what page resources reach is written, and
dictionaries lose any key that can carry an action, script or attached file.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

import pikepdf

from yongju.core.packet.jpegmeta import needs_cleaning, without_metadata

# Keys never carried over from an input: actions, scripts, attachments, forms, annotations,
# and metadata that does not print (XMP, application data, prepress links to other files).
_DROPPED_KEYS = frozenset(
    {
        "/A",
        "/AA",
        "/Metadata",
        "/PieceInfo",
        "/LastModified",
        "/OPI",
        "/Ref",  # a reference XObject: content from another file (its own drawing prints)
        "/OpenAction",
        "/JS",
        "/JavaScript",
        "/Launch",
        "/URI",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/EF",
        "/FileAttachment",
        "/AcroForm",
        "/Annots",
        "/Names",
        "/Parent",
        "/StructParent",
        "/StructParents",
        "/Thread",
        "/Threads",
    }
)
# Streams also lose the keys that make their data an external file.
_DROPPED_STREAM_KEYS = _DROPPED_KEYS | {"/Length", "/F", "/FFilter", "/FDecodeParms"}
# Dictionary values that are themselves actions, files, annotations or pages become null.
_DROPPED_TYPES = frozenset(
    {
        b"/Action",
        b"/Filespec",
        b"/EmbeddedFile",
        b"/Annot",
        b"/Page",
        b"/Pages",
        b"/Catalog",
        b"/Metadata",
    }
)
# Every action type of PDF 2.0 (an action dictionary need not say /Type /Action).
_DROPPED_ACTIONS = frozenset(
    {
        b"/GoTo",
        b"/GoToR",
        b"/GoToE",
        b"/GoToDp",
        b"/Launch",
        b"/Thread",
        b"/URI",
        b"/Sound",
        b"/Movie",
        b"/Hide",
        b"/Named",
        b"/SubmitForm",
        b"/ResetForm",
        b"/ImportData",
        b"/JavaScript",
        b"/SetOCGState",
        b"/Rendition",
        b"/Trans",
        b"/GoTo3DView",
        b"/RichMediaExecute",
    }
)


def object_type(obj: pikepdf.Object) -> pikepdf.ObjectType:
    """The type of a pikepdf object, read from pikepdf's private ``_type_code``.

    Why the private attribute: pikepdf has no public accessor for an object's type. The
    public route is a chain of ``isinstance`` checks (``pikepdf.Dictionary``, ``Stream``,
    ``Array``, ``Name``, ``String``, ``Operator``), each going through a metaclass that
    reads ``_type_code`` itself; the copier asks the type of every object of every input,
    so it reads it once. (pikepdf 10 hands null, booleans and numbers over as Python values.)
    This is the only place Yongju touches pikepdf's internals: pyproject bounds pikepdf below
    its next major version, and ``tests/core/test_pdfwriter.py`` checks this helper on real
    objects of every type, so a pikepdf that changes it fails the suite, not an export.
    """
    return obj._type_code


@dataclass(frozen=True)
class FileRange:
    """Bytes of an open source file, copied into the output without passing through Python."""

    fd: int
    offset: int
    length: int


class Sink(Protocol):
    """Where the writer's bytes go."""

    def write(self, data: bytes) -> int: ...

    def copy_range(self, source: FileRange) -> None: ...


@dataclass(frozen=True)
class Ref:
    """An indirect reference to an object of the output file."""

    num: int

    def pdf(self) -> bytes:
        return b"%d 0 R" % self.num


@dataclass(frozen=True)
class Raw:
    """PDF syntax written verbatim (a name or a pre-formatted token)."""

    text: bytes


def name(value: str) -> Raw:
    """A PDF name from plain text such as ``"Page"``."""
    return Raw(pikepdf.Name("/" + value.lstrip("/")).unparse())


def text_string(value: str) -> Raw:
    """A PDF text string (UTF-16 when needed) from Python text."""
    return Raw(pikepdf.String(value).unparse())


def _number(value: float | int | Decimal) -> bytes:
    if isinstance(value, int):
        return b"%d" % value
    return format_number(float(value))


def format_number(value: float) -> bytes:
    """A real as PDF syntax (no exponent): four decimals, more for small values so that
    the scale of a huge page (1e-4 and below) keeps four significant digits."""
    if not math.isfinite(value):
        value = 0.0
    digits = 4
    if 0 < abs(value) < 1:
        digits = min(12, 4 - math.floor(math.log10(abs(value))))
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return (text if text not in ("", "-0") else "0").encode("ascii")


def serialize(value: Any) -> bytes:
    """Our own values (dict, list, number, Ref, Raw, bool, None) as PDF syntax."""
    if isinstance(value, Ref | Raw):
        return value.pdf() if isinstance(value, Ref) else value.text
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, int | float | Decimal):
        return _number(value)
    if value is None:
        return b"null"
    if isinstance(value, dict):
        parts = [b"<<"]
        for key, item in value.items():
            parts.append(name(key).text + b" " + serialize(item))
        parts.append(b">>")
        return b" ".join(parts)
    if isinstance(value, list | tuple):
        return b"[" + b" ".join(serialize(v) for v in value) + b"]"
    raise TypeError(f"cannot write {type(value).__name__} into a PDF")


class PdfStreamWriter:
    """Writes a PDF front to back: objects first, then the page tree, catalog and xref."""

    def __init__(self, out: Sink) -> None:
        self._out = out
        self._offsets: dict[int, int] = {}
        self._next = 1
        self._pos = 0
        self._write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._pos += len(data)

    def reserve(self) -> Ref:
        """A number for an object that will be written later."""
        ref = Ref(self._next)
        self._next += 1
        return ref

    def write_object(self, value: Any, ref: Ref | None = None) -> Ref:
        """Writes one non-stream object (our own values)."""
        ref = ref or self.reserve()
        self._offsets[ref.num] = self._pos
        self._write(b"%d 0 obj\n" % ref.num + serialize(value) + b"\nendobj\n")
        return ref

    def write_stream(
        self, data: bytes, entries: dict[str, Any] | None = None, ref: Ref | None = None
    ) -> Ref:
        """Writes one stream, uncompressed; ``entries`` are its dictionary apart from /Length."""
        return self.write_raw_stream(serialize({**(entries or {}), "Length": len(data)}), data, ref)

    def write_raw_stream(self, head: bytes, data: bytes | FileRange, ref: Ref | None = None) -> Ref:
        """Writes a stream whose dictionary is already PDF syntax (with its /Length)."""
        ref = ref or self.reserve()
        self._offsets[ref.num] = self._pos
        self._write(b"%d 0 obj\n" % ref.num + head + b"\nstream\n")
        if isinstance(data, FileRange):
            self._out.copy_range(data)
            self._pos += data.length
        else:
            self._write(data)
        self._write(b"\nendstream\nendobj\n")
        return ref

    def copier(self, raw_reader: RawReader | None = None) -> ObjectCopier:
        """A copier for one source document (its object numbers map to ours)."""
        return ObjectCopier(self, raw_reader)

    def finish(
        self,
        pages: Sequence[Ref],
        pages_ref: Ref,
        catalog: dict[str, Any],
        info: dict[str, Any],
        file_id: bytes,
    ) -> None:
        """Writes the page tree, catalog, info, cross-reference table and trailer."""
        self.write_object(
            {"Type": name("Pages"), "Kids": list(pages), "Count": len(pages)}, pages_ref
        )
        root = self.write_object({"Type": name("Catalog"), "Pages": pages_ref, **catalog})
        info_ref = self.write_object(info)
        xref_at = self._pos
        size = self._next
        lines = [b"xref\n0 %d\n" % size, b"0000000000 65535 f \n"]
        for num in range(1, size):
            offset = self._offsets.get(num)
            lines.append(
                b"%010d 00000 n \n" % offset if offset is not None else b"0000000000 65535 f \n"
            )
        self._write(b"".join(lines))
        ident = Raw(b"<" + file_id.hex().encode("ascii") + b">")
        trailer = {"Size": size, "Root": root, "Info": info_ref, "ID": [ident, ident]}
        self._write(b"trailer\n" + serialize(trailer) + b"\nstartxref\n%d\n%%%%EOF\n" % xref_at)


RawReader = Callable[[pikepdf.Object], FileRange | None]


class ObjectCopier:
    """Copies objects of one pikepdf document into the writer, each indirect object once.

    ``raw_reader`` may fetch a stream's raw bytes straight from the source file (several
    times faster than going through qpdf); when it returns None, pikepdf reads them.
    """

    def __init__(self, writer: PdfStreamWriter, raw_reader: RawReader | None = None) -> None:
        self._writer = writer
        self._raw_reader = raw_reader
        self._refs: dict[tuple[int, int], Ref] = {}
        self._pending: list[tuple[pikepdf.Object, Ref]] = []

    def ref_for(self, obj: pikepdf.Object) -> Ref:
        """The output reference of an indirect source object, queued for writing."""
        key = obj.objgen
        ref = self._refs.get(key)
        if ref is None:
            ref = self._writer.reserve()
            self._refs[key] = ref
            self._pending.append((obj, ref))
        return ref

    def value(self, obj: Any) -> bytes:
        """A source value as PDF syntax, indirect objects replaced by references."""
        if not isinstance(obj, pikepdf.Object):
            if isinstance(obj, bool):
                return b"true" if obj else b"false"
            if obj is None:
                return b"null"
            return _number(obj)
        if obj.is_indirect:
            # A reference to a missing object reads as null (as in every reader).
            if object_type(obj) == pikepdf.ObjectType.null or _is_dropped(obj):
                return b"null"
            return self.ref_for(obj).pdf()
        return self.direct(obj)

    def direct(self, obj: pikepdf.Object) -> bytes:
        """A source object written out in place (its own indirect children referenced).

        One Python frame per level of nesting (qpdf allows 500), so deep arrays of a fuzzed
        file cannot exhaust the interpreter's stack.
        """
        code = object_type(obj)
        if code == pikepdf.ObjectType.dictionary or code == pikepdf.ObjectType.stream:
            if _is_dropped(obj):
                return b"null"
            dropped = _DROPPED_STREAM_KEYS if code == pikepdf.ObjectType.stream else _DROPPED_KEYS
            parts = [b"<<"]
            for key in obj.keys():  # noqa: SIM118 - pikepdf objects need keys()
                if key in dropped:
                    continue
                item = _lookup(obj, key)
                if isinstance(item, pikepdf.Object) and not item.is_indirect:
                    text = self.direct(item)
                else:
                    text = self.value(item)
                parts.append(name_token(key) + b" " + text)
            parts.append(b">>")
            return b" ".join(parts)
        if code == pikepdf.ObjectType.array:
            items = []
            for item in obj:
                if isinstance(item, pikepdf.Object) and not item.is_indirect:
                    items.append(self.direct(item))
                else:
                    items.append(self.value(item))
            return b"[" + b" ".join(items) + b"]"
        if code in _SCALARS:
            # resolved=True: an indirect scalar unparses as the source's "N G R" otherwise,
            # which would point at an unrelated object of the packet.
            return bytes(obj.unparse(resolved=True))
        # Operators and inline images live only in parsed content streams, never in the
        # object graph; anything else unknown (and null) is written as null, never guessed at.
        return b"null"

    def copy_pending(self) -> None:
        """Writes every queued object (and what they reach) to the output."""
        while self._pending:
            obj, ref = self._pending.pop()
            if object_type(obj) == pikepdf.ObjectType.stream:
                found = self._raw_reader(obj) if self._raw_reader is not None else None
                data: bytes | FileRange = obj.read_raw_bytes() if found is None else found
                if obj.get("/Filter") == "/DCTDecode":
                    data = _jpeg_without_metadata(data)
                length = data.length if isinstance(data, FileRange) else len(data)
                head = self.direct(obj)
                self._writer.write_raw_stream(head[:-2] + b" /Length %d >>" % length, data, ref)
            else:
                self._writer.write_object(Raw(self.direct(obj)), ref)


def _jpeg_without_metadata(data: bytes | FileRange) -> bytes | FileRange:
    """A JPEG's bytes without EXIF, XMP, comments or appended data (see ``jpegmeta``); a
    clean one in a file stays a range the kernel copies."""
    if isinstance(data, FileRange):
        head = os.pread(data.fd, min(data.length, 1 << 16), data.offset)
        tail = os.pread(data.fd, 2, data.offset + max(0, data.length - 2))
        if not needs_cleaning(head, tail):
            return data
        data = os.pread(data.fd, data.length, data.offset)
    return without_metadata(data)


_SCALARS = frozenset(
    {
        pikepdf.ObjectType.boolean,
        pikepdf.ObjectType.integer,
        pikepdf.ObjectType.real,
        pikepdf.ObjectType.string,
        pikepdf.ObjectType.name_,
    }
)
# Bytes that must be written #xx inside a name: delimiters, '#', whitespace, non-ASCII.
_NAME_ESCAPED = frozenset(b"#()<>[]{}/%") | frozenset(range(0x21)) | frozenset(range(0x7F, 0x100))
_name_tokens: dict[str, bytes] = {}


def name_token(key: str) -> bytes:
    """A dictionary key (as pikepdf gives it, with a leading slash) as a PDF name token.

    pikepdf hands keys that are not UTF-8 (a damaged or fuzzed file) back with surrogate
    escapes, which ``pikepdf.Name`` refuses; the original bytes are recovered and escaped.
    """
    token = _name_tokens.get(key)
    if token is None:
        raw = (
            key[1:].encode("utf-8", "surrogateescape")
            if key.startswith("/")
            else key.encode("utf-8", "surrogateescape")
        )
        token = b"/" + b"".join(
            b"#%02x" % byte if byte in _NAME_ESCAPED else bytes((byte,)) for byte in raw
        )
        if len(_name_tokens) < 4096:
            _name_tokens[key] = token
    return token


def _lookup(obj: pikepdf.Object, key: str) -> Any:
    """``obj[key]``, also for keys that are not UTF-8 (looked up by their original bytes)."""
    try:
        return obj.get(key)
    except (TypeError, UnicodeError):
        # Object.parse makes a Name from the escaped bytes (typed as a plain Object).
        return obj.get(pikepdf.Object.parse(name_token(key)))  # type: ignore[call-overload]


def _is_dropped(obj: pikepdf.Object) -> bool:
    """True for dictionaries that are actions, file specifications, annotations or pages
    (a page reached from resources would drag its whole document along)."""
    if object_type(obj) not in (pikepdf.ObjectType.dictionary, pikepdf.ObjectType.stream):
        return False
    return _name_bytes(obj.get("/Type")) in _DROPPED_TYPES or (
        _name_bytes(obj.get("/S")) in _DROPPED_ACTIONS
    )


def _name_bytes(value: Any) -> bytes | None:
    """A name value as its PDF token (compared as bytes: a damaged name need not be UTF-8)."""
    if isinstance(value, pikepdf.Object) and object_type(value) == pikepdf.ObjectType.name_:
        return bytes(value.unparse(resolved=True))
    return None
