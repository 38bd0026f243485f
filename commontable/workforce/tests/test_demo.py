"""The demo: goals and twelve months of hours on two demo investments, one below its BIPOC goal."""

import pytest
from django.core.management import call_command

from commontable.core.models import ActivityLog
from commontable.workforce import selectors
from commontable.workforce.demo import NORTHSIDE, SNELLING
from commontable.workforce.models import HoursRecord, WorkforceGoal


@pytest.mark.django_db
def test_the_demo_loads_goals_and_a_year_of_hours_with_one_investment_below_goal(personas):
    call_command("investments_demo_load", "--allow-without-debug")
    call_command("workforce_demo_load", "--allow-without-debug")
    assert WorkforceGoal.objects.count() == 6
    assert HoursRecord.objects.filter(investment__slug=NORTHSIDE).values("period_end").distinct().count() == 12
    rows = {r.investment.slug: r for r in selectors.workforce_overview(personas.user("staff"))}
    assert rows[NORTHSIDE].meets() is True
    assert rows[SNELLING].meets() is False
    assert ActivityLog.objects.filter(action="workforce.hours.imported").count() == 3
    call_command("workforce_demo_load", "--allow-without-debug")  # a second run changes nothing
    assert WorkforceGoal.objects.count() == 6
