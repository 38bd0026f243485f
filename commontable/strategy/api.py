"""The plan's JSON API: plans, their dashboard, objectives, indicators and their measurements,
bindings and action items.

Each endpoint is the page's twin: the same `*_get_for_user` (what the caller may not see answers
404), the same `can_*` predicate (seen but not allowed answers 403), the same selector (the
dashboard here and on the page is one `selectors.plan_dashboard` call) and the same audited
services, whose field errors become 422s with one entry per field.

Reads accept a token, a session or nothing: without credentials a list shows only what an
anonymous visitor may see (public plans and what hangs from them), never a 401. Writes need a token
or a signed-in session (with its CSRF token).
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Respond
from ninja.errors import ValidationError as NinjaValidationError

from commontable.accounts.api import api_auth_signed_in
from commontable.core import indicators as registry
from commontable.core.visibility import viewer_for
from commontable.directory.api import _field_error, _forbidden, _page, _reject_unknown_query
from commontable.directory.models import Table
from commontable.strategy import permissions, selectors, services
from commontable.strategy.choices import IndicatorKind, Status
from commontable.strategy.models import ActionItem, Measurement, Objective, ObjectiveIndicator, Plan
from commontable.strategy.schemas import (
    ActionItemFilters,
    ActionItemIn,
    ActionItemOut,
    ActionItemPage,
    AsOfQuery,
    BindingIn,
    BindingOut,
    DashboardOut,
    DashboardQuery,
    Error,
    IndicatorKey,
    IndicatorPage,
    MeasurementIn,
    MeasurementOut,
    MeasurementPage,
    ObjectiveDetailOut,
    Page,
    PlanDetailOut,
    PlanDetailQuery,
    PlanPage,
    Slug,
    ValidationErrorOut,
)

router = Router(tags=["plan"])

PUBLIC_ONLY = (
    "Without credentials this list answers 200 with what an anonymous visitor may see, never 401; "
    "a token that is unknown, revoked or expired answers 401."
)
READ = {404: Error, 422: ValidationErrorOut}
WRITE = {401: Error, 403: Error, 404: Error, 422: ValidationErrorOut}


# ---------------------------------------------------------------------------------------------
# Glue


def _validation_error(exc: DjangoValidationError, path: dict[str, str], body_fields) -> NinjaValidationError:
    """A service's field errors as 422 details: a field named in `path` points at that path
    parameter (the objective or indicator the URL names), a field of the body at that field, and
    anything else at the body as a whole."""
    errors = []
    items = exc.error_dict.items() if hasattr(exc, "error_dict") else [("__all__", exc.error_list)]
    for field, field_errors in items:
        if field in path:
            loc = ["path", path[field]]
        elif field in body_fields:
            loc = ["body", "payload", field]
        else:
            loc = ["body", "payload"]
        errors.extend(
            {"type": error.code or "invalid", "loc": loc, "msg": " ".join(error)} for error in field_errors
        )
    return NinjaValidationError(errors)


def _query_error(field: str, message: str, kind: str = "invalid") -> NinjaValidationError:
    return NinjaValidationError([{"type": kind, "loc": ["query", field], "msg": message}])


def _number(value) -> float | None:
    return float(value) if value is not None else None


def _visible_plan_ids(user) -> set[int] | None:
    """Ids of the plans the caller may see, or None for staff (who see them all): one query, so a
    list hides references to hidden plans without a query per row."""
    if viewer_for(user).is_staff:
        return None
    return set(Plan.objects.visible_to(user).values_list("pk", flat=True))


def _plan_ref(plan: Plan | None, visible: set[int] | None) -> dict | None:
    if plan is None or (visible is not None and plan.pk not in visible):
        return None
    return {"slug": plan.slug, "title": plan.title}


def _status(status: str) -> dict:
    return {"status": status, "status_label": str(Status(status).label)}


def _figure_out(figure: selectors.Figure) -> dict:
    binding = figure.binding
    return {
        "binding": binding.public_id,
        "key": figure.key,
        "label": figure.label,
        "counts": figure.counts,
        "unit": figure.unit,
        "manual": figure.manual,
        "param": binding.param,
        "value": figure.current.value if figure.current.has_value else None,
        "suppressed": figure.current.suppressed,
        "measured_on": figure.measured_on,
        "baseline": _number(binding.baseline_value),
        "baseline_on": binding.baseline_on,
        "target": _number(binding.target_value),
        "target_on": binding.target_on,
        "higher_is_better": figure.higher_is_better,
        **_status(figure.status),
        "change": figure.change,
        "change_since": figure.before_on if figure.before is not None else None,
        "series": [(day, value) for day, value in figure.series],
    }


def _measurement_out(measurement: Measurement, key: str) -> dict:
    recorded_by = measurement.recorded_by
    return {
        "id": measurement.pk,
        "indicator": key,
        "param": measurement.param,
        "value": float(measurement.value),
        "measured_on": measurement.measured_on,
        "source": measurement.source,
        "evidence": measurement.evidence,
        "evidence_url": measurement.evidence_url,
        "recorded_by": (recorded_by.full_name or None) if recorded_by is not None else None,
        "recorded_at": measurement.recorded_at,
    }


def _action_item_out(item: ActionItem, objectives) -> dict:
    """An action item; `objectives` None for the brief form an objective's page lists."""
    out = {
        "public_id": item.public_id,
        "title": item.title,
        "detail": item.detail,
        "status": item.status,
        "owner": (item.owner.full_name or None) if item.owner_id else None,
        "due_on": item.due_on,
        "done_on": item.done_on,
        "visibility": item.visibility,
    }
    if objectives is not None:
        out["objectives"] = [{"public_id": o.public_id, "number": o.number} for o in objectives]
    return out


def _plan_out(plan: Plan, visible: set[int] | None) -> dict:
    return {
        "public_id": plan.public_id,
        "slug": plan.slug,
        "title": plan.title,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "period": plan.period_label,
        "is_default": plan.is_default,
        "revision": plan.revision,
        "visibility": plan.visibility,
        "predecessor": _plan_ref(plan.predecessor, visible),
    }


# ---------------------------------------------------------------------------------------------
# Plans


@router.get(
    "/plans",
    response={200: PlanPage, 422: ValidationErrorOut},
    operation_id="plan_list",
    summary="List plans",
    description="Plans you may see, newest period first. " + PUBLIC_ONLY,
)
def plan_list(request: HttpRequest, filters: Query[Page]):
    _reject_unknown_query(request, Page)
    user = request.user
    count, items = _page(selectors.plan_list(user).order_by("-period_start", "title", "pk"), filters)
    visible = _visible_plan_ids(user) if any(p.predecessor_id for p in items) else None
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_plan_out(p, visible) for p in items],
    }


@router.get(
    "/plans/{slug}",
    response={200: PlanDetailOut, **READ},
    operation_id="plan_get",
    summary="A plan",
    description="Mission, vision, period, values, and the strategies with their objectives: the current "
    "ones, or with `archived=true` also those a revision of the plan archived.",
)
def plan_get(request: HttpRequest, slug: Slug, filters: Query[PlanDetailQuery]):
    _reject_unknown_query(request, PlanDetailQuery)
    user = request.user
    plan = permissions.plan_get_for_user(user, slug)
    values, strategies, objectives = plan.values.all(), plan.strategies.all(), plan.objectives.all()
    if not filters.archived:
        values, strategies, objectives = values.current(), strategies.current(), objectives.current()
    by_strategy: dict[int, list[dict]] = {}
    for objective in objectives.order_by("strategy__number", "position", "pk"):
        by_strategy.setdefault(objective.strategy_id, []).append(
            {
                "public_id": objective.public_id,
                "number": objective.number,
                "text": objective.text,
                "archived": objective.archived_at is not None,
            }
        )
    predecessor_visible = (
        plan.predecessor_id is not None
        and Plan.objects.visible_to(user).filter(pk=plan.predecessor_id).exists()
    )
    out = _plan_out(plan, None if predecessor_visible else set())
    out.update(
        mission=plan.mission,
        vision=plan.vision,
        values=[
            {"name": v.name, "description": v.description, "archived": v.archived_at is not None}
            for v in values
        ],
        strategies=[
            {
                "number": s.number,
                "title": s.title,
                "description": s.description,
                "archived": s.archived_at is not None,
                "objectives": by_strategy.get(s.pk, []),
            }
            for s in strategies
        ],
        permissions={"can_manage": permissions.can_manage_plan.test(user)},
    )
    return out


@router.get(
    "/plans/{slug}/dashboard",
    response={200: DashboardOut, **READ},
    operation_id="plan_dashboard",
    summary="A plan's dashboard",
    description="Every current objective with its status and figures: value (null when there is none "
    "yet or it is suppressed), baseline, target, status, change since the last board report, and the "
    "trend as [date, value] pairs. The same data as the dashboard page, filtered the same way.",
)
def plan_dashboard(request: HttpRequest, slug: Slug, filters: Query[DashboardQuery]):
    _reject_unknown_query(request, DashboardQuery)
    user = request.user
    plan = permissions.plan_get_for_user(user, slug)
    table = None
    if filters.table:
        table = Table.objects.visible_to(user).filter(slug=filters.table).first()
        if table is None:
            raise _query_error("table", _("Unknown table."), "unknown_slug")
    board = selectors.plan_dashboard(
        plan, user=user, as_of=filters.as_of, strategy=filters.strategy, table=table
    )
    report = board.last_report
    return {
        "plan": {"slug": plan.slug, "title": plan.title},
        "as_of": board.as_of,
        "last_report": {
            "public_id": report.public_id,
            "title": report.title,
            "period_start": report.period_start,
            "period_end": report.period_end,
        }
        if report
        else None,
        "status_counts": board.status_counts,
        "strategies": [
            {
                "number": row.strategy.number,
                "title": row.strategy.title,
                "objectives": [
                    {
                        "public_id": o.objective.public_id,
                        "number": o.objective.number,
                        "text": o.objective.text,
                        **_status(o.status),
                        "figures": [_figure_out(f) for f in o.figures],
                    }
                    for o in row.objectives
                ],
            }
            for row in board.strategies
        ],
    }


# ---------------------------------------------------------------------------------------------
# Objectives and bindings


@router.get(
    "/objectives/{public_id}",
    response={200: ObjectiveDetailOut, **READ},
    operation_id="objective_get",
    summary="An objective",
    description="An objective with its figures over the plan's period, the hand-entered measurements "
    "behind them, its action items you may see and the indicators it no longer shows. Archived "
    "objectives stay readable.",
)
def objective_get(request: HttpRequest, public_id: uuid.UUID, filters: Query[AsOfQuery]):
    _reject_unknown_query(request, AsOfQuery)
    user = request.user
    objective = permissions.objective_get_for_user(user, public_id)
    page = selectors.objective_detail(objective, user=user, as_of=filters.as_of)
    keys = {f.binding.indicator_id: f.key for f in page.figures}
    measurements = sorted(
        (m for items in page.measurements.values() for m in items),
        key=lambda m: (m.measured_on, m.pk),
        reverse=True,
    )
    manual = {f.binding.indicator for f in page.figures if f.manual and f.binding.indicator.is_manual}
    return {
        "public_id": objective.public_id,
        "number": objective.number,
        "text": objective.text,
        "notes": objective.notes,
        "archived": objective.archived_at is not None,
        "plan": {"slug": objective.plan.slug, "title": objective.plan.title},
        "strategy": objective.strategy.number,
        "as_of": filters.as_of or timezone.localdate(),
        **_status(page.status),
        "figures": [_figure_out(f) for f in page.figures],
        "measurements": [_measurement_out(m, keys[m.indicator_id]) for m in measurements],
        "action_items": [_action_item_out(item, None) for item in page.action_items],
        "tables": [{"slug": t.slug, "name": t.name} for t in page.tables],
        "archived_figures": [
            {"binding": b.public_id, "key": b.indicator.key, "param": b.param, "archived_at": b.archived_at}
            for b in page.archived_figures
        ],
        "permissions": {
            "can_manage": permissions.can_manage_plan.test(user),
            "can_add_action_item": permissions.can_create_action_item.test(user)
            and objective.archived_at is None,
            "can_measure": sorted(i.key for i in manual if permissions.can_add_measurement.test(user, i)),
        },
    }


@router.post(
    "/objectives/{public_id}/indicators",
    auth=api_auth_signed_in,
    response={201: BindingOut, **WRITE},
    operation_id="binding_create",
    summary="Bind an indicator to an objective",
    description="Staff. `indicator` is the key of a registered indicator (see `GET /indicators`) or of "
    "a manual one. An archived objective takes no new indicator, the target date must come after the "
    "baseline date, and an indicator is bound to an objective once (422).",
)
def binding_create(request: HttpRequest, public_id: uuid.UUID, payload: BindingIn):
    user = request.user
    objective = permissions.objective_get_for_user(user, public_id)
    if not permissions.can_manage_plan.test(user):
        raise _forbidden()
    data = payload.model_dump()
    key = data.pop("indicator")
    try:
        with transaction.atomic():
            if key in registry.registry():
                indicator = services.indicator_for_key(key)
            else:
                indicator = selectors.indicator_get(key)
                if indicator is None or not indicator.is_manual:
                    raise _field_error("indicator", _("Choose an indicator."), "unknown_indicator")
            binding = services.binding_create(actor=user, objective=objective, indicator=indicator, **data)
    except DjangoValidationError as exc:
        raise _validation_error(exc, {"objective": "public_id"}, BindingIn.model_fields) from exc
    return Respond(201, _binding_out(binding))


def _binding_out(binding: ObjectiveIndicator) -> dict:
    return {
        "public_id": binding.public_id,
        "objective": {"public_id": binding.objective.public_id, "number": binding.objective.number},
        "indicator": binding.indicator.key,
        "param": binding.param,
        "baseline_value": _number(binding.baseline_value),
        "baseline_on": binding.baseline_on,
        "target_value": _number(binding.target_value),
        "target_on": binding.target_on,
        "cadence": binding.cadence,
    }


# ---------------------------------------------------------------------------------------------
# Indicators and measurements


@router.get(
    "/indicators",
    response={200: IndicatorPage, 422: ValidationErrorOut},
    operation_id="indicator_list",
    summary="List indicators",
    description="Every indicator the plan can bind: the registered ones, computed from the records "
    "(labels in your language), and the manual ones you may see, with how many objectives use each. "
    + PUBLIC_ONLY,
)
def indicator_list(request: HttpRequest, filters: Query[Page]):
    _reject_unknown_query(request, Page)
    catalogue = selectors.indicator_catalogue(request.user)
    items = [
        {
            "key": entry["key"],
            "label": entry["label"],
            "counts": entry["counts"],
            "unit": entry["unit"],
            "direction": entry["direction"],
            "kind": IndicatorKind.MANUAL if entry["manual"] else IndicatorKind.COMPUTED,
            "history": entry["history"],
            "param_label": entry["param_label"],
            "per_objective": entry["per_objective"],
            "used": entry["used"],
        }
        for entry in catalogue[filters.offset : filters.offset + filters.limit]
    ]
    return {"count": len(catalogue), "limit": filters.limit, "offset": filters.offset, "items": items}


@router.get(
    "/indicators/{key}/measurements",
    response={200: MeasurementPage, **READ},
    operation_id="measurement_list",
    summary="An indicator's measurements",
    description="Figures measured by hand (who, when, evidence) and snapshots kept of computed ones, "
    "newest first. Manual indicators are seen by whoever may see an objective they are bound to.",
)
def measurement_list(request: HttpRequest, key: IndicatorKey, filters: Query[Page]):
    _reject_unknown_query(request, Page)
    user = request.user
    indicator = permissions.indicator_get_for_user(user, key)
    count, items = _page(selectors.measurement_list(indicator, user=user), filters)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_measurement_out(m, indicator.key) for m in items],
    }


@router.post(
    "/indicators/{key}/measurements",
    auth=api_auth_signed_in,
    response={201: MeasurementOut, **WRITE},
    operation_id="measurement_create",
    summary="Record a measurement",
    description="Staff, and owners of an objective the indicator is bound to. Only manual indicators "
    "take figures entered by hand (a computed one answers 422); the date cannot be in the future.",
)
def measurement_create(request: HttpRequest, key: IndicatorKey, payload: MeasurementIn):
    user = request.user
    indicator = permissions.indicator_get_for_user(user, key)
    if not permissions.can_add_measurement.test(user, indicator):
        raise _forbidden()
    try:
        measurement = services.measurement_add(actor=user, indicator=indicator, **payload.model_dump())
    except DjangoValidationError as exc:
        raise _validation_error(exc, {"indicator": "key"}, MeasurementIn.model_fields) from exc
    return Respond(201, _measurement_out(measurement, indicator.key))


# ---------------------------------------------------------------------------------------------
# Action items


@router.get(
    "/action-items",
    response={200: ActionItemPage, 422: ValidationErrorOut},
    operation_id="action_item_list",
    summary="List action items",
    description="Action items you may see (and those you own), open first, then by due date. " + PUBLIC_ONLY,
)
def action_item_list(request: HttpRequest, filters: Query[ActionItemFilters]):
    _reject_unknown_query(request, ActionItemFilters)
    user = request.user
    objective = None
    if filters.objective is not None:
        objective = Objective.objects.visible_to(user).filter(public_id=filters.objective).first()
        if objective is None:
            raise _query_error("objective", _("Unknown objective."), "unknown_objective")
    items = selectors.action_item_list(user, objective=objective, status=filters.status or "")
    count, page = _page(items, filters)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_action_item_out(item, item.objectives.all()) for item in page],
    }


@router.post(
    "/action-items",
    auth=api_auth_signed_in,
    response={201: ActionItemOut, **WRITE},
    operation_id="action_item_create",
    summary="Add an action item",
    description="Members. `objectives` are public ids of current objectives you may see; the item "
    "counts toward them once done.",
)
def action_item_create(request: HttpRequest, payload: ActionItemIn):
    user = request.user
    if not permissions.can_create_action_item.test(user):
        raise _forbidden()
    wanted = list(dict.fromkeys(payload.objectives))
    found = {o.public_id: o for o in Objective.objects.visible_to(user).filter(public_id__in=wanted)}
    missing = [str(public_id) for public_id in wanted if public_id not in found]
    if missing:
        raise _field_error(
            "objectives", _("Unknown objectives: %(ids)s.") % {"ids": ", ".join(missing)}, "unknown_objective"
        )
    objectives = [found[public_id] for public_id in wanted]
    try:
        item = services.action_item_create(
            actor=user,
            title=payload.title,
            detail=payload.detail,
            due_on=payload.due_on,
            objectives=objectives,
            visibility=payload.visibility,
        )
    except DjangoValidationError as exc:
        raise _validation_error(exc, {}, ActionItemIn.model_fields) from exc
    return Respond(201, _action_item_out(item, objectives))
