"""TIGER/Line tract boundaries: zipped shapefiles (2020 and 2010 fields), GeoJSON, projections, bad polygons.

Fixtures are invented squares in Minnesota, written with pyogrio into tmp_path (binary files are not
committed).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pyogrio.raw
import pytest
import shapely

from commontable.displacement.sources.errors import SourceError
from commontable.displacement.sources.tiger import read_tracts

LON0, LAT0, SIZE = -93.30, 44.95, 0.01


def squares(n: int) -> list:
    return [shapely.box(LON0 + SIZE * i, LAT0, LON0 + SIZE * (i + 1), LAT0 + SIZE) for i in range(n)]


def write_shapefile_zip(tmp_path: Path, *, geoms, geoids, aland=None, crs="EPSG:4269", suffix="",
                        stem="tl_2020_27_tract", prj=True) -> Path:
    n = len(geoids)
    aland = aland if aland is not None else [1_000_000] * n
    fields = [
        np.array(geoids, dtype=object),
        np.array([g[5:] for g in geoids], dtype=object),
        np.array([f"Census Tract {int(g[5:]) / 100:g}" for g in geoids], dtype=object),
        np.array(aland, dtype=np.int64),
        np.array([0] * n, dtype=np.int64),
    ]
    names = [f"GEOID{suffix}", f"TRACTCE{suffix}", f"NAMELSAD{suffix}", f"ALAND{suffix}", f"AWATER{suffix}"]
    folder = tmp_path / stem
    folder.mkdir()
    wkb = np.array([None if g is None else shapely.to_wkb(g) for g in geoms], dtype=object)
    pyogrio.raw.write(str(folder / f"{stem}.shp"), wkb, fields, names, geometry_type="Polygon", crs=crs,
                      driver="ESRI Shapefile")
    archive = tmp_path / f"{stem}.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in folder.iterdir():
            if prj or f.suffix != ".prj":
                zf.write(f, f.name)
    return archive


def test_2020_shapefile_is_read_in_wgs84_with_water_only_tracts_left_out(tmp_path):
    archive = write_shapefile_zip(tmp_path, geoms=squares(3), geoids=["27053000101", "27053000102", "27053990000"],
                                  aland=[1_000_000, 2_000_000, 0])
    tracts = read_tracts(archive)
    assert tracts.geography_year == 2020
    assert tracts.geoids.tolist() == ["27053000101", "27053000102"]
    assert tracts.water_only_excluded == ("27053990000",)
    assert tracts.county_fips.tolist() == ["27053", "27053"]
    assert tracts.aland.tolist() == [1_000_000, 2_000_000]
    assert tracts.names[0] == "Census Tract 1.01"
    minx, miny, _maxx, _maxy = shapely.bounds(tracts.polygons[0])
    # NAD83 → WGS84 moves Minnesota by well under a metre: still the same square.
    assert (minx, miny) == pytest.approx((LON0, LAT0), abs=1e-5)


def test_2010_suffixed_fields_are_read(tmp_path):
    archive = write_shapefile_zip(tmp_path, geoms=squares(1), geoids=["27053000100"], suffix="10",
                                  stem="tl_2010_27_tract10")
    tracts = read_tracts(archive)
    assert tracts.geography_year == 2010 and tracts.geoids.tolist() == ["27053000100"]


def test_unknown_projection_is_refused_by_name(tmp_path):
    utm = [shapely.box(478000 + 1000 * i, 4978000, 479000 + 1000 * i, 4979000) for i in range(2)]
    archive = write_shapefile_zip(tmp_path, geoms=utm, geoids=["27053000101", "27053000102"], crs="EPSG:26915")
    with pytest.raises(SourceError) as exc:
        read_tracts(archive)
    assert "UTM zone 15N" in str(exc.value)


def test_missing_projection_file_is_refused(tmp_path):
    archive = write_shapefile_zip(tmp_path, geoms=squares(1), geoids=["27053000101"], prj=False)
    with pytest.raises(SourceError) as exc:
        read_tracts(archive)
    assert ".prj" in str(exc.value)


def test_invalid_polygons_are_named_with_the_reason_or_repaired_on_request(tmp_path):
    bowtie = shapely.Polygon([(LON0, LAT0), (LON0 + SIZE, LAT0 + SIZE), (LON0 + SIZE, LAT0), (LON0, LAT0 + SIZE)])
    archive = write_shapefile_zip(tmp_path, geoms=[squares(1)[0], bowtie], geoids=["27053000101", "27053000102"])
    with pytest.raises(SourceError) as exc:
        read_tracts(archive)
    assert "27053000102" in str(exc.value) and "Self-intersection" in str(exc.value)
    tracts = read_tracts(archive, repair=True)
    assert tracts.repaired == ("27053000102",)
    assert shapely.is_valid(tracts.polygons).all()


def test_tracts_without_geometry_are_refused(tmp_path):
    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"GEOID": "27053000101", "ALAND": 5, "AWATER": 0},
         "geometry": json.loads(shapely.to_geojson(squares(1)[0]))},
        {"type": "Feature", "properties": {"GEOID": "27053000102", "ALAND": 5, "AWATER": 0}, "geometry": None},
    ]}
    with pytest.raises(SourceError) as exc:
        read_tracts(json.dumps(geojson).encode(), name="tracts.geojson")
    assert "27053000102" in str(exc.value) and "no boundary" in str(exc.value)


def test_geojson_is_read_and_wrong_geoids_refused():
    features = [{"type": "Feature", "properties": {"GEOID": g, "ALAND": 5, "AWATER": 0, "NAME": "1"},
                 "geometry": json.loads(shapely.to_geojson(p))}
                for g, p in zip(["27053000101", "27053000102"], squares(2), strict=True)]
    tracts = read_tracts(json.dumps({"type": "FeatureCollection", "features": features}).encode(), name="t.geojson")
    assert len(tracts) == 2
    features[1]["properties"]["GEOID"] = "2705300010"
    with pytest.raises(SourceError) as exc:
        read_tracts(json.dumps({"type": "FeatureCollection", "features": features}).encode(), name="t.geojson")
    assert "2705300010" in str(exc.value)


def test_display_geojson_is_compact_rounded_and_keeps_shared_borders(tmp_path):
    wiggly = []
    for i in range(2):
        x0, x1 = LON0 + SIZE * i, LON0 + SIZE * (i + 1)
        # many nearly collinear points along the shared edge, so simplification has work to do
        edge = [(x1, LAT0 + SIZE * k / 50) for k in range(51)]
        left = [(x0, LAT0 + SIZE * k / 50) for k in range(51)]
        wiggly.append(shapely.Polygon([*edge, *reversed(left)]))
    archive = write_shapefile_zip(tmp_path, geoms=wiggly, geoids=["27053000101", "27053000102"])
    tracts = read_tracts(archive)
    raw = tracts.display_geojson(as_bytes=True)
    assert b" " not in raw.replace(b"Census Tract ", b"")  # names aside, no spaces
    doc = json.loads(raw)
    assert [f["properties"]["geoid"] for f in doc["features"]] == ["27053000101", "27053000102"]
    coords = [c for f in doc["features"] for c in f["geometry"]["coordinates"][0]]
    assert all(round(x, 5) == x and round(y, 5) == y for x, y in coords)
    a, b = (shapely.from_geojson(json.dumps(f["geometry"])) for f in doc["features"])
    assert shapely.intersection(a, b).length == pytest.approx(SIZE, rel=1e-3)  # shared border kept
    assert shapely.area(shapely.intersection(a, b)) == pytest.approx(0, abs=1e-12)  # no overlap
    assert sum(len(f["geometry"]["coordinates"][0]) for f in doc["features"]) < 2 * 102
