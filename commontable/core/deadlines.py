"""Deadlines, one vocabulary for every module (comment periods, seat applications, grants).

A deadline is one of four kinds:

- **hard date**: a moment in a place's local time ("comments close 4:30 pm, 12 March, Central
  time"); without a time of day it closes at the end of that local day;
- **review begins**: applications are read from that date, later ones may still be considered;
- **rolling**: read as they arrive, no date;
- **open until filled**: no date, closes when the seat or job is filled.

Only the first two have a date; only a hard date has a moment after which it is past. Pure
functions, no ORM: models keep the kind, the local date, an optional local time and the zone.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from commontable.core.schedule import DEFAULT_ZONE, local_to_utc


class DeadlineKind(models.TextChoices):
    HARD_DATE = "hard_date", pgettext_lazy("deadline kind", "Hard date")
    REVIEW_BEGINS = "review_begins", pgettext_lazy("deadline kind", "Review begins")
    ROLLING = "rolling", pgettext_lazy("deadline kind", "Rolling")
    OPEN_UNTIL_FILLED = "open_until_filled", pgettext_lazy("deadline kind", "Open until filled")


DATED_KINDS = frozenset({DeadlineKind.HARD_DATE, DeadlineKind.REVIEW_BEGINS})


def needs_date(kind: str) -> bool:
    return kind in DATED_KINDS


def closes_at(kind: str, on: dt.date | None, at: dt.time | None = None, zone: str = DEFAULT_ZONE) -> dt.datetime | None:
    """The UTC moment a deadline is past, or None when it has none (review begins, rolling,
    open until filled). A hard date with no time closes at the end of its local day."""
    if kind != DeadlineKind.HARD_DATE or on is None:
        return None
    if at is None:
        # End of the local day: midnight of the next day, which always exists in US zones.
        return local_to_utc(on + dt.timedelta(days=1), dt.time(0, 0), zone)
    return local_to_utc(on, at, zone)


def is_past(kind: str, on: dt.date | None, at: dt.time | None, zone: str, now: dt.datetime) -> bool:
    """Whether the deadline has passed at `now` (aware). Only hard dates ever pass."""
    moment = closes_at(kind, on, at, zone)
    return moment is not None and now >= moment


def validate(kind: str, on: dt.date | None, *, field: str = "on") -> dict[str, str]:
    """Field errors for a deadline: a dated kind needs its date; an undated kind takes none."""
    if needs_date(kind) and on is None:
        return {field: _("This kind of deadline needs a date.")}
    if not needs_date(kind) and on is not None:
        return {field: _("A rolling or open-until-filled deadline has no date; leave the date empty.")}
    return {}
