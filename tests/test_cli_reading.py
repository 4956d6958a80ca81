"""``yongju read``, ``docs --json``'s text_status and proposed, and ``doc accept``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from benchmarks.mrz_lines import td3
from PIL import Image, ImageDraw, ImageFont

from tests.recognition import SharedWorker, shared_worker
from tests.samples import Samples
from yongju.cli import run
from yongju.core.reading import ocr
from yongju.core.resources import resource_path

CERTIFICATE = "Police certificate. Date of issue: 02.10.2026. Valid until 01.04.2027."


def yongju(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, object, str]:
    status = run(list(argv))
    out, err = capsys.readouterr()
    try:
        return status, json.loads(out), err
    except json.JSONDecodeError:
        return status, out, err


def test_read_then_accept(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, samples: Samples
) -> None:
    s = ["--store", str(tmp_path / "store")]
    yongju(capsys, *s, "import", str(samples.text_pdf("police.pdf", CERTIFICATE)))
    _, docs, _ = yongju(capsys, *s, "docs", "--json")
    assert docs[0]["text_status"] == "pending" and docs[0]["proposed"] == {}

    status, out, _ = yongju(capsys, *s, "read")
    assert status == 0
    assert "issued     2026-10-02" in out and "page 1: Police certificate" in out

    _, docs, _ = yongju(capsys, *s, "docs", "--json")
    assert docs[0]["text_status"] == "done"
    assert docs[0]["proposed"]["expires"] == {
        "value": "2027-04-01",
        "page": 1,
        "evidence": CERTIFICATE,
    }
    status, out, _ = yongju(capsys, *s, "doc", "accept", "1", "--field", "expires")
    assert status == 0 and "expires set to 2027-04-01" in out
    _, docs, _ = yongju(capsys, *s, "docs", "--json")
    assert docs[0]["expires"] == "2027-04-01" and docs[0]["issued"] is None
    assert set(docs[0]["proposed"]) == {"issued"}
    status, _, err = yongju(capsys, *s, "doc", "accept", "1", "--field", "expires")
    assert status == 1 and "has no proposed expires" in err
    yongju(capsys, *s, "doc", "accept", "1")
    _, docs, _ = yongju(capsys, *s, "docs", "--json")
    assert docs[0]["issued"] == "2026-10-02" and docs[0]["proposed"] == {}


def test_read_with_nothing_pending(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, _ = yongju(capsys, "--store", str(tmp_path / "store"), "read")
    assert status == 0 and "Nothing to read" in out


def test_read_json_and_an_unknown_document(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, samples: Samples
) -> None:
    s = ["--store", str(tmp_path / "store")]
    yongju(capsys, *s, "import", str(samples.text_pdf("police.pdf", CERTIFICATE)))
    status, data, _ = yongju(capsys, *s, "read", "1", "--json")
    assert status == 0
    assert data[0]["proposed"]["issued"]["value"] == "2026-10-02"
    status, _, err = yongju(capsys, *s, "read", "7")
    assert status == 2 and "no document with id 7" in err


def _passport_scan(path: Path) -> Path:
    """A passport page as a phone or a quick scan gives it, cropped close: 800 × 736 pixels,
    the shorter side the 736 the engine's detection scales a page to, the width just holding
    the 44-character zone. (At 1240 × 877 the recognition took 40% more CPU, at 300 dpi 7 s,
    and the reading is the same.)"""
    image = Image.new("RGB", (800, 736), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(resource_path("fonts") / "NotoSans-Regular-subset.ttf"), 21)
    draw.text((35, 40), "KINGDOM OF BELGIUM   PASSPORT", font=font, fill="black")
    lines = td3(
        "Peeters", "Marc", "EH123456", "BEL", dt.date(1980, 1, 1), "M", dt.date(2031, 5, 14)
    )
    for row, line in enumerate(lines):
        for column, char in enumerate(line):  # a monospaced zone, as printed
            draw.text((35 + column * 16.5, 616 + row * 40), char, font=font, fill="black")
    image.save(path, quality=85)
    return path


@pytest.mark.slow
def test_a_passport_scan_is_read_and_filed(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    # The command reads with the worker the OCR tests share (its engine loaded once).
    monkeypatch.setattr(ocr, "OcrWorker", SharedWorker(shared_worker(request.config)))
    s = ["--store", str(tmp_path / "store")]
    yongju(capsys, *s, "case", "new", "Marc", "--profile", "spouse_of_chinese_citizen")
    yongju(capsys, *s, "import", str(_passport_scan(tmp_path / "IMG_2034.jpg")))
    status, out, _ = yongju(capsys, *s, "read")
    assert status == 0, out
    assert "expires    2031-05-14" in out
    status, out, _ = yongju(capsys, *s, "doc", "accept", "1")
    assert "filed in Marc / passport" in out
    _, docs, _ = yongju(capsys, *s, "docs", "--json")
    assert docs[0]["expires"] == "2031-05-14"
    _, check, _ = yongju(capsys, *s, "check", "--case", "Marc", "--json")
    passport = next(slot for slot in check["slots"] if slot["id"] == "passport")
    assert passport["documents"] == [1] and passport["state"] == "ok"
