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
