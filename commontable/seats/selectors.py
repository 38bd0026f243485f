"""Reads for seats at decision tables: the body register and its pages, openings (vacancies,
terms ending soon, holdovers), the representation roll-up, the leadership pipeline, the
engagement log and the meetings of watched bodies.

A seat is *held* on a day when one of its terms started by then and is occupied through it
(`Term.occupied_until`, kept by the services, holdover included): one indexed condition,
`serving_q`, used by every page, the API and the indicators alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import (
    Aggregate,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.expressions import Star
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext

from commontable.core import notifications, schedule
from commontable.core.models import IssueTopic, Place
from commontable.core.suppression import DISCLOSIVE, Cell, nested_disclosures, suppress
from commontable.core.visibility import viewer_for
from commontable.directory.choices import ConsentPurpose
from commontable.directory.models import ConsentRecord, Person
from commontable.investments.permissions import visible_investments
from commontable.seats.choices import NominationOutcome, SeatState, SelfIdentification, TermStatus
from commontable.seats.models import (
    Leader,
    Nomination,
    PublicBody,
    Seat,
    SupportContact,
    Term,
)
from commontable.seats.pages import PAGES
from commontable.seats.permissions import visible_bodies, visible_processes
from commontable.seats.services import WATCH_TOPIC, meeting_rule

ENDING_DAYS = 90
# Objective 1.6: the climate, environment and mobility bodies, by their topics.
CLIMATE_MOBILITY_TOPICS = ("climate", "environmental-justice", "transit", "transportation", "mobility",
                           "environment", "energy", "water")


def serving_q(today: dt.date, prefix: str = "") -> Q:
    """Terms holding their seat on `today` (holdover included)."""
    return Q(**{f"{prefix}starts_on__lte": today}) & (
        Q(**{f"{prefix}occupied_until__isnull": True}) | Q(**{f"{prefix}occupied_until__gte": today}))


def term_status(term: Term, today: dt.date) -> str:
    if term.starts_on > today:
        return TermStatus.UPCOMING
    if term.occupied_until is not None and term.occupied_until < today:
        return TermStatus.ENDED
    if term.ends_on is not None and term.ends_on < today:
        return TermStatus.HOLDOVER
    return TermStatus.SERVING


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


# --- bodies ----------------------------------------------------------------------------------------


def body_list(user, *, q: str = "", jurisdiction: Place | None = None, topic: IssueTopic | None = None,
              kind: str = "", include_dissolved: bool = False):
    """Bodies the user may see, by name, narrowed by the filters."""
    bodies = visible_bodies(user).select_related("jurisdiction")
    if not include_dissolved:
        bodies = bodies.filter(dissolved_on__isnull=True)
    if q:
        bodies = bodies.filter(Q(name__icontains=q) | Q(appointing_authority__icontains=q))
    if jurisdiction is not None:
        bodies = bodies.filter(jurisdiction=jurisdiction)
    if topic is not None:
        bodies = bodies.filter(topics=topic)
    if kind:
        bodies = bodies.filter(kind=kind)
    return bodies.order_by("name", "id")


class CountRows(Aggregate):
    """`COUNT(*)`, with `FILTER (WHERE …)` when given a condition: PostgreSQL counts rows faster
    than a column's values (a quarter faster over every seat of the region), and Django's
    `Count("*")` takes no condition (for databases without FILTER; SQLite and PostgreSQL have it)."""

    function = "COUNT"
    name = "CountRows"
    output_field = IntegerField()
    empty_result_set_value = 0
    # Both databases return a count as a Python int: no converter to call on every row.
    convert_value = staticmethod(Aggregate._convert_value_noop)

    def __init__(self, *, filter=None):  # noqa: A002 (Django's name for it)
        super().__init__(Star(), filter=filter)


@dataclass
class BodySummary:
    seats: int = 0
    held: int = 0
    ending_soon: int = 0

    @property
    def vacant(self) -> int:
        return self.seats - self.held


def _held_q(today: dt.date) -> Q:
    """Seats whose latest term began by `today` and holds the seat through it (holdover
    included): with no later term on record, that term is the one serving."""
    return Q(last_start__lte=today) & (Q(last_until__isnull=True) | Q(last_until__gte=today))


def _latest_holds(seat: Seat, today: dt.date) -> bool:
    """`_held_q` for a seat in hand: its latest term began by `today` and holds the seat through it."""
    return (seat.last_start is not None and seat.last_start <= today
            and (seat.last_until is None or seat.last_until >= today))


def _vacant_q(today: dt.date) -> Q:
    """Seats with no term, or whose latest term (begun by `today`) no longer holds them."""
    return Q(last_start__isnull=True) | Q(last_start__lte=today, last_until__lt=today)


def _ending_q(today: dt.date, days: int = ENDING_DAYS) -> Q:
    return _held_q(today) & Q(last_ends_on__range=(today, today + dt.timedelta(days=days)))


def _holdover_q(today: dt.date) -> Q:
    return _held_q(today) & Q(last_ends_on__lt=today)


def seat_counts(body_ids, today: dt.date) -> dict[int, list[int]]:
    """[seats, held, ending soon] of each body with a seat (of a page's ids, a subquery of bodies,
    or None: every body), from the seats' latest-term columns in one grouped query; the few seats
    with a term that starts later than today are asked about their terms (one more query, only if
    any). Plain lists of numbers: the roll-up adds up every body of the region."""
    future = Q(last_start__gt=today)
    seats = Seat.objects.all() if body_ids is None else Seat.objects.filter(body_id__in=body_ids)
    result: dict[int, list[int]] = {}
    with_future = []
    # Grouped in the covering index's order: PostgreSQL then reads the seats' states from that
    # index alone (half the cost of scanning the table and hashing the groups).
    for body_id, n, held, ending, later in (
            seats.values_list("body_id")
            .annotate(n=CountRows(), held=CountRows(filter=_held_q(today)), ending=CountRows(filter=_ending_q(today)),
                      later=CountRows(filter=future)).order_by("body_id")):
        result[body_id] = [n, held, ending]
        if later:
            with_future.append(body_id)
    if with_future:
        soon = Q(ends_on__range=(today, today + dt.timedelta(days=ENDING_DAYS)))
        serving = Term.objects.filter(serving_q(today), seat_id=OuterRef("pk"))
        for body_id, held, ending in (Seat.objects.filter(future, body_id__in=with_future)
                                      .annotate(h=Exists(serving), e=Exists(serving.filter(soon)))
                                      .values_list("body_id", "h", "e")):
            result[body_id][1] += int(held)
            result[body_id][2] += int(ending)
    return result


def body_summaries(body_ids, today: dt.date | None = None) -> dict[int, BodySummary]:
    """Seats, held seats and terms ending soon of each body (a page's ids, a subquery of bodies,
    or None: every body with a seat); a body of the ids without seats has an empty summary."""
    today = _today(today)
    result: dict[int, BodySummary] = defaultdict(BodySummary)
    if isinstance(body_ids, list | tuple | set):
        result.update({pk: BodySummary() for pk in body_ids})
    for body_id, (n, held, ending) in seat_counts(body_ids, today).items():
        result[body_id] = BodySummary(n, held, ending)
    return result


@dataclass
class SeatRow:
    """A seat as its page and its body's page show it: its state today, its current term and (when
    read) its whole history, newest first."""

    seat: Seat
    state: str
    current: Term | None
    history: list[Term] = field(default_factory=list)
    pending_nominations: int = 0
    today: dt.date | None = None

    @property
    def ends_soon(self) -> bool:
        today = self.today or timezone.localdate()
        return bool(self.current and self.current.ends_on and self.state == SeatState.HELD
                    and self.current.ends_on <= today + dt.timedelta(days=ENDING_DAYS))


def seat_rows(seats: list[Seat], today: dt.date | None = None, *, nominations: bool = False,
              history: bool = True) -> list[SeatRow]:
    """Each seat with its state and holders: with `history`, one query for every term of the
    seats (a seat's page); without, only each seat's current term, found through the seats'
    latest-term columns (a body's page: an old board has hundreds of terms, and the page shows
    who serves today). One more query for pending nominations when asked."""
    today = _today(today)
    by_seat: dict[int, list[Term]] = defaultdict(list)
    # Only what the pages show of each term and holder: whole person rows cost more than the query.
    fields = ("id", "public_id", "seat_id", "holder_person_id", "holder_name", "starts_on", "ends_on", "left_on",
              "occupied_until", "notes", "holder_person__full_name")
    terms = Term.objects.select_related("holder_person").only(*fields)
    if history:
        for term in terms.filter(seat__in=seats).order_by("seat_id", "-starts_on", "-id"):
            by_seat[term.seat_id].append(term)
    else:
        # The latest term serves today if it began by today and holds the seat through it; a
        # seat with a term starting later is asked about its terms.
        current_ids = [seat.last_term_id for seat in seats if _latest_holds(seat, today)]
        later = [seat.pk for seat in seats if seat.last_start is not None and seat.last_start > today]
        if current_ids or later:
            for term in terms.filter(Q(pk__in=current_ids) | Q(serving_q(today), seat_id__in=later)):
                by_seat[term.seat_id].append(term)
    pending: dict[int, int] = {}
    if nominations:
        pending = dict(Nomination.objects.filter(seat__in=seats, outcome=NominationOutcome.PENDING)
                       .values_list("seat_id").annotate(n=Count("id")).order_by())
    rows = []
    for seat in seats:
        held = by_seat.get(seat.pk, [])
        current = next((t for t in held if term_status(t, today) in (TermStatus.SERVING, TermStatus.HOLDOVER)),
                       None)
        if current is None:
            state = SeatState.VACANT
        elif term_status(current, today) == TermStatus.HOLDOVER:
            state = SeatState.HOLDOVER
        else:
            state = SeatState.HELD
        rows.append(SeatRow(seat, state, current, held if history else [], pending.get(seat.pk, 0), today))
    return rows


def body_seats(body: PublicBody) -> list[Seat]:
    return list(body.seats.all().order_by("position", "name", "id"))


def leader_person_ids(person_ids) -> set[int]:
    """Which of these people are coalition leaders (for staff's marks beside holders)."""
    ids = [pk for pk in set(person_ids) if pk]
    if not ids:
        return set()
    return set(Leader.objects.filter(person_id__in=ids).values_list("person_id", flat=True))


def body_upcoming_meetings(body: PublicBody, *, days: int = 60, today: dt.date | None = None,
                           limit: int = 3) -> list[schedule.Occurrence]:
    today = _today(today)
    return meeting_occurrences(body, today, today + dt.timedelta(days=days))[:limit]


def meeting_occurrences(body: PublicBody, start: dt.date, end: dt.date) -> list[schedule.Occurrence]:
    """The body's meetings with a local date in [start, end]: a regular schedule, or the one
    meeting it has a date for; none after it was dissolved."""
    if body.first_meeting_on is None or body.meeting_starts_at is None:
        return []
    if body.dissolved_on is not None:
        end = min(end, body.dissolved_on)
    rule = meeting_rule(body)
    if body.meeting_frequency and rule is None:
        return []
    return schedule.occurrences(body.meeting_uid, body.first_meeting_on, body.meeting_starts_at, body.time_zone,
                                rule, start, end)


def watched_body_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(notifications.subscribed_object_ids(user, WATCH_TOPIC).values_list("object_id", flat=True))


@dataclass(frozen=True)
class Meeting:
    body: PublicBody
    occurrence: schedule.Occurrence


def meetings_of(bodies, start: dt.date, end: dt.date) -> list[Meeting]:
    """The meetings of these bodies in the window, in time order."""
    found = [Meeting(body, occurrence) for body in bodies for occurrence in meeting_occurrences(body, start, end)]
    return sorted(found, key=lambda m: (m.occurrence.starts_at, m.body.name))


# --- openings -----------------------------------------------------------------------------------------


def opening_bodies(user, *, jurisdiction: Place | None = None, topic: IssueTopic | None = None,
                   body: PublicBody | None = None):
    bodies = visible_bodies(user).filter(dissolved_on__isnull=True)
    if jurisdiction is not None:
        bodies = bodies.filter(jurisdiction=jurisdiction)
    if topic is not None:
        bodies = bodies.filter(topics=topic)
    if body is not None:
        bodies = bodies.filter(pk=body.pk)
    return bodies


def _in_opening_bodies(user, outer: str, **filters) -> Exists:
    # EXISTS rather than IN (SELECT …): SQLite then starts from the terms' own index (ends_on)
    # instead of walking every body's seats.
    return Exists(opening_bodies(user, **filters).filter(pk=OuterRef(outer)))


def _role_class(user) -> str:
    """Who sees the same bodies: a body is public, for members or for staff (never for one table)."""
    viewer = viewer_for(user)
    return "staff" if viewer.is_staff else "member" if viewer.is_member else "public"


class OrderedRows:
    """A list of records known by their ids in order, that pages and the API paginate like a
    QuerySet (count, slices): only a page's rows are read."""

    def __init__(self, ids: list[int], queryset):
        self.ids, self.queryset = ids, queryset

    def count(self) -> int:
        return len(self.ids)

    def exists(self) -> bool:
        return bool(self.ids)

    def filter(self, *args, **kwargs) -> OrderedRows:
        """The rows that also match these conditions, in the same order."""
        kept = set(self.queryset.filter(*args, pk__in=self.ids, **kwargs).values_list("pk", flat=True))
        return OrderedRows([pk for pk in self.ids if pk in kept], self.queryset)

    def __len__(self) -> int:
        return len(self.ids)

    def _fetch(self, ids: list[int]) -> list:
        found = self.queryset.order_by().in_bulk(ids)  # in the ids' order: no sort (nor its joins) needed
        return [found[pk] for pk in ids if pk in found]

    def __getitem__(self, key):
        if isinstance(key, slice):
            return self._fetch(self.ids[key])
        return self._fetch([self.ids[key]])[0]

    def __iter__(self):
        for start in range(0, len(self.ids), 500):
            yield from self._fetch(self.ids[start:start + 500])


def _cached_ids(name: str, user, today: dt.date, filters: dict, compute) -> list[int]:
    """Ids worked out once per data version, day and class of viewer (they see the same bodies),
    for every viewer of that class and every page of the list."""
    parts = [name, PAGES.version_now(), _role_class(user), today.isoformat(),
             *(f"{k}={getattr(v, 'pk', v)}" for k, v in sorted(filters.items()))]
    key = "seats:ids:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
    ids = cache.get(key)
    if ids is None:
        ids = list(compute())
        cache.set(key, ids, 600)
    return ids


def _later_seat_ids(seats, today: dt.date) -> list[int]:
    """The seats (of these) with a term starting after `today`: their latest-term columns do not
    tell who holds them today, their terms do."""
    return list(seats.filter(last_start__gt=today).values_list("id", flat=True))


def _sorted_ids(rows, key) -> list[int]:
    return [row[0] for row in sorted(rows, key=key)]


def vacant_seats(user, today: dt.date | None = None, **filters) -> OrderedRows:
    """Seats of active bodies with nobody holding them today, deadlines known first (soonest
    first), then by body. Read from the seats' latest-term columns (no term at all, or the latest
    one no longer holding the seat: two indexes the database reads together), sorted by the
    database; seats with a term starting later are asked about their terms. The ids are kept per
    data version, day and class of viewer."""
    today = _today(today)

    def compute():
        seats = Seat.objects.filter(_in_opening_bodies(user, "body_id", **filters)).order_by()
        vacant = Q(last_start__isnull=True) | Q(last_until__lt=today)
        later = _later_seat_ids(seats, today)
        if later:
            held = Term.objects.filter(serving_q(today), seat_id__in=later).values_list("seat_id", flat=True)
            vacant |= Q(pk__in=set(later) - set(held))
        return seats.filter(vacant).order_by(F("deadline_on").asc(nulls_last=True), "body__name", "position",
                                             "id").values_list("id", flat=True)

    ids = _cached_ids("vacant", user, today, filters, compute)
    return OrderedRows(ids, Seat.objects.select_related("body__jurisdiction").only(*OPENING_SEAT_FIELDS))


# What an opening shows of its seat, body and jurisdiction, on the page and in the API (a body
# row is wide: its description, its schedule).
OPENING_SEAT_FIELDS = ("id", "public_id", "name", "position", "seat_type", "constituency", "deadline_kind",
                       "deadline_on", "deadline_note", "applications_url", "last_start", "body_id", "body__slug", "body__name",
                       "body__dissolved_on", "body__jurisdiction_id", "body__jurisdiction__slug",
                       "body__jurisdiction__name", "body__jurisdiction__kind")


def _latest_terms(user, today: dt.date, seat_q: Q, term_q: Q, name: str, filters: dict) -> OrderedRows:
    """Terms found through the seats' latest-term columns (`seat_q`), and, on the few seats with
    a term starting later, through their terms (`term_q`), soonest end first."""

    def compute():
        seats = Seat.objects.filter(_in_opening_bodies(user, "body_id", **filters)).order_by()
        later = _later_seat_ids(seats, today)
        if not later:  # as nearly always: the database sorts, and only ids come back
            return seats.filter(seat_q).order_by("last_ends_on", "last_term_id").values_list("last_term_id", flat=True)
        rows = list(seats.filter(seat_q).values_list("last_term_id", "last_ends_on"))
        rows += Term.objects.filter(serving_q(today), term_q, seat_id__in=later).values_list("id", "ends_on")
        return _sorted_ids(rows, lambda r: (r[1], r[0]))

    ids = _cached_ids(name, user, today, filters, compute)
    fields = ("id", "public_id", "seat_id", "starts_on", "ends_on", "left_on", "occupied_until", "holder_name",
              "holder_person_id", *(f"seat__{name}" for name in OPENING_SEAT_FIELDS))
    # The holders' names in a query of their own: joined in, PostgreSQL hashes the whole directory
    # for fifty names.
    holders = Prefetch("holder_person", Person.objects.order_by().only("id", "full_name"))
    return OrderedRows(ids, Term.objects.select_related("seat__body__jurisdiction").prefetch_related(holders)
                       .only(*fields))


def ending_terms(user, today: dt.date | None = None, days: int = ENDING_DAYS, **filters) -> OrderedRows:
    """Terms holding their seat today that end within `days`, soonest first."""
    today = _today(today)
    return _latest_terms(user, today, _ending_q(today, days),
                         Q(ends_on__range=(today, today + dt.timedelta(days=days))), f"ending-{days}", filters)


def holdover_terms(user, today: dt.date | None = None, **filters) -> OrderedRows:
    """Holders serving past their term's end until replaced: the seat is open for appointment."""
    today = _today(today)
    return _latest_terms(user, today, _holdover_q(today), Q(ends_on__lt=today), "holdover", filters)


# --- representation roll-up ----------------------------------------------------------------------------


@dataclass
class RollupRow:
    """One line of the roll-up: seats, who holds them, openings. `bipoc` is a suppressed figure of
    people; `leader_people` is how many leaders hold the line's seats."""

    key: str
    label: str
    seats: int = 0
    held: int = 0
    by_leaders: int = 0
    leader_people: int = 0
    bipoc: Cell | None = None
    vacant: int = 0
    ending_soon: int = 0
    bodies: int = 0
    climate_mobility: bool = False


@dataclass
class Rollup:
    by_topic: list[RollupRow]
    by_jurisdiction: list[RollupRow]
    climate_mobility: RollupRow
    total: RollupRow
    day: dt.date

    @property
    def climate_mobility_rows(self) -> list[RollupRow]:
        return [self.climate_mobility] if self.climate_mobility.bodies else []


def consenting_person_ids(person_ids) -> set[int]:
    """People with an active consent to count how they identify in aggregate figures: of these
    ids, or of a query of person ids (asked as a subquery: a list of a thousand ids costs the
    database more than the subquery)."""
    now = timezone.now()
    if isinstance(person_ids, QuerySet):
        ids = person_ids
    else:
        ids = set(person_ids)
        if not ids:
            return set()
    active = (ConsentRecord.objects.filter(person_id__in=ids, purpose=ConsentPurpose.DEMOGRAPHICS, given_at__lte=now)
              .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=now))
              .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now)))
    return set(active.values_list("person_id", flat=True))


def leader_holdings(today: dt.date) -> list[tuple[int, int]]:
    """(body id, person id) of every seat that a coalition leader holds today, on any body (the
    caller keeps the bodies its viewer may see): read from the seats' latest-term columns, their
    holder from the directory included; the few seats with a term starting later are asked about
    their terms."""
    leaders = Leader.objects.order_by().values("person_id")
    seats = Seat.objects.order_by()
    found = list(seats.filter(_held_q(today), last_holder_person__in=leaders)
                 .values_list("body_id", "last_holder_person_id"))
    later = dict(seats.filter(last_start__gt=today).values_list("pk", "body_id"))
    if later:
        found += [(later[seat], person) for seat, person in
                  Term.objects.filter(serving_q(today), seat_id__in=list(later), holder_person__in=leaders)
                  .order_by().values_list("seat_id", "holder_person_id")]
    return found


def rollup(user, today: dt.date | None = None, *, k: int = 5) -> Rollup:
    """Seats held by coalition leaders, by BIPOC leaders (self-identified, with consent, people
    counted once per line and shown only where five or more stand behind the figure, with
    complementary suppression), vacancies and terms ending soon, per topic and per jurisdiction,
    with the climate, environment and mobility bodies of objective 1.6 as a line of their own."""
    today = _today(today)
    # Every viewer of a class (public, members, staff) sees the same bodies: the roll-up is
    # worked out once per data version, day and class, and kept.
    # Consent is read as it stands now: a withdrawal or an expiry changes the key at once, even
    # one written without signals.
    now = timezone.now()
    consent = ConsentRecord.objects.filter(purpose=ConsentPurpose.DEMOGRAPHICS).aggregate(
        n=Count("id"), last=Max("id"), withdrawn=Count("id", filter=Q(withdrawn_at__lte=now)),
        expired=Count("id", filter=Q(expires_at__lte=now)))
    key = "seats:rollup:" + hashlib.sha256(
        f"{PAGES.version_now()}|{_role_class(user)}|{today.isoformat()}|{k}|{sorted(consent.items())}".encode()
    ).hexdigest()
    found = cache.get(key)
    if found is None:
        found = _rollup(user, today, k)
        cache.set(key, found, 600)
    return found


# The roll-up's two lines that are not a place or a topic, keyed like those: (kind, id).
TOTAL_LINE, CLIMATE_LINE = ("total", None), ("climate_mobility", None)


def _rollup(user, today: dt.date, k: int) -> Rollup:
    # Plain rows without joins, read whole and kept to the viewer's bodies here: the roll-up reads
    # every body of the region, and a filter (or a join to the vocabularies) costs the database
    # more than the few rows it would spare.
    active = visible_bodies(user).filter(dissolved_on__isnull=True).order_by()
    bodies = dict(active.values_list("pk", "jurisdiction_id"))
    topic_pairs = [(body_id, topic_id) for body_id, topic_id in PublicBody.topics.through.objects.order_by()
                   .values_list("publicbody_id", "issuetopic_id") if body_id in bodies]
    identities = dict(Leader.objects.order_by().values_list("person_id", "self_identification"))
    leader_seats = [(body, person) for body, person in leader_holdings(today)
                    if body in bodies and person in identities]  # both read a moment apart
    consenting = consenting_person_ids(Leader.objects.values("person_id"))
    bipoc_people = {person for _body, person in leader_seats
                    if identities[person] == SelfIdentification.BIPOC and person in consenting}

    # The lines a body counts in: its place, each of its topics, the climate line if one of its
    # topics is, and the total — keyed ("place", id), ("topic", id), CLIMATE_LINE and TOTAL_LINE.
    # Each line's figures are [bodies, seats, held, ending soon], summed per place over the
    # bodies and per topic over the (body, topic) pairs, then made into rows; then every
    # leader's seat is counted in its body's lines.
    topic_rows = {pk: (slug, name) for pk, slug, name in IssueTopic.objects.order_by().values_list("pk", "slug", "name")}
    climate_topics = {pk for pk, (slug, _name) in topic_rows.items() if slug in CLIMATE_MOBILITY_TOPICS}
    counts = seat_counts(None, today)
    no_seats = (0, 0, 0)
    of_body = {body_id: counts.get(body_id, no_seats) for body_id in bodies}

    def summed(kind: str, pairs) -> dict:
        lines: dict = {}
        for body_id, line_id in pairs:
            n, held, ending = of_body[body_id]
            line = lines.get((kind, line_id))
            if line is None:
                lines[(kind, line_id)] = [1, n, held, ending]
            else:
                line[0] += 1
                line[1] += n
                line[2] += held
                line[3] += ending
        return lines

    topics_of: dict[int, list[int]] = defaultdict(list)
    for body_id, topic_id in topic_pairs:
        topics_of[body_id].append(topic_id)
    climate_bodies = {body_id for body_id, topics in topics_of.items() if not climate_topics.isdisjoint(topics)}
    figures = summed("place", bodies.items())
    figures.update(summed("topic", topic_pairs))
    # Every body has one place: the total is the places' sum. Both lines show even when empty.
    place_figures = [line for key, line in figures.items() if key[0] == "place"]
    figures[TOTAL_LINE] = [sum(column) for column in zip(*place_figures, strict=True)] or [0, 0, 0, 0]
    figures[CLIMATE_LINE] = summed(CLIMATE_LINE[0], ((body_id, None) for body_id in climate_bodies)).get(
        CLIMATE_LINE, [0, 0, 0, 0])
    by_leaders: dict = defaultdict(int)
    people: dict = defaultdict(set)
    for body_id, person in leader_seats:
        keys = [("place", bodies[body_id]), *(("topic", topic) for topic in topics_of.get(body_id, ())), TOTAL_LINE]
        if body_id in climate_bodies:
            keys.append(CLIMATE_LINE)
        for key in keys:
            by_leaders[key] += 1
            people[key].add(person)
    place_rows = {pk: (slug, name) for pk, slug, name in
                  Place.objects.filter(pk__in=set(bodies.values())).order_by().values_list("pk", "slug", "name")}
    lines: dict = {}
    for key, (n, seats, held, ending) in figures.items():
        if key in (TOTAL_LINE, CLIMATE_LINE):
            row = RollupRow(key[0], "", climate_mobility=key == CLIMATE_LINE)
        elif key[0] == "place":
            slug, name = place_rows.get(key[1], ("", ""))
            row = RollupRow(f"place:{slug}", name)
        else:
            slug, name = topic_rows.get(key[1], ("", ""))
            row = RollupRow(f"topic:{slug}", name, climate_mobility=key[1] in climate_topics)
        row.bodies, row.seats, row.held, row.ending_soon, row.vacant = n, seats, held, ending, seats - held
        row.by_leaders, row.leader_people = by_leaders[key], len(people[key])
        lines[key] = row
    total, climate_line = lines[TOTAL_LINE], lines[CLIMATE_LINE]
    # Suppression, as lines × (BIPOC, other leaders), with each line's leaders published (ADR 20):
    # - a small cell always hides its partner in the line, and a line whose leaders are all BIPOC
    #   is hidden too ("all five" says it of each);
    # - the places add up to (about) the total, so they are one table whose column sums are the
    #   total's figures: a hidden place hides a second place too;
    # - topics overlap (a body has several) and add up to nothing published, so each topic line,
    #   the climate line and the total are protected on their own;
    # - where every leader of one line is also in a larger line (a place in the total, a climate
    #   topic in the climate line), the larger's figures less the smaller's must not disclose
    #   either: the smaller is hidden, and a place hidden so hides a second place again.
    bipoc_of = {key: len(people[key] & bipoc_people) for key in lines}
    all_bipoc = {key for key, n in bipoc_of.items() if n and n == lines[key].leader_people}
    places = [key for key in lines if key[0] == "place"]
    cells = {}
    for key in places:
        cells[(key, "bipoc")], cells[(key, "other")] = bipoc_of[key], lines[key].leader_people - bipoc_of[key]
    forced: set = set()
    while True:
        hidden = suppress(cells, k=k, dims=2,
                          hide=[(key, "bipoc") for key in places if key in all_bipoc or key in forced])
        for key in places:
            lines[key].bipoc = hidden[(key, "bipoc")]
        for key, row in lines.items():
            if key[0] == "place":
                continue
            if key in all_bipoc or key in forced:
                row.bipoc = Cell(None, True, DISCLOSIVE)
            else:
                row.bipoc = suppress({"bipoc": bipoc_of[key], "other": row.leader_people - bipoc_of[key]}, k=k)["bipoc"]
        shown = {key: frozenset(people[key]) for key, row in lines.items() if not row.bipoc.suppressed}
        more = nested_disclosures(shown, bipoc_people, k) - forced
        if not more:
            break
        forced |= more
    return Rollup(
        by_topic=sorted((r for key, r in lines.items() if key[0] == "topic"), key=lambda r: r.label),
        by_jurisdiction=sorted((r for key, r in lines.items() if key[0] == "place"), key=lambda r: r.label),
        climate_mobility=climate_line,
        total=total,
        day=today,
    )


# --- leadership pipeline -------------------------------------------------------------------------------


def leader_list(user, *, q: str = "", readiness: str = "", topic: IssueTopic | None = None):
    leaders = Leader.objects.visible_to(user).select_related("person")
    if q:
        leaders = leaders.filter(person__full_name__icontains=q)
    if readiness:
        leaders = leaders.filter(readiness=readiness)
    if topic is not None:
        leaders = leaders.filter(topics=topic)
    return leaders.prefetch_related("topics").order_by("person__name_folded", "id")


@dataclass(frozen=True)
class PathStep:
    """One step of a leader's path from interest to seat, for their page."""

    on: dt.date | None
    kind: str  # interest | training | nomination | outcome | term | support
    title: str
    detail: str = ""
    obj: object = None


def _on_seen_bodies(queryset, viewer, field: str = "seat__body"):
    """Rows on bodies the viewer may see (all, for staff or when no viewer is given): a body kept
    to staff while a campaign is planned stays so on a leader's own page too."""
    if viewer is None or viewer_for(viewer).is_staff:
        return queryset
    return queryset.filter(**{f"{field}__in": visible_bodies(viewer)})


def leader_path(leader: Leader, viewer=None) -> list[PathStep]:
    """The leader's path, oldest first: interest, trainings, nominations and outcomes, terms
    held, support while seated (five queries); nominations and terms only on bodies `viewer` may
    see."""
    steps: list[PathStep] = []
    if leader.interested_since:
        steps.append(PathStep(leader.interested_since, "interest", gettext("Interest in serving")))
    for training in leader.trainings.all():
        steps.append(PathStep(training.attended_on, "training", training.name, training.provider, training))
    for nomination in _on_seen_bodies(leader.nominations.select_related("seat__body").prefetch_related("endorsements"),
                                      viewer):
        steps.append(PathStep(nomination.nominated_on, "nomination", str(nomination.seat), "", nomination))
        if nomination.outcome != NominationOutcome.PENDING:
            steps.append(PathStep(nomination.outcome_on, "outcome", nomination.get_outcome_display(),
                                  str(nomination.seat), nomination))
    for term in _on_seen_bodies(Term.objects.filter(holder_person_id=leader.person_id), viewer).select_related(
            "seat__body"):
        steps.append(PathStep(term.starts_on, "term", str(term.seat), "", term))
    for contact in SupportContact.objects.filter(leader=leader):
        steps.append(PathStep(contact.on, "support", contact.get_kind_display(), contact.notes, contact))
    order = {"interest": 0, "training": 1, "nomination": 2, "outcome": 3, "term": 4, "support": 5}
    return sorted(steps, key=lambda s: (s.on or dt.date.min, order[s.kind]))


def leader_terms(leader: Leader, viewer=None) -> list[Term]:
    return list(_on_seen_bodies(Term.objects.filter(holder_person_id=leader.person_id), viewer)
                .select_related("seat__body"))


def nomination_list(user, *, outcome: str = ""):
    nominations = (Nomination.objects.select_related("seat__body", "leader__person")
                   .prefetch_related("endorsements").order_by("-nominated_on", "-id"))
    if outcome:
        nominations = nominations.filter(outcome=outcome)
    return nominations


def seat_nominations(seat: Seat):
    return (Nomination.objects.filter(seat=seat).select_related("leader__person")
            .prefetch_related("endorsements").order_by("-nominated_on", "-id"))


# --- engagement log ------------------------------------------------------------------------------------


def process_list(user, *, q: str = "", kind: str = "", body: PublicBody | None = None, investment: str = ""):
    processes = visible_processes(user).select_related("body", "investment")
    if investment:
        # Only an investment the viewer may see: a hidden one's slug finds nothing, as an unknown
        # one does, rather than the visible processes that concern it.
        processes = processes.filter(investment__in=visible_investments(user).filter(slug=investment))
    if q:
        processes = processes.filter(Q(title__icontains=q) | Q(agency__icontains=q))
    if kind:
        processes = processes.filter(kind=kind)
    if body is not None:
        processes = processes.filter(body=body)
    return processes.order_by("-held_on", "-id")


def process_links(processes, user) -> tuple[set[int], set[int]]:
    """The ids of the bodies and investments these processes concern that the viewer may see (a
    process can be public while its body or investment is not): one query each, none for staff."""
    bodies = {p.body_id for p in processes if p.body_id}
    investments = {p.investment_id for p in processes if p.investment_id}
    if viewer_for(user).is_staff:
        return bodies, investments
    return (set(visible_bodies(user).filter(pk__in=bodies).values_list("pk", flat=True)) if bodies else set(),
            set(visible_investments(user).filter(pk__in=investments).values_list("pk", flat=True))
            if investments else set())


def investment_related(*, investment, user) -> dict | None:
    """The investment page's line about this app (core.hooks `investments.related`): how many
    agency processes on it were logged with their engagement scores (one COUNT), or nothing."""
    count = visible_processes(user).filter(investment=investment).count()
    if not count:
        return None
    return {
        "label": gettext("Engagement logged"),
        "text": ngettext("%(count)s agency process scored", "%(count)s agency processes scored", count)
        % {"count": count},
        "url": f"{reverse('seats:process_list')}?{urlencode({'investment': investment.slug})}",
    }


def person_related(*, person, user) -> dict | None:
    """The directory person page's line about this app (core.hooks `directory.person.related`):
    the link to their path toward a seat, for staff and the person themselves (no query for
    anyone else)."""
    viewer = viewer_for(user)
    if not (viewer.is_staff or (viewer.person_id and viewer.person_id == person.pk)):
        return None
    leader = Leader.objects.filter(person=person).only("public_id").first()
    if leader is None:
        return None
    return {"label": gettext("Seats at decision tables"), "text": gettext("Path from interest to seat"),
            "url": reverse("seats:leader_detail", args=[leader.public_id])}


def prefetch_body_topics():
    return Prefetch("topics", queryset=IssueTopic.objects.order_by("name"))
