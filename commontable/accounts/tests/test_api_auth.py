"""API authentication: a personal token (Authorization: Bearer ct_…), a session (with CSRF for
writes), or nothing (public records only). A token that does not work is a 401, never a silent
fall back to anonymous access."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone, translation

from commontable.accounts import services
from commontable.accounts.models import ApiToken
from commontable.core.models import ActivityLog

# The personas' organisations are members-only: anonymous callers see none of them, members all.
LIST = "/api/v1/organizations"
WRITE = "/api/v1/organizations/org-a"


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request in another language leaves it active in the thread; later tests that call
    services directly must not inherit it."""
    yield
    translation.deactivate()


def _bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _count(response):
    assert response.status_code == 200, response.content
    return response.json()["count"]


@pytest.fixture
def token(personas):
    return services.api_token_create(user=personas.user("member_a"), name="script")


def _spanish(msgid):
    with translation.override("es"):
        text = translation.gettext(msgid)
    assert text != msgid, "the Spanish catalog should translate this message"
    return text


def test_a_valid_token_authenticates_and_records_its_last_use(client, token):
    record, raw = token
    assert _count(client.get(LIST, **_bearer(raw))) == 3
    record.refresh_from_db()
    assert record.last_used_at is not None


def test_without_credentials_reads_show_public_records_only(client, personas):
    assert _count(client.get(LIST)) == 0


def test_an_anonymous_write_is_a_401_even_with_csrf_checks(personas):
    client = Client(enforce_csrf_checks=True)
    response = client.patch(WRITE, data=json.dumps({"phone": "1"}), content_type="application/json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "raw",
    ["ct_not-a-real-token", "", "ct_" + "x" * 500, "ct_\u0661\u0662", "ct_ab\tcd"],
    ids=["unknown", "empty", "overlong", "arabic-digits", "tab"],
)
def test_a_token_that_does_not_exist_is_a_401_not_anonymous_access(client, personas, raw):
    response = client.get(LIST, **_bearer(raw))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "detail" in response.json()


def test_a_revoked_token_is_a_401(client, personas, token):
    record, raw = token
    services.api_token_revoke(token=record, actor=personas.user("member_a"))
    assert client.get(LIST, **_bearer(raw)).status_code == 401


def test_an_expired_token_is_a_401(client, token):
    record, raw = token
    ApiToken.objects.filter(pk=record.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(LIST, **_bearer(raw)).status_code == 401


def test_the_token_of_a_deactivated_account_is_a_401(client, personas, token):
    _record, raw = token
    user = personas.user("member_a")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(LIST, **_bearer(raw)).status_code == 401


def test_a_bad_token_is_a_401_even_beside_a_signed_in_session(client, personas):
    client.force_login(personas.user("member_a"))
    assert client.get(LIST, **_bearer("ct_wrong")).status_code == 401
    assert _count(client.get(LIST)) == 3


def test_a_token_acts_as_its_owner_whatever_the_session(client, personas):
    _record, raw = services.api_token_create(user=personas.user("public_user"), name="script")
    client.force_login(personas.user("staff"))
    assert _count(client.get(LIST, **_bearer(raw))) == 0


def test_a_token_write_needs_no_csrf_token_and_is_audited_as_its_owner(personas, token):
    _record, raw = token
    client = Client(enforce_csrf_checks=True)
    response = client.patch(
        WRITE, data=json.dumps({"phone": "612-555-0100"}), content_type="application/json", **_bearer(raw)
    )
    assert response.status_code == 200, response.content
    assert (
        ActivityLog.objects.filter(actor=personas.user("member_a"))
        .exclude(action__startswith="accounts")
        .exists()
    )


def test_a_session_write_without_its_csrf_token_is_refused(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.user("member_a"))
    response = client.patch(WRITE, data=json.dumps({"phone": "1"}), content_type="application/json")
    assert response.status_code == 403


def test_a_token_speaks_its_owners_language(client, personas, token):
    _record, raw = token
    user = personas.user("member_a")
    user.preferred_language = "es"
    user.save(update_fields=["preferred_language"])
    response = client.patch(
        WRITE,
        data=json.dumps({"name": " "}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **_bearer(raw),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == _spanish("This field cannot be blank.")
