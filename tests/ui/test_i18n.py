"""Interface language: from the locale or a setting; the catalogue is complete and renders."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from fontTools.ttLib import TTFont
from PySide6.QtCore import QCoreApplication, QLocale

from yongju.core.checklist import SlotState
from yongju.core.resources import resource_path
from yongju.ui.details import DetailsPanel
from yongju.ui.i18n import (
    CHINESE,
    ENGLISH,
    Translations,
    bilingual,
    resolve_language,
    translations_dir,
)
from yongju.ui.state_icons import state_words

TS = translations_dir() / "yongju_zh_CN.ts"


@pytest.fixture
def translations(qapp) -> Iterator[Translations]:
    translations = Translations(qapp, CHINESE)
    yield translations
    translations.apply(ENGLISH)


def _messages() -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(TS).getroot()
    return [
        (context.findtext("name") or "", message.findtext("source") or "", message)
        for context in root.iter("context")
        for message in context.iter("message")
    ]


@pytest.mark.parametrize(
    "setting, system, expected",
    [
        ("", QLocale("zh_CN"), CHINESE),
        ("", QLocale("zh_TW"), CHINESE),
        ("", QLocale("de_DE"), ENGLISH),
        ("en", QLocale("zh_CN"), ENGLISH),
        ("zh_CN", QLocale("en_US"), CHINESE),
        ("klingon", QLocale("en_US"), ENGLISH),
    ],
)
def test_language_follows_the_setting_then_the_system(setting, system, expected) -> None:
    assert resolve_language(setting, system) == expected


def test_widgets_built_after_install_speak_chinese_and_english_again(qtbot, translations):
    assert translations.loaded and translations.language == CHINESE
    panel = DetailsPanel()
    qtbot.addWidget(panel)
    assert panel.legalised.text() == "已附海牙认证或领事认证"
    assert state_words(SlotState.MISSING) == "缺少"
    translations.apply(ENGLISH)
    assert not translations.loaded
    assert state_words(SlotState.MISSING) == "Missing"


def test_every_string_is_translated_and_compiled(translations) -> None:
    messages = _messages()
    assert len(messages) > 100
    for context, source, message in messages:
        translation = message.find("translation")
        assert translation is not None and translation.get("type") != "unfinished", source
        if message.get("numerus") == "yes":
            continue
        # The .qm must hold what the .ts says (packaging/update-translations compiles it).
        assert QCoreApplication.translate(context, source) == translation.text, source


def test_strings_translated_from_variables_are_in_the_catalogue(translations) -> None:
    for state in SlotState:
        assert state_words(state) != state_words.__globals__["_WORDS"][state], state
    assert QCoreApplication.translate("MainWindow", "&Undo") == "撤销(&U)"  # from window.tr


def test_the_shipped_fonts_cover_every_chinese_string() -> None:
    covered: set[int] = set()
    for name in ("NotoSansCJKsc-Regular-subset.otf", "NotoSans-Regular-subset.ttf"):
        covered |= set(TTFont(resource_path("fonts", name)).getBestCmap())
    texts = [m.findtext("translation") or "" for _, _, m in _messages()]
    texts += [form.text or "" for _, _, m in _messages() for form in m.iter("numerusform")]
    missing = {ch for text in texts for ch in text if ord(ch) > 0x7F and ord(ch) not in covered}
    assert not missing, f"not in the shipped fonts: {''.join(sorted(missing))}"


def test_bilingual_titles_put_the_interface_language_first(translations) -> None:
    assert bilingual("Passport", "护照") == "护照（Passport）"
    translations.apply(ENGLISH)
    assert bilingual("Passport", "护照") == "Passport (护照)"
