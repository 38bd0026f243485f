"""Directory pages for organisations and tables, and the helpers every directory page shares.
People, consent, affiliations, duplicates and a person's audit trail are in `views_people`.

Each view parses, authorises (404 for what the user cannot see, 403 for what they may see but
not do), calls a selector or a service, and renders. Views never write to the database."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from commontable.core import hooks
from commontable.core.audit import activity_for
from commontable.core.exports import export_response
from commontable.core.http import (  # noqa: F401  (re-exported for views_people)
    EXPORT_FORMATS,
    PER_PAGE,
    add_service_error,
    bound_data,
    editable_copy,
    export_format,
    form_status,
    login_and,
    paginate,
    render_list,
    require,
)
from commontable.core.visibility import viewer_for
from commontable.directory import page_cache, permissions, selectors, services
from commontable.directory.filters import OrganizationFilter
from commontable.directory.forms import (
    OrganizationCreateForm,
    OrganizationProfileForm,
    OrganizationStaffForm,
    OrganizationStatusForm,
    OrganizationValuesForm,
    TableCreateForm,
    TableForm,
    TableParticipationAddForm,
    TableParticipationEndForm,
)

ACTIVITY_LIMIT = 20
GET_POST = require_http_methods(["GET", "POST"])


# Helpers shared by the directory's views ---------------------------------------------------------


# Sign-in required (302 to the login page); signed-in users who are not members get 403.
member_required = login_and(permissions.can_view_directory)


def staff_activity(user, obj) -> dict:
    """For staff: the record's audit entries and django-simple-history versions."""
    if not viewer_for(user).is_staff:
        return {}
    return {"activity": list(activity_for(obj)[:ACTIVITY_LIMIT]), "history": selectors.record_history(obj)}


# Organizations -----------------------------------------------------------------------------------


def _organization_rows(organizations: Iterable) -> Iterable[list]:
    for org in organizations:
        yield [
            org.name,
            org.get_kind_display(),
            org.get_membership_status_display(),
            org.member_since,
            org.get_bipoc_led_display(),
            ", ".join(issue.name for issue in org.issues.all()),
            ", ".join(org.languages_served or []),
            org.website,
            org.email,
            org.phone,
        ]


def _organization_export_header() -> list[str]:
    return [
        _("Name"),
        _("Kind"),
        _("Membership status"),
        _("Member since"),
        _("BIPOC-led"),
        _("Issues"),
        _("Languages served"),
        _("Website"),
        _("General email"),
        _("General phone"),
    ]


@require_safe
def organization_list(request: HttpRequest) -> HttpResponse:
    """Everyone: the organisations they may see (anonymous visitors see the public ones),
    filtered, 50 a page; `?format=csv|xlsx` downloads exactly the filtered rows. The page body is
    cached per data version and visibility class (`page_cache`)."""

    def filtered() -> tuple[OrganizationFilter, bool]:
        filterset = OrganizationFilter(
            request.GET or None, queryset=selectors.organization_list(request.user), request=request
        )
        return filterset, (filterset.is_valid() if filterset.is_bound else True)

    fmt = export_format(request)
    if fmt:
        filterset, valid = filtered()
        if valid:
            # Rows are made now, inside the request: its language and database connection are active.
            rows = list(_organization_rows(filterset.qs.iterator(chunk_size=500)))
            return export_response(fmt, "organizations", _organization_export_header(), rows)

    def build() -> page_cache.Fragment:
        filterset, valid = filtered()
        page, query = paginate(request, filterset.qs)
        context = {
            "filter": filterset,
            "page_obj": page,
            "organizations": page.object_list,
            "querystring_without_page": query,
            "can_create": permissions.can_manage_directory.test(request.user),
        }
        return page_cache.render_fragment(
            request, "directory/organization_list.html", context, status=200 if valid else 400
        )

    return page_cache.cached_page(request, "directory/organization_list.html", "organization_list", build)


ROSTER_LIMIT = 50


@require_safe
def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Everyone who may see the organisation (anonymous visitors: public ones). Its people's
    contact details appear only where `can_see_contacts` allows; staff also see its activity.
    Who may see it is decided on every request; its body is cached (`page_cache`)."""
    found = permissions.organization_get_for_user(request.user, slug)
    user = request.user

    def build() -> page_cache.Fragment:
        organization = selectors.organization_get(found, user)
        # The first ROSTER_LIMIT people, and a link to the full (paginated, searchable) list beyond.
        affiliations = list(selectors.organization_roster(organization, user)[: ROSTER_LIMIT + 1])
        roster = [
            (
                affiliation,
                permissions.can_see_contacts_given(
                    user, affiliation.person, [a.organization for a in affiliation.person.current_affiliations]
                ),
            )
            for affiliation in affiliations[:ROSTER_LIMIT]
        ]
        context = {
            "organization": organization,
            "roster": roster,
            "roster_more": len(affiliations) > ROSTER_LIMIT,
            "can_edit": permissions.can_edit_organization.test(user, organization),
            "can_manage": permissions.can_manage_directory.test(user),
            "can_add_person": permissions.can_add_person.test(user, organization),
            **staff_activity(user, organization),
        }
        return page_cache.render_fragment(
            request, "directory/organization_detail.html", context, title=organization.name
        )

    return page_cache.cached_page(request, "directory/organization_detail.html", "organization_detail", build)


@login_required
@GET_POST
def organization_create(request: HttpRequest) -> HttpResponse:
    """Staff: add an organisation, with the membership status it starts with."""
    require(permissions.can_manage_directory, request.user)
    form = OrganizationCreateForm(bound_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": organization.name})
            return redirect("directory:organization_detail", slug=organization.slug)
    return render(request, "directory/organization_create.html", {"form": form}, status=form_status(form))


@login_required
@GET_POST
def organization_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff (everything but the membership status), and the organisation's own representatives
    (its profile and its consent to share contact details, not its status or visibility)."""
    organization = permissions.organization_get_for_user(request.user, slug)
    require(permissions.can_edit_organization, request.user, organization)
    form_class = OrganizationStaffForm if viewer_for(request.user).is_staff else OrganizationProfileForm
    form = form_class(bound_data(request), instance=editable_copy(organization))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.organization_update(
                organization=organization,
                actor=request.user,
                issues=data.pop("issues"),
                places_served=data.pop("places_served"),
                **data,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The profile of %(name)s was saved.") % {"name": organization.name})
            return redirect("directory:organization_detail", slug=organization.slug)
    return render(
        request,
        "directory/organization_edit.html",
        {"form": form, "organization": organization},
        status=form_status(form),
    )


@login_required
@GET_POST
def organization_status_change(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff: move the organisation along applicant → member → lapsed / withdrawn. A step the
    membership rules do not allow is shown as an error on the form."""
    organization = permissions.organization_get_for_user(request.user, slug)
    require(permissions.can_change_membership_status, request.user)
    form = OrganizationStatusForm(bound_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_status_change(
                organization=organization, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_error(form, exc, "status")
        else:
            messages.success(
                request, _("The membership status of %(name)s was changed.") % {"name": organization.name}
            )
            return redirect("directory:organization_detail", slug=organization.slug)
    return render(
        request,
        "directory/organization_status_change.html",
        {"form": form, "organization": organization},
        status=form_status(form),
    )


@login_required
@GET_POST
def organization_values_affirm(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff: record that the organisation affirmed the coalition's values (which version, when)."""
    organization = permissions.organization_get_for_user(request.user, slug)
    require(permissions.can_manage_directory, request.user)
    statement = hooks.call("plan.values")
    form = OrganizationValuesForm(bound_data(request), initial={"version": statement["version"]} if statement else None)
    if request.method == "POST" and form.is_valid():
        services.organization_values_affirm(
            organization=organization, actor=request.user, **form.cleaned_data
        )
        messages.success(
            request, _("The values affirmation of %(name)s was recorded.") % {"name": organization.name}
        )
        return redirect("directory:organization_detail", slug=organization.slug)
    return render(
        request,
        "directory/organization_values_affirm.html",
        {"form": form, "organization": organization, "statement": statement},
        status=form_status(form),
    )


# Tables ------------------------------------------------------------------------------------------


@require_safe
def table_list(request: HttpRequest) -> HttpResponse:
    """Everyone: the tables they may see (anonymous visitors see the public ones), 50 a page.
    A convenor is named only where the user may see that organisation. The body is cached."""

    def build() -> page_cache.Fragment:
        page, query = paginate(request, selectors.table_list(request.user))
        visible_convenors = set(
            permissions.visible_organizations(request.user)
            .filter(pk__in={t.convenor_id for t in page.object_list if t.convenor_id})
            .values_list("pk", flat=True)
        )
        context = {
            "page_obj": page,
            "tables": page.object_list,
            "querystring_without_page": query,
            "visible_convenors": visible_convenors,
            "can_create": permissions.can_edit_table.test(request.user),
        }
        return page_cache.render_fragment(request, "directory/table_list.html", context)

    return page_cache.cached_page(request, "directory/table_list.html", "table_list", build)


@require_safe
def table_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Everyone who may see the table: the organisations taking part (those the user may see),
    with their role, and its convenor. Staff also see its activity."""
    table, participations = selectors.table_get(
        permissions.table_get_for_user(request.user, slug), request.user
    )
    convenor = None
    if table.convenor_id:
        convenor = permissions.visible_organizations(request.user).filter(pk=table.convenor_id).first()
    return render(
        request,
        "directory/table_detail.html",
        {
            "table": table,
            "participations": participations,
            "convenor": convenor,
            "issues": list(table.issues.all()),
            "places": list(table.places.all()),
            "can_edit": permissions.can_edit_table.test(request.user),
            **staff_activity(request.user, table),
        },
    )


@login_required
@GET_POST
def table_create(request: HttpRequest) -> HttpResponse:
    """Staff: start a table."""
    require(permissions.can_edit_table, request.user)
    form = TableCreateForm(bound_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            table = services.table_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": table.name})
            return redirect("directory:table_detail", slug=table.slug)
    return render(request, "directory/table_create.html", {"form": form}, status=form_status(form))


@login_required
@GET_POST
def table_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff: change a table's name, description, convenor, issues, places and visibility."""
    table = permissions.table_get_for_user(request.user, slug)
    require(permissions.can_edit_table, request.user)
    form = TableForm(bound_data(request), instance=editable_copy(table))
    if request.method == "POST" and form.is_valid():
        try:
            services.table_update(table=table, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": table.name})
            return redirect("directory:table_detail", slug=table.slug)
    return render(
        request, "directory/table_edit.html", {"form": form, "table": table}, status=form_status(form)
    )


@login_required
@GET_POST
def table_participation_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff: add an organisation to a table, with its role."""
    table = permissions.table_get_for_user(request.user, slug)
    require(permissions.can_edit_table, request.user)
    form = TableParticipationAddForm(bound_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            participation = services.table_participation_add(
                actor=request.user, table=table, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_error(form, exc, "organization")
        else:
            messages.success(
                request,
                _("%(org)s now takes part in %(table)s.")
                % {"org": participation.organization.name, "table": table.name},
            )
            return redirect("directory:table_detail", slug=table.slug)
    return render(
        request,
        "directory/table_participation_add.html",
        {"form": form, "table": table},
        status=form_status(form),
    )


@login_required
@GET_POST
def table_participation_end(request: HttpRequest, slug: str, organization_slug: str) -> HttpResponse:
    """Staff: record that an organisation left a table (its past participation stays on record)."""
    table = permissions.table_get_for_user(request.user, slug)
    require(permissions.can_edit_table, request.user)
    participation = selectors.table_participation_open_get(table, organization_slug)
    if participation is None:
        raise Http404
    form = TableParticipationEndForm(bound_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.table_participation_end(
                actor=request.user, participation=participation, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_error(form, exc, "left_on")
        else:
            messages.success(
                request,
                _("%(org)s no longer takes part in %(table)s.")
                % {"org": participation.organization.name, "table": table.name},
            )
            return redirect("directory:table_detail", slug=table.slug)
    return render(
        request,
        "directory/table_participation_end.html",
        {"form": form, "table": table, "participation": participation},
        status=form_status(form),
    )


def home_panel(request: HttpRequest) -> str:
    """The directory's part of the home page (declared in apps.py): the signed-in person's
    organisations with an edit link where they represent one, their tables, and staff to-dos."""
    if not request.user.is_authenticated:
        return ""
    summary = selectors.home_summary(request.user)
    return render_to_string("directory/home_panel.html", {"summary": summary}, request=request)
