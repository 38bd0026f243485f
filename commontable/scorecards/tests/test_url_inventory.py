"""Every scorecard page, for every persona, GET and POST: never a server error, and every page
named in a test."""

from pathlib import Path

import pytest
from django.urls import URLPattern

from commontable.core.testing import named_in_a_test, server_errors, url_routes
from commontable.core.visibility import Visibility
from commontable.scorecards import services

ROOT = Path(__file__).resolve().parents[3]


def _routes():
    return url_routes(["scorecards"])


@pytest.mark.parametrize("visibility", [Visibility.MEMBERS, Visibility.STAFF, Visibility.PUBLIC])
def test_no_scorecard_page_answers_any_persona_with_a_server_error(client, personas, session, examples, visibility):
    session.visibility = visibility
    session.save()
    invitation = services.invitation_create(actor=None, session=session, name="Pa")

    def kwargs(pattern: URLPattern) -> dict:
        route = str(pattern.pattern)
        values = {}
        for name in pattern.pattern.converters:
            if name == "slug":
                values[name] = "equitable-development"
            elif name == "public_id":
                values[name] = session.public_id
            elif name == "language":
                values[name] = "es"
            elif name == "number":
                values[name] = 1
            elif name == "token":
                values[name] = invitation.token
            else:
                raise AssertionError(f"teach scorecards' test_url_inventory how to fill <{name}> in {route}")
        return values

    failures = server_errors(client, personas, _routes(), kwargs)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", [f"{ns}:{p.name}" for ns, p in _routes()])
def test_every_scorecard_page_is_named_in_some_test(route):
    own_tests = Path(__file__).resolve().parent
    assert named_in_a_test(route, ROOT, own_tests, exclude=[Path(__file__).name]), (
        f"no test names {route}: give it a permission matrix"
    )
