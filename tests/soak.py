"""Chance in the robustness tests: new draws each run, any run replayable, a longer soak.

The tests that kill a process at random moments, or feed damaged files, draw their moments
and files from here. Each run draws new ones from a new seed, so runs together cover more
than any one run; a failing test prints its seed, and ``YONGJU_TEST_SEED=N`` replays it.
A run does a few rounds; ``YONGJU_SOAK=1`` does the long sweep (docs/safety.md).
"""

from __future__ import annotations

import os
import random

SEED_ENV = "YONGJU_TEST_SEED"
SOAK_ENV = "YONGJU_SOAK"


def soaking() -> bool:
    """Whether this run is a soak run (``YONGJU_SOAK`` set to anything but 0)."""
    return os.environ.get(SOAK_ENV, "0") not in ("", "0")


def rounds(quick: int, soak: int) -> int:
    """How many rounds a test does: ``quick`` in an ordinary run, ``soak`` in a soak run."""
    return soak if soaking() else quick


def seed() -> int:
    """``YONGJU_TEST_SEED`` if set, else a new seed."""
    given = os.environ.get(SEED_ENV, "")
    return int(given) if given else random.SystemRandom().randrange(1 << 32)


class Chance(random.Random):
    """A ``random.Random`` that knows its seed, and says how to replay it."""

    def __init__(self, value: int) -> None:
        super().__init__(value)
        self.value = value

    def replay(self) -> str:
        return f"replay this test's random choices with {SEED_ENV}={self.value}"
