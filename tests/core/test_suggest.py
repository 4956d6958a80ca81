"""Slot suggestions: the keyword lexicon, multilingual matching, and suggestions kept to a case."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from yongju.core.lexicon import KEYWORDS_FILE, LANGUAGES, read_lexicon
from yongju.core.profiles import ProfileSet, load_profiles
from yongju.core.resources import resource_path

BUILTIN = resource_path("profiles")
SHARED = set(tomllib.loads((BUILTIN / "slots.toml").read_text("utf-8"))["slots"])


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
