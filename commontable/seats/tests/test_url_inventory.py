"""Every seats page, for every persona, GET and POST: never a server error, and every page named
in a test."""

from pathlib import Path

import pytest
from django.urls import URLPattern

from commontable.core.testing import named_in_a_test, server_errors, url_routes
from commontable.core.visibility import Visibility

ROOT = Path(__file__).resolve().parents[3]


def _routes():
    return url_routes(["seats"])


@pytest.mark.parametrize("visibility", [Visibility.PUBLIC, Visibility.MEMBERS, Visibility.STAFF])
def test_no_seats_page_answers_any_persona_with_a_server_error(client, personas, seats, nomination, visibility):
    from commontable.seats.tests.factories import EngagementProcessFactory

    body = seats["held"].body
    body.visibility = visibility
    body.save()
    process = EngagementProcessFactory(visibility=visibility)
    term = seats["held"].terms.get()

    def kwargs(pattern: URLPattern) -> dict:
        route = str(pattern.pattern)
        values = {}
        for name in pattern.pattern.converters:
            if name == "slug":
                values[name] = body.slug
            elif name == "token":
                values[name] = "not-a-token"
            elif name == "public_id":
                if route.startswith("seats/"):
                    values[name] = seats["held"].public_id
                elif route.startswith("terms/"):
                    values[name] = term.public_id
                elif route.startswith("leaders/"):
                    values[name] = nomination.leader.public_id
                elif route.startswith("nominations/"):
                    values[name] = nomination.public_id
                elif route.startswith("engagement/"):
                    values[name] = process.public_id
                else:
                    raise AssertionError(f"teach seats' test_url_inventory which record <{name}> is in {route}")
            else:
                raise AssertionError(f"teach seats' test_url_inventory how to fill <{name}> in {route}")
        return values

    failures = server_errors(client, personas, _routes(), kwargs)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", [f"{ns}:{p.name}" for ns, p in _routes()])
def test_every_seats_page_is_named_in_some_test(route):
    own_tests = Path(__file__).resolve().parent
    assert named_in_a_test(route, ROOT, own_tests, exclude=[Path(__file__).name]), (
        f"no test names {route}: give it a permission matrix"
    )
