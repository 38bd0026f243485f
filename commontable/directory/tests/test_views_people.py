"""People pages: list (filters, masked contacts, exports), detail, create, edit, access needs,
consent, affiliations."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from commontable.core.audit import activity_for
from commontable.core.testing import assert_permission_matrix, login_as
from commontable.core.visibility import Visibility
from commontable.directory import page_cache, services
from commontable.directory.choices import ConsentPurpose
from commontable.directory.models import AccessNeeds, Affiliation, ConsentRecord, Person
from commontable.directory.tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory

NAMES = ["Nuur Xuseen Cabdirashiid", "Vaaj Xyooj", "José Ñúñez", "张伟", "محمد"]
LIST = reverse("directory:person_list")
CREATE = reverse("directory:person_create")


def url(name, person, *args):
    return reverse(f"directory:{name}", args=[person.public_id, *args])


@pytest.fixture
def colleague(personas):
    """A person of org A who has no sign-in account, with contact details."""
    person = PersonFactory(
        full_name="Hli Lor", email="hli@org-a.example", phone="612-555-0101", pronouns="she/her"
    )
    AffiliationFactory(person=person, organization=personas.org_a, role="Organizer")
    return person


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# List ---------------------------------------------------------------------------------------------


def test_person_list_permission_matrix(client, personas):
    assert_permission_matrix(
        client, personas, "get", LIST, {"anonymous": 302, "public_user": 403}, default=200
    )


def test_contact_columns_show_only_where_allowed(client, personas, colleague):
    login_as(client, personas, "member_b")
    body = client.get(LIST).content.decode()
    assert "Hli Lor" in body
    assert "hli@org-a.example" not in body
    assert "Not shared" in body
    login_as(client, personas, "member_a")
    assert "hli@org-a.example" in client.get(LIST).content.decode()


def test_the_search_finds_names_aliases_and_email_without_accents(client, personas):
    jose = services.person_create(
        actor=None,
        full_name="José Ñúñez",
        aliases="Pepe",
        email="jn@example.org",
        organization=personas.org_a,
    )
    login_as(client, personas, "member_b")
    for query in ("jose nunez", "Ñúñez", "Pepe"):
        assert [row.person for row in client.get(LIST, {"q": query}).context["rows"]] == [jose], query
    login_as(client, personas, "member_a")
    assert [row.person for row in client.get(LIST, {"q": "jn@example"}).context["rows"]] == [jose]


def test_searching_by_email_does_not_confirm_an_address_the_page_hides(client, personas, colleague):
    login_as(client, personas, "member_b")
    assert list(client.get(LIST, {"q": "hli@org-a.example"}).context["rows"]) == []
    assert [row.person for row in client.get(LIST, {"q": "Hli"}).context["rows"]] == [colleague]
    login_as(client, personas, "member_a")
    assert [row.person for row in client.get(LIST, {"q": "hli@org-a"}).context["rows"]] == [colleague]


def test_filter_by_organization_and_language(client, personas, colleague):
    services.person_update(person=colleague, actor=None, preferred_language="hmn")
    login_as(client, personas, "member_b")
    by_org = [row.person for row in client.get(LIST, {"organization": "org-a"}).context["rows"]]
    assert set(by_org) == {personas.person_a, colleague}
    by_language = [row.person for row in client.get(LIST, {"language": "hmn"}).context["rows"]]
    assert by_language == [colleague]
    assert client.get(LIST, {"language": "xx"}).status_code == 400


def test_the_organization_filter_offers_only_visible_organizations(client, personas):
    OrganizationFactory(name="Quiet Staff Org", slug="quiet", visibility=Visibility.STAFF)
    login_as(client, personas, "member_b")
    assert "Quiet Staff Org" not in client.get(LIST).content.decode()
    assert client.get(LIST, {"organization": "quiet"}).status_code == 400


def test_the_csv_export_masks_contacts_like_the_page(client, personas, colleague):
    login_as(client, personas, "member_b")
    rows = csv_rows(client.get(LIST, {"organization": "org-a", "format": "csv"}))
    assert rows[0] == ["Name", "Pronouns", "Organizations", "Preferred language", "Email", "Phone", "Mobile"]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Ayaan Cabdi", "Hli Lor"}
    assert by_name["Hli Lor"][4:] == ["", "", ""]
    services.organization_update(organization=personas.org_a, actor=None, shares_contacts=True)
    rows = csv_rows(client.get(LIST, {"organization": "org-a", "format": "csv"}))
    assert {row[0]: row for row in rows[1:]}["Hli Lor"][4] == "hli@org-a.example"


def test_the_xlsx_export_masks_contacts_too(client, personas, colleague):
    login_as(client, personas, "member_b")
    response = client.get(LIST, {"q": "Hli", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "Hli Lor"
    assert rows[1][4] in (None, "")


def test_the_list_serves_its_fragment_to_htmx(client, personas):
    login_as(client, personas, "member_a")
    response = client.get(LIST, headers={"HX-Request": "true"})
    assert "<html" not in response.content.decode()
    assert "Ayaan Cabdi" in response.content.decode()


def test_list_queries_do_not_grow_with_rows(client, personas, django_assert_num_queries):
    for n in range(6):
        AffiliationFactory(person=PersonFactory(full_name=f"Row {n}"), organization=personas.org_b)
    login_as(client, personas, "member_a")
    client.get(LIST)
    # session, user, viewer (person, affiliations, tables), the filter's language choices,
    # how many organisations the filter would list (a menu or a text field), paginator count, the
    # page of people, their current affiliations with organisations, the filter's organisation
    # choices.
    page_cache.pages_changed()  # a cold page: built, not served from the page cache
    with django_assert_num_queries(11):
        response = client.get(LIST)
    assert len(response.context["rows"]) >= 6


# Detail -------------------------------------------------------------------------------------------


def test_person_detail_permission_matrix(client, personas):
    assert_permission_matrix(
        client,
        personas,
        "get",
        url("person_detail", personas.person_a),
        {"anonymous": 302, "public_user": 404},
        default=200,
    )


def test_an_outsider_gets_404_for_a_staff_only_person_of_another_organization(client, personas):
    hidden = PersonFactory(visibility=Visibility.STAFF)
    AffiliationFactory(person=hidden, organization=personas.org_a)
    assert_permission_matrix(
        client,
        personas,
        "get",
        url("person_detail", hidden),
        {
            "anonymous": 302,
            "member_a": 200,
            "staff": 200,
            "admin": 200,
        },
        default=404,
    )


def test_a_signed_in_non_member_sees_their_own_record(client, personas):
    own = PersonFactory(
        full_name="Public Self", user=personas.user("public_user"), visibility=Visibility.STAFF
    )
    login_as(client, personas, "public_user")
    assert client.get(url("person_detail", own)).status_code == 200
    public_person = PersonFactory(visibility=Visibility.PUBLIC)
    assert client.get(url("person_detail", public_person)).status_code == 403


def test_detail_shows_affiliations_pronouns_language_and_masks_contacts(client, personas, colleague):
    services.person_update(person=colleague, actor=None, preferred_language="hmn")
    login_as(client, personas, "member_b")
    body = client.get(url("person_detail", colleague)).content.decode()
    assert "Organizer" in body and "Org A" in body and "she/her" in body and "Hmoob" in body
    assert "hli@org-a.example" not in body
    assert "612-555-0101" not in body
    login_as(client, personas, "member_a")
    body = client.get(url("person_detail", colleague)).content.decode()
    assert "hli@org-a.example" in body


def test_access_needs_show_only_to_staff_and_the_person(client, personas, colleague):
    services.access_needs_set(
        actor=None,
        person=personas.person_a,
        interpretation_language="Somali",
        accommodations="Step-free entrance",
    )
    expected = {
        "member_a": True,
        "staff": True,
        "admin": True,
        "member_b": False,
        "table_member": False,
        "board": False,
    }
    for persona, sees in expected.items():
        login_as(client, personas, persona)
        body = client.get(url("person_detail", personas.person_a)).content.decode()
        assert ("Step-free entrance" in body) is sees, persona


def test_consent_per_purpose_with_buttons_for_those_who_may_edit(client, personas):
    services.consent_give(
        actor=None, person=personas.person_a, purpose=ConsentPurpose.CONTACT_EMAIL, text_version="v7"
    )
    login_as(client, personas, "member_a")
    body = client.get(url("person_detail", personas.person_a)).content.decode()
    assert "text version v7" in body
    assert "Withdraw" in body and "Record consent" in body
    login_as(client, personas, "table_member")
    body = client.get(url("person_detail", personas.person_a)).content.decode()
    assert "Record consent" not in body


def test_a_merged_record_redirects_permanently_to_the_kept_one(client, personas, colleague):
    duplicate = PersonFactory(full_name="Hli  Lor")
    AffiliationFactory(person=duplicate, organization=personas.org_a)
    services.person_merge(actor=None, keep=colleague, duplicate=duplicate)
    login_as(client, personas, "member_a")
    response = client.get(url("person_detail", duplicate))
    assert response.status_code == 301
    assert response["Location"] == url("person_detail", colleague)


def test_detail_queries_do_not_grow_with_affiliations_or_consents(
    client, personas, django_assert_num_queries
):
    person = PersonFactory(user=None)
    for n in range(6):
        AffiliationFactory(person=person, organization=OrganizationFactory(name=f"Org {n}"))
        services.consent_give(actor=None, person=person, purpose=ConsentPurpose.values[n], text_version="1")
    login_as(client, personas, "staff")
    client.get(url("person_detail", person))
    # session, user, viewer (person), the person (visible, tombstones too), it again with its
    # affiliations and organisations, and its consents (3), its access needs, its activity, its
    # history; whether the person is a coalition leader (seats, through core.hooks, per request).
    page_cache.pages_changed()  # a cold page: built, not served from the page cache
    with django_assert_num_queries(11):
        response = client.get(url("person_detail", person))
    assert len(response.context["affiliations"]) == 6


# Create -------------------------------------------------------------------------------------------


def test_person_create_permission_matrix(client, personas):
    assert_permission_matrix(
        client,
        personas,
        "get",
        CREATE,
        {
            "anonymous": 302,
            "member_a": 200,
            "member_b": 200,
            "staff": 200,
            "admin": 200,
        },
        default=403,
    )


@pytest.mark.parametrize("name", NAMES)
def test_names_in_any_script_round_trip_exactly(client, personas, name):
    login_as(client, personas, "staff")
    response = client.post(
        CREATE, {"full_name": name, "visibility": "members", "email": "Someone@Example.org"}
    )
    assert response.status_code == 302
    person = Person.objects.get(full_name=name)
    assert person.email == "someone@example.org"
    page = client.get(response["Location"]).content.decode()
    assert name in page
    assert activity_for(person).filter(action="directory.person.created").exists()


def test_a_representative_adds_a_person_to_their_own_organization(client, personas):
    login_as(client, personas, "member_a")
    response = client.post(CREATE, {"full_name": "Vaaj Xyooj", "organization": "org-a", "role": "Youth lead"})
    assert response.status_code == 302
    person = Person.objects.get(full_name="Vaaj Xyooj")
    affiliation = person.affiliations.get()
    assert (affiliation.organization, affiliation.role) == (personas.org_a, "Youth lead")
    assert person.visibility == Visibility.MEMBERS


def test_a_representative_cannot_add_a_person_to_another_organization(client, personas):
    login_as(client, personas, "member_a")
    response = client.post(CREATE, {"full_name": "Smuggled", "organization": "org-b"})
    assert response.status_code == 400
    assert "organization" in response.context["affiliation_form"].errors
    response = client.post(CREATE, {"full_name": "Orphan"})
    assert response.status_code == 400
    assert not Person.objects.filter(full_name__in=["Smuggled", "Orphan"]).exists()


def test_creating_a_person_refuses_nul_bytes_long_names_and_bad_emails(client, personas):
    login_as(client, personas, "staff")
    response = client.post(CREATE, {"full_name": "Nul\x00Name", "visibility": "members"})
    assert response.status_code == 400
    assert "full_name" in response.context["form"].errors
    response = client.post(CREATE, {"full_name": "x" * 201, "visibility": "members", "email": "no"})
    assert {"full_name", "email"} <= set(response.context["form"].errors)
    assert not Person.objects.filter(full_name__startswith="Nul").exists()


# Edit ---------------------------------------------------------------------------------------------


def test_person_edit_permission_matrix(client, personas):
    assert_permission_matrix(
        client,
        personas,
        "get",
        url("person_edit", personas.person_a),
        {
            "anonymous": 302,
            "public_user": 404,
            "member_a": 200,
            "staff": 200,
            "admin": 200,
        },
        default=403,
    )


def test_a_representative_edits_their_colleague_and_the_change_is_audited(client, personas, colleague):
    login_as(client, personas, "member_a")
    response = client.post(
        url("person_edit", colleague),
        {
            "full_name": "Nuur Xuseen Cabdirashiid",
            "pronouns": "he/him",
            "email": "nuur@org-a.example",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert (colleague.full_name, colleague.pronouns) == ("Nuur Xuseen Cabdirashiid", "he/him")
    assert colleague.visibility == Visibility.MEMBERS
    entry = activity_for(colleague).get(action="directory.person.updated")
    assert entry.data["full_name"] == ["Hli Lor", "Nuur Xuseen Cabdirashiid"]


def test_an_outsider_cannot_edit_and_nothing_changes(client, personas, colleague):
    login_as(client, personas, "member_b")
    assert client.post(url("person_edit", colleague), {"full_name": "Changed"}).status_code == 403
    colleague.refresh_from_db()
    assert colleague.full_name == "Hli Lor"


def test_an_invalid_edit_shows_field_errors(client, personas):
    login_as(client, personas, "member_a")
    response = client.post(url("person_edit", personas.person_a), {"full_name": "", "email": "not-an-email"})
    assert response.status_code == 400
    assert {"full_name", "email"} <= set(response.context["form"].errors)


# Access needs ---------------------------------------------------------------------------------------


def test_access_needs_edit_permission_matrix(client, personas):
    assert_permission_matrix(
        client,
        personas,
        "get",
        url("access_needs_edit", personas.person_a),
        {
            "anonymous": 302,
            "public_user": 404,
            "member_a": 200,
            "staff": 200,
            "admin": 200,
        },
        default=403,
    )


def test_a_person_records_their_own_access_needs(client, personas):
    login_as(client, personas, "member_a")
    response = client.post(
        url("access_needs_edit", personas.person_a),
        {"interpretation_language": "Soomaali", "accommodations": "Large print"},
    )
    assert response.status_code == 302
    needs = AccessNeeds.objects.get(person=personas.person_a)
    assert (needs.interpretation_language, needs.accommodations) == ("Soomaali", "Large print")


def test_access_needs_refuse_overlong_values(client, personas):
    login_as(client, personas, "member_a")
    response = client.post(url("access_needs_edit", personas.person_a), {"interpretation_language": "x" * 41})
    assert response.status_code == 400
    assert not AccessNeeds.objects.filter(person=personas.person_a).exists()


# Consent ------------------------------------------------------------------------------------------


def test_consent_give_permission_matrix(client, personas):
    assert_permission_matrix(
        client,
        personas,
        "get",
        url("consent_give", personas.person_a),
        {
            "anonymous": 302,
            "public_user": 404,
            "member_a": 200,
            "staff": 200,
            "admin": 200,
        },
        default=403,
    )


def test_consent_withdraw_permission_matrix(client, personas):
    assert_permission_matrix(
        client,
        personas,
        "post",
        url("consent_withdraw", personas.person_a),
        {
            "anonymous": 302,
            "public_user": 404,
            "member_a": 302,
            "staff": 302,
            "admin": 302,
        },
        default=403,
        data={"purpose": "contact_sms"},
    )


def test_a_person_gives_and_withdraws_consent_per_channel(client, personas):
    login_as(client, personas, "member_a")
    response = client.post(
        url("consent_give", personas.person_a),
        {"purpose": "contact_sms", "source": "web", "text_version": "2025-1"},
    )
    assert response.status_code == 302
    record = ConsentRecord.objects.get(person=personas.person_a, purpose="contact_sms")
    assert record.is_active() and record.text_version == "2025-1"
    response = client.post(url("consent_withdraw", personas.person_a), {"purpose": "contact_sms"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.withdrawn_at is not None
    assert "Withdrawn on" in client.get(url("person_detail", personas.person_a)).content.decode()
    actions = set(activity_for(personas.person_a).values_list("action", flat=True))
    assert {"directory.consent.given", "directory.consent.withdrawn"} <= actions


def test_an_unknown_purpose_or_long_version_is_refused(client, personas):
    login_as(client, personas, "member_a")
    response = client.post(
        url("consent_give", personas.person_a),
        {"purpose": "telepathy", "source": "web", "text_version": "x" * 41},
    )
    assert response.status_code == 400
    assert {"purpose", "text_version"} <= set(response.context["form"].errors)
    assert (
        client.post(url("consent_withdraw", personas.person_a), {"purpose": "telepathy"}).status_code == 400
    )
    assert not ConsentRecord.objects.filter(person=personas.person_a).exists()


# Affiliations -------------------------------------------------------------------------------------


def test_affiliation_add_permission_matrix(client, personas, colleague):
    assert_permission_matrix(
        client,
        personas,
        "get",
        url("affiliation_add", colleague),
        {
            "anonymous": 302,
            "public_user": 404,
            "member_a": 200,
            "staff": 200,
            "admin": 200,
        },
        default=403,
    )


def test_a_representative_cannot_claim_another_organizations_person(client, personas):
    login_as(client, personas, "member_a")
    response = client.post(url("affiliation_add", personas.person_b), {"organization": "org-a"})
    assert response.status_code == 403
    assert not Affiliation.objects.filter(person=personas.person_b, organization=personas.org_a).exists()


def test_staff_add_a_person_to_an_organization(client, personas):
    login_as(client, personas, "staff")
    response = client.post(
        url("affiliation_add", personas.person_b),
        {"organization": "org-a", "role": "Advisor", "start_on": "2025-01-15"},
    )
    assert response.status_code == 302
    affiliation = Affiliation.objects.get(person=personas.person_b, organization=personas.org_a)
    assert (affiliation.role, affiliation.start_on.isoformat()) == ("Advisor", "2025-01-15")


def test_adding_an_existing_affiliation_again_is_a_form_error(client, personas):
    login_as(client, personas, "staff")
    response = client.post(url("affiliation_add", personas.person_a), {"organization": "org-a"})
    assert response.status_code == 400
    assert "already belongs" in str(response.context["form"].errors["organization"])


def test_affiliation_end_permission_matrix(client, personas, colleague):
    assert_permission_matrix(
        client,
        personas,
        "get",
        url("affiliation_end", colleague, "org-a"),
        {
            "anonymous": 302,
            "public_user": 404,
            "member_a": 200,
            "staff": 200,
            "admin": 200,
        },
        default=403,
    )


def test_a_representative_ends_a_colleagues_membership(client, personas, colleague):
    login_as(client, personas, "member_a")
    response = client.post(url("affiliation_end", colleague, "org-a"), {})
    assert response.status_code == 302
    assert Affiliation.objects.get(person=colleague).end_on is not None
    assert activity_for(colleague).filter(action="directory.affiliation.ended").exists()
    assert client.get(url("affiliation_end", colleague, "org-a")).status_code == 404


def test_an_end_date_before_the_start_is_a_form_error(client, personas, colleague):
    login_as(client, personas, "staff")
    response = client.post(url("affiliation_end", colleague, "org-a"), {"end_on": "1999-01-01"})
    assert response.status_code == 400
    assert "end_on" in response.context["form"].errors
    assert Affiliation.objects.get(person=colleague).end_on is None


def test_with_hundreds_of_organizations_the_filter_is_a_text_field(client, personas, settings):
    from commontable.directory import filters

    login_as(client, personas, "staff")
    assert '<select name="organization"' in client.get(LIST).content.decode()
    original = filters.SELECT_LIMIT
    filters.SELECT_LIMIT = 2
    try:
        body = client.get(LIST, {"organization": "org-a"}).content.decode()
        assert '<select name="organization"' not in body
        assert 'name="organization" value="org-a"' in body
        assert client.get(LIST, {"organization": "no-such-org"}).status_code == 400
    finally:
        filters.SELECT_LIMIT = original
