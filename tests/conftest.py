"""Test-wide settings: Qt runs offscreen and every test gets its own store and config."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test ever touches the real user store or config folder."""
    base = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("YONGJU_STORE", str(base / "store"))
    monkeypatch.setenv("YONGJU_CONFIG", str(base / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "xdgconfig"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "cache"))
