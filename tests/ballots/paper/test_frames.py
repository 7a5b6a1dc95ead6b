"""Scanner frames: real ballots printed by our code, rendered by pdfium at the scanner's dpi, then
a corner cut off by the frame, turned, skewed, laid on a lid, binarised, and read end to end from
the file a copier would write (`sheet.read_page`: PNG, JPEG, TIFF G4 or a multi-page PDF).

Regression tests of issue 11 item 3: on the reader before frame 2, every sheet here with a corner
cut was refused (`alignment_failed`, earlier `not_a_ballot`).
"""

from __future__ import annotations

import base64
import dataclasses
import io
import math
import random
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from ballots.paper import fiducials, geometry, qrcode_payload, reading, sheet
from ballots.paper.printing import print_ballots
from ballots.report.labels import reason_label as label
from bench import paper_corpus
from tests.ballots.paper.helpers import render

MM = 72 / 25.4
PLAN = {"p01": "x", "p06": "fill", "p12": "tick", "p20": "x"}  # p01 top of the list, p20 the bottom


@pytest.fixture
def ballot(paper_store, tmp_path):
    """Print one A4 ballot in `frame`; returns (serial, pdf, layout, election, secret)."""

    def _make(frame: int = geometry.CURRENT.version, variant_size: str = "A4"):
        pdf = tmp_path / f"ballot-{frame}-{variant_size}.pdf"
        [serial] = print_ballots(paper_store, 1, pdf, page_size=variant_size, frame=frame)
        election = paper_store.election()
        lay = geometry.layout(election, geometry.variant_for(variant_size, False), frame)
        return serial, pdf, lay, election, paper_store.election_secret()

    return _make


def _marked(pdf: Path, lay, dpi: int, plan: dict[str, str] = PLAN) -> np.ndarray:
    page = render(pdf, dpi)[0]
    rng = random.Random(7)
    for b in lay.sheet_boxes(1):
        if b.key in plan:
            paper_corpus.draw(page, tuple(v * dpi / 72 for v in b.rect), plan[b.key], "pen", dpi / 25.4, rng)
    return page


def cut_corner(page: np.ndarray, corner: int, along_mm: float, down_mm: float, dpi: int, lid: int) -> np.ndarray:
    """The frame took a triangle off one corner (0 TL, 1 TR, 2 BR, 3 BL): `along_mm` of the top
    or bottom edge and `down_mm` of the side, replaced by what the scanner sees there (the lid)."""
    h, w = page.shape
    k = dpi / 25.4
    a, d = along_mm * k, down_mm * k
    cx, cy = (0 if corner in (0, 3) else w), (0 if corner in (0, 1) else h)
    sx, sy = (1 if cx == 0 else -1), (1 if cy == 0 else -1)
    tri = np.array([[cx, cy], [cx + sx * a, cy], [cx, cy + sy * d]], np.int32)
    out = page.copy()
    cv2.fillPoly(out, [tri], lid)
    return out


def on_the_bed(page: np.ndarray, dpi: int, *, turn: int = 0, skew: float = 0.0, lid: int = 255, border_mm: float = 6):
    """The page turned by `turn` + `skew` degrees on a lid of grey `lid`, `border_mm` of it around."""
    h, w = page.shape
    b = int(border_mm * dpi / 25.4)
    angle = turn + skew
    rad = math.radians(angle)
    cw = int(abs(w * math.cos(rad)) + abs(h * math.sin(rad))) + 2 * b
    ch = int(abs(w * math.sin(rad)) + abs(h * math.cos(rad))) + 2 * b
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    m[0, 2] += cw / 2 - w / 2
    m[1, 2] += ch / 2 - h / 2
    return cv2.warpAffine(page, m, (cw, ch), flags=cv2.INTER_LINEAR, borderValue=lid)


def as_file(img: np.ndarray, tmp: Path, mode: str, dpi: int) -> Path:
    """What a copier writes: grey PNG, colour JPEG (cream paper, blue-black toner) or 1-bit TIFF G4."""
    if mode == "bitonal":
        im = Image.fromarray(((img >= 150) * 255).astype(np.uint8)).convert("1", dither=Image.Dither.NONE)
        path = tmp / f"scan-{dpi}.tif"
        im.save(path, format="TIFF", compression="group4", dpi=(dpi, dpi))
        return path
    if mode == "colour":
        f = img.astype(np.float32) / 255
        bgr = np.stack([f * 225 + (1 - f) * 40, f * 240 + (1 - f) * 25, f * 247 + (1 - f) * 20], axis=-1)
        path = tmp / f"scan-{dpi}.jpg"
        cv2.imwrite(str(path), bgr.astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, 80])
        return path
    path = tmp / f"scan-{dpi}.png"
    cv2.imwrite(str(path), img)
    return path


def _read_ok(path: Path, election, secret, serial: str, plan: dict[str, str] = PLAN, page: int = 1):
    read = sheet.read_page(str(path), page, election, secret, evidence=False)
    assert read.error is None, read.error
    assert read.payload is not None and read.payload.serial == serial
    for b in read.boxes:
        want = "marked" if b.key in plan else "blank"
        assert b.state in (want, "ambiguous"), (b.key, b.state, b.why)  # never misread
        if b.key in plan:
            assert b.state == "marked", (b.key, b.state, b.why)  # the marks are clear and whole here
    return read


@pytest.mark.parametrize("corner", [0, 1, 2, 3])
def test_a_sheet_with_any_one_corner_cut_off_is_read(ballot, tmp_path, corner):
    """The frame took a corner, its square and (top-left, bottom-right) its code: three squares and
    the other code read it. Before frame 2: alignment_failed."""
    serial, pdf, lay, election, secret = ballot()
    dpi = 150
    page = cut_corner(_marked(pdf, lay, dpi), corner, 50, 40, dpi, lid=35)
    img = on_the_bed(page, dpi, skew=2.5, lid=35)
    read = _read_ok(as_file(img, tmp_path, "grey", dpi), election, secret, serial)
    if corner == 0:  # the top-left code went with its corner
        assert read.payload.position == qrcode_payload.BOTTOM
    gray = cv2.imread(str(tmp_path / f"scan-{dpi}.png"), cv2.IMREAD_GRAYSCALE)
    assert reading.locate(gray).found == 3


@pytest.mark.parametrize(
    ("turn", "skew", "dpi", "mode", "lid", "corner"),
    [
        (90, 4.5, 150, "bitonal", 20, 2),  # ADF sideways, black backing, 1-bit G4, bottom-right cut
        (180, -5.0, 200, "colour", 128, 0),  # upside down on a grey lid, colour JPEG, top-left cut
        (270, 3.0, 300, "grey", 255, 1),
        (0, -4.0, 600, "bitonal", 255, 3),
        (180, 0.0, 150, "grey", 0, None),  # whole sheet, upside down on black
    ],
    ids=["90-bitonal-150", "180-colour-200", "270-grey-300", "0-bitonal-600", "180-black-lid"],
)
def test_turns_skew_lids_resolutions_and_colour_modes(ballot, tmp_path, turn, skew, dpi, mode, lid, corner):
    serial, pdf, lay, election, secret = ballot()
    page = _marked(pdf, lay, dpi)
    if corner is not None:
        page = cut_corner(page, corner, 45, 45, dpi, lid)
    img = on_the_bed(page, dpi, turn=turn, skew=skew, lid=lid)
    _read_ok(as_file(img, tmp_path, mode, dpi), election, secret, serial)


def test_a_copier_pdf_of_several_pages_is_read_page_by_page(ballot, paper_store, tmp_path):
    """A copier's PDF: one scanned image per page (JPEG grey, 1-bit), any dpi, one page a blank."""
    sheets, images = [], []
    for dpi, mode in ((200, "L"), (300, "1"), (150, "L")):
        serial, pdf, lay, election, secret = ballot()
        img = on_the_bed(cut_corner(_marked(pdf, lay, dpi), 3, 40, 40, dpi, 255), dpi, skew=-1.5)
        im = Image.fromarray(img)
        images.append((im.convert("1") if mode == "1" else im, dpi))
        sheets.append(serial)
    images.insert(2, (Image.new("L", (1240, 1754), 250), 150))
    out = tmp_path / "copieur.pdf"
    first, *rest = images
    buf = io.BytesIO()
    first[0].save(buf, format="PDF", save_all=True, append_images=[im for im, _ in rest], resolution=first[1])
    out.write_bytes(buf.getvalue())
    from ballots.paper import sources

    assert sources.page_count(out) == 4
    for page, serial in ((1, sheets[0]), (2, sheets[1]), (4, sheets[2])):
        _read_ok(out, election, secret, serial, page=page)
    blank = sheet.read_page(str(out), 3, election, secret, evidence=False)
    assert blank.error is not None and blank.error[0] == reading.BLANK_PAGE


def test_ballots_printed_with_frame_1_are_still_read(ballot, tmp_path):
    """Old printed ballots (one code, squares 12 mm in, payload U1): read upright and upside down,
    and with a corner cut where their one code is not."""
    serial, pdf, lay, election, secret = ballot(frame=1)
    assert lay.frame.version == 1 and len(lay.code_rects) == 1
    dpi = 150
    page = _marked(pdf, lay, dpi)
    read = _read_ok(as_file(on_the_bed(page, dpi, turn=180), tmp_path, "grey", dpi), election, secret, serial)
    assert read.payload.frame == 1
    _read_ok(
        as_file(on_the_bed(cut_corner(page, 2, 40, 40, dpi, 30), dpi, lid=30), tmp_path, "grey", dpi),
        election,
        secret,
        serial,
    )
    # Its top-left corner cut: the only code went with it. The truth, and what to do.
    gone = sheet.read_page(
        str(as_file(on_the_bed(cut_corner(page, 0, 50, 45, dpi, 30), dpi, lid=30), tmp_path, "grey", dpi)),
        1,
        election,
        secret,
        evidence=False,
    )
    assert gone.error is not None and gone.error[0] == reading.ALIGNMENT_FAILED
    assert "rescannez" in label(gone.error[0], "fr")


def test_a_side_cut_off_is_alignment_failed_with_what_to_do(ballot, tmp_path):
    """Two corners gone (the frame cut the whole top band): not readable, and said so truthfully."""
    serial, pdf, lay, election, secret = ballot()
    dpi = 150
    page = _marked(pdf, lay, dpi)
    page[: int(22 * dpi / 25.4)] = 30
    read = sheet.read_page(str(as_file(on_the_bed(page, dpi, lid=30), tmp_path, "grey", dpi)), 1, election, secret)
    assert read.error is not None and read.error[0] == reading.ALIGNMENT_FAILED
    fr = label(read.error[0], "fr")
    assert "rescannez la feuille droite et entière" in fr


def test_a_ballot_without_its_corner_squares_but_with_its_code_is_alignment_failed(ballot, tmp_path, monkeypatch):
    """No corner squares to place the page by (the frame cut two off and took a third, or a stain
    hid them: whatever `fiducials` says, "not a ballot"), yet one of our codes on it: a printed
    ballot, and the staff are told to rescan it straight (issue 11 item 4; on main 3e21fe4 such a
    sheet of the held-out run was refused `not_a_ballot`). A page with no code, or with a code
    that is not Urne's, is still "not a ballot"."""
    import segno

    from ballots.errors import PageRefused
    from ballots.paper.page_problems import PageProblem

    serial, pdf, lay, election, secret = ballot()
    dpi = 200
    page = on_the_bed(_marked(pdf, lay, dpi), dpi)

    def no_squares(gray):
        raise PageRefused(reading.NOT_A_BALLOT, PageProblem.NO_SQUARES)

    monkeypatch.setattr(reading, "locate", no_squares)
    read = sheet.read_page(str(as_file(page, tmp_path, "grey", dpi)), 1, election, secret)
    assert read.error is not None and read.error[0] == reading.ALIGNMENT_FAILED
    assert "rescannez la feuille droite et entière" in label(read.error[0], "fr")
    assert "code" in read.error[1]
    letter = np.full((2339, 1654), 255, np.uint8)
    cv2.putText(letter, "Compte rendu du conseil", (80, 200), cv2.FONT_HERSHEY_SIMPLEX, 2, 0, 4)
    other = sheet.read_page(str(as_file(letter, tmp_path, "grey", dpi)), 1, election, secret)
    assert other.error is not None and other.error[0] == reading.NOT_A_BALLOT
    modules = np.array(segno.make("https://www.example.org/compte-rendu", micro=False).matrix, np.uint8)
    code = np.where(np.kron(modules, np.ones((6, 6), np.uint8)) > 0, 0, 255).astype(np.uint8)
    letter[400 : 400 + code.shape[0], 400 : 400 + code.shape[1]] = code
    assert reading.codes_on_page(letter) == ["https://www.example.org/compte-rendu"]
    other = sheet.read_page(str(as_file(letter, tmp_path, "grey", dpi)), 1, election, secret)
    assert other.error is not None and other.error[0] == reading.NOT_A_BALLOT


def test_four_squares_in_doubt_and_no_code_is_alignment_failed(ballot, monkeypatch):
    """Four "squares" kept although some are not lone corner squares (`Corners.alone` False: seen
    on two-corner cuts, filled boxes standing in for the squares the frame took) and no code where
    they put it: "rescan it straight", not "QR code unreadable" (which offers to type a serial)."""
    serial, pdf, lay, election, secret = ballot()
    dpi = 150
    page = _marked(pdf, lay, dpi)
    k = dpi / 72
    for x, y, s, _ in lay.code_rects:
        page[int(y * k) - 5 : int((y + s) * k) + 5, int(x * k) - 5 : int((x + s) * k) + 5] = 255
    found = fiducials.find_corners(page)
    assert found.alone and found.found == 4
    with pytest.raises(reading.PageRefused) as err:
        reading.locate(page)
    assert err.value.reason == reading.UNREADABLE_QR
    monkeypatch.setattr(fiducials, "find_corners", lambda gray: dataclasses.replace(found, alone=False))
    with pytest.raises(reading.PageRefused) as err:
        reading.locate(page)
    assert err.value.reason == reading.ALIGNMENT_FAILED


def test_a_square_that_is_not_a_corner_square_is_never_used(ballot, tmp_path):
    """The bottom-right corner cut off, and a solid square of a corner square's size drawn 7 mm
    from where that corner square was, touching a printed line (a filled box among others):
    it is not alone on blank paper, so the other three squares place the page."""
    serial, pdf, lay, election, secret = ballot()
    dpi = 200
    k = dpi / 72
    page = cut_corner(_marked(pdf, lay, dpi), 2, 45, 45, dpi, 255)
    (cx, cy) = lay.marks[2]
    s = geometry.MARK_SIZE
    x0, y0 = int((cx - 7 * MM - s / 2) * k), int((cy - 7 * MM - s / 2) * k)
    page[y0 : y0 + int(s * k), x0 : x0 + int(s * k)] = 0
    cv2.rectangle(page, (x0 - int(9 * k), y0 - int(4 * k)), (x0 + int(s * k) + 8, y0 - int(3 * k)), 0, 2)
    gray = on_the_bed(page, dpi, skew=1.0)
    loc = reading.locate(gray)
    assert loc.found == 3
    _read_ok(as_file(gray, tmp_path, "grey", dpi), election, secret, serial)


def test_a_box_the_frame_cut_through_goes_to_a_person(ballot, tmp_path):
    """The frame's edge runs through the first box (the top-left corner cut off with it): that box
    is never read from the image's edge pixels repeated (a blank read marked); a person decides."""
    serial, pdf, lay, election, secret = ballot()
    dpi = 150
    page = _marked(pdf, lay, dpi, {"p06": "x"})
    img = on_the_bed(page, dpi, skew=-4.0, border_mm=0)
    m = cv2.getRotationMatrix2D((page.shape[1] / 2, page.shape[0] / 2), -4.0, 1.0)
    m[0, 2] += img.shape[1] / 2 - page.shape[1] / 2
    m[1, 2] += img.shape[0] / 2 - page.shape[0] / 2
    x, y, w, h = next(b.rect for b in lay.boxes if b.key == "p01")
    cx, _ = m @ np.array([(x + w / 2) * dpi / 72, (y + h / 2) * dpi / 72, 1.0])
    cut = np.ascontiguousarray(img[:, int(cx) :])
    read = sheet.read_gray(cut, election, secret, evidence=False)
    assert read.error is None, read.error
    boxes = {b.key: b for b in read.boxes}
    assert boxes["p01"].state == "ambiguous" and boxes["p01"].why == "off_image"  # marks.read_box
    assert boxes["p06"].state != "blank" and boxes["p02"].state != "marked"  # never misread


def in_a_photo(page: np.ndarray, *, angle: float, tilt: float, table: int, seed: int, blotches: int = 0) -> np.ndarray:
    """The page photographed on a table: turned by `angle`, each corner moved by up to `tilt` of
    the page's long side (perspective), the table `table` grey around it, with `blotches` dark
    square-ish stains on it the size of a corner square (a tiled or stained table)."""
    h, w = page.shape
    rng = random.Random(seed)
    size = int(max(w, h) * 1.15)
    a = math.radians(angle)
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    dst = []
    for x, y in src:
        u, v = x - w / 2, y - h / 2
        u, v = u * math.cos(a) - v * math.sin(a), u * math.sin(a) + v * math.cos(a)
        t = tilt * max(w, h)
        dst.append([size / 2 + u + rng.uniform(-t, t), size / 2 + v + rng.uniform(-t, t)])
    m = cv2.getPerspectiveTransform(src, np.array(dst, np.float32))
    back = np.full((size, size), table, np.uint8)
    side = int(max(w, h) / 297 * 8)  # a corner square's size on this photo
    for _ in range(blotches):
        x, y = rng.randrange(size - side), rng.randrange(size - side)
        back[y : y + side, x : x + side] = 10
    return cv2.warpPerspective(page, m, (size, size), dst=back, flags=cv2.INTER_AREA, borderMode=cv2.BORDER_TRANSPARENT)


@pytest.mark.parametrize(
    ("corner", "angle", "tilt"),
    [(0, 8, 0.04), (1, -12, 0.06), (2, 8, 0.04), (2, 95, 0.05), (3, 183, 0.07)],
    ids=["TL-8", "TR-12", "BR-8-looks-flat", "BR-95", "BL-183"],
)
def test_a_phone_photo_that_missed_a_corner_is_read(ballot, corner, angle, tilt):
    """Three corner squares seen at an angle fix no page on their own (their parallelogram's fourth
    corner is 10-30 mm off): a code beside them places it, the box outlines refine the fit. Before:
    alignment_failed on every one. "looks-flat": the three happen to make a right angle."""
    serial, pdf, lay, election, secret = ballot()
    dpi = 200
    page = cut_corner(_marked(pdf, lay, dpi), corner, 50, 40, dpi, 60)
    img = in_a_photo(page, angle=angle, tilt=tilt, table=60, seed=corner * 10 + int(angle))
    read = sheet.read_gray(img, election, secret, evidence=False)
    assert read.error is None, read.error
    assert read.payload is not None and read.payload.serial == serial
    for b in read.boxes:
        assert b.state == ("marked" if b.key in PLAN else "blank"), (b.key, b.state, b.why)
    assert reading.locate(img).found == 3


# Draws (serial and election secret from random.Random(draw)) on which the reader before the
# placement checks sent a box to a person ('misaligned': 34, 154, 176, 254) or refused the photo
# (45, 144, 185, 203, 246, 273): 13 of 300 draws; every one of the 300 is read exactly now.
STAIN_DRAWS = (34, 45, 144, 154, 176, 185, 203, 246, 254, 273)


@pytest.mark.parametrize("draw", STAIN_DRAWS)
def test_square_stains_on_the_table_do_not_hide_the_page(ballot, paper_store, monkeypatch, draw):
    """A photo on a stained table, a corner missed: dark squares on the table made a "page" with
    two real corner squares (the sheet was refused: a corner not solid ink). The three real ones,
    lone and in perspective, with a code, place it; each other placement tried first is refused
    by its codes before a box is read (`placement`): every box as drawn, none to a person.

    The serial and the election's secret draw the codes, and where the stains fall against them
    changes the case: they are fixed per draw (this test once drew them at random and failed
    about one run in ten)."""
    from ballots.paper import issued

    rng = random.Random(draw)
    serial = base64.b32encode(bytes(rng.randrange(256) for _ in range(5))).decode()
    key = bytes(rng.randrange(256) for _ in range(32))
    paper_store.keys.set_election_secret(paper_store.election().id, key)
    monkeypatch.setattr(issued, "new_serial", lambda: serial)
    _, pdf, lay, election, secret = ballot()
    page = cut_corner(_marked(pdf, lay, 150), 1, 50, 40, 150, 70)
    for seed in range(40):
        img = in_a_photo(page, angle=15, tilt=0.04, table=70, seed=seed, blotches=10)
        first = fiducials.find_corners(img)
        if first.found == 4:  # the stains made a page: the case this test is about
            break
    else:
        pytest.fail("no photo where the stains pass for corner squares")
    read = sheet.read_gray(img, election, secret, evidence=False)
    assert read.error is None, read.error
    for b in read.boxes:
        assert b.state == ("marked" if b.key in PLAN else "blank"), (b.key, b.state, b.why)


def test_a_stained_table_photo_placed_one_row_off_is_refused(ballot, paper_store, monkeypatch):
    """Regression (found over 276 random prints of the photo above): the stains and the squares
    made a placement one row off. Every box but the list's ends lined up with its neighbour's
    outline and was read from it (an empty box read marked); the ends, p01-p04 and p20, were
    misaligned - 5 of 20, under the old limit that refused a sheet (more than max(2, n/4)). More
    than two misaligned boxes now make the placement wrong: the next one is tried, else the sheet
    is refused (rescan), never read one row off."""
    from ballots.paper import issued

    key = bytes.fromhex("4128da585c2bd0a2750a3f7edb4c4536d7e255c3fc94b8155aafa941350cc410")
    paper_store.keys.set_election_secret(paper_store.election().id, key)
    monkeypatch.setattr(issued, "new_serial", lambda: "2SMKYQB3")
    serial, pdf, lay, election, secret = ballot()
    page = cut_corner(_marked(pdf, lay, 150), 1, 50, 40, 150, 70)
    for seed in range(40):
        img = in_a_photo(page, angle=15, tilt=0.04, table=70, seed=seed, blotches=10)
        if fiducials.find_corners(img).found == 4:
            break
    read = sheet.read_gray(img, election, secret, evidence=False)
    if read.error is None:  # placed right by another placement: then every box as drawn
        for b in read.boxes:
            assert b.state in (("marked" if b.key in PLAN else "blank"), "ambiguous"), (b.key, b.state, b.why)
    else:
        assert read.error[0] == reading.ALIGNMENT_FAILED, read.error


def test_a_photo_that_only_looks_flat_never_reads_a_box_as_its_neighbour(ballot):
    """A photo turned 66.6° with a little perspective, the top-right corner missed: the three
    squares left make a right angle within 3°, so they were taken for a flat scan and the fourth
    corner placed as their parallelogram's, 15 mm off: the lower boxes were read one row off,
    their outlines lining up with the neighbours', and three blank boxes were read as their
    marked neighbours. The code beside the three places it: every box as drawn."""
    serial, pdf, lay, election, secret = ballot()
    page = cut_corner(_marked(pdf, lay, 150), 1, 50, 40, 150, 70)
    img = in_a_photo(page, angle=66.56931763766156, tilt=0.027553829127719594, table=48, seed=23, blotches=5)
    read = sheet.read_gray(img, election, secret, evidence=False)
    assert read.error is None, read.error
    for b in read.boxes:
        assert b.state == ("marked" if b.key in PLAN else "blank"), (b.key, b.state, b.why)


def test_a_phone_photo_that_missed_a_corner_and_shows_no_code_is_refused(ballot):
    """Three squares at an angle and both codes unreadable (one cut off, one inked over): nothing
    can place the fourth corner, and the sheet is refused with what to do, never read askew."""
    serial, pdf, lay, election, secret = ballot()
    dpi = 200
    page = cut_corner(_marked(pdf, lay, dpi), 0, 50, 40, dpi, 60)
    x, y, w, h = (int(v * dpi / 72) for v in lay.code_rects[1])
    page[y + h // 4 : y + 3 * h // 4, x : x + w] = 0
    img = in_a_photo(page, angle=-12, tilt=0.06, table=60, seed=3)
    read = sheet.read_gray(img, election, secret, evidence=False)
    assert read.error is not None and read.error[0] == reading.ALIGNMENT_FAILED
    assert "rescannez" in label(read.error[0], "fr")


def test_three_squares_of_a_flat_scan_place_it_when_the_code_s_fit_is_wrong(ballot, tmp_path, monkeypatch):
    """A flat scan, one corner cut: three squares at a right angle, and the code beside them places
    the fourth corner more than _FLAT off (the QR detector estimates the code's own fourth corner:
    1 mm off at the code was 3.4 mm at the far corner on held-out 3717002821, every box placed from
    it misaligned). Where no placement from the code lines the boxes up, the parallelogram of the
    three squares is tried last and reads the sheet. Before: refused `alignment_failed`."""
    serial, pdf, lay, election, secret = ballot()
    dpi = 150
    page = cut_corner(_marked(pdf, lay, dpi), 3, 50, 40, dpi, lid=35)
    img = on_the_bed(page, dpi, skew=2.5, lid=35)
    path = as_file(img, tmp_path, "grey", dpi)
    fit = reading._fourth_from_code

    def wrong(gray, quad, real):
        q = fit(gray, quad, real).copy()
        q[real.index(False)] += (0.0, 6 * dpi / 25.4)  # 6 mm down the page at the far corner
        return q

    monkeypatch.setattr(reading, "_fourth_from_code", wrong)
    _read_ok(path, election, secret, serial)
