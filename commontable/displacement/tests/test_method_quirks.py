"""One test per §1.7 quirk (§8 item 8): `udp_compat` reproduces it, `twin_cities` fixes it."""

import numpy as np
import pytest

from commontable.displacement.method import brackets as B
from commontable.displacement.method.indicators import regional_median, regional_quantile
from commontable.displacement.method.lag import neighbour_weights, rent_pressure
from commontable.displacement.method.profiles import profile_get
from commontable.displacement.method.synthetic import synthetic_inputs
from commontable.displacement.method.typology import (
    TractInputs,
    compute_typology,
    derive_year,
    hot_market,
    type_flags,
    vulnerable,
)

from .test_method_typology import blocks, year

TC = profile_get("twin_cities")
UDP = profile_get("udp_compat")


def hand_inputs(n, per_year, **kw):
    return TractInputs([f"27053{i:06d}" for i in range(n)], np.zeros(n, int),
                       {y: {k: np.asarray(v, float) for k, v in t.items()} for y, t in per_year.items()}, **kw)


def income_bins(n, placements):
    """B19001 counts: placements = [{variable: count}] per tract."""
    out = {b.variable: np.zeros(n) for b in B.B19001}
    for i, place in enumerate(placements):
        for var, c in place.items():
            out[var][i] = c
    return out


def test_quirk_1_vulnerability_threshold():
    # tract 0: cheap rent and exactly two of four criteria (li and nonwhite above the median)
    y = year(3, rent=[500, 1000, 1500], value=[1e5, 2e5, 3e5], p_low=[.6, .5, .4], per_nonwhite=[.6, .5, .4],
             per_rent=[.1, .5, .6], per_col=[.9, .5, .1])
    assert vulnerable(y, np.zeros(3), UDP)[0] == 0  # the code: 3 of 4
    assert vulnerable(y, np.zeros(3), UDP.replace(vuln_min_criteria=2))[0] == 1  # the report: two or more
    assert TC.vuln_min_criteria == UDP.vuln_min_criteria == 3


def test_quirk_2_rent_90th_percentile():
    n = 200
    inputs = synthetic_inputs([f"27053{i:06d}" for i in range(n)], np.zeros(n, int), [2012, 2022], seed=4)
    udp_like = compute_typology(inputs, TC.replace(rent_top_change=0.90)).blocks
    fixed = compute_typology(inputs, TC).blocks
    p = fixed["pch_rent"]
    ok = ~np.isnan(p)
    np.testing.assert_array_equal(udp_like["rent_90percentile_ch"][ok], (p[ok] >= 0.90))  # a 90 % rise
    p90 = regional_quantile(p, np.zeros(n), 0.9)
    np.testing.assert_array_equal(fixed["rent_90percentile_ch"][ok], (p[ok] >= p90[ok]))
    assert fixed["rent_90percentile_ch"][ok].sum() != udp_like["rent_90percentile_ch"][ok].sum()
    assert UDP.rent_top_change == 0.90 and TC.rent_top_change == "p90"


def test_quirk_3_crosswalked_medians():
    # tract 0 was carried over from split tracts: its stored median is a Σ w·median (99,999) while its
    # crosswalked bins put every household in $20,000–24,999
    bins = income_bins(3, [{"B19001_005": 100}, {"B19001_012": 100}, {"B19001_013": 100}])
    per_year = {2012: {**bins, "B19013_001": [99_999, 65_000, 80_000]}}
    inputs = hand_inputs(3, per_year, crosswalked={2012: np.array([True, False, False])})
    assert derive_year(inputs, UDP, 2012).hinc[0] == 99_999
    assert derive_year(inputs, TC, 2012).hinc[0] == pytest.approx(22_500)
    assert derive_year(inputs, TC, 2012).hinc[1] == 65_000  # not crosswalked: as published


def test_quirk_4_1990_denominator():
    bins = income_bins(2, [{"B19001_006": 50, "B19001_014": 50}, {"B19001_006": 50, "B19001_014": 50}])
    inputs = hand_inputs(2, {1990: {**bins, "B19013_001": [50_000, 50_000]}})
    own = derive_year(inputs, TC, 1990)
    hh_2000 = np.array([200.0, 100.0])
    udp = derive_year(inputs, UDP, 1990, li_denominator=hh_2000)
    np.testing.assert_allclose(own.p_low, [0.5, 0.5])
    np.testing.assert_allclose(udp.p_low, [0.25, 0.5])  # 1990 counts over 2000 households
    assert UDP.li_1990_denominator == "hh_2000" and TC.li_1990_denominator == "own"


def test_quirk_5_regional_median_is_a_median_of_tract_medians():
    hinc = [30_000, 40_000, 100_000]
    bins = income_bins(3, [{"B19001_007": 1000}, {"B19001_009": 10}, {"B19001_014": 10}])
    inputs = hand_inputs(3, {2022: {**bins, "B19013_001": hinc}})
    assert derive_year(inputs, UDP, 2022).rmi[0] == 40_000  # the middle tract, whatever its size
    weighted = derive_year(inputs, TC.replace(regional_median="hh_weighted"), 2022).rmi[0]
    assert weighted == 30_000  # the big tract dominates when households weigh in


def test_quirk_6_regional_change_two_ways():
    v0, v1 = np.array([100., 200, 300]), np.array([300., 200, 310])
    r0, r1 = np.array([10., 10, 10]), np.array([10., 10, 9])
    # tract 2: value +3.3 %; median of tract changes = 3.3 %; change of medians = 300/200 − 1 = 50 %
    assert hot_market(v0, v1, 1.0, r0, r1, 1.0, np.zeros(3), TC)[2] == 1
    assert hot_market(v0, v1, 1.0, r0, r1, 1.0, np.zeros(3), UDP)[2] == 0


def test_quirk_7_density_numerator():
    n = 50
    inputs = synthetic_inputs([f"27053{i:06d}" for i in range(n)], np.zeros(n, int), [2012, 2022], seed=5)
    sqmi = inputs.aland_m2 / 2_589_988
    fixed = compute_typology(inputs, TC).blocks["density_per_sqmi"]
    udp = compute_typology(inputs, TC.replace(density_source="foreign_born")).blocks["density_per_sqmi"]
    np.testing.assert_allclose(fixed, inputs.e(2022, "B01003_001") / sqmi)
    np.testing.assert_allclose(udp, inputs.e(2022, "B05006_001") / sqmi)  # foreign-born people


def test_quirk_8_lag_medians_pooled_and_rent_factor():
    # two regions; no neighbours, so only the tract's own rent change counts
    r0 = np.full(6, 1000.0)
    r1 = np.array([1100, 1200, 1300, 1010, 1020, 1030.0])
    regions = np.array([1, 1, 1, 2, 2, 2])
    w = neighbour_weights(np.zeros(7, int), np.zeros(0, int))
    per_region = rent_pressure(r0, r1, regions, w, t0_factor=1.0)
    pooled = rent_pressure(r0, r1, regions, w, t0_factor=1.0, pooled=True, udp_nan=True)
    assert per_region["dp_pchrent"][5] == 1  # above its own region's median change
    assert pooled["dp_pchrent"][5] == 0      # below the pooled median of both regions
    inflated = rent_pressure(r0, r1, regions, w, t0_factor=1.07)
    np.testing.assert_allclose(inflated["pch_rent"], r1 / 1070 - 1)
    assert UDP.lag_pooled and UDP.lag_rent_t0_factor == 1.07 and not TC.lag_pooled and TC.lag_rent_t0_factor is None


def test_quirk_9_mover_brackets_off_by_one():
    per = {b.variable: np.zeros(1) for o in B.B07010_ORIGINS for b in o}
    per["B07010_027"] = np.array([100.0])  # same county, $10,000–14,999
    inputs = hand_inputs(1, {2022: {**per, "B06011_001": [15_000]}})
    # cutoff 0.8 × 15,000 = 12,000: labels give (12 − 10) / 5 = .4; UDP reads the upper bound as 14,000 → .5
    assert derive_year(inputs, TC, 2022).per_limove[0] == pytest.approx(0.4)
    assert derive_year(inputs, UDP, 2022).per_limove[0] == pytest.approx(0.5)


def test_quirk_10_precedence_arg_ignores_urban_gentrification():
    # a dense, low-income, cheap tract gentrified only by the urban variant (no LI loss)
    b = blocks(1, inc_cat_t1=1, lmh=1, change=1, dp_rentgap=1, vulnerable_t1=1, gent_late=0, gent_da_late=1)
    assert type_flags(b, UDP)["ARG"][0] == 1  # UDP's ARG looks at the non-urban variant only (#73)
    assert type_flags(b, TC)["ARG"][0] == 0   # fixed: a gentrified tract is not "at risk"


def test_quirk_11_nan_comparisons():
    # tract 0: rent and value missing, all four criteria met
    y = year(3, rent=[np.nan, 1000, 1500], value=[np.nan, 2e5, 3e5], p_low=[.6, .5, .4],
             per_nonwhite=[.6, .5, .4], per_rent=[.6, .5, .4], per_col=[.1, .5, .9])
    assert vulnerable(y, np.zeros(3), UDP)[0] == 1  # missing counts as "below the median"
    assert np.isnan(vulnerable(y, np.zeros(3), TC)[0])  # unknown → insufficient data downstream
    assert regional_median(np.array([np.nan, 1.0, 3.0]), None)[0] == 2.0


def test_quirk_3_rent_medians_only_from_the_years_own_brackets():
    # 2012 gross-rent bins have other edges than the defaults: without that year's brackets the stored
    # median stays; with them it is re-derived
    rent = {b.variable: np.zeros(2) for b in B.B25063}
    rent["B25063_010"] = np.array([10.0, 10.0])  # default edges: $400–449
    per_year = {2012: {**rent, "B25064_001": [999, 999]}}
    crossed = {2012: np.array([True, False])}
    inputs = hand_inputs(2, per_year, crosswalked=crossed)
    assert derive_year(inputs, TC, 2012).rent[0] == 999
    own = [B.Bracket(b.variable, b.lower * 2, b.upper * 2) for b in B.B25063]  # that year's (invented) edges
    inputs = hand_inputs(2, per_year, crosswalked=crossed, brackets={(2012, "B25063"): own})
    assert derive_year(inputs, TC, 2012).rent[0] == pytest.approx(850)  # midpoint of $800–899
    assert derive_year(inputs, TC, 2012).rent[1] == 999
