"""Page text: the PDF's own text layer where there is one, else real OCR in a worker process."""

from __future__ import annotations

import socket
import sys
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.recognition import shared_worker
from tests.samples import Samples, document_record
from yongju.core.errors import CancelledError
from yongju.core.reading import ocr
from yongju.core.reading.ocr import OcrError, OcrWorker, TextBox
from yongju.core.reading.pages import TEXT_LAYER_ENGINE, read_pages, rows
from yongju.core.records import MediaType
from yongju.core.rendering import PageRequest, RenderError
from yongju.core.resources import resource_path


def _label_image() -> Image.Image:
    """A date in Chinese, and a Dutch label with its value: on a square page of 736 pixels,
    the size the engine's detection scales a page's shorter side up to. (On a wide strip of
    1240 × 420 pixels, scaled up to 2173 × 736, detection took four times the CPU.)"""
    image = Image.new("RGB", (736, 736), "white")
    draw = ImageDraw.Draw(image)
    cjk = ImageFont.truetype(str(resource_path("fonts") / "NotoSansCJKsc-Regular-subset.otf"), 40)
    draw.text((40, 60), "签发日期：2026年10月2日", font=cjk, fill="black")
    draw.text((40, 200), "Geldig tot", font=cjk, fill="black")
    draw.text((420, 205), "14-05-2031", font=cjk, fill="black")
    return image


def _small_page() -> Image.Image:
    """A year on a small square page: one short line for the engine to recognise (about
    half the CPU of the label's three), for tests whose point is the worker around the
    engine, not what the engine reads."""
    image = Image.new("RGB", (200, 200), "white")
    cjk = ImageFont.truetype(str(resource_path("fonts") / "NotoSansCJKsc-Regular-subset.otf"), 40)
    ImageDraw.Draw(image).text((10, 75), "2026", font=cjk, fill="black")
    return image


@pytest.fixture
def reader(request: pytest.FixtureRequest) -> OcrWorker:
    """The test process's recognition worker, shared with ``yongju read``'s tests (each
    start loads the engine and its models anew: two seconds of CPU)."""
    return shared_worker(request.config)


class _NoOcr:
    def recognise_page(self, request: object) -> list[TextBox]:
        raise AssertionError("a page with a text layer must not be recognised")


def test_a_text_layer_is_used_instead_of_ocr(samples: Samples) -> None:
    path = samples.text_pdf("cert.pdf", "Date of issue: 02.10.2026 Police certificate")
    doc = document_record(media_type=MediaType.PDF, pages=1)
    pages = read_pages(path, doc, None, _NoOcr())
    assert [p.engine for p in pages] == [TEXT_LAYER_ENGINE]
    assert "Date of issue: 02.10.2026" in pages[0].text


def test_rows_put_a_label_and_its_value_on_one_line() -> None:
    boxes = [
        TextBox("14-05-2031", 640, 205, 900, 250, 0.99),
        TextBox("Geldig tot", 60, 200, 300, 252, 0.99),
        TextBox("签发日期", 60, 60, 400, 110, 0.99),
    ]
    assert rows(boxes) == ["签发日期", "Geldig tot   14-05-2031"]


@pytest.mark.slow
def test_a_hung_or_cancelled_page_costs_that_page_only(reader: OcrWorker) -> None:
    # The module's worker: the page read after the two lost ones loads the engine, and the
    # tests below read with that worker (each load is two seconds of CPU).
    reader.timeout = 0.05  # the label takes far longer to read, even with the engine loaded
    try:
        with pytest.raises(OcrError, match="longer than"):
            reader.recognise(_label_image())
        reader.timeout, reader.cancel = 60, lambda: True
        with pytest.raises(CancelledError):
            reader.recognise(_small_page())
        reader.cancel = None
        assert [b.text for b in reader.recognise(_small_page())] == ["2026"]
    finally:
        reader.timeout, reader.cancel = ocr.PAGE_TIMEOUT, None


class _Silent:
    """A worker's end of the pipe that never answers; records how long each look waited."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def poll(self, timeout: float) -> bool:
        self.waits.append(timeout)
        time.sleep(timeout)
        return False


def test_a_cancel_or_a_deadline_is_acted_on_without_a_wait_of_its_own() -> None:
    """A page cancelled before its answer stops at once (it first waited 0.1 s), and a time
    limit shorter than the look for a cancel is kept to, not overrun."""
    worker = OcrWorker(timeout=60)
    worker.cancel = lambda: True
    silent = _Silent()
    with pytest.raises(CancelledError):
        worker._wait(silent)  # type: ignore[arg-type]
    assert silent.waits == [0.0]
    worker.cancel, worker.timeout, silent.waits = None, 0.03, []
    with pytest.raises(OcrError, match="longer than"):
        worker._wait(silent)  # type: ignore[arg-type]
    assert silent.waits[0] == 0.0 and all(0 < w <= 0.03 for w in silent.waits[1:])


@pytest.mark.slow
def test_real_ocr_of_a_scan_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reader: OcrWorker
) -> None:
    # The engine's models come with the package: refuse every connection in this process too.
    monkeypatch.setattr(socket.socket, "connect", ocr._refuse_network)
    path = tmp_path / "scan.png"
    _label_image().save(path)
    doc = document_record(media_type=MediaType.PNG, pages=1)
    pages = read_pages(path, doc, None, reader)
    assert pages[0].engine == "rapidocr" and pages[0].engine_version.startswith("3.")
    assert pages[0].lines == ["签发日期：2026年10月2日", "Geldig tot   14-05-2031"]


def test_the_worker_forbids_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    # What the worker process does first: the OCR test above ran under it and read the page.
    monkeypatch.setattr(socket.socket, "connect", socket.socket.connect)
    monkeypatch.setattr(socket, "create_connection", socket.create_connection)
    monkeypatch.setattr(socket.socket, "connect_ex", socket.socket.connect_ex)
    ocr.forbid_network()
    with pytest.raises(OSError, match="offline"):
        socket.create_connection(("127.0.0.1", 9))
    with socket.socket() as sock, pytest.raises(OSError, match="offline"):
        sock.connect(("127.0.0.1", 9))


@pytest.mark.slow
def test_a_damaged_page_fails_with_its_reason_and_the_worker_reads_on(
    tmp_path: Path, reader: OcrWorker
) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a JPEG")
    good = tmp_path / "good.png"
    _small_page().save(good)
    with pytest.raises(RenderError, match=r"damaged|not an image"):
        reader.recognise_page(PageRequest(broken, MediaType.JPEG, 0, 3508))
    serving = reader._process
    boxes = reader.recognise_page(PageRequest(good, MediaType.PNG, 0, 3508))
    assert reader._process is serving  # the same worker read on: the refusal cost no restart
    assert [b.text for b in boxes] == ["2026"]


@pytest.mark.skipif(sys.platform != "linux", reason="the fork server is the Linux and macOS way")
def test_a_worker_starts_from_the_reading_fork_server(tmp_path: Path) -> None:
    """Not a fresh interpreter: that cost a quarter of a second of CPU before the engine began
    to load, on each start and each restart after a hung page."""
    with OcrWorker(threads=1) as worker:
        with pytest.raises(RenderError):  # an answer: the worker is up and serving
            worker.recognise_page(PageRequest(tmp_path / "missing.png", MediaType.PNG, 0, 3508))
        assert worker._process is not None
        assert worker._process._start_method == "forkserver"


def test_a_worker_told_to_stop_ends_at_once(reader: OcrWorker) -> None:
    # Not marked slow: it runs after the slow tests, and stops the worker they shared.
    assert [b.text for b in reader.recognise(_small_page())] == ["2026"]  # the engine loaded
    serving = reader._process
    reader.close()
    # It ends at once (no interpreter teardown: the engine's took up to 1.6 s) and well.
    assert serving is not None and not serving.is_alive() and serving.exitcode == 0


def test_the_engine_reads_each_of_its_config_files_once_while_it_loads(tmp_path: Path) -> None:
    from omegaconf import OmegaConf

    path = tmp_path / "models.yaml"
    path.write_text("det: {model: a.onnx}\n", encoding="utf-8")
    with ocr._each_config_read_once():
        first = OmegaConf.load(path)
        assert OmegaConf.load(str(path)) is first and first.det.model == "a.onnx"
    again = OmegaConf.load(path)  # as before, once the engine is loaded
    assert again is not first and again == first


def test_a_huge_image_is_scaled_down_before_recognition() -> None:
    # Just past the limit: 13 million pixels (grey: a third of the scaling's work in colour)
    big = Image.new("L", (3600, 3600), "white")
    small = ocr.bounded(big)
    assert small.width * small.height <= ocr.MAX_PIXELS
    assert small.width == small.height


@pytest.mark.slow
def test_the_worker_ends_quietly_when_its_parent_goes(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    import os
    import signal

    worker = OcrWorker(threads=1)
    with pytest.raises(RenderError):  # an answer: the worker is up and serving
        worker.recognise_page(PageRequest(tmp_path / "missing.png", MediaType.PNG, 0, 3508))
    connection, process = worker._connection, worker._process
    assert connection is not None and process is not None
    os.kill(process.pid, signal.SIGINT)  # Ctrl+C in the terminal: the parent decides, not it
    # A page it answers without loading the engine (two seconds): what is tested is the
    # answer finding no parent, not the reading.
    connection.send(PageRequest(tmp_path / "gone.png", MediaType.PNG, 0, 3508))
    connection.close()  # the parent is gone before the answer
    process.join(120)
    worker._process = worker._connection = None
    assert process.exitcode == 0
    assert "Traceback" not in capfd.readouterr().err
