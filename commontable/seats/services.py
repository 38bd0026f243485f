"""Writes for seats at decision tables: bodies, seats, terms, the leadership pipeline and the
engagement log.

Every write is checked first and applied in one transaction, all or nothing, and audited
(`seats.<entity>.<verb-ed>`). A refused write raises `ValidationError` with messages in the user's
language, keyed by field where there is one, and leaves nothing behind. Terms go through
`terms.check` under a lock on their seat, so two people recording terms on one seat at the same
moment cannot both succeed; every term write refreshes the seat's `occupied_until` figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from commontable.core import deadlines, notifications, schedule
from commontable.core.audit import changed_fields, log_action
from commontable.core.numbers import FIRST_YEAR, LAST_YEAR
from commontable.directory.services import unique_slug
from commontable.seats import engagement, terms
from commontable.seats.choices import MeetingFrequency, NominationOutcome, Readiness
from commontable.seats.models import (
    EngagementProcess,
    Leader,
    Nomination,
    PublicBody,
    Seat,
    SupportContact,
    Term,
    TrainingAttendance,
)

WATCH_TOPIC = "seats.body"
BODY_FIELDS = ("name", "kind", "appointing_authority", "description", "url", "meeting_location",
               "meeting_frequency", "meeting_interval", "meeting_weekdays", "meeting_nth", "first_meeting_on",
               "meeting_starts_at", "meeting_ends_at", "time_zone", "visibility")
SCHEDULE_FIELDS = ("meeting_frequency", "meeting_interval", "meeting_weekdays", "meeting_nth", "first_meeting_on",
                   "meeting_starts_at", "meeting_ends_at", "time_zone", "meeting_location")
SEAT_FIELDS = ("name", "seat_type", "constituency", "eligibility", "term_length_months", "holdover_allowed",
               "position", "deadline_kind", "deadline_on", "deadline_note", "applications_url")


def _day(value: dt.date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


def _snapshot(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}


def _numbers(text: str, low: int, high: int, *, allow_last: bool = False) -> tuple[int, ...]:
    values = []
    for part in (text or "").replace(" ", "").split(","):
        if not part:
            continue
        try:
            value = int(part)
        except ValueError:
            raise ValueError(part) from None
        if not (low <= value <= high or (allow_last and value == -1)):
            raise ValueError(part)
        values.append(value)
    return tuple(sorted(set(values)))


def meeting_rule(body: PublicBody) -> schedule.Recurrence | None:
    """The body's meetings as a recurrence rule (None: no regular schedule or a bad one)."""
    if not body.meeting_frequency:
        return None
    try:
        return schedule.Recurrence(body.meeting_frequency, interval=body.meeting_interval,
                                   weekdays=_numbers(body.meeting_weekdays, 0, 6),
                                   nth=_numbers(body.meeting_nth, 1, 4, allow_last=True))
    except ValueError:
        return None


def _check_body(body: PublicBody) -> None:
    errors: dict[str, str] = {}
    if not body.name.strip():
        errors["name"] = _("Give the body a name.")
    if not schedule.is_valid_zone(body.time_zone):
        errors["time_zone"] = _("“%(zone)s” is not a time zone we know.") % {"zone": body.time_zone}
    try:
        weekdays = _numbers(body.meeting_weekdays, 0, 6)
    except ValueError as exc:
        errors["meeting_weekdays"] = _("“%(value)s” is not a weekday: use 0 (Monday) to 6 (Sunday).") % {"value": exc}
        weekdays = ()
    try:
        nth = _numbers(body.meeting_nth, 1, 4, allow_last=True)
    except ValueError as exc:
        errors["meeting_nth"] = _("“%(value)s” is not a week of the month: use 1 to 4, or -1 for the last.") % {
            "value": exc}
        nth = ()
    if body.meeting_frequency:
        if body.first_meeting_on is None:
            errors["first_meeting_on"] = _("A regular schedule needs the date of a first meeting.")
        if body.meeting_starts_at is None:
            errors["meeting_starts_at"] = _("A regular schedule needs the time meetings start.")
        if body.meeting_frequency == MeetingFrequency.MONTHLY and not (weekdays and nth):
            errors.setdefault("meeting_nth", _("A monthly schedule needs the weekdays and the weeks of the month."))
    for name in ("meeting_starts_at", "meeting_ends_at"):
        if isinstance(getattr(body, name), dt.time) and getattr(body, name).tzinfo is not None:
            # The body's time zone places its meetings; a time sent with an offset (the API)
            # would be stored without it.
            errors[name] = _("Give the time as the clock on the wall shows it, without a time zone offset.")
    if ("meeting_starts_at" not in errors and "meeting_ends_at" not in errors and body.meeting_ends_at
            and body.meeting_starts_at and body.meeting_ends_at <= body.meeting_starts_at):
        errors["meeting_ends_at"] = _("Meetings must end after they start.")
    if body.first_meeting_on and not FIRST_YEAR <= body.first_meeting_on.year <= LAST_YEAR:
        errors["first_meeting_on"] = _year_error()
    if (body.first_meeting_on and body.meeting_starts_at and "time_zone" not in errors
            and "first_meeting_on" not in errors and "meeting_starts_at" not in errors
            and schedule.is_nonexistent(body.first_meeting_on, body.meeting_starts_at, body.time_zone)):
        errors["meeting_starts_at"] = _("That time does not exist on that day: the clocks spring forward.")
    if errors:
        raise ValidationError(errors)


def _set_topics(body: PublicBody, topics) -> None:
    if topics is not None:
        body.topics.set(list(topics))


@transaction.atomic
def body_create(*, actor, name: str, jurisdiction, kind: str, topics: Iterable = (), slug: str = "",
                **fields) -> PublicBody:
    """Add a public body to the register."""
    body = PublicBody(name=name.strip(), jurisdiction=jurisdiction, kind=kind, created_by=_user(actor),
                      **{k: v for k, v in fields.items() if k in BODY_FIELDS})
    _check_body(body)
    body.slug = slug or unique_slug(PublicBody, f"{name} {jurisdiction.name}")
    body.full_clean(exclude=["slug"])
    try:
        with transaction.atomic():
            body.save()
    except IntegrityError:
        # Another request took the short name between the look-up and the write (two clicks).
        if slug:
            raise ValidationError({"slug": _("Another body already has this short name.")}) from None
        body.slug = unique_slug(PublicBody, f"{name} {jurisdiction.name}")
        body.save()
    _set_topics(body, topics)
    log_action(body, "seats.body.created", actor=actor)
    return body


@transaction.atomic
def body_update(*, body: PublicBody, actor, topics=None, jurisdiction=None, **fields) -> PublicBody:
    """Change a body; its meetings' SEQUENCE goes up when their time or place changes, so calendar
    programs update their copy."""
    body = PublicBody.objects.select_for_update().get(pk=body.pk)
    before = {**_snapshot(body, BODY_FIELDS), "jurisdiction": body.jurisdiction.slug,
              "topics": sorted(body.topics.values_list("slug", flat=True))}
    for name, value in fields.items():
        if name in BODY_FIELDS:
            setattr(body, name, value)
    if jurisdiction is not None:
        body.jurisdiction = jurisdiction
    _check_body(body)
    body.full_clean()
    after = _snapshot(body, BODY_FIELDS)
    if any(before[f] != after[f] for f in SCHEDULE_FIELDS):
        body.meeting_sequence += 1
    body.save()
    _set_topics(body, topics)
    after.update(jurisdiction=body.jurisdiction.slug, topics=sorted(body.topics.values_list("slug", flat=True)))
    log_action(body, "seats.body.updated", actor=actor, data=changed_fields(before, after))
    return body


@transaction.atomic
def body_dissolve(*, body: PublicBody, actor, on: dt.date) -> PublicBody:
    """Record that a body was dissolved: it keeps its history, takes no new nominations, and its
    pending nominations are closed as withdrawn."""
    body = PublicBody.objects.select_for_update().get(pk=body.pk)
    if body.dissolved_on is not None:
        raise ValidationError(_("This body was already dissolved on %(day)s.") % {"day": _day(body.dissolved_on)})
    body.dissolved_on = on
    body.save(update_fields=["dissolved_on", "updated_at"])
    closed = Nomination.objects.filter(seat__body=body, outcome=NominationOutcome.PENDING).update(
        outcome=NominationOutcome.WITHDRAWN, outcome_on=on)
    log_action(body, "seats.body.dissolved", actor=actor, data={"on": on.isoformat(), "nominations_closed": closed})
    return body


def body_watch(*, body: PublicBody, user) -> None:
    """Opt in to reminders of the body's openings and its meetings in the personal calendar feed."""
    notifications.subscribe(user=user, topic=WATCH_TOPIC, object_id=body.pk,
                            language=getattr(user, "preferred_language", "") or "", resubscribe=True)
    log_action(body, "seats.body.watched", actor=user)


def body_unwatch(*, body: PublicBody, user) -> None:
    """Stop the reminders and the meetings in the feed (audited only when there was a watch)."""
    ended = [notifications.unsubscribe(s) for s in notifications.subscribers(WATCH_TOPIC, body.pk).filter(user=user)]
    if any(ended):
        log_action(body, "seats.body.unwatched", actor=user)


# --- seats ---------------------------------------------------------------------------------------


def _check_seat(seat: Seat) -> None:
    errors = deadlines.validate(seat.deadline_kind, seat.deadline_on, field="deadline_on") if seat.deadline_kind else {}
    if not seat.deadline_kind and seat.deadline_on is not None:
        errors["deadline_kind"] = _("Say what kind of deadline this date is.")
    if not seat.name.strip():
        errors["name"] = _("Give the seat a name.")
    elif Seat.objects.filter(body_id=seat.body_id, name=seat.name).exclude(pk=seat.pk).exists():
        errors["name"] = _("This body already has a seat with that name.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def seat_create(*, actor, body: PublicBody, name: str, **fields) -> Seat:
    """Add a seat to a body."""
    dissolved = PublicBody.objects.filter(pk=body.pk).values_list("dissolved_on", flat=True).first()
    if dissolved is not None:
        raise ValidationError({"name": _("%(body)s was dissolved on %(day)s: it takes no new seats.") % {
            "body": body.name, "day": _day(dissolved)}})
    seat = Seat(body=body, name=name.strip(), **{k: v for k, v in fields.items() if k in SEAT_FIELDS and k != "name"})
    _check_seat(seat)
    seat.full_clean()
    try:
        with transaction.atomic():
            seat.save()
    except IntegrityError:
        _check_seat(seat)  # the same seat saved meanwhile by another request: refused as if it came first
        raise
    log_action(seat, "seats.seat.created", actor=actor, data={"body": body.slug})
    return seat


@transaction.atomic
def seat_update(*, seat: Seat, actor, **fields) -> Seat:
    """Change a seat. Changing whether holders serve on until replaced changes when its past
    terms ended, so the terms' figures are worked out again."""
    seat = Seat.objects.select_for_update().get(pk=seat.pk)
    before = _snapshot(seat, SEAT_FIELDS)
    for name, value in fields.items():
        if name in SEAT_FIELDS:
            setattr(seat, name, value)
    _check_seat(seat)
    seat.full_clean()
    seat.save()
    if before["holdover_allowed"] != seat.holdover_allowed:
        refresh_occupancy(seat)
    log_action(seat, "seats.seat.updated", actor=actor, data=changed_fields(before, _snapshot(seat, SEAT_FIELDS)))
    return seat


# --- terms ---------------------------------------------------------------------------------------


def _span(term: Term) -> terms.Span:
    return terms.Span(term.pk, term.starts_on, term.ends_on, term.left_on, term.holder_label)


def person_deleting(sender, instance, **kwargs) -> None:
    """Before a person is removed from the directory (the admin; the app merges people instead):
    the terms they held keep their name, as an outsider's would, rather than lose their holder
    (a term must name one) when the link to the person is cleared."""
    Term.objects.filter(holder_person=instance, holder_name="").update(holder_name=instance.full_name[:200])


def refresh_occupancy(seat: Seat) -> None:
    """Work out again the last day each of the seat's terms holds it (holdover included)."""
    rows = list(Term.objects.filter(seat=seat).select_related("holder_person"))
    until = terms.occupancy([_span(t) for t in rows], seat.holdover_allowed)
    fills = terms.fills_vacancy([_span(t) for t in rows], until)
    changed = [t for t in rows if (t.occupied_until, t.fills_vacancy) != (until[t.pk], fills[t.pk])]
    for term in changed:
        term.occupied_until = until[term.pk]
        term.fills_vacancy = fills[term.pk]
    if changed:
        Term.objects.bulk_update(changed, ["occupied_until", "fills_vacancy"])
    seats_latest_refresh({seat.pk})


def seats_latest_refresh(seat_ids) -> int:
    """Keep each seat's latest term, its dates and its holder from the directory (`Seat.last_*`)
    in step with its terms, for many seats at once (imports, the benchmark's data); returns how
    many seats changed."""
    ids = set(seat_ids)
    columns = ("last_term", "last_start", "last_ends_on", "last_until", "last_holder_person")
    latest: dict[int, tuple] = {}
    for chunk_start in range(0, len(ids), 5000):
        chunk = sorted(ids)[chunk_start:chunk_start + 5000]
        for row in (Term.objects.filter(seat_id__in=chunk).order_by("seat_id", "starts_on", "id")
                    .values_list("seat_id", "id", "starts_on", "ends_on", "occupied_until", "holder_person_id")):
            latest[row[0]] = row[1:]
    changed = []
    for seat in Seat.objects.filter(pk__in=ids).only("id", *columns):
        values = latest.get(seat.pk, (None,) * len(columns))
        if (seat.last_term_id, seat.last_start, seat.last_ends_on, seat.last_until,
                seat.last_holder_person_id) != values:
            (seat.last_term_id, seat.last_start, seat.last_ends_on, seat.last_until,
             seat.last_holder_person_id) = values
            changed.append(seat)
    Seat.objects.bulk_update(changed, columns, batch_size=2000)
    return len(changed)


def term_problem_message(problem: terms.Problem) -> str:
    """A refused term, in words."""
    if problem.code == "ends_before_start":
        return _("The term cannot end before it starts.")
    if problem.code == "left_before_start":
        return _("The last day served cannot be before the term starts.")
    other = problem.other
    assert other is not None
    end = terms.hard_end(other)
    if problem.code == "seat_full":
        if end is None:
            return _("The seat is full: %(holder)s holds it from %(start)s with no end date. Record the day they "
                     "leave before recording a new term.") % {"holder": other.holder, "start": _day(other.start)}
        return _("The seat is full: %(holder)s holds it until %(end)s. Record the day they leave, or start the new "
                 "term after that.") % {"holder": other.holder, "end": _day(end)}
    return _("This term overlaps the term of %(holder)s (%(start)s – %(end)s).") % {
        "holder": other.holder, "start": _day(other.start), "end": _day(end) if end else _("no end date")}


def _year_error() -> str:
    return _("Give a date between the years %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}


def _check_term(seat: Seat, term: Term) -> None:
    errors: dict[str, list[str]] = {}
    for name in ("starts_on", "ends_on", "left_on"):
        day = getattr(term, name)
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            errors[name] = [_year_error()]
    if errors:
        raise ValidationError(errors)
    dissolved = seat.body.dissolved_on
    if dissolved is not None and term.starts_on >= dissolved:
        raise ValidationError({"starts_on": [_("%(body)s was dissolved on %(day)s: no term can start after that.") % {
            "body": seat.body.name, "day": _day(dissolved)}]})
    if term.holder_person_id is None and not term.holder_name.strip():
        errors.setdefault("holder_name", []).append(_("Name the holder, or choose them from the directory."))
    existing = [_span(t) for t in Term.objects.filter(seat=seat).select_related("holder_person")]
    for problem in terms.check(existing, _span(term)):
        errors.setdefault(problem.field, []).append(term_problem_message(problem))
    if errors:
        raise ValidationError(errors)


def _locked_seat(seat: Seat) -> Seat:
    return Seat.objects.select_for_update().select_related("body").get(pk=seat.pk)


@transaction.atomic
def term_record(*, actor, seat: Seat, starts_on: dt.date, ends_on: dt.date | None = None,
                left_on: dt.date | None = None, holder_person=None, holder_name: str = "", notes: str = "") -> Term:
    """Record a holder's term on a seat, past, present or future. A holdover on the seat ends the
    day before the new term starts; a term that would share days with another is refused."""
    seat = _locked_seat(seat)
    if holder_person is not None:
        holder_name = ""  # a holder from the directory is named there (as the page's form does)
    term = Term(seat=seat, holder_person=holder_person, holder_name=(holder_name or "").strip(), starts_on=starts_on,
                ends_on=ends_on, left_on=left_on, notes=notes, created_by=_user(actor))
    _check_term(seat, term)
    term.save()
    refresh_occupancy(seat)
    log_action(term, "seats.term.recorded", actor=actor,
               data={"seat": str(seat.public_id), "starts_on": starts_on.isoformat(),
                     "ends_on": ends_on.isoformat() if ends_on else None})
    return term


@transaction.atomic
def term_update(*, term: Term, actor, **fields) -> Term:
    """Correct a term's dates or holder, checked against the seat's other terms."""
    seat = _locked_seat(term.seat)
    term = Term.objects.select_related("holder_person").get(pk=term.pk)
    allowed = ("starts_on", "ends_on", "left_on", "holder_person", "holder_name", "notes")
    before = {name: str(getattr(term, name)) for name in allowed}
    for name, value in fields.items():
        if name in allowed:
            setattr(term, name, value)
    if term.holder_person_id is not None:
        term.holder_name = ""
    _check_term(seat, term)
    term.save()
    refresh_occupancy(seat)
    log_action(term, "seats.term.updated", actor=actor,
               data=changed_fields(before, {name: str(getattr(term, name)) for name in allowed}))
    return term


@transaction.atomic
def term_delete(*, term: Term, actor) -> None:
    """Remove a term recorded by mistake: a nomination that made it goes back to pending. Refused
    when its leader has since been nominated to the seat again (one pending nomination per seat
    and leader): that nomination's outcome is to be recorded first."""
    seat = _locked_seat(term.seat)
    made_by = Nomination.objects.filter(term=term).select_related("leader__person").first()
    if made_by is not None:
        if Nomination.objects.filter(seat=seat, leader=made_by.leader, outcome=NominationOutcome.PENDING).exists():
            raise ValidationError(_("%(name)s has a newer pending nomination to this seat: record its outcome before "
                                    "removing this term.") % {"name": made_by.leader.person.full_name})
        Nomination.objects.filter(pk=made_by.pk).update(outcome=NominationOutcome.PENDING, outcome_on=None, term=None)
    log_action(seat, "seats.term.deleted", actor=actor, data={"holder": term.holder_label,
                                                              "starts_on": term.starts_on.isoformat()})
    term.delete()
    refresh_occupancy(seat)


def term_default_end(seat: Seat, starts_on: dt.date) -> dt.date | None:
    """The scheduled end of a term starting on a day, from the seat's term length (none for a day
    outside the years dates may have: the term's own check refuses it in words)."""
    if not seat.term_length_months or not FIRST_YEAR <= starts_on.year <= LAST_YEAR:
        return None
    months = starts_on.month - 1 + seat.term_length_months
    year, month = starts_on.year + months // 12, months % 12 + 1
    day = min(starts_on.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30,
                              31, 31, 30, 31, 30, 31][month - 1])
    return dt.date(year, month, day) - dt.timedelta(days=1)


# --- leadership pipeline ---------------------------------------------------------------------------


LEADER_FIELDS = ("interested_since", "readiness", "support_needs", "self_identification", "notes")


def _check_not_a_leader(person) -> None:
    if Leader.objects.filter(person=person).exists():
        raise ValidationError({"person": _("%(name)s is already in the leadership pipeline.") % {
            "name": person.full_name}})


@transaction.atomic
def leader_create(*, actor, person, topics: Iterable = (), places: Iterable = (), **fields) -> Leader:
    """Start supporting a person toward a seat."""
    _check_not_a_leader(person)
    leader = Leader(person=person, created_by=_user(actor), **{k: v for k, v in fields.items() if k in LEADER_FIELDS})
    leader.full_clean(exclude=["person"])
    try:
        with transaction.atomic():
            leader.save()
    except IntegrityError:
        _check_not_a_leader(person)  # added meanwhile by another request: refused as if it came first
        raise
    leader.topics.set(list(topics))
    leader.places.set(list(places))
    log_action(leader, "seats.leader.created", actor=actor)
    return leader


@transaction.atomic
def leader_update(*, leader: Leader, actor, topics=None, places=None, **fields) -> Leader:
    before = _snapshot(leader, LEADER_FIELDS)
    for name, value in fields.items():
        if name in LEADER_FIELDS:
            setattr(leader, name, value)
    leader.full_clean(exclude=["person"])
    leader.save()
    if topics is not None:
        leader.topics.set(list(topics))
    if places is not None:
        leader.places.set(list(places))
    after = _snapshot(leader, LEADER_FIELDS)
    # How a person identifies is never written into the audit trail, only that it changed.
    diff = changed_fields(before, after)
    if "self_identification" in diff:
        diff["self_identification"] = "changed"
    log_action(leader, "seats.leader.updated", actor=actor, data=diff)
    return leader


@transaction.atomic
def training_add(*, actor, leader: Leader, name: str, attended_on: dt.date, provider: str = "") -> TrainingAttendance:
    if not name.strip():
        raise ValidationError({"name": _("Name the training.")})
    training = TrainingAttendance.objects.create(leader=leader, name=name.strip(), provider=provider.strip(),
                                                 attended_on=attended_on)
    log_action(leader, "seats.leader.training-added", actor=actor, data={"training": training.name})
    return training


@transaction.atomic
def support_add(*, actor, leader: Leader, kind: str, on: dt.date, notes: str = "", term: Term | None = None
                ) -> SupportContact:
    """Record support given to a leader (while seated, tied to their term)."""
    if term is not None and term.holder_person_id != leader.person_id:
        raise ValidationError({"term": _("That term is not this leader's.")})
    contact = SupportContact(leader=leader, kind=kind, on=on, notes=notes, term=term, recorded_by=_user(actor))
    contact.full_clean()
    contact.save()
    log_action(leader, "seats.leader.support-added", actor=actor, data={"kind": kind, "on": on.isoformat()})
    return contact


@transaction.atomic
def nomination_create(*, actor, leader: Leader, seat: Seat, nominated_on: dt.date, endorsements: Iterable = (),
                      notes: str = "") -> Nomination:
    """Put a leader forward for a seat, endorsed by member organisations."""
    seat = _locked_seat(seat)
    if seat.body.dissolved_on is not None:
        raise ValidationError({"seat": _("%(body)s was dissolved on %(day)s: it takes no nominations.") % {
            "body": seat.body.name, "day": _day(seat.body.dissolved_on)}})
    if Nomination.objects.filter(seat=seat, leader=leader, outcome=NominationOutcome.PENDING).exists():
        raise ValidationError({"seat": _("%(name)s already has a pending nomination to this seat.") % {
            "name": leader.person.full_name}})
    nomination = Nomination.objects.create(seat=seat, leader=leader, nominated_on=nominated_on, notes=notes,
                                           created_by=_user(actor))
    nomination.endorsements.set(list(endorsements))
    log_action(nomination, "seats.nomination.created", actor=actor,
               data={"seat": str(seat.public_id), "leader": str(leader.public_id)})
    return nomination


@transaction.atomic
def nomination_decide(*, actor, nomination: Nomination, outcome: str, on: dt.date,
                      term_ends_on: dt.date | None = None) -> Nomination:
    """Record a nomination's outcome. An appointment records the leader's term on the seat from
    `on` (to `term_ends_on`, or the seat's term length): refused, with nothing written, when the
    seat is full or the term would overlap another."""
    nomination = Nomination.objects.select_for_update().select_related("seat__body", "leader__person").get(
        pk=nomination.pk)
    if nomination.outcome != NominationOutcome.PENDING:
        raise ValidationError({"outcome": _("This nomination already has an outcome.")})
    if outcome not in NominationOutcome.values or outcome == NominationOutcome.PENDING:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if on < nomination.nominated_on:
        raise ValidationError({"on": _("The outcome cannot come before the nomination.")})
    if outcome == NominationOutcome.APPOINTED:
        if nomination.seat.body.dissolved_on is not None and nomination.seat.body.dissolved_on <= on:
            raise ValidationError({"on": _("%(body)s was dissolved on %(day)s.") % {
                "body": nomination.seat.body.name, "day": _day(nomination.seat.body.dissolved_on)}})
        ends_on = term_ends_on or term_default_end(nomination.seat, on)
        try:
            nomination.term = term_record(actor=actor, seat=nomination.seat, starts_on=on, ends_on=ends_on,
                                          holder_person=nomination.leader.person)
        except ValidationError as exc:
            raise ValidationError({"on": [m for messages in exc.message_dict.values() for m in messages]}) from None
        leader = nomination.leader
        if leader.readiness != Readiness.SERVING:
            leader.readiness = Readiness.SERVING
            leader.save(update_fields=["readiness", "updated_at"])
    nomination.outcome = outcome
    nomination.outcome_on = on
    nomination.save(update_fields=["outcome", "outcome_on", "term", "updated_at"])
    log_action(nomination, "seats.nomination.decided", actor=actor, data={"outcome": outcome, "on": on.isoformat()})
    return nomination


# --- engagement log ----------------------------------------------------------------------------------

PROCESS_FIELDS = ("title", "agency", "kind", "body", "investment", "held_on", "observations", "visibility",
                  *engagement.FIELDS)


@transaction.atomic
def process_create(*, actor, **fields) -> EngagementProcess:
    """Log how an agency engaged the community in one process, scored against the standard."""
    process = EngagementProcess(created_by=_user(actor), **{k: v for k, v in fields.items() if k in PROCESS_FIELDS})
    process.full_clean()
    process.score = engagement.score({f: getattr(process, f) for f in engagement.FIELDS})
    process.save()
    log_action(process, "seats.process.created", actor=actor, data={"score": process.score})
    return process


@transaction.atomic
def process_update(*, process: EngagementProcess, actor, **fields) -> EngagementProcess:
    before = {f: str(getattr(process, f)) for f in PROCESS_FIELDS}
    for name, value in fields.items():
        if name in PROCESS_FIELDS:
            setattr(process, name, value)
    process.full_clean()
    process.score = engagement.score({f: getattr(process, f) for f in engagement.FIELDS})
    process.save()
    log_action(process, "seats.process.updated", actor=actor,
               data=changed_fields(before, {f: str(getattr(process, f)) for f in PROCESS_FIELDS}))
    return process


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None
