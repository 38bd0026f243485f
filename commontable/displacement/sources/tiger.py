"""Census tract boundaries from a TIGER/Line file (zipped shapefile) or GeoJSON (spec §3.4).

`read_tracts` reads the 2020 file (`tl_2020_27_tract.zip`: GEOID, ALAND, AWATER, NAMELSAD, …), the
2010 one with suffixed fields (`GEOID10`, `ALAND10`, …) or a GeoJSON with the same properties,
through pyogrio (GDAL) without geopandas. Coordinates in NAD83 (EPSG:4269) are converted to WGS84
(EPSG:4326); any other coordinate system is refused with its name. Water-only tracts (TRACTCE 99xxxx
with no land) are left out and counted. Invalid polygons are refused, each named with its GEOID and
GEOS's reason, unless the caller asks for `repair=True`.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass

import numpy as np
import shapely
from django.utils.translation import gettext as _

from ._files import MB, Source, is_zip, read_source
from .errors import Problem, ProblemList, SourceError

DEFAULT_MAX_BYTES = 512 * MB
ACCEPTED_EPSG = (4269, 4326)
DISPLAY_TOLERANCE = 0.0002  # degrees, about 20 m: the map's simplification (stack notes §5.1)
DISPLAY_PRECISION = 5  # decimals, about 1 m


@dataclass
class TractGeometries:
    """Tract boundaries in WGS84, one entry per tract (water-only tracts left out), in GEOID order.

    `aland` / `awater` are m² from the file; `names` the NAMELSAD ("Census Tract 1.01") or NAME;
    `polygons` a numpy array of shapely (Multi)Polygons; `water_only_excluded` the GEOIDs left out.
    """

    geography_year: int
    geoids: np.ndarray
    names: np.ndarray
    county_fips: np.ndarray
    aland: np.ndarray
    awater: np.ndarray
    polygons: np.ndarray
    water_only_excluded: tuple[str, ...] = ()
    repaired: tuple[str, ...] = ()
    source_name: str = ""

    def __len__(self) -> int:
        return len(self.geoids)

    def display_geojson(self, tolerance: float = DISPLAY_TOLERANCE, precision: int = DISPLAY_PRECISION,
                        *, as_bytes: bool = False) -> dict | bytes:
        """A FeatureCollection for the map: simplified as a coverage (neighbours keep one shared border)
        and rounded to `precision` decimals; properties geoid, name, county. Bytes are compact JSON."""
        simplified = shapely.coverage_simplify(self.polygons, tolerance) if tolerance else self.polygons
        rounded = shapely.set_precision(simplified, 10.0 ** -precision, mode="pointwise")
        features = []
        for geoid, name, county, geom in zip(self.geoids.tolist(), self.names.tolist(),
                                             self.county_fips.tolist(), rounded, strict=True):
            features.append({"type": "Feature", "id": geoid,
                             "properties": {"geoid": geoid, "name": name, "county": county},
                             "geometry": json.loads(shapely.to_geojson(geom))})
        collection = {"type": "FeatureCollection", "features": features}
        if as_bytes:
            return json.dumps(collection, separators=(",", ":"), ensure_ascii=False).encode()
        return collection


def _field(names: list[str], base: str) -> str | None:
    for candidate in (base, f"{base}20", f"{base}10"):
        if candidate in names:
            return candidate
    return None


def _geography_year(fields: list[str], name: str, given: int | None) -> int:
    if given:
        return int(given)
    if "GEOID10" in fields or "tract10" in name.lower() or "_2010_" in name:
        return 2010
    return 2020


def read_tracts(source: Source, *, name: str | None = None, geography_year: int | None = None,
                repair: bool = False, max_bytes: int = DEFAULT_MAX_BYTES) -> TractGeometries:
    """Read tract boundaries (zipped shapefile, or GeoJSON) → `TractGeometries` in WGS84.

    `geography_year` (2010 or 2020) is taken from the fields (GEOID10 → 2010) or the file name when
    not given. `repair=True` mends invalid polygons with `shapely.make_valid` instead of refusing them
    (the mended GEOIDs are listed in `repaired`).
    """
    import pyogrio.raw  # noqa: PLC0415 (GDAL is heavy: loaded only when a boundary file is read)
    from pyproj import CRS, Transformer  # noqa: PLC0415

    data, name = read_source(source, name=name, max_bytes=max_bytes)
    problems = ProblemList(file=name)
    suffix = ".zip" if is_zip(data) else ".geojson"
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "tracts" + suffix)
        with open(path, "wb") as fh:
            fh.write(data)
        gdal_path = f"/vsizip/{path}" if suffix == ".zip" else path
        try:
            layers = pyogrio.list_layers(gdal_path)
            meta, _fids, wkb, field_data = pyogrio.raw.read(gdal_path, layer=layers[0][0] if len(layers) else None)
        except Exception as exc:  # GDAL raises several types for unreadable input
            raise SourceError([Problem(_("The boundary file could not be read (%(error)s). Use the Census "
                                         "Bureau's TIGER/Line tract ZIP as downloaded, or a GeoJSON file.")
                                       % {"error": str(exc).splitlines()[0][:200]}, file=name)]) from None
    fields = [str(f) for f in meta["fields"]]
    values = dict(zip(fields, field_data, strict=True))
    crs_text = meta.get("crs")
    epsg = None
    found = crs_text or _("none (the .prj file is missing)")
    if crs_text:
        try:
            crs = CRS.from_user_input(crs_text)
            epsg = crs.to_epsg()
            found = f"{crs.name} ({crs_text})"
        except Exception:  # noqa: BLE001 (an unparseable definition is named as written)
            epsg = None
    if epsg not in ACCEPTED_EPSG:
        problems.add(_("The boundaries use the coordinate system %(crs)s. Only NAD83 (EPSG:4269, as in "
                       "TIGER/Line files) and WGS84 (EPSG:4326) are accepted; use the Census Bureau's file "
                       "as downloaded.") % {"crs": found})
    geoid_field = _field(fields, "GEOID")
    if geoid_field is None:
        problems.add(_("The file has no GEOID field (GEOID, GEOID20 or GEOID10). Is it a census tract file?"))
    problems.raise_if_any()
    year = _geography_year(fields, name, geography_year)
    geoids = np.array([str(g or "").strip() for g in values[geoid_field]], dtype=str)
    n = len(geoids)
    if n == 0:
        raise SourceError([Problem(_("The file holds no tracts."), file=name)])
    bad_len = np.flatnonzero((np.char.str_len(geoids) != 11) | ~np.char.isdigit(geoids))
    for i in bad_len[:50].tolist():
        problems.add(_("Feature %(n)s has the GEOID %(geoid)s, which is not an 11-digit tract GEOID.")
                     % {"n": i + 1, "geoid": repr(str(geoids[i]))}, row=i + 1, column=geoid_field)
    uniq, counts = np.unique(geoids, return_counts=True)
    for g in uniq[counts > 1][:50].tolist():
        problems.add(_("Tract %(geoid)s appears more than once.") % {"geoid": g}, column=geoid_field)

    def column(base: str, default) -> np.ndarray:
        f = _field(fields, base)
        return np.asarray(values[f]) if f else np.full(n, default)

    aland = np.asarray(column("ALAND", 0), dtype=np.float64)
    awater = np.asarray(column("AWATER", 0), dtype=np.float64)
    names = np.array([str(x) for x in (column("NAMELSAD", "") if _field(fields, "NAMELSAD") else
                                       column("NAME", ""))], dtype=str)
    tractce = np.array([str(x) for x in column("TRACTCE", "")], dtype=str)
    tractce = np.where(np.char.str_len(tractce) == 6, tractce, np.array([g[5:] for g in geoids.tolist()]))
    water_only = np.char.startswith(tractce, "99") & (aland == 0)

    geoms = shapely.from_wkb(np.asarray(wkb, dtype=object)) if wkb is not None else np.full(n, None)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    for i in np.flatnonzero(missing & ~water_only)[:50].tolist():
        problems.add(_("Tract %(geoid)s has no boundary (no geometry).") % {"geoid": geoids[i]}, row=i + 1)
    types = shapely.get_type_id(geoms)
    not_polygon = ~missing & ~np.isin(types, (3, 6))
    for i in np.flatnonzero(not_polygon)[:50].tolist():
        problems.add(_("Tract %(geoid)s is a %(kind)s, not a polygon.")
                     % {"geoid": geoids[i], "kind": geoms[i].geom_type}, row=i + 1)
    keep = ~water_only
    repaired: list[str] = []
    invalid = keep & ~missing & ~not_polygon & ~shapely.is_valid(geoms)
    if invalid.any():
        if repair:
            geoms[invalid] = shapely.make_valid(geoms[invalid])
            repaired = geoids[invalid].tolist()
        else:
            reasons = shapely.is_valid_reason(geoms[invalid])
            for g, reason in zip(geoids[invalid][:50].tolist(), reasons[:50].tolist(), strict=True):
                problems.add(_("The boundary of tract %(geoid)s is not a valid polygon: %(reason)s. Use the "
                               "Census Bureau's file as downloaded, or ask for a repair.")
                             % {"geoid": g, "reason": reason})
    problems.raise_if_any()
    if epsg == 4269:
        transformer = Transformer.from_crs(4269, 4326, always_xy=True)
        geoms = shapely.transform(geoms, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))
    excluded = tuple(sorted(geoids[water_only].tolist()))
    order = np.argsort(geoids[keep], kind="stable")
    sel = np.flatnonzero(keep)[order]
    return TractGeometries(
        geography_year=year, geoids=geoids[sel], names=names[sel],
        county_fips=np.array([g[:5] for g in geoids[sel].tolist()], dtype=str),
        aland=aland[sel], awater=awater[sel], polygons=geoms[sel], water_only_excluded=excluded,
        repaired=tuple(repaired), source_name=name,
    )
