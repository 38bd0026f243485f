"""The BIPOC business directory in a real browser: a visitor filters the directory by trade and
place; staff post a contracting opportunity on an investment, see the businesses that match it and
why, and notify them (a second click sends nothing twice) — axe and a keyboard walk on every page
on the way — and the directory, a business and an opportunity reflow at 320 px."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from commontable.businesses.tests.factories import BusinessFactory, CertificationFactory
from commontable.core.models import Place
from commontable.core.visibility import Visibility
from commontable.investments.tests.factories import InvestmentFactory
from tests_e2e.a11y import assert_accessible, assert_keyboard_walk
from tests_e2e.test_reach import PHONE, Target, check_phone_page

pytestmark = pytest.mark.e2e


@pytest.fixture
def directory(site):
    ramsey = Place.objects.create(slug="ramsey-county", name="Ramsey County", kind=Place.Kind.COUNTY)
    saint_paul = Place.objects.create(slug="saint-paul", name="Saint Paul", kind=Place.Kind.CITY, parent=ramsey)
    plumber = BusinessFactory(name="Cedar Root Plumbing & Heating", slug="cedar-root", codes=["238220"],
                              email="bids@cedar-root.example", notices_consent_at=timezone.now(), preferred_language="so",
                              bonding_limit_cents=75_000_000)
    plumber.places_served.add(ramsey)
    CertificationFactory(business=plumber, program="cert")
    electrician = BusinessFactory(name="Northstar Sparks Electric", slug="northstar-sparks", codes=["238210"])
    electrician.places_served.add(saint_paul)
    CertificationFactory(business=electrician, program="tgb", valid_from=timezone.localdate().replace(year=2020),
                         valid_until=timezone.localdate().replace(year=2021))
    BusinessFactory(name="Blue Heron Landscape Architects", slug="blue-heron", codes=["541320"])
    investment = InvestmentFactory(name="Snelling Yards Redevelopment", slug="snelling-yards", visibility=Visibility.PUBLIC)
    return {"investment": investment, "saint_paul": saint_paul}


def url_of(site, name: str, **kwargs) -> str:
    return site.url + reverse(name, kwargs=kwargs or None)


def checked(page) -> None:
    assert_accessible(page)
    assert_keyboard_walk(page)


def test_a_visitor_filters_the_directory_by_trade_and_place(site, directory, page):
    page.goto(url_of(site, "businesses:business_list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("BIPOC business directory")
    checked(page)
    page.get_by_label("Trade (NAICS code or its beginning)").fill("2382")
    page.get_by_label("Place served").select_option("saint-paul")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#results")).to_contain_text("2 businesses")
    expect(page.locator("#results")).not_to_contain_text("Blue Heron")
    page.get_by_role("link", name="Cedar Root Plumbing & Heating").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cedar Root Plumbing & Heating")
    expect(page.locator("main")).not_to_contain_text("bids@cedar-root.example")  # no consent to share
    checked(page)


def test_staff_post_an_opportunity_see_its_matches_and_notify_them_once(site, directory, browser, sign_in):
    context = browser.new_context()
    try:
        sign_in(context, site.user("staff"))
        page = context.new_page()
        page.goto(url_of(site, "businesses:opportunity_list"))
        checked(page)
        page.get_by_role("link", name="Post a contracting opportunity").click()
        checked(page)
        page.get_by_label("Investment").select_option("snelling-yards")
        page.get_by_label("Title").fill("Mechanical and electrical packages")
        page.get_by_label("Trades needed (NAICS codes)").fill("2382")
        page.get_by_label("CERT (Central Certification: Saint Paul, Minneapolis, Hennepin, Ramsey)").check()
        page.get_by_label("TGB (Targeted Group Business, State of Minnesota)").check()
        page.locator("#id_places").select_option("saint-paul")
        page.get_by_label("Estimated value").fill("1,250,000")
        page.locator("#id_visibility").select_option("public")
        page.get_by_role("button", name="Post").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mechanical and electrical packages")
        matches = page.get_by_role("table", name="Businesses that match this opportunity, and why")
        expect(matches).to_contain_text("Cedar Root Plumbing & Heating")
        expect(matches).to_contain_text("Ramsey County")
        expect(matches).not_to_contain_text("Northstar Sparks")  # its TGB expired
        checked(page)
        page.get_by_role("button", name="Notify the matching businesses").click()
        expect(page.locator("main")).to_contain_text("Sent: 1.")
        page.get_by_role("button", name="Notify the matching businesses").click()
        expect(page.locator("main")).to_contain_text("Sent: 0. Already sent before: 1.")
        assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bids@cedar-root.example"]
    finally:
        context.close()


def test_business_pages_reflow_on_a_phone(site, directory, browser, sign_in):
    from commontable.businesses import services

    opportunity = services.opportunity_create(actor=None, investment=directory["investment"], title="Site preparation",
                                              naics_codes="238", places=[directory["saint_paul"]], visibility="public")
    pages = [
        Target("directory", reverse("businesses:business_list"), every_language=False),
        Target("business", reverse("businesses:business_detail", kwargs={"slug": "cedar-root"}), every_language=False),
        Target("opportunities", reverse("businesses:opportunity_list"), every_language=False),
        Target("opportunity", reverse("businesses:opportunity_detail", kwargs={"public_id": opportunity.public_id}),
               every_language=False),
    ]
    context = browser.new_context(viewport=PHONE)
    problems: list[str] = []
    try:
        sign_in(context, site.user("staff"))
        page = context.new_page()
        for target in pages:
            problems += check_phone_page(page, site.url, target)
    finally:
        context.close()
    assert not problems, f"{len(problems)} problem(s):\n\n" + "\n\n".join(problems)
