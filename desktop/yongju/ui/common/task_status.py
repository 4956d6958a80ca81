"""The status bar's view of background work: what runs, how far it is, and a Cancel button."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from yongju.ui.common.tasks import Task, TaskRunner


class TaskStatus(QWidget):
    """Shows the oldest cancellable task still running (imports, exports); hidden when idle."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._task: Task | None = None
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(220)
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 6, 0)
        row.addWidget(self.label)
        row.addWidget(self.bar)
        row.addWidget(self.cancel_button)
        runner.task_started.connect(self._started)
        runner.task_finished.connect(self._finished)
        self.setVisible(False)

    @property
    def task(self) -> Task | None:
        return self._task

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText(self.tr("Stopping…"))

    def _started(self, task: Task) -> None:
        if task.cancellable and self._task is None:
            self._follow(task)

    def _finished(self, task: Task) -> None:
        if task is not self._task:
            return
        self._task = None
        waiting = [t for t in self._runner.active() if t.cancellable and t.running]
        if waiting:
            self._follow(waiting[0])
        else:
            self.setVisible(False)

    def _follow(self, task: Task) -> None:
        self._task = task
        self.label.setText(task.label)
        self.bar.setRange(0, 0)  # busy until the first progress report
        self.cancel_button.setEnabled(True)
        task.progressed.connect(self._progressed)
        self.setVisible(True)

    def _progressed(self, done: int, total: int, text: str) -> None:
        if self._task is None:
            return
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.bar.setFormat(f"{done} / {total}")
        if text:
            self.label.setText(f"{self._task.label}: {text}")
