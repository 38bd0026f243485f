"""Reads of workforce goals and hours: an investment's hours by month with shares against its
goals, its contractors, and the overview across investments. Each is a fixed number of queries
whatever the number of records: sums are computed by the database, shares in `shares.py`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Max, Min, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext

from commontable.core.indicators import data_version
from commontable.investments.models import Investment
from commontable.workforce.choices import Measure
from commontable.workforce.models import PART_FIELDS, HoursRecord, WorkforceGoal
from commontable.workforce.shares import Totals, meets_goal

SUMS = {f"sum_{name}": Sum(name) for name in ("total_hundredths", *PART_FIELDS)}
SORTS = ("name", "-name", "bipoc", "-bipoc", "gap", "-gap", "hours", "-hours")
# Sums over hours records are cached under the records' data version (ADR 7's tokens: saving or
# deleting a record, or an import's `data_changed()`, replaces it), so a page reads them in one
# cache hit and the first load after a change recomputes them. ADR 11 has the measurements.
CACHE_SECONDS = 24 * 3600
VERSION_LABEL = "workforce.HoursRecord"
MEASURES = tuple(Measure.values)


def _cached(name: str, compute):
    key = f"ct:wf:{name}:{data_version(VERSION_LABEL)}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CACHE_SECONDS)
    return found


@dataclass
class PeriodRow:
    """One month of an investment's hours (records whose period ends in that month)."""

    month: dt.date
    totals: Totals
    goals: dict[str, Decimal | None] = field(default_factory=dict)  # measure → target in force

    @property
    def shares(self) -> dict[str, Decimal | None]:
        return self.totals.shares

    def meets(self, measure: str) -> bool | None:
        return meets_goal(self.totals.share(measure), self.goals.get(measure))


@dataclass
class ContractorRow:
    employer_name: str
    totals: Totals
    first: dt.date
    last: dt.date
    records: int


@dataclass
class WorkforcePage:
    investment: Investment
    goals: list[WorkforceGoal]
    periods: list[PeriodRow]
    contractors: list[ContractorRow]
    totals: Totals
    current_goals: dict[str, WorkforceGoal]

    @property
    def measures(self) -> list[str]:
        """The measures worth a column and a chart: those with a goal or with hours reported."""
        shown = [Measure.BIPOC, Measure.WOMEN, Measure.APPRENTICE]
        if Measure.LOCAL in self.current_goals or self.totals.local is not None:
            shown.append(Measure.LOCAL)
        return [str(m) for m in shown]


def goal_in_force(goals: list, measure: str, day: dt.date) -> WorkforceGoal | None:
    """The goal for `measure` in force on `day`; the latest-starting one when several are."""
    found = [g for g in goals if g.measure == measure and g.applies_on(day)]
    return max(found, key=lambda g: (g.starts_on or dt.date.min, g.pk), default=None)


def goal_list(investment: Investment) -> list[WorkforceGoal]:
    """An investment's workforce goals, by measure and start (one query)."""
    return list(WorkforceGoal.objects.filter(investment=investment).order_by("measure", "starts_on", "pk"))


def workforce_detail(investment: Investment, *, today: dt.date | None = None) -> WorkforcePage:
    """Everything the workforce page shows: the goals (one query), the hours summed by month and by
    contractor (one query each, cached until hours change)."""
    today = today or dt.date.today()
    goals = goal_list(investment)
    months = _cached(f"months:{investment.pk}", lambda: _month_sums(investment))
    periods = []
    for month, totals in months:
        # The goal in force at the end of the month decides whether the month met it.
        end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        in_force = {m: goal_in_force(goals, m, end) for m in MEASURES}
        periods.append(
            PeriodRow(month=month, totals=totals, goals={m: (g.target_percent if g else None) for m, g in in_force.items()})
        )
    contractors = _cached(f"contractors:{investment.pk}", lambda: _contractor_sums(investment))
    totals = sum((p.totals for p in periods), Totals())
    current = {m: g for m in MEASURES if (g := goal_in_force(goals, m, today)) is not None}
    return WorkforcePage(investment, goals, periods, contractors, totals, current)


def _month_sums(investment: Investment) -> list[tuple[dt.date, Totals]]:
    """Hours summed by the month each pay period ends in (one query)."""
    found = []
    records = HoursRecord.objects.filter(investment=investment)
    for row in records.annotate(month=TruncMonth("period_end")).values("month").annotate(**SUMS).order_by("month"):
        month = row["month"]
        found.append((month.date() if isinstance(month, dt.datetime) else month, _totals(row)))
    return found


def _contractor_sums(investment: Investment) -> list[ContractorRow]:
    """Hours summed by contractor (one query)."""
    return [
        ContractorRow(
            employer_name=row["employer_name"], totals=_totals(row), first=row["first"], last=row["last"],
            records=row["records"],
        )
        for row in HoursRecord.objects.filter(investment=investment)
        .values("employer_name")
        .annotate(**SUMS, first=Min("period_start"), last=Max("period_end"), records=Count("pk"))
        .order_by("employer_name")
    ]


def _sums_by_investment() -> dict[int, Totals]:
    """Hours to date summed per investment, for every investment (one query; cached, and narrowed
    to what a viewer may see by the caller)."""
    return {
        row["investment"]: _totals(row)
        for row in HoursRecord.objects.values("investment").annotate(**SUMS).order_by()
    }


def investment_related(*, investment: Investment, user) -> dict:
    """The investment page's line about this app (core.hooks `investments.related`): the BIPOC
    share of the hours recorded so far, linked to the workforce page (the sums come from the cache
    kept per data version, so the line adds no query of its own once they are cached)."""
    totals = _cached("sums", _sums_by_investment).get(investment.pk)
    if totals is None or not totals.total:
        text = gettext("No hours recorded yet")
    else:
        share = totals.share(Measure.BIPOC)
        text = gettext("BIPOC workers: %(share)s %% of %(hours)s hours") % {
            "share": number_format(share, decimal_pos=1, use_l10n=True),
            "hours": number_format(totals.total // 100, use_l10n=True, force_grouping=True),
        }
    return {
        "label": gettext("Workforce"),
        "text": text,
        "url": reverse("workforce:workforce_detail", args=[investment.slug]),
    }


def _totals(row: dict) -> Totals:
    return Totals(
        total=row["sum_total_hundredths"] or 0,
        bipoc=row["sum_bipoc_hundredths"] or 0,
        women=row["sum_women_hundredths"] or 0,
        apprentice=row["sum_apprentice_hundredths"] or 0,
        apprentice_bipoc=row["sum_apprentice_bipoc_hundredths"],
        local=row["sum_local_hundredths"],
        unknown_race=row["sum_unknown_race_hundredths"],
    )


@dataclass(frozen=True)
class InvestmentRef:
    pk: int
    name: str
    slug: str


@dataclass(frozen=True)
class GoalTerm:
    """A goal's terms as plain values (what the overview and indicators need of it)."""

    FIELDS = ("pk", "investment_id", "measure", "target_percent", "starts_on", "ends_on")
    pk: int
    investment_id: int
    measure: str
    target_percent: Decimal
    starts_on: dt.date | None
    ends_on: dt.date | None

    def applies_on(self, day: dt.date) -> bool:
        return (self.starts_on is None or self.starts_on <= day) and (self.ends_on is None or day <= self.ends_on)


@dataclass
class OverviewRow:
    """One investment in the overview: its hours to date, shares, and current goals."""

    investment: InvestmentRef
    totals: Totals
    goals: dict[str, Decimal] = field(default_factory=dict)

    def share(self, measure: str) -> Decimal | None:
        return self.totals.share(measure)

    def gap(self, measure: str = Measure.BIPOC) -> Decimal | None:
        """Share minus goal (negative: below goal)."""
        actual, target = self.share(measure), self.goals.get(measure)
        return None if actual is None or target is None else actual - target

    def meets(self, measure: str = Measure.BIPOC) -> bool | None:
        return meets_goal(self.share(measure), self.goals.get(measure))


def workforce_overview(user, *, sort: str = "name", today: dt.date | None = None) -> list[OverviewRow]:
    """Every investment the user may see that has workforce goals or hours, with its shares to
    date against the goals in force today, sorted by name, BIPOC share, gap to the BIPOC goal or
    hours. One query (which of them the viewer may see); the rows themselves are cached until
    hours, goals or investments change, and then cost three queries (sums, goals, names)."""
    today = today or dt.date.today()
    everything = _overview_rows(today)
    if not everything:
        return []
    # One query: which of them this viewer may see (the cached rows cover every investment).
    visible = set(Investment.objects.visible_to(user).filter(pk__in=list(everything)).values_list("pk", flat=True))
    rows = [row for pk, row in everything.items() if pk in visible]
    return sort_overview(rows, sort)


def _overview_rows(today: dt.date) -> dict[int, OverviewRow]:
    """Every investment with goals or hours, with its sums and the goals in force today; cached
    until hours, goals or investments change (and for the day)."""
    key = "ct:wf:overview:{}:{}".format(
        today.isoformat(), data_version(VERSION_LABEL, "workforce.WorkforceGoal", "investments.Investment")
    )
    found = cache.get(key)
    if found is None:
        found = _compute_overview_rows(today)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _compute_overview_rows(today: dt.date) -> dict[int, OverviewRow]:
    sums = _sums_by_investment()
    # Plain values, not model instances: a list of hundreds of investments and goals spends most
    # of its time building instances otherwise.
    goals_by_investment: dict[int, list[GoalTerm]] = {}
    for values in WorkforceGoal.objects.order_by("pk").values_list(*GoalTerm.FIELDS):
        term = GoalTerm(*values)
        goals_by_investment.setdefault(term.investment_id, []).append(term)
    ids = set(sums) | set(goals_by_investment)
    rows = {}
    for pk, name, slug in Investment.objects.filter(pk__in=list(ids)).values_list("pk", "name", "slug"):
        goals = goals_by_investment.get(pk, [])
        current = {m: g.target_percent for m in MEASURES if (g := goal_in_force(goals, m, today))} if goals else {}
        rows[pk] = OverviewRow(InvestmentRef(pk, name, slug), sums.get(pk, Totals()), current)
    return rows


def sort_overview(rows: list[OverviewRow], sort: str) -> list[OverviewRow]:
    """Sorted by the column asked for; rows without a value last whatever the direction."""
    sort = sort if sort in SORTS else "name"
    reverse = sort.startswith("-")
    key = sort.lstrip("-")
    rows = sorted(rows, key=lambda r: r.investment.name.casefold())
    if key == "name":
        return list(reversed(rows)) if reverse else rows
    value = {
        "bipoc": lambda r: r.share(Measure.BIPOC),
        "gap": lambda r: r.gap(Measure.BIPOC),
        "hours": lambda r: r.totals.total if r.totals.total else None,
    }[key]
    known = [r for r in rows if value(r) is not None]
    unknown = [r for r in rows if value(r) is None]
    return sorted(known, key=value, reverse=reverse) + unknown


def hours_list(investment: Investment):
    """An investment's hours records, by period and contractor (for the API's list)."""
    return HoursRecord.objects.filter(investment=investment).order_by("period_start", "employer_name", "trade", "pk")
