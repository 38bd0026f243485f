"""The scorecards API with the pages' permissions: rubrics public, sessions by visibility, your own
scores only (saved and submitted through the same service, 422 with every problem), results for
staff or once published."""

import json

import pytest

from commontable.core.testing import assert_permission_matrix, login_as
from commontable.scorecards import services
from commontable.scorecards.models import Criterion, Submission
from commontable.scorecards.services import AnswerIn, Scorer

pytestmark = pytest.mark.django_db
API = "/api/v1"


def keys(session):
    return [str(c.public_id) for c in Criterion.objects.filter(theme__version=session.version)
            .order_by("theme__position", "position")]


def test_rubrics_are_public_with_their_current_version(client, personas, examples):
    assert_permission_matrix(client, personas, "get", f"{API}/scorecard-rubrics", {}, default=200)
    data = client.get(f"{API}/scorecard-rubrics/equitable-development").json()
    assert data["version"] == 1 and len(data["themes"]) == 6
    assert data["themes"][0]["criteria"][0]["answers"] == [0, 1, 2, 3, 4]
    assert client.get(f"{API}/scorecard-rubrics/nope").status_code == 404


def test_sessions_follow_their_visibility(client, personas, session):
    target = f"{API}/scoring-sessions/{session.public_id}"
    assert_permission_matrix(client, personas, "get", target, {"anonymous": 404, "public_user": 404}, default=200)
    login_as(client, personas, "public_user")
    assert client.get(f"{API}/scoring-sessions").json() == []


def test_a_member_saves_and_submits_their_own_scores(client, personas, session):
    target = f"{API}/scoring-sessions/{session.public_id}/my-scores"
    assert_permission_matrix(client, personas, "get", target, {"anonymous": 401, "public_user": 404}, default=200)
    login_as(client, personas, "member_a")
    answers = [{"criterion": k, "value": v} for k, v in zip(keys(session), (4, 2, 3), strict=True)]
    response = client.put(target, json.dumps({"answers": answers, "submit": True}), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted" and len(response.json()["answers"]) == 3
    login_as(client, personas, "member_b")
    assert client.get(target).json() == {"status": "none", "answers": []}  # never another's answers


def test_refused_scores_are_422_with_every_problem_and_write_nothing(client, personas, session):
    login_as(client, personas, "member_a")
    target = f"{API}/scoring-sessions/{session.public_id}/my-scores"
    answers = [{"criterion": keys(session)[0], "value": 9}]
    response = client.put(target, json.dumps({"answers": answers, "submit": True}), content_type="application/json")
    assert response.status_code == 422
    messages = [d["msg"] for d in response.json()["detail"]]
    assert any("choose one of the answers" in m for m in messages) and any("has no answer yet" in m for m in messages)
    assert not Submission.objects.exists()
    services.session_close(actor=None, session=session)
    response = client.put(target, json.dumps({"answers": []}), content_type="application/json")
    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_results_for_staff_until_published(client, personas, session):
    for who in ("member_a", "member_b"):
        services.submission_save(session=session, scorer=Scorer(user=personas.user(who)),
                                 answers={k: AnswerIn(value=v) for k, v in zip(keys(session), (4, 2, 4), strict=True)},
                                 submit=True)
    target = f"{API}/scoring-sessions/{session.public_id}/results"
    assert_permission_matrix(client, personas, "get", target,
                             {"anonymous": 404, "public_user": 404, "staff": 200, "admin": 200}, default=403)
    login_as(client, personas, "staff")
    data = client.get(target).json()
    assert data["scorers"] == 2 and data["overall"] == 100.0
    assert all(g["scorers"] is None or g["scorers"] == 0 for g in data["groups"])
    session.results_public = True
    session.save()
    assert_permission_matrix(client, personas, "get", target, {"anonymous": 404, "public_user": 404}, default=200)
