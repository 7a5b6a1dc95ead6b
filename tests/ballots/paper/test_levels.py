import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ballots.paper import levels


@given(
    arrays(np.uint8, st.tuples(st.integers(1, 40), st.integers(1, 40))),
    st.floats(0, 100, allow_nan=False),
)
def test_percentile_equals_numpy_on_8_bit_images(a, q):
    assert abs(levels.percentile(a, q) - float(np.percentile(a, q))) < 1e-9


@given(
    arrays(
        np.float32,
        st.integers(1, 400),
        elements=st.floats(-0.5, 1.5, width=32, allow_nan=False, allow_subnormal=False),
    ),
    st.sampled_from([0.5, 10.0, 25.0, 50.0, 75.0, 90.0, 100.0]),
)
def test_percentile_of_float_values_is_numpy_s_float(a, q):
    # The float path (`crossed_out.x_over_fill`'s zones) partitions once: the reader compares its
    # values with thresholds, so they must be numpy's own floats, not merely close.
    assert levels.percentile(a, q) == float(np.percentile(a, q))
    assert levels.percentile(a.astype(np.float64), q) == float(np.percentile(a.astype(np.float64), q))


def test_median_of_a_patch_and_other_dtypes_go_to_numpy():
    a = np.array([[0, 10], [20, 255]], np.uint8)
    assert levels.median(a) == 15.0
    f = np.array([0.5, 0.1, 0.9])
    assert levels.median(f) == 0.5


def test_percentile_of_large_and_strided_images_equals_numpy():
    # Above levels._CALC_HIST pixels the histogram is OpenCV's: the same counts, the same values.
    rng = np.random.default_rng(3)
    page = rng.integers(0, 256, (700, 500), dtype=np.uint8)
    page[:300] //= 7  # a skewed histogram: ties and empty bins
    for a in (page, page[::2, ::2], page[::4, ::4], page[10:120, 30:130]):
        for q in (0.5, 2, 5, 50, 60, 75, 90, 95, 100):
            assert abs(levels.percentile(a, q) - float(np.percentile(a, q))) < 1e-9


@given(
    arrays(np.int64, st.integers(3, 200), elements=st.integers(0, 80)),
    arrays(np.int64, st.integers(3, 200), elements=st.integers(0, 80)),
)
def test_thinness_is_the_covariance_eigenvalue_ratio(xs, ys):
    # light_ink.thinness: the 2 x 2 eigenvalues in closed form; the reader compares it with 0.2
    # and 0.3, so it must be what np.cov + eigvalsh give (to rounding).
    from ballots.paper.light_ink import thinness

    n = min(len(xs), len(ys))
    xs, ys = xs[:n], ys[:n]
    if n < 3:
        return
    ev = np.sort(np.linalg.eigvalsh(np.cov(np.vstack([xs, ys]).astype(np.float64))))
    assert abs(thinness(xs, ys) - float(np.sqrt(max(ev[0], 0) / max(ev[1], 1e-9)))) < 1e-6


@given(
    arrays(np.uint8, st.tuples(st.integers(1, 120), st.integers(1, 120))),
    st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=4),
)
def test_median_and_percentiles_equal_numpy(a, qs):
    # `median` partitions a box-sized patch, `percentiles` counts once for several: the reader
    # compares these with thresholds, so they must be numpy's values exactly.
    assert levels.median(a) == float(np.median(a))
    assert levels.median(a[::2, ::3]) == float(np.median(a[::2, ::3]))
    for got, q in zip(levels.percentiles(a, *qs), qs, strict=True):
        assert abs(got - float(np.percentile(a, q))) < 1e-9
        assert got == levels.percentile(a, q)


@given(arrays(np.uint8, st.tuples(st.integers(1, 60), st.integers(1, 60)), elements=st.integers(0, 1)))
def test_share_is_the_mean_of_a_mask(mask):
    # The reader compares shares with thresholds: levels.share must be numpy's mean to the bit.
    assert levels.share(mask) == float(mask.mean())
    assert levels.share(mask > 0) == float((mask > 0).mean())
    part = mask[::2, 1:]
    assert levels.share(part) == float(part.mean()) if part.size else np.isnan(levels.share(part))


@given(arrays(np.float64, st.integers(1, 400), elements=st.floats(-1, 1, allow_nan=False)))
def test_light_ink_mean_is_numpy_s_mean(values):
    from ballots.paper.box_paper import mean as _mean

    assert _mean(values) == float(values.mean())
    assert _mean(values[::3]) == float(values[::3].mean())
