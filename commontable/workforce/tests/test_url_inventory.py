"""Every workforce page, for every persona: never a server error, and every page named in a test."""

from pathlib import Path

import pytest
from django.urls import URLPattern

from commontable.core.models import ImportBatch
from commontable.core.testing import named_in_a_test, server_errors, url_routes
from commontable.core.visibility import Visibility
from commontable.workforce import services

ROOT = Path(__file__).resolve().parents[3]
HEADER = "contractor,period_start,period_end,trade,total_hours,bipoc_hours,women_hours,apprentice_hours\n"


def _routes():
    return url_routes(["workforce"])


def _kwargs(pattern: URLPattern, world, batch: ImportBatch) -> dict:
    route = str(pattern.pattern)
    values = {}
    for name in pattern.pattern.converters:
        if name == "slug":
            values[name] = world.investment.slug
        elif name == "public_id" and route.startswith("goals/"):
            values[name] = world.goal.public_id
        elif name == "public_id" and "imports/" in route:
            values[name] = batch.public_id
        else:
            raise AssertionError(f"teach workforce's test_url_inventory how to fill <{name}> in {route}")
    return values


@pytest.mark.parametrize("visibility", [Visibility.MEMBERS, Visibility.STAFF, Visibility.PUBLIC])
def test_no_workforce_page_answers_any_persona_with_a_server_error(client, personas, world, visibility):
    world.investment.visibility = visibility
    world.investment.save()
    batch, _checked = services.hours_import_create(
        actor=personas.user("staff"), investment=world.investment,
        data=(HEADER + "Acme,2025-03-01,2025-03-31,,10,1,1,1\n").encode(), filename="h.csv",
    )
    failures = server_errors(client, personas, _routes(), lambda pattern: _kwargs(pattern, world, batch))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", [f"{ns}:{p.name}" for ns, p in _routes()])
def test_every_workforce_page_is_named_in_some_test(route):
    own_tests = Path(__file__).resolve().parent
    assert named_in_a_test(route, ROOT, own_tests, exclude=[Path(__file__).name]), (
        f"no test names {route}: give it a permission matrix"
    )
