"""Workforce in a real browser: staff set a goal, upload a certified-payroll export, read the
preview (names dropped, totals per period), apply it and see the goal-against-actual chart — axe and
a keyboard walk on every page on the way — and the workforce page reflows at 320 px."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from commontable.core.visibility import Visibility
from commontable.investments.tests.factories import InvestmentFactory
from commontable.workforce.models import HoursRecord
from commontable.workforce.tests.factories import WorkforceGoalFactory
from tests_e2e.a11y import assert_accessible, assert_keyboard_walk
from tests_e2e.test_reach import PHONE, Target, check_phone_page

pytestmark = pytest.mark.e2e
SAMPLE = Path(__file__).resolve().parents[1] / "commontable" / "workforce" / "samples" / "certified_payroll_sample.csv"


@pytest.fixture
def investment(site):
    item = InvestmentFactory(name="Snelling Yards Redevelopment", slug="snelling-yards", visibility=Visibility.PUBLIC)
    WorkforceGoalFactory(investment=item, measure="women", target_percent=Decimal("20.0"))
    return item


def url_of(site, name: str, **kwargs) -> str:
    return site.url + reverse(name, kwargs=kwargs or None)


def checked(page) -> None:
    assert_accessible(page)
    assert_keyboard_walk(page)


def test_set_a_goal_import_certified_payroll_and_see_the_chart(site, investment, browser, sign_in):
    context = browser.new_context()
    try:
        sign_in(context, site.user("staff"))
        page = context.new_page()
        page.goto(url_of(site, "workforce:workforce_detail", slug=investment.slug))
        checked(page)
        page.get_by_role("link", name="Add a goal").click()
        checked(page)
        page.get_by_label("Share of total hours worked by").select_option("bipoc")
        page.get_by_label("Goal (percent of total hours)").fill("32")
        page.get_by_label("Stated in").select_option("ordinance")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Workforce: Snelling Yards Redevelopment")
        expect(page.get_by_role("cell", name="32.0%")).to_be_visible()

        page.get_by_role("link", name="Import certified payroll").click()
        checked(page)
        page.get_by_label("File (CSV or XLSX)").set_input_files(str(SAMPLE))
        page.get_by_role("button", name="Check the file").click()
        expect(page.get_by_role("heading", name="Ready to import")).to_be_visible()
        expect(page.get_by_text("Worker names are never stored").first).to_be_visible()
        expect(page.get_by_role("heading", name="Totals per period in this file")).to_be_visible()
        assert "Alex Rivera" not in page.content()
        checked(page)
        page.get_by_role("button", name="Apply the import").click()

        expect(page.get_by_role("heading", name="Goal against actual, by month")).to_be_visible()
        chart = page.locator("svg.goal-chart").first
        expect(chart).to_have_attribute("role", "img")
        assert "share of total hours against the goal" in chart.locator("title").text_content()
        expect(page.get_by_role("row", name=dt.date(2025, 3, 1).strftime("%b %Y"))).to_be_visible()
        checked(page)
        assert HoursRecord.objects.filter(investment=investment).count() == 24
    finally:
        context.close()


def test_the_workforce_pages_fit_a_phone(site, investment, browser, sign_in):
    from commontable.workforce.tests.factories import HoursRecordFactory

    HoursRecordFactory(investment=investment)
    context = browser.new_context(viewport=PHONE)
    try:
        sign_in(context, site.user("member_a"))
        page = context.new_page()
        problems = []
        for target in (Target("workforce page", reverse("workforce:workforce_detail", args=[investment.slug])),
                       Target("workforce overview", reverse("workforce:workforce_overview"))):
            problems += check_phone_page(page, site.url, target)
        assert not problems, "\n".join(problems)
    finally:
        context.close()
