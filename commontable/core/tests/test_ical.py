"""iCalendar output (core.ical) parsed back: VTIMEZONE for the zone used, TZID on local times,
all-day dates, status, and output that is the same for the same events (so feeds cache)."""

import datetime as dt

import icalendar

from commontable.core import ical

STAMP = dt.datetime(2027, 1, 2, 3, 4, tzinfo=dt.UTC)


def _events():
    return [
        ical.Event(uid="a@x", sequence=2, summary="Hearing, with; commas", on=dt.date(2027, 3, 16), at=dt.time(19),
                   ends_at=dt.time(21), location="City Hall", url="https://example.org/a", last_modified=STAMP),
        ical.Event(uid="b@x", sequence=0, summary="Comment deadline", on=dt.date(2027, 3, 1), status="CANCELLED",
                   categories=("Comment deadline",), last_modified=STAMP),
    ]


def test_calendar_parses_back_with_its_zone():
    parsed = icalendar.Calendar.from_ical(ical.calendar_bytes(_events(), name="Decisions"))
    assert [str(tz["tzid"]) for tz in parsed.walk("VTIMEZONE")] == ["America/Chicago"]
    hearing, deadline = parsed.walk("VEVENT")
    assert hearing["dtstart"].params["TZID"] == "America/Chicago"
    assert hearing.decoded("dtstart").utcoffset() == dt.timedelta(hours=-5)  # CDT after 14 March
    assert hearing.decoded("dtend").hour == 21
    assert (str(hearing["uid"]), int(hearing["sequence"])) == ("a@x", 2)
    assert str(hearing["summary"]) == "Hearing, with; commas"
    assert deadline.decoded("dtstart") == dt.date(2027, 3, 1)
    assert str(deadline["status"]) == "CANCELLED"


def test_same_events_give_the_same_bytes():
    assert ical.calendar_bytes(_events(), name="D") == ical.calendar_bytes(_events(), name="D")


def test_an_empty_calendar_is_valid():
    parsed = icalendar.Calendar.from_ical(ical.calendar_bytes([], name="Nothing"))
    assert parsed.walk("VEVENT") == []
