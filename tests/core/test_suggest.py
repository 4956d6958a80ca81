"""Slot suggestions: the keyword lexicon, multilingual matching, and suggestions kept to a case."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

from tests.samples import Samples, document_record
from yongju.cli import run
from yongju.core.importing import import_files
from yongju.core.lexicon import KEYWORDS_FILE, LANGUAGES, read_lexicon
from yongju.core.profiles import ProfileSet, all_keywords, load_profiles
from yongju.core.records import CaseRecord, Origin
from yongju.core.resources import resource_path
from yongju.core.store import Store
from yongju.core.suggest import (
    case_suggestion,
    guess_language_origin,
    normalise,
    suggest_slot,
    suggestion_keywords,
)

BUILTIN = resource_path("profiles")
SHARED = set(tomllib.loads((BUILTIN / "slots.toml").read_text("utf-8"))["slots"])
_LOADED = load_profiles(BUILTIN)
PROFILE_IDS = _LOADED.ids()
ALL_SLOT_IDS = sorted(all_keywords(_LOADED.profiles))
BENCH_PY = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_suggest.py"


def _bench_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_suggest", BENCH_PY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def case_record(**changes: object) -> CaseRecord:
    values: dict[str, object] = {
        "id": 1,
        "name": "Jan",
        "profile_id": "spouse_of_chinese_citizen",
        "submission_date": None,
        "notes": "",
        "created_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    }
    values.update(changes)
    return CaseRecord(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def shipped() -> ProfileSet:
    return load_profiles(BUILTIN)


# --- the lexicon --------------------------------------------------------------------------


def test_every_lexicon_entry_names_a_slot_of_a_shipped_profile(shipped: ProfileSet) -> None:
    known = {slot.id for profile in shipped.profiles for slot in profile.slots}
    lexicon = read_lexicon(BUILTIN / KEYWORDS_FILE)
    assert set(lexicon.entries) - known == set()
    assert shipped.problems == ()


def test_keywords_live_in_the_lexicon_not_in_the_rule_files() -> None:
    for path in sorted(BUILTIN.glob("*.toml")):
        if path.name == KEYWORDS_FILE:
            continue
        data = tomllib.loads(path.read_text("utf-8"))
        slots = data["slots"].values() if path.name == "slots.toml" else data["slots"]
        assert not [s for s in slots if "keywords" in s], path.name


def test_shared_slots_have_keywords_in_all_seven_languages() -> None:
    lexicon = read_lexicon(BUILTIN / KEYWORDS_FILE)
    for slot_id in SHARED:
        assert lexicon.languages(slot_id) == LANGUAGES, slot_id


def test_spouse_slots_have_keywords_in_all_seven_languages(shipped: ProfileSet) -> None:
    lexicon = read_lexicon(BUILTIN / KEYWORDS_FILE)
    own = [s.id for s in shipped.get("spouse_of_chinese_citizen").slots if s.id not in SHARED]
    thin = [s for s in own if s != "sp_marriage_reg_id" and lexicon.languages(s) != LANGUAGES]
    assert thin == []


def test_a_lexicon_entry_for_an_unknown_slot_is_reported(tmp_path: Path) -> None:
    user = tmp_path / "user"
    user.mkdir()
    (user / KEYWORDS_FILE).write_text('[pasport]\nnl = ["paspoort"]\n', "utf-8")
    result = load_profiles(BUILTIN, user)
    [problem] = result.problems
    assert problem.message == (
        "keywords.toml: [pasport] names no slot of any profile (did you mean 'passport'?)"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[passport]\nnl = "paspoort"\n', "keywords.toml: [passport]: 'nl' must be a list of text"),
        ('[passport]\nnld = ["paspoort"]\n', "unknown key 'nld' (did you mean 'nl'?)"),
        ('[passport]\nlike = "visa"\n', "'like' must name a slot of this file"),
        ("[passport\n", "keywords.toml: not valid TOML"),
    ],
)
def test_a_broken_user_lexicon_is_reported_and_the_builtin_words_stay(
    tmp_path: Path, text: str, message: str
) -> None:
    user = tmp_path / "user"
    user.mkdir()
    (user / KEYWORDS_FILE).write_text(text, "utf-8")
    result = load_profiles(BUILTIN, user)
    [problem] = result.problems
    assert message in problem.message
    assert "paspoort" in result.get("employment").slot("passport").keywords


def test_a_user_lexicon_adds_words_to_a_slot(tmp_path: Path) -> None:
    user = tmp_path / "user"
    user.mkdir()
    (user / KEYWORDS_FILE).write_text('[passport]\nnl = ["pas"]\n', "utf-8")
    keywords = load_profiles(BUILTIN, user).get("employment").slot("passport").keywords
    assert {"pas", "paspoort", "passport", "护照"} <= set(keywords)


def test_like_takes_the_words_of_the_same_paper_in_another_profile(shipped: ProfileSet) -> None:
    child = shipped.get("child_joining_parents").slot("ch_parents_marriage").keywords
    spouse = shipped.get("spouse_of_chinese_citizen").slot("sp_marriage_cert").keywords
    assert set(spouse) < set(child) and "divorce" in child


# --- matching -----------------------------------------------------------------------------

SPOUSE_NAMES = [
    ("Scan_2026-03-01_Paspoort_Jan.pdf", "passport"),
    ("IMG_2034_huwelijksakte.jpg", "sp_marriage_cert"),
    ("casier judiciaire", "ncr_foreign"),
    ("casier_judiciaire", "ncr_foreign"),
    ("CasierJudiciaire2026", "ncr_foreign"),
    ("CASIER-JUDICIAIRE", "ncr_foreign"),
    ("Führungszeugnis", "ncr_foreign"),
    ("Fuehrungszeugnis", "ncr_foreign"),
    ("Fuhrungszeugnis", "ncr_foreign"),
    ("FÜHRUNGSZEUGNIS", "ncr_foreign"),
    ("certificat_medical", "health_certificate"),  # écrit sans accent
    ("Certificat Médical", "health_certificate"),
    ("bonne vie et moeurs", "ncr_foreign"),  # œ written oe
    ("Справка_о_несудимости", "ncr_foreign"),
    ("паспорта", "passport"),  # an inflected form
    ("passports 2026", "passport"),  # a plural
    ("marriagecertificate", "sp_marriage_cert"),  # a phrase written as one word
    ("MarriageCertificate", "sp_marriage_cert"),
    ("户口簿", "sp_spouse_hukou"),
    ("身份证", "sp_spouse_id_card"),
    ("房产证", "sp_housing"),
    ("bail", "sp_housing"),
    ("huurcontract", "sp_housing"),
    ("Mietvertrag", "sp_housing"),
    ("bank deposit", "sp_financial_proof"),
    ("存款证明", "sp_financial_proof"),
    ("冻结", "sp_financial_proof"),
    ("residence permit", "sp_residence_history"),  # the history slot, not the passport
    ("居留许可", "sp_residence_history"),
    ("old passport", "sp_residence_history"),
    ("国内无犯罪记录证明", "ncr_china"),  # the longer keyword hides 无犯罪 inside it
    ("valid until 2027", None),  # "id" never matches inside a word
    ("IMG_0001", None),
    ("", None),
]


@pytest.mark.parametrize(("name", "slot"), SPOUSE_NAMES)
def test_file_names_find_their_slot_whatever_the_spelling(
    shipped: ProfileSet, name: str, slot: str | None
) -> None:
    keywords = shipped.get("spouse_of_chinese_citizen").keywords()
    assert suggest_slot(name, "", keywords) == slot


def test_normalise_splits_words_of_file_names() -> None:
    assert normalise("Scan_2026-03-01_Paspoort_Jan.pdf") == " scan 2026 03 01 paspoort jan pdf "
    assert normalise("IMG2034HuwelijksAkte") == " img 2034 huwelijks akte "
    assert normalise("PDFScan") == " pdf scan "
    assert normalise("Führungszeugnis ß") == " fuhrungszeugnis ss "


def test_the_text_layer_counts_less_than_the_file_name(shipped: ProfileSet) -> None:
    keywords = shipped.get("spouse_of_chinese_citizen").keywords()
    text = "Extrait de casier judiciaire. Passeport n° EM123456."
    assert suggest_slot("scan_0001", text, keywords) == "ncr_foreign"
    assert suggest_slot("paspoort", text, keywords) == "passport"


# --- a suggestion is a slot of the case ---------------------------------------------------


def test_suggestions_for_a_store_with_one_spouse_case_are_spouse_slots(
    shipped: ProfileSet,
) -> None:
    spouse = shipped.get("spouse_of_chinese_citizen")
    case = case_record(profile_id=spouse.id)
    keywords = suggestion_keywords(shipped, [case])
    assert set(keywords) <= {s.id for s in spouse.slots}
    # Every profile's keywords when there is no case yet.
    assert "emp_work_permit" in suggestion_keywords(shipped, [])


def test_a_suggestion_from_another_profile_is_made_again_for_the_case(
    shipped: ProfileSet,
) -> None:
    spouse = shipped.get("spouse_of_chinese_citizen")
    every = all_keywords(shipped.profiles)
    # Suggested from its text layer before any case existed: the family profile's slot id.
    doc = document_record(original_name="scan_0007.pdf", suggested_slot="dep_marriage_cert")
    assert case_suggestion(doc, spouse, every) == "sp_marriage_cert"
    doc = document_record(original_name="work permit.pdf", suggested_slot="emp_work_permit")
    assert case_suggestion(doc, spouse, every) is None
    doc = document_record(original_name="scan.pdf", title="Paspoort", suggested_slot="eld_x")
    assert case_suggestion(doc, spouse, every) == "passport"  # its title, when edited
    doc = document_record(original_name="IMG_0001.jpg", suggested_slot=None)
    assert case_suggestion(doc, spouse, every) is None
    doc = document_record(suggested_slot="passport")
    assert case_suggestion(doc, spouse, every) == "passport"


def test_no_stored_suggestion_ever_shows_outside_the_cases_profile(shipped: ProfileSet) -> None:
    """Every slot any profile knows, stored as a document's suggestion, seen in a case of each
    profile (one test over all 500-odd pairs: as many tests cost 4.6 s of CPU, nearly all of
    it pytest's own; the failure names every pair that shows another profile's slot)."""
    every = all_keywords(shipped.profiles)
    outside = []
    for profile_id in PROFILE_IDS:
        profile = shipped.get(profile_id)
        own = {s.id for s in profile.slots}
        for slot_id in ALL_SLOT_IDS:
            doc = document_record(original_name=f"{slot_id}.pdf", suggested_slot=slot_id)
            shown = case_suggestion(doc, profile, every)
            if shown is not None and shown not in own:
                outside.append((profile_id, slot_id, shown))
    assert outside == []
    assert len(PROFILE_IDS) == 8 and len(ALL_SLOT_IDS) >= 60  # every pair was seen


# --- language and origin ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("结婚证.jpg", "", ("zh", "china")),
        ("scan.pdf", "中华人民共和国结婚证 持证人 登记日期 2020年", ("zh", "china")),
        ("scan.pdf", "户口簿", ("zh", "china")),  # a short Chinese text layer is enough too
        ("国外无犯罪记录证明.pdf", "", ("zh", None)),  # says it is foreign: origin unknown
        ("比利时驻上海总领事馆证明.pdf", "", ("zh", None)),  # a consulate's: not China's
        ("境外人员临时住宿登记表.jpg", "", ("zh", "china")),  # a Chinese paper about foreigners
        ("外国人工作许可证.jpg", "", ("zh", "china")),
        ("scan.pdf", "", (None, None)),  # nothing known: unknown, never "abroad"
        ("Paspoort.jpg", "", (None, None)),
        (
            "scan.pdf",
            "Extrait du casier judiciaire. Le présent extrait est délivré à la",
            ("fr", None),
        ),
        ("护照.pdf", "PASSPORT Kingdom of Belgium The bearer of this passport is a", ("en", None)),
        ("x.pdf", "Uittreksel uit het strafregister van de persoon voor het doel", ("nl", None)),
        ("x.pdf", "Справка о несудимости выдана гражданину Иванову", ("ru", None)),
    ],
)
def test_language_and_origin_default_from_what_is_known(
    name: str, text: str, expected: tuple[str | None, str | None]
) -> None:
    assert guess_language_origin(name, text) == expected


def test_importing_sets_the_language_a_chinese_file_name_gives(tmp_path: Path) -> None:
    samples = Samples(tmp_path / "scans")
    with Store.open(tmp_path / "store") as store:
        chinese, other = import_files(store, [samples.jpeg("结婚证.jpg"), samples.jpeg("a.jpg")])
        assert chinese.document is not None and other.document is not None
        assert (chinese.document.language, chinese.document.issued_in) == ("zh", Origin.CHINA)
        assert (other.document.language, other.document.issued_in) == (None, None)


# --- the measured table: file names in seven languages into a spouse case ------------------


def test_file_names_in_seven_languages_land_in_the_spouse_case(tmp_path: Path) -> None:
    bench = _bench_module()
    outcomes, outside = bench.measure(tmp_path)
    assert outside == 0  # zero suggestions outside the case's profile
    misses = [(o.name, o.expected, o.got) for o in outcomes if o.got != o.expected]
    assert bench.hit_rate(outcomes) >= 0.95, misses
    assert len(outcomes) >= 148


# --- the command line ---------------------------------------------------------------------


def _yongju(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, object, str]:
    status = run(list(argv))
    out, err = capsys.readouterr()
    try:
        return status, json.loads(out), err
    except json.JSONDecodeError:
        return status, out, err


SPOUSE_SLOTS = {s.id for s in _LOADED.get("spouse_of_chinese_citizen").slots}
ELSEWHERE = ["work permit.jpg", "recommendation letter.jpg", "business licence.jpg"]


def test_import_with_only_a_spouse_case_suggests_only_spouse_slots(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    samples, store = Samples(tmp_path / "scans"), ["--store", str(tmp_path / "store")]
    _yongju(capsys, *store, "case", "new", "Jan", "--profile", "spouse_of_chinese_citizen")
    paths = [samples.jpeg(n) for n in [*ELSEWHERE, "acte de mariage.jpg"]]
    status, results, _ = _yongju(capsys, *store, "import", *map(str, paths), "--json")
    assert status == 0
    assert isinstance(results, list)
    assert [r["suggested_slot"] for r in results] == [None, None, None, "sp_marriage_cert"]
    status, docs, _ = _yongju(capsys, *store, "docs", "--json")
    assert isinstance(docs, list)
    assert {d["suggested_slot"] for d in docs} == {None, "sp_marriage_cert"}
    # file without --slot takes the suggestion, and refuses a document without one.
    status, filed, _ = _yongju(capsys, *store, "file", "4", "--case", "Jan", "--json")
    assert status == 0 and isinstance(filed, dict) and filed["slot"] == "sp_marriage_cert"
    status, _, err = _yongju(capsys, *store, "file", "1", "--case", "Jan")
    assert status == 2
    assert err.strip() == (
        "yongju: Document 1 has no suggested slot in Jan: give one with --slot "
        "(see `yongju profiles --slots`)."
    )


def test_suggestions_made_before_the_case_are_made_again_for_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    samples, store = Samples(tmp_path / "scans"), ["--store", str(tmp_path / "store")]
    paths = [samples.jpeg(n) for n in ["huwelijksakte.jpg", "work permit.jpg"]]
    _, results, _ = _yongju(capsys, *store, "import", *map(str, paths), "--json")
    assert isinstance(results, list)
    assert not {r["suggested_slot"] for r in results} & SPOUSE_SLOTS  # no case yet: any profile
    _yongju(capsys, *store, "case", "new", "Jan", "--profile", "spouse_of_chinese_citizen")
    for args in (["docs"], ["docs", "--case", "Jan"], ["docs", "--inbox", "--case", "Jan"]):
        _, docs, _ = _yongju(capsys, *store, *args, "--json")
        assert isinstance(docs, list)
        shown = {d["original_name"]: d["suggested_slot"] for d in docs}
        assert shown == {"huwelijksakte.jpg": "sp_marriage_cert", "work permit.jpg": None}
    _, text, _ = _yongju(capsys, *store, "docs", "--case", "Jan")
    assert "huwelijksakte  → sp_marriage_cert" in str(text)


def test_import_into_a_case_without_a_slot_files_by_suggestion(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    samples, store = Samples(tmp_path / "scans"), ["--store", str(tmp_path / "store")]
    _yongju(capsys, *store, "case", "new", "Jan", "--profile", "spouse_of_chinese_citizen")
    names = ["Scan_2026-03-01_Paspoort_Jan.jpg", "户口簿.jpg", "IMG_0001.jpg", "work permit.jpg"]
    paths = [samples.jpeg(n) for n in names]
    status, results, _ = _yongju(
        capsys, *store, "import", *map(str, paths), "--case", "Jan", "--json"
    )
    assert status == 0 and isinstance(results, list)
    assert [r["filed"] for r in results] == ["passport", "sp_spouse_hukou", None, None]
    assert [r.get("inbox") for r in results] == [None, None, "no suggestion", "no suggestion"]
    _, check, _ = _yongju(capsys, *store, "check", "--case", "Jan", "--json")
    assert isinstance(check, dict)
    by_slot = {s["id"]: s["documents"] for s in check["slots"]}
    assert (by_slot["passport"], by_slot["sp_spouse_hukou"]) == ([1], [2])
    # Again, as text: a duplicate stays where it was filed; the summary says what went where.
    status, text, _ = _yongju(capsys, *store, "import", *map(str, paths), "--case", "Jan")
    lines = str(text).splitlines()
    assert lines[0].endswith("Paspoort_Jan.jpg → filed in passport")
    assert lines[2].endswith("IMG_0001.jpg → stays in the inbox (no suggestion)")
    assert lines[-1] == "Filed 2 into Jan; 2 stay in the inbox."


def test_the_watched_folder_suggests_only_slots_of_the_stores_cases(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    samples, store = Samples(tmp_path / "Scans"), ["--store", str(tmp_path / "store")]
    _yongju(capsys, *store, "case", "new", "Jan", "--profile", "spouse_of_chinese_citizen")
    for name in ["work permit.jpg", "huwelijksakte.jpg", "recommendation letter.jpg"]:
        samples.jpeg(name)
    fast = ["--quiet-seconds", "0.2", "--settle-seconds", "2"]
    assert run([*store, "watch", str(tmp_path / "Scans"), "--once", *fast]) == 0
    capsys.readouterr()
    with Store.open(tmp_path / "store") as opened:
        stored = {d.original_name: d.suggested_slot for d in opened.documents()}
    assert stored == {
        "work permit.jpg": None,
        "huwelijksakte.jpg": "sp_marriage_cert",
        "recommendation letter.jpg": None,
    }


def test_import_into_a_case_leaves_a_full_slot_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    samples, store = Samples(tmp_path / "scans"), ["--store", str(tmp_path / "store")]
    _yongju(capsys, *store, "case", "new", "Jan", "--profile", "spouse_of_chinese_citizen")
    paths = [samples.jpeg("身份证.jpg"), samples.jpeg("身份证 (2).jpg")]  # the slot takes one
    _, results, _ = _yongju(capsys, *store, "import", *map(str, paths), "--case", "Jan", "--json")
    assert isinstance(results, list)
    assert [r["filed"] for r in results] == ["sp_spouse_id_card", None]
    assert results[1]["inbox"] == "sp_spouse_id_card already holds its 1 document"
    assert results[1]["suggested_slot"] == "sp_spouse_id_card"
