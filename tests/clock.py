"""A clock the test turns: stands in for ``time.monotonic`` and the watcher's waits."""

from __future__ import annotations


class Clock:
    """Moves only when told (``now``) or when something sleeps on it: nothing really waits."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.slept += seconds
