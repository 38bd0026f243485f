"""The directory's JSON API: the same visibility, permissions and filters as the pages, for every
persona, over a token or a session; field-level validation; fixed query counts."""

from __future__ import annotations

import json

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import translation

from commontable.accounts.services import api_token_create
from commontable.core.models import ActivityLog, IssueTopic, Place
from commontable.core.testing import PERSONAS, login_as
from commontable.core.visibility import Visibility
from commontable.directory import services
from commontable.directory.choices import MembershipStatus, OrganizationKind
from commontable.directory.models import MembershipStatusChange, Organization, Person
from commontable.directory.tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    TableFactory,
    TableParticipationFactory,
)

API = "/api/v1"


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request in another language leaves it active in the thread; later tests that call
    services directly must not inherit it."""
    yield
    translation.deactivate()


# ---------------------------------------------------------------------------------------------
# The matrix helper: every persona, over a session or over a personal token


@pytest.fixture
def tokens(personas):
    """A personal token for every signed-in persona (the raw value, as a client would hold it)."""
    return {
        name: api_token_create(user=personas.user(name), name="tests")[1]
        for name in PERSONAS
        if personas.user(name) is not None
    }


def request_as(client, personas, tokens, persona, method, url, body=None, *, auth="session"):
    """One request as `persona`: signed in with a session (the default) or with a Bearer token."""
    client.logout()
    extra = {}
    if auth == "session":
        login_as(client, personas, persona)
    elif persona != "anonymous":
        extra["HTTP_AUTHORIZATION"] = f"Bearer {tokens[persona]}"
    if body is None:
        return getattr(client, method)(url, **extra)
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", **extra)


def assert_matrix(client, personas, tokens, method, url, expected, body=None, *, auth="session"):
    """Every persona must be named: adding one forces a decision for every endpoint."""
    missing = set(PERSONAS) - set(expected)
    assert not missing, f"no expectation for {sorted(missing)}"
    failures = []
    for persona in PERSONAS:
        response = request_as(client, personas, tokens, persona, method, url, body, auth=auth)
        if response.status_code != expected[persona]:
            got = f"{response.status_code} {response.content[:200]!r}"
            failures.append(f"{persona}: expected {expected[persona]}, got {got}")
    client.logout()
    assert not failures, f"{method.upper()} {url} ({auth})\n  " + "\n  ".join(failures)


def everyone(status):
    return dict.fromkeys(PERSONAS, status)


def expect(yes, no, *names):
    """`yes` for the personas named, `no` for every other."""
    return {persona: yes if persona in names else no for persona in PERSONAS}


SIGNED_IN_MEMBERS = ("member_a", "member_b", "table_member", "board", "staff", "admin")
AUTH_MODES = ["session", "token"]


@pytest.fixture
def records(personas):
    """One organisation, person and table of each visibility."""
    table_org = OrganizationFactory(
        name="Table Org", slug="table-org", visibility=Visibility.TABLE, visibility_table=personas.table
    )
    return {
        "org": {
            "public": OrganizationFactory(name="Open Org", slug="open-org", visibility=Visibility.PUBLIC),
            "members": OrganizationFactory(
                name="Members Org", slug="members-org", visibility=Visibility.MEMBERS
            ),
            "table": table_org,
            "staff": OrganizationFactory(name="Staff Org", slug="staff-org", visibility=Visibility.STAFF),
        },
        "person": {
            "public": PersonFactory(full_name="Open Person", visibility=Visibility.PUBLIC),
            "members": PersonFactory(full_name="Members Person", visibility=Visibility.MEMBERS),
            "table": PersonFactory(
                full_name="Table Person", visibility=Visibility.TABLE, visibility_table=personas.table
            ),
            "staff": PersonFactory(full_name="Staff Person", visibility=Visibility.STAFF),
        },
        "table": {
            "public": TableFactory(name="Open Table", slug="open-table", visibility=Visibility.PUBLIC),
            "members": personas.table,
            "staff": TableFactory(name="Staff Table", slug="staff-table", visibility=Visibility.STAFF),
        },
    }


# Who sees a record of each visibility (table: table_member's organisation takes part in the table).
SEES = {
    "public": set(PERSONAS),
    "members": set(SIGNED_IN_MEMBERS),
    "table": {"table_member", "staff", "admin"},
    "staff": {"staff", "admin"},
}


def seen_by(visibility, yes=200, no=404):
    return {persona: yes if persona in SEES[visibility] else no for persona in PERSONAS}


# ---------------------------------------------------------------------------------------------
# Permission matrix: details and writes


@pytest.mark.parametrize("auth", AUTH_MODES)
@pytest.mark.parametrize("visibility", ["public", "members", "table", "staff"])
def test_organization_detail_answers_404_to_whoever_may_not_see_it(
    client, personas, tokens, records, visibility, auth
):
    url = f"{API}/organizations/{records['org'][visibility].slug}"
    assert_matrix(client, personas, tokens, "get", url, seen_by(visibility), auth=auth)


@pytest.mark.parametrize("auth", AUTH_MODES)
@pytest.mark.parametrize("visibility", ["public", "members", "table", "staff"])
def test_person_detail_answers_404_to_whoever_may_not_see_them(
    client, personas, tokens, records, visibility, auth
):
    url = f"{API}/people/{records['person'][visibility].public_id}"
    assert_matrix(client, personas, tokens, "get", url, seen_by(visibility), auth=auth)


@pytest.mark.parametrize("auth", AUTH_MODES)
@pytest.mark.parametrize("visibility", ["public", "members", "staff"])
def test_table_detail_answers_404_to_whoever_may_not_see_it(
    client, personas, tokens, records, visibility, auth
):
    url = f"{API}/tables/{records['table'][visibility].slug}"
    assert_matrix(client, personas, tokens, "get", url, seen_by(visibility), auth=auth)


def test_a_member_sees_their_own_organization_and_colleagues_even_when_staff_only(client, personas, tokens):
    services.organization_update(organization=personas.org_a, actor=None, visibility=Visibility.STAFF)
    colleague = PersonFactory(full_name="Colleague", visibility=Visibility.STAFF)
    AffiliationFactory(person=colleague, organization=personas.org_a)
    expected = expect(200, 404, "member_a", "staff", "admin")
    assert_matrix(client, personas, tokens, "get", f"{API}/organizations/org-a", expected)
    assert_matrix(client, personas, tokens, "get", f"{API}/people/{colleague.public_id}", expected)


@pytest.mark.parametrize("auth", AUTH_MODES)
def test_organization_patch_matrix(client, personas, tokens, auth):
    # Org A is members-only; member_a represents it. A write without credentials is a 401.
    expected = {
        "anonymous": 401,
        "public_user": 404,
        "member_a": 200,
        "member_b": 403,
        "table_member": 403,
        "board": 403,
        "staff": 200,
        "admin": 200,
    }
    body = {"description": "Tenant organizing on the East Side."}
    assert_matrix(client, personas, tokens, "patch", f"{API}/organizations/org-a", expected, body, auth=auth)
    assert Organization.objects.get(slug="org-a").description == body["description"]


@pytest.mark.parametrize("auth", AUTH_MODES)
def test_person_patch_matrix(client, personas, tokens, auth):
    # Person A: themselves (member_a), staff and admin may edit; others who see them get 403.
    expected = {
        "anonymous": 401,
        "public_user": 404,
        "member_a": 200,
        "member_b": 403,
        "table_member": 403,
        "board": 403,
        "staff": 200,
        "admin": 200,
    }
    url = f"{API}/people/{personas.person_a.public_id}"
    assert_matrix(client, personas, tokens, "patch", url, expected, {"pronouns": "she/her"}, auth=auth)


def test_a_representative_may_edit_the_people_of_their_organization(client, personas, tokens):
    colleague = PersonFactory(full_name="Colleague")
    AffiliationFactory(person=colleague, organization=personas.org_a)
    expected = {
        "anonymous": 401,
        "public_user": 404,
        "member_a": 200,
        "member_b": 403,
        "table_member": 403,
        "board": 403,
        "staff": 200,
        "admin": 200,
    }
    url = f"{API}/people/{colleague.public_id}"
    assert_matrix(client, personas, tokens, "patch", url, expected, {"pronouns": "they/them"})


def test_writes_to_records_nobody_may_see_answer_404_not_403(client, personas, tokens, records):
    staff_org = records["org"]["staff"].slug
    expected = expect(200, 404, "staff", "admin")
    expected["anonymous"] = 401
    assert_matrix(
        client, personas, tokens, "patch", f"{API}/organizations/{staff_org}", expected, {"phone": "612"}
    )


@pytest.mark.parametrize(
    "url", ["/organizations", "/people", "/tables"], ids=["organizations", "people", "tables"]
)
def test_lists_answer_200_to_everyone(client, personas, tokens, url):
    assert_matrix(client, personas, tokens, "get", API + url, everyone(200))
    assert_matrix(client, personas, tokens, "get", API + url, everyone(200), auth="token")


# ---------------------------------------------------------------------------------------------
# Lists show exactly what each persona may see


def _slugs(response):
    assert response.status_code == 200, response.content
    return {item["slug"] for item in response.json()["items"]}


@pytest.mark.parametrize("persona", PERSONAS)
def test_organization_list_shows_exactly_what_the_persona_may_see(client, personas, tokens, records, persona):
    response = request_as(client, personas, tokens, persona, "get", f"{API}/organizations?limit=200")
    expected = {records["org"][v].slug for v in SEES if persona in SEES[v]}
    if persona in SIGNED_IN_MEMBERS:
        expected |= {"org-a", "org-b", "org-c"}  # members-only
    assert _slugs(response) == expected
    assert response.json()["count"] == len(expected)


def test_without_credentials_a_list_shows_the_public_records_only(client, records):
    response = client.get(f"{API}/organizations")
    assert _slugs(response) == {"open-org"}
    response = client.get(f"{API}/people")
    assert [p["full_name"] for p in response.json()["items"]] == ["Open Person"]
    response = client.get(f"{API}/tables")
    assert _slugs(response) == {"open-table"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_person_list_shows_exactly_what_the_persona_may_see(client, personas, tokens, records, persona):
    response = request_as(client, personas, tokens, persona, "get", f"{API}/people?limit=200", auth="token")
    names = {p["full_name"] for p in response.json()["items"]}
    expected = {records["person"][v].full_name for v in SEES if persona in SEES[v]}
    if persona in SIGNED_IN_MEMBERS:
        expected |= {"Ayaan Cabdi", "Bao Vang", "Teresa Flores"}
    assert names == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_table_list_shows_exactly_what_the_persona_may_see(client, personas, tokens, records, persona):
    response = request_as(client, personas, tokens, persona, "get", f"{API}/tables")
    assert _slugs(response) == {
        records["table"][v].slug for v in ("public", "members", "staff") if persona in SEES[v]
    }


def test_a_table_hides_participants_and_convenor_the_caller_may_not_see(client, personas, records):
    hidden = records["org"]["staff"]
    table = records["table"]["public"]
    table.convenor = hidden
    table.save()
    TableParticipationFactory(table=table, organization=hidden)
    TableParticipationFactory(table=table, organization=records["org"]["public"])
    client.force_login(personas.user("member_b"))
    data = client.get(f"{API}/tables/{table.slug}").json()
    assert data["convenor"] is None
    assert [p["organization"]["slug"] for p in data["participants"]] == ["open-org"]
    client.force_login(personas.user("staff"))
    data = client.get(f"{API}/tables/{table.slug}").json()
    assert data["convenor"] == {"slug": "staff-org", "name": "Staff Org"}
    assert {p["organization"]["slug"] for p in data["participants"]} == {"open-org", "staff-org"}


def test_an_organization_does_not_reveal_tables_or_people_the_caller_may_not_see(client, personas, records):
    org = records["org"]["public"]
    TableParticipationFactory(table=records["table"]["staff"], organization=org)
    TableParticipationFactory(table=records["table"]["public"], organization=org)
    AffiliationFactory(person=records["person"]["staff"], organization=org)
    AffiliationFactory(person=records["person"]["public"], organization=org)
    data = client.get(f"{API}/organizations/{org.slug}").json()
    assert [t["slug"] for t in data["tables"]] == ["open-table"]
    assert [p["full_name"] for p in data["people"]] == ["Open Person"]
    assert data["status_history"] is None and data["renewal_due_on"] is None
    assert data["permissions"] == {
        "can_edit": False,
        "can_change_membership_status": False,
        "can_change_visibility": False,
    }


def test_a_person_does_not_reveal_organizations_the_caller_may_not_see(client, personas, records):
    person = records["person"]["public"]
    AffiliationFactory(person=person, organization=records["org"]["staff"])
    AffiliationFactory(person=person, organization=records["org"]["public"])
    data = client.get(f"{API}/people/{person.public_id}").json()
    assert [a["organization"]["slug"] for a in data["affiliations"]] == ["open-org"]
    client.force_login(personas.user("staff"))
    data = client.get(f"{API}/people/{person.public_id}").json()
    assert {a["organization"]["slug"] for a in data["affiliations"]} == {"open-org", "staff-org"}


# ---------------------------------------------------------------------------------------------
# Contact details


CONTACTS = {"email": "ayaan@example.org", "phone": "612-555-0100", "mobile": "612-555-0199"}


@pytest.fixture
def contacts(personas):
    Person.objects.filter(pk=personas.person_a.pk).update(**CONTACTS)


def _contacts_of(client, personas, tokens, persona, url, auth="session"):
    response = request_as(client, personas, tokens, persona, "get", url, auth=auth)
    assert response.status_code == 200, response.content
    data = response.json()
    item = next(p for p in data["items"] if p["full_name"] == "Ayaan Cabdi") if "items" in data else data
    shown = {key: item[key] for key in CONTACTS}
    assert item["permissions"]["can_see_contacts"] == (shown == CONTACTS)
    assert shown in (CONTACTS, dict.fromkeys(CONTACTS)), shown
    return shown == CONTACTS


@pytest.mark.parametrize("where", ["list", "detail"])
def test_contacts_are_null_unless_the_caller_may_see_them(client, personas, tokens, contacts, where):
    url = f"{API}/people?limit=200" if where == "list" else f"{API}/people/{personas.person_a.public_id}"
    # Org A does not share contacts: only the person, colleagues and staff see them.
    shown = {p for p in SIGNED_IN_MEMBERS if _contacts_of(client, personas, tokens, p, url)}
    assert shown == {"member_a", "staff", "admin"}
    services.organization_update(organization=personas.org_a, actor=None, shares_contacts=True)
    shown = {p for p in SIGNED_IN_MEMBERS if _contacts_of(client, personas, tokens, p, url, auth="token")}
    assert shown == set(SIGNED_IN_MEMBERS)


def test_public_visitors_never_see_contacts(client, personas, contacts):
    Person.objects.filter(pk=personas.person_a.pk).update(visibility=Visibility.PUBLIC)
    services.organization_update(organization=personas.org_a, actor=None, shares_contacts=True)
    item = client.get(f"{API}/people").json()["items"][0]
    assert item["full_name"] == "Ayaan Cabdi" and item["email"] is None and item["mobile"] is None


def test_people_cannot_be_searched_by_contacts_they_may_not_see(client, personas, contacts):
    client.force_login(personas.user("staff"))
    assert [
        p["full_name"] for p in client.get(f"{API}/people", {"q": CONTACTS["email"]}).json()["items"]
    ] == ["Ayaan Cabdi"]
    client.force_login(personas.user("member_b"))
    response = client.get(f"{API}/people", {"q": CONTACTS["email"]})
    assert response.status_code == 200
    assert response.json()["items"] == []


# ---------------------------------------------------------------------------------------------
# Filters and pagination: the page's FilterSet


@pytest.fixture
def varied(personas):
    housing = IssueTopic.objects.create(slug="housing", name="Housing")
    transit = IssueTopic.objects.create(slug="transit", name="Transit")
    frogtown = Place.objects.create(slug="frogtown", name="Frogtown", kind=Place.Kind.NEIGHBORHOOD)
    orgs = {
        "somali": OrganizationFactory(
            name="Ururka Hooyooyinka Soomaaliyeed",
            slug="ururka",
            bipoc_led="yes",
            kind=OrganizationKind.CULTURAL,
        ),
        "hmong": OrganizationFactory(
            name="Hmong Tenants Union",
            slug="hmong-tenants",
            bipoc_led="yes",
            kind=OrganizationKind.TENANT,
            membership_status=MembershipStatus.APPLICANT,
        ),
        "latino": OrganizationFactory(
            name="Unidos Sábado Café",
            slug="unidos",
            bipoc_led="no",
            kind=OrganizationKind.LABOR,
            membership_status=MembershipStatus.LAPSED,
        ),
    }
    orgs["somali"].issues.add(housing)
    orgs["hmong"].issues.add(housing, transit)
    orgs["latino"].places_served.add(frogtown)
    TableParticipationFactory(table=personas.table, organization=orgs["hmong"])
    return orgs


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "sabado cafe"}, {"unidos"}),  # accents and case ignored
        ({"q": "HOOYO"}, {"ururka"}),
        ({"kind": "tenant"}, {"hmong-tenants"}),
        ({"membership_status": "lapsed"}, {"unidos"}),
        ({"bipoc_led": "yes"}, {"ururka", "hmong-tenants"}),
        ({"issue": "housing"}, {"ururka", "hmong-tenants"}),
        ({"issue": "housing", "kind": "cultural"}, {"ururka"}),
        ({"place": "frogtown"}, {"unidos"}),
        ({"table": "corridor-table"}, {"org-c", "hmong-tenants"}),
    ],
)
def test_organization_filters_are_the_pages_filters(client, personas, varied, query, expected):
    client.force_login(personas.user("staff"))
    assert _slugs(client.get(f"{API}/organizations", query)) == expected


def test_a_table_the_caller_may_not_see_cannot_be_used_as_a_filter(client, personas, records):
    TableParticipationFactory(table=records["table"]["staff"], organization=personas.org_a)
    client.force_login(personas.user("member_b"))
    response = client.get(f"{API}/organizations", {"table": "staff-table"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "table"]


def test_people_filters(client, personas):
    AffiliationFactory(
        person=PersonFactory(full_name="Nkauj Hli Vwj", aliases="Ka Vue"), organization=personas.org_b
    )
    client.force_login(personas.user("staff"))
    names = lambda q: {p["full_name"] for p in client.get(f"{API}/people", q).json()["items"]}  # noqa: E731
    assert names({"q": "nkauj"}) == {"Nkauj Hli Vwj"}
    assert names({"q": "ka vue"}) == {"Nkauj Hli Vwj"}
    assert names({"organization": "org-b"}) == {"Bao Vang", "Nkauj Hli Vwj"}
    assert names({"organization": "org-b", "q": "bao"}) == {"Bao Vang"}


def test_lists_are_paginated_with_a_total_count(client, personas):
    for n in range(7):
        OrganizationFactory(name=f"Zeta {n}", slug=f"zeta-{n}")
    client.force_login(personas.user("staff"))
    first = client.get(f"{API}/organizations", {"q": "zeta", "limit": 3}).json()
    second = client.get(f"{API}/organizations", {"q": "zeta", "limit": 3, "offset": 3}).json()
    last = client.get(f"{API}/organizations", {"q": "zeta", "limit": 3, "offset": 6}).json()
    assert (first["count"], first["limit"], first["offset"]) == (7, 3, 0)
    names = [o["name"] for page in (first, second, last) for o in page["items"]]
    assert names == [f"Zeta {n}" for n in range(7)]


# ---------------------------------------------------------------------------------------------
# Writes: happy paths, audit, restricted fields


def test_a_representative_edits_their_organization_and_the_change_is_audited(client, personas):
    IssueTopic.objects.create(slug="housing", name="Housing")
    client.force_login(personas.user("member_a"))
    response = client.patch(
        f"{API}/organizations/org-a",
        data=json.dumps(
            {
                "name": "Org A Renamed",
                "issues": ["housing"],
                "shares_contacts": True,
                "languages_served": ["so", "hmn"],
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["name"] == "Org A Renamed" and data["shares_contacts"] is True
    assert [i["slug"] for i in data["issues"]] == ["housing"]
    assert data["languages_served"] == ["so", "hmn"]
    entry = ActivityLog.objects.get(action="directory.organization.updated")
    assert entry.actor == personas.user("member_a")
    assert entry.data["name"] == ["Org A", "Org A Renamed"]


@pytest.mark.parametrize(
    "body",
    [{"membership_status": "lapsed"}, {"visibility": "public"}, {"visibility_table": "corridor-table"}],
    ids=["status", "visibility", "visibility_table"],
)
def test_a_representative_cannot_change_membership_status_or_visibility(client, personas, body):
    client.force_login(personas.user("member_a"))
    response = client.patch(
        f"{API}/organizations/org-a",
        data=json.dumps({"name": "Sneaky", **body}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert next(iter(body)) in response.json()["detail"]
    org = Organization.objects.get(slug="org-a")
    assert (org.name, org.membership_status, org.visibility) == ("Org A", "member", "members")
    assert not ActivityLog.objects.filter(action__startswith="directory.organization").exists()


def test_a_representative_may_send_back_the_current_status_and_visibility(client, personas):
    client.force_login(personas.user("member_a"))
    body = {"name": "Org A", "membership_status": "member", "visibility": "members", "visibility_table": None}
    response = client.patch(
        f"{API}/organizations/org-a", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200, response.content


def test_staff_change_membership_status_with_a_dated_record(client, personas):
    client.force_login(personas.user("staff"))
    body = {"membership_status": "lapsed", "membership_note": "Did not renew", "visibility": "public"}
    response = client.patch(
        f"{API}/organizations/org-a", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["membership_status"] == "lapsed" and data["visibility"] == "public"
    assert (
        data["status_history"][0]["status"] == "lapsed"
        and data["status_history"][0]["note"] == "Did not renew"
    )
    assert MembershipStatusChange.objects.filter(organization=personas.org_a, status="lapsed").exists()
    assert set(ActivityLog.objects.values_list("action", flat=True)) >= {
        "directory.organization.updated",
        "directory.organization.status-changed",
    }


def test_a_membership_transition_that_is_not_allowed_is_a_field_error_and_nothing_changes(client, personas):
    client.force_login(personas.user("staff"))
    body = {"name": "Org A Renamed", "membership_status": "applicant"}  # member → applicant is not a step
    response = client.patch(
        f"{API}/organizations/org-a", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "membership_status"]
    assert Organization.objects.get(slug="org-a").name == "Org A"


def test_table_visibility_needs_a_table_the_caller_may_see(client, personas, records):
    client.force_login(personas.user("staff"))
    url = f"{API}/organizations/org-a"
    response = client.patch(url, data=json.dumps({"visibility": "table"}), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "visibility_table"]
    body = {"visibility": "table", "visibility_table": "corridor-table"}
    response = client.patch(url, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 200 and response.json()["visibility_table"] == "corridor-table"
    # A person may choose who sees them, but only among the tables they may see themselves.
    client.force_login(personas.user("member_a"))
    url = f"{API}/people/{personas.person_a.public_id}"
    body = {"visibility": "table", "visibility_table": "staff-table"}
    response = client.patch(url, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422


def test_a_person_edits_themselves_and_the_change_is_audited(client, personas, tokens):
    url = f"{API}/people/{personas.person_a.public_id}"
    body = {"name_for_greeting": "Ayaan", "mobile": "612-555-0199", "preferred_language": "so"}
    response = request_as(client, personas, tokens, "member_a", "patch", url, body, auth="token")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["mobile"] == "612-555-0199" and data["permissions"] == {
        "can_see_contacts": True,
        "can_edit": True,
    }
    entry = ActivityLog.objects.get(action="directory.person.updated")
    assert entry.actor == personas.user("member_a") and entry.data["preferred_language"] == ["", "so"]


NAMES = [
    "Cabdiraxmaan Xaaji Maxamed Cilmi",  # Somali
    "Nkauj Hli Vwj Xyooj",  # Hmong (RPA)
    "陳美玲",  # Chinese
    "محمد عبد الله",  # Arabic
    "Nguyễn Thị Thu Hà",  # Vietnamese, precomposed
    "Zoë Sa\u0301nchez",  # a combining accent, kept as written (not normalised)
    "Ka\u2019Vang-Lee O\u2019Brien",  # curly apostrophes
]


@pytest.mark.parametrize("name", NAMES)
def test_names_in_every_script_round_trip_exactly(client, personas, name):
    client.force_login(personas.user("staff"))
    url = f"{API}/people/{personas.person_b.public_id}"
    response = client.patch(
        url, data=json.dumps({"full_name": name, "aliases": name}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["full_name"] == name
    assert client.get(url).json()["full_name"] == name
    assert Person.objects.get(pk=personas.person_b.pk).full_name == name
    found = client.get(f"{API}/people", {"q": name}).json()["items"]
    assert [p["full_name"] for p in found] == [name]
    response = client.patch(
        f"{API}/organizations/org-b", data=json.dumps({"name": name}), content_type="application/json"
    )
    assert response.json()["name"] == name


# ---------------------------------------------------------------------------------------------
# Validation: 422 with one entry per field


def _errors(response):
    assert response.status_code == 422, response.content
    return {tuple(e["loc"]): e["type"] for e in response.json()["detail"]}


@pytest.mark.parametrize(
    ("body", "field", "kind"),
    [
        ({"nickname": "x"}, "nickname", "extra_forbidden"),
        ({"full_name": "x" * 201}, "full_name", "string_too_long"),
        ({"pronouns": "x" * 41}, "pronouns", "string_too_long"),
        ({"full_name": "Ayaan\x00Cabdi"}, "full_name", "control_characters"),
        ({"aliases": "bell\x07"}, "aliases", "control_characters"),
        ({"full_name": "Ayaan\nCabdi"}, "full_name", "line_break"),
        ({"full_name": "   "}, "full_name", "blank"),
        ({"full_name": None}, "full_name", "string_type"),
        ({"full_name": 42}, "full_name", "string_type"),
        ({"visibility": "everyone"}, "visibility", "enum"),
        ({"email": "not an email"}, "email", "invalid"),
    ],
)
def test_person_patch_validation_errors_are_field_level(client, personas, body, field, kind):
    client.force_login(personas.user("staff"))
    url = f"{API}/people/{personas.person_a.public_id}"
    response = client.patch(url, data=json.dumps(body), content_type="application/json")
    assert _errors(response) == {("body", "payload", field): kind}
    assert Person.objects.get(pk=personas.person_a.pk).full_name == "Ayaan Cabdi"


@pytest.mark.parametrize(
    ("body", "field", "kind"),
    [
        ({"shares_contacts": "yes"}, "shares_contacts", "bool_type"),
        ({"description": "x" * 5001}, "description", "string_too_long"),
        ({"description": "line one\nline two\ttabbed"}, None, None),  # several lines are fine here
        ({"issues": ["no-such-issue"]}, "issues", "unknown_slug"),
        ({"issues": "housing"}, "issues", "list_type"),
        ({"kind": "corporation"}, "kind", "enum"),
        ({"languages_served": ["so", ""]}, "languages_served", "string_too_short"),
        ({"website": "javascript:alert(1)"}, "website", "invalid"),
        ({"membership_note": "why"}, "membership_note", "status_required"),
    ],
)
def test_organization_patch_validation_errors_are_field_level(client, personas, body, field, kind):
    client.force_login(personas.user("staff"))
    response = client.patch(
        f"{API}/organizations/org-a", data=json.dumps(body), content_type="application/json"
    )
    if field is None:
        assert response.status_code == 200, response.content
        return
    errors = _errors(response)
    assert [kind] == [t for loc, t in errors.items() if loc[:3] == ("body", "payload", field)], errors


def test_a_body_that_is_not_json_is_refused(client, personas):
    client.force_login(personas.user("staff"))
    response = client.patch(f"{API}/organizations/org-a", data="{name: ", content_type="application/json")
    assert response.status_code in (400, 422)


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ({"limit": "\u0665"}, "non_ascii_digits"),  # Arabic-Indic five
        ({"limit": "\u0661\u0660"}, "non_ascii_digits"),  # Arabic-Indic ten
        ({"offset": "\uff13"}, "non_ascii_digits"),  # full-width three
        ({"limit": "1_0"}, "int_parsing"),
        ({"limit": "ten"}, "int_parsing"),
        ({"limit": "0"}, "greater_than_equal"),
        ({"limit": "201"}, "less_than_equal"),
        ({"offset": "-1"}, "greater_than_equal"),
        ({"q": "a\x00b"}, "control_characters"),
        ({"q": "x" * 201}, "string_too_long"),
        ({"kind": "corporation"}, "enum"),
        ({"issue": "not a slug"}, "string_pattern_mismatch"),
        ({"membership": "member"}, "extra_forbidden"),  # a misspelt filter is not silently ignored
    ],
)
def test_list_query_errors_are_field_level(client, personas, query, kind):
    client.force_login(personas.user("member_a"))
    errors = _errors(client.get(f"{API}/organizations", query))
    assert errors == {("query", next(iter(query))): kind}


def test_a_malformed_id_in_the_path_is_a_422_and_an_unknown_one_a_404(client, personas):
    client.force_login(personas.user("staff"))
    assert client.get(f"{API}/people/not-a-uuid").status_code == 422
    assert client.get(f"{API}/people/00000000-0000-4000-8000-000000000000").status_code == 404
    assert client.get(f"{API}/organizations/%00").status_code == 422
    response = client.get(f"{API}/organizations/no-such-org")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


# ---------------------------------------------------------------------------------------------
# Sessions need their CSRF token for writes; tokens do not


def test_a_session_write_needs_the_csrf_token(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.user("member_a"))
    url = f"{API}/organizations/org-a"
    body = json.dumps({"phone": "612-555-0100"})
    assert client.patch(url, data=body, content_type="application/json").status_code == 403
    client.get("/")  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.patch(url, data=body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content


def test_a_token_write_needs_no_csrf_token(personas):
    _token, raw = api_token_create(user=personas.user("member_a"), name="script")
    client = Client(enforce_csrf_checks=True)
    response = client.patch(
        f"{API}/organizations/org-a",
        data=json.dumps({"phone": "612-555-0100"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200, response.content


# ---------------------------------------------------------------------------------------------
# Query counts: fixed, whatever the number of rows


def _many(personas, n):
    housing, _ = IssueTopic.objects.get_or_create(slug="housing", name="Housing")
    for _i in range(n):
        org = OrganizationFactory(shares_contacts=True)
        org.issues.add(housing)
        AffiliationFactory(person=PersonFactory(), organization=org)
        TableParticipationFactory(table=TableFactory(convenor=org), organization=org)


@pytest.mark.parametrize("rows", [5, 15])
def test_organization_list_query_count(client, personas, django_assert_num_queries, rows):
    _many(personas, rows)
    client.force_login(personas.user("member_b"))
    # session, user; viewer: person, affiliations, table participations; the issue filter's
    # slug; COUNT; page (with the people count); the page's issues.
    with django_assert_num_queries(9):
        response = client.get(f"{API}/organizations", {"issue": "housing"})
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [5, 15])
def test_person_list_query_count(client, personas, django_assert_num_queries, rows):
    _many(personas, rows)
    _token, raw = api_token_create(user=personas.user("member_b"), name="count")
    # token with its user, the token's last use; viewer: person, affiliations, table
    # participations; the filter's language choices (the shared list, cached after this request,
    # and the viewer's own extra people); how many organisations the filter would list; COUNT;
    # page; current affiliations with their organisations (and consent to share contacts);
    # visible organisation ids.
    with django_assert_num_queries(12):
        response = client.get(f"{API}/people", HTTP_AUTHORIZATION=f"Bearer {raw}")
    items = response.json()["items"]
    assert len(items) == rows + 3
    assert sum(item["email"] is not None for item in items) == rows + 1  # theirs shared, and their own


@pytest.mark.parametrize("rows", [5, 15])
def test_table_list_query_count(client, personas, django_assert_num_queries, rows):
    _many(personas, rows)
    client.force_login(personas.user("table_member"))
    # session, user; viewer: person, affiliations, table participations; COUNT; page (with the
    # convenor and the participant count); visible organisation ids.
    with django_assert_num_queries(8):
        response = client.get(f"{API}/tables")
    assert response.json()["count"] == rows + 1


# ---------------------------------------------------------------------------------------------
# Documentation


def test_swagger_docs_render_from_our_own_static_files(client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "/static/ninja/swagger-ui.css" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert finders.find("ninja/swagger-ui-bundle.js") and finders.find("ninja/swagger-ui-init.js")
    schema = client.get(f"{API}/openapi.json").json()
    assert {"/api/v1/organizations", "/api/v1/people/{public_id}", "/api/v1/tables/{slug}"} <= set(
        schema["paths"]
    )


# ---------------------------------------------------------------------------------------------
# Our messages follow the caller's language


def _spanish(msgid):
    with translation.override("es"):
        text = translation.gettext(msgid)
    assert text != msgid, "the Spanish catalog should translate this message"
    return text


def test_validation_messages_follow_the_browser_language(client, personas):
    client.force_login(personas.user("staff"))
    url = f"{API}/people/{personas.person_a.public_id}"
    body = json.dumps({"full_name": "   "})
    english = client.patch(url, data=body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    spanish = client.patch(url, data=body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="es")
    assert english.json()["detail"][0]["msg"] == "This field cannot be blank."
    assert spanish.json()["detail"][0]["msg"] == _spanish("This field cannot be blank.")
