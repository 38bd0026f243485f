"""Writes for the plan. Every service is keyword-only, atomic, checks everything before writing
anything, and leaves an audit entry."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from commontable.core import indicators as registry
from commontable.core.audit import log_action
from commontable.core.visibility import Visibility
from commontable.strategy.choices import ActionItemStatus, IndicatorKind, MeasurementSource
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
from commontable.strategy.plan_parser import (
    ParsedPlan,
    PlanParseError,
    PlanProblem,
    decode_document,
    parse_plan,
)

MAX_ABS_VALUE = Decimal("1e13")


# --- plans ---------------------------------------------------------------------------------------


@dataclass
class PlanChanges:
    """What an import did (or, in a preview, would do), in words a coordinator can check."""

    created: bool = False
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        return not (self.created or self.added or self.updated or self.archived or self.restored)

    def as_dict(self) -> dict:
        return {"created": self.created, "added": self.added, "updated": self.updated, "archived": self.archived, "restored": self.restored}


def _period(parsed: ParsedPlan, plan: Plan | None, start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    if start is None and parsed.period_start_year:
        start = dt.date(parsed.period_start_year, 1, 1)
    if end is None and parsed.period_end_year:
        end = dt.date(parsed.period_end_year, 12, 31)
    if plan is not None:
        start, end = start or plan.period_start, end or plan.period_end
    if start is None or end is None:
        raise PlanParseError([PlanProblem(None, _("The document names no period (such as 2023–2026): give the first and last day of the plan."))])
    if end <= start:
        raise PlanParseError([PlanProblem(None, _("The plan's period ends before it starts."))])
    return start, end


def _unique_slug(base: str, exclude_pk: int | None = None) -> str:
    base = (slugify(base) or "plan")[:70]
    slug, n = base, 2
    while Plan.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def plan_import_preview(*, parsed: ParsedPlan, plan: Plan | None) -> PlanChanges:
    """What importing `parsed` into `plan` (or as a new plan) would change; writes nothing."""
    return _plan_apply(parsed=parsed, plan=plan, write=False)


def _plan_apply(*, parsed: ParsedPlan, plan: Plan | None, write: bool) -> PlanChanges:
    changes = PlanChanges(created=plan is None)
    now = timezone.now()
    strategies = {s.number: s for s in plan.strategies.all()} if plan else {}
    objectives = {o.number: o for o in plan.objectives.all()} if plan else {}
    values = {v.name.casefold(): v for v in plan.values.all()} if plan else {}

    def record(kind: list[str], label: str) -> None:
        if plan is not None:
            kind.append(label)

    seen_values = set()
    for position, parsed_value in enumerate(parsed.values, start=1):
        key = parsed_value.name.casefold()
        seen_values.add(key)
        existing = values.get(key)
        label = _("Value “%(name)s”") % {"name": parsed_value.name}
        if existing is None:
            record(changes.added, label)
            if write:
                Value.objects.create(plan=plan, name=parsed_value.name, description=parsed_value.description, position=position)
            continue
        if existing.archived_at is not None:
            record(changes.restored, label)
        elif (existing.name, existing.description, existing.position) != (parsed_value.name, parsed_value.description, position):
            record(changes.updated, label)
        if write:
            existing.name, existing.description, existing.position, existing.archived_at = (
                parsed_value.name, parsed_value.description, position, None,
            )
            existing.save()
    for key, existing in values.items():
        if key not in seen_values and existing.archived_at is None:
            changes.archived.append(_("Value “%(name)s”") % {"name": existing.name})
            if write:
                existing.archived_at = now
                existing.save(update_fields=["archived_at"])

    seen_objectives = set()
    for parsed_strategy in parsed.strategies:
        strategy = strategies.get(parsed_strategy.number)
        label = _("Strategy %(number)s") % {"number": parsed_strategy.number}
        if strategy is None:
            record(changes.added, label)
            if write:
                strategy = Strategy.objects.create(
                    plan=plan, number=parsed_strategy.number, title=parsed_strategy.title, description=parsed_strategy.description
                )
        else:
            if strategy.archived_at is not None:
                record(changes.restored, label)
            elif (strategy.title, strategy.description) != (parsed_strategy.title, parsed_strategy.description):
                record(changes.updated, label)
            if write:
                strategy.title, strategy.description, strategy.archived_at = parsed_strategy.title, parsed_strategy.description, None
                strategy.save()
        for parsed_objective in parsed_strategy.objectives:
            seen_objectives.add(parsed_objective.number)
            objective = objectives.get(parsed_objective.number)
            label = _("Objective %(number)s") % {"number": parsed_objective.number}
            if objective is None:
                record(changes.added, label)
                if write:
                    Objective.objects.create(
                        plan=plan, strategy=strategy, number=parsed_objective.number,
                        position=parsed_objective.position, text=parsed_objective.text,
                    )
                continue
            if objective.archived_at is not None:
                record(changes.restored, label)
            elif objective.text != parsed_objective.text or objective.strategy_id != getattr(strategy, "pk", None):
                record(changes.updated, label)
            if write:
                objective.strategy, objective.position, objective.text, objective.archived_at = (
                    strategy, parsed_objective.position, parsed_objective.text, None,
                )
                objective.save()
    parsed_numbers = {s.number for s in parsed.strategies}
    for number, strategy in strategies.items():
        if number not in parsed_numbers and strategy.archived_at is None:
            changes.archived.append(_("Strategy %(number)s") % {"number": number})
            if write:
                strategy.archived_at = now
                strategy.save(update_fields=["archived_at"])
    for number, objective in objectives.items():
        if number not in seen_objectives and objective.archived_at is None:
            changes.archived.append(_("Objective %(number)s") % {"number": number})
            if write:
                objective.archived_at = now
                objective.save(update_fields=["archived_at"])
    return changes


@transaction.atomic
def plan_import(
    *,
    data: bytes | str,
    actor,
    source_name: str = "",
    plan: Plan | None = None,
    title: str = "",
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    predecessor: Plan | None = None,
    make_default: bool = False,
    visibility: str = Visibility.MEMBERS,
) -> tuple[Plan, PlanChanges]:
    """Import a plan document as a new plan, or as a revision of `plan`: texts are updated, every
    binding, target and measurement is kept, and parts missing from the revision are archived (and
    restored if they come back). Raises PlanParseError, naming the lines, and writes nothing if the
    document or the period is wrong."""
    parsed = parse_plan(data)
    start, end = _period(parsed, plan, period_start, period_end)
    text = decode_document(data)
    if plan is None:
        title = (title or parsed.title or _("Strategic plan")).strip()[:200]
        plan = Plan.objects.create(
            title=title, slug=_unique_slug(f"{title} {start.year} {end.year}"), period_start=start, period_end=end,
            mission=parsed.mission, vision=parsed.vision, predecessor=predecessor, visibility=visibility,
            source_name=source_name[:255], source_text=text, language=parsed.language,
        )
        changes = PlanChanges(created=True)
        _plan_apply(parsed=parsed, plan=plan, write=True)
        action = "strategy.plan.imported"
    else:
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        changes = _plan_apply(parsed=parsed, plan=plan, write=True)
        if (plan.mission, plan.vision) != (parsed.mission, parsed.vision):
            changes.updated.insert(0, _("Mission and vision"))
        if (plan.period_start, plan.period_end) != (start, end):
            changes.updated.insert(0, _("Period"))
        plan.mission, plan.vision, plan.period_start, plan.period_end = parsed.mission, parsed.vision, start, end
        plan.language = parsed.language
        if title:
            plan.title = title.strip()[:200]
        plan.revision += 1
        plan.source_name, plan.source_text = source_name[:255] or plan.source_name, text
        plan.save()
        action = "strategy.plan.revised"
    if make_default:
        _make_default(plan)
    log_action(plan, action, actor=actor, data={"source": source_name, "revision": plan.revision, **changes.as_dict()})
    return plan, changes


def _make_default(plan: Plan) -> None:
    Plan.objects.filter(is_default=True).exclude(pk=plan.pk).update(is_default=False)
    if not plan.is_default:
        plan.is_default = True
        plan.save(update_fields=["is_default", "updated_at"])


@transaction.atomic
def plan_update(*, plan: Plan, actor, title: str, visibility: str, predecessor: Plan | None, is_default: bool) -> Plan:
    """Change a plan's title, who sees it, which plan it succeeds, and whether it is the default."""
    if predecessor is not None:
        seen, step = {plan.pk}, predecessor
        while step is not None:
            if step.pk in seen:
                raise ValidationError({"predecessor": _("A plan cannot succeed itself or one of its successors.")})
            seen.add(step.pk)
            step = step.predecessor
    if visibility == Visibility.TABLE:
        raise ValidationError({"visibility": _("A plan is for the whole coalition: choose public, members or staff.")})
    before = {"title": plan.title, "visibility": plan.visibility, "predecessor": plan.predecessor_id, "is_default": plan.is_default}
    plan.title, plan.visibility, plan.predecessor = title.strip()[:200], visibility, predecessor
    plan.save()
    if is_default:
        _make_default(plan)
    elif plan.is_default:
        plan.is_default = False
        plan.save(update_fields=["is_default", "updated_at"])
    after = {"title": plan.title, "visibility": plan.visibility, "predecessor": plan.predecessor_id, "is_default": plan.is_default}
    log_action(plan, "strategy.plan.updated", actor=actor, data={k: [before[k], after[k]] for k in before if before[k] != after[k]})
    return plan


@transaction.atomic
def objective_update(*, objective: Objective, actor, owners, tables, notes: str) -> Objective:
    """Set who owns an objective, which tables work on it, and its notes."""
    objective.notes = notes
    objective.save(update_fields=["notes"])
    objective.owners.set(owners)
    objective.tables.set(tables)
    log_action(
        objective, "strategy.objective.updated", actor=actor,
        data={"owners": sorted(u.pk for u in owners), "tables": sorted(t.pk for t in tables)},
    )
    return objective


# --- indicators and bindings ---------------------------------------------------------------------


def clean_number(value, field_name: str, *, required: bool = True) -> Decimal | None:
    """A figure as a Decimal: finite, within range; None when allowed and empty."""
    if value is None or value == "":
        if required:
            raise ValidationError({field_name: _("Enter a number.")})
        return None
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError({field_name: _("Enter a number (not infinity or “not a number”).")})
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field_name: _("Enter a number.")}) from None
    if not number.is_finite():
        raise ValidationError({field_name: _("Enter a number (not infinity or “not a number”).")})
    if abs(number) >= MAX_ABS_VALUE:
        raise ValidationError({field_name: _("This number is too large.")})
    return number.quantize(Decimal("0.0001"))


def indicator_for_key(key: str) -> Indicator:
    """The plan's row for a registered (computed) indicator, made on first use."""
    definition = registry.get(key)
    indicator, _created = Indicator.objects.get_or_create(
        key=key, defaults={"kind": IndicatorKind.COMPUTED, "unit": str(definition.unit), "direction": str(definition.direction)}
    )
    return indicator


@transaction.atomic
def manual_indicator_create(*, actor, label: str, description: str = "", unit: str = "", direction: str = "up") -> Indicator:
    """An indicator for what no record can tell, measured by hand (e.g. self-care check-ins)."""
    label = label.strip()
    if not label:
        raise ValidationError({"label": _("Give the indicator a name.")})
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Choose whether higher or lower is better.")})
    base = "manual." + (slugify(label)[:60] or "indicator")
    key, n = base, 2
    while Indicator.objects.filter(key=key).exists():
        key, n = f"{base}-{n}", n + 1
    indicator = Indicator.objects.create(
        key=key, kind=IndicatorKind.MANUAL, label=label[:200], description=description, unit=unit[:40],
        direction=direction, created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log_action(indicator, "strategy.indicator.created", actor=actor, data={"key": key})
    return indicator


def _binding_check(*, objective: Objective, indicator: Indicator, param: str, baseline_on, target_on) -> str:
    errors: dict[str, str] = {}
    if objective.archived_at is not None:
        errors["objective"] = _("This objective is archived: it is no longer in the plan, so nothing new can be bound to it.")
    if not indicator.is_manual:
        definition = registry.get(indicator.key)
        if definition.per_objective:
            param = str(objective.public_id)
        elif definition.params is not None:
            if param not in {value for value, _label in definition.param_choices()}:
                errors["param"] = _("Choose which one this figure is about.")
        else:
            param = ""
    else:
        param = ""
    if baseline_on and target_on and target_on <= baseline_on:
        errors["target_on"] = _("The target date must come after the baseline date.")
    if errors:
        raise ValidationError(errors)
    return param


@transaction.atomic
def binding_create(
    *, actor, objective: Objective, indicator: Indicator, param: str = "", baseline_value=None, baseline_on=None,
    target_value=None, target_on=None, cadence: int = 92,
) -> ObjectiveIndicator:
    """Bind an indicator to an objective with its baseline, target, target date and cadence."""
    param = _binding_check(objective=objective, indicator=indicator, param=param, baseline_on=baseline_on, target_on=target_on)
    baseline_value = clean_number(baseline_value, "baseline_value", required=False)
    target_value = clean_number(target_value, "target_value", required=False)
    if ObjectiveIndicator.objects.filter(objective=objective, indicator=indicator, param=param, archived_at__isnull=True).exists():
        raise ValidationError({"indicator": _("This indicator is already bound to this objective.")})
    position = objective.bindings.count()
    binding = ObjectiveIndicator.objects.create(
        objective=objective, indicator=indicator, param=param, baseline_value=baseline_value, baseline_on=baseline_on,
        target_value=target_value, target_on=target_on, cadence=cadence, position=position,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log_action(binding, "strategy.binding.created", actor=actor, data={"objective": objective.number, "indicator": indicator.key, "param": param})
    return binding


@transaction.atomic
def binding_update(*, actor, binding: ObjectiveIndicator, baseline_value=None, baseline_on=None, target_value=None, target_on=None, cadence: int = 92) -> ObjectiveIndicator:
    """Change a binding's baseline, target or cadence (its history keeps the earlier ones)."""
    _binding_check(objective=binding.objective, indicator=binding.indicator, param=binding.param, baseline_on=baseline_on, target_on=target_on)
    binding.baseline_value = clean_number(baseline_value, "baseline_value", required=False)
    binding.target_value = clean_number(target_value, "target_value", required=False)
    binding.baseline_on, binding.target_on, binding.cadence = baseline_on, target_on, cadence
    binding.save()
    log_action(binding, "strategy.binding.updated", actor=actor, data={
        "baseline": [str(binding.baseline_value), str(baseline_on)], "target": [str(binding.target_value), str(target_on)], "cadence": cadence,
    })
    return binding


@transaction.atomic
def binding_archive(*, actor, binding: ObjectiveIndicator) -> ObjectiveIndicator:
    """Stop showing an indicator on an objective; its history and measurements stay."""
    binding.archived_at = timezone.now()
    binding.save(update_fields=["archived_at"])
    log_action(binding, "strategy.binding.archived", actor=actor)
    return binding


@transaction.atomic
def measurement_add(
    *, actor, indicator: Indicator, value, measured_on: dt.date, evidence: str = "", evidence_url: str = ""
) -> Measurement:
    """Record a hand-measured figure with who, when and the evidence. Computed indicators take no
    hand-entered figures: their records tell."""
    errors = {}
    if not indicator.is_manual:
        errors["indicator"] = _("This indicator is computed from the records; it cannot take a figure entered by hand.")
    if measured_on > timezone.localdate():
        errors["measured_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    number = clean_number(value, "value")
    measurement = Measurement.objects.create(
        indicator=indicator, value=number, measured_on=measured_on, source=MeasurementSource.MANUAL,
        evidence=evidence, evidence_url=evidence_url,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log_action(measurement, "strategy.measurement.added", actor=actor, data={"indicator": indicator.key, "value": str(number), "on": measured_on.isoformat()})
    return measurement


@transaction.atomic
def snapshot_record(*, on: dt.date | None = None) -> int:
    """Keep today's value of every bound computed indicator whose records keep no history, so its
    trend can be drawn later (run daily or weekly by `plan_snapshot`). Idempotent per day."""
    on = on or timezone.localdate()
    pairs = set()
    for binding in ObjectiveIndicator.objects.current().filter(indicator__kind=IndicatorKind.COMPUTED).select_related("indicator"):
        try:
            definition = registry.get(binding.indicator.key)
        except registry.UnknownIndicator:
            continue
        if not definition.history:
            pairs.add((binding.indicator, binding.param))
    written = 0
    for indicator, param in pairs:
        reading = registry.compute(indicator.key, [on], param)[0]
        if not reading.has_value:
            continue
        Measurement.objects.update_or_create(
            indicator=indicator, param=param, measured_on=on, source=MeasurementSource.SNAPSHOT,
            defaults={"value": Decimal(str(reading.value)).quantize(Decimal("0.0001"))},
        )
        written += 1
    return written


# --- board reports -------------------------------------------------------------------------------


@transaction.atomic
def board_report_create(
    *, actor, plan: Plan, period_start: dt.date, period_end: dt.date, title: str = "", visibility: str = Visibility.MEMBERS
) -> BoardReport:
    """Freeze the plan's status for a period into a report that later changes to records do not
    alter."""
    from commontable.strategy.selectors import plan_report_data

    errors = {}
    if period_end < period_start:
        errors["period_end"] = _("The period ends before it starts.")
    if period_start > timezone.localdate():
        errors["period_start"] = _("The period cannot start in the future.")
    if visibility == Visibility.TABLE:
        errors["visibility"] = _("Choose public, members or staff.")
    if errors:
        raise ValidationError(errors)
    as_of = min(period_end, timezone.localdate())
    data = plan_report_data(plan, period_start=period_start, as_of=as_of)
    report = BoardReport.objects.create(
        plan=plan, title=(title.strip() or _("Board report, %(start)s to %(end)s") % {"start": period_start.isoformat(), "end": period_end.isoformat()})[:200],
        period_start=period_start, period_end=period_end, data=data, visibility=visibility,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log_action(report, "strategy.board-report.created", actor=actor, data={"plan": plan.slug, "as_of": as_of.isoformat()})
    return report


# --- action items --------------------------------------------------------------------------------


@transaction.atomic
def action_item_create(
    *, actor, title: str, objectives=(), owner=None, due_on: dt.date | None = None, detail: str = "",
    source=None, visibility: str = Visibility.MEMBERS,
) -> ActionItem:
    """An action item from a meeting, a retrospective or a support case (`source`), optionally
    bound to objectives. Other modules call this; they never write ActionItem themselves."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Say what is to be done.")})
    if visibility == Visibility.TABLE:
        raise ValidationError({"visibility": _("Choose public, members or staff.")})
    archived = [o.number for o in objectives if o.archived_at is not None]
    if archived:
        raise ValidationError({"objectives": _("Archived objectives cannot take new action items: %(numbers)s.") % {"numbers": ", ".join(archived)}})
    item = ActionItem(title=title[:300], detail=detail, owner=owner, due_on=due_on, visibility=visibility,
                      created_by=actor if getattr(actor, "is_authenticated", False) else None)
    if source is not None:
        item.source = source
    item.save()
    item.objectives.set(objectives)
    log_action(item, "strategy.action-item.created", actor=actor, data={"objectives": [o.number for o in objectives]})
    return item


@transaction.atomic
def action_item_update(*, actor, item: ActionItem, title: str, detail: str, owner, due_on, objectives, status: str, done_on: dt.date | None = None) -> ActionItem:
    """Change an action item; marking it done records the day (today unless given)."""
    if not title.strip():
        raise ValidationError({"title": _("Say what is to be done.")})
    if status not in ActionItemStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    current = set(item.objectives.values_list("pk", flat=True))
    archived = [o.number for o in objectives if o.archived_at is not None and o.pk not in current]
    if archived:
        raise ValidationError({"objectives": _("Archived objectives cannot take new action items: %(numbers)s.") % {"numbers": ", ".join(archived)}})
    if done_on and done_on > timezone.localdate():
        raise ValidationError({"done_on": _("The date cannot be in the future.")})
    before = item.status
    item.title, item.detail, item.owner, item.due_on, item.status = title.strip()[:300], detail, owner, due_on, status
    item.done_on = (done_on or item.done_on or timezone.localdate()) if status == ActionItemStatus.DONE else None
    item.save()
    item.objectives.set(objectives)
    log_action(item, "strategy.action-item.updated", actor=actor, data={"status": [before, status]})
    return item
