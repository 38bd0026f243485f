"""The policy inventory's pages and services for every persona: the public matrix, jurisdiction and
policy pages (campaigns only as far as the viewer may see them), the staff forms with their rules
(a date and a source for adopted and repealed, no future date, http(s) links only, repeal only
after adoption), the dated history, the audit, the plan's indicator and fixed query counts."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commontable.core.indicators import reset_registry
from commontable.core.models import ActivityLog, Place
from commontable.core.testing import assert_permission_matrix, login_as
from commontable.core.visibility import Visibility
from commontable.displacement import indicators_policies, services_policies
from commontable.displacement import selectors_policies as selectors
from commontable.displacement.models import Policy, PolicyType
from commontable.displacement.tests.factories import JurisdictionFactory, PolicyFactory, PolicyTypeFactory
from commontable.investments.tests.factories import CampaignAskFactory, InvestmentFactory

PUBLIC = {}
STAFF_FORM = {"anonymous": 302, "staff": 200, "admin": 200}
TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def world(db):
    state = JurisdictionFactory(slug="minnesota", name="Minnesota", kind=Place.Kind.STATE)
    region = JurisdictionFactory(slug="met-council", name="Metropolitan Council", kind=Place.Kind.REGION)
    county = JurisdictionFactory(slug="ramsey-county", name="Ramsey County", kind=Place.Kind.COUNTY)
    city = JurisdictionFactory(slug="saint-paul", name="Saint Paul", kind=Place.Kind.CITY)
    corridor = JurisdictionFactory(slug="green-line", name="Green Line", kind=Place.Kind.CORRIDOR)
    topa = PolicyType.objects.get(slug="topa")
    just_cause = PolicyType.objects.get(slug="just_cause")
    public_investment = InvestmentFactory(name="Rondo Land Bridge", slug="rondo", visibility=Visibility.PUBLIC)
    staff_investment = InvestmentFactory(name="Quiet Deal", slug="quiet-deal", visibility=Visibility.STAFF)
    public_ask = CampaignAskFactory(investment=public_investment, ask="Pass TOPA in Saint Paul", visibility=Visibility.PUBLIC)
    members_ask = CampaignAskFactory(investment=public_investment, ask="Members-only TOPA push", visibility=Visibility.MEMBERS)
    staff_ask = CampaignAskFactory(investment=staff_investment, ask="Staff TOPA memo", visibility=Visibility.PUBLIC)
    policy = PolicyFactory(jurisdiction=city, policy_type=just_cause, status="adopted", status_date=dt.date(2024, 5, 1),
                           source_url="https://example.org/ord-24-12", source_note="Ordinance 24-12")
    policy.campaigns.add(public_ask, members_ask, staff_ask)
    return SimpleNamespace(state=state, region=region, county=county, city=city, corridor=corridor, topa=topa,
                           just_cause=just_cause, policy=policy, public_ask=public_ask, members_ask=members_ask,
                           staff_ask=staff_ask)


def detail_url(place, policy_type):
    return reverse("displacement:policy_detail", args=[place.slug, policy_type.slug])


def status_url(place, policy_type):
    return reverse("displacement:policy_status_set", args=[place.slug, policy_type.slug])


# --- permissions ---------------------------------------------------------------------------------


def test_the_inventory_pages_are_public(client, personas, world):
    for url in (reverse("displacement:policy_matrix"), reverse("displacement:policy_jurisdiction", args=["saint-paul"]),
                detail_url(world.city, world.just_cause), detail_url(world.state, world.topa)):
        assert_permission_matrix(client, personas, "get", url, PUBLIC, default=200)


def test_places_that_make_no_policy_and_unknown_types_are_404(client, personas, world):
    assert_permission_matrix(client, personas, "get", reverse("displacement:policy_jurisdiction", args=["green-line"]),
                             {}, default=404)
    assert_permission_matrix(client, personas, "get", reverse("displacement:policy_detail", args=["saint-paul", "nope"]),
                             {}, default=404)
    assert_permission_matrix(client, personas, "get", status_url(world.corridor, world.topa),
                             {"anonymous": 302}, default=404)


def test_only_staff_set_a_status(client, personas, world):
    url = status_url(world.city, world.topa)
    assert_permission_matrix(client, personas, "get", url, STAFF_FORM, default=403)
    # An empty form is a validation error for staff, refused for everyone else.
    assert_permission_matrix(client, personas, "post", url, {"anonymous": 302, "staff": 400, "admin": 400}, default=403)
    assert not Policy.objects.filter(policy_type=world.topa).exists()


def test_only_staff_add_a_policy_type(client, personas, world):
    url = reverse("displacement:policy_type_create")
    assert_permission_matrix(client, personas, "get", url, STAFF_FORM, default=403)
    assert_permission_matrix(client, personas, "post", url, {"anonymous": 302, "staff": 400, "admin": 400},
                             data={"name": ""}, default=403)


# --- the matrix ----------------------------------------------------------------------------------


def test_matrix_shows_every_jurisdiction_and_type_with_a_word_and_a_mark(client, personas, world):
    response = client.get(reverse("displacement:policy_matrix"))
    body = response.content.decode()
    assert "<caption" in body and 'scope="col"' in body and 'scope="row"' in body
    assert 'role="region"' in body and 'tabindex="0"' in body
    for name in ("Minnesota", "Metropolitan Council", "Ramsey County", "Saint Paul"):
        assert name in body
    assert "Green Line" not in body  # a corridor makes no policy
    # Widest first: state, region, county, city.
    assert body.index("Minnesota") < body.index("Metropolitan Council") < body.index("Ramsey County") < body.index(
        "Saint Paul")
    assert "● Adopted" in body.replace('<span aria-hidden="true">●</span> Adopted', "● Adopted")
    assert detail_url(world.city, world.just_cause) in body
    matrix = response.context["matrix"]
    assert [r.jurisdiction.slug for r in matrix.rows] == ["minnesota", "met-council", "ramsey-county", "saint-paul"]
    assert len(matrix.policy_types) == PolicyType.objects.count() == 8
    city_row = matrix.rows[3]
    assert [c.status.code for c in city_row.cells].count("adopted") == 1 and city_row.adopted == 1


def test_matrix_filters_by_kind_of_jurisdiction(client, personas, world):
    response = client.get(reverse("displacement:policy_matrix"), {"kind": "county"})
    assert [r.jurisdiction.slug for r in response.context["matrix"].rows] == ["ramsey-county"]
    assert client.get(reverse("displacement:policy_matrix"), {"kind": "planet"}).status_code == 400


def test_matrix_query_count_does_not_grow(client, personas, world, django_assert_num_queries):
    for _n in range(6):
        city = JurisdictionFactory(kind=Place.Kind.CITY)
        PolicyFactory(jurisdiction=city, policy_type=world.topa)
    url = reverse("displacement:policy_matrix")
    client.get(url)
    # The jurisdictions, the policy types, the policies of those jurisdictions: 3 for 10 rows.
    with django_assert_num_queries(3):
        response = client.get(url)
    assert len(response.context["matrix"].rows) == 10


def test_shipped_types_show_their_translatable_name_and_added_ones_as_typed(client, personas, world):
    PolicyType.objects.filter(pk=world.topa.pk).update(name="typed over in the database")
    world.topa.refresh_from_db()
    assert world.topa.display_name == "Tenant opportunity to purchase"
    custom = PolicyTypeFactory(slug="tenant-union-support", name="Tenant union support")
    assert custom.display_name == "Tenant union support"
    body = client.get(reverse("displacement:policy_matrix")).content.decode()
    assert "Tenant opportunity to purchase" in body and "typed over" not in body and "Tenant union support" in body


# --- a policy page -------------------------------------------------------------------------------


def test_policy_page_shows_status_source_and_only_the_campaigns_the_viewer_may_see(client, personas, world):
    url = detail_url(world.city, world.just_cause)
    body = client.get(url).content.decode()
    assert "Ordinance 24-12" in body and "https://example.org/ord-24-12" in body
    assert "Pass TOPA in Saint Paul" in body
    assert "Members-only TOPA push" not in body and "Staff TOPA memo" not in body
    login_as(client, personas, "member_b")
    body = client.get(url).content.decode()
    assert "Members-only TOPA push" in body and "Staff TOPA memo" not in body and "Change the status" not in body
    login_as(client, personas, "staff")
    body = client.get(url).content.decode()
    assert "Staff TOPA memo" in body and "Change the status" in body


def test_an_unrecorded_policy_reads_none(client, personas, world):
    response = client.get(detail_url(world.state, world.topa))
    assert response.context["status"].code == "none"
    assert "No status has been recorded" in response.content.decode()


def test_history_lists_each_status_newest_first(client, personas, world):
    staff = personas.user("staff")
    place, kind = world.county, world.topa
    services_policies.policy_status_set(actor=staff, jurisdiction=place, policy_type=kind, status="proposed",
                                        status_date=dt.date(2021, 3, 1), today=TODAY)
    services_policies.policy_status_set(actor=staff, jurisdiction=place, policy_type=kind, status="adopted",
                                        status_date=dt.date(2022, 6, 1), source_note="Resolution 2022-5", today=TODAY)
    # A note changed: not a change of status.
    services_policies.policy_status_set(actor=staff, jurisdiction=place, policy_type=kind, status="adopted",
                                        status_date=dt.date(2022, 6, 1), source_note="Resolution 2022-5",
                                        notes="Funded in 2023", today=TODAY)
    services_policies.policy_status_set(actor=staff, jurisdiction=place, policy_type=kind, status="repealed",
                                        status_date=dt.date(2025, 1, 15), source_url="https://example.org/r",
                                        today=TODAY)
    history = selectors.policy_history(selectors.policy_get(place, kind))
    assert [(c.status.code, c.status_date) for c in history] == [
        ("repealed", dt.date(2025, 1, 15)), ("adopted", dt.date(2022, 6, 1)), ("proposed", dt.date(2021, 3, 1))]
    assert history[1].source_note == "Resolution 2022-5"
    body = client.get(detail_url(place, kind)).content.decode()
    assert body.index("Repealed") < body.index("Resolution 2022-5") < body.index("Proposed</span> since")
    actions = list(ActivityLog.objects.filter(action__startswith="displacement.policy.").values_list("action", flat=True))
    assert sorted(actions) == ["displacement.policy.changed"] * 3 + ["displacement.policy.created"]


# --- the staff form ------------------------------------------------------------------------------


def test_staff_record_an_adoption_with_campaigns(client, personas, world):
    login_as(client, personas, "staff")
    response = client.post(status_url(world.city, world.topa), {
        "status": "adopted", "status_date": "2025-07-01", "source_url": "https://example.org/topa",
        "source_note": "Ordinance 25-3", "notes": "First in the state", "campaigns": [str(world.public_ask.public_id)],
    })
    assert response.status_code == 302
    assert response["Location"] == detail_url(world.city, world.topa)
    policy = Policy.objects.get(jurisdiction=world.city, policy_type=world.topa)
    assert (policy.status, policy.status_date, policy.source_note) == ("adopted", dt.date(2025, 7, 1), "Ordinance 25-3")
    assert list(policy.campaigns.all()) == [world.public_ask]
    entry = ActivityLog.objects.get(action="displacement.policy.created")
    assert entry.actor == personas.user("staff") and entry.data["status"] == "adopted"


@pytest.mark.parametrize(("data", "field", "words"), [
    ({"status": "adopted", "status_date": "2099-01-01", "source_note": "x"}, "status_date", "future"),
    ({"status": "adopted", "source_note": "Ordinance 1"}, "status_date", "date"),
    ({"status": "adopted", "status_date": "2024-01-01"}, "source_url", "source"),
    ({"status": "repealed", "status_date": "2024-01-01", "source_note": "x"}, "status", "Only an adopted policy"),
    ({"status": "proposed", "source_url": "javascript:alert(1)"}, "source_url", "http"),
    ({"status": "proposed", "source_url": "ftp://example.org/x"}, "source_url", "http"),
    ({"status": "maybe"}, "status", "valid choice"),
])
def test_bad_statuses_are_refused_on_their_field(client, personas, world, data, field, words):
    login_as(client, personas, "staff")
    response = client.post(status_url(world.city, world.topa), data)
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert words in errors, response.context["form"].errors
    assert not Policy.objects.filter(policy_type=world.topa).exists()


def test_a_repeal_follows_an_adoption_and_not_before_its_date(client, personas, world):
    staff = personas.user("staff")
    with pytest.raises(ValidationError) as caught:
        services_policies.policy_status_set(actor=staff, jurisdiction=world.city, policy_type=world.just_cause,
                                            status="repealed", status_date=dt.date(2023, 1, 1), source_note="x",
                                            today=TODAY)
    assert "before the adoption" in str(caught.value.message_dict["status_date"])
    policy = services_policies.policy_status_set(actor=staff, jurisdiction=world.city, policy_type=world.just_cause,
                                                 status="repealed", status_date=dt.date(2025, 2, 1),
                                                 source_note="Ordinance 25-1", today=TODAY)
    assert policy.status == "repealed"


def test_staff_add_a_policy_type_and_a_duplicate_is_refused(client, personas, world):
    login_as(client, personas, "staff")
    url = reverse("displacement:policy_type_create")
    response = client.post(url, {"name": "Tenant union support", "description": "Money for tenant organising."})
    assert response.status_code == 302
    added = PolicyType.objects.get(name="Tenant union support")
    assert added.slug == "tenant-union-support" and added.position > 80
    assert ActivityLog.objects.filter(action="displacement.policy-type.created").count() == 1
    response = client.post(url, {"name": "tenant union SUPPORT"})
    assert response.status_code == 400 and "exists already" in " ".join(response.context["form"].errors["name"])
    response = client.post(url, {"name": "Just-cause eviction"})
    assert response.status_code == 400
    assert "Tenant union support" in client.get(reverse("displacement:policy_matrix")).content.decode()


def test_jurisdiction_page_lists_every_type(client, personas, world, django_assert_num_queries):
    url = reverse("displacement:policy_jurisdiction", args=["saint-paul"])
    client.get(url)
    # The place, its policies, the policy types.
    with django_assert_num_queries(3):
        response = client.get(url)
    body = response.content.decode()
    assert "1 policy adopted" in body and "Ordinance 24-12" in body
    assert len(response.context["cells"]) == 8


# --- the plan's indicator ------------------------------------------------------------------------


def test_indicator_counts_policies_standing_adopted_on_each_date(personas, world):
    staff = personas.user("staff")
    services_policies.policy_status_set(actor=staff, jurisdiction=world.county, policy_type=world.topa,
                                        status="adopted", status_date=dt.date(2020, 1, 1), source_note="R 1",
                                        today=TODAY)
    services_policies.policy_status_set(actor=staff, jurisdiction=world.county, policy_type=world.topa,
                                        status="repealed", status_date=dt.date(2023, 1, 1), source_note="R 2",
                                        today=TODAY)
    dates = [dt.date(2019, 12, 31), dt.date(2021, 1, 1), dt.date(2024, 6, 1), dt.date(2024, 4, 30)]
    # The city's just-cause (adopted 2024-05-01) and the county's TOPA (2020 to 2023).
    readings = indicators_policies.policies_adopted(dates)
    assert [r.value for r in readings] == [0.0, 1.0, 1.0, 0.0]
    assert [r.value for r in indicators_policies.policies_adopted(dates, "ramsey-county")] == [0.0, 1.0, 0.0, 0.0]
    assert [r.value for r in indicators_policies.policies_adopted(dates, "saint-paul")] == [0.0, 0.0, 1.0, 0.0]
    reset_registry()
    indicator = indicators_policies.INDICATORS[0]
    assert indicator.key.startswith("displacement.")
    assert ("saint-paul", "Saint Paul") in indicator.param_choices()
    assert indicator.url_for("saint-paul") == reverse("displacement:policy_jurisdiction", args=["saint-paul"])


def test_a_corrected_adoption_date_replaces_the_mistaken_one(personas, world):
    staff = personas.user("staff")
    for day in (dt.date(2020, 1, 1), dt.date(2022, 1, 1)):
        services_policies.policy_status_set(actor=staff, jurisdiction=world.state, policy_type=world.topa,
                                            status="adopted", status_date=day, source_note="Laws 2022", today=TODAY)
    assert selectors.adopted_counts([dt.date(2021, 1, 1)], "minnesota") == [0]
    assert selectors.adopted_counts([dt.date(2022, 1, 1)], "minnesota") == [1]


def test_no_policy_page_answers_any_persona_with_a_server_error(client, personas, world):
    from commontable.core.testing import server_errors, url_routes

    routes = [(ns, p) for ns, p in url_routes(["displacement"]) if p.name.startswith("policy_")]
    assert len(routes) == 5

    def kwargs(pattern):
        values = {"jurisdiction": "saint-paul", "policy_type": "just_cause"}
        return {name: values[name] for name in pattern.pattern.converters}

    failures = server_errors(client, personas, routes, kwargs)
    assert not failures, "\n".join(failures)


def test_the_matrix_downloads_as_csv(client, personas, world):
    response = client.get(reverse("displacement:policy_matrix"), {"format": "csv", "kind": "city"})
    rows = b"".join(response.streaming_content).decode().splitlines()
    assert len(rows) == 1 + 8
    assert "Saint Paul,City,Just-cause eviction,Adopted,2024-05-01,https://example.org/ord-24-12,Ordinance 24-12," in rows


def test_policy_page_query_count_does_not_grow_with_history_or_campaigns(client, personas, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = personas.user("staff")
    for n in range(6):
        ask = CampaignAskFactory(investment=world.public_ask.investment, ask=f"Ask {n}", visibility=Visibility.PUBLIC)
        world.policy.campaigns.add(ask)
        services_policies.policy_status_set(actor=staff, jurisdiction=world.city, policy_type=world.just_cause,
                                            status="adopted", status_date=dt.date(2024, 5, 1),
                                            source_note=f"Ordinance 24-12, amendment {n}", today=TODAY)
    url = detail_url(world.city, world.just_cause)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    # The place, the type, the policy, its history, the visible campaigns with their investments.
    own = [q["sql"] for q in captured.captured_queries if "displacement_" in q["sql"] or "core_place" in q["sql"]]
    assert len(own) == 5, own
    assert len(response.context["campaigns"]) == 7
    assert len(response.context["history"]) == 1  # source corrections of one adoption
