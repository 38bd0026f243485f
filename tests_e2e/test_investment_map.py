"""The investment map in a real browser: county outlines and investments drawn as SVG from the
API's GeoJSON, with the same investments in the table; axe and a keyboard walk."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests_e2e.a11y import assert_accessible, assert_keyboard_walk

pytestmark = pytest.mark.e2e


def test_the_map_draws_counties_and_investments(site, page, context, sign_in):
    from commontable.investments.tests.factories import InvestmentFactory

    InvestmentFactory(name="Snelling Station", slug="snelling-station",
                      geometry={"type": "Point", "coordinates": [-93.1667, 44.9556]},
                      min_lon=-93.1667, min_lat=44.9556, max_lon=-93.1667, max_lat=44.9556)
    InvestmentFactory(name="Green Line Extension", slug="green-line-extension",
                      geometry={"type": "LineString", "coordinates": [[-93.27, 44.97], [-93.40, 44.90]]},
                      min_lon=-93.40, min_lat=44.90, max_lon=-93.27, max_lat=44.97)
    sign_in(context, site.user("member_a"))
    page.goto(site.url + reverse("investments:investment_map"))
    expect(page.get_by_role("link", name="Snelling Station")).to_be_visible()
    map_region = page.locator("#investment-map")
    expect(map_region).to_be_visible()
    # 23 county outlines plus the two investments, all SVG paths drawn by Leaflet.
    expect(map_region.locator("svg path")).to_have_count(25, timeout=10_000)
    assert_accessible(page)
    assert_keyboard_walk(page)
