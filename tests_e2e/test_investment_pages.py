"""The investment watch in a real browser: staff record a commitment, a representative of an engaged
organisation reports a missed target, staff escalate it — axe and a keyboard walk on every page on
the way — and the list, the investment, the commitment and the public accountability page reflow at
320 px (wide tables scroll inside their own region, the page never sideways)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from commontable.core.visibility import Visibility
from commontable.investments.choices import Escalation
from commontable.investments.models import Commitment
from commontable.investments.tests.factories import FundingSourceFactory, InvestmentFactory, ObligorFactory
from tests_e2e.a11y import assert_accessible, assert_keyboard_walk
from tests_e2e.test_reach import PHONE, Target, check_phone_page

pytestmark = pytest.mark.e2e


@pytest.fixture
def investment(site):
    item = InvestmentFactory(
        name="Snelling Yards Redevelopment",
        slug="snelling-yards",
        visibility=Visibility.PUBLIC,
        stage="design",
        geometry={"type": "Point", "coordinates": [-93.167, 44.954]},
        min_lon=-93.167,
        min_lat=44.954,
        max_lon=-93.167,
        max_lat=44.954,
        total_cost_cents=41_000_000_000,
    )
    item.organizations.add(site.org_a)
    FundingSourceFactory(investment=item, program="tif", fiscal_year=2024, amount_cents=3_800_000_000)
    FundingSourceFactory(investment=item, program="lihtc", fiscal_year=2025, amount_cents=2_250_000_000)
    ObligorFactory(name="Snelling Yards Partners", slug="snelling-yards-partners")
    return item


def url_of(site, name: str, **kwargs) -> str:
    return site.url + reverse(name, kwargs=kwargs or None)


def checked(page) -> None:
    assert_accessible(page)
    assert_keyboard_walk(page)


def test_record_a_commitment_report_it_missed_and_escalate_it(site, investment, browser, sign_in):
    today = timezone.localdate()
    staff = browser.new_context()
    try:
        sign_in(staff, site.user("staff"))
        page = staff.new_page()
        page.goto(url_of(site, "investments:investment_list"))
        checked(page)
        page.get_by_role("link", name="Snelling Yards Redevelopment").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Snelling Yards Redevelopment")
        checked(page)
        page.get_by_role("link", name="Record a commitment").click()
        checked(page)
        page.get_by_label("Who promised").select_option("snelling-yards-partners")
        page.locator("#id_text").fill("60 homes affordable at or below 30 % of area median income")
        page.get_by_label("Category").select_option("affordable_units")
        page.locator("#id_target").fill("60")
        page.get_by_label("Unit").fill("homes")
        page.get_by_label("Starts").fill((today - dt.timedelta(days=900)).isoformat())
        page.get_by_label("Deadline").fill((today - dt.timedelta(days=30)).isoformat())
        page.locator("#id_visibility").select_option("public")
        page.get_by_role("button", name="Record the commitment").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("60 homes affordable")
        expect(page.locator("main .status").first).to_have_text("No data")
        checked(page)
        commitment_url = page.url
    finally:
        staff.close()

    representative = browser.new_context()
    try:
        sign_in(representative, site.user("member_a"))
        page = representative.new_page()
        page.goto(commitment_url)
        page.get_by_role("link", name="Report the actual value").click()
        checked(page)
        page.get_by_label("Actual value").fill("22")
        page.get_by_label("As of").fill((today - dt.timedelta(days=45)).isoformat())
        page.get_by_label("Link to evidence").fill("https://example.org/units.pdf")
        page.get_by_role("button", name="Record the report").click()
        expect(page.locator("main .status").first).to_have_text("Missed")
        checked(page)
    finally:
        representative.close()

    staff = browser.new_context()
    try:
        sign_in(staff, site.user("staff"))
        page = staff.new_page()
        page.goto(commitment_url)
        page.get_by_role("link", name="Escalate").click()
        checked(page)
        page.get_by_label("Flagged").check()
        page.get_by_label("Note").fill("38 homes short at the deadline")
        page.get_by_role("button", name="Record the step").click()
        expect(page.get_by_text("Escalation: Flagged")).to_be_visible()
        checked(page)
    finally:
        staff.close()
    assert Commitment.objects.get().escalation == Escalation.FLAGGED

    visitor = browser.new_context()
    try:
        page = visitor.new_page()
        page.goto(url_of(site, "investments:investment_accountability", slug=investment.slug))
        expect(page.get_by_role("cell", name="Missed")).to_be_visible()
        checked(page)
    finally:
        visitor.close()


def test_investment_pages_reflow_at_320px(site, investment, browser, sign_in):
    commitment = Commitment.objects.create(
        investment=investment,
        source="cba",
        obligor=ObligorFactory(),
        text="A community space of 5,000 square feet " * 3,
        category="community_space",
        unit="square feet",
        target=5000,
        starts_on=dt.date(2025, 1, 1),
        deadline=dt.date(2028, 1, 1),
        visibility=Visibility.PUBLIC,
    )
    pages = [
        Target("investment list", reverse("investments:investment_list")),
        Target("investment page", reverse("investments:investment_detail", args=[investment.slug])),
        Target("investment form", reverse("investments:investment_edit", args=[investment.slug])),
        Target("commitment list", reverse("investments:commitment_list")),
        Target("commitment page", reverse("investments:commitment_detail", args=[commitment.public_id])),
        Target(
            "accountability page", reverse("investments:investment_accountability", args=[investment.slug])
        ),
    ]
    user = site.user("staff")
    user.preferred_language = "so"
    user.save(update_fields=["preferred_language"])
    context = browser.new_context(viewport=PHONE)
    problems: list[str] = []
    try:
        sign_in(context, user)
        page = context.new_page()
        for target in pages:
            problems += check_phone_page(page, site.url, target)
    finally:
        context.close()
    assert not problems, f"{len(problems)} problem(s):\n\n" + "\n\n".join(problems)
