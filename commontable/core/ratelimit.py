"""A fixed-window rate limit in the cache, for what anyone may do without an account (a public
scoring link, its one-time codes). `allow("scorecards.public", key, limit=30, per_seconds=600)`
is False once `key` (a client address, say) has been let through `limit` times in the window."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


def client_key(request) -> str:
    """The client's address, hashed (not kept in clear in the cache)."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hashlib.sha256(address.encode()).hexdigest()[:32]


def allow(scope: str, key: str, *, limit: int, per_seconds: int) -> bool:
    window = int(time.time() // per_seconds)
    name = f"ct:rate:{scope}:{key}:{window}"
    if cache.add(name, 1, per_seconds + 5):
        return limit >= 1
    try:
        count = cache.incr(name)
    except ValueError:  # evicted between add and incr: start again
        cache.set(name, 1, per_seconds + 5)
        count = 1
    return count <= limit
