"""The packet engine's refusals and reports: what it will not write, and what it says."""

from __future__ import annotations

import errno
import json
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest

from tests.core.test_packet_contents import INFO, texts
from tests.samples import Samples
from yongju.core.errors import ExportError
from yongju.core.packet import (
    PacketDocument,
    PacketOptions,
    PacketSection,
    build_packet,
    engine,
)
from yongju.core.packet.files import Scratch
from yongju.core.records import MediaType

NO_COVER = PacketOptions(cover=False, stamp=False)


def section(*documents: PacketDocument) -> list[PacketSection]:
    return [PacketSection("s", "Slot", "材料", tuple(documents))]


def pdf_doc(path: Path, title: str = "", **kw: object) -> PacketDocument:
    return PacketDocument(path, MediaType.PDF, title or path.stem, "s", **kw)  # type: ignore[arg-type]


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_only_a_pdf_into_an_existing_folder(out: Path, samples: Samples) -> None:
    sections = section(pdf_doc(samples.pdf()))
    with pytest.raises(ExportError, match=r"must be a \.pdf file, not 'packet\.txt'"):
        build_packet(sections, out / "packet.txt", NO_COVER)
    with pytest.raises(ExportError, match=r"The folder .*missing does not exist"):
        build_packet(sections, out / "missing" / "packet.pdf", NO_COVER)
    assert list(out.iterdir()) == []


def test_nothing_filed_and_no_cover_is_nothing_to_export(out: Path) -> None:
    with pytest.raises(ExportError, match="There is nothing to export"):
        build_packet(section(), out / "packet.pdf", NO_COVER)
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("kind", ["symlink", "folder", "someone else's json", "not json"])
def test_a_manifest_name_taken_by_something_else_is_never_replaced(
    out: Path, samples: Samples, kind: str
) -> None:
    manifest = out / "packet.pdf.manifest.json"
    if kind == "symlink":
        (out / "notes.json").write_text('{"packet": "packet.pdf", "ranges": []}')
        manifest.symlink_to(out / "notes.json")
    elif kind == "folder":
        manifest.mkdir()
    elif kind == "someone else's json":
        manifest.write_text(json.dumps({"packet": "other.pdf", "ranges": []}))
    else:
        manifest.write_text("my notes")
    with pytest.raises(ExportError, match="already exists and was not written by Yongju"):
        build_packet(section(pdf_doc(samples.pdf())), out / "packet.pdf", NO_COVER)
    assert not (out / "packet.pdf").exists()


def test_our_own_manifest_is_replaced_with_the_packet(out: Path, samples: Samples) -> None:
    first = build_packet(section(pdf_doc(samples.pdf(pages=1))), out / "packet.pdf", NO_COVER)
    second = build_packet(section(pdf_doc(samples.pdf(pages=3))), out / "packet.pdf", NO_COVER)
    assert (first.pages, second.pages) == (1, 3)
    assert json.loads(second.manifest_path.read_text())["pages"] == 3
    assert sorted(p.name for p in out.iterdir()) == ["packet.pdf", "packet.pdf.manifest.json"]


def test_a_damaged_stored_file_is_named_rather_than_the_reader_error(
    out: Path, samples: Samples
) -> None:
    # The store recorded another hash for these bytes: a truncated blob fails in qpdf before
    # its hash is known, and the export then names the damage, not qpdf's complaint.
    broken = samples.damaged_pdf()
    document = pdf_doc(broken, sha256="0" * 64, title="Bank statement")
    with pytest.raises(ExportError) as raised:
        build_packet(section(document), out / "packet.pdf", NO_COVER)
    assert str(raised.value).startswith("The stored file of 'Bank statement' is damaged")
    assert list(out.iterdir()) == []


def test_a_failure_while_copying_pages_is_explained_by_the_damaged_file_behind_it(
    out: Path, samples: Samples, monkeypatch: pytest.MonkeyPatch
) -> None:
    # qpdf reads a truncated blob's streams only when its pages are copied, often before the
    # blob's hash is known; the export then names the damaged file, not qpdf's complaint.
    def truncated(*args: object, **kw: object) -> None:
        raise ExportError("'Bank statement' cannot be read: stream data is truncated.")

    monkeypatch.setattr(engine.SheetWriter, "write_sheet", truncated)
    stored = pdf_doc(samples.pdf(), sha256="0" * 64, title="Bank statement")
    with pytest.raises(ExportError) as raised:
        build_packet(section(stored), out / "packet.pdf", NO_COVER)
    assert str(raised.value).startswith("The stored file of 'Bank statement' is damaged")
    intact = pdf_doc(samples.pdf("intact.pdf"), title="Bank statement")  # nothing behind it
    with pytest.raises(ExportError, match="stream data is truncated"):
        build_packet(section(intact), out / "packet.pdf", NO_COVER)
    assert list(out.iterdir()) == []


def test_a_file_the_store_never_hashed_fails_with_the_reader_s_own_words(
    out: Path, samples: Samples
) -> None:
    document = pdf_doc(samples.damaged_pdf(), title="Bank statement")  # no recorded hash
    with pytest.raises(ExportError) as raised:
        build_packet(section(document), out / "packet.pdf", NO_COVER)
    assert "damaged (its bytes" not in str(raised.value)
    assert "Bank statement" in str(raised.value) or "damaged.pdf" in str(raised.value)
    assert list(out.iterdir()) == []


def test_a_manifest_that_cannot_be_placed_takes_its_packet_with_it(
    out: Path, samples: Samples, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_place = Scratch.place

    def place(self: Scratch, target: Path) -> None:
        if target.name.endswith(".manifest.json"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_place(self, target)

    monkeypatch.setattr(Scratch, "place", place)
    with pytest.raises(ExportError) as raised:
        build_packet(section(pdf_doc(samples.pdf())), out / "packet.pdf", NO_COVER)
    assert str(raised.value) == (
        f"The packet could not be written to {out / 'packet.pdf'}: No space left on device."
    )
    assert list(out.iterdir()) == []  # no packet without its manifest


def test_progress_counts_every_page_and_ends_with_the_whole(out: Path, samples: Samples) -> None:
    calls: list[tuple[int, int]] = []
    options = PacketOptions(cover=False, stamp=True)
    result = build_packet(
        section(pdf_doc(samples.pdf(pages=2))),
        out / "packet.pdf",
        options,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert result.pages == 2
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert calls[-1] == (2, 2)
    with pikepdf.open(out / "packet.pdf") as pdf:
        assert len(pdf.pages) == 2


COVER = replace(INFO, ready=False)  # the contents tests' cover, of a case not yet complete


def test_nothing_filed_exports_the_cover_alone_without_bookmarks(out: Path) -> None:
    """An empty case with a cover is still a packet: the cover and its contents page, which
    say what is missing; with no document there is nothing to bookmark."""
    result = build_packet(section(), out / "p.pdf", PacketOptions(), cover=COVER)
    assert result.pages >= 1 and result.ranges == ()
    with pikepdf.open(out / "p.pdf") as pdf:
        assert len(pdf.pages) == result.pages
        assert "/Outlines" not in pdf.Root and "/PageMode" not in pdf.Root


def test_a_cover_without_stamps_or_progress_within_a_budget_it_already_meets(
    out: Path, samples: Samples
) -> None:
    """The cover still comes first when no page is stamped and no one follows the progress,
    and a budget the packet already meets leaves it as written, without a warning."""
    options = PacketOptions(cover=True, stamp=False, max_size=50_000_000)
    documents = section(pdf_doc(samples.pdf(pages=2), "Passport"))
    result = build_packet(documents, out / "p.pdf", options, cover=COVER)
    assert result.warnings == ()
    pages = texts(out / "p.pdf")
    cover_pages = result.pages - 2
    assert cover_pages >= 1 and COVER.applicant in " ".join(pages[:cover_pages])
    assert not any("page" in text and " of " in text for text in pages[cover_pages:])
