"""Cached workforce pages (core/page_cache.py, ADR 13): a change shows on the next load, and a
member never gets the body built for staff."""

from decimal import Decimal

from django.urls import reverse

from commontable.core.testing import login_as
from commontable.workforce import services
from commontable.workforce.tests.factories import HoursRecordFactory

OVERVIEW = reverse("workforce:workforce_overview")


def body(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def test_a_member_never_gets_the_overview_built_for_staff(client, personas, world):
    login_as(client, personas, "staff")
    assert "Hidden Yard" in body(client, OVERVIEW)
    login_as(client, personas, "member_a")
    assert "Hidden Yard" not in body(client, OVERVIEW)


def test_new_hours_and_goals_show_on_the_next_load(client, personas, world):
    detail = reverse("workforce:workforce_detail", args=[world.investment.slug])
    login_as(client, personas, "member_a")
    assert "Rice Street Roofing" not in body(client, detail)
    HoursRecordFactory(investment=world.investment, employer_name="Rice Street Roofing", employer_key="rice street roofing")
    assert "Rice Street Roofing" in body(client, detail)
    assert "17.5%" not in body(client, detail)
    services.goal_create(actor=personas.user("staff"), investment=world.investment, measure="apprentice",
                         target_percent=Decimal("17.5"), source="ordinance")
    assert "17.5%" in body(client, detail)
