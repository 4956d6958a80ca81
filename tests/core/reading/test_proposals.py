"""Proposals from page text: made when the text is clear, withheld (with a reason) when not."""

from __future__ import annotations

import datetime as dt

from benchmarks.mrz_lines import td3

from yongju.core.profiles import ProfileSet
from yongju.core.reading.pages import PageText
from yongju.core.reading.proposals import Field, propose

TODAY = dt.date(2026, 12, 1)
BIRTH = dt.date(1980, 1, 1)


def _pages(*texts: str) -> list[PageText]:
    return [PageText(i, text, "rapidocr", "test") for i, text in enumerate(texts)]


def _values(reading: object) -> dict[str, str]:
    return {p.field.value: p.value for p in reading.proposals}  # type: ignore[attr-defined]


def test_a_chinese_certificate(profiles: ProfileSet) -> None:
    text = "\n".join(
        [
            "无犯罪记录证明",
            "兹证明 张伟 在本辖区居住期间无犯罪记录。",
            "上海市公安局浦东分局",
            "签发日期：2026年10月2日",
            "有效期至：2027年4月1日",
        ]
    )
    keywords = profiles.get("spouse_of_chinese_citizen").keywords()
    reading = propose(_pages(text), keywords, TODAY)
    values = _values(reading)
    assert values["issued"] == "2026-10-02"
    assert values["expires"] == "2027-04-01"
    assert values["language"] == "zh"
    assert values["issued_in"] == "china"
    assert values["title"] == "无犯罪记录证明"
    issued = reading.get(Field.ISSUED)
    assert issued is not None and issued.page == 1 and "签发日期" in issued.evidence


def test_a_passport_proposes_its_expiry_from_the_zone(profiles: ProfileSet) -> None:
    lines = td3("Peeters", "Jan", "EH123456", "BEL", dt.date(1980, 1, 1), "M", dt.date(2031, 5, 14))
    text = "\n".join(
        ["KINGDOM OF BELGIUM", "PASSPORT / PASSEPORT", "Date of issue", "15 MAY 2021", *lines]
    )
    keywords = profiles.get("spouse_of_chinese_citizen").keywords()
    reading = propose(_pages("scan without text", text), keywords, TODAY)
    values = _values(reading)
    assert values["expires"] == "2031-05-14"
    assert values["issued"] == "2021-05-15"
    assert values["slot"] == "passport"
    assert reading.mrz is not None and reading.mrz.document_number == "EH123456"
    expires = reading.get(Field.EXPIRES)
    assert expires is not None and expires.page == 2 and expires.evidence == lines[1]


def test_a_zone_whose_digits_fail_proposes_nothing_and_says_why() -> None:
    line1, line2 = td3(
        "Peeters", "Jan", "EH123456", "BEL", dt.date(1980, 1, 1), "M", dt.date(2031, 5, 14)
    )
    broken = line2.replace("310514", "310515")  # the expiry misread; its check digit now fails
    reading = propose(_pages(f"PASSPORT\n{line1}\n{broken}"), None, TODAY)
    assert "expires" not in _values(reading)
    assert any("date of expiry" in note for note in reading.notes), reading.notes


def test_contradicting_dates_propose_nothing() -> None:
    reading = propose(_pages("Date of issue: 02.10.2026\nIssued on 05.10.2026"), None, TODAY)
    assert "issued" not in _values(reading)
    assert any("different issued dates" in note for note in reading.notes)


def test_an_issue_date_in_the_future_is_not_proposed() -> None:
    reading = propose(_pages("Date of issue: 02.10.2031"), None, TODAY)
    assert "issued" not in _values(reading)


def test_an_expiry_before_the_issue_date_proposes_neither() -> None:
    reading = propose(_pages("Date of issue: 02.10.2026\nValid until 01.10.2026"), None, TODAY)
    assert not {"issued", "expires"} & set(_values(reading))


def test_a_foreign_mission_in_china() -> None:
    text = "Embassy of the Kingdom of Belgium in Beijing\nCertificate\nThe consul certifies that"
    assert _values(propose(_pages(text), None, TODAY))["issued_in"] == "mission"
    assert (
        _values(propose(_pages("比利时王国驻华大使馆\n证明"), None, TODAY))["issued_in"]
        == "mission"
    )


def test_a_legalisation_by_a_chinese_embassy_abroad_is_not_a_mission_in_china() -> None:
    text = "中华人民共和国驻比利时王国大使馆\n领事认证\n兹证明文书上比利时外交部的印章属实。"
    assert _values(propose(_pages(text), None, TODAY)).get("issued_in") != "mission"


def test_a_european_certificate(profiles: ProfileSet) -> None:
    text = "\n".join(
        [
            "Royaume de Belgique",
            "Extrait de casier judiciaire",
            "Le présent extrait est délivré pour une demande de résidence à l'étranger.",
            "Nom : Peeters   Prénom : Jan",
            "Il est certifié que la personne nommée ci-dessus n'a pas de condamnation et que",
            "le casier est vierge pour les faits visés par la loi du 8 août 1997.",
            "Délivré le 3 octobre 2026 à Bruxelles",
        ]
    )
    reading = propose(_pages(text), None, TODAY)
    values = _values(reading)
    assert values["issued"] == "2026-10-03"
    assert values["language"] == "fr"
    assert values["issued_in"] == "abroad"
    assert values["title"] == "Extrait de casier judiciaire"


def test_slot_only_from_the_case_profile_and_only_when_clear(profiles: ProfileSet) -> None:
    keywords = profiles.get("spouse_of_chinese_citizen").keywords()
    marriage = propose(_pages("结婚证\n持证人 张伟\n登记日期 2015年6月1日"), keywords, TODAY)
    assert _values(marriage)["slot"] == "sp_marriage_cert"
    assert _values(marriage)["issued"] == "2015-06-01"
    vague = propose(_pages("Certificate\nThis is to certify that the bearer"), keywords, TODAY)
    assert "slot" not in _values(vague)


def test_a_chinese_police_certificate_is_never_the_foreign_one(profiles: ProfileSet) -> None:
    keywords = profiles.get("spouse_of_chinese_citizen").keywords()
    lines = ["无犯罪记录证明", "兹证明 张伟 在本辖区居住期间无犯罪记录。", "上海市公安局 派出所"]
    text = "\n".join(lines)
    values = _values(propose(_pages(text), keywords, TODAY))
    assert values.get("slot") in (None, "ncr_china")
    assert values["issued_in"] == "china"


def test_an_identity_card_proposes_its_expiry_but_no_slot(profiles: ProfileSet) -> None:
    from benchmarks.mrz_lines import td1

    lines = td1("Janssens", "Tom", "929938881", "BEL", BIRTH, "M", dt.date(2031, 7, 1))
    text = "\n".join(["BELGIË BELGIQUE BELGIEN — IDENTITEITSKAART", "Ⅰ" + lines[0][1:], *lines[1:]])
    keywords = profiles.get("spouse_of_chinese_citizen").keywords()
    values = _values(propose(_pages(text), keywords, TODAY))
    assert values["expires"] == "2031-07-01"
    assert "slot" not in values
