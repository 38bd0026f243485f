"""The workforce pages for every persona: members see the workforce of investments they may see
(404 otherwise), staff keep goals and import; happy and failure paths; fixed query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commontable.core.models import ActivityLog, ImportBatch
from commontable.core.testing import assert_permission_matrix, login_as
from commontable.core.visibility import Visibility
from commontable.workforce.models import HoursRecord, WorkforceGoal
from commontable.workforce.pages import PAGES
from commontable.workforce.tests.conftest import own_queries
from commontable.workforce.tests.factories import HoursRecordFactory, WorkforceGoalFactory

MEMBERS_OK = {"anonymous": 302, "public_user": 403}
STAFF_ONLY = {"anonymous": 302, "public_user": 404, "member_a": 403, "member_b": 403, "table_member": 403,
              "board": 403, "staff": 200, "admin": 200}
HEADER = "contractor,period_start,period_end,trade,total_hours,bipoc_hours,women_hours,apprentice_hours\n"


def test_overview_is_for_members(client, personas, world):
    assert_permission_matrix(client, personas, "get", reverse("workforce:workforce_overview"), MEMBERS_OK, default=200)


def test_overview_shows_only_visible_investments_with_share_and_goal(client, personas, world):
    login_as(client, personas, "member_a")
    response = client.get(reverse("workforce:workforce_overview"))
    body = response.content.decode()
    assert "Snelling Station" in body and "Hidden Yard" not in body
    # BIPOC: (5 × 240 + 80) / (6 × 800) = 26.7%, against a goal of 32%.
    assert "26.7%" in body and "32.0%" in body and "below the goal" in body
    login_as(client, personas, "staff")
    assert "Hidden Yard" in client.get(reverse("workforce:workforce_overview")).content.decode()


@pytest.mark.parametrize("sort", ["name", "-name", "bipoc", "-bipoc", "gap", "-gap", "hours", "-hours", "nonsense"])
def test_overview_sorts(client, personas, world, sort):
    login_as(client, personas, "staff")
    response = client.get(reverse("workforce:workforce_overview"), {"sort": sort})
    assert response.status_code == 200


def test_overview_query_count_does_not_grow_with_investments(client, personas, world):
    from commontable.investments.tests.factories import InvestmentFactory

    for n in range(6):
        other = InvestmentFactory(visibility="members")
        WorkforceGoalFactory(investment=other)
        HoursRecordFactory(investment=other, employer_name=f"Firm {n}", employer_key=f"firm {n}")
    login_as(client, personas, "member_a")
    url = reverse("workforce:workforce_overview")
    client.get(url)
    assert own_queries(client, url) == []  # the page's body comes from the page cache
    PAGES.changed()  # a cold page: built from the data
    # Which investments the viewer may see: 1, for 7 rows or 70. The rows (sums, goals, names)
    # come from the cache, and cost three queries more after a change (below).
    assert len(own_queries(client, url)) == 1
    HoursRecordFactory(investment=other, employer_name="Firm X", employer_key="firm x")
    assert len(own_queries(client, url)) == 4
    assert client.get(url).content.decode().count("/workforce/investment-") == 6


def test_detail_follows_the_investments_visibility(client, personas, world):
    url = reverse("workforce:workforce_detail", args=[world.investment.slug])
    assert_permission_matrix(client, personas, "get", url, MEMBERS_OK, default=200)
    hidden = reverse("workforce:workforce_detail", args=[world.hidden.slug])
    assert_permission_matrix(client, personas, "get", hidden, {**MEMBERS_OK, "staff": 200, "admin": 200}, default=404)


def test_detail_shows_goals_months_shares_and_a_chart_with_the_same_numbers(client, personas, world):
    login_as(client, personas, "member_a")
    body = client.get(reverse("workforce:workforce_detail", args=[world.investment.slug])).content.decode()
    assert "10.0%" in body and "30.0%" in body  # March (40 + 40) / 800; the others 240 / 800
    assert body.count("<svg") >= 3 and "<script" not in body.split("<svg", 1)[1].split("</svg>")[0]
    assert "<title id=\"chart-bipoc-title\">" in body
    assert "Frogtown Electric Co." in body
    assert "Add a goal" not in body  # members do not edit


def test_detail_query_count_is_fixed(client, personas, world):
    url = reverse("workforce:workforce_detail", args=[world.investment.slug])
    for month in range(7, 12):
        HoursRecordFactory(investment=world.investment, period_start=dt.date(2025, month, 1), period_end=dt.date(2025, month, 7))
    login_as(client, personas, "member_a")
    client.get(url)
    assert len(own_queries(client, url)) == 1  # the investment (who may see it); the body is cached
    PAGES.changed()  # a cold page: built from the data
    # The investment; its goals: 2, for 11 months and 2 contractors; the sums by month and by
    # contractor are cached until hours change, and then are one query each.
    assert len(own_queries(client, url)) == 2
    HoursRecordFactory(investment=world.investment, employer_name="Firm X", employer_key="firm x")
    assert len(own_queries(client, url)) == 4
    response = client.get(url)
    assert "Firm X" in response.content.decode()
    assert response.content.decode().count("Jul 2025") + response.content.decode().count("Nov 2025") >= 2


def test_goal_pages_are_for_staff(client, personas, world):
    create = reverse("workforce:goal_create", args=[world.investment.slug])
    assert_permission_matrix(client, personas, "get", create, STAFF_ONLY)
    edit = reverse("workforce:goal_edit", args=[world.goal.public_id])
    assert_permission_matrix(client, personas, "get", edit, STAFF_ONLY)
    hidden_edit = reverse("workforce:goal_edit", args=[world.hidden_goal.public_id])
    assert_permission_matrix(client, personas, "get", hidden_edit, {**STAFF_ONLY, "member_a": 404, "member_b": 404,
                                                                     "table_member": 404, "board": 404})


def test_staff_set_a_goal_and_it_is_audited(client, personas, world):
    login_as(client, personas, "staff")
    url = reverse("workforce:goal_create", args=[world.investment.slug])
    response = client.post(url, {"measure": "apprentice", "target_percent": "15.5", "source": "cba",
                                 "source_note": "Section 4.2", "starts_on": "2025-01-01"})
    assert response.status_code == 302
    goal = WorkforceGoal.objects.get(measure="apprentice")
    assert goal.target_percent == Decimal("15.5")
    assert ActivityLog.objects.filter(action="workforce.goal.created", object_id=str(goal.pk)).exists()


@pytest.mark.parametrize("target", ["101", "-1", "32.55", "lots"])
def test_a_goal_outside_0_to_100_or_with_two_decimals_is_refused(client, personas, world, target):
    login_as(client, personas, "staff")
    url = reverse("workforce:goal_create", args=[world.investment.slug])
    response = client.post(url, {"measure": "women", "target_percent": target, "source": "cba"})
    assert response.status_code == 400
    assert WorkforceGoal.objects.filter(investment=world.investment).count() == 2


def test_a_goal_ending_before_it_starts_is_refused(client, personas, world):
    login_as(client, personas, "staff")
    response = client.post(reverse("workforce:goal_edit", args=[world.goal.public_id]), {
        "measure": "bipoc", "target_percent": "30", "source": "cba", "starts_on": "2025-05-01", "ends_on": "2025-01-01"})
    assert response.status_code == 400
    world.goal.refresh_from_db()
    assert world.goal.target_percent == Decimal("32.0")


def test_staff_change_and_remove_a_goal(client, personas, world):
    login_as(client, personas, "staff")
    response = client.post(reverse("workforce:goal_edit", args=[world.goal.public_id]),
                           {"measure": "bipoc", "target_percent": "35", "source": "ordinance"})
    assert response.status_code == 302
    world.goal.refresh_from_db()
    assert world.goal.target_percent == Decimal("35.0")
    entry = ActivityLog.objects.get(action="workforce.goal.changed")
    assert entry.data["changes"]["target_percent"] == ["32.0", "35.0"]
    delete = reverse("workforce:goal_delete", args=[world.goal.public_id])
    assert_permission_matrix(client, personas, "post", delete, {**STAFF_ONLY, "staff": 302, "admin": 404})
    assert not WorkforceGoal.objects.filter(pk=world.goal.pk).exists()
    assert ActivityLog.objects.filter(action="workforce.goal.deleted").exists()


def test_import_pages_are_for_staff(client, personas, world):
    url = reverse("workforce:hours_import_create", args=[world.investment.slug])
    assert_permission_matrix(client, personas, "get", url, STAFF_ONLY)


def test_upload_preview_apply(client, personas, world, sample_bytes):
    login_as(client, personas, "staff")
    url = reverse("workforce:hours_import_create", args=[world.investment.slug])
    response = client.post(url, {"file": SimpleUploadedFile("payroll.csv", sample_bytes, content_type="text/csv")})
    assert response.status_code == 302
    batch = ImportBatch.objects.get(kind="workforce-hours")
    preview_url = reverse("workforce:hours_import_detail", args=[world.investment.slug, batch.public_id])
    assert response["Location"] == preview_url
    assert_permission_matrix(client, personas, "get", preview_url, STAFF_ONLY)
    login_as(client, personas, "staff")
    body = client.get(preview_url).content.decode()
    assert "Ready to import" in body and "Totals per period in this file" in body
    assert "never stored" in body and "Alex Rivera" not in body
    apply_url = reverse("workforce:hours_import_apply", args=[world.investment.slug, batch.public_id])
    assert_permission_matrix(client, personas, "post", apply_url,
                             {**STAFF_ONLY, "staff": 302, "admin": 302})
    assert HoursRecord.objects.filter(investment=world.investment, period_end=dt.date(2025, 3, 7)).exists()
    assert ActivityLog.objects.filter(action="workforce.hours.imported").count() == 1


def test_a_file_with_problems_shows_them_by_row_and_column_and_cannot_be_applied(client, personas, world):
    login_as(client, personas, "staff")
    body = HEADER + "Acme,2025-03-01,2025-03-31,,-4,0,0,0\nAcme,2025-04-01,2025-04-30,,10,12,0,0\n"
    response = client.post(reverse("workforce:hours_import_create", args=[world.investment.slug]),
                           {"file": SimpleUploadedFile("bad.csv", body.encode(), content_type="text/csv")})
    batch = ImportBatch.objects.get(kind="workforce-hours")
    page = client.get(response["Location"]).content.decode()
    assert "Row 2, column “total_hours”: Hours cannot be negative" in page
    assert "Row 3, column “bipoc_hours”" in page
    before = HoursRecord.objects.count()
    client.post(reverse("workforce:hours_import_apply", args=[world.investment.slug, batch.public_id]))
    assert HoursRecord.objects.count() == before


def test_an_unreadable_upload_is_refused_on_the_form(client, personas, world):
    login_as(client, personas, "staff")
    response = client.post(reverse("workforce:hours_import_create", args=[world.investment.slug]),
                           {"file": SimpleUploadedFile("empty.csv", b"", content_type="text/csv")})
    assert response.status_code == 400
    assert not ImportBatch.objects.exists()


def test_a_batch_of_another_investment_is_not_found(client, personas, world):
    login_as(client, personas, "staff")
    response = client.post(reverse("workforce:hours_import_create", args=[world.hidden.slug]),
                           {"file": SimpleUploadedFile("h.csv", (HEADER + "Acme,2025-03-01,2025-03-31,,10,1,1,1\n").encode())})
    batch = ImportBatch.objects.get()
    assert client.get(reverse("workforce:hours_import_detail", args=[world.investment.slug, batch.public_id])).status_code == 404
    assert response.status_code == 302


def test_the_investment_page_shows_the_bipoc_share_of_hours_and_links_here(client, personas, world):
    """The investment's page lists this app's line through core.hooks (it cannot import us)."""
    from commontable.investments.tests.factories import InvestmentFactory

    login_as(client, personas, "member_a")
    page = client.get(reverse("investments:investment_detail", args=[world.investment.slug])).content.decode()
    # 1,280 of 4,800 hours by BIPOC workers (the world's six months of two contractors).
    assert '<a href="/workforce/snelling-station/">BIPOC workers: 26.7 % of 4,800 hours</a>' in page
    quiet = InvestmentFactory(name="Quiet Park", slug="quiet-park", visibility=Visibility.MEMBERS)
    page = client.get(reverse("investments:investment_detail", args=[quiet.slug])).content.decode()
    assert '<a href="/workforce/quiet-park/">No hours recorded yet</a>' in page
    HoursRecordFactory(investment=quiet, total_hundredths=100_00, bipoc_hundredths=50_00)
    page = client.get(reverse("investments:investment_detail", args=[quiet.slug])).content.decode()
    assert "BIPOC workers: 50.0 % of 100 hours" in page  # the cached sums follow the new record
