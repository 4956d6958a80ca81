"""Where the suite's temporary folders go (tests/scratch.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import scratch


def _mounts(folder: Path, kind: str, options: str = "rw,nosuid,nodev") -> str:
    return f"/dev/vda / ext4 rw 0 0\n{kind} {folder} {kind} {options} 0 0\n"


def test_a_writable_tmpfs_with_room_is_chosen(tmp_path: Path) -> None:
    assert scratch.ram_folder(_mounts(tmp_path, "tmpfs"), tmp_path, needed=1) == tmp_path


@pytest.mark.parametrize(
    "mounts",
    [
        lambda folder: _mounts(folder, "ext4"),  # on disk already
        lambda folder: _mounts(folder.parent, "tmpfs"),  # another folder is in memory
        lambda folder: _mounts(folder, "tmpfs", "rw,nosuid,nodev,noexec"),  # Docker's
        lambda folder: "",  # not mounted at all
        lambda folder: "garbage\n\n",
    ],
)
def test_a_folder_that_is_not_a_tmpfs_mount_is_not_chosen(tmp_path: Path, mounts) -> None:
    assert scratch.ram_folder(mounts(tmp_path), tmp_path, needed=1) is None


def test_a_tmpfs_without_room_is_not_chosen(tmp_path: Path) -> None:
    assert scratch.ram_folder(_mounts(tmp_path, "tmpfs"), tmp_path, needed=1 << 62) is None


def test_a_tmpfs_we_may_not_write_is_not_chosen(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(scratch.os, "access", lambda path, mode: path != tmp_path)
    assert scratch.ram_folder(_mounts(tmp_path, "tmpfs"), tmp_path, needed=1) is None


def test_a_missing_folder_or_mount_table_is_not_chosen(tmp_path: Path, monkeypatch) -> None:
    gone = tmp_path / "gone"
    assert scratch.ram_folder(_mounts(gone, "tmpfs"), gone, needed=1) is None
    monkeypatch.setattr(scratch, "MOUNTS", tmp_path / "no-proc")
    assert scratch.ram_folder(None, tmp_path, needed=1) is None


@pytest.mark.parametrize(
    ("environ", "basetemp"),
    [({"TMPDIR": "/var/tmp"}, None), ({"PYTEST_DEBUG_TEMPROOT": "/x"}, None), ({}, "/b")],
)
def test_a_folder_the_user_chose_is_kept(monkeypatch, environ, basetemp) -> None:
    monkeypatch.setattr(scratch, "ram_folder", lambda: Path("/dev/shm"))
    assert scratch.temproot(environ, basetemp) is None


def test_otherwise_the_memory_folder_is_used_when_there_is_one(monkeypatch) -> None:
    monkeypatch.setattr(scratch, "ram_folder", lambda: Path("/dev/shm"))
    assert scratch.temproot({"TMPDIR": ""}, None) == "/dev/shm"
    monkeypatch.setattr(scratch, "ram_folder", lambda: None)
    assert scratch.temproot({}, None) is None
