"""Every displacement page, for every persona: never a server error, and every page named in a test
(the policy and report pages have their own inventories in their tests)."""

from pathlib import Path

import pytest
from django.urls import URLPattern

from commontable.core.models import ImportBatch, Place
from commontable.core.testing import named_in_a_test, server_errors, url_routes
from commontable.displacement.tests.factories import (
    RegionFactory,
    RunFactory,
    TractFactory,
    TractResultFactory,
)
from commontable.investments.tests.factories import InvestmentFactory

ROOT = Path(__file__).resolve().parents[3]
OWN = ("report_", "policy_", "policies")


def _routes():
    return [(ns, p) for ns, p in url_routes(["displacement"]) if not p.name.startswith(OWN)]


@pytest.fixture
def world(db):
    run = RunFactory(region=RegionFactory(slug="twin_cities", is_default=True), t0=2012, t1=2022, tract_count=1)
    TractFactory(geoid="27123000100")
    TractResultFactory(run=run, geoid="27123000100", typology="OD")
    place = Place.objects.create(slug="ramsey-county", name="Ramsey County", kind=Place.Kind.COUNTY, code="27123")
    investment = InvestmentFactory(slug="station", geometry={"type": "Point", "coordinates": [-93.1, 44.95]})
    batch = ImportBatch.objects.create(kind="displacement.acs", filename="x.csv", content=b"x", sha256="0" * 64)
    return {"geoid": "27123000100", "place": place, "investment": investment, "batch": batch}


def _kwargs(pattern: URLPattern, world) -> dict:
    route = str(pattern.pattern)
    values = {}
    for name in pattern.pattern.converters:
        if name == "geoid":
            values[name] = world["geoid"]
        elif name == "public_id":
            values[name] = world["batch"].public_id
        elif name == "slug" and "places" in route:
            values[name] = world["place"].slug
        elif name == "slug":
            values[name] = world["investment"].slug
        else:
            raise AssertionError(f"teach displacement's test_url_inventory how to fill <{name}> in {route}")
    return values


def test_no_displacement_page_answers_any_persona_with_a_server_error(client, personas, world):
    failures = server_errors(client, personas, _routes(), lambda pattern: _kwargs(pattern, world))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", [f"{ns}:{p.name}" for ns, p in _routes()])
def test_every_displacement_page_is_named_in_some_test(route):
    own_tests = Path(__file__).resolve().parent
    assert named_in_a_test(route, ROOT, own_tests, exclude=[Path(__file__).name]), (
        f"no test names {route}: give it a permission matrix"
    )
