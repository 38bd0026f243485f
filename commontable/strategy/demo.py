"""The demo's plan: the coalition's own strategic plan (bundled with the code as its default data),
with indicators bound to a few objectives, targets set from the demo records so that the dashboard
shows every status, a manual indicator with its check-ins, action items and a board report made
at the end of last quarter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from commontable.accounts.models import User
from commontable.core import indicators as registry
from commontable.core.visibility import Role
from commontable.directory.models import Table
from commontable.strategy import services
from commontable.strategy.choices import ActionItemStatus, Cadence
from commontable.strategy.models import BoardReport, Objective, Plan
from commontable.strategy.progress import quarter_ends

DEFAULT_PLAN = Path(__file__).parent / "data" / "alliance-strategic-plan-2023-2026.txt"


def _value(key: str, on: dt.date, param: str = "") -> float:
    reading = registry.compute(key, [on], param)[0]
    return reading.value or 0.0


def _round(value: float) -> Decimal:
    return Decimal(str(round(value)))


@transaction.atomic
def plan_demo_load(*, today: dt.date | None = None) -> Plan | None:
    """Import the default plan and bind example indicators. Returns None if a plan exists."""
    if Plan.objects.exists():
        return None
    today = today or timezone.localdate()
    plan, _changes = services.plan_import(
        data=DEFAULT_PLAN.read_bytes(), actor=None, source_name=DEFAULT_PLAN.name, make_default=True
    )
    objectives = {o.number: o for o in plan.objectives.all()}
    staff = User.objects.filter(role__in=[Role.STAFF, Role.ADMIN]).order_by("pk").first()
    board = User.objects.filter(role=Role.BOARD).order_by("pk").first()
    start = plan.period_start

    def bind(number: str, key: str, *, param: str = "", baseline=None, target=None, cadence=Cadence.QUARTERLY):
        indicator = services.indicator_for_key(key) if not key.startswith("manual.") else key
        return services.binding_create(
            actor=None, objective=objectives[number], indicator=indicator, param=param,
            baseline_value=baseline, baseline_on=start if baseline is not None else None,
            target_value=target, target_on=plan.period_end if target is not None else None, cadence=cadence,
        )

    members_then = _value("directory.member_organizations", start)
    members_now = _value("directory.member_organizations", today)
    # Membership grew, but the target asks for more than straight-line growth would give by now.
    bind("2.6", "directory.member_organizations", baseline=_round(members_then), target=_round(members_now * 1.5 + 5))
    affirmed_now = _value("directory.values_affirmed", today)
    bind("2.6", "directory.values_affirmed", baseline=Decimal(0), target=_round(max(affirmed_now * 0.9, 1)))
    bind("3.2", "directory.bipoc_led_share", baseline=Decimal(50), target=Decimal(75))
    bind("2.2", "directory.tables_active", baseline=Decimal(3), target=_round(_value("directory.tables_active", today)))
    table = Table.objects.filter(is_active=True).exclude(visibility__in=["table", "staff"]).order_by("name").first()
    if table is not None:
        bind("2.1", "directory.table_organizations", param=table.slug, baseline=Decimal(2),
             target=_round(_value("directory.table_organizations", today, table.slug) + 2))
        objectives["2.1"].tables.add(table)
        objectives["1.1"].tables.add(table)
    bind("4.4", "directory.people_contact_consent")
    # Seats at decision tables (objectives 1.2 and 1.6): the records come with the seats demo,
    # loaded after the plan; the figures are read live from them.
    bind("1.2", "seats.held_by_leaders", target=Decimal(12))
    bind("1.2", "seats.appointments", target=Decimal(8))
    bind("1.2", "seats.vacancies_filled", param="leaders")
    bind("1.6", "seats.held_by_leaders", param="climate_mobility", target=Decimal(5))
    bind("1.6", "seats.engagement_score", target=Decimal(70))

    checkins = services.manual_indicator_create(
        actor=None, label="Self-care check-ins held", unit="check-ins",
        description="Circles and check-ins on rest and wellbeing held with member organisations' staff.",
    )
    services.binding_create(actor=None, objective=objectives["2.7"], indicator=checkins, baseline_value=0,
                            baseline_on=start, target_value=24, target_on=plan.period_end, cadence=Cadence.QUARTERLY)
    held = 0
    # Quarterly check-ins, the last one recorded five months ago: the figure is stale.
    for day in quarter_ends(start, today - dt.timedelta(days=150))[:-1]:
        held += 2
        services.measurement_add(actor=None, indicator=checkins, value=held, measured_on=day,
                                 evidence="Sign-in sheets kept by the staff lead.")

    team = objectives["4.1"]
    services.binding_create(actor=None, objective=team, indicator=services.indicator_for_key("strategy.action_items_done"),
                            baseline_value=0, baseline_on=start, target_value=12, target_on=plan.period_end)
    for index, title in enumerate([
        "Hold a staff retreat on team processes", "Write the meeting-notes template", "Set up a shared drive structure",
        "Agree on a decision-making guide", "Quarterly all-staff retrospective", "Onboarding checklist for new staff",
    ]):
        item = services.action_item_create(actor=None, title=title, objectives=[team], owner=staff,
                                           due_on=start + dt.timedelta(days=120 * (index + 1)))
        if index < 4:
            services.action_item_update(actor=None, item=item, title=item.title, detail="", owner=staff, due_on=item.due_on,
                                        objectives=[team], status=ActionItemStatus.DONE,
                                        done_on=min(start + dt.timedelta(days=110 * (index + 1)), today))

    for number, owner in (("2.6", staff), ("2.7", board), ("4.1", staff), ("3.2", board), ("2.1", staff), ("2.2", staff)):
        if owner is not None:
            objectives[number].owners.add(owner)

    # A board report made at the end of last quarter, so the dashboard shows what changed since.
    last_quarter = quarter_ends(start, today)[-2] if len(quarter_ends(start, today)) > 1 else None
    if last_quarter is not None:
        report = services.board_report_create(
            actor=None, plan=plan, period_start=max(start, last_quarter - dt.timedelta(days=91)), period_end=last_quarter,
            title=f"Board report, quarter ending {last_quarter.isoformat()}",
        )
        made = timezone.make_aware(dt.datetime.combine(last_quarter, dt.time(18)))
        BoardReport.objects.filter(pk=report.pk).update(created_at=made)
    return plan


__all__ = ["Objective", "plan_demo_load"]
