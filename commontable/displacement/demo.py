"""The demo's displacement watch: a clearly labelled synthetic region of about 800 invented tracts
tiling the seven-county area, invented survey values over two windows (2008–2012 and 2018–2022),
and the computation over them, so the map works out of the box. Every row is marked synthetic and
every page built on it says "Invented demo data". Real data loads with `displacement_import`.

A few community reports and policy statuses are added where the demo's places and members exist,
so those pages have something to show."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import numpy as np
from django.db import transaction

from commontable.core.indicators import data_changed
from commontable.displacement import services
from commontable.displacement.choices import Profile, SourceKind
from commontable.displacement.models import SourceLoad, SurveyValues, Tract
from commontable.displacement.selectors import TRACTS_LABEL

TRACTS = 800
YEARS = (2012, 2022)
SEED = 2026


@dataclass
class DemoSummary:
    tracts: int
    run_tracts: int
    reports: int = 0
    policies: int = 0


def displacement_demo_load(*, tracts: int = TRACTS, seed: int = SEED, stability_draws: int = 100) -> DemoSummary | None:
    """Load the synthetic region and compute it; None when tracts are already loaded."""
    if Tract.objects.exists():
        return None
    import shapely

    from commontable.displacement.method.geometry import centroids, to_utm
    from commontable.displacement.method.synthetic import synthetic_inputs
    from commontable.displacement.method.synthetic_geo import synthetic_tracts

    region = services.region_default_ensure()
    shapes = synthetic_tracts(tracts, seed=seed)
    geoids = list(shapes.geoids)
    lon, lat = centroids(shapes.polygons)
    areas = shapely.area(to_utm(shapes.polygons))
    x, y = np.asarray(shapely.get_x(shapely.centroid(to_utm(shapes.polygons)))), np.asarray(
        shapely.get_y(shapely.centroid(to_utm(shapes.polygons))))
    inputs = synthetic_inputs(geoids, [region.slug] * len(geoids), list(YEARS), seed=seed,
                              centroids=np.column_stack([x, y]))
    geometries = shapely.to_geojson(shapely.set_precision(shapes.polygons, 0.000001))
    with transaction.atomic():
        load = SourceLoad.objects.create(
            kind=SourceKind.TRACTS, file_name="synthetic-tracts (invented demo data)", year=2020, geography_year=2020,
            sha256=hashlib.sha256(b"synthetic-tracts").hexdigest(), rows=len(geoids), synthetic=True,
        )
        Tract.objects.bulk_create([
            Tract(geoid=geoid, geography_year=2020, name=f"Demo tract {geoid[-4:]}", county_fips=geoid[:5],
                  aland_m2=int(areas[i]), geometry=str(geometries[i]), centroid_lon=float(lon[i]),
                  centroid_lat=float(lat[i]), synthetic=True, source=load)
            for i, geoid in enumerate(geoids)
        ], batch_size=1000)
        services.tract_neighbours_refresh(geography_year=2020)
        for year in YEARS:
            variables = sorted(inputs.estimates[year])
            SourceLoad.objects.create(
                kind=SourceKind.ACS, file_name=f"synthetic-acs5-{year} (invented demo data)", year=year,
                geography_year=2020, sha256=hashlib.sha256(f"synthetic-{year}".encode()).hexdigest(),
                rows=len(geoids), variables=variables, synthetic=True,
            )
            rows = []
            for i, geoid in enumerate(geoids):
                values = {}
                for var in variables:
                    estimate = float(inputs.estimates[year][var][i])
                    margins = inputs.moes.get(year, {}).get(var)
                    margin = float(margins[i]) if margins is not None else float("nan")
                    values[var] = [None if np.isnan(estimate) else round(estimate, 2),
                                   None if np.isnan(margin) else round(margin, 2), ""]
                rows.append(SurveyValues(year=year, geography_year=2020, geoid=geoid, values=values, synthetic=True))
            SurveyValues.objects.bulk_create(rows, batch_size=500)
    data_changed(TRACTS_LABEL)
    run = services.run_compute(region=region, profile=Profile.TWIN_CITIES, t0=YEARS[0], t1=YEARS[1],
                               stability_draws=stability_draws, seed=seed)
    summary = DemoSummary(tracts=len(geoids), run_tracts=run.tract_count)
    summary.reports = _demo_reports(run, seed=seed)
    summary.policies = _demo_policies()
    return summary


def _demo_reports(run, *, seed: int) -> int:
    """Community reports from the demo's members: enough in a few tracts to pass the five-report
    line on the public map, and fewer elsewhere (hidden there)."""
    from commontable.accounts.models import User
    from commontable.displacement.choices import ReportKind
    from commontable.displacement.models import CommunityReport, TractResult

    reporter = User.objects.filter(is_active=True, role="member").order_by("pk").first()
    if reporter is None:
        return 0
    rng = np.random.default_rng(seed)
    busy = list(TractResult.objects.filter(run=run, typology__in=["OD", "EOG", "ARG"]).values_list("geoid", flat=True)[:12])
    tracts = {t.geoid: t for t in Tract.objects.filter(geoid__in=busy)}
    kinds = [choice.value for choice in ReportKind]
    reports = []
    for n, geoid in enumerate(busy):
        tract = tracts[geoid]
        for _i in range(7 if n % 3 == 0 else 3):
            reports.append(CommunityReport(
                kind=kinds[int(rng.integers(len(kinds)))], description="Demo report (invented).",
                occurred_on=dt.date(2026, 1, 1) + dt.timedelta(days=int(rng.integers(300))),
                lon=tract.centroid_lon, lat=tract.centroid_lat, geoid=geoid, consent_aggregate=True,
                reporter=reporter, language="en",
            ))
    CommunityReport.objects.bulk_create(reports)
    return len(reports)


def _demo_policies() -> int:
    """Illustrative statuses for the demo's two cities (invented for the demo, not a legal record)."""
    from commontable.core.models import Place
    from commontable.displacement.choices import PolicyStatus
    from commontable.displacement.models import Policy, PolicyType

    wanted = {
        "minneapolis": {"inclusionary_zoning": PolicyStatus.ADOPTED, "advance_notice_of_sale": PolicyStatus.ADOPTED,
                        "topa": PolicyStatus.PROPOSED, "rent_stabilization": PolicyStatus.PROPOSED},
        "saint-paul": {"rent_stabilization": PolicyStatus.ADOPTED, "just_cause": PolicyStatus.ADOPTED,
                       "advance_notice_of_sale": PolicyStatus.ADOPTED, "topa": PolicyStatus.NONE},
    }
    types = {t.slug: t for t in PolicyType.objects.all()}
    made = 0
    for place in Place.objects.filter(slug__in=wanted):
        for slug, status in wanted[place.slug].items():
            if slug not in types:
                continue
            _policy, created = Policy.objects.get_or_create(
                jurisdiction=place, policy_type=types[slug],
                defaults={"status": status, "status_date": dt.date(2024, 1, 1) if status != PolicyStatus.NONE else None,
                          "source_note": "Demo data (illustrative)"},
            )
            made += int(created)
    return made
