"""Organisation pages: list (filters, htmx partial, exports), detail, create, edit, membership
status and values affirmed."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from commontable.core.audit import activity_for
from commontable.core.models import IssueTopic, Place
from commontable.core.testing import assert_permission_matrix, login_as
from commontable.core.visibility import Visibility
from commontable.directory import page_cache, services
from commontable.directory.choices import MembershipStatus
from commontable.directory.models import Organization
from commontable.directory.tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    TableFactory,
    TableParticipationFactory,
)

NAMES = ["Nuur Xuseen Cabdirashiid", "Vaaj Xyooj", "José Ñúñez", "张伟", "محمد"]

LIST = reverse("directory:organization_list")


def detail(org):
    return reverse("directory:organization_detail", args=[org.slug])


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# List ---------------------------------------------------------------------------------------------


def test_everyone_may_open_the_organization_list(client, personas):
    assert_permission_matrix(client, personas, "get", LIST, {}, default=200)


def test_anonymous_visitors_see_only_public_organizations(client, personas):
    OrganizationFactory(name="Open Door Collective", visibility=Visibility.PUBLIC)
    OrganizationFactory(name="Quiet Staff Org", visibility=Visibility.STAFF)
    body = client.get(LIST).content.decode()
    assert "Open Door Collective" in body
    assert "Org A" not in body
    assert "Quiet Staff Org" not in body


def test_a_member_does_not_see_a_staff_only_organization_in_the_list(client, personas):
    OrganizationFactory(name="Quiet Staff Org", visibility=Visibility.STAFF)
    login_as(client, personas, "member_b")
    body = client.get(LIST).content.decode()
    assert "Org A" in body
    assert "Quiet Staff Org" not in body
    login_as(client, personas, "staff")
    assert "Quiet Staff Org" in client.get(LIST).content.decode()


def test_filters_narrow_the_list_by_kind_status_bipoc_issue_place_and_table(client, personas):
    housing = IssueTopic.objects.create(slug="housing", name="Housing")
    frogtown = Place.objects.create(slug="frogtown", name="Frogtown", kind=Place.Kind.NEIGHBORHOOD)
    match = OrganizationFactory(
        name="Frogtown Tenants", kind="tenant", bipoc_led="yes", membership_status=MembershipStatus.APPLICANT
    )
    match.issues.add(housing)
    match.places_served.add(frogtown)
    TableParticipationFactory(table=personas.table, organization=match)
    login_as(client, personas, "staff")
    query = {
        "kind": "tenant",
        "membership_status": "applicant",
        "bipoc_led": "yes",
        "issue": "housing",
        "place": "frogtown",
        "table": personas.table.slug,
    }
    response = client.get(LIST, query)
    assert response.status_code == 200
    assert list(response.context["organizations"]) == [match]
    for key, value in query.items():
        alone = list(client.get(LIST, {key: value}).context["organizations"])
        assert match in alone, key
        assert personas.org_a not in alone, key
    assert list(client.get(LIST, {"kind": "faith"}).context["organizations"]) == []


def test_the_name_search_ignores_case_and_accents(client, personas):
    org = services.organization_create(actor=None, name="José Ñúñez Community", visibility=Visibility.MEMBERS)
    login_as(client, personas, "member_a")
    assert list(client.get(LIST, {"q": "jose nunez"}).context["organizations"]) == [org]
    assert list(client.get(LIST, {"q": "Ñúñez"}).context["organizations"]) == [org]


def test_the_table_filter_offers_only_tables_the_user_can_see(client, personas):
    TableFactory(name="Secret Staff Table", slug="secret", visibility=Visibility.STAFF)
    login_as(client, personas, "member_b")
    response = client.get(LIST)
    assert "Secret Staff Table" not in response.content.decode()
    assert client.get(LIST, {"table": "secret"}).status_code == 400


def test_an_unknown_filter_value_answers_400_with_the_error_shown(client, personas):
    login_as(client, personas, "member_a")
    response = client.get(LIST, {"kind": "spaceship"})
    assert response.status_code == 400
    assert "Some filters could not be used" in response.content.decode()


def test_a_nul_byte_in_the_search_is_refused(client, personas):
    login_as(client, personas, "member_a")
    response = client.get(LIST, {"q": "Org\x00A"})
    assert response.status_code == 400


def test_an_htmx_request_gets_only_the_results_fragment(client, personas):
    login_as(client, personas, "member_a")
    response = client.get(LIST, {"q": "Org"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "Org A" in body
    assert "HX-Request" in response["Vary"]
    full = client.get(
        LIST, {"q": "Org"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in full.content.decode()


def test_the_list_has_50_a_page(client, personas):
    for n in range(55):
        OrganizationFactory(name=f"Zeta {n:02d}")
    login_as(client, personas, "staff")
    first = client.get(LIST, {"q": "Zeta"})
    assert len(first.context["organizations"]) == 50
    second = client.get(LIST, {"q": "Zeta", "page": 2})
    assert len(second.context["organizations"]) == 5
    assert "q=Zeta&amp;page=2" in first.content.decode()


def test_the_csv_download_holds_exactly_the_filtered_rows_the_user_can_see(client, personas):
    OrganizationFactory(name="Hidden Staff Org", visibility=Visibility.STAFF, kind="faith")
    OrganizationFactory(name="Faith Members Org", kind="faith")
    OrganizationFactory(name='=HYPERLINK("evil")', kind="faith")
    login_as(client, personas, "member_b")
    response = client.get(LIST, {"kind": "faith", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    names = [row[0] for row in rows[1:]]
    assert sorted(names) == sorted(["Faith Members Org", '\'=HYPERLINK("evil")'])
    assert rows[0][0] == "Name"


def test_the_xlsx_download_holds_the_same_rows(client, personas):
    OrganizationFactory(name="Faith Members Org", kind="faith")
    login_as(client, personas, "member_a")
    response = client.get(LIST, {"kind": "faith", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert values == ["Name", "Faith Members Org"]


def test_anonymous_downloads_only_public_organizations(client, personas):
    OrganizationFactory(name="Open Door Collective", visibility=Visibility.PUBLIC)
    names = [row[0] for row in csv_rows(client.get(LIST, {"format": "csv"}))[1:]]
    assert names == ["Open Door Collective"]


def test_list_queries_do_not_grow_with_rows(client, personas, django_assert_num_queries):
    housing = IssueTopic.objects.create(slug="housing", name="Housing")
    for n in range(6):
        org = OrganizationFactory(name=f"Row {n}")
        org.issues.add(housing)
        AffiliationFactory(organization=org)
    login_as(client, personas, "member_a")
    client.get(LIST)  # warm the content-type cache
    # session, user, viewer (person, affiliations, tables), paginator count, the page of
    # organisations with people counts, their issues, then the filter's choices: issues, places,
    # tables the user can see.
    page_cache.pages_changed()  # a cold page: built, not served from the page cache
    with django_assert_num_queries(11):
        response = client.get(LIST)
    assert len(response.context["organizations"]) >= 6


# Detail -------------------------------------------------------------------------------------------


def test_organization_detail_permission_matrix(client, personas):
    assert_permission_matrix(
        client, personas, "get", detail(personas.org_a), {"anonymous": 404, "public_user": 404}, default=200
    )


def test_public_organizations_are_visible_to_anonymous_visitors(client, personas):
    org = OrganizationFactory(name="Open Door Collective", visibility=Visibility.PUBLIC)
    assert client.get(detail(org)).status_code == 200


def test_an_outsider_gets_404_for_a_staff_only_organization(client, personas):
    org = OrganizationFactory(visibility=Visibility.STAFF)
    assert_permission_matrix(client, personas, "get", detail(org), {"staff": 200, "admin": 200}, default=404)


def test_contact_details_show_only_where_the_organization_shares_them(client, personas):
    colleague = PersonFactory(full_name="Colleague A", email="colleague@org-a.example")
    AffiliationFactory(person=colleague, organization=personas.org_a)
    login_as(client, personas, "member_b")
    assert "colleague@org-a.example" not in client.get(detail(personas.org_a)).content.decode()
    assert "Colleague A" in client.get(detail(personas.org_a)).content.decode()
    services.organization_update(organization=personas.org_a, actor=None, shares_contacts=True)
    assert "colleague@org-a.example" in client.get(detail(personas.org_a)).content.decode()
    login_as(client, personas, "member_a")
    services.organization_update(organization=personas.org_a, actor=None, shares_contacts=False)
    assert "colleague@org-a.example" in client.get(detail(personas.org_a)).content.decode()


def test_detail_shows_status_history_values_and_overdue_renewal(client, personas):
    org = services.organization_create(actor=None, name="Riverside Alliance")
    services.organization_status_change(
        organization=org, actor=None, status=MembershipStatus.MEMBER, note="Welcomed at the assembly"
    )
    services.organization_values_affirm(
        organization=org,
        actor=None,
        version="2023",
        on=timezone.localdate().replace(year=timezone.localdate().year - 2),
    )
    login_as(client, personas, "member_a")
    body = client.get(detail(org)).content.decode()
    assert "Welcomed at the assembly" in body
    assert "version 2023" in body
    assert "Overdue" in body


def test_detail_lists_only_tables_the_user_can_see(client, personas):
    hidden = TableFactory(name="Secret Staff Table", visibility=Visibility.STAFF)
    TableParticipationFactory(table=hidden, organization=personas.org_a)
    TableParticipationFactory(table=personas.table, organization=personas.org_a)
    login_as(client, personas, "member_b")
    body = client.get(detail(personas.org_a)).content.decode()
    assert "Corridor Table" in body
    assert "Secret Staff Table" not in body
    login_as(client, personas, "staff")
    assert "Secret Staff Table" in client.get(detail(personas.org_a)).content.decode()


def test_only_staff_see_the_activity_section(client, personas):
    services.organization_update(organization=personas.org_a, actor=personas.user("staff"), description="New")
    login_as(client, personas, "member_a")
    assert "directory.organization.updated" not in client.get(detail(personas.org_a)).content.decode()
    login_as(client, personas, "staff")
    body = client.get(detail(personas.org_a)).content.decode()
    assert "directory.organization.updated" in body
    assert "Earlier versions" in body


def test_detail_queries_do_not_grow_with_people(client, personas, django_assert_num_queries):
    for n in range(6):
        AffiliationFactory(person=PersonFactory(full_name=f"Member {n}"), organization=personas.org_a)
    login_as(client, personas, "staff")
    client.get(detail(personas.org_a))  # warm the content-type cache
    # session, user, viewer (person), the organisation, it again with its status changes, issues,
    # places and table participations (5), its people and their current organisations (2), its
    # activity, its history.
    page_cache.pages_changed()  # a cold page: built, not served from the page cache
    with django_assert_num_queries(13):
        response = client.get(detail(personas.org_a))
    assert len(response.context["roster"]) >= 6


# Create -------------------------------------------------------------------------------------------

CREATE = reverse("directory:organization_create")


def test_organization_create_permission_matrix(client, personas):
    assert_permission_matrix(
        client, personas, "get", CREATE, {"anonymous": 302, "staff": 200, "admin": 200}, default=403
    )


@pytest.mark.parametrize("name", NAMES)
def test_staff_create_an_organization_whose_name_round_trips_in_any_script(client, personas, name):
    login_as(client, personas, "staff")
    response = client.post(
        CREATE,
        {
            "name": name,
            "kind": "nonprofit",
            "visibility": "members",
            "membership_status": "applicant",
            "languages_served": "Somali, Hmong",
        },
    )
    assert response.status_code == 302
    org = Organization.objects.get(name=name)
    assert org.languages_served == ["Somali", "Hmong"]
    assert org.slug and org.slug != "new"
    assert activity_for(org).filter(action="directory.organization.created").exists()
    assert name in client.get(response["Location"]).content.decode()


def test_creating_an_organization_refuses_nul_bytes_and_overlong_names(client, personas):
    login_as(client, personas, "staff")
    response = client.post(
        CREATE,
        {
            "name": "Bad\x00Name",
            "kind": "nonprofit",
            "visibility": "members",
            "membership_status": "applicant",
        },
    )
    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    response = client.post(
        CREATE,
        {"name": "x" * 201, "kind": "nonprofit", "visibility": "members", "membership_status": "applicant"},
    )
    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    assert not Organization.objects.filter(name__startswith="Bad").exists()


def test_table_visibility_needs_a_table(client, personas):
    login_as(client, personas, "staff")
    response = client.post(
        CREATE,
        {
            "name": "Corridor Only",
            "kind": "nonprofit",
            "visibility": "table",
            "membership_status": "applicant",
        },
    )
    assert response.status_code == 400
    assert "visibility_table" in response.context["form"].errors


def test_a_taken_or_reserved_short_name_is_refused(client, personas):
    login_as(client, personas, "staff")
    for slug in ("org-a", "new"):
        response = client.post(
            CREATE,
            {
                "name": "Another",
                "slug": slug,
                "kind": "nonprofit",
                "visibility": "members",
                "membership_status": "applicant",
            },
        )
        assert response.status_code == 400
        assert "slug" in response.context["form"].errors


# Edit ---------------------------------------------------------------------------------------------


def edit(org):
    return reverse("directory:organization_edit", args=[org.slug])


def test_organization_edit_permission_matrix(client, personas):
    assert_permission_matrix(
        client,
        personas,
        "get",
        edit(personas.org_a),
        {
            "anonymous": 302,
            "public_user": 404,
            "member_a": 200,
            "member_b": 403,
            "table_member": 403,
            "board": 403,
            "staff": 200,
            "admin": 200,
        },
    )


def test_an_outsider_gets_404_editing_a_staff_only_organization(client, personas):
    org = OrganizationFactory(visibility=Visibility.STAFF)
    login_as(client, personas, "member_b")
    assert client.get(edit(org)).status_code == 404
    assert client.post(edit(org), {"name": "Taken over"}).status_code == 404


def test_a_representative_edits_the_profile_and_sharing_consent_but_not_status_or_visibility(
    client, personas
):
    login_as(client, personas, "member_a")
    response = client.post(
        edit(personas.org_a),
        {
            "name": "Org A Renamed",
            "kind": "cultural",
            "description": "We dance.",
            "languages_served": "Hmong",
            "shares_contacts": "on",
            "membership_status": "withdrawn",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    org = Organization.objects.get(pk=personas.org_a.pk)
    assert (org.name, org.kind, org.shares_contacts) == ("Org A Renamed", "cultural", True)
    assert org.membership_status == MembershipStatus.MEMBER
    assert org.visibility == Visibility.MEMBERS
    entry = activity_for(org).get(action="directory.organization.updated")
    assert entry.actor == personas.user("member_a")
    assert entry.data["name"] == ["Org A", "Org A Renamed"]


def test_the_representative_form_has_no_status_or_visibility_field(client, personas):
    login_as(client, personas, "member_a")
    fields = client.get(edit(personas.org_a)).context["form"].fields
    assert "visibility" not in fields
    assert "membership_status" not in fields
    login_as(client, personas, "staff")
    assert "visibility" in client.get(edit(personas.org_a)).context["form"].fields


def test_a_member_b_post_to_org_a_changes_nothing(client, personas):
    login_as(client, personas, "member_b")
    assert client.post(edit(personas.org_a), {"name": "Hijacked", "kind": "other"}).status_code == 403
    assert Organization.objects.get(pk=personas.org_a.pk).name == "Org A"


def test_an_invalid_edit_shows_field_errors(client, personas):
    login_as(client, personas, "member_a")
    response = client.post(edit(personas.org_a), {"name": "", "kind": "nonprofit", "website": "not a url"})
    assert response.status_code == 400
    assert {"name", "website"} <= set(response.context["form"].errors)


# Membership status and values -----------------------------------------------------------------------


def status_url(org):
    return reverse("directory:organization_status_change", args=[org.slug])


def test_status_change_permission_matrix(client, personas):
    assert_permission_matrix(
        client,
        personas,
        "get",
        status_url(personas.org_a),
        {
            "anonymous": 302,
            "public_user": 404,
            "staff": 200,
            "admin": 200,
        },
        default=403,
    )


def test_staff_move_an_organization_to_a_new_status_with_history(client, personas):
    login_as(client, personas, "staff")
    response = client.post(
        status_url(personas.org_a),
        {"status": "lapsed", "effective_on": "2025-03-01", "note": "Did not renew"},
    )
    assert response.status_code == 302
    org = Organization.objects.get(pk=personas.org_a.pk)
    assert org.membership_status == MembershipStatus.LAPSED
    change = org.status_changes.first()
    assert (change.status, change.effective_on.isoformat(), change.note) == (
        "lapsed",
        "2025-03-01",
        "Did not renew",
    )


def test_an_invalid_transition_is_shown_as_a_form_error(client, personas):
    login_as(client, personas, "staff")
    response = client.post(status_url(personas.org_a), {"status": "applicant"})
    assert response.status_code == 400
    assert "cannot go from" in str(response.context["form"].errors["status"])
    assert Organization.objects.get(pk=personas.org_a.pk).membership_status == MembershipStatus.MEMBER


def values_url(org):
    return reverse("directory:organization_values_affirm", args=[org.slug])


def test_values_affirm_permission_matrix(client, personas):
    assert_permission_matrix(
        client,
        personas,
        "get",
        values_url(personas.org_a),
        {
            "anonymous": 302,
            "public_user": 404,
            "staff": 200,
            "admin": 200,
        },
        default=403,
    )


def test_staff_record_values_affirmed_and_renewal_falls_due(client, personas):
    login_as(client, personas, "staff")
    response = client.post(
        values_url(personas.org_a), {"version": "2025", "on": "2025-05-01", "renewal_years": "2"}
    )
    assert response.status_code == 302
    org = Organization.objects.get(pk=personas.org_a.pk)
    assert (org.values_version, org.values_affirmed_on.isoformat(), org.renewal_due_on.isoformat()) == (
        "2025",
        "2025-05-01",
        "2027-05-01",
    )
    assert activity_for(org).filter(action="directory.organization.values-affirmed").exists()


def test_values_affirm_refuses_non_ascii_digits_and_missing_version(client, personas):
    login_as(client, personas, "staff")
    response = client.post(values_url(personas.org_a), {"version": "", "renewal_years": "٢"})
    assert response.status_code == 400
    assert {"version", "renewal_years"} <= set(response.context["form"].errors)


def test_a_large_organization_lists_its_first_people_and_links_to_the_rest(client, personas, monkeypatch):
    from commontable.directory import views
    from commontable.directory.tests.factories import AffiliationFactory

    monkeypatch.setattr(views, "ROSTER_LIMIT", 3)
    for _ in range(4):
        AffiliationFactory(organization=personas.org_a)
    login_as(client, personas, "member_b")
    response = client.get(reverse("directory:organization_detail", args=["org-a"]))
    assert len(response.context["roster"]) == 3
    assert "/directory/people/?organization=org-a" in response.content.decode()


def test_filter_menus_keep_the_chosen_option(client, personas):
    login_as(client, personas, "member_a")
    body = client.get(reverse("directory:organization_list"), {"kind": "faith"}).content.decode()
    assert '<option value="faith" selected>' in body
    assert '<option value="nonprofit">' in body
