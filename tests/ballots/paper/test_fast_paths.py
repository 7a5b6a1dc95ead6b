"""The reader's fast paths give exactly what their plain numpy definitions give (speed-ups must
not change a single read: the thresholds compare these values)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ballots.paper import fiducials, outlines


@settings(deadline=None, max_examples=300)
@given(st.integers(1, 60), st.integers(1, 60), st.integers(0, 255), st.integers(1, 256), st.integers(0, 2**32 - 1))
def test_ink_mask_equals_its_numpy_definition(h, w, ink, spread, seed):
    # Pages near the ink level and near its edges (paper - ink = 30 or 31, 2 * small = paper + ink).
    rng = np.random.default_rng(seed)
    paper = np.clip(ink + rng.integers(-spread, spread + 1, (h, w)), 0, 255).astype(np.uint8)
    small = np.clip(paper.astype(int) // 2 + rng.integers(-spread, spread + 1, (h, w)), 0, 255).astype(np.uint8)
    got = fiducials.ink_mask(small, paper, ink)
    want = fiducials.ink_mask_reference(small, paper, ink)
    assert got.dtype == want.dtype and (got == want).all()


@settings(deadline=None, max_examples=400)
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
    """light_ink._level as it was written before its cached flat index (the definition)."""
    from ballots.paper.levels import DARK
    from ballots.paper.light_ink import _grid, _percentile_75, _plane, _ring_points

    ys, xs = _ring_points(printed, mp, side_px)
    vals = darkness[ys, xs]
    paper = vals < DARK
    if int(np.count_nonzero(paper)) < 30:
        return darkness
    ys, xs, vals = ys[paper], xs[paper], vals[paper].astype(np.float64)
    keep = vals <= _percentile_75(vals)
    side = darkness.shape[0]
    coef = _plane(xs[keep] / side, ys[keep] / side, vals[keep])
    if abs(coef[1]) + abs(coef[2]) < 0.02:
        return darkness
    yy, xx = _grid(side)
    cx, cy = float(xs[keep].mean()) / side, float(ys[keep].mean()) / side
    return (darkness - (coef[1] * (xx - cx) + coef[2] * (yy - cy))).astype(np.float32)


@settings(deadline=None, max_examples=200)
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

    from ballots.paper.light_ink import _level

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
