"""Investment pages: the list (filters, exports, the plan's links, constant queries), an
investment's page, registering and editing one (amounts and GeoJSON refused on their fields), its
stage by the rules, and its funding. Commitments, asks and the public page have their own files."""

import csv
import io
import json

import pytest
from django.urls import reverse

from commontable.core.models import ActivityLog
from commontable.core.testing import assert_permission_matrix, login_as
from commontable.core.visibility import Visibility
from commontable.investments.choices import AskOutcome, Stage
from commontable.investments.models import FundingSource, Investment
from commontable.investments.pages import PAGES
from commontable.investments.tests.conftest import STATION, TODAY
from commontable.investments.tests.factories import (
    CampaignAskFactory,
    FundingSourceFactory,
    InvestmentFactory,
)

LIST = reverse("investments:investment_list")
CREATE = reverse("investments:investment_create")
MEMBERS_ONLY = {"anonymous": 302, "public_user": 403}


def url(name, investment):
    return reverse(f"investments:{name}", args=[investment.slug])


def names(response):
    return [i.name for i in response.context["investments"]]


# --- list -----------------------------------------------------------------------------------------


def test_investment_list_permission_matrix(client, personas, world):
    assert_permission_matrix(client, personas, "get", LIST, MEMBERS_ONLY, default=200)


def test_the_list_shows_what_each_persona_may_see(client, personas, world):
    login_as(client, personas, "member_b")
    assert names(client.get(LIST)) == ["Snelling Station"]
    login_as(client, personas, "table_member")
    assert names(client.get(LIST)) == ["Corridor Study", "Snelling Station"]
    login_as(client, personas, "staff")
    assert names(client.get(LIST)) == ["Corridor Study", "Quiet Land Deal", "Snelling Station"]


def test_investments_appear_in_the_navigation_of_members_only(client, personas, world):
    login_as(client, personas, "member_a")
    assert f'href="{LIST}"' in client.get(reverse("core:home")).content.decode()
    login_as(client, personas, "public_user")
    assert f'href="{LIST}"' not in client.get(reverse("core:home")).content.decode()


def test_the_list_filters_by_kind_stage_place_table_and_name(client, personas, world, place):
    InvestmentFactory(name="Rondo Land Bridge", kind="park", stage=Stage.PROPOSED)
    login_as(client, personas, "staff")
    assert names(client.get(LIST, {"kind": "park"})) == ["Rondo Land Bridge"]
    assert names(client.get(LIST, {"stage": "funded"})) == ["Snelling Station"]
    assert names(client.get(LIST, {"jurisdiction": place.slug})) == ["Snelling Station"]
    assert names(client.get(LIST, {"table": personas.table.slug})) == ["Snelling Station"]
    assert names(client.get(LIST, {"q": "land"})) == ["Quiet Land Deal", "Rondo Land Bridge"]
    assert client.get(LIST, {"stage": "demolished"}).status_code == 400


def test_the_plans_figures_link_to_investments_with_an_ask_and_with_an_ask_won(client, personas, world):
    won = InvestmentFactory(name="Bus Rapid Transit")
    CampaignAskFactory(investment=won, outcome=AskOutcome.PARTLY, outcome_on=TODAY)
    CampaignAskFactory(investment=world.hidden, visibility=Visibility.STAFF)
    login_as(client, personas, "member_a")
    assert names(client.get(LIST, {"has_ask": "yes"})) == ["Bus Rapid Transit", "Snelling Station"]
    assert names(client.get(LIST, {"has_ask": "won"})) == ["Bus Rapid Transit"]
    login_as(client, personas, "staff")
    assert names(client.get(LIST, {"has_ask": "yes"})) == [
        "Bus Rapid Transit",
        "Quiet Land Deal",
        "Snelling Station",
    ]


def test_the_list_exports_exactly_the_filtered_rows_as_csv_and_xlsx(client, personas, world):
    InvestmentFactory(name="=HYPERLINK(1)", stage=Stage.PROPOSED)
    login_as(client, personas, "member_a")
    response = client.get(LIST, {"stage": "funded", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "Name" and [r[0] for r in rows[1:]] == ["Snelling Station"]
    assert rows[1][6:8] == ["12500000.0", "5500000.5"]  # total cost and funding, in dollars
    everything = list(
        csv.reader(
            io.StringIO(b"".join(client.get(LIST, {"format": "csv"}).streaming_content).decode("utf-8-sig"))
        )
    )
    assert [r[0] for r in everything if "HYPERLINK" in r[0]] == ["'=HYPERLINK(1)"]
    xlsx = client.get(LIST, {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats") and xlsx.content[:2] == b"PK"


def test_list_queries_do_not_grow_with_rows(client, personas, world, place, django_assert_num_queries):
    for n in range(6):
        item = InvestmentFactory(name=f"Row {n}", jurisdiction=place, sponsor=world.obligor)
        FundingSourceFactory(investment=item)
    login_as(client, personas, "member_a")
    client.get(LIST)  # warm the content-type cache
    PAGES.changed()  # a cold page: built from the data, not served from the page cache
    # session, user, the viewer kept in the cache (no query), the paginator's count,
    # the page's ids, the page of investments with sponsor, jurisdiction and funding total; the
    # filter's choices: places, tables the user may see.
    with django_assert_num_queries(7):
        response = client.get(LIST)
    assert len(response.context["investments"]) == 7


# --- detail ---------------------------------------------------------------------------------------


def test_investment_detail_permission_matrix(client, personas, world):
    assert_permission_matrix(
        client, personas, "get", url("investment_detail", world.investment), MEMBERS_ONLY, default=200
    )
    assert_permission_matrix(
        client,
        personas,
        "get",
        url("investment_detail", world.hidden),
        {**MEMBERS_ONLY, "staff": 200, "admin": 200},
        default=404,
    )
    assert_permission_matrix(
        client,
        personas,
        "get",
        url("investment_detail", world.table_only),
        {**MEMBERS_ONLY, "table_member": 200, "staff": 200, "admin": 200},
        default=404,
    )


def test_the_investment_page_shows_funding_stages_location_commitments_and_asks(client, personas, world):
    login_as(client, personas, "member_b")
    response = client.get(url("investment_detail", world.investment))
    body = response.content.decode()
    funding = response.context["funding"]
    assert funding.years == [2025, 2026] and funding.total_cents == 5_500_000_50
    assert "$5,500,000.50" in body and "$4,000,000" in body and "FTA-2025-17" in body
    assert "Grant awarded" in body
    assert "A point at latitude 44.9556, longitude -93.1647" in body
    statuses = {row.commitment.text: row.status for row in response.context["page"].commitments}
    assert statuses == {c.text: status for status, c in world.commitments.items()}  # not the staff-only one
    for label in ("Met", "On track", "At risk", "Missed", "No data"):
        assert f">{label}</span>" in body  # the status as a word
    assert "Fund an anti-displacement trust" in body and "Org A, Org B" in body
    assert "Edit" not in body and "Record an action" not in body and "Activity" not in body


def test_staff_see_the_tools_and_the_activity_and_representatives_record_actions(client, personas, world):
    login_as(client, personas, "staff")
    body = client.get(url("investment_detail", world.investment)).content.decode()
    assert (
        url("investment_edit", world.investment) in body
        and "Staff only: side letter" in body
        and "Activity" in body
    )
    login_as(client, personas, "member_a")
    body = client.get(url("investment_detail", world.investment)).content.decode()
    assert reverse("investments:ask_action_add", args=[world.ask.public_id]) in body
    assert url("investment_edit", world.investment) not in body


def test_detail_queries_do_not_grow_with_rows(client, personas, world, django_assert_num_queries):
    for n in range(5):
        FundingSourceFactory(investment=world.investment, fiscal_year=2020 + n)
        CampaignAskFactory(investment=world.investment)
    login_as(client, personas, "member_a")
    client.get(url("investment_detail", world.investment))  # warm the content-type cache
    PAGES.changed()  # a cold page: built from the data, not served from the page cache
    # session, user, the viewer kept in the cache (no query), the investment with its
    # sponsor and place; funding, stages, commitments with their latest report and obligor, asks,
    # their actions, the actions' organisations; tables and organisations engaged that the user
    # may see; whether the user represents an engaged organisation (for recording actions);
    # upcoming decisions and whether the user watches the investment; the contracting
    # opportunities the user may see on it (a COUNT; the workforce line reads cached sums); the
    # agency processes logged on it (a COUNT, seats' engagement log).
    with django_assert_num_queries(16):
        response = client.get(url("investment_detail", world.investment))
    assert len(response.context["page"].asks) == 6 and len(response.context["page"].funding) == 7


# --- create and edit ------------------------------------------------------------------------------


def investment_data(**overrides):
    return {
        "name": "Rondo Land Bridge",
        "kind": "park",
        "stage": "planning",
        "total_cost": "6,500,000.00",
        "location": json.dumps(STATION),
        "visibility": "members",
        **overrides,
    }


def test_investment_create_permission_matrix(client, personas, world):
    expected = {"anonymous": 302, "staff": 200, "admin": 200}
    assert_permission_matrix(client, personas, "get", CREATE, expected, default=403)
    assert_permission_matrix(
        client, personas, "post", CREATE, {**expected, "staff": 400, "admin": 400}, data={}, default=403
    )


def test_staff_register_an_investment_with_its_location(client, personas, world, place):
    login_as(client, personas, "staff")
    data = investment_data(
        jurisdiction=place.slug,
        organizations=[personas.org_a.slug],
        tables=[personas.table.slug],
        sponsor=world.obligor.slug,
    )
    response = client.post(CREATE, data)
    investment = Investment.objects.get(name="Rondo Land Bridge")
    assert response.status_code == 302 and response["Location"] == url("investment_detail", investment)
    assert investment.total_cost_cents == 650_000_000 and investment.geometry["type"] == "Point"
    assert investment.stage == Stage.PLANNING and investment.stage_changes.count() == 1
    assert list(investment.organizations.all()) == [personas.org_a] and investment.jurisdiction == place
    assert ActivityLog.objects.filter(action="investments.investment.created").exists()


@pytest.mark.parametrize(
    "amount, message",
    [
        ("-5", "cannot be negative"),
        ("12.345", "at most two decimals"),
        ("twelve", "Enter an amount"),
        ("NaN", "Enter an amount"),
    ],
)
def test_bad_amounts_are_refused_on_their_field_and_nothing_is_written(
    client, personas, world, amount, message
):
    login_as(client, personas, "staff")
    response = client.post(CREATE, investment_data(total_cost=amount))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["total_cost"])
    assert not Investment.objects.filter(name="Rondo Land Bridge").exists()


@pytest.mark.parametrize(
    "location, message",
    [
        ("{not json", "not even JSON"),
        ('{"type": "Circle", "coordinates": [0, 0]}', "a point, a line or an area"),
        ('{"type": "Point", "coordinates": [-87.63, 41.88]}', "outside the coalition"),
        (
            '{"type": "Polygon", "coordinates": [[[-93.2, 44.9], [-93.1, 45.0], [-93.1, 44.9], [-93.2, 45.0], [-93.2, 44.9]]]}',
            "not valid",
        ),
    ],
)
def test_bad_geojson_is_refused_on_the_location_field(client, personas, world, location, message):
    login_as(client, personas, "staff")
    response = client.post(CREATE, investment_data(location=location))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["location"])
    assert not Investment.objects.filter(name="Rondo Land Bridge").exists()


def test_table_visibility_needs_a_table(client, personas, world):
    login_as(client, personas, "staff")
    response = client.post(CREATE, investment_data(visibility="table"))
    assert response.status_code == 400 and "visibility_table" in response.context["form"].errors


def test_investment_edit_permission_matrix(client, personas, world):
    edit = url("investment_edit", world.investment)
    expected = {"anonymous": 302, "public_user": 404, "staff": 200, "admin": 200}
    assert_permission_matrix(client, personas, "get", edit, expected, default=403)
    assert_permission_matrix(
        client, personas, "post", edit, {**expected, "staff": 400, "admin": 400}, data={}, default=403
    )
    assert_permission_matrix(
        client,
        personas,
        "get",
        url("investment_edit", world.hidden),
        {"anonymous": 302, "staff": 200, "admin": 200},
        default=404,
    )


def test_staff_edit_an_investment_and_its_form_starts_from_what_is_stored(client, personas, world):
    login_as(client, personas, "staff")
    edit = url("investment_edit", world.investment)
    initial = client.get(edit).context["form"].initial
    assert initial["total_cost"] == "12500000.00" and json.loads(initial["location"]) == STATION
    response = client.post(
        edit,
        investment_data(name="Snelling Avenue Station", kind="transit_station", location="", total_cost=""),
    )
    assert response.status_code == 302
    world.investment.refresh_from_db()
    assert world.investment.name == "Snelling Avenue Station" and world.investment.geometry is None
    assert world.investment.slug == "snelling-station"  # addresses stay stable
    response = client.post(
        edit, investment_data(location='{"type": "Point", "coordinates": [44.95, -93.16]}')
    )
    assert response.status_code == 400 and "longitude" in " ".join(
        response.context["form"].errors["location"]
    )


# --- stage ----------------------------------------------------------------------------------------


def test_investment_stage_change_permission_matrix(client, personas, world):
    stage = url("investment_stage_change", world.investment)
    expected = {"anonymous": 302, "public_user": 404, "staff": 200, "admin": 200}
    assert_permission_matrix(client, personas, "get", stage, expected, default=403)
    assert_permission_matrix(
        client, personas, "post", stage, {**expected, "staff": 400, "admin": 400}, data={}, default=403
    )


def test_only_stages_the_rules_allow_are_offered_and_a_move_is_dated(client, personas, world):
    login_as(client, personas, "staff")
    stage = url("investment_stage_change", world.investment)
    offered = [value for value, _label in client.get(stage).context["form"].fields["stage"].choices]
    assert offered == ["design", "construction", "complete", "cancelled"]
    response = client.post(
        stage, {"stage": "construction", "effective_on": TODAY.isoformat(), "note": "Ground broken"}
    )
    assert response.status_code == 302
    world.investment.refresh_from_db()
    assert (
        world.investment.stage == Stage.CONSTRUCTION
        and world.investment.stage_changes.last().note == "Ground broken"
    )


def test_a_stage_the_rules_refuse_or_a_date_before_the_current_stage_writes_nothing(client, personas, world):
    login_as(client, personas, "staff")
    stage = url("investment_stage_change", world.investment)
    response = client.post(stage, {"stage": "planning", "effective_on": TODAY.isoformat()})
    assert response.status_code == 400 and "cannot move to that stage" in " ".join(
        response.context["form"].errors["stage"]
    )
    response = client.post(stage, {"stage": "design", "effective_on": "2025-01-01"})
    assert response.status_code == 400 and "before the current stage began" in " ".join(
        response.context["form"].errors["effective_on"]
    )
    world.investment.refresh_from_db()
    assert world.investment.stage == Stage.FUNDED and world.investment.stage_changes.count() == 2


# --- funding --------------------------------------------------------------------------------------


def test_funding_add_permission_matrix(client, personas, world):
    add = url("funding_add", world.investment)
    expected = {"anonymous": 302, "public_user": 404, "staff": 200, "admin": 200}
    assert_permission_matrix(client, personas, "get", add, expected, default=403)
    assert_permission_matrix(
        client, personas, "post", add, {**expected, "staff": 400, "admin": 400}, data={}, default=403
    )


def test_staff_add_funding_in_dollars_kept_as_cents(client, personas, world):
    login_as(client, personas, "staff")
    response = client.post(
        url("funding_add", world.investment),
        {"program": "tif", "fiscal_year": "2027", "amount": "$2,500,000", "award_id": "TIF-2027-04"},
    )
    assert response.status_code == 302
    assert FundingSource.objects.get(award_id="TIF-2027-04").amount_cents == 250_000_000


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("amount", "-1", "cannot be negative"),
        ("amount", "1.005", "at most two decimals"),
        ("amount", "lots", "Enter an amount"),
        ("fiscal_year", "1800", "between 1990 and 2100"),
        ("fiscal_year", "next year", "between 1990 and 2100"),
    ],
)
def test_bad_funding_is_refused_on_its_field(client, personas, world, field, value, message):
    login_as(client, personas, "staff")
    data = {"program": "tif", "fiscal_year": "2027", "amount": "100", field: value}
    response = client.post(url("funding_add", world.investment), data)
    assert response.status_code == 400 and message in " ".join(response.context["form"].errors[field])
    assert world.investment.funding_sources.count() == 2


def test_funding_remove_permission_matrix(client, personas, world):
    remove = url("funding_remove", world.investment)
    source = world.investment.funding_sources.first()
    expected = {"anonymous": 302, "public_user": 404, "staff": 302, "admin": 302}
    assert_permission_matrix(client, personas, "get", remove, {"anonymous": 302}, default=405)
    # staff remove it the first time; the admin then finds nothing to remove
    assert_permission_matrix(
        client, personas, "post", remove, {**expected, "admin": 404}, data={"source": source.pk}, default=403
    )
    assert not FundingSource.objects.filter(pk=source.pk).exists()
    assert ActivityLog.objects.filter(action="investments.funding.removed").count() == 1


def test_a_funding_source_of_another_investment_cannot_be_removed_through_this_one(client, personas, world):
    other = FundingSourceFactory()
    login_as(client, personas, "staff")
    assert client.post(url("funding_remove", world.investment), {"source": other.pk}).status_code == 404
    assert client.post(url("funding_remove", world.investment), {"source": "x"}).status_code == 404
    assert FundingSource.objects.filter(pk=other.pk).exists()
