"""The pages everyone meets first, in a real browser: accessible (axe, keyboard), light enough for
a cheap phone on a slow link, and in the reader's language, with or without JavaScript."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests_e2e.a11y import assert_accessible, assert_keyboard_walk, assert_page_weight

pytestmark = pytest.mark.e2e


def url_of(site, name: str, **kwargs) -> str:
    return site.url + reverse(name, kwargs=kwargs or None)


def check_public_page(page, browser, address: str) -> None:
    page.goto(address)
    assert_accessible(page)
    assert_keyboard_walk(page)
    fresh = browser.new_context()
    try:
        assert_page_weight(fresh, address)
    finally:
        fresh.close()


def test_home_page_is_accessible_keyboard_friendly_and_light(site, page, browser):
    check_public_page(page, browser, url_of(site, "core:home"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_login_page_is_accessible_and_light(site, page, browser):
    check_public_page(page, browser, url_of(site, "account_login"))
    expect(page.get_by_role("textbox", name=re.compile("email", re.I))).to_be_visible()
    expect(page.get_by_label(re.compile("password", re.I)).first).to_be_visible()


def test_organization_list_for_anonymous_visitors(site, page, browser):
    check_public_page(page, browser, url_of(site, "directory:organization_list"))
    expect(page.get_by_role("link", name="Frogtown Green Futures")).to_be_visible()
    expect(page.get_by_text("Org B")).to_have_count(0)  # members-only organisations stay hidden


def test_organization_list_for_a_member(site, page, context, sign_in):
    sign_in(context, site.user("member_a"))
    page.goto(url_of(site, "directory:organization_list"))
    expect(page.get_by_role("link", name="Org A")).to_be_visible()
    assert_accessible(page)
    assert_keyboard_walk(page)


def test_switching_language_works_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        home = url_of(site, "core:home")
        page.goto(home)
        page.get_by_role("button", name=re.compile(r"^español\b", re.I)).click()  # "español (beta)" while a draft
        expect(page.locator("html")).to_have_attribute("lang", "es")
        assert page.url == home  # the switcher keeps the page
    finally:
        context.close()


@pytest.mark.parametrize("code", ["en", "es", "so", "hmn"])
def test_page_language_follows_the_language_cookie(site, context, page, code):
    context.add_cookies([{"name": "ct_language", "value": code, "url": site.url}])
    page.goto(url_of(site, "core:home"))
    expect(page.locator("html")).to_have_attribute("lang", code)
