"""Reads behind the directory's pages."""

from commontable.core.visibility import Visibility
from commontable.directory import selectors, services
from commontable.directory.tests.factories import (
    AffiliationFactory,
    PersonFactory,
    TableFactory,
    TableParticipationFactory,
)


def test_an_organizations_tables_are_only_those_the_user_may_see(personas):
    hidden = TableFactory(name="Staff Table", visibility=Visibility.STAFF)
    TableParticipationFactory(table=hidden, organization=personas.org_a)
    TableParticipationFactory(table=personas.table, organization=personas.org_a)
    as_member = selectors.organization_get(personas.org_a, personas.user("member_b"))
    assert [p.table for p in as_member.current_participations] == [personas.table]
    as_staff = selectors.organization_get(personas.org_a, personas.user("staff"))
    assert {p.table for p in as_staff.current_participations} == {personas.table, hidden}


def test_the_roster_carries_each_persons_current_organizations(personas):
    person = PersonFactory()
    AffiliationFactory(person=person, organization=personas.org_a)
    AffiliationFactory(person=person, organization=personas.org_b)
    roster = {
        a.person: a.person.current_affiliations
        for a in selectors.organization_roster(personas.org_a, personas.user("staff"))
    }
    assert {a.organization for a in roster[person]} == {personas.org_a, personas.org_b}


def test_record_history_names_the_fields_that_changed(personas):
    services.organization_update(organization=personas.org_a, actor=None, description="First")
    services.organization_update(organization=personas.org_a, actor=None, description="Second")
    entries = selectors.record_history(personas.org_a)
    assert ("description", "First", "Second") in entries[0].changes
    assert entries[-1].changes == []
    assert len(selectors.record_history(personas.org_a, limit=1)) == 1


def test_person_activity_covers_their_record_their_tombstones_and_their_account(personas):
    duplicate = PersonFactory(full_name="Ayaan  Cabdi")
    services.person_update(person=duplicate, actor=None, pronouns="she/her")
    services.person_merge(actor=None, keep=personas.person_a, duplicate=duplicate)
    services.organization_update(
        organization=personas.org_a, actor=personas.user("member_a"), description="x"
    )
    services.organization_update(
        organization=personas.org_b, actor=personas.user("member_b"), description="y"
    )
    entries = list(selectors.person_activity(personas.person_a))
    seen = {(e.action, e.object_repr) for e in entries}
    assert ("directory.person.updated", "Ayaan  Cabdi") in seen
    assert ("directory.person.merged", "Ayaan Cabdi") in seen
    assert ("directory.organization.updated", "Org A") in seen
    assert ("directory.organization.updated", "Org B") not in seen


def test_language_choices_come_only_from_people_the_user_may_see(personas):
    PersonFactory(preferred_language="so", visibility=Visibility.MEMBERS)
    PersonFactory(preferred_language="kar", visibility=Visibility.STAFF)
    assert selectors.person_language_list(personas.user("member_b")) == ["so"]
    assert selectors.person_language_list(personas.user("staff")) == ["kar", "so"]


def test_only_open_affiliations_and_participations_are_found(personas):
    affiliation = selectors.affiliation_open_get(personas.person_a, "org-a")
    assert affiliation is not None
    services.affiliation_end(actor=None, affiliation=affiliation)
    assert selectors.affiliation_open_get(personas.person_a, "org-a") is None
    assert selectors.table_participation_open_get(personas.table, "org-c") is not None
    assert selectors.table_participation_open_get(personas.table, "org-a") is None


def test_a_record_without_any_history_has_an_empty_history(db):
    from commontable.directory.models import Organization
    from commontable.directory.selectors import record_history
    from commontable.directory.tests.factories import OrganizationFactory

    org = OrganizationFactory()
    Organization.history.filter(id=org.pk).delete()  # as after a bulk load that kept no history
    assert record_history(org) == []
