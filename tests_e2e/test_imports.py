"""The import pages in a real browser, as staff: upload a CSV with a problem, read the preview
(problems as text, no Apply button), upload a corrected file, apply. axe and a keyboard walk on
each page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from commontable.directory.models import Person
from tests_e2e.a11y import assert_accessible, assert_keyboard_walk

pytestmark = pytest.mark.e2e


def upload(page, tmp_path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    page.get_by_label("File (CSV or XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()


def test_staff_upload_preview_and_apply_people(site, page, context, sign_in, tmp_path):
    sign_in(context, site.user("staff"))
    page.goto(site.url + reverse("core:import_list"))
    assert_accessible(page)
    page.get_by_role("link", name="Import People").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import People")
    assert_accessible(page)
    assert_keyboard_walk(page)

    upload(page, tmp_path, "people.csv", "full_name,email,organization\nHodan Abdi,not-an-email,Org A\n")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("1 problem must be fixed")
    expect(page.get_by_text("“not-an-email” is not an email address.")).to_be_visible()
    expect(page.get_by_role("button", name="Apply the import")).to_have_count(0)
    assert_accessible(page)
    assert_keyboard_walk(page)

    page.get_by_role("link", name="Upload a corrected file").click()
    upload(page, tmp_path, "people-fixed.csv", "full_name,email,organization\nHodan Abdi,hodan@example.org,Org A\n")
    expect(page.get_by_role("heading", name="Ready to import")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Apply the import").click()
    expect(page.get_by_role("status").first).to_contain_text("Imported: 1 new")
    assert_accessible(page)
    assert Person.objects.filter(email_normalized="hodan@example.org").exists()
