"""Directory pages for people: the list and a person's page, adding and editing people, their
affiliations, consent and access needs, duplicates and merging, and a person's audit trail.

Contact details appear only where `permissions.can_see_contacts` allows; access needs only to
staff and the person themself."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from commontable.core import hooks
from commontable.core.exports import export_response
from commontable.core.text import language_label
from commontable.core.visibility import viewer_for
from commontable.directory import page_cache, permissions, selectors, services
from commontable.directory.choices import ConsentPurpose
from commontable.directory.filters import PersonFilter
from commontable.directory.forms import (
    CONSENT_TEXT_VERSION,
    AccessNeedsForm,
    AffiliationAddForm,
    AffiliationEndForm,
    ConsentGiveForm,
    ConsentWithdrawForm,
    PersonCreateAffiliationForm,
    PersonForm,
    PersonMergeForm,
    PersonStaffForm,
)
from commontable.directory.models import Organization, Person
from commontable.directory.views import (
    GET_POST,
    add_service_error,
    bound_data,
    editable_copy,
    export_format,
    form_status,
    member_required,
    paginate,
    render_list,
    require,
    staff_activity,
)

MAX_MERGE_CHAIN = 10


@dataclass
class PersonRow:
    person: Person
    organizations: list[Organization]
    show_contacts: bool


def _person_rows(user, people: Iterable[Person]) -> list[PersonRow]:
    rows = []
    for person in people:
        organizations = [affiliation.organization for affiliation in person.current_affiliations]
        rows.append(
            PersonRow(person, organizations, permissions.can_see_contacts_given(user, person, organizations))
        )
    return rows


def _person_export_header() -> list[str]:
    return [
        _("Name"),
        _("Pronouns"),
        _("Organizations"),
        _("Preferred language"),
        _("Email"),
        _("Phone"),
        _("Mobile"),
    ]


def _person_export_rows(rows: list[PersonRow]) -> list[list]:
    def contact(row: PersonRow, value: str) -> str:
        return value if row.show_contacts else ""

    return [
        [
            row.person.full_name,
            row.person.pronouns,
            ", ".join(org.name for org in row.organizations),
            row.person.preferred_language,
            contact(row, row.person.email),
            contact(row, row.person.phone),
            contact(row, row.person.mobile),
        ]
        for row in rows
    ]


def _require_member_or_self(user, person: Person) -> None:
    """People pages are for members; anyone signed in may still see their own record."""
    if not (permissions.can_view_directory.test(user) or permissions.is_self.test(user, person)):
        raise PermissionDenied


def _person(request: HttpRequest, public_id) -> Person:
    """A current person the user may see (404 otherwise), for the pages that act on them."""
    person = permissions.person_get_for_user(request.user, public_id)
    _require_member_or_self(request.user, person)
    return person


def _organizations_user_adds_people_to(user):
    """Staff add people to any organisation; a representative to the ones they represent."""
    organizations = permissions.visible_organizations(user).order_by("name")
    viewer = viewer_for(user)
    if viewer.is_staff:
        return organizations
    return organizations.filter(pk__in=viewer.represented_organization_ids)


@member_required
@require_safe
def person_list(request: HttpRequest) -> HttpResponse:
    """Members: the people they may see, filtered, 50 a page. Contact details show only on rows
    where `can_see_contacts` allows, in the page and in the CSV/XLSX download alike. The body is
    cached per data version and visibility class (`page_cache`), except when filtering by consent,
    which changes with the clock as consent expires."""

    def filtered() -> tuple[PersonFilter, bool]:
        filterset = PersonFilter(request.GET or None, queryset=selectors.person_list(request.user), request=request)
        return filterset, (filterset.is_valid() if filterset.is_bound else True)

    fmt = export_format(request)
    if fmt:
        filterset, valid = filtered()
        if valid:
            rows = _person_rows(request.user, filterset.qs.iterator(chunk_size=500))
            return export_response(fmt, "people", _person_export_header(), _person_export_rows(rows))

    def build() -> page_cache.Fragment:
        filterset, valid = filtered()
        page, query = paginate(request, filterset.qs)
        context = {
            "filter": filterset,
            "page_obj": page,
            "rows": _person_rows(request.user, page.object_list),
            "querystring_without_page": query,
            "can_create": permissions.can_add_any_person.test(request.user),
        }
        return page_cache.render_fragment(request, "directory/person_list.html", context, status=200 if valid else 400)

    return page_cache.cached_page(
        request, "directory/person_list.html", "person_list", build, cacheable=not request.GET.get("contact_consent")
    )


def _consent_rows(person: Person) -> list[dict]:
    """Per purpose: the consent in force, or the latest record (e.g. withdrawn) if none is."""
    current = selectors.person_consent_status(person)
    latest: dict[str, object] = {}
    for record in person.consents.all():
        latest.setdefault(record.purpose, record)
    return [
        {"purpose": purpose, "label": label, "current": current.get(purpose), "latest": latest.get(purpose)}
        for purpose, label in ConsentPurpose.choices
    ]


def _redirect_to_kept(request: HttpRequest, person: Person) -> HttpResponse:
    """A merged record answers with a permanent redirect to the record it was merged into."""
    kept = person
    for _step in range(MAX_MERGE_CHAIN):
        if kept.merged_into_id is None:
            break
        kept = kept.merged_into
    if (
        kept.merged_into_id is not None
        or not permissions.visible_people(request.user).filter(pk=kept.pk).exists()
    ):
        raise Http404
    return HttpResponsePermanentRedirect(reverse("directory:person_detail", args=[kept.public_id]))


@login_required
@require_safe
def person_detail(request: HttpRequest, public_id) -> HttpResponse:
    """Members who may see the person, and the person themself. Contact details and consent
    only where `can_see_contacts` allows; access needs only for staff and the person; consent
    buttons for those who may edit the person; activity for staff."""
    person = permissions.person_or_tombstone_get_for_user(request.user, public_id)
    if person.merged_into_id:
        return _redirect_to_kept(request, person)
    user = request.user
    _require_member_or_self(user, person)
    found = person

    def build() -> page_cache.Fragment:
        person = selectors.person_get(found)
        show_contacts = permissions.can_see_contacts(user, person)
        can_edit = permissions.can_edit_person.test(user, person)
        can_see_needs = permissions.can_see_access_needs.test(user, person)
        affiliations = [
            (affiliation, affiliation.end_on is None and permissions.can_end_affiliation.test(user, affiliation))
            for affiliation in person.affiliations.all()
        ]
        context = {
            "person": person,
            "affiliations": affiliations,
            "show_contacts": show_contacts,
            "can_edit": can_edit,
            "consents": _consent_rows(person) if show_contacts or can_edit else None,
            "consent_version": CONSENT_TEXT_VERSION,
            "consent_form": ConsentGiveForm(),
            "can_see_access_needs": can_see_needs,
            "access_needs": selectors.access_needs_get(person) if can_see_needs else None,
            "can_add_affiliation": permissions.can_add_affiliation.test(user, person),
            "language_name": language_label(person.preferred_language) if person.preferred_language else "",
            "is_staff": viewer_for(user).is_staff,
            **staff_activity(user, person),
        }
        fragment = page_cache.render_fragment(request, "directory/person_detail.html", context, title=person.full_name)
        # Consent starts, expires or is withdrawn by the clock too: keep the page no longer than that.
        fragment.seconds = page_cache.seconds_until(
            [when for record in person.consents.all() for when in (record.given_at, record.expires_at, record.withdrawn_at)],
            fragment.seconds,
        )
        return fragment

    # What other apps hold about the person (their path toward a seat…), decided per request.
    related = hooks.collect("directory.person.related", person=found, user=user)
    return page_cache.cached_page(request, "directory/person_detail.html", "person_detail", build,
                                  context={"related": related})


@login_required
@GET_POST
def person_create(request: HttpRequest) -> HttpResponse:
    """Staff, and representatives adding a person to an organisation they represent."""
    require(permissions.can_add_any_person, request.user)
    staff = viewer_for(request.user).is_staff
    person_form = (PersonStaffForm if staff else PersonForm)(bound_data(request))
    organizations = _organizations_user_adds_people_to(request.user)
    affiliation_form = PersonCreateAffiliationForm(
        bound_data(request),
        organizations=organizations,
        required=not staff,
        initial={"organization": request.GET.get("organization", "")[:80]},
    )
    if request.method == "POST" and person_form.is_valid() and affiliation_form.is_valid():
        organization = affiliation_form.cleaned_data["organization"]
        if organization is not None:
            require(permissions.can_add_person, request.user, organization)
        try:
            person = services.person_create(
                actor=request.user,
                organization=organization,
                role=affiliation_form.cleaned_data["role"],
                is_representative=affiliation_form.cleaned_data["is_representative"],
                **person_form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_error(person_form, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": person.full_name})
            return redirect("directory:person_detail", public_id=person.public_id)
    return render(
        request,
        "directory/person_create.html",
        {"form": person_form, "affiliation_form": affiliation_form},
        status=form_status(person_form, affiliation_form),
    )


@login_required
@GET_POST
def person_edit(request: HttpRequest, public_id) -> HttpResponse:
    """Staff, representatives of one of the person's organisations, and the person themself.
    Only staff change who may see the record."""
    person = _person(request, public_id)
    require(permissions.can_edit_person, request.user, person)
    form_class = PersonStaffForm if viewer_for(request.user).is_staff else PersonForm
    form = form_class(bound_data(request), instance=editable_copy(person))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(person=person, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": person.full_name})
            return redirect("directory:person_detail", public_id=person.public_id)
    return render(
        request, "directory/person_edit.html", {"form": form, "person": person}, status=form_status(form)
    )


@login_required
@GET_POST
def access_needs_edit(request: HttpRequest, public_id) -> HttpResponse:
    """Staff and the person themself: the language they need interpreted and accommodations."""
    person = _person(request, public_id)
    require(permissions.can_see_access_needs, request.user, person)
    needs = selectors.access_needs_get(person)
    initial = (
        {"interpretation_language": needs.interpretation_language, "accommodations": needs.accommodations}
        if needs
        else {}
    )
    form = AccessNeedsForm(bound_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.access_needs_set(actor=request.user, person=person, **form.cleaned_data)
        messages.success(request, _("Access needs were saved."))
        return redirect("directory:person_detail", public_id=person.public_id)
    return render(
        request,
        "directory/access_needs_edit.html",
        {"form": form, "person": person},
        status=form_status(form),
    )


@login_required
@GET_POST
def consent_give(request: HttpRequest, public_id) -> HttpResponse:
    """Those who may edit the person: record consent for a purpose, with the version of the text
    agreed to and how it was given."""
    person = _person(request, public_id)
    require(permissions.can_edit_person, request.user, person)
    purpose = request.GET.get("purpose", "")
    form = ConsentGiveForm(
        bound_data(request), initial={"purpose": purpose} if purpose in ConsentPurpose.values else {}
    )
    if request.method == "POST" and form.is_valid():
        services.consent_give(actor=request.user, person=person, **form.cleaned_data)
        label = ConsentPurpose(form.cleaned_data["purpose"]).label
        messages.success(request, _("Consent recorded: %(purpose)s.") % {"purpose": label})
        return redirect("directory:person_detail", public_id=person.public_id)
    return render(
        request, "directory/consent_give.html", {"form": form, "person": person}, status=form_status(form)
    )


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, public_id) -> HttpResponse:
    """Those who may edit the person: withdraw consent for a purpose; new use stops at once."""
    person = _person(request, public_id)
    require(permissions.can_edit_person, request.user, person)
    form = ConsentWithdrawForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "directory/consent_give.html",
            {"form": form, "person": person, "withdraw": True},
            status=400,
        )
    label = ConsentPurpose(form.cleaned_data["purpose"]).label
    if services.consent_withdraw(actor=request.user, person=person, purpose=form.cleaned_data["purpose"]):
        messages.success(request, _("Consent withdrawn: %(purpose)s.") % {"purpose": label})
    else:
        messages.info(request, _("There was no consent in force for %(purpose)s.") % {"purpose": label})
    return redirect("directory:person_detail", public_id=person.public_id)


@login_required
@GET_POST
def affiliation_add(request: HttpRequest, public_id) -> HttpResponse:
    """Staff, and representatives adding their own organisation to a person they may edit."""
    person = _person(request, public_id)
    require(permissions.can_add_affiliation, request.user, person)
    form = AffiliationAddForm(
        bound_data(request), organizations=_organizations_user_adds_people_to(request.user)
    )
    if request.method == "POST" and form.is_valid():
        require(permissions.can_add_person, request.user, form.cleaned_data["organization"])
        try:
            services.affiliation_add(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc, "organization")
        else:
            messages.success(
                request,
                _("%(person)s now belongs to %(org)s.")
                % {"person": person.full_name, "org": form.cleaned_data["organization"].name},
            )
            return redirect("directory:person_detail", public_id=person.public_id)
    return render(
        request, "directory/affiliation_add.html", {"form": form, "person": person}, status=form_status(form)
    )


@login_required
@GET_POST
def affiliation_end(request: HttpRequest, public_id, organization_slug: str) -> HttpResponse:
    """Staff, and representatives of that organisation: record that a person left it."""
    person = _person(request, public_id)
    affiliation = selectors.affiliation_open_get(person, organization_slug)
    if affiliation is None:
        raise Http404
    require(permissions.can_end_affiliation, request.user, affiliation)
    form = AffiliationEndForm(bound_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.affiliation_end(actor=request.user, affiliation=affiliation, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc, "end_on")
        else:
            messages.success(
                request,
                _("%(person)s no longer belongs to %(org)s.")
                % {"person": person.full_name, "org": affiliation.organization.name},
            )
            return redirect("directory:person_detail", public_id=person.public_id)
    return render(
        request,
        "directory/affiliation_end.html",
        {"form": form, "person": person, "affiliation": affiliation},
        status=form_status(form),
    )


@login_required
@require_safe
def person_activity(request: HttpRequest, public_id) -> HttpResponse:
    """Staff: everything recorded about a person, and everything done through their account."""
    person = _person(request, public_id)
    require(permissions.can_view_activity, request.user)
    page, query = paginate(request, selectors.person_activity(person))
    return render_list(
        request,
        "directory/person_activity.html",
        {
            "person": person,
            "entries": page.object_list,
            "page_obj": page,
            "querystring_without_page": query,
        },
    )


@login_required
@require_safe
def person_duplicate_list(request: HttpRequest) -> HttpResponse:
    """Staff: people who are probably the same person (same email or phone, or nearly the same
    name), with a link to compare and merge each pair."""
    require(permissions.can_merge_people, request.user)
    groups = selectors.person_duplicate_candidates()
    for group in groups:
        group.pairs = [(a, b) for i, a in enumerate(group.people) for b in group.people[i + 1 :]]
    return render(request, "directory/person_duplicate_list.html", {"groups": groups})


@login_required
@GET_POST
def person_merge(request: HttpRequest) -> HttpResponse:
    """Staff: compare two records side by side and merge one into the other."""
    require(permissions.can_merge_people, request.user)
    first_id, second_id = request.GET.get("a", ""), request.GET.get("b", "")
    if not first_id or first_id == second_id:
        raise Http404
    first = selectors.person_get(permissions.person_get_for_user(request.user, first_id))
    second = selectors.person_get(permissions.person_get_for_user(request.user, second_id))
    form = PersonMergeForm(bound_data(request), first=first, second=second)
    if request.method == "POST" and form.is_valid():
        keep, duplicate = form.keep_and_duplicate()
        try:
            services.person_merge(actor=request.user, keep=keep, duplicate=duplicate)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("%(duplicate)s was merged into %(keep)s.")
                % {"duplicate": duplicate.full_name, "keep": keep.full_name},
            )
            return redirect("directory:person_detail", public_id=keep.public_id)
    return render(
        request,
        "directory/person_merge.html",
        {"form": form, "people": [first, second]},
        status=form_status(form),
    )
