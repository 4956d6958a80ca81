"""Requirement profiles: TOML files of ordered slots, loaded and validated with clear messages.

A profile lists the slots of one application category. Slots shared by many profiles
(passport, photos, health, criminal record) are defined once in ``slots.toml`` and pulled in
with ``use = "passport"``; a profile may override any field of a shared slot. The format is
described in ``docs/profiles.md``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from yongju.core.errors import NotFoundError, ProfileError
from yongju.core.facts import FACTS, ROUTE, Choice, FactKind
from yongju.core.lexicon import (
    KEYWORDS_FILE,
    Lexicon,
    combine,
    read_lexicon,
    read_toml,
    unknown_slots,
)

SHARED_SLOTS_FILE = "slots.toml"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# "[SH-CR]", "[M04 Art.7]": the key is the first word inside the brackets.
_SOURCE_KEY = re.compile(r"\[([A-Za-z0-9][A-Za-z0-9_-]*)[^\]]*\]")
_E = TypeVar("_E", bound=StrEnum)


class Requirement(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    CONDITIONAL = "conditional"


class Legalisation(StrEnum):
    NONE = "none"
    APOSTILLE = "apostille"  # apostille, or consular legalisation outside the Convention
    NOTARISED = "notarised"  # notarised in China


class Layout(StrEnum):
    PAGE = "page"
    ID_CARD = "id_card"  # front and back of a small card on one A4 page
    PHOTO = "photo"  # ID photos at their real size, several to a sheet


@dataclass(frozen=True)
class Validity:
    """Date rules, all relative to the planned submission (acceptance) date.

    Months are calendar months, end of month clamped (``core.dates.add_months``), as the
    offices count them. ``valid_months_after_submission`` is strict: a deposit "frozen until
    more than 6 months after the application" must stay frozen past that day.
    ``abroad_only`` limits the rules to documents issued abroad (a foreign marriage
    certificate's legalisation; a Chinese one has none).
    """

    issued_within_days: int | None = None
    valid_days_after_submission: int | None = None
    not_expired: bool = False
    issued_within_months: int | None = None
    legalised_within_months: int | None = None
    valid_months_after_submission: int | None = None
    abroad_only: bool = False

    @property
    def needs_issue_date(self) -> bool:
        return self.issued_within_days is not None or self.issued_within_months is not None

    @property
    def needs_expiry_date(self) -> bool:
        return (
            self.not_expired
            or self.valid_days_after_submission is not None
            or self.valid_months_after_submission is not None
        )

    def describe(self) -> list[str]:
        """The rules in words, for hints and the packet's contents."""
        words = []
        if self.issued_within_months is not None:
            words.append(f"issued within {self.issued_within_months} months before submission")
        if self.issued_within_days is not None:
            words.append(f"issued within {self.issued_within_days} days before submission")
        if self.legalised_within_months is not None:
            words.append(
                f"legalised within {self.legalised_within_months} months before submission"
            )
        if self.valid_months_after_submission is not None:
            words.append(
                f"valid more than {self.valid_months_after_submission} months after submission"
            )
        elif self.valid_days_after_submission is not None:
            words.append(f"valid at least {self.valid_days_after_submission} days after submission")
        elif self.not_expired:
            words.append("not expired on the submission date")
        if words and self.abroad_only:
            words.append("(for a document issued abroad)")
        return words

    def describe_zh(self) -> list[str]:
        """The rules in Chinese."""
        words = []
        if self.issued_within_months is not None:
            words.append(f"递交前{self.issued_within_months}个月内签发")
        if self.issued_within_days is not None:
            words.append(f"递交前{self.issued_within_days}天内签发")
        if self.legalised_within_months is not None:
            words.append(f"递交前{self.legalised_within_months}个月内认证")
        if self.valid_months_after_submission is not None:
            words.append(f"有效期须超过递交后{self.valid_months_after_submission}个月")
        elif self.valid_days_after_submission is not None:
            words.append(f"递交后至少有效{self.valid_days_after_submission}天")
        elif self.not_expired:
            words.append("递交日仍在有效期内")
        if words and self.abroad_only:
            words.append("(国外出具的文件)")
        return words


@dataclass(frozen=True)
class Duration:
    """A length of time the rules demand, counted from a date fact to the submission date."""

    id: str
    fact: str  # a date fact: marriage_date, resident_since, birth_date
    years: int
    title_en: str
    title_zh: str


@dataclass(frozen=True)
class Slot:
    """One requirement of a profile."""

    id: str
    title_en: str
    title_zh: str
    hint: str = ""
    requirement: Requirement = Requirement.REQUIRED
    condition: str = ""
    min_documents: int = 1
    max_documents: int | None = None
    copies: int = 1
    copies_note: str = ""
    translation: bool = False
    legalisation: Legalisation = Legalisation.NONE
    validity: Validity = field(default_factory=Validity)
    layout: Layout = Layout.PAGE
    keywords: tuple[str, ...] = ()
    cities: tuple[tuple[str, str], ...] = ()
    source: str = ""
    hint_zh: str = ""
    condition_zh: str = ""
    copies_note_zh: str = ""
    cities_zh: tuple[tuple[str, str], ...] = ()
    # fact → values: the slot applies (is required) when every named fact has one of them…
    applies_if: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # …and does not apply when any named fact has one of these (the rule says so).
    not_applicable_if: tuple[tuple[str, tuple[str, ...]], ...] = ()
    city_validity: tuple[tuple[str, Validity], ...] = ()
    city_legalisation: tuple[tuple[str, Legalisation], ...] = ()

    @property
    def required(self) -> bool:
        return self.requirement is Requirement.REQUIRED

    def validity_for(self, city: str | None) -> Validity:
        """The date rules for a city: its own variant where the profile has one."""
        return dict(self.city_validity).get(city or "", self.validity)

    def legalisation_for(self, city: str | None) -> Legalisation:
        """The legalisation a city wants (Beijing: a notarised property certificate)."""
        return dict(self.city_legalisation).get(city or "", self.legalisation)

    def text(self, field_name: str, chinese: bool) -> str:
        """``hint``, ``condition`` or ``copies_note`` in Chinese (falling back to English)."""
        english: str = getattr(self, field_name)
        return (getattr(self, f"{field_name}_zh") or english) if chinese else english

    @property
    def source_keys(self) -> tuple[str, ...]:
        """The bracketed source keys of ``source`` ("[SH-CR][BJ-SP]" → SH-CR, BJ-SP)."""
        return tuple(dict.fromkeys(_SOURCE_KEY.findall(self.source)))

    def city_note(self, city: str, chinese: bool = False) -> str:
        """This slot's note for one city (``"shanghai"``), or "" when the city has none."""
        english = dict(self.cities).get(city.lower(), "")
        return (dict(self.cities_zh).get(city.lower(), "") or english) if chinese else english


@dataclass(frozen=True)
class Profile:
    """A requirement list for one application category."""

    id: str
    title_en: str
    title_zh: str
    version: int
    checked: dt.date
    slots: tuple[Slot, ...]
    description: str = ""
    category: str = ""
    path: Path | None = None
    builtin: bool = True
    description_zh: str = ""
    routes: tuple[Choice, ...] = ()  # the values of the ``route`` fact
    durations: tuple[Duration, ...] = ()

    def slot(self, slot_id: str) -> Slot:
        for slot in self.slots:
            if slot.id == slot_id:
                return slot
        known = ", ".join(s.id for s in self.slots)
        raise NotFoundError(f"Profile '{self.id}' has no slot '{slot_id}' (it has: {known}).")

    def keywords(self) -> dict[str, tuple[str, ...]]:
        """Slot id → keywords of this profile only: suggestions that fit one case's slots.

        Equivalent documents have different slot ids in different profiles (a marriage
        certificate is ``sp_marriage_cert`` for a spouse, ``dep_marriage_cert`` for an
        accompanying spouse), so a case should be suggested slots from its own profile.
        """
        return {slot.id: slot.keywords for slot in self.slots if slot.keywords}


@dataclass(frozen=True)
class ProfileProblem:
    """A profile file that could not be loaded, and why."""

    path: Path
    message: str


@dataclass(frozen=True)
class ProfileSet:
    """All profiles that loaded, in a stable order, and the files that did not.

    ``sources`` maps the source keys used in slots ("SH-CR") to where the rule was read
    (a title and an address), from the ``[sources]`` table of ``slots.toml``.
    """

    profiles: tuple[Profile, ...]
    problems: tuple[ProfileProblem, ...] = ()
    sources: tuple[tuple[str, str], ...] = ()

    def get(self, profile_id: str) -> Profile:
        for profile in self.profiles:
            if profile.id == profile_id:
                return profile
        known = ", ".join(p.id for p in self.profiles)
        raise NotFoundError(f"There is no profile '{profile_id}' (known: {known}).")

    def ids(self) -> list[str]:
        return [p.id for p in self.profiles]

    def source(self, key: str) -> str:
        """Where the rules marked ``[key]`` come from, or "" for an unknown key."""
        return dict(self.sources).get(key, "")

    @functools.cached_property
    def every_keyword(self) -> dict[str, tuple[str, ...]]:
        """``all_keywords`` of every profile, merged once for the set (it is frozen): the
        window's refreshes and a command's files each asked for it again. Not to be changed."""
        return all_keywords(self.profiles)


_SLOT_KEYS = {
    "id", "use", "title_en", "title_zh", "hint", "requirement", "condition", "min_documents",
    "max_documents", "copies", "copies_note", "translation", "legalisation", "validity",
    "layout", "keywords", "cities", "source", "hint_zh", "condition_zh", "copies_note_zh",
    "cities_zh", "applies_if", "not_applicable_if", "city_validity", "city_legalisation",
}  # fmt: skip
_VALIDITY_KEYS = {
    "issued_within_days", "valid_days_after_submission", "not_expired", "issued_within_months",
    "legalised_within_months", "valid_months_after_submission", "abroad_only",
}  # fmt: skip
_PROFILE_KEYS = {
    "id", "title_en", "title_zh", "version", "checked", "description", "category", "slots",
    "description_zh", "routes", "durations",
}  # fmt: skip
_ROUTE_KEYS = {"id", "title_en", "title_zh"}
_DURATION_KEYS = {"id", "fact", "years", "title_en", "title_zh"}
_SHARED_FILE_KEYS = {"slots", "sources"}


def _type_name(value: Any) -> str:
    """A TOML-ish name for a value's type, for messages a profile author understands."""
    names = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list"}
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, dt.date | dt.time):
        return "a date or time"
    return names.get(type(value), type(value).__name__)


def _unknown_key_message(unknown: list[str], allowed: set[str]) -> str:
    """ "unknown key 'titel_en' (did you mean 'title_en'?)" for the first unknown key."""
    key = unknown[0]
    close = difflib.get_close_matches(key, sorted(allowed), n=1)
    hint = (
        f" (did you mean '{close[0]}'?)"
        if close
        else f" (known keys: {', '.join(sorted(allowed))})"
    )
    more = f", and {len(unknown) - 1} more" if len(unknown) > 1 else ""
    return f"unknown key '{key}'{hint}{more}"


class _Reader:
    """Validates one table, prefixing every message with where the problem is."""

    def __init__(self, table: Mapping[str, Any], where: str, allowed: set[str]) -> None:
        self.table = table
        self.where = where
        self.allowed = allowed

    def check_keys(self) -> None:
        unknown = sorted(set(self.table) - self.allowed)
        if unknown:
            raise self.fail(_unknown_key_message(unknown, self.allowed))

    def fail(self, message: str) -> ProfileError:
        return ProfileError(f"{self.where}: {message}")

    def text(self, key: str, *, required: bool = False, default: str = "") -> str:
        value = self.table.get(key)
        if value is None:
            if required:
                raise self.fail(f"'{key}' is missing")
            return default
        if not isinstance(value, str):
            raise self.fail(f"'{key}' must be text in quotes, not {_type_name(value)}")
        if required and not value.strip():
            raise self.fail(f"'{key}' is empty")
        return value.strip()

    def integer(self, key: str, *, default: int | None, minimum: int = 0) -> int | None:
        value = self.table.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"'{key}' must be a whole number, not {value!r}")
        if value < minimum:
            raise self.fail(f"'{key}' must be at least {minimum}, not {value}")
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.table.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"'{key}' must be true or false, not {value!r}")
        return value

    def choice(self, key: str, enum: type[_E], default: _E) -> _E:
        value = self.table.get(key, default.value)
        options = ", ".join(repr(e.value) for e in enum)
        if not isinstance(value, str):
            raise self.fail(f"'{key}' must be one of {options}, not {value!r}")
        try:
            return enum(value)
        except ValueError:
            raise self.fail(f"'{key}' must be one of {options}, not {value!r}") from None

    def identifier(self, key: str) -> str:
        value = self.text(key, required=True)
        if not _ID.match(value):
            raise self.fail(f"'{key}' {value!r} must be lower-case letters, digits and _")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f'\'{key}\' must be a list of text, like ["a", "b"]')
        return tuple(dict.fromkeys(v.strip() for v in value if v.strip()))


def _parse_validity(raw: Any, where: str) -> Validity:
    if not isinstance(raw, dict):
        raise ProfileError(f"{where}: 'validity' must be a table, like {{ not_expired = true }}")
    reader = _Reader(raw, f"{where}: validity", _VALIDITY_KEYS)
    reader.check_keys()
    return Validity(
        issued_within_days=reader.integer("issued_within_days", default=None, minimum=1),
        valid_days_after_submission=reader.integer(
            "valid_days_after_submission", default=None, minimum=0
        ),
        not_expired=reader.flag("not_expired"),
        issued_within_months=reader.integer("issued_within_months", default=None, minimum=1),
        legalised_within_months=reader.integer("legalised_within_months", default=None, minimum=1),
        valid_months_after_submission=reader.integer(
            "valid_months_after_submission", default=None, minimum=0
        ),
        abroad_only=reader.flag("abroad_only"),
    )


def _parse_city_validity(raw: Any, where: str) -> tuple[tuple[str, Validity], ...]:
    if not isinstance(raw, dict):
        raise ProfileError(f"{where}: 'city_validity' must be a table of city = {{ … }}")
    for city in raw:
        if not _ID.match(city):
            raise ProfileError(f"{where}: city {city!r} must be lower-case letters, like shanghai")
    return tuple(
        (city, _parse_validity(table, f"{where}: city_validity.{city}"))
        for city, table in raw.items()
    )


def _parse_rule(raw: Any, where: str, key: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``{ city = ["beijing"], agent = "yes" }``: checked against the facts' catalogue.

    ``route`` values are checked later, against the profile's routes.
    """
    if not isinstance(raw, dict):
        raise ProfileError(f"{where}: '{key}' must be a table, like {{ agent = \"yes\" }}")
    rule = []
    for fact, values in raw.items():
        listed = [values] if isinstance(values, str) else values
        if not isinstance(listed, list) or not all(isinstance(v, str) for v in listed):
            raise ProfileError(f"{where}: '{key}.{fact}' must be a value or a list of values")
        spec = FACTS.get(fact)
        if fact != ROUTE and spec is None:
            close = difflib.get_close_matches(fact, sorted([*FACTS, ROUTE]), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ProfileError(f"{where}: '{key}' names no fact '{fact}'{hint}")
        if spec is not None:
            if spec.kind is not FactKind.CHOICE:
                raise ProfileError(f"{where}: '{key}.{fact}' is a date; rules take choices")
            wrong = [v for v in listed if v not in spec.values]
            if wrong:
                raise ProfileError(
                    f"{where}: '{key}.{fact}' cannot be {wrong[0]!r} ({spec.allowed()})"
                )
        rule.append((fact, tuple(listed)))
    return tuple(rule)


def _parse_cities(raw: Any, where: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise ProfileError(f"{where}: 'cities' must be a table of city = \"note\"")
    for city in raw:
        if not _ID.match(city):
            raise ProfileError(f"{where}: city {city!r} must be lower-case letters, like shanghai")
    return tuple((city, note.strip()) for city, note in raw.items() if note.strip())


def _parse_slot(raw: Mapping[str, Any], where: str) -> Slot:
    reader = _Reader(raw, where, _SLOT_KEYS - {"use"})
    slot_id = reader.identifier("id")
    reader.where = f"{where} '{slot_id}'"
    reader.check_keys()
    requirement = reader.choice("requirement", Requirement, Requirement.REQUIRED)
    condition = reader.text("condition")
    if requirement is Requirement.CONDITIONAL and not condition:
        raise reader.fail("a conditional slot needs a 'condition' saying when it applies")
    min_documents = reader.integer("min_documents", default=1) or 0
    max_documents = reader.integer("max_documents", default=None, minimum=1)
    if max_documents is not None and max_documents < min_documents:
        raise reader.fail(
            f"'max_documents' ({max_documents}) is below 'min_documents' ({min_documents})"
        )
    return Slot(
        id=slot_id,
        title_en=reader.text("title_en", required=True),
        title_zh=reader.text("title_zh", required=True),
        hint=reader.text("hint"),
        requirement=requirement,
        condition=condition,
        min_documents=min_documents,
        max_documents=max_documents,
        copies=reader.integer("copies", default=1) or 0,
        copies_note=reader.text("copies_note"),
        translation=reader.flag("translation"),
        legalisation=reader.choice("legalisation", Legalisation, Legalisation.NONE),
        validity=_parse_validity(raw.get("validity", {}), reader.where),
        layout=reader.choice("layout", Layout, Layout.PAGE),
        keywords=reader.strings("keywords"),
        cities=_parse_cities(raw.get("cities", {}), reader.where),
        source=reader.text("source"),
        hint_zh=reader.text("hint_zh"),
        condition_zh=reader.text("condition_zh"),
        copies_note_zh=reader.text("copies_note_zh"),
        cities_zh=_parse_cities(raw.get("cities_zh", {}), reader.where),
        applies_if=_parse_rule(raw.get("applies_if", {}), reader.where, "applies_if"),
        not_applicable_if=_parse_rule(
            raw.get("not_applicable_if", {}), reader.where, "not_applicable_if"
        ),
        city_validity=_parse_city_validity(raw.get("city_validity", {}), reader.where),
        city_legalisation=_parse_city_legalisation(raw.get("city_legalisation", {}), reader.where),
    )


def _parse_city_legalisation(raw: Any, where: str) -> tuple[tuple[str, Legalisation], ...]:
    if not isinstance(raw, dict):
        raise ProfileError(f"{where}: 'city_legalisation' must be a table of city = \"notarised\"")
    result = []
    for city, value in raw.items():
        reader = _Reader({"legalisation": value}, f"{where}: city_legalisation.{city}", set())
        result.append((city, reader.choice("legalisation", Legalisation, Legalisation.NONE)))
    return tuple(result)


def _shared_tables(
    path: Path,
) -> tuple[dict[str, dict[str, Any]], dict[str, str], list[ProfileProblem]]:
    """The valid shared slots and the sources of ``slots.toml``, and its problems.

    A broken shared slot is left out and reported; the other slots of the file still load.
    """
    data = read_toml(path)
    reader = _Reader(data, path.name, _SHARED_FILE_KEYS)
    reader.check_keys()
    slots = data.get("slots", {})
    if not isinstance(slots, dict):
        raise reader.fail("'slots' must be tables, written [slots.passport], [slots.photo], …")
    sources = data.get("sources", {})
    if not isinstance(sources, dict) or not all(isinstance(v, str) for v in sources.values()):
        raise reader.fail("'sources' must be a table of KEY = \"where the rule was read\"")
    shared: dict[str, dict[str, Any]] = {}
    problems: list[ProfileProblem] = []
    for slot_id, table in slots.items():
        where = f"{path.name}: slot '{slot_id}'"
        try:
            if not isinstance(table, dict):
                raise ProfileError(f"{where}: must be a table, written [slots.{slot_id}]")
            if "use" in table:
                raise ProfileError(f"{where}: a shared slot cannot 'use' another one")
            if "id" in table and table["id"] != slot_id:
                raise ProfileError(f"{where}: 'id' must be left out (the table name is the id)")
            merged = {**table, "id": slot_id}
            _parse_slot(merged, f"{path.name}: slot")  # validate once, here
        except ProfileError as exc:
            problems.append(ProfileProblem(path, str(exc)))
            continue
        shared[slot_id] = merged
    return shared, {str(k): v.strip() for k, v in sources.items()}, problems


def load_shared_slots(path: Path) -> dict[str, dict[str, Any]]:
    """The raw shared slot tables of ``slots.toml``, keyed by id; raises on the first problem."""
    shared, _sources, problems = _shared_tables(path)
    if problems:
        raise ProfileError(problems[0].message)
    return shared


def _slot_table(raw: Any, where: str, shared: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """One ``[[slots]]`` entry with its shared slot (``use``) filled in under its overrides."""
    if not isinstance(raw, dict):
        raise ProfileError(f"{where}: must be a table")
    merged = dict(raw)
    if "use" not in merged:
        return merged
    name = merged.pop("use")
    if not isinstance(name, str):
        raise ProfileError(f"{where}: 'use' must be the id of a shared slot, in quotes")
    if name not in shared:
        close = difflib.get_close_matches(name, sorted(shared), n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"shared: {', '.join(sorted(shared))}"
        raise ProfileError(f"{where}: 'use' names no shared slot '{name}' ({hint})")
    # An override replaces the whole value, tables (validity, cities) included.
    return {**shared[name], **merged}


def parse_profile(
    data: Mapping[str, Any], where: str, shared: Mapping[str, Mapping[str, Any]]
) -> Profile:
    """Builds a profile from a parsed TOML table; ``where`` prefixes every message."""
    reader = _Reader(data, where, _PROFILE_KEYS)
    profile_id = reader.identifier("id")
    reader.check_keys()
    checked = data.get("checked")
    if not isinstance(checked, dt.date) or isinstance(checked, dt.datetime):
        got = "it is missing" if checked is None else f"not {checked!r}"
        quoted = " (write it without quotes)" if isinstance(checked, str) else ""
        raise reader.fail(
            f"'checked' must be the date the rules were last checked, like 2026-11-01; "
            f"{got}{quoted}"
        )
    raw_slots = data.get("slots")
    if isinstance(raw_slots, dict):
        raise reader.fail("'slots' must be a list of tables: write [[slots]], not [slots]")
    if not isinstance(raw_slots, list) or not raw_slots:
        raise reader.fail("a profile needs at least one [[slots]] entry")
    slots: list[Slot] = []
    for index, raw in enumerate(raw_slots, start=1):
        slot_where = f"{where}: slot {index}"
        slot = _parse_slot(_slot_table(raw, slot_where, shared), slot_where)
        if any(s.id == slot.id for s in slots):
            raise ProfileError(f"{slot_where}: slot id '{slot.id}' appears twice")
        slots.append(slot)
    routes = _parse_routes(data.get("routes", []), where)
    _check_routes(slots, routes, where)
    return Profile(
        id=profile_id,
        title_en=reader.text("title_en", required=True),
        title_zh=reader.text("title_zh", required=True),
        version=reader.integer("version", default=1, minimum=1) or 1,
        checked=checked,
        slots=tuple(slots),
        description=reader.text("description"),
        category=reader.text("category"),
        description_zh=reader.text("description_zh"),
        routes=routes,
        durations=_parse_durations(data.get("durations", []), where),
    )


def _tables(raw: Any, where: str, key: str) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        raise ProfileError(f"{where}: '{key}' must be a list of tables, written [[{key}]]")
    return raw


def _parse_routes(raw: Any, where: str) -> tuple[Choice, ...]:
    routes = []
    for index, table in enumerate(_tables(raw, where, "routes"), start=1):
        reader = _Reader(table, f"{where}: route {index}", _ROUTE_KEYS)
        reader.check_keys()
        routes.append(
            Choice(
                reader.identifier("id"),
                reader.text("title_en", required=True),
                reader.text("title_zh", required=True),
            )
        )
    return tuple(routes)


def _check_routes(slots: Iterable[Slot], routes: tuple[Choice, ...], where: str) -> None:
    known = {r.value for r in routes}
    for slot in slots:
        for fact, values in (*slot.applies_if, *slot.not_applicable_if):
            wrong = [v for v in values if v not in known] if fact == ROUTE else []
            if wrong:
                raise ProfileError(
                    f"{where}: slot '{slot.id}' names route {wrong[0]!r}, which is not one of "
                    f"the profile's [[routes]] ({', '.join(sorted(known)) or 'none'})"
                )


def _parse_durations(raw: Any, where: str) -> tuple[Duration, ...]:
    durations = []
    for index, table in enumerate(_tables(raw, where, "durations"), start=1):
        reader = _Reader(table, f"{where}: duration {index}", _DURATION_KEYS)
        reader.check_keys()
        fact = reader.text("fact", required=True)
        spec = FACTS.get(fact)
        if spec is None or spec.kind is not FactKind.DATE:
            dates = ", ".join(k for k, s in FACTS.items() if s.kind is FactKind.DATE)
            raise reader.fail(f"'fact' must be a date fact ({dates}), not {fact!r}")
        durations.append(
            Duration(
                id=reader.identifier("id"),
                fact=fact,
                years=reader.integer("years", default=None, minimum=1) or 1,
                title_en=reader.text("title_en", required=True),
                title_zh=reader.text("title_zh", required=True),
            )
        )
    return tuple(durations)


def _profile_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    # Hidden files are editor locks and backups (".#spouse.toml"), never profiles.
    return sorted(
        p
        for p in folder.glob("*.toml")
        if p.name not in (SHARED_SLOTS_FILE, KEYWORDS_FILE)
        and not p.name.startswith(".")
        and p.is_file()
    )


def load_profiles(builtin_dir: Path, user_dir: Path | None = None) -> ProfileSet:
    """Loads the built-in profiles, then the user's; a user profile replaces a built-in one.

    A user ``slots.toml`` adds shared slots (or replaces built-in ones, for every profile).
    A broken file never stops the others: it is reported in ``ProfileSet.problems``.

    Parsing and checking the TOML takes some 50 ms of CPU; files read again unchanged give
    the profiles parsed before (a ``ProfileSet`` is immutable), so each command, window or
    test after the first in a process pays only for reading the files.
    """
    builtin, user = _folder_contents(builtin_dir), _folder_contents(user_dir)
    # A user folder without a file loads as no user folder: one entry for every such folder.
    return _parsed_profiles(builtin_dir, user_dir if user else None, builtin + user)


def _folder_contents(folder: Path | None) -> tuple[tuple[str, bytes | str], ...]:
    """Every ``*.toml`` of ``folder`` with its bytes (or why it cannot be read): what the
    profiles are parsed from, as the key of ``_parsed_profiles``."""
    contents: list[tuple[str, bytes | str]] = []
    for path in sorted(folder.glob("*.toml")) if folder is not None else ():
        try:
            contents.append((str(path), path.read_bytes()))
        except OSError as exc:  # unreadable, or a folder: parsing reports it
            contents.append((str(path), f"{type(exc).__name__} {exc.errno}"))
    return tuple(contents)


@functools.lru_cache(maxsize=8)
def _parsed_profiles(
    builtin_dir: Path, user_dir: Path | None, _contents: tuple[tuple[str, bytes | str], ...]
) -> ProfileSet:
    problems: list[ProfileProblem] = []
    shared: dict[str, dict[str, Any]] = {}
    sources: dict[str, str] = {}
    folders = [(builtin_dir, True)] + ([(user_dir, False)] if user_dir is not None else [])
    for folder, _builtin in folders:
        if (folder / SHARED_SLOTS_FILE).is_file():
            try:
                slots, found, slot_problems = _shared_tables(folder / SHARED_SLOTS_FILE)
            except ProfileError as exc:
                problems.append(ProfileProblem(folder / SHARED_SLOTS_FILE, str(exc)))
                continue
            shared.update(slots)
            sources.update(found)
            problems.extend(slot_problems)
    by_id: dict[str, Profile] = {}
    for folder, builtin in folders:
        seen: dict[str, Path] = {}  # a second file with the same id in one folder is a mistake
        for path in _profile_files(folder):
            try:
                profile = parse_profile(read_toml(path), path.name, shared)
                if profile.id in seen:
                    raise ProfileError(
                        f"{path.name}: profile id '{profile.id}' is already used by "
                        f"{seen[profile.id].name}"
                    )
            except ProfileError as exc:
                problems.append(ProfileProblem(path, str(exc)))
                continue
            seen[profile.id] = path
            by_id[profile.id] = replace(profile, path=path, builtin=builtin)
    lexicon = _load_lexicons([folder for folder, _ in folders], by_id.values(), problems)
    ordered = sorted(
        (_with_keywords(p, lexicon) for p in by_id.values()), key=lambda p: (p.category, p.id)
    )
    return ProfileSet(
        profiles=tuple(ordered), problems=tuple(problems), sources=tuple(sorted(sources.items()))
    )


def _load_lexicons(
    folders: list[Path], profiles: Iterable[Profile], problems: list[ProfileProblem]
) -> Lexicon:
    """The keyword lexicons of ``folders`` combined; their problems go to ``problems``."""
    known = {slot.id for profile in profiles for slot in profile.slots}
    lexicons = []
    for path in (folder / KEYWORDS_FILE for folder in folders):
        if not path.is_file():
            continue
        try:
            lexicon = read_lexicon(path)
        except ProfileError as exc:
            problems.append(ProfileProblem(path, str(exc)))
            continue
        problems.extend(
            ProfileProblem(path, f"{path.name}: {m}") for m in unknown_slots(lexicon, known)
        )
        lexicons.append(lexicon)
    return combine(lexicons)


def _with_keywords(profile: Profile, lexicon: Lexicon) -> Profile:
    """The profile with each slot's keywords from the lexicon, then its own ``keywords``."""
    slots = tuple(
        replace(slot, keywords=tuple(dict.fromkeys((*lexicon.words(slot.id), *slot.keywords))))
        for slot in profile.slots
    )
    return replace(profile, slots=slots)


def copy_builtin_profile(profile: Profile, user_dir: Path) -> Path:
    """Copies a built-in profile's file into ``user_dir`` for editing; returns the new path.

    The copy keeps its id, so once loaded it replaces the built-in profile; its ``use =``
    lines keep pointing at the shared slots. An existing user file is never overwritten.
    """
    if profile.path is None:
        raise ProfileError(f"Profile '{profile.id}' has no file to copy.")
    target = user_dir / profile.path.name
    if target.exists():
        raise ProfileError(f"{target.name}: already exists in {user_dir}; edit that file instead")
    user_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(profile.path, target)
    return target


def all_keywords(profiles: Iterable[Profile]) -> dict[str, tuple[str, ...]]:
    """Slot id → keywords, merged across profiles (used to suggest a slot for a new document)."""
    keywords: dict[str, dict[str, None]] = {}
    for profile in profiles:
        for slot in profile.slots:
            words = keywords.setdefault(slot.id, {})
            words.update(dict.fromkeys(slot.keywords))
    return {slot_id: tuple(words) for slot_id, words in keywords.items() if words}
