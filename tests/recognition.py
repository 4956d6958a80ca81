"""One recognition worker a test process, for the tests that read real pages with it.

Each worker that starts loads the engine and its models anew (about a second and a half of
CPU, and the first page half a second more): the tests that read pages, with the worker or
through ``yongju read``, share one instead, started on first use and stopped when the
tests end (or by the test of stopping, which runs after the slow tests that read).
"""

from __future__ import annotations

import pytest

from yongju.core.reading.ocr import OcrWorker

_WORKER = pytest.StashKey[OcrWorker]()


def shared_worker(config: pytest.Config) -> OcrWorker:
    """The test process's recognition worker, on one thread: the suite runs two tests at
    once on two cores, where the engine's second thread only spun."""
    worker = config.stash.get(_WORKER, None)
    if worker is None:
        worker = config.stash[_WORKER] = OcrWorker(threads=1)
        config.add_cleanup(worker.close)
    return worker


class SharedWorker:
    """In place of ``OcrWorker`` for a command: ``with OcrWorker(...) as worker`` gives it
    the test process's worker, which the command then leaves running for the next test."""

    def __init__(self, worker: OcrWorker) -> None:
        self._worker = worker

    def __call__(self, **_options: object) -> SharedWorker:
        return self

    def __enter__(self) -> OcrWorker:
        return self._worker

    def __exit__(self, *_exc: object) -> None:
        pass
