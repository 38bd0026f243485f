"""iCalendar (RFC 5545) output for every feed (ADR 9).

Events keep their local wall time with a TZID (America/Chicago), and the calendar carries the
VTIMEZONE of every zone it uses, limited to the dates it covers, so calendar programs show 7 pm as
7 pm on either side of a daylight-saving change. Output is deterministic for the same events (DTSTAMP
is the record's last change, not the time of the request) so that feeds can be cached and ETag'd.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import icalendar

from commontable.core import schedule

PRODID = "-//Common Table//Decision calendar//EN"
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
EVENTS_REMEMBERED = 20_000  # about 10 MB per process


@dataclass(frozen=True)
class Event:
    """One VEVENT. A date with no time of day is an all-day event. `status` is CONFIRMED,
    TENTATIVE (postponed, new date unknown) or CANCELLED."""

    uid: str
    sequence: int
    summary: str
    on: dt.date
    at: dt.time | None = None
    ends_at: dt.time | None = None
    zone: str = schedule.DEFAULT_ZONE
    description: str = ""
    location: str = ""
    url: str = ""
    status: str = "CONFIRMED"
    categories: tuple[str, ...] = ()
    last_modified: dt.datetime | None = None


def _vevent(event: Event, fallback_stamp: dt.datetime) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    stamp = (event.last_modified or fallback_stamp).astimezone(dt.UTC)
    vevent.add("dtstamp", stamp)
    vevent.add("last-modified", stamp)
    vevent.add("summary", event.summary)
    if event.at is None:
        vevent.add("dtstart", event.on)
        vevent.add("dtend", event.on + dt.timedelta(days=1))
    else:
        vevent.add("dtstart", schedule.localize(event.on, event.at, event.zone))
        if event.ends_at is not None:
            vevent.add("dtend", schedule.localize(event.on, event.ends_at, event.zone))
    if event.description:
        vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    if event.url:
        vevent.add("url", event.url)
    if event.categories:
        vevent.add("categories", list(event.categories))
    vevent.add("status", event.status)
    return vevent


_events_lock = threading.Lock()
_events: OrderedDict[str, bytes] = OrderedDict()


def _event_bytes(event: Event) -> bytes:
    """One VEVENT's bytes, remembered in this process (least recently used first out) under a
    digest of everything it shows: a changed event gets a new digest, so nothing goes stale."""
    key = hashlib.sha256(repr(event).encode()).hexdigest()
    with _events_lock:
        body = _events.get(key)
        if body is not None:
            _events.move_to_end(key)
            return body
    body = _vevent(event, EPOCH).to_ical()
    with _events_lock:
        _events[key] = body
        while len(_events) > EVENTS_REMEMBERED:
            _events.popitem(last=False)
    return body


@lru_cache(maxsize=32)
def _timezone_bytes(zone: str, first: dt.date, last: dt.date) -> bytes:
    return icalendar.Timezone.from_tzid(zone, first_date=first, last_date=last).to_ical()


def calendar_bytes(events: Iterable[Event], *, name: str, window: tuple[dt.date, dt.date] | None = None,
                   refresh: dt.timedelta = dt.timedelta(hours=1)) -> bytes:
    """A whole VCALENDAR with the events and the VTIMEZONE of each zone they use. Each VEVENT's
    bytes are remembered in the process, so a feed rebuilt after one change serialises only the
    changed events (icalendar takes about a millisecond an event)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    items = list(events)
    end = b"END:VCALENDAR\r\n"
    parts = [cal.to_ical().removesuffix(end)]
    if items:
        first = window[0] if window else min(e.on for e in items)
        last = window[1] if window else max(e.on for e in items)
        span = (first - dt.timedelta(days=366), last + dt.timedelta(days=366))
        parts.extend(_timezone_bytes(zone, *span) for zone in sorted({e.zone for e in items if e.at is not None}))
        parts.extend(_event_bytes(event) for event in items)
    parts.append(end)
    return b"".join(parts)
