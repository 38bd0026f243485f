"""A scoring session in a real browser, on a phone-sized screen: three scorers in three languages
(a member signed in, in Spanish; two invited residents, in Somali and Hmong) score a proposal with
the form that needs no script; staff close the session, read the results and download the PDF.
Axe on the form and the results; the pages do not scroll sideways at 320 px."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from commontable.core.visibility import Visibility
from commontable.investments.tests.factories import InvestmentFactory
from tests_e2e.a11y import assert_accessible
from tests_e2e.test_reach import PHONE, Target, check_phone_page

pytestmark = pytest.mark.e2e


def _session():
    from commontable.scorecards import demo, services
    from commontable.scorecards.models import Rubric

    demo.scorecards_demo_load()
    version = Rubric.objects.get(slug="climate-mobility-lens").versions.get()
    investment = InvestmentFactory(name="Rice Street bus rapid transit", slug="rice-street-brt",
                                   visibility=Visibility.PUBLIC)
    session = services.session_create(actor=None, version=version, investment=investment, title="Rice Street BRT")
    return services.session_open(actor=None, session=session)


def _score(page, base: str, path: str, choice_for) -> None:
    """Answer every question of the form (the choice_for(i)-th answer of question i), then submit."""
    page.goto(base + path)
    fieldsets = page.locator("form.scoring-form fieldset")
    count = fieldsets.count()
    assert count == 8
    for i in range(count):
        radios = fieldsets.nth(i).locator('input[type="radio"]')
        radios.nth(min(choice_for(i), radios.count() - 1)).check()
    page.locator('button[value="submit"]').click()
    expect(page.locator('[role="status"]')).to_be_visible()


def test_three_scorers_in_three_languages_then_staff_close_and_download(site, browser, sign_in):
    from commontable.scorecards import services
    from commontable.scorecards.models import Submission

    session = _session()
    somali = services.invitation_create(actor=None, session=session, name="Hodan", language="so")
    hmong = services.invitation_create(actor=None, session=session, name="Pa Houa", language="hmn")
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        # A member, signed in, reading in Spanish.
        member = site.user("member_a")
        member.preferred_language = "es"
        member.save()
        sign_in(context, member)
        score_path = reverse("scorecards:session_score", args=[session.public_id])
        page.goto(site.url + score_path)
        assert_accessible(page)
        expect(page.locator("html")).to_have_attribute("lang", "es")
        problems = check_phone_page(page, site.url, Target("score", score_path, every_language=False))
        assert not problems, problems
        _score(page, site.url, score_path, lambda i: 4)
        # Two invited residents, no account, each in their language.
        context.clear_cookies()
        page.goto(site.url + reverse("scorecards:invitation_score", args=[somali.token]))
        expect(page.locator("html")).to_have_attribute("lang", "so")
        assert_accessible(page)
        _score(page, site.url, reverse("scorecards:invitation_score", args=[somali.token]), lambda i: 0)
        _score(page, site.url, reverse("scorecards:invitation_score", args=[hmong.token]), lambda i: 2)
        assert Submission.objects.filter(status="submitted").count() == 3
        assert set(Submission.objects.values_list("language", flat=True)) >= {"so", "hmn"}

        # Staff close the session, read the results and download the PDF.
        sign_in(context, site.user("staff"))
        page.goto(site.url + reverse("scorecards:session_detail", args=[session.public_id]))
        page.get_by_role("button", name="Close the session").click()
        expect(page.get_by_text("Closed").first).to_be_visible()
        page.goto(site.url + reverse("scorecards:session_results", args=[session.public_id]))
        expect(page.get_by_text("3 scorers submitted.")).to_be_visible()
        assert_accessible(page)
        problems = check_phone_page(page, site.url, Target(
            "results", reverse("scorecards:session_results", args=[session.public_id]), every_language=False))
        assert not problems, problems
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the PDF report").click()
        pdf = download.value
        assert pdf.suggested_filename.endswith(".pdf")
        with open(pdf.path(), "rb") as handle:
            assert handle.read(4) == b"%PDF"
        # Scoring after closing is refused, and nothing changes.
        page.goto(site.url + reverse("scorecards:invitation_score", args=[somali.token]))
        expect(page.get_by_text("This session is closed")).to_be_visible()
    finally:
        context.close()
