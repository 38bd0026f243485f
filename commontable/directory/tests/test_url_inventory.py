"""Every URL of ours, for every persona: never a server error, and every page named in a test.

This is the harness's safety net under the per-view permission matrices: a new page that forgets
a permission check usually shows up here as a 500 (an object the viewer cannot have) or as a page
no test names."""

import uuid
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from commontable.core.testing import PERSONAS, login_as

NAMESPACES = ("core", "accounts", "directory")
ROOT = Path(__file__).resolve().parents[3]
ALLOWED = {200, 301, 302, 400, 403, 404, 405}


def _routes():
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace in NAMESPACES and pattern.name:
                yield namespace, pattern

    return list(walk(get_resolver().url_patterns))


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
        else:
            raise AssertionError(f"teach test_url_inventory how to fill <{name}> in {route}")
    return values


def test_no_page_answers_any_persona_with_a_server_error(client, personas):
    client.raise_request_exception = False
    failures = []
    for namespace, pattern in _routes():
        url = reverse(f"{namespace}:{pattern.name}", kwargs=_kwargs(pattern, personas))
        for persona in PERSONAS:
            login_as(client, personas, persona)
            for method in ("get", "post"):
                status = getattr(client, method)(url).status_code
                if status not in ALLOWED:
                    failures.append(f"{method.upper()} {url} as {persona}: {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", [f"{ns}:{p.name}" for ns, p in _routes()])
def test_every_page_is_named_in_some_test(route):
    namespace, name = route.split(":")
    everywhere = "".join(p.read_text() for p in ROOT.glob("**/tests/test_*.py") if p.name != Path(__file__).name)
    own_app = "".join(p.read_text() for p in (ROOT / "commontable" / namespace / "tests").glob("test_*.py"))
    assert f'"{route}"' in everywhere or f'"{name}"' in own_app, f"no test names {route}: give it a permission matrix"
