"""The community reports API for every persona: the public counts per tract (never a point or a
report), reports in full for staff and their own for a reporter (404 for anyone else), making a
report (members; 401/403 otherwise; 422 per field; 429 over the daily limit) and withdrawing one."""

import json

import pytest
from django.utils import timezone

from commontable.core.testing import assert_permission_matrix, login_as
from commontable.displacement import services_reports
from commontable.displacement.models import CommunityReport
from commontable.displacement.tests.factories import CommunityReportFactory
from commontable.displacement.tests.test_reports import TRACT_EAST, TRACT_WEST, _tracts, world  # noqa: F401

API = "/api/v1/displacement"
PAYLOAD = {"kind": "rent_spike", "occurred_on": "2026-11-20", "lat": 44.96, "lon": -93.05,
           "description": "Rent up 30%", "consent_aggregate": True}


def _post(client, url, data, **extra):
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


def test_the_public_counts_are_for_everyone_and_never_hold_a_place(client, personas, world):  # noqa: F811
    for _n in range(6):
        CommunityReportFactory(geoid=TRACT_EAST, lat=44.987654, lon=-93.012345, description="Flat 2, 9 Elm St")
    for _n in range(5):
        CommunityReportFactory(geoid=TRACT_WEST)
    url = f"{API}/reports/tracts"
    assert_permission_matrix(client, personas, "get", url, {}, default=200)
    response = client.get(url)
    body = response.json()
    # The fixture's two reports: one more in each tract.
    assert body == {"minimum": 5, "total": 13, "not_shown": None,
                    "tracts": [{"geoid": TRACT_EAST, "reports": 7}, {"geoid": TRACT_WEST, "reports": 6}]}
    text = response.content.decode()
    for secret in ("lat", "lon", "44.98", "-93.01", "Elm St", "description", "reporter"):
        assert secret not in text
    assert client.get(url, {"geoid": TRACT_EAST}).status_code == 422


def test_small_counts_are_hidden_with_their_complement(client, personas, world):  # noqa: F811
    for _n in range(3):
        CommunityReportFactory(geoid="27123030300")
    for _n in range(8):
        CommunityReportFactory(geoid=TRACT_EAST)
    body = client.get(f"{API}/reports/tracts").json()
    # West 1 and the third tract 3 are small; east (9) shows; total 13 of which 4 in hidden tracts.
    assert body["tracts"] == [{"geoid": TRACT_EAST, "reports": 9}]
    assert (body["total"], body["not_shown"]) == (13, 4)


def test_report_list_is_all_for_staff_own_for_a_member_none_for_others(client, personas, world):  # noqa: F811
    url = f"{API}/reports"
    assert_permission_matrix(client, personas, "get", url, {}, default=200)
    counts = {}
    for persona in ("anonymous", "public_user", "member_a", "member_b", "table_member", "staff"):
        login_as(client, personas, persona)
        counts[persona] = client.get(url).json()["count"]
    assert counts == {"anonymous": 0, "public_user": 0, "member_a": 1, "member_b": 1, "table_member": 0, "staff": 2}
    login_as(client, personas, "member_a")
    item = client.get(url).json()["items"][0]
    assert item["description"] == "Notice on door 3B" and item["lat"] == 44.95 and item["reporter"] is None
    login_as(client, personas, "staff")
    assert client.get(url, {"geoid": TRACT_EAST}).json()["items"][0]["kind"] == "rent_spike"
    assert client.get(url, {"withdrawn": "maybe"}).status_code == 422
    assert client.get(url, {"colour": "red"}).status_code == 422


def test_report_list_has_a_fixed_query_count(client, personas, world, django_assert_max_num_queries):  # noqa: F811
    for _n in range(6):
        CommunityReportFactory(reporter=personas.user("member_b"))
    login_as(client, personas, "staff")
    client.get(f"{API}/reports")
    with django_assert_max_num_queries(8) as captured:
        body = client.get(f"{API}/reports").json()
    assert body["count"] == 8
    # COUNT, the page with its reporters.
    assert len([q for q in captured.captured_queries if "displacement_communityreport" in q["sql"]]) == 2


def test_a_report_is_read_by_staff_and_its_reporter_only(client, personas, world):  # noqa: F811
    url = f"{API}/reports/{world.own.public_id}"
    assert_permission_matrix(client, personas, "get", url, {"member_a": 200, "staff": 200, "admin": 200}, default=404)


def test_members_report(client, personas, world):  # noqa: F811
    url = f"{API}/reports"
    assert_permission_matrix(client, personas, "post", url, {"anonymous": 401, "public_user": 403}, default=201,
                             data=json.dumps(PAYLOAD), content_type="application/json")  # type: ignore[arg-type]
    made = CommunityReport.objects.filter(description="Rent up 30%")
    assert made.count() == 6 and {r.geoid for r in made} == {TRACT_EAST}


def test_a_report_made_through_the_api(client, personas, world):  # noqa: F811
    login_as(client, personas, "member_b")
    response = _post(client, f"{API}/reports", PAYLOAD, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 201
    body = response.json()
    assert body["geoid"] == TRACT_EAST and body["lat"] == 44.96 and body["language"] == "es"


@pytest.mark.parametrize(("changes", "field"), [
    ({"occurred_on": "2099-01-01"}, "occurred_on"),
    ({"occurred_on": "1999-12-31"}, "occurred_on"),
    ({"lat": 91}, "lat"),
    ({"lon": "west"}, "lon"),
    ({"kind": "alien"}, "kind"),
    ({"consent_aggregate": "yes"}, "consent_aggregate"),
    ({"address": "1 Main St"}, "address"),
    ({"description": "x" * 4001}, "description"),
])
def test_bad_reports_are_field_level_422s(client, personas, world, changes, field):  # noqa: F811
    login_as(client, personas, "member_a")
    response = _post(client, f"{API}/reports", {**PAYLOAD, **changes})
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"][-1] == field
    assert CommunityReport.objects.count() == 2


def test_the_daily_limit_answers_429_with_the_reason(client, personas, world):  # noqa: F811
    for _n in range(services_reports.REPORTS_PER_DAY - 1):
        CommunityReportFactory(reporter=personas.user("member_a"))
    login_as(client, personas, "member_a")
    response = _post(client, f"{API}/reports", PAYLOAD)
    assert response.status_code == 429
    assert "20 reports in the last 24 hours" in response.json()["detail"]


def test_withdrawing_through_the_api(client, personas, world):  # noqa: F811
    url = f"{API}/reports/{world.own.public_id}/withdraw"
    assert_permission_matrix(client, personas, "post", url,
                             {"anonymous": 401, "member_a": 200, "staff": 422, "admin": 422}, default=404)
    world.own.refresh_from_db()
    assert world.own.withdrawn_at is not None and world.own.withdrawn_at <= timezone.now()
    assert client.get(f"{API}/reports/tracts").json()["total"] is None
