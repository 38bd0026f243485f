"""Writes for the investment watch. Every service is keyword-only, atomic, checks everything
before writing anything, and leaves an audit entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from commontable.core.audit import log_action
from commontable.core.services import stored_file_create
from commontable.core.visibility import Visibility
from commontable.investments.choices import (
    ESCALATION_NEXT,
    AskOutcome,
    Escalation,
    Stage,
    stage_may_follow,
)
from commontable.investments.compliance import commitment_status, status_holds_until
from commontable.investments.geo import parse_location
from commontable.investments.models import (
    FIRST_FISCAL_YEAR,
    LAST_FISCAL_YEAR,
    AskAction,
    CampaignAsk,
    Commitment,
    CommitmentReport,
    EscalationStep,
    FundingSource,
    Investment,
    StageChange,
)

MAX_CENTS = 10**15  # ten trillion dollars: anything above is a typing mistake
# Words the investment pages use in their addresses (/investments/commitments/…), never a slug.
RESERVED_SLUGS = frozenset({"new", "map", "calendar", "commitments", "asks", "import", "imports"})


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def parse_money(value, field: str, *, required: bool = True) -> int | None:
    """Dollars as typed ("1,250,000.50", "$3.5", 1200) → integer cents. Refuses negatives, more
    than two decimals, non-numbers, NaN and absurd amounts."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError({field: _("Enter an amount.")})
        return None
    if isinstance(value, bool):
        raise ValidationError({field: _("Enter an amount in dollars, such as 1250000 or 1,250,000.50.")})
    text = str(value).strip().replace(",", "").removeprefix("$").strip()
    if not text.isascii():
        raise ValidationError({field: _("Write the amount with the digits 0–9.")})
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError({field: _("Enter an amount in dollars, such as 1250000 or 1,250,000.50.")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("Enter an amount in dollars, such as 1250000 or 1,250,000.50.")})
    if amount < 0:
        raise ValidationError({field: _("The amount cannot be negative.")})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: _("An amount has at most two decimals (cents).")})
    cents = int(amount * 100)
    if cents >= MAX_CENTS:
        raise ValidationError({field: _("This amount is too large.")})
    return cents


def parse_quantity(value, field: str) -> Decimal:
    """A target or a reported value: a finite number, not negative."""
    if value is None or (isinstance(value, str) and not value.strip()) or isinstance(value, bool):
        raise ValidationError({field: _("Enter a number.")})
    text = str(value).strip().replace(",", "")
    if not text.isascii():
        raise ValidationError({field: _("Write the number with the digits 0–9.")})
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError({field: _("Enter a number.")}) from None
    if not number.is_finite():
        raise ValidationError({field: _("Enter a number (not infinity or “not a number”).")})
    if number < 0:
        raise ValidationError({field: _("The number cannot be negative.")})
    if abs(number) >= Decimal("1e13"):
        raise ValidationError({field: _("This number is too large.")})
    return number.quantize(Decimal("0.0001"))


def _unique_slug(name: str, exclude_pk: int | None = None) -> str:
    base = (slugify(name) or "investment")[:70]
    if base in RESERVED_SLUGS:
        base = f"{base}-investment"
    slug, n = base, 2
    while Investment.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_visibility(visibility: str, visibility_table) -> None:
    if visibility == Visibility.TABLE and visibility_table is None:
        raise ValidationError({"visibility_table": _("Choose the table that may see it.")})


INVESTMENT_FIELDS = ("name", "kind", "description", "sponsor", "jurisdiction", "visibility", "visibility_table")


def _apply_location(investment: Investment, location) -> None:
    try:
        parsed = parse_location(location)
    except ValidationError as exc:
        raise ValidationError({"location": exc.messages}) from None
    if parsed is None:
        investment.geometry = None
        investment.min_lon = investment.min_lat = investment.max_lon = investment.max_lat = None
    else:
        investment.geometry = parsed.geometry
        investment.min_lon, investment.min_lat, investment.max_lon, investment.max_lat = parsed.bbox


@transaction.atomic
def investment_create(
    *, actor, name: str, kind: str, description: str = "", sponsor=None, jurisdiction=None, total_cost=None,
    stage: str = Stage.PROPOSED, stage_since: dt.date | None = None, location=None, tables=(), organizations=(),
    visibility: str = Visibility.MEMBERS, visibility_table=None,
) -> Investment:
    """Register an investment with its first stage; the location is checked (valid, in the region)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the investment a name.")})
    _check_visibility(visibility, visibility_table)
    investment = Investment(
        name=name[:200], slug=_unique_slug(name), kind=kind, description=description, sponsor=sponsor,
        jurisdiction=jurisdiction, total_cost_cents=parse_money(total_cost, "total_cost", required=False),
        stage=stage, stage_since=stage_since or timezone.localdate(), visibility=visibility, visibility_table=visibility_table,
    )
    _apply_location(investment, location)
    investment.full_clean(exclude=["slug"])
    investment.save()
    investment.tables.set(tables)
    investment.organizations.set(organizations)
    StageChange.objects.create(investment=investment, stage=stage, effective_on=investment.stage_since, note=_("Registered"),
                               recorded_by=_user(actor))
    log_action(investment, "investments.investment.created", actor=actor, data={"name": investment.name, "stage": stage})
    return investment


@transaction.atomic
def investment_update(*, actor, investment: Investment, total_cost=None, location=None, tables=None, organizations=None, **fields) -> Investment:
    """Change an investment's description, sponsor, place, cost, location, who is engaged, visibility."""
    unknown = set(fields) - set(INVESTMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    investment = Investment.objects.select_for_update().get(pk=investment.pk)
    before = {name: getattr(investment, name) for name in INVESTMENT_FIELDS}
    for name, value in fields.items():
        setattr(investment, name, value.strip() if name == "name" else value)
    if not investment.name:
        raise ValidationError({"name": _("Give the investment a name.")})
    _check_visibility(investment.visibility, investment.visibility_table)
    investment.total_cost_cents = parse_money(total_cost, "total_cost", required=False)
    _apply_location(investment, location)
    investment.full_clean(exclude=["slug"])
    investment.save()
    if tables is not None:
        investment.tables.set(tables)
    if organizations is not None:
        investment.organizations.set(organizations)
    changed = [name for name in INVESTMENT_FIELDS if before[name] != getattr(investment, name)]
    log_action(investment, "investments.investment.updated", actor=actor, data={"changed": changed})
    return investment


@transaction.atomic
def investment_stage_change(*, actor, investment: Investment, stage: str, effective_on: dt.date | None = None, note: str = "") -> StageChange:
    """Move an investment to another stage, with a dated record. Stages move forward (steps may be
    skipped); an unfinished investment may be cancelled and a cancelled one revived."""
    investment = Investment.objects.select_for_update().get(pk=investment.pk)
    effective_on = effective_on or timezone.localdate()
    errors = {}
    if stage not in Stage.values:
        errors["stage"] = _("Choose a stage.")
    elif not stage_may_follow(investment.stage, stage):
        errors["stage"] = _("An investment cannot go from “%(current)s” to “%(new)s”.") % {
            "current": Stage(investment.stage).label, "new": Stage(stage).label}
    if effective_on > timezone.localdate():
        errors["effective_on"] = _("The date cannot be in the future.")
    elif investment.stage_since and effective_on < investment.stage_since:
        errors["effective_on"] = _("The date cannot be before the current stage began (%(date)s).") % {"date": investment.stage_since.isoformat()}
    if errors:
        raise ValidationError(errors)
    change = StageChange.objects.create(investment=investment, stage=stage, effective_on=effective_on, note=note[:500],
                                        recorded_by=_user(actor))
    previous = investment.stage
    investment.stage, investment.stage_since = stage, effective_on
    investment.save(update_fields=["stage", "stage_since", "updated_at"])
    log_action(investment, "investments.investment.stage-changed", actor=actor,
               data={"stage": [previous, stage], "effective_on": effective_on.isoformat()})
    return change


@transaction.atomic
def funding_source_add(*, actor, investment: Investment, program: str, fiscal_year, amount, award_id: str = "", note: str = "") -> FundingSource:
    """Add money from one program for one fiscal year."""
    errors = {}
    try:
        year = int(str(fiscal_year).strip())
    except (TypeError, ValueError):
        year = None
    if year is None or not (FIRST_FISCAL_YEAR <= year <= LAST_FISCAL_YEAR):
        errors["fiscal_year"] = _("Give a fiscal year between %(first)s and %(last)s.") % {"first": FIRST_FISCAL_YEAR, "last": LAST_FISCAL_YEAR}
    try:
        cents = parse_money(amount, "amount")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    source = FundingSource.objects.create(investment=investment, program=program, fiscal_year=year, amount_cents=cents,
                                          award_id=award_id.strip()[:100], note=note[:500])
    log_action(investment, "investments.funding.added", actor=actor,
               data={"program": program, "fiscal_year": year, "amount_cents": cents, "award_id": source.award_id})
    return source


@transaction.atomic
def funding_source_remove(*, actor, source: FundingSource) -> None:
    investment = source.investment
    data = {"program": source.program, "fiscal_year": source.fiscal_year, "amount_cents": source.amount_cents}
    source.delete()
    log_action(investment, "investments.funding.removed", actor=actor, data=data)


# --- commitments ---------------------------------------------------------------------------------


@transaction.atomic
def commitment_create(
    *, actor, investment: Investment, source: str, obligor, text: str, category: str, unit: str, target,
    starts_on: dt.date, deadline: dt.date, direction: str = "at_least", source_reference: str = "",
    ami_percent: int | None = None, visibility: str = Visibility.MEMBERS, visibility_table=None,
) -> Commitment:
    """Record a community benefit promised by an obligor, with its measurable target and deadline."""
    errors = {}
    if not text.strip():
        errors["text"] = _("Say what was promised.")
    if not unit.strip():
        errors["unit"] = _("Give the unit the target is counted in (units, hours, %, dollars…).")
    if starts_on and deadline and deadline <= starts_on:
        errors["deadline"] = _("The deadline must come after the commitment starts.")
    if ami_percent is not None and not (0 < ami_percent <= 200):
        errors["ami_percent"] = _("Give a share of area median income between 1 and 200 %.")
    try:
        target_value = parse_quantity(target, "target")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if visibility == Visibility.TABLE and visibility_table is None:
        errors["visibility_table"] = _("Choose the table that may see it.")
    if errors:
        raise ValidationError(errors)
    # Its status (no data until a report) is stored from the start, as the lists read it (ADR 8).
    today = timezone.localdate()
    facts = {"direction": direction, "target": target_value, "starts_on": starts_on, "deadline": deadline,
             "latest_value": None, "latest_on": None, "today": today}
    commitment = Commitment.objects.create(
        investment=investment, source=source, source_reference=source_reference.strip()[:200], obligor=obligor,
        text=text.strip(), category=category, unit=unit.strip()[:40], direction=direction, target=target_value,
        starts_on=starts_on, deadline=deadline, ami_percent=ami_percent, visibility=visibility, visibility_table=visibility_table,
        stored_status=commitment_status(**facts), stored_status_on=today, stored_status_until=status_holds_until(**facts),
    )
    log_action(commitment, "investments.commitment.created", actor=actor,
               data={"investment": investment.slug, "obligor": obligor.pk, "target": str(target_value), "deadline": deadline.isoformat()})
    return commitment


@transaction.atomic
def commitment_report_add(*, actor, commitment: Commitment, value, as_of: dt.date, evidence_url: str = "", evidence_file=None,
                          note: str = "") -> CommitmentReport:
    """Report the actual value of a commitment's metric as of a date, with evidence (a link or an
    uploaded file, checked by the shared upload pipeline) and who reported it."""
    errors = {}
    try:
        number = parse_quantity(value, "value")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if as_of > timezone.localdate():
        errors["as_of"] = _("The date cannot be in the future.")
    elif as_of < commitment.starts_on:
        errors["as_of"] = _("The date cannot be before the commitment starts (%(date)s).") % {"date": commitment.starts_on.isoformat()}
    if errors:
        raise ValidationError(errors)
    # The commitment's row is locked first, so that concurrent reports are numbered and summed up
    # into `latest_value`/`latest_on` one after the other.
    locked = Commitment.objects.select_for_update().filter(pk=commitment.pk)
    list(locked.values_list("pk", flat=True))
    stored = None
    if evidence_file is not None:
        try:
            stored = stored_file_create(actor=actor, owner=commitment, uploaded=evidence_file)
        except ValidationError as exc:
            raise ValidationError({"evidence_file": exc.messages}) from None
    report = CommitmentReport.objects.create(commitment=commitment, value=number, as_of=as_of, evidence_url=evidence_url,
                                             evidence_file=stored, note=note[:1000], reported_by=_user(actor))
    # The latest by (as_of, id): a report dated before the current latest leaves it as it is.
    locked.refresh_latest_report()
    commitment.latest_value, commitment.latest_on = locked.values_list("latest_value", "latest_on").get()
    log_action(commitment, "investments.commitment.reported", actor=actor,
               data={"value": str(number), "as_of": as_of.isoformat(), "evidence": bool(stored or evidence_url)})
    return report


@transaction.atomic
def commitment_escalate(*, actor, commitment: Commitment, step: str, on: dt.date | None = None, note: str = "") -> EscalationStep:
    """Take a commitment one step along flagged → letter sent → public → resolved. No step may be
    skipped; resolution may come at any step; a resolved commitment can be flagged again."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    on = on or timezone.localdate()
    allowed = ESCALATION_NEXT.get(commitment.escalation, set())
    if step not in allowed:
        names = ", ".join(str(Escalation(s).label) for s in sorted(allowed)) or "—"
        raise ValidationError({"step": _("From “%(current)s” the next step can only be: %(allowed)s.") % {
            "current": Escalation(commitment.escalation).label, "allowed": names}})
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    last = commitment.escalation_steps.order_by("-on", "-id").first()
    if last is not None and on < last.on:
        raise ValidationError({"on": _("The date cannot be before the previous step (%(date)s).") % {"date": last.on.isoformat()}})
    previous = commitment.escalation
    entry = EscalationStep.objects.create(commitment=commitment, step=step, on=on, note=note[:1000], actor=_user(actor))
    commitment.escalation = step
    commitment.save(update_fields=["escalation", "updated_at"])
    log_action(commitment, "investments.commitment.escalated", actor=actor, data={"step": [previous, step], "on": on.isoformat(), "note": note[:200]})
    return entry


# --- campaign asks -------------------------------------------------------------------------------


@transaction.atomic
def ask_create(*, actor, investment: Investment, asked_of: str, ask: str, asked_of_organization=None,
               visibility: str = Visibility.MEMBERS, visibility_table=None) -> CampaignAsk:
    """Record what the coalition asks of whom about an investment."""
    errors = {}
    if not asked_of.strip() and asked_of_organization is None:
        errors["asked_of"] = _("Say who the ask is to.")
    if not ask.strip():
        errors["ask"] = _("Say what is asked.")
    if visibility == Visibility.TABLE and visibility_table is None:
        errors["visibility_table"] = _("Choose the table that may see it.")
    if errors:
        raise ValidationError(errors)
    item = CampaignAsk.objects.create(
        investment=investment, asked_of=(asked_of.strip() or str(asked_of_organization))[:200], asked_of_organization=asked_of_organization,
        ask=ask.strip(), visibility=visibility, visibility_table=visibility_table,
    )
    log_action(item, "investments.ask.created", actor=actor, data={"investment": investment.slug})
    return item


@transaction.atomic
def ask_action_add(*, actor, ask: CampaignAsk, kind: str, on: dt.date, note: str = "", organizations=()) -> AskAction:
    """Record a meeting, letter, testimony or sign-on for an ask."""
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    action = AskAction.objects.create(ask=ask, kind=kind, on=on, note=note, recorded_by=_user(actor))
    action.organizations.set(organizations)
    log_action(ask, "investments.ask.action-added", actor=actor, data={"kind": kind, "on": on.isoformat(),
                                                                        "organizations": sorted(o.pk for o in organizations)})
    return action


@transaction.atomic
def ask_outcome_set(*, actor, ask: CampaignAsk, outcome: str, outcome_on: dt.date | None = None, evidence: str = "") -> CampaignAsk:
    """Record the outcome of an ask (won, partly, lost) with its date and evidence, or reopen it."""
    if outcome not in AskOutcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if outcome != AskOutcome.PENDING:
        outcome_on = outcome_on or timezone.localdate()
        if outcome_on > timezone.localdate():
            raise ValidationError({"outcome_on": _("The date cannot be in the future.")})
    else:
        outcome_on = None
    previous = ask.outcome
    ask.outcome, ask.outcome_on, ask.outcome_evidence = outcome, outcome_on, evidence
    ask.save(update_fields=["outcome", "outcome_on", "outcome_evidence", "updated_at"])
    log_action(ask, "investments.ask.outcome-set", actor=actor, data={"outcome": [previous, outcome]})
    return ask
