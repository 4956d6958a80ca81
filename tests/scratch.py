"""Where the suite's temporary folders live: in memory when the machine has room for them.

Each run writes some 225 MB in 10,000 files (stores, scans, packets, backups) and syncs
them as the product does. On a disk that cost the suite about 8 s of its minute: the syncs,
and deleting an earlier run's folders (pytest does that as a run ends). A RAM-backed file
system (Linux's ``/dev/shm``) is a real file system, with permissions, locks, renames and
inotify, so the tests see what they would on disk, but a sync there costs nothing.

pytest's ``PYTEST_DEBUG_TEMPROOT`` (``pytest --help`` lists it) moves the temporary root;
a root the user chose (``--basetemp``, ``PYTEST_DEBUG_TEMPROOT`` or ``TMPDIR``) is kept.
pyproject's ``tmp_path_retention_policy = "failed"`` deletes a passing test's folder at
once, so a passing run leaves nothing in memory.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

RAM_FOLDER = Path("/dev/shm")
MOUNTS = Path("/proc/self/mounts")
# A run's folders at their largest (a failing run keeps the failed tests') with room to
# spare: less free than this, and the suite stays on disk rather than fill the memory.
NEEDED_BYTES = 1 << 30
_CHOSEN_BY_USER = ("PYTEST_DEBUG_TEMPROOT", "TMPDIR")


def ram_folder(
    mounts_text: str | None = None, folder: Path = RAM_FOLDER, needed: int = NEEDED_BYTES
) -> Path | None:
    """``folder`` when it is a tmpfs mount (not noexec) we may write with ``needed`` bytes free,
    else None."""
    try:
        if mounts_text is None:
            mounts_text = MOUNTS.read_text("utf-8")
        # Some tests run programs they wrote: a noexec mount (Docker's) would refuse them.
        mounted = any(
            fields[1] == str(folder)
            and fields[2] == "tmpfs"
            and "noexec" not in fields[3].split(",")
            for fields in (line.split() for line in mounts_text.splitlines())
            if len(fields) >= 4
        )
        if not mounted or not os.access(folder, os.W_OK | os.X_OK):
            return None
        return folder if shutil.disk_usage(folder).free >= needed else None
    except OSError:  # no /proc (not Linux), or the folder went away
        return None


def temproot(environ: Mapping[str, str], basetemp: object) -> str | None:
    """The value for ``PYTEST_DEBUG_TEMPROOT``, or None to leave pytest's choice alone."""
    if basetemp is not None or any(environ.get(name) for name in _CHOSEN_BY_USER):
        return None
    ram = ram_folder()
    return None if ram is None else str(ram)
