"""Requirement profiles: the shipped ones are complete, and every kind of mistake is named."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yongju.core.errors import NotFoundError, ProfileError
from yongju.core.profiles import (
    Layout,
    Legalisation,
    Profile,
    ProfileSet,
    Requirement,
    all_keywords,
    copy_builtin_profile,
    load_profiles,
    load_shared_slots,
    parse_profile,
)
from yongju.core.resources import resource_path

BUILTIN = resource_path("profiles")
CATEGORIES = {
    "spouse_of_chinese_citizen",
    "child_joining_parents",
    "elderly_relative",
    "accompanying_family",
    "employment",
    "investment",
    "high_level_talent",
    "special_contribution",
}
COMMON_ORDER = ["application_form", "photo_print", "photo_digital", "passport"]
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def shipped() -> ProfileSet:
    return load_profiles(BUILTIN)


def _all_slots(profiles: ProfileSet) -> list[tuple[str, str]]:
    return [(p.id, s.id) for p in profiles.profiles for s in p.slots]


# --- the shipped profiles ---------------------------------------------------------------


def test_every_shipped_profile_loads_without_problems(shipped: ProfileSet) -> None:
    assert shipped.problems == ()
    assert set(shipped.ids()) == CATEGORIES
    for profile in shipped.profiles:
        assert profile.builtin
        assert profile.path is not None and profile.path.stem == profile.id


@pytest.mark.parametrize("profile_id", sorted(CATEGORIES))
def test_shipped_profile_has_titles_date_and_common_slots_first(
    shipped: ProfileSet, profile_id: str
) -> None:
    profile = shipped.get(profile_id)
    assert profile.title_en and HAN.search(profile.title_zh)
    assert profile.checked == dt.date(2026, 11, 1)
    assert profile.description and profile.category
    ids = [s.id for s in profile.slots]
    assert ids[: len(COMMON_ORDER)] == COMMON_ORDER
    assert ids.index("health_certificate") < ids.index("ncr_foreign")
    # The category's own slots come after every common (shared) slot, and the two optional
    # supporting slots (consular certificates, anything else) close every profile.
    assert ids[-2:] == ["consular_certificates", "other_supporting"]
    ids = ids[:-2]
    shared = set(tomllib.loads((BUILTIN / "slots.toml").read_text("utf-8"))["slots"])
    own = [i for i, slot_id in enumerate(ids) if slot_id not in shared]
    assert own and own == list(range(own[0], len(ids)))


def test_every_slot_has_both_titles_a_hint_and_a_known_source(shipped: ProfileSet) -> None:
    bad = []
    for profile in shipped.profiles:
        for slot in profile.slots:
            known = all(shipped.source(key) for key in slot.source_keys)
            if not (slot.title_en and HAN.search(slot.title_zh) and slot.hint):
                bad.append(f"{profile.id}/{slot.id}: title or hint")
            if not slot.source_keys or not known:
                bad.append(f"{profile.id}/{slot.id}: source {slot.source!r}")
            if slot.requirement is Requirement.CONDITIONAL and not slot.condition:
                bad.append(f"{profile.id}/{slot.id}: condition")
            if slot.copies < 0 or not slot.copies_note:
                bad.append(f"{profile.id}/{slot.id}: copies")
    assert not bad


@pytest.mark.parametrize(
    ("slot_id", "words"),
    [
        ("passport", {"passport", "护照"}),
        ("ncr_foreign", {"无犯罪", "criminal record", "police certificate"}),
        ("health_certificate", {"体检", "health", "medical"}),
        ("sp_marriage_cert", {"结婚", "marriage"}),
        ("sp_spouse_hukou", {"户口", "hukou"}),
        ("sp_financial_proof", {"存款", "deposit", "bank"}),
        ("sp_housing", {"房产", "租赁", "lease"}),
        ("ch_birth_cert", {"出生", "birth"}),
        ("application_form", {"申请表"}),
        ("photo_print", {"照片", "photo"}),
    ],
)
def test_main_slots_have_english_and_chinese_keywords(
    shipped: ProfileSet, slot_id: str, words: set[str]
) -> None:
    keywords = all_keywords(shipped.profiles)
    assert words <= set(keywords[slot_id])


def test_every_slot_with_a_document_to_recognise_has_keywords(shipped: ProfileSet) -> None:
    missing = [
        f"{p.id}/{s.id}"
        for p in shipped.profiles
        for s in p.slots
        if not (any(HAN.search(k) for k in s.keywords) and any(k.isascii() for k in s.keywords))
    ]
    assert not missing


# Words that appear in many file names: a keyword hidden inside one would mis-suggest a slot.
COMMON_FILE_WORDS = ["increase", "certified", "notified", "photocopy", "scanned", "documents"]


def test_keywords_are_lower_case_and_not_hidden_in_common_words(shipped: ProfileSet) -> None:
    bad = []
    for slot_id, words in all_keywords(shipped.profiles).items():
        for word in words:
            if word != word.lower():
                bad.append(f"{slot_id}: {word!r} is not lower-case")
            hidden_in = [w for w in COMMON_FILE_WORDS if word in w and word != w]
            if hidden_in and slot_id != "photo_print":  # "photo" in "photocopy": longer wins
                bad.append(f"{slot_id}: {word!r} hides in {hidden_in}")
    assert not bad


def test_a_profile_gives_the_keywords_of_its_own_slots(shipped: ProfileSet) -> None:
    spouse = shipped.get("spouse_of_chinese_citizen").keywords()
    assert "结婚证" in spouse["sp_marriage_cert"] and "dep_marriage_cert" not in spouse
    assert set(spouse) <= {s.id for s in shipped.get("spouse_of_chinese_citizen").slots}


def test_shared_slots_are_defined_once_and_never_copied() -> None:
    shared = set(tomllib.loads((BUILTIN / "slots.toml").read_text("utf-8"))["slots"])
    used: set[str] = set()
    for path in sorted(BUILTIN.glob("*.toml")):
        if path.name in ("slots.toml", "keywords.toml"):
            continue
        for entry in tomllib.loads(path.read_text("utf-8"))["slots"]:
            if "use" in entry:
                used.add(entry["use"])
                # Overriding a detail is fine; restating the slot's identity is a copy.
                assert not {"id", "title_en", "title_zh"} & set(entry), (path.name, entry)
            else:
                assert entry["id"] not in shared, f"{path.name} redefines '{entry['id']}'"
    assert used == shared, "every shared slot is used by some profile"


def test_own_slot_ids_are_unique_to_one_profile(shipped: ProfileSet) -> None:
    shared = set(tomllib.loads((BUILTIN / "slots.toml").read_text("utf-8"))["slots"])
    owners: dict[str, str] = {}
    for profile_id, slot_id in _all_slots(shipped):
        if slot_id not in shared:
            assert slot_id not in owners, f"{slot_id} in {owners.get(slot_id)} and {profile_id}"
            owners[slot_id] = profile_id


def test_date_rules_from_the_domain_notes(shipped: ProfileSet) -> None:
    spouse = shipped.get("spouse_of_chinese_citizen")
    assert spouse.slot("health_certificate").validity.issued_within_months == 6
    ncr = spouse.slot("ncr_foreign")
    assert (ncr.validity.issued_within_months, ncr.validity.legalised_within_months) == (6, 6)
    assert (ncr.min_documents, ncr.max_documents) == (1, None)  # one per country lived in
    assert ncr.translation and ncr.legalisation is Legalisation.APOSTILLE
    assert spouse.slot("passport").validity.not_expired
    deposit = spouse.slot("sp_financial_proof")
    assert deposit.validity.valid_months_after_submission == 6
    assert deposit.legalisation is Legalisation.NOTARISED
    assert "RMB 200,000" in deposit.city_note("shanghai")
    assert "1 year" in spouse.slot("sp_housing").city_note("beijing")
    assert spouse.slot("sp_spouse_id_card").layout is Layout.ID_CARD
    assert spouse.slot("passport").copies_note == "original + 2 copies (Shanghai)"


def test_minors_need_a_criminal_record_certificate_only_if_asked(shipped: ProfileSet) -> None:
    child = shipped.get("child_joining_parents")
    assert child.slot("ncr_foreign").requirement is Requirement.CONDITIONAL
    assert "minor" in child.slot("ncr_foreign").condition
    assert child.slot("ncr_foreign").validity.issued_within_months == 6  # the rest is shared
    assert shipped.get("spouse_of_chinese_citizen").slot("ncr_foreign").required
    assert "resume" not in [s.id for s in child.slots]


def test_the_profiles_as_corrected_in_december_2026(shipped: ProfileSet) -> None:
    """The corrections of the domain notes' section 3a and issue 10."""
    spouse = shipped.get("spouse_of_chinese_citizen")
    for slot_id in ("sp_spouse_id_card", "sp_spouse_hukou", "sp_residence_history"):
        assert spouse.slot(slot_id).required, slot_id
    assert spouse.slot("sp_spouse_hukou").title_zh == "中国籍配偶户口簿"
    marriage = spouse.slot("sp_marriage_cert")
    for city in ("shanghai", "beijing"):
        rules = marriage.validity_for(city)
        assert rules.legalised_within_months == 6 and rules.abroad_only, city
    assert marriage.validity_for("beijing").issued_within_months == 6
    assert marriage.validity_for("guangzhou").legalised_within_months is None
    assert "embassy or consulate" in marriage.city_note("beijing")
    housing = spouse.slot("sp_housing")
    assert housing.legalisation_for("beijing") is Legalisation.NOTARISED
    assert housing.legalisation_for("shanghai") is Legalisation.NONE
    assert "完税证明" in spouse.slot("sp_financial_proof").city_note("shanghai")
    assert [d.fact for d in spouse.durations] == ["marriage_date", "resident_since"]
    investment = shipped.get("investment").slot("inv_fie_approval")
    assert (
        investment.requirement is Requirement.CONDITIONAL and "2020-01-01" in investment.condition
    )
    position = shipped.get("employment").slot("emp_position_certificate")
    assert dict(position.applies_if) == {"route": ("senior_post",)}
    assert dict(position.not_applicable_if) == {"route": ("salary",)}
    elderly = shipped.get("elderly_relative")
    assert elderly.slot("eld_relative_id").validity.not_expired
    assert "apostille" in elderly.slot("eld_kinship_proof").hint
    assert shipped.get("child_joining_parents").slot("ch_parents_id").validity.not_expired
    family = shipped.get("accompanying_family").slot("ncr_foreign")
    assert dict(family.applies_if) == {"adult": ("yes",)}
    talent = shipped.get("high_level_talent").slot("ncr_foreign")
    assert dict(talent.not_applicable_if) == {"route": ("gba",)}


def _raw_slot_tables() -> list[tuple[str, dict]]:
    """Every slot table as written (shared ones, and each profile's own or overriding one)."""
    tables = []
    for path in sorted(BUILTIN.glob("*.toml")):
        if path.name == "keywords.toml":  # the suggestion lexicon: words, no slot tables
            continue
        data = tomllib.loads(path.read_text("utf-8"))
        if path.name == "slots.toml":
            tables += [(f"slots.toml/{k}", t) for k, t in data["slots"].items()]
        else:
            tables += [(f"{path.name}/{t.get('id', t.get('use'))}", t) for t in data["slots"]]
    return tables


def test_every_user_visible_text_has_its_chinese() -> None:
    """Hints, conditions, copies notes and city notes: the Chinese window shows no English."""
    missing = []
    for where, table in _raw_slot_tables():
        for key in ("hint", "condition", "copies_note"):
            if key in table and not HAN.search(table.get(f"{key}_zh", "")):
                missing.append(f"{where}: {key}_zh")
        cities_zh = table.get("cities_zh", {})
        if "cities" in table and set(table["cities"]) != set(cities_zh):
            missing.append(f"{where}: cities_zh")
    for path in sorted(BUILTIN.glob("*.toml")):
        data = tomllib.loads(path.read_text("utf-8"))
        if "description" in data and not HAN.search(data.get("description_zh", "")):
            missing.append(f"{path.name}: description_zh")
    assert not missing


def test_a_loaded_slot_speaks_chinese_where_asked(shipped: ProfileSet) -> None:
    slot = shipped.get("spouse_of_chinese_citizen").slot("sp_spouse_hukou")
    assert slot.text("hint", chinese=True).startswith("户口簿")
    assert slot.text("hint", chinese=False).startswith("The cover")
    assert slot.city_note("shanghai", chinese=True).startswith("户口簿")
    family = shipped.get("accompanying_family").slot("ncr_foreign")
    assert family.text("condition", chinese=True).startswith("成年人")


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ('applies_if = { agnet = "yes" }', "names no fact 'agnet' (did you mean 'agent'?)"),
        ('applies_if = { agent = "maybe" }', "cannot be 'maybe' (yes|no)"),
        ('applies_if = { marriage_date = "yes" }', "is a date"),
        ('applies_if = { route = "phd" }', "names route 'phd'"),
    ],
)
def test_a_rule_naming_a_wrong_fact_or_value_is_refused(
    tmp_path: Path, rule: str, message: str
) -> None:
    (tmp_path / "p.toml").write_text(
        'id = "p"\ntitle_en = "P"\ntitle_zh = "P"\nchecked = 2026-11-01\n'
        f'[[slots]]\nid = "s"\ntitle_en = "S"\ntitle_zh = "S"\n{rule}\n',
        "utf-8",
    )
    loaded = load_profiles(tmp_path)
    assert len(loaded.problems) == 1 and message in loaded.problems[0].message


def test_unknown_slot_and_profile_are_named(shipped: ProfileSet) -> None:
    with pytest.raises(NotFoundError, match="no slot 'visa'"):
        shipped.get("employment").slot("visa")
    with pytest.raises(NotFoundError, match="no profile 'tourist'"):
        shipped.get("tourist")


# --- validation: one test per kind of mistake -------------------------------------------

SHARED = """
[slots.passport]
title_en = "Passport"
title_zh = "护照"
keywords = ["passport", "护照"]
validity = { not_expired = true }
"""
VALID = """id = "demo"
version = 1
title_en = "Demo"
title_zh = "演示"
checked = 2026-11-01

[[slots]]
use = "passport"

[[slots]]
id = "letter"
title_en = "Letter"
title_zh = "信"
requirement = "required"
min_documents = 1
max_documents = 2
copies = 1
translation = false
legalisation = "none"
layout = "page"
keywords = ["letter", "信"]
cities = { shanghai = "Two copies." }
validity = { issued_within_days = 30 }
"""


def _write(folder: Path, name: str, text: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _mutated(old: str, new: str) -> str:
    assert old in VALID, old  # the mistake must really be made
    return VALID.replace(old, new, 1)


MISTAKES = [
    ("toml_syntax", _mutated('title_en = "Demo"', 'title_en = "Demo'), "not valid TOML"),
    ("not_utf8", 'id = "demo"\ntitle_en = "\xe9"\n'.encode("latin-1"), "not UTF-8"),
    (
        "unknown_profile_key",
        _mutated('title_en = "Demo"', 'titel_en = "Demo"'),
        "unknown key 'titel_en' (did you mean 'title_en'?)",
    ),
    (
        "unknown_slot_key",
        _mutated("copies = 1", "copise = 1"),
        "slot 2 'letter': unknown key 'copise' (did you mean 'copies'?)",
    ),
    ("missing_profile_title", _mutated('title_zh = "演示"\n', ""), "'title_zh' is missing"),
    (
        "missing_slot_title",
        _mutated('title_en = "Letter"\n', ""),
        "'letter': 'title_en' is missing",
    ),
    ("empty_title", _mutated('title_zh = "信"', 'title_zh = "  "'), "'title_zh' is empty"),
    ("missing_id", _mutated('id = "demo"\n', ""), "'id' is missing"),
    ("bad_id", _mutated('id = "demo"', 'id = "My Demo"'), "'id' 'My Demo' must be lower-case"),
    ("title_not_text", _mutated('title_en = "Letter"', "title_en = 5"), "'title_en' must be text"),
    (
        "copies_not_number",
        _mutated("copies = 1", 'copies = "2"'),
        "'copies' must be a whole number",
    ),
    ("flag_not_bool", _mutated("translation = false", 'translation = "yes"'), "true or false"),
    (
        "bad_requirement",
        _mutated('requirement = "required"', 'requirement = "mandatory"'),
        "'requirement' must be one of 'required', 'optional', 'conditional', not 'mandatory'",
    ),
    (
        "conditional_without_condition",
        _mutated('requirement = "required"', 'requirement = "conditional"'),
        "a conditional slot needs a 'condition'",
    ),
    (
        "bad_legalisation",
        _mutated('legalisation = "none"', 'legalisation = "stamped"'),
        "'legalisation' must be one of",
    ),
    ("bad_layout", _mutated('layout = "page"', 'layout = "card"'), "'layout' must be one of"),
    (
        "duplicate_slot_id",
        _mutated('id = "letter"', 'id = "passport"'),
        "slot 2: slot id 'passport' appears twice",
    ),
    (
        "unknown_use",
        _mutated('use = "passport"', 'use = "pasport"'),
        "slot 1: 'use' names no shared slot 'pasport' (did you mean 'passport'?)",
    ),
    (
        "use_not_text",
        _mutated('use = "passport"', "use = 1"),
        "'use' must be the id of a shared slot",
    ),
    (
        "max_below_min",
        _mutated("min_documents = 1\nmax_documents = 2", "min_documents = 3\nmax_documents = 2"),
        "'max_documents' (2) is below 'min_documents' (3)",
    ),
    (
        "zero_max",
        _mutated("max_documents = 2", "max_documents = 0"),
        "'max_documents' must be at least 1",
    ),
    (
        "negative_copies",
        _mutated("copies = 1", "copies = -1"),
        "'copies' must be at least 0, not -1",
    ),
    (
        "negative_min",
        _mutated("min_documents = 1", "min_documents = -2"),
        "'min_documents' must be at least 0",
    ),
    (
        "checked_quoted",
        _mutated("checked = 2026-11-01", 'checked = "2026-11-01"'),
        "'checked' must be the date the rules were last checked, like 2026-11-01; "
        "not '2026-11-01' (write it without quotes)",
    ),
    (
        "checked_datetime",
        _mutated("checked = 2026-11-01", "checked = 2026-11-01T09:00:00"),
        "'checked' must be the date",
    ),
    ("checked_missing", _mutated("checked = 2026-11-01\n", ""), "it is missing"),
    (
        "checked_impossible",
        _mutated("checked = 2026-11-01", "checked = 2026-13-01"),
        "not valid TOML",
    ),
    ("version_zero", _mutated("version = 1", "version = 0"), "'version' must be at least 1"),
    ("no_slots", VALID.split("[[slots]]")[0], "a profile needs at least one [[slots]] entry"),
    ("empty_slots", VALID.split("[[slots]]")[0] + "slots = []\n", "at least one [[slots]] entry"),
    (
        "slots_as_table",
        VALID.split("[[slots]]")[0] + '[slots]\nuse = "passport"\n',
        "write [[slots]], not [slots]",
    ),
    (
        "slot_not_table",
        VALID.split("[[slots]]")[0] + 'slots = ["passport"]\n',
        "slot 1: must be a table",
    ),
    (
        "validity_unknown_key",
        _mutated("issued_within_days = 30", "issued_within = 30"),
        "'letter': validity: unknown key 'issued_within' (did you mean 'issued_within_days'?)",
    ),
    (
        "validity_zero_days",
        _mutated("issued_within_days = 30", "issued_within_days = 0"),
        "at least 1",
    ),
    (
        "validity_not_table",
        _mutated("validity = { issued_within_days = 30 }", "validity = 180"),
        "'validity' must be a table",
    ),
    (
        "cities_not_table",
        _mutated('cities = { shanghai = "Two copies." }', 'cities = "Shanghai"'),
        "'cities' must be a table",
    ),
    (
        "city_bad_name",
        _mutated("shanghai =", '"Shang Hai" ='),
        "city 'Shang Hai' must be lower-case",
    ),
    (
        "keywords_not_list",
        _mutated('keywords = ["letter", "信"]', 'keywords = "letter"'),
        "'keywords' must be a list of text",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES]
)
def test_each_kind_of_mistake_names_the_file_and_the_problem(
    tmp_path: Path, text: str | bytes, expected: str
) -> None:
    builtin = tmp_path / "builtin"
    _write(builtin, "slots.toml", SHARED)
    _write(builtin, "bad.toml", text)
    _write(builtin, "good.toml", VALID.replace('id = "demo"', 'id = "good"'))
    result = load_profiles(builtin)
    assert result.ids() == ["good"]  # the broken file never stops the others
    [problem] = result.problems
    assert problem.path == builtin / "bad.toml"
    assert problem.message.startswith("bad.toml")
    assert expected in problem.message


def test_the_valid_example_loads_every_field(tmp_path: Path) -> None:
    _write(tmp_path, "slots.toml", SHARED)
    _write(tmp_path, "demo.toml", VALID)
    result = load_profiles(tmp_path)
    assert result.problems == ()
    profile = result.get("demo")
    passport, letter = profile.slots
    assert passport.title_zh == "护照" and passport.validity.not_expired
    assert letter.max_documents == 2 and letter.validity.issued_within_days == 30
    assert letter.keywords == ("letter", "信") and letter.city_note("Shanghai") == "Two copies."


def test_a_profile_may_override_a_shared_slot(tmp_path: Path) -> None:
    _write(tmp_path, "slots.toml", SHARED)
    text = _mutated('use = "passport"', 'use = "passport"\nrequirement = "optional"\ncopies = 3')
    profile = parse_profile(tomllib.loads(text), "demo.toml", _shared(tmp_path))
    passport = profile.slot("passport")
    assert (passport.requirement, passport.copies) == (Requirement.OPTIONAL, 3)
    assert passport.title_en == "Passport" and passport.validity.not_expired  # the rest is kept


def _shared(folder: Path) -> dict[str, dict[str, object]]:
    return load_shared_slots(folder / "slots.toml")


def test_parse_profile_raises_with_where_the_problem_is(tmp_path: Path) -> None:
    _write(tmp_path, "slots.toml", SHARED)
    data = tomllib.loads(_mutated("copies = 1", "copies = -1"))
    with pytest.raises(ProfileError, match=r"^mine\.toml: slot 2 'letter': 'copies'"):
        parse_profile(data, "mine.toml", _shared(tmp_path))


def test_two_files_with_one_id_in_a_folder_are_a_problem(tmp_path: Path) -> None:
    _write(tmp_path, "slots.toml", SHARED)
    _write(tmp_path, "a.toml", VALID)
    _write(tmp_path, "b.toml", VALID)
    result = load_profiles(tmp_path)
    assert result.ids() == ["demo"] and result.get("demo").path == tmp_path / "a.toml"
    [problem] = result.problems
    assert problem.message == "b.toml: profile id 'demo' is already used by a.toml"


def test_a_broken_shared_slot_is_reported_and_the_others_still_load(tmp_path: Path) -> None:
    broken = SHARED + '\n[slots.photo]\ntitle_en = "Photo"\ncopies = -1\n'
    _write(tmp_path, "slots.toml", broken)
    _write(tmp_path, "demo.toml", VALID)
    _write(
        tmp_path, "photo.toml", _mutated('use = "passport"', 'use = "photo"').replace("demo", "p")
    )
    result = load_profiles(tmp_path)
    assert result.ids() == ["demo"]
    messages = sorted(p.message for p in result.problems)
    assert any(
        m.startswith("photo.toml: slot 1: 'use' names no shared slot 'photo'") for m in messages
    )
    assert any(m.startswith("slots.toml: slot 'photo': 'title_zh' is missing") for m in messages)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[slots.passport\n", "slots.toml: not valid TOML"),
        ('title = "x"\n', "slots.toml: unknown key 'title'"),
        ('slots = ["passport"]\n', "slots.toml: 'slots' must be tables"),
        (
            '[slots.passport]\nuse = "photo"\ntitle_en = "P"\ntitle_zh = "护"\n',
            "cannot 'use' another",
        ),
        (
            '[slots.passport]\nid = "other"\ntitle_en = "P"\ntitle_zh = "护"\n',
            "'id' must be left out",
        ),
        ("[sources]\nSH = 1\n", "'sources' must be a table of KEY"),
    ],
)
def test_mistakes_in_the_shared_slots_file(tmp_path: Path, text: str, expected: str) -> None:
    _write(tmp_path, "slots.toml", text)
    result = load_profiles(tmp_path)
    assert any(
        p.message.startswith("slots.toml") and expected in p.message for p in result.problems
    )


# --- the user's own profiles ------------------------------------------------------------


def test_a_broken_user_profile_does_not_stop_the_others(tmp_path: Path) -> None:
    user = tmp_path / "user"
    _write(user, "broken.toml", 'id = "broken"\ntitle_en = \n')
    _write(user, "mine.toml", VALID.replace('id = "demo"', 'id = "mine"'))
    result = load_profiles(BUILTIN, user)
    assert set(result.ids()) == CATEGORIES | {"mine"}
    assert [p.path for p in result.problems] == [user / "broken.toml"]
    assert result.problems[0].message.startswith("broken.toml: not valid TOML")
    assert not result.get("mine").builtin


def test_a_user_profile_replaces_the_builtin_one_with_the_same_id(tmp_path: Path) -> None:
    user = tmp_path / "user"
    original = (BUILTIN / "employment.toml").read_text("utf-8")
    edited = original.replace(
        'title_en = "Employment: senior post or high salary"', 'title_en = "Mine"'
    )
    _write(user, "my-employment.toml", edited.replace("version = 1", "version = 2"))
    result = load_profiles(BUILTIN, user)
    assert result.problems == ()
    assert result.ids().count("employment") == 1
    profile = result.get("employment")
    assert (profile.title_en, profile.version, profile.builtin) == ("Mine", 2, False)
    assert profile.path == user / "my-employment.toml"
    assert profile.slot("passport").title_zh == "有效护照及签证/居留证件"  # built-in shared slot


def test_a_user_slots_file_adds_and_replaces_shared_slots(tmp_path: Path) -> None:
    user = tmp_path / "user"
    _write(user, "slots.toml", SHARED.replace('title_en = "Passport"', 'title_en = "My passport"'))
    _write(user, "demo.toml", VALID)
    result = load_profiles(BUILTIN, user)
    assert result.problems == ()
    assert result.get("demo").slot("passport").title_en == "My passport"
    # A replaced shared slot applies to every profile that uses it.
    assert result.get("investment").slot("passport").title_en == "My passport"
    assert result.source("SH-CR")  # the built-in sources are kept


def test_files_read_again_unchanged_are_not_parsed_again_and_any_edit_is_seen(
    tmp_path: Path,
) -> None:
    user = tmp_path / "user"
    _write(user, "demo.toml", VALID)
    first = load_profiles(BUILTIN, user)
    assert load_profiles(BUILTIN, user) is first  # parsed once: 50 ms a command, a window
    # An edit of the same length within the same instant (no time stamp to tell) is seen,
    # and so are a new file and a file removed.
    _write(user, "demo.toml", VALID.replace('title_en = "Demo"', 'title_en = "Omed"'))
    assert load_profiles(BUILTIN, user).get("demo").title_en == "Omed"
    _write(user, "mine.toml", VALID.replace('id = "demo"', 'id = "mine"'))
    assert "mine" in load_profiles(BUILTIN, user).ids()
    (user / "mine.toml").unlink()
    (user / "mine.toml").mkdir()  # a folder cannot be read as a file, and is no profile
    assert "mine" not in load_profiles(BUILTIN, user).ids()
    assert load_profiles(BUILTIN, user).problems == ()
    # Each command and test has its own user folder, most often empty or missing.
    (tmp_path / "empty").mkdir()
    assert load_profiles(BUILTIN, tmp_path / "empty") is load_profiles(BUILTIN, tmp_path / "no")


def test_copy_builtin_profile_for_editing(tmp_path: Path, shipped: ProfileSet) -> None:
    user = tmp_path / "config" / "profiles"
    target = copy_builtin_profile(shipped.get("investment"), user)
    assert target == user / "investment.toml"
    assert target.read_bytes() == (BUILTIN / "investment.toml").read_bytes()
    result = load_profiles(BUILTIN, user)
    assert result.problems == () and not result.get("investment").builtin
    with pytest.raises(ProfileError, match="already exists"):
        copy_builtin_profile(shipped.get("investment"), user)


def test_hidden_editor_files_and_missing_folders_are_ignored(tmp_path: Path) -> None:
    user = tmp_path / "user"
    _write(user, ".#demo.toml", "garbage = [")
    result = load_profiles(BUILTIN, user)
    assert result.problems == ()
    assert load_profiles(tmp_path / "nowhere").profiles == ()


def test_all_keywords_merges_keywords_across_profiles() -> None:
    def profile(pid: str, words: tuple[str, ...]) -> Profile:
        data = tomllib.loads(VALID.replace('id = "demo"', f'id = "{pid}"'))
        data["slots"][1]["keywords"] = list(words)
        return parse_profile(
            data,
            "x.toml",
            {"passport": tomllib.loads(SHARED)["slots"]["passport"] | {"id": "passport"}},
        )

    merged = all_keywords([profile("a", ("letter",)), profile("b", ("信件", "letter"))])
    assert merged["letter"] == ("letter", "信件")
    assert merged["passport"] == ("passport", "护照")


# --- property tests ---------------------------------------------------------------------


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_any_text_is_loaded_or_reported_never_raised(tmp_path: Path, text: str) -> None:
    folder = tmp_path / "fuzz"
    _write(folder, "x.toml", text)
    result = load_profiles(folder)
    assert len(result.profiles) + len(result.problems) == 1
    assert all(p.message.startswith("x.toml: ") for p in result.problems)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    copies=st.integers(-3, 5),
    low=st.integers(-1, 4),
    high=st.one_of(st.none(), st.integers(-1, 4)),
    title=st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
)
def test_slot_numbers_and_titles_load_exactly_or_are_refused(
    tmp_path: Path, copies: int, low: int, high: int | None, title: str
) -> None:
    text = _mutated("copies = 1", f"copies = {copies}")
    text = text.replace("min_documents = 1", f"min_documents = {low}")
    text = text.replace("max_documents = 2\n", "" if high is None else f"max_documents = {high}\n")
    text = text.replace(
        'title_en = "Letter"', f"title_en = {json.dumps(title, ensure_ascii=False)}"
    )
    folder = tmp_path / "prop"
    _write(folder, "slots.toml", SHARED)
    _write(folder, "demo.toml", text)
    result = load_profiles(folder)
    valid = copies >= 0 and low >= 0 and (high is None or high >= max(low, 1)) and title.strip()
    if valid:
        letter = result.get("demo").slot("letter")
        assert (letter.copies, letter.min_documents, letter.max_documents) == (copies, low, high)
        assert letter.title_en == title.strip()
    else:
        [problem] = result.problems
        assert problem.message.startswith("demo.toml: slot 2 'letter': ")
