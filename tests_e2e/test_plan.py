"""The plan dashboard in a real browser: open it, follow a figure to the records it counts and come
back; axe and a keyboard walk on the dashboard and the objective page; the same in Spanish."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests_e2e.a11y import assert_accessible, assert_keyboard_walk

pytestmark = pytest.mark.e2e

PLAN = Path(__file__).resolve().parent.parent / "commontable" / "strategy" / "data" / "alliance-strategic-plan-2023-2026.txt"


@pytest.fixture
def plan(site):
    from commontable.strategy import services

    plan, _ = services.plan_import(data=PLAN.read_bytes(), actor=None, make_default=True)
    objective = plan.objectives.get(number="2.2")
    services.binding_create(
        actor=None, objective=objective, indicator=services.indicator_for_key("directory.tables_active"),
        baseline_value="1", baseline_on=plan.period_start, target_value="4", target_on=plan.period_end,
    )
    return plan


def test_a_figure_leads_to_the_records_it_counts_and_back(site, plan, page, context, sign_in):
    sign_in(context, site.user("staff"))
    dashboard = site.url + reverse("strategy:dashboard")
    page.goto(dashboard)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Strategic Plan")
    expect(page.get_by_role("heading", name="2.2", exact=False)).to_be_visible()
    assert_accessible(page)
    assert_keyboard_walk(page)
    # Two tables are active (the personas' table and the public one): the figure is a link to them.
    figure = page.get_by_role("link", name="Active tables: 2 — see the records")
    expect(figure).to_be_visible()
    figure.click()
    expect(page).to_have_url(site.url + reverse("directory:table_list"))
    expect(page.get_by_role("link", name="Green Line Corridor Table")).to_be_visible()
    page.go_back()
    expect(page).to_have_url(dashboard)
    expect(page.get_by_role("heading", name="2.2", exact=False)).to_be_visible()


def test_the_objective_page_and_the_dashboard_in_spanish(site, plan, page, context, sign_in):
    user = site.user("board")
    user.preferred_language = "es"
    user.save()
    sign_in(context, user)
    objective = plan.objectives.get(number="2.2")
    page.goto(site.url + reverse("strategy:objective_detail", kwargs={"public_id": objective.public_id}))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Indicadores")).to_be_visible()
    assert_accessible(page)
    assert_keyboard_walk(page)
    page.get_by_role("link", name=plan.title).click()
    expect(page.get_by_role("heading", name="Progreso")).to_be_visible()
    assert_accessible(page)
