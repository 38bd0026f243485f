"""The seats JSON API: public bodies and their seats, terms and openings, the representation
roll-up, the leadership pipeline (leaders, nominations and their outcomes) and the engagement log.

Each endpoint is the pages' twin (ADR 6): the same `*_get_for_user` (what the caller may not see
answers 404), the same `can_*` predicates of `seats.permissions` (seen but not allowed answers 403),
the same selectors and the same audited services, whose refusals (a seat that is full, terms that
overlap, a nomination to a dissolved body) become 422s with one entry per field, nothing written.

Reads of bodies, seats, openings and processes accept a token, a session or nothing: without
credentials they show what an anonymous visitor may see. The roll-up (members), the pipeline
(staff; a leader sees their own page) and every write need a token or a signed-in session, and
answer 401 without one. How a leader identifies is never in any answer; which holders are
coalition leaders only in staff's.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Respond

from commontable.accounts.api import api_auth_signed_in
from commontable.core.deadlines import DeadlineKind
from commontable.core.models import IssueTopic, Place
from commontable.core.suppression import Cell
from commontable.core.visibility import viewer_for
from commontable.directory import permissions as directory_permissions
from commontable.directory.api import _forbidden, _page, _reject_unknown_query
from commontable.investments import permissions as investment_permissions
from commontable.investments.api_shapes import References, error_entry, query_error, validation_error
from commontable.seats import permissions, selectors, services
from commontable.seats.choices import (
    BodyKind,
    NominationOutcome,
    ProcessKind,
    Readiness,
    SeatState,
    SeatType,
    TermStatus,
)
from commontable.seats.models import EngagementProcess, Leader, Nomination, PublicBody, Seat, Term
from commontable.seats.schemas import (
    BodyDetailOut,
    BodyFilters,
    BodyIn,
    BodyPage,
    BodyPatch,
    Error,
    LeaderDetailOut,
    LeaderFilters,
    LeaderIn,
    LeaderPage,
    NoFilters,
    NominationIn,
    NominationOut,
    OpeningFilters,
    OpeningPage,
    OutcomeIn,
    ProcessFilters,
    ProcessIn,
    ProcessOut,
    ProcessPage,
    RollupOut,
    SeatDetailOut,
    SeatIn,
    Slug,
    TermIn,
    TermOut,
    ValidationErrorOut,
)

router = Router(tags=["seats"])

PUBLIC_ONLY = (
    "Without credentials this answers 200 with what an anonymous visitor may see (public records), "
    "never 401; a token that is unknown, revoked or expired answers 401."
)
STAFF_ONLY = "Staff. "
READ = {404: Error, 422: ValidationErrorOut}
SIGNED_IN_READ = {401: Error, 403: Error, 404: Error, 422: ValidationErrorOut}
WRITE = {401: Error, 403: Error, 404: Error, 422: ValidationErrorOut}
CREATE = {401: Error, 403: Error, 422: ValidationErrorOut}


def _today() -> dt.date:
    return timezone.localdate()


def _is_staff(user) -> bool:
    return viewer_for(user).is_staff


# ---------------------------------------------------------------------------------------------
# Input: slugs and ids resolved to records the caller may see


class Refs(References):
    """References of a body (places, topics, organizations, people, leaders, bodies, investments)
    resolved to what the caller may see; every unknown one is a field-level error, all reported
    together by `check()`."""

    def topics(self, slugs, field):
        return self._many(IssueTopic.objects.all(), slugs, field)

    def places(self, slugs, field):
        return self._many(Place.objects.all(), slugs, field)

    def body(self, slug, field):
        return self._one(permissions.visible_bodies(self.user), slug, field, _("Unknown public body."))

    def investment(self, slug, field):
        queryset = investment_permissions.visible_investments(self.user)
        return self._one(queryset, slug, field, _("Unknown investment."))

    def _by_id(self, queryset, public_id, field, message):
        if public_id is None:
            return None
        found = queryset.filter(public_id=public_id).first()
        if found is None:
            self.errors.append(error_entry(["body", "payload", field], message, "unknown_id"))
        return found

    def person(self, public_id, field):
        people = directory_permissions.visible_people(self.user)
        return self._by_id(people, public_id, field, _("Unknown person."))

    def leader(self, public_id, field):
        leaders = permissions.visible_leaders(self.user).select_related("person")
        return self._by_id(leaders, public_id, field, _("Unknown leader."))


def _query_place(slug: str | None, field: str = "jurisdiction") -> Place | None:
    if slug is None:
        return None
    place = Place.objects.filter(slug=slug).first()
    if place is None:
        raise query_error(field, _("Unknown place."))
    return place


def _query_topic(slug: str | None, field: str = "topic") -> IssueTopic | None:
    if slug is None:
        return None
    topic = IssueTopic.objects.filter(slug=slug).first()
    if topic is None:
        raise query_error(field, _("Unknown topic."))
    return topic


def _numbers_text(values: list[int]) -> str:
    return ",".join(str(v) for v in sorted(set(values)))


def _numbers(text: str) -> list[int]:
    try:
        return [int(part) for part in (text or "").replace(" ", "").split(",") if part]
    except ValueError:
        return []


# ---------------------------------------------------------------------------------------------
# Shapes out


def _place(place: Place) -> dict:
    return {"slug": place.slug, "name": place.name, "kind": place.kind}


def _body_ref(body: PublicBody) -> dict:
    return {"slug": body.slug, "name": body.name, "jurisdiction": _place(body.jurisdiction),
            "dissolved_on": body.dissolved_on}


def _seat_ref(seat: Seat) -> dict:
    return {"public_id": seat.public_id, "name": seat.name, "body": _body_ref(seat.body)}


def _deadline(seat: Seat) -> dict:
    kind = seat.deadline_kind
    return {"kind": kind, "kind_label": str(DeadlineKind(kind).label) if kind else "", "on": seat.deadline_on,
            "note": seat.deadline_note, "applications_url": seat.applications_url}


def _term_out(term: Term, today: dt.date, *, staff: bool, leaders: set[int]) -> dict:
    status = selectors.term_status(term, today)
    return {
        "public_id": term.public_id, "holder_name": term.holder_label, "starts_on": term.starts_on,
        "ends_on": term.ends_on, "left_on": term.left_on, "status": status,
        "status_label": str(TermStatus(status).label),
        "is_coalition_leader": (term.holder_person_id in leaders) if staff else None,
        "notes": term.notes if staff else None,
    }


def _seat_out(row: selectors.SeatRow, today: dt.date, *, staff: bool, leaders: set[int]) -> dict:
    seat = row.seat
    return {
        "public_id": seat.public_id, "name": seat.name, "seat_type": seat.seat_type,
        "seat_type_label": str(SeatType(seat.seat_type).label), "constituency": seat.constituency,
        "eligibility": seat.eligibility, "term_length_months": seat.term_length_months,
        "holdover_allowed": seat.holdover_allowed, "position": seat.position, "deadline": _deadline(seat),
        "state": row.state, "state_label": str(SeatState(row.state).label),
        "current": _term_out(row.current, today, staff=staff, leaders=leaders) if row.current else None,
    }


def _leader_marks(user, terms) -> set[int]:
    """Which holders are coalition leaders: asked (one query) only for staff, who alone see it."""
    if not permissions.can_see_leader_marks.test(user):
        return set()
    return selectors.leader_person_ids(t.holder_person_id for t in terms if t is not None)


def _body_out(body: PublicBody, counts: dict) -> dict:
    return {
        "public_id": body.public_id, "slug": body.slug, "name": body.name, "kind": body.kind,
        "kind_label": str(BodyKind(body.kind).label), "jurisdiction": _place(body.jurisdiction),
        "topics": [{"slug": t.slug, "name": t.name} for t in body.topics.all()],
        "appointing_authority": body.appointing_authority, "url": body.url, "dissolved_on": body.dissolved_on,
        "visibility": body.visibility, "seat_counts": counts,
    }


def _body_detail(body: PublicBody, user) -> dict:
    """Everything the body's page shows: topics, schedule, the next meetings, every seat with its
    state today and its current holder."""
    today = _today()
    prefetch_related_objects([body], selectors.prefetch_body_topics())
    rows = selectors.seat_rows(selectors.body_seats(body), today, history=False)
    staff = _is_staff(user)
    leaders = _leader_marks(user, [row.current for row in rows])
    soon = today + dt.timedelta(days=selectors.ENDING_DAYS)
    held = sum(1 for row in rows if row.state != SeatState.VACANT)
    counts = {"seats": len(rows), "held": held, "vacant": len(rows) - held,
              "ending_soon": sum(1 for row in rows if row.state == SeatState.HELD and row.current.ends_on
                                 and today <= row.current.ends_on <= soon)}
    out = _body_out(body, counts)
    out.update(
        description=body.description, meeting_location=body.meeting_location,
        meeting_frequency=body.meeting_frequency, meeting_interval=body.meeting_interval,
        meeting_weekdays=_numbers(body.meeting_weekdays), meeting_nth=_numbers(body.meeting_nth),
        first_meeting_on=body.first_meeting_on, meeting_starts_at=body.meeting_starts_at,
        meeting_ends_at=body.meeting_ends_at, time_zone=body.time_zone,
        upcoming_meetings=[{"uid": o.uid, "on": o.on, "at": o.at, "time_zone": o.zone, "starts_at": o.starts_at}
                           for o in selectors.body_upcoming_meetings(body, today=today)],
        seats=[_seat_out(row, today, staff=staff, leaders=leaders) for row in rows],
        permissions={"can_manage": permissions.can_manage_seats.test(user)},
    )
    return out


def _nomination_out(nomination: Nomination) -> dict:
    term = nomination.term
    return {
        "public_id": nomination.public_id, "seat": _seat_ref(nomination.seat),
        "leader": {"public_id": nomination.leader.public_id, "full_name": nomination.leader.person.full_name},
        "nominated_on": nomination.nominated_on,
        "endorsements": [{"slug": o.slug, "name": o.name} for o in nomination.endorsements.all()],
        "outcome": nomination.outcome, "outcome_label": str(NominationOutcome(nomination.outcome).label),
        "outcome_on": nomination.outcome_on,
        "term": {"public_id": term.public_id, "starts_on": term.starts_on, "ends_on": term.ends_on} if term else None,
        "notes": nomination.notes,
    }


def _nominations(queryset):
    return (queryset.select_related("seat__body__jurisdiction", "leader__person", "term")
            .prefetch_related("endorsements"))


def _seat_detail(seat: Seat, user) -> dict:
    """A seat with its whole history of holders (and, for staff, its nominations)."""
    today = _today()
    staff = _is_staff(user)
    manage = permissions.can_manage_pipeline.test(user)
    [row] = selectors.seat_rows([seat], today)
    leaders = _leader_marks(user, row.history)
    out = _seat_out(row, today, staff=staff, leaders=leaders)
    out.update(
        body=_body_ref(seat.body),
        terms=[_term_out(t, today, staff=staff, leaders=leaders) for t in row.history],
        nominations=[_nomination_out(n) for n in _nominations(selectors.seat_nominations(seat))] if manage else None,
        permissions={"can_manage": permissions.can_manage_seats.test(user)},
    )
    return out


def _leader_out(leader: Leader) -> dict:
    return {
        "public_id": leader.public_id,
        "person": {"public_id": leader.person.public_id, "full_name": leader.person.full_name},
        "readiness": leader.readiness, "readiness_label": str(Readiness(leader.readiness).label),
        "interested_since": leader.interested_since,
        "topics": [{"slug": t.slug, "name": t.name} for t in leader.topics.all()],
        "places": [_place(p) for p in leader.places.all()],
    }


def _leader_detail(leader: Leader, user) -> dict:
    """A leader's page: their interests, trainings and path from interest to seat. Never how they
    identify; staff's notes only to staff."""
    prefetch_related_objects([leader], "topics", "places", "trainings")
    manage = permissions.can_manage_pipeline.test(user)
    out = _leader_out(leader)
    out.update(
        support_needs=leader.support_needs,
        notes=leader.notes if manage else None,
        trainings=[{"name": t.name, "provider": t.provider, "attended_on": t.attended_on}
                   for t in leader.trainings.all()],
        path=[{"on": s.on, "kind": s.kind, "title": s.title, "detail": s.detail} for s in selectors.leader_path(leader, user)],
        permissions={"can_manage": manage},
    )
    return out


def _processes_out(processes: list[EngagementProcess], user) -> list[dict]:
    """Processes with the body and investment they concern named only where the caller may see
    them (one query each for the page's, never one per row; none for staff)."""
    bodies, investments = selectors.process_links(processes, user)
    out = []
    for process in processes:
        body, investment = process.body, process.investment
        out.append({
            "public_id": process.public_id, "title": process.title, "agency": process.agency,
            "kind": process.kind, "kind_label": str(ProcessKind(process.kind).label),
            "body": _body_ref(body) if body is not None and body.pk in bodies else None,
            "investment": ({"slug": investment.slug, "name": investment.name}
                           if investment is not None and investment.pk in investments else None),
            "held_on": process.held_on, "language_access": process.language_access,
            "interpretation": process.interpretation, "accommodations": process.accommodations,
            "timing_and_place": process.timing_and_place, "input_changed_decision": process.input_changed_decision,
            "score": process.score, "observations": process.observations, "visibility": process.visibility,
        })
    return out


def _processes(queryset):
    return queryset.select_related("body__jurisdiction", "investment")


# ---------------------------------------------------------------------------------------------
# Public bodies


@router.get("/seats/bodies", response={200: BodyPage, 422: ValidationErrorOut}, operation_id="seat_body_list",
            summary="List public bodies",
            description="Public bodies you may see, by name, filtered as on the bodies page, each with its seats "
            "held, vacant and ending within 90 days. Dissolved bodies only with `include_dissolved=yes`. "
            + PUBLIC_ONLY)
def body_list(request: HttpRequest, filters: Query[BodyFilters]):
    _reject_unknown_query(request, BodyFilters)
    user = request.user
    bodies = selectors.body_list(user, q=filters.q or "", jurisdiction=_query_place(filters.jurisdiction),
                                 topic=_query_topic(filters.topic), kind=filters.kind or "",
                                 include_dissolved=filters.include_dissolved == "yes")
    count, page = _page(bodies.prefetch_related(selectors.prefetch_body_topics()), filters)
    summaries = selectors.body_summaries([b.pk for b in page], _today()) if page else {}
    items = []
    for body in page:
        summary = summaries[body.pk]
        items.append(_body_out(body, {"seats": summary.seats, "held": summary.held, "vacant": summary.vacant,
                                      "ending_soon": summary.ending_soon}))
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": items}


@router.get("/seats/bodies/{slug}", response={200: BodyDetailOut, **READ}, operation_id="seat_body_get",
            summary="A public body",
            description="Its topics, schedule and next meetings, and every seat with its state today, its current "
            "holder and their term's dates. Which holders are coalition leaders is shown to staff only.")
def body_get(request: HttpRequest, slug: Slug):
    _reject_unknown_query(request, NoFilters)
    return _body_detail(permissions.body_get_for_user(request.user, slug), request.user)


def _body_fields(user, data: dict) -> dict:
    refs = Refs(user)
    if "jurisdiction" in data:
        data["jurisdiction"] = refs.place(data["jurisdiction"], "jurisdiction")
    if "topics" in data:
        data["topics"] = refs.topics(data["topics"], "topics")
    refs.check()
    for field in ("meeting_weekdays", "meeting_nth"):
        if field in data:
            data[field] = _numbers_text(data[field])
    return data


@router.post("/seats/bodies", auth=api_auth_signed_in, response={201: BodyDetailOut, **CREATE},
             operation_id="seat_body_create", summary="Add a public body",
             description=STAFF_ONLY + "Its slug is made from its name and jurisdiction. A regular schedule needs "
             "its first meeting and start time; a monthly one its weekdays and weeks of the month.")
def body_create(request: HttpRequest, payload: BodyIn):
    _reject_unknown_query(request, NoFilters)  # a write takes no parameters: `?dry_run=1` must not write
    user = request.user
    if not permissions.can_manage_seats.test(user):
        raise _forbidden()
    data = _body_fields(user, payload.model_dump())
    try:
        body = services.body_create(actor=user, **data)
    except DjangoValidationError as exc:
        raise validation_error(exc, BodyIn.model_fields) from exc
    return Respond(201, _body_detail(body, user))


@router.patch("/seats/bodies/{slug}", auth=api_auth_signed_in, response={200: BodyDetailOut, **WRITE},
              operation_id="seat_body_update", summary="Change a public body",
              description=STAFF_ONLY + "Only the fields sent are changed; `topics` replaces the list. Changing "
              "when or where it meets updates the meetings in calendar feeds. Every change is audited.")
def body_update(request: HttpRequest, slug: Slug, payload: BodyPatch):
    _reject_unknown_query(request, NoFilters)  # a write takes no parameters: `?dry_run=1` must not write
    user = request.user
    body = permissions.body_get_for_user(user, slug)
    if not permissions.can_manage_seats.test(user):
        raise _forbidden()
    data = _body_fields(user, payload.model_dump(exclude_unset=True))
    try:
        body = services.body_update(actor=user, body=body, **data)
    except DjangoValidationError as exc:
        raise validation_error(exc, BodyPatch.model_fields) from exc
    return _body_detail(body, user)


# ---------------------------------------------------------------------------------------------
# Seats and terms


@router.get("/seats/seats/{public_id}", response={200: SeatDetailOut, **READ}, operation_id="seat_get",
            summary="A seat",
            description="A seat of a body you may see: how it is filled, who is eligible, its application deadline, "
            "its state today and every holder, newest first. Staff also see which holders are coalition leaders "
            "and the seat's nominations.")
def seat_get(request: HttpRequest, public_id: uuid.UUID):
    _reject_unknown_query(request, NoFilters)
    return _seat_detail(permissions.seat_get_for_user(request.user, public_id), request.user)


@router.post("/seats/bodies/{slug}/seats", auth=api_auth_signed_in, response={201: SeatDetailOut, **WRITE},
             operation_id="seat_create", summary="Add a seat to a body",
             description=STAFF_ONLY + "Its name is unique within the body. An application deadline is one of the "
             "shared kinds: `hard_date` and `review_begins` need a date, `rolling` and `open_until_filled` take none.")
def seat_create(request: HttpRequest, slug: Slug, payload: SeatIn):
    _reject_unknown_query(request, NoFilters)  # a write takes no parameters: `?dry_run=1` must not write
    user = request.user
    body = permissions.body_get_for_user(user, slug)
    if not permissions.can_manage_seats.test(user):
        raise _forbidden()
    try:
        seat = services.seat_create(actor=user, body=body, **payload.model_dump())
    except DjangoValidationError as exc:
        raise validation_error(exc, SeatIn.model_fields) from exc
    return Respond(201, _seat_detail(seat, user))


@router.post("/seats/seats/{public_id}/terms", auth=api_auth_signed_in, response={201: TermOut, **WRITE},
             operation_id="seat_term_create", summary="Record a term on a seat",
             description=STAFF_ONLY + "A holder's term, past, present or future. A holdover on the seat ends the day "
             "before the new term starts. A term that starts while another is still running (the seat is full) or "
             "that runs into a later one (overlap) is refused with 422, nothing written.")
def term_create(request: HttpRequest, public_id: uuid.UUID, payload: TermIn):
    _reject_unknown_query(request, NoFilters)  # a write takes no parameters: `?dry_run=1` must not write
    user = request.user
    seat = permissions.seat_get_for_user(user, public_id)
    if not permissions.can_manage_seats.test(user):
        raise _forbidden()
    refs = Refs(user)
    holder = refs.person(payload.holder_person, "holder_person")
    refs.check()
    ends_on = (payload.ends_on if "ends_on" in payload.model_fields_set
               else services.term_default_end(seat, payload.starts_on))
    try:
        term = services.term_record(actor=user, seat=seat, starts_on=payload.starts_on, ends_on=ends_on,
                                    left_on=payload.left_on, holder_person=holder, holder_name=payload.holder_name,
                                    notes=payload.notes)
    except DjangoValidationError as exc:
        raise validation_error(exc, TermIn.model_fields) from exc
    term = Term.objects.select_related("holder_person").get(pk=term.pk)
    return Respond(201, _term_out(term, _today(), staff=_is_staff(user), leaders=_leader_marks(user, [term])))


# ---------------------------------------------------------------------------------------------
# Openings and the roll-up


def _opening(kind: str, seat: Seat, term: Term | None) -> dict:
    return {
        "kind": kind, "seat": _seat_ref(seat), "seat_type": seat.seat_type, "constituency": seat.constituency,
        "holder_name": term.holder_label if term else None, "term_ends_on": term.ends_on if term else None,
        "deadline": _deadline(seat),
    }


@router.get("/seats/openings", response={200: OpeningPage, 422: ValidationErrorOut}, operation_id="seat_opening_list",
            summary="Openings: vacancies, terms ending soon, holdovers",
            description="Seats of active bodies you may see: `show=vacant` (the default) nobody holds today, by "
            "deadline; `show=ending` terms ending within 90 days, soonest first; `show=holdover` holders serving past "
            "their term's end until replaced. Each with the application deadline where known. " + PUBLIC_ONLY)
def opening_list(request: HttpRequest, filters: Query[OpeningFilters]):
    _reject_unknown_query(request, OpeningFilters)
    user = request.user
    where = {"jurisdiction": _query_place(filters.jurisdiction), "topic": _query_topic(filters.topic)}
    today = _today()
    if filters.show == "vacant":
        count, seats = _page(selectors.vacant_seats(user, today, **where), filters)
        items = [_opening("vacant", seat, None) for seat in seats]
    else:
        found = selectors.ending_terms if filters.show == "ending" else selectors.holdover_terms
        count, terms = _page(found(user, today, **where), filters)
        items = [_opening(filters.show, term.seat, term) for term in terms]
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": items}


def _figure(cell: Cell | None) -> dict:
    if cell is None or cell.suppressed:
        return {"value": None, "suppressed": bool(cell and cell.suppressed)}
    return {"value": cell.value, "suppressed": False}


def _rollup_row(row: selectors.RollupRow, label: str | None = None) -> dict:
    return {
        # A topic's name in the reader's language where the catalogs know it (IssueTopic.label).
        "key": row.key, "label": label if label is not None else (_(row.label) if row.label else ""),
        "bodies": row.bodies, "seats": row.seats,
        "held": row.held, "vacant": row.vacant, "ending_soon": row.ending_soon, "held_by_leaders": row.by_leaders,
        "leaders": row.leader_people, "bipoc_leaders": _figure(row.bipoc), "climate_mobility": row.climate_mobility,
    }


@router.get("/seats/representation", auth=api_auth_signed_in, response={200: RollupOut, **SIGNED_IN_READ},
            operation_id="seat_representation", summary="The representation roll-up",
            description="Members. Per topic and per jurisdiction, with the climate, environment and mobility bodies "
            "as a line of their own: seats, held, vacant, ending within 90 days, held by coalition leaders, and "
            "how many of those leaders self-identify as BIPOC (with consent). That figure is null with "
            "`suppressed: true` where fewer than five people stand behind it, where it would say how every "
            "leader of a line identifies, or where it could be worked out from the others (ADR 20).")
def representation(request: HttpRequest):
    _reject_unknown_query(request, NoFilters)
    user = request.user
    if not permissions.can_see_rollup.test(user):
        raise _forbidden(_("The roll-up is for members of the coalition."))
    k = 5
    found = selectors.rollup(user, _today(), k=k)
    return {
        "day": found.day, "minimum": k,
        "total": _rollup_row(found.total, _("All bodies")) | {"key": "total"},
        "climate_mobility": _rollup_row(found.climate_mobility, _("Climate, environment and mobility"))
        | {"key": "climate_mobility", "climate_mobility": True},
        "by_topic": [_rollup_row(r) for r in found.by_topic],
        "by_jurisdiction": [_rollup_row(r) for r in found.by_jurisdiction],
    }


# ---------------------------------------------------------------------------------------------
# Leadership pipeline


@router.get("/seats/leaders", auth=api_auth_signed_in, response={200: LeaderPage, **SIGNED_IN_READ},
            operation_id="seat_leader_list", summary="List leaders",
            description=STAFF_ONLY + "The coalition's leaders, by name, with their readiness and interests.")
def leader_list(request: HttpRequest, filters: Query[LeaderFilters]):
    _reject_unknown_query(request, LeaderFilters)
    user = request.user
    if not permissions.can_manage_pipeline.test(user):
        raise _forbidden(_("The leadership pipeline is kept by staff."))
    leaders = selectors.leader_list(user, q=filters.q or "", readiness=filters.readiness or "",
                                    topic=_query_topic(filters.topic))
    count, page = _page(leaders.prefetch_related("places"), filters)
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": [_leader_out(x) for x in page]}


@router.get("/seats/leaders/{public_id}", auth=api_auth_signed_in, response={200: LeaderDetailOut, **SIGNED_IN_READ},
            operation_id="seat_leader_get", summary="A leader and their path",
            description="Staff, or the leader themselves (anyone else: 404). Interests, trainings and the path from "
            "interest to seat: nominations, outcomes, terms held and support while seated.")
def leader_get(request: HttpRequest, public_id: uuid.UUID):
    _reject_unknown_query(request, NoFilters)
    return _leader_detail(permissions.leader_get_for_user(request.user, public_id), request.user)


@router.post("/seats/leaders", auth=api_auth_signed_in, response={201: LeaderDetailOut, **CREATE},
             operation_id="seat_leader_create", summary="Add a leader to the pipeline",
             description=STAFF_ONLY + "A person in the directory, once. How they identify is asked on their page, "
             "with their consent, never through the API.")
def leader_create(request: HttpRequest, payload: LeaderIn):
    _reject_unknown_query(request, NoFilters)  # a write takes no parameters: `?dry_run=1` must not write
    user = request.user
    if not permissions.can_manage_pipeline.test(user):
        raise _forbidden()
    refs = Refs(user)
    data = payload.model_dump()
    data["person"] = refs.person(data["person"], "person")
    data["topics"] = refs.topics(data["topics"], "topics")
    data["places"] = refs.places(data["places"], "places")
    refs.check()
    try:
        leader = services.leader_create(actor=user, **data)
    except DjangoValidationError as exc:
        raise validation_error(exc, LeaderIn.model_fields) from exc
    return Respond(201, _leader_detail(leader, user))


@router.post("/seats/seats/{public_id}/nominations", auth=api_auth_signed_in, response={201: NominationOut, **WRITE},
             operation_id="seat_nomination_create", summary="Nominate a leader to a seat",
             description=STAFF_ONLY + "A leader put forward on a day, endorsed by member organizations. A seat of a "
             "dissolved body takes no nominations, and a leader has one pending nomination per seat.")
def nomination_create(request: HttpRequest, public_id: uuid.UUID, payload: NominationIn):
    _reject_unknown_query(request, NoFilters)  # a write takes no parameters: `?dry_run=1` must not write
    user = request.user
    seat = permissions.seat_get_for_user(user, public_id)
    if not permissions.can_manage_pipeline.test(user):
        raise _forbidden()
    refs = Refs(user)
    leader = refs.leader(payload.leader, "leader")
    endorsements = refs.organizations(payload.endorsements, "endorsements")
    refs.check()
    try:
        nomination = services.nomination_create(actor=user, leader=leader, seat=seat, nominated_on=payload.nominated_on,
                                                endorsements=endorsements, notes=payload.notes)
    except DjangoValidationError as exc:
        raise validation_error(exc, NominationIn.model_fields) from exc
    return Respond(201, _nomination_out(_nominations(Nomination.objects).get(pk=nomination.pk)))


@router.post("/seats/nominations/{public_id}/outcome", auth=api_auth_signed_in, response={200: NominationOut, **WRITE},
             operation_id="seat_nomination_outcome", summary="Record a nomination's outcome",
             description=STAFF_ONLY + "Appointed, not appointed or withdrawn, on a day not before the nomination. An "
             "appointment records the leader's term from that day (to `term_ends_on`, or the seat's term length): "
             "refused with 422, nothing written, when the seat is full or the term would overlap another.")
def nomination_outcome(request: HttpRequest, public_id: uuid.UUID, payload: OutcomeIn):
    _reject_unknown_query(request, NoFilters)  # a write takes no parameters: `?dry_run=1` must not write
    user = request.user
    nomination = permissions.nomination_get_for_user(user, public_id)
    try:
        services.nomination_decide(actor=user, nomination=nomination, **payload.model_dump())
    except DjangoValidationError as exc:
        raise validation_error(exc, OutcomeIn.model_fields) from exc
    return _nomination_out(_nominations(Nomination.objects).get(pk=nomination.pk))


# ---------------------------------------------------------------------------------------------
# Engagement log


@router.get("/seats/processes", response={200: ProcessPage, 422: ValidationErrorOut},
            operation_id="engagement_process_list", summary="List engagement processes",
            description="Agency processes you may see (plans, hearings, comment periods), newest first, with how the "
            "agency engaged and the score against the standard. " + PUBLIC_ONLY)
def process_list(request: HttpRequest, filters: Query[ProcessFilters]):
    _reject_unknown_query(request, ProcessFilters)
    user = request.user
    body = None
    if filters.body is not None:
        body = permissions.visible_bodies(user).filter(slug=filters.body).first()
        if body is None:
            raise query_error("body", _("Unknown public body."))
    processes = selectors.process_list(user, q=filters.q or "", kind=filters.kind or "", body=body)
    count, page = _page(_processes(processes), filters)
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": _processes_out(page, user)}


@router.get("/seats/processes/{public_id}", response={200: ProcessOut, **READ}, operation_id="engagement_process_get",
            summary="An engagement process")
def process_get(request: HttpRequest, public_id: uuid.UUID):
    _reject_unknown_query(request, NoFilters)
    user = request.user
    process = permissions.process_get_for_user(user, public_id)
    return _processes_out([_processes(EngagementProcess.objects).get(pk=process.pk)], user)[0]


@router.post("/seats/processes", auth=api_auth_signed_in, response={201: ProcessOut, **CREATE},
             operation_id="engagement_process_create", summary="Log an engagement process",
             description=STAFF_ONLY + "How an agency engaged the community in one process: five answers, each 0 (no), "
             "1 (partly), 2 (yes) or null (not known). The score (0–100) is computed from the answers given, and "
             "only with three or more.")
def process_create(request: HttpRequest, payload: ProcessIn):
    _reject_unknown_query(request, NoFilters)  # a write takes no parameters: `?dry_run=1` must not write
    user = request.user
    if not permissions.can_log_processes.test(user):
        raise _forbidden()
    refs = Refs(user)
    data = payload.model_dump()
    data["body"] = refs.body(data["body"], "body")
    data["investment"] = refs.investment(data["investment"], "investment")
    refs.check()
    try:
        process = services.process_create(actor=user, **data)
    except DjangoValidationError as exc:
        raise validation_error(exc, ProcessIn.model_fields) from exc
    return Respond(201, _processes_out([_processes(EngagementProcess.objects).get(pk=process.pk)], user)[0])
