"""The displacement map in a real browser: tracts drawn as SVG from the tract layer, coloured by
the chosen layer; switching layers restyles the map and its legend without a reload; a tract opens
its page; axe and a keyboard walk."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests_e2e.a11y import assert_accessible, assert_keyboard_walk

pytestmark = pytest.mark.e2e


def _grid():
    from commontable.displacement.tests.factories import (
        RegionFactory,
        RunFactory,
        TractFactory,
        TractResultFactory,
    )

    run = RunFactory(region=RegionFactory(slug="twin_cities", is_default=True), t0=2012, t1=2022, tract_count=4, synthetic=True)
    types = ["OD", "SMMI", "LISD", "SAE"]
    for i, typology in enumerate(types):
        row, col = divmod(i, 2)
        geoid = f"27053{970000 + i:06d}"
        TractFactory(geoid=geoid, lon=-93.26 + col * 0.02, lat=44.96 + row * 0.02, half=0.01,
                     name=f"Tract 97{i:02d}", synthetic=True)
        TractResultFactory(run=run, geoid=geoid, typology=typology, reason=f"rule:{typology}",
                           risk_class="higher" if i % 2 == 0 else "low", risk_score=5.0, stability=0.9)
    return run


def test_map_switches_layers_and_opens_a_tract(site, page):
    _grid()
    page.goto(site.url + reverse("displacement:displacement_map"))
    expect(page.get_by_text("Invented demo data.")).to_be_visible()
    map_region = page.locator("#displacement-map")
    expect(map_region).to_be_visible()
    tracts = map_region.locator("svg path[data-geoid]")
    expect(tracts).to_have_count(4, timeout=10_000)
    first = map_region.locator('svg path[data-geoid="27053970000"]')
    expect(first).to_have_attribute("data-class", "Ongoing displacement")
    legend = page.locator("#displacement-legend-list")
    expect(legend).to_contain_text("Ongoing displacement")
    assert_accessible(page)
    assert_keyboard_walk(page)

    page.get_by_label("Displacement risk index").check()
    expect(first).to_have_attribute("data-class", "Higher risk")
    expect(legend).to_contain_text("Higher risk")
    assert "layer=risk" in page.url
    assert_accessible(page)

    first.click()
    popup_link = page.locator(".leaflet-popup-content a")
    expect(popup_link).to_have_text("Tract 9700")
    popup_link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tract 9700")
    expect(page.get_by_text("Ongoing displacement").first).to_be_visible()
    assert_accessible(page)
