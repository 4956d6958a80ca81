"""The command line, driven as a script would: JSON fields, exit statuses, one-line errors."""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests import soak
from tests.launcher import Launcher
from yongju.cli import COMMANDS, _command_alone, build_parser, run
from yongju.core.store import Store


def yongju(capsys, *argv: str) -> tuple[int, object, str]:
    """Runs one command in-process; returns (status, parsed JSON or text, stderr)."""
    status = run(list(argv))
    out, err = capsys.readouterr()
    try:
        return status, json.loads(out), err
    except json.JSONDecodeError:
        return status, out, err


@pytest.fixture
def store_dir(store_folder: Path) -> str:
    return str(store_folder)  # a copy of a new store: the first command runs no migrations


def test_profiles_json(capsys, store_dir) -> None:
    status, data, _ = yongju(capsys, "--store", store_dir, "profiles", "--json")
    assert status == 0
    spouse = next(p for p in data if p["id"] == "spouse_of_chinese_citizen")
    assert spouse["title_zh"] == "夫妻团聚"
    assert {"id", "title_en", "title_zh", "required"} <= set(spouse["slots"][0])
    assert len(data) == 8


def test_a_case_from_creation_to_ready(capsys, store_dir, samples) -> None:
    s = ["--store", store_dir]
    status, case, _ = yongju(
        capsys,
        *s,
        "case",
        "new",
        "Jan Peeters",
        "--profile",
        "employment",
        "--submission-date",
        "2027-03-01",
        "--json",
    )
    assert status == 0
    assert case == {
        "id": 1,
        "name": "Jan Peeters",
        "profile": "employment",
        "submission_date": "2027-03-01",
        "notes": "",
        "facts": {},
        "not_applicable": [],
        "decisions": [],
    }
    status, cases, _ = yongju(capsys, *s, "case", "list", "--json")
    assert [c["name"] for c in cases] == ["Jan Peeters"]

    passport = samples.pdf("passport.pdf", pages=3)
    status, results, _ = yongju(
        capsys, *s, "import", str(passport), "--case", "jan peeters", "--slot", "passport", "--json"
    )
    assert status == 0
    assert results == [
        {
            "path": str(passport),
            "status": "imported",
            "document_id": 1,
            "pages": 3,
            "reason": "",
            "suggested_slot": "passport",
            "filed": "passport",
        }
    ]
    status, docs, _ = yongju(capsys, *s, "docs", "--json")
    assert {"id", "sha256", "pages", "title", "media_type", "issued", "expires"} <= set(docs[0])
    status, doc, _ = yongju(
        capsys,
        *s,
        "doc",
        "set",
        "1",
        "--title",
        "Passport",
        "--issued",
        "2020-01-01",
        "--expires",
        "2030-01-01",
        "--json",
    )
    assert (doc["title"], doc["issued"], doc["expires"]) == ("Passport", "2020-01-01", "2030-01-01")
    status, text, _ = yongju(capsys, *s, "docs")
    assert "issued 2020-01-01  expires 2030-01-01  Passport" in text
    status, check, _ = yongju(capsys, *s, "check", "--case", "Jan Peeters", "--json")
    assert status == 1 and check["ready"] is False
    assert check["case"] == "Jan Peeters"
    passport_slot = next(x for x in check["slots"] if x["id"] == "passport")
    assert passport_slot == {**passport_slot, "state": "ok", "documents": [1]}
    assert {"id", "state", "documents"} <= set(check["slots"][0])
    assert check["valid_until"] == "2030-01-01"


def test_import_reports_refusals_and_exits_1(capsys, store_dir, samples) -> None:
    good, bad = samples.jpeg("a.jpg"), samples.html_named_pdf("b.pdf")
    status, results, _ = yongju(
        capsys, "--store", store_dir, "import", str(good), str(bad), "--json"
    )
    assert status == 1
    assert [r["status"] for r in results] == ["imported", "refused"]
    assert "web page" in results[1]["reason"]
    status, results, _ = yongju(capsys, "--store", store_dir, "import", str(good), "--json")
    assert status == 0 and results[0]["status"] == "duplicate"
    assert results[0]["document_id"] == 1


def test_a_command_line_builds_only_its_commands_module() -> None:
    """Each command is built from the module COMMANDS names, which registers it alone, so a
    command line needs only that module's parsers (all seven cost more than many commands)."""
    full = build_parser()
    every = next(a for a in full._actions if isinstance(a, argparse._SubParsersAction))
    assert set(every.choices) == set(COMMANDS)
    for module in set(COMMANDS.values()):
        alone = build_parser(next(c for c, m in COMMANDS.items() if m == module))
        built = next(a for a in alone._actions if isinstance(a, argparse._SubParsersAction))
        assert set(built.choices) == {c for c, m in COMMANDS.items() if m == module}
    assert _command_alone(["--store", "s", "--json", "doc", "set", "1"]) == "doc"
    assert _command_alone(["--help", "doc"]) is None  # the help lists every command
    assert _command_alone(["--json"]) is None


def _defaults(parser: argparse.ArgumentParser) -> list[tuple[str, object]]:
    """Every default of ``parser`` and its commands' parsers, copied."""
    found = [(a.dest, copy.deepcopy(a.default)) for a in parser._actions]
    found += [(f"set_defaults {k}", v) for k, v in parser._defaults.items()]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += [(f"{name} {dest}", value) for dest, value in _defaults(sub)]
    return found


def test_runs_in_one_process_answer_as_separate_processes_would(capsys, store_dir, samples):
    """A process builds each parser once and every command line is parsed with it: one run's
    arguments must never reach the next (a list default filled in place would carry them)."""
    from yongju.cli import _parser_of

    parsers = {module: _parser_of(module) for module in (None, *set(COMMANDS.values()))}
    before = {module: _defaults(parser) for module, parser in parsers.items()}
    s = ["--store", store_dir]
    status, first, _ = yongju(
        capsys, *s, "case", "new", "A", "--profile", "employment", "--city", "beijing", "--json"
    )  # fmt: skip
    assert status == 0 and first["facts"] == {"city": "beijing"}
    status, second, _ = yongju(capsys, *s, "case", "new", "B", "--profile", "employment", "--json")
    assert status == 0 and second["facts"] == {}
    yongju(capsys, *s, "import", str(samples.pdf("two.pdf", pages=2)), "--password", "x")
    status, doc, _ = yongju(capsys, *s, "doc", "set", "1", "--rotate", "1:90", "--exclude", "2")
    assert status == 0
    status, doc, _ = yongju(capsys, *s, "doc", "set", "1", "--title", "Deed", "--json")
    assert status == 0 and doc["title"] == "Deed"
    assert [(p["page"], p["rotation"], p["excluded"]) for p in doc["pages_settings"]] == [
        (1, 90, False),
        (2, 0, True),
    ]  # as the first run left them: the second changed no page
    assert {module: _defaults(parser) for module, parser in parsers.items()} == before
    assert all(_parser_of(module) is parser for module, parser in parsers.items())


def test_usage_errors_exit_2_with_one_line(capsys, store_dir, samples) -> None:
    status, _, err = yongju(capsys, "--store", store_dir, "check", "--case", "Nobody")
    assert status == 2 and err.strip() == "yongju: There is no case named 'Nobody'."
    status, _, err = yongju(capsys, "--store", store_dir, "case", "new", "X", "--profile", "nope")
    assert status == 2 and "There is no profile 'nope'" in err and "Traceback" not in err
    yongju(capsys, "--store", store_dir, "case", "new", "X", "--profile", "employment")
    status, _, err = yongju(
        capsys, "--store", store_dir, "file", "99", "--case", "X", "--slot", "passport"
    )
    assert status == 2 and "no document with id 99" in err
    status, _, err = yongju(
        capsys, "--store", store_dir, "file", "1", "--case", "X", "--slot", "no_such_slot"
    )
    assert status == 2 and "has no slot 'no_such_slot'" in err
    with pytest.raises(SystemExit) as exc:
        run(
            [
                "--store",
                store_dir,
                "case",
                "new",
                "Y",
                "--profile",
                "employment",
                "--submission-date",
                "2027-13-45",
            ]
        )
    assert exc.value.code == 2


def test_doctor_json(capsys, store_dir, samples) -> None:
    yongju(capsys, "--store", store_dir, "import", str(samples.jpeg()))
    status, report, _ = yongju(capsys, "--store", store_dir, "doctor", "--json")
    assert status == 0 and report["ok"] is True and report["problems"] == []
    with Store.open(store_dir) as store:
        store.blob_path(store.documents()[0].sha256).unlink()
    status, report, _ = yongju(capsys, "--store", store_dir, "doctor", "--json")
    assert status == 1 and report["ok"] is False
    assert report["problems"] == ["document 1: its file is missing from the store"]


def test_the_store_comes_from_the_environment(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("YONGJU_STORE", str(tmp_path / "env-store"))
    yongju(capsys, "case", "new", "Env", "--profile", "employment")
    assert (tmp_path / "env-store" / "yongju.db").is_file()


def _env(store: str) -> dict[str, str]:
    return {**os.environ, "YONGJU_STORE": store, "PYTHONUNBUFFERED": "1"}


def test_sigkill_during_import_loses_nothing_reported(
    tmp_path, samples, launcher: Launcher, chance: soak.Chance
) -> None:
    """Killed mid-import, the store passes doctor and has every document reported imported.

    Killed after the first to the 15th document reported: one of them drawn anew each run
    (it was the 1st, 7th and 15th every run), each in turn in a soak run.
    """
    points = range(1, 16) if soak.soaking() else [chance.randint(1, 15)]
    for kill_after in points:
        _import_killed(tmp_path / f"after-{kill_after}", samples, kill_after, launcher)


def _import_killed(folder: Path, samples, kill_after: int, launcher: Launcher) -> None:
    files = [samples.pdf(f"f{i:03}.pdf", pages=1 + i % 3) for i in range(kill_after + 5)]
    store = str(folder / "killed")
    process = launcher.popen(
        [sys.executable, "-m", "yongju", "import", *map(str, files)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=_env(store),
    )
    assert process.stdout is not None
    reported: list[int] = []
    for line in process.stdout:
        if line.startswith("imported"):
            reported.append(int(line.split("#")[1].split()[0]))
        if len(reported) >= kill_after:
            break
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    process.stdout.close()
    assert len(reported) == kill_after  # killed mid-import, not after it
    with Store.open(store) as opened:
        ids = {d.id for d in opened.documents()}
        assert set(reported) <= ids
        for doc in opened.documents():
            assert opened.blob_path(doc.sha256).is_file()
    doctor = launcher.run(
        [sys.executable, "-m", "yongju", "doctor", "--json"],
        capture_output=True,
        text=True,
        env=_env(store),
        timeout=60,
    )
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert json.loads(doctor.stdout)["ok"] is True


def test_an_unexpected_error_is_one_line_and_logged(capsys, store_dir, monkeypatch) -> None:
    """A bug of ours still ends in a sentence; the traceback goes to the store's log."""

    def broken(*_args: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(Store, "cases", broken)
    status, _, err = yongju(capsys, "--store", store_dir, "case", "list")
    assert status == 1
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "unexpected error (ZeroDivisionError: division by zero)" in err
    log = Path(store_dir, "logs", "yongju.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "ZeroDivisionError" in log


def test_exports_lists_what_was_handed_in_and_when(capsys, store_dir, samples, tmp_path) -> None:
    s = ["--store", store_dir]
    yongju(capsys, *s, "case", "new", "Jan Peeters", "--profile", "employment")
    status, text, _ = yongju(capsys, *s, "exports", "--case", "jan peeters")
    assert status == 0 and text.strip() == "Nothing has been exported for Jan Peeters yet."
    passport = samples.pdf("passport.pdf", pages=2)
    yongju(capsys, *s, "import", str(passport), "--case", "Jan Peeters", "--slot", "passport")
    packets = [tmp_path / "first.pdf", tmp_path / "second.pdf"]
    for packet in packets:  # no cover or stamps: the history is the point, not the layout
        status, _, err = yongju(
            capsys, *s, "export", "--case", "1", "-o", str(packet), "--allow-incomplete",
            "--no-cover", "--no-stamp",
        )  # fmt: skip
        assert status == 0, err
    status, history, _ = yongju(capsys, *s, "exports", "--case", "Jan Peeters", "--json")
    assert status == 0
    assert [h["path"] for h in history] == [str(p) for p in packets]
    for entry, packet in zip(history, packets, strict=True):
        assert entry["bytes"] == packet.stat().st_size
        assert entry["sha256"] == hashlib.sha256(packet.read_bytes()).hexdigest()
        written = json.loads(Path(f"{packet}.manifest.json").read_text(encoding="utf-8"))
        assert entry["manifest"] == written  # the record of what was handed in
        assert entry["pages"] == written["pages"] == len(PdfReader(packet).pages)
    status, text, _ = yongju(capsys, *s, "exports", "--case", "Jan Peeters")
    lines = text.splitlines()
    assert len(lines) == 4 and lines[0].endswith(str(packets[0]))
    assert f"sha256 {history[1]['sha256']}" in lines[3]
    status, _, err = yongju(capsys, *s, "exports", "--case", "Nobody")
    assert status != 0 and "There is no case named 'Nobody'." in err
