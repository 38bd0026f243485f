"""The policy inventory's API for every persona: public reads (filters, unknown parameters refused,
campaigns only as far as the caller may see them), staff writes (403 for others, 401 without
credentials) with the pages' rules as field-level 422s, in the caller's language."""

import datetime as dt
import json

import pytest

from commontable.core.models import ActivityLog
from commontable.core.testing import assert_permission_matrix, login_as
from commontable.displacement.models import Policy, PolicyType
from commontable.displacement.tests.factories import JurisdictionFactory, PolicyFactory
from commontable.displacement.tests.test_policies import world  # noqa: F401  (fixture)

API = "/api/v1/displacement"
WRITES = {"anonymous": 401, "public_user": 403, "member_a": 403, "member_b": 403, "table_member": 403, "board": 403}


def _json(client, method, url, data):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def test_reads_are_public(client, personas, world):  # noqa: F811
    for url in (f"{API}/policies", f"{API}/policy-types", f"{API}/policies/saint-paul/just_cause",
                f"{API}/policies/minnesota/topa"):
        assert_permission_matrix(client, personas, "get", url, {}, default=200)
    assert_permission_matrix(client, personas, "get", f"{API}/policies/green-line/topa", {}, default=404)


def test_list_filters_and_refuses_unknown_parameters(client, personas, world):  # noqa: F811
    PolicyFactory(jurisdiction=world.county, policy_type=world.topa, status="proposed", status_date=None, source_url="")
    body = client.get(f"{API}/policies").json()
    assert body["count"] == 2
    assert [i["jurisdiction"]["slug"] for i in client.get(f"{API}/policies", {"status": "adopted"}).json()["items"]] == [
        "saint-paul"]
    assert client.get(f"{API}/policies", {"type": "topa"}).json()["items"][0]["status"] == "proposed"
    assert client.get(f"{API}/policies", {"jurisdiction": "ramsey-county"}).json()["count"] == 1
    assert client.get(f"{API}/policies", {"kind": "city"}).json()["count"] == 1
    assert client.get(f"{API}/policies", {"colour": "red"}).status_code == 422
    response = client.get(f"{API}/policies", {"jurisdiction": "atlantis"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "jurisdiction"]
    assert client.get(f"{API}/policies", {"status": "rumoured"}).status_code == 422


def test_list_has_a_fixed_query_count(client, personas, world, django_assert_num_queries):  # noqa: F811
    for _n in range(6):
        PolicyFactory(jurisdiction=JurisdictionFactory(), policy_type=world.topa)
    client.get(f"{API}/policies")
    # COUNT; the page with its jurisdictions and types.
    with django_assert_num_queries(2):
        body = client.get(f"{API}/policies").json()
    assert body["count"] == 7


def test_policy_types_in_order_with_shipped_names(client, personas, world):  # noqa: F811
    body = client.get(f"{API}/policy-types").json()
    assert [t["slug"] for t in body][:2] == ["topa", "just_cause"]
    assert body[0]["name"] == "Tenant opportunity to purchase"


def test_detail_has_history_and_only_visible_campaigns(client, personas, world):  # noqa: F811
    url = f"{API}/policies/saint-paul/just_cause"
    body = client.get(url).json()
    assert body["recorded"] and body["status"] == "adopted" and body["status_date"] == "2024-05-01"
    assert [c["ask"] for c in body["campaigns"]] == ["Pass TOPA in Saint Paul"]
    assert body["history"][0]["status"] == "adopted" and body["history"][0]["source_note"] == "Ordinance 24-12"
    login_as(client, personas, "staff")
    assert len(client.get(url).json()["campaigns"]) == 3
    unrecorded = client.get(f"{API}/policies/minnesota/topa").json()
    assert unrecorded["recorded"] is False and unrecorded["status"] == "none" and unrecorded["history"] == []


def test_only_staff_record_a_status(client, personas, world):  # noqa: F811
    payload = {"jurisdiction": "ramsey-county", "policy_type": "topa", "status": "proposed",
               "status_date": "2026-01-15", "notes": "Draft ordinance"}
    assert_permission_matrix(client, personas, "post", f"{API}/policies", {**WRITES, "staff": 201, "admin": 200},
                             data=json.dumps(payload), content_type="application/json")  # type: ignore[arg-type]
    policy = Policy.objects.get(jurisdiction=world.county, policy_type=world.topa)
    assert policy.status == "proposed" and policy.notes == "Draft ordinance"
    assert ActivityLog.objects.filter(action="displacement.policy.created").count() == 1


def test_only_staff_patch_a_status(client, personas, world):  # noqa: F811
    url = f"{API}/policies/saint-paul/just_cause"
    payload = json.dumps({"notes": "Enforced from 2025"})
    assert_permission_matrix(client, personas, "patch", url, {**WRITES, "staff": 200, "admin": 200},
                             data=payload, content_type="application/json")  # type: ignore[arg-type]
    world.policy.refresh_from_db()
    assert world.policy.notes == "Enforced from 2025" and world.policy.status == "adopted"
    login_as(client, personas, "staff")
    assert _json(client, "patch", f"{API}/policies/minnesota/topa", {"notes": "x"}).status_code == 404


def test_staff_patch_a_repeal_and_link_campaigns(client, personas, world):  # noqa: F811
    login_as(client, personas, "staff")
    url = f"{API}/policies/saint-paul/just_cause"
    response = _json(client, "patch", url, {"status": "repealed", "status_date": "2026-02-01",
                                            "source_note": "Ordinance 26-2", "campaigns": [str(world.public_ask.public_id)]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert [h["status"] for h in body["history"]] == ["repealed", "adopted"]
    assert [c["ask"] for c in body["campaigns"]] == ["Pass TOPA in Saint Paul"]


@pytest.mark.parametrize(("changes", "field"), [
    ({"status": "adopted", "status_date": "2099-01-01", "source_note": "x"}, "status_date"),
    ({"status": "adopted", "status_date": None, "source_note": "x"}, "status_date"),
    ({"status": "adopted", "status_date": "2024-01-01", "source_note": "", "source_url": ""}, "source_url"),
    ({"status": "repealed", "status_date": "2024-01-01", "source_note": "x"}, "status"),
    ({"status": "proposed", "source_url": "javascript:alert(1)"}, "source_url"),
    ({"status": "pending"}, "status"),
    ({"status": "proposed", "favourite": True}, "favourite"),
    ({"status": "proposed", "campaigns": ["00000000-0000-0000-0000-000000000000"]}, "campaigns"),
    ({"jurisdiction": "green-line", "status": "proposed"}, "jurisdiction"),
])
def test_bad_statuses_are_field_level_422s(client, personas, world, changes, field):  # noqa: F811
    login_as(client, personas, "staff")
    payload = {"jurisdiction": "ramsey-county", "policy_type": "topa", **changes}
    response = _json(client, "post", f"{API}/policies", payload)
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"][-1] == field
    assert not Policy.objects.filter(policy_type=world.topa).exists()


def test_errors_follow_the_callers_language(client, personas, world):  # noqa: F811
    response = client.get(f"{API}/policies", {"colour": "red"}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 422 and response.json()["detail"][0]["msg"] == "Parámetro desconocido."


def test_only_staff_add_a_policy_type(client, personas, world):  # noqa: F811
    assert_permission_matrix(client, personas, "post", f"{API}/policy-types", {**WRITES, "staff": 201, "admin": 422},
                             data=json.dumps({"name": "Tenant union support"}),  # type: ignore[arg-type]
                             content_type="application/json")
    assert PolicyType.objects.filter(name="Tenant union support").count() == 1
    login_as(client, personas, "staff")
    assert _json(client, "post", f"{API}/policy-types", {"name": ""}).status_code == 422
    assert _json(client, "post", f"{API}/policy-types", {"name": "x", "slug": "y"}).status_code == 422


def test_today_is_the_default_limit_of_dates(personas, world):  # noqa: F811
    from commontable.displacement import services_policies

    policy = services_policies.policy_status_set(
        actor=personas.user("staff"), jurisdiction=world.region, policy_type=world.topa, status="proposed",
        status_date=dt.date.today())
    assert policy.status_date == dt.date.today()
