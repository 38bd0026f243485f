"""Who may do what in the directory. One decision per action, used by pages, API and templates.

Objects a user may not see answer 404 (`*_get_for_user`); objects they see but may not change
answer 403 (the `can_*` predicates)."""

from __future__ import annotations

import rules
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from commontable.core.visibility import Role, viewer_for
from commontable.directory.models import Affiliation, Organization, Person, Table


@rules.predicate
def is_staff(user) -> bool:
    return viewer_for(user).is_staff


@rules.predicate
def is_member(user) -> bool:
    return viewer_for(user).is_member


@rules.predicate
def is_board(user) -> bool:
    return viewer_for(user).at_least(Role.BOARD)


@rules.predicate
def represents_organization(user, organization: Organization | None) -> bool:
    return organization is not None and organization.pk in viewer_for(user).represented_organization_ids


@rules.predicate
def represents_an_organization_of_person(user, person: Person | None) -> bool:
    if person is None:
        return False
    represented = viewer_for(user).represented_organization_ids
    if not represented:
        return False
    return person.affiliations.current().filter(organization_id__in=represented).exists()


@rules.predicate
def is_self(user, person: Person | None) -> bool:
    return person is not None and person.pk == viewer_for(user).person_id


@rules.predicate
def represents_any_organization(user) -> bool:
    return bool(viewer_for(user).represented_organization_ids)


@rules.predicate
def represents_affiliation_organization(user, affiliation) -> bool:
    represented = viewer_for(user).represented_organization_ids
    return affiliation is not None and affiliation.organization_id in represented


can_view_directory = is_member
can_manage_directory = is_staff
can_edit_organization = is_staff | represents_organization
can_change_membership_status = is_staff
can_edit_person = is_staff | represents_an_organization_of_person | is_self
can_add_person = is_staff | represents_organization
can_add_any_person = is_staff | represents_any_organization
# A representative adds their own organisation to people they may already edit (never to someone
# else's people: that would make those people editable by them).
can_add_affiliation = is_staff | (can_edit_person & represents_any_organization)
can_end_affiliation = is_staff | represents_affiliation_organization
can_see_access_needs = is_staff | is_self
can_merge_people = is_staff
can_edit_table = is_staff
can_view_activity = is_staff
can_import = is_staff

rules.add_perm("directory.view_directory", can_view_directory)
rules.add_perm("directory.manage_directory", can_manage_directory)
rules.add_perm("directory.change_organization", can_edit_organization)
rules.add_perm("directory.change_person", can_edit_person)
rules.add_perm("directory.add_person", can_add_person)
rules.add_perm("directory.merge_person", can_merge_people)
rules.add_perm("directory.change_table", can_edit_table)
rules.add_perm("directory.view_activity", can_view_activity)


def can_see_contacts(user, person: Person, organization_ids: set[int] | None = None) -> bool:
    """Contact details: staff, the person, people of the same organisation, and other members
    only when every current organisation of the person consents to sharing."""
    viewer = viewer_for(user)
    if viewer.is_staff or viewer.person_id == person.pk:
        return True
    if not viewer.is_member:
        return False
    if organization_ids is None:
        organization_ids = set(person.affiliations.current().values_list("organization_id", flat=True))
    if organization_ids & viewer.organization_ids:
        return True
    if not organization_ids:
        return False
    return not Organization.objects.filter(pk__in=organization_ids, shares_contacts=False).exists()


def can_see_contacts_given(user, person: Person, organizations) -> bool:
    """The same decision as `can_see_contacts`, taking the person's current organisations already
    loaded (with `shares_contacts`), so that list pages and exports ask no query per row."""
    viewer = viewer_for(user)
    if viewer.is_staff or viewer.person_id == person.pk:
        return True
    if not viewer.is_member:
        return False
    organizations = list(organizations)
    if {org.pk for org in organizations} & viewer.organization_ids:
        return True
    return bool(organizations) and all(org.shares_contacts for org in organizations)


def contacts_visible_condition(user) -> Q:
    """`can_see_contacts` as a query condition on Person, so that searching by email or phone
    finds only people whose contact details the user may see (a search must not confirm an
    address the page would hide)."""
    viewer = viewer_for(user)
    if viewer.is_staff:
        return Q()
    if not viewer.is_member:
        return Q(pk=viewer.person_id) if viewer.person_id else Q(pk__in=[])
    current = Affiliation.objects.current().filter(person=OuterRef("pk"))
    condition = Exists(current) & ~Exists(current.filter(organization__shares_contacts=False))
    if viewer.organization_ids:
        condition |= Exists(current.filter(organization_id__in=viewer.organization_ids))
    if viewer.person_id:
        condition |= Q(pk=viewer.person_id)
    return condition


def visible_organizations(user):
    return Organization.objects.visible_to(user)


def visible_people(user):
    return Person.objects.visible_to(user).active()


def visible_tables(user):
    return Table.objects.visible_to(user)


def organization_get_for_user(user, slug: str) -> Organization:
    return get_object_or_404(visible_organizations(user), slug=slug)


def person_get_for_user(user, public_id) -> Person:
    try:
        return get_object_or_404(visible_people(user), public_id=public_id)
    except (ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc


def person_or_tombstone_get_for_user(user, public_id) -> Person:
    """A person the user may see, including one merged into another record (whose page then
    points at the record it was merged into)."""
    try:
        return get_object_or_404(Person.objects.visible_to(user), public_id=public_id)
    except (ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc


def table_get_for_user(user, slug: str) -> Table:
    return get_object_or_404(visible_tables(user), slug=slug)
