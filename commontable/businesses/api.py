"""The business directory's JSON API: businesses (list with the page's filters, detail, add,
change, certifications) and contracting opportunities (list, detail with the matching businesses
and why, post, change, close, award, notify the matches).

Each endpoint is the page's twin (ADR 6): the same `*_get_for_user` (what the caller may not see
answers 404), the same `can_*` predicate (seen but not allowed answers 403), the same FilterSets
and selectors, and the same audited services, whose field errors become 422s on the field. Reads
accept a token, a session or nothing (then only public records, never a 401); writes need a token
or a signed-in session.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Respond

from commontable.accounts.api import api_auth_signed_in
from commontable.businesses import permissions, selectors, services
from commontable.businesses.filters import BusinessFilter, OpportunityFilter
from commontable.businesses.models import Business, ContractingOpportunity
from commontable.businesses.schemas import (
    AwardIn,
    BusinessDetailOut,
    BusinessFilters,
    BusinessIn,
    BusinessPage,
    BusinessPatch,
    CertificationIn,
    CertificationOut,
    CloseIn,
    ConsentIn,
    Error,
    NotifyOut,
    OpportunityDetailOut,
    OpportunityFilters,
    OpportunityIn,
    OpportunityPage,
    OpportunityPatch,
    Slug,
    ValidationErrorOut,
)
from commontable.core.models import Place
from commontable.core.visibility import viewer_for
from commontable.directory.api import (
    _filter,
    _forbidden,
    _org_ref,
    _reject_unknown_query,
    _visible_organization_ids,
)
from commontable.investments import api_shapes as shapes
from commontable.investments.permissions import visible_investments

router = Router(tags=["businesses"])

PUBLIC_ONLY = (
    "Without credentials this list answers 200 with what an anonymous visitor may see (public "
    "records), never 401; a token that is unknown, revoked or expired answers 401."
)
READ = {404: Error, 422: ValidationErrorOut}
WRITE = {401: Error, 403: Error, 404: Error, 422: ValidationErrorOut}
CREATE = {401: Error, 403: Error, 422: ValidationErrorOut}
STAFF_ONLY = "Staff. "
RENAMES = {"bonding_limit_cents": "bonding_limit", "estimated_value_cents": "estimated_value", "awarded_amount_cents": "amount"}


def _dollars(cents: int | None) -> float | None:
    return None if cents is None else cents / 100


def _resolve(user, data: dict, *, organization: bool = False, places: str | None = None, table: bool = True) -> dict:
    """Slugs of the body replaced by the records they name; unknown ones are 422s, all together."""
    refs = shapes.References(user)
    if organization and "organization" in data:
        data["organization"] = refs.organization(data["organization"], "organization")
    if table and "visibility_table" in data:
        data["visibility_table"] = refs.table(data["visibility_table"], "visibility_table")
    if places and places in data and data[places] is not None:
        data[places] = refs._many(Place.objects.all(), data[places], places)
    refs.check()
    return data


# ---------------------------------------------------------------------------------------------
# Businesses


def _business_out(b: Business, user, visible_orgs) -> dict:
    shown = permissions.can_see_contacts(user, b)
    return {
        "slug": b.slug, "name": b.name, "url": reverse("businesses:business_detail", kwargs={"slug": b.slug}),
        "organization": _org_ref(b.organization, visible_orgs),
        "bipoc_owned": b.bipoc_owned, "woman_owned": b.woman_owned, "veteran_owned": b.veteran_owned,
        "naics_codes": b.trade_codes,
        "places_served": [{"slug": slug, "name": name, "kind": kind} for slug, name, kind in b.place_list],
        "current_certifications": [program for program, _short in b.current_programs],
        "bonding_limit": _dollars(b.bonding_limit_cents), "employees": b.employees, "languages": list(b.languages or []),
        "website": b.website, "email": b.email if shown else None, "phone": b.phone if shown else None,
        "visibility": b.visibility,
    }


def _certification_out(c) -> dict:
    return {"id": c.public_id, "program": c.program, "name": c.short_name, "number": c.number, "valid_from": c.valid_from,
            "valid_until": c.valid_until, "current": c.is_current(), "expired": c.is_expired}


def _business_detail(business: Business, user) -> dict:
    (business,) = selectors.with_cards([business])
    detail = selectors.business_detail(business)
    can_edit = permissions.can_edit_business.test(user, business)
    table = business.visibility_table
    return {
        **_business_out(business, user, _visible_organization_ids(user) if business.organization_id else set()),
        "description": business.description,
        "trades": [{"code": code, "name": label} for code, label in detail["trades"]],
        "certifications": [_certification_out(c) for c in detail["certifications"]],
        "consents_to_notices": business.consents_to_notices if can_edit else None,
        "visibility_table": {"slug": table.slug, "name": table.name} if table and viewer_for(user).is_member else None,
        "permissions": {"can_edit": can_edit},
    }


@router.get("/businesses", response={200: BusinessPage, 422: ValidationErrorOut}, operation_id="business_list",
            summary="List businesses",
            description="Businesses in the BIPOC business directory that you may see, by name, filtered as on the "
            "directory's page (current certification, NAICS prefix, place served, BIPOC-owned, text). Email and phone "
            "are null unless the business shares them with you. " + PUBLIC_ONLY)
def business_list(request: HttpRequest, filters: Query[BusinessFilters]):
    _reject_unknown_query(request, BusinessFilters)
    user = request.user
    items = _filter(BusinessFilter, filters, selectors.business_list(user), request)
    # Queries: COUNT, the page's ids, the page's rows with their organisations, then one each for
    # trades, places and current certifications; the visible organisations once (members).
    count, page = shapes.page_of(items, filters)
    page = selectors.with_cards(page)
    visible_orgs = _visible_organization_ids(user) if any(b.organization_id for b in page) else set()
    return {"count": count, "limit": filters.limit, "offset": filters.offset,
            "items": [_business_out(b, user, visible_orgs) for b in page]}


@router.get("/businesses/{slug}", response={200: BusinessDetailOut, **READ}, operation_id="business_get",
            summary="A business", description="A business with its trades (and their names), places, and every "
            "certification, current or expired.")
def business_get(request: HttpRequest, slug: Slug):
    return _business_detail(permissions.business_get_for_user(request.user, slug), request.user)


@router.post("/businesses", auth=api_auth_signed_in, response={201: BusinessDetailOut, **CREATE},
             operation_id="business_create", summary="Add a business",
             description=STAFF_ONLY + "The slug is made from the name; NAICS codes are 2 to 6 digits; the bonding "
             "limit is in dollars.")
def business_create(request: HttpRequest, payload: BusinessIn):
    user = request.user
    if not permissions.can_create_business.test(user):
        raise _forbidden()
    data = _resolve(user, payload.model_dump(), organization=True, places="places_served")
    try:
        business = services.business_create(actor=user, **data)
    except DjangoValidationError as exc:
        raise shapes.validation_error(exc, BusinessIn.model_fields, RENAMES) from exc
    return Respond(201, _business_detail(business, user))


@router.patch("/businesses/{slug}", auth=api_auth_signed_in, response={200: BusinessDetailOut, **WRITE},
              operation_id="business_update", summary="Change a business",
              description="Staff, or a representative of the business's organization (who may not change its "
              "organization or visibility). Only the fields sent are changed.")
def business_update(request: HttpRequest, slug: Slug, payload: BusinessPatch):
    user = request.user
    business = permissions.business_get_for_user(user, slug)
    if not permissions.can_edit_business.test(user, business):
        raise _forbidden()
    data = payload.model_dump(exclude_unset=True)
    if not viewer_for(user).is_staff:
        restricted = sorted(
            name for name in ("organization", "visibility", "visibility_table")
            if name in data and data[name] != {"organization": business.organization and business.organization.slug,
                                               "visibility": business.visibility,
                                               "visibility_table": business.visibility_table
                                               and business.visibility_table.slug}[name]
        )
        if restricted:
            raise _forbidden(_("Only staff may change: %(fields)s.") % {"fields": ", ".join(restricted)})
    data = _resolve(user, data, organization=True, places="places_served")
    for name in ("name", "description", "bipoc_owned", "woman_owned", "veteran_owned", "employees", "languages",
                 "preferred_language", "email", "phone", "website", "shares_contacts", "visibility"):
        if name in data and data[name] is None:
            data.pop(name)
    bonding = data.pop("bonding_limit") if "bonding_limit" in data else shapes.dollars_text(business.bonding_limit_cents)
    try:
        business = services.business_update(actor=user, business=business, bonding_limit=bonding, **data)
    except DjangoValidationError as exc:
        raise shapes.validation_error(exc, BusinessPatch.model_fields, RENAMES) from exc
    return _business_detail(business, user)


@router.post("/businesses/{slug}/notices-consent", auth=api_auth_signed_in, response={200: BusinessDetailOut, **WRITE},
             operation_id="business_notices_consent", summary="Agree to, or stop, opportunity notices",
             description="Staff, or a representative of the business's organization. `consent: true` records that the "
             "business agrees to one email about each contracting opportunity that matches it (with the version of the "
             "text); `false` stops them at once.")
def business_notices_consent(request: HttpRequest, slug: Slug, payload: ConsentIn):
    user = request.user
    business = permissions.business_get_for_user(user, slug)
    if not permissions.can_edit_business.test(user, business):
        raise _forbidden()
    business = services.business_notices_consent_set(actor=user, business=business, consent=payload.consent)
    return _business_detail(business, user)


@router.post("/businesses/{slug}/certifications", auth=api_auth_signed_in, response={201: CertificationOut, **WRITE},
             operation_id="certification_create", summary="Record a certification",
             description="Staff, or a representative of the business's organization. `valid_until` cannot be "
             "before `valid_from`.")
def certification_create(request: HttpRequest, slug: Slug, payload: CertificationIn):
    user = request.user
    business = permissions.business_get_for_user(user, slug)
    if not permissions.can_edit_business.test(user, business):
        raise _forbidden()
    try:
        certification = services.certification_add(actor=user, business=business, **payload.model_dump())
    except DjangoValidationError as exc:
        raise shapes.validation_error(exc, CertificationIn.model_fields) from exc
    return Respond(201, _certification_out(certification))


@router.delete("/certifications/{public_id}", auth=api_auth_signed_in, response={204: None, **WRITE},
               operation_id="certification_delete", summary="Remove a certification",
               description="Staff, or a representative of the business's organization.")
def certification_delete(request: HttpRequest, public_id: uuid.UUID):
    user = request.user
    certification = permissions.certification_get_for_user(user, public_id)
    if not permissions.can_edit_business.test(user, certification.business):
        raise _forbidden()
    services.certification_remove(actor=user, certification=certification)
    return Respond(204, None)


# ---------------------------------------------------------------------------------------------
# Opportunities


def _opportunity_out(o: ContractingOpportunity, visible_business_ids: set[int] | None) -> dict:
    awarded = o.awarded_to if o.awarded_to_id and (visible_business_ids is None or o.awarded_to_id in visible_business_ids) else None
    return {
        "id": o.public_id, "url": reverse("businesses:opportunity_detail", kwargs={"public_id": o.public_id}),
        "investment": {"slug": o.investment.slug, "name": o.investment.name}, "title": o.title, "status": o.status,
        "naics_codes": o.codes, "certifications_wanted": list(o.certifications_wanted or []),
        "estimated_value": _dollars(o.estimated_value_cents), "bid_due_on": o.bid_due_on,
        "awarded_to": {"slug": awarded.slug, "name": awarded.name} if awarded else None,
        "awarded_amount": _dollars(o.awarded_amount_cents), "awarded_on": o.awarded_on, "visibility": o.visibility,
    }


def _visible_business_ids(user, ids) -> set[int] | None:
    if viewer_for(user).is_staff:
        return None
    ids = [i for i in ids if i]
    return set(permissions.visible_businesses(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


def _opportunity_detail(opportunity: ContractingOpportunity, user, *, reload: bool = True) -> dict:
    if reload:  # after a write: as the caller now sees it
        opportunity = permissions.opportunity_get_for_user(user, opportunity.public_id)
    (opportunity,) = selectors.with_codes([opportunity])
    matches = selectors.opportunity_matches(opportunity, user)
    return {
        **_opportunity_out(opportunity, _visible_business_ids(user, [opportunity.awarded_to_id])),
        "description": opportunity.description,
        "places": [{"slug": p.slug, "name": p.name, "kind": p.kind} for p in opportunity.places.order_by("name")],
        "links": list(opportunity.links or []),
        "matches": [{"business": {"slug": m.business.slug, "name": m.business.name}, "trades": m.trades,
                     "certifications": [c.program for c in m.certifications], "places": [p.slug for p in m.places]}
                    for m in matches],
        "matches_count": matches.count,
        "can_manage": permissions.can_manage_opportunities.test(user),
    }


@router.get("/opportunities", response={200: OpportunityPage, 422: ValidationErrorOut}, operation_id="opportunity_list",
            summary="List contracting opportunities",
            description="Contracting opportunities you may see, on investments you may see, newest first. " + PUBLIC_ONLY)
def opportunity_list(request: HttpRequest, filters: Query[OpportunityFilters]):
    _reject_unknown_query(request, OpportunityFilters)
    user = request.user
    items = _filter(OpportunityFilter, filters, selectors.opportunity_list(user), request)
    # Queries: COUNT, the page's ids, the rows (with investment and winner), their trades, and the
    # visible winners once.
    count, page = shapes.page_of(items, filters)
    page = selectors.with_codes(page)
    visible = _visible_business_ids(user, [o.awarded_to_id for o in page])
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": [_opportunity_out(o, visible) for o in page]}


@router.get("/opportunities/{public_id}", response={200: OpportunityDetailOut, **READ}, operation_id="opportunity_get",
            summary="A contracting opportunity",
            description="An opportunity with the businesses you may see that match it, and why each matched: its trades "
            "under the codes asked for, its current certifications among those wanted, its places covering the work.")
def opportunity_get(request: HttpRequest, public_id: uuid.UUID):
    return _opportunity_detail(permissions.opportunity_get_for_user(request.user, public_id), request.user, reload=False)


@router.post("/opportunities", auth=api_auth_signed_in, response={201: OpportunityDetailOut, **CREATE},
             operation_id="opportunity_create", summary="Post a contracting opportunity",
             description=STAFF_ONLY + "On an investment you may see; at least one NAICS code.")
def opportunity_create(request: HttpRequest, payload: OpportunityIn):
    user = request.user
    if not permissions.can_manage_opportunities.test(user):
        raise _forbidden()
    data = payload.model_dump()
    investment = visible_investments(user).filter(slug=data["investment"]).first()
    if investment is None:
        raise shapes.validation_error(DjangoValidationError({"investment": _("Unknown investment.")}), OpportunityIn.model_fields)
    data["investment"] = investment
    data = _resolve(user, data, places="places")
    try:
        opportunity = services.opportunity_create(actor=user, **data)
    except DjangoValidationError as exc:
        raise shapes.validation_error(exc, OpportunityIn.model_fields, RENAMES) from exc
    return Respond(201, _opportunity_detail(opportunity, user))


@router.patch("/opportunities/{public_id}", auth=api_auth_signed_in, response={200: OpportunityDetailOut, **WRITE},
              operation_id="opportunity_update", summary="Change a contracting opportunity",
              description=STAFF_ONLY + "Only the fields sent are changed.")
def opportunity_update(request: HttpRequest, public_id: uuid.UUID, payload: OpportunityPatch):
    user = request.user
    opportunity = permissions.opportunity_get_for_user(user, public_id)
    if not permissions.can_manage_opportunities.test(user):
        raise _forbidden()
    data = _resolve(user, payload.model_dump(exclude_unset=True), places="places")
    for name in ("title", "description", "certifications_wanted", "visibility"):
        if name in data and data[name] is None:
            data.pop(name)
    codes = data.pop("naics_codes", None)
    if codes is None:
        codes = list(opportunity.trades.values_list("code", flat=True))
    value = data.pop("estimated_value") if "estimated_value" in data else shapes.dollars_text(opportunity.estimated_value_cents)
    links = data.pop("links", None)
    try:
        services.opportunity_update(actor=user, opportunity=opportunity, naics_codes=codes, estimated_value=value,
                                    links=opportunity.links if links is None else links, **data)
    except DjangoValidationError as exc:
        raise shapes.validation_error(exc, OpportunityPatch.model_fields, RENAMES) from exc
    return _opportunity_detail(opportunity, user)


@router.post("/opportunities/{public_id}/close", auth=api_auth_signed_in, response={200: OpportunityDetailOut, **WRITE},
             operation_id="opportunity_close", summary="Close a contracting opportunity",
             description=STAFF_ONLY + "Only an open opportunity can be closed.")
def opportunity_close(request: HttpRequest, public_id: uuid.UUID, payload: CloseIn):
    user = request.user
    opportunity = permissions.opportunity_get_for_user(user, public_id)
    if not permissions.can_manage_opportunities.test(user):
        raise _forbidden()
    try:
        services.opportunity_close(actor=user, opportunity=opportunity, **payload.model_dump())
    except DjangoValidationError as exc:
        raise shapes.validation_error(exc, CloseIn.model_fields) from exc
    return _opportunity_detail(opportunity, user)


@router.post("/opportunities/{public_id}/award", auth=api_auth_signed_in, response={200: OpportunityDetailOut, **WRITE},
             operation_id="opportunity_award", summary="Record the award of a contracting opportunity",
             description=STAFF_ONLY + "To a business in the directory (its slug), for an amount in dollars, on a date "
             "(today if left out).")
def opportunity_award(request: HttpRequest, public_id: uuid.UUID, payload: AwardIn):
    user = request.user
    opportunity = permissions.opportunity_get_for_user(user, public_id)
    if not permissions.can_manage_opportunities.test(user):
        raise _forbidden()
    data = payload.model_dump()
    business = permissions.visible_businesses(user).filter(slug=data.pop("business")).first()
    if business is None:
        raise shapes.validation_error(DjangoValidationError({"business": _("Choose a business in the directory.")}),
                                      AwardIn.model_fields)
    try:
        services.opportunity_award(actor=user, opportunity=opportunity, business=business, **data)
    except DjangoValidationError as exc:
        raise shapes.validation_error(exc, AwardIn.model_fields, RENAMES) from exc
    return _opportunity_detail(opportunity, user)




@router.post("/opportunities/{public_id}/notify", auth=api_auth_signed_in, response={200: NotifyOut, **WRITE},
             operation_id="opportunity_notify", summary="Notify the matching businesses",
             description=STAFF_ONLY + "Emails each business matching the open opportunity that agreed to hear about "
             "opportunities and has an address, once, in its language: calling again sends nothing twice.")
def opportunity_notify(request: HttpRequest, public_id: uuid.UUID):
    user = request.user
    opportunity = permissions.opportunity_get_for_user(user, public_id)
    if not permissions.can_manage_opportunities.test(user):
        raise _forbidden()
    try:
        counts = services.opportunity_notify(actor=user, opportunity=opportunity)
    except DjangoValidationError as exc:
        raise shapes.validation_error(exc, {}) from exc
    return {"sent": counts.sent, "already_sent": counts.already_sent, "skipped": counts.skipped}
