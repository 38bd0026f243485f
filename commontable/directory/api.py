"""The directory's JSON API: organisations, people and tables.

Each endpoint is the page's twin: the same `*_get_for_user` (an object the caller may not see
answers 404), the same `can_*` predicate (seen but not allowed answers 403), the same selector and
the same FilterSet as the HTML list, and writes through the same audited services.

Reads accept a token, a session, or nothing: without credentials a list shows only public records
(it is never a 401), exactly what an anonymous visitor sees. A token that is presented but unknown,
revoked or expired answers 401. Writes need a token or a signed-in session (with its CSRF token).
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from commontable.accounts.api import api_auth_signed_in
from commontable.core.models import IssueTopic, Place
from commontable.core.visibility import Visibility, viewer_for
from commontable.directory import permissions, selectors, services
from commontable.directory.filters import OrganizationFilter, PersonFilter
from commontable.directory.models import Affiliation, Organization, Person, Table, TableParticipation
from commontable.directory.schemas import (
    Error,
    OrganizationDetailOut,
    OrganizationFilters,
    OrganizationPage,
    OrganizationPatch,
    Page,
    PersonDetailOut,
    PersonFilters,
    PersonPage,
    PersonPatch,
    Slug,
    TableDetailOut,
    TablePage,
    ValidationErrorOut,
)

router = Router(tags=["directory"])

PUBLIC_ONLY = (
    "Without credentials this list answers 200 with the public records only (what an anonymous "
    "visitor sees), never 401; a token that is unknown, revoked or expired answers 401."
)
READ = {404: Error, 422: ValidationErrorOut}
WRITE = {401: Error, 403: Error, 404: Error, 422: ValidationErrorOut}


# ---------------------------------------------------------------------------------------------
# Glue shared by the endpoints


def _user(request: HttpRequest):
    """The caller: the token's user, the session's user, or AnonymousUser."""
    return request.user


def _reject_unknown_query(request: HttpRequest, schema: type) -> None:
    """Query parameters are an In schema too: a misspelt filter (`?membership=member`) is an
    error, not a silently unfiltered list."""
    unknown = sorted(set(request.GET) - set(schema.model_fields))
    if unknown:
        raise NinjaValidationError(
            [
                {"type": "extra_forbidden", "loc": ["query", key], "msg": _("Unknown parameter.")}
                for key in unknown
            ]
        )


def _filter(filterset_class, filters, queryset, request: HttpRequest):
    """Apply the list page's FilterSet to the selector's queryset; its form errors (a slug that
    names nothing the caller may see, say) become field-level 422s."""
    data = filters.model_dump(exclude_none=True, exclude=set(Page.model_fields))
    filterset = filterset_class(data, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise NinjaValidationError(
            [
                {"type": error.code or "invalid", "loc": ["query", field], "msg": " ".join(error)}
                for field, errors in filterset.errors.as_data().items()
                for error in errors
            ]
        )
    return filterset.qs


def _page(queryset, filters: Page) -> tuple[int, list]:
    # Queries: one COUNT, one SELECT of the page (and the selector's prefetches).
    count = queryset.count()
    return count, list(queryset[filters.offset : filters.offset + filters.limit])


def _validation_error(
    exc: DjangoValidationError, fields: dict[str, str] | None = None
) -> NinjaValidationError:
    """A model or service ValidationError as field-level 422 details. `fields` maps a model field
    to the payload field it came from; errors on no field point at the payload as a whole."""
    fields = fields or {}
    errors = []
    items = exc.error_dict.items() if hasattr(exc, "error_dict") else [("__all__", exc.error_list)]
    for field, field_errors in items:
        name = fields.get(field, field)
        loc = ["body", "payload"] if name == "__all__" else ["body", "payload", name]
        errors.extend(
            {"type": error.code or "invalid", "loc": loc, "msg": " ".join(error)} for error in field_errors
        )
    return NinjaValidationError(errors)


def _field_error(field: str, message: str, kind: str = "invalid") -> NinjaValidationError:
    return NinjaValidationError([{"type": kind, "loc": ["body", "payload", field], "msg": message}])


def _forbidden(message: str | None = None) -> HttpError:
    return HttpError(403, message or _("You may see this record but not change it."))


def _visible_organization_ids(user) -> set[int] | None:
    """Ids of the organisations the caller may see, or None for staff (who see them all). One
    query, so that lists can hide references to hidden organisations without a query per row."""
    if viewer_for(user).is_staff:
        return None
    return set(permissions.visible_organizations(user).values_list("pk", flat=True))


def _org_ref(org: Organization | None, visible: set[int] | None) -> dict | None:
    if org is None or (visible is not None and org.pk not in visible):
        return None
    return {"slug": org.slug, "name": org.name}


def _by_slugs(model, slugs: list[str], field: str):
    """Vocabulary records by slug, in one query; an unknown slug is a field-level error."""
    found = {obj.slug: obj for obj in model.objects.filter(slug__in=set(slugs))}
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise _field_error(field, _("Unknown: %(slugs)s.") % {"slugs": ", ".join(missing)}, "unknown_slug")
    return [found[slug] for slug in dict.fromkeys(slugs)]


def _visibility_table(user, data: dict, record: Organization | Person) -> None:
    """Resolve `visibility_table` (a slug of a table the caller may see) in place, and refuse a
    `table` visibility without a table: nobody but staff would see the record."""
    if "visibility_table" in data and data["visibility_table"] is not None:
        table = permissions.visible_tables(user).filter(slug=data["visibility_table"]).first()
        if table is None:
            raise _field_error("visibility_table", _("Unknown table."), "unknown_slug")
        data["visibility_table"] = table
    visibility = data.get("visibility", record.visibility)
    table = data.get("visibility_table", record.visibility_table)
    if visibility == Visibility.TABLE and table is None:
        raise _field_error(
            "visibility_table", _("Choose the table whose members may see this record."), "required"
        )


# ---------------------------------------------------------------------------------------------
# Organizations


def _organization_out(org: Organization) -> dict:
    return {
        "public_id": org.public_id,
        "slug": org.slug,
        "name": org.name,
        "kind": org.kind,
        "description": org.description,
        "bipoc_led": org.bipoc_led,
        "budget_band": org.budget_band,
        "languages_served": list(org.languages_served or []),
        "website": org.website,
        "email": org.email,
        "phone": org.phone,
        "membership_status": org.membership_status,
        "member_since": org.member_since,
        "issues": [{"slug": i.slug, "name": i.name} for i in org.issues.all()],
        "visibility": org.visibility,
        "people_count": org.people_count,
    }


def _organization_detail(org: Organization, user) -> dict:
    """Everything the organisation's page shows, from the page's selectors."""
    org = selectors.organization_get(org, user)
    org.people_count = Affiliation.objects.filter(organization=org, end_on__isnull=True).count()
    can_edit = permissions.can_edit_organization.test(user, org)
    out = _organization_out(org)
    out.update(
        places_served=[{"slug": p.slug, "name": p.name, "kind": p.kind} for p in org.places_served.all()],
        tables=[{"slug": p.table.slug, "name": p.table.name} for p in org.current_participations],
        people=[
            {
                "public_id": a.person.public_id,
                "full_name": a.person.full_name,
                "role": a.role,
                "is_representative": a.is_representative,
            }
            for a in selectors.organization_people(org, user)
        ],
        shares_contacts=org.shares_contacts,
        values_affirmed_on=org.values_affirmed_on if can_edit else None,
        values_version=org.values_version if can_edit else None,
        renewal_due_on=org.renewal_due_on if can_edit else None,
        status_history=[
            {"status": c.status, "effective_on": c.effective_on, "note": c.note}
            for c in org.status_changes.all()
        ]
        if can_edit
        else None,
        visibility_table=org.visibility_table.slug if org.visibility_table_id else None,
        permissions={
            "can_edit": can_edit,
            "can_change_membership_status": permissions.can_change_membership_status.test(user, org),
            "can_change_visibility": permissions.can_manage_directory.test(user),
        },
    )
    return out


@router.get(
    "/organizations",
    response={200: OrganizationPage, 422: ValidationErrorOut},
    operation_id="organization_list",
    summary="List organizations",
    description="Organizations you may see, filtered as on the directory page. " + PUBLIC_ONLY,
)
def organization_list(request, filters: Query[OrganizationFilters]):
    _reject_unknown_query(request, OrganizationFilters)
    user = _user(request)
    queryset = _filter(OrganizationFilter, filters, selectors.organization_list(user), request)
    # Ties on the name would make pages overlap; the id breaks them.
    count, items = _page(queryset.order_by("name", "pk"), filters)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_organization_out(org) for org in items],
    }


@router.get(
    "/organizations/{slug}",
    response={200: OrganizationDetailOut, **READ},
    operation_id="organization_get",
    summary="An organization",
)
def organization_get(request, slug: Slug):
    user = _user(request)
    return _organization_detail(permissions.organization_get_for_user(user, slug), user)


@router.patch(
    "/organizations/{slug}",
    auth=api_auth_signed_in,
    response={200: OrganizationDetailOut, **WRITE},
    operation_id="organization_update",
    summary="Change an organization",
    description="Staff, or a representative of the organization. Representatives may not change "
    "`membership_status`, `visibility` or `visibility_table` (403); sending their current value is "
    "allowed. Only the fields sent are changed; every change is audited.",
)
def organization_update(request, slug: Slug, payload: OrganizationPatch):
    user = _user(request)
    org = permissions.organization_get_for_user(user, slug)
    if not permissions.can_edit_organization.test(user, org):
        raise _forbidden()
    data = payload.model_dump(exclude_unset=True)

    status = data.pop("membership_status", None)
    note = data.pop("membership_note", None)
    if status == org.membership_status:
        status = None
    if note is not None and status is None:
        raise _field_error(
            "membership_note", _("A note goes with a change of membership status."), "status_required"
        )
    refused = []
    if status is not None and not permissions.can_change_membership_status.test(user, org):
        refused.append("membership_status")
    if not permissions.can_manage_directory.test(user):
        if data.get("visibility", org.visibility) != org.visibility:
            refused.append("visibility")
        if "visibility_table" in data and data["visibility_table"] != (
            org.visibility_table.slug if org.visibility_table_id else None
        ):
            refused.append("visibility_table")
    if refused:
        raise _forbidden(_("Only staff may change: %(fields)s.") % {"fields": ", ".join(refused)})

    _visibility_table(user, data, org)
    for field, model in (("issues", IssueTopic), ("places_served", Place)):
        if data.get(field) is not None:
            data[field] = _by_slugs(model, data[field], field)
    try:
        with transaction.atomic():
            # Profile first: the status service reloads the row and saves only its own fields.
            services.organization_update(organization=org, actor=user, **data)
            if status is not None:
                try:
                    services.organization_status_change(
                        organization=org, actor=user, status=status, note=note or ""
                    )
                except DjangoValidationError as exc:
                    raise _validation_error(exc, {"__all__": "membership_status"}) from exc
    except DjangoValidationError as exc:
        raise _validation_error(exc) from exc
    return _organization_detail(Organization.objects.get(pk=org.pk), user)


# ---------------------------------------------------------------------------------------------
# People


def _person_out(person: Person, user, visible_orgs: set[int] | None) -> dict:
    """A person as the list shows them. `person.current_affiliations` is prefetched with the
    organisations (and their consent to share contacts), so no query is made per person."""
    organizations = [a.organization for a in person.current_affiliations]
    can_see_contacts = permissions.can_see_contacts_given(user, person, organizations)
    return {
        "public_id": person.public_id,
        "full_name": person.full_name,
        "name_for_greeting": person.name_for_greeting,
        "pronouns": person.pronouns,
        "preferred_language": person.preferred_language,
        "email": person.email if can_see_contacts else None,
        "phone": person.phone if can_see_contacts else None,
        "mobile": person.mobile if can_see_contacts else None,
        "affiliations": [
            {"organization": ref, "role": a.role, "is_representative": a.is_representative}
            for a in person.current_affiliations
            if (ref := _org_ref(a.organization, visible_orgs)) is not None
        ],
        "visibility": person.visibility,
        "permissions": {"can_see_contacts": can_see_contacts},
    }


def _person_detail(person: Person, user) -> dict:
    person = selectors.person_list(user).select_related("visibility_table").get(pk=person.pk)
    out = _person_out(person, user, _visible_organization_ids(user))
    out.update(
        sort_name=person.sort_name,
        aliases=person.aliases,
        visibility_table=person.visibility_table.slug if person.visibility_table_id else None,
    )
    out["permissions"]["can_edit"] = permissions.can_edit_person.test(user, person)
    return out


@router.get(
    "/people",
    response={200: PersonPage, 422: ValidationErrorOut},
    operation_id="person_list",
    summary="List people",
    description="People you may see, filtered as on the directory page. Contact fields (email, phone, "
    "mobile) are null unless `permissions.can_see_contacts`: staff, the person, people of the same "
    "organization, and other members when every organization of the person shares contacts. " + PUBLIC_ONLY,
)
def person_list(request, filters: Query[PersonFilters]):
    _reject_unknown_query(request, PersonFilters)
    user = _user(request)
    queryset = _filter(PersonFilter, filters, selectors.person_list(user), request)
    count, items = _page(queryset, filters)
    visible_orgs = _visible_organization_ids(user) if items else set()
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_person_out(person, user, visible_orgs) for person in items],
    }


@router.get(
    "/people/{public_id}",
    response={200: PersonDetailOut, **READ},
    operation_id="person_get",
    summary="A person",
)
def person_get(request, public_id: uuid.UUID):
    user = _user(request)
    return _person_detail(permissions.person_get_for_user(user, public_id), user)


@router.patch(
    "/people/{public_id}",
    auth=api_auth_signed_in,
    response={200: PersonDetailOut, **WRITE},
    operation_id="person_update",
    summary="Change a person",
    description="Staff, the person, or a representative of one of the person's organizations. Only "
    "the fields sent are changed; the name is kept exactly as written; every change is audited.",
)
def person_update(request, public_id: uuid.UUID, payload: PersonPatch):
    user = _user(request)
    person = permissions.person_get_for_user(user, public_id)
    if not permissions.can_edit_person.test(user, person):
        raise _forbidden()
    data = payload.model_dump(exclude_unset=True)
    _visibility_table(user, data, person)
    try:
        services.person_update(person=person, actor=user, **data)
    except DjangoValidationError as exc:
        raise _validation_error(exc) from exc
    return _person_detail(person, user)


# ---------------------------------------------------------------------------------------------
# Tables


def _table_out(table: Table, visible_orgs: set[int] | None, organizations_count: int) -> dict:
    return {
        "public_id": table.public_id,
        "slug": table.slug,
        "name": table.name,
        "description": table.description,
        "is_active": table.is_active,
        "convenor": _org_ref(table.convenor, visible_orgs),
        "organizations_count": organizations_count,
        "visibility": table.visibility,
    }


@router.get(
    "/tables",
    response={200: TablePage, 422: ValidationErrorOut},
    operation_id="table_list",
    summary="List tables",
    description="Tables (coalitions inside the coalition) you may see. " + PUBLIC_ONLY,
)
def table_list(request, filters: Query[Page]):
    _reject_unknown_query(request, Page)
    user = _user(request)
    count, items = _page(selectors.table_list(user).order_by("name", "pk"), filters)
    visible_orgs = _visible_organization_ids(user) if items else set()
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_table_out(t, visible_orgs, t.organizations_count) for t in items],
    }


@router.get(
    "/tables/{slug}",
    response={200: TableDetailOut, **READ},
    operation_id="table_get",
    summary="A table",
    description="A table and its current participants that you may see.",
)
def table_get(request, slug: Slug):
    user = _user(request)
    table, participations = selectors.table_get(permissions.table_get_for_user(user, slug), user)
    table = Table.objects.select_related("convenor").prefetch_related("issues", "places").get(pk=table.pk)
    visible_orgs = _visible_organization_ids(user)
    count = TableParticipation.objects.filter(table=table, left_on__isnull=True).count()
    out = _table_out(table, visible_orgs, count)
    out.update(
        issues=[{"slug": i.slug, "name": i.name} for i in table.issues.all()],
        places=[{"slug": p.slug, "name": p.name, "kind": p.kind} for p in table.places.all()],
        participants=[
            {
                "organization": {"slug": p.organization.slug, "name": p.organization.name},
                "role": p.role,
                "joined_on": p.joined_on,
            }
            for p in participations
        ],
    )
    return out
