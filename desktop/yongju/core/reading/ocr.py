"""Text recognition with RapidOCR (PP-OCR models shipped in its wheel), in a worker process.

The engine is loaded only here, never at start-up. It runs in a separate process so that a
crash or a hang inside the native code costs one page, not the window: a page that takes
longer than ``PAGE_TIMEOUT`` seconds kills the worker, which is started again for the next.
The worker renders the page itself from the stored file (an untrusted file, parsed there
under a memory cap), so no page image passes through the window's process: copying 26 MB
images there held the interpreter lock for a tenth of a second. The worker process refuses
every network connection, so a model can never be fetched. It starts from the reading
sandbox's fork server, as the sandbox's workers do (a fresh interpreter cost a quarter of a
second of CPU before the engine even began to load).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from PIL import Image

from yongju.core.errors import CancelledError, YongjuError
from yongju.core.priority import WORKER_NICENESS, lower_thread
from yongju.core.rendering import PageRequest, RenderError
from yongju.core.sandbox import memory_cap, worker_context

PAGE_TIMEOUT = 120.0  # seconds; an A4 page takes about a second
CANCEL_CHECK_SECONDS = 0.1  # how often a page being read asks whether it is cancelled
MAX_PIXELS = 3508 * 3508  # larger images are scaled down first (memory stays bounded)
# The worker's address space: the engine and its models take about 1 GB of it, a page at
# 300 dpi 30 MB; a hostile file that wants more fails its own page, not the machine.
MEMORY_BYTES = 4 << 30
ENGINE_NAME = "rapidocr"


class OcrError(YongjuError):
    """Text recognition failed for a page (the engine crashed, hung or is missing)."""


@dataclass(frozen=True)
class TextBox:
    """One line of text the engine found, with its box (pixels) and confidence (0–1)."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    score: float


def engine_version() -> str:
    """The engine's version and its runtime's, stored with every recognised page."""
    from importlib import metadata  # not at the top: the worker would load it for nothing

    try:
        return f"{metadata.version('rapidocr')} (onnxruntime {metadata.version('onnxruntime')})"
    except metadata.PackageNotFoundError:
        return "not installed"


def available() -> bool:
    """Whether the recognition packages are installed (the app works without them)."""
    return engine_version() != "not installed"


def _refuse_network(*_args: object, **_kwargs: object) -> None:
    raise OSError("Yongju reads documents offline: no network connection is allowed.")


def forbid_network() -> None:
    """Makes every socket connection in this process fail (used in the worker)."""
    socket.socket.connect = _refuse_network  # type: ignore[method-assign]
    socket.socket.connect_ex = _refuse_network  # type: ignore[method-assign,assignment]
    socket.create_connection = _refuse_network  # type: ignore[assignment]


@contextlib.contextmanager
def _each_config_read_once() -> Iterator[None]:
    """While it lasts, ``OmegaConf.load`` reads each file once and hands every later caller
    the same tree. rapidocr's import reads its list of models (85 KB of YAML) twice, into
    two trees that are only ever looked up: 0.4 s of CPU each, a third of the engine's
    start. (Only around the import: the engine's settings, read later, stay its own.)"""
    from omegaconf import OmegaConf

    original = OmegaConf.__dict__["load"]  # the staticmethod itself, put back as it was
    load = OmegaConf.load
    trees: dict[str, Any] = {}

    def load_once(file: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(file, str | Path) or args or kwargs:
            return load(file, *args, **kwargs)  # an open stream, or other options: as asked
        key = os.path.realpath(file)
        if key not in trees:
            trees[key] = load(file)
        return trees[key]

    OmegaConf.load = staticmethod(load_once)  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        OmegaConf.load = original  # type: ignore[method-assign]


def _new_engine(threads: int) -> Any:
    with _each_config_read_once():
        from rapidocr import RapidOCR  # heavy (numpy, OpenCV, onnxruntime): only in the worker

    return RapidOCR(
        params={
            "Global.log_level": "critical",
            # The angle classifier turns MRZ lines (mostly «<») upside down; pages come
            # upright from the scan's orientation and the user's rotation instead.
            "Global.use_cls": False,
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
    )


def recognise_image(engine: Any, image: Image.Image) -> list[TextBox]:
    """Runs ``engine`` (a RapidOCR) on an RGB image; lines in the engine's order."""
    import numpy as np

    array = np.asarray(image.convert("RGB"))[:, :, ::-1]  # RapidOCR wants BGR, as OpenCV
    result = engine(np.ascontiguousarray(array))
    if result.txts is None or result.boxes is None:
        return []
    boxes = []
    for points, text, score in zip(result.boxes, result.txts, result.scores, strict=True):
        xs = [float(p[0]) for p in points]
        ys = [float(p[1]) for p in points]
        boxes.append(TextBox(str(text), min(xs), min(ys), max(xs), max(ys), float(score)))
    return boxes


def _limit_memory() -> None:
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (memory_cap(MEMORY_BYTES), hard))


def _image(message: Any) -> Image.Image:
    """The page to read: rendered here from a ``PageRequest``, or sent as raw pixels."""
    if isinstance(message, tuple):
        mode, size, data = message
        return Image.frombytes(mode, size, data)
    from yongju.core.rendering import render_page

    return bounded(render_page(message).convert("RGB"))


def _answer(message: Any, threads: int, engines: list[Any]) -> tuple[str, Any]:
    """One page read: ("ok", boxes), or why not ("refused" for the page, "error")."""
    try:
        image = _image(message)
        if not engines:
            engines.append(_new_engine(threads))
        return "ok", recognise_image(engines[0], image)
    except YongjuError as exc:  # a page that cannot be rendered: its reason, as it is
        return "refused", str(exc)
    except MemoryError:
        return "refused", "The page is too large to read safely."
    except Exception as exc:  # reported to the parent, which marks the page failed
        return "error", f"{type(exc).__name__}: {exc}"


def _serve(connection: Connection, threads: int, nice: int) -> None:
    """The worker: serves pages until told to stop, then ends at once. It holds nothing to
    save, and the interpreter's usual teardown (the recognition engine's above all) took
    0.3 s on an idle machine and up to 1.6 s under load, which closing the window and
    ``yongju read`` waited for."""
    _serve_pages(connection, threads, nice)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


def _serve_pages(connection: Connection, threads: int, nice: int) -> None:
    """The worker's loop: a page in, its text boxes out, until told to stop."""
    # Ctrl+C reaches the whole process group: the parent decides, and stops the worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    forbid_network()
    _limit_memory()
    lower_thread(nice)  # this thread runs recognition; the engine's threads inherit it
    engines: list[Any] = []  # loaded on the first page, then kept
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        try:
            connection.send(_answer(message, threads, engines))
        except (BrokenPipeError, EOFError, OSError):
            return  # the parent has gone: end quietly


def bounded(image: Image.Image) -> Image.Image:
    """The image scaled down so it holds at most ``MAX_PIXELS`` (memory stays bounded)."""
    pixels = image.width * image.height
    if pixels <= MAX_PIXELS:
        return image
    scale = (MAX_PIXELS / pixels) ** 0.5
    size = (max(1, int(image.width * scale)), max(1, int(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


class OcrWorker:
    """A recognition process, started on first use and restarted after a crash or hang.

    ``background`` lowers the worker's priority so the window stays responsive.
    """

    def __init__(
        self, *, threads: int = 2, background: bool = False, timeout: float = PAGE_TIMEOUT
    ) -> None:
        self.threads = threads
        self.nice = WORKER_NICENESS if background else 0
        self.timeout = timeout
        # Asked while a page is being recognised: True stops the worker at once.
        self.cancel: Callable[[], bool] | None = None
        self._process: Any = None
        self._connection: Connection | None = None

    def _start(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._connection:
            return self._connection
        self.close()
        context = worker_context()
        parent: Connection
        parent, child = context.Pipe()
        process = context.Process(
            target=_serve, args=(child, self.threads, self.nice), daemon=True, name="yongju-ocr"
        )
        process.start()
        child.close()
        self._process, self._connection = process, parent
        return parent

    def recognise(self, image: Image.Image) -> list[TextBox]:
        """The text boxes of ``image``; ``OcrError`` when the engine fails or takes too long."""
        image = bounded(image.convert("RGB"))
        return self._ask((image.mode, image.size, image.tobytes()))

    def recognise_page(self, request: PageRequest) -> list[TextBox]:
        """The text boxes of a stored page, rendered in the worker (see the module's note)."""
        return self._ask(request)

    def _ask(self, message: object) -> list[TextBox]:
        if not available():
            raise OcrError("Text recognition is not installed (the rapidocr package is missing).")
        connection = self._start()
        try:
            connection.send(message)
            self._wait(connection)
            status, payload = connection.recv()
        except (EOFError, OSError, BrokenPipeError):
            self.close()
            raise OcrError("Text recognition stopped unexpectedly (the engine crashed).") from None
        if status == "refused":
            raise RenderError(str(payload))
        if status != "ok":
            raise OcrError(f"Text recognition failed: {payload}")
        return list(payload)

    def _wait(self, connection: Connection) -> None:
        """Waits for the page's answer; a cancel or the time limit stops the worker."""
        deadline = time.monotonic() + self.timeout
        wait = 0.0  # a cancel already asked for stops the page at once, not 0.1 s later
        while not connection.poll(wait):
            if self.cancel is not None and self.cancel():
                self._kill()
                raise CancelledError()
            left = deadline - time.monotonic()
            if left <= 0:
                self._kill()  # hung in native code: no point asking it to stop
                raise OcrError(f"Text recognition took longer than {self.timeout:.0f} s.")
            wait = min(left, CANCEL_CHECK_SECONDS)  # and the deadline kept to, not overrun

    def _kill(self) -> None:
        if self._process is not None:
            self._process.kill()
        self.close()

    def close(self) -> None:
        """Stops the worker process (it is started again on the next page)."""
        process, connection = self._process, self._connection
        self._process = self._connection = None
        if connection is not None:
            with contextlib.suppress(OSError):
                connection.send(None)
            connection.close()
        if process is not None:
            process.join(timeout=2)
            if process.is_alive():
                process.kill()
                process.join(timeout=5)

    def __enter__(self) -> OcrWorker:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
