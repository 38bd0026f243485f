"""Reads for accounts."""

from __future__ import annotations

from django.utils import timezone

from commontable.accounts.models import ApiToken, User, token_digest


def api_token_user(raw: str) -> User | None:
    """The active user behind a raw token, or None. Records when the token was last used."""
    if not raw or len(raw) > 200:
        return None
    token = ApiToken.objects.usable().select_related("user").filter(digest=token_digest(raw)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_list(user: User):
    return ApiToken.objects.filter(user=user)
