"""The seats' latest-term columns (`Seat.last_*`) against the terms themselves: openings and body
summaries read from the columns must say what the terms say, on any day, whatever the history
(future terms, holdovers, resignations, ex officio seats)."""

import datetime as dt
import random

import pytest

from commontable.directory.tests.factories import PersonFactory
from commontable.seats import selectors, services
from commontable.seats.choices import SeatState
from commontable.seats.models import Leader, PublicBody, Seat
from commontable.seats.tests.factories import (
    LeaderFactory,
    PlaceFactory,
    PublicBodyFactory,
    SeatFactory,
    TermFactory,
)

D = dt.date


def _history(seat, rng: random.Random, start: D, people=()) -> None:
    """Up to four terms, back to back or with gaps, some open-ended, some left early; held by
    someone from `people` (directory persons) or by a named outsider."""
    day = start
    for _ in range(rng.randint(0, 4)):
        day += dt.timedelta(days=rng.choice([0, 1, 30, 200]))
        length = rng.choice([90, 365, 700, None])
        ends_on = None if length is None else day + dt.timedelta(days=length)
        left_on = None
        if ends_on is not None and rng.random() < 0.3:
            left_on = day + dt.timedelta(days=rng.randint(0, length + 60))
        holder = rng.choice([None, *people]) if people else None
        TermFactory(seat=seat, starts_on=day, ends_on=ends_on, left_on=left_on, holder_person=holder,
                    holder_name="" if holder else "Someone")
        if ends_on is None and left_on is None:
            return  # open-ended: nothing can follow it
        day = (left_on or ends_on) + dt.timedelta(days=1)


@pytest.mark.parametrize("seed", range(4))
def test_openings_and_summaries_from_the_columns_match_the_terms(db, seed):
    rng = random.Random(seed)
    body = PublicBodyFactory()
    seats = [SeatFactory(body=body, holdover_allowed=rng.random() < 0.6) for _ in range(25)]
    leaders = [LeaderFactory().person for _ in range(3)]
    people = [*leaders, PersonFactory(), PersonFactory()]  # two who are not leaders
    for seat in seats:
        _history(seat, rng, D(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 700)), people)
    for today in (D(2024, 6, 1), D(2025, 3, 1), D(2026, 1, 15), D(2027, 6, 1)):
        rows = selectors.seat_rows(list(Seat.objects.filter(body=body)), today)
        # A body's page reads only the current terms, through the columns: the same states and holders.
        current_only = selectors.seat_rows(list(Seat.objects.filter(body=body)), today, history=False)
        assert [(r.seat, r.state, r.current) for r in current_only] == [(r.seat, r.state, r.current) for r in rows]
        assert all(r.history == [] for r in current_only)
        vacant = {r.seat.pk for r in rows if r.state == SeatState.VACANT}
        holdover = {r.current.pk for r in rows if r.state == SeatState.HOLDOVER}
        ending = {r.current.pk for r in rows if r.state == SeatState.HELD and r.current.ends_on
                  and today <= r.current.ends_on <= today + dt.timedelta(days=selectors.ENDING_DAYS)}
        assert {s.pk for s in selectors.vacant_seats(None, today)} == vacant, today
        assert {t.pk for t in selectors.holdover_terms(None, today)} == holdover, today
        assert {t.pk for t in selectors.ending_terms(None, today)} == ending, today
        summary = selectors.body_summaries([body.pk], today)[body.pk]
        assert (summary.seats, summary.vacant, summary.ending_soon) == (25, len(vacant), len(ending)), today
        assert selectors.body_summaries(None, today)[body.pk] == summary
        # The roll-up's leaders in their seats, from the columns: the current holders who lead.
        held_by_leaders = sorted((body.pk, r.current.holder_person_id) for r in rows
                                 if r.current is not None and r.current.holder_person in leaders)
        assert sorted(selectors.leader_holdings(today)) == held_by_leaders, today


def test_the_columns_follow_every_term_write(db):
    seat = SeatFactory()
    first = TermFactory(seat=seat, starts_on=D(2024, 1, 1), ends_on=D(2025, 12, 31))
    seat.refresh_from_db()
    assert (seat.last_term, seat.last_start, seat.last_ends_on, seat.last_until) == (first, D(2024, 1, 1),
                                                                                    D(2025, 12, 31), None)
    later = TermFactory(seat=seat, starts_on=D(2026, 3, 1), ends_on=D(2028, 2, 28))
    seat.refresh_from_db()
    assert seat.last_term == later and seat.last_until is None
    services.term_delete(term=later, actor=None)
    seat.refresh_from_db()
    assert seat.last_term == first
    services.seat_update(seat=seat, actor=None, holdover_allowed=False)
    seat.refresh_from_db()
    assert seat.last_until == D(2025, 12, 31)
    services.term_delete(term=first, actor=None)
    seat.refresh_from_db()
    assert (seat.last_term, seat.last_start, seat.last_ends_on, seat.last_until) == (None, None, None, None)


def test_the_latest_holder_follows_the_terms_and_the_directory(db):
    seat = SeatFactory()
    ada, bo = PersonFactory(), PersonFactory()
    first = TermFactory(seat=seat, starts_on=D(2024, 1, 1), ends_on=D(2025, 12, 31), holder_person=ada,
                        holder_name="Ada")  # a name too: the term outlives the person's record
    seat.refresh_from_db()
    assert seat.last_holder_person == ada
    later = TermFactory(seat=seat, starts_on=D(2026, 1, 1), ends_on=D(2028, 12, 31), holder_name="An outsider")
    seat.refresh_from_db()
    assert seat.last_holder_person is None  # the latest term's holder is not in the directory
    services.term_update(term=later, actor=None, holder_person=bo, holder_name="")
    seat.refresh_from_db()
    assert seat.last_holder_person == bo
    services.term_delete(term=later, actor=None)
    seat.refresh_from_db()
    assert (seat.last_term, seat.last_holder_person) == (first, ada)
    ada.delete()  # gone from the directory: the term keeps no holder, nor does the seat
    seat.refresh_from_db()
    assert seat.last_holder_person is None


def test_the_migration_fills_the_latest_holder_from_the_terms(db):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("commontable.seats.migrations.0003_seat_last_holder_person")
    held = SeatFactory()
    person = PersonFactory()
    TermFactory(seat=held, starts_on=D(2024, 1, 1), holder_person=person, holder_name="")
    outsider, empty = SeatFactory(), SeatFactory()
    TermFactory(seat=outsider, starts_on=D(2024, 1, 1), holder_name="Someone")
    Seat.objects.update(last_holder_person=None)
    migration.fill_holder(apps, None)
    assert dict(Seat.objects.filter(pk__in=[held.pk, outsider.pk, empty.pk])
                .values_list("pk", "last_holder_person")) == {held.pk: person.pk, outsider.pk: None, empty.pk: None}


def _reference_rollup(user, today: D) -> dict[str, tuple]:
    """The roll-up's figures counted the slow way: every seat's state read from all its terms."""
    from collections import defaultdict

    from commontable.seats.permissions import visible_bodies

    leaders = set(Leader.objects.values_list("person_id", flat=True))
    lines: dict = defaultdict(lambda: [0, 0, 0, 0, 0, set()])  # bodies, seats, held, ending, by leaders, people
    for body in visible_bodies(user).filter(dissolved_on__isnull=True).prefetch_related("topics"):
        keys = [f"place:{body.jurisdiction.slug}", *(f"topic:{t.slug}" for t in body.topics.all()), "total"]
        if any(t.slug in selectors.CLIMATE_MOBILITY_TOPICS for t in body.topics.all()):
            keys.append("climate_mobility")
        rows = selectors.seat_rows(list(Seat.objects.filter(body=body)), today)
        held = [r for r in rows if r.state in (SeatState.HELD, SeatState.HOLDOVER)]
        ending = [r for r in held if r.current.ends_on
                  and today <= r.current.ends_on <= today + dt.timedelta(days=selectors.ENDING_DAYS)]
        by_leaders = [r.current.holder_person_id for r in held if r.current.holder_person_id in leaders]
        for key in keys:
            line = lines[key]
            line[0] += 1
            line[1] += len(rows)
            line[2] += len(held)
            line[3] += len(ending)
            line[4] += len(by_leaders)
            line[5].update(by_leaders)
    return {key: (n, seats, held, seats - held, ending, by, len(people))
            for key, (n, seats, held, ending, by, people) in lines.items()}


@pytest.mark.parametrize("seed", range(3))
def test_the_rollup_from_the_columns_matches_every_seats_terms(personas, seed):
    from django.core.cache import cache

    from commontable.core.models import IssueTopic
    from commontable.core.visibility import Visibility

    rng = random.Random(seed)
    places = [PlaceFactory(slug=f"place-{n}", name=f"Place {n}") for n in range(3)]
    topics = [IssueTopic.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0]
              for slug in ("housing", "transit", "climate", "health")]
    leaders = [LeaderFactory().person for _ in range(4)]
    people = [*leaders, PersonFactory()]
    for n in range(8):
        body = PublicBodyFactory(jurisdiction=rng.choice(places), topics=rng.sample(topics, rng.randint(0, 3)),
                                 visibility=rng.choice([Visibility.PUBLIC, Visibility.MEMBERS, Visibility.STAFF]))
        for _ in range(rng.randint(0, 4)):
            seat = SeatFactory(body=body, holdover_allowed=rng.random() < 0.6)
            _history(seat, rng, D(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 700)), people)
        if n == 7:  # dissolved once its history was recorded (no term may start after that)
            PublicBody.objects.filter(pk=body.pk).update(dissolved_on=D(2025, 6, 1))
    for today in (D(2024, 6, 1), D(2025, 3, 1), D(2026, 1, 15), D(2027, 6, 1)):
        for who in ("member_a", "staff"):
            cache.clear()
            user = personas.user(who)
            result = selectors.rollup(user, today)
            found = {row.key: (row.bodies, row.seats, row.held, row.vacant, row.ending_soon, row.by_leaders,
                               row.leader_people)
                     for row in (*result.by_jurisdiction, *result.by_topic, result.climate_mobility, result.total)
                     if row.bodies}
            assert found == _reference_rollup(user, today), (today, who)
