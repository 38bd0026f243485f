"""The decision calendar in a real browser: staff add a hearing (a time skipped by spring-forward is
refused with a clear error, then corrected), it shows on the month agenda, a member watches the
investment; axe and a keyboard walk on the calendar and the form."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from commontable.core import schedule
from commontable.core.visibility import Visibility
from commontable.investments.demo import next_spring_forward
from commontable.investments.tests.factories import InvestmentFactory
from tests_e2e.a11y import assert_accessible, assert_keyboard_walk

pytestmark = pytest.mark.e2e


def checked(page) -> None:
    assert_accessible(page)
    assert_keyboard_walk(page)


def test_staff_add_a_hearing_and_a_member_watches_it(site, browser, sign_in):
    investment = InvestmentFactory(name="Snelling Yards Redevelopment", slug="snelling-yards",
                                   visibility=Visibility.PUBLIC)
    change = next_spring_forward(dt.date.today() + dt.timedelta(days=1))
    assert schedule.is_nonexistent(change, dt.time(2, 30))
    staff = browser.new_context()
    try:
        sign_in(staff, site.user("staff"))
        page = staff.new_page()
        page.goto(site.url + reverse("investments:decision_create", args=[investment.slug]))
        checked(page)
        page.locator("#id_title").fill("Public hearing on the redevelopment")
        page.locator("#id_kind").select_option("hearing")
        page.locator("#id_starts_on").fill(change.isoformat())
        page.locator("#id_starts_at_time").fill("02:30")
        page.locator("#id_location").fill("City Hall, room 300")
        page.get_by_role("button", name="Add to the calendar").click()
        expect(page.locator(".error-summary")).to_contain_text("does not exist")
        checked(page)
        page.locator("#id_starts_at_time").fill("18:30")
        page.get_by_role("button", name="Add to the calendar").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Public hearing on the redevelopment")
        expect(page.locator("main")).to_contain_text("CDT")
    finally:
        staff.close()

    member = browser.new_context()
    try:
        sign_in(member, site.user("member_b"))
        page = member.new_page()
        page.goto(site.url + reverse("investments:decision_calendar") + f"?month={change:%Y-%m}")
        expect(page.get_by_role("link", name="Public hearing on the redevelopment")).to_be_visible()
        checked(page)
        page.get_by_label("Kind").select_option("vote")
        page.get_by_role("button", name="Show").click()
        expect(page.locator("main")).to_contain_text("No hearings, votes or deadlines this month.")
        page.goto(site.url + reverse("investments:investment_detail", args=[investment.slug]))
        page.get_by_role("button", name="Watch: remind me of its decisions").click()
        expect(page.get_by_role("button", name="Stop watching")).to_be_visible()
    finally:
        member.close()
