"""The workforce JSON API: the overview across investments, an investment's goals and hours by
month and contractor, its hours records, goal writes, and the certified-payroll import (upload →
preview → apply). The pages' twin: the same `investment_get_for_user` (an investment the caller
may not see answers 404), the same `can_edit_workforce` (staff; 403 otherwise), the same
selectors and audited services. Reads follow ADR 6: without credentials, public investments only."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router, UploadedFile
from ninja import Status as Respond
from ninja.errors import ValidationError as NinjaValidationError

from commontable.accounts.api import api_auth_signed_in
from commontable.core.imports import ImportRefused
from commontable.core.models import ImportBatch
from commontable.core.uploads import check_upload_size
from commontable.directory.api import _forbidden, _reject_unknown_query
from commontable.investments.api_shapes import validation_error
from commontable.workforce import permissions, selectors, services
from commontable.workforce.importer import KIND, HoursPreview
from commontable.workforce.models import HUNDRED, HoursRecord, WorkforceGoal
from commontable.workforce.schemas import (
    Error,
    GoalIn,
    GoalOut,
    GoalPatch,
    HoursFilters,
    HoursPage,
    ImportOut,
    OverviewFilters,
    OverviewPage,
    Slug,
    ValidationErrorOut,
    WorkforceDetailOut,
)
from commontable.workforce.shares import Totals

router = Router(tags=["workforce"])
READ = {404: Error, 422: ValidationErrorOut}
WRITE = {401: Error, 403: Error, 404: Error, 422: ValidationErrorOut}
STAFF_ONLY = "Staff. "


def _h(hundredths: int | None) -> float | None:
    return None if hundredths is None else round(hundredths / HUNDRED, 2)


def _pct(value) -> float | None:
    return None if value is None else float(value)


def totals_out(totals: Totals) -> dict:
    return {
        "total_hours": _h(totals.total), "bipoc_hours": _h(totals.bipoc), "women_hours": _h(totals.women),
        "apprentice_hours": _h(totals.apprentice), "apprentice_bipoc_hours": _h(totals.apprentice_bipoc),
        "local_hours": _h(totals.local), "unknown_race_hours": _h(totals.unknown_race),
        "shares": {m: _pct(v) for m, v in totals.shares.items()}, "unknown_race_share": _pct(totals.unknown_share),
    }


def goal_out(goal: WorkforceGoal) -> dict:
    return {
        "id": goal.public_id, "investment": goal.investment.slug, "measure": goal.measure,
        "target_percent": float(goal.target_percent), "source": goal.source, "source_note": goal.source_note,
        "starts_on": goal.starts_on, "ends_on": goal.ends_on,
    }


def _record_totals(record: HoursRecord) -> Totals:
    return Totals(total=record.total_hundredths, bipoc=record.bipoc_hundredths, women=record.women_hundredths,
                  apprentice=record.apprentice_hundredths, apprentice_bipoc=record.apprentice_bipoc_hundredths,
                  local=record.local_hundredths, unknown_race=record.unknown_race_hundredths)


@router.get("/workforce", response={200: OverviewPage, 422: ValidationErrorOut}, operation_id="workforce_overview",
            summary="Workforce shares against goals, by investment",
            description="Every investment you may see with workforce goals or hours: its hours to date, each group's "
            "share, and the goals in force today; `limit` and `offset` page through them in the order asked. "
            "Without credentials, public investments only.")
def workforce_overview(request: HttpRequest, filters: Query[OverviewFilters]):
    _reject_unknown_query(request, OverviewFilters)
    rows = selectors.workforce_overview(request.user, sort=filters.sort)
    page = rows[filters.offset : filters.offset + filters.limit]
    items = [
        {
            "investment": {"slug": row.investment.slug, "name": row.investment.name},
            "totals": totals_out(row.totals),
            "goals": {m: float(v) for m, v in row.goals.items()},
            "bipoc_gap": _pct(row.gap()),
            "meets_bipoc_goal": row.meets(),
        }
        for row in page
    ]
    return {"count": len(rows), "limit": filters.limit, "offset": filters.offset, "items": items}


@router.get("/workforce/{slug}", response={200: WorkforceDetailOut, **READ}, operation_id="workforce_get",
            summary="An investment's workforce goals and hours",
            description="Goals, total hours and shares, hours by month (pay periods ending in the month) with the "
            "goal in force at the month's end, and hours by contractor.")
def workforce_get(request: HttpRequest, slug: Slug):
    investment = permissions.investment_get_for_user(request.user, slug)
    page = selectors.workforce_detail(investment)
    return {
        "investment": {"slug": investment.slug, "name": investment.name},
        "goals": [goal_out(g) for g in page.goals],
        "totals": totals_out(page.totals),
        "periods": [{"month": p.month, "totals": totals_out(p.totals), "goals": {m: _pct(v) for m, v in p.goals.items()}}
                    for p in page.periods],
        "contractors": [{"employer_name": c.employer_name, "first": c.first, "last": c.last, "totals": totals_out(c.totals)}
                        for c in page.contractors],
    }


@router.get("/workforce/{slug}/hours", response={200: HoursPage, **READ}, operation_id="workforce_hours_list",
            summary="An investment's hours records",
            description="One record per contractor, trade and pay period, by period.")
def workforce_hours_list(request: HttpRequest, slug: Slug, filters: Query[HoursFilters]):
    _reject_unknown_query(request, HoursFilters)
    investment = permissions.investment_get_for_user(request.user, slug)
    records = selectors.hours_list(investment)
    # Queries: one COUNT, one SELECT of the page.
    count = records.count()
    page = records[filters.offset : filters.offset + filters.limit]
    return {
        "count": count, "limit": filters.limit, "offset": filters.offset,
        "items": [{"employer_name": r.employer_name, "trade": r.trade, "period_start": r.period_start,
                   "period_end": r.period_end, "totals": totals_out(_record_totals(r))} for r in page],
    }


@router.post("/workforce/{slug}/goals", auth=api_auth_signed_in, response={201: GoalOut, **WRITE},
             operation_id="workforce_goal_create", summary="Set a workforce goal",
             description=STAFF_ONLY + "A share of total hours from 0 to 100 percent with at most one decimal.")
def workforce_goal_create(request: HttpRequest, slug: Slug, payload: GoalIn):
    user = request.user
    investment = permissions.investment_get_for_user(user, slug)
    if not permissions.can_edit_workforce.test(user):
        raise _forbidden()
    try:
        goal = services.goal_create(actor=user, investment=investment, **payload.model_dump())
    except DjangoValidationError as exc:
        raise validation_error(exc, GoalIn.model_fields) from exc
    return Respond(201, goal_out(goal))


@router.patch("/workforce/goals/{public_id}", auth=api_auth_signed_in, response={200: GoalOut, **WRITE},
              operation_id="workforce_goal_update", summary="Change a workforce goal",
              description=STAFF_ONLY + "Only the fields sent are changed; `null` clears a date.")
def workforce_goal_update(request: HttpRequest, public_id: uuid.UUID, payload: GoalPatch):
    user = request.user
    goal = permissions.goal_get_for_user(user, public_id)
    if not permissions.can_edit_workforce.test(user):
        raise _forbidden()
    changes = payload.model_dump(exclude_unset=True)
    for name in ("measure", "target_percent", "source", "source_note"):
        if name in changes and changes[name] is None:
            raise NinjaValidationError([{"type": "missing", "loc": ["body", "payload", name],
                                         "msg": _("This field cannot be empty.")}])
    try:
        goal = services.goal_update(actor=user, goal=goal, **changes)
    except DjangoValidationError as exc:
        raise validation_error(exc, GoalPatch.model_fields) from exc
    return goal_out(goal)


@router.delete("/workforce/goals/{public_id}", auth=api_auth_signed_in, response={204: None, **WRITE},
               operation_id="workforce_goal_delete", summary="Remove a workforce goal", description=STAFF_ONLY)
def workforce_goal_delete(request: HttpRequest, public_id: uuid.UUID):
    user = request.user
    goal = permissions.goal_get_for_user(user, public_id)
    if not permissions.can_edit_workforce.test(user):
        raise _forbidden()
    services.goal_delete(actor=user, goal=goal)
    return Respond(204, None)


def import_out(checked: HoursPreview, batch: ImportBatch | None) -> dict:
    preview = checked.preview
    return {
        "id": batch.public_id if batch else None,
        "status": batch.status if batch else "refused",
        "layout": checked.layout,
        "counts": preview.counts,
        "problems": [{"row": p.row, "column": p.column, "message": p.message} for p in preview.problems()],
        "notices": [str(n) for n in preview.notices],
        "periods": [{"period_start": s, "period_end": e, "totals": totals_out(t)} for s, e, t in checked.periods],
        "reports": [{"employer_name": r.employer_name, "period_start": r.start, "period_end": r.end, "action": r.action,
                     "total_hours_now": _h(r.existing.total) if r.existing else None,
                     "total_hours_after": _h(r.totals.total)} for r in checked.reports],
    }


def _batch(investment, public_id) -> ImportBatch:
    batch = ImportBatch.objects.filter(public_id=public_id, kind=KIND).first()
    if batch is None or not bytes(batch.content).startswith(b"%d\n" % investment.pk):
        from django.http import Http404

        raise Http404
    return batch


@router.post("/workforce/{slug}/imports", auth=api_auth_signed_in, response={201: ImportOut, **WRITE},
             operation_id="workforce_import_create", summary="Upload certified payroll for preview",
             description=STAFF_ONLY + "multipart/form-data with the CSV or XLSX as `file`: one row per worker per "
             "week, or totals per contractor and period. Worker names are dropped when the file is read and never "
             "stored. Answers the preview (every problem by row and column, totals per period, what each "
             "contractor-period becomes); nothing is written until it is applied. An unreadable file is a 422 "
             "on `file` and is not kept.")
def workforce_import_create(request: HttpRequest, slug: Slug, file: File[UploadedFile]):
    user = request.user
    investment = permissions.investment_get_for_user(user, slug)
    if not permissions.can_edit_workforce.test(user):
        raise _forbidden()
    try:
        check_upload_size(file)
    except DjangoValidationError as exc:
        raise NinjaValidationError([{"type": "too_large", "loc": ["form", "file"], "msg": " ".join(exc.messages)}]) from exc
    batch, checked = services.hours_import_create(actor=user, investment=investment, data=file.read(), filename=file.name)
    if batch is None:
        raise NinjaValidationError([{"type": "invalid", "loc": ["form", "file"], "msg": str(p)}
                                    for p in checked.preview.file_errors])
    return Respond(201, import_out(checked, batch))


@router.get("/workforce/{slug}/imports/{public_id}", auth=api_auth_signed_in, response={200: ImportOut, **WRITE},
            operation_id="workforce_import_get", summary="A certified-payroll import's preview",
            description=STAFF_ONLY + "Checked again against the records as they are now.")
def workforce_import_get(request: HttpRequest, slug: Slug, public_id: uuid.UUID):
    user = request.user
    investment = permissions.investment_get_for_user(user, slug)
    if not permissions.can_edit_workforce.test(user):
        raise _forbidden()
    batch = _batch(investment, public_id)
    return import_out(services.hours_import_preview(batch=batch, investment=investment), batch)


@router.post("/workforce/{slug}/imports/{public_id}/apply", auth=api_auth_signed_in, response={200: ImportOut, **WRITE},
             operation_id="workforce_import_apply", summary="Apply a certified-payroll import",
             description=STAFF_ONLY + "All rows or none: checked again, refused with a 422 listing every problem "
             "when any row has one (or when already applied). Each contractor-period in the file replaces the "
             "stored one; the same file again changes nothing.")
def workforce_import_apply(request: HttpRequest, slug: Slug, public_id: uuid.UUID):
    user = request.user
    investment = permissions.investment_get_for_user(user, slug)
    if not permissions.can_edit_workforce.test(user):
        raise _forbidden()
    batch = _batch(investment, public_id)
    try:
        checked = services.hours_import_apply(actor=user, batch=batch, investment=investment)
    except ImportRefused as refused:
        problems = [{"type": "refused", "loc": ["body"], "msg": refused.message}]
        if refused.preview is not None:
            problems += [{"type": "invalid", "loc": ["file", p.row or 0, p.column or ""], "msg": p.message}
                         for p in refused.preview.problems()]
        raise NinjaValidationError(problems) from refused
    batch.refresh_from_db()
    return import_out(checked, batch)
