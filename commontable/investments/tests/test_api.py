"""The investment watch's JSON API: the same visibility, permissions and selectors as the pages,
for every persona, over a session or a token; the services' field errors as 422s, one entry per
field; the map's GeoJSON; fixed query counts."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from commontable.accounts.services import api_token_create
from commontable.core.models import ActivityLog, Place
from commontable.core.testing import PERSONAS, login_as
from commontable.core.visibility import Visibility
from commontable.directory.tests.factories import OrganizationFactory, TableFactory
from commontable.investments import services
from commontable.investments.choices import AskOutcome, Escalation, Stage
from commontable.investments.models import (
    AskAction,
    CampaignAsk,
    Commitment,
    CommitmentReport,
    EscalationStep,
    FundingSource,
    Investment,
    StageChange,
)
from commontable.investments.tests.factories import (
    CampaignAskFactory,
    CommitmentFactory,
    CommitmentReportFactory,
    FundingSourceFactory,
    InvestmentFactory,
    ObligorFactory,
)

API = "/api/v1"
SIGNED_IN_MEMBERS = ("member_a", "member_b", "table_member", "board", "staff", "admin")
AUTH_MODES = ["session", "token"]
# Who sees a record of each visibility (table: table_member's organisation takes part in the table).
SEES = {
    "public": set(PERSONAS),
    "members": set(SIGNED_IN_MEMBERS),
    "table": {"table_member", "staff", "admin"},
    "staff": {"staff", "admin"},
}
STATION = {"type": "Point", "coordinates": [-93.1647, 44.9556]}
LINE = {"type": "LineString", "coordinates": [[-93.25, 44.97], [-93.2, 44.96], [-93.1, 44.95]]}
AREA = {"type": "Polygon", "coordinates": [[[-93.1, 44.9], [-93.09, 44.9], [-93.09, 44.91], [-93.1, 44.9]]]}


def today():
    return timezone.localdate()


def everyone(status):
    return dict.fromkeys(PERSONAS, status)


def seen_by(visibility, yes=200, no=404):
    return {persona: yes if persona in SEES[visibility] else no for persona in PERSONAS}


def writers(yes, *names, visibility="members"):
    """A write's matrix on a record of `visibility`: 401 without credentials, 404 to whoever may
    not see the record, `yes` to the personas named, 403 to everyone else."""
    expected = {}
    for persona in PERSONAS:
        if persona == "anonymous":
            expected[persona] = 401
        elif persona not in SEES[visibility]:
            expected[persona] = 404
        else:
            expected[persona] = yes if persona in names else 403
    return expected


STAFF = ("staff", "admin")


# ---------------------------------------------------------------------------------------------
# Helpers: every persona, over a session or over a personal token


@pytest.fixture
def tokens(personas):
    return {
        name: api_token_create(user=personas.user(name), name="tests")[1]
        for name in PERSONAS
        if personas.user(name) is not None
    }


def send(client, method, url, body=None, **extra):
    if body is None:
        return getattr(client, method)(url, **extra)
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", **extra)


def request_as(client, personas, tokens, persona, method, url, body=None, *, auth="session", **extra):
    client.logout()
    if auth == "session":
        login_as(client, personas, persona)
    elif persona != "anonymous":
        extra["HTTP_AUTHORIZATION"] = f"Bearer {tokens[persona]}"
    return send(client, method, url, body, **extra)


def assert_matrix(client, personas, tokens, method, url, expected, body=None, *, auth="session", before=None):
    """Every persona must be named. `before()` runs before each request (to put back a record a
    successful write changed, so that the next persona meets the same state)."""
    missing = set(PERSONAS) - set(expected)
    assert not missing, f"no expectation for {sorted(missing)}"
    failures = []
    for persona in PERSONAS:
        if before is not None:
            before()
        response = request_as(client, personas, tokens, persona, method, url, body, auth=auth)
        if response.status_code != expected[persona]:
            failures.append(
                f"{persona}: expected {expected[persona]}, got {response.status_code} {response.content[:200]!r}"
            )
    client.logout()
    assert not failures, f"{method.upper()} {url} ({auth})\n  " + "\n  ".join(failures)


def errors(response) -> dict:
    """{(loc…): type} of a 422."""
    assert response.status_code == 422, response.content
    return {tuple(e["loc"]): e["type"] for e in response.json()["detail"]}


def messages(response) -> dict:
    assert response.status_code == 422, response.content
    return {tuple(e["loc"]): e["msg"] for e in response.json()["detail"]}


def body_field(name):
    return ("body", "payload", name)


def page_url(slug):
    try:
        return reverse("investments:investment_detail", kwargs={"slug": slug})
    except NoReverseMatch:
        return None


# ---------------------------------------------------------------------------------------------
# The records: one investment of each visibility, each with a location, funding, a commitment
# and an ask of the same visibility


@pytest.fixture
def world(personas):
    out = {}
    obligor = ObligorFactory(name="Developer LLC", slug="developer-llc", visibility=Visibility.PUBLIC)
    for visibility in SEES:
        table = personas.table if visibility == "table" else None
        investment = InvestmentFactory(
            name=f"{visibility.title()} station",
            slug=f"{visibility}-station",
            visibility=visibility,
            visibility_table=table,
            geometry=STATION,
            min_lon=-93.1647,
            min_lat=44.9556,
            max_lon=-93.1647,
            max_lat=44.9556,
        )
        FundingSourceFactory(investment=investment, amount_cents=250_000_050)
        commitment = CommitmentFactory(
            investment=investment,
            obligor=obligor,
            visibility=visibility,
            visibility_table=table,
            text=f"{visibility} promise",
        )
        ask = CampaignAskFactory(
            investment=investment, visibility=visibility, visibility_table=table, ask=f"{visibility} ask"
        )
        AskAction.objects.create(ask=ask, kind="meeting", on=dt.date(2024, 2, 1))
        out[visibility] = SimpleNamespace(investment=investment, commitment=commitment, ask=ask)
    # Org A (member_a's) is engaged in the members investment: member_a reports and acts on asks.
    out["members"].investment.organizations.add(personas.org_a)
    out["obligor"] = obligor
    return out


# ---------------------------------------------------------------------------------------------
# Permission matrix: reads


@pytest.mark.parametrize("auth", AUTH_MODES)
@pytest.mark.parametrize("visibility", list(SEES))
def test_investment_detail_answers_404_to_whoever_may_not_see_it(
    client, personas, tokens, world, visibility, auth
):
    url = f"{API}/investments/{visibility}-station"
    assert_matrix(client, personas, tokens, "get", url, seen_by(visibility), auth=auth)


@pytest.mark.parametrize("visibility", list(SEES))
def test_commitment_and_ask_details_answer_404_to_whoever_may_not_see_them(
    client, personas, tokens, world, visibility
):
    for url in (
        f"{API}/commitments/{world[visibility].commitment.public_id}",
        f"{API}/asks/{world[visibility].ask.public_id}",
    ):
        assert_matrix(client, personas, tokens, "get", url, seen_by(visibility))


def test_a_public_commitment_or_ask_on_a_hidden_investment_is_hidden_too(client, personas, tokens, world):
    staff_only = world["staff"].investment
    commitment = CommitmentFactory(investment=staff_only, visibility=Visibility.PUBLIC)
    ask = CampaignAskFactory(investment=staff_only, visibility=Visibility.PUBLIC)
    for url in (f"{API}/commitments/{commitment.public_id}", f"{API}/asks/{ask.public_id}"):
        assert_matrix(client, personas, tokens, "get", url, seen_by("staff"))
    for url in ("/commitments", "/asks"):
        client.logout()
        items = client.get(API + url).json()["items"]
        assert all(item["investment"]["slug"] == "public-station" for item in items)


@pytest.mark.parametrize("auth", AUTH_MODES)
@pytest.mark.parametrize("url", ["/investments", "/investments.geojson", "/commitments", "/asks"])
def test_lists_answer_200_to_everyone(client, personas, tokens, world, url, auth):
    assert_matrix(client, personas, tokens, "get", API + url, everyone(200), auth=auth)


@pytest.mark.parametrize("url", ["/investments", "/investments.geojson", "/investments/public-station"])
def test_a_bad_token_is_a_401_even_on_a_public_read(client, world, url):
    response = client.get(API + url, HTTP_AUTHORIZATION="Bearer ct_nonsense")
    assert response.status_code == 401 and response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize("persona", PERSONAS)
def test_lists_and_the_map_show_exactly_what_the_persona_may_see(client, personas, world, persona):
    login_as(client, personas, persona)
    expected = {v for v in SEES if persona in SEES[v]}
    investments = client.get(f"{API}/investments").json()
    assert {i["slug"] for i in investments["items"]} == {f"{v}-station" for v in expected}
    assert investments["count"] == len(expected)
    features = json.loads(client.get(f"{API}/investments.geojson").content)["features"]
    assert {f["properties"]["slug"] for f in features} == {f"{v}-station" for v in expected}
    commitments = client.get(f"{API}/commitments").json()["items"]
    assert {c["text"] for c in commitments} == {f"{v} promise" for v in expected}
    asks = client.get(f"{API}/asks").json()["items"]
    assert {a["ask"] for a in asks} == {f"{v} ask" for v in expected}


# ---------------------------------------------------------------------------------------------
# Permission matrix: writes


def _investment_body(**extra):
    return {
        "name": "Rondo Land Bridge",
        "kind": "park",
        "total_cost": "6,500,000.00",
        "location": STATION,
    } | extra


@pytest.mark.parametrize("auth", AUTH_MODES)
def test_registering_an_investment_is_for_staff(client, personas, tokens, auth):
    expected = {p: 201 if p in STAFF else 403 for p in PERSONAS} | {"anonymous": 401}
    assert_matrix(
        client, personas, tokens, "post", f"{API}/investments", expected, _investment_body(), auth=auth
    )
    assert Investment.objects.count() == 2


@pytest.mark.parametrize("auth", AUTH_MODES)
def test_changing_an_investment_is_for_staff(client, personas, tokens, world, auth):
    url = f"{API}/investments/members-station"
    assert_matrix(
        client, personas, tokens, "patch", url, writers(200, *STAFF), {"description": "Changed."}, auth=auth
    )


def test_writes_to_an_investment_the_caller_may_not_see_answer_404(client, personas, tokens, world):
    url = f"{API}/investments/staff-station"
    assert_matrix(
        client, personas, tokens, "patch", url, writers(200, *STAFF, visibility="staff"), {"description": "x"}
    )
    body = {"program": "iija", "fiscal_year": 2025, "amount": 10}
    assert_matrix(
        client, personas, tokens, "post", f"{url}/funding", writers(201, *STAFF, visibility="staff"), body
    )


def test_moving_the_stage_is_for_staff(client, personas, tokens, world):
    investment = world["members"].investment

    def back_to_planning():
        Investment.objects.filter(pk=investment.pk).update(
            stage=Stage.PLANNING, stage_since=dt.date(2024, 1, 1)
        )

    body = {"stage": "funded", "effective_on": "2025-01-01"}
    url = f"{API}/investments/members-station/stage"
    assert_matrix(client, personas, tokens, "post", url, writers(201, *STAFF), body, before=back_to_planning)


@pytest.mark.parametrize("auth", AUTH_MODES)
def test_adding_funding_is_for_staff(client, personas, tokens, world, auth):
    body = {"program": "state_bonding", "fiscal_year": 2026, "amount": "1,000,000"}
    url = f"{API}/investments/members-station/funding"
    assert_matrix(client, personas, tokens, "post", url, writers(201, *STAFF), body, auth=auth)


def _commitment_body(**extra):
    return {
        "source": "cba",
        "obligor": "developer-llc",
        "text": "40 units at 30 % AMI",
        "category": "affordable_units",
        "ami_percent": 30,
        "unit": "units",
        "target": 40,
        "starts_on": "2024-01-01",
        "deadline": "2027-12-31",
    } | extra


def test_recording_a_commitment_is_for_staff(client, personas, tokens, world):
    url = f"{API}/investments/members-station/commitments"
    assert_matrix(client, personas, tokens, "post", url, writers(201, *STAFF), _commitment_body())


@pytest.mark.parametrize("auth", AUTH_MODES)
def test_reporting_is_for_staff_and_representatives_of_engaged_organizations(
    client, personas, tokens, world, auth
):
    url = f"{API}/commitments/{world['members'].commitment.public_id}/reports"
    body = {"value": 12, "as_of": "2024-06-01", "evidence_url": "https://example.org/report.pdf"}
    assert_matrix(client, personas, tokens, "post", url, writers(201, "member_a", *STAFF), body, auth=auth)


def test_uploading_evidence_follows_the_same_rules(client, personas, tokens, world):
    url = f"{API}/commitments/{world['members'].commitment.public_id}/reports/upload"
    expected = writers(201, "member_a", *STAFF)
    failures = []
    for persona in PERSONAS:
        login_as(client, personas, persona)
        evidence = SimpleUploadedFile("report.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
        response = client.post(url, {"value": "12", "as_of": "2024-06-01", "evidence_file": evidence})
        if response.status_code != expected[persona]:
            failures.append(f"{persona}: expected {expected[persona]}, got {response.status_code}")
    assert not failures, failures


def test_escalating_is_for_staff(client, personas, tokens, world):
    commitment = world["members"].commitment

    def not_escalated():
        Commitment.objects.filter(pk=commitment.pk).update(escalation=Escalation.NONE)

    url = f"{API}/commitments/{commitment.public_id}/escalations"
    assert_matrix(
        client, personas, tokens, "post", url, writers(201, *STAFF), {"step": "flagged"}, before=not_escalated
    )


def test_recording_an_ask_and_its_outcome_is_for_staff(client, personas, tokens, world):
    url = f"{API}/investments/members-station/asks"
    assert_matrix(
        client,
        personas,
        tokens,
        "post",
        url,
        writers(201, *STAFF),
        {"asked_of": "City council", "ask": "Fund it."},
    )
    url = f"{API}/asks/{world['members'].ask.public_id}/outcome"
    assert_matrix(
        client,
        personas,
        tokens,
        "post",
        url,
        writers(200, *STAFF),
        {"outcome": "won", "outcome_on": "2025-01-01"},
    )


@pytest.mark.parametrize("auth", AUTH_MODES)
def test_actions_on_an_ask_are_for_staff_and_representatives_of_engaged_organizations(
    client, personas, tokens, world, auth
):
    url = f"{API}/asks/{world['members'].ask.public_id}/actions"
    body = {"kind": "letter", "on": "2025-01-01", "note": "Sent to the council."}
    assert_matrix(client, personas, tokens, "post", url, writers(201, "member_a", *STAFF), body, auth=auth)


def test_a_session_write_needs_the_csrf_token(personas, world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.user("staff"))
    url = f"{API}/investments/members-station/funding"
    body = {"program": "iija", "fiscal_year": 2025, "amount": 5}
    assert send(client, "post", url, body).status_code == 403
    client.get("/")
    assert (
        send(client, "post", url, body, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value).status_code == 201
    )


# ---------------------------------------------------------------------------------------------
# Happy paths


def test_registering_an_investment_with_everything(client, personas, world):
    place = Place.objects.create(slug="saint-paul", name="Saint Paul", kind=Place.Kind.CITY)
    sponsor = OrganizationFactory(name="Met Council", slug="met-council", visibility=Visibility.PUBLIC)
    login_as(client, personas, "staff")
    body = _investment_body(
        description="A land bridge over I-94.",
        sponsor="met-council",
        jurisdiction="saint-paul",
        total_cost=6_500_000.5,
        stage="planning",
        stage_since="2024-03-01",
        location={
            "type": "Feature",
            "properties": {},
            "geometry": {"type": "Point", "coordinates": [-93.16471234, 44.95561234]},
        },
        tables=["corridor-table"],
        organizations=["org-a", "org-b"],
        visibility="public",
    )
    response = send(client, "post", f"{API}/investments", body)
    assert response.status_code == 201, response.content
    data = response.json()
    investment = Investment.objects.get(slug=data["slug"])
    assert (investment.sponsor, investment.jurisdiction, investment.total_cost_cents) == (
        sponsor,
        place,
        650_000_050,
    )
    assert (
        data["slug"] == "rondo-land-bridge"
        and data["total_cost"] == 6_500_000.5
        and data["funding_total"] == 0
    )
    assert data["geometry"] == {"type": "Point", "coordinates": [-93.164712, 44.955612]}
    assert data["bbox"] == pytest.approx([-93.16471234, 44.95561234, -93.16471234, 44.95561234])
    assert data["sponsor"] == {"slug": "met-council", "name": "Met Council"}
    assert data["jurisdiction"] == {"slug": "saint-paul", "name": "Saint Paul", "kind": "city"}
    assert data["tables"] == [{"slug": "corridor-table", "name": "Corridor Table"}]
    assert [o["slug"] for o in data["organizations"]] == ["org-a", "org-b"]
    assert [(s["stage"], s["effective_on"]) for s in data["stages"]] == [("planning", "2024-03-01")]
    assert data["permissions"] == {"can_edit": True, "can_report": True, "can_record_ask_action": True}
    assert ActivityLog.objects.filter(
        action="investments.investment.created", actor=personas.user("staff")
    ).exists()


def test_the_investment_detail_is_the_pages_selector_call(client, personas, world):
    members = world["members"]
    CommitmentReportFactory(commitment=members.commitment, value=Decimal(100), as_of=dt.date(2024, 6, 1))
    CommitmentFactory(investment=members.investment, visibility=Visibility.STAFF, text="hidden promise")
    login_as(client, personas, "member_a")
    data = client.get(f"{API}/investments/members-station").json()
    assert data["funding"] == [
        {
            "program": "iija",
            "program_label": "Federal infrastructure law (IIJA)",
            "fiscal_year": 2025,
            "amount": 2_500_000.5,
            "award_id": "",
            "note": "",
        }
    ]
    assert data["funding_total"] == 2_500_000.5
    [commitment] = data["commitments"]
    assert (commitment["text"], commitment["status"], commitment["status_label"]) == (
        "members promise",
        "met",
        "Met",
    )
    assert commitment["obligor"] == {"slug": "developer-llc", "name": "Developer LLC"}
    assert (commitment["latest_value"], commitment["latest_on"]) == (100.0, "2024-06-01")
    [ask] = data["asks"]
    assert ask["actions"] == [
        {"kind": "meeting", "kind_label": "Meeting", "on": "2024-02-01", "note": "", "organizations": []}
    ]
    assert data["organizations"] == [{"slug": "org-a", "name": "Org A"}]
    assert data["permissions"] == {"can_edit": False, "can_report": True, "can_record_ask_action": True}
    login_as(client, personas, "member_b")
    assert client.get(f"{API}/investments/members-station").json()["permissions"] == {
        "can_edit": False,
        "can_report": False,
        "can_record_ask_action": False,
    }


def test_records_name_only_the_organizations_and_tables_the_caller_may_see(client, personas, world):
    hidden = OrganizationFactory(name="Hidden Org", slug="hidden-org", visibility=Visibility.STAFF)
    staff_table = TableFactory(slug="staff-table", visibility=Visibility.STAFF)
    investment = world["public"].investment
    investment.sponsor = hidden
    investment.save()
    investment.organizations.add(hidden, personas.org_a)
    investment.tables.add(staff_table)
    Commitment.objects.filter(pk=world["public"].commitment.pk).update(obligor=hidden)
    data = client.get(f"{API}/investments/public-station").json()
    assert data["sponsor"] is None and data["organizations"] == [] and data["tables"] == []
    assert data["commitments"][0]["obligor"] is None
    assert client.get(f"{API}/investments").json()["items"][0]["sponsor"] is None
    login_as(client, personas, "staff")
    data = client.get(f"{API}/investments/public-station").json()
    assert data["sponsor"]["slug"] == "hidden-org" and len(data["organizations"]) == 2
    assert data["tables"] == [{"slug": "staff-table", "name": staff_table.name}]


def test_a_patch_changes_only_what_is_sent(client, personas, world):
    investment = world["members"].investment
    Investment.objects.filter(pk=investment.pk).update(total_cost_cents=123_456_789)
    login_as(client, personas, "staff")
    url = f"{API}/investments/members-station"
    data = send(client, "patch", url, {"description": "Now with a plaza."}).json()
    assert (data["description"], data["total_cost"], data["geometry"]) == (
        "Now with a plaza.",
        1_234_567.89,
        STATION,
    )
    assert data["organizations"] == [{"slug": "org-a", "name": "Org A"}]
    data = send(
        client, "patch", url, {"total_cost": "$2,000,000", "location": LINE, "sponsor": "org-b"}
    ).json()
    assert (data["total_cost"], data["geometry"]["type"], data["sponsor"]["slug"]) == (
        2_000_000,
        "LineString",
        "org-b",
    )
    assert data["bbox"] == [-93.25, 44.95, -93.1, 44.97]
    data = send(
        client, "patch", url, {"total_cost": None, "location": None, "organizations": [], "sponsor": None}
    ).json()
    assert (data["total_cost"], data["geometry"], data["bbox"], data["organizations"], data["sponsor"]) == (
        None,
        None,
        None,
        [],
        None,
    )
    assert not data["has_location"]
    assert ActivityLog.objects.filter(action="investments.investment.updated").count() == 3


def test_stage_changes_are_dated_and_follow_the_rules(client, personas, world):
    login_as(client, personas, "staff")
    url = f"{API}/investments/members-station/stage"
    response = send(
        client, "post", url, {"stage": "construction", "effective_on": "2025-02-01", "note": "Shovels in."}
    )
    assert response.status_code == 201
    assert response.json() | {"recorded_at": ""} == {
        "stage": "construction",
        "stage_label": "Construction",
        "effective_on": "2025-02-01",
        "note": "Shovels in.",
        "recorded_at": "",
    }
    assert messages(send(client, "post", url, {"stage": "planning"})) == {
        body_field("stage"): "An investment cannot go from “Construction” to “Planning”."
    }
    assert errors(send(client, "post", url, {"stage": "complete", "effective_on": "2025-01-01"})) == {
        body_field("effective_on"): "invalid"
    }
    assert errors(
        send(
            client,
            "post",
            url,
            {"stage": "cancelled", "effective_on": (today() + dt.timedelta(days=1)).isoformat()},
        )
    ) == {body_field("effective_on"): "invalid"}
    stages = client.get(f"{API}/investments/members-station").json()["stages"]
    assert [s["stage"] for s in stages] == ["construction"]  # the factory made no first step
    assert Investment.objects.get(slug="members-station").stage == Stage.CONSTRUCTION


def test_funding_is_in_dollars_and_adds_up(client, personas, world):
    login_as(client, personas, "staff")
    url = f"{API}/investments/members-station/funding"
    response = send(
        client,
        "post",
        url,
        {"program": "tif", "fiscal_year": "2026", "amount": "$1,250,000.75", "award_id": "TIF-7"},
    )
    assert response.status_code == 201
    assert response.json() == {
        "program": "tif",
        "program_label": "Tax increment financing (TIF)",
        "fiscal_year": 2026,
        "amount": 1_250_000.75,
        "award_id": "TIF-7",
        "note": "",
    }
    assert client.get(f"{API}/investments/members-station").json()["funding_total"] == 3_750_001.25
    assert FundingSource.objects.filter(award_id="TIF-7").get().amount_cents == 125_000_075


def test_a_commitment_is_recorded_reported_on_and_escalated(client, personas, world):
    login_as(client, personas, "staff")
    response = send(client, "post", f"{API}/investments/members-station/commitments", _commitment_body())
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["status"], created["reports"], created["next_steps"]) == ("no_data", [], ["flagged"])
    assert created["obligor"] == {"slug": "developer-llc", "name": "Developer LLC"}
    url = f"{API}/commitments/{created['public_id']}"

    login_as(client, personas, "member_a")
    response = send(
        client,
        "post",
        f"{url}/reports",
        {"value": "40", "as_of": "2025-03-01", "evidence_url": "https://example.org/r"},
    )
    assert response.status_code == 201
    assert response.json() | {"reported_at": ""} == {
        "value": 40.0,
        "as_of": "2025-03-01",
        "evidence_url": "https://example.org/r",
        "evidence_file": None,
        "note": "",
        "reported_by": personas.user("member_a").full_name or None,
        "reported_at": "",
    }
    assert client.get(url).json()["status"] == "met"

    login_as(client, personas, "staff")
    assert (
        send(
            client, "post", f"{url}/escalations", {"step": "flagged", "on": "2025-03-15", "note": "Slow."}
        ).status_code
        == 201
    )
    response = send(client, "post", f"{url}/escalations", {"step": "public"})
    assert messages(response) == {
        body_field("step"): "From “Flagged” the next step can only be: Letter sent, Resolved."
    }
    assert (
        send(client, "post", f"{url}/escalations", {"step": "letter_sent", "on": "2025-04-01"}).status_code
        == 201
    )
    data = client.get(url).json()
    assert data["escalation"] == "letter_sent" and data["next_steps"] == ["public", "resolved"]
    assert [(s["step"], s["on"], s["note"]) for s in data["escalation_steps"]] == [
        ("flagged", "2025-03-15", "Slow."),
        ("letter_sent", "2025-04-01", ""),
    ]
    assert data["permissions"] == {"can_report": True, "can_escalate": True}
    assert EscalationStep.objects.count() == 2
    assert ActivityLog.objects.filter(action="investments.commitment.escalated").count() == 2


def test_evidence_files_are_uploaded_checked_and_served_to_those_who_may_see_the_commitment(
    client, personas, world
):
    commitment = world["members"].commitment
    login_as(client, personas, "member_a")
    url = f"{API}/commitments/{commitment.public_id}/reports/upload"
    evidence = SimpleUploadedFile(
        "report.pdf", b"%PDF-1.4 the payroll summary", content_type="application/pdf"
    )
    response = client.post(
        url, {"value": "12.5", "as_of": "2024-06-01", "note": "Q2", "evidence_file": evidence}
    )
    assert response.status_code == 201, response.content
    stored = response.json()["evidence_file"]
    assert (stored["name"], stored["kind"]) == ("report.pdf", "PDF")
    detail = client.get(f"{API}/commitments/{commitment.public_id}").json()
    assert detail["reports"][0]["evidence_file"] == stored
    assert client.get(stored["url"]).status_code == 200
    client.logout()
    assert client.get(stored["url"]).status_code == 404

    login_as(client, personas, "member_a")
    fake = SimpleUploadedFile(
        "report.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    response = client.post(url, {"value": "12.5", "as_of": "2024-06-01", "evidence_file": fake})
    assert errors(response) == {("form", "evidence_file"): "invalid"}
    response = client.post(
        url, {"value": "-1", "as_of": "2024-06-01", "colour": "red", "evidence_file": evidence}
    )
    assert errors(response) == {("form", "colour"): "extra_forbidden"}
    response = client.post(url, {"value": "-1", "as_of": "2024-06-01", "evidence_file": evidence})
    assert errors(response) == {("form", "value"): "invalid"}
    response = client.post(url, {"value": "1", "as_of": "June"})
    assert errors(response) == {
        ("form", "as_of"): "date_from_datetime_parsing",
        ("file", "evidence_file"): "missing",
    }
    assert CommitmentReport.objects.count() == 1


def test_asks_are_recorded_acted_on_and_closed(client, personas, world):
    login_as(client, personas, "staff")
    response = send(
        client,
        "post",
        f"{API}/investments/members-station/asks",
        {
            "asked_of_organization": "org-b",
            "ask": "Commit 30 % of hours to local hires.",
            "visibility": "members",
        },
    )
    assert response.status_code == 201, response.content
    ask = response.json()
    assert (ask["asked_of"], ask["asked_of_organization"], ask["outcome"]) == (
        "Org B",
        {"slug": "org-b", "name": "Org B"},
        "pending",
    )
    url = f"{API}/asks/{ask['public_id']}"

    login_as(client, personas, "member_a")
    response = send(
        client,
        "post",
        f"{url}/actions",
        {"kind": "sign_on", "on": "2025-01-15", "organizations": ["org-a", "org-b"]},
    )
    assert response.status_code == 201
    assert response.json()["organizations"] == [
        {"slug": "org-a", "name": "Org A"},
        {"slug": "org-b", "name": "Org B"},
    ]

    login_as(client, personas, "staff")
    response = send(
        client,
        "post",
        f"{url}/outcome",
        {"outcome": "partly", "outcome_on": "2025-03-01", "evidence": "Resolution 25-14."},
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["outcome"], data["outcome_label"], data["outcome_on"]) == (
        "partly",
        "Partly won",
        "2025-03-01",
    )
    assert [a["kind"] for a in data["actions"]] == ["sign_on"]
    assert send(client, "post", f"{url}/outcome", {"outcome": "pending"}).json()["outcome_on"] is None
    assert CampaignAsk.objects.get(public_id=ask["public_id"]).outcome == AskOutcome.PENDING


# ---------------------------------------------------------------------------------------------
# Filters


def test_investment_list_filters(client, personas, world):
    place = Place.objects.create(slug="minneapolis", name="Minneapolis", kind=Place.Kind.CITY)
    park = InvestmentFactory(
        name="Bassett Creek park", slug="bassett-creek", kind="park", stage=Stage.FUNDED, jurisdiction=place
    )
    park.tables.add(personas.table)
    CampaignAskFactory(investment=park, outcome=AskOutcome.WON, outcome_on=dt.date(2025, 1, 1))
    login_as(client, personas, "table_member")
    url = f"{API}/investments"
    slugs = lambda query: {i["slug"] for i in client.get(url, query).json()["items"]}  # noqa: E731
    assert (
        slugs({"kind": "park"})
        == slugs({"stage": "funded"})
        == slugs({"jurisdiction": "minneapolis"})
        == {"bassett-creek"}
    )
    assert (
        slugs({"table": "corridor-table"})
        == slugs({"q": "BASSETT"})
        == slugs({"has_ask": "won"})
        == {"bassett-creek"}
    )
    assert slugs({"has_ask": "yes"}) == {
        "bassett-creek",
        "public-station",
        "members-station",
        "table-station",
    }
    assert errors(client.get(url, {"jurisdiction": "atlantis"})) == {
        ("query", "jurisdiction"): "invalid_choice"
    }
    assert errors(client.get(url, {"table": "staff-table"})) == {("query", "table"): "invalid_choice"}
    assert errors(client.get(url, {"colour": "red", "kind": "park"})) == {
        ("query", "colour"): "extra_forbidden"
    }
    assert set(errors(client.get(url, {"kind": "castle"}))) == {("query", "kind")}
    data = client.get(url, {"limit": 2, "offset": 1}).json()
    assert (data["count"], data["limit"], data["offset"], len(data["items"])) == (4, 2, 1, 2)


def test_commitment_list_filters_by_computed_status_category_and_investment(client, personas, world):
    met = world["public"].commitment
    CommitmentReportFactory(commitment=met, value=Decimal(100), as_of=dt.date(2024, 6, 1))
    local_hire = CommitmentFactory(
        investment=world["members"].investment,
        category="local_hire",
        text="local hire",
        starts_on=dt.date(2020, 1, 1),
        deadline=dt.date(2021, 1, 1),
    )
    CommitmentReportFactory(commitment=local_hire, value=Decimal(1), as_of=dt.date(2020, 6, 1))
    login_as(client, personas, "member_b")
    url = f"{API}/commitments"
    texts = lambda query: {c["text"] for c in client.get(url, query).json()["items"]}  # noqa: E731
    assert texts({"status": "met"}) == {"public promise"}
    assert texts({"status": "missed"}) == texts({"category": "local_hire"}) == {"local hire"}
    assert texts({"status": "no_data"}) == {"members promise"}
    assert texts({"investment": "members-station"}) == {"members promise", "local hire"}
    items = client.get(url).json()["items"]
    assert [c["deadline"] for c in items] == sorted(c["deadline"] for c in items)
    assert {c["text"]: c["status"] for c in items} == {
        "public promise": "met",
        "members promise": "no_data",
        "local hire": "missed",
    }
    assert errors(client.get(url, {"investment": "staff-station"})) == {
        ("query", "investment"): "invalid_choice"
    }
    assert texts({"obligor": "developer-llc"}) == {"public promise", "members promise"}
    assert set(errors(client.get(url, {"status": "great"}))) == {("query", "status")}


def test_ask_list_filters(client, personas, world):
    CampaignAsk.objects.filter(pk=world["members"].ask.pk).update(
        outcome=AskOutcome.LOST, outcome_on=dt.date(2025, 1, 1)
    )
    login_as(client, personas, "member_b")
    url = f"{API}/asks"
    asks = lambda query: {a["ask"] for a in client.get(url, query).json()["items"]}  # noqa: E731
    assert asks({"outcome": "lost"}) == asks({"investment": "members-station"}) == {"members ask"}
    assert asks({"outcome": "pending"}) == {"public ask"}


# ---------------------------------------------------------------------------------------------
# The map's GeoJSON


def test_the_map_is_a_geojson_feature_collection(client, personas, world):
    InvestmentFactory(slug="nowhere", visibility=Visibility.PUBLIC)  # no location: not on the map
    Investment.objects.filter(slug="members-station").update(geometry=AREA)
    login_as(client, personas, "member_b")
    response = client.get(f"{API}/investments.geojson")
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    assert (
        "private" in response["Cache-Control"]
        and "Cookie" in response["Vary"]
        and "Authorization" in response["Vary"]
    )
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    features = {f["properties"]["slug"]: f for f in data["features"]}
    assert set(features) == {"public-station", "members-station"}
    assert features["members-station"] == {
        "type": "Feature",
        "geometry": AREA,
        "properties": {
            "slug": "members-station",
            "name": "Members station",
            "kind": "transit_station",
            "stage": "planning",
            "stage_label": "Planning",
            "funding": 2_500_000.5,
            "url": page_url("members-station"),
        },
    }


def test_the_map_is_compressed_when_the_caller_accepts_gzip(client, world):
    for n in range(30):
        InvestmentFactory(visibility=Visibility.PUBLIC, geometry=LINE, name=f"Line “{n}” — ünïcode")
    plain = client.get(f"{API}/investments.geojson")
    compressed = client.get(f"{API}/investments.geojson", HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert compressed["Content-Encoding"] == "gzip" and "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content)
    assert len(json.loads(plain.content)["features"]) == 31


def test_the_map_answers_304_while_nothing_the_caller_may_see_changes(client, personas, world):
    login_as(client, personas, "member_b")
    url = f"{API}/investments.geojson"
    etag = client.get(url)["ETag"]
    assert etag.startswith('W/"')  # the gzipped and the plain answers are the same GeoJSON
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH=etag.removeprefix("W/")).status_code == 304
    staff = personas.user("staff")
    services.investment_update(
        actor=staff, investment=world["staff"].investment, name="Renamed", location=STATION
    )  # not on member_b's map
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    services.investment_stage_change(actor=staff, investment=world["members"].investment, stage=Stage.FUNDED)
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag
    stages = {
        f["properties"]["slug"]: f["properties"]["stage"] for f in json.loads(response.content)["features"]
    }
    assert stages["members-station"] == "funded"
    etag = response["ETag"]
    services.funding_source_add(
        actor=staff, investment=world["public"].investment, program="tif", fiscal_year=2026, amount="10"
    )
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    funding = {
        f["properties"]["slug"]: f["properties"]["funding"] for f in json.loads(response.content)["features"]
    }
    assert funding["public-station"] == 2_500_010.5
    login_as(client, personas, "staff")
    assert client.get(url)["ETag"] != etag


def test_the_cached_map_is_never_shared_with_a_viewer_who_sees_less(client, personas, world):
    for persona, seen in (
        ("staff", 4),
        ("table_member", 3),
        ("member_b", 2),
        ("anonymous", 1),
        ("public_user", 1),
    ):
        login_as(client, personas, persona)
        for _n in range(2):  # the second answer comes from the cache
            features = json.loads(client.get(f"{API}/investments.geojson").content)["features"]
            assert {f["properties"]["slug"] for f in features} == {
                f"{v}-station" for v in SEES if persona in SEES[v]
            }
            assert len(features) == seen


def test_the_maps_stage_labels_follow_the_callers_language(client, world):
    url = f"{API}/investments.geojson"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es")
    assert english["ETag"] != spanish["ETag"]
    [feature] = json.loads(spanish.content)["features"]
    with translation.override("es"):
        assert feature["properties"]["stage_label"] == translation.gettext("Planning")
    assert json.loads(english.content)["features"][0]["properties"]["stage_label"] == "Planning"


def test_the_map_refuses_unknown_parameters(client, world):
    assert errors(client.get(f"{API}/investments.geojson", {"bbox": "1,2,3,4"})) == {
        ("query", "bbox"): "extra_forbidden"
    }


# ---------------------------------------------------------------------------------------------
# Bad input: 422, one entry per field, nothing written


@pytest.fixture
def staff_client(client, personas, world):
    return login_as(client, personas, "staff")


@pytest.mark.parametrize(
    "amount, kind, message",
    [
        ("-5", "invalid", "The amount cannot be negative."),
        (-5, "invalid", "The amount cannot be negative."),
        ("12.345", "invalid", "An amount has at most two decimals (cents)."),
        (12.345, "invalid", "An amount has at most two decimals (cents)."),
        ("NaN", "invalid", "Enter an amount in dollars, such as 1250000 or 1,250,000.50."),
        ("Infinity", "invalid", "Enter an amount in dollars, such as 1250000 or 1,250,000.50."),
        ("twelve", "invalid", "Enter an amount in dollars, such as 1250000 or 1,250,000.50."),
        ("١٢٣", "invalid", "Write the amount with the digits 0–9."),
        ("1e20", "invalid", "This amount is too large."),
        (True, "money_type", "Enter an amount in dollars, such as 1250000 or 1,250,000.50."),
        ({"dollars": 5}, "money_type", "Enter an amount in dollars, such as 1250000 or 1,250,000.50."),
    ],
)
def test_bad_amounts_are_refused_on_their_field(staff_client, amount, kind, message):
    response = send(staff_client, "post", f"{API}/investments", _investment_body(total_cost=amount))
    assert errors(response) == {body_field("total_cost"): kind}
    assert messages(response) == {body_field("total_cost"): message}
    response = send(
        staff_client,
        "post",
        f"{API}/investments/members-station/funding",
        {"program": "iija", "fiscal_year": 2025, "amount": amount},
    )
    assert messages(response) == {body_field("amount"): message}
    assert (
        not Investment.objects.filter(slug="rondo-land-bridge").exists()
        and FundingSource.objects.count() == 4
    )


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_as_json_literals_are_refused(staff_client, literal):
    raw = '{"program": "iija", "fiscal_year": 2025, "amount": LITERAL}'.replace("LITERAL", literal)
    response = staff_client.post(
        f"{API}/investments/members-station/funding", data=raw, content_type="application/json"
    )
    assert errors(response) == {body_field("amount"): "money_type"}
    raw = '{"value": LITERAL, "as_of": "2024-06-01"}'.replace("LITERAL", literal)
    commitment = Commitment.objects.get(text="members promise")
    response = staff_client.post(
        f"{API}/commitments/{commitment.public_id}/reports", data=raw, content_type="application/json"
    )
    assert errors(response) == {body_field("value"): "finite_number"}
    assert FundingSource.objects.count() == 4 and not CommitmentReport.objects.exists()


@pytest.mark.parametrize("year", [1989, 2101, "1900"])
def test_a_fiscal_year_out_of_range_is_refused(staff_client, year):
    body = {"program": "iija", "fiscal_year": year, "amount": 10}
    response = send(staff_client, "post", f"{API}/investments/members-station/funding", body)
    assert messages(response) == {body_field("fiscal_year"): "Give a fiscal year between 1990 and 2100."}


def test_every_bad_field_is_reported_at_once(staff_client):
    body = {"program": "lottery", "fiscal_year": "twenty", "amount": True, "colour": "red"}
    response = send(staff_client, "post", f"{API}/investments/members-station/funding", body)
    assert errors(response) == {
        body_field("program"): "enum",
        body_field("fiscal_year"): "int_parsing",
        body_field("amount"): "money_type",
        body_field("colour"): "extra_forbidden",
    }
    # The service's rules too, when the shapes are right: both at once.
    response = send(
        staff_client,
        "post",
        f"{API}/investments/members-station/funding",
        {"program": "iija", "fiscal_year": 3000, "amount": "-1"},
    )
    assert set(errors(response)) == {body_field("fiscal_year"), body_field("amount")}


@pytest.mark.parametrize(
    "location, message",
    [
        ({"type": "Point", "coordinates": [-87.6, 41.9]}, "The location is outside the coalition's region."),
        (
            {"type": "Point", "coordinates": [44.95, -93.16]},
            "The coordinates must be longitude then latitude",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[-93.1, 44.9], [-93.0, 45.0], [-93.0, 44.9], [-93.1, 45.0], [-93.1, 44.9]]],
            },
            "The shape is not valid",
        ),
        (
            {"type": "Circle", "coordinates": [-93.1, 44.9], "radius": 5},
            "The location must be a point, a line or an area",
        ),
        ({"type": "Point", "coordinates": ["a", "b"]}, "The location's coordinates are malformed."),
        ({"type": "FeatureCollection", "features": []}, "Give exactly one feature"),
    ],
)
def test_an_invalid_or_faraway_location_is_refused(staff_client, location, message):
    response = send(staff_client, "post", f"{API}/investments", _investment_body(location=location))
    assert list(messages(response)) == [body_field("location")]
    assert messages(response)[body_field("location")].startswith(message)
    response = send(staff_client, "patch", f"{API}/investments/members-station", {"location": location})
    assert list(messages(response)) == [body_field("location")]
    assert not Investment.objects.filter(slug="rondo-land-bridge").exists()
    assert Investment.objects.get(slug="members-station").geometry == STATION


def test_a_location_must_be_a_geojson_object(staff_client):
    response = send(
        staff_client, "post", f"{API}/investments", _investment_body(location="POINT(-93.1 44.9)")
    )
    assert errors(response) == {body_field("location"): "dict_type"}


def test_unknown_fields_and_references_are_refused(staff_client):
    response = send(staff_client, "post", f"{API}/investments", _investment_body(colour="red", owner="me"))
    assert errors(response) == {
        body_field("colour"): "extra_forbidden",
        body_field("owner"): "extra_forbidden",
    }
    response = send(
        staff_client,
        "post",
        f"{API}/investments",
        _investment_body(
            sponsor="nobody", jurisdiction="atlantis", tables=["corridor-table", "nope"], visibility="table"
        ),
    )
    assert errors(response) == {
        body_field("sponsor"): "unknown_slug",
        body_field("jurisdiction"): "unknown_slug",
        body_field("tables"): "unknown_slug",
    }
    response = send(staff_client, "post", f"{API}/investments", _investment_body(visibility="table"))
    assert errors(response) == {body_field("visibility_table"): "invalid"}
    response = send(staff_client, "post", f"{API}/investments", _investment_body(name="   ", kind="castle"))
    assert set(errors(response)) == {body_field("name"), body_field("kind")}
    response = send(
        staff_client, "patch", f"{API}/investments/members-station", {"name": None, "stage": "complete"}
    )
    assert set(errors(response)) == {body_field("name"), body_field("stage")}
    assert Investment.objects.count() == 4


def test_a_deadline_before_the_start_and_bad_targets_are_refused(staff_client):
    url = f"{API}/investments/members-station/commitments"
    response = send(
        staff_client, "post", url, _commitment_body(starts_on="2026-01-01", deadline="2025-01-01")
    )
    assert messages(response) == {
        body_field("deadline"): "The deadline must come after the commitment starts."
    }
    response = send(staff_client, "post", url, _commitment_body(target="-3", ami_percent=300, unit=""))
    assert set(errors(response)) == {body_field("target"), body_field("ami_percent"), body_field("unit")}
    response = send(
        staff_client, "post", url, _commitment_body(target=True, obligor="nobody", starts_on="yesterday")
    )
    assert errors(response) == {
        body_field("target"): "number_type",
        body_field("starts_on"): "date_from_datetime_parsing",
    }
    response = send(staff_client, "post", url, _commitment_body(obligor="nobody"))
    assert errors(response) == {body_field("obligor"): "unknown_slug"}
    assert Commitment.objects.count() == 4


def test_bad_reports_are_refused(staff_client, world):
    commitment = world["members"].commitment  # starts 2024-01-01
    url = f"{API}/commitments/{commitment.public_id}/reports"
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    assert messages(send(staff_client, "post", url, {"value": 5, "as_of": tomorrow})) == {
        body_field("as_of"): "The date cannot be in the future."
    }
    assert messages(send(staff_client, "post", url, {"value": 5, "as_of": "2023-12-31"})) == {
        body_field("as_of"): "The date cannot be before the commitment starts (2024-01-01)."
    }
    assert messages(send(staff_client, "post", url, {"value": "-1", "as_of": "2024-02-01"})) == {
        body_field("value"): "The number cannot be negative."
    }
    assert errors(
        send(
            staff_client,
            "post",
            url,
            {"value": 1, "as_of": "2024-02-01", "evidence_url": "javascript:alert(1)"},
        )
    ) == {body_field("evidence_url"): "invalid"}
    assert not CommitmentReport.objects.exists()


def test_escalation_steps_may_not_be_skipped(staff_client, world):
    url = f"{API}/commitments/{world['members'].commitment.public_id}/escalations"
    response = send(staff_client, "post", url, {"step": "letter_sent"})
    assert messages(response) == {
        body_field("step"): "From “Not escalated” the next step can only be: Flagged."
    }
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    assert errors(send(staff_client, "post", url, {"step": "flagged", "on": tomorrow})) == {
        body_field("on"): "future_date"
    }
    assert (
        not EscalationStep.objects.exists()
        and Commitment.objects.get(pk=world["members"].commitment.pk).escalation == "none"
    )


def test_bad_asks_are_refused(staff_client, world):
    response = send(staff_client, "post", f"{API}/investments/members-station/asks", {"ask": " "})
    assert set(errors(response)) == {body_field("ask")}
    response = send(staff_client, "post", f"{API}/investments/members-station/asks", {"ask": "Fund it."})
    assert messages(response) == {body_field("asked_of"): "Say who the ask is to."}
    url = f"{API}/asks/{world['members'].ask.public_id}"
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    assert errors(
        send(staff_client, "post", f"{url}/outcome", {"outcome": "won", "outcome_on": tomorrow})
    ) == {body_field("outcome_on"): "future_date"}
    assert errors(
        send(
            staff_client,
            "post",
            f"{url}/actions",
            {"kind": "rally", "on": "2025-01-01", "organizations": ["nobody"]},
        )
    ) == {body_field("kind"): "enum"}
    assert errors(
        send(
            staff_client,
            "post",
            f"{url}/actions",
            {"kind": "letter", "on": "2025-01-01", "organizations": ["nobody"]},
        )
    ) == {body_field("organizations"): "unknown_slug"}
    assert CampaignAsk.objects.count() == 4 and AskAction.objects.count() == 4


def test_messages_follow_the_callers_language(client, personas, world):
    login_as(client, personas, "staff")
    url = f"{API}/investments/members-station/funding"
    body = {"program": "iija", "fiscal_year": 2025, "amount": "-5"}
    spanish = send(client, "post", url, body, HTTP_ACCEPT_LANGUAGE="es")
    with translation.override("es"):
        assert messages(spanish) == {
            body_field("amount"): translation.gettext("The amount cannot be negative.")
        }
    client.logout()
    spanish = client.get(f"{API}/investments/staff-station", HTTP_ACCEPT_LANGUAGE="es")
    with translation.override("es"):
        assert spanish.json()["detail"] == translation.gettext("Not found.") != "Not found."


# ---------------------------------------------------------------------------------------------
# Query counts: fixed, whatever the number of rows


def _rows(n: int, personas):
    """n members investments, each with a location, two funding sources, a sponsor, a commitment
    with two reports, an ask with an action signed on by an organisation."""
    for i in range(n):
        investment = InvestmentFactory(geometry=LINE if i % 2 else AREA, sponsor=personas.org_b)
        investment.tables.add(personas.table)
        FundingSourceFactory(investment=investment)
        FundingSourceFactory(investment=investment, fiscal_year=2026)
        commitment = CommitmentFactory(investment=investment)
        CommitmentReportFactory(commitment=commitment)
        CommitmentReportFactory(commitment=commitment, as_of=dt.date(2024, 9, 1))
        ask = CampaignAskFactory(investment=investment)
        AskAction.objects.create(ask=ask, kind="sign_on", on=dt.date(2024, 3, 1)).organizations.add(
            personas.org_a
        )


@pytest.mark.parametrize("rows", [5, 15])
def test_investment_list_query_count(client, personas, django_assert_num_queries, rows):
    _rows(rows, personas)
    login_as(client, personas, "member_b")
    # session, user; viewer: person, affiliations, table participations; COUNT; the page's ids;
    # the page's rows (with sponsor, jurisdiction and the funding total by subquery); the
    # organisations the caller may see.
    with django_assert_num_queries(9):
        response = client.get(f"{API}/investments")
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [5, 15])
def test_map_query_count(client, personas, django_assert_num_queries, rows):
    _rows(rows, personas)
    login_as(client, personas, "member_b")
    # session, user; the viewer kept in the cache (no query); the map's version (how
    # many located investments the caller sees and their last change; the funding's count, last
    # id and sum); the features (one query of the needed columns, funding totals by subquery).
    with django_assert_num_queries(8):
        response = client.get(f"{API}/investments.geojson")
    assert len(json.loads(response.content)["features"]) == rows
    # From the cache until something changes: the session, the user, the version (the viewer is kept in the cache).
    with django_assert_num_queries(4):
        response = client.get(f"{API}/investments.geojson")
    assert len(json.loads(response.content)["features"]) == rows


@pytest.mark.parametrize("status", ["", "at_risk"])
@pytest.mark.parametrize("rows", [5, 15])
def test_commitment_list_query_count(client, personas, django_assert_num_queries, rows, status):
    _rows(rows, personas)
    login_as(client, personas, "member_b")
    # session, user; viewer: person, affiliations, table participations; the filter's count of
    # the investments the caller may see (the page's FilterSet: a menu or a text box); COUNT and
    # the page's ids (with a status filter: whether every stored status holds today, one indexed
    # EXISTS, then the ids of every match, in one pass); the page's rows (with investment,
    # obligor and status); the organisations the caller may see.
    with django_assert_num_queries(10):
        response = client.get(f"{API}/commitments", {"status": status} if status else {})
    assert response.json()["count"] == rows  # each stands at risk: silent since 2024


@pytest.mark.parametrize("rows", [5, 15])
def test_ask_list_query_count(client, personas, django_assert_num_queries, rows):
    _rows(rows, personas)
    login_as(client, personas, "member_b")
    # session, user; viewer: person, affiliations, table participations; COUNT; the page's ids;
    # the page's rows (with investment and organisation asked); their actions; the actions'
    # organisations; the organisations the caller may see.
    with django_assert_num_queries(11):
        response = client.get(f"{API}/asks")
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [5, 15])
def test_investment_detail_query_count(client, personas, django_assert_num_queries, rows):
    investment = InvestmentFactory(slug="busy", geometry=AREA, sponsor=personas.org_b)
    investment.organizations.add(personas.org_a, personas.org_b)
    for i in range(rows):
        FundingSourceFactory(investment=investment, fiscal_year=2000 + i)
        StageChange.objects.create(
            investment=investment, stage=Stage.PLANNING, effective_on=dt.date(2024, 1, 1)
        )
        commitment = CommitmentFactory(investment=investment)
        CommitmentReportFactory(commitment=commitment)
        ask = CampaignAskFactory(investment=investment)
        AskAction.objects.create(ask=ask, kind="letter", on=dt.date(2024, 3, 1)).organizations.add(
            personas.org_a
        )
    login_as(client, personas, "member_a")
    # session, user; viewer: person, affiliations, table participations; the investment (with
    # sponsor and place); the page's selector: funding, stages, commitments (with obligor and
    # latest report), asks, their actions, the actions' organisations; the organisations the
    # caller may see; the tables engaged that the caller may see; the organisations engaged;
    # whether member_a represents one of them (asked once for reports, once for asks).
    with django_assert_num_queries(17):
        response = client.get(f"{API}/investments/busy")
    data = response.json()
    assert len(data["commitments"]) == len(data["asks"]) == len(data["funding"]) == rows


@pytest.mark.parametrize("rows", [5, 15])
def test_commitment_detail_query_count(client, personas, django_assert_num_queries, rows):
    commitment = CommitmentFactory()
    for i in range(rows):
        CommitmentReportFactory(
            commitment=commitment,
            as_of=dt.date(2024, 1, 1) + dt.timedelta(days=i),
            reported_by=personas.user("staff"),
        )
        EscalationStep.objects.create(commitment=commitment, step=Escalation.FLAGGED, on=dt.date(2024, 6, 1))
    login_as(client, personas, "member_b")
    # session, user; viewer: person, affiliations, table participations; the commitment (with
    # investment and obligor); the page's selector: its reports (with who reported and the
    # file; the newest gives the status), its escalation steps (with who took them); the
    # organisations the caller may see; whether member_b represents an organisation engaged.
    with django_assert_num_queries(10):
        response = client.get(f"{API}/commitments/{commitment.public_id}")
    assert len(response.json()["reports"]) == rows


def test_the_features_are_one_query_whoever_asks(client, personas, world):
    _rows(5, personas)
    for persona in ("anonymous", "member_b", "staff"):
        login_as(client, personas, persona)
        with CaptureQueriesContext(connection) as captured:
            client.get(f"{API}/investments.geojson")
        features = [q["sql"] for q in captured.captured_queries if '"geometry"' in q["sql"]]
        assert len(features) == 2, features  # the version's count of located ones, then the features
        assert "SUM" in features[1] and "investments_commitment" not in features[1]
