"""The leadership pipeline's pages: leaders (staff; a leader sees their own path), trainings,
support, nominations to seats and their outcomes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from commontable.core.http import add_service_error, bound_data, form_status, login_and, paginate, require
from commontable.core.page_cache import Fragment, render_fragment
from commontable.seats import permissions, selectors, services
from commontable.seats.choices import NominationOutcome
from commontable.seats.filters import LeaderFilterForm
from commontable.seats.forms import (
    LeaderCreateForm,
    LeaderForm,
    NominationForm,
    OutcomeForm,
    SupportForm,
    TrainingForm,
)
from commontable.seats.pages import PAGES

GET_POST = require_http_methods(["GET", "POST"])
staff_required = login_and(permissions.can_manage_pipeline)


def _form(request, form, title: str, cancel: str, *, intro: str = "") -> HttpResponse:
    return render(request, "seats/form.html", {"form": form, "heading": title, "cancel": cancel, "intro": intro},
                  status=form_status(form))


@staff_required
@require_safe
def leader_list(request: HttpRequest) -> HttpResponse:
    """Staff: the leaders the coalition supports, by name, with readiness and interests, 50 a page.
    Cached per data version and staff role (staff all see the same list)."""
    form = LeaderFilterForm(request.GET or None)
    status = 400 if form.is_bound and form.errors else 200

    def build() -> Fragment:
        # Only the columns the list shows: a person row is wide.
        leaders = selectors.leader_list(request.user, **form.values()).only(
            "public_id", "readiness", "interested_since", "person_id", "person__full_name")
        page, query = paginate(request, leaders)
        return render_fragment(request, template, {
            "filter": form, "page_obj": page, "querystring_without_page": query, "leaders": list(page.object_list),
        }, status=status)

    template = "seats/leader_list.html"
    return PAGES.cached_page(request, template, "leader_list", build)


@staff_required
@GET_POST
def leader_create(request: HttpRequest) -> HttpResponse:
    form = LeaderCreateForm(bound_data(request), initial={"interested_since": timezone.localdate()})
    if form.is_bound and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            leader = services.leader_create(actor=request.user, **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("%(name)s is in the leadership pipeline.") % {"name": leader.person.full_name})
            return redirect("seats:leader_detail", leader.public_id)
    return _form(request, form, _("Add a leader"), reverse("seats:leader_list"),
                 intro=_("Ask before recording how someone identifies: it is theirs to give, and it is counted only "
                         "with their consent."))


@login_required
@require_safe
def leader_detail(request: HttpRequest, public_id) -> HttpResponse:
    """A leader's path from interest to seat: staff, or the leader themselves."""
    leader = permissions.leader_get_for_user(request.user, public_id)
    is_staff = permissions.can_manage_pipeline.test(request.user)
    return render(request, "seats/leader_detail.html", {
        "leader": leader, "path": selectors.leader_path(leader, request.user),
        "topics": list(leader.topics.order_by("name")), "places": list(leader.places.order_by("name")),
        "terms": selectors.leader_terms(leader, request.user),
        "can_manage": is_staff, "today": timezone.localdate(),
    })


@staff_required
@GET_POST
def leader_edit(request: HttpRequest, public_id) -> HttpResponse:
    leader = permissions.leader_get_for_user(request.user, public_id)
    form = LeaderForm(bound_data(request), instance=type(leader).objects.get(pk=leader.pk))
    if form.is_bound and form.is_valid():
        try:
            services.leader_update(leader=leader, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("seats:leader_detail", leader.public_id)
    return _form(request, form, _("Change %(name)s") % {"name": leader.person.full_name},
                 reverse("seats:leader_detail", args=[leader.public_id]))


@staff_required
@GET_POST
def training_add(request: HttpRequest, public_id) -> HttpResponse:
    leader = permissions.leader_get_for_user(request.user, public_id)
    form = TrainingForm(bound_data(request), initial={"attended_on": timezone.localdate()})
    if form.is_bound and form.is_valid():
        try:
            services.training_add(actor=request.user, leader=leader, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The training was recorded."))
            return redirect("seats:leader_detail", leader.public_id)
    return _form(request, form, _("Training attended by %(name)s") % {"name": leader.person.full_name},
                 reverse("seats:leader_detail", args=[leader.public_id]))


@staff_required
@GET_POST
def support_add(request: HttpRequest, public_id) -> HttpResponse:
    leader = permissions.leader_get_for_user(request.user, public_id)
    form = SupportForm(bound_data(request), initial={"on": timezone.localdate()})
    if form.is_bound and form.is_valid():
        terms = [t for t in selectors.leader_terms(leader)
                 if t.starts_on <= form.cleaned_data["on"] and (t.occupied_until is None
                                                                or t.occupied_until >= form.cleaned_data["on"])]
        try:
            services.support_add(actor=request.user, leader=leader, term=terms[0] if terms else None,
                                 **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The support was recorded."))
            return redirect("seats:leader_detail", leader.public_id)
    return _form(request, form, _("Support for %(name)s") % {"name": leader.person.full_name},
                 reverse("seats:leader_detail", args=[leader.public_id]))


@staff_required
@require_safe
def nomination_list(request: HttpRequest) -> HttpResponse:
    """Staff: nominations, newest first, narrowed to one outcome with `?outcome=`."""
    outcome = request.GET.get("outcome", "")
    if outcome not in NominationOutcome.values:
        outcome = ""
    page, query = paginate(request, selectors.nomination_list(request.user, outcome=outcome))
    return render(request, "seats/nomination_list.html", {
        "page_obj": page, "querystring_without_page": query, "nominations": list(page.object_list),
        "outcome": outcome, "outcomes": NominationOutcome.choices,
    })


@login_required
@GET_POST
def nomination_create(request: HttpRequest, public_id) -> HttpResponse:
    """Staff: put a leader forward for a seat, with the organisations that endorse them."""
    seat = permissions.seat_get_for_user(request.user, public_id)
    require(permissions.can_manage_pipeline, request.user)
    form = NominationForm(bound_data(request), initial={"nominated_on": timezone.localdate()})
    if form.is_bound and form.is_valid():
        try:
            services.nomination_create(actor=request.user, seat=seat, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The nomination was recorded."))
            return redirect("seats:seat_detail", seat.public_id)
    return _form(request, form, _("Nominate a leader to %(seat)s") % {"seat": seat},
                 reverse("seats:seat_detail", args=[seat.public_id]))


@staff_required
@GET_POST
def nomination_decide(request: HttpRequest, public_id) -> HttpResponse:
    """Staff: record a nomination's outcome; an appointment records the leader's term on the seat."""
    nomination = permissions.nomination_get_for_user(request.user, public_id)
    form = OutcomeForm(bound_data(request), initial={"on": timezone.localdate(), "outcome": NominationOutcome.APPOINTED})
    if form.is_bound and form.is_valid():
        try:
            services.nomination_decide(actor=request.user, nomination=nomination, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The outcome was recorded."))
            return redirect("seats:seat_detail", nomination.seat.public_id)
    return _form(request, form, _("Outcome of the nomination of %(name)s to %(seat)s") % {
        "name": nomination.leader.person.full_name, "seat": nomination.seat},
        reverse("seats:seat_detail", args=[nomination.seat.public_id]))
