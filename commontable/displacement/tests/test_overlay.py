"""The public-investment overlay (spec §6.4, checklist §8 item 6): points to tracts, buffers in
metres, exposure, alert tiers and per-project counts. No database."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import shapely

from commontable.displacement.method.geometry import TractIndex, lonlat_to_utm, to_utm
from commontable.displacement.method.overlay import (
    APPROXIMATION_NOTE,
    HALF_MILE_M,
    QUARTER_MILE_M,
    alert_tiers,
    assign_point_positions,
    assign_points,
    project_buffers,
    project_exposure,
    project_summaries,
)
from commontable.displacement.method.synthetic_geo import synthetic_tracts

# A 2 × 2 block of tracts, 0.1° a side, meeting at (-93.2, 44.9). Listed out of GEOID order on
# purpose: "lowest GEOID" must not mean "first in the list".
#   C 300 | D 200
#   ------+------
#   A 400 | B 100
CX, CY = -93.2, 44.9
GRID = {
    "27053000400": shapely.box(CX - 0.1, CY - 0.1, CX, CY),  # A, south-west
    "27053000100": shapely.box(CX, CY - 0.1, CX + 0.1, CY),  # B, south-east
    "27053000300": shapely.box(CX - 0.1, CY, CX, CY + 0.1),  # C, north-west
    "27053000200": shapely.box(CX, CY, CX + 0.1, CY + 0.1),  # D, north-east
}


@pytest.fixture
def grid() -> TractIndex:
    return TractIndex(list(GRID), list(GRID.values()))


def point(lon, lat):
    return {"type": "Point", "coordinates": [lon, lat]}


# --- points → tracts ---------------------------------------------------------------------------


def test_points_inside_a_tract_get_it_without_a_tie(grid):
    lon = [CX - 0.05, CX + 0.05, CX - 0.05, CX + 0.05]
    lat = [CY - 0.05, CY - 0.05, CY + 0.05, CY + 0.05]
    result = assign_points(grid, lon, lat)
    assert result.geoid.tolist() == ["27053000400", "27053000100", "27053000300", "27053000200"]
    assert not result.boundary_tie.any()


def test_a_point_on_a_shared_edge_goes_to_the_lowest_geoid_with_a_tie(grid):
    # On the A|B border (lon = CX) and on the C|A border (lat = CY).
    result = assign_points(grid, [CX, CX - 0.05], [CY - 0.05, CY])
    assert result.geoid.tolist() == ["27053000100", "27053000300"]
    assert result.boundary_tie.tolist() == [True, True]


def test_the_tie_does_not_depend_on_the_order_tracts_were_loaded(grid):
    reversed_index = TractIndex(list(GRID)[::-1], list(GRID.values())[::-1])
    lon, lat = [CX, CX - 0.05, CX], [CY - 0.05, CY, CY]
    assert (
        assign_points(grid, lon, lat).geoid.tolist() == assign_points(reversed_index, lon, lat).geoid.tolist()
    )


def test_a_point_at_the_corner_of_four_tracts_goes_to_the_lowest_geoid(grid):
    result = assign_points(grid, [CX], [CY])
    assert result.geoid.tolist() == ["27053000100"]
    assert result.boundary_tie.tolist() == [True]


def test_a_point_on_a_slanted_border_is_a_tie():
    # Two triangles sharing a diagonal; a point computed on the diagonal is off it by a rounding
    # error, and the tolerance still calls it a tie.
    a = shapely.Polygon([(-93.3, 44.9), (-93.2, 44.9), (-93.3, 45.0)])
    b = shapely.Polygon([(-93.2, 44.9), (-93.2, 45.0), (-93.3, 45.0)])
    index = TractIndex(["27053000900", "27053000800"], [a, b])
    t = 0.37
    lon, lat = -93.2 + t * (-0.1), 44.9 + t * 0.1
    result = assign_points(index, [lon], [lat])
    assert result.geoid.tolist() == ["27053000800"] and result.boundary_tie.tolist() == [True]
    # A point 1 m off the border is not a tie.
    nudged = assign_points(index, [lon - 1.3e-5], [lat - 1.3e-5])
    assert nudged.geoid.tolist() == ["27053000900"] and not nudged.boundary_tie.any()


def test_points_outside_in_water_or_without_coordinates_are_unassigned():
    lake = shapely.box(-93.26, 44.86, -93.24, 44.88)
    with_lake = shapely.box(-93.3, 44.8, -93.2, 44.9).difference(lake)
    index = TractIndex(["27053000100"], [with_lake])
    lon = [-93.25, -94.5, np.nan, -93.25, 44.85]
    lat = [44.87, 44.85, 44.85, 95.0, -93.25]  # lake, outside, missing, bad latitude, swapped
    result = assign_points(index, lon, lat)
    assert result.geoid.tolist() == [None] * 5
    assert not result.boundary_tie.any()
    positions, ties = assign_point_positions(index, lon, lat)
    assert not ties.any()
    assert positions.tolist() == [-1] * 5


def test_a_multipolygon_tract_gets_points_in_each_part():
    island = shapely.MultiPolygon(
        [shapely.box(-93.3, 44.8, -93.2, 44.9), shapely.box(-93.1, 44.8, -93.0, 44.9)]
    )
    index = TractIndex(["27053000100", "27053000200"], [island, shapely.box(-93.2, 44.8, -93.1, 44.9)])
    result = assign_points(index, [-93.25, -93.05, -93.15], [44.85, 44.85, 44.85])
    assert result.geoid.tolist() == ["27053000100", "27053000100", "27053000200"]


def test_assign_points_checks_lengths_and_handles_no_points(grid):
    with pytest.raises(ValueError, match="2 longitudes but 1 latitudes"):
        assign_points(grid, [1.0, 2.0], [3.0])
    empty = assign_points(grid, [], [])
    assert empty.geoid.size == 0 and empty.boundary_tie.size == 0


def test_every_point_in_a_synthetic_region_gets_exactly_the_tract_that_contains_it():
    geoids, polygons = synthetic_tracts(120, seed=11)
    index = TractIndex(geoids, polygons)
    rng = np.random.default_rng(1)
    lon, lat = rng.uniform(-93.77, -92.73, 2000), rng.uniform(44.47, 45.41, 2000)
    result = assign_points(index, lon, lat)
    expected = [
        next(g for g, p in zip(geoids, polygons, strict=True) if p.covers(shapely.Point(x, y)))
        for x, y in zip(lon[:200], lat[:200], strict=True)
    ]
    assert result.geoid[:200].tolist() == expected
    assert None not in result.geoid.tolist()


# --- buffers -----------------------------------------------------------------------------------


def test_a_point_buffer_is_a_circle_in_metres():
    buffers, radius = project_buffers([point(-93.25, 44.95)], ["transit_station"])
    assert radius.tolist() == [HALF_MILE_M]
    assert shapely.area(buffers[0]) == pytest.approx(math.pi * HALF_MILE_M**2, rel=0.005)
    x, y = lonlat_to_utm([-93.25], [44.95])
    assert buffers[0].bounds == pytest.approx(
        (x[0] - HALF_MILE_M, y[0] - HALF_MILE_M, x[0] + HALF_MILE_M, y[0] + HALF_MILE_M), abs=0.5
    )


def test_radii_come_from_the_kind_with_a_default():
    buffers, radius = project_buffers(
        [point(-93.25, 44.95)] * 3,
        ["bus", "streetcar", "stadium"],
        radii={"bus": QUARTER_MILE_M, "stadium": 1000.0},
    )
    assert radius.tolist() == [QUARTER_MILE_M, HALF_MILE_M, 1000.0]
    assert shapely.area(buffers[0]) == pytest.approx(math.pi * QUARTER_MILE_M**2, rel=0.005)
    with pytest.raises(ValueError, match="Project #0: buffer radius"):
        project_buffers([point(-93.25, 44.95)], ["bus"], radii={"bus": -1.0})


def test_a_polygon_project_is_buffered_around_its_edge():
    park = shapely.box(-93.26, 44.94, -93.24, 44.96)
    buffers, _ = project_buffers([shapely.geometry.mapping(park)], ["park"])
    park_utm = to_utm([park])[0]
    expected = park_utm.area + park_utm.length * HALF_MILE_M + math.pi * HALF_MILE_M**2
    assert shapely.area(buffers[0]) == pytest.approx(expected, rel=0.005)


def test_geometries_are_accepted_as_dicts_text_or_shapely():
    buffers, _ = project_buffers(
        [point(-93.25, 44.95), json.dumps(point(-93.25, 44.95)), shapely.Point(-93.25, 44.95)],
        ["x", "x", "x"],
    )
    areas = shapely.area(buffers)
    assert areas[0] == pytest.approx(areas[1]) == pytest.approx(areas[2])


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (
            {
                "type": "Polygon",
                "coordinates": [[[-93.3, 44.9], [-93.2, 45.0], [-93.2, 44.9], [-93.3, 45.0], [-93.3, 44.9]]],
            },
            "not valid",
        ),
        ({"type": "LineString", "coordinates": [[-93.3, 44.9]]}, "could not be read"),
        ({"type": "GeometryCollection", "geometries": []}, "GeometryCollection"),
        ({"type": "Point", "coordinates": [44.95, -93.25]}, "latitude and longitude swapped"),
        ({"type": "Point", "coordinates": [480000.0, 4980000.0]}, "projected"),
        ("not geojson", "could not be read"),
        (42, "expected a GeoJSON geometry"),
    ],
)
def test_a_bad_project_geometry_is_refused_by_name(geometry, message):
    with pytest.raises(ValueError, match=message) as caught:
        project_exposure(
            TractIndex(list(GRID), list(GRID.values())),
            [point(-93.25, 44.85), geometry],
            ["park", "park"],
            project_ids=["Good park", "Bowtie park"],
        )
    assert "Project Bowtie park" in str(caught.value)


# --- exposure ----------------------------------------------------------------------------------


def test_a_project_inside_one_tract_exposes_only_that_tract(grid):
    exposure = project_exposure(
        grid, [point(-93.25, 44.85)], ["transit_station"], statuses=["planned"], costs_usd=[5e6]
    )
    a = grid.position("27053000400")
    assert exposure.exposed.tolist() == [True, False, False, False]
    assert exposure.n_projects.tolist() == [1, 0, 0, 0]
    assert exposure.exposed_land_share[a] == pytest.approx(
        math.pi * HALF_MILE_M**2 / grid.areas_m2[a], rel=0.005
    )
    assert exposure.investment_usd["planned"].tolist() == [5e6, 0, 0, 0]
    assert exposure.in_region.tolist() == [True]


def test_overlapping_buffers_are_counted_once_in_the_land_share(grid):
    one = project_exposure(grid, [point(-93.25, 44.85)], ["x"])
    two = project_exposure(grid, [point(-93.25, 44.85), point(-93.25, 44.851)], ["x", "x"])
    assert two.n_projects[0] == 2
    assert one.exposed_land_share[0] < two.exposed_land_share[0] < 1.1 * one.exposed_land_share[0]


def test_a_buffer_across_the_corner_exposes_all_four(grid):
    exposure = project_exposure(grid, [point(CX + 0.001, CY + 0.001)], ["x"])
    assert exposure.exposed.all()
    assert exposure.pair_area_m2.sum() == pytest.approx(math.pi * HALF_MILE_M**2, rel=0.005)
    assert exposure.projects_by_tract() == {g: [0] for g in GRID}


def test_investment_is_summed_by_status_and_missing_costs_count_as_zero(grid):
    here = point(-93.25, 44.85)
    exposure = project_exposure(
        grid,
        [here, here, here, point(-93.15, 44.95)],
        ["x"] * 4,
        statuses=["planned", "complete", "planned", "planned"],
        costs_usd=[1e6, 2e6, None, 4e6],
    )
    a, d = grid.position("27053000400"), grid.position("27053000200")
    assert exposure.investment_usd["planned"][a] == 1e6
    assert exposure.investment_usd["complete"][a] == 2e6
    assert exposure.investment_usd["planned"][d] == 4e6
    assert exposure.n_projects[a] == 3
    with pytest.raises(ValueError, match="one value per project"):
        project_exposure(grid, [here], ["x"], statuses=["planned", "planned"])


def test_a_line_across_many_tracts_exposes_every_tract_it_passes_within_the_radius():
    geoids, polygons = synthetic_tracts(100, seed=2)
    index = TractIndex(geoids, polygons)
    line = shapely.LineString([(-93.7, 44.6), (-92.8, 45.3)])
    exposure = project_exposure(index, [shapely.geometry.mapping(line)], ["transit_line"])
    crossed = shapely.intersects(index.polygons, line)
    assert crossed.sum() >= 8
    assert exposure.exposed[crossed].all()
    line_utm = to_utm([line])[0]
    assert (shapely.distance(index.polygons_utm[exposure.exposed], line_utm) <= HALF_MILE_M + 1e-6).all()
    assert (shapely.distance(index.polygons_utm[~exposure.exposed], line_utm) > HALF_MILE_M).all()
    assert exposure.projects_by_tract().keys() == set(index.geoids[exposure.exposed])


def test_a_project_without_a_location_or_outside_the_region_exposes_nothing(grid):
    exposure = project_exposure(
        grid,
        [None, {"type": "Point", "coordinates": []}, "", point(-95.0, 46.0), shapely.Point()],
        ["x"] * 5,
        costs_usd=[1.0] * 5,
    )
    assert exposure.located.tolist() == [False, False, False, True, False]
    assert not exposure.in_region.any()
    assert not exposure.exposed.any() and exposure.exposed_land_share.sum() == 0
    assert exposure.pair_project.size == 0


def test_a_multipolygon_tract_is_exposed_through_either_part():
    two_parts = shapely.MultiPolygon(
        [shapely.box(-93.3, 44.8, -93.2, 44.9), shapely.box(-93.1, 44.8, -93.0, 44.9)]
    )
    index = TractIndex(["27053000100", "27053000200"], [two_parts, shapely.box(-93.2, 44.8, -93.1, 44.9)])
    exposure = project_exposure(index, [point(-93.05, 44.85)], ["x"])
    assert exposure.exposed.tolist() == [True, False]


def test_the_reverse_mapping_lists_the_projects_behind_tier_one_tracts(grid):
    exposure = project_exposure(
        grid, [point(-93.25, 44.85), point(-93.15, 44.85), point(-93.251, 44.851)], ["x"] * 3
    )
    codes = ["OD" if g == "27053000400" else "LISD" for g in grid.geoids]
    tiers, _ = alert_tiers(codes, exposure.exposed, np.zeros(4), 0.5)
    assert exposure.projects_by_tract(tiers == 1) == {"27053000400": [0, 2]}
    assert exposure.projects_for(grid.position("27053000100")).tolist() == [1]


# --- alert tiers -------------------------------------------------------------------------------


def test_alert_tiers_follow_the_typology_when_exposed():
    codes = [
        "OD",
        "ARG",
        "EOG",
        "LISD",
        "ARE",
        "BE",
        "AdvG",
        "SMMI",
        "SAE",
        "STUDENT",
        "UNAVAILABLE",
        None,
        "OD",
    ]
    exposed = [True] * 12 + [False]
    tiers, high = alert_tiers(codes, exposed, np.full(13, 0.9), 0.5)
    assert tiers.tolist() == [1, 1, 1, 2, 3, 3, 0, 0, 0, 0, 0, 0, 0]
    assert high.tolist() == [t > 0 for t in tiers.tolist()]


def test_bipoc_high_compares_with_the_regional_median():
    codes = ["OD", "OD", "OD", "OD", "SAE"]
    shares = [0.30, 0.29, np.nan, 0.6, 0.9]
    tiers, high = alert_tiers(codes, [True] * 5, shares, 0.30)
    assert tiers.tolist() == [1, 1, 1, 1, 0]
    assert high.tolist() == [True, False, False, True, False]
    _, per_tract = alert_tiers(codes, [True] * 5, shares, [0.2, 0.2, 0.2, 0.7, 0.1])
    assert per_tract.tolist() == [True, True, False, False, False]


def test_alert_tiers_refuse_unknown_codes_and_mismatched_lengths():
    with pytest.raises(ValueError, match="Unknown typology code"):
        alert_tiers(["OD", "Gentrifying"], [True, True], [0.1, 0.1], 0.5)
    with pytest.raises(ValueError, match="one value per tract"):
        alert_tiers(["OD"], [True, True], [0.1, 0.1], 0.5)


# --- per-project summary -----------------------------------------------------------------------


def test_summary_weights_tract_counts_by_the_buffer_area(grid):
    exposure = project_exposure(
        grid, [point(-93.25, 44.85), point(CX, CY - 0.05), point(-96.0, 46.0)], ["x"] * 3
    )
    a, b = grid.position("27053000400"), grid.position("27053000100")
    population = np.array([10_000.0, 20_000.0, 30_000.0, 40_000.0])
    summary = project_summaries(
        grid,
        exposure,
        population=population,
        bipoc_population=population / 2,
        low_income_households=population / 10,
    )
    circle = math.pi * HALF_MILE_M**2
    assert summary.population[0] == pytest.approx(population[a] * circle / grid.areas_m2[a], rel=0.005)
    # Half the second buffer is in A, half in B (the tracts' areas differ a little).
    expected = population[a] * circle / 2 / grid.areas_m2[a] + population[b] * circle / 2 / grid.areas_m2[b]
    assert summary.population[1] == pytest.approx(expected, rel=0.01)
    assert summary.bipoc_population[1] == pytest.approx(summary.population[1] / 2)
    assert summary.n_tracts.tolist() == [1, 2, 0]
    assert summary.population[2] == 0 and summary.buffer_area_m2[2] == 0
    assert summary.approximation and summary.note == APPROXIMATION_NOTE


def test_a_missing_count_makes_the_summary_unknown_not_smaller(grid):
    exposure = project_exposure(grid, [point(-93.25, 44.85), point(-93.15, 44.95)], ["x", "x"])
    counts = np.full(4, 1000.0)
    counts[grid.position("27053000400")] = np.nan
    summary = project_summaries(
        grid, exposure, population=counts, bipoc_population=counts, low_income_households=counts
    )
    assert np.isnan(summary.population[0]) and np.isfinite(summary.population[1])
    with pytest.raises(ValueError, match="3 tract counts for 4 tracts"):
        project_summaries(
            grid, exposure, population=[1, 2, 3], bipoc_population=counts, low_income_households=counts
        )
