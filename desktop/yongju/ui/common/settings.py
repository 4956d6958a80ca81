"""Remembered window state and preferences, in an INI file in the config folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings


class Settings:
    """Typed access to QSettings; built by the composition root on a file it chooses."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)

    def sync(self) -> None:
        self._qs.sync()

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._qs.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    # -- window ------------------------------------------------------------------------
    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self._qs.setValue("window/geometry", geometry)
        self._qs.setValue("window/state", state)

    def splitter(self, name: str) -> QByteArray | None:
        return self._bytes(f"splitters/{name}")

    def set_splitter(self, name: str, state: QByteArray) -> None:
        self._qs.setValue(f"splitters/{name}", state)

    # -- what the user last worked on --------------------------------------------------
    def last_case(self) -> int | None:
        value = self._qs.value("session/last_case")
        try:
            return int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def set_last_case(self, case_id: int | None) -> None:
        self._qs.setValue("session/last_case", "" if case_id is None else case_id)

    def last_folder(self, kind: str) -> str:
        """The folder last used for ``kind`` ("import", "export", "watch")."""
        value = self._qs.value(f"folders/{kind}", "")
        return value if isinstance(value, str) else ""

    def set_last_folder(self, kind: str, folder: str) -> None:
        self._qs.setValue(f"folders/{kind}", folder)

    # -- preferences -------------------------------------------------------------------
    def language(self) -> str:
        """ "" follows the system; otherwise a code such as "en" or "zh_CN"."""
        value = self._qs.value("ui/language", "")
        return value if isinstance(value, str) else ""

    def set_language(self, code: str) -> None:
        self._qs.setValue("ui/language", code)

    def theme(self) -> str:
        value = self._qs.value("ui/theme", "system")
        return value if isinstance(value, str) else "system"

    def set_theme(self, mode: str) -> None:
        self._qs.setValue("ui/theme", mode)

    def value(self, key: str, default: str = "") -> str:
        value = self._qs.value(key, default)
        return value if isinstance(value, str) else default

    def set_value(self, key: str, value: str) -> None:
        self._qs.setValue(key, value)
