"""Reach (issue 3): a representative page of each kind — one list, one detail and one form per app,
and the plan's dashboard — in each of the four interface languages, and on a 320 px wide phone.

Per language (set through the language switcher for visitors, through the account's preferred
language for a signed-in person): `<html lang>` names the language, text in another language (the
switcher's native names, the beta banner's English sentence) carries its own `lang`, axe finds no
WCAG A/AA violation, and a keyboard-only walk reaches every control with visible focus.

At 320 px (WCAG 1.4.10 Reflow): the page never scrolls sideways (wide data tables scroll inside
their own `.table-wrap` region), the keyboard walk still reaches every control, and no focused
element is hidden behind something else (2.4.11 Focus Not Obscured).

Each test walks all its pages and reports every problem found, not just the first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests_e2e.a11y import assert_accessible, assert_keyboard_walk
from tests_e2e.pa11y import describe_errors, pa11y_results, require_pa11y

pytestmark = pytest.mark.e2e

LANGUAGES = ["en", "es", "so", "hmn"]
PHONE = {"width": 320, "height": 640}


@dataclass(frozen=True)
class Target:
    label: str
    path: str
    # False: axe and the keyboard walk in English only (and at 320 px), to keep the module quick;
    # one list, one detail and one form per app, and the dashboard, are checked in every language.
    every_language: bool = True
    pa11y: bool = False  # also checked with pa11y (the slowest check: a few pages only)


@pytest.fixture
def targets(site):
    """The pages, for visitors and for staff, with a plan, a bound indicator, a board report and
    an action item behind the plan pages."""
    from commontable.strategy import services
    from commontable.strategy.tests.conftest import BUNDLED_PLAN

    plan, _ = services.plan_import(data=BUNDLED_PLAN.read_bytes(), actor=None, make_default=True)
    objective = plan.objectives.get(number="2.2")
    services.binding_create(
        actor=None,
        objective=objective,
        indicator=services.indicator_for_key("directory.tables_active"),
        baseline_value="1",
        baseline_on=plan.period_start,
        target_value="4",
        target_on=plan.period_end,
    )
    today = timezone.localdate()
    report = services.board_report_create(
        actor=None, plan=plan, period_start=today - dt.timedelta(days=90), period_end=today
    )
    services.action_item_create(
        actor=None,
        title="Invite the corridor table to the spring assembly",
        objectives=[objective],
        due_on=today + dt.timedelta(days=30),
    )

    # The investment watch and the apps around it: a public investment with an opportunity on it,
    # a certified public business, a workforce goal.
    from commontable.businesses.tests.factories import (
        BusinessFactory,
        CertificationFactory,
        OpportunityFactory,
    )
    from commontable.core.visibility import Visibility
    from commontable.investments.tests.factories import InvestmentFactory
    from commontable.workforce.tests.factories import WorkforceGoalFactory

    investment = InvestmentFactory(name="Rondo Library Plaza", slug="rondo-library-plaza", visibility=Visibility.PUBLIC)
    business = BusinessFactory(
        name="Dayton's Bluff Masonry", slug="daytons-bluff-masonry", visibility=Visibility.PUBLIC, codes=["238140"]
    )
    CertificationFactory(business=business)
    opportunity = OpportunityFactory(
        investment=investment, title="Plaza masonry", codes=["2381"], visibility=Visibility.PUBLIC
    )
    WorkforceGoalFactory(investment=investment)

    # The displacement watch: a computed region of four tracts, a policy and a report.
    from commontable.displacement.tests.factories import (
        CommunityReportFactory,
        JurisdictionFactory,
        PolicyFactory,
        RegionFactory,
        RunFactory,
        TractFactory,
        TractResultFactory,
    )

    run = RunFactory(region=RegionFactory(slug="twin_cities", is_default=True), t0=2012, t1=2022, tract_count=4, synthetic=True)
    for i, typology in enumerate(["OD", "SMMI", "LISD", "SAE"]):
        geoid = f"27053{970000 + i:06d}"
        TractFactory(geoid=geoid, lon=-93.26 + (i % 2) * 0.02, lat=44.96 + (i // 2) * 0.02, half=0.01,
                     name=f"Tract 97{i:02d}", synthetic=True)
        TractResultFactory(run=run, geoid=geoid, typology=typology, reason=f"flag:{typology}", risk_class="higher",
                           stability=0.5 if i == 1 else 0.9,
                           inputs={"2012": {"B19013_001": [50000, 5000, "high"]}, "2022": {"B19013_001": [61000, 9000, "high"]}})
    city = JurisdictionFactory(name="Saint Paul", slug="saint-paul-reach")
    policy = PolicyFactory(jurisdiction=city)
    report = CommunityReportFactory(geoid="27053970000", reporter=site.user("member_a"))

    def at(name: str, **kwargs) -> str:
        return reverse(name, kwargs=kwargs or None)

    visitor = [
        Target("home", at("core:home"), pa11y=True),
        Target("sign-in form", at("account_login"), pa11y=True),
        Target("organisation list", at("directory:organization_list"), pa11y=True),
        Target(
            "organisation page", at("directory:organization_detail", slug=site.public_org.slug), pa11y=True
        ),
        Target("decision calendar", at("investments:decision_calendar")),
        Target("business list", at("businesses:business_list")),
        Target("business page", at("businesses:business_detail", slug=business.slug), every_language=False),
        Target(
            "opportunity page", at("businesses:opportunity_detail", public_id=opportunity.public_id),
            every_language=False,
        ),
        Target("displacement map", at("displacement:displacement_map")),
        Target("tract page", at("displacement:tract_detail", geoid="27053970000")),
        Target("disagreements", at("displacement:disagreement_list"), every_language=False),
        Target("alerts", at("displacement:alert_list"), every_language=False),
        Target("policy matrix", at("displacement:policy_matrix")),
        Target("policy page", at("displacement:policy_detail", jurisdiction=city.slug,
                                 policy_type=policy.policy_type.slug), every_language=False),
        Target("community reports per tract", at("displacement:report_tracts"), every_language=False),
    ]
    staff = [
        # The heaviest page to check (staff see its activity table); the organisation page is the
        # directory's detail page in each language.
        Target(
            "person page",
            at("directory:person_detail", public_id=site.person_a.public_id),
            every_language=False,
        ),
        Target("person form", at("directory:person_edit", public_id=site.person_a.public_id), pa11y=True),
        Target("import list", at("core:import_list")),
        Target("import form", at("core:import_create", kind="people"), pa11y=True),
        Target("account (profile) form", at("accounts:profile")),
        Target("plan dashboard", at("strategy:dashboard"), pa11y=True),
        Target("objective page", at("strategy:objective_detail", public_id=objective.public_id), pa11y=True),
        Target("indicator list", at("strategy:indicator_list"), every_language=False),
        Target("board report list", at("strategy:board_report_list"), every_language=False),
        Target(
            "board report page",
            at("strategy:board_report_detail", public_id=report.public_id),
            every_language=False,
            pa11y=True,
        ),
        Target("action item list", at("strategy:action_item_list")),
        Target("action item form", at("strategy:action_item_create"), pa11y=True),
        Target("investment list", at("investments:investment_list"), every_language=False),
        Target("investment page", at("investments:investment_detail", slug=investment.slug)),
        Target("investment form", at("investments:investment_edit", slug=investment.slug), every_language=False),
        Target("business form", at("businesses:business_edit", slug=business.slug)),
        Target("opportunity form", at("businesses:opportunity_create"), every_language=False),
        Target("workforce overview", at("workforce:workforce_overview"), every_language=False),
        Target("workforce page", at("workforce:workforce_detail", slug=investment.slug)),
        Target("census data page", at("displacement:data_overview"), every_language=False),
        Target("community report form", at("displacement:report_create")),
        Target("community report page", at("displacement:report_detail", public_id=report.public_id),
               every_language=False),
        Target("policy status form", at("displacement:policy_status_set", jurisdiction=city.slug,
                                        policy_type=policy.policy_type.slug), every_language=False),
    ]
    return visitor, staff


# --- checks --------------------------------------------------------------------------------------

# Every language switcher button names its language in that language, and says so with `lang`; the
# beta banner's English sentence is marked English.
_LANGUAGE_PARTS_JS = """() => {
  const problems = [];
  document.querySelectorAll('form.language button[name=language]').forEach(b => {
    if (b.getAttribute('lang') !== b.value)
      problems.push(`switcher button ${JSON.stringify(b.innerText.trim())} has lang=${b.getAttribute('lang')}, not ${b.value}`);
  });
  const banner = document.querySelector('.beta-banner');
  if (banner) {
    const english = [...banner.querySelectorAll('[lang]')].some(e => e.getAttribute('lang') === 'en');
    if (!english) problems.push('the beta banner English sentence carries no lang="en"');
  }
  return problems;
}"""

# What sticks out past the right edge of a narrow viewport, outside a horizontally scrollable region.
_OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const scrollable = (el) => {
    for (let n = el.parentElement; n; n = n.parentElement) {
      if (n === document.body || n === document.documentElement) return false;
      const s = getComputedStyle(n);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX)) return true;
    }
    return false;
  };
  const wide = [...document.body.querySelectorAll('*')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > width + 1 && !scrollable(el);
  });
  // The outermost offenders only, as short descriptions. An absolutely placed element can escape a
  // scrolling ancestor that is not its containing block: if nothing else sticks out, name everything.
  const all = [...document.body.querySelectorAll('*')].filter(el => el.getBoundingClientRect().right > width + 1);
  const found = wide.length ? wide : all;
  const top = found.filter(el => !found.includes(el.parentElement));
  return {scrollWidth: document.documentElement.scrollWidth, width,
          offenders: top.slice(0, 8).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
            + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
            + ` (right edge ${Math.round(el.getBoundingClientRect().right)} px)`)};
}"""

# Wide tables must sit in a `.table-wrap` that scrolls and can be reached and named.
_TABLES_JS = """() => [...document.querySelectorAll('main table')].filter(t => {
    const wrap = t.closest('.table-wrap');
    return t.getBoundingClientRect().width > document.documentElement.clientWidth + 1 && !wrap;
  }).map(t => (t.querySelector('caption') || t).innerText.trim().slice(0, 60))"""


def problems_of(check, *args, **kwargs) -> list[str]:
    try:
        check(*args, **kwargs)
    except AssertionError as error:
        return [str(error)]
    return []


def opened(page, base: str, target: Target) -> list[str]:
    """Open the page; a problem if it sent the browser elsewhere (the sign-in page: no session)."""
    page.goto(base + target.path)
    landed = page.url.removeprefix(base)
    return [] if landed == target.path else [f"expected the page itself, landed on {landed}"]


def check_language_page(page, base: str, target: Target, code: str) -> list[str]:
    problems = opened(page, base, target)
    lang = page.locator("html").get_attribute("lang")
    if lang != code:
        problems.append(f'<html lang="{lang}">, expected "{code}"')
    problems += page.evaluate(_LANGUAGE_PARTS_JS)
    problems += problems_of(assert_accessible, page)
    problems += problems_of(assert_keyboard_walk, page)
    return [f"{target.label} ({target.path}, {code}): {p}" for p in problems]


def check_phone_page(page, base: str, target: Target) -> list[str]:
    problems = opened(page, base, target)
    overflow = page.evaluate(_OVERFLOW_JS)
    if overflow["scrollWidth"] > PHONE["width"] + 1:
        problems.append(
            f"scrolls sideways at {PHONE['width']} px (scrollWidth {overflow['scrollWidth']}): "
            + "; ".join(overflow["offenders"])
        )
    unwrapped = page.evaluate(_TABLES_JS)
    if unwrapped:
        problems.append(f"wide tables outside a .table-wrap region: {unwrapped}")
    problems += problems_of(assert_keyboard_walk, page, check_obscured=True)
    return [f"{target.label} ({target.path}) at {PHONE['width']} px: {p}" for p in problems]


def choose_language(page, base: str, code: str) -> None:
    """As a visitor: press the language switcher's button (a form post, remembered in a cookie)."""
    page.goto(base + reverse("core:home"))
    page.locator(f"form.language button[value='{code}']").click()
    page.wait_for_load_state()


# --- tests ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
def test_pages_in_each_language(site, targets, browser, sign_in, code):
    visitor_pages, staff_pages = targets
    problems: list[str] = []

    visitor = browser.new_context()
    try:
        page = visitor.new_page()
        choose_language(page, site.url, code)
        for target in visitor_pages:
            if target.every_language or code == "en":
                problems += check_language_page(page, site.url, target, code)
    finally:
        visitor.close()

    user = site.user("staff")
    user.preferred_language = code
    user.save(update_fields=["preferred_language"])
    staff = browser.new_context()
    try:
        sign_in(staff, user)
        page = staff.new_page()
        for target in staff_pages:
            if target.every_language or code == "en":
                problems += check_language_page(page, site.url, target, code)
    finally:
        staff.close()

    assert not problems, f"{len(problems)} problem(s):\n\n" + "\n\n".join(problems)


def test_pages_reflow_at_320px(site, targets, browser, sign_in):
    visitor_pages, staff_pages = targets
    problems: list[str] = []

    visitor = browser.new_context(viewport=PHONE)
    try:
        page = visitor.new_page()
        for target in visitor_pages:
            problems += check_phone_page(page, site.url, target)
    finally:
        visitor.close()

    # Somali is the longest of the four languages: its words are the likeliest to overflow.
    user = site.user("staff")
    user.preferred_language = "so"
    user.save(update_fields=["preferred_language"])
    staff = browser.new_context(viewport=PHONE)
    try:
        sign_in(staff, user)
        page = staff.new_page()
        for target in staff_pages:
            problems += check_phone_page(page, site.url, target)
    finally:
        staff.close()

    assert not problems, f"{len(problems)} problem(s):\n\n" + "\n\n".join(problems)


def test_pa11y_htmlcs_finds_no_errors(site, targets):
    """The second engine (HTML_CodeSniffer through pa11y, WCAG2AA) on public pages as a visitor, in
    English, and on signed-in pages as staff, in Somali; the session travels in a Cookie header."""
    require_pa11y()
    visitor_pages, staff_pages = targets
    user = site.user("staff")
    user.preferred_language = "so"
    user.save(update_fields=["preferred_language"])
    client = Client()
    client.force_login(user)
    cookie = {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    }
    jobs = [(site.url + t.path, {}) for t in visitor_pages if t.pa11y]
    jobs += [(site.url + t.path, cookie) for t in staff_pages if t.pa11y]

    results = pa11y_results(jobs)

    # pa11y saw each page itself, not the sign-in page it would be sent to without the session.
    assert [page["pageUrl"] for page in results] == [url for url, _ in jobs]
    problems = describe_errors(results)
    assert not problems, f"pa11y (htmlcs, WCAG2AA) found {len(problems)} error(s):\n" + "\n".join(problems)
