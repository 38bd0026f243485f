"""Every URL of ours, for every persona: never a server error, and every page named in a test.

This is the harness's safety net under the per-view permission matrices: a new page that forgets
a permission check usually shows up here as a 500 (an object the viewer cannot have) or as a page
no test names. Apps above the directory (which it may not import) keep their own inventory with
the same helpers from `core.testing`, e.g. `strategy/tests/test_url_inventory.py`."""

import uuid
from pathlib import Path

import pytest
from django.urls import URLPattern

from commontable.core.testing import named_in_a_test, server_errors, url_routes

NAMESPACES = ("core", "accounts", "directory")
ROOT = Path(__file__).resolve().parents[3]


def _routes():
    return url_routes(NAMESPACES)


def _kwargs(pattern: URLPattern, personas) -> dict:
    route = str(pattern.pattern)
    values = {}
    for name in pattern.pattern.converters:
        if name == "slug":
            values[name] = personas.table.slug if route.startswith("tables") else personas.org_a.slug
        elif name == "organization_slug":
            values[name] = personas.org_a.slug
        elif name == "public_id":
            values[name] = personas.person_a.public_id if route.startswith("people") else uuid.uuid4()
        elif name == "kind":
            values[name] = "people"
        elif name == "pk":
            values[name] = 1
        elif name == "token":
            values[name] = "not-a-valid-token"
        else:
            raise AssertionError(f"teach test_url_inventory how to fill <{name}> in {route}")
    return values


def test_no_page_answers_any_persona_with_a_server_error(client, personas):
    failures = server_errors(client, personas, _routes(), lambda pattern: _kwargs(pattern, personas))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", [f"{ns}:{p.name}" for ns, p in _routes()])
def test_every_page_is_named_in_some_test(route):
    own_tests = ROOT / "commontable" / route.split(":")[0] / "tests"
    assert named_in_a_test(route, ROOT, own_tests, exclude=[Path(__file__).name]), (
        f"no test names {route}: give it a permission matrix"
    )
