"""Preferences: the interface language and the colour scheme."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from yongju.ui.common.i18n import language_names
from yongju.ui.common.settings import Settings


class PreferencesDialog(QDialog):
    """Applies the theme at once; the language applies at the next start (it says so)."""

    def __init__(self, settings: Settings, theme: Any = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preferences"))
        self._settings, self._theme = settings, theme
        self.language = QComboBox()
        self.language.addItem(self.tr("Same as the system"), "")
        for code, name in language_names().items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language())))
        self.theme = QComboBox()
        for mode, text in (
            ("system", self.tr("Same as the system")),
            ("light", self.tr("Light")),
            ("dark", self.tr("Dark")),
        ):
            self.theme.addItem(text, mode)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme())))
        self.note = QLabel(self.tr("A new language is used from the next start."))
        self.note.setVisible(False)
        self.language.currentIndexChanged.connect(self._language_changed)
        self.theme.currentIndexChanged.connect(self._theme_changed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        form = QFormLayout(self)
        form.addRow(self.tr("Language:"), self.language)
        form.addRow("", self.note)
        form.addRow(self.tr("Colours:"), self.theme)
        form.addRow(buttons)

    def _language_changed(self) -> None:
        self._settings.set_language(str(self.language.currentData()))
        self.note.setVisible(True)

    def _theme_changed(self) -> None:
        mode = str(self.theme.currentData())
        self._settings.set_theme(mode)
        if self._theme is not None:
            self._theme.apply(mode)
