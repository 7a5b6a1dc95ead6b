"""The reader's fast paths give exactly what their plain numpy definitions give (speed-ups must
not change a single read: the thresholds compare these values)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ballots.paper import fiducials, outlines


@settings(max_examples=300)
@given(st.integers(1, 60), st.integers(1, 60), st.integers(0, 255), st.integers(1, 256), st.integers(0, 2**32 - 1))
def test_ink_mask_equals_its_numpy_definition(h, w, ink, spread, seed):
    # Pages near the ink level and near its edges (paper - ink = 30 or 31, 2 * small = paper + ink).
    rng = np.random.default_rng(seed)
    paper = np.clip(ink + rng.integers(-spread, spread + 1, (h, w)), 0, 255).astype(np.uint8)
    small = np.clip(paper.astype(int) // 2 + rng.integers(-spread, spread + 1, (h, w)), 0, 255).astype(np.uint8)
    got = fiducials.ink_mask(small, paper, ink)
    want = fiducials.ink_mask_reference(small, paper, ink)
    assert got.dtype == want.dtype and (got == want).all()


@settings(max_examples=400)
@given(
    st.integers(5, 20),  # margin px
    st.integers(8, 50),  # box side px
    st.integers(1, 4),  # outline px
    st.sampled_from([1, 4, 12]),  # shifts searched
    st.integers(-3, 3),  # where the outline really is
    st.floats(0, 1),  # how inked the rest is
    st.integers(0, 2**32 - 1),
)
def test_align_equals_the_numpy_profiles(mp, side, t, r, at, p, seed):
    rng = np.random.default_rng(seed)
    n = side + 2 * mp
    dark = rng.random((n, n)) < p * 0.5
    lo = max(mp + at, 0)
    dark[lo : lo + t, mp : mp + side] = True
    dark[mp : mp + side, lo : lo + t] = rng.random() < 0.8  # an edge may be lost
    dark[mp + side - t + at : mp + side + at, mp : mp + side] = True
    try:
        want = outlines.align_reference(dark, mp, side, t, r)
    except IndexError:  # windows off the profile: the fast path hands such crops to the reference
        return
    assert outlines.align(dark, mp, side, t, r) == want


def _level_reference(darkness, printed, mp, side_px):
    """box_paper.levelled (light_ink._level until it moved) as it was written before its cached flat index (the definition)."""
    from ballots.paper.box_paper import _grid, _plane, _ring_points
    from ballots.paper.levels import DARK

    ys, xs = _ring_points(printed, mp, side_px)
    vals = darkness[ys, xs]
    paper = vals < DARK
    if int(np.count_nonzero(paper)) < 30:
        return darkness
    ys, xs, vals = ys[paper], xs[paper], vals[paper].astype(np.float64)
    keep = vals <= float(np.percentile(vals, 75))
    side = darkness.shape[0]
    coef = _plane(xs[keep] / side, ys[keep] / side, vals[keep])
    if abs(coef[1]) + abs(coef[2]) < 0.02:
        return darkness
    yy, xx = _grid(side)
    cx, cy = float(xs[keep].mean()) / side, float(ys[keep].mean()) / side
    return (darkness - (coef[1] * (xx - cx) + coef[2] * (yy - cy))).astype(np.float32)


@settings(max_examples=200)
@given(
    st.integers(12, 24),  # margin px
    st.integers(20, 40),  # box side px
    st.floats(-0.4, 0.4),  # tilt across the crop (light falling off on a phone photo)
    st.floats(0, 0.3),  # noise
    st.floats(0, 0.6),  # share of the ring under a neighbour's ink
    st.integers(0, 2**32 - 1),
)
def test_level_equals_its_plain_definition(mp, side, tilt, sigma, inked, seed):
    import cv2

    from ballots.paper.box_paper import levelled as _level

    rng = np.random.default_rng(seed)
    n = side + 2 * mp
    printed = np.zeros((n, n), np.uint8)
    cv2.rectangle(printed, (mp, mp), (mp + side - 1, mp + side - 1), 1, 2)
    printed = cv2.dilate(printed, np.ones((5, 5), np.uint8))
    ramp = tilt * np.linspace(0, 1, n)[None, :] + 0.5 * tilt * np.linspace(0, 1, n)[:, None]
    darkness = (ramp + rng.normal(0, sigma, (n, n))).astype(np.float32)
    darkness[rng.random((n, n)) < inked * 0.3] = 1.0
    want = _level_reference(darkness, printed, mp, side)
    assert np.array_equal(_level(darkness, printed, mp, side), want)
    assert np.array_equal(_level(np.asfortranarray(darkness), printed, mp, side), want)  # the plain path


@settings(max_examples=300)
@given(
    st.integers(20, 90),  # crop side px
    st.floats(0, 0.7),  # how inked the crop is
    st.integers(1, 12),  # lines
    st.integers(0, 2**32 - 1),
)
def test_lines_worth_a_look_equal_the_tests_line_by_line(n, p, count, seed):
    import cv2

    from ballots.paper import creases

    rng = np.random.default_rng(seed)
    ink = (rng.random((n, n)) < p).astype(np.uint8)
    ink[rng.integers(0, n), :] = 1  # a line that passes: most random ones do not
    free = rng.random((n, n)) < 0.9
    near = cv2.dilate(ink, np.ones((3, 3), np.uint8))
    rhos = rng.uniform(-n, 2 * n, count).astype(np.float32)
    thetas = rng.uniform(0, np.pi, count).astype(np.float32)
    cs, sn = np.cos(thetas)[:, None], np.sin(thetas)[:, None]
    ss = np.concatenate([np.arange(0, n, 1.0) - n, np.arange(0, n, 1.0)])[None, :]
    px_all = np.round(cs * rhos[:, None] - sn * ss).astype(int)
    py_all = np.round(sn * rhos[:, None] + cs * ss).astype(int)
    ok = (px_all >= 0) & (px_all < n) & (py_all >= 0) & (py_all < n)
    got = creases._lines_worth_a_look(ink, free, near, px_all, py_all, ok)
    for k in range(count):
        px, py = px_all[k][ok[k]], py_all[k][ok[k]]
        f = free[py, px]
        with np.errstate(all="ignore"):  # the mean of nothing: the count has failed first
            want = not (
                f.sum() < n * 0.4 or ink[py, px][f].mean() < 0.3 or not creases._reaches_ends(near, free, px, py)
            )
        assert bool(got[k]) == want


@settings(max_examples=500)
@given(
    st.integers(5, 120),
    st.floats(-250, 250),
    st.floats(0, 3.1416),
    st.integers(0, 8),
)
def test_across_line_equals_its_stacked_definition(n, rho, theta, half):
    from ballots.paper import strokes

    rho, theta = float(np.float32(rho)), float(np.float32(theta))  # as Hough gives them
    got = strokes.across_line(n, rho, theta, half)
    want = strokes.across_line_reference(n, rho, theta, half)
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype and np.array_equal(g, w)


@settings(max_examples=200)
@given(st.integers(30, 80), st.floats(0, 0.4), st.integers(0, 2**32 - 1))
def test_stroke_from_outside_looks_at_the_outer_band_first(n, p, seed):
    """The early answer (no ink in the crop's outer band: no piece can reach it) is the answer the
    pieces give."""
    import cv2

    from ballots.paper import box_ink, light_ink

    rng = np.random.default_rng(seed)
    ink = (rng.random((n, n)) < p * 0.2).astype(np.uint8)
    x0, y0 = (int(v) for v in rng.integers(0, n, 2))
    cv2.line(ink, (x0, y0), (int(rng.integers(0, n)), int(rng.integers(0, n))), 1, int(rng.integers(1, 6)))
    e, a, b = 8, n // 4, n - n // 4

    def reference(ink):  # box_ink.stroke_from_outside without its first look
        k, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8, ltype=cv2.CV_16U)
        if k <= 1:
            return False
        inside = np.bincount(labels[a:b, a:b].ravel(), minlength=k)
        inside[0] = 0
        i = int(np.argmax(inside))
        if inside[i] < 0.9 * inside.sum():
            return False
        x, y, w, h, _ = stats[i]
        if not (x <= e or y <= e or x + w >= n - e or y + h >= n - e):
            return False
        return light_ink.straight(labels == i, 0.3)

    assert box_ink.stroke_from_outside(ink, a, b, e) == reference(ink)


@settings(max_examples=150)
@given(st.integers(12, 24), st.integers(20, 40), st.floats(0, 0.5), st.floats(0, 0.2), st.integers(0, 2**32 - 1))
def test_faint_ink_with_the_callers_ink_mask_is_the_same(mp, side, pale, specks, seed):
    """`faint_ink(..., inked=)`: the caller's ink mask (darkness >= DARK off the print) gives the
    same answer as the mask it would otherwise compute."""
    import cv2

    from ballots.paper.levels import DARK
    from ballots.paper.light_ink import faint_ink

    rng = np.random.default_rng(seed)
    n = side + 2 * mp
    printed = np.zeros((n, n), np.uint8)
    cv2.rectangle(printed, (mp, mp), (mp + side - 1, mp + side - 1), 1, 2)
    printed = cv2.dilate(printed, np.ones((5, 5), np.uint8))
    darkness = rng.normal(0, 0.02, (n, n)).astype(np.float32)
    cv2.line(darkness, (mp + 3, mp + 4), (mp + side - 4, mp + side - 3), pale, 2)
    darkness[rng.random((n, n)) < specks * 0.1] = 0.8  # specks: the second look's trail
    inked = ((darkness >= DARK) & (printed == 0)).astype(np.uint8)
    inset = 5
    a, b = mp + inset, mp + side - inset
    for dark in (None, inked):
        want = faint_ink(darkness, 0.01, printed, mp, side, a, b, dark)
        assert faint_ink(darkness, 0.01, printed, mp, side, a, b, dark, inked=inked) == want


def test_zbar_every_other_line_reads_what_pyzbar_reads():
    """`reading._zbar_qr` at density 1 is `pyzbar.decode(..., symbols=[QRCODE])`; at density 2 a
    clean code reads the same; a crop without a code reads nothing either way."""
    import segno
    from pyzbar import pyzbar

    from ballots.paper import reading

    modules = np.array(segno.make("U2TESTDATA0123456789ABCDEFGHIJ", micro=False).matrix, np.uint8)
    crop = np.pad(
        np.where(np.kron(modules, np.ones((4, 4), np.uint8)) > 0, 0, 255).astype(np.uint8), 16, constant_values=255
    )
    want = [s.data for s in pyzbar.decode(crop, symbols=[pyzbar.ZBarSymbol.QRCODE])]
    assert want == [b"U2TESTDATA0123456789ABCDEFGHIJ"]
    assert reading._zbar_qr(crop, 1) == want
    assert reading._zbar_qr(crop, 2) == want
    assert reading.decode_qr(crop) == "U2TESTDATA0123456789ABCDEFGHIJ"
    assert reading._zbar_qr(np.full((120, 120), 255, np.uint8), 2) == []


@settings(max_examples=400)
@given(st.floats(0, 400), st.floats(0, 400), st.floats(4, 150), st.booleans())
def test_lone_rings_equal_their_hypot_definition(x, y, side, on_grid):
    """`fiducials._rings` (squared distances, a guard band) gives `_lone`'s masks from np.hypot,
    also where a sample lies exactly on a bound (a centre and side on the pixel grid)."""
    from ballots.paper import fiducials

    if on_grid:  # distances like 3-4-5 land on the bounds exactly
        x, y, side = float(int(x)), float(int(y)), float(int(side)) / 0.3
    r_out = side * 0.98
    step = max(int(side / 24), 1)
    x0, y0 = max(int(x - r_out), 0), max(int(y - r_out), 0)
    dx = np.arange(x0, int(x + r_out) + 1, step) - x
    dy = np.arange(y0, int(y + r_out) + 1, step)[:, None] - y
    got, want = fiducials._rings(dx, dy, side, r_out), fiducials._rings_reference(dx, dy, side, r_out)
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])


@settings(max_examples=400)
@given(
    st.integers(1, 90),
    st.integers(1, 90),
    st.floats(0, 1),
    st.sampled_from(["bool", "01", "0255", "view", "int32"]),
    st.integers(0, 2**32 - 1),
)
def test_nonzero_equals_numpys(h, w, p, kind, seed):
    """`levels.nonzero` (OpenCV's findNonZero) gives np.nonzero's rows and columns, dtype and order,
    on bool and uint8 masks, crops of them (row-strided views), empty ones; others go to numpy."""
    from ballots.paper import levels

    mask = np.random.default_rng(seed).random((h + 3, w + 3)) < p
    if kind == "view":
        mask = mask[1 : 1 + h, 2 : 2 + w]
    else:
        mask = mask[:h, :w].copy()
        if kind != "bool":
            mask = mask.astype({"01": np.uint8, "0255": np.uint8, "int32": np.int32}[kind]) * (
                255 if kind == "0255" else 1
            )
    got, want = levels.nonzero(mask), np.nonzero(mask)
    assert len(got) == 2 and all(g.dtype == v.dtype and np.array_equal(g, v) for g, v in zip(got, want, strict=True))


@settings(max_examples=400)
@given(st.lists(st.floats(0, 300, allow_nan=False), min_size=1, max_size=4))
def test_corner_median_equals_numpys(vals):
    """`reading._median` (the ink level and ratio of the corner squares) is np.median's float."""
    from ballots.paper import reading

    assert reading._median(vals) == float(np.median(vals))


@settings(max_examples=300)
@given(st.integers(1, 80), st.floats(0, 255), st.floats(25, 300), st.integers(0, 2**32 - 1))
def test_box_darkness_equals_its_numpy_expression(n, paper, span, seed):
    """`marks._darkness` gives (paper - crop.astype(np.float32)) / span to the bit."""
    from ballots.paper import marks

    crop = np.random.default_rng(seed).integers(0, 256, (n, n + 3)).astype(np.uint8)
    got, want = marks._darkness(crop, paper, span), (paper - crop.astype(np.float32)) / span
    assert got.dtype == want.dtype == np.float32 and np.array_equal(got.view(np.uint32), want.view(np.uint32))


@settings(max_examples=300)
@given(
    st.lists(st.tuples(*(st.floats(-200, 900),) * 2, *(st.floats(1, 60),) * 2), min_size=1, max_size=30),
    st.lists(st.floats(-0.2, 0.2), min_size=6, max_size=6),
    st.floats(-1e-3, 1e-3),
)
def test_all_in_image_is_in_image_box_by_box(rects, affine, tilt):
    # Boxes in, out and across the image's edges, through a homography with some perspective.
    a, b, c, d, e, f = affine
    h = np.array([[2.7 + a, b, 40 * c], [d, 2.7 + e, 40 * f], [tilt, -tilt / 2, 1.0]])
    gray = np.zeros((900, 700), np.uint8)
    assert outlines.all_in_image(gray, h, rects) == [outlines.in_image(gray, h, r) for r in rects]


@settings(max_examples=300)
@given(st.integers(30, 60), st.floats(0, 0.6), st.integers(1, 3), st.integers(0, 2**32 - 1))
def test_corner_arms_equal_their_set_operations(side, p, least, seed):
    from ballots.paper import crossed_out

    # The own-piece test as written with np.unique / np.setdiff1d / np.isin (its definition).
    def reference(ring, printed, mp, side_px, least):
        hi = mp + side_px
        near, far = max(int(mp * 0.3), 1), max(int(mp * 0.8), 2)
        spans = (
            (slice(mp - far, mp - near), slice(mp - far, mp - near)),
            (slice(mp - far, mp - near), slice(hi + near, hi + far)),
            (slice(hi + near, hi + far), slice(mp - far, mp - near)),
            (slice(hi + near, hi + far), slice(hi + near, hi + far)),
        )
        counted = [blk.size > 0 and blk.sum() >= least for blk in (ring[ys, xs] for ys, xs in spans)]
        if sum(counted) < 3:
            return counted
        pieces = crossed_out._labels(ring)
        corners = ((mp - 1, mp - 1, -1, -1), (mp - 1, hi, -1, 1), (hi, mp - 1, 1, -1), (hi, hi, 1, 1))
        arms = []
        for (ys, xs), ok, (cy, cx, sy, sx) in zip(spans, counted, corners, strict=True):
            if not ok:
                arms.append(False)
                continue
            at = pieces[
                min(cy, cy + sy * 6) : max(cy, cy + sy * 6) + 1, min(cx, cx + sx * 6) : max(cx, cx + sx * 6) + 1
            ]
            mine = np.isin(pieces[ys, xs], np.setdiff1d(np.unique(at), [0]))
            arms.append(bool(mine.sum() >= least))
        return arms

    rng = np.random.default_rng(seed)
    mp = 19
    n = side + 2 * mp
    ring = (rng.random((n, n)) < p).astype(np.uint8)
    ring[mp : mp + side, mp : mp + side] = 0
    printed = np.zeros((n, n), np.uint8)
    got = crossed_out.corner_arms(ring, printed, mp, side, own=True, least=least)
    assert got == reference(ring, printed, mp, side, least)


@settings(max_examples=300)
@given(st.lists(st.floats(0, 1, width=32), min_size=1, max_size=60), st.booleans())
def test_box_paper_median_is_np_median(vals, as_counts):
    from ballots.paper.box_paper import median

    a = (np.array(vals, np.float32) * 21).astype(np.int64) if as_counts else np.array(vals, np.float32)
    want = np.median(a)
    assert median(a) == float(want)
