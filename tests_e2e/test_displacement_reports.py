"""The policy matrix and community reports in a real browser (Debian's chromium): axe and a
keyboard walk on each page, the matrix and the counts at 320 px (the table scrolls in its own
region, the page never sideways), and a member placing a report with the map's button, which
fills in the latitude and longitude fields the server reads."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from commontable.core.models import Place
from commontable.displacement.models import CommunityReport
from commontable.displacement.tests.factories import (
    CommunityReportFactory,
    JurisdictionFactory,
    PolicyFactory,
    PolicyTypeFactory,
    TractFactory,
)
from tests_e2e.a11y import assert_accessible, assert_keyboard_walk
from tests_e2e.test_reach import PHONE, Target, check_phone_page

pytestmark = pytest.mark.e2e


@pytest.fixture
def inventory(site):  # noqa: F811
    JurisdictionFactory(slug="minnesota", name="Minnesota", kind=Place.Kind.STATE)
    city = JurisdictionFactory(slug="saint-paul", name="Saint Paul", kind=Place.Kind.CITY)
    JurisdictionFactory(slug="minneapolis", name="Minneapolis", kind=Place.Kind.CITY)
    # Transactional tests empty the tables the migrations seeded: the type is made here.
    just_cause = PolicyTypeFactory(slug="just_cause", name="Just-cause eviction", position=20)
    PolicyFactory(jurisdiction=city, policy_type=just_cause,
                  status_date=dt.date(2024, 5, 1), source_note="Ordinance 24-12")
    for _n in range(6):
        CommunityReportFactory(geoid="27123030100")
    return site


def test_matrix_and_counts_pass_axe_and_reflow_at_320px(inventory, browser):
    visitor = browser.new_context(viewport=PHONE)
    try:
        page = visitor.new_page()
        problems = []
        for label, name in (("policy matrix", "displacement:policy_matrix"),
                            ("reports per tract", "displacement:report_tracts")):
            target = Target(label, reverse(name), every_language=False)
            problems += check_phone_page(page, inventory.url, target)
            try:
                assert_accessible(page)
            except AssertionError as error:
                problems.append(f"{label}: {error}")
        assert not problems, "\n".join(problems)
        page.goto(inventory.url + reverse("displacement:policy_matrix"))
        region = page.get_by_role("region", name="Status of each policy type")
        expect(region).to_be_visible()
        page.get_by_role("link", name=re.compile(r"Adopted\s*: Just-cause eviction, Saint Paul")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Just-cause eviction in Saint Paul")
        assert_accessible(page)
    finally:
        visitor.close()


def test_a_member_places_a_report_with_the_map(inventory, browser, sign_in):  # noqa: F811
    TractFactory(geoid="27123000100", lon=-93.2, lat=44.95, half=0.6)  # wide enough to hold the map's middle
    context = browser.new_context()
    try:
        sign_in(context, inventory.user("member_a"))
        page = context.new_page()
        page.goto(inventory.url + reverse("displacement:report_create"))
        button = page.get_by_role("button", name="Place it at the middle of the map")
        expect(button).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Large rent increase").check()
        # Sent without a day or a place, past the browser's own checks: the server lists the errors
        # and keeps the choice. (A radio group is one Tab stop at its chosen button, so the walk
        # runs once there is a choice.)
        page.evaluate("document.querySelector('main form').noValidate = true")
        page.get_by_role("button", name="Send the report").click()
        expect(page.get_by_role("alert")).to_contain_text("When did it happen?")
        assert_accessible(page)
        assert_keyboard_walk(page)
        page.get_by_label("When did it happen?").fill("2026-11-02")
        button.click()
        expect(page.get_by_role("spinbutton", name="Latitude")).not_to_have_value("")
        lat = float(page.get_by_role("spinbutton", name="Latitude").input_value())
        lon = float(page.get_by_role("spinbutton", name="Longitude").input_value())
        page.get_by_label("Count my report on the public map").check()
        page.get_by_role("button", name="Send the report").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Large rent increase")
        assert_accessible(page)
        report = CommunityReport.objects.get(kind="rent_spike")
        assert (report.lat, report.lon) == (lat, lon) and report.consent_aggregate
        assert report.geoid == "27123000100"
    finally:
        context.close()
