import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commontable.core.models import ActivityLog
from commontable.strategy import services
from commontable.strategy.choices import ActionItemStatus, MeasurementSource
from commontable.strategy.models import (
    BoardReport,
    Measurement,
    Objective,
    ObjectiveIndicator,
    Plan,
    Strategy,
    Value,
)
from commontable.strategy.plan_parser import PlanParseError, parse_plan

PLAN = (Path(__file__).parents[1] / "data" / "alliance-strategic-plan-2023-2026.txt").read_text()

SMALL = """Riverside Partners

Strategic Plan 2024–2027

Our Mission
We organise neighbours.

Our Vision
A river city for everyone.

Our Values
Care. We look after each other.
Courage. We say what is true.

Strategy 1
Win fair housing

1. Stop evictions
2. Build homes

Strategy 2
Grow our base

1. Recruit members
"""


def _import(text=SMALL, **kwargs):
    return services.plan_import(data=text, actor=None, **kwargs)


@pytest.fixture
def staff(personas):
    return personas.users["staff"]


def test_importing_the_coalitions_plan_makes_4_strategies_and_20_objectives(db):
    plan, changes = _import(PLAN, make_default=True)
    assert changes.created
    assert plan.is_default
    assert (plan.period_start, plan.period_end) == (dt.date(2023, 1, 1), dt.date(2026, 12, 31))
    assert plan.strategies.count() == 4
    assert list(plan.objectives.values_list("number", flat=True)) == [
        "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7",
        "3.1", "3.2", "4.1", "4.2", "4.3", "4.4", "4.5",
    ]
    assert plan.values.count() == 7
    assert ActivityLog.objects.filter(action="strategy.plan.imported", object_id=str(plan.pk)).exists()


def test_a_revised_plan_keeps_bindings_and_archives_what_vanished(db, staff):
    plan, _ = _import()
    objective = plan.objectives.get(number="1.2")
    binding = services.binding_create(
        actor=staff, objective=objective, indicator=services.indicator_for_key("directory.tables_active"),
        target_value="5", target_on=dt.date(2027, 1, 1),
    )
    revised = SMALL.replace("2. Build homes", "2. Build and keep homes").replace("1. Recruit members\n", "1. Recruit members\n2. Train leaders\n")
    revised = revised.replace("1. Stop evictions\n", "")
    revised = revised.replace("2. Build and keep homes", "1. Build and keep homes")
    plan2, changes = services.plan_import(data=revised, actor=staff, plan=plan)
    assert plan2.pk == plan.pk and plan2.revision == 2
    objective.refresh_from_db()
    # Numbers are the identity: 1.2 vanished (the homes objective is now 1.1), so 1.2 is archived with its binding.
    assert objective.archived_at is not None
    assert ObjectiveIndicator.objects.filter(pk=binding.pk).exists()
    assert plan.objectives.get(number="1.1").text == "Build and keep homes"
    assert plan.objectives.get(number="2.2").archived_at is None
    assert "Objective 1.2" in changes.archived
    assert "Objective 2.2" in changes.added
    assert "Objective 1.1" in changes.updated


def test_an_objective_that_comes_back_is_restored(db):
    plan, _ = _import()
    services.plan_import(data=SMALL.replace("2. Build homes\n", ""), actor=None, plan=plan)
    assert plan.objectives.get(number="1.2").archived_at is not None
    _p, changes = services.plan_import(data=SMALL, actor=None, plan=plan)
    assert plan.objectives.get(number="1.2").archived_at is None
    assert "Objective 1.2" in changes.restored


def test_reimporting_the_same_document_changes_nothing(db):
    plan, _ = _import()
    preview = services.plan_import_preview(parsed=parse_plan(SMALL), plan=plan)
    assert preview.nothing
    _plan, changes = services.plan_import(data=SMALL, actor=None, plan=plan)
    assert changes.nothing


def test_values_are_archived_and_kept_in_history(db):
    plan, _ = _import()
    services.plan_import(data=SMALL.replace("Courage. We say what is true.\n", ""), actor=None, plan=plan)
    courage = Value.objects.get(plan=plan, name="Courage")
    assert courage.archived_at is not None
    assert courage.history.count() == 2


def test_a_malformed_document_writes_nothing(db):
    bad = SMALL.replace("2. Build homes", "1. Build homes")
    with pytest.raises(PlanParseError) as caught:
        _import(bad)
    assert any(problem.line for problem in caught.value.problems)
    assert not Plan.objects.exists() and not Strategy.objects.exists()


def test_a_malformed_revision_leaves_the_plan_untouched(db):
    plan, _ = _import()
    with pytest.raises(PlanParseError):
        services.plan_import(data=b"\x00\x01binary", actor=None, plan=plan)
    plan.refresh_from_db()
    assert plan.revision == 1 and plan.objectives.filter(archived_at__isnull=True).count() == 3


def test_a_document_without_a_period_needs_one(db):
    text = SMALL.replace("Strategic Plan 2024–2027", "Strategic Plan")
    with pytest.raises(PlanParseError, match="period"):
        _import(text)
    plan, _ = _import(text, period_start=dt.date(2025, 1, 1), period_end=dt.date(2027, 12, 31))
    assert plan.period_label == "2025–2027"


def test_a_period_ending_before_it_starts_is_refused(db):
    with pytest.raises(PlanParseError, match="ends before"):
        _import(period_start=dt.date(2027, 1, 1), period_end=dt.date(2025, 1, 1))
    assert not Plan.objects.exists()


def test_a_plan_can_succeed_another_but_not_itself(db, staff):
    old, _ = _import()
    new, _ = _import(predecessor=old)
    assert new.predecessor == old
    with pytest.raises(ValidationError):
        services.plan_update(plan=old, actor=staff, title=old.title, visibility="members", predecessor=new, is_default=False)


def test_only_one_plan_is_the_default(db, staff):
    first, _ = _import(make_default=True)
    second, _ = _import(make_default=True)
    first.refresh_from_db()
    assert second.is_default and not first.is_default
    services.plan_update(plan=first, actor=staff, title="First", visibility="members", predecessor=None, is_default=True)
    second.refresh_from_db()
    assert not second.is_default


def test_binding_to_an_archived_objective_is_refused(db, staff):
    plan, _ = _import()
    objective = plan.objectives.get(number="1.1")
    objective.archived_at = timezone.now()
    objective.save()
    with pytest.raises(ValidationError) as caught:
        services.binding_create(actor=staff, objective=objective, indicator=services.indicator_for_key("directory.tables_active"))
    assert "objective" in caught.value.error_dict
    assert not ObjectiveIndicator.objects.exists()


def test_a_target_date_before_the_baseline_date_is_refused(db, staff):
    plan, _ = _import()
    with pytest.raises(ValidationError) as caught:
        services.binding_create(
            actor=staff, objective=plan.objectives.first(), indicator=services.indicator_for_key("directory.tables_active"),
            baseline_on=dt.date(2025, 1, 1), target_on=dt.date(2024, 1, 1),
        )
    assert "target_on" in caught.value.error_dict


@pytest.mark.parametrize("value", ["NaN", "nan", "inf", "-Infinity", "twelve", "1e40", float("nan")])
def test_non_numbers_and_absurd_numbers_are_refused(db, staff, value):
    plan, _ = _import()
    with pytest.raises(ValidationError) as caught:
        services.binding_create(
            actor=staff, objective=plan.objectives.first(), indicator=services.indicator_for_key("directory.tables_active"),
            target_value=value,
        )
    assert "target_value" in caught.value.error_dict


def test_a_parameterised_indicator_needs_a_known_parameter(db, staff, personas):
    plan, _ = _import()
    indicator = services.indicator_for_key("directory.table_organizations")
    with pytest.raises(ValidationError) as caught:
        services.binding_create(actor=staff, objective=plan.objectives.first(), indicator=indicator, param="no-such-table")
    assert "param" in caught.value.error_dict
    binding = services.binding_create(actor=staff, objective=plan.objectives.first(), indicator=indicator, param=personas.table.slug)
    assert binding.param == personas.table.slug


def test_the_same_indicator_cannot_be_bound_twice_to_one_objective(db, staff):
    plan, _ = _import()
    objective = plan.objectives.first()
    services.binding_create(actor=staff, objective=objective, indicator=services.indicator_for_key("directory.tables_active"))
    with pytest.raises(ValidationError):
        services.binding_create(actor=staff, objective=objective, indicator=services.indicator_for_key("directory.tables_active"))


def test_a_per_objective_indicator_takes_the_objective_as_its_parameter(db, staff):
    plan, _ = _import()
    objective = plan.objectives.first()
    binding = services.binding_create(actor=staff, objective=objective, indicator=services.indicator_for_key("strategy.action_items_done"), param="ignored")
    assert binding.param == str(objective.public_id)


def test_a_manual_measurement_records_who_and_when(db, staff):
    indicator = services.manual_indicator_create(actor=staff, label="Check-ins held")
    measurement = services.measurement_add(actor=staff, indicator=indicator, value="4", measured_on=dt.date(2024, 5, 1), evidence="sign-in sheet")
    assert measurement.value == Decimal("4.0000") and measurement.recorded_by == staff
    assert ActivityLog.objects.filter(action="strategy.measurement.added").count() == 1


def test_a_computed_indicator_takes_no_hand_entered_figure(db, staff):
    with pytest.raises(ValidationError) as caught:
        services.measurement_add(actor=staff, indicator=services.indicator_for_key("directory.tables_active"), value="3", measured_on=dt.date(2024, 1, 1))
    assert "indicator" in caught.value.error_dict
    assert not Measurement.objects.exists()


def test_a_measurement_cannot_be_dated_in_the_future(db, staff):
    indicator = services.manual_indicator_create(actor=staff, label="Check-ins held")
    with pytest.raises(ValidationError) as caught:
        services.measurement_add(actor=staff, indicator=indicator, value="1", measured_on=timezone.localdate() + dt.timedelta(days=1))
    assert "measured_on" in caught.value.error_dict


def test_a_manual_indicator_needs_a_name(db, staff):
    with pytest.raises(ValidationError):
        services.manual_indicator_create(actor=staff, label="   ")


def test_a_board_report_is_frozen(db, staff, personas):
    plan, _ = _import()
    objective = plan.objectives.first()
    services.binding_create(actor=staff, objective=objective, indicator=services.indicator_for_key("directory.tables_active"))
    report = services.board_report_create(actor=staff, plan=plan, period_start=dt.date(2024, 1, 1), period_end=timezone.localdate())
    figure = report.data["strategies"][0]["objectives"][0]["figures"][0]
    assert figure["value"] == 1.0  # the personas' one table
    from commontable.directory.tests.factories import TableFactory

    TableFactory(name="Another", slug="another")
    report.refresh_from_db()
    assert report.data["strategies"][0]["objectives"][0]["figures"][0]["value"] == 1.0


def test_a_board_report_period_must_be_in_order(db, staff):
    plan, _ = _import()
    with pytest.raises(ValidationError):
        services.board_report_create(actor=staff, plan=plan, period_start=dt.date(2025, 1, 1), period_end=dt.date(2024, 1, 1))
    assert not BoardReport.objects.exists()


def test_done_action_items_count_toward_their_objective(db, staff):
    from commontable.core.indicators import compute

    plan, _ = _import()
    objective = plan.objectives.first()
    item = services.action_item_create(actor=staff, title="Write the guide", objectives=[objective])
    today = timezone.localdate()
    assert compute("strategy.action_items_done", [today], str(objective.public_id))[0].value == 0
    services.action_item_update(actor=staff, item=item, title=item.title, detail="", owner=None, due_on=None,
                                objectives=[objective], status=ActionItemStatus.DONE)
    assert compute("strategy.action_items_done", [today], str(objective.public_id))[0].value == 1


def test_an_action_item_cannot_be_added_to_an_archived_objective(db, staff):
    plan, _ = _import()
    objective = plan.objectives.first()
    Objective.objects.filter(pk=objective.pk).update(archived_at=timezone.now())
    objective.refresh_from_db()
    with pytest.raises(ValidationError):
        services.action_item_create(actor=staff, title="Too late", objectives=[objective])


def test_snapshots_keep_todays_value_of_figures_without_history(db, staff):
    plan, _ = _import()
    services.binding_create(actor=staff, objective=plan.objectives.first(), indicator=services.indicator_for_key("directory.tables_active"))
    assert services.snapshot_record() == 1
    assert services.snapshot_record() == 1  # idempotent: still one row for today
    assert Measurement.objects.filter(source=MeasurementSource.SNAPSHOT).count() == 1
