"""Every page of the investment watch, for every persona: never a server error, and every page named
in a test (the directory's inventory, for an app above it; the helpers are in `core.testing`)."""

from pathlib import Path

import pytest
from django.urls import URLPattern

from commontable.core.testing import named_in_a_test, server_errors, url_routes
from commontable.core.visibility import Visibility
from commontable.investments.choices import Compliance

ROOT = Path(__file__).resolve().parents[3]


def _routes():
    return url_routes(["investments"])


def _kwargs(pattern: URLPattern, world) -> dict:
    route = str(pattern.pattern)
    values = {}
    for name in pattern.pattern.converters:
        if name == "slug":
            values[name] = world.investment.slug
        elif name == "public_id" and route.startswith("commitments/"):
            values[name] = world.commitments[Compliance.MISSED].public_id
        elif name == "public_id" and route.startswith("asks/"):
            values[name] = world.ask.public_id
        elif name == "public_id" and route.startswith("decisions/"):
            values[name] = world.decision.public_id
        elif name == "token":
            values[name] = world.feed_token
        elif name == "format":
            values[name] = "capital-plan"
        elif name == "public_id" and route.startswith("imports/"):
            values[name] = "00000000-0000-4000-8000-000000000000"  # no such import: 404, never a 500
        else:
            raise AssertionError(f"teach investments' test_url_inventory how to fill <{name}> in {route}")
    return values


def _add_decision(world):
    import datetime as dt

    from commontable.core.feeds import feed_token_create
    from commontable.investments.calendar import decision_create

    world.decision = decision_create(actor=None, investment=world.investment, kind="hearing", title="Hearing",
                                     starts_on=dt.date.today() + dt.timedelta(days=3), starts_at_time=dt.time(18))
    world.feed_token = feed_token_create(user=_staff())[1]


def _staff():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email="staff@example.org")


@pytest.mark.parametrize("visibility", [Visibility.MEMBERS, Visibility.STAFF, Visibility.PUBLIC])
def test_no_investment_page_answers_any_persona_with_a_server_error(client, personas, world, visibility):
    world.investment.visibility = visibility
    world.investment.save()
    _add_decision(world)
    failures = server_errors(client, personas, _routes(), lambda pattern: _kwargs(pattern, world))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", [f"{ns}:{p.name}" for ns, p in _routes()])
def test_every_investment_page_is_named_in_some_test(route):
    own_tests = Path(__file__).resolve().parent
    assert named_in_a_test(route, ROOT, own_tests, exclude=[Path(__file__).name]), (
        f"no test names {route}: give it a permission matrix"
    )
