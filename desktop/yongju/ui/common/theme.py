"""Light and dark palettes: follow the system's colour scheme, or force one from settings."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

Role = QPalette.ColorRole
Group = QPalette.ColorGroup


class ThemeMode(StrEnum):
    """The setting: follow the system, or always light, or always dark."""

    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


# Calm, high-contrast colours: the app is read for long stretches by nervous people.
_LIGHT = {
    Role.Window: "#f5f6f8",
    Role.WindowText: "#1d2129",
    Role.Base: "#ffffff",
    Role.AlternateBase: "#f0f2f5",
    Role.ToolTipBase: "#ffffff",
    Role.ToolTipText: "#1d2129",
    Role.PlaceholderText: "#858b95",
    Role.Text: "#1d2129",
    Role.Button: "#eceef2",
    Role.ButtonText: "#1d2129",
    Role.BrightText: "#c62828",
    Role.Light: "#ffffff",
    Role.Midlight: "#e3e6ea",
    Role.Mid: "#c4c9d0",
    Role.Dark: "#9aa1ab",
    Role.Shadow: "#6b717b",
    Role.Highlight: "#2f6fde",
    Role.HighlightedText: "#ffffff",
    Role.Link: "#1f5fbf",
    Role.LinkVisited: "#6a3fb5",
    Role.Accent: "#2f6fde",
}
_DARK = {
    Role.Window: "#202329",
    Role.WindowText: "#e6e8eb",
    Role.Base: "#17191d",
    Role.AlternateBase: "#24272d",
    Role.ToolTipBase: "#2b2f36",
    Role.ToolTipText: "#e6e8eb",
    Role.PlaceholderText: "#7d838d",
    Role.Text: "#e6e8eb",
    Role.Button: "#2b2f36",
    Role.ButtonText: "#e6e8eb",
    Role.BrightText: "#ff6b6b",
    Role.Light: "#3a3f47",
    Role.Midlight: "#31353c",
    Role.Mid: "#262a30",
    Role.Dark: "#15171a",
    Role.Shadow: "#000000",
    Role.Highlight: "#3d7be0",
    Role.HighlightedText: "#ffffff",
    Role.Link: "#82b1ff",
    Role.LinkVisited: "#c0a2f0",
    Role.Accent: "#3d7be0",
}
_DISABLED = {"light": "#a4a9b1", "dark": "#6b7079"}


def _palette(colours: dict[QPalette.ColorRole, str], disabled: str) -> QPalette:
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (Role.WindowText, Role.Text, Role.ButtonText, Role.PlaceholderText):
        palette.setColor(Group.Disabled, role, QColor(disabled))
    palette.setColor(Group.Disabled, Role.Highlight, QColor(colours[Role.Mid]))
    return palette


def light_palette() -> QPalette:
    """Yongju's light palette."""
    return _palette(_LIGHT, _DISABLED["light"])


def dark_palette() -> QPalette:
    """Yongju's dark palette."""
    return _palette(_DARK, _DISABLED["dark"])


def is_dark(palette: QPalette) -> bool:
    """True when text is lighter than the window behind it (whatever set the palette)."""
    return palette.color(Role.WindowText).lightness() > palette.color(Role.Window).lightness()


class Theme(QObject):
    """Applies a palette to the application and re-applies it when the system scheme changes.

    Built once by the composition root; widgets that draw their own colours listen to
    ``changed``.
    """

    changed = Signal(bool)  # dark

    def __init__(self, app: QApplication, mode: ThemeMode = ThemeMode.SYSTEM) -> None:
        super().__init__(app)
        self._app = app
        self._native_style = app.style().name()
        self._mode = ThemeMode(mode)
        app.styleHints().colorSchemeChanged.connect(self._on_system_scheme_changed)
        self.apply(self._mode)

    @property
    def mode(self) -> ThemeMode:
        return self._mode

    @property
    def dark(self) -> bool:
        return is_dark(self._app.palette())

    def apply(self, mode: ThemeMode | str) -> None:
        """Switches to ``mode`` at once; every open widget repaints."""
        self._mode = ThemeMode(mode)
        hints = self._app.styleHints()
        if self._mode is ThemeMode.SYSTEM:
            hints.unsetColorScheme()
            dark = hints.colorScheme() == Qt.ColorScheme.Dark
            if self._native_style.lower() != "fusion":
                # Native styles (Windows 11, macOS) draw the system's scheme well themselves.
                self._app.setStyle(self._native_style)
                self._app.setPalette(self._app.style().standardPalette())
                self.changed.emit(self.dark)
                return
        else:
            dark = self._mode is ThemeMode.DARK
            hints.setColorScheme(Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
        # Fusion with our palettes looks the same everywhere, in both schemes.
        if self._app.style().name().lower() != "fusion":
            self._app.setStyle("Fusion")
        self._app.setPalette(dark_palette() if dark else light_palette())
        self.changed.emit(dark)

    def _on_system_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._mode is ThemeMode.SYSTEM:
            self.apply(ThemeMode.SYSTEM)
