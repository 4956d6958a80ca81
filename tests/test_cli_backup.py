"""``yongju backup`` and ``yongju restore`` as a person or a script runs them."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from yongju.cli import run


def yongju(capsys, *argv: str) -> tuple[int, str, str]:
    status = run(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_backup_and_restore_from_the_command_line(capsys, tmp_path: Path, samples) -> None:
    store, other = str(tmp_path / "store"), str(tmp_path / "new-computer")
    yongju(capsys, "--store", store, "case", "new", "Jan Peeters", "--profile", "employment")
    yongju(capsys, "--store", store, "import", str(samples.pdf("passport.pdf")))
    archive = tmp_path / "yongju-backup.tar"

    status, out, err = yongju(capsys, "--store", store, "backup", str(archive))
    assert (status, err) == (0, "")
    assert out.startswith("Backed up 1 document and 1 case (") and str(archive) in out
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600

    status, out, err = yongju(capsys, "--store", other, "restore", str(archive), "--json")
    assert (status, err) == (0, "")
    data = json.loads(out)
    assert (data["store"], data["documents"], data["cases"]) == (other, 1, 1)
    status, out, _ = yongju(capsys, "--store", other, "docs", "--json")
    assert [d["original_name"] for d in json.loads(out)] == ["passport.pdf"]

    status, out, err = yongju(capsys, "--store", store, "restore", str(archive))
    assert status == 1 and out == ""
    assert err == (
        f"yongju: {store} is not empty; a backup is restored only into a new or empty store "
        "(give another folder with --store).\n"
    )


def test_a_damaged_archive_is_one_sentence(capsys, tmp_path: Path, samples) -> None:
    store = str(tmp_path / "store")
    yongju(capsys, "--store", store, "import", str(samples.jpeg("scan.jpg")))
    archive = tmp_path / "b.tar"
    yongju(capsys, "--store", store, "backup", str(archive))
    archive.write_bytes(archive.read_bytes()[:3000])
    target = tmp_path / "restored"
    status, out, err = yongju(capsys, "--store", str(target), "restore", str(archive))
    assert status == 1 and out == ""
    assert err.startswith("yongju: The backup b.tar is damaged (near blobs/")
    assert err.endswith("nothing was restored.\n") and err.count("\n") == 1
    assert not target.exists()

    status, _, err = yongju(capsys, "--store", store, "backup", str(samples.pdf("mine.pdf")))
    assert status == 1 and "exists and is not a Yongju backup" in err
