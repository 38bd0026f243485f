"""Computing a region from stored rows: the demo region end to end, refusals that say what is
missing and write nothing, values on 2010 tracts carried onto 2020 tracts, and the fetch command's
service against recorded answers (no network in tests)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from commontable.displacement import computing, demo, selectors, services
from commontable.displacement.models import Run, SurveyValues, Tract, TractRelationship, TractResult
from commontable.displacement.tests.factories import RegionFactory, TractFactory

pytestmark = pytest.mark.django_db


def test_demo_region_computes_every_tract_and_is_labelled_synthetic():
    summary = demo.displacement_demo_load(tracts=120, stability_draws=10)
    assert summary.tracts == 120 and summary.run_tracts == 120
    run = selectors.run_current()
    assert run.synthetic and run.tract_count == 120
    results = TractResult.objects.filter(run=run)
    assert results.count() == 120
    codes = set(results.values_list("typology", flat=True))
    assert codes <= set(selectors.TYPOLOGY_ORDER) and len(codes) >= 5
    one = results.exclude(typology="UNAVAILABLE").first()
    assert one.inputs and one.blocks and one.reason
    # Loading again adds nothing.
    assert demo.displacement_demo_load(tracts=120) is None
    assert Tract.objects.count() == 120


def test_refusals_say_what_is_missing_and_write_nothing():
    region = RegionFactory(county_fips=["27123"])
    with pytest.raises(services.CensusRefused) as refused:
        services.run_compute(region=region, profile="twin_cities", t0=2012, t1=2022)
    assert "No 2020 tract boundaries" in refused.value.problems[0]
    TractFactory(geoid="27123000100")
    SurveyValues.objects.create(year=2022, geography_year=2020, geoid="27123000100", values={"B19013_001": [5, 1, ""]})
    with pytest.raises(services.CensusRefused) as refused:
        services.run_compute(region=region, profile="twin_cities", t0=2012, t1=2022)
    assert any("2012" in problem for problem in refused.value.problems)
    SurveyValues.objects.create(year=2012, geography_year=2010, geoid="27123000100", values={"B19013_001": [5, 1, ""]})
    with pytest.raises(services.CensusRefused) as refused:
        services.run_compute(region=region, profile="twin_cities", t0=2012, t1=2022)
    assert any("relationship" in problem for problem in refused.value.problems)
    with pytest.raises(services.CensusRefused):
        services.run_compute(region=region, profile="twin_cities", t0=2019, t1=2022)
    assert not Run.objects.exists() and not TractResult.objects.exists()


def test_values_on_2010_tracts_are_carried_onto_2020_tracts_with_counts_conserved():
    region = RegionFactory(county_fips=["27123"])
    # 2010 tract A split in two 2020 tracts (60/40 by land), 2010 tract B kept whole.
    for geoid, lon in (("27123000101", -93.1), ("27123000102", -93.08), ("27123000200", -93.06)):
        TractFactory(geoid=geoid, lon=lon, lat=44.95, half=0.005)
    for source, target, weight in (("27123000100", "27123000101", 0.6), ("27123000100", "27123000102", 0.4),
                                   ("27123000200", "27123000200", 1.0)):
        TractRelationship.objects.create(source_geoid=source, target_geoid=target, weights={"area": weight})
    SurveyValues.objects.create(year=2012, geography_year=2010, geoid="27123000100",
                                values={"B01003_001": [1000, 100, ""], "B25003_001": [400, 40, ""]})
    SurveyValues.objects.create(year=2012, geography_year=2010, geoid="27123000200",
                                values={"B01003_001": [500, 50, ""], "B25003_001": [200, 20, ""]})
    for geoid in ("27123000101", "27123000102", "27123000200"):
        SurveyValues.objects.create(year=2022, geography_year=2020, geoid=geoid, values={"B01003_001": [600, 60, ""]})
    prepared = computing.prepare(region=region, profile="twin_cities", t0=2012, t1=2022)
    population = prepared.inputs.estimates[2012]["B01003_001"]
    assert np.allclose(population, [600, 400, 500])
    assert population.sum() == pytest.approx(1500)
    assert prepared.crosswalked_years == [2012]
    assert bool(prepared.inputs.crosswalked[2012].all())


def _fake_census_api(url: str) -> tuple[int, bytes]:
    """Answers like the Census Data API, for the tracts of two invented counties."""
    parts = urlsplit(url)
    if "/groups/" in parts.path:
        table = parts.path.rsplit("/", 1)[-1].removesuffix(".json")
        return 200, json.dumps({"variables": {f"{table}_001E": {"label": "Estimate!!Total:"}}}).encode()
    query = parse_qs(parts.query)
    columns = query["get"][0].split(",")
    ins = dict(value.split(":") for value in query["in"])
    rows = [[*columns, "state", "county", "tract"]]
    for tract in ("000100", "000200"):
        rows.append([str(1000 + i) if column.endswith("E") else "50" for i, column in enumerate(columns)]
                    + [ins["state"], ins.get("county", "123"), tract])
    return 200, json.dumps(rows).encode()


def test_fetch_stores_what_the_api_answers_and_resumes_from_its_cache(tmp_path):
    calls = []

    def transport(url):
        calls.append(url)
        return _fake_census_api(url)

    load = services.census_fetch(year=2022, states=["27"], counties={"27": ["123"]}, cache_dir=tmp_path,
                                 variables=["B01003_001", "B19013_001"], transport=transport, min_interval=0)
    assert load.rows == 2 and load.year == 2022
    stored = SurveyValues.objects.get(year=2022, geoid="27123000100")
    assert stored.values["B01003_001"][0] == 1000.0
    first = len(calls)
    services.census_fetch(year=2022, states=["27"], counties={"27": ["123"]}, cache_dir=tmp_path,
                          variables=["B01003_001", "B19013_001"], transport=transport, min_interval=0)
    assert len(calls) == first  # every answer was reused from the cache


def test_fetch_refusal_stores_nothing(tmp_path):
    def refusing(url):
        return 400, b"error: unknown variable 'B99999_001E'"

    with pytest.raises(services.CensusRefused) as refused:
        services.census_fetch(year=2022, states=["27"], cache_dir=tmp_path, variables=["B99999_001"],
                              transport=refusing, min_interval=0)
    assert "refused" in refused.value.problems[0]
    assert not SurveyValues.objects.exists()


def test_compute_command_refuses_unknown_region_and_reports_missing_data():
    with pytest.raises(CommandError, match="No such region"):
        call_command("displacement_compute", "2012", "2022", "--region", "nowhere")
    with pytest.raises(CommandError, match="Nothing was computed"):
        call_command("displacement_compute", "2012", "2022")


def test_staff_start_a_computation_from_the_data_page_and_it_finishes_in_the_background(
        client, personas, django_capture_on_commit_callbacks):
    from django.urls import reverse

    from commontable.core.testing import login_as

    demo.displacement_demo_load(tracts=60, stability_draws=0)
    region = selectors.region_default()
    login_as(client, personas, "staff")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("displacement:run_start"),
                               {"region": region.pk, "profile": "udp_compat", "t0": 2012, "t1": 2022})
    assert response.status_code == 302
    run = Run.objects.filter(profile="udp_compat").get()
    assert run.status == "done" and run.tract_count == 60  # the test settings run tasks at once
    assert TractResult.objects.filter(run=run).count() == 60
    # Overlapping windows are refused on the form; a missing year is said on the page.
    response = client.post(reverse("displacement:run_start"), {"region": region.pk, "profile": "twin_cities",
                                                               "t0": 2019, "t1": 2022})
    assert response.status_code == 400
    response = client.post(reverse("displacement:run_start"), {"region": region.pk, "profile": "twin_cities",
                                                               "t0": 2005, "t1": 2022}, follow=True)
    assert "2005" in response.content.decode()
    assert Run.objects.count() == 2


def test_a_background_run_that_cannot_finish_is_kept_as_failed_with_its_reason():
    demo.displacement_demo_load(tracts=30, stability_draws=0)
    run = Run.objects.create(region=selectors.region_default(), profile="twin_cities", t0=2005, t1=2022,
                             status="running", parameters={"stability_draws": 0})
    services.run_compute_background(run.pk)
    run.refresh_from_db()
    assert run.status == "failed" and "2005" in run.error


def test_neighbours_are_stored_with_the_boundaries_and_give_the_same_results_as_the_shapes():
    demo.displacement_demo_load(tracts=60, stability_draws=0)
    region = selectors.region_default()
    tracts = list(Tract.objects.order_by("geoid"))
    assert all(t.neighbours for t in tracts)  # the synthetic tiles all touch others
    first = tracts[0]
    assert first.geoid not in first.neighbours
    assert all(first.geoid in Tract.objects.get(geoid=g).neighbours for g in first.neighbours)  # symmetric
    stored = computing.prepare(region=region, profile="twin_cities", t0=2012, t1=2022)
    assert stored.inputs.neighbours is not None and stored.inputs.polygons is None
    Tract.objects.update(neighbours=[])
    from_shapes = computing.prepare(region=region, profile="twin_cities", t0=2012, t1=2022)
    assert from_shapes.inputs.neighbours is None and from_shapes.inputs.polygons is not None
    one = computing.compute(stored, stability_draws=0)
    other = computing.compute(from_shapes, stability_draws=0)
    assert [(r["geoid"], r["typology"], r["blocks"]["dp_rentgap"]) for r in one] == \
           [(r["geoid"], r["typology"], r["blocks"]["dp_rentgap"]) for r in other]


def _point(lon: float, lat: float) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


def test_transit_in_the_register_counts_in_the_risk_index_public_and_not_cancelled_only(client):
    from commontable.core.visibility import Visibility
    from commontable.investments.tests.factories import InvestmentFactory

    demo.displacement_demo_load(tracts=120, stability_draws=0)
    before = selectors.run_current()
    assert before.parameters.get("risk_extra") == []  # the demo register holds no transit: left out
    tracts = list(Tract.objects.order_by("geoid").values_list("geoid", "centroid_lon", "centroid_lat", "geometry"))
    geometries = [row[3] for row in tracts]
    assert computing.transit_proximity(geometries) is None
    far_lon, far_lat = tracts[0][1] + 5, tracts[0][2]  # hundreds of kilometres away
    InvestmentFactory(slug="far-line", kind="transit_line", visibility=Visibility.PUBLIC,
                      geometry=_point(far_lon, far_lat))
    assert computing.transit_proximity(geometries).sum() == 0
    # A staff-only station and a cancelled one do not count; a public planned one does, with its neighbours.
    lon, lat = tracts[60][1], tracts[60][2]
    InvestmentFactory(slug="hidden", kind="transit_station", visibility=Visibility.STAFF, geometry=_point(lon, lat))
    InvestmentFactory(slug="cancelled", kind="transit_station", visibility=Visibility.PUBLIC, stage="cancelled",
                      geometry=_point(lon, lat))
    InvestmentFactory(slug="park", kind="park", visibility=Visibility.PUBLIC, geometry=_point(lon, lat))
    assert computing.transit_proximity(geometries).sum() == 0
    InvestmentFactory(slug="station", kind="transit_station", visibility=Visibility.PUBLIC, stage="planning",
                      geometry=_point(lon, lat))
    near = computing.transit_proximity(geometries)
    assert near[60] == 1 and 1 <= near.sum() < len(tracts)
    run = services.run_compute(region=before.region, profile="twin_cities", t0=before.t0, t1=before.t1,
                               stability_draws=0)
    assert run.parameters["risk_extra"] == ["transit_proximity"]
    old = dict(TractResult.objects.filter(run=before).values_list("geoid", "risk_score"))
    new = dict(TractResult.objects.filter(run=run).values_list("geoid", "risk_score"))
    assert old.keys() == new.keys() and old != new  # the extra indicator moved scores
    html = client.get(reverse("displacement:tract_detail", args=[tracts[60][0]]), {"run": run.public_id}).content.decode()
    assert "within half a mile of a public transit line or station" in html
