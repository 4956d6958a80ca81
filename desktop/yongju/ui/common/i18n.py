"""The interface language: English or Simplified Chinese, from the system locale or a setting."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QObject,
    QTranslator,
)

from yongju.core.resources import resource_path

ENGLISH = "en"
CHINESE = "zh_CN"
LANGUAGES = (ENGLISH, CHINESE)  # the choices a setting may hold ("" follows the system)
CATALOGUE = "yongju"


# Strings other modules translate from a variable (QCoreApplication.translate(ctx, words[x])),
# which lupdate cannot read there; marked here so they reach the catalogue. A test checks
# that every one of them comes out translated, so a changed wording is noticed.
MARKED_ELSEWHERE = (
    QT_TRANSLATE_NOOP("SlotState", "Complete"),
    QT_TRANSLATE_NOOP("SlotState", "Missing"),
    QT_TRANSLATE_NOOP("SlotState", "Expired"),
    QT_TRANSLATE_NOOP("SlotState", "Expires before submission"),
    QT_TRANSLATE_NOOP("SlotState", "Needs a date"),
    QT_TRANSLATE_NOOP("SlotState", "Needs a translation"),
    QT_TRANSLATE_NOOP("SlotState", "Needs legalisation"),
    QT_TRANSLATE_NOOP("SlotState", "Not applicable"),
    QT_TRANSLATE_NOOP("SlotState", "Optional"),
    QT_TRANSLATE_NOOP("Editor", "File into %1"),
    QT_TRANSLATE_NOOP("Editor", "Remove from slot"),
    QT_TRANSLATE_NOOP("Editor", "Reorder"),
    QT_TRANSLATE_NOOP("Editor", "Change role"),
    QT_TRANSLATE_NOOP("Editor", "Rotate page"),
    QT_TRANSLATE_NOOP("Editor", "Exclude page"),
    QT_TRANSLATE_NOOP("Editor", "Include page"),
    QT_TRANSLATE_NOOP("Editor", "Edit document"),
    QT_TRANSLATE_NOOP("Editor", "Edit case"),
    QT_TRANSLATE_NOOP("Editor", "Change submission date"),
    QT_TRANSLATE_NOOP("Editor", "Mark not applicable"),
    QT_TRANSLATE_NOOP("Editor", "Mark applicable"),
)


def language_names() -> dict[str, str]:
    """Each language as its own speakers write it, for the settings menu."""
    return {ENGLISH: "English", CHINESE: "简体中文"}


def resolve_language(code: str = "", system: QLocale | None = None) -> str:
    """The language to use: ``code`` when it is one we have, else the system's, else English.

    Every Chinese locale gets Simplified Chinese: it is the language of the application
    and of the offices, and the nearest we ship for zh_TW and zh_HK users.
    """
    if code in LANGUAGES:
        return code
    locale = system if system is not None else QLocale.system()
    return CHINESE if locale.language() == QLocale.Language.Chinese else ENGLISH


def bilingual(english: str, chinese: str) -> str:
    """ "English (中文)", or "中文 (English)" when the interface is in Chinese."""
    if QLocale().language() == QLocale.Language.Chinese:
        return f"{chinese}（{english}）"
    return f"{english} ({chinese})"


def translations_dir() -> Path:
    """Where ``yongju_zh_CN.qm`` lives (a checkout, a wheel and a bundle alike)."""
    return resource_path("translations")


class Translations(QObject):
    """Installs our catalogue and Qt's own (standard buttons, dialogs) for one language.

    Built by the composition root before any widget, so every ``tr()`` sees it. Switching
    later affects widgets built afterwards; the settings dialog says a restart applies it.
    """

    def __init__(self, app: QCoreApplication, code: str = "") -> None:
        super().__init__(app)
        self._app = app
        self._installed: list[QTranslator] = []
        self._catalogues: list[str] = []
        self.language = ENGLISH
        self.apply(code)

    def apply(self, code: str) -> str:
        """Switches to ``code`` ("" follows the system); returns the language now in use."""
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed.clear()
        self._catalogues.clear()
        self.language = resolve_language(code)
        if self.language != ENGLISH:
            self._load(CATALOGUE, translations_dir())
            qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            self._load("qtbase", Path(qt_dir))
        else:  # English needs only its plural forms: "1 document is", "3 documents are"
            self._load(CATALOGUE, translations_dir(), as_name="plurals")
        # Qt's own widgets (calendar month names, number formats) follow the chosen language.
        QLocale.setDefault(QLocale(CHINESE) if self.language == CHINESE else QLocale.system())
        return self.language

    @property
    def loaded(self) -> bool:
        """True when Yongju's own catalogue for a non-English language is installed."""
        return CATALOGUE in self._catalogues

    def _load(self, catalogue: str, folder: Path, as_name: str = "") -> None:
        translator = QTranslator(self)
        # A missing Qt catalogue (a trimmed bundle) only leaves standard buttons in English.
        if translator.load(f"{catalogue}_{self.language}", str(folder)):
            self._app.installTranslator(translator)
            self._installed.append(translator)
            self._catalogues.append(as_name or catalogue)
