"""Fixtures the workforce tests share: a members-only investment with org A engaged, a BIPOC goal
of 32% and women 20%, and six months of hours from two contractors (one month below the BIPOC
goal); a staff-only investment with its own hours."""

import datetime as dt
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from commontable.core.visibility import Visibility
from commontable.investments.tests.factories import InvestmentFactory
from commontable.workforce.choices import Measure
from commontable.workforce.tests.factories import HoursRecordFactory, WorkforceGoalFactory

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "certified_payroll_sample.csv"


@pytest.fixture
def sample_bytes():
    return SAMPLE.read_bytes()


@pytest.fixture
def world(personas):
    investment = InvestmentFactory(name="Snelling Station", slug="snelling-station", visibility=Visibility.MEMBERS)
    investment.organizations.add(personas.org_a)
    hidden = InvestmentFactory(name="Hidden Yard", slug="hidden-yard", visibility=Visibility.STAFF)
    goal = WorkforceGoalFactory(investment=investment, measure=Measure.BIPOC, target_percent=Decimal("32.0"))
    WorkforceGoalFactory(investment=investment, measure=Measure.WOMEN, target_percent=Decimal("20.0"))
    hidden_goal = WorkforceGoalFactory(investment=hidden, measure=Measure.BIPOC, target_percent=Decimal("25.0"))
    for month in range(1, 7):
        end = dt.date(2025, month, 28)
        for employer, bipoc in (("Union Depot Construction Group", 140_00), ("Frogtown Electric Co.", 100_00)):
            HoursRecordFactory(
                investment=investment, employer_name=employer, employer_key=employer.casefold().replace(".", ""),
                period_start=end - dt.timedelta(days=6), period_end=end, total_hundredths=400_00,
                bipoc_hundredths=bipoc if month != 3 else 40_00, women_hundredths=90_00, apprentice_hundredths=50_00,
            )
    HoursRecordFactory(investment=hidden, total_hundredths=100_00, bipoc_hundredths=10_00)
    return SimpleNamespace(investment=investment, hidden=hidden, goal=goal, hidden_goal=hidden_goal)


def own_queries(client, url, **params) -> list[str]:
    """The queries a request makes of the workforce and investment tables, leaving out sign-in and
    the viewer's roles (which the directory may cache, so their count is not this app's to fix)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return [q["sql"] for q in captured if "workforce_" in q["sql"] or '"investments_investment"' in q["sql"]]
