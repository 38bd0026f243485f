"""Reads for the plan: the dashboard, an objective's page, the board report's data.

The dashboard costs a constant number of queries however many objectives and records there are:
plan parts and bindings in a handful of queries, every hand-entered or snapshot measurement in one,
and every computed figure through `core.indicators.compute_many` (two cache reads when nothing
changed; a changed record makes only the indicators that depend on it compute again).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils import timezone

from commontable.core import indicators as registry
from commontable.core.indicators import Reading
from commontable.core.visibility import viewer_for
from commontable.strategy.choices import IndicatorKind, MeasurementSource, Status
from commontable.strategy.models import (
    ActionItem,
    BoardReport,
    Indicator,
    Measurement,
    Objective,
    ObjectiveIndicator,
    Plan,
    Strategy,
    Value,
)
from commontable.strategy.progress import Target, change, figure_status, objective_status, quarter_ends


def plan_list(user):
    """Plans the user may see, newest period first."""
    return Plan.objects.visible_to(user).select_related("predecessor")


def plan_default(user) -> Plan | None:
    """The plan the dashboard opens: the default one if the user may see it, else the newest they may."""
    plans = Plan.objects.visible_to(user)
    return plans.filter(is_default=True).first() or plans.first()


def plan_values(plan: Plan | None = None) -> list[Value]:
    """The current values of a plan (the default plan when none is given)."""
    plan = plan or Plan.objects.filter(is_default=True).first()
    if plan is None:
        return []
    return list(plan.values.current())


def plan_values_statement() -> dict | None:
    """The default plan's values and the version to record when an organisation affirms them."""
    plan = Plan.objects.filter(is_default=True).first()
    if plan is None:
        return None
    return {
        "title": plan.title,
        "version": f"{plan.period_label} r{plan.revision}",
        "values": [(v.name, v.description) for v in plan.values.current()],
    }


@dataclass
class Figure:
    """One indicator bound to an objective, as the dashboard shows it."""

    binding: ObjectiveIndicator
    key: str
    label: str
    counts: str
    unit: str
    higher_is_better: bool
    manual: bool
    current: Reading
    series: list[tuple[dt.date, float | None]]
    status: str
    measured_on: dt.date | None = None
    param_display: str = ""
    before: float | None = None
    before_on: dt.date | None = None
    url: str | None = None

    @property
    def change(self) -> float | None:
        return change(self.current.value if self.current.has_value else None, self.before)

    @property
    def target(self) -> Decimal | None:
        return self.binding.target_value


@dataclass
class ObjectiveRow:
    objective: Objective
    figures: list[Figure]
    status: str
    owners: list = field(default_factory=list)
    tables: list = field(default_factory=list)


@dataclass
class StrategyRow:
    strategy: Strategy
    objectives: list[ObjectiveRow]


@dataclass
class Dashboard:
    plan: Plan
    as_of: dt.date
    strategies: list[StrategyRow]
    last_report: BoardReport | None
    status_counts: dict[str, int]
    all_strategies: list[Strategy] = field(default_factory=list)


def _series_from_measurements(points: list[tuple[dt.date, float]], dates: list[dt.date]) -> list[tuple[dt.date, float | None, dt.date | None]]:
    """For each date, the latest measurement on or before it (value and its date)."""
    result, index, latest, latest_on = [], 0, None, None
    for day in dates:
        while index < len(points) and points[index][0] <= day:
            latest_on, latest = points[index]
            index += 1
        result.append((day, latest, latest_on))
    return result


def _figures(bindings: list[ObjectiveIndicator], dates: list[dt.date], as_of: dt.date, before: dict | None) -> dict[int, Figure]:
    """Every binding's figure, in a constant number of queries."""
    computed = [b for b in bindings if b.indicator.kind == IndicatorKind.COMPUTED and b.indicator.key in registry.registry()]
    readings = registry.compute_many(sorted({(b.indicator.key, b.param) for b in computed}), dates)
    stored: dict[tuple[int, str], list[tuple[dt.date, float]]] = {}
    indicator_ids = {b.indicator_id for b in bindings}
    for indicator_id, param, on, value in (
        Measurement.objects.filter(indicator_id__in=indicator_ids, measured_on__lte=as_of)
        .order_by("indicator_id", "param", "measured_on", "id")
        .values_list("indicator_id", "param", "measured_on", "value")
    ):
        stored.setdefault((indicator_id, param), []).append((on, float(value)))
    param_labels: dict[str, dict[str, str]] = {}
    figures = {}
    for binding in bindings:
        indicator = binding.indicator
        target = Target(
            baseline_value=float(binding.baseline_value) if binding.baseline_value is not None else None,
            baseline_on=binding.baseline_on,
            target_value=float(binding.target_value) if binding.target_value is not None else None,
            target_on=binding.target_on,
            higher_is_better=indicator.direction != "down",
        )
        measured_on = None
        param_display = ""
        points = stored.get((indicator.pk, binding.param), [])
        if indicator.kind == IndicatorKind.MANUAL or indicator.key not in registry.registry():
            steps = _series_from_measurements(points, dates)
            series = [(day, value) for day, value, _on in steps]
            measured_on = steps[-1][2] if steps else None
            current = Reading(value=series[-1][1]) if series else registry.NO_READING
            label, counts, unit = indicator.label or indicator.key, indicator.description, indicator.unit
            url = reverse("strategy:indicator_detail", args=[indicator.key])
            manual = True
            status = figure_status(target, current.value, as_of, measured_on=measured_on, cadence_days=binding.cadence) if measured_on else (
                Status.STALE if target.target_value is not None else Status.UNKNOWN
            )
        else:
            definition = registry.get(indicator.key)
            series_readings = readings[(indicator.key, binding.param)]
            if not definition.history and points:
                # Earlier points from the snapshots kept by `plan_snapshot`.
                steps = _series_from_measurements(points, dates[:-1])
                series_readings = [Reading(value=v) if v is not None else r for (_d, v, _o), r in zip(steps, series_readings[:-1], strict=True)] + series_readings[-1:]
            current = series_readings[-1]
            series = [(day, r.value if r.has_value else None) for day, r in zip(dates, series_readings, strict=True)]
            label, counts, unit = str(definition.label), str(definition.counts), str(definition.unit)
            param_display = ""
            if definition.params is not None:
                if indicator.key not in param_labels:
                    param_labels[indicator.key] = dict(definition.param_choices())
                param_display = param_labels[indicator.key].get(binding.param, binding.param)
                label = f"{label}: {param_display}"
            url = definition.url_for(binding.param)
            manual = False
            status = Status.UNKNOWN if current.suppressed else figure_status(target, current.value, as_of)
        figure = Figure(
            binding=binding, key=indicator.key, label=label, counts=counts, unit=unit,
            higher_is_better=target.higher_is_better, manual=manual, current=current, series=series,
            status=status, measured_on=measured_on, url=url, param_display=param_display,
        )
        if before:
            previous = before.get(str(binding.public_id))
            if previous is not None:
                figure.before, figure.before_on = previous.get("value"), before.get("_as_of")
        figures[binding.pk] = figure
    return figures


def trend_dates(plan: Plan, as_of: dt.date) -> list[dt.date]:
    start = plan.period_start
    if as_of <= start:
        return [as_of]
    return quarter_ends(start, min(as_of, plan.period_end) if as_of > plan.period_end else as_of)


def _last_report_figures(report: BoardReport | None) -> dict | None:
    if report is None:
        return None
    figures = {"_as_of": dt.date.fromisoformat(report.data.get("as_of", report.period_end.isoformat()))}
    for strategy in report.data.get("strategies", []):
        for objective in strategy.get("objectives", []):
            for figure in objective.get("figures", []):
                figures[figure["binding"]] = figure
    return figures


def _visible_tables(user) -> Prefetch:
    """An objective's tables, only those the user may see: a hidden table is not named."""
    from commontable.directory.models import Table

    return Prefetch("tables", queryset=Table.objects.visible_to(user).order_by("name"))


def plan_dashboard(plan: Plan, *, user, as_of: dt.date | None = None, strategy: int | None = None, table=None, owner=None) -> Dashboard:
    """The whole plan with every objective's figures, trend, status and change since the last
    board report, filtered by strategy, table or owner."""
    as_of = as_of or timezone.localdate()
    strategies = list(plan.strategies.current())
    objectives = plan.objectives.current().select_related("strategy").prefetch_related("owners", _visible_tables(user))
    if strategy:
        objectives = objectives.filter(strategy__number=strategy)
    if table is not None:
        objectives = objectives.filter(tables=table)
    if owner is not None:
        objectives = objectives.filter(owners=owner)
    objectives = list(objectives)
    bindings = list(
        ObjectiveIndicator.objects.current().filter(objective__in=[o.pk for o in objectives]).select_related("indicator")
    )
    last_report = BoardReport.objects.visible_to(user).filter(plan=plan, created_at__date__lte=as_of).order_by("-created_at").first()
    figures = _figures(bindings, trend_dates(plan, as_of), as_of, _last_report_figures(last_report))
    by_objective: dict[int, list[Figure]] = {}
    for binding in bindings:
        by_objective.setdefault(binding.objective_id, []).append(figures[binding.pk])
    rows_by_strategy: dict[int, list[ObjectiveRow]] = {}
    counts = dict.fromkeys(Status.values, 0)
    for objective in objectives:
        objective_figures = by_objective.get(objective.pk, [])
        status = objective_status([f.status for f in objective_figures])
        counts[status] += 1
        rows_by_strategy.setdefault(objective.strategy_id, []).append(
            ObjectiveRow(objective=objective, figures=objective_figures, status=status,
                         owners=list(objective.owners.all()), tables=list(objective.tables.all()))
        )
    rows = [StrategyRow(strategy=s, objectives=rows_by_strategy.get(s.pk, [])) for s in strategies if not strategy or s.number == strategy]
    return Dashboard(plan=plan, as_of=as_of, strategies=rows, last_report=last_report, status_counts=counts, all_strategies=strategies)


def objective_get_for_user(user, public_id) -> Objective:
    """An objective the user may see (archived ones too: their history stays readable)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Objective.objects.visible_to(user).select_related("plan", "strategy"), public_id=public_id)


@dataclass
class ObjectivePage:
    objective: Objective
    figures: list[Figure]
    status: str
    measurements: dict[int, list[Measurement]]
    action_items: list[ActionItem]
    history: list
    archived_figures: list[ObjectiveIndicator]
    tables: list = field(default_factory=list)


def objective_detail(objective: Objective, *, user, as_of: dt.date | None = None) -> ObjectivePage:
    """An objective with its figures over the plan's period, the hand-entered measurements behind
    them, its action items and the history of its text, owners and notes."""
    as_of = as_of or timezone.localdate()
    bindings = list(objective.bindings.all().select_related("indicator"))
    current = [b for b in bindings if b.archived_at is None]
    last_report = BoardReport.objects.visible_to(user).filter(plan=objective.plan_id).order_by("-created_at").first()
    figures = _figures(current, trend_dates(objective.plan, as_of), as_of, _last_report_figures(last_report))
    manual_ids = [b.indicator_id for b in current if b.indicator.kind == IndicatorKind.MANUAL]
    measurements: dict[int, list[Measurement]] = {}
    for measurement in Measurement.objects.filter(indicator_id__in=manual_ids, source=MeasurementSource.MANUAL).select_related("recorded_by").order_by("-measured_on", "-id")[:200]:
        measurements.setdefault(measurement.indicator_id, []).append(measurement)
    figure_list = [figures[b.pk] for b in current]
    return ObjectivePage(
        objective=objective,
        figures=figure_list,
        status=objective_status([f.status for f in figure_list]),
        measurements=measurements,
        action_items=list(ActionItem.objects.visible_to(user).filter(objectives=objective).select_related("owner").distinct()[:100]),
        history=list(objective.history.all().select_related("history_user")[:50]),
        archived_figures=[b for b in bindings if b.archived_at is not None],
        tables=list(_visible_tables(user).queryset.filter(objectives=objective)),
    )


def indicator_catalogue(user) -> list[dict]:
    """Every indicator that can be bound: the registered ones (label in the reader's language) and
    the manual ones, with how many objectives use each."""
    rows = {i.key: i for i in Indicator.objects.all()}
    used = {}
    for key, count in (
        ObjectiveIndicator.objects.current().visible_to(user).values("indicator__key").annotate(n=Count("pk")).values_list("indicator__key", "n")
    ):
        used[key] = count
    catalogue = []
    for key, definition in registry.registry().items():
        catalogue.append({"key": key, "label": str(definition.label), "counts": str(definition.counts), "unit": str(definition.unit),
                          "direction": str(definition.direction), "manual": False, "history": definition.history,
                          "param_label": str(definition.param_label), "per_objective": definition.per_objective,
                          "used": used.get(key, 0), "row": rows.get(key)})
    # Manual indicators are seen as `permissions.indicator_get_for_user` sees them: by staff, and by
    # whoever may see an objective they are bound to.
    seen = None if viewer_for(user).is_staff else set(ObjectiveIndicator.objects.visible_to(user).values_list("indicator__key", flat=True))
    for key, row in rows.items():
        if row.kind == IndicatorKind.MANUAL and (seen is None or key in seen):
            catalogue.append({"key": key, "label": row.label, "counts": row.description, "unit": row.unit,
                              "direction": row.direction, "manual": True, "history": True, "param_label": "",
                              "per_objective": False, "used": used.get(key, 0), "row": row})
    return catalogue


def indicator_get(key: str) -> Indicator | None:
    return Indicator.objects.filter(key=key).first()


def measurement_list(indicator: Indicator, *, user):
    """Measurements of one indicator a user may see, newest first."""
    return Measurement.objects.visible_to(user).filter(indicator=indicator).select_related("recorded_by").order_by("-measured_on", "-id")


def board_report_list(user, plan: Plan | None = None):
    reports = BoardReport.objects.visible_to(user).select_related("plan", "created_by")
    return reports.filter(plan=plan) if plan is not None else reports


def action_item_list(user, *, objective: Objective | None = None, status: str = "", owner=None):
    items = ActionItem.objects.visible_to(user).select_related("owner").prefetch_related(
        # Only objectives the user may see: an item may count toward an objective of a hidden plan.
        Prefetch("objectives", queryset=Objective.objects.visible_to(user).only("public_id", "number", "plan_id"))
    )
    if objective is not None:
        items = items.filter(objectives=objective)
    if status:
        items = items.filter(status=status)
    if owner is not None:
        items = items.filter(owner=owner)
    return items.distinct()


def plan_report_data(plan: Plan, *, period_start: dt.date, as_of: dt.date) -> dict:
    """Everything a board report shows, as plain data frozen at `as_of`: texts, each figure at the
    start and end of the period, targets and statuses. Labels of computed indicators are kept by
    key too, so a reader sees them in their own language."""
    objectives = list(plan.objectives.current().select_related("strategy").prefetch_related("owners"))
    bindings = list(ObjectiveIndicator.objects.current().filter(objective__in=[o.pk for o in objectives]).select_related("indicator"))
    start_point = max(period_start, plan.period_start)
    dates = sorted({d for d in trend_dates(plan, as_of) if d < start_point} | {start_point, as_of}) if start_point < as_of else [as_of]
    figures = _figures(bindings, dates, as_of, None)
    start_index = dates.index(start_point) if start_point in dates else 0
    by_objective: dict[int, list[dict]] = {}
    for binding in bindings:
        figure = figures[binding.pk]
        start_value = figure.series[start_index][1] if figure.series else None
        by_objective.setdefault(binding.objective_id, []).append({
            "binding": str(binding.public_id),
            "key": figure.key,
            "param": binding.param,
            "label": figure.label,
            "param_display": figure.param_display,
            "unit": figure.unit,
            "manual": figure.manual,
            "value": figure.current.value if figure.current.has_value else None,
            "suppressed": figure.current.suppressed,
            "start_value": start_value,
            "baseline": float(binding.baseline_value) if binding.baseline_value is not None else None,
            "target": float(binding.target_value) if binding.target_value is not None else None,
            "target_on": binding.target_on.isoformat() if binding.target_on else None,
            "status": figure.status,
            "measured_on": figure.measured_on.isoformat() if figure.measured_on else None,
            "series": [[d.isoformat(), v] for d, v in figure.series],
        })
    strategies = []
    for strategy in plan.strategies.current():
        rows = []
        for objective in objectives:
            if objective.strategy_id != strategy.pk:
                continue
            objective_figures = by_objective.get(objective.pk, [])
            rows.append({
                "number": objective.number, "text": objective.text, "public_id": str(objective.public_id),
                "status": objective_status([f["status"] for f in objective_figures]),
                "owners": [str(u) for u in objective.owners.all()], "figures": objective_figures,
            })
        strategies.append({"number": strategy.number, "title": strategy.title, "objectives": rows})
    return {
        "plan": {"title": plan.title, "slug": plan.slug, "period": plan.period_label, "mission": plan.mission, "vision": plan.vision,
                 "revision": plan.revision},
        "values": [{"name": v.name, "description": v.description} for v in plan.values.current()],
        "period_start": period_start.isoformat(),
        "as_of": as_of.isoformat(),
        "made_at": timezone.now().isoformat(),
        "strategies": strategies,
    }


def board_report_view(report: BoardReport) -> dict:
    """A report's frozen data, with the labels of computed indicators, units and statuses put in
    the reader's language (the figures and the plan's own texts stay exactly as frozen)."""
    data = report.data
    known = registry.registry()
    strategies = []
    for strategy in data.get("strategies", []):
        objectives = []
        for objective in strategy.get("objectives", []):
            figures = []
            for figure in objective.get("figures", []):
                figure = dict(figure)
                definition = known.get(figure.get("key", ""))
                if definition is not None and not figure.get("manual"):
                    label = str(definition.label)
                    figure["label"] = f"{label}: {figure['param_display']}" if figure.get("param_display") else label
                    figure["unit"] = str(definition.unit)
                figure["change"] = change(figure.get("value"), figure.get("start_value"))
                figure["target_on_date"] = dt.date.fromisoformat(figure["target_on"]) if figure.get("target_on") else None
                figures.append(figure)
            objectives.append({**objective, "figures": figures})
        strategies.append({**strategy, "objectives": objectives})
    return {**data, "strategies": strategies, "as_of_date": dt.date.fromisoformat(data["as_of"]) if data.get("as_of") else None,
            "period_start_date": dt.date.fromisoformat(data["period_start"]) if data.get("period_start") else None}


def plan_owners(plan: Plan) -> list:
    """People who own at least one of the plan's objectives (the dashboard's owner filter)."""
    from commontable.accounts.models import User

    return list(User.objects.filter(owned_objectives__plan=plan).distinct().order_by("email"))


def plan_tables(plan: Plan, user) -> list:
    """Tables working on at least one of the plan's objectives that the user may see."""
    from commontable.directory.models import Table

    return list(Table.objects.visible_to(user).filter(objectives__plan=plan).distinct().order_by("name"))


def indicator_objectives(indicator: Indicator, user) -> list[ObjectiveIndicator]:
    """The objectives an indicator is bound to, among those the user may see."""
    return list(
        ObjectiveIndicator.objects.visible_to(user).current().filter(indicator=indicator).select_related("objective", "objective__plan")
    )


def home_objectives(user) -> list[Objective]:
    """Objectives the user owns in plans they may see (for the home page)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Objective.objects.visible_to(user).current().filter(owners=user).select_related("plan")[:10])

