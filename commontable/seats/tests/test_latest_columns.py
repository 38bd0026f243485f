"""The seats' latest-term columns (`Seat.last_*`) against the terms themselves: openings and body
summaries read from the columns must say what the terms say, on any day, whatever the history
(future terms, holdovers, resignations, ex officio seats)."""

import datetime as dt
import random

import pytest

from commontable.seats import selectors, services
from commontable.seats.choices import SeatState
from commontable.seats.models import Seat
from commontable.seats.tests.factories import PublicBodyFactory, SeatFactory, TermFactory

D = dt.date


def _history(seat, rng: random.Random, start: D) -> None:
    day = start
    for _ in range(rng.randint(0, 4)):
        day += dt.timedelta(days=rng.choice([0, 1, 30, 200]))
        length = rng.choice([90, 365, 700, None])
        ends_on = None if length is None else day + dt.timedelta(days=length)
        left_on = None
        if ends_on is not None and rng.random() < 0.3:
            left_on = day + dt.timedelta(days=rng.randint(0, length + 60))
        TermFactory(seat=seat, starts_on=day, ends_on=ends_on, left_on=left_on)
        if ends_on is None and left_on is None:
            return  # open-ended: nothing can follow it
        day = (left_on or ends_on) + dt.timedelta(days=1)


@pytest.mark.parametrize("seed", range(4))
def test_openings_and_summaries_from_the_columns_match_the_terms(db, seed):
    rng = random.Random(seed)
    body = PublicBodyFactory()
    seats = [SeatFactory(body=body, holdover_allowed=rng.random() < 0.6) for _ in range(25)]
    for seat in seats:
        _history(seat, rng, D(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 700)))
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
