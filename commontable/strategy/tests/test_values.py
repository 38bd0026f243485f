from pathlib import Path

from django.urls import reverse

from commontable.core.testing import login_as
from commontable.strategy import services

PLAN = (Path(__file__).parents[1] / "data" / "alliance-strategic-plan-2023-2026.txt").read_bytes()


def test_the_plans_values_appear_where_members_affirm_them(client, personas):
    services.plan_import(data=PLAN, actor=None, make_default=True)
    login_as(client, personas, "staff")
    response = client.get(reverse("directory:organization_values_affirm", args=[personas.org_a.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Racial justice" in page and "Shared leadership" in page
    # The version offered is the plan's, so the affirmation says which text was agreed to.
    assert 'value="2023–2026 r1"' in page


def test_without_a_plan_the_affirmation_page_still_works(client, personas):
    login_as(client, personas, "staff")
    response = client.get(reverse("directory:organization_values_affirm", args=[personas.org_a.slug]))
    assert response.status_code == 200
    assert "Racial justice" not in response.content.decode()
