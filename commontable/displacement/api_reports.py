"""The community reports JSON API: the public counts per tract (everyone; never a point), the
reports themselves (staff: all; a member: their own; anyone else sees none), making a report
(members) and withdrawing one (its reporter or staff).

The pages' twin: the same `displacement.permissions` (a report the caller may not see answers
404), the same selectors and audited services. Reporting is limited per person per day: over the
limit answers 429 with the time to try again."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Query, Router
from ninja import Status as Respond

from commontable.accounts.api import api_auth_signed_in
from commontable.directory.api import _forbidden, _page, _reject_unknown_query, _validation_error
from commontable.displacement import permissions, services_reports
from commontable.displacement import selectors_reports as selectors
from commontable.displacement.models import CommunityReport
from commontable.displacement.schemas_reports import (
    Error,
    NoFilters,
    PublicCountsOut,
    ReportFilters,
    ReportIn,
    ReportOut,
    ReportPage,
    ValidationErrorOut,
)

router = Router(tags=["displacement"])


def report_out(report: CommunityReport, *, staff: bool) -> dict:
    return {
        "id": report.public_id, "kind": report.kind, "kind_label": str(report.get_kind_display()),
        "occurred_on": report.occurred_on, "description": report.description, "lat": report.lat, "lon": report.lon,
        "geoid": report.geoid, "consent_aggregate": report.consent_aggregate,
        "consent_contact": report.consent_contact, "language": report.language, "received_at": report.created_at,
        "withdrawn_at": report.withdrawn_at, "reporter": str(report.reporter) if staff and report.reporter else None,
    }


@router.get("/displacement/reports/tracts", response={200: PublicCountsOut, 422: ValidationErrorOut},
            operation_id="displacement_report_tracts", summary="Community reports per census tract",
            description="Reports counted with their reporter's consent and not withdrawn, per tract, for tracts with "
            "at least five; where a small count could be worked out from the total, another tract is hidden too. "
            "Never a point, an address or a report. Public; no credentials needed.")
def report_tracts(request: HttpRequest):
    _reject_unknown_query(request, NoFilters)
    counts = selectors.public_counts()
    return {
        "minimum": selectors.PUBLIC_MINIMUM,
        "total": None if counts.total.suppressed else counts.total.value,
        "not_shown": counts.not_shown,
        "tracts": [{"geoid": geoid, "reports": n} for geoid, n in counts.tracts],
    }


@router.get("/displacement/reports", response={200: ReportPage, 422: ValidationErrorOut},
            operation_id="displacement_report_list", summary="List community reports",
            description="Staff: every report in full, with its exact place. A member: their own. Anyone else: an "
            "empty list (the public counts are at /displacement/reports/tracts).")
def report_list(request: HttpRequest, filters: Query[ReportFilters]):
    _reject_unknown_query(request, ReportFilters)
    user = request.user
    data = filters.model_dump(exclude_none=True, exclude={"limit", "offset"})
    # Queries: one COUNT, one SELECT of the page with its reporters.
    count, page = _page(selectors.report_list(user, **data), filters)
    staff = permissions.can_view_reports_in_full.test(user)
    return {"count": count, "limit": filters.limit, "offset": filters.offset,
            "items": [report_out(r, staff=staff) for r in page]}


@router.get("/displacement/reports/{public_id}", response={200: ReportOut, 404: Error, 422: ValidationErrorOut},
            operation_id="displacement_report_get", summary="A community report",
            description="Staff and the reporter only; anyone else gets 404.")
def report_get(request: HttpRequest, public_id: uuid.UUID):
    _reject_unknown_query(request, NoFilters)
    report = permissions.report_get_for_user(request.user, public_id)
    return report_out(report, staff=permissions.can_view_reports_in_full.test(request.user))


@router.post("/displacement/reports", auth=api_auth_signed_in,
             response={201: ReportOut, 401: Error, 403: Error, 422: ValidationErrorOut, 429: Error},
             operation_id="displacement_report_create", summary="Report displacement you witnessed",
             description="Members. What happened, when (not in the future, not before 2000) and where (latitude and "
             "longitude; the tract is found from them). Kept for staff in full; counted on the public map only "
             "with `consent_aggregate`. At most 20 reports per person in 24 hours: more answers 429.")
def report_create(request: HttpRequest, payload: ReportIn):
    user = request.user
    if not permissions.can_report_displacement.test(user):
        raise _forbidden()
    try:
        report = services_reports.report_create(actor=user, language=get_language() or "", **payload.model_dump())
    except services_reports.ReportRateLimited as exc:
        return Respond(429, {"detail": " ".join(exc.messages)})
    except DjangoValidationError as exc:
        raise _validation_error(exc) from exc
    return Respond(201, report_out(report, staff=permissions.can_view_reports_in_full.test(user)))


@router.post("/displacement/reports/{public_id}/withdraw", auth=api_auth_signed_in,
             response={200: ReportOut, 401: Error, 403: Error, 404: Error, 422: ValidationErrorOut},
             operation_id="displacement_report_withdraw", summary="Withdraw a community report",
             description="The reporter or staff. The report is kept but counted nowhere; withdrawing twice answers 422.")
def report_withdraw(request: HttpRequest, public_id: uuid.UUID):
    user = request.user
    report = permissions.report_get_for_user(user, public_id)
    if not permissions.can_withdraw_report.test(user, report):
        raise _forbidden()
    try:
        report = services_reports.report_withdraw(actor=user, report=report)
    except DjangoValidationError as exc:
        raise _validation_error(exc) from exc
    return report_out(report, staff=permissions.can_view_reports_in_full.test(user))
