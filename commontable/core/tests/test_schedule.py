"""Local wall time + zone → moments, occurrences, UIDs and SEQUENCE (core.schedule), and deadline
kinds (core.deadlines): daylight-saving gaps and overlaps, stable identifiers."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commontable.core import deadlines, schedule
from commontable.core.schedule import NonexistentTime, Recurrence, Snapshot

CHICAGO = "America/Chicago"
ZONES = st.sampled_from([CHICAGO, "America/New_York", "America/Denver", "America/Phoenix", "Pacific/Honolulu"])
DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31))
TIMES = st.times().map(lambda t: t.replace(microsecond=0))


@given(on=DATES, at=TIMES, zone=ZONES)
def test_every_local_time_round_trips_or_is_reported_nonexistent(on, at, zone):
    if schedule.is_nonexistent(on, at, zone):
        with pytest.raises(NonexistentTime):
            schedule.local_to_utc(on, at, zone)
        return
    moment = schedule.local_to_utc(on, at, zone)
    back = schedule.utc_to_local(moment, zone)
    assert (back.date(), back.time()) == (on, at)


@given(on=DATES, at=TIMES, zone=ZONES)
def test_an_ambiguous_time_means_the_first_of_the_two(on, at, zone):
    if not schedule.is_ambiguous(on, at, zone):
        return
    first = schedule.local_to_utc(on, at, zone)
    second = dt.datetime.combine(on, at, tzinfo=schedule.zone(zone)).replace(fold=1).astimezone(dt.UTC)
    assert first < second


def test_the_spring_forward_gap_and_the_fall_back_overlap_in_chicago():
    assert schedule.is_nonexistent(dt.date(2027, 3, 14), dt.time(2, 30), CHICAGO)
    assert not schedule.is_nonexistent(dt.date(2027, 3, 14), dt.time(3, 0), CHICAGO)
    assert schedule.is_ambiguous(dt.date(2027, 11, 7), dt.time(1, 30), CHICAGO)
    assert schedule.local_to_utc(dt.date(2027, 11, 7), dt.time(1, 30), CHICAGO).hour == 6  # CDT, UTC-5


def test_seven_pm_stays_seven_pm_across_the_change():
    before = schedule.local_to_utc(dt.date(2027, 3, 9), dt.time(19), CHICAGO)
    after = schedule.local_to_utc(dt.date(2027, 3, 16), dt.time(19), CHICAGO)
    assert (before.hour, after.hour) == (1, 0)  # 01:00 UTC (CST) then 00:00 UTC (CDT)


def test_a_weekly_series_skips_a_time_that_does_not_exist():
    # Sundays at 2:30 am: the spring-forward Sunday has none.
    found = schedule.occurrences("s1", dt.date(2027, 3, 7), dt.time(2, 30), CHICAGO, Recurrence("weekly"),
                                 dt.date(2027, 3, 1), dt.date(2027, 3, 31))
    assert [o.on.day for o in found] == [7, 21, 28]


def test_first_and_third_tuesdays():
    rule = Recurrence("monthly", weekdays=(1,), nth=(1, 3), count=4)
    found = schedule.occurrences("council", dt.date(2027, 1, 1), dt.time(17), CHICAGO, rule,
                                 dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert [o.on for o in found] == [dt.date(2027, 1, 5), dt.date(2027, 1, 19), dt.date(2027, 2, 2),
                                     dt.date(2027, 2, 16)]


def test_last_weekday_and_until():
    rule = Recurrence("monthly", weekdays=(3,), nth=(-1,), until=dt.date(2027, 3, 31))
    found = schedule.occurrences("x", dt.date(2027, 1, 1), dt.time(9), CHICAGO, rule,
                                 dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert [o.on for o in found] == [dt.date(2027, 1, 28), dt.date(2027, 2, 25), dt.date(2027, 3, 25)]


@given(first=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2040, 1, 1)),
       interval=st.integers(1, 3), weekdays=st.sets(st.integers(0, 6), min_size=1).map(tuple), at=TIMES)
def test_uids_are_stable_and_windows_agree(first, interval, weekdays, at):
    rule = Recurrence("weekly", interval=interval, weekdays=weekdays)
    end = first + dt.timedelta(days=120)
    whole = schedule.occurrences("series", first, at, CHICAGO, rule, first, end)
    again = schedule.occurrences("series", first, at, CHICAGO, rule, first, end)
    assert [o.uid for o in whole] == [o.uid for o in again]
    assert len({o.uid for o in whole}) == len(whole)
    middle = first + dt.timedelta(days=40)
    part = schedule.occurrences("series", first, at, CHICAGO, rule, middle, end)
    assert part == [o for o in whole if o.on >= middle]
    assert all(not schedule.is_nonexistent(o.on, o.at, CHICAGO) for o in whole)


SNAP = st.builds(Snapshot, on=st.one_of(st.none(), DATES), at=st.one_of(st.none(), TIMES),
                 ends_at=st.one_of(st.none(), TIMES), zone=ZONES, place=st.text(max_size=5),
                 status=st.sampled_from(["scheduled", "cancelled"]))


@given(before=SNAP, after=SNAP, sequence=st.integers(0, 1000))
def test_sequence_goes_up_exactly_when_time_place_or_status_changes(before, after, sequence):
    bumped = schedule.next_sequence(before, after, sequence)
    assert bumped == (sequence if before == after else sequence + 1)


def test_bad_rules_are_refused():
    with pytest.raises(ValueError):
        Recurrence("daily")
    with pytest.raises(ValueError):
        Recurrence("monthly", weekdays=(1,))
    with pytest.raises(ValueError):
        Recurrence("weekly", interval=0)


# --- deadlines ------------------------------------------------------------------------------------------


def test_a_hard_date_closes_at_its_time_or_the_end_of_its_local_day():
    on = dt.date(2027, 3, 14)
    assert deadlines.closes_at("hard_date", on, dt.time(16, 30), CHICAGO) == dt.datetime(2027, 3, 14, 21, 30,
                                                                                         tzinfo=dt.UTC)
    assert deadlines.closes_at("hard_date", on, None, CHICAGO) == dt.datetime(2027, 3, 15, 5, 0, tzinfo=dt.UTC)
    for kind in ("review_begins", "rolling", "open_until_filled"):
        assert deadlines.closes_at(kind, on, None, CHICAGO) is None


def test_only_a_hard_date_passes():
    now = dt.datetime(2027, 4, 1, tzinfo=dt.UTC)
    assert deadlines.is_past("hard_date", dt.date(2027, 3, 14), None, CHICAGO, now)
    assert not deadlines.is_past("review_begins", dt.date(2027, 3, 14), None, CHICAGO, now)
    assert not deadlines.is_past("rolling", None, None, CHICAGO, now)


def test_dated_kinds_need_a_date_and_undated_kinds_take_none():
    assert deadlines.validate("hard_date", None) == {"on": deadlines.validate("hard_date", None)["on"]}
    assert deadlines.validate("review_begins", dt.date(2027, 1, 1)) == {}
    assert "on" in deadlines.validate("rolling", dt.date(2027, 1, 1))
    assert deadlines.validate("open_until_filled", None) == {}
