"""What seats tell the plan (`seats/indicators.py`): each indicator counts from the records, by
date and by the bodies asked for, leaves out staff-only bodies and processes (the plan's figures
are seen by members), and follows a change of a body's visibility or topics at once."""

from __future__ import annotations

import datetime as dt

import pytest

from commontable.core import indicators
from commontable.core.models import IssueTopic
from commontable.core.visibility import Visibility
from commontable.seats import services
from commontable.seats.choices import NominationOutcome
from commontable.seats.tests.factories import (
    EngagementProcessFactory,
    LeaderFactory,
    NominationFactory,
    PublicBodyFactory,
    SeatFactory,
    TermFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
TODAY = dt.date.today()
BEFORE, NOW = TODAY - 400 * DAY, TODAY


def values(key: str, param: str = "") -> list[float | None]:
    return [reading.value for reading in indicators.compute(key, [BEFORE, NOW], param)]


def topic(slug: str) -> IssueTopic:
    return IssueTopic.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0]


@pytest.fixture
def bodies(db):
    climate = PublicBodyFactory(name="Climate commission", topics=[topic("climate")], visibility=Visibility.PUBLIC)
    housing = PublicBodyFactory(name="Housing board", topics=[topic("housing")], visibility=Visibility.MEMBERS)
    hidden = PublicBodyFactory(name="Campaign target", topics=[topic("climate")], visibility=Visibility.STAFF)
    return climate, housing, hidden


def leader_term(body, *, starts: dt.date, fills_vacancy: bool = False):
    leader = LeaderFactory()
    seat = SeatFactory(body=body, holdover_allowed=False)
    if fills_vacancy:
        TermFactory(seat=seat, holder_name="Former holder", starts_on=starts - 1000 * DAY, ends_on=starts - 10 * DAY)
    TermFactory(seat=seat, holder_person=leader.person, holder_name="", starts_on=starts, ends_on=starts + 900 * DAY)
    return leader, seat


def test_seats_held_by_leaders_count_per_date_and_per_bodies_asked_for(bodies):
    climate, housing, hidden = bodies
    leader_term(climate, starts=BEFORE - 10 * DAY)
    leader_term(housing, starts=TODAY - 10 * DAY)
    SeatFactory(body=housing)  # vacant: not counted
    TermFactory(seat=SeatFactory(body=housing), holder_name="Someone outside", starts_on=TODAY - 5 * DAY)
    leader_term(hidden, starts=TODAY - 10 * DAY)

    assert values("seats.held_by_leaders") == [1.0, 2.0]
    assert values("seats.held_by_leaders", "climate_mobility") == [1.0, 1.0]
    assert values("seats.held_by_leaders", "housing") == [0.0, 1.0]


def test_a_term_on_a_staff_only_body_moves_no_figure_until_the_body_is_opened(bodies):
    climate, _housing, hidden = bodies
    leader_term(climate, starts=TODAY - 10 * DAY)
    assert values("seats.held_by_leaders") == [0.0, 1.0]

    leader, seat = leader_term(hidden, starts=TODAY - 10 * DAY, fills_vacancy=True)
    NominationFactory(seat=seat, leader=leader, nominated_on=TODAY - 40 * DAY, outcome=NominationOutcome.APPOINTED,
                      outcome_on=TODAY - 12 * DAY)
    for key, expected in (("seats.held_by_leaders", [0.0, 1.0]), ("seats.nominations", [0.0, 0.0]),
                          ("seats.appointments", [0.0, 0.0]), ("seats.vacancies_filled", [0.0, 1.0])):
        assert values(key) == expected, key

    services.body_update(body=hidden, actor=None, visibility=Visibility.MEMBERS)

    assert values("seats.held_by_leaders") == [0.0, 2.0]
    assert values("seats.held_by_leaders", "climate_mobility") == [0.0, 2.0]
    assert values("seats.nominations") == [0.0, 1.0]
    assert values("seats.appointments") == [0.0, 1.0]
    # The hidden seat's first holder (long ago) and the leader after a gap.
    assert values("seats.vacancies_filled") == [1.0, 3.0]


def test_a_body_given_a_topic_counts_under_it_at_once(bodies):
    _climate, housing, _hidden = bodies
    leader_term(housing, starts=TODAY - 10 * DAY)
    assert values("seats.held_by_leaders", "transit") == [0.0, 0.0]
    housing.topics.add(topic("transit"))
    assert values("seats.held_by_leaders", "transit") == [0.0, 1.0]


def test_nominations_and_appointments_count_by_their_dates(bodies):
    climate, housing, _hidden = bodies
    NominationFactory(seat=SeatFactory(body=climate), nominated_on=BEFORE - 5 * DAY)
    NominationFactory(seat=SeatFactory(body=housing), nominated_on=TODAY - 30 * DAY,
                      outcome=NominationOutcome.APPOINTED, outcome_on=TODAY - 3 * DAY)
    NominationFactory(seat=SeatFactory(body=housing), nominated_on=TODAY - 30 * DAY,
                      outcome=NominationOutcome.NOT_APPOINTED, outcome_on=TODAY - 3 * DAY)
    assert values("seats.nominations") == [1.0, 3.0]
    assert values("seats.appointments") == [0.0, 1.0]
    assert values("seats.nominations", "climate_mobility") == [1.0, 1.0]


def test_vacancies_filled_by_anyone_or_by_leaders(bodies):
    climate, _housing, _hidden = bodies
    leader_term(climate, starts=TODAY - 10 * DAY, fills_vacancy=True)
    seat = SeatFactory(body=climate, holdover_allowed=False)
    TermFactory(seat=seat, holder_name="Former", starts_on=TODAY - 1000 * DAY, ends_on=TODAY - 100 * DAY)
    TermFactory(seat=seat, holder_name="Someone outside", starts_on=TODAY - 20 * DAY, ends_on=TODAY + 900 * DAY)
    held_on = SeatFactory(body=climate)  # holdover: the next holder follows on, no vacancy between
    TermFactory(seat=held_on, holder_name="Long server", starts_on=TODAY - 1000 * DAY, ends_on=TODAY - 100 * DAY)
    TermFactory(seat=held_on, holder_name="Successor", starts_on=TODAY - 20 * DAY, ends_on=TODAY + 900 * DAY)
    # Each seat's first holder filled a vacancy (before the plan's window), then the leader and
    # the outsider after a gap; the successor of a holdover did not.
    assert values("seats.vacancies_filled") == [3.0, 5.0]
    assert values("seats.vacancies_filled", "leaders") == [0.0, 1.0]


def process(held_on: dt.date, visibility: str, answer: int) -> None:
    services.process_create(actor=None, title="Corridor hearing", agency="Metro Transit", kind="hearing",
                            held_on=held_on, visibility=visibility, language_access=answer, interpretation=answer,
                            accommodations=answer)


def test_processes_logged_and_their_score_leave_out_staff_only_processes(db):
    process(BEFORE - DAY, Visibility.PUBLIC, 2)
    process(TODAY - DAY, Visibility.MEMBERS, 0)
    process(TODAY - DAY, Visibility.STAFF, 0)
    EngagementProcessFactory(held_on=TODAY - DAY, visibility=Visibility.PUBLIC)  # no answers: no score
    assert values("seats.processes_logged") == [1.0, 3.0]
    assert values("seats.engagement_score") == [100.0, 50.0]
