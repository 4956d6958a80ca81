"""pypdf reads every written packet again, independently of qpdf: pages, bookmarks, password."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.core.test_packet import doc, section
from tests.samples import Samples
from yongju.core.errors import ExportError
from yongju.core.packet import PacketOptions, build_packet, engine, files


def _packet(tmp_path: Path, samples: Samples, password: str | None, name: str = "p") -> Path:
    out = tmp_path / f"{name}.pdf"
    documents = [doc(samples.jpeg("a.jpg"), "s1", "Passport"), doc(samples.jpeg("b.jpg"), "s2")]
    build_packet(
        [section("s1", documents[0]), section("s2", documents[1])],
        out,
        PacketOptions(cover=False, stamp=False, password=password),
    )
    return out


@pytest.mark.parametrize("password", [None, "k3y 密码"])
def test_every_written_packet_is_read_again_by_pypdf(
    tmp_path: Path, samples: Samples, monkeypatch, password
) -> None:
    calls: list[tuple] = []

    def spy(path: str, pages: int, titles, given: str | None) -> None:
        calls.append((pages, list(titles), given))
        files.reread(path, pages, titles, given)

    monkeypatch.setattr(engine, "reread", spy)
    out = _packet(tmp_path, samples, password)
    assert len(calls) == 1 and calls[0][0] == 2 and calls[0][2] == password
    titles = calls[0][1]
    assert len(titles) == 4 and "Passport" in titles  # two sections, a document in each
    files.reread(str(out), 2, titles, password)  # what the export checked, on the kept file
    reader = PdfReader(out)
    assert reader.is_encrypted == bool(password)


def test_the_reread_refuses_what_was_not_meant(tmp_path: Path, samples: Samples) -> None:
    out = _packet(tmp_path, samples, "secret")
    titles = files._outline_titles(_decrypted(out, "secret").outline)
    assert len(titles) == 4
    files.reread(str(out), 2, titles, "secret")
    with pytest.raises(ExportError, match="The written packet asks for a password"):
        files.reread(str(out), 2, titles, None)
    with pytest.raises(ExportError, match="The written packet does not open with its password"):
        files.reread(str(out), 2, titles, "wrong")
    with pytest.raises(ExportError, match="reads back with 2 pages instead of 3"):
        files.reread(str(out), 3, titles, "secret")
    with pytest.raises(ExportError, match="bookmarks read back differently"):
        files.reread(str(out), 2, [*titles[:-1], "another"], "secret")
    plain = _packet(tmp_path, samples, None, "plain")
    with pytest.raises(ExportError, match="opens without the password"):
        files.reread(str(plain), 2, titles, "secret")


def test_a_broken_cross_reference_qpdf_forgives_fails_the_reread(
    tmp_path: Path, samples: Samples
) -> None:
    out = _packet(tmp_path, samples, None)
    titles = files._outline_titles(PdfReader(out).outline)
    data = out.read_bytes()
    start = int(re.search(rb"startxref\s+(\d+)", data).group(1))
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(data.replace(b"startxref\n%d" % start, b"startxref\n%d" % (start - 7)))
    assert broken.read_bytes() != data
    files.verify(str(broken), 2, len(titles), None)  # qpdf reconstructs it silently
    with pytest.raises(ExportError, match="did not read back with pypdf"):
        files.reread(str(broken), 2, titles, None)


def test_an_export_pypdf_disagrees_with_fails_and_keeps_nothing(
    tmp_path: Path, samples: Samples, monkeypatch
) -> None:
    real = engine._write

    def miswritten(*args, **kwargs):  # as if the writer put another title than it meant
        written = real(*args, **kwargs)
        return engine.Written(written.sha256, ("Not what was written", *written.outline_titles[1:]))

    monkeypatch.setattr(engine, "_write", miswritten)
    with pytest.raises(ExportError, match="bookmarks read back differently"):
        _packet(tmp_path, samples, "secret")
    assert not list(tmp_path.glob("*.pdf*")) and not list(tmp_path.glob(".*"))


def _decrypted(path: Path, password: str) -> PdfReader:
    reader = PdfReader(path)
    reader.decrypt(password)
    return reader


def test_pypdf_needs_cryptography_to_read_an_aes_256_packet(
    tmp_path: Path, samples: Samples
) -> None:
    """Why pyproject lists ``cryptography``: without it pypdf cannot decrypt the packet."""
    out = _packet(tmp_path, samples, "secret")
    code = (
        "import sys; sys.modules['cryptography'] = None\n"
        "from pypdf import PdfReader\n"
        f"r = PdfReader({str(out)!r}); r.decrypt('secret'); len(r.pages)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode != 0 and "cryptography" in run.stderr
