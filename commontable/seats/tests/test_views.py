"""Seats pages: who may open them (permission matrices over every persona), what they show, and
what a refused form leaves behind (nothing)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format

from commontable.core import feeds
from commontable.core.models import ActivityLog, IssueTopic
from commontable.core.testing import assert_permission_matrix, form_as_sent, login_as
from commontable.core.visibility import Visibility
from commontable.directory.choices import ConsentPurpose
from commontable.directory.services import consent_give
from commontable.directory.tests.factories import OrganizationFactory, PersonFactory
from commontable.seats import services
from commontable.seats.choices import NominationOutcome
from commontable.seats.models import EngagementProcess, Leader, Nomination, PublicBody, Seat, Term
from commontable.seats.tests.factories import (
    EngagementProcessFactory,
    LeaderFactory,
    SeatFactory,
    TermFactory,
)

EVERYONE = 200
STAFF_ONLY = {"anonymous": 302, "staff": 200, "admin": 200}
MEMBERS = {"anonymous": 302, "public_user": 403}


# --- permission matrices ------------------------------------------------------------------------------


def test_body_list_and_openings_are_public(client, personas, seats):
    for url in (reverse("seats:body_list"), reverse("seats:opening_list"),
                reverse("seats:opening_list") + "?show=ending", reverse("seats:opening_list") + "?show=holdover"):
        assert_permission_matrix(client, personas, "get", url, {}, default=EVERYONE)


def test_a_public_body_and_its_seats_are_public(client, personas, seats):
    assert_permission_matrix(client, personas, "get", reverse("seats:body_detail", args=["mpls-planning"]), {},
                             default=EVERYONE)
    assert_permission_matrix(client, personas, "get", reverse("seats:seat_detail", args=[seats["held"].public_id]),
                             {}, default=EVERYONE)
    assert_permission_matrix(client, personas, "get", reverse("seats:body_feed", args=["mpls-planning"]), {},
                             default=EVERYONE)


def test_a_staff_only_body_is_404_to_everyone_else(client, personas, staff_only_body):
    seat = SeatFactory(body=staff_only_body)
    matrix = {"staff": 200, "admin": 200}
    assert_permission_matrix(client, personas, "get", reverse("seats:body_detail", args=[staff_only_body.slug]),
                             matrix, default=404)
    assert_permission_matrix(client, personas, "get", reverse("seats:seat_detail", args=[seat.public_id]), matrix,
                             default=404)
    # A calendar program cannot sign in: the public feed of a staff-only body is 404 to all.
    assert_permission_matrix(client, personas, "get", reverse("seats:body_feed", args=[staff_only_body.slug]), {},
                             default=404)


def test_the_register_is_kept_by_staff(client, personas, seats):
    term = seats["held"].terms.get()
    for url in (reverse("seats:body_create"), reverse("seats:body_edit", args=["mpls-planning"]),
                reverse("seats:body_dissolve", args=["mpls-planning"]),
                reverse("seats:seat_create", args=["mpls-planning"]),
                reverse("seats:seat_edit", args=[seats["held"].public_id]),
                reverse("seats:term_create", args=[seats["held"].public_id]),
                reverse("seats:term_edit", args=[term.public_id]),
                reverse("seats:nomination_create", args=[seats["vacant"].public_id])):
        assert_permission_matrix(client, personas, "get", url, STAFF_ONLY, default=403)


def test_the_pipeline_is_staff_only(client, personas, leader, nomination):
    for url in (reverse("seats:leader_list"), reverse("seats:leader_create"), reverse("seats:nomination_list"),
                reverse("seats:leader_edit", args=[leader.public_id]),
                reverse("seats:training_add", args=[leader.public_id]),
                reverse("seats:support_add", args=[leader.public_id]),
                reverse("seats:nomination_decide", args=[nomination.public_id])):
        assert_permission_matrix(client, personas, "get", url, STAFF_ONLY, default=403)


def test_a_leader_sees_their_own_path_and_nobody_else_does(client, personas, leader):
    assert_permission_matrix(client, personas, "get", reverse("seats:leader_detail", args=[leader.public_id]),
                             {"anonymous": 302, "member_a": 200, "staff": 200, "admin": 200}, default=404)


def test_the_rollup_is_for_members(client, personas, seats):
    assert_permission_matrix(client, personas, "get", reverse("seats:rollup"), MEMBERS, default=200)


def test_the_meeting_calendar_needs_signing_in(client, personas, seats):
    assert_permission_matrix(client, personas, "get", reverse("seats:meeting_calendar"), {"anonymous": 302},
                             default=200)


def test_watching_needs_signing_in(client, personas, seats):
    assert_permission_matrix(client, personas, "post", reverse("seats:body_watch", args=["mpls-planning"]),
                             {}, default=302)
    assert not services.notifications.subscribers(services.WATCH_TOPIC, PublicBody.objects.get().pk).filter(
        user__isnull=True).exists()


def test_engagement_processes_follow_their_visibility(client, personas):
    process = EngagementProcessFactory(visibility=Visibility.MEMBERS)
    assert_permission_matrix(client, personas, "get", reverse("seats:process_list"), {}, default=EVERYONE)
    assert_permission_matrix(client, personas, "get", reverse("seats:process_detail", args=[process.public_id]),
                             {"anonymous": 404, "public_user": 404}, default=200)
    assert_permission_matrix(client, personas, "get", reverse("seats:process_create"), STAFF_ONLY, default=403)
    assert_permission_matrix(client, personas, "get", reverse("seats:process_edit", args=[process.public_id]),
                             {**STAFF_ONLY, "public_user": 404}, default=403)


# --- bodies -------------------------------------------------------------------------------------------


def _body_form(**overrides):
    data = {"name": "Saint Paul Planning Commission", "jurisdiction": "saint-paul", "kind": "commission",
            "topics": ["housing"], "appointing_authority": "The mayor", "meeting_frequency": "monthly",
            "meeting_interval": "1", "meeting_weekdays": ["4"], "meeting_nth": ["2", "4"], "first_meeting_on": "2025-01-10",
            "meeting_starts_at": "08:30", "meeting_ends_at": "11:00", "time_zone": "America/Chicago",
            "visibility": "public", "meeting_location": "City Hall"}
    data.update(overrides)
    return data


@pytest.fixture
def saint_paul(db):
    from commontable.seats.tests.factories import PlaceFactory

    IssueTopic.objects.get_or_create(slug="housing", defaults={"name": "Housing"})
    return PlaceFactory(slug="saint-paul", name="Saint Paul")


def test_staff_add_a_body_with_its_schedule(client, personas, saint_paul):
    login_as(client, personas, "staff")
    response = client.post(reverse("seats:body_create"), _body_form())
    body = PublicBody.objects.get(name="Saint Paul Planning Commission")
    assert response.status_code == 302 and response.url == reverse("seats:body_detail", args=[body.slug])
    assert list(body.topics.values_list("slug", flat=True)) == ["housing"]
    assert ActivityLog.objects.filter(action="seats.body.created").count() == 1
    page = client.get(response.url).content.decode()
    assert "Next meetings" in page


def test_a_bad_schedule_is_refused_and_nothing_is_written(client, personas, saint_paul):
    login_as(client, personas, "staff")
    response = client.post(reverse("seats:body_create"), _body_form(meeting_nth=[]))
    assert response.status_code == 400
    assert "A monthly schedule needs the weekdays and the weeks of the month." in response.content.decode()
    assert not PublicBody.objects.exists()
    response = client.post(reverse("seats:body_create"), _body_form(meeting_weekdays=["9"]))
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert not PublicBody.objects.exists()


def test_the_schedule_is_chosen_by_weekday_and_week_names_and_kept_as_numbers(client, personas, saint_paul):
    login_as(client, personas, "staff")
    page = client.get(reverse("seats:body_create")).content.decode()
    assert 'type="checkbox" name="meeting_weekdays" value="3" id="id_meeting_weekdays_3">\n Thursday</label>' in page
    assert 'name="meeting_nth" value="-1"' in page and " Last</label>" in page
    client.post(reverse("seats:body_create"), _body_form(meeting_weekdays=["4", "1"], meeting_nth=["-1", "2"]))
    body = PublicBody.objects.get()
    assert (body.meeting_weekdays, body.meeting_nth) == ("1,4", "2,-1")
    edit = client.get(reverse("seats:body_edit", args=[body.slug])).content.decode()
    assert 'name="meeting_weekdays" value="4" id="id_meeting_weekdays_4" checked>' in edit
    assert 'name="meeting_nth" value="-1" id="id_meeting_nth_4" checked>' in edit


@pytest.mark.parametrize(("overrides", "field_error"), [
    ({"first_meeting_on": "9999-12-31"}, "Give a date between the years 1900 and 2200."),
    ({"meeting_interval": "99999"}, "Ensure this value is less than or equal to 52."),
    ({"meeting_interval": "0"}, "Ensure this value is greater than or equal to 1."),
])
def test_a_body_with_an_out_of_range_schedule_is_refused_in_words(client, personas, saint_paul, overrides,
                                                                   field_error):
    """Once a server error (the date or the interval overflowed the schedule's arithmetic) or a
    database constraint's name: now the field says what is wrong, and nothing is written."""
    login_as(client, personas, "staff")
    response = client.post(reverse("seats:body_create"), _body_form(**overrides))
    page = response.content.decode()
    assert response.status_code == 400
    assert field_error in page and "seats_body_interval_positive" not in page
    assert not PublicBody.objects.exists()


def test_a_seat_with_a_term_of_centuries_and_a_term_in_the_year_9999_are_refused(client, personas, seats):
    login_as(client, personas, "staff")
    url = reverse("seats:seat_edit", args=[seats["held"].public_id])
    response = client.post(url, {"name": "Ward 3 resident seat", "seat_type": "appointed",
                                 "term_length_months": "120000", "position": "1"})
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 600." in response.content.decode()
    response = client.post(reverse("seats:term_create", args=[seats["vacant"].public_id]),
                           {"holder_name": "Mai Lee", "starts_on": "9999-12-31"})
    assert response.status_code == 400
    assert "Give a date between the years 1900 and 2200." in response.content.decode()
    assert not seats["vacant"].terms.exists()
    with pytest.raises(ValidationError) as refused:
        services.term_record(actor=None, seat=seats["vacant"], holder_name="Mai Lee", starts_on=dt.date(9999, 12, 31))
    assert refused.value.message_dict == {"starts_on": ["Give a date between the years 1900 and 2200."]}


def test_a_dissolved_body_takes_no_nomination(client, personas, seats, leader, today):
    login_as(client, personas, "staff")
    response = client.post(reverse("seats:body_dissolve", args=["mpls-planning"]), {"on": today.isoformat()})
    assert response.status_code == 302
    response = client.post(reverse("seats:nomination_create", args=[seats["vacant"].public_id]),
                           {"leader": leader.public_id, "nominated_on": today.isoformat()})
    assert response.status_code == 400
    assert "was dissolved" in response.content.decode()
    assert not Nomination.objects.exists()


def test_the_body_list_says_how_many_seats_are_vacant_and_downloads(client, personas, seats):
    page = client.get(reverse("seats:body_list")).content.decode()
    assert "Minneapolis Planning Commission" in page
    response = client.get(reverse("seats:body_list") + "?format=csv")
    rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Body,Jurisdiction")
    # three seats: one held, one in holdover (held), one vacant; one term ends within 90 days
    assert rows[1].endswith(",3,2,1,1,")


def test_the_body_list_offers_its_filters_and_applies_them(client, personas, seats):
    page = client.get(reverse("seats:body_list")).content.decode()
    for name in ("q", "jurisdiction", "topic", "kind"):
        assert f'name="{name}"' in page, name
    narrowed = client.get(reverse("seats:body_list") + "?q=zzz-no-such-body").content.decode()
    assert "Minneapolis Planning Commission" not in narrowed


def test_a_filter_that_cannot_be_used_is_named_and_the_others_still_apply(client, personas, seats):
    from commontable.seats.tests.factories import PublicBodyFactory

    PublicBodyFactory(name="Saint Paul Parks Board", appointing_authority="The mayor")
    for url, lists_bodies in ((reverse("seats:body_list") + "?jurisdiction=atlantis&q=Planning", True),
                              (reverse("seats:process_list") + "?investment=not+a+slug!&q=Planning", False)):
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 400, url
        assert "Some filters could not be used:" in page and "<li>" in page.split("Some filters could not be used:")[1]
        if lists_bodies:
            assert "Minneapolis Planning Commission" in page and "Saint Paul Parks Board" not in page


def test_the_body_list_costs_the_same_queries_for_more_bodies(client, personas, django_assert_num_queries):
    from commontable.seats.tests.factories import PublicBodyFactory

    for _ in range(5):
        SeatFactory(body=PublicBodyFactory())
    login_as(client, personas, "member_a")
    client.get(reverse("seats:rollup"))  # the viewer and the session, outside the count
    # session, user, data version and viewer (cache), count, page of bodies, the seat counts (one
    # grouped query over the seats' latest-term columns), the filter's jurisdictions and topics
    with django_assert_num_queries(7):
        assert client.get(reverse("seats:body_list") + "?q=Planning").status_code == 200
    for _ in range(5):
        SeatFactory(body=PublicBodyFactory())
    client.get(reverse("seats:rollup"))
    with django_assert_num_queries(7):
        assert client.get(reverse("seats:body_list") + "?q=Commission").status_code == 200


def test_a_body_page_costs_the_same_queries_for_more_seats(client, personas, body, django_assert_num_queries):
    for _ in range(5):
        TermFactory(seat=SeatFactory(body=body))
    login_as(client, personas, "staff")
    url = reverse("seats:body_detail", args=[body.slug])
    client.get(url)
    # session, user, data version and viewer (cache), the body, its seats, their current terms
    # (through the seats' latest-term columns), pending nominations, leader marks, the viewer's
    # watches, topics, processes logged
    with django_assert_num_queries(9):
        client.get(url)
    for _ in range(5):
        TermFactory(seat=SeatFactory(body=body))
    client.get(url)
    with django_assert_num_queries(9):
        client.get(url)


def test_cached_pages_follow_the_records_they_show_and_nothing_else(client, seats, today):
    from commontable.core.audit import log_action
    from commontable.seats.pages import PAGES

    holder = PersonFactory(full_name="Abdirahman Farah")
    TermFactory(seat=seats["vacant"], holder_person=holder, holder_name="", starts_on=today - dt.timedelta(days=10),
                ends_on=today + dt.timedelta(days=60))
    ending = reverse("seats:opening_list") + "?show=ending"
    assert "Abdirahman Farah" in client.get(ending).content.decode()
    # An audited action elsewhere and a directory record no seats page shows: the pages are kept.
    version = PAGES.version_now()
    organization = OrganizationFactory(name="Corridor Table Fiscal Host")
    log_action(organization, "directory.organization.created")
    assert PAGES.version_now() == version
    # The holder's new name and the place's: the pages show them at once.
    holder.full_name = "Abdirahman Farah Ali"
    holder.save()
    assert "Abdirahman Farah Ali" in client.get(ending).content.decode()
    place = seats["held"].body.jurisdiction
    place.name = "City of Saint Paul"
    place.save()
    assert "City of Saint Paul" in client.get(ending).content.decode()


@pytest.mark.parametrize("show", ["vacant", "ending", "holdover"])
def test_the_openings_cost_the_same_queries_for_more_openings(client, personas, body, today, show):
    def add(n):
        for _ in range(n):
            seat = SeatFactory(body=body)
            if show == "ending":
                TermFactory(seat=seat, starts_on=today - dt.timedelta(days=300), ends_on=today + dt.timedelta(days=30))
            elif show == "holdover":
                TermFactory(seat=seat, starts_on=today - dt.timedelta(days=900), ends_on=today - dt.timedelta(days=5))

    url = reverse("seats:opening_list") + f"?show={show}"
    login_as(client, personas, "member_a")
    counts, total = [], 0
    for n in (2, 6):
        add(n)
        total += n
        client.get(reverse("seats:rollup"))  # the viewer and the session, outside the count
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url).content.decode()
        assert page.count("<tr>") == 1 + total  # the header and one row an opening
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_an_unknown_opening_list_is_404(client):
    assert client.get(reverse("seats:opening_list") + "?show=everything").status_code == 404


def test_openings_list_vacancies_with_deadlines_endings_and_holdovers(client, seats):
    vacant = client.get(reverse("seats:opening_list")).content.decode()
    assert "At-large seat" in vacant and "Review begins" in vacant and "Ward 3" not in vacant
    ending = client.get(reverse("seats:opening_list") + "?show=ending").content.decode()
    assert "Hodan Warsame" in ending and "Pa Houa Xiong" not in ending
    holdover = client.get(reverse("seats:opening_list") + "?show=holdover").content.decode()
    assert "Pa Houa Xiong" in holdover and "Hodan Warsame" not in holdover


def test_an_opening_whose_next_holder_is_recorded_says_from_when(client, seats, today):
    """Hodan Warsame's term ends within 90 days; once her successor is recorded, the ending list
    still shows the term (it does end) and says the seat's next holder is known."""
    ending_url = reverse("seats:opening_list") + "?show=ending"
    assert "Next holder already recorded" not in client.get(ending_url).content.decode()
    held = seats["held"]
    starts = held.terms.get().ends_on + dt.timedelta(days=1)
    TermFactory(seat=held, holder_name="Mai Lee", starts_on=starts, ends_on=starts + dt.timedelta(days=700))
    page = client.get(ending_url).content.decode()
    assert "Hodan Warsame" in page
    assert f"Next holder already recorded, from {date_format(starts, 'SHORT_DATE_FORMAT')}" in page


# --- terms --------------------------------------------------------------------------------------------


def test_staff_record_a_term_on_a_vacant_seat(client, personas, seats, today):
    login_as(client, personas, "staff")
    response = client.post(reverse("seats:term_create", args=[seats["vacant"].public_id]),
                           {"holder_name": "Mai Lee", "starts_on": today.isoformat(),
                            "ends_on": (today + dt.timedelta(days=700)).isoformat()})
    assert response.status_code == 302
    assert seats["vacant"].terms.get().holder_name == "Mai Lee"


def test_a_term_on_a_full_seat_is_refused_and_nothing_is_written(client, personas, seats, today):
    login_as(client, personas, "staff")
    response = client.post(reverse("seats:term_create", args=[seats["held"].public_id]),
                           {"holder_name": "Mai Lee", "starts_on": today.isoformat()})
    assert response.status_code == 400
    assert "The seat is full: Hodan Warsame holds it until" in response.content.decode()
    assert seats["held"].terms.count() == 1


def test_a_term_ending_before_it_starts_is_refused(client, personas, seats, today):
    login_as(client, personas, "staff")
    response = client.post(reverse("seats:term_create", args=[seats["vacant"].public_id]),
                           {"holder_name": "Mai Lee", "starts_on": today.isoformat(),
                            "ends_on": (today - dt.timedelta(days=1)).isoformat()})
    assert response.status_code == 400
    assert "cannot end before it starts" in response.content.decode()
    assert not seats["vacant"].terms.exists()


def test_recording_the_last_day_served_opens_the_seat(client, personas, seats, today):
    term = seats["held"].terms.get()
    login_as(client, personas, "staff")
    response = client.post(reverse("seats:term_edit", args=[term.public_id]), {
        "holder_name": term.holder_name, "starts_on": term.starts_on.isoformat(),
        "ends_on": term.ends_on.isoformat(), "left_on": (today - dt.timedelta(days=1)).isoformat()})
    assert response.status_code == 302
    assert "Ward 3 resident seat" in client.get(reverse("seats:opening_list")).content.decode()


# --- the pipeline and the roll-up ------------------------------------------------------------------------


def test_nominating_and_appointing_a_leader_changes_the_rollup(client, personas, seats, leader, today):
    endorser = OrganizationFactory(name="Cedar Tenants United", membership_status="member")
    login_as(client, personas, "staff")
    rollup = client.get(reverse("seats:rollup")).content.decode()
    assert '<dd data-testid="total-by-leaders">0</dd>' in rollup
    response = client.post(reverse("seats:nomination_create", args=[seats["vacant"].public_id]), {
        "leader": leader.public_id, "nominated_on": today.isoformat(), "endorsements": [endorser.slug]})
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert list(nomination.endorsements.all()) == [endorser]
    response = client.post(reverse("seats:nomination_decide", args=[nomination.public_id]),
                           {"outcome": "appointed", "on": today.isoformat()})
    assert response.status_code == 302
    term = seats["vacant"].terms.get()
    assert term.holder_person == personas.person_a
    rollup = client.get(reverse("seats:rollup")).content.decode()
    assert '<dd data-testid="total-by-leaders">1</dd>' in rollup
    path = client.get(reverse("seats:leader_detail", args=[leader.public_id])).content.decode()
    assert "Nominated to" in path and "Term begins on" in path and "Cedar Tenants United" in path


def test_appointing_to_a_full_seat_is_refused_and_the_nomination_stays_pending(client, personas, seats, leader,
                                                                               today):
    nomination = services.nomination_create(actor=None, leader=leader, seat=seats["held"], nominated_on=today)
    login_as(client, personas, "staff")
    response = client.post(reverse("seats:nomination_decide", args=[nomination.public_id]),
                           {"outcome": "appointed", "on": today.isoformat()})
    assert response.status_code == 400
    assert "The seat is full" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.outcome == NominationOutcome.PENDING and nomination.term is None
    assert seats["held"].terms.count() == 1


def test_staff_add_a_leader_by_email_and_an_unknown_address_is_refused(client, personas):
    person = PersonFactory(full_name="Xee Yang", email="xee@example.org", email_normalized="xee@example.org")
    login_as(client, personas, "staff")
    response = client.post(reverse("seats:leader_create"), {"person": "nobody@example.org", "readiness": "exploring"})
    assert response.status_code == 400 and not Leader.objects.exists()
    response = client.post(reverse("seats:leader_create"), {"person": "XEE@example.org", "readiness": "ready"})
    assert response.status_code == 302
    assert Leader.objects.get().person == person


def test_trainings_and_support_show_on_the_leaders_path(client, personas, leader, today):
    login_as(client, personas, "staff")
    client.post(reverse("seats:training_add", args=[leader.public_id]),
                {"name": "Reading a city budget", "attended_on": today.isoformat()})
    client.post(reverse("seats:support_add", args=[leader.public_id]),
                {"kind": "briefing", "on": today.isoformat(), "notes": "Before the zoning vote"})
    login_as(client, personas, "member_a")
    page = client.get(reverse("seats:leader_detail", args=[leader.public_id])).content.decode()
    assert "Reading a city budget" in page and "Before the zoning vote" in page


def _bipoc_leaders_holding_seats(count, body, today, *, consent=True):
    for index in range(body.seats.count(), body.seats.count() + count):
        leader = LeaderFactory(self_identification="bipoc")
        if consent:
            consent_give(actor=None, person=leader.person, purpose=ConsentPurpose.DEMOGRAPHICS, text_version="1")
        TermFactory(seat=SeatFactory(body=body, name=f"Leader seat {index}"), holder_person=leader.person,
                    holder_name="", starts_on=today - dt.timedelta(days=10))


def test_bipoc_figures_show_only_for_five_consenting_people(client, personas, body, today):
    for _ in range(5):  # other leaders, so that five BIPOC leaders are not all of them
        TermFactory(seat=SeatFactory(body=body), holder_person=LeaderFactory(self_identification="not_bipoc").person,
                    holder_name="", starts_on=today - dt.timedelta(days=10))
    _bipoc_leaders_holding_seats(4, body, today)
    login_as(client, personas, "member_a")
    page = client.get(reverse("seats:rollup")).content.decode()
    assert "hidden to protect privacy" in page
    _bipoc_leaders_holding_seats(1, body, today, consent=False)
    page = client.get(reverse("seats:rollup")).content.decode()
    assert "hidden to protect privacy" in page  # the fifth did not consent: still four counted
    leader = Leader.objects.order_by("-pk").first()
    consent_give(actor=None, person=leader.person, purpose=ConsentPurpose.DEMOGRAPHICS, text_version="1")
    page = client.get(reverse("seats:rollup")).content.decode()
    assert "hidden to protect privacy" not in page
    assert '<td class="num">5</td>' in page


def test_the_leader_list_filters_and_shows_a_new_leader_at_once(client, personas):
    LeaderFactory(person=PersonFactory(full_name="Hodan Warsame"), readiness="ready")
    LeaderFactory(person=PersonFactory(full_name="Tou Vang"), readiness="interested")
    login_as(client, personas, "staff")
    page = client.get(reverse("seats:leader_list")).content.decode()
    assert "Hodan Warsame" in page and "Tou Vang" in page
    assert 'name="readiness"' in page and 'name="topic"' in page
    ready = client.get(reverse("seats:leader_list") + "?readiness=ready").content.decode()
    assert "Hodan Warsame" in ready and "Tou Vang" not in ready
    # The list is kept between loads; a new leader replaces it at once.
    LeaderFactory(person=PersonFactory(full_name="Marisol Hernández"), readiness="ready")
    assert "Marisol Hernández" in client.get(reverse("seats:leader_list")).content.decode()
    # A filter that cannot be applied says so, and lists nobody by mistake.
    wrong = client.get(reverse("seats:leader_list") + "?readiness=nonsense")
    assert wrong.status_code == 400 and "Select a valid choice" in wrong.content.decode()


def test_the_leader_list_costs_the_same_queries_for_more_leaders(client, personas, django_assert_num_queries):
    topic, _new = IssueTopic.objects.get_or_create(slug="housing", defaults={"name": "Housing"})
    for _ in range(3):
        LeaderFactory().topics.add(topic)
    login_as(client, personas, "staff")
    client.get(reverse("seats:rollup"))  # the viewer and the session, outside the count
    # session, user, the topic asked for, count, page of leaders, their topics, the filter's topics
    with django_assert_num_queries(7):
        page = client.get(reverse("seats:leader_list") + f"?topic={topic.slug}")
    assert page.content.decode().count("<tr>") == 1 + 3
    for _ in range(6):
        LeaderFactory().topics.add(topic)
    client.get(reverse("seats:rollup"))
    with django_assert_num_queries(7):
        page = client.get(reverse("seats:leader_list") + f"?topic={topic.slug}&page=1")
    assert page.content.decode().count("<tr>") == 1 + 9


def test_the_leader_list_never_shows_how_people_identify(client, personas, body, today):
    _bipoc_leaders_holding_seats(5, body, today)
    login_as(client, personas, "staff")
    page = client.get(reverse("seats:leader_list")).content.decode()
    assert "Black, Indigenous" not in page and "bipoc" not in page.lower()


# --- watching and meetings -----------------------------------------------------------------------------


def test_a_watcher_gets_the_meetings_in_the_calendar_and_the_feed(client, personas, seats):
    login_as(client, personas, "member_b")
    assert client.post(reverse("seats:body_watch", args=["mpls-planning"])).status_code == 302
    calendar = client.get(reverse("seats:meeting_calendar")).content.decode()
    assert "Minneapolis Planning Commission" in calendar and "City Hall, room 317" in calendar
    _token, raw = feeds.feed_token_create(user=personas.user("member_b"))
    feed = client.get(reverse("seats:meeting_feed_watchlist", args=[raw])).content.decode()
    assert "BEGIN:VEVENT" in feed and "TZID=America/Chicago" in feed and "Minneapolis Planning Commission" in feed
    client.post(reverse("seats:body_watch", args=["mpls-planning"]), {"action": "unwatch"})
    feed = client.get(reverse("seats:meeting_feed_watchlist", args=[raw])).content.decode()
    assert "BEGIN:VEVENT" not in feed


def test_an_unknown_feed_token_is_404(client, db):
    assert client.get(reverse("seats:meeting_feed_watchlist", args=["not-a-token"])).status_code == 404


def test_watchers_are_told_of_openings_once_and_again_when_they_change(personas, seats, today):
    from django.utils import timezone

    from commontable.seats.notifications import send_openings

    services.body_watch(body=seats["held"].body, user=personas.user("member_b"))
    assert send_openings(timezone.now()) == 1
    message = mail.outbox[-1]
    assert "Openings on Minneapolis Planning Commission" in message.subject
    assert "At-large seat" in message.body and "Ward 3 resident seat" in message.body
    assert send_openings(timezone.now()) == 0
    SeatFactory(body=seats["held"].body, name="Youth seat")
    assert send_openings(timezone.now()) == 1
    assert "Youth seat" in mail.outbox[-1].body


# --- engagement log ------------------------------------------------------------------------------------


def test_staff_log_a_process_and_it_is_scored(client, personas, body, today):
    login_as(client, personas, "staff")
    response = client.post(reverse("seats:process_create"), {
        "title": "Blue Line extension route hearing", "agency": "Metropolitan Council", "kind": "hearing",
        "body": body.slug, "held_on": today.isoformat(), "language_access": "2", "interpretation": "1",
        "accommodations": "0", "timing_and_place": "1", "input_changed_decision": "", "visibility": "members"})
    assert response.status_code == 302
    process = EngagementProcess.objects.get()
    assert process.score == 50 and process.body == body
    page = client.get(response.url).content.decode()
    assert "50 of 100" in page


def test_a_process_naming_an_investment_nobody_can_see_is_refused(client, personas, today):
    login_as(client, personas, "staff")
    response = client.post(reverse("seats:process_create"), {
        "title": "Hearing", "agency": "City", "kind": "hearing", "held_on": today.isoformat(),
        "investment": "no-such-investment", "visibility": "members"})
    assert response.status_code == 400
    assert not EngagementProcess.objects.exists()


def test_seats_and_terms_are_counted_once_per_seat(seats):
    assert Seat.objects.count() == 3 and Term.objects.count() == 2


def test_the_investment_page_links_the_processes_logged_on_it(client, personas, today):
    from commontable.investments.tests.factories import InvestmentFactory

    investment = InvestmentFactory(name="Rice Street reconstruction", slug="rice-street", visibility=Visibility.MEMBERS)
    login_as(client, personas, "staff")
    page = client.get(reverse("investments:investment_detail", args=["rice-street"])).content.decode()
    assert "Engagement logged" not in page
    services.process_create(actor=None, title="Rice Street open house", agency="Ramsey County", kind="meeting",
                            held_on=today, investment=investment, visibility=Visibility.MEMBERS)
    page = client.get(reverse("investments:investment_detail", args=["rice-street"])).content.decode()
    assert "1 agency process scored" in page
    listed = client.get(reverse("seats:process_list") + "?investment=rice-street").content.decode()
    assert "Rice Street open house" in listed


def test_a_process_page_names_only_the_body_and_investment_the_viewer_may_see(client, personas, today):
    """A public process on a staff-only body and a members-only investment: the page, like the
    API, names neither to whoever may not see them, and the list's investment filter finds
    nothing for a hidden investment's short name, as for an unknown one."""
    from commontable.investments.tests.factories import InvestmentFactory
    from commontable.seats.tests.factories import PublicBodyFactory

    body = PublicBodyFactory(name="Campaign target board", slug="campaign-target", visibility=Visibility.STAFF)
    investment = InvestmentFactory(name="Quiet land deal", slug="quiet-land-deal", visibility=Visibility.MEMBERS)
    process = EngagementProcessFactory(title="Open house", visibility=Visibility.PUBLIC, body=body,
                                       investment=investment)
    url = reverse("seats:process_detail", args=[process.public_id])
    listed = reverse("seats:process_list") + "?investment=quiet-land-deal"
    for persona, sees_body, sees_investment in (("anonymous", False, False), ("member_a", False, True),
                                                ("staff", True, True)):
        if persona == "anonymous":
            client.logout()
        else:
            login_as(client, personas, persona)
        page = client.get(url).content.decode()
        assert "Open house" in page
        assert ("Campaign target board" in page) is sees_body and ("campaign-target" in page) is sees_body
        assert ("Quiet land deal" in page) is sees_investment, persona
        assert ("Open house" in client.get(listed).content.decode()) is sees_investment, persona


def test_the_directory_shows_a_leaders_path_to_staff_and_to_themselves_only(client, personas, leader):
    url = reverse("directory:person_detail", args=[personas.person_a.public_id])
    path = reverse("seats:leader_detail", args=[leader.public_id])
    for persona, shown in (("staff", True), ("member_a", True), ("board", False)):
        login_as(client, personas, persona)
        assert (path in client.get(url).content.decode()) is shown, persona


# --- saving an edit page unchanged changes nothing ------------------------------------------------------


def _fields(record) -> dict:
    record.refresh_from_db()
    values = {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields
              if f.attname not in ("updated_at", "modified_at")}
    if hasattr(record, "topics"):
        values["topics"] = sorted(record.topics.values_list("pk", flat=True))
    return values


def test_saving_each_edit_page_as_it_comes_changes_nothing(client, personas, seats, leader, today):
    """What a browser sends from each edit page untouched: every menu must start from the stored
    value (a body's jurisdiction and a process's body are chosen by slug, not by key), or saving
    would clear or refuse it."""
    from commontable.core.testing import form_as_sent

    body = seats["held"].body
    process = services.process_create(actor=None, title="Corridor plan hearing", agency="Hennepin County",
                                      kind="hearing", held_on=today, body=body, visibility=Visibility.MEMBERS,
                                      language_access=2)
    term = seats["held"].terms.get()
    login_as(client, personas, "staff")
    for record, url in ((body, reverse("seats:body_edit", args=[body.slug])),
                        (seats["held"], reverse("seats:seat_edit", args=[seats["held"].public_id])),
                        (term, reverse("seats:term_edit", args=[term.public_id])),
                        (leader, reverse("seats:leader_edit", args=[leader.public_id])),
                        (process, reverse("seats:process_edit", args=[process.public_id]))):
        before = _fields(record)
        data = form_as_sent(client.get(url).content.decode(), url)
        response = client.post(url, data)
        assert response.status_code == 302, (url, response.content.decode()[:3000])
        assert _fields(record) == before, url


def test_every_seats_page_offers_the_links_its_viewer_may_follow(client, personas, seats):
    leaders = f'href="{reverse("seats:leader_list")}"'
    rollup = f'href="{reverse("seats:rollup")}"'
    pages = [reverse(name) for name in ("seats:body_list", "seats:opening_list", "seats:rollup",
                                        "seats:meeting_calendar", "seats:process_list", "seats:leader_list",
                                        "seats:nomination_list")]
    login_as(client, personas, "staff")
    for url in pages:
        page = client.get(url).content.decode()
        assert leaders in page and rollup in page, url
    login_as(client, personas, "member_a")
    for url in pages[:5]:
        page = client.get(url).content.decode()
        assert leaders not in page and rollup in page, url
    login_as(client, personas, "public_user")
    page = client.get(reverse("seats:body_list")).content.decode()
    assert leaders not in page and rollup not in page  # the roll-up is for members


def test_pages_and_feeds_answer_head_as_get_and_name_feeds_without_internal_ids(client, personas, seats):
    body = seats["held"].body
    for url in (reverse("seats:body_list"), reverse("seats:opening_list"),
                reverse("seats:body_detail", args=[body.slug]), reverse("seats:body_feed", args=[body.slug])):
        assert client.head(url).status_code == 200, url
    feed = client.get(reverse("seats:body_feed", args=[body.slug]))
    assert feed["Content-Disposition"] == f'inline; filename="{body.slug}.ics"'


def test_only_a_public_body_offers_its_public_calendar_feed(client, personas, seats):
    """A calendar program cannot sign in, so a members-only body's feed answers 404 to it: its
    page must not offer that link."""
    body = seats["held"].body
    login_as(client, personas, "member_a")
    feed = reverse("seats:body_feed", args=[body.slug])
    assert feed in client.get(reverse("seats:body_detail", args=[body.slug])).content.decode()
    services.body_update(body=body, actor=None, visibility=Visibility.MEMBERS)
    assert feed not in client.get(reverse("seats:body_detail", args=[body.slug])).content.decode()
    client.logout()
    assert client.get(feed).status_code == 404


def test_topic_names_of_the_shipped_vocabulary_show_in_the_readers_language(client, personas, seats):
    from commontable.core.models import IssueTopic

    body = seats["held"].body
    body.topics.add(IssueTopic.objects.get_or_create(slug="climate", defaults={"name": "Climate"})[0])
    own = IssueTopic.objects.create(slug="river-access", name="River access")  # a coalition's own topic
    body.topics.add(own)
    client.cookies["ct_language"] = "es"
    page = client.get(reverse("seats:body_detail", args=[body.slug])).content.decode()
    assert "Clima" in page and "Vivienda" in page and "River access" in page
    login_as(client, personas, "member_a")
    client.cookies["ct_language"] = "es"
    rollup = client.get(reverse("seats:rollup")).content.decode()
    assert ">Clima</th>" in rollup and ">Transporte público</th>" in rollup


def test_a_term_whose_start_is_moved_ends_after_the_seats_term_length_from_that_start(client, personas, seats, today):
    """The form offers an end worked out from today; moving only the start moves the end with it."""
    from commontable.seats.services import term_default_end

    seat = seats["vacant"]
    seat.term_length_months = 24
    seat.save()
    url = reverse("seats:term_create", args=[seat.public_id])
    login_as(client, personas, "staff")
    offered = form_as_sent(client.get(url).content.decode(), url)
    start = today - dt.timedelta(days=30)
    client.post(url, {**offered, "holder_name": "Mai Lee", "starts_on": start.isoformat()})
    assert seat.terms.get().ends_on == term_default_end(seat, start) != term_default_end(seat, today)


def test_dissolved_bodies_can_be_listed_on_request(client, personas, seats, today):
    body = seats["held"].body
    services.body_dissolve(body=body, actor=None, on=today)
    assert body.name not in client.get(reverse("seats:body_list")).content.decode()
    page = client.get(reverse("seats:body_list") + "?include_dissolved=on").content.decode()
    assert body.name in page and "Dissolved on" in page
    assert client.get(reverse("seats:opening_list") + "?include_dissolved=on").status_code == 200


def test_staff_are_told_why_the_rollup_can_count_more_than_the_plan(client, personas, seats):
    note = "As staff you also see the bodies kept to staff."
    login_as(client, personas, "staff")
    assert note in client.get(reverse("seats:rollup")).content.decode()
    login_as(client, personas, "member_a")
    assert note not in client.get(reverse("seats:rollup")).content.decode()
