"""Pages of seats at decision tables: the body register, a body and its seats, a seat's holders,
recording terms, openings (vacancies, terms ending soon, holdovers), the representation roll-up,
watching a body and its meetings (calendar and iCalendar feeds).

Parse, authorise (404 for what the user cannot see, 403 for what they may see but not change),
call a selector or service, render. The leadership pipeline is in `views_pipeline.py`, the
engagement log in `views_engagement.py`.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commontable.core import feeds, ical
from commontable.core.deadlines import DeadlineKind
from commontable.core.exports import export_response
from commontable.core.http import (
    add_service_error,
    bound_data,
    export_format,
    form_status,
    paginate,
    path_maker,
    require,
)
from commontable.core.page_cache import Fragment, render_fragment
from commontable.core.visibility import viewer_for
from commontable.seats import permissions, selectors, services
from commontable.seats.choices import SeatState
from commontable.seats.filters import BodyFilterForm, OpeningFilterForm
from commontable.seats.forms import BodyForm, DissolveForm, SeatForm, TermForm
from commontable.seats.models import PublicBody, Term
from commontable.seats.pages import PAGES
from commontable.seats.views_engagement import (  # noqa: F401 (routed from urls.py)
    process_create,
    process_detail,
    process_edit,
    process_list,
)
from commontable.seats.views_pipeline import (  # noqa: F401 (routed from urls.py)
    leader_create,
    leader_detail,
    leader_edit,
    leader_list,
    nomination_create,
    nomination_decide,
    nomination_list,
    support_add,
    training_add,
)

GET_POST = require_http_methods(["GET", "POST"])
MEETING_DAYS = 60


def _staff_form(request, form, title: str, cancel: str, *, intro: str = "", status: int = 200) -> HttpResponse:
    return render(request, "seats/form.html", {"form": form, "heading": title, "cancel": cancel, "intro": intro},
                  status=status)


# --- bodies ----------------------------------------------------------------------------------------


def _body_export_rows(bodies, summaries):
    for body in bodies:
        summary = summaries[body.pk]
        yield [body.name, body.jurisdiction.name, body.get_kind_display(), body.appointing_authority, summary.seats,
               summary.held, summary.vacant, summary.ending_soon, body.url]


@require_safe
def body_list(request: HttpRequest) -> HttpResponse:
    """Anyone: the public bodies they may see, filtered, 50 a page, with their seats held, vacant and
    ending soon; `?format=csv|xlsx` downloads the filtered rows. Cached per data version and
    visibility class."""
    form = BodyFilterForm(request.GET or None)
    filters = form.values()
    status = 400 if form.is_bound and form.errors else 200

    if export_format(request) and status == 200:
        bodies = list(selectors.body_list(request.user, **filters))
        summaries = selectors.body_summaries([b.pk for b in bodies])
        header = [_("Body"), _("Jurisdiction"), _("Kind"), _("Appointing authority"), _("Seats"), _("Held"),
                  _("Vacant"), _("Terms ending in 90 days"), _("Link")]
        return export_response(export_format(request), "public-bodies", header,
                               _body_export_rows(bodies, summaries))

    def build() -> Fragment:
        page, query = paginate(request, selectors.body_list(request.user, **filters))
        bodies = list(page.object_list)
        summaries = selectors.body_summaries([b.pk for b in bodies])
        context = {
            "filter": form, "page_obj": page, "querystring_without_page": query,
            "rows": [(body, summaries[body.pk]) for body in bodies],
            "can_manage": permissions.can_manage_seats.test(request.user),
            "can_see_rollup": permissions.can_see_rollup.test(request.user),
        }
        return render_fragment(request, template, context, status=status)

    template = "seats/body_list.html"
    return PAGES.cached_page(request, template, "body_list", build)


@login_required
@GET_POST
def body_create(request: HttpRequest) -> HttpResponse:
    require(permissions.can_manage_seats, request.user)
    form = BodyForm(bound_data(request))
    if form.is_bound and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            body = services.body_create(actor=request.user, **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The body was added. Now add its seats."))
            return redirect("seats:body_detail", body.slug)
    return _staff_form(request, form, _("Add a public body"), reverse("seats:body_list"), status=form_status(form))


@require_safe
def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A body: what it does, when and where it meets, and each seat with its state today and its
    holders; staff also see which holders are coalition leaders and pending nominations."""
    body = permissions.body_get_for_user(request.user, slug)
    is_staff = permissions.can_manage_seats.test(request.user)
    rows = selectors.seat_rows(selectors.body_seats(body), nominations=is_staff, history=False)
    leaders = (selectors.leader_person_ids(r.current.holder_person_id for r in rows if r.current)
               if permissions.can_see_leader_marks.test(request.user) else set())
    watching = body.pk in selectors.watched_body_ids(request.user)
    return render(request, "seats/body_detail.html", {
        "body": body, "topics": list(body.topics.order_by("name")), "rows": rows, "leaders": leaders,
        "meetings": selectors.body_upcoming_meetings(body), "rule": services.meeting_rule(body),
        "counts": _state_counts(rows), "can_manage": is_staff, "watching": watching,
        "can_watch": permissions.can_watch_bodies.test(request.user),
        "processes": list(permissions.visible_processes(request.user).filter(body=body).order_by("-held_on")[:10]),
    })


def _state_counts(rows) -> dict[str, int]:
    counts = {SeatState.HELD: 0, SeatState.HOLDOVER: 0, SeatState.VACANT: 0}
    for row in rows:
        counts[row.state] += 1
    return counts


@login_required
@GET_POST
def body_edit(request: HttpRequest, slug: str) -> HttpResponse:
    body = permissions.body_get_for_user(request.user, slug)
    require(permissions.can_manage_seats, request.user)
    form = BodyForm(bound_data(request), instance=PublicBody.objects.get(pk=body.pk))
    if form.is_bound and form.is_valid():
        try:
            services.body_update(body=body, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("seats:body_detail", body.slug)
    return _staff_form(request, form, _("Change %(name)s") % {"name": body.name},
                       reverse("seats:body_detail", args=[body.slug]), status=form_status(form))


@login_required
@GET_POST
def body_dissolve(request: HttpRequest, slug: str) -> HttpResponse:
    body = permissions.body_get_for_user(request.user, slug)
    require(permissions.can_manage_seats, request.user)
    form = DissolveForm(bound_data(request), initial={"on": timezone.localdate()})
    if form.is_bound and form.is_valid():
        try:
            services.body_dissolve(body=body, actor=request.user, on=form.cleaned_data["on"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The body is recorded as dissolved; its history stays."))
            return redirect("seats:body_detail", body.slug)
    return _staff_form(request, form, _("Dissolve %(name)s") % {"name": body.name},
                       reverse("seats:body_detail", args=[body.slug]),
                       intro=_("A dissolved body keeps its seats and holders on record but takes no new nominations; "
                               "its pending nominations are closed as withdrawn."), status=form_status(form))


@login_required
@require_POST
def body_watch(request: HttpRequest, slug: str) -> HttpResponse:
    """Watch (or stop watching) a body: reminders of its openings, and its meetings in your feed."""
    body = permissions.body_get_for_user(request.user, slug)
    if request.POST.get("action") == "unwatch":
        services.body_unwatch(body=body, user=request.user)
        messages.success(request, _("You no longer watch %(name)s.") % {"name": body.name})
    else:
        services.body_watch(body=body, user=request.user)
        messages.success(request, _("You watch %(name)s: you will be told of openings and its meetings are in your "
                                    "calendar feed.") % {"name": body.name})
    return redirect("seats:body_detail", body.slug)


# --- seats and terms --------------------------------------------------------------------------------


@login_required
@GET_POST
def seat_create(request: HttpRequest, slug: str) -> HttpResponse:
    body = permissions.body_get_for_user(request.user, slug)
    require(permissions.can_manage_seats, request.user)
    form = SeatForm(bound_data(request))
    if form.is_bound and form.is_valid():
        try:
            services.seat_create(actor=request.user, body=body, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The seat was added."))
            return redirect("seats:body_detail", body.slug)
    return _staff_form(request, form, _("Add a seat to %(name)s") % {"name": body.name},
                       reverse("seats:body_detail", args=[body.slug]), status=form_status(form))


@require_safe
def seat_detail(request: HttpRequest, public_id) -> HttpResponse:
    """A seat: how it is filled, who is eligible, the application deadline, and every holder."""
    seat = permissions.seat_get_for_user(request.user, public_id)
    is_staff = permissions.can_manage_seats.test(request.user)
    row = selectors.seat_rows([seat])[0]
    leaders = (selectors.leader_person_ids(t.holder_person_id for t in row.history)
               if permissions.can_see_leader_marks.test(request.user) else set())
    today = timezone.localdate()
    return render(request, "seats/seat_detail.html", {
        "seat": seat, "body": seat.body, "row": row, "leaders": leaders, "can_manage": is_staff,
        "history": [(term, selectors.term_status(term, today)) for term in row.history],
        "nominations": list(selectors.seat_nominations(seat)) if permissions.can_manage_pipeline.test(request.user)
        else [],
    })


@login_required
@GET_POST
def seat_edit(request: HttpRequest, public_id) -> HttpResponse:
    seat = permissions.seat_get_for_user(request.user, public_id)
    require(permissions.can_manage_seats, request.user)
    form = SeatForm(bound_data(request), instance=type(seat).objects.get(pk=seat.pk))
    if form.is_bound and form.is_valid():
        try:
            services.seat_update(seat=seat, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("seats:seat_detail", seat.public_id)
    return _staff_form(request, form, _("Change %(name)s") % {"name": seat.name},
                       reverse("seats:seat_detail", args=[seat.public_id]), status=form_status(form))


@login_required
@GET_POST
def term_create(request: HttpRequest, public_id) -> HttpResponse:
    """Record a holder's term (past, present or future); checked against the seat's other terms."""
    seat = permissions.seat_get_for_user(request.user, public_id)
    require(permissions.can_manage_seats, request.user)
    today = timezone.localdate()
    suggested_end = services.term_default_end(seat, today)
    form = TermForm(bound_data(request), initial={"starts_on": today, "ends_on": suggested_end})
    if form.is_bound and form.is_valid():
        fields = form.service_fields()
        # The end offered was worked out from today; a start moved without touching the end
        # takes the end that follows from that start (the seat's term length), not today's.
        if (suggested_end is not None and fields.get("ends_on") == suggested_end
                and fields.get("starts_on") not in (None, today)):
            fields["ends_on"] = services.term_default_end(seat, fields["starts_on"])
        try:
            services.term_record(actor=request.user, seat=seat, **fields)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The term was recorded."))
            return redirect("seats:seat_detail", seat.public_id)
    return _staff_form(request, form, _("Record a term on %(seat)s") % {"seat": seat},
                       reverse("seats:seat_detail", args=[seat.public_id]), status=form_status(form))


@login_required
@GET_POST
def term_edit(request: HttpRequest, public_id) -> HttpResponse:
    """Correct a term, or record the last day its holder served (a resignation, the end of a holdover)."""
    term = get_object_or_404(Term.objects.select_related("seat__body", "holder_person")
                             .filter(seat__body__in=permissions.visible_bodies(request.user)), public_id=public_id)
    require(permissions.can_manage_seats, request.user)
    form = TermForm(bound_data(request), instance=Term.objects.select_related("holder_person").get(pk=term.pk))
    if form.is_bound and form.is_valid():
        try:
            services.term_update(term=term, actor=request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("seats:seat_detail", term.seat.public_id)
    return _staff_form(request, form, _("Change the term of %(holder)s") % {"holder": term.holder_label},
                       reverse("seats:seat_detail", args=[term.seat.public_id]), status=form_status(form))


# --- openings and the roll-up ---------------------------------------------------------------------------

SHOW = ("vacant", "ending", "holdover")


@require_safe
def opening_list(request: HttpRequest) -> HttpResponse:
    """Anyone: vacancies, terms ending in the next 90 days and holdovers on the active bodies they
    may see, with the application deadline where known; one list at a time (`?show=`), 50 a page.
    Cached per data version, visibility class and day."""
    show = request.GET.get("show", "vacant")
    if show not in SHOW:
        raise Http404
    form = OpeningFilterForm(request.GET or None)
    filters = form.values()
    status = 400 if form.is_bound and form.errors else 200
    lists = {"vacant": selectors.vacant_seats, "ending": selectors.ending_terms, "holdover": selectors.holdover_terms}

    def build() -> Fragment:
        page, query = paginate(request, lists[show](request.user, **filters))
        context = {"filter": form, "page_obj": page, "querystring_without_page": query, "show": show,
                   "rows": _opening_rows(page.object_list, show, timezone.localdate()), "today": timezone.localdate(),
                   "ending_days": selectors.ENDING_DAYS, "tabs": _tabs(request, show)}
        return render_fragment(request, template, context, status=status)

    template = "seats/opening_list.html"
    return PAGES.cached_page(request, template, "opening_list", build)


def _opening_rows(items, show: str, today) -> list[dict]:
    """The openings table as plain values, one dict a row: fifty rows of model lookups, links and
    deadline words cost the template more than the rest of the page built afresh. A seat whose
    next holder is already recorded says from when (its latest term starts later than today)."""
    kinds = {kind: str(label) for kind, label in DeadlineKind.choices}
    seat_path = path_maker("seats:seat_detail", "00000000-0000-0000-0000-000000000000")
    body_path = path_maker("seats:body_detail", "slug-marker-0")
    rows = []
    for item in items:
        seat, term = (item, None) if show == "vacant" else (item.seat, item)
        body = seat.body
        rows.append({
            "seat_url": seat_path(seat.public_id), "seat": seat.name,
            "body_url": body_path(body.slug), "body": body.name,
            "jurisdiction": body.jurisdiction.name,
            "holder": term.holder_label if term else "", "ends_on": term.ends_on if term else None,
            "deadline": kinds.get(seat.deadline_kind, seat.deadline_kind) if seat.deadline_kind else _("Not known"),
            "deadline_on": seat.deadline_on if seat.deadline_kind else None,
            "deadline_note": seat.deadline_note if seat.deadline_kind else "",
            "next_holder_from": seat.last_start if seat.last_start and seat.last_start > today else None,
        })
    return rows


def _tabs(request, show: str) -> list[tuple[str, str, bool]]:
    query = request.GET.copy()
    query.pop("page", None)
    labels = {"vacant": _("Vacancies"), "ending": _("Terms ending in 90 days"), "holdover": _("Holdovers")}
    tabs = []
    for key in SHOW:
        query["show"] = key
        tabs.append((labels[key], "?" + query.urlencode(), key == show))
    return tabs


@login_required
@require_safe
def rollup(request: HttpRequest) -> HttpResponse:
    """Members: seats held by coalition leaders and by BIPOC leaders (self-identified with consent,
    only where five or more people stand behind a figure), vacancies and terms ending, per topic
    and per jurisdiction, with the climate, environment and mobility bodies of objective 1.6."""
    require(permissions.can_see_rollup, request.user)
    # Not kept as a page: consent is read as it stands at each request (the figures themselves
    # are kept per data version and consent state by the selector).
    return render(request, "seats/rollup.html", {
        "cached_content": render_to_string("seats/rollup.html#content", {"rollup": selectors.rollup(request.user)},
                                           request=request)})


# --- meetings ------------------------------------------------------------------------------------------


@login_required
@require_safe
def meeting_calendar(request: HttpRequest) -> HttpResponse:
    """The meetings of the bodies you watch in the next 60 days, and your calendar-feed link."""
    today = timezone.localdate()
    bodies = list(permissions.visible_bodies(request.user).filter(pk__in=selectors.watched_body_ids(request.user))
                  .order_by("name"))
    return render(request, "seats/meeting_calendar.html", {
        "bodies": bodies, "meetings": selectors.meetings_of(bodies, today, today + dt.timedelta(days=MEETING_DAYS)),
        "days": MEETING_DAYS,
    })


def _meeting_events(bodies, site: str) -> list[ical.Event]:
    start, end = (moment.date() for moment in feeds.window())
    events = []
    for meeting in selectors.meetings_of(bodies, start, end):
        body, occurrence = meeting.body, meeting.occurrence
        events.append(ical.Event(
            uid=occurrence.uid, sequence=body.meeting_sequence, summary=body.name, on=occurrence.on,
            at=occurrence.at, ends_at=body.meeting_ends_at, zone=occurrence.zone, location=body.meeting_location,
            url=site + reverse("seats:body_detail", args=[body.slug]), last_modified=body.updated_at,
            description=body.jurisdiction.name,
        ))
    return events


def _feed(request: HttpRequest, bodies: list[PublicBody], *, scope: str, name: str, filename: str) -> HttpResponse:
    site = request.build_absolute_uri("/").removesuffix("/")
    version = "|".join(f"{b.pk}:{b.updated_at.isoformat()}:{b.meeting_sequence}" for b in bodies)
    return feeds.feed_response(
        request, cache_key=f"seats:{scope}:{get_language() or ''}",
        version=f"{version}|{timezone.localdate().isoformat()}",
        build=lambda: ical.calendar_bytes(_meeting_events(bodies, site), name=name), filename=filename)


@require_safe
def body_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """One public body's meetings, for anyone's calendar program."""
    body = permissions.body_get_for_user(AnonymousUser(), slug)
    return _feed(request, [PublicBody.objects.select_related("jurisdiction").get(pk=body.pk)],
                 scope=f"body-{body.pk}", name=_("Meetings of %(name)s") % {"name": body.name},
                 filename=f"{body.slug}.ics")


@require_safe
def meeting_feed_watchlist(request: HttpRequest, token: str) -> HttpResponse:
    """The meetings of the bodies the token's owner watches (and may still see)."""
    user = feeds.feed_token_user(token)
    if user is None:
        raise Http404
    viewer_for(user)
    bodies = list(permissions.visible_bodies(user).filter(pk__in=selectors.watched_body_ids(user))
                  .select_related("jurisdiction").order_by("pk"))
    return _feed(request, bodies, scope=f"watched-{user.pk}", name=_("Meetings of bodies I watch"),
                 filename="watched-bodies.ics")
