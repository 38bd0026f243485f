"""Drawing an investment's location on the form's map (static/investments/draw.js): an area by
clicking, a line by keyboard only, the textarea always holding the GeoJSON that is saved, the live
region saying what happened; axe and a keyboard walk on the form with the map; and the form
without JavaScript, where the textarea works on its own."""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from commontable.core.visibility import Visibility
from commontable.investments.models import Investment
from commontable.investments.tests.factories import InvestmentFactory
from tests_e2e.a11y import assert_accessible, assert_keyboard_walk

pytestmark = pytest.mark.e2e


def location(page) -> dict:
    return json.loads(page.locator("#id_location").input_value())


def wait_for_map(page):
    # the county outlines are drawn once the map has its base layer
    expect(page.locator(".location-draw-map svg path").first).to_be_attached(timeout=10_000)


def test_draw_an_area_by_clicking_and_save_it(site, page, context, sign_in):
    sign_in(context, site.user("staff"))
    page.goto(site.url + reverse("investments:investment_create"))
    wait_for_map(page)
    assert_accessible(page)
    assert_keyboard_walk(page)
    page.get_by_label("Name").fill("Rondo Land Bridge")
    page.get_by_label("Kind").select_option("park")
    page.locator("#id_visibility").select_option("members")
    page.get_by_role("button", name="Area").click()
    expect(page.get_by_role("button", name="Area")).to_have_attribute("aria-pressed", "true")
    page.locator(".location-draw-map").scroll_into_view_if_needed()  # mouse clicks land in the viewport
    box = page.locator(".location-draw-map").bounding_box()
    middle_x, middle_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in [(-40, -30), (40, -30), (50, 30), (-30, 40)]:
        page.mouse.click(middle_x + dx, middle_y + dy)
    expect(page.locator("[data-draw-status]")).to_have_text("Corners of the area so far: 4.")
    page.get_by_role("button", name="Finish").click()
    expect(page.locator("[data-draw-status]")).to_have_text("Area finished. Corners of the area: 4.")
    drawn = location(page)
    assert drawn["type"] == "Feature" and drawn["geometry"]["type"] == "Polygon"
    ring = drawn["geometry"]["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1]
    assert_accessible(page)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rondo Land Bridge")
    investment = Investment.objects.get(name="Rondo Land Bridge")
    assert investment.geometry == drawn["geometry"]


def test_draw_a_line_with_the_keyboard_only(site, page, context, sign_in):
    investment = InvestmentFactory(
        name="Snelling Station", slug="snelling-station", visibility=Visibility.MEMBERS,
        geometry={"type": "Point", "coordinates": [-93.1667, 44.9556]},
        min_lon=-93.1667, min_lat=44.9556, max_lon=-93.1667, max_lat=44.9556,
    )
    sign_in(context, site.user("staff"))
    page.goto(site.url + reverse("investments:investment_edit", args=[investment.slug]))
    wait_for_map(page)
    # the saved point is on the map
    expect(page.locator(".location-draw-map path.leaflet-interactive, .location-draw-map svg path")).not_to_have_count(0)
    line = page.get_by_role("button", name="Line")
    line.focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-draw-status]")).to_contain_text("Drawing a line")
    add = page.get_by_role("button", name="Add a point here")
    add.focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-draw-status]")).to_have_text("Points in the line so far: 1.")
    page.get_by_role("region", name="Map for drawing the location: arrow keys move it").focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(400)  # the pan's animation
    add.focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-draw-status]")).to_have_text("Points in the line so far: 2.")
    page.keyboard.press("Shift+Tab")  # back from the next buttons: undo, then add again
    add.focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-draw-status]")).to_have_text("Points in the line so far: 3.")
    page.get_by_role("button", name="Undo last point").focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-draw-status]")).to_have_text("Points in the line so far: 2.")
    page.get_by_role("button", name="Finish").focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-draw-status]")).to_have_text("Line finished. Points in the line: 2.")
    drawn = location(page)["geometry"]
    assert drawn["type"] == "LineString" and len(drawn["coordinates"]) == 2
    west, east = drawn["coordinates"]
    assert east[0] > west[0]  # the map moved east between the two points
    page.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Snelling Station")
    investment.refresh_from_db()
    assert investment.geometry == drawn


def test_clear_empties_the_location_and_typing_redraws_it(site, page, context, sign_in):
    investment = InvestmentFactory(
        name="Snelling Station", slug="snelling-station", visibility=Visibility.MEMBERS,
        geometry={"type": "Point", "coordinates": [-93.1667, 44.9556]},
        min_lon=-93.1667, min_lat=44.9556, max_lon=-93.1667, max_lat=44.9556,
    )
    sign_in(context, site.user("staff"))
    page.goto(site.url + reverse("investments:investment_edit", args=[investment.slug]))
    wait_for_map(page)
    page.get_by_role("button", name="Clear").click()
    expect(page.locator("#id_location")).to_have_value("")
    expect(page.locator("[data-draw-status]")).to_have_text("Location cleared.")
    page.locator("#id_location").fill("not GeoJSON")
    expect(page.locator("[data-draw-status]")).to_contain_text("cannot be shown on this map")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".errors")).to_contain_text("not valid GeoJSON")  # the server decides


def test_without_javascript_the_location_is_typed_as_before(site, browser, sign_in):
    context = browser.new_context(java_script_enabled=False)
    try:
        sign_in(context, site.user("staff"))
        page = context.new_page()
        page.goto(site.url + reverse("investments:investment_create"))
        expect(page.locator(".location-draw")).to_have_count(0)  # the map is only a <template>
        page.get_by_label("Name").fill("Snelling Station")
        page.get_by_label("Kind").select_option("transit_station")
        page.locator("#id_visibility").select_option("members")
        page.locator("#id_location").fill('{"type": "Point", "coordinates": [-93.1667, 44.9556]}')
        page.get_by_role("button", name="Register").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Snelling Station")
    finally:
        context.close()
    assert Investment.objects.get(name="Snelling Station").geometry["type"] == "Point"
