"""Removable drives (USB sticks, SD cards) that are really plugged in and mounted.

The staff menu writes a backup, a sync file or blank ballots only to a drive found here, never
"somewhere" that merely exists (an empty /media folder, the data folder): with none, it says
"aucune clé USB trouvée". A mount counts when it is writable and its disk is removable as the
kernel says it (`/sys/block/<disk>/removable` = 1, what `lsblk` shows as RM=1), or sits on the
USB bus (USB disks that call themselves fixed), or was mounted by the desktop's automounter
under /media or /run/media. Everything is read below `root`, so a test gives a fake one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

AUTOMOUNT = ("/media/", "/run/media/")
PSEUDO = {"proc", "sysfs", "tmpfs", "devtmpfs", "overlay", "cgroup", "cgroup2", "devpts", "squashfs", "autofs"}


@dataclass(frozen=True)
class Drive:
    path: Path  # where it is mounted
    device: str  # /dev/sdb1
    label: str  # what the staff sees: the folder's name (the volume label for automounts)


def _unescape(field: str) -> str:
    """/proc/mounts writes spaces and tabs in paths as octal escapes (\\040)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def _disk(device: str, sys_block: Path) -> Path | None:
    """/dev/sdb1 -> /sys/block/sdb (the whole disk a partition belongs to)."""
    name = Path(device).name
    if not device.startswith("/dev/") or not name:
        return None
    for candidate in (name, re.sub(r"p?\d+$", "", name)):
        if candidate and (sys_block / candidate).exists():
            return sys_block / candidate
    return None


def _removable(disk: Path) -> bool:
    try:
        if (disk / "removable").read_text().strip() == "1":
            return True
    except OSError:
        pass
    try:
        return "/usb" in os.path.realpath(disk)  # a USB disk that says it is fixed
    except OSError:
        return False


def removable_drives(root: Path = Path("/")) -> list[Drive]:
    """Mounted, writable removable drives, in mount order (the first plugged in comes first)."""
    try:
        lines = (root / "proc/self/mounts").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    found: list[Drive] = []
    seen: set[str] = set()
    for line in lines:
        fields = line.split()
        if len(fields) < 4:
            continue
        device, mount, fstype, options = _unescape(fields[0]), _unescape(fields[1]), fields[2], fields[3]
        if fstype in PSEUDO or "ro" in options.split(",") or mount in seen:
            continue
        disk = _disk(device, root / "sys/block")
        automounted = mount.startswith(AUTOMOUNT)
        if not automounted and (disk is None or not _removable(disk)):
            continue
        path = root / mount.lstrip("/")
        if not path.is_dir() or not os.access(path, os.W_OK):
            continue
        seen.add(mount)
        found.append(Drive(path, device, path.name or device))
    return found
