"""The packet engine on plain inputs: order, pages, A4 sizes, bytes kept, safety, manifest."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import Image

from tests.samples import Samples
from yongju.core.errors import CancelledError, ExportError
from yongju.core.packet import (
    CoverInfo,
    PacketDocument,
    PacketOptions,
    PacketResult,
    PacketSection,
    build_packet,
)
from yongju.core.records import MediaType, PageSetting, Role

A4 = (595.28, 841.89)
NO_COVER = PacketOptions(cover=False, stamp=False)


def doc(path: Path, slot: str = "s", title: str | None = None, **kw) -> PacketDocument:
    kind = {
        ".pdf": MediaType.PDF,
        ".jpg": MediaType.JPEG,
        ".png": MediaType.PNG,
        ".tif": MediaType.TIFF,
        ".heic": MediaType.HEIF,
        ".webp": MediaType.WEBP,
    }
    return PacketDocument(path, kind[path.suffix], title or path.stem, slot, **kw)


def section(slot: str, *documents: PacketDocument, **kw) -> PacketSection:
    return PacketSection(slot, f"Slot {slot}", f"材料{slot}", tuple(documents), **kw)


def images_of(page: pikepdf.Page) -> list[pikepdf.Stream]:
    """Image XObjects drawn by a page, through the form XObjects that wrap them."""
    found: list[pikepdf.Stream] = []

    def walk(resources: pikepdf.Object) -> None:
        for obj in resources.get("/XObject", {}).values():
            if obj.get("/Subtype") == "/Image":
                found.append(obj)
            elif obj.get("/Subtype") == "/Form":
                walk(obj.get("/Resources", pikepdf.Dictionary()))

    walk(page.obj.Resources)
    return found


def shown(page: pikepdf.Page) -> tuple[float, float]:
    box = [float(v) for v in page.mediabox]
    return box[2] - box[0], box[3] - box[1]


def is_a4(size: tuple[float, float]) -> bool:
    w, h = sorted(size)
    return abs(w - A4[0]) <= 1 and abs(h - A4[1]) <= 1


def outline_titles(pdf: pikepdf.Pdf) -> list[tuple[str, list[str]]]:
    with pdf.open_outline() as outline:
        return [(str(i.title), [str(c.title) for c in i.children]) for i in outline.root]


def test_pages_follow_slot_order_with_a4_sheets_bookmarks_and_manifest(
    tmp_path: Path, samples: Samples
) -> None:
    passport = samples.pdf("passport.pdf", pages=3)
    scan = samples.jpeg("marriage.jpg")
    photo = samples.png("photo.png")
    tiff = samples.tiff("translation.tif", frames=2)
    sections = [
        section(
            "passport", doc(passport, "passport", page_settings=(PageSetting(1, excluded=True),))
        ),
        section("empty"),
        section(
            "marriage",
            doc(scan, "marriage"),
            doc(photo, "marriage", role=Role.LEGALISATION),
            doc(tiff, "marriage", role=Role.TRANSLATION),
        ),
    ]
    out = tmp_path / "packet.pdf"
    result = build_packet(sections, out, NO_COVER)
    assert result.pages == 2 + 1 + 1 + 2
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 6
        assert all(is_a4(shown(p)) for p in pdf.pages)
        assert outline_titles(pdf) == [
            ("Slot passport · 材料passport", ["passport"]),
            (
                "Slot marriage · 材料marriage",
                ["marriage", "photo (legalisation)", "translation (translation)"],
            ),
        ]
    manifest = json.loads(result.manifest_path.read_text(encoding="utf-8"))
    assert result.manifest_path == tmp_path / "packet.pdf.manifest.json"
    assert [(r["slot"], r["source_pages"], r["packet_pages"]) for r in manifest["ranges"]] == [
        ("passport", [1, 3], [1, 2]),
        ("marriage", [1], [3]),
        ("marriage", [1], [4]),
        ("marriage", [1, 2], [5, 6]),
    ]
    assert [r["role"] for r in manifest["ranges"]][-2:] == ["legalisation", "translation"]
    assert manifest["pages"] == 6 and manifest["sha256"] == result.sha256


def test_jpeg_scans_keep_their_bytes(tmp_path: Path, samples: Samples) -> None:
    scan = samples.jpeg("scan.jpg")
    wrapped = samples.pdf("wrapped.pdf", pages=2)
    out = tmp_path / "packet.pdf"
    build_packet([section("s", doc(scan), doc(wrapped))], out, NO_COVER)
    with pikepdf.open(wrapped) as source:
        expected = [images_of(p)[0].read_raw_bytes() for p in source.pages]
    with pikepdf.open(out) as pdf:
        found = [images_of(p)[0] for p in pdf.pages]
        assert [i.get("/Filter") for i in found] == ["/DCTDecode"] * 3
        assert found[0].read_raw_bytes() == scan.read_bytes()
        assert [i.read_raw_bytes() for i in found[1:]] == expected
    assert out.stat().st_size < 1.05 * (scan.stat().st_size + wrapped.stat().st_size) + 8000
    assert out.stat().st_mode & 0o111 == 0  # a document, not a program


def test_orientation_is_kept_and_rotation_applied(tmp_path: Path, samples: Samples) -> None:
    wide = samples.jpeg("wide.jpg", width=877, height=620)
    tall = samples.jpeg("tall.jpg")
    rotated = doc(tall, title="rotated", page_settings=(PageSetting(0, rotation=90),))
    phone = tmp_path / "phone.jpg"  # stored wide, shown tall: EXIF orientation 6
    exif = Image.Exif()
    exif[0x0112] = 6
    samples.scan_image(877, 620, "phone").save(phone, "JPEG", exif=exif)
    out = tmp_path / "packet.pdf"
    build_packet([section("s", doc(wide), doc(tall), rotated, doc(phone))], out, NO_COVER)
    with pikepdf.open(out) as pdf:
        sizes = [shown(p) for p in pdf.pages]
    assert all(is_a4(s) for s in sizes)
    assert [w > h for w, h in sizes] == [True, False, True, False]


def test_id_card_sides_share_a_sheet(tmp_path: Path, samples: Samples) -> None:
    front = samples.jpeg("front.jpg", width=400, height=252)
    back = samples.jpeg("back.jpg", width=400, height=252)
    lone = samples.jpeg("lone.jpg", width=400, height=252)  # a card with one side only
    sides = section("id", doc(front, "id"), doc(back, "id"), doc(lone, "id"), id_card=True)
    out = tmp_path / "paired.pdf"
    result = build_packet([sides], out, NO_COVER)
    assert result.pages == 2
    assert [r.packet_pages for r in result.ranges] == [(1,), (1,), (2,)]
    with pikepdf.open(out) as pdf:
        assert [len(images_of(p)) for p in pdf.pages] == [2, 1]
        assert all(w < h and is_a4((w, h)) for w, h in map(shown, pdf.pages))  # portrait
    apart = build_packet(
        [sides],
        tmp_path / "apart.pdf",
        PacketOptions(cover=False, stamp=False, id_card_layout=False),
    )
    assert apart.pages == 3


def hostile_pdf(path: Path, samples: Samples) -> Path:
    """A PDF with every kind of active content the packet must not carry over."""
    pdf = pikepdf.open(io.BytesIO(samples.pdf_bytes(1, "hostile")))
    script = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)"))
    pdf.Root.OpenAction = script
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array())
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ evil", mime_type="x")
    page = pdf.pages[0]
    page.obj.AA = pikepdf.Dictionary(O=script)
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=[0, 0, 100, 100],
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F="calc.exe"),
    )
    page.obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link)]))
    pdf.save(path)
    return path


def test_active_content_is_not_carried_over(tmp_path: Path, samples: Samples) -> None:
    source = hostile_pdf(tmp_path / "hostile.pdf", samples)
    with pikepdf.open(source) as pdf:
        assert "/OpenAction" in pdf.Root and "/AA" in pdf.pages[0].obj and pdf.attachments
    out = tmp_path / "packet.pdf"
    build_packet([section("s", doc(source))], out, NO_COVER)
    banned = {
        "/JavaScript",
        "/JS",
        "/OpenAction",
        "/AA",
        "/Launch",
        "/EmbeddedFiles",
        "/EmbeddedFile",
        "/AcroForm",
        "/Annots",
        "/Names",
        "/URI",
    }
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 1
        keys: set[str] = set()
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                keys.update(obj.keys())
                keys.update(str(v) for v in obj.values() if isinstance(v, pikepdf.Name))
        assert not keys & banned
        assert not pdf.attachments
    assert b"evil" not in out.read_bytes() and b"calc.exe" not in out.read_bytes()


def test_password_protects_with_aes_256(tmp_path: Path, samples: Samples) -> None:
    out = tmp_path / "locked.pdf"
    build_packet(
        [section("s", doc(samples.jpeg()))],
        out,
        PacketOptions(cover=False, stamp=False, password="k3y 密码"),
    )
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(out)
    with pikepdf.open(out, password="k3y 密码") as pdf:
        assert len(pdf.pages) == 1
        assert pdf.encryption.R == 6
        assert str(pdf.encryption.stream_method).endswith("aesv3") and pdf.encryption.bits == 256


def test_encrypted_input_is_written_decrypted(tmp_path: Path, samples: Samples) -> None:
    locked = samples.encrypted_pdf("locked.pdf", password="secret")
    out = tmp_path / "packet.pdf"
    with pytest.raises(ExportError, match="password"):
        build_packet([section("s", doc(locked))], out, NO_COVER)
    build_packet([section("s", doc(locked, password="secret"))], out, NO_COVER)
    with pikepdf.open(out) as pdf:
        assert not pdf.is_encrypted and len(pdf.pages) == 2


def noisy_scan(path: Path, seed: int) -> Path:
    # Just taller than the harshest level keeps (75 dpi on A4: 877 pixels), so the last
    # level downsamples as well as recompresses.
    Image.effect_noise((640, 905), 30 + seed).convert("RGB").save(
        path, "JPEG", quality=92, dpi=(110, 110)
    )
    return path


def test_size_budget_recompresses_largest_first_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from yongju.core.packet import budget as budget_module

    scans = [doc(noisy_scan(tmp_path / f"n{i}.jpg", i)) for i in range(3)]
    plain = build_packet([section("s", *scans)], tmp_path / "plain.pdf", NO_COVER)
    budget = int(plain.bytes * 0.6)
    out = tmp_path / "small.pdf"
    encodes: list[tuple[object, int, int | None]] = []
    encode = budget_module._encode

    def counted(image: Any, quality: int, max_dpi: int | None) -> Any:
        encodes.append((image.obj.objgen, quality, max_dpi))
        return encode(image, quality, max_dpi)

    monkeypatch.setattr(budget_module, "_encode", counted)
    result = build_packet(
        [section("s", *scans)], out, PacketOptions(cover=False, stamp=False, max_size=budget)
    )
    assert result.bytes == out.stat().st_size <= budget
    # The estimate's encoding of the largest image is the one written: none is made twice.
    assert len(encodes) == len(set(encodes)) > len(scans)
    assert any("recompressed" in w for w in result.warnings)
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 3
    with pytest.raises(ExportError, match="cannot be made smaller"):
        build_packet(
            [section("s", *scans)],
            tmp_path / "tiny.pdf",
            PacketOptions(cover=False, stamp=False, max_size=20_000),
        )
    assert not (tmp_path / "tiny.pdf").exists()


def leftovers(folder: Path) -> list[str]:
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.name.startswith(".") or p.suffix in (".part", ".fit", ".enc")
    )


def test_a_failure_leaves_nothing_at_the_destination(tmp_path: Path, samples: Samples) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    good, bad = samples.pdf("good.pdf"), samples.damaged_pdf("bad.pdf")
    with pytest.raises(ExportError, match="bad"):
        build_packet([section("s", doc(good), doc(bad))], out_dir / "p.pdf", NO_COVER)
    assert list(out_dir.iterdir()) == []


def test_cancel_stops_and_leaves_nothing(tmp_path: Path, samples: Samples) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    docs = [doc(samples.pdf(f"d{i}.pdf", pages=2)) for i in range(3)]
    seen: list[tuple[int, int]] = []
    with pytest.raises(CancelledError):
        build_packet(
            [section("s", *docs)],
            out_dir / "p.pdf",
            NO_COVER,
            progress=lambda d, t: seen.append((d, t)),
            cancel=lambda: len(seen) >= 2,
        )
    assert seen == [(1, 6), (2, 6)]
    assert list(out_dir.iterdir()) == []


def test_an_existing_packet_is_replaced_whole(tmp_path: Path, samples: Samples) -> None:
    out = tmp_path / "p.pdf"
    out.write_bytes(b"old")
    build_packet([section("s", doc(samples.jpeg()))], out, NO_COVER)
    assert out.read_bytes().startswith(b"%PDF") and leftovers(tmp_path) == []


def test_cover_and_contents_speak_chinese(tmp_path: Path, samples: Samples) -> None:
    import pypdfium2

    info = CoverInfo(
        applicant="Łukasz Dvořák",
        title_en="Spouse of a Chinese citizen",
        title_zh="夫妻团聚",
        submission_date=dt.date(2027, 3, 1),
        generated=dt.datetime(2026, 11, 27, 9, 0),
        ready=False,
        warnings=("Health certificate (健康证明书): missing",),
    )
    sections = [
        section("passport", doc(samples.pdf(pages=2), "passport"), copies=2),
        PacketSection("health", "Health certificate", "健康证明书", (), problem="Missing"),
    ]
    out = tmp_path / "p.pdf"
    result = build_packet(sections, out, PacketOptions(stamp=True), cover=info)
    reader = pypdfium2.PdfDocument(out)
    pages = [reader[i].get_textpage().get_text_range() for i in range(len(reader))]
    reader.close()
    cover_pages = result.pages - 2
    text = " ".join(pages[:cover_pages])
    for words in ("Łukasz Dvořák", "夫妻团聚", "目录", "健康证明书", "材料不全", "2027-03-01"):
        assert words in text
    assert f"{cover_pages + 1}–{cover_pages + 2}" in text  # the passport's page range
    assert f"page {result.pages} of {result.pages}" in pages[-1]
    with pikepdf.open(out) as pdf:
        fonts = {
            str(f.get("/BaseFont"))
            for f in pdf.objects
            if isinstance(f, pikepdf.Dictionary) and f.get("/Type") == "/Font"
        }
    assert any("NotoSansCJKSC" in f for f in fonts)  # embedded: no Chinese font needed


def test_jpeg_tiff_frames_are_joined_without_reencoding(tmp_path: Path, samples: Samples) -> None:
    from PIL import ImageChops, ImageSequence

    frames = [samples.scan_image(400, 566, f"frame {i}") for i in range(2)]
    tiff = tmp_path / "scan.tif"
    frames[0].save(
        tiff,
        "TIFF",
        save_all=True,
        append_images=frames[1:],
        compression="jpeg",
        quality=80,
        dpi=(150, 150),
    )
    with Image.open(tiff) as image:
        assert len(image.tag_v2[273]) > 1  # libtiff wrote several strips: they get joined
    out = tmp_path / "packet.pdf"
    result = build_packet([section("s", doc(tiff))], out, NO_COVER)
    assert result.pages == 2
    assert out.stat().st_size < tiff.stat().st_size * 1.1 + 4000
    with pikepdf.open(out) as pdf, Image.open(tiff) as image:
        for page, frame in zip(pdf.pages, ImageSequence.Iterator(image), strict=True):
            stream = images_of(page)[0]
            assert stream.get("/Filter") == "/DCTDecode"
            assert stream.DecodeParms.ColorTransform == 0  # RGB-coded strips stay RGB
            joined = Image.open(io.BytesIO(stream.read_raw_bytes())).convert("RGB")
            assert ImageChops.difference(joined, frame.convert("RGB")).getbbox() is None


@pytest.mark.parametrize("failing", [".pdf", ".json"])  # the packet's link, the manifest's
def test_a_full_disk_is_one_sentence_and_leaves_nothing(
    tmp_path: Path, samples: Samples, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    import errno
    import os

    real_link, real_replace = os.link, os.replace

    def full(real):  # type: ignore[no-untyped-def]
        def put(src: str, dst: str, **kw: object) -> None:
            if str(dst).endswith(failing):
                raise OSError(errno.ENOSPC, "No space left on device")
            real(src, dst, **kw)

        return put

    monkeypatch.setattr(os, "link", full(real_link))
    monkeypatch.setattr(os, "replace", full(real_replace))
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(ExportError, match="No space left on device"):
        build_packet([section("s", doc(samples.jpeg()))], out_dir / "p.pdf", NO_COVER)
    assert list(out_dir.iterdir()) == []  # neither the packet nor its manifest


def test_cover_and_stamps_are_the_same_laid_out_in_place(tmp_path: Path, samples: Samples) -> None:
    """The cover and stamps come out the same whether the export runs on the command line
    (the main thread) or on the window's worker thread."""
    import threading

    import pypdfium2

    info = CoverInfo(
        applicant="Ana",
        title_en="Employment",
        title_zh="工作",
        submission_date=None,
        generated=dt.datetime(2026, 11, 27),
        ready=True,
    )
    sections = [section("a", doc(samples.pdf(pages=3)))]

    def export(out: Path) -> PacketResult:
        return build_packet(sections, out, PacketOptions(stamp=True), cover=info)

    results = [export(tmp_path / "main.pdf")]
    worker = threading.Thread(target=lambda: results.append(export(tmp_path / "worker.pdf")))
    worker.start()
    worker.join()
    assert len(results) == 2, "the export on a worker thread failed"
    for out, result in zip((tmp_path / "main.pdf", tmp_path / "worker.pdf"), results, strict=True):
        reader = pypdfium2.PdfDocument(out)
        last = reader[len(reader) - 1].get_textpage().get_text_range()
        reader.close()
        assert f"page {result.pages} of {result.pages}" in last
    assert (
        results[0].pages
        == results[1].pages
        == 3 + json.loads(results[0].manifest_json)["cover_pages"]
    )
    assert [r.packet_pages for r in results[0].ranges] == [
        r.packet_pages for r in results[1].ranges
    ]
