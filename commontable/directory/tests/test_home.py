"""The home page's directory panel: your organisations, your tables, staff to-dos."""

from django.urls import reverse

from commontable.core.testing import assert_permission_matrix, login_as
from commontable.directory import services

HOME = reverse("core:home")


def test_home_answers_everyone(client, personas):
    assert_permission_matrix(client, personas, "get", HOME, {}, default=200)


def test_a_representative_sees_an_edit_link_for_their_organization_only(client, personas):
    login_as(client, personas, "member_a")
    body = client.get(HOME).content.decode()
    assert reverse("directory:organization_edit", args=["org-a"]) in body
    assert reverse("directory:organization_edit", args=["org-b"]) not in body
    assert "Directory to-dos" not in body


def test_a_table_member_sees_their_table_and_no_edit_link(client, personas):
    login_as(client, personas, "table_member")
    body = client.get(HOME).content.decode()
    assert "Corridor Table" in body
    assert reverse("directory:organization_edit", args=["org-c"]) not in body


def test_staff_see_counts_of_applicants(client, personas):
    services.organization_create(actor=None, name="Newcomers Collective")
    login_as(client, personas, "staff")
    body = client.get(HOME).content.decode()
    assert "1 organization applying for membership" in body


def test_anonymous_visitors_are_invited_to_sign_in(client, personas):
    body = client.get(HOME).content.decode()
    assert reverse("account_login") in body
    assert "Your organizations" not in body


def test_home_query_count_does_not_grow_with_affiliations(client, personas, django_assert_max_num_queries):
    from commontable.directory.tests.factories import AffiliationFactory

    for _ in range(6):
        AffiliationFactory(person=personas.person_a)
    login_as(client, personas, "member_a")
    # session, user, viewer (person, affiliations, tables), panel (affiliations with organisations,
    # tables), navigation: a fixed number whatever the number of affiliations
    with django_assert_max_num_queries(12):
        client.get(HOME)
