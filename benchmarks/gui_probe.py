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
INJECT_ENV = "YONGJU_BENCH_INJECT_MS"  # stall: block the GUI thread this long mid-import
# An experiment: gc.freeze() as soon as the window is up. The app freezes later, once its
# store's first load is done (app.py); this shows what freezing before the load would change.
GC_FREEZE_ENV = "YONGJU_BENCH_GC_FREEZE"
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
    exactly as for ``yongju`` with no argument. ``_application`` (the QApplication) and
    ``_look`` (translations, fonts, palette) are wrapped only to note when they start and end.
    """
    marks = {"probe_start": now()}
    import yongju.app as app

    marks["app_imported"] = now()

    def noted(name: str) -> None:
        inner = getattr(app, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            marks[f"{name.strip('_')}_start"] = now()
            try:
                return inner(*args, **kwargs)
            finally:
                marks[f"{name.strip('_')}_end"] = now()

        setattr(app, name, wrapper)

    noted("_application")
    noted("_look")
    original = app.compose

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

    # -- where the time goes: handlers on the GUI thread, loads and renders on workers, GC ---
    def _time_gui_handlers(self) -> None:
        """Instance-level wrappers noting when each piece of work ran and how long it took."""
        ws, thumbs = self.c.workspace, self.c.window.thumbnails

        def timed(obj: Any, name: str, label: str) -> None:
            inner = getattr(obj, name)

            def wrapper(*args: Any, **kwargs: Any) -> Any:
                started = time.perf_counter()
                try:
                    return inner(*args, **kwargs)
                finally:
                    ms = (time.perf_counter() - started) * 1000
                    self.timeline.append((started, label, ms))

            setattr(obj, name, wrapper)

        timed(ws, "_show", "GUI: models updated from a refresh (Workspace._show)")
        timed(self.c.imports, "_add_documents", "GUI: imported documents added to the inbox")
        timed(thumbs, "_arrived", "GUI: thumbnail arrived (pixmap + dataChanged)")
        timed(self.c.imports, "_finished", "GUI: import results handled (ImportFlow._finished)")
        timed(ws, "_load", "read thread: workspace load (Workspace._load)")
        # Paints of the two Python-drawn views (set on the classes: Qt calls the override).
        from yongju.ui.checklist.view import _ChecklistTree
        from yongju.ui.documents.grid import _TileView

        timed(_TileView, "paintEvent", "GUI: a grid painted (_TileView.paintEvent)")
        timed(_ChecklistTree, "paintEvent", "GUI: the checklist painted")
        timed(thumbs, "_render", "read thread: thumbnail render")
        import gc
        import threading

        started: dict[int, float] = {}

        def collected(phase: str, info: dict[str, int]) -> None:
            # A collection holds the GIL: no Python runs on any thread, the GUI's included.
            key = threading.get_ident()
            if phase == "start":
                started[key] = time.perf_counter()
                return
            begin = started.pop(key, None)
            if begin is None:
                return
            ms = (time.perf_counter() - begin) * 1000
            main = threading.current_thread() is threading.main_thread()
            where = "GUI thread" if main else "worker"
            if info.get("generation") == 2 or ms > 5:
                self.timeline.append(
                    (begin, f"gc generation {info.get('generation')} ({where})", ms)
                )

        gc.callbacks.append(collected)

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
        import gc

        from PySide6.QtCore import Qt

        self.result["gc_tracked_objects"] = len(gc.get_objects())
        if os.environ.get(GC_FREEZE_ENV):
            gc.collect()
            gc.freeze()
            self.result["gc_frozen"] = gc.get_freeze_count()
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
        # Every read of the whole inbox from the drop on: an import should need none.
        self.inbox_reads: list[float] = []
        store = self.c.store
        read_inbox = store.inbox

        def counted_inbox() -> Any:
            self.inbox_reads.append(time.perf_counter())
            return read_inbox()

        store.inbox = counted_inbox
        runner = self.c.runner
        runner.task_finished.connect(self._task_finished)
        self.c.imports.import_finished.connect(self._import_finished)
        self._profiler = None
        if os.environ.get(PROFILE_ENV):
            import cProfile

            self._profiler = cProfile.Profile()
        timer.start()
        self.ticks.append(time.perf_counter())
        self._start_sampler()
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
        inject = os.environ.get(INJECT_ENV)
        if inject:
            # The self-check: a known stall while the import runs must show as a gap.
            self._QTimer.singleShot(500, lambda: time.sleep(float(inject) / 1000))
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
        view = self.c.window.inbox.view
        bar = view.verticalScrollBar()
        last = view.model().index(len(self.dropped) - 1, 0)  # the oldest new document
        seen = last.isValid() and view.visualRect(last).top() < view.viewport().height()
        if bar.value() < bar.maximum() and not seen:
            bar.setValue(min(bar.maximum(), bar.value() + bar.pageStep()))
            self._QTimer.singleShot(150, self._scroll_step)
        else:
            self._wait_idle(self._stall_done)

    def _stall_done(self) -> None:
        self.phase_marks["scroll_settled"] = max(
            self.last_task_end, self.phase_marks["scroll_start"]
        )
        self._tick_timer.stop()
        self._sampling = False
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
            inbox_rereads=sum(1 for t in self.inbox_reads if m["drop"] <= t <= m["import_settled"]),
            baseline=_gap_stats(baseline),
            during_import=_gap_stats(during),
            scrolling=_gap_stats(scrolling),
            largest_gaps=[self._explain(g, t, origin) for g, t in reversed(gaps)],
            gui_handlers=self._handler_summary(),
        )
        self._finish()

    def _start_sampler(self) -> None:
        """A thread that, while the GUI's tick is late, notes what the GUI thread is doing.

        It also notes how late its own 10 ms sleeps wake: when it is as late as the GUI,
        no Python could run at all (the GIL was held, e.g. by a garbage collection, or the
        CPU was taken), rather than the GUI thread being busy with its own work.
        """
        import sys
        import threading
        import traceback

        gui = threading.main_thread().ident
        # The kernel's view of the GUI thread: R running or waiting for a CPU, S sleeping
        # (in poll, or blocked on a lock or the X server), D in the disk; CPU time used.
        stat = Path(f"/proc/self/task/{threading.main_thread().native_id}/stat")

        def kernel_view() -> tuple[str, int]:
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                return "?", 0
            return fields[0], int(fields[11]) + int(fields[12])  # state, utime + stime

        self.samples: list[tuple[float, float, float, str, str, int]] = []
        self._sampling = True

        def run() -> None:
            last = time.perf_counter()
            while self._sampling and len(self.samples) < 2000:
                time.sleep(0.01)
                t = time.perf_counter()
                own_late = (t - last - 0.01) * 1000
                last = t
                gui_late = (t - self.ticks[-1]) * 1000
                if gui_late > 40 or own_late > 40:
                    frame = sys._current_frames().get(gui)
                    stack = traceback.extract_stack(frame)[-4:] if frame else []
                    where = " < ".join(
                        f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(stack)
                    )
                    self.samples.append((t, own_late, gui_late, where, *kernel_view()))

        threading.Thread(target=run, name="bench-sampler", daemon=True).start()

    def _explain(self, gap_ms: float, at: float, origin: float) -> dict[str, Any]:
        """A gap, the work noted as running during it, and what the GUI thread was doing."""
        start, end = origin + at, origin + at + gap_ms / 1000
        during = [
            f"{label}: {ms:.1f} ms at +{(t - start) * 1000:.0f} ms"
            for t, label, ms in sorted(self.timeline)
            if t < end and t + ms / 1000 > start
        ]
        samples = [x for x in self.samples if start < x[0] <= end + 0.02]
        return {
            "ms": gap_ms,
            "at_s": at,
            "overlapping": during,
            "sampler_own_wake_delay_ms": max((x[1] for x in samples), default=0.0),
            "gui_stacks": sorted({x[3] for x in samples}),
            "gui_thread_states": "".join(x[4] for x in samples),
            "gui_cpu_ms_while_sampled": (
                (max(x[5] for x in samples) - min(x[5] for x in samples))
                * 1000
                / os.sysconf("SC_CLK_TCK")
                if samples
                else 0.0
            ),
        }

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
