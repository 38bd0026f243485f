"""Fixtures the plan's page tests share: the bundled plan, imported as the members' default plan."""

from pathlib import Path

import pytest

BUNDLED_PLAN = Path(__file__).resolve().parents[1] / "data" / "alliance-strategic-plan-2023-2026.txt"


@pytest.fixture
def plan_text() -> bytes:
    return BUNDLED_PLAN.read_bytes()


@pytest.fixture
def plan(personas, plan_text):
    """The coalition's plan 2023–2026 (strategies 1–4, objectives 1.1–4.5), members only, default."""
    from commontable.strategy import services

    imported, _changes = services.plan_import(
        data=plan_text, actor=None, source_name=BUNDLED_PLAN.name, make_default=True
    )
    return imported


@pytest.fixture
def objective(plan):
    """Objective 2.1 of the plan."""
    return plan.objectives.get(number="2.1")
