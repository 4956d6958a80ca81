"""Case facts: what is known about an application (city, agent, route, dates) and its values.

Facts decide conditional slots (a profile's ``applies_if`` and ``not_applicable_if``) and the
durations the rules depend on (married, or living in China, for at least 5 years). The catalogue
is fixed here so every profile speaks of the same facts; a profile adds its own routes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from yongju.core.dates import plausible
from yongju.core.errors import FactError

if TYPE_CHECKING:
    from yongju.core.profiles import Profile


class FactKind(StrEnum):
    CHOICE = "choice"
    DATE = "date"


@dataclass(frozen=True)
class Choice:
    """One value a fact can take, in both languages."""

    value: str
    label_en: str
    label_zh: str


@dataclass(frozen=True)
class FactSpec:
    """A fact the user can state about a case."""

    key: str
    label_en: str
    label_zh: str
    kind: FactKind = FactKind.CHOICE
    choices: tuple[Choice, ...] = ()

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)

    def allowed(self) -> str:
        """The allowed values in words, for messages and ``case facts``."""
        return "YYYY-MM-DD" if self.kind is FactKind.DATE else "|".join(self.values)


YES_NO = (Choice("yes", "Yes", "是"), Choice("no", "No", "否"))
CITIES = (
    Choice("shanghai", "Shanghai", "上海"),
    Choice("beijing", "Beijing", "北京"),
    Choice("guangzhou", "Guangzhou", "广州"),
    Choice("other", "Another city", "其他城市"),
)
ROUTE = "route"

FACTS: dict[str, FactSpec] = {
    spec.key: spec
    for spec in (
        FactSpec("city", "City of application", "申请城市", choices=CITIES),
        FactSpec(
            "agent", "An agent or relative files for you", "由代理人或亲属代为申请", choices=YES_NO
        ),
        FactSpec(
            "former_chinese",
            "The applicant was once a Chinese citizen",
            "申请人曾为中国公民",
            choices=YES_NO,
        ),
        FactSpec("adult", "The applicant is 18 or over", "申请人已满18周岁", choices=YES_NO),
        FactSpec(
            "relation",
            "Relation to the principal applicant",
            "与主申请人的关系",
            choices=(Choice("spouse", "Spouse", "配偶"), Choice("child", "Child", "子女")),
        ),
        FactSpec("adopted", "The child is adopted", "子女为收养", choices=YES_NO),
        FactSpec(
            "principal_has_pr",
            "The principal already holds permanent residence",
            "主申请人已获永久居留",
            choices=YES_NO,
        ),
        FactSpec(
            "home",
            "The home you live in",
            "现住房",
            choices=(
                Choice("owned", "Owned by you or your spouse", "本人或配偶所有"),
                Choice("rented", "Rented", "租赁"),
                Choice("other_owner", "Owned by someone else (family)", "他人(亲属)所有"),
            ),
        ),
        FactSpec(
            "deposit_holder",
            "Whose name the frozen deposit is in",
            "冻结存款的户名",
            choices=(
                Choice("applicant", "The applicant", "申请人"),
                Choice("spouse", "The spouse", "配偶"),
            ),
        ),
        FactSpec(
            "invested_before_2020",
            "The investment was approved or filed before 2020-01-01",
            "投资于2020年1月1日前审批或备案",
            choices=YES_NO,
        ),
        FactSpec(
            "through_company",
            "You invest through a company",
            "通过公司投资",
            choices=YES_NO,
        ),
        FactSpec(
            "parent_chinese_at_birth",
            "Born abroad to a parent who was then a Chinese citizen",
            "出生时父母一方为中国公民且在国外出生",
            choices=YES_NO,
        ),
        FactSpec("marriage_date", "Date of the marriage", "结婚日期", FactKind.DATE),
        FactSpec(
            "resident_since",
            "Living in China without a break since",
            "连续在华居住起始日期",
            FactKind.DATE,
        ),
        FactSpec("birth_date", "The applicant's date of birth", "申请人出生日期", FactKind.DATE),
    )
}


def route_spec(profile: Profile) -> FactSpec | None:
    """The ``route`` fact of a profile with routes (employment: senior post or salary…)."""
    if not profile.routes:
        return None
    return FactSpec(ROUTE, "Route within the category", "申请途径", choices=profile.routes)


def facts_for(profile: Profile) -> list[FactSpec]:
    """The facts that matter for a profile: the city, its route, and what its rules name."""
    named: dict[str, None] = {"city": None}
    for slot in profile.slots:
        for key, _values in (*slot.applies_if, *slot.not_applicable_if):
            named[key] = None
    for duration in profile.durations:
        named[duration.fact] = None
    specs = []
    for key in named:
        spec = route_spec(profile) if key == ROUTE else FACTS.get(key)
        if spec is not None:
            specs.append(spec)
    return specs


def spec_for(profile: Profile, key: str) -> FactSpec:
    """The fact ``key`` of a profile, or a FactError naming the facts it has."""
    key = key.strip().lower().replace("-", "_")
    for spec in facts_for(profile):
        if spec.key == key:
            return spec
    known = ", ".join(s.key for s in facts_for(profile))
    raise FactError(f"The profile '{profile.id}' has no fact '{key}' (its facts: {known}).")


def parse_fact(profile: Profile, key: str, value: str) -> tuple[str, str | None]:
    """A checked ``(key, value)``; the value None (from "none" or "") forgets the fact."""
    spec = spec_for(profile, key)
    text = value.strip()
    if text.lower() in ("", "none", "unknown", "-"):
        return spec.key, None
    if spec.kind is FactKind.DATE:
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise FactError(f"The fact '{spec.key}' is a date, written YYYY-MM-DD.") from None
        if not plausible(day) or day > dt.date.today() + dt.timedelta(days=366 * 5):
            raise FactError(f"{day} is not a plausible date for '{spec.key}'.")
        return spec.key, day.isoformat()
    lowered = text.lower()
    if lowered in spec.values:
        return spec.key, lowered
    raise FactError(f"The fact '{spec.key}' is one of {spec.allowed()}, not '{text}'.")


def parse_assignments(profile: Profile, items: Iterable[str]) -> dict[str, str | None]:
    """``KEY=VALUE`` arguments as checked facts (a later one wins)."""
    facts: dict[str, str | None] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise FactError(
                f"A fact is written KEY=VALUE (for example city=shanghai), not '{item}'."
            )
        parsed_key, parsed = parse_fact(profile, key, value)
        facts[parsed_key] = parsed
    return facts


def fact_date(value: str | None) -> dt.date | None:
    """A stored date fact as a date (None when unanswered or unreadable)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
