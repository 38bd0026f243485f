"""The workforce API for every persona: the pages' visibility and permissions (404 for an
investment the caller may not see, 403 for what they see but may not change, 401 for writes
without credentials), goals' field errors as 422s, the import flow, fixed query counts."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commontable.core.models import ActivityLog, ImportBatch
from commontable.core.testing import assert_permission_matrix, login_as
from commontable.core.visibility import Visibility
from commontable.workforce.models import HoursRecord, WorkforceGoal
from commontable.workforce.tests.conftest import own_queries
from commontable.workforce.tests.factories import HoursRecordFactory

API = "/api/v1"
HEADER = "contractor,period_start,period_end,trade,total_hours,bipoc_hours,women_hours,apprentice_hours\n"
# Who sees a members-only investment: every member (public_user is signed in but not a member).
SEES_MEMBERS = {"anonymous": 404, "public_user": 404}
WRITES = {"anonymous": 401, "public_user": 404, "member_a": 403, "member_b": 403, "table_member": 403, "board": 403}


def test_detail_follows_the_investments_visibility(client, personas, world):
    assert_permission_matrix(client, personas, "get", f"{API}/workforce/{world.investment.slug}", SEES_MEMBERS, default=200)
    assert_permission_matrix(client, personas, "get", f"{API}/workforce/{world.hidden.slug}",
                             {"staff": 200, "admin": 200}, default=404)


def test_anonymous_callers_see_public_investments_only(client, personas, world):
    assert client.get(f"{API}/workforce").json()["items"] == []
    world.investment.visibility = Visibility.PUBLIC
    world.investment.save()
    body = client.get(f"{API}/workforce", {"limit": 10}).json()
    assert (body["count"], body["limit"], body["offset"]) == (1, 10, 0)
    rows = body["items"]
    assert [r["investment"]["slug"] for r in rows] == ["snelling-station"]
    assert rows[0]["totals"]["shares"]["bipoc"] == 26.7
    assert rows[0]["goals"] == {"bipoc": 32.0, "women": 20.0}
    assert rows[0]["meets_bipoc_goal"] is False and rows[0]["bipoc_gap"] == pytest.approx(-5.3)


def test_detail_gives_months_goals_and_contractors(client, personas, world):
    login_as(client, personas, "member_a")
    body = client.get(f"{API}/workforce/{world.investment.slug}").json()
    assert len(body["periods"]) == 6
    march = body["periods"][2]
    assert march["totals"]["shares"]["bipoc"] == 10.0 and march["goals"]["bipoc"] == 32.0
    assert {c["employer_name"] for c in body["contractors"]} == {"Union Depot Construction Group", "Frogtown Electric Co."}
    assert body["totals"]["total_hours"] == 4800.0


def test_unknown_query_parameters_are_422(client, personas, world):
    assert client.get(f"{API}/workforce", {"sorted": "name"}).status_code == 422
    assert client.get(f"{API}/workforce", {"sort": "sideways"}).status_code == 422


def test_hours_list_has_a_fixed_query_count(client, personas, world):
    for n in range(5):
        HoursRecordFactory(investment=world.investment, employer_name=f"Firm {n}", employer_key=f"firm {n}")
    login_as(client, personas, "staff")
    url = f"{API}/workforce/{world.investment.slug}/hours"
    client.get(url)
    # The investment; COUNT; the page of records (17 of them).
    assert len(own_queries(client, url, limit=50)) == 3
    body = client.get(url, {"limit": 50}).json()
    assert body["count"] == 17 and len(body["items"]) == 17


def test_goal_writes_are_for_staff(client, personas, world):
    url = f"{API}/workforce/{world.investment.slug}/goals"
    payload = json.dumps({"measure": "apprentice", "target_percent": 15.5, "source": "cba"})
    assert_permission_matrix(client, personas, "post", url, {**WRITES, "staff": 201, "admin": 201},
                             data=payload, content_type="application/json")  # type: ignore[arg-type]
    assert WorkforceGoal.objects.filter(measure="apprentice").count() == 2
    assert ActivityLog.objects.filter(action="workforce.goal.created").count() == 2


def _post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.mark.parametrize("bad", [{"target_percent": 101}, {"target_percent": 32.55}, {"target_percent": -1},
                                  {"measure": "men"}, {"colour": "red"}])
def test_bad_goals_are_field_level_422s(client, personas, world, bad):
    login_as(client, personas, "staff")
    response = _post_json(client, f"{API}/workforce/{world.investment.slug}/goals",
                          {"measure": "women", "target_percent": 20, "source": "cba", **bad})
    assert response.status_code == 422
    assert WorkforceGoal.objects.count() == 3


def test_a_goal_ending_before_it_starts_is_a_422_on_its_field(client, personas, world):
    login_as(client, personas, "staff")
    response = client.patch(f"{API}/workforce/goals/{world.goal.public_id}",
                            json.dumps({"starts_on": "2025-05-01", "ends_on": "2025-01-01"}), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "ends_on"]


def test_staff_change_and_remove_goals(client, personas, world):
    url = f"{API}/workforce/goals/{world.goal.public_id}"
    login_as(client, personas, "member_a")
    assert client.patch(url, json.dumps({"target_percent": 40}), content_type="application/json").status_code == 403
    login_as(client, personas, "staff")
    response = client.patch(url, json.dumps({"target_percent": 40}), content_type="application/json")
    assert response.status_code == 200 and response.json()["target_percent"] == 40.0
    hidden = f"{API}/workforce/goals/{world.hidden_goal.public_id}"
    login_as(client, personas, "member_a")
    assert client.delete(hidden).status_code == 404
    login_as(client, personas, "staff")
    assert client.delete(url).status_code == 204
    assert not WorkforceGoal.objects.filter(pk=world.goal.pk).exists()


def test_import_upload_preview_apply(client, personas, world, sample_bytes):
    url = f"{API}/workforce/{world.investment.slug}/imports"
    login_as(client, personas, "member_a")
    assert client.post(url, {"file": SimpleUploadedFile("p.csv", sample_bytes)}).status_code == 403
    login_as(client, personas, "staff")
    response = client.post(url, {"file": SimpleUploadedFile("p.csv", sample_bytes)})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["layout"] == "workers" and body["problems"] == []
    assert "Alex Rivera" not in response.content.decode()
    # The fixture's week ending 2025-03-28 is replaced for both contractors; the rest is new.
    replaced = [r for r in body["reports"] if r["action"] == "update"]
    assert sorted((r["employer_name"], r["period_end"], r["total_hours_now"]) for r in replaced) == [
        ("Frogtown Electric Co.", "2025-03-28", 400.0), ("Union Depot Construction Group", "2025-03-28", 400.0)]
    preview = client.get(f"{url}/{body['id']}")
    assert preview.status_code == 200
    applied = client.post(f"{url}/{body['id']}/apply")
    assert applied.status_code == 200 and applied.json()["status"] == "applied"
    assert client.post(f"{url}/{body['id']}/apply").status_code == 422
    assert HoursRecord.objects.filter(import_batch__public_id=body["id"]).exists()


def test_an_import_with_problems_is_refused_with_every_problem(client, personas, world):
    login_as(client, personas, "staff")
    url = f"{API}/workforce/{world.investment.slug}/imports"
    data = (HEADER + "Acme,2025-03-01,2025-03-31,,-4,0,0,0\n").encode()
    body = client.post(url, {"file": SimpleUploadedFile("bad.csv", data)}).json()
    assert body["problems"][0] == {"row": 2, "column": "total_hours", "message": "Hours cannot be negative (“-4”)."}
    response = client.post(f"{url}/{body['id']}/apply")
    assert response.status_code == 422
    assert ImportBatch.objects.get().status == "failed"
    empty = client.post(url, {"file": SimpleUploadedFile("e.csv", b"")})
    assert empty.status_code == 422 and empty.json()["detail"][0]["loc"] == ["form", "file"]
