"""Table pages: list, detail (participants and convenor), create, edit, add and remove
participants."""

from django.urls import reverse

from commontable.core.audit import activity_for
from commontable.core.testing import assert_permission_matrix, login_as
from commontable.core.visibility import Visibility
from commontable.directory.choices import TableRole
from commontable.directory.models import Table, TableParticipation
from commontable.directory.tests.factories import OrganizationFactory, TableFactory, TableParticipationFactory

LIST = reverse("directory:table_list")
CREATE = reverse("directory:table_create")


def detail(table):
    return reverse("directory:table_detail", args=[table.slug])


def test_everyone_may_open_the_table_list(client, personas):
    assert_permission_matrix(client, personas, "get", LIST, {}, default=200)


def test_the_list_shows_each_persona_only_the_tables_it_may_see(client, personas):
    TableFactory(name="Open Table", visibility=Visibility.PUBLIC)
    TableFactory(name="Staff Table", visibility=Visibility.STAFF)
    assert "Open Table" in client.get(LIST).content.decode()
    assert "Corridor Table" not in client.get(LIST).content.decode()
    login_as(client, personas, "member_b")
    body = client.get(LIST).content.decode()
    assert "Corridor Table" in body and "Staff Table" not in body


def test_a_convenor_the_user_cannot_see_is_not_named(client, personas):
    hidden = OrganizationFactory(name="Hidden Convenor", visibility=Visibility.STAFF)
    table = TableFactory(name="Open Table", visibility=Visibility.PUBLIC, convenor=hidden)
    assert "Hidden Convenor" not in client.get(LIST).content.decode()
    assert "Hidden Convenor" not in client.get(detail(table)).content.decode()
    login_as(client, personas, "staff")
    assert "Hidden Convenor" in client.get(LIST).content.decode()
    assert "Hidden Convenor" in client.get(detail(table)).content.decode()


def test_list_queries_do_not_grow_with_rows(client, personas, django_assert_num_queries):
    for n in range(6):
        TableFactory(name=f"Table {n}", convenor=OrganizationFactory())
    login_as(client, personas, "member_a")
    # session, user, viewer (person, affiliations, tables), paginator count, the page of tables
    # with convenors and counts, which of those convenors the user may see.
    with django_assert_num_queries(8):
        response = client.get(LIST)
    assert len(response.context["tables"]) >= 7


def test_table_detail_permission_matrix(client, personas):
    assert_permission_matrix(
        client, personas, "get", detail(personas.table), {"anonymous": 404, "public_user": 404}, default=200
    )


def test_a_staff_only_table_answers_404_to_members(client, personas):
    table = TableFactory(visibility=Visibility.STAFF)
    assert_permission_matrix(
        client, personas, "get", detail(table), {"staff": 200, "admin": 200}, default=404
    )


def test_detail_lists_visible_participants_with_their_role(client, personas):
    TableParticipationFactory(table=personas.table, organization=personas.org_a, role=TableRole.ANCHOR)
    hidden = OrganizationFactory(name="Hidden Org", visibility=Visibility.STAFF)
    TableParticipationFactory(table=personas.table, organization=hidden)
    login_as(client, personas, "member_b")
    body = client.get(detail(personas.table)).content.decode()
    assert "Org A" in body and "Anchor organization" in body and "Org C" in body
    assert "Hidden Org" not in body


def test_detail_queries_do_not_grow_with_participants(client, personas, django_assert_num_queries):
    for _n in range(6):
        TableParticipationFactory(table=personas.table, organization=OrganizationFactory())
    login_as(client, personas, "staff")
    client.get(detail(personas.table))
    # session, user, the viewer kept in the cache (no query), the table, its participations with organisations, its
    # issues, its places, its activity, its history.
    with django_assert_num_queries(8):
        response = client.get(detail(personas.table))
    assert len(response.context["participations"]) == 7


def test_table_create_permission_matrix(client, personas):
    assert_permission_matrix(
        client, personas, "get", CREATE, {"anonymous": 302, "staff": 200, "admin": 200}, default=403
    )


def test_staff_create_a_table_with_a_convenor(client, personas):
    login_as(client, personas, "staff")
    response = client.post(
        CREATE,
        {
            "name": "Blue Line Table",
            "convenor": personas.org_a.pk,
            "visibility": "members",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    table = Table.objects.get(name="Blue Line Table")
    assert table.convenor == personas.org_a
    assert activity_for(table).filter(action="directory.table.created").exists()


def test_creating_a_table_refuses_a_missing_name_and_a_taken_slug(client, personas):
    login_as(client, personas, "staff")
    response = client.post(CREATE, {"name": "", "slug": "corridor-table", "visibility": "members"})
    assert response.status_code == 400
    assert {"name", "slug"} <= set(response.context["form"].errors)


def test_table_edit_permission_matrix(client, personas):
    assert_permission_matrix(
        client,
        personas,
        "get",
        reverse("directory:table_edit", args=["corridor-table"]),
        {"anonymous": 302, "public_user": 404, "staff": 200, "admin": 200},
        default=403,
    )


def test_staff_edit_a_table_and_the_change_is_audited(client, personas):
    login_as(client, personas, "staff")
    response = client.post(
        reverse("directory:table_edit", args=["corridor-table"]),
        {"name": "Corridor Table", "description": "Green Line", "visibility": "public"},
    )
    assert response.status_code == 302
    table = Table.objects.get(pk=personas.table.pk)
    assert (table.description, table.visibility, table.is_active) == ("Green Line", "public", False)
    assert activity_for(table).filter(action="directory.table.updated").exists()


def test_table_visibility_cannot_be_table_only(client, personas):
    login_as(client, personas, "staff")
    response = client.post(
        reverse("directory:table_edit", args=["corridor-table"]),
        {"name": "Corridor Table", "visibility": "table"},
    )
    assert response.status_code == 400
    assert "visibility" in response.context["form"].errors


def participant_add(table):
    return reverse("directory:table_participation_add", args=[table.slug])


def participant_end(table, org):
    return reverse("directory:table_participation_end", args=[table.slug, org.slug])


def test_participant_add_and_end_permission_matrices(client, personas):
    expected = {"anonymous": 302, "public_user": 404, "staff": 200, "admin": 200}
    assert_permission_matrix(client, personas, "get", participant_add(personas.table), expected, default=403)
    org_c = TableParticipation.objects.get(table=personas.table).organization
    assert_permission_matrix(
        client, personas, "get", participant_end(personas.table, org_c), expected, default=403
    )


def test_staff_add_and_remove_a_participant(client, personas):
    login_as(client, personas, "staff")
    response = client.post(participant_add(personas.table), {"organization": "org-a", "role": "convenor"})
    assert response.status_code == 302
    participation = TableParticipation.objects.get(table=personas.table, organization=personas.org_a)
    assert participation.role == TableRole.CONVENOR
    response = client.post(participant_end(personas.table, personas.org_a), {})
    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.left_on is not None
    actions = set(activity_for(personas.table).values_list("action", flat=True))
    assert {"directory.table.participant-added", "directory.table.participant-left"} <= actions
    assert client.get(participant_end(personas.table, personas.org_a)).status_code == 404


def test_adding_a_participant_twice_is_a_form_error(client, personas):
    login_as(client, personas, "staff")
    org_c = TableParticipation.objects.get(table=personas.table).organization
    response = client.post(participant_add(personas.table), {"organization": org_c.slug, "role": "member"})
    assert response.status_code == 400
    assert "already takes part" in str(response.context["form"].errors["organization"])


def test_leaving_before_joining_is_a_form_error(client, personas):
    login_as(client, personas, "staff")
    org_c = TableParticipation.objects.get(table=personas.table).organization
    TableParticipation.objects.filter(table=personas.table).update(joined_on="2025-01-01")
    response = client.post(participant_end(personas.table, org_c), {"left_on": "2024-01-01"})
    assert response.status_code == 400
    assert response.context["form"].errors
    assert TableParticipation.objects.get(table=personas.table).left_on is None
