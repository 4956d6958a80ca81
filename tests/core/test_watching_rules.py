"""The watcher's pure parts: ignore rules, filesystem detection, completeness, moving aside."""

from __future__ import annotations

import io
from pathlib import Path

import img2pdf
import pytest
from PIL import Image

from yongju.core.watching.completeness import Completeness, check_complete
from yongju.core.watching.mounts import filesystem_type, polling_reason
from yongju.core.watching.moving import move_aside
from yongju.core.watching.rules import skip_dir_reason, skip_reason

MOUNTS = """\
sysfs /sys sysfs rw,nosuid 0 0
/dev/sda1 / ext4 rw,relatime 0 0
/dev/sdb1 /media/usb vfat rw 0 0
server:/export /mnt/scans nfs4 rw,vers=4.2 0 0
//nas/share /mnt/nas/My\\040Scans cifs rw 0 0
me@host:/home /mnt/ssh fuse.sshfs rw 0 0
tmpfs /mnt/scans/local tmpfs rw 0 0
"""


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("scan.pdf.part", ".part"),
        ("photo.jpg.crdownload", "Chrome"),
        ("x.download", "Safari"),
        ("scan.TMP", "temporary"),
        ("~$letter.docx", "lock file"),
        (".~lock.form.odt#", "LibreOffice"),
        ("._scan.pdf", "AppleDouble"),
        (".DS_Store", "macOS"),
        ("Thumbs.db", "thumbnail"),
        ("desktop.ini", "Windows"),
        (".scan.pdf.swp", "swap"),
        (".hidden.pdf", "hidden"),
    ],
)
def test_temporary_and_hidden_files_are_skipped_with_a_reason(name: str, fragment: str) -> None:
    reason = skip_reason(name, name)
    assert reason is not None and fragment in reason


def test_ordinary_scans_are_not_skipped() -> None:
    for name in ("scan.pdf", "IMG_0001.HEIC", "护照.jpg", "a~b.png", "part.pdf"):
        assert skip_reason(name, name) is None, name


def test_user_patterns_match_names_and_relative_paths_ignoring_case() -> None:
    assert skip_reason("Letter.DOCX", "Letter.DOCX", ["*.docx"]) == (
        "matches your ignore pattern '*.docx'"
    )
    assert skip_reason("a.pdf", "drafts/a.pdf", ["drafts/*"]) is not None
    assert skip_reason("a.pdf", "final/a.pdf", ["drafts/*"]) is None
    assert skip_dir_reason("Drafts", "Drafts", ["drafts"]) is not None
    assert skip_dir_reason(".sync", ".sync") == "a hidden folder"


def test_filesystem_type_takes_the_longest_mount_point() -> None:
    assert filesystem_type(Path("/mnt/scans/in"), MOUNTS) == "nfs4"
    assert filesystem_type(Path("/mnt/scans/local/x"), MOUNTS) == "tmpfs"
    assert filesystem_type(Path("/mnt/scansX"), MOUNTS) == "ext4"
    assert filesystem_type(Path("/mnt/nas/My Scans/2024"), MOUNTS) == "cifs"


def test_network_filesystems_need_polling_and_local_ones_do_not() -> None:
    assert "nfs4" in (polling_reason(Path("/mnt/scans"), MOUNTS) or "")
    assert "cifs" in (polling_reason(Path("/mnt/nas/My Scans"), MOUNTS) or "")
    assert "fuse.sshfs" in (polling_reason(Path("/mnt/ssh/me"), MOUNTS) or "")
    assert polling_reason(Path("/media/usb/scans"), MOUNTS) is None
    assert polling_reason(Path("/home/me/Scans"), MOUNTS) is None


def _pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 60), "white").save(buffer, "JPEG")
    return img2pdf.convert([buffer.getvalue()])


def _image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 60), "blue").save(buffer, fmt)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["pdf", "JPEG", "PNG", "WEBP"])
def test_whole_files_are_complete_and_cut_ones_are_not(tmp_path: Path, kind: str) -> None:
    data = _pdf_bytes() if kind == "pdf" else _image_bytes(kind)
    whole, cut = tmp_path / "whole", tmp_path / "cut"
    whole.write_bytes(data)
    cut.write_bytes(data[: len(data) * 2 // 3])
    assert check_complete(whole)[0] is Completeness.COMPLETE
    verdict, why = check_complete(cut)
    assert verdict is Completeness.INCOMPLETE and why


def test_heif_boxes_must_add_up_and_tiff_is_left_to_the_importer(tmp_path: Path) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    heif = _image_bytes("HEIF")
    (tmp_path / "whole.heic").write_bytes(heif)
    (tmp_path / "cut.heic").write_bytes(heif[: len(heif) - 40])
    assert check_complete(tmp_path / "whole.heic")[0] is Completeness.COMPLETE
    assert check_complete(tmp_path / "cut.heic")[0] is Completeness.INCOMPLETE
    (tmp_path / "scan.tif").write_bytes(_image_bytes("TIFF"))
    assert check_complete(tmp_path / "scan.tif")[0] is Completeness.UNKNOWN


def test_empty_zeroed_and_foreign_files(tmp_path: Path) -> None:
    (tmp_path / "empty").write_bytes(b"")
    (tmp_path / "zeros").write_bytes(bytes(4096))
    (tmp_path / "text").write_text("hello, this is not a scan at all\n")
    assert check_complete(tmp_path / "empty")[0] is Completeness.INCOMPLETE
    assert check_complete(tmp_path / "zeros")[0] is Completeness.INCOMPLETE
    assert check_complete(tmp_path / "text")[0] is Completeness.FOREIGN


def test_moving_aside_never_overwrites_and_writes_the_reason(tmp_path: Path) -> None:
    (tmp_path / "refused").mkdir()
    (tmp_path / "refused" / "bad.pdf").write_bytes(b"older")
    (tmp_path / "bad.pdf").write_bytes(b"newer")
    moved = move_aside(tmp_path, "bad.pdf", "refused", "it is damaged")
    assert moved == tmp_path / "refused" / "bad (2).pdf"
    assert moved.read_bytes() == b"newer"
    assert (tmp_path / "refused" / "bad.pdf").read_bytes() == b"older"
    assert not (tmp_path / "bad.pdf").exists()
    note = tmp_path / "refused" / "bad (2).pdf.reason.txt"
    assert "it is damaged" in note.read_text(encoding="utf-8")


def test_moving_keeps_the_subfolder(tmp_path: Path) -> None:
    (tmp_path / "passport").mkdir()
    (tmp_path / "passport" / "p.jpg").write_bytes(b"x")
    moved = move_aside(tmp_path, "passport/p.jpg", "imported")
    assert moved == tmp_path / "imported" / "passport" / "p.jpg"
    assert not (tmp_path / "imported" / "passport" / "p.jpg.reason.txt").exists()


def test_space_reserved_before_the_copy_is_not_taken_for_a_whole_file(tmp_path: Path) -> None:
    for kind in ("pdf", "JPEG", "PNG", "WEBP"):
        data = _pdf_bytes() if kind == "pdf" else _image_bytes(kind)
        half = len(data) // 2
        reserved = tmp_path / f"reserved.{kind}"
        reserved.write_bytes(data[:half] + bytes(len(data) - half))  # full size, half written
        assert check_complete(reserved)[0] is Completeness.INCOMPLETE, kind
