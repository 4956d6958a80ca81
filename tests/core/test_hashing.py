"""The one file-hashing helper: the same SHA-256 for a path, a descriptor and a copy."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
from pathlib import Path

import pytest

from yongju.core.hashing import CHUNK, HashingReader, fd_sha256, file_sha256, hash_range

DATA = bytes(range(256)) * (CHUNK // 256 * 2 + 3)  # more than two chunks, not a whole one
EXPECTED = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "scan.bin"
    path.write_bytes(DATA)
    return path


def test_file_sha256_is_the_sha256_of_the_bytes(sample: Path, tmp_path: Path) -> None:
    assert file_sha256(sample) == EXPECTED
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    assert file_sha256(empty) == hashlib.sha256(b"").hexdigest()
    with pytest.raises(FileNotFoundError):
        file_sha256(tmp_path / "missing")


def test_fd_sha256_reads_from_the_start_and_leaves_the_offset(sample: Path) -> None:
    fd = os.open(sample, os.O_RDONLY)
    try:
        os.lseek(fd, 1000, os.SEEK_SET)
        assert fd_sha256(fd) == EXPECTED
        assert os.lseek(fd, 0, os.SEEK_CUR) == 1000
    finally:
        os.close(fd)


def test_hash_range_hashes_exactly_the_range(sample: Path) -> None:
    fd = os.open(sample, os.O_RDONLY)
    try:
        digest = hashlib.sha256()
        hash_range(digest, fd, 10, CHUNK + 5)
        assert digest.hexdigest() == hashlib.sha256(DATA[10 : 10 + CHUNK + 5]).hexdigest()
        nothing = hashlib.sha256()
        hash_range(nothing, fd, 0, 0)
        assert nothing.hexdigest() == hashlib.sha256(b"").hexdigest()
    finally:
        os.close(fd)


def test_hash_range_refuses_a_file_shorter_than_the_range(sample: Path) -> None:
    fd = os.open(sample, os.O_RDONLY)
    try:
        with pytest.raises(OSError, match=f"only {len(DATA) - 5} of {len(DATA)} bytes"):
            hash_range(hashlib.sha256(), fd, 5, len(DATA))
    finally:
        os.close(fd)


def test_hashing_reader_copies_hashes_and_counts_in_one_read(sample: Path) -> None:
    seen: list[int] = []
    out = io.BytesIO()
    with sample.open("rb") as source:
        reader = HashingReader(source, lambda chunk: seen.append(len(chunk)))
        assert reader.readable()
        shutil.copyfileobj(reader, out, CHUNK)
    assert out.getvalue() == DATA
    assert reader.hexdigest() == EXPECTED and reader.size == len(DATA)
    assert sum(seen) == len(DATA) and 0 not in seen  # the end of the file is not a chunk


def test_hashing_reader_reads_a_chunk_when_no_size_is_given() -> None:
    reader = HashingReader(io.BytesIO(DATA))
    assert reader.read() == DATA[:CHUNK]
    assert reader.read(-1) == DATA[CHUNK : 2 * CHUNK]
    assert reader.size == 2 * CHUNK


def test_hashing_reader_stops_when_on_chunk_raises() -> None:
    def cancel(_chunk: bytes) -> None:
        raise RuntimeError("cancelled")

    reader = HashingReader(io.BytesIO(DATA), cancel)
    with pytest.raises(RuntimeError, match="cancelled"):
        shutil.copyfileobj(reader, io.BytesIO(), CHUNK)
    assert reader.size == CHUNK
