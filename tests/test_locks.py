"""The lock files: every declared dependency pinned, hashed and the same in every lock.

``packaging/lock`` writes them from pyproject.toml; ``packaging/bootstrap`` and
``packaging/build`` install from them. A dependency changed in pyproject without running
``bash packaging/lock`` fails here, as does a venv that drifted from what the lock pins.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
LOCKS = {
    "": PACKAGING / "requirements.lock",
    "test": PACKAGING / "requirements-test.lock",
    "build": PACKAGING / "requirements-build.lock",
}
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]*?))?\s*\\?$")
_HASH = re.compile(r"^\s+--hash=sha256:[0-9a-f]{64}\s*\\?$")


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    marker: Marker | None
    hashes: int

    def applies(self) -> bool:
        """Whether this pin is for the Python and platform running the tests."""
        return self.marker is None or self.marker.evaluate()


def read_lock(path: Path) -> list[Pin]:
    pins: list[Pin] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if _HASH.match(line):
            last = pins[-1]
            pins[-1] = Pin(last.name, last.version, last.marker, last.hashes + 1)
            continue
        found = _PIN.match(line)
        if found:
            name, pinned, marker = found.groups()
            pins.append(Pin(canonicalize_name(name), pinned, Marker(marker) if marker else None, 0))
        else:
            assert not line.strip() or line.lstrip().startswith("#"), f"{path.name}: {line!r}"
    return pins


def declared() -> dict[str, list[Requirement]]:
    """pyproject's dependencies, by extra ("" for the program's own)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = [Requirement(line) for line in project["dependencies"]]
    extras = project["optional-dependencies"]
    return {
        "": runtime,
        **{extra: [Requirement(r) for r in extras[extra]] for extra in LOCKS if extra},
    }


@pytest.mark.parametrize("extra", list(LOCKS))
def test_every_declared_dependency_is_pinned_within_its_specifier(extra: str) -> None:
    pins = read_lock(LOCKS[extra])
    wanted = declared()[""] + (declared()[extra] if extra else [])
    problems = []
    for requirement in wanted:
        versions = [p.version for p in pins if p.name == canonicalize_name(requirement.name)]
        if not versions:
            problems.append(f"{requirement.name} is not in the lock")
        for pinned in versions:
            if not requirement.specifier.contains(pinned, prereleases=True):
                problems.append(f"{requirement.name}=={pinned} is outside '{requirement}'")
    assert not problems, (
        f"{LOCKS[extra].name} disagrees with pyproject.toml (run `bash packaging/lock`): "
        + "; ".join(problems)
    )


@pytest.mark.parametrize("extra", list(LOCKS))
def test_every_pin_is_exact_and_carries_hashes(extra: str) -> None:
    pins = read_lock(LOCKS[extra])
    assert len(pins) >= len(declared()[""])
    assert [p.name for p in pins if p.hashes == 0] == []
    assert "yongju" not in {p.name for p in pins}  # the project installs itself, editable


def test_the_locks_pin_the_program_s_dependencies_alike() -> None:
    program = {(p.name, p.marker and str(p.marker)): p.version for p in read_lock(LOCKS[""])}
    for extra in ("test", "build"):
        for pin in read_lock(LOCKS[extra]):
            key = (pin.name, pin.marker and str(pin.marker))
            if key in program:
                assert pin.version == program[key], f"{LOCKS[extra].name}: {pin.name}"


def test_this_environment_is_the_locked_one() -> None:
    """The venv the tests run in holds exactly what the test lock pins (for this platform)."""
    drifted = []
    for pin in read_lock(LOCKS["test"]):
        if not pin.applies():
            continue
        try:
            installed = version(pin.name)
        except PackageNotFoundError:
            drifted.append(f"{pin.name} is missing (locked: {pin.version})")
            continue
        if Version(installed) != Version(pin.version):
            drifted.append(f"{pin.name} {installed} (locked: {pin.version})")
    assert not drifted, "run `bash packaging/bootstrap --test`: " + ", ".join(drifted)


def test_read_lock_understands_markers_and_hashes(tmp_path: Path) -> None:
    lock = tmp_path / "x.lock"
    lock.write_text(
        "# header\n"
        "numpy==2.4.6 ; python_full_version < '3.12' \\\n"
        f"    --hash=sha256:{'a' * 64} \\\n"
        f"    --hash=sha256:{'b' * 64}\n"
        "    # via rapidocr\n"
        "six==1.17.0 \\\n"
        f"    --hash=sha256:{'c' * 64}\n",
        encoding="utf-8",
    )
    numpy, six = read_lock(lock)
    assert (numpy.name, numpy.version, str(numpy.marker), numpy.hashes) == (
        "numpy",
        "2.4.6",
        'python_full_version < "3.12"',
        2,
    )
    assert (six.name, six.version, six.marker, six.hashes) == ("six", "1.17.0", None, 1)
    lock.write_text("requests>=2\n", encoding="utf-8")  # not a pin: refused
    with pytest.raises(AssertionError, match="requests>=2"):
        read_lock(lock)


def test_bootstrap_and_build_install_from_the_locks() -> None:
    bootstrap = (PACKAGING / "bootstrap").read_text(encoding="utf-8")
    build = (PACKAGING / "build").read_text(encoding="utf-8")
    assert "--require-hashes" in bootstrap and "requirements-test.lock" in bootstrap
    assert "requirements.lock" in bootstrap and "--no-deps -e ." in bootstrap
    assert "--require-hashes -r packaging/requirements-build.lock" in build
    assert '-e ".[build]"' not in build  # nothing resolved afresh at build time
