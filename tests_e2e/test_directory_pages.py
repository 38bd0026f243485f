"""Directory pages in a real browser: detail pages for visitors, the people pages for members,
and the tables. axe and a keyboard walk on each; public pages also within the weight budget."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests_e2e.a11y import assert_accessible, assert_keyboard_walk, assert_page_weight

pytestmark = pytest.mark.e2e


def url_of(site, name: str, **kwargs) -> str:
    return site.url + reverse(name, kwargs=kwargs or None)


def test_public_organization_page(site, page, browser):
    address = url_of(site, "directory:organization_detail", slug=site.public_org.slug)
    page.goto(address)
    expect(page.get_by_role("heading", level=1)).to_have_text("Frogtown Green Futures")
    assert_accessible(page)
    assert_keyboard_walk(page)
    fresh = browser.new_context()
    try:
        assert_page_weight(fresh, address)
    finally:
        fresh.close()


def test_tables_for_anonymous_visitors(site, page, browser):
    page.goto(url_of(site, "directory:table_list"))
    expect(page.get_by_role("link", name="Green Line Corridor Table")).to_be_visible()
    assert_accessible(page)
    assert_keyboard_walk(page)
    address = url_of(site, "directory:table_detail", slug=site.public_table.slug)
    page.goto(address)
    expect(page.get_by_role("heading", level=1)).to_have_text("Green Line Corridor Table")
    assert_accessible(page)
    assert_keyboard_walk(page)
    fresh = browser.new_context()
    try:
        assert_page_weight(fresh, address)
    finally:
        fresh.close()


def test_people_list_and_a_person_for_a_member(site, page, context, sign_in):
    sign_in(context, site.user("member_a"))
    page.goto(url_of(site, "directory:person_list"))
    expect(page.get_by_role("link", name="Ayaan Cabdi")).to_be_visible()
    assert_accessible(page)
    assert_keyboard_walk(page)
    page.get_by_role("link", name="Ayaan Cabdi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ayaan Cabdi")
    assert_accessible(page)
    assert_keyboard_walk(page)


def test_organization_page_for_its_representative(site, page, context, sign_in):
    sign_in(context, site.user("member_a"))
    page.goto(url_of(site, "directory:organization_detail", slug=site.org_a.slug))
    expect(page.get_by_role("heading", level=1)).to_have_text("Org A")
    assert_accessible(page)
    assert_keyboard_walk(page)


def test_staff_see_duplicates_page(site, page, context, sign_in):
    sign_in(context, site.user("staff"))
    page.goto(url_of(site, "directory:person_duplicate_list"))
    assert_accessible(page)
    assert_keyboard_walk(page)
