"""The quality harness every feature reuses: personas and a permission matrix.

    matrix = {"anonymous": 302, "member_b": 404, "member_a": 200, "staff": 200}
    assert_permission_matrix(client, personas, "get", url, matrix)

Every persona not named in the matrix gets the `default` expectation (if given) — so adding a
persona to the suite forces a decision for every URL that passes `default=None`.
"""

from __future__ import annotations

from dataclasses import dataclass

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
