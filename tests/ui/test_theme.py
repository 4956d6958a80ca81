"""Palettes and the shipped CJK font."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QFont, QRawFont
from PySide6.QtWidgets import QApplication

from yongju.core.resources import resource_path
from yongju.ui.common.fonts import install_fonts, register_cjk_font
from yongju.ui.common.theme import Theme, ThemeMode, dark_palette, is_dark, light_palette


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The application, with its style, palette, scheme and font put back afterwards."""
    style, palette, font = qapp.style().name(), qapp.palette(), qapp.font()
    yield qapp
    qapp.styleHints().unsetColorScheme()
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)


def test_forced_modes_switch_the_application_palette(app: QApplication, qtbot) -> None:
    theme = Theme(app, ThemeMode.DARK)
    assert theme.dark and is_dark(app.palette())
    assert app.style().name().lower() == "fusion"
    with qtbot.waitSignal(theme.changed) as blocker:
        theme.apply("light")
    assert blocker.args == [False]
    assert not is_dark(app.palette()) and theme.mode is ThemeMode.LIGHT
    theme.apply(ThemeMode.SYSTEM)
    assert theme.mode is ThemeMode.SYSTEM
    theme.setParent(None)  # a Theme lives as long as the app: detach it from later tests
    theme.deleteLater()


def test_both_palettes_keep_text_readable() -> None:
    for palette, dark in ((light_palette(), False), (dark_palette(), True)):
        assert is_dark(palette) is dark
        role = palette.ColorRole
        contrast = abs(palette.color(role.Text).lightness() - palette.color(role.Base).lightness())
        assert contrast > 150


def test_shipped_cjk_font_registers_and_covers_chinese(app: QApplication) -> None:
    family = register_cjk_font()
    assert family == "Noto Sans CJK SC"
    raw = QRawFont.fromFont(QFont(family))
    assert raw.familyName() == family
    assert 0 not in raw.glyphIndexesForString("永居证件照片无犯罪记录")
    setup = install_fonts(app)
    assert setup.fallback_installed and setup.cjk_family == family
    assert app.font().families()[-1] == family  # Latin first, Chinese from ours


_PROBE = """
import sys
from PySide6.QtGui import QTextLayout
from PySide6.QtWidgets import QApplication
app = QApplication([])
if sys.argv[1] == "ship":
    from yongju.ui.common.fonts import install_fonts
    install_fonts(app)
layout = QTextLayout("永居证件", app.font())
layout.beginLayout(); layout.createLine(); layout.endLayout()
runs = layout.glyphRuns()
print(all(0 not in run.glyphIndexes() for run in runs), runs[0].rawFont().familyName())
"""


def test_chinese_renders_on_a_system_without_any_cjk_font(tmp_path) -> None:
    """A separate process whose fontconfig sees one Latin font and no CJK one."""
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copy(resource_path("fonts", "NotoSans-Regular-subset.ttf"), fonts)  # Qt needs one
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f'<?xml version="1.0"?><fontconfig><dir>{fonts}</dir>'
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "QT_QPA_PLATFORM": "offscreen"}
    env["PYTHONPATH"] = os.pathsep.join(sys.path)

    def probe(mode: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", _PROBE, mode],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return done.stdout.strip()

    assert probe("ship") == "True Noto Sans CJK SC"
    assert probe("bare").startswith("False")  # the probe can see boxes when they happen
