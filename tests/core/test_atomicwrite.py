"""The one write-then-rename helper: whole or nothing, private, on disk when it says so."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from yongju.core import atomicwrite
from yongju.core.atomicwrite import fsync_folder, replace_with, temporary_beside, written_beside


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _synced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records what ``os.fsync`` is called on: 'file' or 'folder'."""
    calls: list[str] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        calls.append("folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real(fd)

    monkeypatch.setattr(atomicwrite.os, "fsync", fsync)
    return calls


def test_written_beside_replaces_the_target_whole_and_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "copy.db"
    target.write_bytes(b"old")
    os.chmod(target, 0o644)
    synced = _synced(monkeypatch)
    with written_beside(target) as temporary:
        assert temporary.parent == tmp_path
        assert temporary.name.startswith(".copy.db.") and temporary.name.endswith(".part")
        assert _mode(temporary) == 0o600 and temporary.read_bytes() == b""
        temporary.write_bytes(b"new")
        assert target.read_bytes() == b"old"  # nothing changes before the block ends
    assert target.read_bytes() == b"new" and _mode(target) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.db"]
    assert synced == ["file", "folder"]  # the bytes, then the rename


def test_written_beside_leaves_the_target_when_the_block_fails(tmp_path: Path) -> None:
    target = tmp_path / "archive.tar"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="disk full"), written_beside(target) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.tar"]


def test_written_beside_without_durable_renames_without_syncing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced = _synced(monkeypatch)
    target = tmp_path / "page.jpg"
    with written_beside(target, durable=False) as temporary:
        temporary.write_bytes(b"jpeg")
    assert target.read_bytes() == b"jpeg" and synced == []


def test_a_bare_file_name_is_written_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    synced = _synced(monkeypatch)
    fd, temporary = temporary_beside(Path("packet.pdf"))
    os.write(fd, b"%PDF")
    os.close(fd)
    assert temporary.parent.resolve() == tmp_path.resolve() and temporary.exists()
    replace_with(temporary, Path("packet.pdf"))
    assert (tmp_path / "packet.pdf").read_bytes() == b"%PDF"
    assert synced == ["file", "folder"]


def test_a_failed_rename_leaves_the_temporary_file_to_its_owner(tmp_path: Path) -> None:
    fd, temporary = temporary_beside(tmp_path / "a.pdf")
    os.close(fd)
    (tmp_path / "a.pdf").mkdir()  # a folder cannot be replaced by a file
    with pytest.raises(OSError):
        replace_with(temporary, tmp_path / "a.pdf")
    assert temporary.exists()


def test_fsync_folder_passes_over_what_cannot_be_synced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fsync_folder(tmp_path / "missing")  # cannot be opened: nothing to do

    def refuse(fd: int) -> None:
        raise OSError(22, "Invalid argument")

    opened: list[int] = []
    real_open, real_close = os.open, os.close

    def recording_open(path: Path, flags: int) -> int:
        fd = real_open(path, flags)
        opened.append(fd)
        return fd

    closed: list[int] = []

    def recording_close(fd: int) -> None:
        closed.append(fd)
        real_close(fd)

    monkeypatch.setattr(atomicwrite.os, "fsync", refuse)
    monkeypatch.setattr(atomicwrite.os, "open", recording_open)
    monkeypatch.setattr(atomicwrite.os, "close", recording_close)
    fsync_folder(tmp_path)  # a file system that cannot sync a folder: the rename still held
    assert opened and closed == opened  # and the folder is not left open
