"""The rules of terms on a seat (`seats/terms.py`), checked against a brute-force model.

The model walks the calendar one day at a time: a term takes the seat on its first day; its holder
keeps it through the last day they are sure to serve (`left_on`, or `ends_on` when `left_on` is
unknown); after that, on a seat with holdover and while `left_on` is unknown, they keep it until
the next term starts; otherwise the seat falls vacant. Every rule of `terms.py` is compared with
what that walk says, on random histories of terms (gaps, resignations, holdovers served and
recorded, open-ended ex officio terms) and random days.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from commontable.seats import terms
from commontable.seats.choices import SeatState, TermStatus
from commontable.seats.terms import Span

DAY = dt.timedelta(days=1)
BASE = dt.date(2024, 1, 1)
VACANT, HELD, HOLDOVER = SeatState.VACANT, SeatState.HELD, SeatState.HOLDOVER


# --- random histories -------------------------------------------------------------------------------


@st.composite
def histories(draw, max_terms: int = 5) -> list[Span]:
    """Terms of one seat that never share a day they are sure to be served, in date order: gaps of
    any length (none at all, too), scheduled ends, resignations before the end, holdovers served
    and recorded after it, and open-ended terms (the last one may have no end at all)."""
    count = draw(st.integers(min_value=0, max_value=max_terms))
    cursor = BASE + draw(st.integers(min_value=-300, max_value=300)) * DAY
    spans: list[Span] = []
    for number in range(1, count + 1):
        start = cursor + draw(st.integers(min_value=0, max_value=40)) * DAY
        open_ended = draw(st.integers(min_value=0, max_value=5)) == 0
        length = draw(st.integers(min_value=0, max_value=200))
        ends_on = None if open_ended else start + length * DAY
        left_on = None
        if draw(st.booleans()):
            # Earlier than, on, or later than the scheduled end.
            left_on = start + draw(st.integers(min_value=0, max_value=length + 120)) * DAY
        span = Span(number, start, ends_on, left_on, f"Holder {number}")
        spans.append(span)
        last_sure = left_on if left_on is not None else ends_on
        if last_sure is None:
            break  # held with no end: nothing can follow it
        cursor = last_sure + DAY
    return spans


def shuffled(spans: list[Span]):
    return st.permutations(spans)


def sure_end(span: Span) -> dt.date | None:
    return span.left_on if span.left_on is not None else span.ends_on


def window(spans: list[Span]) -> tuple[dt.date, dt.date]:
    """Every day where something happens, with room on both sides."""
    days = [BASE] + [d for s in spans for d in (s.start, s.ends_on, s.left_on) if d is not None]
    return min(days) - 5 * DAY, max(days) + 40 * DAY


def days_between(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += DAY


# --- the brute-force model -----------------------------------------------------------------------------


def walk(spans: list[Span], holdover_allowed: bool, first: dt.date, last: dt.date) -> dict[dt.date, Span | None]:
    """Who holds the seat on each day from `first` to `last`, found by walking the calendar
    (`first` must be no later than the first term's start)."""
    starting = {span.start: span for span in spans}
    holder: Span | None = None
    held_by: dict[dt.date, Span | None] = {}
    for day in days_between(first, last):
        if day in starting:
            holder = starting[day]  # a new term takes the seat, replacing any holdover
        elif holder is not None:
            end = sure_end(holder)
            serving_on = holdover_allowed and holder.left_on is None
            if end is not None and day > end and not serving_on:
                holder = None
        held_by[day] = holder
    return held_by


def state_on(held_by: dict[dt.date, Span | None], day: dt.date) -> str:
    holder = held_by[day]
    if holder is None:
        return VACANT
    if holder.ends_on is not None and day > holder.ends_on:
        return HOLDOVER
    return HELD


def model_status(span: Span, held_by: dict[dt.date, Span | None], day: dt.date) -> str:
    if span.start > day:
        return TermStatus.UPCOMING
    if held_by[day] != span:
        return TermStatus.ENDED
    return TermStatus.HOLDOVER if state_on(held_by, day) == HOLDOVER else TermStatus.SERVING


def interesting_days(spans: list[Span]) -> set[dt.date]:
    """The days around every start, end and last day served, where the rules change their answer."""
    days = set()
    for span in spans:
        for anchor in (span.start, span.ends_on, span.left_on):
            if anchor is not None:
                days.update(anchor + offset * DAY for offset in (-1, 0, 1))
    return days


today_offsets = st.integers(min_value=-400, max_value=1700)
holdover_flags = st.booleans()


# --- check: refused exactly when a sure day is shared ----------------------------------------------------


def sure_days(span: Span, horizon: dt.date) -> set[int]:
    end = sure_end(span) or horizon
    return set(range(span.start.toordinal(), end.toordinal() + 1))


@st.composite
def new_terms(draw, spans: list[Span]) -> Span:
    first, last = window(spans)
    anchors = sorted(interesting_days(spans))
    if anchors and draw(st.booleans()):
        start = draw(st.sampled_from(anchors))  # on, or a day either side of, another term's dates
    else:
        start = first + draw(st.integers(min_value=0, max_value=(last - first).days)) * DAY
    ends_on = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=300).map(lambda n: start + n * DAY)))
    left_on = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=300).map(lambda n: start + n * DAY)))
    return Span(None, start, ends_on, left_on, "Newcomer")


@given(st.data())
def test_a_new_term_is_refused_exactly_when_it_shares_a_sure_day_with_another_term(data):
    spans = data.draw(histories())
    new = data.draw(new_terms(spans))
    horizon = window([*spans, new])[1] + 2000 * DAY
    mine = sure_days(new, horizon)

    expected = []
    for other in spans:
        if sure_days(other, horizon) & mine:
            expected.append(("seat_full" if other.start <= new.start else "overlap", other.id))
    problems = terms.check(data.draw(shuffled(spans)), new)

    assert sorted((p.code, p.other.id) for p in problems) == sorted(expected)
    for problem in problems:
        assert problem.field == ("starts_on" if problem.code == "seat_full" else "ends_on")


@given(st.data())
def test_a_term_that_began_first_makes_the_seat_full_and_a_later_one_is_an_overlap(data):
    spans = data.draw(histories())
    new = data.draw(new_terms(spans))
    for problem in terms.check(spans, new):
        if problem.other.start <= new.start:
            assert problem.code == "seat_full"
        else:
            assert problem.code == "overlap"


@given(histories(), st.data())
def test_every_term_of_a_history_is_accepted_in_any_order_it_is_recorded(spans, data):
    recorded: list[Span] = []
    for span in data.draw(shuffled(spans)):
        assert terms.check(recorded, span) == []
        recorded.append(span)


@given(histories())
def test_a_saved_term_checked_again_is_not_refused_because_of_itself(spans):
    for span in spans:
        assert terms.check(spans, span) == []


@given(st.data())
def test_a_holdover_never_blocks_an_appointment(data):
    spans = data.draw(histories())
    holdovers = [s for s in spans if s.left_on is None and s.ends_on is not None]
    if not holdovers:
        return
    held = holdovers[-1]
    later = [s.start for s in spans if s.start > held.start]
    limit = min(later) - DAY if later else held.ends_on + 500 * DAY
    if limit <= held.ends_on:
        return
    start = held.ends_on + data.draw(st.integers(min_value=1, max_value=(limit - held.ends_on).days)) * DAY
    assert terms.check(spans, Span(None, start, min(start + 30 * DAY, limit), None, "Appointee")) == []


@given(st.dates(), st.dates(), st.one_of(st.none(), st.dates()), st.one_of(st.none(), st.dates()))
def test_dates_in_the_wrong_order_are_refused_before_anything_else(start, other_start, ends_on, left_on):
    other = Span(1, other_start, None, None, "Ex officio")  # open-ended: would overlap almost anything
    problems = terms.check([other], Span(None, start, ends_on, left_on, "Newcomer"))
    codes = [p.code for p in problems]

    expected = []
    if ends_on is not None and ends_on < start:
        expected.append("ends_before_start")
    if left_on is not None and left_on < start:
        expected.append("left_before_start")
    if expected:
        assert codes == expected
        assert [p.field for p in problems] == [{"ends_before_start": "ends_on",
                                                "left_before_start": "left_on"}[c] for c in codes]
    else:
        assert set(codes) <= {"seat_full", "overlap"}


# --- occupancy and the seat's state, against the walk --------------------------------------------------


@settings(max_examples=150)
@given(histories(), holdover_flags, st.data())
def test_occupancy_never_lets_two_terms_hold_the_seat_on_one_day_and_agrees_with_the_walk(spans, holdover, data):
    until = terms.occupancy(data.draw(shuffled(spans)), holdover)
    assert set(until) == {s.id for s in spans}
    first, last = window(spans)
    held_by = walk(spans, holdover, first, last)
    for day in days_between(first, last):
        holders = [s for s in spans if s.start <= day and (until[s.id] is None or day <= until[s.id])]
        assert len(holders) <= 1, (day, holders)
        assert (holders[0] if holders else None) == held_by[day], day


@given(histories(), holdover_flags)
def test_occupancy_ends_no_earlier_than_the_last_sure_day(spans, holdover):
    until = terms.occupancy(spans, holdover)
    for span in spans:
        end = sure_end(span)
        if end is None:
            assert until[span.id] is None
        else:
            assert until[span.id] is None or until[span.id] >= end


@given(histories())
def test_with_holdover_the_seat_is_never_vacant_between_an_unrecorded_end_and_the_next_start(spans):
    _first, last = window(spans)
    for index, span in enumerate(spans):
        if span.left_on is not None or span.ends_on is None:
            continue
        following = spans[index + 1].start if index + 1 < len(spans) else last
        for day in days_between(span.ends_on, following):
            assert terms.seat_state(spans, day, True)[0] != VACANT, day


@given(histories())
def test_without_holdover_the_seat_is_vacant_exactly_on_the_days_no_term_is_sure_to_be_served(spans):
    first, last = window(spans)
    for day in days_between(first, last):
        covered = any(s.start <= day and (sure_end(s) is None or day <= sure_end(s)) for s in spans)
        state, _term = terms.seat_state(spans, day, False)
        assert (state == VACANT) == (not covered), day


@settings(max_examples=200)
@given(histories(), holdover_flags, today_offsets, st.data())
def test_the_seat_state_agrees_with_the_walk_on_any_day(spans, holdover, offset, data):
    first, last = window(spans)
    today = BASE + offset * DAY
    held_by = walk(spans, holdover, min(first, today), max(last, today))
    order = data.draw(shuffled(spans))
    for day in {today} | interesting_days(spans):
        state, term = terms.seat_state(order, day, holdover)
        assert state == state_on(held_by, day), day
        assert term == held_by[day], day


@settings(max_examples=200)
@given(histories(), holdover_flags, today_offsets)
def test_the_status_of_each_term_agrees_with_the_seat_state(spans, holdover, offset):
    first, last = window(spans)
    today = BASE + offset * DAY
    held_by = walk(spans, holdover, min(first, today), max(last, today))
    until = terms.occupancy(spans, holdover)
    for day in {today} | interesting_days(spans):
        state, holder = terms.seat_state(spans, day, holdover)
        statuses = {s.id: terms.status(s, day, until[s.id]) for s in spans}
        current = [i for i, st_ in statuses.items() if st_ in (TermStatus.SERVING, TermStatus.HOLDOVER)]
        if state == VACANT:
            assert current == []
        else:
            assert current == [holder.id]
            assert statuses[holder.id] == (TermStatus.SERVING if state == HELD else TermStatus.HOLDOVER)
        for span in spans:
            assert statuses[span.id] == model_status(span, held_by, day), (day, span)


@given(histories(), holdover_flags, st.data())
def test_a_term_fills_a_vacancy_exactly_when_it_is_the_first_or_follows_a_vacant_day(spans, holdover, data):
    order = data.draw(shuffled(spans))
    until = terms.occupancy(order, holdover)
    fills = terms.fills_vacancy(order, until)
    if not spans:
        assert fills == {}
        return
    first, last = window(spans)
    held_by = walk(spans, holdover, first, last)
    for index, span in enumerate(spans):
        expected = index == 0 or held_by[span.start - DAY] is None
        assert fills[span.id] is expected, span


# --- examples ----------------------------------------------------------------------------------------------


def test_an_open_ended_ex_officio_term_keeps_the_seat_full_until_the_day_they_leave_is_recorded():
    mayor = Span(1, dt.date(2020, 1, 6), None, None, "The mayor")
    successor = Span(None, dt.date(2026, 1, 5), None, None, "The next mayor")

    assert terms.seat_state([mayor], dt.date(2035, 1, 1), holdover_allowed=True) == (HELD, mayor)
    assert terms.seat_state([mayor], dt.date(2035, 1, 1), holdover_allowed=False) == (HELD, mayor)
    assert [p.code for p in terms.check([mayor], successor)] == ["seat_full"]

    left = Span(1, dt.date(2020, 1, 6), None, dt.date(2026, 1, 4), "The mayor")
    assert terms.check([left], successor) == []
    history = [left, Span(2, successor.start, None, None, successor.holder)]
    assert terms.seat_state(history, dt.date(2026, 1, 4), True) == (HELD, left)
    assert terms.seat_state(history, dt.date(2026, 1, 5), True) == (HELD, history[1])
    assert terms.fills_vacancy(history, terms.occupancy(history, True)) == {1: True, 2: False}


def test_a_holdover_is_replaced_by_appointing_someone():
    old = Span(1, dt.date(2021, 1, 1), dt.date(2023, 12, 31), None, "Old holder")
    assert terms.seat_state([old], dt.date(2024, 6, 1), True) == (HOLDOVER, old)
    assert terms.status(old, dt.date(2024, 6, 1), terms.occupancy([old], True)[1]) == TermStatus.HOLDOVER

    new = Span(2, dt.date(2024, 7, 1), dt.date(2027, 6, 30), None, "Appointee")
    assert terms.check([old], new) == []
    history = [old, new]
    until = terms.occupancy(history, True)
    assert until == {1: dt.date(2024, 6, 30), 2: None}
    assert terms.seat_state(history, dt.date(2024, 6, 30), True) == (HOLDOVER, old)
    assert terms.seat_state(history, dt.date(2024, 7, 1), True) == (HELD, new)
    assert terms.status(old, dt.date(2024, 7, 1), until[1]) == TermStatus.ENDED
    assert terms.fills_vacancy(history, until) == {1: True, 2: False}


def test_without_holdover_the_seat_is_vacant_after_the_scheduled_end_and_the_next_term_fills_it():
    old = Span(1, dt.date(2021, 1, 1), dt.date(2023, 12, 31), None, "Old holder")
    new = Span(2, dt.date(2024, 7, 1), dt.date(2027, 6, 30), None, "Appointee")
    until = terms.occupancy([old, new], False)
    assert until == {1: dt.date(2023, 12, 31), 2: dt.date(2027, 6, 30)}
    assert terms.seat_state([old, new], dt.date(2024, 1, 1), False) == (VACANT, None)
    assert terms.fills_vacancy([old, new], until) == {1: True, 2: True}


def test_a_term_starting_while_another_runs_is_refused_as_the_seat_is_full():
    sitting = Span(1, dt.date(2024, 1, 1), dt.date(2026, 12, 31), None, "Sitting member")
    problems = terms.check([sitting], Span(None, dt.date(2025, 3, 1), dt.date(2028, 2, 28), None, "Newcomer"))
    assert [(p.code, p.field, p.other) for p in problems] == [("seat_full", "starts_on", sitting)]


def test_a_term_starting_on_the_same_day_as_another_is_refused_as_the_seat_is_full():
    sitting = Span(1, dt.date(2024, 1, 1), dt.date(2024, 1, 1), None, "One-day member")
    problems = terms.check([sitting], Span(None, dt.date(2024, 1, 1), None, None, "Newcomer"))
    assert [p.code for p in problems] == ["seat_full"]


def test_a_term_running_into_a_later_term_is_refused_as_overlapping():
    later = Span(1, dt.date(2025, 1, 1), dt.date(2027, 12, 31), None, "Next member")
    problems = terms.check([later], Span(None, dt.date(2024, 1, 1), dt.date(2025, 1, 1), None, "Newcomer"))
    assert [(p.code, p.field, p.other) for p in problems] == [("overlap", "ends_on", later)]


def test_a_resignation_ends_the_term_early_even_on_a_seat_with_holdover():
    resigned = Span(1, dt.date(2024, 1, 1), dt.date(2026, 12, 31), dt.date(2024, 8, 15), "Resigned")
    assert terms.occupancy([resigned], True) == {1: dt.date(2024, 8, 15)}
    assert terms.seat_state([resigned], dt.date(2024, 8, 16), True) == (VACANT, None)
    assert terms.check([resigned], Span(None, dt.date(2024, 8, 16), None, None, "Successor")) == []


def test_a_recorded_holdover_holds_the_seat_through_the_last_day_served():
    served_on = Span(1, dt.date(2021, 1, 1), dt.date(2023, 12, 31), dt.date(2024, 3, 31), "Served on")
    assert terms.seat_state([served_on], dt.date(2024, 3, 31), False) == (HOLDOVER, served_on)
    assert terms.seat_state([served_on], dt.date(2024, 4, 1), True) == (VACANT, None)
    assert [p.code for p in terms.check([served_on], Span(None, dt.date(2024, 3, 1), None, None, "Early"))] == [
        "seat_full"]
