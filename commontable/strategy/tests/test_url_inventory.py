"""Every page of the plan, for every persona: never a server error, and every page named in a test
(the directory's inventory, for the app above it; the helpers are in `core.testing`)."""

from pathlib import Path

import pytest
from django.urls import URLPattern

from commontable.core.models import ImportBatch
from commontable.core.testing import named_in_a_test, server_errors, url_routes
from commontable.core.visibility import Visibility
from commontable.strategy import services
from commontable.strategy.tests.factories import (
    ActionItemFactory,
    BindingFactory,
    IndicatorFactory,
    MeasurementFactory,
)

ROOT = Path(__file__).resolve().parents[3]


def _routes():
    return url_routes(["strategy"])


@pytest.fixture
def samples(personas, plan, plan_text):
    """One of everything a route names, in the plan every member may see (or, changed by the
    test, only staff)."""
    objective = plan.objectives.get(number="2.1")
    objective.owners.add(personas.user("board"))
    indicator = IndicatorFactory(label="Check-ins")
    binding = BindingFactory(objective=objective, indicator=indicator)
    MeasurementFactory(indicator=indicator)
    services.binding_create(
        actor=None, objective=objective, indicator=services.indicator_for_key("strategy.action_items_done")
    )
    report = services.board_report_create(
        actor=None,
        plan=plan,
        period_start=plan.period_start,
        period_end=plan.period_start.replace(month=3, day=31),
    )
    item = ActionItemFactory(objectives=[objective], owner=personas.user("member_a"))
    batch = ImportBatch.objects.create(
        kind="strategy.plan",
        filename="plan.txt",
        content=plan_text,
        sha256="-",
        summary={"options": {"plan": plan.slug}},
        created_by=personas.user("staff"),
    )
    return {
        ("plans/import/", "public_id"): batch.public_id,
        ("plans/", "slug"): plan.slug,
        ("objectives/", "public_id"): objective.public_id,
        ("bindings/", "public_id"): binding.public_id,
        ("indicators/", "key"): indicator.key,
        ("reports/", "public_id"): report.public_id,
        ("action-items/", "public_id"): item.public_id,
    }


def _kwargs(pattern: URLPattern, samples: dict) -> dict:
    route = str(pattern.pattern)
    values = {}
    for name in pattern.pattern.converters:
        # The longest route prefix that names a sample for this parameter.
        matches = [prefix for prefix, param in samples if param == name and route.startswith(prefix)]
        if not matches:
            raise AssertionError(f"teach strategy's test_url_inventory how to fill <{name}> in {route}")
        values[name] = samples[(max(matches, key=len), name)]
    return values


@pytest.mark.parametrize("visibility", [Visibility.MEMBERS, Visibility.STAFF, Visibility.PUBLIC])
def test_no_plan_page_answers_any_persona_with_a_server_error(client, personas, plan, samples, visibility):
    plan.visibility = visibility
    plan.save()
    failures = server_errors(client, personas, _routes(), lambda pattern: _kwargs(pattern, samples))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", [f"{ns}:{p.name}" for ns, p in _routes()])
def test_every_plan_page_is_named_in_some_test(route):
    own_tests = Path(__file__).resolve().parent
    assert named_in_a_test(route, ROOT, own_tests, exclude=[Path(__file__).name]), (
        f"no test names {route}: give it a permission matrix"
    )
