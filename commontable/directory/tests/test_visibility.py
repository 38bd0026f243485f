"""The one visibility model, applied to organisations, people and tables for every persona."""

import pytest

from commontable.core.visibility import Visibility, forget_viewer, viewer_for
from commontable.directory import services
from commontable.directory.models import Organization, Person, Table
from commontable.directory.permissions import can_see_contacts
from commontable.directory.tests.factories import OrganizationFactory, PersonFactory, TableFactory


@pytest.fixture
def records(personas):
    return {
        "public": OrganizationFactory(name="Open Org", visibility=Visibility.PUBLIC),
        "members": OrganizationFactory(name="Members Org", visibility=Visibility.MEMBERS),
        "table": OrganizationFactory(name="Table Org", visibility=Visibility.TABLE, visibility_table=personas.table),
        "staff": OrganizationFactory(name="Staff Org", visibility=Visibility.STAFF),
    }


EXPECTED = {
    "anonymous": {"public"},
    "public_user": {"public"},
    "member_a": {"public", "members"},
    "member_b": {"public", "members"},
    "table_member": {"public", "members", "table"},
    "board": {"public", "members"},
    "staff": {"public", "members", "table", "staff"},
    "admin": {"public", "members", "table", "staff"},
}


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_each_persona_sees_exactly_its_share_of_organizations(personas, records, persona):
    user = personas.user(persona)
    visible = set(Organization.objects.visible_to(user).filter(pk__in=[o.pk for o in records.values()]).values_list("pk", flat=True))
    assert visible == {records[key].pk for key in EXPECTED[persona]}


def test_a_member_always_sees_their_own_organization(personas):
    services.organization_update(organization=personas.org_a, actor=None, visibility=Visibility.STAFF)
    assert Organization.objects.visible_to(personas.user("member_a")).filter(pk=personas.org_a.pk).exists()
    assert not Organization.objects.visible_to(personas.user("member_b")).filter(pk=personas.org_a.pk).exists()


def test_people_of_my_organization_are_visible_even_when_staff_only(personas):
    colleague = PersonFactory(full_name="Colleague", visibility=Visibility.STAFF)
    services.affiliation_add(actor=None, person=colleague, organization=personas.org_a)
    assert Person.objects.visible_to(personas.user("member_a")).filter(pk=colleague.pk).exists()
    assert not Person.objects.visible_to(personas.user("member_b")).filter(pk=colleague.pk).exists()


def test_person_list_has_no_duplicate_rows_for_people_in_two_of_my_organizations(personas):
    person = PersonFactory()
    services.affiliation_add(actor=None, person=person, organization=personas.org_a)
    org2 = OrganizationFactory()
    services.affiliation_add(actor=None, person=personas.person_a, organization=org2, is_representative=True)
    services.affiliation_add(actor=None, person=person, organization=org2)
    user = personas.user("member_a")
    forget_viewer(user)
    assert Person.objects.visible_to(user).filter(pk=person.pk).count() == 1


def test_table_visibility_follows_participation(personas):
    hidden = TableFactory(visibility=Visibility.TABLE, visibility_table=None)
    own = TableFactory(visibility=Visibility.TABLE)
    own.visibility_table = own
    own.save()
    assert not Table.objects.visible_to(personas.user("table_member")).filter(pk=hidden.pk).exists()
    assert Table.objects.visible_to(personas.user("staff")).filter(pk=hidden.pk).exists()


def test_viewer_knows_represented_organizations_and_tables(personas):
    viewer = viewer_for(personas.user("member_a"))
    assert personas.org_a.pk in viewer.represented_organization_ids
    assert viewer_for(personas.user("table_member")).table_ids == frozenset({personas.table.pk})
    assert not viewer_for(personas.user("table_member")).represented_organization_ids


def test_contacts_hidden_from_other_organizations_without_consent(personas):
    assert not can_see_contacts(personas.user("member_b"), personas.person_a)
    assert can_see_contacts(personas.user("member_a"), personas.person_a)
    assert can_see_contacts(personas.user("staff"), personas.person_a)
    assert not can_see_contacts(None, personas.person_a)


def test_contacts_shared_once_the_organization_consents(personas):
    services.organization_update(organization=personas.org_a, actor=personas.user("member_a"), shares_contacts=True)
    assert can_see_contacts(personas.user("member_b"), personas.person_a)
    assert not can_see_contacts(personas.user("public_user"), personas.person_a)


def test_contacts_stay_hidden_if_any_of_the_persons_organizations_withholds_consent(personas):
    services.organization_update(organization=personas.org_a, actor=None, shares_contacts=True)
    other = OrganizationFactory(shares_contacts=False)
    services.affiliation_add(actor=None, person=personas.person_a, organization=other)
    assert not can_see_contacts(personas.user("member_b"), personas.person_a)


def test_the_viewer_is_kept_until_the_directory_changes(personas, django_assert_num_queries, monkeypatch):
    import datetime as dt

    from django.core.cache import cache
    from django.utils import timezone

    from commontable.core.visibility import Role
    from commontable.directory.models import Affiliation, TableParticipation
    from commontable.directory.page_cache import PAGES
    from commontable.directory.selectors import viewer_build

    cache.clear()
    user = personas.user("member_b")
    first = viewer_build(user)
    assert first.organization_ids == frozenset({personas.org_b.pk})
    with django_assert_num_queries(0):  # kept (the test cache is in memory)
        assert viewer_build(user) == first
    # A new affiliation, a table joined: the next request sees them.
    services.affiliation_add(actor=None, person=personas.person_b, organization=personas.org_a, is_representative=True)
    second = viewer_build(user)
    assert second.organization_ids == frozenset({personas.org_a.pk, personas.org_b.pk})
    assert personas.org_a.pk in second.represented_organization_ids and personas.table.pk not in second.table_ids
    TableParticipation.objects.create(table=personas.table, organization=personas.org_b)
    assert personas.table.pk in viewer_build(user).table_ids
    TableParticipation.objects.filter(organization=personas.org_b).update(left_on=timezone.localdate())
    PAGES.changed()  # a bulk update announces itself, as the services do
    assert personas.table.pk not in viewer_build(user).table_ids
    # An affiliation that ends today still counts today and no longer tomorrow, with no write between.
    Affiliation.objects.filter(person=personas.person_b, organization=personas.org_a).update(end_on=timezone.localdate())
    PAGES.changed()
    assert personas.org_a.pk in viewer_build(user).organization_ids
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    assert personas.org_a.pk not in viewer_build(user).organization_ids
    # The role is the user row's, never the kept one.
    user.role = Role.STAFF
    assert viewer_build(user).is_staff
    # Each user has their own.
    assert viewer_build(personas.user("member_a")).person_id == personas.person_a.pk
