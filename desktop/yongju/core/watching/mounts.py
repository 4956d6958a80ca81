"""Which filesystem a folder is on, to know when native file events will not arrive."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

MOUNTS_FILE = Path("/proc/mounts")

# Filesystems where changes made by other machines (or the host) raise no local events.
POLLING_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "9p",
        "virtiofs",
        "vboxsf",
        "vmhgfs",
        "drvfs",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "beegfs",
        "davfs",
        "coda",
        "fuse.sshfs",
        "fuse.rclone",
        "fuse.davfs2",
        "fuse.gvfsd-fuse",
        "fuse.glusterfs",
        "fuse.s3fs",
        "fuse.vmhgfs-fuse",
        "fuse.cephfs",
        "fuse.smbnetfs",
        "fuse.curlftpfs",
        "sshfs",
        "rclone",
        "s3fs",
    }
)
_OCTAL = re.compile(r"\\([0-7]{3})")


def _unescape(field: str) -> str:
    """/proc/mounts writes spaces, tabs and backslashes in paths as octal escapes."""
    return _OCTAL.sub(lambda m: chr(int(m.group(1), 8)), field)


def parse_mounts(text: str) -> list[tuple[str, str]]:
    """(mount point, filesystem type) pairs from the text of /proc/mounts."""
    pairs = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            pairs.append((_unescape(fields[1]), fields[2]))
    return pairs


def filesystem_type(folder: Path, mounts_text: str | None = None) -> str | None:
    """The type of the filesystem holding ``folder`` (``ext4``, ``nfs4`` ...), None if unknown.

    The longest mount point that contains the folder wins; the last mount of a point wins
    (a later mount hides an earlier one).
    """
    if mounts_text is None:
        try:
            mounts_text = MOUNTS_FILE.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None  # not Linux: the native observer is the best guess
    target = os.path.realpath(folder)
    best: tuple[int, str] | None = None
    for point, fstype in parse_mounts(mounts_text):
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= best[0]):
            best = (len(point), fstype)
    return best[1] if best else None


def polling_reason(folder: Path, mounts_text: str | None = None) -> str | None:
    """Why ``folder`` must be polled (a network or shared filesystem), or None."""
    if sys.platform == "win32" and mounts_text is None:
        return _windows_remote(folder)
    fstype = filesystem_type(folder, mounts_text)
    if fstype is None:
        return None
    if fstype in POLLING_FILESYSTEMS or fstype.split(".")[-1] in POLLING_FILESYSTEMS:
        return f"the folder is on a {fstype} filesystem, which sends no change events"
    return None


def _windows_remote(folder: Path) -> str | None:
    """A UNC path or a mapped network drive: Windows reports no changes made by others."""
    path = os.path.abspath(folder)
    if path.startswith("\\\\"):
        return "the folder is on a network share, which sends no change events"
    if sys.platform == "win32":  # for mypy: windll exists only there
        import ctypes

        drive_remote = 4
        root = os.path.splitdrive(path)[0] + "\\"
        if ctypes.windll.kernel32.GetDriveTypeW(root) == drive_remote:
            return "the folder is on a network drive, which sends no change events"
    return None
