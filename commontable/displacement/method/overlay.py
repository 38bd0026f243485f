"""The public-investment overlay (spec §6.4): which tract a point is in, which tracts a project's
buffer reaches, the alert tiers, and rough per-project population counts. Pure numpy/shapely.

Per-tract arrays are in the order of the `TractIndex` (position i = `index.geoids[i]`); per-project
arrays are in the order the projects were passed (project index p).

Buffers are drawn in metres in NAD83 / UTM 15N (EPSG:26915), never in degrees.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import shapely

from .geometry import TractIndex, to_utm

HALF_MILE_M = 804.672  # UDP's rail buffer
QUARTER_MILE_M = 402.336  # bus and small projects
BUFFER_QUAD_SEGS = 16  # 64-gon circles: area within 0.2 % of πr² (8 would be 0.6 % short)

# A suggested mapping for Common Table's investment kinds (the caller passes its own `radii`).
DEFAULT_RADII_M: dict[str, float] = {
    "transit_line": HALF_MILE_M,
    "transit_station": HALF_MILE_M,
    "stadium": HALF_MILE_M,
    "park": HALF_MILE_M,
    "mixed_use": HALF_MILE_M,
    "commercial": HALF_MILE_M,
    "bus": QUARTER_MILE_M,
    "bus_stop": QUARTER_MILE_M,
    "road": QUARTER_MILE_M,
    "housing": QUARTER_MILE_M,
    "climate": QUARTER_MILE_M,
    "water": QUARTER_MILE_M,
    "public_building": QUARTER_MILE_M,
    "other": QUARTER_MILE_M,
}

TYPOLOGY_CODES = frozenset(
    {"LISD", "OD", "ARG", "EOG", "AdvG", "SMMI", "ARE", "BE", "SAE", "STUDENT", "UNAVAILABLE"}
)
TIER1_CODES = frozenset({"OD", "ARG", "EOG"})
TIER2_CODES = frozenset({"LISD"})
TIER3_CODES = frozenset({"ARE", "BE"})

ALLOWED_GEOMETRIES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")

APPROXIMATION_NOTE = "Approximation: tract counts spread evenly over each tract's area (area-weighted), not block-level counts."


# --- points → tracts ---------------------------------------------------------------------------


class PointAssignment(NamedTuple):
    geoid: np.ndarray  # object array: the tract's GEOID, or None when the point is in no tract
    boundary_tie: np.ndarray  # bool: the point touches more than one tract (lowest GEOID chosen)


def assign_point_positions(
    index: TractIndex, lon, lat, *, tie_tolerance_deg: float = 1e-7
) -> tuple[np.ndarray, np.ndarray]:
    """Like `assign_points`, but returns tract positions (-1 = in no tract) instead of GEOIDs."""
    lon = np.asarray(lon, dtype=float).ravel()
    lat = np.asarray(lat, dtype=float).ravel()
    if lon.shape != lat.shape:
        raise ValueError(f"{lon.size} longitudes but {lat.size} latitudes.")
    positions = np.full(lon.size, -1, dtype=np.int64)
    ties = np.zeros(lon.size, dtype=bool)
    usable = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180) & (np.abs(lat) <= 90)
    if not usable.any() or len(index) == 0:
        return positions, ties
    which = np.flatnonzero(usable)
    points = shapely.points(lon[which], lat[which])
    if tie_tolerance_deg > 0:
        # Within ≈1 cm counts as touching: a point computed on a slanted border lands a rounding
        # error to one side of it, and should still be a tie.
        pairs = index.tree.query(points, predicate="dwithin", distance=tie_tolerance_deg)
    else:
        pairs = index.tree.query(points, predicate="intersects")
    point_i, tract_i = pairs
    if point_i.size:
        # Lowest GEOID wins: take the minimum rank per point.
        ranks = index.rank[tract_i]
        best = np.full(which.size, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(best, point_i, ranks)
        hit = best != np.iinfo(np.int64).max
        by_rank = np.empty(len(index), dtype=np.int64)
        by_rank[index.rank] = np.arange(len(index))
        positions[which[hit]] = by_rank[best[hit]]
        ties[which] = np.bincount(point_i, minlength=which.size) > 1
    return positions, ties


def assign_points(index: TractIndex, lon, lat, *, tie_tolerance_deg: float = 1e-7) -> PointAssignment:
    """The tract each point (lon/lat arrays) falls in.

    A point on a border or corner touches several tracts: it goes to the lowest GEOID, and its
    `boundary_tie` is True. A point in no tract (outside the region, in a gap such as excluded
    water, or with missing/out-of-range coordinates) gets None. Tested against the tracts' own
    lon/lat boundaries, with `tie_tolerance_deg` (1e-7° ≈ 1 cm) counted as touching; 0 = exact.
    """
    positions, ties = assign_point_positions(index, lon, lat, tie_tolerance_deg=tie_tolerance_deg)
    geoids = np.full(positions.size, None, dtype=object)
    found = positions >= 0
    geoids[found] = index.geoids[positions[found]]
    return PointAssignment(geoids, ties)


# --- projects → buffers → tracts ---------------------------------------------------------------


def _label(project_ids, p: int) -> str:
    return f"Project {project_ids[p]!s}" if project_ids is not None else f"Project #{p}"


def parse_project_geometry(geometry: Any, label: str = "Project") -> shapely.Geometry | None:
    """A GeoJSON geometry (dict, JSON text or shapely geometry, lon/lat) → shapely, checked.

    Returns None for a missing or empty geometry (a project not yet placed on the map). Raises
    ValueError, naming the project, for anything else that cannot be buffered.
    """
    if geometry is None:
        return None
    try:
        if isinstance(geometry, shapely.Geometry):
            geom = geometry
        elif isinstance(geometry, str | bytes):
            if not geometry.strip():
                return None
            geom = shapely.from_geojson(geometry)
        elif isinstance(geometry, Mapping):
            kind = geometry.get("type")
            if kind not in ALLOWED_GEOMETRIES:
                raise ValueError(
                    f"{label}: geometry type {kind!r} is not one of {', '.join(ALLOWED_GEOMETRIES)}."
                )
            if not geometry.get("coordinates"):
                return None
            geom = shapely.from_geojson(json.dumps(dict(geometry)))
        else:
            raise ValueError(f"{label}: expected a GeoJSON geometry, got {type(geometry).__name__}.")
    except ValueError:
        raise
    except (shapely.errors.GEOSException, shapely.errors.ShapelyError, TypeError, KeyError) as exc:
        raise ValueError(f"{label}: the geometry could not be read ({exc}).") from exc
    if geom.geom_type not in ALLOWED_GEOMETRIES:
        raise ValueError(
            f"{label}: geometry type {geom.geom_type} is not one of {', '.join(ALLOWED_GEOMETRIES)}."
        )
    if geom.is_empty:
        return None
    coords = shapely.get_coordinates(geom)
    if not np.isfinite(coords).all():
        raise ValueError(f"{label}: the geometry has a missing (NaN) coordinate.")
    if (np.abs(coords[:, 0]) > 180).any() or (np.abs(coords[:, 1]) > 90).any():
        raise ValueError(
            f"{label}: coordinates are outside longitude/latitude range "
            "(are they projected, or latitude and longitude swapped?)."
        )
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        raise ValueError(f"{label}: the geometry is not valid ({reason}); fix the shape and try again.")
    return geom


@dataclass
class Exposure:
    """What the project buffers reach. Arrays per tract (index order) unless noted."""

    exposed: np.ndarray  # bool: some buffer intersects the tract
    exposed_land_share: np.ndarray  # float: area(tract ∩ union of buffers) / area(tract)
    n_projects: np.ndarray  # int: projects whose buffer intersects the tract
    investment_usd: dict[str, np.ndarray]  # status → sum of the full cost of those projects
    # One row per (project, tract) pair whose buffer and tract intersect:
    pair_project: np.ndarray
    pair_tract: np.ndarray
    pair_area_m2: np.ndarray
    # Per project:
    buffers_utm: np.ndarray  # buffer polygon in EPSG:26915 (None when the project has no geometry)
    located: np.ndarray  # bool: the project has a geometry
    in_region: np.ndarray  # bool: its buffer reaches at least one tract
    geoids: np.ndarray = field(repr=False, default_factory=lambda: np.empty(0, dtype=object))

    def projects_for(self, tract_position: int) -> np.ndarray:
        """Indices of the projects behind a tract's exposure, ascending."""
        return np.unique(self.pair_project[self.pair_tract == tract_position])

    def projects_by_tract(self, mask=None) -> dict[str, list[int]]:
        """GEOID → project indices behind its exposure, for the exposed tracts (optionally only those
        where `mask` is True, e.g. `tiers == 1` for "tier-1 tracts and the investments behind them")."""
        keep = self.exposed if mask is None else (self.exposed & np.asarray(mask, dtype=bool))
        order = np.lexsort((self.pair_project, self.pair_tract))
        tracts, projects = self.pair_tract[order], self.pair_project[order]
        result: dict[str, list[int]] = {}
        for t, p in zip(tracts.tolist(), projects.tolist(), strict=True):
            if keep[t]:
                result.setdefault(str(self.geoids[t]), []).append(p)
        return result


def project_buffers(
    geometries: Sequence[Any],
    kinds: Sequence[str],
    *,
    radii: Mapping[str, float] | None = None,
    default_radius_m: float = HALF_MILE_M,
    project_ids: Sequence[Any] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(buffers in EPSG:26915, radius used in metres) per project; None where a project has no geometry."""
    n = len(geometries)
    if len(kinds) != n:
        raise ValueError(f"{n} project geometries but {len(kinds)} kinds.")
    if project_ids is not None and len(project_ids) != n:
        raise ValueError(f"{n} project geometries but {len(project_ids)} project ids.")
    radii = dict(DEFAULT_RADII_M if radii is None else radii)
    radius = np.array([float(radii.get(k, default_radius_m)) for k in kinds], dtype=float)
    bad = ~(np.isfinite(radius) & (radius >= 0))
    if bad.any():
        raise ValueError(
            f"{_label(project_ids, int(np.flatnonzero(bad)[0]))}: buffer radius must be ≥ 0 metres."
        )
    parsed = np.empty(n, dtype=object)
    for p, geometry in enumerate(geometries):
        parsed[p] = parse_project_geometry(geometry, _label(project_ids, p))
    located = np.array([g is not None for g in parsed.tolist()], dtype=bool)
    buffers = np.full(n, None, dtype=object)
    if located.any():
        utm = to_utm(parsed[located])
        buffers[located] = shapely.buffer(utm, radius[located], quad_segs=BUFFER_QUAD_SEGS)
    return buffers, radius


def project_exposure(
    index: TractIndex,
    geometries: Sequence[Any],
    kinds: Sequence[str],
    *,
    statuses: Sequence[str] | None = None,
    costs_usd: Sequence[float | None] | None = None,
    radii: Mapping[str, float] | None = None,
    default_radius_m: float = HALF_MILE_M,
    project_ids: Sequence[Any] | None = None,
) -> Exposure:
    """Buffer each project by the radius of its kind (metres) and measure what it reaches.

    `geometries`: GeoJSON geometries (dict or text) or shapely geometries, lon/lat; Point,
    LineString, Polygon or their Multi* forms. None/empty = not placed yet (skipped, `located` False).
    An unreadable or invalid geometry raises ValueError naming the project (`project_ids[p]`).
    `radii`: kind → metres (default `DEFAULT_RADII_M`); kinds not in it get `default_radius_m`.
    `investment_usd[status][t]` sums the full cost of every project of that status whose buffer
    reaches tract t (costs are not split between tracts, so the tract sums exceed the total);
    missing costs count as 0.
    """
    n = len(geometries)
    statuses = [""] * n if statuses is None else [str(s) for s in statuses]
    costs = (
        np.zeros(n) if costs_usd is None else np.array([np.nan if c is None else float(c) for c in costs_usd])
    )
    if len(statuses) != n or len(costs) != n:
        raise ValueError(f"{n} projects: statuses and costs must have one value per project.")
    buffers, _ = project_buffers(
        geometries, kinds, radii=radii, default_radius_m=default_radius_m, project_ids=project_ids
    )
    located = np.array([b is not None for b in buffers.tolist()], dtype=bool)
    n_tracts = len(index)
    located_idx = np.flatnonzero(located)
    if located_idx.size and n_tracts:
        proj_local, tract_i = index.tree_utm.query(buffers[located_idx], predicate="intersects")
        proj_i = located_idx[proj_local]
    else:
        proj_i = tract_i = np.empty(0, dtype=np.int64)

    # The piece of each buffer inside each tract it reaches. Shortcuts for the common cases keep
    # this cheap: a buffer wholly inside a tract is itself, a tract wholly inside a buffer is itself.
    bufs = buffers[proj_i]
    tracts = index.polygons_utm[tract_i]
    pieces = np.empty(proj_i.size, dtype=object)
    inside_tract = shapely.contains_properly(tracts, bufs) if proj_i.size else np.zeros(0, bool)
    pieces[inside_tract] = bufs[inside_tract]
    rest = ~inside_tract
    if rest.any():
        shapely.prepare(bufs[rest])
        covers = shapely.covers(bufs[rest], tracts[rest])
        rest_idx = np.flatnonzero(rest)
        pieces[rest_idx[covers]] = tracts[rest_idx[covers]]
        cut = rest_idx[~covers]
        if cut.size:
            pieces[cut] = shapely.intersection(bufs[cut], tracts[cut])
    pair_area = shapely.area(pieces) if proj_i.size else np.zeros(0)

    exposed = np.zeros(n_tracts, dtype=bool)
    exposed[tract_i] = True
    n_projects = np.bincount(tract_i, minlength=n_tracts).astype(np.int64)

    # Share of each tract inside the union of the buffers that reach it (overlaps counted once).
    covered = np.zeros(n_tracts)
    order = np.argsort(tract_i, kind="stable")
    starts = np.searchsorted(tract_i[order], np.arange(n_tracts + 1))
    for t in np.flatnonzero(n_projects).tolist():
        group = order[starts[t] : starts[t + 1]]
        if group.size == 1:
            covered[t] = pair_area[group[0]]
        else:
            covered[t] = shapely.area(shapely.union_all(pieces[group]))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(index.areas_m2 > 0, np.minimum(covered / index.areas_m2, 1.0), 0.0)

    investment: dict[str, np.ndarray] = {}
    cost_known = np.where(np.isfinite(costs), costs, 0.0)
    status_arr = np.array(statuses, dtype=object)
    for status in dict.fromkeys(statuses):
        mine = status_arr[proj_i] == status
        investment[status] = np.bincount(tract_i[mine], weights=cost_known[proj_i[mine]], minlength=n_tracts)

    in_region = np.zeros(n, dtype=bool)
    in_region[proj_i] = True
    return Exposure(
        exposed=exposed,
        exposed_land_share=share,
        n_projects=n_projects,
        investment_usd=investment,
        pair_project=proj_i.astype(np.int64),
        pair_tract=tract_i.astype(np.int64),
        pair_area_m2=pair_area,
        buffers_utm=buffers,
        located=located,
        in_region=in_region,
        geoids=index.geoids,
    )


# --- alert tiers -------------------------------------------------------------------------------


def alert_tiers(typology_codes, exposed, bipoc_share, bipoc_rm) -> tuple[np.ndarray, np.ndarray]:
    """(tier, bipoc_high) per tract.

    tier: 0 none; 1 = exposed and typology OD, ARG or EOG; 2 = exposed and LISD; 3 = exposed and
    ARE or BE. bipoc_high: the tract has a tier and its BIPOC share is ≥ `bipoc_rm` (the regional
    median, a scalar or one value per tract; pass 0.5 for the 50 % rule). A missing share is not high.
    A typology of None (not computed) gets no tier; any other unknown code raises ValueError.
    """
    codes = np.asarray(typology_codes, dtype=object).ravel()
    exposed = np.asarray(exposed, dtype=bool).ravel()
    share = np.asarray(bipoc_share, dtype=float).ravel()
    if not (codes.size == exposed.size == share.size):
        raise ValueError("typology_codes, exposed and bipoc_share need one value per tract.")
    unknown = {c for c in codes.tolist() if c is not None and c not in TYPOLOGY_CODES}
    if unknown:
        raise ValueError(f"Unknown typology code(s): {', '.join(sorted(map(str, unknown)))}.")
    tier = np.zeros(codes.size, dtype=np.int8)
    tier[np.isin(codes, list(TIER3_CODES))] = 3
    tier[np.isin(codes, list(TIER2_CODES))] = 2
    tier[np.isin(codes, list(TIER1_CODES))] = 1
    tier[~exposed] = 0
    rm = np.broadcast_to(np.asarray(bipoc_rm, dtype=float), share.shape)
    with np.errstate(invalid="ignore"):
        high = (tier > 0) & np.isfinite(share) & (share >= rm)
    return tier, high


# --- per-project summary -----------------------------------------------------------------------


@dataclass
class ProjectSummary:
    """Area-weighted counts within each project's buffer (per project). An approximation."""

    population: np.ndarray
    bipoc_population: np.ndarray
    low_income_households: np.ndarray
    n_tracts: np.ndarray  # tracts the buffer reaches
    buffer_area_m2: np.ndarray  # area of the buffer inside the region's tracts
    note: str = APPROXIMATION_NOTE
    approximation: bool = True


def project_summaries(
    index: TractIndex,
    exposure: Exposure,
    *,
    population,
    bipoc_population,
    low_income_households,
) -> ProjectSummary:
    """Σ over tracts of count × (area of buffer ∩ tract) / (area of tract), per project.

    Counts are per tract, in index order. A missing (NaN) count in a tract the buffer reaches makes
    that project's figure NaN (unknown), rather than silently lower.
    """
    n_projects = exposure.located.size
    weights = exposure.pair_area_m2 / index.areas_m2[exposure.pair_tract]

    def weighted(counts) -> np.ndarray:
        values = np.asarray(counts, dtype=float).ravel()
        if values.size != len(index):
            raise ValueError(f"{values.size} tract counts for {len(index)} tracts.")
        total = np.zeros(n_projects)
        np.add.at(total, exposure.pair_project, values[exposure.pair_tract] * weights)
        return total

    return ProjectSummary(
        population=weighted(population),
        bipoc_population=weighted(bipoc_population),
        low_income_households=weighted(low_income_households),
        n_tracts=np.bincount(exposure.pair_project, minlength=n_projects).astype(np.int64),
        buffer_area_m2=np.bincount(
            exposure.pair_project, weights=exposure.pair_area_m2, minlength=n_projects
        ),
    )


def circle_area_m2(radius_m: float) -> float:
    """πr²: what a point project's buffer should measure (the 64-gon is within 0.2 %)."""
    return math.pi * radius_m**2
