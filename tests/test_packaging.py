"""Desktop integration and release metadata: validators, icons, the one version number."""

from __future__ import annotations

import configparser
import hashlib
import importlib.machinery
import re
import shutil
import subprocess
import tomllib
import types
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import ClassVar

import pytest
from PIL import Image

import yongju

ROOT = Path(__file__).resolve().parents[1]
APP_ID = "io.github.yongju.Yongju"
RESOURCES = ROOT / "resources"
DESKTOP = RESOURCES / f"{APP_ID}.desktop"
METAINFO = RESOURCES / f"{APP_ID}.metainfo.xml"
ICONS = RESOURCES / "icons" / "app"
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
MIME_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/tiff",
    "image/heif",
    "image/heic",
    "image/webp",
}
SCREENSHOTS = [
    "main-window.png",
    "case-half-filled.png",
    "export-dialog.png",
    "chinese-interface.png",
]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (Debian: desktop-file-utils / appstream)")
    return path


def _desktop_entry(path: Path = DESKTOP) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def _run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


# --- validators -----------------------------------------------------------------------------


def test_desktop_entry_validates() -> None:
    result = _run(_tool("desktop-file-validate"), DESKTOP)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_metainfo_validates() -> None:
    result = _run(_tool("appstreamcli"), "validate", "--no-net", "--explain", METAINFO)
    assert result.returncode == 0, result.stdout + result.stderr
    # Warnings pass appstreamcli's exit code but fail Flathub's review: refuse them too.
    assert not re.search(r"^[EW]: ", result.stdout, re.MULTILINE), result.stdout


# --- the desktop entry and the metainfo agree -------------------------------------------------


def test_desktop_entry_opens_every_accepted_file_type() -> None:
    entry = _desktop_entry()
    assert entry["Exec"] == "yongju %F"  # %F: several local files, as import expects
    assert set(filter(None, entry["MimeType"].split(";"))) == MIME_TYPES
    assert entry["Icon"] == APP_ID


def test_metainfo_names_the_desktop_entry_and_the_same_types() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable[@type='desktop-id']") == DESKTOP.name
    assert {m.text for m in root.iterfind("provides/mediatype")} == MIME_TYPES
    assert root.findtext("provides/binary") == "yongju"


def test_metainfo_screenshots_are_the_docs_screenshots() -> None:
    root = ET.parse(METAINFO).getroot()
    urls = [i.text or "" for i in root.iterfind("screenshots/screenshot/image")]
    assert [u.rsplit("/docs/screenshots/", 1)[-1] for u in urls] == SCREENSHOTS
    assert all(u.startswith("https://") and "/docs/screenshots/" in u for u in urls)


def test_screenshots_exist_in_docs() -> None:
    folder = ROOT / "docs" / "screenshots"
    if not folder.is_dir():
        pytest.skip("docs/screenshots/ is not made yet (the window's screenshots)")
    missing = [name for name in SCREENSHOTS if not (folder / name).is_file()]
    assert not missing, f"metainfo references screenshots that do not exist: {missing}"


# --- one version --------------------------------------------------------------------------


def test_version_is_defined_once_and_read_by_hatch() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"]
    assert "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["hatch"]["version"]["path"] == "desktop/yongju/__init__.py"
    assert re.fullmatch(r"\d+\.\d+\.\d+", yongju.__version__)
    literal = re.compile(r"^__version__\s*=", re.MULTILINE)
    defining = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "desktop").rglob("*.py")
        if literal.search(p.read_text(encoding="utf-8"))
    ]
    assert defining == ["desktop/yongju/__init__.py"]


def test_metainfo_newest_release_is_the_version() -> None:
    releases = ET.parse(METAINFO).getroot().findall("releases/release")
    assert releases, "metainfo lists no release"
    assert releases[0].get("version") == yongju.__version__  # newest first, as AppStream wants


def test_changelog_newest_section_is_the_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", text, re.MULTILINE)
    assert versions, "CHANGELOG.md has no version section"
    assert versions[0] == yongju.__version__
    assert f"[{versions[0]}]: " in text  # its link reference


# --- icons ------------------------------------------------------------------------------------


def test_icon_svg_needs_no_font() -> None:
    svg = (ICONS / "yongju.svg").read_text(encoding="utf-8")
    ET.fromstring(svg)
    assert "<text" not in svg and "font-family" not in svg  # glyphs are paths


def test_icon_pngs_are_made_from_the_current_svg() -> None:
    digest = hashlib.sha256((ICONS / "yongju.svg").read_bytes()).hexdigest()
    for size in PNG_SIZES:
        with Image.open(ICONS / f"yongju-{size}.png") as image:
            assert image.size == (size, size)
            assert image.mode == "RGBA"
            assert image.text.get("Source-SHA256") == digest, (
                f"yongju-{size}.png is older than yongju.svg: run packaging/make-icons"
            )
            assert image.getpixel((0, 0))[3] == 0  # transparent corner: no white box


def test_ico_and_icns_hold_every_size() -> None:
    with Image.open(ICONS / "yongju.ico") as ico:
        assert {(s, s) for s in (16, 24, 32, 48, 64, 128, 256)} <= set(ico.info["sizes"])
    with Image.open(ICONS / "yongju.icns") as icns:
        assert {s[0] for s in icns.info["sizes"]} >= {16, 32, 128, 256, 512}


# --- installing the desktop entry for a checkout or a bundle --------------------------------


def test_install_desktop_entry_into_user_data(tmp_path: Path) -> None:
    program = tmp_path / "My Apps" / "yongju"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    data = tmp_path / "data"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_DATA_HOME": str(data)}
    script = ROOT / "packaging" / "install-desktop-entry"
    result = _run("bash", script, "--exec", program, env=env)
    assert result.returncode == 0, result.stderr

    installed = data / "applications" / DESKTOP.name
    entry = _desktop_entry(installed)
    assert entry["Exec"] == f'"{program}" %F'  # quoted: the path has a space
    assert entry["TryExec"] == str(program)
    assert (data / "metainfo" / METAINFO.name).read_bytes() == METAINFO.read_bytes()
    assert (data / "icons/hicolor/48x48/apps" / f"{APP_ID}.png").read_bytes() == (
        ICONS / "yongju-48.png"
    ).read_bytes()
    assert (data / "icons/hicolor/scalable/apps" / f"{APP_ID}.svg").is_file()
    if shutil.which("desktop-file-validate"):
        check = _run("desktop-file-validate", installed)
        assert check.returncode == 0, check.stdout

    result = _run("bash", script, "--uninstall", env=env)
    assert result.returncode == 0, result.stderr
    assert not installed.exists()
    assert not list(data.rglob(f"{APP_ID}.*"))


def test_install_desktop_entry_refuses_a_missing_program(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    script = ROOT / "packaging" / "install-desktop-entry"
    result = _run("bash", script, "--exec", tmp_path / "nowhere" / "yongju", env=env)
    assert result.returncode == 1
    assert "no yongju program found" in result.stderr
    assert not (tmp_path / "applications" / DESKTOP.name).exists()


# --- the bundle's build files -----------------------------------------------------------------


def test_build_scripts_parse() -> None:
    for name in ("yongju.spec", "smoke-test", "make-icons"):
        source = (ROOT / "packaging" / name).read_text(encoding="utf-8")
        compile(source, name, "exec")
    for name in ("build", "install-desktop-entry"):
        result = _run("bash", "-n", ROOT / "packaging" / name)
        assert result.returncode == 0, result.stderr


def test_spec_ships_resources_where_a_wheel_does() -> None:
    spec = (ROOT / "packaging" / "yongju.spec").read_text(encoding="utf-8")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wheel_dest = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert wheel_dest["resources"] == "yongju/resources"
    assert '"yongju/resources"' in spec
    for module in ("QtQml", "QtQuick", "QtWebEngineCore", "Qt3DCore", "QtMultimedia"):
        assert f'"{module}"' in spec, f"{module} should be excluded from the bundle"


class _Recorder:
    """Stands in for PyInstaller's build steps and keeps what the spec gave them."""

    calls: ClassVar[list[tuple[str, tuple[object, ...], dict[str, object]]]] = []

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.args, self.kwargs = args, kwargs
        self.binaries: list[tuple[str, str, str]] = []
        self.datas: list[tuple[str, str, str]] = []
        self.pure: list[object] = []
        self.scripts: list[object] = []
        _Recorder.calls.append((type(self).__name__, args, kwargs))


def test_spec_collects_resources_licenses_and_excludes(tmp_path: Path) -> None:
    pytest.importorskip("PyInstaller", reason="PyInstaller is only in the [build] extra")
    steps = {
        name: type(name, (_Recorder,), {})
        for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")
    }
    spec = ROOT / "packaging" / "yongju.spec"
    namespace: dict[str, object] = {
        "SPECPATH": str(spec.parent),
        "workpath": str(tmp_path),
        **steps,
    }
    exec(compile(spec.read_text(encoding="utf-8"), str(spec), "exec"), namespace)

    analysis = next(args_kwargs for name, *args_kwargs in _Recorder.calls if name == "Analysis")
    datas: list[tuple[str, str]] = analysis[1]["datas"]  # type: ignore[assignment]
    destinations = {Path(dest).as_posix() for _, dest in datas}
    assert "yongju/resources/profiles" in destinations
    assert "yongju/resources/fonts" in destinations
    assert "yongju/core/store/migrations/versions" in destinations
    assert not any(Path(src).suffix == ".ts" for src, _ in datas)
    assert any(dest.startswith("licenses/pyside6") or dest == "licenses" for dest in destinations)
    summary = (tmp_path / "licenses" / "README.txt").read_text(encoding="utf-8")
    assert "pyside6-essentials" in summary and "sqlalchemy" in summary
    excludes = analysis[1]["excludes"]
    assert "PySide6.QtWebEngineCore" in excludes and "pytest" in excludes  # type: ignore[operator]
    wanted = namespace["wanted"]
    assert callable(wanted)
    assert not wanted(("PySide6/Qt/lib/libQt6Quick.so.6", "", "BINARY"))
    assert not wanted(("PySide6/Qt/translations/qtbase_de.qm", "", "DATA"))
    assert wanted(("PySide6/Qt/translations/qtbase_zh_CN.qm", "", "DATA"))
    assert wanted(("PySide6/Qt/plugins/platforms/libqxcb.so", "", "BINARY"))
    assert wanted(("yongju/resources/translations/yongju_zh_CN.qm", "", "DATA"))


def test_installed_exec_line_round_trips_an_awkward_path(tmp_path: Path) -> None:
    loader = importlib.machinery.SourceFileLoader("smoke_test", str(ROOT / "packaging/smoke-test"))
    smoke = types.ModuleType(loader.name)
    smoke.__file__ = loader.path
    loader.exec_module(smoke)
    program = tmp_path / 'My $files "x" `y` \\ z' / "yongju"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    result = _run("bash", ROOT / "packaging/install-desktop-entry", "--exec", program, env=env)
    assert result.returncode == 0, result.stderr
    exec_value = _desktop_entry(tmp_path / "applications" / DESKTOP.name)["Exec"]
    # configparser keeps the file's text; the desktop format's own \\ escape is undone first
    assert smoke._split_exec(exec_value.replace("\\\\", "\\")) == [str(program), "%F"]
