"""The navigation marks exactly one entry as the current page: the one whose address is the
longest start of the page's (the calendar under /investments/ is not also "Investments")."""

import re

import pytest
from django.urls import reverse

from commontable.core.testing import login_as


def current_entries(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="page">', html)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "expected"),
    [
        ("investments:decision_calendar", "investments:decision_calendar"),
        ("investments:investment_list", "investments:investment_list"),
        ("businesses:opportunity_list", "businesses:opportunity_list"),
        ("businesses:business_list", "businesses:business_list"),
    ],
)
def test_one_current_entry(client, personas, url_name, expected):
    login_as(client, personas, "staff")
    html = client.get(reverse(url_name)).content.decode()
    assert current_entries(html) == [reverse(expected)]


@pytest.mark.django_db
def test_a_page_outside_every_entry_marks_none(client, personas):
    login_as(client, personas, "staff")
    assert current_entries(client.get(reverse("core:import_list")).content.decode()) == []
