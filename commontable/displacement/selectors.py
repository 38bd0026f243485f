"""Reads for the displacement watch: the current computation, tract results, the map layers, the
investment overlay and alert tiers, disagreements between methods.

Results are public. The overlay uses only the investments the viewer may see, so a member-only
investment never shows (or counts) for the public.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commontable.core.indicators import data_version
from commontable.displacement.choices import Profile, RunStatus
from commontable.displacement.models import Region, Run, SourceLoad, SurveyValues, Tract, TractResult

# Labels announced with `data_changed()` by the services; caches below follow them.
TRACTS_LABEL = "displacement.tracts"
RESULTS_LABEL = "displacement.results"
INVESTMENTS_LABEL = "investments.Investment"

# Typology codes in the legend's order (spec §1.5), with their names and map colours. The colours
# are a colour-blind-safe sequence; the map also labels every class in text.
TYPOLOGY_ORDER = ["LISD", "OD", "ARG", "EOG", "AdvG", "SMMI", "ARE", "BE", "SAE", "STUDENT", "UNAVAILABLE"]
TYPOLOGY_COLOURS = {
    "LISD": "#fbb4b9", "OD": "#c51b8a", "ARG": "#fd8d3c", "EOG": "#e6550d", "AdvG": "#a63603",
    "SMMI": "#c6dbef", "ARE": "#6baed6", "BE": "#2171b5", "SAE": "#08306b", "STUDENT": "#d9d9d9",
    "UNAVAILABLE": "#ffffff",
}
RISK_ORDER = ["low", "moderate", "higher"]
RISK_COLOURS = {"low": "#ffffcc", "moderate": "#fd8d3c", "higher": "#bd0026", "": "#ffffff"}
TIER_COLOURS = {0: "#ffffff", 1: "#bd0026", 2: "#fd8d3c", 3: "#fed976"}
# Spec §6.4: tiers by type, for tracts exposed to planned investment.
TIER_TYPES = {1: {"OD", "ARG", "EOG"}, 2: {"LISD"}, 3: {"ARE", "BE"}}
# Investments still to come (not complete, not cancelled) count as planned.
PLANNED_STAGES = {"proposed", "planning", "funded", "design", "construction"}
# Buffer radii by investment kind: the overlay's (half a mile for stations, lines and large
# projects, a quarter mile for smaller ones; spec §6.4).
QUARTER_MILE = 402.336


_TYPOLOGY_LABELS = {
    "LISD": gettext_lazy("Low-income / susceptible to displacement"),
    "OD": gettext_lazy("Ongoing displacement"),
    "ARG": gettext_lazy("At risk of gentrification"),
    "EOG": gettext_lazy("Early or ongoing gentrification"),
    "AdvG": gettext_lazy("Advanced gentrification"),
    "SMMI": gettext_lazy("Stable moderate or mixed income"),
    "ARE": gettext_lazy("At risk of becoming exclusive"),
    "BE": gettext_lazy("Becoming exclusive"),
    "SAE": gettext_lazy("Stable or advanced exclusive"),
    "STUDENT": gettext_lazy("High student population"),
    "UNAVAILABLE": gettext_lazy("Unavailable or unreliable data"),
}


def typology_label(code: str) -> str:
    label = _TYPOLOGY_LABELS.get(code)
    return str(label) if label is not None else code


def typology_labels() -> dict[str, str]:
    """Every type's name in the current language, once (for loops over many tracts)."""
    return {code: str(label) for code, label in _TYPOLOGY_LABELS.items()}


def risk_label(code: str) -> str:
    return {"low": _("Lower risk"), "moderate": _("Moderate risk"), "higher": _("Higher risk")}.get(code, _("No index"))


def tier_label(tier: int) -> str:
    return {
        1: _("Tier 1: displacement or gentrification under way, planned investment nearby"),
        2: _("Tier 2: susceptible, planned investment nearby"),
        3: _("Tier 3: becoming exclusive, planned investment nearby"),
    }.get(tier, _("No alert"))


def region_default() -> Region | None:
    return Region.objects.order_by("-is_default", "pk").first()


def region_list():
    return Region.objects.all()


def run_current(region: Region | None = None, profile: str = Profile.TWIN_CITIES) -> Run | None:
    """The latest finished computation for a region and profile (the default region when None)."""
    region = region or region_default()
    if region is None:
        return None
    return (
        Run.objects.filter(region=region, profile=profile, status=RunStatus.DONE)
        .select_related("region")
        .order_by("-created_at", "-id")
        .first()
    )


def run_for(wanted: str | None) -> Run | None:
    """The computation a page or endpoint shows: a finished one named by its public id (None for an
    unknown or malformed id), or the current one when none is named."""
    import uuid

    if not wanted:
        return run_current()
    try:
        public_id = uuid.UUID(str(wanted))
    except ValueError:
        return None
    return Run.objects.select_related("region").filter(public_id=public_id, status=RunStatus.DONE).first()


def run_list():
    return Run.objects.select_related("region", "created_by").annotate(results_count=Count("results"))


def source_list():
    return SourceLoad.objects.select_related("loaded_by")


def survey_years(geography_year: int | None = None) -> list[int]:
    values = SurveyValues.objects.all()
    if geography_year:
        values = values.filter(geography_year=geography_year)
    return sorted(set(values.values_list("year", flat=True).distinct()))


def region_tracts(region: Region, geography_year: int = 2020):
    return Tract.objects.filter(geography_year=geography_year, county_fips__in=region.county_fips)


def result_list(run: Run, *, typology: str = "", risk: str = "", q: str = ""):
    results = TractResult.objects.filter(run=run)
    if typology:
        results = results.filter(typology=typology)
    if risk:
        results = results.filter(risk_class=risk)
    if q:
        results = results.filter(geoid__startswith=q.strip())
    return results.order_by("geoid")


def result_get(run: Run, geoid: str) -> TractResult | None:
    return TractResult.objects.filter(run=run, geoid=geoid).first()


def typology_counts(run: Run) -> list[tuple[str, str, int]]:
    counts = dict(TractResult.objects.filter(run=run).values_list("typology").annotate(n=Count("pk")))
    return [(code, typology_label(code), counts.get(code, 0)) for code in TYPOLOGY_ORDER]


def risk_counts(run: Run) -> list[tuple[str, str, int]]:
    counts = dict(TractResult.objects.filter(run=run).values_list("risk_class").annotate(n=Count("pk")))
    return [(code, risk_label(code), counts.get(code, 0)) for code in RISK_ORDER]


# --- Tract geometry, kept in memory per data version -------------------------------------------

_index_lock = threading.Lock()
_index_cache: dict[tuple[int, str], object] = {}


@dataclass
class TractShapes:
    """The tracts of one census in memory: GEOIDs, shapely polygons (WGS84) and the spatial index."""

    geoids: list[str]
    polygons: list
    index: object
    by_geoid: dict[str, int] = field(default_factory=dict)


def tract_shapes(geography_year: int = 2020) -> TractShapes:
    """Every tract of a census as shapes, built once per data version and process."""
    version = data_version(TRACTS_LABEL)
    key = (geography_year, version)
    with _index_lock:
        found = _index_cache.get(key)
        if found is not None:
            return found  # type: ignore[return-value]
    import shapely

    from commontable.displacement.method.geometry import TractIndex

    rows = list(Tract.objects.filter(geography_year=geography_year).order_by("geoid").values_list("geoid", "geometry"))
    geoids = [geoid for geoid, _geometry in rows]
    polygons = shapely.from_geojson([geometry for _geoid, geometry in rows]) if rows else []
    shapes = TractShapes(geoids, list(polygons), TractIndex(geoids, polygons), {g: i for i, g in enumerate(geoids)})
    with _index_lock:
        _index_cache.clear()
        _index_cache[key] = shapes
    return shapes


def tract_for_point(lon: float, lat: float, geography_year: int = 2020) -> str:
    """The GEOID of the tract holding a point ("" outside every tract); a point on a shared border
    goes to the lowest GEOID (spec §6.4)."""
    from commontable.displacement.method.overlay import assign_points

    shapes = tract_shapes(geography_year)
    if not shapes.geoids:
        return ""
    assigned = assign_points(shapes.index, [lon], [lat])
    return assigned.geoid[0] or ""


def tract_get(geoid: str, geography_year: int = 2020) -> Tract | None:
    return Tract.objects.filter(geography_year=geography_year, geoid=geoid).first()


def survey_values_for(geoid: str) -> dict[int, dict]:
    """{year: {variable: [estimate, margin, annotation]}} of a tract, on its own boundaries."""
    return dict(SurveyValues.objects.filter(geoid=geoid).values_list("year", "values"))


def json_compact(value) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)



# --- Investment overlay and alert tiers ------------------------------------------------------------


@dataclass(frozen=True)
class NearbyInvestment:
    slug: str
    name: str
    stage: str
    stage_label: str
    url: str


@dataclass
class Exposure:
    """Which tracts planned investments (those the viewer may see) reach, and which investments."""

    land_share: dict[str, float] = field(default_factory=dict)
    investments: dict[str, list[NearbyInvestment]] = field(default_factory=dict)

    def tier_of(self, geoid: str, typology: str) -> int:
        if geoid not in self.land_share:
            return 0
        for tier, types in TIER_TYPES.items():
            if typology in types:
                return tier
        return 0


def _planned_investments(user) -> list[tuple]:
    from commontable.investments.selectors import investment_map_rows

    return [row for row in investment_map_rows(user) if row[3] in PLANNED_STAGES]


def _exposure_key(user) -> str:
    import hashlib

    from commontable.core.visibility import viewer_for
    from commontable.investments.selectors import investment_map_version

    viewer = viewer_for(user)
    what = json_compact([data_version(TRACTS_LABEL), str(investment_map_version(user)), viewer.role,
                         viewer.user_id if not viewer.is_staff else 0])
    return "displacement.exposure:" + hashlib.sha256(what.encode()).hexdigest()


def exposure(user, geography_year: int = 2020) -> Exposure:
    """The overlay of spec §6.4 for the investments the viewer may see, cached per data version."""
    from django.core.cache import cache

    key = _exposure_key(user)
    found = cache.get(key)
    if found is not None:
        return found
    result = _exposure_compute(user, geography_year)
    cache.set(key, result, 600)
    return result


def _exposure_compute(user, geography_year: int) -> Exposure:
    from django.urls import reverse

    from commontable.displacement.method.overlay import project_exposure
    from commontable.investments.choices import Stage

    shapes = tract_shapes(geography_year)
    rows = _planned_investments(user)
    result = Exposure()
    if not rows or not shapes.geoids:
        return result
    found = project_exposure(
        shapes.index, [row[5] for row in rows], [row[2] for row in rows], statuses=[row[3] for row in rows],
        costs_usd=[None if row[4] is None else row[4] / 100 for row in rows], default_radius_m=QUARTER_MILE,
        project_ids=[row[0] for row in rows],
    )
    labels = dict(Stage.choices)
    positions = {geoid: i for i, geoid in enumerate(found.geoids.tolist())}
    for geoid, project_indices in found.projects_by_tract().items():
        result.land_share[geoid] = float(found.exposed_land_share[positions[geoid]])
        result.investments[geoid] = [
            NearbyInvestment(rows[j][0], rows[j][1], rows[j][3], str(labels.get(rows[j][3], rows[j][3])),
                             reverse("investments:investment_detail", args=[rows[j][0]]))
            for j in project_indices
        ]
    return result


# --- Map layers, summary, table rows ----------------------------------------------------------------


def layer_choices() -> list[tuple[str, str]]:
    return [
        ("typology", _("Typology")),
        ("risk", _("Displacement risk index")),
        ("alerts", _("Alerts near planned investment")),
        ("reports", _("Community reports")),
    ]


def _reports_per_tract(user) -> dict:
    """Community reports per tract: exact for staff, suppressed under five for everyone else."""
    from commontable.displacement import selectors_reports
    from commontable.displacement.permissions import can_view_reports_in_full

    if can_view_reports_in_full(user):
        return selectors_reports.reports_per_tract_staff()
    return selectors_reports.reports_per_tract_public()


def _report_value(cell) -> int | None:
    """A count, or None when it is hidden (suppressed)."""
    if isinstance(cell, int):
        return cell
    if cell is None or getattr(cell, "suppressed", False):
        return None
    return cell.value


REPORT_BANDS = [("0", 0, 0), ("5-9", 5, 9), ("10-24", 10, 24), ("25+", 25, None)]
REPORT_COLOURS = {"": "#ffffff", "hidden": "#ffffff", "0": "#ffffff", "1-4": "#fde0dd", "5-9": "#fa9fb5",
                  "10-24": "#dd3497", "25+": "#7a0177"}


def _report_band(count: int | None, *, exact: bool) -> str:
    """The band of a tract's report count. For the public, a hidden count and a tract with none
    fall in one band, so the map does not tell that a hidden tract has any report."""
    if count is None or (not exact and count < 5):
        return "hidden"
    if count == 0:
        return "0"
    if count < 5:
        return "1-4"
    for band, low, high in REPORT_BANDS[1:]:
        if count >= low and (high is None or count <= high):
            return band
    return "25+"


def _report_band_label(band: str) -> str:
    return {
        "hidden": _("Fewer than five, or not shown"), "0": _("None"), "1-4": _("1 to 4 (staff only)"),
        "5-9": _("5 to 9"), "10-24": _("10 to 24"), "25+": _("25 or more"),
    }.get(band, band)


@dataclass(frozen=True)
class LayerRow:
    geoid: str
    name: str
    value: str
    detail: str


def tract_names(geography_year: int = 2020) -> dict[str, str]:
    return dict(Tract.objects.filter(geography_year=geography_year).values_list("geoid", "name"))


def _percent(value: float | None) -> str:
    from django.utils.formats import number_format

    if value is None:
        return "—"
    return f"{number_format(round(value * 100), 0)}%"


def layer_rows(run: Run, *, layer: str, user) -> list[LayerRow]:
    """The data table beside the map: every tract of the run with its class in the chosen layer."""
    names = tract_names()
    results = list(TractResult.objects.filter(run=run).order_by("geoid").values_list(
        "geoid", "typology", "risk_class", "risk_score", "stability"))
    rows = []
    if layer == "alerts":
        found = exposure(user)
        for geoid, typology, _risk, _score, _stability in results:
            tier = found.tier_of(geoid, typology)
            near = ", ".join(item.name for item in found.investments.get(geoid, [])[:3])
            rows.append(LayerRow(geoid, names.get(geoid) or geoid, str(tier_label(tier)), near or "—"))
        return rows
    if layer == "reports":
        counts = _reports_per_tract(user)
        from commontable.displacement.permissions import can_view_reports_in_full

        exact = bool(can_view_reports_in_full(user))
        for geoid, *_rest in results:
            band = _report_band(_report_value(counts.get(geoid, 0)), exact=exact)
            count = _report_value(counts.get(geoid, 0))
            rows.append(LayerRow(geoid, names.get(geoid) or geoid, str(_report_band_label(band)),
                                 "—" if count is None else str(count)))
        return rows
    types = typology_labels()
    risks = {code: str(risk_label(code)) for code in [*RISK_ORDER, ""]}
    score_text, stability_text = _("score %(score)s"), _("stability %(share)s")
    for geoid, typology, risk, score, stability in results:
        if layer == "risk":
            detail = "—" if score is None else score_text % {"score": round(score, 1)}
            rows.append(LayerRow(geoid, names.get(geoid) or geoid, risks.get(risk, risk), detail))
        else:
            detail = stability_text % {"share": f"{round(stability * 100)}%"} if stability is not None else "—"
            rows.append(LayerRow(geoid, names.get(geoid) or geoid, types.get(typology, typology), detail))
    return rows


def _legend_typology(run: Run) -> dict:
    items = [{"code": code, "label": label, "colour": TYPOLOGY_COLOURS[code], "count": n}
             for code, label, n in typology_counts(run)]
    return {"key": "t", "items": items, "colours": TYPOLOGY_COLOURS,
            "labels": {item["code"]: item["label"] for item in items}}


def _legend_risk(run: Run) -> dict:
    items = [{"code": code, "label": label, "colour": RISK_COLOURS[code], "count": n} for code, label, n in risk_counts(run)]
    missing = TractResult.objects.filter(run=run, risk_class="").count()
    items.append({"code": "", "label": str(risk_label("")), "colour": RISK_COLOURS[""], "count": missing})
    return {"key": "r", "items": items, "colours": RISK_COLOURS, "labels": {item["code"]: item["label"] for item in items}}


def _legend_alerts(run: Run, user) -> dict:
    found = exposure(user)
    tiers = [found.tier_of(geoid, typology) for geoid, typology in TractResult.objects.filter(run=run).values_list("geoid", "typology")]
    items = [{"code": str(tier), "label": str(tier_label(tier)), "colour": TIER_COLOURS[tier], "count": tiers.count(tier)}
             for tier in (1, 2, 3, 0)]
    return {"key": "a", "items": items, "colours": {str(k): v for k, v in TIER_COLOURS.items()},
            "labels": {item["code"]: item["label"] for item in items}}


def _legend_reports(run: Run, user) -> dict:
    from commontable.displacement.permissions import can_view_reports_in_full

    exact = bool(can_view_reports_in_full(user))
    counts = _reports_per_tract(user)
    bands = [_report_band(_report_value(counts.get(geoid, 0)), exact=exact)
             for geoid in TractResult.objects.filter(run=run).values_list("geoid", flat=True)]
    order = ["0", "1-4", "5-9", "10-24", "25+"] if exact else ["hidden", "5-9", "10-24", "25+"]
    items = [{"code": band, "label": str(_report_band_label(band)), "colour": REPORT_COLOURS[band], "count": bands.count(band)}
             for band in order]
    return {"key": "c", "items": items, "colours": REPORT_COLOURS, "labels": {item["code"]: item["label"] for item in items}}


def layer_legends(run: Run, *, user) -> dict[str, dict]:
    """Every layer's legend (the map switches layers without a reload)."""
    return {
        "typology": _legend_typology(run),
        "risk": _legend_risk(run),
        "alerts": _legend_alerts(run, user),
        "reports": _legend_reports(run, user),
    }


def layer_legend(run: Run, *, layer: str, user) -> list[dict]:
    return layer_legends(run, user=user)[layer]["items"]


def run_summary(run: Run, *, user) -> list[str]:
    """The map in words, for everyone and for screen readers: the largest classes and the alerts."""
    from django.utils.translation import ngettext

    lines = [ngettext("%(count)s tract was computed.", "%(count)s tracts were computed.", run.tract_count)
             % {"count": run.tract_count}]
    counts = sorted((item for item in typology_counts(run) if item[2]), key=lambda item: -item[2])
    for _code, label, n in counts[:4]:
        lines.append(ngettext("%(label)s: %(count)s tract.", "%(label)s: %(count)s tracts.", n) % {"label": label, "count": n})
    tier1 = tier1_count(run, user=user)
    lines.append(ngettext(
        "%(count)s tract is at tier 1: displacement or gentrification under way, with planned investment nearby.",
        "%(count)s tracts are at tier 1: displacement or gentrification under way, with planned investment nearby.",
        tier1) % {"count": tier1})
    fragile = TractResult.objects.filter(run=run, stability__lt=FRAGILE_BELOW).count()
    if fragile:
        lines.append(ngettext(
            "%(count)s tract has a fragile type (it changes within the survey's margins of error).",
            "%(count)s tracts have a fragile type (it changes within the survey's margins of error).",
            fragile) % {"count": fragile})
    return lines


FRAGILE_BELOW = 0.6


def _display_shapes(geography_year: int = 2020) -> dict[str, str]:
    """{geoid: simplified geometry as compact GeoJSON text}, made once per tracts data version."""
    from django.core.cache import cache

    key = f"displacement.display:{geography_year}:{data_version(TRACTS_LABEL)}"
    found = cache.get(key)
    if found is not None:
        return found
    from commontable.displacement.method.geometry import display_geojson

    shapes = tract_shapes(geography_year)
    if not shapes.geoids:
        return {}
    collection = json.loads(display_geojson(shapes.geoids, shapes.polygons))
    found = {feature["properties"]["geoid"]: json_compact(feature["geometry"]) for feature in collection["features"]}
    cache.set(key, found, None)
    return found


def tract_layer_geojson(run: Run, *, user) -> tuple[bytes, str]:
    """The map's tract layer: simplified shapes with, per tract, its type (t), risk class (r),
    alert tier for this viewer (a) and community-report band for this viewer (c). Returns the
    body and its ETag."""
    import hashlib

    from commontable.displacement.permissions import can_view_reports_in_full

    shapes = _display_shapes()
    names = tract_names()
    found = exposure(user)
    counts = _reports_per_tract(user)
    exact = bool(can_view_reports_in_full(user))
    parts = []
    for geoid, typology, risk in TractResult.objects.filter(run=run).order_by("geoid").values_list("geoid", "typology", "risk_class"):
        geometry = shapes.get(geoid)
        if geometry is None:
            continue
        properties = {
            "geoid": geoid, "name": names.get(geoid) or geoid, "t": typology, "r": risk,
            "a": str(found.tier_of(geoid, typology)),
            "c": _report_band(_report_value(counts.get(geoid, 0)), exact=exact),
        }
        parts.append('{"type":"Feature","properties":' + json_compact(properties) + ',"geometry":' + geometry + "}")
    body = ('{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}").encode()
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def investment_overlay_geojson(user) -> bytes:
    """Planned investments the viewer may see, each with its buffer (as a polygon marked
    `buffer`), for the map's overlay."""
    import shapely

    from commontable.displacement.method.geometry import to_wgs84
    from commontable.displacement.method.overlay import project_buffers

    rows = _planned_investments(user)
    if not rows:
        return b'{"type":"FeatureCollection","features":[]}'
    buffers_utm, _radii = project_buffers([row[5] for row in rows], [row[2] for row in rows],
                                          default_radius_m=QUARTER_MILE, project_ids=[row[0] for row in rows])
    buffers = to_wgs84(buffers_utm)
    features = []
    for row, buffer in zip(rows, buffers, strict=True):
        features.append('{"type":"Feature","properties":' + json_compact({"name": row[1], "buffer": False}) + ',"geometry":' + row[5] + "}")
        features.append('{"type":"Feature","properties":' + json_compact({"name": row[1], "buffer": True})
                        + ',"geometry":' + shapely.to_geojson(shapely.set_precision(buffer, 0.00001)) + "}")
    return ('{"type":"FeatureCollection","features":[' + ",".join(features) + "]}").encode()


# --- A tract's page, disagreements, alerts, the CSV --------------------------------------------------

SENSITIVITY_KEYS = ["freeman_gent", "governing_gent", "ncrc_gent"]
# Shown on a tract's page and in the CSV, beyond the gentrification tests that the disagreement
# view compares: NCRC's cultural-displacement test (a group of colour fell where NCRC sees
# gentrification). Results computed before it existed have no value: "not enough data".
SENSITIVITY_SHOWN = [*SENSITIVITY_KEYS, "ncrc_cultural"]


def sensitivity_label(key: str) -> str:
    return {
        "freeman_gent": _("Freeman (2005) gentrification test"),
        "governing_eligible": _("Governing (2015): could gentrify"),
        "governing_gent": _("Governing (2015) gentrification test"),
        "ncrc_gent": _("NCRC (2019) gentrification test"),
        "ncrc_cultural": _("NCRC (2019) cultural displacement: a group of colour fell where it gentrified"),
    }.get(key, key)


def yes_no_unknown(value) -> str:
    if value is None:
        return _("Not enough data")
    return _("Yes") if value else _("No")


# Readable names of the survey measures a tract page shows (others show their census code).
def variable_label(code: str) -> str:
    labels = {
        "B03002_001": _("Population (race and ethnicity table)"),
        "B03002_003": _("White alone, not Hispanic or Latino"),
        "B01003_001": _("Total population"),
        "B19013_001": _("Median household income"),
        "B19001_001": _("Households"),
        "B25064_001": _("Median gross rent"),
        "B25077_001": _("Median home value"),
        "B25003_001": _("Occupied homes"),
        "B25003_002": _("Owner-occupied homes"),
        "B25003_003": _("Renter-occupied homes"),
        "B15003_001": _("People 25 and over"),
        "B15003_022": _("Bachelor's degree"),
        "B15003_023": _("Master's degree"),
        "B15003_024": _("Professional degree"),
        "B15003_025": _("Doctorate"),
        "B14007_001": _("Population 3 and over (school enrolment)"),
        "B14007_017": _("Enrolled in college, undergraduate"),
        "B14007_018": _("Enrolled in graduate or professional school"),
        "B25105_001": _("Median monthly housing costs"),
        "B06011_001": _("Median individual income"),
        "B25070_001": _("Renter households (rent burden table)"),
        "C16002_001": _("Households (language table)"),
    }
    return str(labels.get(code.removesuffix("E"), code))


def reason_text(reason: str) -> str:
    """A result's reason code (spec §6.3: "flag:ARG", "pop<=500", "missing:hinc_t1",
    "conflict:AdvG,BE", "patch:gent_early" …) in words."""
    if not reason:
        return _("It met this type's rule and no other.")
    head, _sep, rest = reason.partition(":")
    if head in ("flag", "rule", "type"):
        return _("It met the rule of this type and of no other: %(type)s.") % {"type": typology_label(rest)}
    if head.startswith("pop<=") or head.startswith("pop<"):
        return _("%(count)s people or fewer live here, too few for reliable figures.") % {
            "count": head.split("=")[-1].lstrip("<")}
    if head.startswith("students>"):
        return _("College and graduate students are more than %(share)s of residents.") % {
            "share": _percent(_float(head.removeprefix("students>")))}
    if head == "missing":
        return _("Survey values are missing or unreliable: %(names)s.") % {"names": ", ".join(rest.split(","))}
    if head == "conflict":
        return _("It met the rules of more than one type: %(types)s.") % {
            "types": ", ".join(str(typology_label(c)) for c in rest.split(","))}
    if head == "no_flag":
        return _("It met the rule of no type.")
    if head == "patch":
        return {
            "gent_early": _("Low-income, and it gentrified in the earlier window: advanced gentrification."),
            "gent_late": _("Low-income, and it gentrified in the later window: early or ongoing gentrification."),
            "AdvG+BE": _("It met the rules of advanced gentrification and becoming exclusive: advanced gentrification comes first."),
        }.get(rest, reason)
    return reason


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def concern_of(result: TractResult) -> dict[str, bool | None]:
    """What each method says of displacement pressure here: True (pressure), False (none) or None
    (no opinion: missing data, a moderate index, a student or unavailable type)."""
    typology = result.typology
    if typology in {"OD", "ARG", "EOG", "AdvG", "BE"}:
        by_type: bool | None = True
    elif typology in {"SMMI", "SAE", "LISD", "ARE"}:
        by_type = False
    else:
        by_type = None
    by_index = {"higher": True, "low": False}.get(result.risk_class)
    flags = [result.sensitivity.get(key) for key in SENSITIVITY_KEYS]
    known = [flag for flag in flags if flag is not None]
    by_tests = (any(known) if known else None)
    return {"typology": by_type, "index": by_index, "tests": by_tests}


def disagreement_text(result: TractResult) -> str:
    """"" where the methods with an opinion agree; else who says what."""
    said = concern_of(result)
    opinions = [value for value in said.values() if value is not None]
    if len(set(opinions)) < 2:
        return ""
    words = {True: _("pressure"), False: _("no pressure")}
    names = {"typology": _("the typology"), "index": _("the risk index"), "tests": _("the other gentrification tests")}
    return "; ".join(
        _("%(method)s says %(what)s") % {"method": names[key], "what": words[value]}
        for key, value in said.items() if value is not None
    ) + "."


def _fragile(result: TractResult) -> bool:
    return result.stability is not None and result.stability < FRAGILE_BELOW


@dataclass(frozen=True)
class DisagreementRow:
    geoid: str
    name: str
    typology_label: str
    risk_label: str
    sensitivity_text: str
    stability_text: str
    fragile: bool
    disagreement: str


def disagreements(run: Run) -> list[DisagreementRow]:
    names = tract_names()
    rows = []
    for result in TractResult.objects.filter(run=run).order_by("geoid").only(
            "geoid", "typology", "risk_class", "sensitivity", "stability"):
        text = disagreement_text(result)
        fragile = _fragile(result)
        if not text and not fragile:
            continue
        tests = ", ".join(f"{sensitivity_label(key)}: {yes_no_unknown(result.sensitivity.get(key))}" for key in SENSITIVITY_KEYS)
        rows.append(DisagreementRow(
            result.geoid, names.get(result.geoid) or result.geoid, str(typology_label(result.typology)),
            str(risk_label(result.risk_class)), tests, _percent(result.stability), fragile, text,
        ))
    return rows


@dataclass(frozen=True)
class AlertRow:
    geoid: str
    name: str
    typology_label: str
    land_share_text: str
    bipoc_high: bool
    investments: list


def alert_tiers() -> list[tuple[int, str]]:
    return [(tier, str(tier_label(tier))) for tier in (1, 2, 3)]


def alert_rows(run: Run, *, user, tier: int = 1) -> list[AlertRow]:
    """Tracts at an alert tier for this viewer, with the planned investments behind each. A tract
    is marked for a high BIPOC share when its share is at least the region's median (spec §6.4)."""
    import statistics

    found = exposure(user)
    names = tract_names()
    results = list(TractResult.objects.filter(run=run).values_list("geoid", "typology", "bipoc_share"))
    shares = [share for _g, _t, share in results if share is not None]
    median = statistics.median(shares) if shares else None
    rows = []
    for geoid, typology, share in results:
        if found.tier_of(geoid, typology) != tier:
            continue
        rows.append(AlertRow(
            geoid, names.get(geoid) or geoid, str(typology_label(typology)), _percent(found.land_share.get(geoid)),
            median is not None and share is not None and share >= median, found.investments.get(geoid, []),
        ))
    rows.sort(key=lambda row: (-len(row.investments), row.geoid))
    return rows


def tier1_count(run: Run, *, user) -> int:
    found = exposure(user)
    return sum(1 for geoid, typology in TractResult.objects.filter(run=run).values_list("geoid", "typology")
               if found.tier_of(geoid, typology) == 1)


def results_table(run: Run, *, user) -> tuple[list[str], list[list]]:
    """The CSV of a run: one row per tract, with the viewer's alert tier."""
    found = exposure(user)
    blocks_keys: list[str] = []
    results = list(TractResult.objects.filter(run=run).order_by("geoid"))
    for result in results:
        for key in result.blocks:
            if key not in blocks_keys:
                blocks_keys.append(key)
    header = ["geoid20", "region_id", "profile", "t0", "t1", "typology", "typology_label", "typology_reason",
              "stability", "dri_score", "dri_class", "bipoc_share_t1", *SENSITIVITY_SHOWN, "governing_eligible",
              "alert_tier", "exposed_land_share", *blocks_keys]
    rows = []
    for result in results:
        rows.append([
            result.geoid, run.region.slug, run.profile, run.t0, run.t1, result.typology, typology_label(result.typology),
            result.reason, result.stability, result.risk_score, result.risk_class, result.bipoc_share,
            *[result.sensitivity.get(key) for key in SENSITIVITY_SHOWN], result.sensitivity.get("governing_eligible"),
            found.tier_of(result.geoid, result.typology), found.land_share.get(result.geoid),
            *[result.blocks.get(key) for key in blocks_keys],
        ])
    return header, rows


@dataclass
class TractPage:
    result: TractResult | None
    typology_label: str = ""
    reason_text: str = ""
    risk_label: str = ""
    risk_score: str = ""
    risk_note: str = ""
    stability_percent: str = ""
    fragile: bool = False
    sensitivity: list = field(default_factory=list)
    disagreement: str = ""
    tier_label: str = ""
    investments: list = field(default_factory=list)
    years: list = field(default_factory=list)
    inputs: list = field(default_factory=list)
    blocks: list = field(default_factory=list)
    reports: str = ""


def _reliability(estimate, margin) -> str:
    if estimate in (None, 0) or margin is None:
        return ""
    cv = (margin / 1.645) / abs(estimate)
    if cv <= 0.15:
        return _("high reliability")
    if cv <= 0.30:
        return _("medium reliability")
    return _("low reliability")


def _number(value) -> str:
    from django.utils.formats import number_format

    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return number_format(round(value, 2), 2, use_l10n=True)
    return number_format(int(value), 0, use_l10n=True, force_grouping=True)


def risk_index_note(run: Run) -> str:
    """What the run's risk index counted, in words."""
    note = _("The risk index ranks the region's tracts on people of colour, limited English, adults without a "
             "degree, renters, rent burden, income and rent (census survey).")
    if "transit_proximity" in (run.parameters or {}).get("risk_extra", []):
        note += " " + _("This computation also counts being within half a mile of a public transit line or station "
                        "in the investment register, built or planned.")
    return str(note)


def tract_page(tract: Tract, *, run: Run | None, user) -> TractPage:
    result = result_get(run, tract.geoid) if run else None
    page = TractPage(result=result)
    if result is not None:
        found = exposure(user)
        tier = found.tier_of(result.geoid, result.typology)
        page.typology_label = str(typology_label(result.typology))
        page.reason_text = reason_text(result.reason)
        page.risk_label = str(risk_label(result.risk_class))
        page.risk_score = "" if result.risk_score is None else str(round(result.risk_score, 1))
        page.risk_note = risk_index_note(run)
        page.stability_percent = "" if result.stability is None else str(round(result.stability * 100))
        page.fragile = _fragile(result)
        page.sensitivity = [(sensitivity_label(key), yes_no_unknown(result.sensitivity.get(key))) for key in SENSITIVITY_SHOWN]
        page.disagreement = disagreement_text(result)
        page.tier_label = str(tier_label(tier)) if tier else (
            _("Planned investment is nearby, but this tract's type raises no alert.") if tract.geoid in found.land_share
            else _("No alert."))
        page.investments = found.investments.get(result.geoid, [])
        years = sorted(result.inputs, key=lambda y: int(y) if str(y).isdigit() else 0)
        page.years = years
        variables: list[str] = []
        for year in years:
            for variable in result.inputs[year]:
                if variable not in variables:
                    variables.append(variable)
        for variable in variables:
            cells = []
            for year in years:
                estimate, margin = (result.inputs[year].get(variable) or [None, None])[:2]
                text = _number(estimate) if margin is None else f"{_number(estimate)} ± {_number(margin)}"
                cells.append({"text": text, "reliability": _reliability(estimate, margin)})
            page.inputs.append({"label": variable_label(variable), "cells": cells})
        page.blocks = [(key, yes_no_unknown(value) if isinstance(value, bool) or value is None else value)
                       for key, value in result.blocks.items()]
    counts = _reports_per_tract(user)
    value = _report_value(counts.get(tract.geoid, 0))
    if value is None:
        page.reports = _("Fewer than five community reports: the number is not shown, to protect the people who reported.")
    elif value:
        from django.utils.translation import ngettext

        page.reports = ngettext("%(count)s community report.", "%(count)s community reports.", value) % {"count": value}
    return page


@dataclass(frozen=True)
class WatchChoice:
    kind: str  # "place" or "investment"
    slug: str
    name: str
    watching: bool


def watch_choices(tract: Tract, page: TractPage, *, user) -> list[WatchChoice]:
    """What a signed-in visitor of a tract's page may watch for the digest: the tract's county
    (when the places vocabulary has it) and the planned investments near it."""
    if user is None or not user.is_authenticated:
        return []
    from commontable.core.models import Place
    from commontable.core.notifications import subscription_for
    from commontable.displacement.notifications import INVESTMENT_TOPIC, PLACE_TOPIC
    from commontable.investments.models import Investment

    choices = []
    for place in Place.objects.filter(code__in=[tract.county_fips, tract.geoid]).order_by("kind", "name"):
        choices.append(WatchChoice("place", place.slug, place.name,
                                   subscription_for(user, PLACE_TOPIC, place.pk) is not None))
    slugs = [item.slug for item in page.investments]
    for pk, slug, name in Investment.objects.filter(slug__in=slugs).values_list("pk", "slug", "name"):
        choices.append(WatchChoice("investment", slug, name, subscription_for(user, INVESTMENT_TOPIC, pk) is not None))
    return choices
