"""The business directory's JSON API: the pages' visibility and permissions for every persona,
over a session and a token; the services' field errors as 422s; fixed query counts."""

from __future__ import annotations

import pytest
from django.core import mail

from commontable.businesses.models import Business, Certification, ContractingOpportunity
from commontable.businesses.tests.factories import BusinessFactory, CertificationFactory, OpportunityFactory
from commontable.businesses.tests.queries import assert_own_queries
from commontable.core.testing import login_as
from commontable.investments.tests.test_api import AUTH_MODES, assert_matrix, errors, send, tokens  # noqa: F401

API = "/api/v1"
ALL_200 = dict.fromkeys(["anonymous", "public_user", "member_a", "member_b", "table_member", "board", "staff", "admin"], 200)
STAFF_WRITE = {"anonymous": 401, "public_user": 403, "member_a": 403, "member_b": 403, "table_member": 403, "board": 403}


@pytest.mark.parametrize("auth", AUTH_MODES)
def test_reads_follow_visibility(client, personas, tokens, world, auth):  # noqa: F811
    assert_matrix(client, personas, tokens, "get", f"{API}/businesses", ALL_200, auth=auth)
    assert_matrix(client, personas, tokens, "get", f"{API}/businesses/aurora-plumbing", ALL_200, auth=auth)
    assert_matrix(client, personas, tokens, "get", f"{API}/businesses/bright-current",
                  {**ALL_200, "anonymous": 404, "public_user": 404}, auth=auth)
    assert_matrix(client, personas, tokens, "get", f"{API}/businesses/quiet-mechanical",
                  {**dict.fromkeys(ALL_200, 404), "staff": 200, "admin": 200}, auth=auth)
    assert_matrix(client, personas, tokens, "get", f"{API}/opportunities/{world.opportunity.public_id}",
                  {**ALL_200, "anonymous": 404, "public_user": 404}, auth=auth)
    assert_matrix(client, personas, tokens, "get", f"{API}/opportunities/{world.hidden.public_id}",
                  {**dict.fromkeys(ALL_200, 404), "staff": 200, "admin": 200}, auth=auth)


def test_lists_hold_what_the_caller_may_see_and_contacts_by_consent(client, personas, world):
    anonymous = client.get(f"{API}/businesses").json()
    assert [b["slug"] for b in anonymous["items"]] == ["aurora-plumbing", "cedar-line"]
    assert anonymous["items"][0]["email"] is None
    login_as(client, personas, "member_b")
    items = {b["slug"]: b for b in client.get(f"{API}/businesses").json()["items"]}
    assert items["bright-current"]["email"] == "hello@bright.example" and items["aurora-plumbing"]["email"] is None
    login_as(client, personas, "member_a")
    assert client.get(f"{API}/businesses/aurora-plumbing").json()["email"] == "office@aurora-plumbing.example"
    assert [o["title"] for o in client.get(f"{API}/opportunities").json()["items"]] == [
        "Park design", "Station mechanical work"]


def test_list_filters_are_the_pages(client, personas, world):
    login_as(client, personas, "member_b")
    assert [b["slug"] for b in client.get(f"{API}/businesses?naics=2382&place=saint-paul").json()["items"]] == [
        "aurora-plumbing", "bright-current"]
    assert [b["slug"] for b in client.get(f"{API}/businesses?program=tgb").json()["items"]] == []
    assert errors(client.get(f"{API}/businesses?naics=2")) == {("query", "naics"): "naics_shape"}
    assert ("query", "nonsense") in errors(client.get(f"{API}/businesses?nonsense=1"))
    assert ("query", "investment") in errors(client.get(f"{API}/opportunities?investment=quiet-land-deal"))


def test_the_opportunity_explains_its_matches(client, personas, world):
    login_as(client, personas, "member_b")
    body = client.get(f"{API}/opportunities/{world.opportunity.public_id}").json()
    assert body["matches"] == [
        {"business": {"slug": "aurora-plumbing", "name": "Aurora Plumbing Co"}, "trades": ["238220"],
         "certifications": ["cert"], "places": ["ramsey-county"]},
        {"business": {"slug": "bright-current", "name": "Bright Current Electric"}, "trades": ["238210"],
         "certifications": ["dbe"], "places": ["saint-paul"]},
    ]


def test_list_queries_do_not_grow_with_rows(client, personas, world):
    for n in range(6):
        b = BusinessFactory(codes=[f"23822{n}"], organization=personas.org_b)
        b.places_served.add(world.places.saint_paul)
        CertificationFactory(business=b)
        OpportunityFactory(investment=world.investment, codes=["238"], awarded_to=b, status="awarded")
    login_as(client, personas, "member_a")
    client.get(f"{API}/businesses")
    # COUNT, the page's ids, the rows with organisations, their trades, places, current
    # certifications; the organisations the caller may see.
    with assert_own_queries(7):
        assert len(client.get(f"{API}/businesses").json()["items"]) == 9
    # How many investments the filter would list, COUNT, the page's ids, the rows with investments
    # and winners, their trades; the winners the caller may see.
    with assert_own_queries(6):
        assert len(client.get(f"{API}/opportunities").json()["items"]) == 8


@pytest.mark.parametrize("auth", AUTH_MODES)
def test_only_staff_add_businesses(client, personas, tokens, world, auth):  # noqa: F811
    counter = iter(range(100))
    assert_matrix(client, personas, tokens, "post", f"{API}/businesses", {**STAFF_WRITE, "staff": 201, "admin": 201},
                  body={"name": "New Co"}, auth=auth, before=lambda: next(counter))
    assert Business.objects.filter(name="New Co").count() == 2


def test_bad_business_input_is_422_on_each_field(client, personas, world):
    login_as(client, personas, "staff")
    response = send(client, "post", f"{API}/businesses", {
        "name": "X", "naics_codes": ["2", "238220"], "bonding_limit": "12.345", "places_served": ["atlantis"]})
    assert errors(response) == {("body", "payload", "places_served"): "unknown_slug"}
    response = send(client, "post", f"{API}/businesses", {"name": "X", "naics_codes": ["2"], "bonding_limit": "-3"})
    assert set(errors(response)) == {("body", "payload", "naics_codes"), ("body", "payload", "bonding_limit")}
    assert errors(send(client, "post", f"{API}/businesses", {"name": "X", "colour": "red"})) == {
        ("body", "payload", "colour"): "extra_forbidden"}
    assert not Business.objects.filter(name="X").exists()


def test_a_representative_patches_their_business_but_not_its_visibility(client, personas, tokens, world):  # noqa: F811
    url = f"{API}/businesses/aurora-plumbing"
    assert_matrix(client, personas, tokens, "patch", url,
                  {"anonymous": 401, "public_user": 403, "member_a": 200, "member_b": 403, "table_member": 403,
                   "board": 403, "staff": 200, "admin": 200}, body={"phone": "651-555-0000"})
    login_as(client, personas, "member_a")
    assert send(client, "patch", url, {"visibility": "staff"}).status_code == 403
    assert send(client, "patch", url, {"visibility": "public", "naics_codes": ["238220", "2389"]}).status_code == 200
    assert sorted(world.plumber.trades.values_list("code", flat=True)) == ["238220", "2389"]
    world.plumber.refresh_from_db()
    assert world.plumber.bonding_limit_cents == 250_000_00  # not sent: kept


def test_certifications_over_the_api(client, personas, tokens, world):  # noqa: F811
    url = f"{API}/businesses/aurora-plumbing/certifications"
    login_as(client, personas, "member_a")
    bad = send(client, "post", url, {"program": "dbe", "valid_from": "2025-05-01", "valid_until": "2025-01-01"})
    assert errors(bad) == {("body", "payload", "valid_until"): "invalid"}
    created = send(client, "post", url, {"program": "dbe", "valid_from": "2025-05-01"})
    assert created.status_code == 201 and created.json()["current"] is True
    login_as(client, personas, "member_b")
    assert send(client, "delete", f"{API}/certifications/{created.json()['id']}").status_code == 403
    login_as(client, personas, "member_a")
    assert send(client, "delete", f"{API}/certifications/{created.json()['id']}").status_code == 204
    assert not Certification.objects.filter(public_id=created.json()["id"]).exists()


def test_opportunities_over_the_api(client, personas, tokens, world):  # noqa: F811
    body = {"investment": "snelling-station", "title": "Fencing", "naics_codes": ["238990"], "estimated_value": "40000"}
    assert_matrix(client, personas, tokens, "post", f"{API}/opportunities",
                  {**STAFF_WRITE, "staff": 201, "admin": 201}, body=body)
    login_as(client, personas, "staff")
    assert errors(send(client, "post", f"{API}/opportunities", {**body, "investment": "nowhere"})) == {
        ("body", "payload", "investment"): "invalid"}
    assert set(errors(send(client, "post", f"{API}/opportunities", {**body, "naics_codes": ["9"], "estimated_value": "-1"}))) == {
        ("body", "payload", "naics_codes"), ("body", "payload", "estimated_value")}
    url = f"{API}/opportunities/{world.opportunity.public_id}"
    patched = send(client, "patch", url, {"title": "Station mechanical and plumbing work"}).json()
    assert patched["naics_codes"] == ["2382"] and patched["title"] == "Station mechanical and plumbing work"
    assert errors(send(client, "post", f"{url}/award", {"business": "no-such-business"})) == {
        ("body", "payload", "business"): "invalid"}
    awarded = send(client, "post", f"{url}/award", {"business": "aurora-plumbing", "amount": 95000})
    assert awarded.status_code == 200 and awarded.json()["awarded_to"]["slug"] == "aurora-plumbing"
    assert set(errors(send(client, "post", f"{url}/close", {}))) == {("body", "payload")}
    assert ContractingOpportunity.objects.get(pk=world.opportunity.pk).status == "awarded"


def test_notify_over_the_api_is_idempotent(client, personas, tokens, world):  # noqa: F811
    url = f"{API}/opportunities/{world.opportunity.public_id}/notify"
    assert_matrix(client, personas, tokens, "post", url,
                  {"anonymous": 401, "public_user": 404, "member_a": 403, "member_b": 403, "table_member": 403,
                   "board": 403, "staff": 200, "admin": 200})
    login_as(client, personas, "staff")
    assert send(client, "post", url).json() == {"sent": 0, "already_sent": 1, "skipped": 1}
    assert len(mail.outbox) == 1


def test_consent_to_notices_over_the_api(client, personas, tokens, world):  # noqa: F811
    url = f"{API}/businesses/aurora-plumbing/notices-consent"
    assert_matrix(client, personas, tokens, "post", url,
                  {"anonymous": 401, "public_user": 403, "member_a": 200, "member_b": 403, "table_member": 403,
                   "board": 403, "staff": 200, "admin": 200}, body={"consent": False})
    login_as(client, personas, "member_a")
    assert send(client, "post", url, {"consent": True}).json()["consents_to_notices"] is True
    assert errors(send(client, "post", url, {"consent": "yes"})) == {("body", "payload", "consent"): "bool_type"}
