"""The writes of seats at decision tables (`seats/services.py`): what each changes, the audit
entry it leaves, and refusals that leave nothing written."""

from __future__ import annotations

import calendar
import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from commontable.accounts.tests.factories import UserFactory
from commontable.core import notifications
from commontable.core.audit import activity_for
from commontable.core.models import ActivityLog, IssueTopic
from commontable.core.visibility import Role, Visibility
from commontable.directory.tests.factories import OrganizationFactory, PersonFactory
from commontable.seats import selectors, services
from commontable.seats.choices import (
    BodyKind,
    NominationOutcome,
    ProcessKind,
    Readiness,
    SelfIdentification,
    SupportKind,
)
from commontable.seats.models import (
    EngagementProcess,
    Leader,
    Nomination,
    PublicBody,
    Seat,
    SupportContact,
    Term,
    TrainingAttendance,
)
from commontable.seats.tests.factories import (
    LeaderFactory,
    NominationFactory,
    PlaceFactory,
    PublicBodyFactory,
    SeatFactory,
    TermFactory,
)

pytestmark = pytest.mark.django_db

D = dt.date
DAY = dt.timedelta(days=1)


@pytest.fixture
def actor(db):
    return UserFactory(email="clerk@example.org", role=Role.STAFF)


@pytest.fixture
def city(db):
    return PlaceFactory(slug="saint-paul", name="Saint Paul")


@pytest.fixture
def commission(db):
    return PublicBodyFactory(name="Saint Paul Planning Commission", slug="stp-planning")


@pytest.fixture
def seat(commission):
    return SeatFactory(body=commission, name="Ward 1 seat", term_length_months=36, holdover_allowed=True)


def actions(target) -> list[str]:
    return [entry.action for entry in activity_for(target)]


def last_entry(target) -> ActivityLog:
    return activity_for(target).first()


def messages(exc: pytest.ExceptionInfo, field: str) -> list[str]:
    return exc.value.message_dict[field]


def reload(obj):
    obj.refresh_from_db()
    return obj


# --- bodies ------------------------------------------------------------------------------------------------


def test_creating_a_body_saves_it_with_its_topics_a_slug_and_an_audit_entry(actor, city):
    housing = IssueTopic.objects.get_or_create(slug="housing", defaults={"name": "Housing"})[0]
    body = services.body_create(actor=actor, name="  Housing Advisory Board ", jurisdiction=city,
                                kind=BodyKind.ADVISORY_COMMITTEE, topics=[housing], appointing_authority="The mayor",
                                meeting_frequency="weekly", meeting_weekdays="2", first_meeting_on=D(2026, 1, 7),
                                meeting_starts_at=dt.time(18), meeting_ends_at=dt.time(20), not_a_field="ignored")

    body = reload(body)
    assert body.name == "Housing Advisory Board"
    assert body.slug == "housing-advisory-board-saint-paul"
    assert list(body.topics.all()) == [housing]
    assert body.created_by == actor
    assert body.meeting_sequence == 0
    entry = last_entry(body)
    assert (entry.action, entry.actor) == ("seats.body.created", actor)


def test_a_second_body_with_the_same_name_and_place_gets_its_own_slug(actor, city):
    first = services.body_create(actor=actor, name="Transit Board", jurisdiction=city, kind=BodyKind.BOARD)
    second = services.body_create(actor=actor, name="Transit Board", jurisdiction=city, kind=BodyKind.BOARD)
    assert first.slug != second.slug


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"meeting_frequency": "weekly", "meeting_weekdays": "7", "first_meeting_on": D(2026, 1, 5),
      "meeting_starts_at": dt.time(18)}, "meeting_weekdays", "“7” is not a weekday"),
    ({"meeting_frequency": "weekly", "meeting_weekdays": "mon", "first_meeting_on": D(2026, 1, 5),
      "meeting_starts_at": dt.time(18)}, "meeting_weekdays", "“mon” is not a weekday"),
    ({"meeting_frequency": "monthly", "meeting_weekdays": "1", "first_meeting_on": D(2026, 1, 6),
      "meeting_starts_at": dt.time(18)}, "meeting_nth", "needs the weekdays and the weeks of the month"),
    ({"meeting_frequency": "monthly", "meeting_weekdays": "1", "meeting_nth": "5", "first_meeting_on": D(2026, 1, 6),
      "meeting_starts_at": dt.time(18)}, "meeting_nth", "“5” is not a week of the month"),
    ({"meeting_frequency": "weekly", "meeting_weekdays": "6", "first_meeting_on": D(2026, 3, 8),
      "meeting_starts_at": dt.time(2, 30)}, "meeting_starts_at", "does not exist on that day"),
    ({"meeting_frequency": "weekly", "first_meeting_on": D(2026, 1, 5), "meeting_starts_at": dt.time(18),
      "meeting_ends_at": dt.time(17)}, "meeting_ends_at", "end after they start"),
    ({"meeting_frequency": "weekly", "meeting_starts_at": dt.time(18)}, "first_meeting_on", "first meeting"),
    ({"meeting_frequency": "weekly", "first_meeting_on": D(2026, 1, 5)}, "meeting_starts_at", "time meetings start"),
    ({"time_zone": "America/Saint_Paul"}, "time_zone", "not a time zone we know"),
])
def test_a_bad_meeting_schedule_is_refused_and_nothing_is_written(actor, city, fields, field, words):
    with pytest.raises(ValidationError) as exc:
        services.body_create(actor=actor, name="Parks Board", jurisdiction=city, kind=BodyKind.BOARD, **fields)
    assert any(words in message for message in messages(exc, field)), exc.value.message_dict
    assert not PublicBody.objects.exists()
    assert not ActivityLog.objects.exists()


def test_a_body_without_a_name_is_refused(actor, city):
    with pytest.raises(ValidationError) as exc:
        services.body_create(actor=actor, name="   ", jurisdiction=city, kind=BodyKind.BOARD)
    assert "name" in exc.value.message_dict
    assert not PublicBody.objects.exists()


def test_a_body_kept_to_one_table_is_refused(actor, city):
    with pytest.raises(ValidationError):
        services.body_create(actor=actor, name="Parks Board", jurisdiction=city, kind=BodyKind.BOARD,
                             visibility=Visibility.TABLE)
    assert not PublicBody.objects.exists()


@pytest.fixture
def meeting_body(actor, city):
    return services.body_create(actor=actor, name="Metro Transit Advisory", jurisdiction=city,
                                kind=BodyKind.ADVISORY_COMMITTEE, meeting_frequency="monthly", meeting_weekdays="1",
                                meeting_nth="1,3", first_meeting_on=D(2026, 1, 6), meeting_starts_at=dt.time(18),
                                meeting_ends_at=dt.time(20), meeting_location="Union Depot")


def test_changing_a_body_without_touching_its_meetings_keeps_their_sequence(actor, meeting_body):
    body = services.body_update(body=meeting_body, actor=actor, name="Metro Transit Advisory Committee",
                                description="Advises the council on service changes.")
    assert reload(body).meeting_sequence == 0
    entry = last_entry(body)
    assert entry.action == "seats.body.updated"
    assert entry.data == {"name": ["Metro Transit Advisory", "Metro Transit Advisory Committee"],
                          "description": ["", "Advises the council on service changes."]}


@pytest.mark.parametrize("change", [
    {"meeting_location": "Council chambers"},
    {"meeting_starts_at": dt.time(17, 30)},
    {"meeting_ends_at": dt.time(21)},
    {"meeting_nth": "2,4"},
    {"time_zone": "America/Denver"},
])
def test_changing_when_or_where_a_body_meets_bumps_its_meeting_sequence(actor, meeting_body, change):
    services.body_update(body=meeting_body, actor=actor, **change)
    assert reload(meeting_body).meeting_sequence == 1
    services.body_update(body=meeting_body, actor=actor, **change)  # the same again: nothing changed
    assert reload(meeting_body).meeting_sequence == 1


def test_a_bad_change_to_a_body_is_refused_and_leaves_it_as_it_was(actor, meeting_body):
    with pytest.raises(ValidationError) as exc:
        services.body_update(body=meeting_body, actor=actor, meeting_weekdays="9", meeting_location="Elsewhere")
    assert "meeting_weekdays" in exc.value.message_dict
    body = reload(meeting_body)
    assert (body.meeting_weekdays, body.meeting_location, body.meeting_sequence) == ("1", "Union Depot", 0)
    assert actions(body) == ["seats.body.created"]


def test_a_body_can_move_to_another_jurisdiction_and_change_its_topics(actor, meeting_body):
    county = PlaceFactory(slug="ramsey-county", name="Ramsey County")
    transit = IssueTopic.objects.get_or_create(slug="transit", defaults={"name": "Transit"})[0]
    services.body_update(body=meeting_body, actor=actor, jurisdiction=county, topics=[transit])
    body = reload(meeting_body)
    assert body.jurisdiction == county
    assert list(body.topics.all()) == [transit]


def test_dissolving_a_body_closes_its_pending_nominations_as_withdrawn(actor, commission, seat):
    pending = NominationFactory(seat=seat, nominated_on=D(2026, 1, 10))
    decided = NominationFactory(seat=seat, nominated_on=D(2025, 1, 10), outcome=NominationOutcome.NOT_APPOINTED,
                                outcome_on=D(2025, 3, 1))
    elsewhere = NominationFactory(nominated_on=D(2026, 1, 10))

    services.body_dissolve(body=commission, actor=actor, on=D(2026, 6, 30))

    assert reload(commission).dissolved_on == D(2026, 6, 30)
    assert (reload(pending).outcome, pending.outcome_on) == (NominationOutcome.WITHDRAWN, D(2026, 6, 30))
    assert (reload(decided).outcome, decided.outcome_on) == (NominationOutcome.NOT_APPOINTED, D(2025, 3, 1))
    assert reload(elsewhere).outcome == NominationOutcome.PENDING
    entry = last_entry(commission)
    assert entry.action == "seats.body.dissolved"
    assert entry.data == {"on": "2026-06-30", "nominations_closed": 1}


def test_a_body_cannot_be_dissolved_twice(actor, commission):
    services.body_dissolve(body=commission, actor=actor, on=D(2026, 6, 30))
    with pytest.raises(ValidationError) as exc:
        services.body_dissolve(body=commission, actor=actor, on=D(2026, 8, 1))
    assert "already dissolved" in exc.value.messages[0]
    assert reload(commission).dissolved_on == D(2026, 6, 30)
    assert actions(commission) == ["seats.body.dissolved"]


def test_watching_a_body_subscribes_the_user_and_unwatching_ends_it(commission):
    user = UserFactory(role=Role.MEMBER, preferred_language="es")

    services.body_watch(body=commission, user=user)
    subscription = notifications.subscribers(services.WATCH_TOPIC, commission.pk).get()
    assert (subscription.user, subscription.language) == (user, "es")
    assert selectors.watched_body_ids(user) == {commission.pk}

    services.body_unwatch(body=commission, user=user)
    assert not notifications.subscribers(services.WATCH_TOPIC, commission.pk).exists()
    assert selectors.watched_body_ids(user) == set()

    services.body_watch(body=commission, user=user)  # watching again is the person's own choice
    assert notifications.subscribers(services.WATCH_TOPIC, commission.pk).get().pk == subscription.pk
    assert actions(commission) == ["seats.body.watched", "seats.body.unwatched", "seats.body.watched"]


def test_a_watch_is_named_on_the_unsubscribe_page_only_while_the_watcher_may_see_the_body(commission):
    user = UserFactory(role=Role.MEMBER)
    services.body_watch(body=commission, user=user)
    subscription = notifications.subscribers(services.WATCH_TOPIC, commission.pk).get()
    assert commission.name in notifications.describe(subscription)

    services.body_update(body=commission, actor=None, visibility=Visibility.STAFF, name="Campaign target")

    label = notifications.describe(subscription)
    assert "Campaign target" not in label and commission.name not in label
    assert label == "openings and meetings of a public body you watched"


def test_watching_twice_keeps_one_subscription(commission):
    user = UserFactory(role=Role.MEMBER)
    services.body_watch(body=commission, user=user)
    services.body_watch(body=commission, user=user)
    assert notifications.subscribers(services.WATCH_TOPIC, commission.pk).count() == 1


def test_unwatching_leaves_other_watchers_subscribed(commission):
    one, other = UserFactory(role=Role.MEMBER), UserFactory(role=Role.MEMBER)
    services.body_watch(body=commission, user=one)
    services.body_watch(body=commission, user=other)
    services.body_unwatch(body=commission, user=one)
    assert [s.user for s in notifications.subscribers(services.WATCH_TOPIC, commission.pk)] == [other]


# --- seats ---------------------------------------------------------------------------------------------------


def test_creating_a_seat_saves_it_with_an_audit_entry(actor, commission):
    seat = services.seat_create(actor=actor, body=commission, name=" Renter seat ", constituency="A renter",
                                term_length_months=24, holdover_allowed=False, deadline_kind="open_until_filled")
    seat = reload(seat)
    assert (seat.name, seat.body, seat.term_length_months, seat.holdover_allowed) == (
        "Renter seat", commission, 24, False)
    entry = last_entry(seat)
    assert (entry.action, entry.data) == ("seats.seat.created", {"body": "stp-planning"})


def test_a_second_seat_with_the_same_name_on_one_body_is_refused(actor, seat):
    with pytest.raises(ValidationError) as exc:
        services.seat_create(actor=actor, body=seat.body, name="Ward 1 seat")
    assert messages(exc, "name") == ["This body already has a seat with that name."]
    assert Seat.objects.count() == 1
    assert not ActivityLog.objects.filter(action="seats.seat.created").exists()


def test_the_same_seat_name_on_another_body_is_fine(actor, seat):
    services.seat_create(actor=actor, body=PublicBodyFactory(), name="Ward 1 seat")
    assert Seat.objects.filter(name="Ward 1 seat").count() == 2


@pytest.mark.parametrize(("kind", "on", "field"), [
    ("hard_date", None, "deadline_on"),
    ("review_begins", None, "deadline_on"),
    ("rolling", D(2026, 3, 1), "deadline_on"),
    ("open_until_filled", D(2026, 3, 1), "deadline_on"),
    ("", D(2026, 3, 1), "deadline_kind"),
])
def test_a_deadline_date_that_does_not_match_its_kind_is_refused(actor, commission, kind, on, field):
    with pytest.raises(ValidationError) as exc:
        services.seat_create(actor=actor, body=commission, name="At-large seat", deadline_kind=kind, deadline_on=on)
    assert field in exc.value.message_dict
    assert not Seat.objects.exists()


@pytest.mark.parametrize(("kind", "on"), [
    ("hard_date", D(2026, 3, 1)), ("review_begins", D(2026, 3, 1)), ("rolling", None), ("open_until_filled", None),
    ("", None),
])
def test_a_deadline_date_that_matches_its_kind_is_kept(actor, commission, kind, on):
    seat = services.seat_create(actor=actor, body=commission, name="At-large seat", deadline_kind=kind, deadline_on=on)
    assert (reload(seat).deadline_kind, seat.deadline_on) == (kind, on)


def test_renaming_a_seat_to_another_seats_name_is_refused(actor, seat):
    other = SeatFactory(body=seat.body, name="Ward 2 seat")
    with pytest.raises(ValidationError):
        services.seat_update(seat=other, actor=actor, name="Ward 1 seat")
    assert reload(other).name == "Ward 2 seat"


def test_updating_a_seat_records_what_changed(actor, seat):
    services.seat_update(seat=seat, actor=actor, eligibility="Lives in Ward 1", deadline_kind="rolling")
    entry = last_entry(seat)
    assert entry.action == "seats.seat.updated"
    assert entry.data == {"eligibility": ["", "Lives in Ward 1"], "deadline_kind": ["", "rolling"]}


def test_turning_holdover_off_and_on_works_out_when_past_terms_ended_again(actor, seat):
    term = TermFactory(seat=seat, starts_on=D(2020, 1, 1), ends_on=D(2022, 12, 31))
    assert reload(term).occupied_until is None  # serving on until replaced

    services.seat_update(seat=seat, actor=actor, holdover_allowed=False)
    assert reload(term).occupied_until == D(2022, 12, 31)
    assert selectors.vacant_seats(actor, today=D(2026, 1, 1)).filter(pk=seat.pk).exists()

    services.seat_update(seat=seat, actor=actor, holdover_allowed=True)
    assert reload(term).occupied_until is None
    assert not selectors.vacant_seats(actor, today=D(2026, 1, 1)).filter(pk=seat.pk).exists()


# --- terms ----------------------------------------------------------------------------------------------------


def test_recording_a_term_saves_it_with_its_occupancy_and_an_audit_entry(actor, seat):
    term = services.term_record(actor=actor, seat=seat, starts_on=D(2024, 1, 1), ends_on=D(2026, 12, 31),
                                holder_name="  Hodan Warsame ")
    term = reload(term)
    assert (term.holder_name, term.occupied_until, term.fills_vacancy, term.created_by) == (
        "Hodan Warsame", None, True, actor)
    entry = last_entry(term)
    assert entry.action == "seats.term.recorded"
    assert entry.data == {"seat": str(seat.public_id), "starts_on": "2024-01-01", "ends_on": "2026-12-31"}


def test_a_term_held_by_a_person_in_the_directory_needs_no_name(actor, seat):
    person = PersonFactory(full_name="Pa Houa Xiong")
    term = services.term_record(actor=actor, seat=seat, starts_on=D(2024, 1, 1), holder_person=person)
    assert term.holder_label == "Pa Houa Xiong"


def test_a_term_without_a_holder_is_refused(actor, seat):
    with pytest.raises(ValidationError) as exc:
        services.term_record(actor=actor, seat=seat, starts_on=D(2024, 1, 1), holder_name="  ")
    assert "holder_name" in exc.value.message_dict
    assert not Term.objects.exists()


@pytest.mark.parametrize(("ends_on", "left_on", "field"), [
    (D(2023, 12, 31), None, "ends_on"),
    (D(2026, 12, 31), D(2023, 6, 1), "left_on"),
])
def test_a_term_whose_dates_run_backwards_is_refused(actor, seat, ends_on, left_on, field):
    with pytest.raises(ValidationError) as exc:
        services.term_record(actor=actor, seat=seat, starts_on=D(2024, 1, 1), ends_on=ends_on, left_on=left_on,
                             holder_name="Hodan Warsame")
    assert field in exc.value.message_dict
    assert not Term.objects.exists()
    assert not ActivityLog.objects.exists()


def test_a_term_starting_while_the_seat_is_held_is_refused_as_the_seat_is_full(actor, seat):
    TermFactory(seat=seat, holder_name="Hodan Warsame", starts_on=D(2024, 1, 1), ends_on=D(2026, 12, 31))
    before = ActivityLog.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.term_record(actor=actor, seat=seat, starts_on=D(2025, 6, 1), ends_on=D(2028, 5, 31),
                             holder_name="Newcomer")
    [message] = messages(exc, "starts_on")
    assert message.startswith("The seat is full: Hodan Warsame holds it until")
    assert Term.objects.count() == 1
    assert ActivityLog.objects.count() == before


def test_a_term_on_an_open_ended_seat_is_refused_until_the_holder_leaves(actor, seat):
    mayor = TermFactory(seat=seat, holder_name="The mayor", starts_on=D(2022, 1, 3), ends_on=None)
    with pytest.raises(ValidationError) as exc:
        services.term_record(actor=actor, seat=seat, starts_on=D(2026, 1, 5), holder_name="The next mayor")
    assert "with no end date" in messages(exc, "starts_on")[0]

    services.term_update(term=mayor, actor=actor, left_on=D(2026, 1, 4))
    services.term_record(actor=actor, seat=seat, starts_on=D(2026, 1, 5), holder_name="The next mayor")
    assert reload(mayor).occupied_until == D(2026, 1, 4)


def test_a_term_running_into_a_later_term_is_refused_as_overlapping(actor, seat):
    TermFactory(seat=seat, holder_name="Hodan Warsame", starts_on=D(2025, 1, 1), ends_on=D(2027, 12, 31))
    with pytest.raises(ValidationError) as exc:
        services.term_record(actor=actor, seat=seat, starts_on=D(2022, 1, 1), ends_on=D(2025, 1, 1),
                             holder_name="Earlier holder")
    assert messages(exc, "ends_on") == [
        "This term overlaps the term of Hodan Warsame (Jan. 1, 2025 – Dec. 31, 2027)."]
    assert Term.objects.count() == 1


def test_appointing_someone_ends_a_holdover_the_day_before(actor, seat):
    old = TermFactory(seat=seat, holder_name="Old holder", starts_on=D(2020, 1, 1), ends_on=D(2022, 12, 31))
    new = services.term_record(actor=actor, seat=seat, starts_on=D(2023, 4, 1), ends_on=D(2026, 3, 31),
                               holder_name="Appointee")
    assert reload(old).occupied_until == D(2023, 3, 31)
    assert reload(new).fills_vacancy is False
    assert reload(new).occupied_until is None
    assert reload(old).fills_vacancy is True


def test_a_term_after_a_gap_fills_a_vacancy(actor, seat):
    seat = services.seat_update(seat=seat, actor=actor, holdover_allowed=False)
    TermFactory(seat=seat, holder_name="Old holder", starts_on=D(2020, 1, 1), ends_on=D(2022, 12, 31))
    follows_on = services.term_record(actor=actor, seat=seat, starts_on=D(2023, 1, 1), ends_on=D(2023, 12, 31),
                                      holder_name="Next day")
    after_gap = services.term_record(actor=actor, seat=seat, starts_on=D(2024, 3, 1), ends_on=D(2026, 2, 28),
                                     holder_name="After a gap")
    assert reload(follows_on).fills_vacancy is False
    assert reload(after_gap).fills_vacancy is True


def test_a_term_recorded_before_others_refreshes_their_figures(actor, seat):
    later = TermFactory(seat=seat, holder_name="Later", starts_on=D(2024, 1, 1), ends_on=D(2026, 12, 31))
    assert reload(later).fills_vacancy is True
    earlier = services.term_record(actor=actor, seat=seat, starts_on=D(2021, 1, 1), ends_on=D(2023, 6, 30),
                                   holder_name="Earlier")
    assert reload(earlier).occupied_until == D(2023, 12, 31)  # served on until the later term began
    assert reload(earlier).fills_vacancy is True
    assert reload(later).fills_vacancy is False


def test_correcting_a_term_refreshes_occupancy_and_records_what_changed(actor, seat):
    term = TermFactory(seat=seat, holder_name="Hodan Warsame", starts_on=D(2024, 1, 1), ends_on=D(2026, 12, 31))
    services.term_update(term=term, actor=actor, left_on=D(2025, 5, 31), notes="Moved out of the ward")
    term = reload(term)
    assert (term.left_on, term.occupied_until) == (D(2025, 5, 31), D(2025, 5, 31))
    entry = last_entry(term)
    assert entry.action == "seats.term.updated"
    assert entry.data == {"left_on": ["None", "2025-05-31"], "notes": ["", "Moved out of the ward"]}


def test_a_correction_that_would_overlap_another_term_is_refused_and_changes_nothing(actor, seat):
    first = TermFactory(seat=seat, holder_name="First", starts_on=D(2020, 1, 1), ends_on=D(2022, 12, 31))
    TermFactory(seat=seat, holder_name="Second", starts_on=D(2023, 1, 1), ends_on=D(2025, 12, 31))
    with pytest.raises(ValidationError):
        services.term_update(term=first, actor=actor, left_on=D(2023, 2, 1))
    first = reload(first)
    assert (first.left_on, first.occupied_until) == (None, D(2022, 12, 31))
    assert actions(first) == ["seats.term.recorded"]


def test_a_term_can_be_moved_without_running_into_its_own_old_dates(actor, seat):
    term = TermFactory(seat=seat, holder_name="Hodan Warsame", starts_on=D(2024, 1, 1), ends_on=D(2026, 12, 31))
    services.term_update(term=term, actor=actor, starts_on=D(2024, 2, 1), ends_on=D(2027, 1, 31))
    assert (reload(term).starts_on, term.ends_on) == (D(2024, 2, 1), D(2027, 1, 31))


def test_deleting_a_term_brings_back_the_holdover_it_ended_and_reopens_its_nomination(actor, seat):
    old = TermFactory(seat=seat, holder_name="Old holder", starts_on=D(2020, 1, 1), ends_on=D(2022, 12, 31))
    nomination = NominationFactory(seat=seat, nominated_on=D(2023, 1, 15))
    services.nomination_decide(actor=actor, nomination=nomination, outcome=NominationOutcome.APPOINTED,
                               on=D(2023, 4, 1))
    term = reload(nomination).term
    assert reload(old).occupied_until == D(2023, 3, 31)

    services.term_delete(term=term, actor=actor)

    assert not Term.objects.filter(pk=term.pk).exists()
    assert reload(old).occupied_until is None
    nomination = reload(nomination)
    assert (nomination.outcome, nomination.outcome_on, nomination.term) == (NominationOutcome.PENDING, None, None)
    entry = last_entry(seat)
    assert entry.action == "seats.term.deleted"
    assert entry.data["starts_on"] == "2023-04-01"


def test_deleting_a_term_while_its_leader_has_a_new_pending_nomination_to_the_seat_does_not_break(actor, seat):
    """Reappointment: the leader was appointed, then put forward again for the next term; the first
    term is then deleted as a mistake. Reopening the first nomination would make two pending
    nominations of one leader to one seat, which the database forbids: the deletion must either be
    refused in words, with nothing changed, or go through leaving one pending nomination."""
    leader = LeaderFactory()
    first = NominationFactory(seat=seat, leader=leader, nominated_on=D(2026, 1, 10))
    services.nomination_decide(actor=actor, nomination=first, outcome=NominationOutcome.APPOINTED, on=D(2026, 3, 1))
    term = reload(first).term
    services.nomination_create(actor=actor, leader=leader, seat=seat, nominated_on=D(2026, 4, 1))

    try:
        services.term_delete(term=term, actor=actor)
    except ValidationError:
        assert Term.objects.filter(pk=term.pk).exists()
        assert (reload(first).outcome, first.term) == (NominationOutcome.APPOINTED, term)
    else:
        assert not Term.objects.filter(pk=term.pk).exists()
        assert Nomination.objects.filter(seat=seat, leader=leader, outcome=NominationOutcome.PENDING).count() == 1


@pytest.mark.parametrize(("starts_on", "months", "ends_on"), [
    (D(2024, 1, 1), 36, D(2026, 12, 31)),
    (D(2024, 1, 1), 12, D(2024, 12, 31)),
    (D(2023, 3, 1), 12, D(2024, 2, 29)),  # into a leap year
    (D(2024, 3, 1), 12, D(2025, 2, 28)),
    (D(2024, 1, 15), 1, D(2024, 2, 14)),
    (D(2024, 1, 31), 1, D(2024, 2, 28)),  # the 31st of February is the 29th; the day before
    (D(2023, 1, 31), 1, D(2023, 2, 27)),
    (D(2024, 2, 29), 12, D(2025, 2, 27)),
    (D(2024, 2, 29), 48, D(2028, 2, 28)),
    (D(2024, 8, 31), 1, D(2024, 9, 29)),
    (D(2024, 7, 1), 6, D(2024, 12, 31)),  # across the year's end
    (D(2024, 11, 1), 2, D(2024, 12, 31)),
    (D(2099, 3, 1), 12, D(2100, 2, 28)),  # 2100 is no leap year
    (D(1999, 3, 1), 12, D(2000, 2, 29)),  # 2000 is one
])
def test_the_default_end_of_a_term_is_the_day_before_the_same_day_of_the_month_later(starts_on, months, ends_on):
    assert services.term_default_end(Seat(term_length_months=months), starts_on) == ends_on


@pytest.mark.parametrize("months", [None, 0])
def test_a_seat_without_a_term_length_gives_no_default_end(months):
    assert services.term_default_end(Seat(term_length_months=months), D(2024, 1, 1)) is None


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31)), st.integers(min_value=1, max_value=120))
def test_the_default_end_follows_the_calendar_for_any_start_and_length(starts_on, months):
    index = starts_on.month - 1 + months
    year, month = starts_on.year + index // 12, index % 12 + 1
    anniversary = D(year, month, min(starts_on.day, calendar.monthrange(year, month)[1]))
    ends_on = services.term_default_end(Seat(term_length_months=months), starts_on)
    assert ends_on == anniversary - DAY
    assert ends_on >= starts_on


# --- leadership pipeline ----------------------------------------------------------------------------------------


def test_adding_a_leader_saves_their_interests_with_an_audit_entry(actor, city):
    person = PersonFactory(full_name="Hodan Warsame")
    housing = IssueTopic.objects.get_or_create(slug="housing", defaults={"name": "Housing"})[0]
    leader = services.leader_create(actor=actor, person=person, topics=[housing], places=[city],
                                    readiness=Readiness.PREPARING, support_needs="Childcare on meeting nights")
    leader = reload(leader)
    assert (leader.person, leader.readiness, leader.created_by) == (person, Readiness.PREPARING, actor)
    assert list(leader.topics.all()) == [housing]
    assert list(leader.places.all()) == [city]
    assert actions(leader) == ["seats.leader.created"]


def test_a_person_already_in_the_pipeline_is_refused(actor):
    leader = LeaderFactory(person=PersonFactory(full_name="Hodan Warsame"))
    with pytest.raises(ValidationError) as exc:
        services.leader_create(actor=actor, person=leader.person)
    assert messages(exc, "person") == ["Hodan Warsame is already in the leadership pipeline."]
    assert Leader.objects.count() == 1
    assert not ActivityLog.objects.exists()


def test_how_a_leader_identifies_never_enters_the_audit_trail_only_that_it_changed(actor):
    leader = services.leader_create(actor=actor, person=PersonFactory(), self_identification=SelfIdentification.BIPOC)
    services.leader_update(leader=leader, actor=actor, self_identification=SelfIdentification.NOT_BIPOC,
                           readiness=Readiness.READY)
    services.leader_update(leader=leader, actor=actor, self_identification=SelfIdentification.UNSTATED)

    assert reload(leader).self_identification == SelfIdentification.UNSTATED
    entries = list(activity_for(leader).order_by("id"))
    assert [e.action for e in entries] == ["seats.leader.created", "seats.leader.updated", "seats.leader.updated"]
    assert entries[1].data == {"self_identification": "changed", "readiness": ["exploring", "ready"]}
    assert entries[2].data == {"self_identification": "changed"}
    trail = json.dumps([e.data for e in ActivityLog.objects.all()])
    assert "bipoc" not in trail


def test_an_update_that_leaves_self_identification_alone_does_not_mention_it(actor):
    leader = LeaderFactory(self_identification=SelfIdentification.BIPOC)
    services.leader_update(leader=leader, actor=actor, self_identification=SelfIdentification.BIPOC,
                           notes="Met at the corridor forum")
    assert last_entry(leader).data == {"notes": ["", "Met at the corridor forum"]}


def test_a_leader_update_with_a_bad_readiness_is_refused(actor):
    leader = LeaderFactory()
    with pytest.raises(ValidationError):
        services.leader_update(leader=leader, actor=actor, readiness="very_ready")
    assert reload(leader).readiness == Readiness.EXPLORING
    assert not ActivityLog.objects.exists()


def test_a_training_is_added_to_a_leader_with_an_audit_entry(actor):
    leader = LeaderFactory()
    training = services.training_add(actor=actor, leader=leader, name=" How boards work ", provider=" League ",
                                     attended_on=D(2026, 2, 7))
    assert (training.name, training.provider, training.leader) == ("How boards work", "League", leader)
    entry = last_entry(leader)
    assert (entry.action, entry.data) == ("seats.leader.training-added", {"training": "How boards work"})


def test_a_training_without_a_name_is_refused(actor):
    with pytest.raises(ValidationError):
        services.training_add(actor=actor, leader=LeaderFactory(), name="  ", attended_on=D(2026, 2, 7))
    assert not TrainingAttendance.objects.exists()


def test_support_tied_to_the_leaders_own_term_is_recorded(actor, seat):
    leader = LeaderFactory()
    term = TermFactory(seat=seat, holder_person=leader.person, holder_name="", starts_on=D(2025, 1, 1))
    contact = services.support_add(actor=actor, leader=leader, kind=SupportKind.BRIEFING, on=D(2025, 2, 1),
                                   notes="Budget briefing", term=term)
    assert (contact.term, contact.recorded_by) == (term, actor)
    entry = last_entry(leader)
    assert (entry.action, entry.data) == ("seats.leader.support-added", {"kind": "briefing", "on": "2025-02-01"})


def test_support_tied_to_someone_elses_term_is_refused(actor, seat):
    leader = LeaderFactory()
    term = TermFactory(seat=seat, holder_person=PersonFactory(), holder_name="", starts_on=D(2025, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.support_add(actor=actor, leader=leader, kind=SupportKind.CHECK_IN, on=D(2025, 2, 1), term=term)
    assert messages(exc, "term") == ["That term is not this leader's."]
    assert not SupportContact.objects.exists()


def test_support_of_an_unknown_kind_is_refused(actor):
    with pytest.raises(ValidationError):
        services.support_add(actor=actor, leader=LeaderFactory(), kind="pep_talk", on=D(2025, 2, 1))
    assert not SupportContact.objects.exists()


# --- nominations --------------------------------------------------------------------------------------------------


def test_a_nomination_is_recorded_with_its_endorsements_and_an_audit_entry(actor, seat):
    leader = LeaderFactory()
    orgs = [OrganizationFactory(), OrganizationFactory()]
    nomination = services.nomination_create(actor=actor, leader=leader, seat=seat, nominated_on=D(2026, 1, 10),
                                            endorsements=orgs, notes="Strong renter voice")
    nomination = reload(nomination)
    assert (nomination.outcome, nomination.created_by) == (NominationOutcome.PENDING, actor)
    assert set(nomination.endorsements.all()) == set(orgs)
    entry = last_entry(nomination)
    assert entry.action == "seats.nomination.created"
    assert entry.data == {"seat": str(seat.public_id), "leader": str(leader.public_id)}


def test_a_nomination_to_a_seat_of_a_dissolved_body_is_refused_in_plain_words(actor, commission, seat):
    services.body_dissolve(body=commission, actor=actor, on=D(2026, 1, 31))
    with pytest.raises(ValidationError) as exc:
        services.nomination_create(actor=actor, leader=LeaderFactory(), seat=seat, nominated_on=D(2026, 2, 10))
    assert messages(exc, "seat") == [
        "Saint Paul Planning Commission was dissolved on Jan. 31, 2026: it takes no nominations."]
    assert not Nomination.objects.exists()
    assert not ActivityLog.objects.filter(action="seats.nomination.created").exists()


def test_a_second_pending_nomination_of_a_leader_to_one_seat_is_refused(actor, seat):
    leader = LeaderFactory(person=PersonFactory(full_name="Hodan Warsame"))
    services.nomination_create(actor=actor, leader=leader, seat=seat, nominated_on=D(2026, 1, 10))
    with pytest.raises(ValidationError) as exc:
        services.nomination_create(actor=actor, leader=leader, seat=seat, nominated_on=D(2026, 1, 20))
    assert messages(exc, "seat") == ["Hodan Warsame already has a pending nomination to this seat."]
    assert Nomination.objects.count() == 1


def test_a_leader_may_be_nominated_again_once_the_first_nomination_is_decided(actor, seat):
    leader = LeaderFactory()
    first = services.nomination_create(actor=actor, leader=leader, seat=seat, nominated_on=D(2025, 1, 10))
    services.nomination_decide(actor=actor, nomination=first, outcome=NominationOutcome.NOT_APPOINTED,
                               on=D(2025, 3, 1))
    services.nomination_create(actor=actor, leader=leader, seat=seat, nominated_on=D(2026, 1, 10))
    assert Nomination.objects.filter(leader=leader, seat=seat).count() == 2


def test_an_appointment_records_the_leaders_term_with_the_seats_term_length(actor, seat):
    leader = LeaderFactory(readiness=Readiness.READY)
    nomination = NominationFactory(seat=seat, leader=leader, nominated_on=D(2026, 1, 10))

    services.nomination_decide(actor=actor, nomination=nomination, outcome=NominationOutcome.APPOINTED,
                               on=D(2026, 3, 1))

    nomination = reload(nomination)
    assert (nomination.outcome, nomination.outcome_on) == (NominationOutcome.APPOINTED, D(2026, 3, 1))
    term = nomination.term
    assert (term.seat, term.holder_person, term.starts_on, term.ends_on) == (
        seat, leader.person, D(2026, 3, 1), D(2029, 2, 28))
    assert term.fills_vacancy is True
    assert reload(leader).readiness == Readiness.SERVING
    entry = last_entry(nomination)
    assert (entry.action, entry.data) == ("seats.nomination.decided", {"outcome": "appointed", "on": "2026-03-01"})
    assert actions(term) == ["seats.term.recorded"]


def test_an_appointment_may_give_its_own_term_end(actor, seat):
    nomination = NominationFactory(seat=seat, nominated_on=D(2026, 1, 10))
    services.nomination_decide(actor=actor, nomination=nomination, outcome=NominationOutcome.APPOINTED,
                               on=D(2026, 3, 1), term_ends_on=D(2027, 12, 31))
    assert reload(nomination).term.ends_on == D(2027, 12, 31)


def test_an_appointment_to_a_full_seat_is_refused_and_the_nomination_stays_pending(actor, seat):
    TermFactory(seat=seat, holder_name="Sitting member", starts_on=D(2025, 1, 1), ends_on=D(2027, 12, 31))
    leader = LeaderFactory(readiness=Readiness.READY)
    nomination = NominationFactory(seat=seat, leader=leader, nominated_on=D(2026, 1, 10))
    before = ActivityLog.objects.count()

    with pytest.raises(ValidationError) as exc:
        services.nomination_decide(actor=actor, nomination=nomination, outcome=NominationOutcome.APPOINTED,
                                   on=D(2026, 3, 1))

    assert messages(exc, "on")[0].startswith("The seat is full: Sitting member holds it until")
    nomination = reload(nomination)
    assert (nomination.outcome, nomination.outcome_on, nomination.term) == (NominationOutcome.PENDING, None, None)
    assert Term.objects.filter(seat=seat).count() == 1
    assert reload(leader).readiness == Readiness.READY
    assert ActivityLog.objects.count() == before


def test_an_appointment_to_a_seat_in_holdover_replaces_the_holdover(actor, seat):
    old = TermFactory(seat=seat, holder_name="Old holder", starts_on=D(2020, 1, 1), ends_on=D(2022, 12, 31))
    nomination = NominationFactory(seat=seat, nominated_on=D(2026, 1, 10))
    services.nomination_decide(actor=actor, nomination=nomination, outcome=NominationOutcome.APPOINTED,
                               on=D(2026, 3, 1))
    assert reload(old).occupied_until == D(2026, 2, 28)
    assert reload(nomination).term.fills_vacancy is False


@pytest.mark.parametrize("outcome", [NominationOutcome.NOT_APPOINTED, NominationOutcome.WITHDRAWN])
def test_an_outcome_other_than_appointed_records_no_term(actor, seat, outcome):
    leader = LeaderFactory(readiness=Readiness.READY)
    nomination = NominationFactory(seat=seat, leader=leader, nominated_on=D(2026, 1, 10))
    services.nomination_decide(actor=actor, nomination=nomination, outcome=outcome, on=D(2026, 3, 1))
    nomination = reload(nomination)
    assert (nomination.outcome, nomination.outcome_on, nomination.term) == (outcome, D(2026, 3, 1), None)
    assert not Term.objects.exists()
    assert reload(leader).readiness == Readiness.READY
    assert last_entry(nomination).data == {"outcome": outcome, "on": "2026-03-01"}


def test_an_outcome_dated_before_the_nomination_is_refused(actor, seat):
    nomination = NominationFactory(seat=seat, nominated_on=D(2026, 1, 10))
    with pytest.raises(ValidationError) as exc:
        services.nomination_decide(actor=actor, nomination=nomination, outcome=NominationOutcome.APPOINTED,
                                   on=D(2026, 1, 9))
    assert messages(exc, "on") == ["The outcome cannot come before the nomination."]
    assert reload(nomination).outcome == NominationOutcome.PENDING
    assert not Term.objects.exists()


def test_a_nomination_that_already_has_an_outcome_cannot_be_decided_again(actor, seat):
    nomination = NominationFactory(seat=seat, nominated_on=D(2026, 1, 10))
    services.nomination_decide(actor=actor, nomination=nomination, outcome=NominationOutcome.WITHDRAWN,
                               on=D(2026, 2, 1))
    with pytest.raises(ValidationError) as exc:
        services.nomination_decide(actor=actor, nomination=nomination, outcome=NominationOutcome.APPOINTED,
                                   on=D(2026, 3, 1))
    assert messages(exc, "outcome") == ["This nomination already has an outcome."]
    assert (reload(nomination).outcome, nomination.outcome_on) == (NominationOutcome.WITHDRAWN, D(2026, 2, 1))
    assert not Term.objects.exists()


@pytest.mark.parametrize("outcome", [NominationOutcome.PENDING, "elected", ""])
def test_an_outcome_that_is_not_a_decision_is_refused(actor, seat, outcome):
    nomination = NominationFactory(seat=seat, nominated_on=D(2026, 1, 10))
    with pytest.raises(ValidationError) as exc:
        services.nomination_decide(actor=actor, nomination=nomination, outcome=outcome, on=D(2026, 3, 1))
    assert "outcome" in exc.value.message_dict
    assert reload(nomination).outcome == NominationOutcome.PENDING


def test_an_appointment_on_or_after_the_day_a_body_was_dissolved_is_refused(actor, commission, seat):
    nomination = NominationFactory(seat=seat, nominated_on=D(2026, 1, 10))
    PublicBody.objects.filter(pk=commission.pk).update(dissolved_on=D(2026, 2, 1))  # dissolved, pending kept
    with pytest.raises(ValidationError) as exc:
        services.nomination_decide(actor=actor, nomination=nomination, outcome=NominationOutcome.APPOINTED,
                                   on=D(2026, 2, 1))
    assert "dissolved" in messages(exc, "on")[0]
    assert not Term.objects.exists()


# --- engagement log -------------------------------------------------------------------------------------------------


def test_a_logged_process_is_scored_against_the_standard(actor, commission):
    process = services.process_create(actor=actor, title="Corridor plan hearing", agency="Metropolitan Council",
                                      kind=ProcessKind.HEARING, held_on=D(2026, 2, 1), body=commission,
                                      visibility=Visibility.MEMBERS, language_access=2, interpretation=1,
                                      accommodations=0, timing_and_place=1, input_changed_decision=0)
    process = reload(process)
    assert (process.score, process.created_by, process.body) == (40, actor, commission)
    entry = last_entry(process)
    assert (entry.action, entry.data) == ("seats.process.created", {"score": 40})


def test_a_process_with_fewer_than_three_answers_gets_no_score(actor):
    process = services.process_create(actor=actor, title="Bus network redesign", agency="Metro Transit",
                                      kind=ProcessKind.COMMENT_PERIOD, held_on=D(2026, 2, 1),
                                      language_access=2, interpretation=2)
    assert reload(process).score is None
    assert last_entry(process).data == {"score": None}


def test_an_answer_out_of_range_is_refused_and_nothing_is_logged(actor):
    with pytest.raises(ValidationError) as exc:
        services.process_create(actor=actor, title="Bus network redesign", agency="Metro Transit",
                                kind=ProcessKind.COMMENT_PERIOD, held_on=D(2026, 2, 1), language_access=3,
                                interpretation=1, accommodations=1)
    assert "language_access" in exc.value.message_dict
    assert not EngagementProcess.objects.exists()
    assert not ActivityLog.objects.exists()


def test_updating_a_process_scores_it_again_and_records_what_changed(actor):
    process = services.process_create(actor=actor, title="Bus network redesign", agency="Metro Transit",
                                      kind=ProcessKind.COMMENT_PERIOD, held_on=D(2026, 2, 1), language_access=2,
                                      interpretation=2)
    services.process_update(process=process, actor=actor, accommodations=2, observations="Childcare offered")
    assert reload(process).score == 100
    entry = last_entry(process)
    assert entry.action == "seats.process.updated"
    assert entry.data == {"accommodations": ["None", "2"], "observations": ["", "Childcare offered"]}

    services.process_update(process=process, actor=actor, accommodations=None)
    assert reload(process).score is None


def test_a_process_without_a_title_is_refused(actor):
    with pytest.raises(ValidationError):
        services.process_create(actor=actor, title="", agency="Metro Transit", kind=ProcessKind.HEARING,
                                held_on=D(2026, 2, 1))
    assert not EngagementProcess.objects.exists()


def test_removing_a_person_from_the_directory_keeps_their_name_on_the_terms_they_held():
    """The admin can delete a person (the app merges them instead): their terms keep a holder."""
    person = PersonFactory(full_name="Hodan Warsame")
    term = TermFactory(holder_person=person, holder_name="")
    person.delete()
    term.refresh_from_db()
    assert (term.holder_person_id, term.holder_name, term.holder_label) == (None, "Hodan Warsame", "Hodan Warsame")
    term.seat.refresh_from_db()
    assert term.seat.last_holder_person_id is None


def test_a_holder_from_the_directory_is_named_there_not_twice():
    """Given both (the API allows it), the name is dropped, as the page's form does: it would
    otherwise surface as the holder if the person left the directory."""
    person = PersonFactory(full_name="Hodan Warsame")
    term = TermFactory(holder_person=person, holder_name="Someone else")
    assert (term.holder_name, term.holder_label) == ("", "Hodan Warsame")
    services.term_update(term=term, actor=None, holder_name="Another name")
    term.refresh_from_db()
    assert term.holder_name == ""


def test_a_term_in_the_year_9999_is_refused_in_words_even_on_a_seat_with_a_term_length():
    seat = SeatFactory(term_length_months=240)
    assert services.term_default_end(seat, D(9999, 6, 1)) is None
    with pytest.raises(ValidationError) as refused:
        services.term_record(actor=None, seat=seat, holder_name="X", starts_on=D(9999, 6, 1),
                             ends_on=services.term_default_end(seat, D(9999, 6, 1)))
    assert "between the years 1900 and 2200" in refused.value.message_dict["starts_on"][0]


def test_two_requests_adding_the_same_seat_leader_or_body_at_once_get_words_not_a_server_error(monkeypatch):
    """The second of two identical requests passes the look-up before the first has written (two
    clicks, two API retries): its write then fails on the unique constraint, and it is refused as
    if it had come second; a body made with a generated short name simply gets the next one."""
    body = PublicBodyFactory(slug="board")
    real_clean = Seat.full_clean

    def seat_clean_racing(self, *args, **kwargs):
        real_clean(self, *args, **kwargs)
        Seat.objects.bulk_create([Seat(body=self.body, name=self.name)])  # the other request's write

    monkeypatch.setattr(Seat, "full_clean", seat_clean_racing)
    with pytest.raises(ValidationError) as refused:
        services.seat_create(actor=None, body=body, name="Renter seat")
    assert refused.value.message_dict == {"name": ["This body already has a seat with that name."]}
    monkeypatch.setattr(Seat, "full_clean", real_clean)

    person = PersonFactory()
    real_leader_clean = Leader.full_clean

    def leader_clean_racing(self, *args, **kwargs):
        real_leader_clean(self, *args, **kwargs)
        Leader.objects.bulk_create([Leader(person=self.person)])

    monkeypatch.setattr(Leader, "full_clean", leader_clean_racing)
    with pytest.raises(ValidationError) as refused:
        services.leader_create(actor=None, person=person)
    assert "already in the leadership pipeline" in refused.value.message_dict["person"][0]
    monkeypatch.setattr(Leader, "full_clean", real_leader_clean)

    place = body.jurisdiction
    real_body_clean = PublicBody.full_clean

    def body_clean_racing(self, *args, **kwargs):
        real_body_clean(self, *args, **kwargs)
        PublicBody.objects.bulk_create([PublicBody(name="Other", slug=self.slug, jurisdiction=place, kind=self.kind)])

    monkeypatch.setattr(PublicBody, "full_clean", body_clean_racing)
    made = services.body_create(actor=None, name="Parks Board", jurisdiction=place, kind="board")
    assert PublicBody.objects.filter(name="Parks Board").get() == made
    assert PublicBody.objects.filter(slug__startswith=made.slug.rsplit("-", 1)[0]).count() == 2


def test_a_dissolved_body_takes_no_new_term_or_seat_but_keeps_its_history():
    body = PublicBodyFactory(name="Corridor task force")
    seat = SeatFactory(body=body)
    services.body_dissolve(body=body, actor=None, on=D(2026, 8, 3))
    services.term_record(actor=None, seat=seat, holder_name="Earlier holder", starts_on=D(2025, 1, 1),
                         ends_on=D(2026, 8, 2))  # history is still recorded
    with pytest.raises(ValidationError) as refused:
        services.term_record(actor=None, seat=seat, holder_name="Late holder", starts_on=D(2030, 1, 1))
    assert refused.value.message_dict["starts_on"] == [
        "Corridor task force was dissolved on Aug. 3, 2026: no term can start after that."]
    with pytest.raises(ValidationError) as refused:
        services.seat_create(actor=None, body=body, name="New seat")
    assert "it takes no new seats" in refused.value.message_dict["name"][0]
    assert seat.terms.count() == 1 and body.seats.count() == 1
