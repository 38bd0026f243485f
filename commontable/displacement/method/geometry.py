"""Tract geometry: projections, a tract index kept in memory, centroids and the map layer (GeoJSON).

Pure functions over shapely 2 arrays; no Django here. Coordinates are longitude/latitude (WGS84,
EPSG:4326, x = longitude) unless a name says `utm`: NAD83 / UTM zone 15N (EPSG:26915), in metres,
which is where buffers, areas and distances are measured (spec §3.4).

NAD83 and WGS84 differ by about a metre in the Twin Cities; like the spec, we treat TIGER's NAD83
(EPSG:4269) coordinates as WGS84 for display and point lookups.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Mapping, Sequence
from functools import cache, cached_property
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer

WGS84 = "EPSG:4326"
UTM15N = "EPSG:26915"  # NAD83 / UTM zone 15N, metres

__all__ = [
    "UTM15N",
    "WGS84",
    "TractIndex",
    "centroids",
    "display_geojson",
    "gzip_size",
    "lonlat_to_utm",
    "to_utm",
    "to_wgs84",
    "utm_to_lonlat",
]


@cache
def _transformer(source: str, target: str) -> Transformer:
    # always_xy: (longitude, latitude) in, (easting, northing) out, whatever the CRS axis order says.
    return Transformer.from_crs(source, target, always_xy=True)


def _transform_geoms(geoms, source: str, target: str) -> np.ndarray:
    transformer = _transformer(source, target)

    def project(coords: np.ndarray) -> np.ndarray:
        if not len(coords):
            return coords
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    # One vectorised pass over every coordinate of every geometry (shapely hands us an (N, 2) array).
    return shapely.transform(np.asarray(geoms, dtype=object), project)


def to_utm(geoms) -> np.ndarray:
    """Project geometries from longitude/latitude (EPSG:4326) to UTM 15N metres (EPSG:26915)."""
    return _transform_geoms(geoms, WGS84, UTM15N)


def to_wgs84(geoms) -> np.ndarray:
    """Project geometries from UTM 15N metres (EPSG:26915) back to longitude/latitude (EPSG:4326)."""
    return _transform_geoms(geoms, UTM15N, WGS84)


def lonlat_to_utm(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Arrays of longitude/latitude → arrays of easting/northing in metres (EPSG:26915)."""
    x, y = _transformer(WGS84, UTM15N).transform(np.asarray(lon, float), np.asarray(lat, float))
    return np.asarray(x, float), np.asarray(y, float)


def utm_to_lonlat(x, y) -> tuple[np.ndarray, np.ndarray]:
    """Arrays of easting/northing (EPSG:26915) → arrays of longitude/latitude."""
    lon, lat = _transformer(UTM15N, WGS84).transform(np.asarray(x, float), np.asarray(y, float))
    return np.asarray(lon, float), np.asarray(lat, float)


def centroids(polygons_wgs84) -> tuple[np.ndarray, np.ndarray]:
    """(lon, lat) of each polygon's centroid, computed in metres (UTM 15N) and projected back.

    A centroid can fall outside a crescent-shaped tract; use `shapely.point_on_surface` for a label
    point that must lie inside.
    """
    centres = shapely.centroid(to_utm(polygons_wgs84))
    lon, lat = utm_to_lonlat(shapely.get_x(centres), shapely.get_y(centres))
    return lon, lat


def _check_tracts(geoids: Sequence[str], polygons) -> tuple[np.ndarray, np.ndarray]:
    ids = np.asarray([str(g) for g in geoids], dtype=object)
    polys = np.array(polygons, dtype=object)  # a copy: repairs below must not touch the caller's array
    if polys.ndim != 1 or len(ids) != len(polys):
        raise ValueError(f"{len(ids)} tract GEOIDs but {polys.size} polygons: they must pair one to one.")
    if len(set(ids.tolist())) != len(ids):
        seen: set[str] = set()
        dupes = sorted({g for g in ids.tolist() if g in seen or seen.add(g)})
        raise ValueError(f"Tract GEOIDs must be unique; repeated: {', '.join(dupes[:5])}.")
    if "" in set(ids.tolist()):
        raise ValueError("A tract has an empty GEOID.")
    is_geometry = np.array([isinstance(p, shapely.Geometry) for p in polys.tolist()], dtype=bool)
    polygonal = np.zeros(len(polys), dtype=bool)
    polygonal[is_geometry] = np.isin(shapely.get_type_id(polys[is_geometry]), (3, 6))  # (Multi)Polygon
    if not polygonal.all():
        k = int(np.flatnonzero(~polygonal)[0])
        kind = type(polys[k]).__name__ if polys[k] is not None else "nothing"
        raise ValueError(f"Tract {ids[k]}: expected a Polygon or MultiPolygon, got {kind}.")
    empty = shapely.is_empty(polys)
    if empty.any():
        raise ValueError(f"Tract {ids[int(np.flatnonzero(empty)[0])]}: its polygon is empty.")
    invalid = ~shapely.is_valid(polys)
    if invalid.any():
        # Repair rather than refuse (a stray self-touching ring in a boundary file should not stop a
        # load), keeping only the polygonal part of the repair.
        fixed = shapely.make_valid(polys[invalid])
        for k, geom in zip(np.flatnonzero(invalid).tolist(), fixed.tolist(), strict=True):
            if isinstance(geom, shapely.GeometryCollection):
                parts = [
                    g
                    for g in shapely.get_parts(geom)
                    if isinstance(g, shapely.Polygon | shapely.MultiPolygon)
                ]
                geom = shapely.union_all(parts) if parts else shapely.Polygon()
            if geom.is_empty or not isinstance(geom, shapely.Polygon | shapely.MultiPolygon):
                raise ValueError(f"Tract {ids[k]}: its polygon is not valid and could not be repaired.")
            polys[k] = geom
    return ids, polys


class TractIndex:
    """The tracts of a region (or the nation), indexed once and kept in memory by the app.

    - `geoids`, `polygons` (lon/lat), `polygons_utm` (metres) and `areas_m2` keep the caller's order;
      every per-tract array returned by `overlay` uses the same order (position `i` = `geoids[i]`).
    - `tree` is an STRtree over the lon/lat polygons, used for point lookups (a point on a border in
      the source coordinates stays on it; projecting first would move it by up to a metre or two
      off a long straight border, and the tie would be lost).
    - `tree_utm` is an STRtree over the polygons projected to EPSG:26915, used for buffers in metres.
      The projection runs once, on first use (`prepare_metric()` forces it).
    - `rank[i]` is tract `i`'s position in GEOID order, so "the lowest GEOID" is the lowest rank.
    """

    def __init__(self, geoids: Sequence[str], polygons_wgs84, *, polygons_utm=None) -> None:
        self.geoids, self.polygons = _check_tracts(geoids, polygons_wgs84)
        self._position = {g: i for i, g in enumerate(self.geoids.tolist())}
        order = np.argsort(self.geoids.astype(str), kind="stable")
        self.rank = np.empty(len(order), dtype=np.int64)
        self.rank[order] = np.arange(len(order))
        shapely.prepare(self.polygons)
        self.tree = shapely.STRtree(self.polygons)
        if polygons_utm is not None:
            utm = np.asarray(polygons_utm, dtype=object)
            if utm.shape != self.polygons.shape:
                raise ValueError("polygons_utm must pair one to one with the tracts.")
            self.__dict__["polygons_utm"] = utm

    def __len__(self) -> int:
        return len(self.geoids)

    def position(self, geoid: str) -> int:
        """The position of a tract in every per-tract array; KeyError for an unknown GEOID."""
        return self._position[geoid]

    @cached_property
    def polygons_utm(self) -> np.ndarray:
        utm = to_utm(self.polygons)
        invalid = ~shapely.is_valid(utm)
        if invalid.any():  # a sliver can fold under projection; repair it the same way
            utm[invalid] = shapely.make_valid(utm[invalid])
        return utm

    @cached_property
    def tree_utm(self) -> shapely.STRtree:
        shapely.prepare(self.polygons_utm)
        return shapely.STRtree(self.polygons_utm)

    @cached_property
    def areas_m2(self) -> np.ndarray:
        return shapely.area(self.polygons_utm)

    @cached_property
    def bounds(self) -> np.ndarray:
        """(minx, miny, maxx, maxy) per tract, in lon/lat."""
        return shapely.bounds(self.polygons)

    @cached_property
    def centroids(self) -> tuple[np.ndarray, np.ndarray]:
        """(lon, lat) per tract, centroids computed in metres."""
        centres = shapely.centroid(self.polygons_utm)
        return utm_to_lonlat(shapely.get_x(centres), shapely.get_y(centres))

    def prepare_metric(self) -> TractIndex:
        """Project to UTM and build the metric tree now (e.g. at start-up), not on the first overlay."""
        _ = self.tree_utm, self.areas_m2
        return self


# --- the map layer -----------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None  # NaN and inf are not JSON
    if isinstance(value, Mapping):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_json_value(v) for v in value]
    return value


def _feature_properties(properties, n: int) -> list[dict[str, Any]]:
    if properties is None:
        return [{} for _ in range(n)]
    if isinstance(properties, Mapping):  # columns: name → sequence of n values
        columns = {str(k): list(v) for k, v in properties.items()}
        for name, values in columns.items():
            if len(values) != n:
                raise ValueError(f"Property {name!r} has {len(values)} values for {n} tracts.")
        return [{name: values[i] for name, values in columns.items()} for i in range(n)]
    rows = list(properties)
    if len(rows) != n:
        raise ValueError(f"{len(rows)} property rows for {n} tracts.")
    return [dict(row) for row in rows]


def _simplify(polygons: np.ndarray, tolerance: float) -> np.ndarray:
    if tolerance <= 0:
        return polygons
    if shapely.coverage_is_valid(polygons):
        # Simplifies each shared border once, so neighbours keep the same border (no slivers, no gaps).
        return shapely.coverage_simplify(polygons, tolerance, simplify_boundary=True)
    # Not a coverage (tracts overlap or almost meet): simplify each polygon on its own instead, which
    # keeps each one valid but lets neighbouring borders drift apart by up to the tolerance.
    return shapely.simplify(polygons, tolerance, preserve_topology=True)


def display_geojson(
    geoids: Sequence[str],
    polygons,
    properties=None,
    tolerance: float = 0.0002,
    precision: int = 5,
) -> bytes:
    """A compact GeoJSON FeatureCollection (UTF-8 bytes) of tract polygons, for the map.

    - `polygons` are lon/lat; they are simplified together (`shapely.coverage_simplify`, tolerance in
      degrees, 0.0002° ≈ 20 m) so that shared borders stay shared, then rounded to `precision`
      decimals (5 ≈ 1 m). `tolerance=0` skips simplification.
    - `properties` is None, a sequence of one dict per tract, or a mapping of column name → values;
      each feature gets `id` = GEOID and `properties.geoid` plus those values (NaN becomes null).
    - Cartographic use only: look points up in `TractIndex`, which keeps the full boundaries.
    """
    ids = [str(g) for g in geoids]
    polys = np.asarray(polygons, dtype=object)
    if len(ids) != len(polys):
        raise ValueError(f"{len(ids)} GEOIDs but {len(polys)} polygons.")
    props = _feature_properties(properties, len(ids))
    simplified = _simplify(polys, tolerance)
    rounded = shapely.transform(simplified, lambda c: np.round(c, precision))
    # Rounding can leave repeated vertices; drop them (keeps the file small, rings stay closed).
    rounded = shapely.remove_repeated_points(rounded)
    geometry_json = shapely.to_geojson(rounded)
    parts = []
    for geoid, row, geometry in zip(ids, props, geometry_json.tolist(), strict=True):
        feature_props = {"geoid": geoid, **_json_value(row)}
        props_json = json.dumps(feature_props, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        geometry_text = geometry if geometry is not None else "null"
        parts.append(
            f'{{"type":"Feature","id":{json.dumps(geoid)},"properties":{props_json},"geometry":{geometry_text}}}'
        )
    return ('{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}").encode()


def gzip_size(payload: bytes, level: int = 6) -> int:
    """Bytes after gzip at the level a web server typically uses (for size budgets)."""
    return len(gzip.compress(payload, compresslevel=level, mtime=0))
