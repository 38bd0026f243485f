"""The investment imports in a real browser, as staff: from the investment list to the capital-plan
upload, a file with a negative amount (the preview names the row and column; no Apply button), the
corrected file, apply; then a USAspending award file whose out-of-region awards show as skipped.
axe and a keyboard walk on each page."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from commontable.core.models import Place
from commontable.investments.models import FundingSource, Investment
from tests_e2e.a11y import assert_accessible, assert_keyboard_walk

pytestmark = pytest.mark.e2e
SAMPLES = "commontable/investments/samples/"


def upload(page, path) -> None:
    page.get_by_label("File (CSV or XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()


def checked(page) -> None:
    assert_accessible(page)
    assert_keyboard_walk(page)


def test_staff_import_a_capital_plan_and_federal_awards(site, page, context, sign_in, tmp_path):
    state = Place.objects.create(slug="minnesota", name="Minnesota", kind=Place.Kind.STATE, code="27")
    metro = Place.objects.create(slug="metro", name="Twin Cities metro", kind=Place.Kind.REGION, parent=state)
    hennepin = Place.objects.create(slug="hennepin-county", name="Hennepin County", kind=Place.Kind.COUNTY, parent=metro, code="27053")
    Place.objects.create(slug="ramsey-county", name="Ramsey County", kind=Place.Kind.COUNTY, parent=metro, code="27123")
    mpls = Place.objects.create(slug="minneapolis", name="Minneapolis", kind=Place.Kind.CITY, parent=hennepin)
    Place.objects.create(slug="cedar-riverside", name="Cedar-Riverside", kind=Place.Kind.NEIGHBORHOOD, parent=mpls)
    sign_in(context, site.user("staff"))
    page.goto(site.url + reverse("investments:investment_list"))
    page.get_by_role("link", name="Import a capital plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import Capital plan (investments)")
    checked(page)

    plan = Path(SAMPLES, "capital_plan_by_year_columns.csv").read_text(encoding="utf-8")
    bad = tmp_path / "plan-bad.csv"
    bad.write_text(plan.replace('"$1,250,000.00"', '"(1,250,000)"'), encoding="utf-8")
    upload(page, bad)
    expect(page.get_by_role("alert")).to_contain_text("1 problem must be fixed")
    expect(page.get_by_text("The amount cannot be negative.")).to_be_visible()
    expect(page.get_by_role("button", name="Apply the import")).to_have_count(0)
    checked(page)

    page.get_by_role("link", name="Upload a corrected file").click()
    upload(page, SAMPLES + "capital_plan_by_year_columns.csv")
    expect(page.get_by_role("heading", name="Ready to import")).to_be_visible()
    checked(page)
    page.get_by_role("button", name="Apply the import").click()
    expect(page.get_by_role("status").first).to_contain_text("Imported: 3 new")
    assert_accessible(page)
    assert Investment.objects.count() == 3 and FundingSource.objects.count() == 7

    page.goto(site.url + reverse("investments:investment_import", args=["usaspending"]))
    upload(page, SAMPLES + "Assistance_PrimeAwardSummaries_sample.csv")
    expect(page.get_by_role("heading", name="Ready to import")).to_be_visible()
    expect(page.get_by_text("Skipped: performed in another state (FIPS 55).")).to_be_visible()
    checked(page)
    page.get_by_role("button", name="Apply the import").click()
    expect(page.get_by_role("status").first).to_contain_text("2 skipped")
    assert FundingSource.objects.filter(award_id="ASST_NON_MN90X999_6955", program="iija").exists()
