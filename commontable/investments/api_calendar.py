"""The decision calendar's JSON API: decisions (list with the calendar's filters, detail, create,
change) and watching an investment. The same getters, predicates and audited services as the
pages: what the caller may not see answers 404, seen but not allowed 403, bad input 422 per field
(a time skipped by spring-forward included). Feeds are iCalendar, not JSON: see the pages."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja import Status as Respond

from commontable.accounts.api import api_auth_signed_in
from commontable.directory.api import _forbidden, _visible_organization_ids
from commontable.directory.permissions import visible_organizations
from commontable.directory.schemas import Error, Slug, ValidationErrorOut
from commontable.investments import api_shapes as shapes
from commontable.investments import calendar, permissions
from commontable.investments.models import Decision
from commontable.investments.schemas_calendar import (
    DecisionFilters,
    DecisionIn,
    DecisionOut,
    DecisionPage,
    DecisionPatch,
    WatchOut,
)

router = Router(tags=["decision calendar"])
READ = {404: Error, 422: ValidationErrorOut}
WRITE = {401: Error, 403: Error, 404: Error, 422: ValidationErrorOut}


def _out(decision: Decision, visible_orgs) -> dict:
    body = decision.body
    return {
        **{f: getattr(decision, f) for f in ("public_id", "uid", "sequence", "kind", "title", "body_name",
                                             "description", "deadline_kind", "starts_on", "starts_at_time",
                                             "ends_at_time", "time_zone", "starts_at", "location", "link_url",
                                             "status")},
        "investment": {"slug": decision.investment.slug, "name": decision.investment.name},
        "body": ({"slug": body.slug, "name": body.name}
                 if body is not None and (visible_orgs is None or body.pk in visible_orgs) else None),
    }


@router.get("/decisions", response={200: DecisionPage, 422: ValidationErrorOut}, operation_id="decision_list",
            summary="Hearings, votes and comment deadlines",
            description="Decisions on investments you may see (without credentials: public investments), "
            "earliest first, between two local dates; undated deadlines (rolling, open until filled) too.")
def decision_list(request: HttpRequest, filters: Query[DecisionFilters]):
    user = request.user
    start_day = filters.start or timezone.localdate()
    end_day = filters.end or start_day + dt.timedelta(days=366)
    investment = (permissions.investment_get_for_user(user, filters.investment) if filters.investment else None)
    body_id = None
    if filters.body:
        body_id = visible_organizations(user).filter(slug=filters.body).values_list("pk", flat=True).first()
        body_id = body_id or -1
    decisions = calendar.decision_list(
        user, days=(start_day, end_day),
        filters=calendar.CalendarFilter(investment=investment, body_id=body_id, kind=filters.kind or ""),
    )
    count = decisions.count()
    rows = decisions[filters.offset:filters.offset + filters.limit]
    visible = _visible_organization_ids(user)
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": [_out(d, visible) for d in rows]}


@router.get("/decisions/{public_id}", response={200: DecisionOut, **READ}, operation_id="decision_get",
            summary="A decision")
def decision_get(request: HttpRequest, public_id: uuid.UUID):
    decision = calendar.decision_get_for_user(request.user, public_id)
    return _out(decision, _visible_organization_ids(request.user))


def _data(user, payload, model) -> dict:
    data = payload.model_dump(exclude_unset=model is DecisionPatch)
    for name in ("deadline_kind", "body_name", "description", "location", "link_url"):
        if name in data and data[name] is None:
            data[name] = ""
    if data.get("time_zone") is None and "time_zone" in data:
        del data["time_zone"]
    return shapes.resolve(user, data, organizations=["body"])


def _save(call, model):
    try:
        return call()
    except DjangoValidationError as exc:
        raise shapes.validation_error(exc, model.model_fields) from exc


@router.post("/investments/{slug}/decisions", auth=api_auth_signed_in, response={201: DecisionOut, **WRITE},
             operation_id="decision_create", summary="Add a decision to an investment",
             description="Staff. A hearing, vote or comment deadline, in local time with its zone.")
def decision_create(request: HttpRequest, slug: Slug, payload: DecisionIn):
    user = request.user
    investment = permissions.investment_get_for_user(user, slug)
    if not calendar.can_edit_decision.test(user):
        raise _forbidden()
    data = _data(user, payload, DecisionIn)
    decision = _save(lambda: calendar.decision_create(actor=user, investment=investment, **data), DecisionIn)
    return Respond(201, _out(decision, _visible_organization_ids(user)))


@router.patch("/decisions/{public_id}", auth=api_auth_signed_in, response={200: DecisionOut, **WRITE},
              operation_id="decision_update", summary="Change a decision",
              description="Staff. Only the fields sent change; a new time, place or status raises `sequence`.")
def decision_update(request: HttpRequest, public_id: uuid.UUID, payload: DecisionPatch):
    user = request.user
    decision = calendar.decision_get_for_user(user, public_id)
    if not calendar.can_edit_decision.test(user):
        raise _forbidden()
    data = _data(user, payload, DecisionPatch)
    _save(lambda: calendar.decision_update(actor=user, decision=decision, **data), DecisionPatch)
    return _out(decision, _visible_organization_ids(user))


@router.get("/investments/{slug}/watch", auth=api_auth_signed_in, response={200: WatchOut, **WRITE},
            operation_id="investment_watch_get", summary="Whether you watch an investment")
def investment_watch_get(request: HttpRequest, slug: Slug):
    investment = permissions.investment_get_for_user(request.user, slug)
    return {"investment": investment.slug, "watching": calendar.is_watching(request.user, investment)}


@router.put("/investments/{slug}/watch", auth=api_auth_signed_in, response={200: WatchOut, **WRITE},
            operation_id="investment_watch", summary="Watch an investment",
            description="Be reminded by email a week and a day before each of its decisions.")
def investment_watch(request: HttpRequest, slug: Slug):
    investment = permissions.investment_get_for_user(request.user, slug)
    calendar.investment_watch(user=request.user, investment=investment)
    return {"investment": investment.slug, "watching": True}


@router.delete("/investments/{slug}/watch", auth=api_auth_signed_in, response={200: WatchOut, **WRITE},
               operation_id="investment_unwatch", summary="Stop watching an investment")
def investment_unwatch(request: HttpRequest, slug: Slug):
    investment = permissions.investment_get_for_user(request.user, slug)
    calendar.investment_unwatch(user=request.user, investment=investment)
    return {"investment": investment.slug, "watching": False}
