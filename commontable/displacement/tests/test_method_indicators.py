"""Brackets, bracket interpolation (§8 item 2), regional medians (§8 item 3), dollars and margins (§6.2)."""

import math

import numpy as np
import pytest

from commontable.displacement.method import brackets as B
from commontable.displacement.method.indicators import (
    CPI_U,
    change_z,
    count_below,
    cpi_factor,
    cv,
    median_from_bins,
    moe_proportion,
    moe_sum,
    regional_median,
    regional_quantile,
    regional_weighted_median,
    reliability,
    se,
    share_below,
)

BR = [(0, 10), (10, 20), (20, 30), (30, math.inf)]


@pytest.mark.parametrize(("label", "expected"), [
    ("Estimate!!Total:!!$10,000 to $14,999", (10000, 15000)),
    ("Less than $10,000", (0, 10000)),
    ("$200,000 or more", (200000, math.inf)),
    ("$2,000 to $2,499", (2000, 2500)),
    ("Estimate!!Total:!!With cash rent:!!$3,500 or more", (3500, math.inf)),
    ("$1 to $9,999 or loss", (0, 10000)),
    ("No cash rent", None),
    ("Estimate!!Total:!!No cash rent", None),
    ("Total:", None),
    ("Estimate!!Total:!!With cash rent:", None),
    ("", None),
])
def test_bracket_from_label(label, expected):
    assert B.bracket_from_label(label) == expected


def test_default_bracket_sets_are_contiguous_and_end_open():
    for table, brackets in B.DEFAULTS.items():
        lows, highs = B.edges(brackets)
        assert highs[:-1] == lows[1:], table
        assert math.isinf(highs[-1]), table
    assert len(B.B19001) == 16 and B.B19001[0].variable == "B19001_002" and B.B19001[-1].variable == "B19001_017"
    assert B.B25063[0].variable == "B25063_003" and B.B25063[-1].variable == "B25063_026"
    assert B.B25094[0].variable == "B25094_002" and B.B25094[-1].variable == "B25094_018"
    assert [o[0].variable for o in B.B07010_ORIGINS] == ["B07010_026", "B07010_037", "B07010_048", "B07010_059"]
    with pytest.raises(KeyError, match="B99999"):
        B.default_brackets("B99999")


def test_brackets_from_labels_skip_totals_and_sort():
    got = B.brackets_from_labels({"X_003": "$10 to $19", "X_001": "Total:", "X_002": "Less than $10",
                                  "X_004": "No cash rent"})
    assert [b.variable for b in got] == ["X_002", "X_003"]
    assert (got[1].lower, got[1].upper) == (10, 20)


def test_interpolation_is_exact_on_bracket_edges():
    counts = np.array([[10, 20, 30, 40]], float)
    for cut, expected in [(0, 0), (10, 10), (20, 30), (30, 60)]:
        assert count_below(counts, BR, cut)[0] == expected
    assert share_below(counts, BR, 20)[0] == pytest.approx(0.3)


def test_interpolation_inside_a_bracket_is_linear():
    counts = np.array([[10, 20, 30, 40]], float)
    assert count_below(counts, BR, 15)[0] == pytest.approx(10 + 0.5 * 20)
    assert count_below(counts, BR, 27.5)[0] == pytest.approx(30 + 0.75 * 30)


def test_cutoff_below_first_bracket_gives_zero_and_above_last_finite_gives_one():
    counts = np.array([[10, 20, 30, 40], [1, 0, 0, 0]], float)
    assert share_below(counts, [(5, 10), (10, 20), (20, 30), (30, math.inf)], 2).tolist() == [0, 0]
    assert share_below(counts, BR, 30).tolist() == [0.6, 1.0]
    assert share_below(counts, BR, 35).tolist() == [1.0, 1.0]
    closed = [(0, 10), (10, 20), (20, 30), (30, 40)]
    assert share_below(counts, closed, 1e9).tolist() == [1.0, 1.0]


def test_interpolation_is_monotonic_in_the_cutoff_and_vectorised():
    rng = np.random.default_rng(3)
    counts = rng.integers(0, 50, (200, 4)).astype(float)
    cuts = np.linspace(-5, 45, 101)
    shares = np.column_stack([share_below(counts, BR, c) for c in cuts])
    ok = ~np.isnan(shares).any(axis=1)
    assert np.all(np.diff(shares[ok], axis=1) >= -1e-12)
    per_tract = share_below(counts, BR, np.full(200, 15.0))
    np.testing.assert_allclose(per_tract, share_below(counts, BR, 15.0))


def test_interpolation_nan_and_zero_totals():
    counts = np.array([[np.nan, 1, 1, 1], [0, 0, 0, 0]], float)
    out = share_below(counts, BR, 15)
    assert np.isnan(out).all()
    assert np.isnan(count_below(np.array([[1, 1, 1, 1.0]]), BR, np.nan)[0])


def test_denominator_override():
    counts = np.array([[10, 10, 0, 0]], float)
    assert share_below(counts, BR, 20, denominator=np.array([40.0]))[0] == 0.5


def test_none_brackets_are_ignored():
    counts = np.array([[10, 10, 99]], float)
    assert share_below(counts, [(0, 10), (10, 20), None], 10)[0] == 0.5


def test_unsorted_brackets_refused():
    with pytest.raises(ValueError, match="sorted"):
        count_below(np.ones((1, 2)), [(10, 20), (0, 10)], 5)


def test_median_from_bins():
    counts = np.array([[10, 10, 10, 10], [0, 0, 0, 5], [0, 4, 0, 0], [0, 0, 0, 0]], float)
    med = median_from_bins(counts, BR)
    assert med[0] == 20  # half = 20 reached exactly at the end of the 2nd bracket
    assert med[1] == 30  # open-ended bracket: censored at its lower bound
    assert med[2] == 15
    assert np.isnan(med[3])
    assert median_from_bins(np.array([[5.0, 10, 5, 0]]), BR)[0] == 15
    # the bracket objects of the readers work too, and so do labels' None entries
    assert median_from_bins(np.array([[1.0, 3]]), [B.Bracket("a", 0, 10), B.Bracket("b", 10, 20)])[0] == 10 + 1 / 3 * 10


def test_regional_median_ignores_nan_and_averages_even_counts():
    v = np.array([1, 2, 3, 4, np.nan, 10, 20, 30, np.nan])
    r = np.array(["a", "a", "a", "a", "a", "b", "b", "b", "c"])
    np.testing.assert_array_equal(regional_median(v, r, per_tract=False), [2.5, 20, np.nan])
    assert regional_median(v, r)[5] == 20
    assert regional_median(v, r)[4] == 2.5  # a NaN tract still gets its region's median


def test_regional_median_is_per_region_never_pooled():
    v = np.array([1.0, 2, 3, 100, 200, 300])
    r = np.array([1, 1, 1, 2, 2, 2])
    assert regional_median(v, r).tolist() == [2, 2, 2, 200, 200, 200]
    assert regional_median(v, None).tolist() == [51.5] * 6  # pooled only when asked


def test_regional_quantile_matches_numpy():
    rng = np.random.default_rng(1)
    v = rng.normal(size=500)
    v[::17] = np.nan
    r = rng.integers(0, 7, 500)
    for q in (0.1, 0.4, 0.5, 2 / 3, 0.9):
        got = regional_quantile(v, r, q, per_tract=False)
        want = [np.nanquantile(v[r == k], q) for k in range(7)]
        np.testing.assert_allclose(got, want)


def test_regional_weighted_median():
    v = np.array([1.0, 2, 3, 10, 20])
    w = np.array([1.0, 1, 5, 1, 1])
    r = np.array([0, 0, 0, 1, 1])
    assert regional_weighted_median(v, w, r, per_tract=False).tolist() == [3, 10]


def test_cpi_factor_uses_the_versioned_table():
    assert CPI_U[2012] == 229.594 and CPI_U[2018] == 251.107 and CPI_U[2022] == 292.655 and CPI_U[2023] == 304.702
    assert cpi_factor(2012, 2022) == pytest.approx(292.655 / 229.594)
    with pytest.raises(ValueError, match="1850"):
        cpi_factor(1850, 2022)


def test_moe_formulas():
    assert se(1.645) == pytest.approx(1.0)
    assert cv(100, 16.45)[()] == pytest.approx(0.1)
    # proportion: √(M_X² − p²M_Y²)/Y
    assert moe_proportion(20, 5, 100, 10)[()] == pytest.approx(math.sqrt(25 - 0.04 * 100) / 100)
    # radicand < 0 → "+" version
    assert moe_proportion(50, 1, 100, 10)[()] == pytest.approx(math.sqrt(1 + 0.25 * 100) / 100)
    assert moe_sum([3.0, 4.0]) == pytest.approx(5.0)
    z = change_z(100, 16.45, 150, 16.45, factor=1.0)
    assert z[()] == pytest.approx(50 / (10 * math.sqrt(2)))
    z_real = change_z(100, 16.45, 150, 16.45, factor=1.5)
    assert z_real[()] == pytest.approx(0.0)
    assert reliability([100, 100, 100, 100, np.nan], [24.675, 24.7, 49.35, 49.4, 1]).tolist() == [2, 1, 1, 0, -1]
