"""Crosswalks 2010 → 2020 (spec §8 item 4): reading, conservation, pass-through, medians."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commontable.displacement.sources.acs import AcsTable
from commontable.displacement.sources.errors import SourceError
from commontable.displacement.sources.relationship import (
    Crosswalk,
    crosswalk_apply,
    read_census_relationship,
    read_crosswalk,
    read_nhgis_crosswalk,
)

DATA = Path(__file__).parent / "data"
CENSUS = DATA / "tab20_tract20_tract10_st27.txt"
NHGIS = DATA / "nhgis_tr2010_tr2020_27.csv"
HEADER = (DATA / "tab20_tract20_tract10_st27.txt").read_text().splitlines()[0]


def table_2012(**extra) -> AcsTable:
    geoids = np.array(["27053000100", "27053000200", "27123030100", "27123030200"])
    return AcsTable(
        year=2012, geography_year=2010, geoids=geoids,
        estimates={"B01003_001": np.array([1000.0, 500.0, 300.0, 200.0]),
                   "B19013_001": np.array([50000.0, 60000.0, 40000.0, 30000.0]), **extra},
        moes={"B01003_001": np.array([100.0, 50.0, 30.0, 40.0]), "B19013_001": np.array([5000.0, 1, 2, 3])},
        censored={"B19013_001": {1: "top"}},
        labels={"B19013_001": "Estimate!!Median household income in the past 12 months"},
    )


def test_census_file_gives_land_area_weights():
    crosswalk = read_census_relationship(CENSUS)
    weights = dict(zip(zip(crosswalk.source_geoids, crosswalk.target_geoids, strict=True),
                       crosswalk.weights["area"], strict=True))
    assert weights[("27053000100", "27053000101")] == pytest.approx(0.6)
    assert weights[("27053000100", "27053000102")] == pytest.approx(0.4)
    assert weights[("27123030200", "27123030100")] == pytest.approx(1.0)


def test_nhgis_file_gives_one_weight_per_universe():
    crosswalk = read_crosswalk(NHGIS)
    assert {"pop", "hh", "hu", "renthu"} <= set(crosswalk.weights)


def test_counts_are_conserved_and_split_by_the_weights():
    out = crosswalk_apply(table_2012(), read_census_relationship(CENSUS), lambda var: "area",
                          medians={"B19013_001": "B01003_001"})
    assert out.geography_year == 2020
    assert out.geoids.tolist() == ["27053000101", "27053000102", "27053000200", "27123030100"]
    pop = out.estimates["B01003_001"]
    assert pop.tolist() == pytest.approx([600.0, 400.0, 500.0, 500.0])
    assert pop.sum() == pytest.approx(table_2012().estimates["B01003_001"].sum(), abs=1e-6)
    # MOE of the merged tract: sqrt(30² + 40²)
    assert out.moes["B01003_001"][3] == pytest.approx(50.0)


def test_one_to_one_tracts_pass_through_unchanged():
    out = crosswalk_apply(table_2012(), read_census_relationship(CENSUS), lambda var: "area",
                          medians={"B19013_001": "B01003_001"})
    i = out.index_of("27053000200")
    assert out.estimates["B19013_001"][i] == 60000.0
    assert out.moes["B19013_001"][i] == 1.0
    assert out.censored["B19013_001"] == {i: "top"}


def test_merged_tract_median_fallback_is_weighted_by_the_count_never_a_sum():
    out = crosswalk_apply(table_2012(), read_census_relationship(CENSUS), lambda var: "area",
                          medians={"B19013_001": "B01003_001"})
    merged = out.estimates["B19013_001"][out.index_of("27123030100")]
    assert merged == pytest.approx((40000 * 300 + 30000 * 200) / 500)  # not 70000 (Σ w·median)


def test_a_median_is_never_summed_as_a_count():
    crosswalk = read_census_relationship(CENSUS)
    with pytest.raises(SourceError) as exc:  # labelled a median: refused as a count
        crosswalk_apply(table_2012(), crosswalk, lambda var: "area")
    assert "B19013_001" in str(exc.value)
    with pytest.raises(SourceError):  # no universe and no count to weight it
        crosswalk_apply(table_2012(), crosswalk, lambda var: None if var == "B19013_001" else "area")


def test_relationship_file_that_loses_land_is_refused():
    lines = CENSUS.read_text().splitlines()
    lines[2] = lines[2].replace("|400000|0\n", "|").rsplit("|", 2)[0] + "|300000|0"
    with pytest.raises(SourceError) as exc:
        read_census_relationship("\n".join(lines).encode(), name="bad.txt")
    assert "27053000100" in str(exc.value) and "0.9000" in str(exc.value)


def test_crosswalk_that_does_not_conserve_counts_returns_nothing():
    good = read_census_relationship(CENSUS)
    weights = good.weights["area"].copy()
    weights[0] = 0.7  # 0.7 + 0.4 = 1.1: people would be invented
    bad = Crosswalk(source_year=2010, target_year=2020, source_geoids=good.source_geoids,
                    target_geoids=good.target_geoids, weights={"area": weights})
    with pytest.raises(SourceError) as exc:
        crosswalk_apply(table_2012(), bad, lambda var: "area", medians={"B19013_001": "B01003_001"})
    assert "does not conserve" in str(exc.value)


def test_wrong_header_and_wrong_geoids_are_refused():
    with pytest.raises(SourceError) as exc:
        read_census_relationship(b"a|b|c\n1|2|3\n", name="x.txt")
    assert "GEOID_TRACT_10" in str(exc.value)
    text = CENSUS.read_text().replace("|27053000200|Census Tract 2|800000|5000|G5020|S|800000",
                                      "|2705300020|Census Tract 2|800000|5000|G5020|S|800000")
    with pytest.raises(SourceError) as exc:
        read_census_relationship(text.encode(), name="x.txt")
    assert exc.value.problems[0].column == "GEOID_TRACT_10"


def test_water_only_source_tract_is_weighted_by_water_and_said():
    extra = "5|27053990100|Census Tract 9901|0|900|G5020|S|15|27053990000|Census Tract 9900|0|900|G5020|S|0|900"
    crosswalk = read_census_relationship((CENSUS.read_text() + extra + "\n").encode(), name="w.txt")
    assert crosswalk.zero_universe_sources["area"] == ("27053990000",)
    assert crosswalk.notes


def test_nhgis_weights_not_summing_to_one_are_refused():
    text = NHGIS.read_text().replace("0.55,0.55,0.5,0.52", "0.55,0.55,0.5,0.62", 1)
    with pytest.raises(SourceError) as exc:
        read_nhgis_crosswalk(text.encode(), name="n.csv")
    assert "hh" in str(exc.value)


def test_nhgis_universe_weights_are_used_per_variable():
    out = crosswalk_apply(table_2012(), read_nhgis_crosswalk(NHGIS),
                          lambda var: {"B01003_001": "pop"}.get(var), medians={"B19013_001": "B01003_001"})
    assert out.estimates["B01003_001"].tolist()[:2] == pytest.approx([550.0, 450.0])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 4), st.floats(0, 1e6)), min_size=1, max_size=30))
def test_conservation_holds_for_any_split(sources):
    """Property: whatever the splits, Σ targets = Σ sources when each source's weights sum to 1."""
    rng = np.random.default_rng(len(sources))
    src, tgt, w = [], [], []
    next_target = 0
    for s, (k, _value) in enumerate(sources):
        share = rng.dirichlet(np.ones(k))
        for j in range(k):
            src.append(f"{s:011d}")
            tgt.append(f"{next_target + j:011d}")
            w.append(share[j])
        next_target += k
    crosswalk = Crosswalk(source_year=2010, target_year=2020, source_geoids=np.array(src),
                          target_geoids=np.array(tgt), weights={"area": np.array(w)})
    values = np.array([v for _k, v in sources])
    table = AcsTable(year=2012, geography_year=2010, geoids=np.array([f"{s:011d}" for s in range(len(sources))]),
                     estimates={"X_001": values})
    out = crosswalk_apply(table, crosswalk, lambda var: "area")
    assert out.estimates["X_001"].sum() == pytest.approx(values.sum(), rel=1e-9, abs=1e-6)


def test_a_merged_tract_median_is_re_derived_from_crosswalked_bins():
    bins = {"B19001_002": [5.0, 0.0, 10.0, 20.0], "B19001_003": [5.0, 0.0, 20.0, 10.0],
            "B19001_004": [5.0, 0.0, 10.0, 10.0]}
    table = table_2012(**{k: np.array(v) for k, v in bins.items()})
    table.estimates["B19013_001"] = np.array([12500.0, 60000.0, 12000.0, 11000.0])
    table.labels.update({"B19001_002": "Estimate!!Total:!!Less than $10,000",
                         "B19001_003": "Estimate!!Total:!!$10,000 to $14,999",
                         "B19001_004": "Estimate!!Total:!!$15,000 or more"})
    out = crosswalk_apply(table, read_census_relationship(CENSUS), lambda var: "area",
                          median_bins={"B19013_001": list(bins)})
    merged = out.index_of("27123030100")
    # merged bins [30, 30, 20]: half = 40 falls in $10,000–$15,000, 10 of its 30 → 10,000 + 5,000/3
    assert out.estimates["B19013_001"][merged] == pytest.approx(10000 + 5000 / 3)
    assert out.estimates["B19013_001"][merged] != pytest.approx(12000 + 11000)  # never Σ w·median
    assert out.estimates["B19013_001"][out.index_of("27053000200")] == 60000.0  # one-to-one unchanged
