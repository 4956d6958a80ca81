"""Hooks run inside a benchmarked `yongju` window process: when it is usable, loop gaps, a drop."""

from __future__ import annotations

import itertools
import json
import os
import time
from pathlib import Path
from typing import Any

# The benchmark (bench_gui.py) talks to the window process through these variables.
MODE_ENV = "YONGJU_BENCH_MODE"  # "startup": report when usable, then close; "stall": drop files
OUT_ENV = "YONGJU_BENCH_OUT"  # where the JSON result is written
FILES_ENV = "YONGJU_BENCH_FILES"  # stall: a text file, one path to drop per line
PROFILE_ENV = "YONGJU_BENCH_PROFILE"  # stall: cProfile the GUI thread into this file
TICK_MS = 5  # the gap recorder's timer: a stall of the loop delays it, nothing else does
SETTLE_CHECKS = 4  # consecutive idle checks (50 ms apart) that say all work is done
TIMEOUT_S = 300.0

_probes: list[Any] = []  # keeps the probe alive as long as the window


def now() -> float:
    """CLOCK_MONOTONIC: comparable with the launching process's ``time.monotonic()``."""
    return time.monotonic()


def install() -> None:
    """Wraps ``yongju.app.compose`` so the probe sees the composition ``run_gui`` builds.

    Nothing else in the start-up path changes: the window is still made by ``run_gui``
    exactly as for ``yongju`` with no argument.
    """
    import yongju.app as app

    original = app.compose
    marks = {"compose_start": 0.0}

    def compose(*args: Any, **kwargs: Any) -> Any:
        marks["compose_start"] = now()
        composition = original(*args, **kwargs)
        _probes.append(Probe(composition, os.environ.get(MODE_ENV, "startup"), dict(marks)))
        return composition

    app.compose = compose


def _gap_stats(times: list[float]) -> dict[str, Any]:
    """Largest, p99 and median interval between timer ticks, in milliseconds."""
    import statistics

    deltas = [(b - a) * 1000 for a, b in itertools.pairwise(times)]
    if not deltas:
        return {"ticks": len(times), "max_ms": None, "p99_ms": None, "median_ms": None}
    ordered = sorted(deltas)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {
        "ticks": len(times),
        "max_ms": ordered[-1],
        "p99_ms": p99,
        "median_ms": statistics.median(ordered),
        "over_50_ms": sum(1 for d in deltas if d > 50),
        "over_100_ms": sum(1 for d in deltas if d > 100),
    }


class Probe:
    """Watches one composition; the Qt parts are imported here, after ``run_gui`` made the app."""

    def __init__(self, composition: Any, mode: str, marks: dict[str, float]) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer

        self.c = composition
        self.mode = mode
        self.marks = marks
        self.marks["compose_end"] = now()
        self.result: dict[str, Any] = {"mode": mode}
        self.timeline: list[tuple[float, str, float]] = []  # (time, what, ms spent)
        self._refreshed = False
        self._usable = False
        self._QTimer = QTimer
        window = composition.window
        self.inbox_viewport = window.inbox.view.viewport()

        probe = self

        class _Paints(QObject):
            def eventFilter(self, obj: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    probe._painted(obj)
                return False

        self._filter = _Paints()
        window.installEventFilter(self._filter)
        self.inbox_viewport.installEventFilter(self._filter)
        composition.workspace.refreshed.connect(self._on_refreshed)
        self._time_gui_handlers()
        self._watchdog = QTimer.singleShot(int(TIMEOUT_S * 1000), self._timed_out)

    # -- where the GUI thread spends time: the handlers that update models ----------------
    def _time_gui_handlers(self) -> None:
        """Instance-level wrappers that note how long model updates take on the GUI thread."""
        ws, thumbs = self.c.workspace, self.c.window.parts.thumbnails

        def timed(obj: Any, name: str, label: str) -> None:
            inner = getattr(obj, name)

            def wrapper(*args: Any, **kwargs: Any) -> Any:
                started = now()
                try:
                    return inner(*args, **kwargs)
                finally:
                    self.timeline.append((started, label, (now() - started) * 1000))

            setattr(obj, name, wrapper)

        timed(ws, "_show", "workspace: models updated from a refresh")
        timed(thumbs, "_arrived", "thumbnail arrived (pixmap + dataChanged)")

    # -- start-up ------------------------------------------------------------------------
    def _on_refreshed(self) -> None:
        if not self._refreshed:
            self._refreshed = True
            self.marks["first_refresh"] = now()
            self.inbox_viewport.update()  # make sure a paint follows the new rows

    def _painted(self, obj: Any) -> None:
        if "first_paint" not in self.marks:
            self.marks["first_paint"] = now()
        if obj is self.inbox_viewport and self._refreshed and not self._usable:
            self._usable = True
            self.marks["populated_paint"] = now()
            # The paint runs after this filter returns; a zero timer fires once the loop is
            # free again, i.e. when the populated window is on screen and takes input.
            self._QTimer.singleShot(0, self._on_usable)

    def _on_usable(self) -> None:
        self.marks["usable"] = now()
        ws = self.c.workspace
        self.result.update(
            marks=self.marks,
            inbox_rows_shown=ws.inbox.rowCount(),
            inbox_documents=len(ws.inbox.records()),
            checklist_rows=ws.checklist.rowCount(),
            case_selected=ws.case_id,
            window_size=[self.c.window.width(), self.c.window.height()],
        )
        if self.mode == "startup":
            self._finish()
        else:
            self._wait_idle(self._start_stall)

    # -- the stall measurement -----------------------------------------------------------
    def _idle(self) -> bool:
        return not self.c.runner.active() and not self.c.workspace.busy

    def _wait_idle(self, then: Any, checks: int = 0) -> None:
        """Calls ``then`` once no background task has run for SETTLE_CHECKS checks in a row."""
        checks = checks + 1 if self._idle() else 0
        if checks >= SETTLE_CHECKS:
            then()
        else:
            self._QTimer.singleShot(50, lambda: self._wait_idle(then, checks))

    def _start_stall(self) -> None:
        from PySide6.QtCore import Qt

        self.ticks: list[float] = []
        self.phase_marks: dict[str, float] = {}
        self.tasks_done = 0
        self.last_task_end = 0.0
        self.import_results: list[Any] = []
        timer = self._QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setInterval(TICK_MS)
        timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))
        self._tick_timer = timer
        runner = self.c.runner
        runner.task_finished.connect(self._task_finished)
        self.c.imports.import_finished.connect(self._import_finished)
        self._profiler = None
        if os.environ.get(PROFILE_ENV):
            import cProfile

            self._profiler = cProfile.Profile()
        timer.start()
        self.ticks.append(time.perf_counter())
        self._QTimer.singleShot(200, self._drop)  # a short idle baseline first

    def _task_finished(self, task: Any) -> None:
        self.tasks_done += 1
        self.last_task_end = time.perf_counter()

    def _import_finished(self, results: list[Any]) -> None:
        self.phase_marks["import_finished"] = time.perf_counter()
        self.import_results = results

    def _drop(self) -> None:
        from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
        from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
        from PySide6.QtWidgets import QApplication

        files = Path(os.environ[FILES_ENV]).read_text(encoding="utf-8").splitlines()
        self.dropped = [f for f in files if f]
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(f) for f in self.dropped])
        # What a file manager delivers onto the inbox: enter, move, drop (as the tests do).
        widget = self.inbox_viewport
        pos = widget.rect().center()
        actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
        left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        if self._profiler is not None:
            self._profiler.enable()  # profiles this (the GUI) thread only
        self.phase_marks["drop"] = time.perf_counter()
        QApplication.sendEvent(widget, QDragEnterEvent(QPoint(pos), actions, mime, left, none))
        QApplication.sendEvent(widget, QDragMoveEvent(QPoint(pos), actions, mime, left, none))
        event = QDropEvent(QPointF(pos), actions, mime, left, none)
        QApplication.sendEvent(widget, event)
        self.result["drop_accepted"] = event.isAccepted()
        self._wait_done(self._import_settled)

    def _wait_done(self, then: Any, checks: int = 0) -> None:
        done = "import_finished" in self.phase_marks and self._idle()
        checks = checks + 1 if done else 0
        if checks >= SETTLE_CHECKS:
            then()
        else:
            self._QTimer.singleShot(50, lambda: self._wait_done(then, checks))

    def _import_settled(self) -> None:
        # The end: the last background task (import, refresh, thumbnail) that finished.
        self.phase_marks["import_settled"] = max(self.last_task_end, self.phase_marks["drop"])
        self.phase_marks["scroll_start"] = time.perf_counter()
        self._scroll_step()

    def _scroll_step(self) -> None:
        """Pages down the inbox as a user would, so every tile's thumbnail gets rendered."""
        bar = self.c.window.inbox.view.verticalScrollBar()
        if bar.value() < bar.maximum():
            bar.setValue(min(bar.maximum(), bar.value() + bar.pageStep()))
            self._QTimer.singleShot(150, self._scroll_step)
        else:
            self._wait_idle(self._stall_done)

    def _stall_done(self) -> None:
        self.phase_marks["scroll_settled"] = max(
            self.last_task_end, self.phase_marks["scroll_start"]
        )
        self._tick_timer.stop()
        if self._profiler is not None:
            self._profiler.disable()
            self._profiler.dump_stats(os.environ[PROFILE_ENV])
        m = self.phase_marks
        during = [t for t in self.ticks if m["drop"] <= t <= m["import_settled"]]
        scrolling = [t for t in self.ticks if m["scroll_start"] <= t <= m["scroll_settled"]]
        baseline = [t for t in self.ticks if t <= m["drop"]]
        # The tick just after a window closes it: include it, or a stall at the end is missed.
        during += [t for t in self.ticks if t > m["import_settled"]][:1]
        statuses: dict[str, int] = {}
        for r in self.import_results:
            statuses[r.status] = statuses.get(r.status, 0) + 1
        origin = m["drop"]
        gaps = sorted(
            ((b - a) * 1000, a - origin) for a, b in zip(self.ticks, self.ticks[1:], strict=False)
        )[-10:]
        self.result.update(
            files_dropped=len(self.dropped),
            statuses=statuses,
            inbox_documents_after=len(self.c.workspace.inbox.records()),
            import_seconds=m["import_finished"] - m["drop"],
            settled_seconds=m["import_settled"] - m["drop"],
            scroll_seconds=m["scroll_settled"] - m["scroll_start"],
            tasks_finished=self.tasks_done,
            baseline=_gap_stats(baseline),
            during_import=_gap_stats(during),
            scrolling=_gap_stats(scrolling),
            largest_gaps=[{"ms": g, "at_s": t} for g, t in reversed(gaps)],
            gui_handlers=self._handler_summary(),
        )
        self._finish()

    def _handler_summary(self) -> dict[str, Any]:
        """Per handler: how often it ran on the GUI thread, total and longest time."""
        summary: dict[str, Any] = {}
        for _t, label, ms in self.timeline:
            entry = summary.setdefault(label, {"calls": 0, "total_ms": 0.0, "max_ms": 0.0})
            entry["calls"] += 1
            entry["total_ms"] += ms
            entry["max_ms"] = max(entry["max_ms"], ms)
        return summary

    # -- the end -------------------------------------------------------------------------
    def _timed_out(self) -> None:
        if "usable" not in self.marks or (
            self.mode == "stall" and "gui_handlers" not in self.result
        ):
            self.result["error"] = f"timed out after {TIMEOUT_S:.0f} s"
            self._finish()

    def _finish(self) -> None:
        out = os.environ.get(OUT_ENV)
        text = json.dumps(self.result, indent=1, default=str)
        if out:
            Path(out).write_text(text, encoding="utf-8")
        else:
            print(text, flush=True)
        self._QTimer.singleShot(0, self.c.window.close)

    def shutdown(self) -> None:
        """Nothing to stop: the timers belong to the application."""
