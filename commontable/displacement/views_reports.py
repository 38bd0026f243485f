"""Pages of community reports: a member records a displacement event they witnessed; staff see
every report in full (list with filters, detail with the exact place); a reporter sees their own
and may withdraw one; everyone sees the counts per tract, with small counts suppressed.

Permissions are `displacement.permissions`: reporting is for members, a report is seen by staff
and its reporter (anyone else: 404), and the counts page is public."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commontable.core.exports import export_response
from commontable.core.http import (
    add_service_error,
    bound_data,
    export_format,
    form_status,
    login_and,
    paginate,
    render_list,
    require,
)
from commontable.displacement import permissions, services_reports
from commontable.displacement import selectors_reports as selectors
from commontable.displacement.forms_reports import ReportFilterForm, ReportForm

GET_POST = require_http_methods(["GET", "POST"])
member_required = login_and(permissions.can_report_displacement)


@require_safe
def report_tracts(request: HttpRequest) -> HttpResponse:
    """Everyone: community reports counted per census tract, for tracts with at least five
    (suppressed so that no hidden count can be worked out), never a place finer than a tract."""
    # Queries: the counts per tract (one).
    counts = selectors.public_counts()
    fmt = export_format(request)
    if fmt:
        return export_response(fmt, "community-reports-per-tract", [_("Census tract (GEOID)"), _("Reports")],
                               counts.tracts)
    return render(request, "displacement/report_tracts.html", {
        "counts": counts, "minimum": selectors.PUBLIC_MINIMUM,
        "can_report": permissions.can_report_displacement.test(request.user),
    })


@member_required
@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    """Staff: every report, filtered by kind, tract, date and withdrawal. A member: their own."""
    form = ReportFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    reports = selectors.report_list(request.user, **{k: v for k, v in filters.items() if v})
    full = permissions.can_view_reports_in_full.test(request.user)
    fmt = export_format(request)
    if fmt:
        return export_response(fmt, "community-reports", _report_header(full), (_report_row(r, full) for r in reports))
    page, query = paginate(request, reports)
    return render_list(request, "displacement/report_list.html", {
        "form": form, "page_obj": page, "querystring_without_page": query,
        "all_reports": full,
    }, status=400 if form.is_bound and not form.is_valid() else 200)


def _report_header(full: bool) -> list[str]:
    header = [_("Report"), _("What happened"), _("When"), _("What was seen"), _("Latitude"), _("Longitude"),
              _("Census tract"), _("Counted publicly"), _("Staff may contact the reporter"), _("Received"),
              _("Withdrawn")]
    return [*header, _("Reporter"), _("Language")] if full else header


def _report_row(report, full: bool) -> list:
    row = [str(report.public_id), report.get_kind_display(), report.occurred_on, report.description, report.lat,
           report.lon, report.geoid, report.consent_aggregate, report.consent_contact,
           report.created_at.replace(tzinfo=None), report.withdrawn_at.replace(tzinfo=None) if report.withdrawn_at else ""]
    return [*row, str(report.reporter or ""), report.language] if full else row


@member_required
@GET_POST
def report_create(request: HttpRequest) -> HttpResponse:
    """Members: record a displacement event witnessed — what, when, where, and consent."""
    form = ReportForm(bound_data(request))
    status = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services_reports.report_create(actor=request.user, language=get_language() or "", **data)
        except services_reports.ReportRateLimited as exc:
            form.add_error(None, exc.messages)
            status = 429
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            if report.geoid:
                messages.success(request, _("Thank you. Your report was saved."))
            else:
                messages.warning(request, _("Thank you. Your report was saved, but the place is outside the census "
                                            "tracts we know, so it is not counted on the map. Staff will still read it."))
            return redirect("displacement:report_detail", public_id=report.public_id)
    return render(request, "displacement/report_create.html", {
        "form": form, "heading": _("Report displacement you witnessed"),
    }, status=status or form_status(form))


@login_required
@require_safe
def report_detail(request: HttpRequest, public_id) -> HttpResponse:
    """Staff and the reporter: the report in full, with its exact place."""
    report = permissions.report_get_for_user(request.user, public_id)
    return render(request, "displacement/report_detail.html", {
        "report": report,
        "can_withdraw": report.withdrawn_at is None and permissions.can_withdraw_report.test(request.user, report),
        "is_staff_view": permissions.can_view_reports_in_full.test(request.user),
    })


@login_required
@require_POST
def report_withdraw(request: HttpRequest, public_id) -> HttpResponse:
    """The reporter or staff: withdraw a report; it is then counted nowhere."""
    report = permissions.report_get_for_user(request.user, public_id)
    require(permissions.can_withdraw_report, request.user, report)
    try:
        services_reports.report_withdraw(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The report was withdrawn. It is no longer counted anywhere."))
    return redirect("displacement:report_detail", public_id=report.public_id)
