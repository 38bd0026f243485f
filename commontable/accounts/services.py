"""Writes for accounts: interface language, roles, API tokens. Each is audited."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from commontable.accounts.models import ApiToken, User
from commontable.core.audit import log_action
from commontable.core.visibility import Role, forget_viewer


def user_language_set(*, user: User, language: str) -> User:
    """Remember the interface language on the account."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return user


@transaction.atomic
def user_role_set(*, user: User, role: str, actor) -> User:
    old = user.role
    user.role = Role(role)
    user.save(update_fields=["role"])
    forget_viewer(user)
    log_action(user, "accounts.user.role-changed", actor=actor, data={"role": [old, user.role]})
    return user


@transaction.atomic
def api_token_create(*, user: User, name: str, days: int | None = 365) -> tuple[ApiToken, str]:
    """Create a token; returns it with the raw value, which is never stored."""
    raw, prefix, digest = ApiToken.generate()
    expires = timezone.now() + dt.timedelta(days=days) if days else None
    token = ApiToken.objects.create(user=user, name=name, prefix=prefix, digest=digest, expires_at=expires)
    log_action(token, "accounts.token.created", actor=user, data={"name": name, "prefix": prefix})
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_action(token, "accounts.token.revoked", actor=actor)
    return token
