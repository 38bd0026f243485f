"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

They are part of `make test` (marker `e2e`, collected by default). Without /usr/bin/chromium they
are skipped on a developer machine, and fail in CI (`CI` set), where a missing browser is a
broken set-up rather than a reason to test less. Playwright never downloads a browser here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from commontable.core.visibility import Visibility

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]

# The live server runs in a thread next to the sync Playwright API's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    missing = not CHROMIUM.exists()
    for item in items:
        if here not in Path(str(item.path)).parents:
            continue
        item.add_marker(pytest.mark.e2e)
        if missing and not os.environ.get("CI"):
            item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} is missing: apt-get install chromium"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing and CI is set: install Debian's chromium before the tests")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _e2e_database(transactional_db):
    """The live server's thread must see the test's rows, so every browser test commits them
    (`personas` asks for `db`; requesting `transactional_db` here makes that the transactional one)."""


@pytest.fixture
def site(live_server, personas):
    """The personas plus a public organisation and a public table, so that anonymous pages have
    something to show."""
    from commontable.directory.tests.factories import (
        OrganizationFactory,
        TableFactory,
        TableParticipationFactory,
    )

    public_org = OrganizationFactory(
        name="Frogtown Green Futures",
        slug="frogtown-green-futures",
        visibility=Visibility.PUBLIC,
        description="Gardens on vacant lots.",
    )
    public_table = TableFactory(
        name="Green Line Corridor Table",
        slug="green-line-corridor-table",
        visibility=Visibility.PUBLIC,
        convenor=public_org,
    )
    TableParticipationFactory(table=public_table, organization=public_org)
    personas.public_org = public_org
    personas.public_table = public_table
    personas.url = live_server.url
    return personas


@pytest.fixture
def sign_in(live_server):
    """`sign_in(context, user)` gives a browser context the session of `user`."""

    def sign_in(context, user) -> None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session.value, "url": live_server.url}]
        )

    return sign_in
