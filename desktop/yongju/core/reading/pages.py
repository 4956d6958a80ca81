"""The text of each page of a stored document: its PDF text layer, else recognised text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Protocol

from yongju.core.pdfium import PDFIUM_LOCK
from yongju.core.reading.ocr import ENGINE_NAME, TextBox, engine_version
from yongju.core.records import DocumentRecord, MediaType
from yongju.core.rendering import PageRequest, RenderError
from yongju.core.sandbox import Sandbox, TooComplexError

OCR_LONG_EDGE = 3508  # pixels: an A4 page at 300 dpi (a 600-dpi scan is scaled down to it)
TEXT_LAYER_ENGINE = "pdfium text layer"
_MIN_TEXT_CHARS = 16  # fewer visible characters: a scan with a stray text object, not text


class Recogniser(Protocol):
    """What reading needs from an OCR engine (``OcrWorker``, or a fake of the OS edge):
    the text boxes of a stored page, which it renders itself."""

    def recognise_page(self, request: PageRequest) -> list[TextBox]: ...


class PageSource(Protocol):
    """Where a PDF's text layer is read (this process, or a sandbox)."""

    def text_layer(self, path: Path, password: str | None) -> list[str]: ...


class InProcessPages:
    """Reads text layers in this process (files Yongju made itself, tests)."""

    def text_layer(self, path: Path, password: str | None) -> list[str]:
        return text_layer(path, password)


class SandboxedPages:
    """Reads the text layers of stored (untrusted) PDFs in a worker process bounded in
    memory and time, as thumbnails are: a hostile file costs its own reading."""

    def __init__(self) -> None:
        self._sandbox = Sandbox(preload=("yongju.core.reading.pages",))

    def text_layer(self, path: Path, password: str | None) -> list[str]:
        size = path.stat().st_size if path.exists() else 0
        try:
            return self._sandbox.run(text_layer, path, password, size=size)
        except TooComplexError as exc:
            raise RenderError(str(exc)) from None

    def close(self) -> None:
        self._sandbox.close()

    def __enter__(self) -> SandboxedPages:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class PageText:
    """The text of one page (0-based ``index``), lines separated by newlines."""

    index: int
    text: str
    engine: str  # "rapidocr" or "pdfium text layer"
    engine_version: str

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


def text_layer(path: Path, password: str | None) -> list[str]:
    """Each page's text layer ("" where a page has none worth reading)."""
    import pypdfium2 as pdfium

    texts: list[str] = []
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(path, password=password or None)
        try:
            for index in range(len(document)):
                page = document[index]
                try:
                    textpage = page.get_textpage()
                    try:
                        text = str(textpage.get_text_bounded())
                    finally:
                        textpage.close()
                finally:
                    page.close()
                visible = sum(1 for c in text if not c.isspace())
                texts.append(text.replace("\r\n", "\n") if visible >= _MIN_TEXT_CHARS else "")
        finally:
            document.close()
    return texts


def rows(boxes: Sequence[TextBox]) -> list[str]:
    """Text boxes grouped into lines as a reader sees them: top to bottom, left to right.

    Boxes whose vertical middles fall within one another's height share a line, so a label
    and the value printed to its right ("Date of issue   02.10.2026") end up together.
    """
    ordered = sorted(boxes, key=lambda b: (b.top + b.bottom) / 2)
    lines: list[list[TextBox]] = []
    for box in ordered:
        middle = (box.top + box.bottom) / 2
        if lines:
            last = lines[-1]
            top = sum(b.top for b in last) / len(last)
            bottom = sum(b.bottom for b in last) / len(last)
            if top <= middle <= bottom:
                last.append(box)
                continue
        lines.append([box])
    return ["   ".join(b.text for b in sorted(line, key=lambda b: b.left)) for line in lines]


def page_image_request(
    path: Path, document: DocumentRecord, index: int, password: str | None
) -> PageRequest:
    """How to render page ``index`` for recognition: 300 dpi on A4, the user's rotation."""
    return PageRequest(
        path=path,
        media_type=MediaType(document.media_type),
        page=index,
        size=OCR_LONG_EDGE,
        rotation=document.page(index).rotation,
        password=password or "",
    )


def read_pages(
    path: Path,
    document: DocumentRecord,
    password: str | None,
    recogniser: Recogniser,
    *,
    source: PageSource | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> list[PageText]:
    """Every page's text: the text layer where the PDF has one, else recognised text.

    ``progress(done, total)`` hears about each page; ``cancel()`` is asked before each and
    stops the reading (the pages read so far are returned).
    """
    source = source or InProcessPages()
    layer: list[str] = []
    if document.media_type is MediaType.PDF:
        layer = source.text_layer(path, password)
    layer_version = metadata.version("pypdfium2")
    pages: list[PageText] = []
    for index in range(document.pages):
        if cancel is not None and cancel():
            break
        if index < len(layer) and layer[index]:
            pages.append(PageText(index, layer[index], TEXT_LAYER_ENGINE, layer_version))
        else:
            request = page_image_request(path, document, index, password)
            text = "\n".join(rows(recogniser.recognise_page(request)))
            pages.append(PageText(index, text, ENGINE_NAME, engine_version()))
        if progress is not None:
            progress(index + 1, document.pages)
    return pages
