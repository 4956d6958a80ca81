"""Importing: every kind of file either comes in with the right page count or gets a reason."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import soak
from tests.launcher import Launcher
from yongju.cli import run
from yongju.core.importing import ImportStatus, expand_paths, import_files
from yongju.core.inspection import RefusedFile, inspect_file, sniff
from yongju.core.profiles import all_keywords
from yongju.core.records import MediaType
from yongju.core.store import Store
from yongju.core.suggest import suggest_slot


@pytest.mark.parametrize(
    ("make", "media_type", "pages"),
    [
        (lambda s: s.jpeg("scan.jpg"), MediaType.JPEG, 1),
        (lambda s: s.png("photo.png"), MediaType.PNG, 1),
        (lambda s: s.tiff("multi.tif", frames=3), MediaType.TIFF, 3),
        (lambda s: s.webp("photo.webp"), MediaType.WEBP, 1),
        (lambda s: s.heic("phone.heic"), MediaType.HEIF, 1),
        (lambda s: s.pdf("doc.pdf", pages=4), MediaType.PDF, 4),
        # identified by content, not by name
        (lambda s: s.pdf("scan.jpg", pages=2), MediaType.PDF, 2),
    ],
)
def test_supported_files_are_imported_with_their_page_count(
    store: Store, samples, make, media_type: MediaType, pages: int
) -> None:
    path = make(samples)
    (result,) = import_files(store, [path])
    assert result.status is ImportStatus.IMPORTED, result.reason
    assert result.document is not None
    assert (result.document.media_type, result.document.pages) == (media_type, pages)
    stored = store.blob_path(result.document.sha256).read_bytes()
    assert stored == path.read_bytes()
    assert hashlib.sha256(stored).hexdigest() == result.document.sha256


def test_image_size_and_dpi_are_recorded(store: Store, samples) -> None:
    (result,) = import_files(store, [samples.jpeg("scan.jpg")])
    doc = result.document
    assert doc is not None
    assert (doc.width_px, doc.height_px, doc.dpi) == (620, 877, 75.0)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda s: s.empty("empty.pdf"), "empty"),
        (lambda s: s.html_named_pdf("statement.pdf"), "web page"),
        (lambda s: s.truncated_pdf("partial.pdf"), "PDF is incomplete"),
        (lambda s: s.truncated_jpeg("partial.jpg"), "image is incomplete"),
        (lambda s: s.damaged_pdf("damaged.pdf"), "damaged"),
        (lambda s: s.encrypted_pdf("locked.pdf"), "encrypted with a password"),
        (lambda s: s.huge_png("huge.png"), "too large to be a scan (900 million pixels)"),
        (lambda s: s.huge_png("big.png", side=12500), "too large to be a scan (12500×12500"),
        (lambda s: s.gif("anim.gif"), "GIF images are not supported"),
    ],
)
def test_bad_files_are_refused_with_a_reason(store: Store, samples, make, reason: str) -> None:
    path = make(samples)
    before = path.read_bytes()
    (result,) = import_files(store, [path])
    assert result.status is ImportStatus.REFUSED
    assert reason in result.reason
    assert "\n" not in result.reason
    assert path.read_bytes() == before  # the user's file is never touched
    assert store.documents() == []
    assert list(store.blobs.all_hashes()) == []
    assert store.blobs.staging_leftovers() == []


def test_an_encrypted_pdf_opens_with_its_password(store: Store, samples) -> None:
    path = samples.encrypted_pdf("locked.pdf", password="s3cret")
    (wrong,) = import_files(store, [path], passwords=["nope"])
    assert wrong.status is ImportStatus.REFUSED and "none of the given passwords" in wrong.reason
    (result,) = import_files(store, [path], passwords=["nope", "s3cret"])
    assert result.status is ImportStatus.IMPORTED
    assert result.document is not None and result.document.encrypted
    assert result.document.pages == 2
    assert store.document_password(result.document.id) == "s3cret"


def test_the_same_bytes_twice_report_the_existing_document(store: Store, samples) -> None:
    first = samples.pdf("a.pdf", label="same")
    second = samples.folder / "copy of a.pdf"
    second.write_bytes(first.read_bytes())
    one, two = import_files(store, [first, second])
    assert one.status is ImportStatus.IMPORTED
    assert two.status is ImportStatus.DUPLICATE
    assert two.document_id == one.document_id
    assert len(store.documents()) == 1


def test_one_bad_file_never_stops_a_batch(store: Store, samples) -> None:
    paths = [
        samples.jpeg("a.jpg"),
        samples.empty("b.pdf"),
        samples.pdf("c.pdf", pages=3),
        samples.folder / "missing.pdf",
        samples.html_named_pdf("d.pdf"),
        samples.png(),
    ]
    results = import_files(store, paths)
    assert [r.status.value for r in results] == [
        "imported",
        "refused",
        "imported",
        "refused",
        "refused",
        "imported",
    ]
    assert "does not exist" in results[3].reason


def test_originals_are_never_modified(store: Store, samples) -> None:
    paths = [samples.jpeg(), samples.pdf(), samples.tiff(), samples.heic()]
    stats = {p: (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_mode) for p in paths}
    import_files(store, paths)
    for path, (data, mtime, mode) in stats.items():
        assert (path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_mode) == (
            data,
            mtime,
            mode,
        )


def test_progress_and_cancel(store: Store, samples) -> None:
    paths = [samples.jpeg(f"{i}.jpg") for i in range(5)]
    seen: list[tuple[int, int]] = []
    results = import_files(
        store, paths, progress=lambda d, t, _p: seen.append((d, t)), cancel=lambda: len(seen) >= 2
    )
    assert seen == [(1, 5), (2, 5)]
    assert len(results) == 2
    assert len(store.documents()) == 2


def test_folders_are_expanded_recursively_without_hidden_files(samples) -> None:
    samples.jpeg("a.jpg")
    (samples.folder / "sub").mkdir()
    (samples.folder / "sub" / "b.pdf").write_bytes(b"x")
    (samples.folder / ".hidden.pdf").write_bytes(b"x")
    names = [p.name for p in expand_paths([samples.folder])]
    assert names == ["a.jpg", "b.pdf"]


def test_a_slot_is_suggested_from_the_file_name_and_the_text(
    store: Store, samples, profiles
) -> None:
    keywords = all_keywords(profiles.profiles)
    by_name = samples.jpeg("护照 扫描.jpg")
    by_text = samples.text_pdf("scan0001.pdf", "Certificate of no criminal record")
    results = import_files(store, [by_name, by_text], keywords=keywords)
    assert [r.document.suggested_slot for r in results if r.document] == ["passport", "ncr_foreign"]


@pytest.mark.parametrize(
    ("name", "slot"),
    [
        ("passport scan", "passport"),
        ("Marriage certificate apostille", "sp_marriage_cert"),
        ("健康证明", "health_certificate"),
        ("police certificate belgium", "ncr_foreign"),
        ("户口本", "sp_spouse_hukou"),
        ("IMG_2031", None),
    ],
)
def test_suggestions_in_english_and_chinese(profiles, name: str, slot: str | None) -> None:
    spouse = profiles.get("spouse_of_chinese_citizen")
    keywords = {s.id: s.keywords for s in spouse.slots}
    assert suggest_slot(name, "", keywords) == slot


def _all_keywords() -> dict[str, tuple[str, ...]]:
    from yongju.core.profiles import load_profiles
    from yongju.core.resources import resource_path

    return all_keywords(load_profiles(resource_path("profiles")).profiles)


KEYWORDS = _all_keywords()


# New texts each run (3 ms of CPU each: 200 a run took a second); a soak run tries thousands.
@settings(max_examples=soak.rounds(60, 2000), deadline=None)
@given(name=st.text(max_size=80), text=st.text(max_size=300))
def test_suggesting_never_fails_on_any_text(name: str, text: str) -> None:
    result = suggest_slot(name, text, KEYWORDS)
    assert result is None or result in KEYWORDS


@settings(max_examples=300, deadline=None)
@given(head=st.binary(max_size=64))
def test_sniffing_arbitrary_bytes_gives_a_type_or_a_reason(head: bytes) -> None:
    try:
        assert sniff(head) in set(MediaType)
    except RefusedFile as exc:
        assert str(exc) and "\n" not in str(exc)


def test_a_linearized_pdf_cut_just_after_its_first_eof_marker_is_incomplete(
    store: Store, samples
) -> None:
    """img2pdf writes linearized PDFs with an early %%EOF; their /L gives the real length."""
    data = samples.pdf_bytes(2, "lin")
    assert b"/Linearized" in data[:1024]
    cut = samples.folder / "cut.pdf"
    cut.write_bytes(data[: data.index(b"%%EOF") + 6])
    (result,) = import_files(store, [cut])
    assert result.status is ImportStatus.REFUSED and "incomplete" in result.reason


def test_inspect_file_checks_without_importing(samples) -> None:
    assert inspect_file(samples.pdf("x.pdf", pages=3)).pages == 3
    with pytest.raises(RefusedFile, match="incomplete"):
        inspect_file(samples.truncated_pdf())


def test_a_full_disk_refuses_the_file_and_leaves_nothing_behind(
    store: Store, samples, monkeypatch
) -> None:
    """The OS's own error on write (ENOSPC) becomes a reason; no blob, no row, no temp file."""
    import errno

    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle):
            self.handle = handle

        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __getattr__(self, name):
            return getattr(self.handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

    monkeypatch.setattr(
        os, "fdopen", lambda fd, mode="r", *a, **k: FullDisk(real_fdopen(fd, mode, *a, **k))
    )
    (result,) = import_files(store, [samples.pdf("big.pdf")])
    assert result.status is ImportStatus.REFUSED
    assert "disk holding the store is full" in result.reason
    assert store.blobs.staging_leftovers() == [] and store.documents() == []


def test_suggestion_result_is_a_known_slot(profiles) -> None:
    keywords = all_keywords(profiles.profiles)
    slot = suggest_slot("bank deposit certificate frozen", "", keywords)
    known = {s.id for p in profiles.profiles for s in p.slots}
    assert slot in known


def test_importing_keeps_the_source_path(store: Store, samples) -> None:
    path = samples.jpeg("keep.jpg")
    (result,) = import_files(store, [path])
    assert result.document is not None
    assert Path(result.document.source_path) == path.absolute()


def test_a_full_database_refuses_the_file_and_keeps_what_was_imported(
    store: Store, samples
) -> None:
    """SQLite's own SQLITE_FULL (its page limit reached) is reported as a full disk."""
    from sqlalchemy import event, text

    with store.engine.connect() as conn:
        pages = conn.execute(text("PRAGMA page_count")).scalar_one()
    store.engine.dispose()
    event.listen(
        store.engine,
        "connect",
        lambda dbapi, _record: dbapi.execute(f"PRAGMA max_page_count = {pages}"),
    )
    paths = [samples.jpeg(f"{i:02}.jpg") for i in range(40)]
    results = import_files(store, paths, durable=False)
    statuses = [r.status for r in results]
    assert ImportStatus.REFUSED in statuses
    refused = [r for r in results if r.status is ImportStatus.REFUSED]
    assert {r.reason for r in refused} == {"the disk holding the store is full"}
    imported = {r.document_id for r in results if r.status is ImportStatus.IMPORTED}
    assert imported == {d.id for d in store.documents()}


# ---------------------------------------------------------------- as a person types it
# Issue 9, items 13 to 15, driven through the command as they were found.


def _as_an_ordinary_user() -> bool:
    """Root reads every file whatever its mode: whether to drop that power (the capabilities
    that override permissions) so ``chmod 000`` means for the command what it means for a
    user (the launcher does it as ``setpriv`` would, without starting an interpreter)."""
    if os.geteuid() != 0:
        return False
    if sys.platform != "linux":
        pytest.skip("running as root, where only Linux lets a process drop the override")
    return True


def test_unreadable_folders_and_files_are_each_refused_and_the_rest_imported(
    tmp_path: Path, samples, launcher: Launcher
) -> None:
    """A 000 subfolder was skipped without a word; a file in an unsearchable folder given on
    the command line ended the whole batch with "Permission denied"."""
    top = samples.folder / "in"
    (top / "locked").mkdir(parents=True)
    (top / "sub").mkdir()
    samples.pdf("in/a.pdf")
    samples.pdf("in/locked/hidden-from-us.pdf", pages=3)
    samples.pdf("in/sub/b.pdf", pages=2)
    (samples.folder / "nox").mkdir()
    samples.pdf("nox/n.pdf")
    bad = samples.jpeg("bad.jpg")
    last = samples.png("last.png")
    os.chmod(top / "locked", 0)
    os.chmod(samples.folder / "nox", 0o600)
    os.chmod(bad, 0)
    try:
        command = [sys.executable, "-m", "yongju", "--store", str(tmp_path / "store"), "import"]
        paths = [str(top), str(samples.folder / "nox" / "n.pdf"), str(bad), str(last)]
        done = launcher.run(
            [*command, "--json", *paths],
            capture_output=True,
            text=True,
            errors="surrogateescape",
            timeout=120,
            ordinary_user=_as_an_ordinary_user(),
        )
    finally:
        os.chmod(top / "locked", 0o700)
        os.chmod(samples.folder / "nox", 0o700)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    results = {Path(r["path"]).name: (r["status"], r["reason"]) for r in json.loads(done.stdout)}
    assert results == {
        "a.pdf": ("imported", ""),
        "locked": ("refused", "the folder cannot be opened: permission denied"),
        "b.pdf": ("imported", ""),
        "n.pdf": (
            "refused",
            "cannot be read: permission denied (a folder on its path cannot be opened)",
        ),
        "bad.jpg": ("refused", "cannot be read: permission denied"),
        "last.png": ("imported", ""),
    }


def test_a_symbolic_link_loop_is_called_one(store: Store, samples) -> None:
    (samples.folder / "loop1").symlink_to(samples.folder / "loop2")
    (samples.folder / "loop2").symlink_to(samples.folder / "loop1")
    (samples.folder / "dangling.pdf").symlink_to(samples.folder / "gone.pdf")
    results = import_files(
        store, [samples.folder / "loop1", samples.folder / "dangling.pdf", samples.pdf()]
    )
    assert [r.reason for r in results] == [
        "it is a symbolic link that leads back to itself (a link loop)",
        "it is a symbolic link to a file that does not exist",
        "",
    ]


def test_a_password_error_names_no_internal_path(store: Store, samples) -> None:
    """An older PDF (R4) whose password has accented letters opens in PDFium but not in
    qpdf; the refusal showed the store's staging path (blobs/.incoming/in-…)."""
    import pikepdf

    source = samples.pdf("plain.pdf")
    locked = samples.folder / "accented.pdf"
    with pikepdf.open(source) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="o", user="pässwörd", R=4, aes=True))
    (result,) = import_files(store, [locked], passwords=["pässwörd"])
    assert result.status is ImportStatus.REFUSED
    assert ".incoming" not in result.reason and str(store.blobs.root) not in result.reason
    assert "save it without a password" in result.reason


def test_names_with_escapes_and_bad_bytes_are_printed_escaped(
    tmp_path: Path, samples, capsys
) -> None:
    # In-process: pytest's capture is a strict UTF-8 stream, as a terminal's, and logging
    # says "Logging error" on stderr here as it would there.
    raw = os.fsdecode(b"scan-\xff.pdf")
    names = [raw, "two\nlines.pdf", "red\x1b[31m.pdf"]
    paths = [
        samples.pdf(name, label=name.encode("utf-8", "surrogateescape").hex()) for name in names
    ]
    store = ["--store", str(tmp_path / "store")]
    status = run([*store, "import", *map(str, paths)])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert "Logging error" not in err and "Traceback" not in err
    lines = out.splitlines()
    assert len(lines) == 3 and "\x1b" not in out
    assert any(line.endswith("scan-\\xff.pdf") for line in lines)
    assert any(line.endswith("two\\nlines.pdf") for line in lines)
    assert any(line.endswith("red\\x1b[31m.pdf") for line in lines)
    assert run([*store, "docs", "--json"]) == 0
    listed = capsys.readouterr().out
    assert sorted(d["original_name"] for d in json.loads(listed)) == sorted(
        ["scan-\\xff.pdf", "two\nlines.pdf", "red\x1b[31m.pdf"]
    )
