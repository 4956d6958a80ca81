"""Finds the files shipped with Yongju: the same lookup serves a checkout, a wheel and a bundle."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


@cache
def resource_root() -> Path:
    """The ``resources`` folder.

    A wheel and a PyInstaller bundle carry it inside the package (``yongju/resources``);
    a checkout (and an editable install) has it at the top of the repository.
    """
    for candidate in (_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent.parent / "resources"):
        if (candidate / "profiles").is_dir():
            return candidate
    raise FileNotFoundError("Yongju's resources folder is missing from this installation")


def resource_path(*parts: str) -> Path:
    """A path below the resources folder, e.g. ``resource_path("fonts", "x.ttf")``."""
    return resource_root().joinpath(*parts)
