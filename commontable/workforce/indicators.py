"""What workforce records tell the plan (objective 1.5): the share of hours worked by BIPOC
workers, women and apprentices across the investments tracked, and how many investments meet
their BIPOC goal. Shares are of hours, not of people, so no small-group suppression applies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from commontable.core.indicators import Indicator, Reading, Unit
from commontable.workforce.choices import Measure
from commontable.workforce.models import HoursRecord, WorkforceGoal
from commontable.workforce.selectors import goal_in_force
from commontable.workforce.shares import Totals, meets_goal, share_percent


def _url() -> str | None:
    try:
        return reverse("workforce:workforce_overview")
    except NoReverseMatch:
        return None


def _share_series(field: str):
    def compute(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
        """Hours of the group as a percentage of all hours, in pay periods ended by each date
        (one query for every date)."""
        sums = {}
        for i, day in enumerate(dates):
            sums[f"t{i}"] = Sum("total_hundredths", filter=Q(period_end__lte=day))
            sums[f"p{i}"] = Sum(field, filter=Q(period_end__lte=day))
        found = HoursRecord.objects.aggregate(**sums)
        readings = []
        for i in range(len(dates)):
            whole, part = found[f"t{i}"] or 0, found[f"p{i}"] or 0
            value = share_percent(part, whole)
            readings.append(Reading(value=None if value is None else float(value), n=None))
        return readings

    return compute


def investments_meeting_bipoc_goal(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """Investments whose BIPOC share of hours to date meets the BIPOC goal in force, among those
    with such a goal and hours (today only: goals keep no history)."""
    today = dt.date.today()
    goals: dict[int, list[WorkforceGoal]] = {}
    for goal in WorkforceGoal.objects.filter(measure=Measure.BIPOC):
        goals.setdefault(goal.investment_id, []).append(goal)
    sums = (
        HoursRecord.objects.filter(investment_id__in=list(goals))
        .values("investment_id")
        .annotate(t=Sum("total_hundredths"), b=Sum("bipoc_hundredths"))
        .order_by()
    )
    met = tracked = 0
    for row in sums:
        goal = goal_in_force(goals[row["investment_id"]], Measure.BIPOC, today)
        result = meets_goal(Totals(total=row["t"] or 0, bipoc=row["b"] or 0).share("bipoc"),
                            goal.target_percent if goal else None)
        if result is not None:
            tracked += 1
            met += int(result)
    return [Reading(value=float(met), n=tracked) for _day in dates]


INDICATORS = [
    Indicator(
        key="workforce.bipoc_share",
        label=_("BIPOC hours share"),
        counts=_("Hours worked by BIPOC workers as a share of all hours on the investments tracked, from certified payroll."),
        compute=_share_series("bipoc_hundredths"),
        unit=Unit.PERCENT,
        depends_on=("workforce.HoursRecord",),
        records_url=lambda param: _url(),
    ),
    Indicator(
        key="workforce.investments_meeting_bipoc_goal",
        label=_("Investments meeting their BIPOC hours goal"),
        counts=_("Investments whose BIPOC share of hours to date meets the BIPOC goal in force, among those with a goal and hours."),
        compute=investments_meeting_bipoc_goal,
        history=False,
        depends_on=("workforce.HoursRecord", "workforce.WorkforceGoal"),
        records_url=lambda param: _url() and f"{_url()}?sort=gap",
    ),
    Indicator(
        key="workforce.women_share",
        label=_("Women's hours share"),
        counts=_("Hours worked by women as a share of all hours on the investments tracked."),
        compute=_share_series("women_hundredths"),
        unit=Unit.PERCENT,
        depends_on=("workforce.HoursRecord",),
        records_url=lambda param: _url(),
    ),
    Indicator(
        key="workforce.apprentice_share",
        label=_("Apprentice hours share"),
        counts=_("Hours worked by apprentices as a share of all hours on the investments tracked."),
        compute=_share_series("apprentice_hundredths"),
        unit=Unit.PERCENT,
        depends_on=("workforce.HoursRecord",),
        records_url=lambda param: _url(),
    ),
]
