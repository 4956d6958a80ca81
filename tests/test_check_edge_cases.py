"""Edge cases of the offices' rules, run as a user would: cases built with the command line,
verdicts read from ``check --json``.

Each row builds one case (profile, city, facts, submission date), files documents with their
dates, origin and language, and states the verdict the office's rule gives. The rules are the
ones of /work/shared/domain/china-pr-requirements.md: calendar months, end of month clamped; a
deposit frozen MORE than 6 months after submission; origin decides legalisation, language
translation; conditions decided, never assumed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.samples import Samples
from yongju.cli import run

SPOUSE = "spouse_of_chinese_citizen"
SUB = "2027-03-01"
TODAY = "2026-11-27"


@dataclass
class Doc:
    """A document filed into a slot, and what ``doc set`` says about it."""

    slot: str
    details: dict[str, str] = field(default_factory=dict)  # doc set --KEY VALUE
    role: str = "original"
    covers: tuple[int, ...] = ()  # 1-based indexes of earlier Docs of the row


@dataclass
class Row:
    name: str
    expect: dict[str, str]  # slot id → state; "duration:ID" → state; "problem:SLOT" → kind
    docs: list[Doc] = field(default_factory=list)
    profile: str = SPOUSE
    facts: tuple[str, ...] = ()
    submission: str = SUB
    today: str = TODAY


def chinese(**dates: str) -> dict[str, str]:
    return {"issued-in": "china", "language": "zh", **dates}


def abroad(**dates: str) -> dict[str, str]:
    return {"issued-in": "abroad", "language": "nl", **dates}


ROWS = [
    # ---- calendar months, end of month clamped
    Row(
        "police certificate issued exactly 6 months before",
        {"ncr_foreign": "ok"},
        [Doc("ncr_foreign", chinese(issued="2026-09-01"))],
    ),
    Row(
        "police certificate issued 6 months and a day before",
        {"ncr_foreign": "expires_before_submission"},
        [Doc("ncr_foreign", chinese(issued="2026-08-31"))],
    ),
    Row(
        "31 August + 6 months is the end of February",
        {"ncr_foreign": "ok"},
        [Doc("ncr_foreign", chinese(issued="2026-08-31"))],
        submission="2027-02-28",
    ),
    Row(
        "2024-02-29 + 6 months = 2024-08-29 (ok that day)",
        {"health_certificate": "ok"},
        [Doc("health_certificate", chinese(issued="2024-02-29"))],
        submission="2024-08-29",
        today="2024-03-01",
    ),
    Row(
        "2024-02-29 + 6 months = 2024-08-29 (too old the day after)",
        {"health_certificate": "expires_before_submission"},
        [Doc("health_certificate", chinese(issued="2024-02-29"))],
        submission="2024-08-30",
        today="2024-03-01",
    ),
    Row(
        "2023-08-31 + 6 months = 2024-02-29 (leap year)",
        {"health_certificate": "ok"},
        [Doc("health_certificate", chinese(issued="2023-08-31"))],
        submission="2024-02-29",
        today="2023-09-01",
    ),
    Row(
        "2023-08-31 + 6 months = 2024-02-29, not 2024-03-01",
        {"health_certificate": "expires_before_submission"},
        [Doc("health_certificate", chinese(issued="2023-08-31"))],
        submission="2024-03-01",
        today="2023-09-01",
    ),
    Row(
        "a certificate already too old today is expired",
        {"health_certificate": "expired"},
        [Doc("health_certificate", chinese(issued="2026-05-26"))],
    ),
    # ---- the frozen deposit: strictly more than 6 months after submission
    Row(
        "deposit frozen until exactly submission + 6 months is too short",
        {"sp_financial_proof": "freeze_too_short", "problem:sp_financial_proof": "2027-09-02"},
        [Doc("sp_financial_proof", chinese(expires="2027-09-01", legalised="yes"))],
    ),
    Row(
        "deposit frozen one day longer is enough",
        {"sp_financial_proof": "ok"},
        [Doc("sp_financial_proof", chinese(expires="2027-09-02", legalised="yes"))],
    ),
    Row(
        "deposit whose freeze already ended names the date it must reach",
        {"sp_financial_proof": "freeze_too_short", "problem:sp_financial_proof": "2027-09-02"},
        [Doc("sp_financial_proof", chinese(expires="2026-10-01", legalised="yes"))],
    ),
    Row(
        "a notarised deposit certificate needs its notarisation",
        {"sp_financial_proof": "needs_legalisation"},
        [Doc("sp_financial_proof", chinese(expires="2028-03-01"))],
    ),
    # ---- origin decides legalisation, language decides translation
    Row(
        "a Chinese marriage certificate needs no apostille and no translation",
        {"sp_marriage_cert": "ok"},
        [Doc("sp_marriage_cert", chinese(issued="2019-05-01"))],
        facts=("city=shanghai",),
    ),
    Row(
        "a document of unknown origin is never assumed foreign",
        {"sp_marriage_cert": "needs_origin", "problem:sp_marriage_cert": "needs_origin"},
        [Doc("sp_marriage_cert", {"language": "zh", "issued": "2019-05-01"})],
    ),
    Row(
        "a foreign marriage certificate needs its apostille and a translation",
        {"sp_marriage_cert": "needs_legalisation"},
        [Doc("sp_marriage_cert", abroad(issued="2019-05-01"))],
        facts=("city=guangzhou",),
    ),
    Row(
        "a paper in Chinese issued abroad still needs its apostille",
        {"ncr_foreign": "needs_legalisation"},
        [Doc("ncr_foreign", {"issued-in": "abroad", "language": "zh", "issued": "2026-10-01"})],
    ),
    Row(
        "a consulate's certificate needs no apostille but a translation",
        {"ncr_foreign": "needs_translation"},
        [Doc("ncr_foreign", {"issued-in": "mission", "language": "fr", "issued": "2026-10-01"})],
    ),
    Row(
        "a consulate's certificate with its translation is complete",
        {"ncr_foreign": "ok"},
        [
            Doc("ncr_foreign", {"issued-in": "mission", "language": "fr", "issued": "2026-10-01"}),
            Doc("ncr_foreign", {"language": "zh"}, role="translation"),
        ],
    ),
    Row(
        "Shanghai: a foreign marriage certificate's legalisation is valid 6 months",
        {"sp_marriage_cert": "expires_before_submission"},
        [
            Doc("sp_marriage_cert", abroad(issued="2015-05-01", **{"legalised-on": "2026-08-31"})),
            Doc("sp_marriage_cert", {"language": "zh"}, role="translation"),
        ],
        facts=("city=shanghai",),
    ),
    Row(
        "Shanghai: legalised exactly 6 months before is fine (the old marriage is)",
        {"sp_marriage_cert": "ok"},
        [
            Doc("sp_marriage_cert", abroad(issued="2015-05-01", **{"legalised-on": "2026-09-01"})),
            Doc("sp_marriage_cert", {"language": "zh"}, role="translation"),
        ],
        facts=("city=shanghai",),
    ),
    Row(
        "Shanghai: a legalisation without its date cannot be checked",
        {"sp_marriage_cert": "needs_date"},
        [
            Doc("sp_marriage_cert", abroad(issued="2015-05-01", legalised="yes")),
            Doc("sp_marriage_cert", {"language": "zh"}, role="translation"),
        ],
        facts=("city=shanghai",),
    ),
    Row(
        "Guangzhou has no age limit on the legalisation",
        {"sp_marriage_cert": "ok"},
        [
            Doc("sp_marriage_cert", abroad(issued="2015-05-01", **{"legalised-on": "2016-01-01"})),
            Doc("sp_marriage_cert", {"language": "zh"}, role="translation"),
        ],
        facts=("city=guangzhou",),
    ),
    Row(
        "Beijing: the foreign certificate itself must be recent too",
        {"sp_marriage_cert": "expired"},
        [
            Doc("sp_marriage_cert", abroad(issued="2015-05-01", **{"legalised-on": "2026-10-01"})),
            Doc("sp_marriage_cert", {"language": "zh"}, role="translation"),
        ],
        facts=("city=beijing",),
    ),
    Row(
        "Beijing: a recent copy with a consulate's certificate instead of an apostille",
        {"sp_marriage_cert": "ok"},
        [
            Doc("sp_marriage_cert", abroad(issued="2026-10-01")),
            Doc(
                "sp_marriage_cert", {"issued-in": "mission", "issued": "2026-10-05"}, "legalisation"
            ),
            Doc("sp_marriage_cert", {"language": "zh"}, role="translation"),
        ],
        facts=("city=beijing",),
    ),
    Row(
        "one apostille may cover two police certificates",
        {"ncr_foreign": "ok"},
        [
            Doc("ncr_foreign", {"issued-in": "abroad", "language": "zh", "issued": "2026-10-01"}),
            Doc("ncr_foreign", {"issued-in": "abroad", "language": "zh", "issued": "2026-10-02"}),
            Doc("ncr_foreign", {"issued": "2026-10-03"}, "legalisation", covers=(1, 2)),
        ],
    ),
    Row(
        "an apostille for one of two certificates leaves the other wanting",
        {"ncr_foreign": "needs_legalisation"},
        [
            Doc("ncr_foreign", {"issued-in": "abroad", "language": "zh", "issued": "2026-10-01"}),
            Doc("ncr_foreign", {"issued-in": "abroad", "language": "zh", "issued": "2026-10-02"}),
            Doc("ncr_foreign", {"issued": "2026-10-03"}, "legalisation", covers=(1,)),
        ],
    ),
    Row(
        "Beijing wants the property certificate notarised",
        {"sp_housing": "needs_legalisation"},
        [Doc("sp_housing", chinese(issued="2020-01-01"))],
        facts=("city=beijing",),
    ),
    Row(
        "Shanghai takes the property certificate as it is",
        {"sp_housing": "ok"},
        [Doc("sp_housing", chinese(issued="2020-01-01"))],
        facts=("city=shanghai",),
    ),
    # ---- conditions: undecided, decided by facts, by answers
    Row(
        "power of attorney undecided without the agent fact",
        {"power_of_attorney": "undecided", "ex_prc_docs": "undecided"},
    ),
    Row(
        "an agent files: the power of attorney is required",
        {"power_of_attorney": "missing", "ex_prc_docs": "not_applicable"},
        facts=("agent=yes", "former_chinese=no"),
    ),
    Row(
        "no agent: not applicable, the fact is the reason",
        {"power_of_attorney": "not_applicable"},
        facts=("agent=no",),
    ),
    Row(
        "Shanghai requires the ID used at the marriage registration",
        {"sp_marriage_reg_id": "missing", "photo_digital": "undecided"},
        facts=("city=shanghai",),
    ),
    Row(
        "Beijing requires the photo on CD",
        {"photo_digital": "missing", "sp_marriage_reg_id": "undecided"},
        facts=("city=beijing",),
    ),
    Row(
        "the spouse's ID card and household register are required, never optional",
        {"sp_spouse_id_card": "missing", "sp_spouse_hukou": "missing"},
    ),
    Row(
        "the spouse's guarantee only when the deposit is in the spouse's name",
        {"sp_guarantee_statement": "missing", "sp_owner_consent": "not_applicable"},
        facts=("deposit_holder=spouse", "home=owned"),
    ),
    Row(
        "salary route: no position certificate",
        {"emp_position_certificate": "not_applicable", "emp_income_certificate": "missing"},
        profile="employment",
        facts=("route=salary",),
    ),
    Row(
        "senior-post route: the position certificate, no salary certificate",
        {"emp_position_certificate": "missing", "emp_income_certificate": "not_applicable"},
        profile="employment",
        facts=("route=senior_post",),
    ),
    Row(
        "employment route not given: undecided",
        {"emp_position_certificate": "undecided"},
        profile="employment",
    ),
    Row(
        "investment approved after 2019: no approval certificate",
        {"inv_fie_approval": "not_applicable", "inv_encouraged_confirmation": "missing"},
        profile="investment",
        facts=("invested_before_2020=no", "route=encouraged"),
    ),
    Row(
        "talent, Greater Bay Area: the statement replaces the police certificate",
        {
            "ncr_foreign": "not_applicable",
            "tal_ncr_statement": "missing",
            "tal_degree": "not_applicable",
        },
        profile="high_level_talent",
        facts=("route=gba",),
    ),
    Row(
        "talent, PhD route: police certificate and degree",
        {"ncr_foreign": "missing", "tal_degree": "missing", "tal_ncr_statement": "not_applicable"},
        profile="high_level_talent",
        facts=("route=phd",),
    ),
    Row(
        "an adult accompanying family member needs the police certificate",
        {
            "ncr_foreign": "missing",
            "dep_marriage_cert": "missing",
            "dep_birth_cert": "not_applicable",
        },
        profile="accompanying_family",
        facts=("adult=yes", "relation=spouse"),
    ),
    Row(
        "a child's parents' identity papers must not be expired",
        {"ch_parents_id": "expired"},
        [Doc("ch_parents_id", chinese(expires="2026-11-01"))],
        profile="child_joining_parents",
    ),
    Row(
        "the elderly relative's ID must not be expired",
        {"eld_relative_id": "expires_before_submission"},
        [Doc("eld_relative_id", chinese(expires="2027-02-28"))],
        profile="elderly_relative",
    ),
    # ---- durations
    Row(
        "married 5 years on the submission day",
        {"duration:married_5_years": "ok", "duration:resident_5_years": "needs_fact"},
        facts=("marriage_date=2022-03-01",),
    ),
    Row(
        "married 5 years less a day",
        {"duration:married_5_years": "too_short", "duration:resident_5_years": "ok"},
        facts=("marriage_date=2022-03-02", "resident_since=2021-01-01"),
    ),
    Row(
        "aged 60 or over, counted to the submission date",
        {"duration:aged_60": "too_short"},
        profile="elderly_relative",
        facts=("birth_date=1967-03-02",),
    ),
    # ---- dates that cannot be right
    Row(
        "issued after the submission date",
        {"health_certificate": "bad_date", "problem:health_certificate": "issued_after_submission"},
        [Doc("health_certificate", chinese(issued="2027-03-02"))],
    ),
    Row(
        "issued in the future",
        {"health_certificate": "bad_date", "problem:health_certificate": "issued_in_future"},
        [Doc("health_certificate", chinese(issued="2027-01-10"))],
    ),
    Row(
        "expires before it was issued",
        {"passport": "bad_date", "problem:passport": "expiry_before_issue"},
        [Doc("passport", {"issued": "2026-01-01", "expires": "2025-12-31"})],
    ),
    Row(
        "a date before 1900",
        {"passport": "bad_date", "problem:passport": "implausible_date"},
        [Doc("passport", {"issued": "1026-01-01", "expires": "2030-01-01"})],
    ),
    Row(
        "a passport expiring on the submission day is ok, with a warning",
        {"passport": "ok", "problem:passport": "expires_on_submission_day"},
        [Doc("passport", {"expires": SUB})],
    ),
    Row(
        "a passport expiring the day before is not",
        {"passport": "expires_before_submission"},
        [Doc("passport", {"expires": "2027-02-28"})],
    ),
]


def yongju(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, object]:
    status = run(list(argv))
    out, _err = capsys.readouterr()
    try:
        return status, json.loads(out)
    except json.JSONDecodeError:
        return status, out


def build(capsys, store: str, samples: Samples, row: Row) -> dict:
    """The case of ``row`` built with the command line; returns ``check --json``.

    A document is filed as it is imported (``import --case --slot --role``), as a user
    filing a scan where it belongs does; one that covers others is filed by ``file
    --covers`` (one command fewer for most documents: each costs a store opened, written,
    copied and closed).
    """
    s = ("--store", store)
    facts = [arg for fact in row.facts for arg in ("--fact", fact)]
    status, _ = yongju(
        capsys, *s, "case", "new", "C", "--profile", row.profile,
        "--submission-date", row.submission, *facts, "--json",
    )  # fmt: skip
    assert status == 0
    doc_ids: list[int] = []
    for index, doc in enumerate(row.docs):
        path = samples.jpeg(f"{row.name[:20]}-{index}.jpg".replace(" ", "_"))
        filing = () if doc.covers else ("--case", "C", "--slot", doc.slot, "--role", doc.role)
        status, results = yongju(capsys, *s, "import", str(path), *filing, "--json")
        assert status == 0, results
        assert results[0]["filed"] == (None if doc.covers else doc.slot), results
        doc_id = results[0]["document_id"]
        doc_ids.append(doc_id)
        details = [arg for k, v in doc.details.items() for arg in (f"--{k}", v)]
        status, _ = yongju(capsys, *s, "doc", "set", str(doc_id), *details, "--json")
        assert status == 0
        if doc.covers:
            covers = [arg for i in doc.covers for arg in ("--covers", str(doc_ids[i - 1]))]
            status, out = yongju(
                capsys, *s, "file", str(doc_id), "--case", "C", "--slot", doc.slot,
                "--role", doc.role, *covers, "--json",
            )  # fmt: skip
            assert status == 0, out
    _status, check = yongju(capsys, *s, "check", "--case", "C", "--today", row.today, "--json")
    assert isinstance(check, dict)
    return check


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_the_checklist_gives_the_offices_verdict(
    capsys, store_folder: Path, samples: Samples, row: Row
) -> None:
    check = build(capsys, str(store_folder), samples, row)
    slots = {s["id"]: s for s in check["slots"]}
    durations = {d["id"]: d for d in check["durations"]}
    for key, expected in row.expect.items():
        kind, _, name = key.rpartition(":")
        if kind == "duration":
            assert durations[name]["state"] == expected, durations[name]
        elif kind == "problem":
            problems = slots[name]["problems"]
            seen = [p["kind"] for p in problems] + [str(p["date"]) for p in problems]
            assert expected in seen, problems
        else:
            assert slots[name]["state"] == expected, slots[name]
    assert check["ready"] is False  # nothing here fills a whole case


def test_a_required_slot_is_not_applicable_only_with_a_reason(capsys, tmp_path: Path) -> None:
    s = ("--store", str(tmp_path / "store"))
    yongju(capsys, *s, "case", "new", "C", "--profile", SPOUSE, "--submission-date", SUB)
    status = run([*s, "case", "na", "C", "sp_spouse_hukou"])
    assert status != 0
    assert "only with a reason" in capsys.readouterr().err
    status, case = yongju(
        capsys,
        *s,
        "case",
        "na",
        "C",
        "sp_spouse_hukou",
        "--reason",
        "Spouse lives abroad",
        "--json",
    )
    assert status == 0 and case["decisions"] == [
        {"slot": "sp_spouse_hukou", "applies": False, "reason": "Spouse lives abroad"}
    ]
    _status, check = yongju(capsys, *s, "check", "--case", "C", "--json")
    hukou = next(x for x in check["slots"] if x["id"] == "sp_spouse_hukou")
    assert (hukou["state"], hukou["reason"]) == ("not_applicable", "Spouse lives abroad")
    # A conditional slot may be answered without a reason, and the answer can be forgotten.
    assert yongju(capsys, *s, "case", "na", "C", "accommodation_reg")[0] == 0
    assert yongju(capsys, *s, "case", "na", "C", "accommodation_reg", "--undo")[0] == 0
    _status, check = yongju(capsys, *s, "check", "--case", "C", "--json")
    slot = next(x for x in check["slots"] if x["id"] == "accommodation_reg")
    assert slot["state"] == "undecided"


def test_facts_are_listed_checked_and_changed(capsys, tmp_path: Path) -> None:
    s = ("--store", str(tmp_path / "store"))
    status, case = yongju(
        capsys, *s, "case", "new", "C", "--profile", "employment", "--city", "beijing",
        "--fact", "route=salary", "--json",
    )  # fmt: skip
    assert status == 0 and case["facts"] == {"city": "beijing", "route": "salary"}
    status, facts = yongju(capsys, *s, "case", "facts", "C", "--json")
    by_key = {f["key"]: f for f in facts["facts"]}
    assert by_key["city"]["allowed"] == "shanghai|beijing|guangzhou|other"
    assert by_key["route"]["allowed"] == "senior_post|salary"
    assert by_key["route"]["value"] == "salary" and by_key["agent"]["value"] is None
    assert run([*s, "case", "set", "C", "--fact", "route=phd"]) != 0
    assert "one of senior_post|salary" in capsys.readouterr().err
    assert run([*s, "case", "set", "C", "--fact", "colour=blue"]) != 0
    assert "no fact 'colour'" in capsys.readouterr().err
    status, case = yongju(capsys, *s, "case", "set", "C", "--fact", "route=none", "--json")
    assert status == 0 and case["facts"] == {"city": "beijing"}
    status, case = yongju(
        capsys, *s, "case", "set", "C", "--fact", "agent=yes", "route=salary", "--json"
    )
    assert status == 0 and case["facts"] == {"agent": "yes", "city": "beijing", "route": "salary"}


def test_a_past_submission_date_is_a_warning(capsys, tmp_path: Path) -> None:
    s = ("--store", str(tmp_path / "store"))
    yongju(capsys, *s, "case", "new", "C", "--profile", SPOUSE, "--submission-date", "2026-11-01")
    _status, check = yongju(capsys, *s, "check", "--case", "C", "--today", TODAY, "--json")
    assert check["submission_date_passed"] is True
    assert check["checked_against"] == TODAY
    assert "2026-11-01 has passed" in check["warnings"][0]
    _status, text = yongju(capsys, *s, "check", "--case", "C", "--today", TODAY)
    assert "Warning: the planned submission date has passed" in str(text)


def test_docs_json_gives_language_and_origin(capsys, tmp_path: Path, samples: Samples) -> None:
    s = ("--store", str(tmp_path / "store"))
    yongju(capsys, *s, "import", str(samples.jpeg("a.jpg")))
    status, _doc = yongju(
        capsys, *s, "doc", "set", "1", "--issued-in", "mission", "--language", "fr",
        "--legalised-on", "2026-10-01", "--json",
    )  # fmt: skip
    assert status == 0
    _status, docs = yongju(capsys, *s, "docs", "--json")
    assert (docs[0]["language"], docs[0]["issued_in"]) == ("fr", "mission")
    assert (docs[0]["legalised"], docs[0]["legalised_on"]) == (True, "2026-10-01")
    yongju(capsys, *s, "doc", "set", "1", "--issued-in", "unknown")
    _status, docs = yongju(capsys, *s, "docs", "--json")
    assert docs[0]["issued_in"] is None
