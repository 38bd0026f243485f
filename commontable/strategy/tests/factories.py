"""Factories for the plan; other apps (and the view and API tests) import these.

`ObjectiveFactory` makes its strategy inside the same plan; `BindingFactory` binds a manual
indicator (a computed one needs its key registered: pass `indicator=services.indicator_for_key(key)`).
"""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from commontable.core.visibility import Visibility
from commontable.strategy.choices import ActionItemStatus, Cadence, IndicatorKind, MeasurementSource
from commontable.strategy.models import (
    ActionItem,
    BoardReport,
    Indicator,
    Measurement,
    Objective,
    ObjectiveIndicator,
    Plan,
    Strategy,
)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    title = factory.Sequence(lambda n: f"Strategic plan {n}")
    slug = factory.Sequence(lambda n: f"plan-{n}")
    period_start = dt.date(2023, 1, 1)
    period_end = dt.date(2026, 12, 31)
    mission = "Housing justice for every neighbour."
    vision = "A city where everyone can stay."
    visibility = Visibility.MEMBERS


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Strategy title {n}")


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    strategy = factory.SubFactory(StrategyFactory)
    plan = factory.SelfAttribute("strategy.plan")
    position = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: f"{o.strategy.number}.{o.position}")
    text = factory.Sequence(lambda n: f"Objective text {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A manual indicator (measured by hand)."""

    class Meta:
        model = Indicator
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"manual.indicator-{n}")
    kind = IndicatorKind.MANUAL
    label = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "count"
    direction = "up"


class BindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObjectiveIndicator

    objective = factory.SubFactory(ObjectiveFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    param = ""
    baseline_value = Decimal("10")
    baseline_on = dt.date(2023, 1, 1)
    target_value = Decimal("50")
    target_on = dt.date(2026, 12, 31)
    cadence = Cadence.QUARTERLY


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    param = ""
    value = Decimal("20")
    measured_on = factory.LazyFunction(timezone.localdate)
    source = MeasurementSource.MANUAL
    evidence = "Counted at the spring assembly."


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Action item {n}")
    status = ActionItemStatus.OPEN
    visibility = Visibility.MEMBERS
    done_on = factory.LazyAttribute(
        lambda o: timezone.localdate() if o.status == ActionItemStatus.DONE else None
    )

    @factory.post_generation
    def objectives(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.objectives.set(extracted)


class BoardReportFactory(factory.django.DjangoModelFactory):
    """A report with empty frozen data; `services.board_report_create` makes a real one."""

    class Meta:
        model = BoardReport

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Board report {n}")
    period_start = dt.date(2024, 1, 1)
    period_end = dt.date(2024, 3, 31)
    data = factory.LazyFunction(dict)
    visibility = Visibility.MEMBERS
