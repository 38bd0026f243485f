"""Every page of the business directory, for every persona: never a server error, and every page
named in a test."""

from pathlib import Path

import pytest
from django.urls import URLPattern

from commontable.businesses.models import Certification
from commontable.core.testing import named_in_a_test, server_errors, url_routes
from commontable.core.visibility import Visibility

ROOT = Path(__file__).resolve().parents[3]


def _routes():
    return url_routes(["businesses"])


def _kwargs(pattern: URLPattern, world) -> dict:
    route = str(pattern.pattern)
    values = {}
    for name in pattern.pattern.converters:
        if name == "slug":
            values[name] = world.plumber.slug
        elif name == "public_id" and route.startswith("opportunities/"):
            values[name] = world.opportunity.public_id
        elif name == "public_id" and route.startswith("certifications/"):
            values[name] = Certification.objects.filter(business=world.plumber).first().public_id
        else:
            raise AssertionError(f"teach businesses' test_url_inventory how to fill <{name}> in {route}")
    return values


@pytest.mark.parametrize("visibility", [Visibility.MEMBERS, Visibility.STAFF, Visibility.PUBLIC])
def test_no_business_page_answers_any_persona_with_a_server_error(client, personas, world, visibility):
    world.plumber.visibility = visibility
    world.plumber.save()
    world.opportunity.visibility = visibility
    world.opportunity.save()
    failures = server_errors(client, personas, _routes(), lambda pattern: _kwargs(pattern, world))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", [f"{ns}:{p.name}" for ns, p in _routes()])
def test_every_business_page_is_named_in_some_test(route):
    own_tests = Path(__file__).resolve().parent
    assert named_in_a_test(route, ROOT, own_tests, exclude=[Path(__file__).name]), (
        f"no test names {route}: give it a permission matrix"
    )
