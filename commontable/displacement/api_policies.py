"""The policy inventory's JSON API: policies (filtered by jurisdiction, type, status), one policy
with its history and campaigns, policy types; staff record statuses and add types.

The pages' twin: the same selectors and audited services, the same `can_edit_policies` (staff;
others 403, writes without credentials 401). The inventory is public, so reads need no
credentials; campaigns are only those the caller may see. Service errors are 422s per field."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Respond
from ninja.errors import ValidationError as NinjaValidationError

from commontable.accounts.api import api_auth_signed_in
from commontable.core.models import Place
from commontable.directory.api import _forbidden, _page, _reject_unknown_query, _validation_error
from commontable.displacement import permissions, services_policies
from commontable.displacement import selectors_policies as selectors
from commontable.displacement.models import Policy, PolicyType
from commontable.displacement.schemas_policies import (
    Error,
    NoFilters,
    PolicyDetailOut,
    PolicyFilters,
    PolicyPage,
    PolicyStatusIn,
    PolicyStatusPatch,
    PolicyTypeIn,
    PolicyTypeOut,
    Slug,
    ValidationErrorOut,
)

router = Router(tags=["displacement"])
READ = {404: Error, 422: ValidationErrorOut}
WRITE = {401: Error, 403: Error, 404: Error, 422: ValidationErrorOut}
STAFF_ONLY = "Staff. "
RULES = ("Adopted and repealed need `status_date` (not in the future) and a source (`source_url`, http or https, "
         "and/or `source_note`); a policy is repealed only after it was adopted, and not before its adoption date. ")


def policy_type_out(policy_type: PolicyType) -> dict:
    return {"slug": policy_type.slug, "name": policy_type.display_name, "description": policy_type.display_description}


def _place(place: Place) -> dict:
    return {"slug": place.slug, "name": place.name, "kind": place.kind}


def policy_out(policy: Policy) -> dict:
    return {
        "jurisdiction": _place(policy.jurisdiction), "policy_type": policy_type_out(policy.policy_type),
        "status": policy.status, "status_label": selectors.status_label(policy.status).label,
        "status_date": policy.status_date, "source_url": policy.source_url, "source_note": policy.source_note,
        "notes": policy.notes,
    }


def policy_detail_out(place: Place, policy_type: PolicyType, policy: Policy | None, user) -> dict:
    if policy is None:
        policy = Policy(jurisdiction=place, policy_type=policy_type)
        recorded = False
    else:
        recorded = True
    out = policy_out(policy)
    out["recorded"] = recorded
    out["history"] = [
        {"status": c.status.code, "status_label": c.status.label, "status_date": c.status_date,
         "source_url": c.source_url, "source_note": c.source_note, "recorded_at": c.recorded_at}
        for c in selectors.policy_history(policy if recorded else None)
    ]
    out["campaigns"] = [
        {"id": ask.public_id, "ask": ask.ask, "outcome": ask.outcome, "investment": ask.investment.slug}
        for ask in selectors.policy_campaigns(policy if recorded else None, user)
    ]
    return out


def _query_error(field: str, message: str) -> NinjaValidationError:
    return NinjaValidationError([{"type": "unknown_slug", "loc": ["query", field], "msg": message}])


def _body_error(field: str, message: str, kind: str = "unknown_slug") -> NinjaValidationError:
    return NinjaValidationError([{"type": kind, "loc": ["body", "payload", field], "msg": message}])


@router.get("/displacement/policies", response={200: PolicyPage, 422: ValidationErrorOut},
            operation_id="displacement_policy_list", summary="List recorded anti-displacement policies",
            description="Where jurisdictions stand on policy types, by jurisdiction and type: only the pairs with a "
            "recorded status (the matrix page shows the rest as none). Public; no credentials needed.")
def policy_list(request: HttpRequest, filters: Query[PolicyFilters]):
    _reject_unknown_query(request, PolicyFilters)
    jurisdiction = policy_type = None
    if filters.jurisdiction:
        jurisdiction = selectors.jurisdiction_list().filter(slug=filters.jurisdiction).first()
        if jurisdiction is None:
            raise _query_error("jurisdiction", _("Unknown jurisdiction."))
    if filters.type:
        policy_type = PolicyType.objects.filter(slug=filters.type).first()
        if policy_type is None:
            raise _query_error("type", _("Unknown policy type."))
    items = selectors.policy_list(jurisdiction=jurisdiction, policy_type=policy_type, status=filters.status or "",
                                  kind=filters.kind or "")
    # Queries: one COUNT, one SELECT of the page with its jurisdictions and types.
    count, page = _page(items, filters)
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": [policy_out(p) for p in page]}


@router.get("/displacement/policies/{jurisdiction}/{policy_type}", response={200: PolicyDetailOut, **READ},
            operation_id="displacement_policy_get", summary="Where a jurisdiction stands on a policy type",
            description="The status (none where nothing was recorded), its date and source, notes, every earlier "
            "status (newest first), and the linked campaigns you may see.")
def policy_get(request: HttpRequest, jurisdiction: Slug, policy_type: Slug):
    _reject_unknown_query(request, NoFilters)
    place = selectors.jurisdiction_get(jurisdiction)
    kind = selectors.policy_type_get(policy_type)
    return policy_detail_out(place, kind, selectors.policy_get(place, kind), request.user)


@router.get("/displacement/policy-types", response={200: list[PolicyTypeOut], 422: ValidationErrorOut},
            operation_id="displacement_policy_type_list", summary="List policy types",
            description="The kinds of anti-displacement policy in the inventory, in the matrix's order.")
def policy_type_list(request: HttpRequest):
    _reject_unknown_query(request, NoFilters)
    return [policy_type_out(t) for t in selectors.policy_type_list()]


@router.post("/displacement/policy-types", auth=api_auth_signed_in,
             response={201: PolicyTypeOut, 401: Error, 403: Error, 422: ValidationErrorOut},
             operation_id="displacement_policy_type_create", summary="Add a policy type",
             description=STAFF_ONLY + "A name not used yet (its slug is made from it) and a description.")
def policy_type_create(request: HttpRequest, payload: PolicyTypeIn):
    if not permissions.can_edit_policies.test(request.user):
        raise _forbidden()
    try:
        policy_type = services_policies.policy_type_create(actor=request.user, **payload.model_dump())
    except DjangoValidationError as exc:
        raise _validation_error(exc) from exc
    return Respond(201, policy_type_out(policy_type))


def _campaigns(user, ids):
    if ids is None:
        return None
    found = {ask.public_id: ask for ask in selectors.campaign_choices(user).filter(public_id__in=set(ids))}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise _body_error("campaigns", _("Unknown campaign: %(ids)s.") % {"ids": ", ".join(missing)})
    return list(found.values())


def _set(request: HttpRequest, place: Place, kind: PolicyType, values: dict, campaigns):
    try:
        return services_policies.policy_status_set(actor=request.user, jurisdiction=place, policy_type=kind,
                                                   campaigns=campaigns, **values)
    except DjangoValidationError as exc:
        raise _validation_error(exc) from exc


@router.post("/displacement/policies", auth=api_auth_signed_in, response={200: PolicyDetailOut, 201: PolicyDetailOut,
             **WRITE}, operation_id="displacement_policy_status_set", summary="Record a policy's status",
             description=STAFF_ONLY + "Where a jurisdiction stands on a policy type: 201 for its first status, 200 "
             "for a change. " + RULES)
def policy_status_set(request: HttpRequest, payload: PolicyStatusIn):
    user = request.user
    if not permissions.can_edit_policies.test(user):
        raise _forbidden()
    place = selectors.jurisdiction_list().filter(slug=payload.jurisdiction).first()
    if place is None:
        raise _body_error("jurisdiction", _("Unknown jurisdiction."))
    kind = PolicyType.objects.filter(slug=payload.policy_type).first()
    if kind is None:
        raise _body_error("policy_type", _("Unknown policy type."))
    values = payload.model_dump(exclude={"jurisdiction", "policy_type", "campaigns"})
    existed = selectors.policy_get(place, kind) is not None
    policy = _set(request, place, kind, values, _campaigns(user, payload.campaigns))
    return Respond(200 if existed else 201, policy_detail_out(place, kind, policy, user))


@router.patch("/displacement/policies/{jurisdiction}/{policy_type}", auth=api_auth_signed_in,
              response={200: PolicyDetailOut, **WRITE}, operation_id="displacement_policy_update",
              summary="Change a policy's status", description=STAFF_ONLY + "Only the fields sent change; a "
              "jurisdiction and type with no status recorded yet answer 404 (record one with POST). " + RULES)
def policy_update(request: HttpRequest, jurisdiction: Slug, policy_type: Slug, payload: PolicyStatusPatch):
    user = request.user
    place = selectors.jurisdiction_get(jurisdiction)
    kind = selectors.policy_type_get(policy_type)
    if not permissions.can_edit_policies.test(user):
        raise _forbidden()
    policy = selectors.policy_get(place, kind)
    if policy is None:
        raise Http404
    sent = payload.model_dump(exclude_unset=True)
    for field in ("status", "source_url", "source_note", "notes"):
        if field in sent and sent[field] is None:
            raise _body_error(field, _("This field cannot be null."), "null")
    values = {name: sent.get(name, getattr(policy, name))
              for name in ("status", "status_date", "source_url", "source_note", "notes")}
    campaigns = _campaigns(user, sent["campaigns"]) if "campaigns" in sent else None
    if campaigns is not None:
        # Links to campaigns the caller may not see are kept as they are.
        seen = selectors.campaign_choices(user).values("pk")
        campaigns += list(policy.campaigns.exclude(pk__in=seen))
    policy = _set(request, place, kind, values, campaigns)
    return policy_detail_out(place, kind, policy, user)
