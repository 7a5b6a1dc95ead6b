"""Scanned files to grey pages: PNG, JPEG, TIFF (multi-page), PDF (multi-page, rasterised here).

Contract: `expand(paths)` lists (file, page) units, folders walked in name order; a file that
cannot be a source still gets one unit so it is reported. `page_count(path)` and `load(path,
page)` raise `FileRefused(reason, problem, values)` with reasons EMPTY_FILE, NOT_AN_IMAGE, TRUNCATED,
TOO_LARGE, ENCRYPTED_PDF, UNREADABLE — never anything else, so one bad file never stops a
batch. Image sizes are read from the file header before any pixel is decoded: a 30 000 x 30 000
image is refused without allocating it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from collections.abc import Iterable
from pathlib import Path

import cv2
import numpy as np

from ballots.errors import FileRefused
from ballots.paper.page_problems import PageProblem
from ballots.reasons import Code

EMPTY_FILE = Code.EMPTY_FILE
NOT_AN_IMAGE = Code.NOT_AN_IMAGE
TRUNCATED = Code.TRUNCATED_FILE
TOO_LARGE = Code.IMAGE_TOO_LARGE
ENCRYPTED_PDF = Code.ENCRYPTED_PDF
UNREADABLE = Code.UNREADABLE_FILE

MAX_PIXELS = 60_000_000  # an A4 page at 600 dpi is 35 Mpx
MAX_SIDE = 12_000
PDF_DPI = 200
SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".pdf"}


# glibc's mallopt parameters (malloc.h): a freed block above the mmap threshold goes back to the
# system, and the next page's allocation of the same size is mapped afresh.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_KEEP = 64 << 20  # bytes: a 600 dpi A4 page (35 Mpx) stays in the process's heap between pages


def steady_memory() -> bool:
    """Keep a decoded page's memory in the process between pages (glibc only; elsewhere a no-op).

    By default glibc maps every block larger than its (moving) mmap threshold straight from the
    system and unmaps it when freed; a 200 dpi A4 page (3.9 MB) decoded after another of the same
    size is then mapped afresh, and the kernel zeroes ~1 900 new pages on first touch: ~5 ms of
    system CPU per page, more than half of the decode itself, and whether it happens depends on
    what the process freed before (the same PNG's decode measured 7.8 ms in one run, 12.4 in
    another). Fixed thresholds make every page after the first reuse the memory the last one
    freed. Called once by each process that reads pages (`scan`'s workers, the benches)."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        mallopt = getattr(libc, "mallopt", None)
    except OSError:
        return False
    if mallopt is None:
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, _KEEP)) and bool(mallopt(_M_TRIM_THRESHOLD, 2 * _KEEP))


def expand(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files to scan: folders walked recursively (scan-like files only), files as given."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES))
        else:
            out.append(p)
    return out


def _kind(head: bytes) -> str:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8"):
        return "jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head.startswith(b"%PDF"):
        return "pdf"
    return ""


def _check_size(w: int, h: int, where: str) -> None:
    if w <= 0 or h <= 0:
        raise FileRefused(NOT_AN_IMAGE, PageProblem.NO_PIXELS, {"file": where})
    if w * h > MAX_PIXELS or max(w, h) > MAX_SIDE:
        raise FileRefused(TOO_LARGE, PageProblem.TOO_MANY_PIXELS, {"file": where, "width": w, "height": h})


def _header_size(path: Path, kind: str, data: bytes) -> tuple[int, int]:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = None  # we check the size ourselves, before decoding
    try:
        with Image.open(path) as im:
            return im.size
    except Exception as exc:  # any header PIL cannot parse is not an image we can read
        reason = TRUNCATED if kind and len(data) < 64 else NOT_AN_IMAGE
        raise FileRefused(reason, PageProblem.HEADER_UNREADABLE, {"file": path.name, "system": exc}) from exc


def page_count(path: Path) -> int:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileRefused(UNREADABLE, PageProblem.CANNOT_OPEN, {"file": path, "system": exc.strerror}) from exc
    if size == 0:
        raise FileRefused(EMPTY_FILE, PageProblem.EMPTY, {"file": path.name})
    with open(path, "rb") as f:
        head = f.read(16)
    kind = _kind(head)
    if kind == "pdf":
        import pypdfium2 as pdfium

        try:
            doc = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            if "password" in str(exc).lower():
                raise FileRefused(ENCRYPTED_PDF, PageProblem.PASSWORD, {"file": path.name}) from exc
            raise FileRefused(UNREADABLE, PageProblem.CANNOT_OPEN, {"file": path.name, "system": exc}) from exc
        try:
            return len(doc)
        finally:
            doc.close()
    if kind == "tiff":
        from PIL import Image

        try:
            with Image.open(path) as im:
                return int(getattr(im, "n_frames", 1))
        except Exception as exc:
            raise FileRefused(UNREADABLE, PageProblem.CANNOT_OPEN, {"file": path.name, "system": exc}) from exc
    if kind in ("png", "jpeg"):
        return 1
    raise FileRefused(NOT_AN_IMAGE, PageProblem.NOT_AN_IMAGE_FILE, {"file": path.name})


def load(path: Path, page: int = 1) -> np.ndarray:
    """Page `page` (1-based) of `path` as a 2-D uint8 grey image."""
    data = path.read_bytes()
    if not data:
        raise FileRefused(EMPTY_FILE, PageProblem.EMPTY, {"file": path.name})
    kind = _kind(data[:16])
    if kind in ("png", "jpeg"):
        return decode_bytes(data, path.name)
    if kind == "tiff":
        return _tiff_page(path, page, data)
    if kind == "pdf":
        return _pdf_page(path, page)
    raise FileRefused(NOT_AN_IMAGE, PageProblem.NOT_AN_IMAGE_FILE, {"file": path.name})


def decode_bytes(data: bytes, name: str = "image") -> np.ndarray:
    """PNG or JPEG bytes to grey; the header size is checked first, truncation is detected."""
    kind = _kind(data[:16])
    if kind == "png":
        if len(data) < 33:
            raise FileRefused(TRUNCATED, PageProblem.ENDS_EARLY, {"file": name})
        _check_size(int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big"), name)
        if b"IEND" not in data[-16:]:
            raise FileRefused(TRUNCATED, PageProblem.ENDS_EARLY, {"file": name})
    elif kind == "jpeg":
        w, h = _jpeg_size(data, name)
        _check_size(w, h, name)
        if b"\xff\xd9" not in data[-64:]:
            raise FileRefused(TRUNCATED, PageProblem.ENDS_EARLY, {"file": name})
    else:
        raise FileRefused(NOT_AN_IMAGE, PageProblem.NOT_AN_IMAGE_FILE, {"file": name})
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    if img is None:
        raise FileRefused(UNREADABLE, PageProblem.CANNOT_DECODE, {"file": name})
    return img


def _jpeg_size(data: bytes, name: str) -> tuple[int, int]:
    i, n = 2, len(data)
    while i + 9 < n:
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            i += 1 if marker == 0xFF else 2
            continue
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            return int.from_bytes(data[i + 7 : i + 9], "big"), int.from_bytes(data[i + 5 : i + 7], "big")
        i += 2 + length
    raise FileRefused(TRUNCATED, PageProblem.NO_FRAME_HEADER, {"file": name})


def _tiff_page(path: Path, page: int, data: bytes) -> np.ndarray:
    from PIL import Image

    w, h = _header_size(path, "tiff", data)
    _check_size(w, h, path.name)
    try:
        with Image.open(path) as im:
            im.seek(page - 1)
            _check_size(*im.size, f"{path.name} page {page}")
            return np.asarray(im.convert("L"), dtype=np.uint8).copy()
    except FileRefused:
        raise
    except Exception as exc:
        reason = TRUNCATED if isinstance(exc, OSError) else UNREADABLE
        raise FileRefused(
            reason, PageProblem.PAGE_UNREADABLE, {"file": path.name, "page": page, "system": exc}
        ) from exc


def _pdf_page(path: Path, page: int) -> np.ndarray:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        reason = ENCRYPTED_PDF if "password" in str(exc).lower() else UNREADABLE
        raise FileRefused(reason, PageProblem.CANNOT_OPEN, {"file": path.name, "system": exc}) from exc
    try:
        pg = doc[page - 1]
        w, h = pg.get_size()
        scale = PDF_DPI / 72
        if w * h * scale * scale > MAX_PIXELS:  # a poster-sized page: render it smaller, not bigger
            scale = (MAX_PIXELS / (w * h)) ** 0.5
        bitmap = pg.render(scale=scale, grayscale=True)
        arr = bitmap.to_numpy()
        return (arr[..., 0] if arr.ndim == 3 else arr).copy()
    except pdfium.PdfiumError as exc:
        raise FileRefused(
            UNREADABLE, PageProblem.PAGE_UNREADABLE, {"file": path.name, "page": page, "system": exc}
        ) from exc
    finally:
        doc.close()
