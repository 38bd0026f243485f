"""The decision calendar of the investment watch: who may do what, reads and writes (ADR 9).

Hearings, votes and comment deadlines on investments, watchers, and the iCalendar feeds. The
schedule rules (local time + zone, daylight saving, SEQUENCE), the feeds' tokens and caching, and
the notifications are core's shared pieces; this module applies them to decisions. It keeps the
app's shape in sections: permissions, selectors, services.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import NamedTuple

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from commontable.core import deadlines, feeds, ical, notifications, schedule
from commontable.core.audit import log_action
from commontable.core.http import path_maker
from commontable.core.page_cache import PageCache
from commontable.core.visibility import viewer_for
from commontable.directory.models import Organization
from commontable.investments.models import Decision, DecisionKind, DecisionStatus, Investment
from commontable.investments.permissions import is_staff, visible_investments

WATCH_TOPIC = "investments.decisions"
# Days before a decision that watchers are reminded: a week to prepare testimony or comments, and
# the day before. When a run finds both due (a decision added 3 days ahead), only the nearer goes.
REMINDER_DAYS = (7, 1)
TIME_ZONES = ("America/Chicago", "America/New_York", "America/Denver", "America/Phoenix",
              "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu")

# --- permissions ------------------------------------------------------------------------------------


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


can_edit_decision = is_staff
# Anyone signed in who can see the investment may watch it (the getter gives 404 otherwise).
can_watch_investment = is_signed_in


def decision_get_for_user(user, public_id) -> Decision:
    """A decision on an investment the user may see (404 otherwise)."""
    return get_object_or_404(
        Decision.objects.visible_to(user).select_related("investment", "body"), public_id=public_id
    )


# --- selectors -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarFilter:
    investment: Investment | None = None
    body_id: int | None = None
    kind: str = ""
    investment_id: int | None = None  # the same as `investment`, when only its id is at hand


def decision_list(user, *, start: dt.datetime | None = None, end: dt.datetime | None = None,
                  days: tuple[dt.date, dt.date] | None = None, filters: CalendarFilter = CalendarFilter(),
                  undated: bool = True):
    """Decisions the user may see between two moments, or on local dates `days` (first included,
    last excluded; a deadline at the end of its day is still on its day), and, if `undated`, the
    rolling and open deadlines that have no date; earliest first, with investment and body."""
    decisions = Decision.objects.visible_to(user).select_related("investment", "body")
    dated = {}
    if start is not None:
        dated["starts_at__gte"] = start
    if end is not None:
        dated["starts_at__lt"] = end
    if days is not None:
        dated.update(starts_on__gte=days[0], starts_on__lt=days[1])
    if dated:
        condition = Q(**dated)
        if undated:
            condition |= Q(starts_on__isnull=True)
        decisions = decisions.filter(condition)
    if filters.investment is not None:
        decisions = decisions.filter(investment=filters.investment)
    if filters.investment_id is not None:
        decisions = decisions.filter(investment_id=filters.investment_id)
    if filters.body_id:
        decisions = decisions.filter(body_id=filters.body_id)
    if filters.kind:
        decisions = decisions.filter(kind=filters.kind)
    return decisions.order_by("starts_at", "id")


def month_days(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first day of a month and the first day of the next."""
    return dt.date(year, month, 1), dt.date(year + month // 12, month % 12 + 1, 1)


@dataclass(frozen=True, slots=True)
class AgendaEntry:
    """A decision as the month agenda shows it: plain values, its words already in the reader's
    language, its zone's abbreviation (CST, CDT) as on its date."""

    url: str
    title: str
    kind_label: str
    starts_on: dt.date | None
    starts_at_time: dt.time | None
    zone_abbreviation: str
    body_label: str
    investment_name: str
    status: str
    status_label: str
    deadline_kind_label: str


# Only the columns the agenda shows: a month has a few hundred decisions, and building model
# instances (with their investment and body) for them cost more than the query.
AGENDA_COLUMNS = ("public_id", "title", "kind", "deadline_kind", "status", "starts_on", "starts_at_time",
                  "time_zone", "body_name", "body__name", "investment__name")


def decision_path_maker():
    """A decision's page address from its public id, without resolving the URL once per row."""
    return path_maker("investments:decision_detail", uuid.UUID(int=0))


def decision_agenda(user, *, year: int, month: int, filters: CalendarFilter = CalendarFilter()):
    """A month's decisions grouped by their local date (days with none are left out), and the
    undated deadlines (rolling, open until filled) apart, as `AgendaEntry` rows. One query."""
    kinds = {k: str(v) for k, v in DecisionKind.choices}
    statuses = {k: str(v) for k, v in DecisionStatus.choices}
    deadline_kinds = {k: str(v) for k, v in deadlines.DeadlineKind.choices}
    url = decision_path_maker()
    zones: dict[tuple, str] = {}
    days: OrderedDict[dt.date, list[AgendaEntry]] = OrderedDict()
    undated = []
    rows = decision_list(user, days=month_days(year, month), filters=filters).values_list(*AGENDA_COLUMNS)
    for (public_id, title, kind, deadline_kind, status, starts_on, at, zone, body_name, body, investment) in rows:
        abbreviation = ""
        if starts_on is not None and at is not None:
            # Most of a month's decisions share a handful of times and one zone.
            abbreviation = zones.get((starts_on, at, zone))
            if abbreviation is None:
                abbreviation = zones[(starts_on, at, zone)] = schedule.zone_abbreviation(starts_on, at, zone)
        entry = AgendaEntry(
            url=url(public_id), title=title, kind_label=kinds.get(kind, kind), starts_on=starts_on,
            starts_at_time=at, zone_abbreviation=abbreviation,
            body_label=f"{body} — {body_name}" if body and body_name else (body or body_name),
            investment_name=investment, status=status, status_label=statuses.get(status, status),
            deadline_kind_label=deadline_kinds.get(deadline_kind, deadline_kind),
        )
        if starts_on is None:
            undated.append(entry)
        else:
            days.setdefault(starts_on, []).append(entry)
    return days, undated


# The calendar's filter menus (investments with decisions, deciding bodies) change only when a
# decision, an investment or an organisation is written: they are kept under this data version
# (ADR 7's tokens; bulk writes and imports replace every token with `data_changed()`).
CALENDAR_LABEL = "investments.calendar"


# Its data version is kept as the cached pages' are (core/page_cache.py): replaced at once after a
# write, so that a read later in the same transaction sees the change, and once more when the
# transaction commits, so that a page another process built from the data before the commit,
# under the new version, is not kept.
_VERSION = PageCache(CALENDAR_LABEL, watched_models={"investments.Decision", "investments.Investment",
                                                     "directory.Organization"})


def calendar_data_version() -> str:
    """The calendar's data version, as a page about to be built from the data must read it: any
    write after this moment replaces it."""
    return _VERSION.version_now()


def connect_signals() -> None:
    _VERSION.connect_signals()


def visibility_class(user) -> str:
    """Who sees the same investments, and so the same decisions, as this user: all staff alike;
    members with the same tables alike; everyone else the public investments. The rule of
    `Investment.objects.visible_to`, which has no exceptions of its own (a test keeps it so)."""
    viewer = viewer_for(user)
    if viewer.is_staff:
        return "staff"
    if viewer.is_member:
        return "member:" + ",".join(str(pk) for pk in sorted(viewer.table_ids))
    return "public"


def calendar_menu_choices(user) -> tuple[list[tuple[int, str, str]], list[tuple[int, str, str]]]:
    """The calendar's filter menus as (id, slug, name): the investments the user may see that have
    decisions, and the deciding bodies of their decisions, by name. Two queries."""
    investments = list(visible_investments(user).filter(decisions__isnull=False).distinct()
                       .order_by("name").values_list("pk", "slug", "name"))
    bodies = list(Organization.objects.filter(decisions__investment__in=visible_investments(user))
                  .distinct().order_by("name").values_list("pk", "slug", "name"))
    return investments, bodies


def decisions_upcoming(user, investment: Investment, *, now: dt.datetime | None = None, limit: int = 10):
    """An investment's coming decisions (and those with no date), for its page."""
    now = now or timezone.now()
    return list(decision_list(user, start=now, filters=CalendarFilter(investment=investment))[:limit])


def watched_investment_ids(user):
    return notifications.subscribed_object_ids(user, WATCH_TOPIC)


def is_watching(user, investment: Investment) -> bool:
    return notifications.subscription_for(user, WATCH_TOPIC, investment.pk) is not None


def feed_decisions(user, *, investment: Investment | None = None, watchlist: bool = False,
                   now: dt.datetime | None = None):
    """The decisions a feed shows: what `user` may see (anonymous: public investments), within the
    feeds' window (ADR 9), optionally one investment's or the user's watchlist."""
    start, end = feeds.window(now)
    decisions = decision_list(user, start=start, end=end, filters=CalendarFilter(investment=investment))
    if watchlist:
        decisions = decisions.filter(investment_id__in=watched_investment_ids(user))
    return decisions


def feed_version(decisions) -> str:
    """Changes whenever the feed would: the latest change, the count, and the day (the window moves)."""
    summary = decisions.order_by().aggregate(latest=Max("updated_at"), count=Count("id"))
    return f"{summary['latest']}|{summary['count']}|{timezone.localdate()}"


ICAL_STATUS = {DecisionStatus.SCHEDULED: "CONFIRMED", DecisionStatus.HELD: "CONFIRMED",
               DecisionStatus.POSTPONED: "TENTATIVE", DecisionStatus.CANCELLED: "CANCELLED"}


class _Labels:
    """The feed's words, translated once per feed rather than once per event."""

    def __init__(self):
        self.status = {k: str(v) for k, v in DecisionStatus.choices}
        self.kind = {k: str(v) for k, v in DecisionKind.choices}
        self.deadline = {k: str(v) for k, v in deadlines.DeadlineKind.choices}
        self.cancelled = _("%(status)s: %(title)s")
        self.investment = _("Investment: %(name)s")
        self.body = _("Deciding body: %(body)s")
        self.deadline_kind = _("Kind of deadline: %(kind)s")


class FeedRow(NamedTuple):
    """What a feed's event shows of a decision, read as plain values (a feed has thousands)."""

    public_id: uuid.UUID
    sequence: int
    title: str
    status: str
    kind: str
    deadline_kind: str
    starts_on: dt.date | None
    starts_at_time: dt.time | None
    ends_at_time: dt.time | None
    time_zone: str
    description: str
    location: str
    link_url: str
    updated_at: dt.datetime
    body_name: str
    body: str | None
    investment_name: str

    @property
    def uid(self) -> str:
        return f"decision-{self.public_id}@commontable"  # as `Decision.uid`

    @property
    def body_label(self) -> str:
        if self.body and self.body_name:
            return f"{self.body} — {self.body_name}"
        return self.body or self.body_name


FEED_COLUMNS = (*FeedRow._fields[:-2], "body__name", "investment__name")


def decision_event(decision: FeedRow, url: str, labels: _Labels | None = None) -> ical.Event:
    """A decision as an iCalendar event: local time with its zone, UID and SEQUENCE of its own."""
    labels = labels or _Labels()
    summary = decision.title
    if decision.status in (DecisionStatus.CANCELLED, DecisionStatus.POSTPONED):
        summary = labels.cancelled % {"status": labels.status[decision.status], "title": decision.title}
    lines = [labels.investment % {"name": decision.investment_name}]
    if decision.body_label:
        lines.append(labels.body % {"body": decision.body_label})
    if decision.deadline_kind:
        lines.append(labels.deadline_kind % {"kind": labels.deadline[decision.deadline_kind]})
    if decision.description:
        lines.append(decision.description)
    if decision.link_url:
        lines.append(decision.link_url)
    return ical.Event(
        uid=decision.uid, sequence=decision.sequence, summary=summary, on=decision.starts_on,
        at=decision.starts_at_time, ends_at=decision.ends_at_time, zone=decision.time_zone,
        description="\n".join(lines), location=decision.location, url=url,
        status=ICAL_STATUS[decision.status], categories=(labels.kind[decision.kind],),
        last_modified=decision.updated_at,
    )


def feed_calendar(decisions, *, name: str, url_for) -> bytes:
    """The VCALENDAR of these decisions (those without a date cannot be calendar events).
    `url_for(public_id)` is a decision's page. The decisions are read as plain values: building
    thousands of model instances (with investment and body) cost more than the events."""
    start, end = feeds.window()
    labels = _Labels()
    rows = map(FeedRow._make, decisions.filter(starts_on__isnull=False).values_list(*FEED_COLUMNS))
    events = [decision_event(row, url_for(row.public_id), labels) for row in rows]
    return ical.calendar_bytes(events, name=name, window=(start.date(), end.date()))


# --- services ------------------------------------------------------------------------------------------

TIMING_FIELDS = ("kind", "deadline_kind", "starts_on", "starts_at_time", "ends_at_time", "time_zone")


def decision_timing_errors(*, kind: str, deadline_kind: str, starts_on, starts_at_time, ends_at_time,
                           time_zone: str) -> dict[str, str]:
    """What is wrong with a decision's time, field by field (the form and the service both ask)."""
    errors: dict[str, str] = {}
    if not schedule.is_valid_zone(time_zone):
        errors["time_zone"] = _("Choose a time zone from the list.")
        return errors
    if kind == DecisionKind.COMMENT_DEADLINE:
        if not deadline_kind:
            errors["deadline_kind"] = _("Say what kind of deadline it is.")
        else:
            errors.update(deadlines.validate(deadline_kind, starts_on, field="starts_on"))
    elif deadline_kind:
        errors["deadline_kind"] = _("Only a comment deadline has a kind of deadline; leave it empty.")
    elif starts_on is None:
        errors["starts_on"] = _("A hearing or vote needs its date.")
    if ends_at_time is not None and starts_at_time is None:
        errors["ends_at_time"] = _("Give the start time too, or leave the end time empty.")
    elif ends_at_time is not None and ends_at_time <= starts_at_time:
        errors["ends_at_time"] = _("The end time must be after the start time.")
    if starts_on is not None and starts_at_time is not None and "starts_on" not in errors:
        if schedule.is_nonexistent(starts_on, starts_at_time, time_zone):
            errors["starts_at_time"] = _(
                "%(time)s does not exist on %(date)s: the clocks jump forward an hour that night. "
                "Choose a time after the change."
            ) % {"time": starts_at_time.strftime("%H:%M"), "date": starts_on.isoformat()}
        elif ends_at_time is not None and schedule.is_nonexistent(starts_on, ends_at_time, time_zone):
            errors["ends_at_time"] = _("This end time does not exist that night: the clocks jump forward an hour.")
    return errors


def _starts_at(decision: Decision) -> dt.datetime | None:
    """The UTC moment of a decision: its start; for a hard-date deadline, when it closes."""
    if decision.starts_on is None:
        return None
    if decision.deadline_kind == deadlines.DeadlineKind.HARD_DATE:
        return deadlines.closes_at(decision.deadline_kind, decision.starts_on, decision.starts_at_time,
                                   decision.time_zone)
    return schedule.local_to_utc(decision.starts_on, decision.starts_at_time or dt.time(0), decision.time_zone)


def _snapshot(decision: Decision) -> schedule.Snapshot:
    return schedule.Snapshot(decision.starts_on, decision.starts_at_time, decision.ends_at_time,
                             decision.time_zone, decision.location, decision.status)


def _validate(decision: Decision) -> None:
    errors = decision_timing_errors(**{f: getattr(decision, f) for f in TIMING_FIELDS})
    if not decision.title.strip():
        errors["title"] = _("Give the decision a title.")
    if errors:
        raise ValidationError(errors)


EDITABLE_FIELDS = ("kind", "title", "body", "body_name", "description", "deadline_kind", "starts_on",
                   "starts_at_time", "ends_at_time", "time_zone", "location", "link_url", "status")


@transaction.atomic
def decision_create(*, actor, investment: Investment, **fields) -> Decision:
    """Add a hearing, vote or comment deadline to an investment's calendar (staff)."""
    decision = Decision(investment=investment, created_by=actor if actor and actor.is_authenticated else None,
                        **{k: v for k, v in fields.items() if k in EDITABLE_FIELDS})
    decision.body_name = decision.body_name or ""
    decision.deadline_kind = decision.deadline_kind or ""
    _validate(decision)
    decision.starts_at = _starts_at(decision)
    decision.save()
    log_action(decision, "investments.decision.created", actor=actor,
               data={"investment": investment.slug, "kind": decision.kind, "starts_on": decision.starts_on})
    return decision


@transaction.atomic
def decision_update(*, actor, decision: Decision, **fields) -> Decision:
    """Change a decision. Calendar programs are told (SEQUENCE + 1) when its time, place or status
    changes; a new time also gives new reminders (their key holds the time)."""
    before = _snapshot(Decision.objects.select_for_update().get(pk=decision.pk))
    changed = {}
    for name, value in fields.items():
        if name in EDITABLE_FIELDS:
            if name in ("body_name", "deadline_kind") and value is None:
                value = ""
            if getattr(decision, name) != value:
                changed[name] = str(value)
                setattr(decision, name, value)
    if not changed:
        return decision
    _validate(decision)
    decision.starts_at = _starts_at(decision)
    decision.sequence = schedule.next_sequence(before, _snapshot(decision), decision.sequence)
    decision.save()
    log_action(decision, "investments.decision.changed", actor=actor, data=changed)
    return decision


def investment_watch(*, user, investment: Investment):
    """The user asks to be reminded of the investment's decisions (their own act: resubscribes)."""
    sub = notifications.subscribe(user=user, topic=WATCH_TOPIC, object_id=investment.pk, resubscribe=True)
    log_action(investment, "investments.investment.watched", actor=user)
    return sub


def investment_unwatch(*, user, investment: Investment) -> None:
    sub = notifications.subscription_for(user, WATCH_TOPIC, investment.pk)
    if sub is not None:
        notifications.unsubscribe(sub)
        log_action(investment, "investments.investment.unwatched", actor=user)


# --- reminders -----------------------------------------------------------------------------------------


def reminder_offset_due(starts_at: dt.datetime, now: dt.datetime) -> int | None:
    """Which reminder is due now for a decision at `starts_at`: the nearest offset (in days) whose
    moment has come, or None (too early, or already started)."""
    if starts_at <= now:
        return None
    due = [days for days in REMINDER_DAYS if starts_at - dt.timedelta(days=days) <= now]
    return min(due) if due else None


def reminder_key(decision: Decision, days: int, subscription_id: int) -> str:
    return (f"investments.decision-reminder:{decision.public_id}:{decision.starts_at:%Y%m%dT%H%M%SZ}:"
            f"{days}d:{subscription_id}")


def decisions_due_for_reminders(now: dt.datetime):
    """(decision id, days) for scheduled decisions with a reminder due and someone watching."""
    horizon = now + dt.timedelta(days=max(REMINDER_DAYS))
    watched = notifications.Subscription.objects.filter(topic=WATCH_TOPIC, unsubscribed_at__isnull=True).values(
        "object_id")
    rows = (Decision.objects.filter(status=DecisionStatus.SCHEDULED, starts_at__gt=now, starts_at__lte=horizon,
                                    investment_id__in=watched)
            .values_list("pk", "starts_at").order_by("starts_at", "pk"))
    return [(pk, days) for pk, starts_at in rows if (days := reminder_offset_due(starts_at, now)) is not None]


def still_visible(user, decision: Decision) -> bool:
    return Decision.objects.visible_to(user).filter(pk=decision.pk).exists()
