"""The reads of seats at decision tables (`seats/selectors.py`): seats' states, body summaries,
openings, the representation roll-up (with consent and small-group suppression), a leader's path
and the meetings of bodies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from commontable.core.models import IssueTopic
from commontable.core.suppression import COMPLEMENTARY, DISCLOSIVE, SMALL, Cell
from commontable.core.visibility import Visibility
from commontable.directory.choices import ConsentPurpose
from commontable.directory.models import ConsentRecord, Person
from commontable.directory.tests.factories import PersonFactory
from commontable.seats import selectors, services
from commontable.seats.choices import (
    NominationOutcome,
    SeatState,
    SelfIdentification,
    SupportKind,
    TermStatus,
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
TODAY = D(2026, 6, 15)


def topic(slug: str, name: str) -> IssueTopic:
    return IssueTopic.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def held_seat(body, *, ends_in: int = 400, holder_person=None, name: str = "", **seat_fields):
    """A seat held today by a term that ends `ends_in` days from TODAY (negative: in holdover)."""
    seat = SeatFactory(body=body, **({"name": name} if name else {}), **seat_fields)
    TermFactory(seat=seat, starts_on=TODAY - 700 * DAY, ends_on=TODAY + ends_in * DAY, holder_person=holder_person,
                holder_name="" if holder_person else "Someone outside")
    return seat


def vacant_seat(body, **seat_fields):
    """A seat whose last holder left last year, on a seat with no holdover."""
    seat = SeatFactory(body=body, holdover_allowed=False, **seat_fields)
    TermFactory(seat=seat, starts_on=TODAY - 1200 * DAY, ends_on=TODAY - 100 * DAY, holder_name="Former holder")
    return seat


# --- seat rows and body summaries ---------------------------------------------------------------------------


def test_each_seat_row_has_the_seats_state_its_current_term_and_its_history_newest_first():
    body = PublicBodyFactory()
    held = SeatFactory(body=body, name="Held")
    earlier = TermFactory(seat=held, holder_name="Earlier", starts_on=D(2020, 1, 1), ends_on=D(2022, 12, 31))
    current = TermFactory(seat=held, holder_name="Current", starts_on=D(2023, 1, 1), ends_on=D(2026, 12, 31))
    holdover = SeatFactory(body=body, name="Holdover")
    served_on = TermFactory(seat=holdover, holder_name="Served on", starts_on=D(2021, 1, 1), ends_on=D(2025, 12, 31))
    ended = SeatFactory(body=body, name="Ended", holdover_allowed=False)
    TermFactory(seat=ended, holder_name="Gone", starts_on=D(2021, 1, 1), ends_on=D(2025, 12, 31))
    resigned = SeatFactory(body=body, name="Resigned")
    TermFactory(seat=resigned, holder_name="Resigned", starts_on=D(2025, 1, 1), ends_on=D(2027, 12, 31),
                left_on=D(2026, 3, 1))
    upcoming = SeatFactory(body=body, name="Upcoming")
    TermFactory(seat=upcoming, holder_name="Next", starts_on=D(2026, 7, 1), ends_on=D(2029, 6, 30))
    empty = SeatFactory(body=body, name="Never filled")

    rows = selectors.seat_rows([held, holdover, ended, resigned, upcoming, empty], TODAY)

    assert [(r.seat, r.state) for r in rows] == [
        (held, SeatState.HELD), (holdover, SeatState.HOLDOVER), (ended, SeatState.VACANT),
        (resigned, SeatState.VACANT), (upcoming, SeatState.VACANT), (empty, SeatState.VACANT)]
    assert [r.current for r in rows] == [current, served_on, None, None, None, None]
    assert rows[0].history == [current, earlier]
    assert [len(r.history) for r in rows] == [2, 1, 1, 1, 1, 0]
    assert [selectors.term_status(t, TODAY) for t in rows[0].history] == [TermStatus.SERVING, TermStatus.ENDED]
    assert selectors.term_status(rows[4].history[0], TODAY) == TermStatus.UPCOMING


def test_a_seat_in_holdover_is_held_again_once_someone_is_appointed():
    seat = SeatFactory()
    TermFactory(seat=seat, holder_name="Served on", starts_on=D(2021, 1, 1), ends_on=D(2025, 12, 31))
    new = TermFactory(seat=seat, holder_name="Appointee", starts_on=D(2026, 7, 1), ends_on=D(2029, 6, 30))
    assert selectors.seat_rows([seat], D(2026, 6, 30))[0].state == SeatState.HOLDOVER
    [row] = selectors.seat_rows([seat], D(2026, 7, 1))
    assert (row.state, row.current) == (SeatState.HELD, new)


def test_seat_rows_count_only_pending_nominations_when_asked():
    seat = SeatFactory()
    NominationFactory(seat=seat)
    NominationFactory(seat=seat)
    NominationFactory(seat=seat, outcome=NominationOutcome.WITHDRAWN, outcome_on=TODAY)
    assert selectors.seat_rows([seat], TODAY, nominations=True)[0].pending_nominations == 2
    assert selectors.seat_rows([seat], TODAY)[0].pending_nominations == 0


def test_a_seat_row_ends_soon_while_its_holder_has_under_ninety_days_left():
    today = timezone.localdate()
    body = PublicBodyFactory()
    soon = SeatFactory(body=body)
    TermFactory(seat=soon, starts_on=today - 300 * DAY, ends_on=today + 90 * DAY)
    later = SeatFactory(body=body)
    TermFactory(seat=later, starts_on=today - 300 * DAY, ends_on=today + 91 * DAY)
    holdover = SeatFactory(body=body)
    TermFactory(seat=holdover, starts_on=today - 900 * DAY, ends_on=today - DAY)
    assert [r.ends_soon for r in selectors.seat_rows([soon, later, holdover])] == [True, False, False]


def test_body_summaries_count_seats_held_vacant_and_ending_within_ninety_days():
    body = PublicBodyFactory()
    held_seat(body, ends_in=0)       # ends today: ending soon
    held_seat(body, ends_in=90)      # the last day of the window
    held_seat(body, ends_in=91)      # just outside it
    held_seat(body, ends_in=-10)     # holdover: held, not "ending"
    vacant_seat(body)
    SeatFactory(body=body)           # never filled
    other = PublicBodyFactory()
    empty = PublicBodyFactory()
    held_seat(other)

    summaries = selectors.body_summaries([body.pk, other.pk, empty.pk], TODAY)

    mine = summaries[body.pk]
    assert (mine.seats, mine.held, mine.vacant, mine.ending_soon) == (6, 4, 2, 2)
    assert (summaries[other.pk].seats, summaries[other.pk].held, summaries[other.pk].vacant) == (1, 1, 0)
    assert (summaries[empty.pk].seats, summaries[empty.pk].held, summaries[empty.pk].ending_soon) == (0, 0, 0)


# --- openings -----------------------------------------------------------------------------------------------------


def openings(body):
    """One vacant seat, one whose term ends in 30 days, one in holdover."""
    return {"vacant": vacant_seat(body, name="Vacant"), "ending": held_seat(body, ends_in=30, name="Ending"),
            "holdover": held_seat(body, ends_in=-30, name="Holdover")}


@pytest.fixture
def three_bodies(db):
    active = PublicBodyFactory(name="Active Commission")
    dissolved = PublicBodyFactory(name="Dissolved Commission")
    staff_only = PublicBodyFactory(name="Quiet Task Force", visibility=Visibility.STAFF)
    seats = {body: openings(body) for body in (active, dissolved, staff_only)}
    services.body_dissolve(body=dissolved, actor=None, on=TODAY - 10 * DAY)
    return active, dissolved, staff_only, seats


def seat_names(seats) -> set[tuple[str, str]]:
    return {(s.body.name, s.name) for s in seats}


def term_seats(terms) -> set[tuple[str, str]]:
    return {(t.seat.body.name, t.seat.name) for t in terms}


def test_openings_leave_out_dissolved_bodies_and_bodies_the_member_may_not_see(personas, three_bodies):
    member = personas.user("member_a")
    assert seat_names(selectors.vacant_seats(member, TODAY)) == {("Active Commission", "Vacant")}
    assert term_seats(selectors.ending_terms(member, TODAY)) == {("Active Commission", "Ending")}
    assert term_seats(selectors.holdover_terms(member, TODAY)) == {("Active Commission", "Holdover")}


def test_staff_see_openings_of_staff_only_bodies_but_not_of_dissolved_ones(personas, three_bodies):
    staff = personas.user("staff")
    assert seat_names(selectors.vacant_seats(staff, TODAY)) == {("Active Commission", "Vacant"),
                                                                ("Quiet Task Force", "Vacant")}
    assert term_seats(selectors.ending_terms(staff, TODAY)) == {("Active Commission", "Ending"),
                                                               ("Quiet Task Force", "Ending")}
    assert term_seats(selectors.holdover_terms(staff, TODAY)) == {("Active Commission", "Holdover"),
                                                                 ("Quiet Task Force", "Holdover")}


def test_members_only_bodies_are_not_opened_to_anonymous_visitors(personas):
    members_only = PublicBodyFactory(visibility=Visibility.MEMBERS)
    openings(members_only)
    assert not selectors.vacant_seats(None, TODAY).exists()
    assert not selectors.ending_terms(None, TODAY).exists()
    assert selectors.vacant_seats(personas.user("member_b"), TODAY).count() == 1


def test_vacant_seats_come_by_deadline_and_upcoming_terms_do_not_fill_them(personas):
    body = PublicBodyFactory()
    later = SeatFactory(body=body, name="Later", deadline_kind="hard_date", deadline_on=TODAY + 40 * DAY)
    sooner = SeatFactory(body=body, name="Sooner", deadline_kind="review_begins", deadline_on=TODAY + 5 * DAY)
    TermFactory(seat=sooner, starts_on=TODAY + DAY, ends_on=TODAY + 900 * DAY)  # appointed, starts tomorrow
    held_seat(body, name="Held")
    assert list(selectors.vacant_seats(personas.user("member_a"), TODAY)) == [sooner, later]
    assert list(selectors.vacant_seats(personas.user("member_a"), TODAY + DAY)) == [later]


def test_ending_terms_are_those_held_today_that_end_within_the_window_soonest_first(personas):
    body = PublicBodyFactory()
    in_60 = held_seat(body, ends_in=60, name="In 60")
    in_10 = held_seat(body, ends_in=10, name="In 10")
    held_seat(body, ends_in=200, name="In 200")
    resigned = SeatFactory(body=body, name="Resigned")
    TermFactory(seat=resigned, starts_on=TODAY - 300 * DAY, ends_on=TODAY + 20 * DAY, left_on=TODAY - DAY)
    member = personas.user("member_a")
    assert [t.seat for t in selectors.ending_terms(member, TODAY)] == [in_10, in_60]
    assert [t.seat for t in selectors.ending_terms(member, TODAY, days=30)] == [in_10]


def test_openings_narrow_to_a_jurisdiction_and_a_topic(personas):
    county = PlaceFactory(slug="hennepin-county", name="Hennepin County")
    transit = topic("transit", "Transit")
    county_body = PublicBodyFactory(name="County Transit Board", jurisdiction=county, topics=[transit])
    city_body = PublicBodyFactory(name="City Housing Board")
    vacant_seat(county_body, name="County vacant")
    vacant_seat(city_body, name="City vacant")
    member = personas.user("member_a")
    assert seat_names(selectors.vacant_seats(member, TODAY, jurisdiction=county)) == {
        ("County Transit Board", "County vacant")}
    assert seat_names(selectors.vacant_seats(member, TODAY, topic=transit)) == {
        ("County Transit Board", "County vacant")}


# --- representation roll-up ----------------------------------------------------------------------------------------


def consent(person, *, purpose=ConsentPurpose.DEMOGRAPHICS, **when) -> ConsentRecord:
    return ConsentRecord.objects.create(person=person, purpose=purpose, text_version="2026-01", **when)


def seated_leader(body, identification: str = SelfIdentification.UNSTATED, *, consents: bool = True,
                  ends_in: int = 400):
    """A coalition leader holding a seat of `body` today, who identifies as given and (by default)
    consents to being counted in aggregate figures."""
    leader = LeaderFactory(self_identification=identification)
    if consents:
        consent(leader.person)
    held_seat(body, ends_in=ends_in, holder_person=leader.person)
    return leader


@pytest.fixture
def places(db):
    return PlaceFactory(slug="minneapolis", name="Minneapolis"), PlaceFactory(slug="saint-paul", name="Saint Paul")


def test_the_rollup_counts_seats_holders_and_openings_by_topic_and_jurisdiction(personas, places):
    minneapolis, saint_paul = places
    housing, transit, climate = topic("housing", "Housing"), topic("transit", "Transit"), topic("climate", "Climate")
    planning = PublicBodyFactory(name="Planning", jurisdiction=minneapolis, topics=[housing, transit])
    seated_leader(planning)
    held_seat(planning, ends_in=30)
    SeatFactory(body=planning)
    rent = PublicBodyFactory(name="Rent board", jurisdiction=saint_paul, topics=[housing])
    seated_leader(rent, ends_in=-20)  # serving on past the end: held, not ending
    SeatFactory(body=rent)
    climate_panel = PublicBodyFactory(name="Climate panel", jurisdiction=saint_paul, topics=[climate])
    SeatFactory(body=climate_panel)
    dissolved = PublicBodyFactory(name="Old board", jurisdiction=minneapolis, topics=[housing])
    seated_leader(dissolved)
    services.body_dissolve(body=dissolved, actor=None, on=TODAY - DAY)
    quiet = PublicBodyFactory(name="Quiet", jurisdiction=minneapolis, topics=[housing], visibility=Visibility.STAFF)
    held_seat(quiet)

    result = selectors.rollup(personas.user("member_a"), TODAY)

    def figures(row):
        return (row.bodies, row.seats, row.held, row.vacant, row.ending_soon, row.by_leaders, row.leader_people)

    assert result.day == TODAY
    assert [(r.key, r.label) for r in result.by_jurisdiction] == [("place:minneapolis", "Minneapolis"),
                                                                   ("place:saint-paul", "Saint Paul")]
    assert [figures(r) for r in result.by_jurisdiction] == [(1, 3, 2, 1, 1, 1, 1), (2, 3, 1, 2, 0, 1, 1)]
    assert [r.label for r in result.by_topic] == [climate.name, housing.name, transit.name]
    assert [figures(r) for r in result.by_topic] == [(1, 1, 0, 1, 0, 0, 0), (2, 5, 3, 2, 1, 2, 2),
                                                     (1, 3, 2, 1, 1, 1, 1)]
    assert [r.climate_mobility for r in result.by_topic] == [True, False, True]
    assert figures(result.climate_mobility) == (2, 4, 2, 2, 1, 1, 1)
    assert figures(result.total) == (3, 6, 3, 3, 1, 2, 2)

    staff_total = selectors.rollup(personas.user("staff"), TODAY).total
    assert (staff_total.bodies, staff_total.seats, staff_total.held) == (4, 7, 4)


def test_the_climate_and_mobility_line_is_empty_when_no_body_works_on_them(personas, places):
    body = PublicBodyFactory(jurisdiction=places[0], topics=[topic("housing", "Housing")])
    held_seat(body)
    result = selectors.rollup(personas.user("member_a"), TODAY)
    assert (result.climate_mobility.seats, result.climate_mobility.bodies) == (0, 0)
    assert result.total.seats == 1


@pytest.fixture
def transit_board(places):
    return PublicBodyFactory(name="Transit board", jurisdiction=places[0], topics=[topic("transit", "Transit")])


def bipoc_cells(result) -> set[Cell]:
    """The BIPOC figure of every line (all lines hold the same people in these tests)."""
    rows = [*result.by_topic, *result.by_jurisdiction, result.climate_mobility, result.total]
    return {row.bipoc for row in rows}


def test_bipoc_leaders_are_counted_only_with_self_identification_and_active_consent(personas, transit_board):
    for _ in range(6):
        seated_leader(transit_board, SelfIdentification.BIPOC)
    for _ in range(3):
        seated_leader(transit_board, SelfIdentification.NOT_BIPOC)
    seated_leader(transit_board, SelfIdentification.BIPOC, consents=False)
    other_purpose = seated_leader(transit_board, SelfIdentification.BIPOC, consents=False)
    consent(other_purpose.person, purpose=ConsentPurpose.STORY_USE)
    expired = seated_leader(transit_board, SelfIdentification.BIPOC, consents=False)
    consent(expired.person, expires_at=timezone.now() - DAY)
    seated_leader(transit_board, SelfIdentification.UNSTATED)

    result = selectors.rollup(personas.user("member_a"), TODAY)

    assert result.total.leader_people == 13
    assert bipoc_cells(result) == {Cell(6)}


def test_withdrawing_consent_stops_a_leader_being_counted_at_once(personas, transit_board):
    bipoc = [seated_leader(transit_board, SelfIdentification.BIPOC) for _ in range(7)]
    for _ in range(5):
        seated_leader(transit_board, SelfIdentification.NOT_BIPOC)
    assert bipoc_cells(selectors.rollup(personas.user("member_a"), TODAY)) == {Cell(7)}

    ConsentRecord.objects.filter(person=bipoc[0].person).update(withdrawn_at=timezone.now() - dt.timedelta(seconds=1))

    result = selectors.rollup(personas.user("member_a"), TODAY)
    assert bipoc_cells(result) == {Cell(6)}
    assert result.total.leader_people == 12


def test_a_bipoc_figure_under_five_people_is_hidden(personas, transit_board):
    for _ in range(4):
        seated_leader(transit_board, SelfIdentification.BIPOC)
    for _ in range(6):
        seated_leader(transit_board, SelfIdentification.NOT_BIPOC)
    result = selectors.rollup(personas.user("member_a"), TODAY)
    assert bipoc_cells(result) == {Cell(None, True, SMALL)}
    assert str(result.total.bipoc) == "—"


def test_a_bipoc_figure_is_hidden_when_the_other_leaders_are_under_five(personas, transit_board):
    """Six BIPOC leaders of eight: showing 6 beside the 8 leaders would give away the 2 others."""
    for _ in range(6):
        seated_leader(transit_board, SelfIdentification.BIPOC)
    for _ in range(2):
        seated_leader(transit_board, SelfIdentification.NOT_BIPOC)
    result = selectors.rollup(personas.user("member_a"), TODAY)
    assert result.total.leader_people == 8
    assert bipoc_cells(result) == {Cell(None, True, COMPLEMENTARY)}


def test_a_bipoc_figure_with_five_or_more_on_both_sides_is_shown(personas, transit_board):
    for _ in range(5):
        seated_leader(transit_board, SelfIdentification.BIPOC)
    for _ in range(5):
        seated_leader(transit_board, SelfIdentification.NOT_BIPOC)
    assert bipoc_cells(selectors.rollup(personas.user("member_a"), TODAY)) == {Cell(5)}


def test_a_hidden_bipoc_figure_of_a_place_cannot_be_worked_out_from_the_total_and_the_other_places(
        personas, places):
    """The places split the total: with the total shown, one place's hidden figure is the total
    less the others, unless a second place is hidden with it (or the total is). Here the one body
    in Saint Paul is also the only housing body, so its small figure is hidden twice over (as a
    place and as a topic) and nothing else need be hidden in the column of BIPOC figures."""
    minneapolis, saint_paul = places
    city = PublicBodyFactory(name="Minneapolis board", jurisdiction=minneapolis)
    for _ in range(5):
        seated_leader(city, SelfIdentification.BIPOC)
    for _ in range(5):
        seated_leader(city, SelfIdentification.NOT_BIPOC)
    housing = PublicBodyFactory(name="Saint Paul housing board", jurisdiction=saint_paul,
                                topics=[topic("housing", "Housing")])
    for _ in range(3):
        seated_leader(housing, SelfIdentification.BIPOC)
    for _ in range(5):
        seated_leader(housing, SelfIdentification.NOT_BIPOC)

    result = selectors.rollup(personas.user("member_a"), TODAY)

    hidden_places = [row.key for row in result.by_jurisdiction if row.bipoc.suppressed]
    assert hidden_places, "Saint Paul's 3 must be hidden"
    assert result.total.bipoc.suppressed or len(hidden_places) != 1, (
        f"total {result.total.bipoc}, places {[(r.key, str(r.bipoc)) for r in result.by_jurisdiction]}")


def test_a_line_whose_leaders_are_all_bipoc_is_hidden_however_many_they_are(personas, places):
    """Five climate leaders, all BIPOC: "5 of 5" says it of each of them, and then of the places
    whose only leaders they are."""
    minneapolis, saint_paul = places
    climate_body = PublicBodyFactory(name="Climate commission", jurisdiction=minneapolis,
                                     topics=[topic("climate", "Climate")])
    for _ in range(5):
        seated_leader(climate_body, SelfIdentification.BIPOC)
    housing = PublicBodyFactory(name="Housing board", jurisdiction=saint_paul, topics=[topic("housing", "Housing")])
    seated_leader(housing, SelfIdentification.BIPOC)
    for _ in range(5):
        seated_leader(housing, SelfIdentification.NOT_BIPOC)

    result = selectors.rollup(personas.user("member_a"), TODAY)

    assert result.climate_mobility.leader_people == 5
    assert result.climate_mobility.bipoc == Cell(None, True, DISCLOSIVE)
    lines = {row.key: row.bipoc for row in [*result.by_topic, *result.by_jurisdiction]}
    assert lines["topic:climate"].suppressed and lines["place:minneapolis"].suppressed
    assert (result.total.leader_people, result.total.bipoc) == (11, Cell(6))  # 6 of 11: safe alone


def test_a_line_inside_another_is_hidden_when_their_difference_would_give_people_away(personas, places):
    """Sixteen leaders in one city, six BIPOC; ten of them on a climate body, five BIPOC. Both
    figures are safe alone, but the city's less the climate line's leaves 1 BIPOC leader of 6."""
    minneapolis, _saint_paul = places
    climate_body = PublicBodyFactory(name="Climate commission", jurisdiction=minneapolis,
                                     topics=[topic("climate", "Climate")])
    for identification in [SelfIdentification.BIPOC] * 5 + [SelfIdentification.NOT_BIPOC] * 5:
        seated_leader(climate_body, identification)
    housing = PublicBodyFactory(name="Housing board", jurisdiction=minneapolis, topics=[topic("housing", "Housing")])
    for identification in [SelfIdentification.BIPOC] + [SelfIdentification.NOT_BIPOC] * 5:
        seated_leader(housing, identification)

    result = selectors.rollup(personas.user("member_a"), TODAY)

    assert result.total.bipoc == Cell(6)
    assert result.climate_mobility.leader_people == 10
    assert result.climate_mobility.bipoc == Cell(None, True, DISCLOSIVE)
    assert all(row.bipoc.suppressed for row in result.by_topic)
    minneapolis_row = next(row for row in result.by_jurisdiction if row.key == "place:minneapolis")
    assert minneapolis_row.bipoc == Cell(6)  # the same people as the total: nothing to subtract


def test_places_that_split_the_total_are_not_subtracted_to_a_small_rest(personas):
    """Three places of ten leaders (five BIPOC each) and one more place with two BIPOC leaders of
    three: its figure is hidden, and a hidden partner place alone would still leave the two hidden
    places' sum (7 of 13), so the total less the shown places must never come to a small rest."""
    bodies = []
    for i in range(3):
        body = PublicBodyFactory(name=f"Board {i}", jurisdiction=PlaceFactory(slug=f"city-{i}", name=f"City {i}"))
        for identification in [SelfIdentification.BIPOC] * 5 + [SelfIdentification.NOT_BIPOC] * 5:
            seated_leader(body, identification)
        bodies.append(body)
    small = PublicBodyFactory(name="Small board", jurisdiction=PlaceFactory(slug="town", name="Town"))
    for identification in [SelfIdentification.BIPOC] * 2 + [SelfIdentification.NOT_BIPOC]:
        seated_leader(small, identification)

    result = selectors.rollup(personas.user("member_a"), TODAY)

    assert result.total.bipoc == Cell(17)
    shown = [row for row in result.by_jurisdiction if not row.bipoc.suppressed]
    rest_bipoc = 17 - sum(row.bipoc.value for row in shown)
    rest_other = (33 - 17) - sum(row.leader_people - row.bipoc.value for row in shown)
    assert rest_bipoc == 0 or (rest_bipoc >= 5 and rest_other >= 5), [(r.key, str(r.bipoc)) for r in result.by_jurisdiction]


def test_a_leader_holding_two_seats_is_one_person_behind_the_figure(personas, transit_board):
    leaders = [seated_leader(transit_board, SelfIdentification.BIPOC) for _ in range(5)]
    for _ in range(5):
        seated_leader(transit_board, SelfIdentification.NOT_BIPOC)
    held_seat(transit_board, holder_person=leaders[0].person)
    result = selectors.rollup(personas.user("member_a"), TODAY)
    assert (result.total.by_leaders, result.total.leader_people) == (11, 10)
    assert bipoc_cells(result) == {Cell(5)}


def test_leaders_whose_terms_ended_are_not_counted(personas, transit_board):
    for _ in range(5):
        seated_leader(transit_board, SelfIdentification.BIPOC)
    for _ in range(5):
        seated_leader(transit_board, SelfIdentification.NOT_BIPOC)
    gone = LeaderFactory(self_identification=SelfIdentification.BIPOC)
    consent(gone.person)
    seat = SeatFactory(body=transit_board, holdover_allowed=False)
    TermFactory(seat=seat, holder_person=gone.person, holder_name="", starts_on=TODAY - 900 * DAY,
                ends_on=TODAY - DAY)
    result = selectors.rollup(personas.user("member_a"), TODAY)
    assert result.total.leader_people == 10
    assert bipoc_cells(result) == {Cell(5)}


def test_a_rollup_with_no_leaders_shows_zero_not_a_hidden_figure(personas, transit_board):
    held_seat(transit_board)
    result = selectors.rollup(personas.user("member_a"), TODAY)
    assert result.total.bipoc == Cell(0)
    assert (result.total.by_leaders, result.total.leader_people) == (0, 0)


def test_consenting_people_are_those_with_an_active_demographics_consent():
    now = timezone.now()
    active, withdrawn, withdraws_later, expired, expires_later, not_yet, other_purpose, again, none = (
        PersonFactory() for _ in range(9))
    consent(active)
    consent(withdrawn, withdrawn_at=now - DAY)
    consent(withdraws_later, withdrawn_at=now + DAY)
    consent(expired, expires_at=now - DAY)
    consent(expires_later, expires_at=now + DAY)
    consent(not_yet, given_at=now + DAY)
    consent(other_purpose, purpose=ConsentPurpose.PHOTO)
    consent(again, given_at=now - 10 * DAY, withdrawn_at=now - 5 * DAY)
    consent(again, given_at=now - 2 * DAY)

    everyone = [p.pk for p in (active, withdrawn, withdraws_later, expired, expires_later, not_yet, other_purpose,
                               again, none)]
    assert selectors.consenting_person_ids(everyone) == {active.pk, withdraws_later.pk, expires_later.pk, again.pk}
    assert selectors.consenting_person_ids([withdrawn.pk, active.pk]) == {active.pk}
    assert selectors.consenting_person_ids([]) == set()
    # a query of people is asked as a subquery, with the same answer
    assert selectors.consenting_person_ids(Person.objects.filter(pk__in=everyone).values("pk")) == {
        active.pk, withdraws_later.pk, expires_later.pk, again.pk}


# --- a leader's path -------------------------------------------------------------------------------------------------


def test_a_leaders_path_runs_from_interest_to_seat_oldest_first():
    leader = LeaderFactory(interested_since=D(2025, 1, 10))
    seat = SeatFactory(name="Renter seat")
    other_seat = SeatFactory(name="At-large seat")
    services.support_add(actor=None, leader=leader, kind=SupportKind.CHECK_IN, on=D(2026, 5, 1),
                         notes="First month")
    services.training_add(actor=None, leader=leader, name="Public testimony", attended_on=D(2025, 3, 1))
    nomination = services.nomination_create(actor=None, leader=leader, seat=seat, nominated_on=D(2025, 9, 1))
    services.nomination_create(actor=None, leader=leader, seat=other_seat, nominated_on=D(2025, 3, 1))
    services.nomination_decide(actor=None, nomination=nomination, outcome=NominationOutcome.APPOINTED,
                               on=D(2025, 11, 1))
    services.training_add(actor=None, leader=leader, name="Reading a budget", attended_on=D(2025, 11, 1))

    path = selectors.leader_path(leader)

    assert [(step.on, step.kind) for step in path] == [
        (D(2025, 1, 10), "interest"),
        (D(2025, 3, 1), "training"),
        (D(2025, 3, 1), "nomination"),
        (D(2025, 9, 1), "nomination"),
        (D(2025, 11, 1), "training"),
        (D(2025, 11, 1), "outcome"),
        (D(2025, 11, 1), "term"),
        (D(2026, 5, 1), "support"),
    ]
    assert path[1].title == "Public testimony"
    assert path[2].title == str(other_seat)
    assert path[5].title == "Appointed"
    nomination.refresh_from_db()
    assert path[6].obj == nomination.term


def test_a_leaders_path_leaves_out_other_leaders_steps():
    leader, other = LeaderFactory(interested_since=None), LeaderFactory()
    services.training_add(actor=None, leader=other, name="How boards work", attended_on=D(2025, 3, 1))
    NominationFactory(leader=other)
    TermFactory(holder_person=other.person, holder_name="")
    assert selectors.leader_path(leader) == []


# --- meetings ----------------------------------------------------------------------------------------------------------


def meeting_body(**fields):
    values = {"meeting_starts_at": dt.time(18), "meeting_ends_at": dt.time(20), "time_zone": "America/Chicago",
              **fields}
    return PublicBodyFactory(**values)


def dates(occurrences) -> list[dt.date]:
    return [o.on for o in occurrences]


def test_a_weekly_schedule_gives_every_other_monday_in_the_window():
    body = meeting_body(meeting_frequency="weekly", meeting_interval=2, meeting_weekdays="0",
                        first_meeting_on=D(2026, 1, 5))
    found = selectors.meeting_occurrences(body, D(2026, 1, 1), D(2026, 2, 28))
    assert dates(found) == [D(2026, 1, 5), D(2026, 1, 19), D(2026, 2, 2), D(2026, 2, 16)]
    first = found[0]
    assert first.uid == f"body-{body.public_id}@commontable-20260105"
    assert (first.at, first.zone) == (dt.time(18), "America/Chicago")
    assert first.starts_at == dt.datetime(2026, 1, 6, 0, 0, tzinfo=dt.UTC)  # 6 pm CST


def test_a_monthly_schedule_gives_the_first_and_third_tuesdays():
    body = meeting_body(meeting_frequency="monthly", meeting_weekdays="1", meeting_nth="1,3",
                        first_meeting_on=D(2026, 1, 6))
    found = selectors.meeting_occurrences(body, D(2026, 1, 1), D(2026, 3, 31))
    assert dates(found) == [D(2026, 1, 6), D(2026, 1, 20), D(2026, 2, 3), D(2026, 2, 17), D(2026, 3, 3),
                            D(2026, 3, 17)]


def test_a_monthly_schedule_on_the_last_thursday():
    body = meeting_body(meeting_frequency="monthly", meeting_weekdays="3", meeting_nth="-1",
                        first_meeting_on=D(2026, 1, 1))
    found = selectors.meeting_occurrences(body, D(2026, 1, 1), D(2026, 4, 30))
    assert dates(found) == [D(2026, 1, 29), D(2026, 2, 26), D(2026, 3, 26), D(2026, 4, 30)]


def test_no_meeting_comes_before_the_first_one():
    body = meeting_body(meeting_frequency="weekly", meeting_weekdays="0", first_meeting_on=D(2026, 2, 2))
    assert dates(selectors.meeting_occurrences(body, D(2026, 1, 1), D(2026, 2, 10))) == [D(2026, 2, 2), D(2026, 2, 9)]


def test_a_dissolved_body_stops_meeting_the_day_it_was_dissolved():
    body = meeting_body(meeting_frequency="weekly", meeting_weekdays="2", first_meeting_on=D(2026, 1, 7),
                        dissolved_on=D(2026, 1, 21))
    found = selectors.meeting_occurrences(body, D(2026, 1, 1), D(2026, 3, 31))
    assert dates(found) == [D(2026, 1, 7), D(2026, 1, 14), D(2026, 1, 21)]


def test_a_meeting_time_that_does_not_exist_when_clocks_spring_forward_is_skipped():
    body = meeting_body(meeting_frequency="weekly", meeting_weekdays="6", first_meeting_on=D(2026, 3, 1),
                        meeting_starts_at=dt.time(2, 30), meeting_ends_at=dt.time(3, 30))
    found = selectors.meeting_occurrences(body, D(2026, 3, 1), D(2026, 3, 22))
    assert dates(found) == [D(2026, 3, 1), D(2026, 3, 15), D(2026, 3, 22)]


def test_a_body_with_one_meeting_date_and_no_schedule_has_that_one_meeting():
    body = meeting_body(first_meeting_on=D(2026, 2, 10))
    assert dates(selectors.meeting_occurrences(body, D(2026, 1, 1), D(2026, 12, 31))) == [D(2026, 2, 10)]
    assert selectors.meeting_occurrences(body, D(2026, 3, 1), D(2026, 12, 31)) == []


def test_a_body_without_a_first_meeting_or_with_a_broken_rule_has_no_meetings():
    assert selectors.meeting_occurrences(meeting_body(meeting_frequency="weekly", meeting_weekdays="0"),
                                         D(2026, 1, 1), D(2026, 12, 31)) == []
    broken = meeting_body(meeting_frequency="weekly", meeting_weekdays="9", first_meeting_on=D(2026, 1, 5))
    assert selectors.meeting_occurrences(broken, D(2026, 1, 1), D(2026, 12, 31)) == []


def test_meetings_of_several_bodies_come_in_time_order():
    early = meeting_body(name="Early", meeting_frequency="weekly", meeting_weekdays="0",
                         first_meeting_on=D(2026, 1, 5), meeting_starts_at=dt.time(9), meeting_ends_at=dt.time(10))
    late = meeting_body(name="Late", meeting_frequency="weekly", meeting_weekdays="0", first_meeting_on=D(2026, 1, 5))
    found = selectors.meetings_of([late, early], D(2026, 1, 5), D(2026, 1, 12))
    assert [(m.body.name, m.occurrence.on) for m in found] == [
        ("Early", D(2026, 1, 5)), ("Late", D(2026, 1, 5)), ("Early", D(2026, 1, 12)), ("Late", D(2026, 1, 12))]


def test_a_leaders_own_page_leaves_out_bodies_kept_to_staff(personas):
    """Staff nominate a leader to a seat of a body kept to staff while a campaign is planned: the
    leader's own path (and anyone's but staff) does not show it until the body is opened."""
    leader = LeaderFactory(person=personas.person_a, interested_since=None)
    hidden = PublicBodyFactory(name="Campaign target", visibility=Visibility.STAFF)
    seat = SeatFactory(body=hidden, name="Secret seat")
    services.nomination_create(actor=None, leader=leader, seat=seat, nominated_on=D(2025, 9, 1))
    TermFactory(seat=SeatFactory(body=hidden), holder_person=leader.person, holder_name="")

    assert selectors.leader_path(leader, personas.user("member_a")) == []
    assert selectors.leader_terms(leader, personas.user("member_a")) == []
    assert [step.kind for step in selectors.leader_path(leader, personas.user("staff"))] == ["nomination", "term"]
    services.body_update(body=hidden, actor=None, visibility=Visibility.MEMBERS)
    assert [step.kind for step in selectors.leader_path(leader, personas.user("member_a"))] == ["nomination", "term"]
