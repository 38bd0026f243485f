"""The engagement-quality log's pages: processes (by their visibility), logging and changing them
(staff), each scored against the short standard of `engagement.py`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from commontable.core.http import add_service_error, bound_data, form_status, paginate, require
from commontable.seats import engagement, permissions, selectors, services
from commontable.seats.filters import ProcessFilterForm
from commontable.seats.forms import ProcessForm

GET_POST = require_http_methods(["GET", "POST"])


@require_safe
def process_list(request: HttpRequest) -> HttpResponse:
    """The processes logged that the user may see, newest first, with their scores."""
    form = ProcessFilterForm(request.GET or None)
    page, query = paginate(request, selectors.process_list(request.user, **form.values()))
    return render(request, "seats/process_list.html", {
        "filter": form, "page_obj": page, "querystring_without_page": query, "processes": list(page.object_list),
        "standard": engagement.STANDARD, "can_log": permissions.can_log_processes.test(request.user),
    }, status=400 if form.is_bound and form.errors else 200)


@require_safe
def process_detail(request: HttpRequest, public_id) -> HttpResponse:
    process = permissions.process_get_for_user(request.user, public_id)
    answers = [(q, getattr(process, q.field), getattr(process, f"get_{q.field}_display")())
               for q in engagement.STANDARD]
    bodies, investments = selectors.process_links([process], request.user)
    return render(request, "seats/process_detail.html", {
        "process": process, "answers": answers,
        "body": process.body if process.body_id in bodies else None,
        "investment": process.investment if process.investment_id in investments else None, "can_log": permissions.can_log_processes.test(request.user),
        "min_answered": engagement.MIN_ANSWERED,
    })


@login_required
@GET_POST
def process_create(request: HttpRequest) -> HttpResponse:
    require(permissions.can_log_processes, request.user)
    form = ProcessForm(bound_data(request), user=request.user)
    if form.is_bound and form.is_valid():
        try:
            process = services.process_create(actor=request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The process was logged."))
            return redirect("seats:process_detail", process.public_id)
    return render(request, "seats/form.html", {
        "form": form, "heading": _("Log an agency process"), "cancel": reverse("seats:process_list"),
        "intro": _("Record how the agency engaged the community, question by question. Leave a question as “not "
                   "known” rather than guess: the score counts only the questions answered."),
    }, status=form_status(form))


@login_required
@GET_POST
def process_edit(request: HttpRequest, public_id) -> HttpResponse:
    process = permissions.process_get_for_user(request.user, public_id)
    require(permissions.can_log_processes, request.user)
    form = ProcessForm(bound_data(request), instance=type(process).objects.get(pk=process.pk), user=request.user)
    if form.is_bound and form.is_valid():
        try:
            services.process_update(process=process, actor=request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("seats:process_detail", process.public_id)
    return render(request, "seats/form.html", {
        "form": form, "heading": _("Change %(title)s") % {"title": process.title},
        "cancel": reverse("seats:process_detail", args=[process.public_id]),
    }, status=form_status(form))
