"""The tree stays linted, formatted and (in core/) strictly typed: CI checks it with the tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_ruff_finds_nothing() -> None:
    result = _run("ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_code_is_formatted() -> None:
    result = _run("ruff", "format", "--check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_core_passes_mypy_strict() -> None:
    # mypy's own incremental cache (.mypy_cache, ignored by git): a fresh checkout pays the
    # whole check (~27 s of CPU), later runs re-check only what changed (about 1 s).
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
