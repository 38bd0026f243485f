"""Root fixtures: the personas every permission test uses.

anonymous · public_user (signed in, no organisation) · member_a (representative of org A) ·
member_b (representative of org B, the outsider) · table_member (a member of org C, which takes
part in the table) · board · staff · admin.
"""

import pytest

from commontable.core.testing import Personas


@pytest.fixture
def personas(db):
    from commontable.accounts.tests.factories import UserFactory
    from commontable.core.visibility import Role
    from commontable.directory.tests.factories import (
        AffiliationFactory,
        OrganizationFactory,
        PersonFactory,
        TableFactory,
        TableParticipationFactory,
    )

    org_a = OrganizationFactory(name="Org A", slug="org-a")
    org_b = OrganizationFactory(name="Org B", slug="org-b")
    org_c = OrganizationFactory(name="Org C", slug="org-c")
    table = TableFactory(name="Corridor Table", slug="corridor-table")
    TableParticipationFactory(table=table, organization=org_c)
    users = {"anonymous": None}
    users["public_user"] = UserFactory(email="public@example.org", role=Role.PUBLIC)
    users["member_a"] = UserFactory(email="a@example.org", role=Role.MEMBER)
    users["member_b"] = UserFactory(email="b@example.org", role=Role.MEMBER)
    users["table_member"] = UserFactory(email="t@example.org", role=Role.MEMBER)
    users["board"] = UserFactory(email="board@example.org", role=Role.BOARD)
    users["staff"] = UserFactory(email="staff@example.org", role=Role.STAFF)
    users["admin"] = UserFactory(email="admin@example.org", role=Role.ADMIN, is_superuser=True)
    person_a = PersonFactory(full_name="Ayaan Cabdi", user=users["member_a"])
    AffiliationFactory(person=person_a, organization=org_a, is_representative=True)
    person_b = PersonFactory(full_name="Bao Vang", user=users["member_b"])
    AffiliationFactory(person=person_b, organization=org_b, is_representative=True)
    person_t = PersonFactory(full_name="Teresa Flores", user=users["table_member"])
    AffiliationFactory(person=person_t, organization=org_c)
    return Personas(users=users, org_a=org_a, org_b=org_b, table=table, person_a=person_a, person_b=person_b)


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in another language leaves that language active in the thread; reset it so no
    test depends on the one before."""
    from django.utils import translation

    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (rate limits, cached filter vocabularies)."""
    from django.core.cache import cache

    cache.clear()
    yield
