"""The packet against faults and leaks: private files, nothing left by a kill, no hung helper,
stored files checked as they are read, nothing but what prints, no user file replaced."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from tests import soak
from tests.launcher import Launcher
from tests.samples import Samples
from yongju.core.errors import ExportError
from yongju.core.importing import import_files
from yongju.core.packet import PacketDocument, PacketOptions, PacketSection, build_packet
from yongju.core.packet import files as packet_files
from yongju.core.packet.jpegmeta import without_metadata
from yongju.core.packet.sources import Source
from yongju.core.profiles import ProfileSet
from yongju.core.records import MediaType
from yongju.core.store import Store

PROFILE = "spouse_of_chinese_citizen"
NO_COVER = PacketOptions(cover=False, stamp=False)
# A stored case's packet without the cover and stamps, which these tests are not about.
UNREADY = PacketOptions(allow_incomplete=True, cover=False, stamp=False)
ROOT = Path(__file__).resolve().parents[2]


def doc(path: Path, title: str | None = None, **kw: object) -> PacketDocument:
    kind = MediaType.JPEG if path.suffix == ".jpg" else MediaType.PDF
    return PacketDocument(path, kind, title or path.stem, "s", **kw)  # type: ignore[arg-type]


def section(*documents: PacketDocument) -> list[PacketSection]:
    return [PacketSection("s", "Slot", "材料", tuple(documents))]


def manifest_of(pdf: Path) -> Path:
    return pdf.with_name(pdf.name + ".manifest.json")


# ----------------------------------------------------------------------------- item 8
@pytest.mark.parametrize(
    "options",
    [
        NO_COVER,
        PacketOptions(cover=False, stamp=False, password="s3cret"),
        PacketOptions(cover=False, stamp=False, max_size=150_000, password="s3cret"),
    ],
    ids=["plain", "password", "budget+password"],
)
def test_packet_and_manifest_are_private_whatever_the_umask(
    tmp_path: Path, samples: Samples, options: PacketOptions
) -> None:
    sources = [doc(samples.pdf(f"d{i}.pdf", pages=2, label=f"noise {i}")) for i in range(3)]
    out = tmp_path / "out" / "p.pdf"
    out.parent.mkdir()
    previous = os.umask(0o000)
    try:
        result = build_packet(section(*sources), out, options)
    finally:
        os.umask(previous)
    assert sorted(p.name for p in out.parent.iterdir()) == ["p.pdf", "p.pdf.manifest.json"]
    for path in (out, result.manifest_path):
        assert path.stat().st_mode & 0o777 == 0o600, path
    if options.password:
        with pytest.raises(pikepdf.PasswordError):
            pikepdf.open(out)
        with pikepdf.open(out, password="s3cret") as pdf:
            assert len(pdf.pages) == result.pages


def test_with_a_password_the_plain_packet_is_never_in_a_file(
    tmp_path: Path, samples: Samples, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The unencrypted packet is written to memory (memfd), the encrypted one to an unnamed
    file in the destination folder; nothing plain ever has a place on disk."""
    written_to: list[str] = []
    real_init = packet_files.PacketFile.__init__

    def spy(self: packet_files.PacketFile, fd: int) -> None:
        written_to.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_init(self, fd)

    monkeypatch.setattr(packet_files.PacketFile, "__init__", spy)
    build_packet(
        section(doc(samples.pdf())),
        tmp_path / "p.pdf",
        PacketOptions(cover=False, stamp=False, password="pw"),
    )
    build_packet(section(doc(samples.pdf())), tmp_path / "q.pdf", NO_COVER)
    assert written_to[0].startswith("/memfd:")
    assert written_to[1].startswith(str(tmp_path)) and written_to[1].endswith("(deleted)")


def test_leftovers_of_killed_exports_are_removed_by_the_next_one(
    tmp_path: Path, samples: Samples, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where unnamed files do not exist: hidden .part files, locked while in use; the next
    export to the folder removes every unlocked one, whatever its kind."""
    import fcntl

    monkeypatch.setattr(packet_files, "_unnamed_ok", lambda: False)
    names = [
        ".p.pdf.abc123xy.part",
        ".p.pdf.abc123xy.part.enc",
        ".p.pdf.abc123xy.part.fit",
        ".other.pdf.q1w2e3r4.part",
        ".p.pdf.manifest.json.zz9x8c7v.part",
    ]
    minute_ago = time.time() - 60
    for leftover in names:
        (tmp_path / leftover).write_bytes(b"%PDF-1.7 partial")
        os.utime(tmp_path / leftover, (minute_ago, minute_ago))
    running = tmp_path / ".p.pdf.running1.part"  # another export still writing
    running.write_bytes(b"%PDF-1.7 partial")
    os.utime(running, (minute_ago, minute_ago))
    mine = (tmp_path / "notes.part").resolve()  # not ours: never touched
    mine.write_text("mine")
    holder = os.open(running, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        result = build_packet(section(doc(samples.jpeg())), tmp_path / "p.pdf", NO_COVER)
    finally:
        os.close(holder)
    left = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
    assert left == sorted([".p.pdf.running1.part", "notes.part", "p.pdf", "p.pdf.manifest.json"])
    assert result.output.stat().st_mode & 0o777 == 0o600


def session_processes(session: int) -> list[str]:
    """Every process still alive in ``session`` (children are reparented, sessions kept)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[3]) == session and fields[0] != "Z":
            found.append(f"{entry.name} {stat[: stat.rindex(')') + 1]}")
    return found


@pytest.mark.slow
def test_killing_exports_at_random_moments_leaves_no_file_and_no_process(
    tmp_path: Path, store: Store, samples: Samples, launcher: Launcher, chance: soak.Chance
) -> None:
    """Items 8 and 9: SIGKILL at random points of `export --password --stamp --max-size`;
    afterwards no process of the export is left, the folder holds nothing, or only the whole
    encrypted packet and its manifest, all 0600."""
    case = store.create_case("Kim", PROFILE)
    scans = [samples.pdf(f"d{i}.pdf", pages=3, label=f"page {i}") for i in range(4)]
    for result in import_files(store, scans):
        assert result.document is not None
        store.file_document(case.id, "passport", result.document.id)
    store.close()
    out = tmp_path / "out" / "kim.pdf"
    out.parent.mkdir()
    budget = sum(scan.stat().st_size for scan in scans) * 0.7  # every scan is recompressed
    command = [
        *(sys.executable, "-m", "yongju", "--store", str(store.folder), "export"),
        *("--case", "Kim", "-o", str(out), "--allow-incomplete", "--stamp", "--password"),
        *("--max-size", f"{budget / 1e6:.2f}MB"),
    ]
    env = {**os.environ, "YONGJU_PASSWORD": "kill-test"}
    started = time.monotonic()
    finished = launcher.run(command, env=env, capture_output=True, text=True)
    whole = time.monotonic() - started
    assert finished.returncode == 0, finished.stderr
    assert out.stat().st_size <= budget  # below the scans' own size: recompressed
    with pikepdf.open(out, password="kill-test") as pdf:
        whole_pages = len(pdf.pages)  # the cover and contents, then the 12 scanned pages
    assert whole_pages > 12
    out.unlink()
    manifest_of(out).unlink()
    # Two kills an ordinary run (new moments each run, 60 in a soak run): a round costs
    # half an export on average, and the moments of all runs together cover the export.
    for _ in range(soak.rounds(2, 60)):
        process = launcher.popen(
            command,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(chance.uniform(0, whole * 1.05))
        process.kill()
        process.wait()
        deadline = time.monotonic() + 5
        while session_processes(process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert session_processes(process.pid) == []
        left = sorted(p.name for p in out.parent.iterdir())
        assert left in ([], ["kim.pdf"], ["kim.pdf", "kim.pdf.manifest.json"]), left
        for path in out.parent.iterdir():
            assert path.stat().st_mode & 0o777 == 0o600
        if out.exists():  # it got to the end: then whole, and encrypted
            with pytest.raises(pikepdf.PasswordError):
                pikepdf.open(out)
            with pikepdf.open(out, password="kill-test") as pdf:
                assert len(pdf.pages) == whole_pages
            out.unlink()
            manifest_of(out).unlink(missing_ok=True)


# ----------------------------------------------------------------------------- item 5
def test_the_manifest_never_replaces_a_file_yongju_did_not_write(
    tmp_path: Path, samples: Samples
) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    taxes = folder / "taxes.json"
    taxes.write_text('{"income": 1}')
    sources = section(doc(samples.jpeg()))
    result = build_packet(sources, folder / "taxes.pdf", NO_COVER)
    assert taxes.read_text() == '{"income": 1}'
    assert result.manifest_path == folder / "taxes.pdf.manifest.json"
    build_packet(sources, folder / "taxes.pdf", NO_COVER)  # our own manifest: replaced
    theirs = folder / "other.pdf.manifest.json"
    theirs.write_text("written by someone else")
    with pytest.raises(
        ExportError, match=r"other\.pdf\.manifest\.json already exists.*not written"
    ):
        build_packet(sources, folder / "other.pdf", NO_COVER)
    assert theirs.read_text() == "written by someone else"
    assert not (folder / "other.pdf").exists()


# ----------------------------------------------------------------------------- items 4, 15
def stored_case(store: Store, samples: Samples) -> tuple[int, list[Path]]:
    case = store.create_case("Ann", PROFILE)
    blobs = []
    for result in import_files(store, [samples.pdf(f"d{i}.pdf", label=f"p{i}") for i in range(3)]):
        assert result.document is not None
        store.file_document(case.id, "passport", result.document.id)
        store.update_document(result.document.id, title=f"Scan {len(blobs)}")
        blobs.append(store.blob_path(result.document.sha256))
    return case.id, blobs


def writable(path: Path) -> None:
    path.chmod(0o600)


def test_a_stored_file_whose_bytes_changed_stops_the_export(
    tmp_path: Path, store: Store, profiles: ProfileSet, samples: Samples
) -> None:
    from yongju.core.packet import export_packet

    case_id, blobs = stored_case(store, samples)
    good = export_packet(store, profiles, case_id, tmp_path / "good.pdf", UNREADY)
    assert all(r.verified for r in good.ranges) and '"inputs_verified": true' in good.manifest_json
    data = bytearray(blobs[1].read_bytes())
    data[len(data) // 2] ^= 0x55  # inside a JPEG: qpdf reads the file without a complaint
    writable(blobs[1])
    blobs[1].write_bytes(bytes(data))
    out = tmp_path / "out" / "p.pdf"
    out.parent.mkdir()
    with pytest.raises(ExportError) as failure:
        export_packet(store, profiles, case_id, out, UNREADY)
    message = str(failure.value)
    assert "'Scan 1'" in message and "damaged" in message
    assert "yongju doctor --verify" in message and "\n" not in message
    assert list(out.parent.iterdir()) == []


@pytest.mark.parametrize("fault", ["missing", "truncated", "emptied"])
def test_a_missing_or_truncated_stored_file_is_one_sentence_naming_it(
    tmp_path: Path, store: Store, profiles: ProfileSet, samples: Samples, fault: str
) -> None:
    from yongju.core.packet import export_packet

    case_id, blobs = stored_case(store, samples)
    blob = blobs[2]
    writable(blob)
    if fault == "missing":
        blob.unlink()
    elif fault == "truncated":
        blob.write_bytes(blob.read_bytes()[: blob.stat().st_size // 3])
    else:
        blob.write_bytes(b"")
    out = tmp_path / "out" / "p.pdf"
    out.parent.mkdir()
    with pytest.raises(ExportError) as failure:
        export_packet(store, profiles, case_id, out, UNREADY)
    message = str(failure.value)
    assert "'Scan 2'" in message and "yongju doctor" in message, message
    assert ("missing" if fault == "missing" else "damaged") in message
    for qpdf_words in ("No such file", "Kids", "''", "root of pages"):
        assert qpdf_words not in message
    assert list(out.parent.iterdir()) == []


# ----------------------------------------------------------------------------- item 17
def run_bounded(job, seconds: float = 60):  # type: ignore[no-untyped-def]
    """Runs ``job`` on a thread; fails the test if it hangs instead of returning or raising."""
    outcome: list[object] = []

    def target() -> None:
        try:
            outcome.append(job())
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the export hung"
    return outcome[0]


@pytest.fixture(scope="module")
def many_pdfs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Thirty three-page PDFs, made once for the tests that only read them."""
    samples = Samples(tmp_path_factory.mktemp("many"))
    return [samples.pdf(f"d{i}.pdf", pages=3, label=str(i)) for i in range(30)]


@pytest.mark.parametrize("fault", ["error", "short read"])
def test_a_failing_hashing_thread_fails_the_export_in_one_sentence(
    tmp_path: Path, many_pdfs: list[Path], monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    real = os.preadv
    calls = [0]

    def preadv(fd: int, buffers: list[memoryview], offset: int) -> int:
        calls[0] += 1
        if calls[0] > 1:
            if fault == "error":
                raise OSError(5, "Input/output error")
            return 0
        return real(fd, buffers, offset)

    monkeypatch.setattr(packet_files.os, "preadv", preadv)
    # Many documents, so the bounded queue fills behind the failed thread.
    sources = [doc(path) for path in many_pdfs]
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    outcome = run_bounded(lambda: build_packet(section(*sources), out_dir / "p.pdf", NO_COVER))
    assert isinstance(outcome, ExportError), outcome
    assert "could not be" in str(outcome) and "\n" not in str(outcome)
    assert list(out_dir.iterdir()) == []
    hashing = ("packet-sha256", "packet-inputs")
    assert not [t for t in threading.enumerate() if t.name in hashing]  # none left running


# ----------------------------------------------------------------------------- item 10
def segment(marker: int, body: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(body) + 2) + body


def photo_with_metadata(samples: Samples) -> tuple[bytes, bytes]:
    """A phone-like JPEG (EXIF with GPS and orientation 6, XMP, a comment, a second picture
    after the end) and the same JPEG as it must appear in the packet."""
    buffer = io.BytesIO()
    samples.scan_image(620, 877).save(buffer, "JPEG", quality=80)
    clean = buffer.getvalue()
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90° clockwise to show
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825)[2] = (31.0, 14.0, 2.0)  # GPS latitude
    exif_body = exif.tobytes()  # starts with "Exif\0\0"
    xmp = b'http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta xmlns:x="adobe:ns:meta/">GPS</x:xmpmeta>'
    app0_end = 2 + 2 + struct.unpack(">H", clean[4:6])[0]
    assert clean[2:4] == b"\xff\xe0"
    dirty = (
        clean[:app0_end]
        + segment(0xE1, exif_body)
        + segment(0xE1, xmp)
        + segment(0xFE, b"Secret comment")
        + segment(0xED, b"Photoshop 3.0\x008BIM")
        + clean[app0_end:]
        + b"\xff\xd8TRAILING-DEPTH-MAP\xff\xd9"
    )
    return dirty, clean


def test_jpeg_metadata_is_dropped_and_the_image_kept_byte_for_byte(samples: Samples) -> None:
    dirty, clean = photo_with_metadata(samples)
    assert without_metadata(dirty) == clean
    assert without_metadata(clean) is clean


def all_objects_text(pdf: pikepdf.Pdf) -> bytes:
    parts = []
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            parts.append(bytes(obj.read_raw_bytes()))
            with_dict = pikepdf.Dictionary({k: obj[k] for k in obj.keys()})  # noqa: SIM118
            parts.append(bytes(with_dict.unparse()))
        elif isinstance(obj, pikepdf.Object):
            parts.append(bytes(obj.unparse()))
    return b"\n".join(parts)


def test_a_phone_photo_reaches_the_packet_without_exif_and_still_turned(
    tmp_path: Path, samples: Samples
) -> None:
    dirty, clean = photo_with_metadata(samples)
    photo = tmp_path / "phone.jpg"
    photo.write_bytes(dirty)
    out = tmp_path / "p.pdf"
    build_packet(section(doc(photo)), out, NO_COVER)
    with pikepdf.open(out) as pdf:
        page = pdf.pages[0]
        width, height = (float(v) for v in page.mediabox[2:])
        assert width > height  # orientation 6 still turns the portrait scan on its side
        images = [
            o
            for o in pdf.objects
            if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"
        ]
        assert [bytes(i.read_raw_bytes()) for i in images] == [clean]
        everything = all_objects_text(pdf)
    for secret in (b"PhoneMaker", b"Exif", b"xmpmeta", b"Secret comment", b"TRAILING", b"8BIM"):
        assert secret not in everything


def hostile_pdf(path: Path, samples: Samples) -> Path:
    """Metadata and actions everywhere a PDF can hold them, reachable from the page too."""
    pdf = pikepdf.open(io.BytesIO(samples.pdf_bytes(1, "hostile")))
    page = pdf.pages[0].obj
    xmp = pdf.make_stream(b'<x:xmpmeta xmlns:x="adobe:ns:meta/">CreatorTool SecretApp</x:xmpmeta>')
    xmp.Type, xmp.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
    goto_r = pikepdf.Dictionary(S=pikepdf.Name.GoToR, F=pikepdf.String("file:///etc/passwd"))
    pdf.Root.Metadata = xmp
    pdf.Root.OpenAction = goto_r
    pdf.Root.PieceInfo = pikepdf.Dictionary(App=pikepdf.Dictionary(Private=pikepdf.String("x")))
    page.PieceInfo = pikepdf.Dictionary(Illustrator=pikepdf.Dictionary(Private=xmp))
    page.AA = pikepdf.Dictionary(O=goto_r)
    page.Annots = pikepdf.Array(
        [
            pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.Link,
                    Rect=[0, 0, 100, 100],
                    A=goto_r,
                )
            )
        ]
    )
    for image in page.Resources.XObject.values():
        image.Metadata = xmp
        image.PieceInfo = pikepdf.Dictionary(App=pikepdf.Dictionary(Private=pikepdf.String("y")))
        image.Hidden = goto_r  # an action under a key no reader knows
    form = pdf.make_stream(b"q Q", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form)
    form.BBox = [0, 0, 10, 10]
    form.Metadata, form.PieceInfo, form.LastModified = xmp, page.PieceInfo, pikepdf.String("D:1")
    form.Ref = pikepdf.Dictionary(F=pikepdf.String("/etc/passwd"), Page=0)
    page.Resources.XObject.Fm9 = form
    pdf.save(path)
    return path


def test_a_pdf_gives_the_packet_nothing_but_what_prints(tmp_path: Path, samples: Samples) -> None:
    source = hostile_pdf(tmp_path / "hostile.pdf", samples)
    out = tmp_path / "p.pdf"
    build_packet(section(doc(source)), out, NO_COVER)
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 1
        everything = all_objects_text(pdf)
    for unwanted in (
        b"/Metadata",
        b"/PieceInfo",
        b"/LastModified",
        b"xmpmeta",
        b"SecretApp",
        b"GoToR",
        b"etc/passwd",
        b"/OpenAction",
        b"/AA",
        b"/Annots",
    ):
        assert unwanted not in everything, unwanted


# ----------------------------------------------------------------------------- item 16
def test_pages_are_looked_up_once_per_document_not_once_per_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pikepdf's pages[i] copies qpdf's whole page list each time: called per page, export
    time grew with the square of the pages (20,000 pages took 45 s)."""
    pdf = pikepdf.new()
    for _ in range(60):  # enough to tell one lookup a page from a few
        pdf.add_blank_page(page_size=(595, 842))
    path = tmp_path / "long.pdf"
    pdf.save(path)
    lookups = [0]
    page_list = type(pdf.pages)
    real = page_list.__getitem__

    def counted(self, index):  # type: ignore[no-untyped-def]
        lookups[0] += 1
        return real(self, index)

    monkeypatch.setattr(page_list, "__getitem__", counted)
    result = build_packet(section(doc(path)), tmp_path / "p.pdf", NO_COVER)
    assert result.pages == 60
    assert lookups[0] <= 3  # not one per page
    source = Source(doc(path), pikepdf.open(path), False)
    assert [source.page(i).objgen for i in (0, 59)] == [p.obj.objgen for p in source.pdf.pages][
        ::59
    ]
    with pytest.raises(ExportError, match="has no page 61"):
        source.page(60)
    source.close()


def test_no_export_helper_process_and_no_fork(
    tmp_path: Path, samples: Samples, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cover and stamps are laid out in the exporting process: nothing is forked that
    could outlive it."""
    import multiprocessing

    def refuse(*args: object, **kw: object) -> None:
        raise AssertionError("the export started a process")

    monkeypatch.setattr(os, "fork", refuse)
    monkeypatch.setattr(multiprocessing.Process, "start", refuse)
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # as in the command line
    result = build_packet(
        section(doc(samples.pdf(pages=3))),
        tmp_path / "p.pdf",
        PacketOptions(stamp=True),
        cover=None,
    )
    assert result.pages == 3


# ----------------------------------------------------------------------------- item 11
def filed_case(store: Store, samples: Samples) -> None:
    case = store.create_case("Mia", PROFILE)
    document = import_files(store, [samples.pdf("passport.pdf", pages=2)])[0].document
    assert document is not None
    store.file_document(case.id, "passport", document.id)


def opens_with(path: Path, password: str) -> bool:
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(path)
    with pikepdf.open(path, password=password) as pdf:
        return len(pdf.pages) == 2


def test_the_packet_password_comes_from_the_environment_a_file_or_a_value(
    tmp_path: Path,
    store: Store,
    samples: Samples,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from yongju.cli import run

    filed_case(store, samples)
    base = ["--store", str(store.folder), "export", "--case", "Mia", "--allow-incomplete"]
    base += ["--no-cover", "--no-stamp"]
    monkeypatch.setenv("YONGJU_PASSWORD", "from env")
    assert run([*base, "-o", str(tmp_path / "env.pdf"), "--password"]) == 0
    assert opens_with(tmp_path / "env.pdf", "from env")
    secret = tmp_path / "secret.txt"
    secret.write_text("from a file\nsecond line\n")
    assert run([*base, "-o", str(tmp_path / "file.pdf"), "--password-file", str(secret)]) == 0
    assert opens_with(tmp_path / "file.pdf", "from a file")
    assert run([*base, "-o", str(tmp_path / "value.pdf"), "--password", "typed"]) == 0
    assert opens_with(tmp_path / "value.pdf", "typed")
    assert run([*base, "-o", str(tmp_path / "plain.pdf")]) == 0  # the variable alone: no
    with pikepdf.open(tmp_path / "plain.pdf") as pdf:
        assert len(pdf.pages) == 2
    capsys.readouterr()
    monkeypatch.delenv("YONGJU_PASSWORD")
    status = run([*base, "-o", str(tmp_path / "none.pdf"), "--password"])  # no terminal here
    err = capsys.readouterr().err
    assert status == 2 and "YONGJU_PASSWORD" in err and "--password-file" in err
    assert err.count("\n") == 1 and not (tmp_path / "none.pdf").exists()
    status = run([*base, "-o", str(tmp_path / "x.pdf"), "--password-file", str(tmp_path / "no")])
    assert status == 2 and "cannot read the password file" in capsys.readouterr().err


def test_help_says_a_password_value_is_visible_to_other_users(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from yongju.cli import run

    for command in ("export", "import", "watch"):
        with pytest.raises(SystemExit):
            run([command, "--help"])
        text = " ".join(capsys.readouterr().out.split())
        assert "visible to other users" in text and "--password-file" in text, command


def test_the_packet_password_is_asked_for_at_a_terminal_and_never_in_ps(
    tmp_path: Path, store: Store, samples: Samples, launcher: Launcher
) -> None:
    import pty

    filed_case(store, samples)
    store.close()
    out = tmp_path / "asked.pdf"
    command = [
        *(sys.executable, "-m", "yongju", "--store", str(store.folder), "export"),
        *("--case", "Mia", "-o", str(out), "--allow-incomplete", "--no-cover", "--no-stamp"),
        "--password",
    ]
    env = dict(os.environ)
    env.pop("YONGJU_PASSWORD", None)
    leader, follower = pty.openpty()
    process = launcher.popen(
        command, env=env, stdin=follower, stdout=subprocess.DEVNULL, stderr=follower
    )
    os.close(follower)
    seen = b""

    def read_until(text: bytes) -> None:
        nonlocal seen
        deadline = time.monotonic() + 60
        while text not in seen and time.monotonic() < deadline:
            seen += os.read(leader, 1024)
        assert text in seen, seen

    read_until(b"Password for the packet: ")
    assert b"typed at the prompt" not in Path(f"/proc/{process.pid}/cmdline").read_bytes()
    os.write(leader, b"typed at the prompt\n")
    read_until(b"Repeat the password: ")
    os.write(leader, b"typed at the prompt\n")
    assert process.wait(60) == 0
    os.close(leader)
    assert b"typed at the prompt" not in seen  # not echoed
    assert opens_with(out, "typed at the prompt")


def test_import_reads_input_passwords_from_a_file_and_the_environment(
    tmp_path: Path, samples: Samples, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    from yongju.cli import run

    folder = str(tmp_path / "store")
    first = samples.encrypted_pdf("first.pdf", password="from file")
    second = samples.encrypted_pdf("second.pdf", password="from env")
    secrets_file = tmp_path / "passwords.txt"
    secrets_file.write_text("wrong one\nfrom file\n")
    monkeypatch.setenv("YONGJU_PASSWORD", "from env")
    status = run(
        ["--store", folder, "import", str(first), str(second), "--password-file", str(secrets_file)]
    )
    assert status == 0, capsys.readouterr().err
    with Store.open(Path(folder)) as store:
        assert len(store.documents()) == 2


def test_a_photo_inside_a_pdf_loses_its_exif_too(tmp_path: Path, samples: Samples) -> None:
    """A scanning app's PDF of a phone photo: the JPEG in it carries the EXIF as it was."""
    import img2pdf

    dirty, clean = photo_with_metadata(samples)
    source = tmp_path / "scanned.pdf"
    source.write_bytes(img2pdf.convert(dirty, rotation=img2pdf.Rotation.none))
    with pikepdf.open(source) as pdf:  # img2pdf embeds the file's bytes, EXIF and all
        assert any(
            b"PhoneMaker" in bytes(o.read_raw_bytes())
            for o in pdf.objects
            if isinstance(o, pikepdf.Stream)
        )
    out = tmp_path / "p.pdf"
    build_packet(section(doc(source)), out, NO_COVER)
    with pikepdf.open(out) as pdf:
        images = [
            bytes(o.read_raw_bytes())
            for o in pdf.objects
            if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"
        ]
    assert images == [clean]


def test_an_input_that_cannot_be_read_back_is_named(
    tmp_path: Path, samples: Samples, monkeypatch: pytest.MonkeyPatch
) -> None:
    from yongju.core.packet import inputs

    def failing(fd: int) -> str:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(inputs, "fd_sha256", failing)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    source = doc(samples.pdf("bank.pdf"), title="Bank statement")
    outcome = run_bounded(lambda: build_packet(section(source), out_dir / "p.pdf", NO_COVER))
    assert isinstance(outcome, ExportError)
    assert "'Bank statement'" in str(outcome) and "Input/output error" in str(outcome)
    assert list(out_dir.iterdir()) == []
