import datetime as dt

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from commontable.accounts import selectors, services
from commontable.accounts.models import ApiToken
from commontable.accounts.tests.factories import UserFactory
from commontable.core.models import ActivityLog
from commontable.core.testing import assert_permission_matrix
from commontable.core.visibility import Role

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_sign_in_with_email_and_password(client):
    user = UserFactory(email="amina@example.org")
    response = client.post(reverse("account_login"), {"login": "Amina@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_wrong_password_is_refused(client):
    UserFactory(email="amina@example.org")
    response = client.post(reverse("account_login"), {"login": "amina@example.org", "password": "nope-nope-nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_repeated_failures_are_throttled_with_a_clear_message(client):
    UserFactory(email="amina@example.org")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "amina@example.org", "password": "wrong-password-1"})
    response = client.post(reverse("account_login"), {"login": "amina@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
    assert b"Too many failed login attempts" in response.content


@pytest.mark.django_db
def test_sign_up_is_closed_by_default(client):
    response = client.get(reverse("account_signup"))
    assert b"Sign Up Closed" in response.content or response.status_code in (403, 404)


@pytest.mark.django_db
def test_password_reset_sends_an_email(client):
    UserFactory(email="amina@example.org")
    response = client.post(reverse("account_reset_password"), {"email": "amina@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "amina@example.org" in mail.outbox[0].to


@pytest.mark.django_db
@override_settings(COMMONTABLE_REQUIRE_MFA_FOR_STAFF=True)
def test_staff_without_a_second_factor_are_sent_to_set_one_up(client):
    staff = UserFactory(role=Role.STAFF)
    client.force_login(staff)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
@override_settings(COMMONTABLE_REQUIRE_MFA_FOR_STAFF=True)
def test_members_are_not_asked_for_a_second_factor(client):
    client.force_login(UserFactory(role=Role.MEMBER))
    assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.django_db
def test_language_choice_is_remembered_on_the_account(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:language_set"), {"language": "es", "next": "/directory/organizations/"})
    assert response.status_code == 302 and response["Location"] == "/directory/organizations/"
    user.refresh_from_db()
    assert user.preferred_language == "es"


@pytest.mark.django_db
def test_account_language_wins_over_the_cookie(client, settings):
    user = UserFactory(preferred_language="es")
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("core:home"))
    assert b'<html lang="es">' in response.content


@pytest.mark.django_db
def test_language_switch_refuses_offsite_redirects(client):
    response = client.post(reverse("accounts:language_set"), {"language": "es", "next": "https://evil.example.com/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_unknown_language_is_a_clear_error(client):
    response = client.post(reverse("accounts:language_set"), {"language": "xx"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_api_token_is_stored_hashed_and_shown_once():
    user = UserFactory()
    token, raw = services.api_token_create(user=user, name="script")
    assert raw.startswith("ct_")
    assert raw not in token.digest and token.digest != raw
    assert not ApiToken.objects.filter(digest=raw).exists()
    assert selectors.api_token_user(raw) == user
    assert ActivityLog.objects.filter(action="accounts.token.created").count() == 1


@pytest.mark.django_db
def test_revoked_and_expired_tokens_do_not_authenticate():
    user = UserFactory()
    token, raw = services.api_token_create(user=user, name="script")
    services.api_token_revoke(token=token, actor=user)
    assert selectors.api_token_user(raw) is None
    token2, raw2 = services.api_token_create(user=user, name="old")
    ApiToken.objects.filter(pk=token2.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert selectors.api_token_user(raw2) is None


@pytest.mark.django_db
def test_inactive_users_tokens_do_not_authenticate():
    user = UserFactory(is_active=False)
    _token, raw = services.api_token_create(user=user, name="script")
    assert selectors.api_token_user(raw) is None


@pytest.mark.django_db
def test_profile_creates_a_token_and_shows_it_once(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"name": "board report", "days": "30"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=user)
    assert token.prefix.encode() in response.content
    assert client.get(reverse("accounts:profile")).content.count(b"ct_") == 1  # the prefix only


@pytest.mark.django_db
def test_profile_rejects_a_nameless_token(client):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:profile"), {"name": "", "days": "30"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_someone_elses_token_cannot_be_revoked(client):
    owner = UserFactory()
    token, _raw = services.api_token_create(user=owner, name="mine")
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_profile_permission_matrix(client, personas):
    expected = {"anonymous": 302}
    assert_permission_matrix(client, personas, "get", reverse("accounts:profile"), expected, default=200)


@pytest.mark.django_db
def test_a_role_change_in_the_admin_is_audited(client):
    admin_user = UserFactory(role=Role.ADMIN, is_superuser=True)
    member = UserFactory(role=Role.MEMBER, email="m@example.org")
    client.force_login(admin_user)
    url = reverse("admin:accounts_user_change", args=[member.pk])
    response = client.post(url, {
        "email": "m@example.org", "full_name": "M", "role": "staff", "preferred_language": "",
        "is_active": "on", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
    })
    assert response.status_code == 302, response.content[:2000]
    member.refresh_from_db()
    assert member.role == Role.STAFF
    assert ActivityLog.objects.filter(action="accounts.user.role-changed", object_id=str(member.pk)).exists()


@pytest.mark.django_db
@override_settings(COMMONTABLE_REQUIRE_MFA_FOR_STAFF=True)
def test_staff_without_a_second_factor_cannot_reach_staff_pages_through_a_side_door(client):
    client.force_login(UserFactory(role=Role.STAFF))
    for name in ("core:i18n_status", "core:activity_list", "core:import_list"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp"), name


@pytest.mark.django_db
def test_beta_languages_are_labelled_in_the_picker(client, settings):
    settings.COMMONTABLE_BETA_LANGUAGES = ["so"]
    body = client.get(reverse("core:home")).content.decode()
    assert 'lang="so">Soomaali <small>(beta)</small>' in body
    assert 'lang="hmn">Hmoob</button>' in body
