"""The demo's workforce: goals and twelve months of certified-payroll hours on two of the demo
investments (`investments_demo_load` first). The Northside Light Rail Extension meets its BIPOC
goal; Snelling Yards Redevelopment is below it. Goal figures are illustrative, in the form
Minneapolis and Saint Paul state theirs (percentages of total project hours); contractor names are
fictional. Everything goes through the services (goals) and the import (hours), so every record
has its audit entry; the sample worker-level file is imported too."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from commontable.investments.models import Investment
from commontable.workforce import services
from commontable.workforce.choices import GoalSource, Measure
from commontable.workforce.models import HoursRecord, WorkforceGoal

SAMPLE = Path(__file__).resolve().parent / "samples" / "certified_payroll_sample.csv"
NORTHSIDE, SNELLING = "northside-light-rail-extension", "snelling-yards-redevelopment"
GOALS = {
    NORTHSIDE: [(Measure.BIPOC, "32.0", GoalSource.ORDINANCE, "City workforce goal"),
                (Measure.WOMEN, "20.0", GoalSource.ORDINANCE, "City workforce goal"),
                (Measure.APPRENTICE, "15.0", GoalSource.CONTRACT, "Federal grant condition")],
    SNELLING: [(Measure.BIPOC, "35.0", GoalSource.CBA, "Community benefits agreement, section 4"),
               (Measure.WOMEN, "15.0", GoalSource.CBA, "Community benefits agreement, section 4"),
               (Measure.APPRENTICE, "12.0", GoalSource.CBA, "Community benefits agreement, section 5")],
}
# (contractor, monthly hours, BIPOC share, women share, apprentice share) per investment.
CONTRACTORS = {
    NORTHSIDE: [("Union Depot Construction Group", 4200, 0.36, 0.19, 0.16), ("Riverbend Civil LLC", 2600, 0.31, 0.22, 0.14)],
    SNELLING: [("Snelling Yards Builders Inc.", 3800, 0.24, 0.12, 0.10), ("Midway Electric Co.", 1500, 0.29, 0.09, 0.13)],
}


@dataclass
class DemoSummary:
    goals: int = 0
    records: int = 0


def _month_ends(today: dt.date, count: int = 12) -> list[tuple[dt.date, dt.date]]:
    first_of_this = today.replace(day=1)
    months = []
    end = first_of_this - dt.timedelta(days=1)
    for _i in range(count):
        start = end.replace(day=1)
        months.append((start, end))
        end = start - dt.timedelta(days=1)
    return list(reversed(months))


def _totals_csv(slug: str, today: dt.date) -> bytes:
    lines = ["contractor,period_start,period_end,total_hours,bipoc_hours,women_hours,apprentice_hours"]
    for index, (start, end) in enumerate(_month_ends(today)):
        wobble = ((index * 7) % 5 - 2) / 100  # months differ a little, some dip below the goal
        for name, hours, bipoc, women, apprentice in CONTRACTORS[slug]:
            total = hours + (index % 3) * 120
            lines.append(
                f"{name},{start},{end},{total},{round(total * max(0, bipoc + wobble), 2)},"
                f"{round(total * women, 2)},{round(total * apprentice, 2)}"
            )
    return ("\n".join(lines) + "\n").encode()


@transaction.atomic
def workforce_demo_load(actor=None) -> DemoSummary | None:
    """Load the demo's goals and hours; None when workforce records exist already or the demo
    investments are missing."""
    investments = {i.slug: i for i in Investment.objects.filter(slug__in=[NORTHSIDE, SNELLING])}
    if len(investments) < 2 or WorkforceGoal.objects.exists() or HoursRecord.objects.exists():
        return None
    today = timezone.localdate()
    summary = DemoSummary()
    for slug, goals in GOALS.items():
        for measure, target, source, note in goals:
            services.goal_create(actor=actor, investment=investments[slug], measure=measure,
                                 target_percent=Decimal(target), source=source, source_note=note,
                                 starts_on=today.replace(year=today.year - 2))
            summary.goals += 1
        services.hours_import_file(actor=actor, investment=investments[slug], data=_totals_csv(slug, today),
                                   filename=f"{slug}-monthly-totals.csv")
    # The sample certified-payroll file (one row per worker per week) on the first investment.
    services.hours_import_file(actor=actor, investment=investments[SNELLING], data=SAMPLE.read_bytes(),
                               filename=SAMPLE.name)
    summary.records = HoursRecord.objects.count()
    return summary
