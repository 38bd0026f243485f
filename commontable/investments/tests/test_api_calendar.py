"""The decision calendar's JSON API: permission matrices (token auth), field-level 422s (a time
skipped by spring-forward, end before start), SEQUENCE on change, watching, a query count."""

import datetime as dt
import json

import pytest
from django.test import Client

from commontable.accounts.services import api_token_create
from commontable.core.testing import PERSONAS
from commontable.investments import calendar
from commontable.investments.models import Decision
from commontable.investments.tests.test_decision_calendar import cal  # noqa: F401  (fixture)

API = "/api/v1"


@pytest.fixture
def tokens(personas):
    return {name: api_token_create(user=personas.user(name), name="tests")[1]
            for name in PERSONAS if personas.user(name) is not None}


def call(persona, tokens, method, url, body=None):
    client = Client()
    extra = {} if persona == "anonymous" else {"HTTP_AUTHORIZATION": f"Bearer {tokens[persona]}"}
    if body is None:
        return getattr(client, method)(url, **extra)
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", **extra)


def matrix(tokens, method, url, expected, body=None, default=None, before=None):
    failures = []
    for persona in PERSONAS:
        if before:
            before()
        want = expected.get(persona, default)
        got = call(persona, tokens, method, url, body)
        if got.status_code != want:
            failures.append(f"{persona}: expected {want}, got {got.status_code} {got.content[:200]!r}")
    assert not failures, f"{method.upper()} {url}\n  " + "\n  ".join(failures)


def test_decision_list_shows_each_persona_what_they_may_see(tokens, cal):  # noqa: F811
    def titles(persona):
        response = call(persona, tokens, "get", f"{API}/decisions")
        assert response.status_code == 200
        return {item["title"] for item in response.json()["items"]}

    assert titles("anonymous") == {"Public hearing on the extension", "Comments on the environmental review",
                                   "Comments on the station area plan"}
    assert "Council vote on the station" in titles("member_b")
    assert "Closed vote on the land deal" not in titles("member_b")
    assert "Closed vote on the land deal" in titles("staff")


def test_decision_detail_matrix(tokens, cal):  # noqa: F811
    matrix(tokens, "get", f"{API}/decisions/{cal.member_vote.public_id}",
           {"anonymous": 404, "public_user": 404}, default=200)
    matrix(tokens, "get", f"{API}/decisions/{cal.staff_vote.public_id}", {"staff": 200, "admin": 200}, default=404)


def test_only_staff_create_and_change(tokens, cal):  # noqa: F811
    body = {"kind": "hearing", "title": "API hearing", "starts_on": "2027-05-04", "starts_at_time": "18:00",
            "body": "saint-paul-city-council"}
    matrix(tokens, "post", f"{API}/investments/{cal.members.slug}/decisions",
           {"anonymous": 401, "public_user": 404, "staff": 201, "admin": 201}, body=body, default=403)
    created = Decision.objects.filter(title="API hearing")
    assert created.count() == 2 and created.first().body == cal.council
    matrix(tokens, "patch", f"{API}/decisions/{cal.member_vote.public_id}",
           {"anonymous": 401, "public_user": 404, "staff": 200, "admin": 200}, body={"location": "Library"},
           default=403)


def test_a_new_time_raises_sequence_and_a_skipped_time_is_a_422(tokens, cal):  # noqa: F811
    url = f"{API}/decisions/{cal.public_hearing.public_id}"
    response = call("staff", tokens, "patch", url, {"starts_at_time": "19:15"})
    assert response.status_code == 200 and response.json()["sequence"] == 1
    response = call("staff", tokens, "patch", url, {"starts_on": "2027-03-14", "starts_at_time": "02:30"})
    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == ["starts_at_time"]
    response = call("staff", tokens, "patch", url, {"ends_at_time": "10:00"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "ends_at_time"
    response = call("staff", tokens, "post", f"{API}/investments/{cal.public.slug}/decisions",
                    {"kind": "comment_deadline", "title": "x", "starts_on": "2027-05-01"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "deadline_kind"
    response = call("staff", tokens, "post", f"{API}/investments/{cal.public.slug}/decisions",
                    {"kind": "vote", "title": "x", "starts_on": "2027-05-01", "time_zone": "Mars/Olympus"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "time_zone"


def test_watching_over_the_api(tokens, cal, personas):  # noqa: F811
    url = f"{API}/investments/{cal.members.slug}/watch"
    matrix(tokens, "put", url, {"anonymous": 401, "public_user": 404}, default=200)
    matrix(tokens, "get", url, {"anonymous": 401, "public_user": 404}, default=200)
    assert calendar.is_watching(personas.user("member_b"), cal.members)
    matrix(tokens, "delete", url, {"anonymous": 401, "public_user": 404}, default=200)
    assert not calendar.is_watching(personas.user("member_b"), cal.members)


def test_decision_list_query_count(tokens, cal):  # noqa: F811
    from commontable.investments.tests.test_decision_calendar import add, assert_own_queries

    for i in range(5):
        add(cal.public, f"Extra {i}", body=cal.council, at=dt.time(8 + i))
    call("member_b", tokens, "get", f"{API}/decisions")
    # the count, the page of decisions with investment and body, the visible organisations
    with assert_own_queries(3):
        response = call("member_b", tokens, "get", f"{API}/decisions?limit=50")
    assert len(response.json()["items"]) == 9
