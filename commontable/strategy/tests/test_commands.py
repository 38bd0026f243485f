from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from commontable.strategy.models import Measurement, Plan

DATA = Path(__file__).parents[1] / "data" / "alliance-strategic-plan-2023-2026.txt"


def test_plan_import_command_imports_and_revises(db, tmp_path, capsys):
    call_command("plan_import", str(DATA), "--default")
    plan = Plan.objects.get()
    assert plan.is_default and plan.objectives.count() == 20
    revised = tmp_path / "revised.txt"
    revised.write_text(DATA.read_text().replace(
        "5. Ensure sufficient administrative systems, infrastructure, and staff to support programmatic work", ""
    ))
    call_command("plan_import", str(revised), "--plan", plan.slug)
    out = capsys.readouterr().out
    assert "archived: Objective 4.5" in out
    assert plan.objectives.get(number="4.5").archived_at is not None


def test_plan_import_command_names_every_problem_and_writes_nothing(db, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(DATA.read_text().replace("2. Ensure there is authentic", "1. Ensure there is authentic"))
    with pytest.raises(CommandError, match="Line"):
        call_command("plan_import", str(bad))
    assert not Plan.objects.exists()


def test_plan_import_command_refuses_a_missing_file_or_plan(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("plan_import", str(tmp_path / "nope.txt"))
    with pytest.raises(CommandError, match="No plan"):
        call_command("plan_import", str(DATA), "--plan", "nope")


def test_the_demo_plan_loads_once_with_every_status(db, settings):
    from commontable.directory import demo
    from commontable.strategy.selectors import plan_dashboard

    settings.DEBUG = True
    demo.build_small()
    call_command("plan_demo_load")
    call_command("plan_demo_load")  # does nothing the second time
    plan = Plan.objects.get(is_default=True)
    board = plan_dashboard(plan, user=None)
    statuses = {status for status, count in board.status_counts.items() if count}
    assert {"none", "on_track", "behind", "stale"} <= statuses
    assert board.last_report is None  # anonymous visitors see no members-only report


def test_plan_snapshot_command_keeps_todays_figures(db, capsys, settings):
    settings.DEBUG = True
    call_command("plan_demo_load")
    call_command("plan_snapshot")
    assert "figures kept" in capsys.readouterr().out
    assert Measurement.objects.filter(source="snapshot").exists()
