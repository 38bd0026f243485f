"""Seats at decision tables in a real browser: staff nominate a leader to a vacant seat with an
endorsing organisation, record the appointment, and see the representation roll-up change. Axe
on the body page, the seat page, the nomination and outcome forms and the roll-up; the pages
do not scroll sideways on a 320 px phone."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests_e2e.a11y import assert_accessible
from tests_e2e.test_reach import PHONE, Target, check_phone_page

pytestmark = pytest.mark.e2e


def _register(personas):
    from commontable.directory.tests.factories import OrganizationFactory
    from commontable.seats.tests.factories import (
        LeaderFactory,
        PlaceFactory,
        PublicBodyFactory,
        SeatFactory,
        TermFactory,
    )

    today = dt.date.today()
    body = PublicBodyFactory(name="Ramsey County Housing Board", slug="ramsey-housing-board",
                             jurisdiction=PlaceFactory(slug="ramsey-county", name="Ramsey County"),
                             meeting_frequency="weekly", meeting_weekdays="2", first_meeting_on=today,
                             meeting_starts_at=dt.time(17, 30), meeting_location="Ramsey County Courthouse")
    held = SeatFactory(body=body, name="District 4 seat", position=1)
    TermFactory(seat=held, holder_name="Tou Lor", starts_on=today - dt.timedelta(days=200),
                ends_on=today + dt.timedelta(days=30))
    vacant = SeatFactory(body=body, name="Renter seat", position=2, constituency="A renter in the county",
                         deadline_kind="open_until_filled")
    leader = LeaderFactory(person=personas.person_a)
    endorser = OrganizationFactory(name="East Side Tenants Union", slug="east-side-tenants",
                                   membership_status="member")
    return body, vacant, leader, endorser


def test_staff_nominate_a_leader_record_the_appointment_and_see_the_rollup_change(site, browser, sign_in):
    body, _vacant, leader, endorser = _register(site)
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        sign_in(context, site.user("staff"))
        base = site.url

        page.goto(base + reverse("seats:rollup"))
        expect(page.get_by_test_id("total-by-leaders")).to_have_text("0")
        assert_accessible(page)

        page.goto(base + reverse("seats:body_detail", args=[body.slug]))
        assert_accessible(page)
        page.get_by_role("link", name="Renter seat").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Renter seat")
        assert_accessible(page)

        page.get_by_role("link", name="Nominate a leader").click()
        assert_accessible(page)
        page.get_by_label("Leader").select_option(str(leader.public_id))
        page.get_by_label("Endorsed by").select_option(endorser.slug)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("The nomination was recorded.")).to_be_visible()

        page.get_by_role("link", name="Record the outcome for Ayaan Cabdi").click()
        assert_accessible(page)
        page.get_by_label("Outcome").select_option("appointed")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("The outcome was recorded.")).to_be_visible()
        holders = page.locator("section[aria-labelledby=holders-heading]")
        expect(holders).to_contain_text("Ayaan Cabdi")
        expect(holders).to_contain_text("Coalition leader")

        page.goto(base + reverse("seats:rollup"))
        expect(page.get_by_test_id("total-by-leaders")).to_have_text("1")
        assert_accessible(page)

        page.goto(base + reverse("seats:leader_detail", args=[leader.public_id]))
        expect(page.locator("ol.timeline")).to_contain_text("East Side Tenants Union")
        assert_accessible(page)
    finally:
        context.close()


def test_seats_pages_fit_a_phone_and_work_by_keyboard(site, browser, sign_in):
    body, vacant, _leader, _endorser = _register(site)
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        sign_in(context, site.user("member_b"))
        problems = []
        for target in (Target("public bodies", reverse("seats:body_list")),
                       Target("a body", reverse("seats:body_detail", args=[body.slug])),
                       Target("a seat", reverse("seats:seat_detail", args=[vacant.public_id])),
                       Target("openings", reverse("seats:opening_list")),
                       Target("representation", reverse("seats:rollup")),
                       Target("engagement log", reverse("seats:process_list"))):
            problems += check_phone_page(page, site.url, target)
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def test_filtering_the_bodies_says_how_many_in_one_sentence_and_keeps_focus_on_a_new_page(site, page):
    """The results are not a live region (a screen reader would read the whole table again at
    every keystroke): one polite sentence says how many match; a page link keeps focus in them."""
    from commontable.seats.tests.factories import PublicBodyFactory

    for number in range(55):
        PublicBodyFactory(name=f"Watershed board {number:02d}")
    PublicBodyFactory(name="Ramsey County Housing Board")
    page.goto(site.url + reverse("seats:body_list"))
    expect(page.locator("#results")).not_to_have_attribute("aria-live", "polite")
    page.get_by_label("Name").fill("Ramsey")
    expect(page.locator("#live-status")).to_have_text("1 public body")
    page.get_by_label("Name").fill("Watershed")
    expect(page.locator("#live-status")).to_have_text("55 public bodies")
    page.locator("#results .pagination a", has_text="Next").first.click()
    expect(page.locator("#results")).to_contain_text("Watershed board 54")
    assert page.evaluate("() => document.getElementById('results').contains(document.activeElement)")
