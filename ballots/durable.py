"""Writing a file so that a crash leaves the old one or the new one, never half of either.

Every file Urne hands to someone (procès-verbal, CSV, exports, bundles, backups, the device key)
goes through here: write to a temporary name beside the target, fsync it, rename it over the
target, fsync the folder so the rename itself survives a power cut.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

TEMP_SUFFIX = ".part"


def fsync_file(path: str | os.PathLike[str]) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: str | os.PathLike[str]) -> None:
    # Some filesystems (FAT sticks on Windows) cannot fsync a folder: the rename is then as
    # durable as that filesystem makes it.
    with contextlib.suppress(OSError):
        fsync_file(path)


@contextlib.contextmanager
def replacing(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path to fill; on success it replaces `path` durably, on error it goes."""
    target = Path(path)
    tmp = target.with_name(target.name + TEMP_SUFFIX)
    tmp.unlink(missing_ok=True)
    try:
        yield tmp
        fsync_file(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)


def atomic_write(path: str | os.PathLike[str], data: bytes, *, mode: int = 0o666, make_parents: bool = False) -> Path:
    """Write `data` to `path` atomically and durably; `mode` (before the umask) applies to the new file."""
    if make_parents:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as tmp:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
    return Path(path)
