"""Requirement profiles: TOML files of ordered slots, loaded and validated with clear messages.

A profile lists the slots of one application category. Slots shared by many profiles
(passport, photos, health, criminal record) are defined once in ``slots.toml`` and pulled in
with ``use = "passport"``; a profile may override any field of a shared slot. The format is
described in ``docs/profiles.md``.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from yongju.core.errors import NotFoundError, ProfileError

SHARED_SLOTS_FILE = "slots.toml"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
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


@dataclass(frozen=True)
class Validity:
    """Date rules, all relative to the planned submission (acceptance) date."""

    issued_within_days: int | None = None
    valid_days_after_submission: int | None = None
    not_expired: bool = False

    @property
    def needs_issue_date(self) -> bool:
        return self.issued_within_days is not None

    @property
    def needs_expiry_date(self) -> bool:
        return self.not_expired or self.valid_days_after_submission is not None

    def describe(self) -> list[str]:
        """The rules in words, for hints and the packet's contents."""
        words = []
        if self.issued_within_days is not None:
            words.append(f"issued within {self.issued_within_days} days before submission")
        if self.valid_days_after_submission is not None:
            words.append(f"valid at least {self.valid_days_after_submission} days after submission")
        elif self.not_expired:
            words.append("not expired on the submission date")
        return words


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

    @property
    def required(self) -> bool:
        return self.requirement is Requirement.REQUIRED


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

    def slot(self, slot_id: str) -> Slot:
        for slot in self.slots:
            if slot.id == slot_id:
                return slot
        known = ", ".join(s.id for s in self.slots)
        raise NotFoundError(f"Profile '{self.id}' has no slot '{slot_id}' (it has: {known}).")


@dataclass(frozen=True)
class ProfileProblem:
    """A profile file that could not be loaded, and why."""

    path: Path
    message: str


@dataclass(frozen=True)
class ProfileSet:
    """All profiles that loaded, in a stable order, and the files that did not."""

    profiles: tuple[Profile, ...]
    problems: tuple[ProfileProblem, ...] = ()

    def get(self, profile_id: str) -> Profile:
        for profile in self.profiles:
            if profile.id == profile_id:
                return profile
        known = ", ".join(p.id for p in self.profiles)
        raise NotFoundError(f"There is no profile '{profile_id}' (known: {known}).")

    def ids(self) -> list[str]:
        return [p.id for p in self.profiles]


_SLOT_KEYS = {
    "id", "use", "title_en", "title_zh", "hint", "requirement", "condition", "min_documents",
    "max_documents", "copies", "copies_note", "translation", "legalisation", "validity",
    "layout", "keywords", "cities", "source",
}
_VALIDITY_KEYS = {"issued_within_days", "valid_days_after_submission", "not_expired"}
_PROFILE_KEYS = {
    "id", "title_en", "title_zh", "version", "checked", "description", "category", "slots",
}


class _Reader:
    """Validates one table, prefixing every message with where the problem is."""

    def __init__(self, table: Mapping[str, Any], where: str, allowed: set[str]) -> None:
        self.table = table
        self.where = where
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise ProfileError(f"{where}: unknown key '{unknown[0]}'")

    def fail(self, message: str) -> ProfileError:
        return ProfileError(f"{self.where}: {message}")

    def text(self, key: str, *, required: bool = False, default: str = "") -> str:
        value = self.table.get(key)
        if value is None:
            if required:
                raise self.fail(f"'{key}' is missing")
            return default
        if not isinstance(value, str):
            raise self.fail(f"'{key}' must be text, not {type(value).__name__}")
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
        try:
            return enum(value)
        except ValueError:
            options = ", ".join(repr(e.value) for e in enum)
            raise self.fail(f"'{key}' must be one of {options}, not {value!r}") from None

    def identifier(self, key: str) -> str:
        value = self.text(key, required=True)
        if not _ID.match(value):
            raise self.fail(f"'{key}' {value!r} must be lower-case letters, digits and _")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"'{key}' must be a list of text")
        return tuple(v.strip() for v in value if v.strip())


def _parse_validity(raw: Any, where: str) -> Validity:
    if not isinstance(raw, dict):
        raise ProfileError(f"{where}: 'validity' must be a table")
    reader = _Reader(raw, f"{where} validity", _VALIDITY_KEYS)
    return Validity(
        issued_within_days=reader.integer("issued_within_days", default=None, minimum=1),
        valid_days_after_submission=reader.integer(
            "valid_days_after_submission", default=None, minimum=0
        ),
        not_expired=reader.flag("not_expired"),
    )


def _parse_cities(raw: Any, where: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise ProfileError(f"{where}: 'cities' must be a table of city = \"note\"")
    return tuple((str(city), note.strip()) for city, note in raw.items())


def _parse_slot(raw: Mapping[str, Any], where: str) -> Slot:
    reader = _Reader(raw, where, _SLOT_KEYS - {"use"})
    slot_id = reader.identifier("id")
    reader.where = f"{where} '{slot_id}'"
    requirement = reader.choice("requirement", Requirement, Requirement.REQUIRED)
    condition = reader.text("condition")
    if requirement is Requirement.CONDITIONAL and not condition:
        raise reader.fail("a conditional slot needs a 'condition' saying when it applies")
    min_documents = reader.integer("min_documents", default=1) or 0
    max_documents = reader.integer("max_documents", default=None, minimum=1)
    if max_documents is not None and max_documents < min_documents:
        raise reader.fail(f"'max_documents' ({max_documents}) is below 'min_documents'")
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
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path.name}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise ProfileError(f"{path.name}: cannot be read ({exc.strerror})") from None


def load_shared_slots(path: Path) -> dict[str, dict[str, Any]]:
    """The raw shared slot tables of ``slots.toml``, keyed by id (validated when used)."""
    data = _read_toml(path)
    unknown = sorted(set(data) - {"slots"})
    if unknown:
        raise ProfileError(f"{path.name}: unknown key '{unknown[0]}'")
    slots = data.get("slots", {})
    if not isinstance(slots, dict):
        raise ProfileError(f"{path.name}: 'slots' must be a table of slot tables")
    shared: dict[str, dict[str, Any]] = {}
    for slot_id, table in slots.items():
        if not isinstance(table, dict):
            raise ProfileError(f"{path.name}: slot '{slot_id}' must be a table")
        shared[slot_id] = {"id": slot_id, **table}
        _parse_slot(shared[slot_id], f"{path.name}: slot")  # validate once, here
    return shared


def parse_profile(
    data: Mapping[str, Any], where: str, shared: Mapping[str, Mapping[str, Any]]
) -> Profile:
    """Builds a profile from a parsed TOML table; ``where`` prefixes every message."""
    reader = _Reader(data, where, _PROFILE_KEYS)
    profile_id = reader.identifier("id")
    checked = data.get("checked")
    if not isinstance(checked, dt.date) or isinstance(checked, dt.datetime):
        raise reader.fail("'checked' must be a date (YYYY-MM-DD) when the rules were last checked")
    raw_slots = data.get("slots")
    if not isinstance(raw_slots, list) or not raw_slots:
        raise reader.fail("a profile needs at least one [[slots]] entry")
    slots: list[Slot] = []
    for index, raw in enumerate(raw_slots, start=1):
        slot_where = f"{where}: slot {index}"
        if not isinstance(raw, dict):
            raise ProfileError(f"{slot_where}: must be a table")
        merged = dict(raw)
        if "use" in merged:
            name = merged.pop("use")
            if not isinstance(name, str) or name not in shared:
                raise ProfileError(f"{slot_where}: 'use' names no shared slot: {name!r}")
            merged = {**shared[name], **merged}
        slot = _parse_slot(merged, slot_where)
        if any(s.id == slot.id for s in slots):
            raise ProfileError(f"{slot_where}: slot id '{slot.id}' appears twice")
        slots.append(slot)
    return Profile(
        id=profile_id,
        title_en=reader.text("title_en", required=True),
        title_zh=reader.text("title_zh", required=True),
        version=reader.integer("version", default=1, minimum=1) or 1,
        checked=checked,
        slots=tuple(slots),
        description=reader.text("description"),
        category=reader.text("category"),
    )


def _profile_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.toml") if p.name != SHARED_SLOTS_FILE)


def load_profiles(builtin_dir: Path, user_dir: Path | None = None) -> ProfileSet:
    """Loads the built-in profiles, then the user's; a user profile replaces a built-in one.

    A broken file never stops the others: it is reported in ``ProfileSet.problems``.
    """
    problems: list[ProfileProblem] = []
    shared: dict[str, dict[str, Any]] = {}
    for folder in (builtin_dir, user_dir):
        if folder is not None and (folder / SHARED_SLOTS_FILE).is_file():
            try:
                shared.update(load_shared_slots(folder / SHARED_SLOTS_FILE))
            except ProfileError as exc:
                problems.append(ProfileProblem(folder / SHARED_SLOTS_FILE, str(exc)))
    by_id: dict[str, Profile] = {}
    for folder, builtin in ((builtin_dir, True), (user_dir, False)):
        for path in _profile_files(folder) if folder is not None else []:
            try:
                profile = parse_profile(_read_toml(path), path.name, shared)
            except ProfileError as exc:
                problems.append(ProfileProblem(path, str(exc)))
                continue
            by_id[profile.id] = _with_origin(profile, path, builtin)
    ordered = sorted(by_id.values(), key=lambda p: (p.category, p.id))
    return ProfileSet(profiles=tuple(ordered), problems=tuple(problems))


def _with_origin(profile: Profile, path: Path, builtin: bool) -> Profile:
    return replace(profile, path=path, builtin=builtin)


def all_keywords(profiles: Iterable[Profile]) -> dict[str, tuple[str, ...]]:
    """Slot id → keywords, across profiles (used to suggest a slot for a new document)."""
    keywords: dict[str, tuple[str, ...]] = {}
    for profile in profiles:
        for slot in profile.slots:
            if slot.keywords:
                keywords.setdefault(slot.id, slot.keywords)
    return keywords
