"""The seats JSON API: the pages' permissions for every persona (invisible 404, visible but not
allowed 403, anonymous on member and staff endpoints 401), the happy paths, the services' refusals
as 422s on their field with nothing written, fixed query counts on the lists, and the roll-up's
suppressed figures and how leaders identify never leaving the server."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import Client
from django.utils import formats, timezone, translation

from commontable.accounts.services import api_token_create
from commontable.core.models import ActivityLog, IssueTopic
from commontable.core.testing import PERSONAS, assert_permission_matrix, login_as
from commontable.core.visibility import Visibility
from commontable.directory.choices import ConsentPurpose
from commontable.directory.models import ConsentRecord
from commontable.directory.tests.factories import PersonFactory
from commontable.investments.tests.factories import InvestmentFactory
from commontable.seats import services
from commontable.seats.choices import NominationOutcome, Readiness, SelfIdentification
from commontable.seats.models import EngagementProcess, Leader, Nomination, PublicBody, Seat, Term
from commontable.seats.tests.factories import (
    EngagementProcessFactory,
    LeaderFactory,
    NominationFactory,
    PlaceFactory,
    PublicBodyFactory,
    SeatFactory,
    TermFactory,
)

API = "/api/v1/seats"
JSON = {"content_type": "application/json"}
MEMBERS = ("member_a", "member_b", "table_member", "board", "staff", "admin")
STAFF = ("staff", "admin")
# Who sees a body or process of each visibility (neither is ever table-only).
SEES = {"public": set(PERSONAS), "members": set(MEMBERS), "staff": set(STAFF)}


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def everyone(status: int) -> dict:
    return dict.fromkeys(PERSONAS, status)


def seen_by(visibility: str, yes: int = 200, no: int = 404) -> dict:
    return {p: yes if p in SEES[visibility] else no for p in PERSONAS}


def signed_in(yes: int, *allowed: str, no: int = 403) -> dict:
    """An endpoint for signed-in callers: 401 without credentials, `yes` to those allowed."""
    return {p: 401 if p == "anonymous" else yes if p in allowed else no for p in PERSONAS}


def writers(yes: int, visibility: str = "public") -> dict:
    """A staff write on a record of `visibility`: 401 without credentials, 404 to whoever may not
    see the record, 403 to those who see it but are not staff."""
    return {p: 401 if p == "anonymous" else 404 if p not in SEES[visibility] else yes if p in STAFF else 403
            for p in PERSONAS}


class RollbackClient:
    """The test client with every write undone after its answer (in a savepoint), so that each
    persona of a write's permission matrix meets the same records."""

    def __init__(self, client):
        self._client = client

    def __getattr__(self, name):
        return getattr(self._client, name)

    def _undone(self, method, *args, **kwargs):
        with transaction.atomic():
            response = getattr(self._client, method)(*args, **kwargs)
            transaction.set_rollback(True)
        return response

    def post(self, *args, **kwargs):
        return self._undone("post", *args, **kwargs)

    def patch(self, *args, **kwargs):
        return self._undone("patch", *args, **kwargs)


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def patch(client, url, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def errors(response) -> dict:
    """{(loc…): msg} of a 422."""
    assert response.status_code == 422, response.content
    return {tuple(e["loc"]): e["msg"] for e in response.json()["detail"]}


def field(name: str) -> tuple:
    return ("body", "payload", name)


def written() -> tuple[int, int, int, int, int]:
    return (Term.objects.count(), Nomination.objects.count(), EngagementProcess.objects.count(),
            Seat.objects.count(), ActivityLog.objects.count())


def consent(person) -> None:
    ConsentRecord.objects.create(person=person, purpose=ConsentPurpose.DEMOGRAPHICS, text_version="1")


# ---------------------------------------------------------------------------------------------
# The records: a body of each visibility with a held seat and a vacant one; member_a's person is
# a leader holding the public body's first seat; a pending nomination; a process of each visibility


@pytest.fixture
def world(personas):
    place = PlaceFactory(slug="minneapolis", name="Minneapolis")
    housing, _ = IssueTopic.objects.get_or_create(slug="housing", defaults={"name": "Housing"})
    transit, _ = IssueTopic.objects.get_or_create(slug="transit", defaults={"name": "Transit"})
    out = SimpleNamespace(place=place, housing=housing, transit=transit, bodies={}, held={}, vacant={})
    for visibility in SEES:
        body = PublicBodyFactory(name=f"{visibility.title()} Commission", slug=f"{visibility}-commission",
                                 jurisdiction=place, visibility=visibility, topics=[housing])
        held = SeatFactory(body=body, name="Seat 1", position=1)
        vacant = SeatFactory(body=body, name="Seat 2", position=2, deadline_kind="review_begins",
                             deadline_on=days(20), deadline_note="Applications reviewed from this day")
        out.bodies[visibility], out.held[visibility], out.vacant[visibility] = body, held, vacant
    out.leader = LeaderFactory(person=personas.person_a, notes="Staff's note", support_needs="Childcare",
                               self_identification=SelfIdentification.BIPOC)
    out.term = TermFactory(seat=out.held["public"], holder_person=personas.person_a, holder_name="",
                           starts_on=days(-400), ends_on=days(30), notes="Appointed by the mayor")
    for visibility in ("members", "staff"):
        TermFactory(seat=out.held[visibility], holder_name="Rosa Outsider", starts_on=days(-100), ends_on=days(900))
    out.nominee = LeaderFactory(person=PersonFactory(full_name="Mai Xiong"))
    out.nomination = NominationFactory(seat=out.vacant["public"], leader=out.nominee, nominated_on=days(-10))
    out.processes = {v: EngagementProcessFactory(title=f"{v} hearing", visibility=v, body=out.bodies["public"])
                     for v in SEES}
    return out


def body_url(visibility: str) -> str:
    return f"{API}/bodies/{visibility}-commission"


SEAT_BODY = {"name": "Renter seat", "seat_type": "designated", "constituency": "A renter", "term_length_months": 24}
BODY = {"name": "Transit Advisory Committee", "jurisdiction": "minneapolis", "kind": "advisory_committee",
        "topics": ["transit"]}
PROCESS = {"title": "Corridor plan hearing", "agency": "Metro Transit", "kind": "hearing",
           "held_on": "2026-03-01", "language_access": 2, "interpretation": 1, "accommodations": 0}


# ---------------------------------------------------------------------------------------------
# Permission matrices


def test_body_list_answers_everyone(client, personas, world):
    assert_permission_matrix(client, personas, "get", f"{API}/bodies", everyone(200))


@pytest.mark.parametrize("visibility", list(SEES))
def test_a_body_answers_404_to_whoever_may_not_see_it(client, personas, world, visibility):
    assert_permission_matrix(client, personas, "get", body_url(visibility), seen_by(visibility))


@pytest.mark.parametrize("visibility", list(SEES))
def test_a_seat_answers_404_to_whoever_may_not_see_its_body(client, personas, world, visibility):
    url = f"{API}/seats/{world.held[visibility].public_id}"
    assert_permission_matrix(client, personas, "get", url, seen_by(visibility))


def test_adding_a_body_is_for_staff(client, personas, world):
    assert_permission_matrix(RollbackClient(client), personas, "post", f"{API}/bodies",
                             signed_in(201, *STAFF), data=BODY, **JSON)


@pytest.mark.parametrize("visibility", ["public", "members"])
def test_changing_a_body_is_for_staff(client, personas, world, visibility):
    assert_permission_matrix(RollbackClient(client), personas, "patch", body_url(visibility),
                             writers(200, visibility), data={"appointing_authority": "The council"}, **JSON)


@pytest.mark.parametrize("visibility", ["public", "staff"])
def test_adding_a_seat_is_for_staff(client, personas, world, visibility):
    assert_permission_matrix(RollbackClient(client), personas, "post", f"{body_url(visibility)}/seats",
                             writers(201, visibility), data=SEAT_BODY, **JSON)


@pytest.mark.parametrize("visibility", ["public", "members"])
def test_recording_a_term_is_for_staff(client, personas, world, visibility):
    url = f"{API}/seats/{world.vacant[visibility].public_id}/terms"
    assert_permission_matrix(RollbackClient(client), personas, "post", url, writers(201, visibility),
                             data={"holder_name": "Lee Her", "starts_on": str(days(-5))}, **JSON)


def test_openings_answer_everyone(client, personas, world):
    for show in ("vacant", "ending", "holdover"):
        assert_permission_matrix(client, personas, "get", f"{API}/openings?show={show}", everyone(200))


def test_the_roll_up_is_for_members(client, personas, world):
    assert_permission_matrix(client, personas, "get", f"{API}/representation", signed_in(200, *MEMBERS))


def test_the_leader_list_is_for_staff(client, personas, world):
    assert_permission_matrix(client, personas, "get", f"{API}/leaders", signed_in(200, *STAFF))


def test_a_leader_page_is_for_staff_and_the_leader_alone(client, personas, world):
    url = f"{API}/leaders/{world.leader.public_id}"
    assert_permission_matrix(client, personas, "get", url, signed_in(200, "member_a", *STAFF, no=404))


def test_adding_a_leader_is_for_staff(client, personas, world):
    body = {"person": str(personas.person_b.public_id), "readiness": "preparing"}
    assert_permission_matrix(RollbackClient(client), personas, "post", f"{API}/leaders",
                             signed_in(201, *STAFF), data=body, **JSON)


@pytest.mark.parametrize("visibility", ["public", "staff"])
def test_nominating_is_for_staff(client, personas, world, visibility):
    url = f"{API}/seats/{world.vacant[visibility].public_id}/nominations"
    body = {"leader": str(world.leader.public_id), "nominated_on": str(days(-1)), "endorsements": ["org-a"]}
    assert_permission_matrix(RollbackClient(client), personas, "post", url, writers(201, visibility),
                             data=body, **JSON)


def test_an_outcome_is_for_staff_and_nobody_else_learns_of_the_nomination(client, personas, world):
    url = f"{API}/nominations/{world.nomination.public_id}/outcome"
    body = {"outcome": "not_appointed", "on": str(days(-1))}
    assert_permission_matrix(RollbackClient(client), personas, "post", url, signed_in(200, *STAFF, no=404),
                             data=body, **JSON)


def test_the_engagement_log_answers_everyone(client, personas, world):
    assert_permission_matrix(client, personas, "get", f"{API}/processes", everyone(200))


@pytest.mark.parametrize("visibility", list(SEES))
def test_a_process_answers_404_to_whoever_may_not_see_it(client, personas, world, visibility):
    url = f"{API}/processes/{world.processes[visibility].public_id}"
    assert_permission_matrix(client, personas, "get", url, seen_by(visibility))


def test_logging_a_process_is_for_staff(client, personas, world):
    assert_permission_matrix(RollbackClient(client), personas, "post", f"{API}/processes",
                             signed_in(201, *STAFF), data=PROCESS, **JSON)


def test_the_rollback_client_leaves_nothing_behind(client, personas, world):
    before = written()
    login_as(RollbackClient(client), personas, "staff")
    assert RollbackClient(client).post(f"{API}/processes", data=PROCESS, **JSON).status_code == 201
    assert written() == before


def test_a_bad_token_is_a_401_even_on_a_public_read(client, world):
    response = client.get(f"{API}/bodies", HTTP_AUTHORIZATION="Bearer ct_not-a-token")
    assert response.status_code == 401


def test_a_token_works_as_the_session_does(client, personas, world):
    token = api_token_create(user=personas.user("staff"), name="tests")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get(f"{API}/leaders", **auth).status_code == 200
    assert client.post(f"{API}/processes", data=PROCESS, **JSON, **auth).status_code == 201
    member = api_token_create(user=personas.user("member_b"), name="tests")[1]
    assert client.get(f"{API}/leaders", HTTP_AUTHORIZATION=f"Bearer {member}").status_code == 403


def test_a_session_write_needs_the_csrf_token(personas, world):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(personas.user("staff"))
    before = written()
    assert post(csrf_client, f"{API}/processes", PROCESS).status_code == 403
    assert written() == before
    csrf_client.get("/")
    response = csrf_client.post(f"{API}/processes", data=json.dumps(PROCESS), **JSON,
                                HTTP_X_CSRFTOKEN=csrf_client.cookies["csrftoken"].value)
    assert response.status_code == 201


def test_lists_show_exactly_what_the_persona_may_see(client, personas, world):
    for persona in PERSONAS:
        login_as(client, personas, persona)
        bodies = {b["slug"] for b in client.get(f"{API}/bodies").json()["items"]}
        assert bodies == {f"{v}-commission" for v in SEES if persona in SEES[v]}, persona
        vacant = {o["seat"]["body"]["slug"] for o in client.get(f"{API}/openings").json()["items"]}
        assert vacant == bodies, persona
        processes = {p["title"] for p in client.get(f"{API}/processes").json()["items"]}
        assert processes == {f"{v} hearing" for v in SEES if persona in SEES[v]}, persona


# ---------------------------------------------------------------------------------------------
# Bodies and seats


def test_a_body_is_added_with_its_schedule_and_audited(client, personas, world):
    login_as(client, personas, "staff")
    first = days(7)
    response = post(client, f"{API}/bodies", {
        **BODY, "meeting_frequency": "weekly", "meeting_weekdays": [first.weekday()], "first_meeting_on": str(first),
        "meeting_starts_at": "18:00", "meeting_ends_at": "19:30", "meeting_location": "City Hall, room 317",
        "url": "https://example.org/tac", "visibility": "members"})
    assert response.status_code == 201, response.content
    data = response.json()
    body = PublicBody.objects.get(slug=data["slug"])
    assert data["slug"].startswith("transit-advisory-committee")
    assert [t["slug"] for t in data["topics"]] == ["transit"]
    assert data["jurisdiction"]["slug"] == "minneapolis" and data["visibility"] == "members"
    assert data["meeting_weekdays"] == [first.weekday()]
    assert data["upcoming_meetings"][0]["on"] == str(first)
    assert data["upcoming_meetings"][0]["uid"] == f"{body.meeting_uid}-{first:%Y%m%d}"
    assert data["seats"] == [] and data["seat_counts"] == {"seats": 0, "held": 0, "vacant": 0, "ending_soon": 0}
    assert ActivityLog.objects.filter(action="seats.body.created", object_id=str(body.pk)).exists()


def test_a_patch_changes_only_what_is_sent_and_bumps_the_meetings_sequence(client, personas, world):
    login_as(client, personas, "staff")
    url = body_url("public")
    response = patch(client, url, {"meeting_location": "Library", "topics": ["housing", "transit"]})
    assert response.status_code == 200, response.content
    body = PublicBody.objects.get(slug="public-commission")
    assert body.meeting_location == "Library" and body.meeting_sequence == 1
    assert body.name == "Public Commission" and body.appointing_authority == "The mayor"
    assert sorted(t["slug"] for t in response.json()["topics"]) == ["housing", "transit"]
    assert patch(client, url, {"appointing_authority": "The council"}).status_code == 200
    body.refresh_from_db()
    assert body.meeting_sequence == 1


def test_bad_bodies_are_refused_on_their_fields(client, personas, world):
    login_as(client, personas, "staff")
    before = written()
    found = errors(post(client, f"{API}/bodies", {**BODY, "jurisdiction": "atlantis", "topics": ["nope"]}))
    assert set(found) == {field("jurisdiction"), field("topics")}
    found = errors(post(client, f"{API}/bodies", {**BODY, "meeting_frequency": "monthly", "time_zone": "Mars/Olympus"}))
    assert {field("first_meeting_on"), field("meeting_starts_at"), field("meeting_nth"), field("time_zone")} <= set(found)
    found = errors(post(client, f"{API}/bodies", {**BODY, "visibility": "table", "meeting_weekdays": [7], "extra": 1}))
    assert {field("visibility"), ("body", "payload", "meeting_weekdays", 0), field("extra")} <= set(found)
    assert errors(patch(client, body_url("public"), {"name": None}))
    assert written() == before


def test_hostile_writes_are_refused_on_their_fields_and_write_nothing(client, personas, world):
    """Times with an offset, impossible years and parameters a write does not take: 422 in
    words, never a server error, and nothing written."""
    login_as(client, personas, "staff")
    before = written()
    schedule = {**BODY, "meeting_frequency": "weekly", "meeting_weekdays": [1], "first_meeting_on": "2026-03-03"}
    found = errors(post(client, f"{API}/bodies", {**schedule, "meeting_starts_at": "18:00:00+05:00",
                                                  "meeting_ends_at": "19:00"}))
    assert found[field("meeting_starts_at")] == ("Give the time as the clock on the wall shows it, without a time "
                                                 "zone offset.")
    assert set(errors(patch(client, body_url("public"), {"meeting_ends_at": "23:00+02:00"}))) == {
        field("meeting_ends_at")}
    found = errors(post(client, f"{API}/processes", {**PROCESS, "held_on": "9999-12-31"}))
    assert "between the years 1900 and 2200" in found[field("held_on")]
    seat = world.vacant["public"]
    found = errors(post(client, f"{API}/seats/{seat.public_id}/terms", {"starts_on": "9999-06-01", "holder_name": "X"}))
    assert "between the years 1900 and 2200" in found[field("starts_on")]
    found = errors(post(client, f"{API}/bodies?dry_run=1", BODY))
    assert set(found) == {("query", "dry_run")}
    assert written() == before


def test_the_body_page_shows_each_seat_today_and_leader_marks_to_staff_only(client, personas, world):
    login_as(client, personas, "member_b")
    data = client.get(body_url("public")).json()
    first, second = data["seats"]
    assert first["state"] == "held" and first["current"]["holder_name"] == "Ayaan Cabdi"
    assert first["current"]["ends_on"] == str(days(30)) and first["current"]["status"] == "serving"
    assert first["current"]["is_coalition_leader"] is None and first["current"]["notes"] is None
    assert second["state"] == "vacant" and second["current"] is None
    assert second["deadline"] == {"kind": "review_begins", "kind_label": "Review begins", "on": str(days(20)),
                                  "note": "Applications reviewed from this day", "applications_url": ""}
    assert data["seat_counts"] == {"seats": 2, "held": 1, "vacant": 1, "ending_soon": 1}
    assert data["permissions"] == {"can_manage": False}
    assert "bipoc" not in json.dumps(data).lower()
    login_as(client, personas, "staff")
    data = client.get(body_url("public")).json()
    assert data["seats"][0]["current"]["is_coalition_leader"] is True
    assert data["seats"][0]["current"]["notes"] == "Appointed by the mayor"
    members = client.get(body_url("members")).json()
    assert members["seats"][0]["current"]["is_coalition_leader"] is False


def test_the_body_list_counts_seats_and_filters(client, personas, world):
    other = PublicBodyFactory(name="Watershed Board", slug="watershed", kind="board", topics=[world.transit],
                              jurisdiction=PlaceFactory(slug="saint-paul", name="Saint Paul"))
    TermFactory(seat=SeatFactory(body=other), starts_on=days(-2000), ends_on=days(-30))  # a holdover
    login_as(client, personas, "staff")
    items = {b["slug"]: b for b in client.get(f"{API}/bodies").json()["items"]}
    assert items["public-commission"]["seat_counts"] == {"seats": 2, "held": 1, "vacant": 1, "ending_soon": 1}
    assert items["watershed"]["seat_counts"] == {"seats": 1, "held": 1, "vacant": 0, "ending_soon": 0}

    def slugs(**query):
        return [b["slug"] for b in client.get(f"{API}/bodies", query).json()["items"]]

    assert slugs(jurisdiction="saint-paul") == slugs(topic="transit") == slugs(kind="board") == ["watershed"]
    assert slugs(q="public") == ["public-commission"]
    assert slugs(q="The mayor", limit=2) == ["members-commission", "public-commission"]
    services.body_dissolve(body=other, actor=None, on=days(-1))
    assert "watershed" not in slugs() and "watershed" in slugs(include_dissolved="yes")


def test_unknown_filters_and_parameters_are_refused(client, world):
    assert set(errors(client.get(f"{API}/bodies", {"jurisdiction": "atlantis"}))) == {("query", "jurisdiction")}
    assert set(errors(client.get(f"{API}/bodies", {"topic": "nope"}))) == {("query", "topic")}
    assert set(errors(client.get(f"{API}/bodies", {"jurisdction": "minneapolis"}))) == {("query", "jurisdction")}
    assert set(errors(client.get(f"{API}/openings", {"show": "all"}))) == {("query", "show")}
    assert set(errors(client.get(f"{API}/processes", {"body": "staff-commission"}))) == {("query", "body")}
    assert client.get(f"{API}/seats/not-a-uuid").status_code == 422


def test_a_seat_is_added_and_shows_its_whole_history(client, personas, world):
    login_as(client, personas, "staff")
    response = post(client, f"{body_url('public')}/seats", {**SEAT_BODY, "deadline_kind": "open_until_filled"})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["state"] == "vacant" and data["terms"] == [] and data["nominations"] == []
    assert data["seat_type_label"] == "Designated for a constituency"
    assert data["deadline"]["kind"] == "open_until_filled" and data["body"]["slug"] == "public-commission"
    seat = Seat.objects.get(public_id=data["public_id"])
    TermFactory(seat=seat, holder_name="First Holder", starts_on=days(-900), ends_on=days(-200))
    TermFactory(seat=seat, holder_person=personas.person_a, holder_name="", starts_on=days(-199), ends_on=days(-10))
    data = client.get(f"{API}/seats/{seat.public_id}").json()
    assert [t["holder_name"] for t in data["terms"]] == ["Ayaan Cabdi", "First Holder"]
    assert [t["status"] for t in data["terms"]] == ["holdover", "ended"]
    assert data["state"] == "holdover" and data["current"]["holder_name"] == "Ayaan Cabdi"
    assert [t["is_coalition_leader"] for t in data["terms"]] == [True, False]
    login_as(client, personas, "member_a")
    data = client.get(f"{API}/seats/{world.vacant['public'].public_id}").json()
    assert data["nominations"] is None and "Mai Xiong" not in json.dumps(data)


def test_bad_seats_are_refused_with_nothing_written(client, personas, world):
    login_as(client, personas, "staff")
    url = f"{body_url('public')}/seats"
    before = written()
    assert set(errors(post(client, url, {**SEAT_BODY, "name": "Seat 1"}))) == {field("name")}
    assert set(errors(post(client, url, {**SEAT_BODY, "deadline_kind": "hard_date"}))) == {field("deadline_on")}
    found = errors(post(client, url, {**SEAT_BODY, "term_length_months": "١٢", "holdover_allowed": "yes"}))
    assert set(found) == {field("term_length_months"), field("holdover_allowed")}
    assert written() == before


def test_a_term_takes_its_end_from_the_seats_term_length(client, personas, world):
    login_as(client, personas, "staff")
    seat = world.vacant["public"]
    response = post(client, f"{API}/seats/{seat.public_id}/terms",
                    {"holder_person": str(personas.person_b.public_id), "starts_on": "2026-01-15"})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["holder_name"] == "Bao Vang" and data["ends_on"] == "2029-01-14"
    assert data["is_coalition_leader"] is False
    term = Term.objects.get(public_id=data["public_id"])
    assert ActivityLog.objects.filter(action="seats.term.recorded", object_id=str(term.pk)).exists()
    open_ended = post(client, f"{API}/seats/{SeatFactory(body=seat.body).public_id}/terms",
                      {"holder_name": "The mayor", "starts_on": "2026-01-15", "ends_on": None})
    assert open_ended.json()["ends_on"] is None


def test_an_overlapping_term_is_refused_with_nothing_written(client, personas, world):
    login_as(client, personas, "staff")
    seat = world.held["public"]  # held by Ayaan Cabdi from 400 days ago to 30 days from now
    before = written()
    found = errors(post(client, f"{API}/seats/{seat.public_id}/terms",
                        {"holder_name": "Early Bird", "starts_on": str(days(-600)), "ends_on": str(days(-300))}))
    assert list(found) == [field("ends_on")]
    assert "overlaps the term of Ayaan Cabdi" in found[field("ends_on")]
    assert written() == before


def test_a_term_on_a_full_seat_is_refused_with_nothing_written(client, personas, world):
    login_as(client, personas, "staff")
    seat = world.held["public"]
    before = written()
    found = errors(post(client, f"{API}/seats/{seat.public_id}/terms",
                        {"holder_name": "Too Soon", "starts_on": str(days(-5))}))
    assert list(found) == [field("starts_on")]
    assert found[field("starts_on")].startswith("The seat is full: Ayaan Cabdi holds it until")
    assert written() == before


def test_bad_terms_are_refused_on_their_fields(client, personas, world):
    login_as(client, personas, "staff")
    url = f"{API}/seats/{world.vacant['public'].public_id}/terms"
    before = written()
    assert set(errors(post(client, url, {"starts_on": "2026-01-01"}))) == {field("holder_name")}
    found = errors(post(client, url, {"holder_name": "X", "starts_on": "2026-01-01", "ends_on": "2025-01-01"}))
    assert found == {field("ends_on"): "The term cannot end before it starts."}
    found = errors(post(client, url, {"holder_person": "00000000-0000-0000-0000-000000000000", "starts_on": "2026-01-01"}))
    assert set(found) == {field("holder_person")}
    assert written() == before


def test_refusals_follow_the_callers_language(client, personas, world):
    login_as(client, personas, "staff")
    spanish = client.get(f"{API}/bodies", {"jurisdiction": "atlantis"}, HTTP_ACCEPT_LANGUAGE="es")
    with translation.override("es"):
        assert errors(spanish) == {("query", "jurisdiction"): translation.gettext("Unknown place.")}
        assert translation.gettext("Unknown place.") != "Unknown place."
    full = client.post(f"{API}/seats/{world.held['public'].public_id}/terms", HTTP_ACCEPT_LANGUAGE="es",
                       data=json.dumps({"holder_name": "Demasiado Pronto", "starts_on": str(days(-5))}), **JSON)
    with translation.override("es"):
        expected = translation.gettext("The seat is full: %(holder)s holds it until %(end)s. Record the day they "
                                       "leave, or start the new term after that.") % {
            "holder": "Ayaan Cabdi", "end": formats.date_format(days(30), "DATE_FORMAT")}
    assert errors(full) == {field("starts_on"): expected}


# ---------------------------------------------------------------------------------------------
# Openings and the roll-up


def test_openings_list_vacancies_terms_ending_soon_and_holdovers(client, personas, world):
    holdover_seat = SeatFactory(body=world.bodies["public"], name="Seat 3", position=3)
    TermFactory(seat=holdover_seat, holder_name="Still Serving", starts_on=days(-1200), ends_on=days(-5))
    login_as(client, personas, "anonymous")
    vacant = client.get(f"{API}/openings").json()
    assert vacant["count"] == 1
    assert vacant["items"][0]["kind"] == "vacant" and vacant["items"][0]["holder_name"] is None
    assert vacant["items"][0]["seat"]["public_id"] == str(world.vacant["public"].public_id)
    assert vacant["items"][0]["deadline"]["kind"] == "review_begins"
    assert vacant["items"][0]["deadline"]["on"] == str(days(20))
    ending = client.get(f"{API}/openings", {"show": "ending"}).json()["items"]
    assert [(o["holder_name"], o["term_ends_on"]) for o in ending] == [("Ayaan Cabdi", str(days(30)))]
    holdover = client.get(f"{API}/openings", {"show": "holdover"}).json()["items"]
    assert [(o["kind"], o["holder_name"], o["term_ends_on"]) for o in holdover] == [
        ("holdover", "Still Serving", str(days(-5)))]
    assert client.get(f"{API}/openings", {"jurisdiction": "minneapolis", "topic": "transit"}).json()["count"] == 0


def _seated_leaders(body, n: int, identification: str, *, consenting: bool = True) -> None:
    for i in range(n):
        person = PersonFactory(full_name=f"{identification or 'unstated'} leader {i}")
        LeaderFactory(person=person, self_identification=identification)
        if consenting:
            consent(person)
        TermFactory(seat=SeatFactory(body=body), holder_person=person, holder_name="", starts_on=days(-30),
                    ends_on=days(700))


def _rollup_rows(data: dict) -> list[dict]:
    return [data["total"], data["climate_mobility"], *data["by_topic"], *data["by_jurisdiction"]]


def test_small_bipoc_figures_are_suppressed_and_never_leak(client, personas, world):
    body = PublicBodyFactory(slug="transit-board", topics=[world.transit], jurisdiction=world.place)
    _seated_leaders(body, 3, SelfIdentification.BIPOC)
    login_as(client, personas, "member_b")
    response = client.get(f"{API}/representation")
    data = response.json()
    transit = next(r for r in data["by_topic"] if r["key"] == "topic:transit")
    assert transit["held_by_leaders"] == transit["leaders"] == 3
    assert transit["bipoc_leaders"] == {"value": None, "suppressed": True}
    assert data["climate_mobility"]["bipoc_leaders"] == {"value": None, "suppressed": True}
    assert data["climate_mobility"]["label"] == "Climate, environment and mobility"
    assert data["minimum"] == 5
    for row in _rollup_rows(data):
        # Three consenting BIPOC leaders in all (Ayaan Cabdi has not consented): under five everywhere.
        assert row["bipoc_leaders"]["value"] is None, row
    assert '"value": 3' not in response.content.decode() and '"value":3' not in response.content.decode()
    assert "self_identification" not in response.content.decode()


def test_bipoc_figures_of_five_or_more_are_shown(client, personas, world):
    body = PublicBodyFactory(slug="transit-board", topics=[world.transit], jurisdiction=world.place)
    _seated_leaders(body, 6, SelfIdentification.BIPOC)
    _seated_leaders(body, 5, SelfIdentification.NOT_BIPOC)
    _seated_leaders(body, 2, SelfIdentification.BIPOC, consenting=False)
    login_as(client, personas, "member_a")
    data = client.get(f"{API}/representation").json()
    transit = next(r for r in data["by_topic"] if r["key"] == "topic:transit")
    assert transit["leaders"] == 13
    # The world's own leader holds a seat elsewhere: the total (6 of 14) less transit's would say
    # that one person is not counted as BIPOC, so transit's figure is hidden (ADR 20) ...
    assert data["total"]["bipoc_leaders"] == {"value": 6, "suppressed": False}
    assert transit["bipoc_leaders"] == {"value": None, "suppressed": True}
    # ... until five more leaders elsewhere make the difference a group of six.
    _seated_leaders(world.held["public"].body, 5, SelfIdentification.NOT_BIPOC)
    data = client.get(f"{API}/representation").json()
    transit = next(r for r in data["by_topic"] if r["key"] == "topic:transit")
    assert transit["bipoc_leaders"] == {"value": 6, "suppressed": False}
    assert transit["climate_mobility"] is True and transit["seats"] == 13 and transit["vacant"] == 0


def test_an_appointment_changes_the_roll_up(client, personas, world):
    login_as(client, personas, "staff")
    before = client.get(f"{API}/representation").json()["total"]
    response = post(client, f"{API}/nominations/{world.nomination.public_id}/outcome",
                    {"outcome": "appointed", "on": str(today())})
    assert response.status_code == 200, response.content
    after = client.get(f"{API}/representation").json()["total"]
    assert after["held_by_leaders"] == before["held_by_leaders"] + 1
    assert after["vacant"] == before["vacant"] - 1


# ---------------------------------------------------------------------------------------------
# Leadership pipeline


def test_a_leader_sees_their_own_path_without_staffs_notes(client, personas, world):
    NominationFactory(seat=world.vacant["members"], leader=world.leader, nominated_on=days(-3))
    login_as(client, personas, "member_a")
    response = client.get(f"{API}/leaders/{world.leader.public_id}")
    data = response.json()
    assert data["person"]["full_name"] == "Ayaan Cabdi" and data["support_needs"] == "Childcare"
    assert data["notes"] is None and data["permissions"] == {"can_manage": False}
    assert [s["kind"] for s in data["path"]] == ["interest", "term", "nomination"]
    assert "self_identification" not in response.content.decode()
    assert "bipoc" not in response.content.decode().lower()
    login_as(client, personas, "staff")
    data = client.get(f"{API}/leaders/{world.leader.public_id}").json()
    assert data["notes"] == "Staff's note" and data["permissions"] == {"can_manage": True}


def test_a_leader_is_added_once(client, personas, world):
    login_as(client, personas, "staff")
    body = {"person": str(personas.person_b.public_id), "topics": ["transit"], "places": ["minneapolis"],
            "readiness": "ready", "interested_since": "2025-05-01"}
    response = post(client, f"{API}/leaders", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["readiness"] == "ready" and [t["slug"] for t in data["topics"]] == ["transit"]
    assert [p["slug"] for p in data["places"]] == ["minneapolis"] and data["path"][0]["kind"] == "interest"
    before = written()
    assert set(errors(post(client, f"{API}/leaders", body))) == {field("person")}
    assert set(errors(post(client, f"{API}/leaders", {**body, "self_identification": "bipoc"}))) == {
        field("self_identification")}
    assert written() == before
    listed = client.get(f"{API}/leaders", {"readiness": "ready"}).json()["items"]
    assert [x["person"]["full_name"] for x in listed] == ["Bao Vang"]
    assert "self_identification" not in json.dumps(client.get(f"{API}/leaders").json())


def test_a_nomination_is_made_endorsed_and_decided(client, personas, world):
    login_as(client, personas, "staff")
    seat = world.vacant["public"]
    response = post(client, f"{API}/seats/{seat.public_id}/nominations",
                    {"leader": str(world.leader.public_id), "nominated_on": str(days(-2)),
                     "endorsements": ["org-a", "org-b"], "notes": "Strong candidate"})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["outcome"] == "pending" and data["leader"]["full_name"] == "Ayaan Cabdi"
    assert sorted(o["slug"] for o in data["endorsements"]) == ["org-a", "org-b"]
    nomination = Nomination.objects.get(public_id=data["public_id"])
    assert ActivityLog.objects.filter(action="seats.nomination.created", object_id=str(nomination.pk)).exists()
    # The other nominee is appointed first; then this one is not.
    decided = post(client, f"{API}/nominations/{world.nomination.public_id}/outcome",
                   {"outcome": "appointed", "on": str(days(-1)), "term_ends_on": str(days(700))})
    assert decided.status_code == 200, decided.content
    term = decided.json()["term"]
    assert term["starts_on"] == str(days(-1)) and term["ends_on"] == str(days(700))
    assert Leader.objects.get(pk=world.nominee.pk).readiness == Readiness.SERVING
    seat_page = client.get(f"{API}/seats/{seat.public_id}").json()
    assert seat_page["current"]["holder_name"] == "Mai Xiong" and seat_page["current"]["is_coalition_leader"] is True
    assert {n["outcome"] for n in seat_page["nominations"]} == {"appointed", "pending"}
    declined = post(client, f"{API}/nominations/{nomination.public_id}/outcome",
                    {"outcome": "not_appointed", "on": str(today())})
    assert declined.json()["outcome"] == "not_appointed" and declined.json()["term"] is None


def test_a_nomination_to_a_dissolved_body_is_refused_with_nothing_written(client, personas, world):
    services.body_dissolve(body=world.bodies["public"], actor=None, on=days(-1))
    login_as(client, personas, "staff")
    before = written()
    found = errors(post(client, f"{API}/seats/{world.held['public'].public_id}/nominations",
                        {"leader": str(world.leader.public_id), "nominated_on": str(today())}))
    assert list(found) == [("body", "payload")]
    assert "was dissolved on" in found[("body", "payload")]
    assert written() == before


def test_bad_nominations_are_refused_with_nothing_written(client, personas, world):
    login_as(client, personas, "staff")
    url = f"{API}/seats/{world.vacant['public'].public_id}/nominations"
    before = written()
    found = errors(post(client, url, {"leader": str(personas.person_b.public_id), "nominated_on": str(today()),
                                      "endorsements": ["org-a", "nowhere"]}))
    assert set(found) == {field("leader"), field("endorsements")}
    found = errors(post(client, url, {"leader": str(world.nominee.public_id), "nominated_on": str(today())}))
    assert "already has a pending nomination" in found[("body", "payload")]
    assert written() == before


def test_an_appointment_to_a_full_seat_is_refused_with_nothing_written(client, personas, world):
    nomination = NominationFactory(seat=world.held["public"], leader=world.nominee, nominated_on=days(-10))
    login_as(client, personas, "staff")
    url = f"{API}/nominations/{nomination.public_id}/outcome"
    before = written()
    found = errors(post(client, url, {"outcome": "appointed", "on": str(days(-1))}))
    assert list(found) == [field("on")] and found[field("on")].startswith("The seat is full")
    assert set(errors(post(client, url, {"outcome": "appointed", "on": str(days(-20))}))) == {field("on")}
    assert set(errors(post(client, url, {"outcome": "pending", "on": str(today())}))) == {field("outcome")}
    assert written() == before
    nomination.refresh_from_db()
    assert nomination.outcome == NominationOutcome.PENDING and nomination.term is None


# ---------------------------------------------------------------------------------------------
# Engagement log


def test_a_process_is_logged_with_its_score(client, personas, world):
    investment = InvestmentFactory(slug="blue-line", visibility=Visibility.PUBLIC)
    login_as(client, personas, "staff")
    response = post(client, f"{API}/processes", {**PROCESS, "body": "public-commission", "investment": "blue-line",
                                                 "input_changed_decision": None, "visibility": "public"})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["score"] == 50  # (2 + 1 + 0) of 6 possible points
    assert data["body"]["slug"] == "public-commission" and data["investment"] == {"slug": "blue-line",
                                                                                  "name": investment.name}
    process = EngagementProcess.objects.get(public_id=data["public_id"])
    assert ActivityLog.objects.filter(action="seats.process.created", object_id=str(process.pk)).exists()
    two = post(client, f"{API}/processes", {**PROCESS, "accommodations": None})
    assert two.json()["score"] is None  # fewer than three answers: no score


def test_bad_answers_are_refused_with_nothing_written(client, personas, world):
    login_as(client, personas, "staff")
    before = written()
    found = errors(post(client, f"{API}/processes", {**PROCESS, "language_access": 3, "interpretation": "2",
                                                     "accommodations": -1, "timing_and_place": True}))
    assert set(found) == {field("language_access"), field("interpretation"), field("accommodations"),
                          field("timing_and_place")}
    found = errors(post(client, f"{API}/processes", {**PROCESS, "body": "nowhere", "investment": "nowhere"}))
    assert set(found) == {field("body"), field("investment")}
    assert written() == before


def test_a_process_names_only_the_body_and_investment_the_caller_may_see(client, personas, world):
    hidden = InvestmentFactory(slug="secret", visibility=Visibility.STAFF)
    process = EngagementProcessFactory(visibility=Visibility.PUBLIC, body=world.bodies["staff"], investment=hidden)
    login_as(client, personas, "member_a")
    data = client.get(f"{API}/processes/{process.public_id}").json()
    assert data["body"] is None and data["investment"] is None
    listed = next(p for p in client.get(f"{API}/processes").json()["items"] if p["public_id"] == str(process.public_id))
    assert listed["body"] is None and listed["investment"] is None
    login_as(client, personas, "staff")
    data = client.get(f"{API}/processes/{process.public_id}").json()
    assert data["body"]["slug"] == "staff-commission" and data["investment"]["slug"] == "secret"


# ---------------------------------------------------------------------------------------------
# Query counts


def _bodies(n: int, world) -> None:
    """n public bodies, each with a topic, three seats (held, ending soon, vacant) and a past term."""
    for i in range(n):
        body = PublicBodyFactory(jurisdiction=world.place, topics=[world.transit, world.housing])
        held, ending, _vacant = (SeatFactory(body=body) for _ in range(3))
        TermFactory(seat=held, starts_on=days(-2000), ends_on=days(-1001))
        TermFactory(seat=held, starts_on=days(-1000), ends_on=days(400))
        TermFactory(seat=ending, starts_on=days(-1000), ends_on=days(10 + i))
        EngagementProcessFactory(body=body, investment=InvestmentFactory(visibility=Visibility.PUBLIC))


@pytest.mark.parametrize("rows", [5, 15])
def test_body_list_query_count(client, personas, world, django_assert_num_queries, rows):
    _bodies(rows, world)
    login_as(client, personas, "member_b")
    # session, user; viewer: person, affiliations, table participations; COUNT; the page (with
    # jurisdiction); its topics; the seat counts (one grouped query over the seats' latest-term
    # columns; none of these seats has a term starting later).
    with django_assert_num_queries(9):
        response = client.get(f"{API}/bodies")
    assert response.json()["count"] == rows + 2


@pytest.mark.parametrize("rows", [5, 15])
@pytest.mark.parametrize("show", ["vacant", "ending"])
def test_opening_list_query_count(client, personas, world, django_assert_num_queries, rows, show):
    _bodies(rows, world)
    login_as(client, personas, "member_b")
    # session, user; viewer: person, affiliations, table participations; the list's ids, kept per
    # data version (from the seats' latest-term columns: the vacant seats, or the terms ending or
    # held over; and which seats have a term starting later, none here); the page (seats with
    # body and jurisdiction, or terms with their seat, body and jurisdiction, then their holders
    # from the directory).
    with django_assert_num_queries(8 if show == "vacant" else 9):
        response = client.get(f"{API}/openings", {"show": show})
    assert response.json()["count"] == rows + (2 if show == "vacant" else 1)


@pytest.mark.parametrize("rows", [5, 15])
def test_process_list_query_count(client, personas, world, django_assert_num_queries, rows):
    _bodies(rows, world)
    login_as(client, personas, "member_b")
    # session, user; viewer: person, affiliations, table participations; COUNT; the page (with
    # body, its jurisdiction and investment); which of the page's bodies and investments the
    # caller may see (one query each).
    with django_assert_num_queries(9):
        response = client.get(f"{API}/processes")
    assert response.json()["count"] == rows + 2


@pytest.mark.parametrize("rows", [5, 15])
def test_representation_query_count(client, personas, world, django_assert_num_queries, rows):
    _bodies(rows, world)
    _seated_leaders(world.bodies["public"], rows, SelfIdentification.BIPOC)
    login_as(client, personas, "member_b")
    # session, user; viewer: person, affiliations, table participations; the state of
    # demographic consent (part of the kept figures' key); the places; the bodies; the topics;
    # which body has which topic; the seat counts (one grouped query over the seats' latest-term
    # columns); the leaders and how they identify; the seats they hold today (from the same
    # columns); the seats with a term starting later (none here); who among them consents.
    with django_assert_num_queries(15):
        response = client.get(f"{API}/representation")
    assert response.json()["total"]["bodies"] == rows + 2


@pytest.mark.parametrize("rows", [5, 15])
def test_leader_list_query_count(client, personas, world, django_assert_num_queries, rows):
    for _ in range(rows):
        LeaderFactory().topics.add(world.transit)
    login_as(client, personas, "staff")
    # session, user; viewer: person (staff need no affiliations); COUNT; the page (with person);
    # their topics; their places.
    with django_assert_num_queries(7):
        response = client.get(f"{API}/leaders")
    assert response.json()["count"] == rows + 2


@pytest.mark.parametrize("rows", [5, 15])
def test_body_detail_query_count(client, personas, world, django_assert_num_queries, rows):
    body = world.bodies["public"]
    for i in range(rows):
        TermFactory(seat=SeatFactory(body=body, position=10 + i), holder_person=PersonFactory(), holder_name="",
                    starts_on=days(-100), ends_on=days(100))
    login_as(client, personas, "staff")
    # session, user; viewer: person (staff need no affiliations); the body (with jurisdiction);
    # its topics; its seats; every term of the seats (with holder); which holders are coalition
    # leaders (asked for staff only).
    with django_assert_num_queries(8):
        response = client.get(body_url("public"))
    assert len(response.json()["seats"]) == rows + 2


@pytest.mark.parametrize("rows", [5, 15])
def test_seat_detail_query_count(client, personas, world, django_assert_num_queries, rows):
    seat = world.vacant["public"]
    for i in range(rows):
        TermFactory(seat=seat, holder_person=PersonFactory(), holder_name="", starts_on=days(-2000 + 100 * i),
                    ends_on=days(-1950 + 100 * i))
        NominationFactory(seat=seat).endorsements.add(personas.org_a)
    login_as(client, personas, "staff")
    # session, user; viewer: person (staff need no affiliations); the seat (with body and
    # jurisdiction); its terms (with holder); which holders are leaders; its nominations (with
    # leader, person, term, seat, body and jurisdiction) and their endorsements.
    with django_assert_num_queries(8):
        response = client.get(f"{API}/seats/{seat.public_id}")
    assert len(response.json()["terms"]) == rows
    assert len(response.json()["nominations"]) == rows + 1


def test_input_errors_speak_the_callers_language_even_where_pydantic_wrote_them(client, personas, world):
    """pydantic's own messages ("Input should be less than or equal to 52") and ninja's refusals
    came in English whatever the caller's language; the figures they name are kept."""
    login_as(client, personas, "staff")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "es"
    found = errors(post(client, f"{API}/bodies", {**BODY, "meeting_interval": 99, "extra": 1,
                                                  "name": "x" * 300, "kind": "senate"}))
    assert found[field("meeting_interval")] == "Asegúrese de que este valor sea menor o igual a 52."
    assert "Input should" not in json.dumps(list(found.values()))
    assert "Extra inputs" not in json.dumps(list(found.values()))
    assert all(message and message[0].isupper() for message in found.values())
    huge = errors(client.get(f"{API}/bodies", {"limit": "9" * 5000}))
    assert huge == {("query", "limit"): "Ingrese un número entero."}
    broken = client.post(f"{API}/bodies", data="{not json", content_type="application/json")
    assert broken.status_code == 400 and "JSON" in broken.json()["detail"]
    assert "Cannot parse" not in broken.json()["detail"]
