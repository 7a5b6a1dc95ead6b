"""Bad input never stops a batch: each gets a clear reason, read from headers before decoding."""

from __future__ import annotations

import struct
import zlib

import cv2
import numpy as np
import pytest
from PIL import Image

from ballots.errors import FileRefused
from ballots.paper import sources


def _png(path, w=40, h=30):
    cv2.imwrite(str(path), np.full((h, w), 255, np.uint8))
    return path


def test_png_header_claiming_30000_pixels_square_is_refused_before_decoding(tmp_path):
    data = bytearray(_png(tmp_path / "a.png").read_bytes())
    data[16:24] = struct.pack(">II", 30000, 30000)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    (tmp_path / "huge.png").write_bytes(bytes(data))
    with pytest.raises(FileRefused) as err:
        sources.load(tmp_path / "huge.png")
    assert err.value.reason == sources.TOO_LARGE and "30000 × 30000 pixels" in err.value.detail


def test_huge_jpeg_header_is_refused(tmp_path):
    ok, buf = cv2.imencode(".jpg", np.full((16, 16), 200, np.uint8))
    data = bytearray(buf.tobytes())
    i = data.find(b"\xff\xc0")
    data[i + 5 : i + 9] = struct.pack(">HH", 30000, 30000)
    with pytest.raises(FileRefused) as err:
        sources.decode_bytes(bytes(data), "huge.jpg")
    assert err.value.reason == sources.TOO_LARGE


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("notes.txt", b"bonjour, ceci n'est pas une image\n", sources.NOT_AN_IMAGE),
        ("empty.png", b"", sources.EMPTY_FILE),
        ("scan.png", b"\x89PNG\r\n\x1a\n\x00\x00", sources.TRUNCATED),
    ],
)
def test_not_an_image_empty_and_truncated(tmp_path, name, content, reason):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(FileRefused) as err:
        sources.page_count(p) if reason == sources.EMPTY_FILE else sources.load(p)
    assert err.value.reason == reason


def test_truncated_jpeg(tmp_path):
    ok, buf = cv2.imencode(".jpg", np.random.default_rng(1).integers(0, 255, (200, 200), dtype=np.uint8))
    data = buf.tobytes()
    with pytest.raises(FileRefused) as err:
        sources.decode_bytes(data[: len(data) // 2], "cut.jpg")
    assert err.value.reason == sources.TRUNCATED


def test_multi_page_tiff_including_1_bit(tmp_path):
    pages = [Image.fromarray(np.full((50, 40), v, np.uint8)) for v in (0, 128)]
    pages.append(Image.fromarray(np.full((50, 40), 255, np.uint8)).convert("1"))
    p = tmp_path / "scan.tiff"
    pages[0].save(p, save_all=True, append_images=pages[1:])
    assert sources.page_count(p) == 3
    assert sources.load(p, 2).mean() == pytest.approx(128, abs=1)
    assert sources.load(p, 3).dtype == np.uint8 and sources.load(p, 3).mean() == 255


def test_encrypted_pdf(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen.canvas import Canvas

    p = tmp_path / "secret.pdf"
    c = Canvas(str(p), encrypt=StandardEncryption("motdepasse", canPrint=0))
    c.drawString(100, 100, "confidentiel")
    c.save()
    with pytest.raises(FileRefused) as err:
        sources.page_count(p)
    assert err.value.reason == sources.ENCRYPTED_PDF


def test_folders_are_walked_in_name_order_keeping_only_scans(tmp_path):
    (tmp_path / "b").mkdir()
    _png(tmp_path / "b" / "2.png")
    _png(tmp_path / "1.PNG")
    (tmp_path / "readme.md").write_text("x")
    assert [p.name for p in sources.expand([tmp_path])] == ["1.PNG", "2.png"]


def _faults() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


@pytest.mark.skipif(not sources.steady_memory(), reason="glibc's mallopt only")
def test_steady_memory_keeps_a_decoded_page_in_the_process(tmp_path):
    # A 200 dpi A4 page (3.9 MB). With glibc's default thresholds the same page decoded again is
    # mapped afresh and its ~950 pages faulted in (kernel-zeroed: ~5 ms of system CPU per page);
    # after `steady_memory` the decode reuses what the last one freed.
    import ctypes
    import ctypes.util

    rng = np.random.default_rng(0)
    page = np.full((2339, 1654), 250, np.uint8)
    page[rng.integers(0, 2339, 5000), rng.integers(0, 1654, 5000)] = 0
    path = tmp_path / "page.png"
    cv2.imwrite(str(path), page)
    pages = page.nbytes // 4096
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.mallopt(-3, 128 << 10)  # glibc's default M_MMAP_THRESHOLD (fixed: the fresh process's state)
    libc.mallopt(-1, 128 << 10)  # and M_TRIM_THRESHOLD
    sources.load(path)
    before = _faults()
    sources.load(path)
    if _faults() - before < pages // 2:
        # Transparent huge pages on every mapping ("always"): a fresh 3.9 MB block faults in a
        # few 2 MB pages, and this test cannot see what it guards against.
        pytest.skip("this system maps fresh memory in huge pages")
    assert sources.steady_memory()
    sources.load(path)
    before = _faults()
    sources.load(path)
    assert _faults() - before < pages // 10
