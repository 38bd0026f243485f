import datetime as dt
from decimal import Decimal

import factory

from commontable.investments.tests.factories import InvestmentFactory
from commontable.workforce.choices import GoalSource, Measure
from commontable.workforce.models import HoursRecord, WorkforceGoal


class WorkforceGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkforceGoal

    investment = factory.SubFactory(InvestmentFactory)
    measure = Measure.BIPOC
    target_percent = Decimal("32.0")
    source = GoalSource.ORDINANCE


class HoursRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HoursRecord

    investment = factory.SubFactory(InvestmentFactory)
    employer_name = "Union Depot Construction Group"
    employer_key = factory.LazyAttribute(lambda o: " ".join(o.employer_name.casefold().replace(".", " ").split()))
    trade = "Carpenter"
    period_start = dt.date(2025, 3, 1)
    period_end = dt.date(2025, 3, 7)
    total_hundredths = 400_00
    bipoc_hundredths = 120_00
    women_hundredths = 80_00
    apprentice_hundredths = 60_00
