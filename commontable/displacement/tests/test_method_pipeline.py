"""Stability, risk index, sensitivity flags, lag, profiles, the pipeline, and the no-Django rule."""

import ast
import json
from pathlib import Path

import numpy as np
import pytest
import shapely

from commontable.displacement.method import pipeline
from commontable.displacement.method.lag import distance_band_weights, queen_weights, spatial_lag
from commontable.displacement.method.profiles import PROFILES, Profile, profile_from_mapping, profile_get
from commontable.displacement.method.risk_index import quintile_classes, risk_index
from commontable.displacement.method.sensitivity import sensitivity_flags
from commontable.displacement.method.stability import fragile, stability
from commontable.displacement.method.synthetic import synthetic_inputs, synthetic_national
from commontable.displacement.method.typology import LEGEND_ORDER, TractInputs, compute_typology

METHOD = Path(__file__).resolve().parent.parent / "method"
TC = profile_get("twin_cities")


def small(n=120, seed=3, years=(2012, 2022)):
    return synthetic_inputs([f"27053{i:06d}" for i in range(n)], np.zeros(n, int), list(years), seed=seed)


# --- architecture --------------------------------------------------------------------------------


def test_no_module_in_method_imports_django():
    offenders = []
    for path in sorted(METHOD.glob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "django"]
    assert not offenders, offenders
    assert len(list(METHOD.glob("*.py"))) >= 10


# --- stability -----------------------------------------------------------------------------------


def test_stability_is_deterministic_with_a_seed():
    inputs = small(80)
    res = compute_typology(inputs, TC)
    a = stability(inputs, TC, res.typology, draws=20, seed=7)
    b = stability(inputs, TC, res.typology, draws=20, seed=7)
    np.testing.assert_array_equal(a, b)
    assert ((a >= 0) & (a <= 1)).all()


def test_far_tract_is_stable_and_threshold_tract_is_fragile():
    inputs = small(100, seed=8)
    for table in inputs.moes.values():  # tiny margins everywhere …
        for var in table:
            table[var] = table[var] * 1e-4
    res = compute_typology(inputs, TC)
    far = int(np.flatnonzero(res.typology == "SMMI")[0])
    edge = int(np.flatnonzero(res.typology == "ARE")[0])
    inputs.estimates[2012]["B03002_001"][edge] = 500.0001  # … but one tract sits on the pop > 500 test
    inputs.moes[2012]["B03002_001"][edge] = 1.645 * 100
    res = compute_typology(inputs, TC)
    assert res.typology[edge] == "ARE"
    stab = stability(inputs, TC, res.typology, draws=40, seed=1)
    assert stab[far] == 1.0
    assert 0.2 < stab[edge] < 0.8
    assert fragile(stab, TC)[edge] and not fragile(stab, TC)[far]


def test_stability_chunks_agree_with_one_stack():
    inputs = small(60)
    res = compute_typology(inputs, TC)
    one = stability(inputs, TC, res.typology, draws=6, seed=2)
    chunked = stability(inputs, TC, res.typology, draws=6, seed=2, max_rows=60)
    assert one.shape == chunked.shape and np.isfinite(chunked).all()


# --- risk index ----------------------------------------------------------------------------------


def test_quintile_classes_by_region_ties_and_nan():
    v = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, np.nan, 5, 5, 1, 9], float)
    r = np.array([0] * 11 + [1] * 4)
    c = quintile_classes(v, r)
    assert c[:10].tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert np.isnan(c[10])
    assert c[11:].tolist() == [1, 1, 0, 3]  # region 1: ties share the lowest rank


def test_risk_index_rescales_missing_indicators_and_takes_overlay_input():
    inputs = small(100)
    base = risk_index(inputs, 2022)
    assert np.nanmin(base["dri_score"]) >= 0 and np.nanmax(base["dri_score"]) <= 100
    assert set(base["dri_class"].tolist()) <= {"low", "moderate", "higher", ""}
    # drop limited English for tract 0: the score is the mean of the remaining classes
    inputs.estimates[2022]["C16002_001"][0] = np.nan
    res = risk_index(inputs, 2022)
    known = [c[0] for c in res["dri_classes"].values() if not np.isnan(c[0])]
    assert res["dri_n_indicators"][0] == len(known) == 6
    assert res["dri_score"][0] == pytest.approx(100 * sum(known) / (4 * 6))
    near = np.zeros(100)
    near[:10] = 1.0
    with_overlay = risk_index(inputs, 2022, extra={"investment_proximity": near, "unused": None})
    assert with_overlay["dri_n_indicators"][50] == 8
    assert with_overlay["dri_classes"]["investment_proximity"][0] == 4
    with pytest.raises(ValueError, match="one value per tract"):
        risk_index(inputs, 2022, extra={"bad": np.zeros(3)})


def test_risk_class_cut_points():
    inputs = small(60)
    res = risk_index(inputs, 2022)
    s, c = res["dri_score"], res["dri_class"]
    ok = ~np.isnan(s)
    assert (c[ok & (s < 40)] == "low").all() and (c[ok & (s >= 60)] == "higher").all()
    assert (c[ok & (s >= 40) & (s < 60)] == "moderate").all()


# --- sensitivity ---------------------------------------------------------------------------------


def _sens_inputs():
    n = 6
    y0 = {"B19013_001": [20e3, 30e3, 40e3, 80e3, 90e3, np.nan], "B25077_001": [100e3, 120e3, 150e3, 300e3, 350e3, 1e5],
          "B25034_001": [100] * 6, "B25034_002": [1, 2, 5, 30, 30, 1], "B25034_003": [0] * 6, "B25034_004": [0] * 6,
          "B15003_001": [100] * 6, "B15003_022": [10, 10, 10, 50, 50, 10], "B03002_001": [1000] * 6}
    y1 = {"B19013_001": [40e3, 31e3, 30e3, 85e3, 90e3, 50e3], "B25077_001": [200e3, 130e3, 140e3, 310e3, 360e3, 2e5],
          "B25034_001": [100] * 6, "B15003_001": [100] * 6, "B15003_022": [40, 12, 10, 52, 50, 30],
          "B03002_001": [1000, 1000, 1000, 1000, 1000, 400]}
    f = lambda t: {k: np.asarray(v, float) for k, v in t.items()}  # noqa: E731
    return TractInputs([f"27053{i:06d}" for i in range(n)], np.zeros(n, int), {2012: f(y0), 2022: f(y1)})


def test_sensitivity_flags_by_hand():
    inputs = _sens_inputs()
    s = sensitivity_flags(inputs, TC, 2012, 2022)
    # Freeman: income below the median (40k over the 5 known) and few recent units → tracts 0, 1
    assert s["freeman_eligible"].tolist()[:5] == [1, 1, 0, 0, 0]
    # tract 0: BA share +30 pts (median +2) and real value up → gentrified; tract 1: value fell in real terms
    assert s["freeman_gent"].tolist()[:5] == [1, 0, 0, 0, 0]
    # tract 5: income unknown → eligibility unknown
    assert np.isnan(s["freeman_eligible"][5])
    # Governing: pop ≥ 500 both years; tract 5 has 400 people at t1 → not eligible even with income unknown
    assert s["governing_eligible"][5] == 0
    assert s["governing_eligible"][0] == 1 and s["governing_gent"][0] == 1 and s["ncrc_gent"][0] == 1


def test_ncrc_cultural_displacement_needs_a_real_fall_of_a_group_of_colour():
    from commontable.displacement.method.sensitivity import cultural_displacement

    # Ten tracts of one region; NCRC sees gentrification in 0–3 and 8, not in 4–7, unknown in 9.
    gentrified = np.array([1, 1, 1, 1, 0, 0, 0, 0, 1, np.nan])
    # Black residents: mostly steady (+0–4 %); tract 0 fell by 40 %, tract 4 too (not gentrified),
    # tract 1 by 6 % (≥ 5 % but within the region's spread), tract 2 from 30 to 10 (too few to test).
    before = np.array([500, 500, 30, 400, 500, 400, 400, 400, 400, 400], float)
    after = np.array([300, 470, 10, 410, 300, 410, 404, 400, 412, 390], float)
    flag = cultural_displacement(gentrified, [(before, after)], np.zeros(10, int))
    assert flag[0] == 1 and flag[1] == 0 and flag[2] == 0 and flag[3] == 0
    assert (flag[4:8] == 0).all() and flag[8] == 0 and np.isnan(flag[9])
    # A second group that fell in tract 3 makes it count; a missing count is not a fall.
    hispanic_before = np.array([100, 100, 100, 200, 100, 100, 100, 100, 100, 100], float)
    hispanic_after = np.array([100, 101, 99, 60, 100, 102, 100, 100, np.nan, 100], float)
    flag = cultural_displacement(gentrified, [(before, after), (hispanic_before, hispanic_after)], np.zeros(10, int))
    assert flag[:4].tolist() == [1, 0, 0, 1] and flag[8] == 0
    # No group tested at all: gentrified tracts are "no", not unknown.
    assert cultural_displacement(gentrified, [], np.zeros(10, int))[:4].tolist() == [0, 0, 0, 0]


def test_ncrc_cultural_is_computed_with_the_other_flags_and_written_with_each_row():
    inputs = small()
    flags = sensitivity_flags(inputs, TC, 2012, 2022)
    assert flags["ncrc_cultural"].shape == (inputs.n,)
    known = ~np.isnan(flags["ncrc_gent"])
    assert ((flags["ncrc_cultural"][known] == 1) <= (flags["ncrc_gent"][known] == 1)).all()  # only where gentrified
    assert "ncrc_cultural" in pipeline.COLUMNS


def test_sensitivity_central_city_mask_defaults_to_all():
    inputs = _sens_inputs()
    s = sensitivity_flags(inputs, TC, 2012, 2022, central_city=np.zeros(6, bool))
    assert (s["freeman_gent"] == 0).all() and (s["governing_eligible"] == 0).all() and (s["ncrc_gent"] == 0).all()
    with pytest.raises(ValueError, match="central_city"):
        sensitivity_flags(inputs, TC, 2012, 2022, central_city=np.ones(2, bool))


# --- lag -----------------------------------------------------------------------------------------


def test_queen_weights_on_a_grid_and_lag():
    boxes = [shapely.box(x, y, x + 1, y + 1) for y in range(3) for x in range(3)]
    w = queen_weights(np.array(boxes, dtype=object))
    centre = 4
    nbrs = w.indices[w.indptr[centre]:w.indptr[centre + 1]]
    assert sorted(nbrs.tolist()) == [0, 1, 2, 3, 5, 6, 7, 8]  # corners count (queen)
    assert np.allclose(np.add.reduceat(w.weights, w.indptr[:-1]), 1.0)
    x = np.arange(9, dtype=float)
    x[0] = np.nan
    lag = spatial_lag(w, x)
    assert lag[centre] == pytest.approx(np.mean([1, 2, 3, 5, 6, 7, 8]))  # NaN neighbour skipped


def test_queen_weights_equal_every_pair_tested_and_ignore_preparation():
    """Boxes that overlap without touching, a tract inside another's hole, a multipolygon, a
    lone tract: the pairs found are exactly the pairs that intersect, whether or not prepared."""
    rng = np.random.default_rng(3)
    shapes = [shapely.Point(rng.uniform(0, 20), rng.uniform(0, 20)).buffer(rng.uniform(0.5, 3), quad_segs=3)
              for _ in range(60)]
    ring = shapely.Polygon([(30, 30), (40, 30), (40, 40), (30, 40)], holes=[[(33, 33), (37, 33), (37, 37), (33, 37)]])
    shapes += [ring, shapely.box(33, 33, 37, 37), shapely.box(34, 34, 35, 35).union(shapely.box(50, 50, 51, 51)),
               shapely.box(100, 100, 101, 101), shapely.Polygon([(41, 30), (45, 30), (41, 41)])]
    geoms = np.array(shapes, dtype=object)
    expected = {(i, j) for i in range(len(geoms)) for j in range(len(geoms))
                if i != j and shapely.intersects(geoms[i], geoms[j])}
    for prepared in (False, True):
        if prepared:
            shapely.prepare(geoms)
        w = queen_weights(geoms)
        found = {(i, int(j)) for i in range(len(geoms)) for j in w.indices[w.indptr[i]:w.indptr[i + 1]]}
        assert found == expected
        assert (60, 61) in found and (62, 60) not in found  # inside the hole: touching; in the ring: not
        assert w.indptr[64] == w.indptr[63]  # the lone tract has none


def test_distance_band_weights_inverse_square():
    xy = np.array([[0, 0], [1, 0], [3, 0], [100, 0.0]])
    w = distance_band_weights(xy, band_factor=0.1)  # max NN distance 97 → band 9.7
    row0 = dict(zip(w.indices[w.indptr[0]:w.indptr[1]].tolist(), w.weights[w.indptr[0]:w.indptr[1]], strict=True))
    assert set(row0) == {1, 2}
    assert row0[1] / row0[2] == pytest.approx(9.0)  # 1/1² vs 1/3²
    assert w.indptr[4] - w.indptr[3] == 0  # the far tract has no neighbour


# --- profiles ------------------------------------------------------------------------------------


def test_profiles_shipped_and_validated():
    assert set(PROFILES) == {"twin_cities", "udp_compat"}
    assert profile_get("udp_compat").nan_policy == "udp"
    with pytest.raises(ValueError, match="nope"):
        profile_get("nope")
    p = profile_from_mapping({"base": "udp_compat", "vuln_min_criteria": 2, "income_cutoffs": [0.5, 1.0]})
    assert p.vuln_min_criteria == 2 and p.income_cutoffs == (0.5, 1.0) and p.nan_policy == "udp"
    with pytest.raises(ValueError, match="colour"):
        profile_from_mapping({"colour": "red"})
    with pytest.raises(ValueError, match="vuln_min_criteria"):
        profile_from_mapping({"vuln_min_criteria": "three"})
    with pytest.raises(ValueError, match="nan_policy"):
        profile_from_mapping({"nan_policy": "ignore"})
    with pytest.raises(ValueError, match="rent_top_change"):
        profile_from_mapping({"rent_top_change": "top"})
    with pytest.raises(ValueError, match="windows"):
        profile_from_mapping({"windows": [[2022, 2012]]})
    with pytest.raises(ValueError, match="zillow"):
        profile_from_mapping({"zillow": "yes"})
    d = TC.as_dict()
    json.dumps(d)
    assert profile_from_mapping({k: v for k, v in d.items() if k != "name"} | {"name": "copy"}) == \
        Profile(**{**TC.__dict__, "name": "copy"})
    assert TC.region_counties == ("27003", "27019", "27037", "27053", "27123", "27139", "27163")


# --- pipeline ------------------------------------------------------------------------------------


def test_compute_and_rows():
    inputs = small(150)
    res = pipeline.compute(inputs, "twin_cities", stability_draws=5, seed=1,
                           extra={"central_city": np.ones(150, bool), "risk_extra": {"near": np.zeros(150)}})
    rows = pipeline.results_to_rows(res)
    assert len(rows) == 150 and list(rows[0]) == list(pipeline.COLUMNS)
    json.dumps(rows)  # JSON-friendly: no NaN, no numpy types
    assert "NaN" not in json.dumps(rows)
    assert {r["typology"] for r in rows} <= set(LEGEND_ORDER)
    r = rows[0]
    assert r["profile"] == "twin_cities" and (r["t0"], r["t1"]) == (2012, 2022)
    assert set(r["inputs"]) == {"2012", "2022"} and len(r["inputs"]["2022"]["B19013_001"]) == 3
    assert res.label == "not endorsed by the Urban Displacement Project"
    assert res.column("typology") is res.typology.typology
    with pytest.raises(ValueError, match="surprise"):
        pipeline.compute(inputs, stability_draws=0, extra={"surprise": 1})


def test_udp_compat_runs_on_two_acs_windows_with_stability():
    inputs = small(100)
    res = pipeline.compute(inputs, "udp_compat", stability_draws=4, seed=3)
    assert (res.t0, res.t1) == (2012, 2022)  # UDP's fixed dollar factors stop at 2018: CPI-U beyond
    assert np.isfinite(res.stability).all()


def test_udp_compat_runs_on_four_periods():
    inputs = small(150, years=(1990, 2000, 2012, 2018))
    res = pipeline.compute(inputs, "udp_compat", stability_draws=0)
    assert (res.t0, res.t1) == (2000, 2018)
    assert set(res.typology.typology.tolist()) <= set(LEGEND_ORDER)
    assert "vulnerable_early" in res.typology.blocks


def test_national_synthetic_is_consistent():
    inputs = synthetic_national(3000, 30, seed=1)
    assert len(set(inputs.geoids.tolist())) == 3000 and len(set(inputs.regions.tolist())) == 30
    res = compute_typology(inputs, TC)
    assert (res.typology != "UNAVAILABLE").mean() > 0.8
