"""Schedules: local wall time in a named zone → moments, occurrences, identifiers (ADR 9).

Every scheduled thing (a hearing, a vote, a body's meetings) is stored as a **local date and time
plus an IANA zone** (America/Chicago), never as UTC alone: "7 pm at City Hall" stays 7 pm when
the rules of daylight saving time change or the meeting is on the other side of a change. The UTC
moment is derived from it, for sorting and for sending reminders.

Daylight saving time:
- a local time that does not exist (2:30 am on the spring-forward Sunday) is refused when typed
  (`NonexistentTime`) and skipped when a recurring series lands on it;
- a local time that happens twice (1:30 am on the fall-back Sunday) means the first of the two
  (`fold=0`, still daylight time), as most people and calendar programs read it.

Identifiers: a single event's UID is fixed when it is created; an occurrence of a series is
`<series uid>-<local date>`, so regenerating the series gives the same UIDs. SEQUENCE goes up only
when the time, the place or the status (a cancellation) changes (`next_sequence`).

Pure functions, no ORM.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

DEFAULT_ZONE = "America/Chicago"
UTC = dt.UTC


class NonexistentTime(ValueError):
    """The local time falls in the gap when clocks spring forward: it never happens that day."""


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@lru_cache(maxsize=1)
def zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def is_valid_zone(name: str) -> bool:
    return name in zone_names()


def is_nonexistent(on: dt.date, at: dt.time, zone_name: str = DEFAULT_ZONE) -> bool:
    """Whether this wall time is skipped by a spring-forward change in the zone."""
    local = dt.datetime.combine(on, at.replace(tzinfo=None, fold=0), tzinfo=zone(zone_name))
    back = local.astimezone(UTC).astimezone(zone(zone_name))
    return back.replace(tzinfo=None) != local.replace(tzinfo=None)


def is_ambiguous(on: dt.date, at: dt.time, zone_name: str = DEFAULT_ZONE) -> bool:
    """Whether this wall time happens twice (fall back); we then mean the first (fold=0)."""
    tz = zone(zone_name)
    naive = dt.datetime.combine(on, at.replace(tzinfo=None))
    return naive.replace(tzinfo=tz, fold=0).utcoffset() != naive.replace(tzinfo=tz, fold=1).utcoffset()


def localize(on: dt.date, at: dt.time, zone_name: str = DEFAULT_ZONE) -> dt.datetime:
    """The aware local datetime of a wall time; the first of two when ambiguous; raises
    `NonexistentTime` in a spring-forward gap."""
    if is_nonexistent(on, at, zone_name):
        raise NonexistentTime(f"{on} {at} does not exist in {zone_name}")
    return dt.datetime.combine(on, at.replace(tzinfo=None, fold=0), tzinfo=zone(zone_name))


def zone_abbreviation(on: dt.date, at: dt.time, zone_name: str = DEFAULT_ZONE) -> str:
    """CST or CDT (etc.) of a wall time, as printed beside it; the first of two when ambiguous.
    Cheap enough for every row of a list: one lookup in the zone's rules, no round trip through
    UTC (the time was checked to exist when it was saved)."""
    return dt.datetime.combine(on, at.replace(tzinfo=None, fold=0), tzinfo=zone(zone_name)).tzname() or ""


def local_to_utc(on: dt.date, at: dt.time, zone_name: str = DEFAULT_ZONE) -> dt.datetime:
    return localize(on, at, zone_name).astimezone(UTC)


def utc_to_local(moment: dt.datetime, zone_name: str = DEFAULT_ZONE) -> dt.datetime:
    return moment.astimezone(zone(zone_name))


# --- recurring series ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recurrence:
    """A simple rule that covers public bodies' meetings.

    `weekly`: every `interval` weeks on `weekdays` (0 = Monday); `monthly`: on the `nth` weekdays of
    each month (1..4, or -1 for the last), e.g. the first and third Tuesday is
    `Recurrence("monthly", weekdays=(1,), nth=(1, 3))`. Ends at `until` (a local date, inclusive) or
    after `count` occurrences, whichever comes first; with neither it goes on (bounded by the window
    asked for).
    """

    freq: str  # "weekly" | "monthly"
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    nth: tuple[int, ...] = ()
    until: dt.date | None = None
    count: int | None = None

    def __post_init__(self):
        if self.freq not in ("weekly", "monthly"):
            raise ValueError("freq must be weekly or monthly")
        if self.interval < 1:
            raise ValueError("interval must be at least 1")
        if any(not 0 <= d <= 6 for d in self.weekdays):
            raise ValueError("weekdays are 0 (Monday) to 6 (Sunday)")
        if self.freq == "monthly" and (not self.nth or not self.weekdays):
            raise ValueError("a monthly rule needs weekdays and nth")


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a schedule: its stable UID, its wall time and zone, its UTC moment."""

    uid: str
    on: dt.date
    at: dt.time
    zone: str
    starts_at: dt.datetime = field(compare=False)


def occurrence_uid(series_uid: str, on: dt.date) -> str:
    """Stable per occurrence: the series' UID and the local date (a series meets once a day)."""
    return f"{series_uid}-{on:%Y%m%d}"


def _nth_weekdays(year: int, month: int, weekday: int, nth: int) -> dt.date | None:
    days = [d for d in calendar.Calendar().itermonthdates(year, month) if d.month == month and d.weekday() == weekday]
    if nth == -1:
        return days[-1]
    return days[nth - 1] if 1 <= nth <= len(days) else None


def _candidate_dates(first: dt.date, rule: Recurrence):
    """Dates of the rule from `first` on, in order (without end conditions)."""
    if rule.freq == "weekly":
        weekdays = sorted(rule.weekdays or (first.weekday(),))
        week_start = first - dt.timedelta(days=first.weekday())
        while True:
            for weekday in weekdays:
                day = week_start + dt.timedelta(days=weekday)
                if day >= first:
                    yield day
            week_start += dt.timedelta(weeks=rule.interval)
    else:
        year, month = first.year, first.month
        while True:
            days = {_nth_weekdays(year, month, w, n) for w in rule.weekdays for n in rule.nth}
            for day in sorted(d for d in days if d is not None):
                if day >= first:
                    yield day
            month += rule.interval
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1


def occurrences(series_uid: str, first: dt.date, at: dt.time, zone_name: str, rule: Recurrence | None,
                window_start: dt.date, window_end: dt.date) -> list[Occurrence]:
    """The occurrences of a schedule whose local date is within [window_start, window_end].

    A wall time that does not exist on some date (spring forward) is skipped on that date and
    counts toward `count` all the same (the body did not meet, the rule still advanced).
    """
    dates = [first] if rule is None else _candidate_dates(first, rule)
    found: list[Occurrence] = []
    for index, day in enumerate(dates):
        if rule is not None and ((rule.until and day > rule.until) or (rule.count and index >= rule.count)):
            break
        if day > window_end:
            break
        if day < window_start or is_nonexistent(day, at, zone_name):
            continue
        found.append(Occurrence(occurrence_uid(series_uid, day), day, at, zone_name, local_to_utc(day, at, zone_name)))
    return found


# --- SEQUENCE ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """What calendar programs must be told about when it changes (RFC 5545 SEQUENCE): when, where,
    and whether it is still on. A changed title or description alone does not bump SEQUENCE."""

    on: dt.date | None
    at: dt.time | None
    ends_at: dt.time | None
    zone: str
    place: str
    status: str


def next_sequence(before: Snapshot, after: Snapshot, sequence: int) -> int:
    return sequence + 1 if before != after else sequence
