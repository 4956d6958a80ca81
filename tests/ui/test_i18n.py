"""Interface language: from the locale or a setting; the catalogue is complete and renders."""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from tests.test_layers import ARCHITECTURE  # packaging/architecture: its parse
from yongju import ui
from yongju.core.checklist import SlotState
from yongju.core.packet.glyphs import CJK_FONTS, LATIN_FONTS, coverage
from yongju.ui.common.i18n import (
    CHINESE,
    ENGLISH,
    Translations,
    bilingual,
    resolve_language,
    translations_dir,
)
from yongju.ui.common.state_icons import state_words
from yongju.ui.details.panel import DetailsPanel

TS = translations_dir() / "yongju_zh_CN.ts"


@pytest.fixture
def translations(qapp) -> Iterator[Translations]:
    translations = Translations(qapp, CHINESE)
    yield translations
    translations.apply(ENGLISH)


@functools.cache
def _messages() -> list[tuple[str, str, ET.Element]]:
    """The Chinese catalogue's messages, read once a process (four tests ask; none changes
    them)."""
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
    # As the packet's writer reads them (and tests/core/test_packet_fonts.py compares with
    # fontTools' best character map), once a process.
    covered = coverage(CJK_FONTS[""]) | coverage(LATIN_FONTS[""])
    texts = [m.findtext("translation") or "" for _, _, m in _messages()]
    texts += [form.text or "" for _, _, m in _messages() for form in m.iter("numerusform")]
    missing = {ch for text in texts for ch in text if ord(ch) > 0x7F and ord(ch) not in covered}
    assert not missing, f"not in the shipped fonts: {''.join(sorted(missing))}"


def test_bilingual_titles_put_the_interface_language_first(translations) -> None:
    assert bilingual("Passport", "护照") == "护照（Passport）"
    translations.apply(ENGLISH)
    assert bilingual("Passport", "护照") == "Passport (护照)"


@functools.cache
def _tr_calls() -> frozenset[tuple[str, str]]:
    """(context, text) of every literal the ui code translates, f-strings included.

    lupdate skips calls inside f-strings; the window would then show them in English.
    ``self.tr`` in a class has the class as context; other ``x.tr`` calls have "" (any).
    Read once a process: two tests ask, and the ui's sources took 0.2 s to parse and walk.
    """
    import ast

    found: set[tuple[str, str]] = set()

    def visit(node: ast.AST, context: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, child.name)
                continue
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute):
                func, args = child.func, child.args
                if func.attr == "tr" and args and isinstance(args[0], ast.Constant):
                    owner = func.value
                    mine = isinstance(owner, ast.Name) and owner.id == "self"
                    found.add((context if mine else "", str(args[0].value)))
                elif func.attr in ("translate", "QT_TRANSLATE_NOOP") and len(args) >= 2:
                    first, second = args[0], args[1]
                    if isinstance(first, ast.Constant) and isinstance(second, ast.Constant):
                        found.add((str(first.value), str(second.value)))
            visit(child, context)

    for path in sorted(Path(ui.__file__).parent.rglob("*.py")):
        visit(ARCHITECTURE.parse(path.read_text(encoding="utf-8")), "")
    return frozenset(found)


def test_every_string_in_the_code_reaches_the_catalogue() -> None:
    finished = {
        (context, source)
        for context, source, message in _messages()
        if (message.find("translation") is not None)
        and message.find("translation").get("type") != "unfinished"  # type: ignore[union-attr]
    }
    sources = {source for _, source in finished}
    missing = sorted(
        f"{context}: {text}"
        for context, text in _tr_calls()
        if ((context, text) not in finished if context else text not in sources)
    )
    assert not missing, f"not translated in {TS.name} (packaging/update-translations): {missing}"


def test_the_english_catalogue_has_every_plural(qapp) -> None:
    translations = Translations(qapp, ENGLISH)
    try:
        assert translations.language == ENGLISH
        counted_texts = [(ctx, text) for ctx, text in _tr_calls() if "%n" in text and "(s)" in text]
        assert counted_texts
        root = ET.parse(translations_dir() / "yongju_en.ts").getroot()
        plural = {m.findtext("source") for m in root.iter("message") if m.get("numerus")}
        for _, text in counted_texts:
            assert text in plural, text
        one = QCoreApplication.translate(
            "MainWindow", "%n new document(s) from the watched folder are in the inbox.", "", 1
        )
        assert one == "1 new document from the watched folder is in the inbox."
    finally:
        translations.apply(ENGLISH)


def test_badges_and_the_packets_file_name_speak_chinese(translations) -> None:
    from yongju.ui.documents.tile_delegate import TileDelegate

    assert TileDelegate().tr("%n p", "pages, on a tile's badge", 3) == "3 页"
    name = QCoreApplication.translate("MainWindow", "%1 packet.pdf").replace("%1", "王喆")
    assert name == "王喆 申请材料.pdf"
