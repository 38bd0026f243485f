"""The map, its layers, the tract page, disagreements, alerts and the CSV: who may see what, and
that the overlay counts only the investments the viewer may see."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from commontable.core.testing import assert_permission_matrix, login_as
from commontable.core.visibility import Visibility
from commontable.displacement import selectors
from commontable.displacement.tests.factories import (
    RegionFactory,
    RunFactory,
    TractFactory,
    TractResultFactory,
)
from commontable.investments.tests.factories import InvestmentFactory

pytestmark = pytest.mark.django_db

# A 3 × 3 grid of tracts (about 800 m a side) in Ramsey County.
LON0, LAT0, HALF = -93.10, 44.95, 0.005


def _point(lon: float, lat: float) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


@pytest.fixture
def grid(db):
    region = RegionFactory(slug="twin_cities", is_default=True)
    run = RunFactory(region=region, t0=2012, t1=2022, tract_count=9)
    types = ["OD", "ARG", "LISD", "SMMI", "ARE", "SAE", "EOG", "BE", "UNAVAILABLE"]
    geoids = []
    for i in range(9):
        row, col = divmod(i, 3)
        geoid = f"27123{970000 + i:06d}"
        TractFactory(geoid=geoid, lon=LON0 + col * 2 * HALF, lat=LAT0 + row * 2 * HALF, half=HALF, name=f"Tract 97{i:02d}")
        TractResultFactory(
            run=run, geoid=geoid, typology=types[i], reason=f"flag:{types[i]}",
            risk_class="higher" if i in (0, 3) else "low", risk_score=10 if i in (0, 3) else 2,
            stability=0.4 if i == 4 else 0.95, bipoc_share=0.1 * i,
            sensitivity={"freeman_gent": i == 3, "governing_gent": None, "ncrc_gent": i == 6, "ncrc_cultural": i == 6},
            inputs={"2012": {"B19013_001": [50000, 5000]}, "2022": {"B19013_001": [61000, 20000]}},
            blocks={"lostli": True},
        )
        geoids.append(geoid)
    return run, geoids


def test_map_is_public_and_lists_every_tract_with_its_class(client, personas, grid):
    run, _geoids = grid
    url = reverse("displacement:displacement_map")
    assert_permission_matrix(client, personas, "get", url, {}, default=200)
    response = client.get(url)
    html = response.content.decode()
    assert "Tract 9700" in html and "Ongoing displacement" in html
    assert "not endorsed by the Urban Displacement Project" in html
    assert str(run.public_id) in html
    # The legend data for every layer is on the page for the script.
    legends = response.context["legend_json"]
    assert set(legends) == {"typology", "risk", "alerts", "reports"}
    assert {item["code"]: item["count"] for item in legends["typology"]["items"]}["OD"] == 1


def test_map_without_a_computation_says_so(client, db):
    response = client.get(reverse("displacement:displacement_map"))
    assert response.status_code == 200
    assert "Nothing has been computed yet." in response.content.decode()


def test_risk_layer_table_shows_risk_classes(client, grid):
    response = client.get(reverse("displacement:displacement_map"), {"layer": "risk"})
    html = response.content.decode()
    assert "Higher risk" in html and "Lower risk" in html
    # An unknown layer falls back to the typology.
    response = client.get(reverse("displacement:displacement_map"), {"layer": "nope"})
    assert response.context["layer"] == "typology"


def test_unknown_or_malformed_run_is_404(client, grid):
    assert client.get(reverse("displacement:displacement_map"), {"run": "not-a-uuid"}).status_code == 404
    assert client.get(reverse("displacement:displacement_map"),
                      {"run": "00000000-0000-0000-0000-000000000000"}).status_code == 404


def test_tract_layer_geojson_has_classes_and_answers_304(client, grid):
    run, geoids = grid
    url = reverse("displacement:tract_layer") + f"?run={run.public_id}"
    response = client.get(url)
    assert response.status_code == 200
    data = json.loads(response.content)
    assert len(data["features"]) == 9
    first = data["features"][0]["properties"]
    assert first["geoid"] == geoids[0] and first["t"] == "OD" and first["r"] == "higher"
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_overlay_uses_only_investments_the_viewer_may_see(client, personas, grid):
    _run, geoids = grid
    # A members-only station in the middle of the first tract (type OD → tier 1 when exposed).
    InvestmentFactory(name="Members-only station", slug="members-station", visibility=Visibility.MEMBERS,
                      geometry=_point(LON0, LAT0))
    anonymous = selectors.exposure(None)
    assert geoids[0] not in anonymous.land_share
    login_as(client, personas, "member_a")
    member = selectors.exposure(personas.user("member_a"))
    assert geoids[0] in member.land_share
    assert member.tier_of(geoids[0], "OD") == 1
    response = client.get(reverse("displacement:alert_list"))
    assert "Members-only station" in response.content.decode()
    client.logout()
    response = client.get(reverse("displacement:alert_list"))
    assert "Members-only station" not in response.content.decode()


def test_public_planned_investment_raises_tiers_and_completed_ones_do_not(client, grid):
    run, geoids = grid
    InvestmentFactory(name="Done station", slug="done", visibility=Visibility.PUBLIC, stage="complete",
                      geometry=_point(LON0, LAT0))
    assert selectors.tier1_count(run, user=None) == 0
    InvestmentFactory(name="New station", slug="new", visibility=Visibility.PUBLIC, stage="planning",
                      geometry=_point(LON0, LAT0))
    assert selectors.tier1_count(run, user=None) >= 1
    rows = selectors.alert_rows(run, user=None, tier=1)
    assert rows[0].geoid == geoids[0]
    assert [item.name for item in rows[0].investments] == ["New station"]
    # Half a mile reaches the neighbouring tracts too (each about 1.1 km wide): the LISD tract east
    # of it is tier 2 only if it is reached; its land share is measured, not guessed.
    share = selectors.exposure(None).land_share[geoids[0]]
    assert 0 < share <= 1


def test_tract_page_shows_reason_inputs_and_disagreement(client, grid):
    _run, geoids = grid
    response = client.get(reverse("displacement:tract_detail", args=[geoids[3]]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stable moderate or mixed income" in html
    assert "Median household income" in html
    assert "61,000 ± 20,000" in html
    assert "The methods disagree here" in html  # typology: no pressure; index and Freeman: pressure
    assert client.get(reverse("displacement:tract_detail", args=["27123999999"])).status_code == 404
    cultural = re.search(r"NCRC \(2019\) cultural displacement[^<]*</(?:dt|th|td)>\s*<(?:dd|td)[^>]*>([^<]*)<", html)
    assert cultural and cultural.group(1).strip() == "No"
    html = client.get(reverse("displacement:tract_detail", args=[geoids[6]])).content.decode()
    cultural = re.search(r"NCRC \(2019\) cultural displacement[^<]*</(?:dt|th|td)>\s*<(?:dd|td)[^>]*>([^<]*)<", html)
    assert cultural and cultural.group(1).strip() == "Yes"


def test_disagreement_list_names_conflicts_and_fragile_types(client, grid):
    run, geoids = grid
    rows = selectors.disagreements(run)
    found = {row.geoid: row for row in rows}
    assert geoids[3] in found  # SMMI with a higher risk index
    assert found[geoids[4]].fragile  # stability 0.4
    assert geoids[1] in found  # ARG (pressure) with a lower index (none)
    assert geoids[5] not in found  # SAE, a lower index and no test: all say no pressure
    response = client.get(reverse("displacement:disagreement_list"), {"fragile": "1"})
    assert [row.geoid for row in response.context["page"].object_list] == [geoids[4]]


def test_results_csv_has_every_tract_and_is_formula_safe(client, grid):
    _run, _geoids = grid
    response = client.get(reverse("displacement:results_csv"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0].startswith("geoid20,region_id,profile,t0,t1,typology")
    assert len(lines) == 10
    header = lines[0].split(",")
    column = header.index("ncrc_cultural")
    assert sorted(line.split(",")[column] for line in lines[1:]) == ["no"] * 8 + ["yes"]


def test_data_pages_are_for_staff_only(client, personas, grid):
    assert_permission_matrix(client, personas, "get", reverse("displacement:data_overview"),
                             {"anonymous": 302, "staff": 200, "admin": 200}, default=403)
    assert_permission_matrix(client, personas, "post", reverse("displacement:run_start"),
                             {"anonymous": 302, "staff": 400, "admin": 400}, default=403)


def test_api_results_are_public_filtered_and_refuse_unknown_parameters(client, grid):
    run, geoids = grid
    response = client.get("/api/v1/displacement/results", {"typology": "OD"})
    assert response.status_code == 200
    data = response.json()
    assert data["run"]["id"] == str(run.public_id)
    assert [item["geoid"] for item in data["items"]] == [geoids[0]]
    assert client.get("/api/v1/displacement/results", {"typo": "OD"}).status_code == 422
    assert client.get("/api/v1/displacement/results", {"typology": "XX"}).status_code == 422
    assert client.get("/api/v1/displacement/results", {"run": "nope"}).status_code == 404


def test_api_result_detail_and_alerts_follow_the_viewer(client, personas, grid):
    _run, geoids = grid
    InvestmentFactory(name="Members-only station", slug="members-station", visibility=Visibility.MEMBERS,
                      geometry=_point(LON0, LAT0))
    detail = client.get(f"/api/v1/displacement/results/{geoids[0]}").json()
    assert detail["alert_tier"] == 0 and detail["investments"] == []
    assert client.get("/api/v1/displacement/alerts").json()["count"] == 0
    login_as(client, personas, "member_a")
    detail = client.get(f"/api/v1/displacement/results/{geoids[0]}").json()
    assert detail["alert_tier"] == 1
    assert [item["slug"] for item in detail["investments"]] == ["members-station"]
    alerts = client.get("/api/v1/displacement/alerts", {"tier": 1}).json()
    assert geoids[0] in [item["geoid"] for item in alerts["items"]]
    assert client.get("/api/v1/displacement/results/27123999999").status_code == 404


def test_investment_layer_has_only_visible_planned_investments_with_buffers(client, personas, grid):
    InvestmentFactory(name="Public station", slug="public-station", visibility=Visibility.PUBLIC,
                      geometry=_point(LON0, LAT0))
    InvestmentFactory(name="Members station", slug="members-station", visibility=Visibility.MEMBERS,
                      geometry=_point(LON0, LAT0))
    InvestmentFactory(name="Finished", slug="finished", visibility=Visibility.PUBLIC, stage="complete",
                      geometry=_point(LON0, LAT0))
    url = reverse("displacement:investment_layer")
    assert_permission_matrix(client, personas, "get", url, {}, default=200)
    features = json.loads(client.get(url).content)["features"]
    names = {(f["properties"]["name"], f["properties"]["buffer"]) for f in features}
    assert names == {("Public station", False), ("Public station", True)}
    buffer = next(f for f in features if f["properties"]["buffer"])
    assert buffer["geometry"]["type"] == "Polygon"
    login_as(client, personas, "member_a")
    names = {f["properties"]["name"] for f in json.loads(client.get(url).content)["features"]}
    assert names == {"Public station", "Members station"}
