"""From stored rows to the method's arrays and back: the one bridge between the database and
`method/` (which knows nothing of Django).

`prepare()` gathers a region's 2020 tracts and the survey values of the years a profile needs,
carrying values published on 2010 tracts onto 2020 tracts with the stored relationship (counts by
their universe, medians re-derived from their brackets, spec §3.5). `compute()` runs the method and
returns one dict per tract in `TractResult`'s fields.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _

from commontable.displacement.choices import Profile as ProfileName
from commontable.displacement.models import Region, SourceLoad, SurveyValues, Tract, TractRelationship

GEOGRAPHY = 2020

# Which NHGIS weight carries each table's counts onto 2020 tracts (the Census file's land-area
# weight stands in for all of them when it is the only one loaded).
UNIVERSE_BY_TABLE = {
    "B01003": "pop", "B03002": "pop", "B07010": "pop", "B14007": "pop", "B05006": "pop",
    "B15003": "adult", "B19001": "hh", "C16002": "hh", "C17002": "pop", "B25003": "hh",
    "B25070": "renthu", "B25063": "renthu", "B25094": "ownhu", "B25075": "ownhu",
    "B25034": "hu", "B25001": "hu", "B25002": "hu",
}
# Medians re-derived from their brackets after the crosswalk, and those averaged by a count.
MEDIAN_BINS = {
    "B19013_001": ("B19001", 2, 17),
    "B25064_001": ("B25063", 3, 26),
    "B25077_001": ("B25075", 2, 27),
}
MEDIAN_WEIGHTS = {"B25105_001": "B25003_001", "B06011_001": "B01003_001", "B19013_001": "B19001_001",
                  "B25064_001": "B25003_003", "B25077_001": "B25003_002"}


def _range(table: str, first: int, last: int) -> list[str]:
    return [f"{table}_{i:03d}" for i in range(first, last + 1)]


# The survey variables the method reads (spec §3.1), what `displacement_fetch` asks for by default.
VARIABLES_NEEDED = [
    "B01003_001", *[f"B03002_{i:03d}" for i in (1, 3, 4, 5, 6, 12)], *_range("B19001", 1, 17), "B19013_001",
    "B25077_001", *_range("B25075", 1, 27), "B25064_001", *_range("B25063", 1, 27), *_range("B25094", 1, 18),
    "B25105_001", *_range("B25003", 1, 3), *[f"B15003_{i:03d}" for i in (1, 22, 23, 24, 25)],
    *_range("B25034", 1, 11), *_range("B07010", 25, 33), *_range("B07010", 36, 44), *_range("B07010", 47, 55),
    *_range("B07010", 58, 66), "B06011_001", *[f"B14007_{i:03d}" for i in (1, 17, 18)],
    *[f"B25070_{i:03d}" for i in (1, 7, 8, 9, 10, 11)], *[f"C16002_{i:03d}" for i in (1, 4, 7, 10, 13)],
    *_range("C17002", 1, 8), "B25001_001", "B25002_003",
]


class NotComputable(Exception):  # noqa: N818 (a refusal in words for the user)
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Prepared:
    region: Region
    profile: str
    t0: int
    t1: int
    inputs: object  # method.typology.TractInputs
    names: dict[str, str]
    synthetic: bool = False
    crosswalked_years: list[int] = field(default_factory=list)
    #: more risk-index indicators (`method.pipeline`'s `risk_extra`), by name
    risk_extra: dict = field(default_factory=dict)


def years_for(profile: str, t0: int, t1: int) -> list[int]:
    """The survey years a computation reads: the window's two ends; `udp_compat` also reads the
    1990 and 2000 values when they are loaded (its rules use them)."""
    years = [t0, t1]
    if profile == ProfileName.UDP_COMPAT:
        loaded = set(SurveyValues.objects.filter(year__in=[1990, 2000]).values_list("year", flat=True).distinct())
        years = sorted(loaded) + years
    return years


def _labels(year: int) -> dict[str, str]:
    labels: dict[str, str] = {}
    for summary in SourceLoad.objects.filter(kind="acs", year=year).order_by("loaded_at").values_list("summary", flat=True):
        labels.update((summary or {}).get("labels") or {})
    return labels


def _brackets(years: list[int]) -> dict:
    """Bracket bounds from the loaded files' labels, per year (`(year, table)`: bins change between
    vintages) and, from the latest year that has them, per table; else none (the method's defaults)."""
    from commontable.displacement.method.brackets import brackets_from_labels

    found: dict = {}
    for year in sorted(years, reverse=True):
        labels = _labels(year)
        for table in ("B19001", "B25063", "B25094", "B25075", "B07010"):
            mine = {var: label for var, label in labels.items() if var.startswith(table + "_")}
            if table == "B07010":
                mine = {var: label for var, label in mine.items() if 25 <= int(var.split("_")[1][:3]) <= 33}
            try:
                brackets = brackets_from_labels(mine) if mine else []
            except ValueError:
                brackets = []
            if len(brackets) >= 2:
                found[(year, table)] = brackets
                found.setdefault(table, brackets)
    return found


def _values_table(rows: list[tuple[str, dict]], year: int, geography_year: int):
    """Stored values as the readers' AcsTable (GEOIDs sorted), for the crosswalk."""
    from commontable.displacement.sources.acs import AcsTable

    rows = sorted(rows)
    geoids = np.array([geoid for geoid, _values in rows], dtype="U11")
    variables = sorted({var for _geoid, values in rows for var in values})
    estimates, moes = {}, {}
    for var in variables:
        estimates[var] = np.array([_num((values.get(var) or [None])[0]) for _g, values in rows], dtype=float)
        moes[var] = np.array([_num((values.get(var) or [None, None])[1]) for _g, values in rows], dtype=float)
    return AcsTable(year=year, geography_year=geography_year, geoids=geoids, estimates=estimates, moes=moes)


def _num(value) -> float:
    if value is None:
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _crosswalk():
    from commontable.displacement.sources.relationship import Crosswalk

    parts = list(TractRelationship.objects.order_by("source_geoid", "target_geoid").values_list(
        "source_geoid", "target_geoid", "weights"))
    if not parts:
        return None
    universes = sorted({name for _s, _t, weights in parts for name in weights})
    weights = {name: np.array([_num(w.get(name)) for _s, _t, w in parts], dtype=float) for name in universes}
    return Crosswalk(source_year=2010, target_year=2020, source_geoids=np.array([p[0] for p in parts], dtype="U11"),
                     target_geoids=np.array([p[1] for p in parts], dtype="U11"), weights=weights,
                     source_name=_("the stored tract relationship"))


def _carry(table, crosswalk):
    """A 2010-tract table on 2020 tracts."""
    from commontable.displacement.sources.relationship import crosswalk_apply

    available = set(crosswalk.weights)

    def universe_of(var: str) -> str | None:
        if var in MEDIAN_BINS or var in MEDIAN_WEIGHTS:
            return None
        wanted = UNIVERSE_BY_TABLE.get(var.split("_")[0], "pop")
        if wanted in available:
            return wanted
        return "area" if "area" in available else sorted(available)[0]

    median_bins, medians = {}, {}
    for median, (table_code, first, last) in MEDIAN_BINS.items():
        if median not in table.estimates:
            continue
        bins = [f"{table_code}_{i:03d}" for i in range(first, last + 1)]
        if all(b in table.estimates for b in bins) and table.labels:
            median_bins[median] = bins
        elif MEDIAN_WEIGHTS.get(median) in table.estimates:
            medians[median] = MEDIAN_WEIGHTS[median]
    for median, count in MEDIAN_WEIGHTS.items():
        if median in table.estimates and median not in median_bins and median not in medians and count in table.estimates:
            medians[median] = count
    dropped = [var for var in table.estimates if (var in MEDIAN_BINS or var in MEDIAN_WEIGHTS)
               and var not in median_bins and var not in medians]
    for var in dropped:
        table.estimates.pop(var)
        table.moes.pop(var, None)
    return crosswalk_apply(table, crosswalk, universe_of, medians=medians, median_bins=median_bins)


def _neighbours(tracts, position: dict[str, int]):
    """The stored queen neighbours within the region as CSR arrays, or None when they were never
    worked out (the method then finds them from the shapes)."""
    if any(row[7] for row in tracts) or len(tracts) == 1:
        indptr, indices = [0], []
        for row in tracts:
            indices.extend(position[g] for g in row[7] if g in position)
            indptr.append(len(indices))
        return np.array(indptr, dtype=np.intp), np.array(indices, dtype=np.intp)
    return None


def prepare(*, region: Region, profile: str, t0: int, t1: int) -> Prepared:
    """Gather what a computation reads, or raise NotComputable saying what is missing."""
    import shapely

    from commontable.displacement.method.geometry import lonlat_to_utm
    from commontable.displacement.method.typology import TractInputs
    from commontable.displacement.sources.errors import SourceError

    problems: list[str] = []
    if t1 - t0 < 5:
        problems.append(_("Compare survey windows that do not overlap: the end year must be at least five years after the start year."))
    tracts = list(Tract.objects.filter(geography_year=GEOGRAPHY, county_fips__in=region.county_fips).order_by("geoid")
                  .values_list("geoid", "name", "aland_m2", "centroid_lon", "centroid_lat", "geometry", "synthetic",
                               "neighbours"))
    if not tracts:
        problems.append(_("No 2020 tract boundaries are loaded for %(region)s: load TIGER/Line tracts first.")
                        % {"region": region.name})
    if problems:
        raise NotComputable(problems)
    geoids = np.array([row[0] for row in tracts], dtype="U11")
    position = {geoid: i for i, geoid in enumerate(geoids.tolist())}
    n = len(geoids)
    estimates: dict[int, dict[str, np.ndarray]] = {}
    moes: dict[int, dict[str, np.ndarray]] = {}
    crosswalked: dict[int, np.ndarray] = {}
    crosswalked_years: list[int] = []
    synthetic = any(row[6] for row in tracts)
    crosswalk = None
    for year in years_for(profile, t0, t1):
        rows = list(SurveyValues.objects.filter(year=year, geography_year=GEOGRAPHY, geoid__in=geoids.tolist())
                    .values_list("geoid", "values", "synthetic"))
        if rows:
            synthetic = synthetic or any(row[2] for row in rows)
            table = _values_table([(g, v) for g, v, _s in rows], year, GEOGRAPHY)
            carried = np.zeros(n, dtype=bool)
        else:
            old = list(SurveyValues.objects.filter(year=year, geography_year=2010).values_list("geoid", "values", "synthetic"))
            if not old:
                problems.append(_("No survey values for the window ending %(year)s are loaded.") % {"year": year})
                continue
            crosswalk = crosswalk or _crosswalk()
            if crosswalk is None:
                problems.append(_("The %(year)s survey values are on 2010 tracts: load the 2010→2020 tract relationship "
                                  "file to carry them onto 2020 tracts.") % {"year": year})
                continue
            synthetic = synthetic or any(row[2] for row in old)
            source = _values_table([(g, v) for g, v, _s in old], year, 2010)
            source.labels.update(_labels(year))
            try:
                table = _carry(source, crosswalk)
            except SourceError as error:
                problems.extend(str(problem) for problem in error.problems)
                continue
            carried = np.ones(n, dtype=bool)
            crosswalked_years.append(year)
        index = np.array([position.get(str(g), -1) for g in table.geoids], dtype=np.int64)
        keep = index >= 0
        estimates[year], moes[year] = {}, {}
        for var, values in table.estimates.items():
            column = np.full(n, np.nan)
            column[index[keep]] = values[keep]
            estimates[year][var] = column
            margin = table.moes.get(var)
            if margin is not None:
                column = np.full(n, np.nan)
                column[index[keep]] = margin[keep]
                moes[year][var] = column
        crosswalked[year] = carried
    if problems:
        raise NotComputable(problems)
    x, y = lonlat_to_utm(np.array([row[3] for row in tracts]), np.array([row[4] for row in tracts]))
    neighbours = _neighbours(tracts, position)
    inputs = TractInputs(
        geoids=geoids, regions=np.full(n, region.slug), estimates=estimates, moes=moes,
        brackets=_brackets(list(estimates)), aland_m2=np.array([float(row[2] or 0) for row in tracts]),
        centroids=np.column_stack([x, y]), neighbours=neighbours,
        polygons=None if neighbours is not None else shapely.from_geojson([row[5] for row in tracts]),
        crosswalked=crosswalked,
    )
    risk_extra = {}
    near_transit = transit_proximity([row[5] for row in tracts])
    if near_transit is not None:
        risk_extra["transit_proximity"] = (near_transit, True)
    return Prepared(region, profile, t0, t1, inputs, {row[0]: row[1] for row in tracts}, synthetic, crosswalked_years,
                    risk_extra)


TRANSIT_KINDS = ("transit_line", "transit_station")


def transit_proximity(tract_geometries: list[str]):
    """PSRC's "proximity to current and future high-capacity transit", from the investment
    register: 1.0 for a tract within half a mile of a public transit line or station at any stage
    but cancelled (built or planned), else 0.0; None when the register holds none (the indicator
    is then left out rather than the same for every tract). Public investments only: results are
    public, and a staff-only line must not show through a tract's score."""
    import shapely

    from commontable.displacement.method.geometry import to_utm
    from commontable.displacement.method.overlay import HALF_MILE_M, project_buffers
    from commontable.investments.selectors import investment_map_rows

    rows = [row for row in investment_map_rows(None) if row[2] in TRANSIT_KINDS and row[3] != "cancelled"]
    if not rows or not tract_geometries:
        return None
    buffers, _radii = project_buffers([row[5] for row in rows], [row[2] for row in rows],
                                      radii=dict.fromkeys(TRANSIT_KINDS, HALF_MILE_M),
                                      project_ids=[row[0] for row in rows])
    buffers = buffers[np.array([b is not None for b in buffers.tolist()], dtype=bool)]
    if not len(buffers):
        return None
    tracts = to_utm(shapely.from_geojson(tract_geometries))
    reached, _which = shapely.STRtree(buffers).query(tracts, predicate="intersects")
    near = np.zeros(len(tract_geometries))
    near[np.unique(reached)] = 1.0
    return near


def compute(prepared: Prepared, *, stability_draws: int = 100, seed: int = 0) -> list[dict]:
    """Run the method; one dict per tract in `TractResult`'s fields."""
    from commontable.displacement.method.pipeline import BLOCK_COLUMNS, SENSITIVITY_COLUMNS, results_to_rows
    from commontable.displacement.method.pipeline import compute as method_compute

    extra = {"risk_extra": prepared.risk_extra} if prepared.risk_extra else None
    results = method_compute(prepared.inputs, prepared.profile, stability_draws=stability_draws, seed=seed,
                             extra=extra)
    rows = []
    for row in results_to_rows(results):
        rows.append({
            "geoid": row["geoid20"], "typology": row["typology"], "reason": str(row["typology_reason"])[:200],
            "flags": row["flags"], "stability": row["stability"], "risk_score": row["dri_score"],
            "risk_class": row["dri_class"] or "", "bipoc_share": row["bipoc_share_t1"],
            "sensitivity": {key: row[key] for key in (*SENSITIVITY_COLUMNS, "freeman_eligible")},
            "blocks": {key: row[key] for key in BLOCK_COLUMNS}, "inputs": row["inputs"],
        })
    return rows
