"""The quality harness every feature reuses: personas and a permission matrix.

    matrix = {"anonymous": 302, "member_b": 404, "member_a": 200, "staff": 200}
    assert_permission_matrix(client, personas, "get", url, matrix)

Every persona not named in the matrix gets the `default` expectation (if given) — so adding a
persona to the suite forces a decision for every URL that passes `default=None`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

PERSONAS = ("anonymous", "public_user", "member_a", "member_b", "table_member", "board", "staff", "admin")


@dataclass
class Personas:
    """The users behind each persona, and the fixture records they relate to."""

    users: dict
    org_a: object
    org_b: object
    table: object
    person_a: object
    person_b: object

    def user(self, name: str):
        return self.users.get(name)


def login_as(client, personas: Personas, name: str):
    client.logout()
    user = personas.user(name)
    if user is not None:
        client.force_login(user)
    return client


def assert_permission_matrix(client, personas: Personas, method: str, url: str, expected: dict[str, int],
                             *, data: dict | None = None, default: int | None = None, **extra) -> None:
    """Request `url` as every persona and compare status codes. 302 to the login page counts as
    the anonymous answer for pages; the API answers 401."""
    failures = []
    for name in PERSONAS:
        want = expected.get(name, default)
        if want is None:
            raise AssertionError(f"no expectation for persona {name!r} at {url}")
        login_as(client, personas, name)
        response = getattr(client, method.lower())(url, data=data or {}, **extra)
        if response.status_code != want:
            failures.append(f"{name}: expected {want}, got {response.status_code}")
    client.logout()
    if failures:
        raise AssertionError(f"{method.upper()} {url}\n  " + "\n  ".join(failures))


# --- the URL inventory: every page, every persona -------------------------------------------------

# What a page may answer any persona to an empty GET or POST; anything else (a 5xx) is a bug.
ALLOWED_STATUSES = {200, 301, 302, 400, 403, 404, 405}


def url_routes(namespaces: Iterable[str]) -> list:
    """Every named URL pattern in these namespaces, as (namespace, URLPattern)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    wanted = set(namespaces)

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace in wanted and pattern.name:
                yield namespace, pattern

    return list(walk(get_resolver().url_patterns))


def server_errors(client, personas: Personas, routes: list, kwargs_for: Callable) -> list[str]:
    """GET and POST every route as every persona; the answers that are not in ALLOWED_STATUSES.
    `kwargs_for(pattern)` fills the route's parameters with sample values."""
    from django.urls import reverse

    client.raise_request_exception = False
    failures = []
    for namespace, pattern in routes:
        url = reverse(f"{namespace}:{pattern.name}", kwargs=kwargs_for(pattern))
        for persona in PERSONAS:
            login_as(client, personas, persona)
            for method in ("get", "post"):
                status = getattr(client, method)(url).status_code
                if status not in ALLOWED_STATUSES:
                    failures.append(f"{method.upper()} {url} as {persona}: {status}")
    client.logout()
    return failures


def named_in_a_test(route: str, root: Path, own_tests: Path, exclude: Iterable[str] = ()) -> bool:
    """Whether a test names the route: "ns:name" in any test module, or "name" in the app's own."""
    skip = set(exclude)
    name = route.split(":")[1]
    everywhere = "".join(p.read_text() for p in root.glob("**/tests/test_*.py") if p.name not in skip)
    own_app = "".join(p.read_text() for p in own_tests.glob("test_*.py") if p.name not in skip)
    return f'"{route}"' in everywhere or f'"{name}"' in own_app


class _FormReader(HTMLParser):
    """The values a browser would send for the page's form of `action` (or its first form with
    method post): inputs, checked boxes and radios, selected options, text areas."""

    def __init__(self, action: str | None):
        super().__init__()
        self.action, self.data = action, []
        self.in_form = self.done = False
        self.select = self.textarea = None
        self.options: list = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and not self.in_form:
            self.in_form = (a.get("method", "get").lower() == "post"
                            and (self.action is None or a.get("action", "") in ("", self.action)))
            return
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.data.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self.select, self.options = (name, "multiple" in a), []
        elif tag == "option" and self.select:
            self.options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if not self.in_form:
            return
        if tag == "select" and self.select:
            name, multiple = self.select
            chosen = [value for value, selected in self.options if selected]
            if not chosen and not multiple and self.options:
                chosen = [self.options[0][0]]  # a browser sends the first option
            self.data += [(name, value) for value in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.data.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "form":
            self.in_form, self.done = False, True


def form_as_sent(html: str, action: str | None = None) -> dict[str, list[str]]:
    """What a browser would post from the page's form unchanged (for "save without changing
    anything changes nothing" tests), as a dict of lists for the test client."""
    import html as html_lib

    reader = _FormReader(action)
    reader.feed(html)
    out: dict[str, list[str]] = {}
    for name, value in reader.data:
        out.setdefault(name, []).append(html_lib.unescape(value))
    return out
