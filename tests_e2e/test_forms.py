"""Every form page in a real browser, as the person who may use it: axe (WCAG 2.0–2.2 A/AA) and a
keyboard walk, and the error state of a form sent empty."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests_e2e.a11y import assert_accessible, assert_keyboard_walk

pytestmark = pytest.mark.e2e

STAFF_PAGES = [
    ("directory:organization_create", {}),
    ("directory:organization_edit", {"slug": "org-a"}),
    ("directory:organization_status_change", {"slug": "org-a"}),
    ("directory:person_create", {}),
    ("directory:table_create", {}),
    ("directory:table_edit", {"slug": "corridor-table"}),
    ("directory:table_participation_add", {"slug": "corridor-table"}),
    ("directory:person_duplicate_list", {}),
    ("core:activity_list", {}),
    ("core:i18n_status", {}),
    ("core:import_list", {}),
    ("core:import_create", {"kind": "people"}),
    ("accounts:profile", {}),
]
PERSON_PAGES = ["directory:person_edit", "directory:access_needs_edit", "directory:affiliation_add",
                "directory:person_activity"]


@pytest.mark.parametrize("name,kwargs", STAFF_PAGES, ids=[name for name, _ in STAFF_PAGES])
def test_staff_form_pages_are_accessible(site, page, context, sign_in, name, kwargs):
    sign_in(context, site.user("staff"))
    page.goto(site.url + reverse(name, kwargs=kwargs or None))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    assert_keyboard_walk(page)


@pytest.mark.parametrize("name", PERSON_PAGES)
def test_person_form_pages_are_accessible(site, page, context, sign_in, name):
    sign_in(context, site.user("staff"))
    page.goto(site.url + reverse(name, kwargs={"public_id": site.person_a.public_id}))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    assert_keyboard_walk(page)


def test_a_form_sent_empty_names_its_errors_accessibly(site, page, context, sign_in):
    sign_in(context, site.user("staff"))
    page.goto(site.url + reverse("directory:organization_create"))
    # The browser's own checks are off (novalidate): they speak the browser's language, not the
    # page's. The server answers, and focus goes to its summary.
    page.locator("main form button[type=submit]").last.click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # the first thing a keyboard or screen-reader user meets
    name = page.locator("#id_name")
    expect(name).to_have_attribute("aria-invalid", "true")
    assert "id_name_error" in (name.get_attribute("aria-describedby") or "")
    assert_accessible(page)
