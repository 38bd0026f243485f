"""Projections, the tract index, the map layer and the synthetic tract shapes (no database)."""

from __future__ import annotations

import json
import pickle
import re

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from commontable.displacement.method.geometry import (
    TractIndex,
    centroids,
    display_geojson,
    gzip_size,
    lonlat_to_utm,
    to_utm,
    to_wgs84,
    utm_to_lonlat,
)
from commontable.displacement.method.synthetic_geo import (
    COUNTY_FIPS,
    TWIN_CITIES_BBOX,
    synthetic_national,
    synthetic_points,
    synthetic_tracts,
)

GEOD = Geod(ellps="GRS80")


def geodesic_area(polygon) -> float:
    return abs(GEOD.geometry_area_perimeter(polygon)[0])


# --- projections -------------------------------------------------------------------------------


def test_the_zone_central_meridian_projects_to_the_false_easting():
    # UTM 15N: central meridian 93° W, false easting 500 km, northing 0 at the equator.
    x, y = lonlat_to_utm([-93.0, -93.0], [0.0, 45.0])
    assert x == pytest.approx([500_000.0, 500_000.0], abs=1e-6)
    assert y[0] == pytest.approx(0.0, abs=1e-6)
    # On the central meridian, northing = 0.9996 × the GRS80 meridian arc to 45° (4,984,944.38 m).
    assert y[1] == pytest.approx(0.9996 * 4_984_944.38, abs=0.5)


def test_geometries_round_trip_through_utm():
    poly = shapely.Polygon([(-93.3, 44.9), (-93.2, 44.9), (-93.2, 45.0), (-93.3, 45.0)])
    there = to_utm([poly])[0]
    assert there.bounds[0] > 400_000  # metres now, not degrees
    back = to_wgs84([there])[0]
    assert np.allclose(shapely.get_coordinates(back), shapely.get_coordinates(poly), atol=1e-9)
    lon, lat = utm_to_lonlat(*lonlat_to_utm([-93.25], [44.95]))
    assert (lon[0], lat[0]) == pytest.approx((-93.25, 44.95), abs=1e-9)


def test_centroids_are_inside_a_square_and_match_its_centre():
    square = shapely.box(-93.30, 44.90, -93.20, 45.00)
    lon, lat = centroids([square])
    assert lon[0] == pytest.approx(-93.25, abs=1e-4)
    assert lat[0] == pytest.approx(44.95, abs=1e-4)


# --- the tract index ---------------------------------------------------------------------------


def test_index_areas_are_square_metres_close_to_the_geodesic_area():
    squares = [shapely.box(-93.30, 44.90, -93.29, 44.91), shapely.box(-92.80, 45.30, -92.78, 45.31)]
    index = TractIndex(["27053000100", "27163000200"], squares)
    for k, square in enumerate(squares):
        assert index.areas_m2[k] == pytest.approx(geodesic_area(square), rel=0.005)
    assert 700_000 < index.areas_m2[0] < 950_000  # ≈ 1.11 km × 0.79 km


def test_index_keeps_the_callers_order_and_ranks_by_geoid():
    boxes = [shapely.box(i, 0, i + 1, 1) for i in range(3)]
    index = TractIndex(["27053000300", "27053000100", "27053000200"], boxes)
    assert index.geoids.tolist() == ["27053000300", "27053000100", "27053000200"]
    assert index.rank.tolist() == [2, 0, 1]
    assert index.position("27053000100") == 1
    with pytest.raises(KeyError):
        index.position("27053999999")


def test_index_uses_projected_polygons_when_given():
    poly = shapely.box(-93.3, 44.9, -93.2, 45.0)
    utm = to_utm([poly])
    index = TractIndex(["27053000100"], [poly], polygons_utm=utm)
    assert index.polygons_utm[0] is utm[0]
    with pytest.raises(ValueError, match="pair one to one"):
        TractIndex(["27053000100"], [poly], polygons_utm=[])


@pytest.mark.parametrize(
    ("geoids", "polygons", "message"),
    [
        (["1", "1"], [shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)], "unique; repeated: 1"),
        (["1"], [shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)], "pair one to one"),
        (["27053000100"], [shapely.Point(0, 0)], "Tract 27053000100: expected a Polygon"),
        (["27053000100"], [None], "got nothing"),
        (["27053000100"], [shapely.Polygon()], "Tract 27053000100: its polygon is empty"),
        ([""], [shapely.box(0, 0, 1, 1)], "empty GEOID"),
    ],
)
def test_index_refuses_bad_tracts(geoids, polygons, message):
    with pytest.raises(ValueError, match=message):
        TractIndex(geoids, polygons)


def test_index_repairs_a_self_intersecting_tract():
    bowtie = shapely.Polygon([(-93.3, 44.9), (-93.2, 45.0), (-93.2, 44.9), (-93.3, 45.0)])
    assert not bowtie.is_valid
    index = TractIndex(["27053000100"], [bowtie])
    assert index.polygons[0].is_valid
    assert index.areas_m2[0] > 0


def test_index_repair_keeps_only_the_polygon_and_leaves_the_callers_array_alone():
    # A ring with a spike: repairing it gives a polygon plus a stray line; the line is dropped.
    spiky = shapely.Polygon(
        [
            (-93.3, 44.9),
            (-93.2, 44.9),
            (-93.2, 45.0),
            (-93.3, 45.0),
            (-93.3, 44.95),
            (-93.4, 44.95),
            (-93.3, 44.95),
        ]
    )
    assert not spiky.is_valid
    given = np.array([spiky], dtype=object)
    index = TractIndex(["27053000100"], given)
    assert index.polygons[0].geom_type == "Polygon" and index.polygons[0].is_valid
    assert index.polygons[0].area == pytest.approx(0.01)
    assert given[0] is spiky


def test_index_survives_a_pickle_round_trip():
    # The app may keep the index in a cache that pickles its values.
    geoids, polygons = synthetic_tracts(20, seed=4)
    index = pickle.loads(pickle.dumps(TractIndex(geoids, polygons).prepare_metric()))  # noqa: S301 (our own bytes)
    inside = shapely.point_on_surface(index.polygons[7])
    assert index.tree.query(inside, predicate="intersects").tolist() == [7]
    assert index.areas_m2.sum() == pytest.approx(TractIndex(geoids, polygons).areas_m2.sum())


def test_index_centroids_and_bounds_are_per_tract_in_lon_lat():
    boxes = [shapely.box(-93.30, 44.90, -93.20, 45.00), shapely.box(-93.20, 44.90, -93.10, 45.00)]
    index = TractIndex(["27053000200", "27053000100"], boxes)
    lon, lat = index.centroids
    assert lon == pytest.approx([-93.25, -93.15], abs=1e-4)
    assert lat == pytest.approx([44.95, 44.95], abs=1e-4)
    assert index.bounds[1].tolist() == pytest.approx([-93.20, 44.90, -93.10, 45.00])


# --- the map layer -----------------------------------------------------------------------------


def _features(payload: bytes):
    data = json.loads(payload)
    assert data["type"] == "FeatureCollection"
    return data["features"]


def test_display_geojson_is_a_compact_feature_collection_with_properties():
    geoids, polygons = synthetic_tracts(6, seed=3)
    payload = display_geojson(
        geoids,
        polygons,
        {"typology": ["OD", "LISD", None, "BE", "ARE", "SAE"], "risk": np.array([1, 2, np.nan, 4, 5, 6])},
    )
    assert b": " not in payload and b", " not in payload  # no padding
    features = _features(payload)
    assert [f["id"] for f in features] == geoids
    assert features[0]["properties"] == {"geoid": geoids[0], "typology": "OD", "risk": 1.0}
    assert features[2]["properties"]["risk"] is None  # NaN is not JSON: null
    coordinate_text = re.findall(rb"-?\d+\.\d+", payload)
    assert coordinate_text and max(len(c.split(b".")[1]) for c in coordinate_text) <= 5


def test_display_geojson_takes_properties_as_rows_and_checks_lengths():
    geoids, polygons = synthetic_tracts(2, seed=1)
    features = _features(display_geojson(geoids, polygons, [{"n": 1}, {"n": np.int64(2)}]))
    assert [f["properties"]["n"] for f in features] == [1, 2]
    with pytest.raises(ValueError, match="1 property rows for 2 tracts"):
        display_geojson(geoids, polygons, [{"n": 1}])
    with pytest.raises(ValueError, match="'n' has 1 values for 2 tracts"):
        display_geojson(geoids, polygons, {"n": [1]})
    with pytest.raises(ValueError, match="2 GEOIDs but 1 polygons"):
        display_geojson(geoids, polygons[:1])


def test_simplified_layer_keeps_shared_borders_shared():
    geoids, polygons = synthetic_tracts(60, seed=5)
    features = _features(display_geojson(geoids, polygons))
    shapes = np.array([shapely.geometry.shape(f["geometry"]) for f in features])
    assert shapely.get_num_coordinates(shapes).sum() < 0.9 * shapely.get_num_coordinates(polygons).sum()
    box_area = shapely.box(*TWIN_CITIES_BBOX).area
    union_area = shapely.union_all(shapes).area
    # No gaps: the union still fills the box; no overlaps: the parts add up to the union.
    assert union_area == pytest.approx(box_area, rel=1e-6)
    assert shapely.area(shapes).sum() == pytest.approx(union_area, rel=1e-6)


def test_overlapping_input_is_simplified_polygon_by_polygon():
    a, b = shapely.box(-93.3, 44.9, -93.2, 45.0), shapely.box(-93.25, 44.9, -93.15, 45.0)
    features = _features(display_geojson(["1", "2"], [a, b]))
    assert shapely.geometry.shape(features[1]["geometry"]).area == pytest.approx(b.area, rel=1e-6)


def test_tolerance_zero_keeps_every_vertex():
    geoids, polygons = synthetic_tracts(4, seed=2)
    features = _features(display_geojson(geoids, polygons, tolerance=0, precision=9))
    counts = [len(f["geometry"]["coordinates"][0]) for f in features]
    assert counts == shapely.get_num_coordinates(polygons).tolist()


def test_the_800_tract_layer_fits_the_size_budget():
    geoids, polygons = synthetic_tracts(800, seed=0)
    assert shapely.get_num_coordinates(polygons).mean() > 150  # realistic vertex counts
    payload = display_geojson(geoids, polygons)
    assert gzip_size(payload) <= 300_000
    assert gzip_size(display_geojson(geoids, polygons, tolerance=0)) > 300_000  # the budget needs simplifying


# --- synthetic shapes --------------------------------------------------------------------------


@settings(max_examples=20, deadline=None)
@given(n=st.integers(1, 90), seed=st.integers(0, 2**32 - 1), wiggle=st.booleans())
def test_synthetic_tracts_tile_the_box(n, seed, wiggle):
    geoids, polygons = synthetic_tracts(n, seed=seed, wiggle=wiggle, vertices=60)
    assert len(geoids) == len(polygons) == n == len(set(geoids))
    assert all(re.fullmatch(r"\d{11}", g) and g[:5] in COUNTY_FIPS and g[5:7] == "97" for g in geoids)
    assert shapely.is_valid(polygons).all()
    box = shapely.box(*TWIN_CITIES_BBOX)
    assert shapely.union_all(polygons).area == pytest.approx(box.area, rel=1e-9)
    # No pairwise overlaps: neighbours share borders only.
    tree = shapely.STRtree(polygons)
    left, right = tree.query(polygons, predicate="intersects")
    pairs = left < right
    overlap = shapely.area(shapely.intersection(polygons[left[pairs]], polygons[right[pairs]]))
    assert overlap.max(initial=0.0) < 1e-12 * box.area
    # Every interior point lies in exactly one tract.
    lon, lat = synthetic_points(200, TWIN_CITIES_BBOX, seed=seed)
    hits = tree.query(shapely.points(lon, lat), predicate="intersects")[0]
    assert np.bincount(hits, minlength=200).tolist() == [1] * 200


def test_synthetic_tracts_are_reproducible_and_wiggly():
    a = synthetic_tracts(40, seed=9)
    b = synthetic_tracts(40, seed=9)
    assert a.geoids == b.geoids
    assert all(x.equals_exact(y, tolerance=0) for x, y in zip(a.polygons, b.polygons, strict=True))
    plain = synthetic_tracts(40, seed=9, wiggle=False)
    assert shapely.get_num_coordinates(plain.polygons).mean() < 12
    assert shapely.get_num_coordinates(a.polygons).mean() > 150


def test_synthetic_tracts_refuse_nonsense():
    with pytest.raises(ValueError, match="at least 1"):
        synthetic_tracts(0)
    with pytest.raises(ValueError, match="bbox"):
        synthetic_tracts(3, bbox=(0, 0, -1, 1))


@pytest.mark.parametrize(("vertices", "expected"), [(7, 8), (200, 200)])
def test_synthetic_national_tiles_its_box_with_the_vertex_count_asked(vertices, expected):
    bbox = (-100.0, 40.0, -90.0, 45.0)
    geoids, polygons = synthetic_national(600, vertices=vertices, seed=4, bbox=bbox)
    assert len(set(geoids)) == 600 and all(re.fullmatch(r"99\d{9}", g) for g in geoids)
    assert shapely.is_valid(polygons).all()
    assert (shapely.get_num_coordinates(polygons) == expected + 1).all()  # + the closing vertex
    total = shapely.area(polygons).sum()
    assert shapely.union_all(polygons).area == pytest.approx(total, rel=1e-9)


def test_synthetic_points_are_in_the_box_and_reproducible():
    lon, lat = synthetic_points(1000, (-94, 44, -93, 45), seed=7)
    assert ((lon >= -94) & (lon <= -93) & (lat >= 44) & (lat <= 45)).all()
    assert np.array_equal(lon, synthetic_points(1000, (-94, 44, -93, 45), seed=7)[0])
    assert not np.array_equal(lon, synthetic_points(1000, (-94, 44, -93, 45), seed=8)[0])
