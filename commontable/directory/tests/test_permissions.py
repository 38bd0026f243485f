"""Permission decisions the directory's pages rely on."""

import pytest
from django.http import Http404

from commontable.core.testing import PERSONAS
from commontable.core.visibility import Visibility
from commontable.directory import permissions, services
from commontable.directory.models import Affiliation, Person
from commontable.directory.tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory


@pytest.fixture
def people(personas):
    sharing = OrganizationFactory(name="Sharing Org", shares_contacts=True)
    in_a = PersonFactory(full_name="In A")
    AffiliationFactory(person=in_a, organization=personas.org_a)
    in_sharing = PersonFactory(full_name="In Sharing")
    AffiliationFactory(person=in_sharing, organization=sharing)
    in_both = PersonFactory(full_name="In Sharing and A")
    AffiliationFactory(person=in_both, organization=sharing)
    AffiliationFactory(person=in_both, organization=personas.org_a)
    unaffiliated = PersonFactory(full_name="Nobody's")
    return [in_a, in_sharing, in_both, unaffiliated, personas.person_a, personas.person_b]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_list_contact_decision_agrees_with_the_detail_one(personas, people, persona):
    user = personas.user(persona)
    for person in people:
        organizations = [a.organization for a in Affiliation.objects.current().filter(person=person)]
        assert permissions.can_see_contacts_given(
            user, person, organizations
        ) == permissions.can_see_contacts(user, person), (persona, person.full_name)


def test_contacts_of_a_sharing_organization_are_visible_to_other_members_only(personas, people):
    in_sharing = people[1]
    assert permissions.can_see_contacts(personas.user("member_b"), in_sharing)
    assert not permissions.can_see_contacts(personas.user("public_user"), in_sharing)
    assert not permissions.can_see_contacts(None, in_sharing)
    assert not permissions.can_see_contacts(personas.user("member_b"), people[0])


def test_a_representative_adds_affiliations_only_to_people_they_may_edit(personas, people):
    member_a = personas.user("member_a")
    assert permissions.can_add_affiliation.test(member_a, people[0])
    assert not permissions.can_add_affiliation.test(member_a, personas.person_b)
    assert not permissions.can_add_affiliation.test(personas.user("table_member"), people[0])
    assert permissions.can_add_affiliation.test(personas.user("staff"), personas.person_b)


def test_only_representatives_of_that_organization_end_an_affiliation(personas, people):
    affiliation = Affiliation.objects.get(person=people[0], organization=personas.org_a)
    assert permissions.can_end_affiliation.test(personas.user("member_a"), affiliation)
    assert not permissions.can_end_affiliation.test(personas.user("member_b"), affiliation)
    assert permissions.can_end_affiliation.test(personas.user("admin"), affiliation)


def test_access_needs_are_for_staff_and_the_person_only(personas, people):
    allowed = {
        name
        for name in PERSONAS
        if permissions.can_see_access_needs.test(personas.user(name), personas.person_a)
    }
    assert allowed == {"member_a", "staff", "admin"}


def test_a_malformed_identifier_answers_404(personas):
    for value in ("not-a-uuid", "", "1"):
        with pytest.raises(Http404):
            permissions.person_get_for_user(personas.user("staff"), value)
        with pytest.raises(Http404):
            permissions.person_or_tombstone_get_for_user(personas.user("staff"), value)


def test_a_merged_person_is_found_only_as_a_tombstone(personas, people):
    keep, duplicate = people[0], PersonFactory(full_name="In  A", visibility=Visibility.MEMBERS)
    services.person_merge(actor=None, keep=keep, duplicate=duplicate)
    staff = personas.user("staff")
    with pytest.raises(Http404):
        permissions.person_get_for_user(staff, duplicate.public_id)
    assert permissions.person_or_tombstone_get_for_user(staff, duplicate.public_id).merged_into == keep


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_query_contact_condition_agrees_with_can_see_contacts(personas, people, persona):
    user = personas.user(persona)
    ids = [person.pk for person in people]
    in_query = set(
        Person.objects.filter(pk__in=ids)
        .filter(permissions.contacts_visible_condition(user))
        .values_list("pk", flat=True)
    )
    assert in_query == {person.pk for person in people if permissions.can_see_contacts(user, person)}
