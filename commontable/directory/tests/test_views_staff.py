"""Staff pages: possible duplicates, merging two records, a person's audit trail, and the staff
navigation."""

from urllib.parse import urlencode

from django.urls import reverse

from commontable.core.audit import activity_for
from commontable.core.testing import assert_permission_matrix, login_as
from commontable.directory import services
from commontable.directory.models import Affiliation, Person
from commontable.directory.tests.factories import PersonFactory

DUPLICATES = reverse("directory:person_duplicate_list")
MERGE = reverse("directory:person_merge")


def merge_url(a, b):
    return f"{MERGE}?{urlencode({'a': a.public_id, 'b': b.public_id})}"


def twins(personas):
    first = services.person_create(
        actor=None,
        full_name="Nuur Xuseen Cabdirashiid",
        email="nuur@example.org",
        organization=personas.org_a,
        role="Organizer",
    )
    second = services.person_create(
        actor=None,
        full_name="Nuur Xuseen Cabdirashid",
        email="NUUR@example.org",
        phone="612-555-0199",
        organization=personas.org_b,
    )
    return first, second


# Duplicates ---------------------------------------------------------------------------------------


def test_duplicates_permission_matrix(client, personas):
    assert_permission_matrix(
        client, personas, "get", DUPLICATES, {"anonymous": 302, "staff": 200, "admin": 200}, default=403
    )


def test_duplicates_list_groups_with_their_reason_and_a_compare_link(client, personas):
    first, second = twins(personas)
    login_as(client, personas, "staff")
    response = client.get(DUPLICATES)
    body = response.content.decode()
    assert "Same email" in body
    assert merge_url(first, second).replace("&", "&amp;") in body
    reasons = {group.reason for group in response.context["groups"]}
    assert "email" in reasons


def test_duplicates_page_links_the_activity_log(client, personas):
    login_as(client, personas, "staff")
    assert reverse("core:activity_list") in client.get(DUPLICATES).content.decode()


def test_duplicates_queries_do_not_grow_with_groups(client, personas, django_assert_num_queries):
    for n in range(6):
        PersonFactory(full_name=f"Twin {n}", email=f"twin{n}@example.org")
        PersonFactory(full_name=f"Other {n}", email=f"twin{n}@example.org")
    login_as(client, personas, "staff")
    # session, user, viewer (person), email duplicates, their people, phone duplicates (none, so
    # no second query), folded names, the people of every group at once.
    with django_assert_num_queries(8):
        response = client.get(DUPLICATES)
    assert len(response.context["groups"]) >= 6


def test_the_staff_navigation_entry_shows_only_to_staff(client, personas):
    login_as(client, personas, "board")
    assert DUPLICATES not in client.get(reverse("directory:organization_list")).content.decode()
    login_as(client, personas, "staff")
    assert DUPLICATES in client.get(reverse("directory:organization_list")).content.decode()


# Merge --------------------------------------------------------------------------------------------


def test_merge_permission_matrix(client, personas):
    first, second = twins(personas)
    assert_permission_matrix(
        client,
        personas,
        "get",
        merge_url(first, second),
        {"anonymous": 302, "staff": 200, "admin": 200},
        default=403,
    )


def test_the_merge_page_shows_both_records_side_by_side(client, personas):
    first, second = twins(personas)
    login_as(client, personas, "staff")
    body = client.get(merge_url(first, second)).content.decode()
    assert "Nuur Xuseen Cabdirashiid" in body and "Nuur Xuseen Cabdirashid" in body
    assert "612-555-0199" in body and "Org A" in body and "Org B" in body


def test_staff_merge_two_records_and_the_duplicate_points_to_the_kept_one(client, personas):
    first, second = twins(personas)
    login_as(client, personas, "staff")
    response = client.post(merge_url(first, second), {"keep": str(first.public_id)})
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:person_detail", args=[first.public_id])
    second.refresh_from_db()
    assert second.merged_into == first
    assert set(Affiliation.objects.filter(person=first).values_list("organization__slug", flat=True)) == {
        "org-a",
        "org-b",
    }
    assert "was merged into" in client.get(response["Location"]).content.decode()
    moved = client.get(reverse("directory:person_detail", args=[second.public_id]))
    assert moved.status_code == 301 and moved["Location"] == response["Location"]
    assert activity_for(first).filter(action="directory.person.merged").exists()


def test_merging_two_people_with_accounts_is_a_form_error(client, personas):
    login_as(client, personas, "staff")
    response = client.post(
        merge_url(personas.person_a, personas.person_b), {"keep": str(personas.person_a.public_id)}
    )
    assert response.status_code == 400
    assert "sign-in account" in str(response.context["form"].non_field_errors())
    assert Person.objects.get(pk=personas.person_b.pk).merged_into is None


def test_an_unknown_choice_or_record_is_refused(client, personas):
    first, second = twins(personas)
    login_as(client, personas, "staff")
    response = client.post(merge_url(first, second), {"keep": str(personas.person_a.public_id)})
    assert response.status_code == 400
    assert "keep" in response.context["form"].errors
    assert client.get(f"{MERGE}?a={first.public_id}&b=not-a-uuid").status_code == 404
    assert client.get(f"{MERGE}?a={first.public_id}&b={first.public_id}").status_code == 404


# A person's audit trail ---------------------------------------------------------------------------


def test_person_activity_permission_matrix(client, personas):
    url = reverse("directory:person_activity", args=[personas.person_a.public_id])
    assert_permission_matrix(
        client,
        personas,
        "get",
        url,
        {
            "anonymous": 302,
            "public_user": 404,
            "staff": 200,
            "admin": 200,
        },
        default=403,
    )


def test_person_activity_lists_entries_about_them_and_by_their_account(client, personas):
    member_a = personas.user("member_a")
    services.person_update(person=personas.person_a, actor=personas.user("staff"), pronouns="they/them")
    services.organization_update(organization=personas.org_a, actor=member_a, description="Changed by Ayaan")
    services.organization_update(
        organization=personas.org_b, actor=personas.user("member_b"), description="By Bao"
    )
    login_as(client, personas, "staff")
    response = client.get(reverse("directory:person_activity", args=[personas.person_a.public_id]))
    entries = list(response.context["entries"])
    records = {(entry.action, entry.object_repr) for entry in entries}
    assert ("directory.person.updated", "Ayaan Cabdi") in records
    assert ("directory.organization.updated", "Org A") in records
    assert ("directory.organization.updated", "Org B") not in records


def test_person_activity_queries_do_not_grow_with_entries(client, personas, django_assert_num_queries):
    for n in range(6):
        services.person_update(person=personas.person_a, actor=personas.user("staff"), pronouns=f"p{n}")
    url = reverse("directory:person_activity", args=[personas.person_a.public_id])
    login_as(client, personas, "staff")
    client.get(url)
    # session, user, the viewer kept in the cache (no query), the person, the records merged into them, paginator count,
    # the page of entries with their actors.
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(response.context["entries"]) == 6


def test_the_activity_of_a_merged_record_follows_the_kept_one(client, personas):
    first, second = twins(personas)
    services.person_merge(actor=personas.user("staff"), keep=first, duplicate=second)
    login_as(client, personas, "staff")
    response = client.get(reverse("directory:person_activity", args=[first.public_id]))
    actions = {entry.action for entry in response.context["entries"]}
    assert {"directory.person.merged", "directory.person.merged-into"} <= actions


# Administration -----------------------------------------------------------------------------------


def test_the_directory_admin_pages_open_for_an_administrator(client, personas):
    services.person_update(person=personas.person_a, actor=None, pronouns="she/her")
    login_as(client, personas, "admin")
    for model in (
        "organization",
        "person",
        "affiliation",
        "table",
        "tableparticipation",
        "accessneeds",
        "consentrecord",
        "consentusage",
        "membershipstatuschange",
    ):
        assert client.get(reverse(f"admin:directory_{model}_changelist")).status_code == 200, model
    history = reverse("admin:directory_person_history", args=[personas.person_a.pk])
    assert client.get(history).status_code == 200


def test_the_consent_ledger_cannot_be_edited_in_the_admin(client, personas):
    record = services.consent_give(actor=None, person=personas.person_a, purpose="photo", text_version="1")
    login_as(client, personas, "admin")
    assert client.get(reverse("admin:directory_consentrecord_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:directory_consentrecord_delete", args=[record.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
