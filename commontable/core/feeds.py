"""Personal calendar-feed links and the HTTP side of feeds (ADR 9).

A calendar program cannot sign in, so a person's feeds carry a secret token in the address. The
token is stored hashed; revoking it makes every feed that used it answer 404 at once. Feeds are
answered from the cache, keyed by what they show and the latest change, with an ETag, so calendar
programs polling every few minutes cost one small query.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag

from commontable.core.audit import log_action
from commontable.core.models import FeedToken

# The window every feed is limited to: recent past for context, a little over a year ahead.
PAST_DAYS = 90
FUTURE_DAYS = 400
CACHE_SECONDS = 15 * 60
CONTENT_TYPE = "text/calendar; charset=utf-8"
_LAST_USED_EVERY = dt.timedelta(hours=1)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def feed_token_create(*, user) -> tuple[FeedToken, str]:
    """A new feed link for `user`; the raw token is returned once, only its hash is kept."""
    raw = secrets.token_urlsafe(24)
    token = FeedToken.objects.create(user=user, token_hash=_hash(raw), prefix=raw[:6])
    log_action(token, "core.feed-token.created", actor=user)
    return token, raw


@transaction.atomic
def feed_token_revoke(*, token: FeedToken, actor) -> None:
    """Stop the link now: every feed that uses it answers 404 from the next request."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_action(token, "core.feed-token.revoked", actor=actor)


def feed_token_user(raw: str):
    """The active user behind a feed token, or None (unknown, revoked, or deactivated)."""
    if not raw or len(raw) > 64:
        return None
    token = FeedToken.objects.select_related("user").filter(token_hash=_hash(raw), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_EVERY:
        FeedToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def window(now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    now = now or timezone.now()
    return now - dt.timedelta(days=PAST_DAYS), now + dt.timedelta(days=FUTURE_DAYS)


def feed_response(request: HttpRequest, *, cache_key: str, version: str, build: Callable[[], bytes],
                  filename: str = "calendar.ics") -> HttpResponse:
    """Answer a feed: 304 when the client has this version, else the cached body or `build()`.

    `version` must change whenever what the feed shows changes (e.g. the latest `updated_at` and
    the count of its events, plus the day, since the window moves)."""
    etag = quote_etag(hashlib.sha256(f"{cache_key}|{version}".encode()).hexdigest()[:32])
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    key = f"feed:{hashlib.sha256(cache_key.encode()).hexdigest()}:{etag}"
    body = cache.get(key)
    if body is None:
        body = build()
        cache.set(key, body, CACHE_SECONDS)
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["ETag"] = etag
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    patch_cache_control(response, private=True, max_age=300)
    return response


# --- which personal feeds exist (apps register them from their `notifications.py`) ------------------

_personal_feeds: list[tuple[str, object]] = []


def register_personal_feed(url_name: str, label) -> None:
    """A feed reachable with a person's token: `url_name` takes one `token` argument."""
    if url_name not in [name for name, _ in _personal_feeds]:
        _personal_feeds.append((url_name, label))


def personal_feeds() -> list[tuple[str, object]]:
    from commontable.core.notifications import discover

    discover()
    return list(_personal_feeds)
