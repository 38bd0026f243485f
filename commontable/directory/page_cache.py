"""Cached directory pages: the main part of a list or detail page, rendered once per data version
and visibility class, shared by every viewer who would see exactly the same thing (ADR 13).

A page's cache key is made of:

- the **data version**: a token replaced after any write to the directory, the shared vocabularies
  (core) or accounts — by signals for ORM writes, and by `data_changed()` for bulk writes (imports,
  the demo loader), which replaces every token. So a change shows on the next load;
- the **visibility class** of the viewer: staff and administrators each share one class (they see
  every record and every contact detail); anyone else is keyed by everything their view depends
  on (role, person, organisations, organisations represented, tables), so one member never gets
  another's masked or unmasked contact details or edit links;
- the language, time zone and today's date (renewals fall due by date), whether htmx asked for
  the results only, and the full path with its query string.

Only the body is cached: the page around it (navigation, messages, language switcher) is rendered
for each request. A CSRF field inside a cached body is stored as a placeholder and replaced by the
requesting user's own token.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from commontable.core.indicators import data_changed, data_version
from commontable.core.visibility import viewer_for

LABEL = "directory.pages"
# A safety net only: a change replaces the data version at once.
PAGE_SECONDS = 600
# Longer query strings are served but not kept (they would only fill the cache).
MAX_KEPT_PATH = 400
# The apps whose records directory pages show (the audit log and vocabularies are in core, sign-in
# accounts in accounts).
WATCHED_APPS = frozenset({"directory", "core", "accounts"})
CSRF_PLACEHOLDER = "ct-csrf-9f1c3e7a-placeholder"  # noqa: S105 (replaced by the real token)


@dataclass
class Fragment:
    """A rendered page body and what it needs around it."""

    html: str
    title: str = ""
    status: int = 200
    seconds: int = PAGE_SECONDS


# --- the data version ----------------------------------------------------------------------------


def pages_changed() -> None:
    """Announce a change that signals do not see (a bulk or raw write to directory records)."""
    data_changed(LABEL)


def _after_commit() -> None:
    pages_changed()


def _on_write(sender, using=None, **kwargs) -> None:
    if sender._meta.app_label not in WATCHED_APPS:
        return
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed: only after the change
    connection = connections[using or DEFAULT_DB_ALIAS]
    # Replaced now, so that a later read in this same transaction (a test, or a page rendered after
    # a write) sees the change; and again once the transaction commits, so that a page rendered by
    # another process from the data *before* the commit, but under the new token, is not kept.
    state = connection.__dict__.setdefault("_ct_pages", {"dirty": False})
    if not state["dirty"]:
        pages_changed()
        state["dirty"] = True
    if connection.in_atomic_block:
        if not any(callback is _after_commit for _sids, callback, _robust in connection.run_on_commit):
            connection.on_commit(_after_commit)
    else:
        state["dirty"] = False


def data_version_now() -> str:
    """The directory's data version, as a page about to be built from the data must read it:
    any write after this moment replaces it."""
    connections[DEFAULT_DB_ALIAS].__dict__.setdefault("_ct_pages", {})["dirty"] = False
    return data_version(LABEL)


def connect_signals() -> None:
    post_save.connect(_on_write, dispatch_uid="ct-directory-pages-save")
    post_delete.connect(_on_write, dispatch_uid="ct-directory-pages-delete")
    m2m_changed.connect(_on_write, dispatch_uid="ct-directory-pages-m2m")


def seconds_until(moments, seconds: int) -> int:
    """`seconds`, or fewer if one of these moments comes sooner: a page that changes by the clock
    (consent that starts or expires) is kept only until then."""
    now = timezone.now()
    ahead = [(moment - now).total_seconds() for moment in moments if moment is not None and moment > now]
    return max(1, min([seconds, *(int(gap) + 1 for gap in ahead)]))


# --- keys and pages ------------------------------------------------------------------------------


def visibility_class(user) -> str:
    """Who sees the same page as this user: one class per staff role; otherwise everything the
    pages' permissions read from the viewer."""
    viewer = viewer_for(user)
    if viewer.is_staff:
        return f"role={viewer.role}"
    return "|".join(
        [
            f"role={viewer.role}",
            f"person={viewer.person_id or ''}",
            "orgs=" + ",".join(map(str, sorted(viewer.organization_ids))),
            "reps=" + ",".join(map(str, sorted(viewer.represented_organization_ids))),
            "tables=" + ",".join(map(str, sorted(viewer.table_ids))),
        ]
    )


def _partial(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def page_key(request: HttpRequest, name: str) -> str:
    parts = [
        name,
        data_version_now(),
        visibility_class(request.user),
        get_language() or "",
        timezone.get_current_timezone_name(),
        timezone.localdate().isoformat(),
        "results" if _partial(request) else "page",
        request.get_full_path(),
    ]
    return "ct:dir:page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def render_fragment(request: HttpRequest, template: str, context: dict, *, title: str = "", status: int = 200) -> Fragment:
    """The page's body (its `content` partial), or its `results` partial for htmx, with a CSRF
    placeholder in place of the user's token."""
    part = "results" if _partial(request) else "content"
    html = render_to_string(f"{template}#{part}", {**context, "csrf_token": CSRF_PLACEHOLDER}, request=request)
    return Fragment(html=html, title=str(title), status=status)


def cached_page(
    request: HttpRequest, template: str, name: str, build: Callable[[], Fragment], *, cacheable: bool = True
) -> HttpResponse:
    """Serve the page from the cache, or `build()` it (running its queries) and keep it. Pages
    with errors (status ≠ 200) and unusually long addresses are built every time."""
    key = page_key(request, name) if cacheable else ""
    stored = cache.get(key) if key else None
    if stored is not None:
        body, title, status, seconds = stored
        fragment = Fragment(zlib.decompress(body).decode(), title, status, seconds)
    else:
        fragment = build()
    if stored is None and key and fragment.status == 200 and len(request.get_full_path()) <= MAX_KEPT_PATH:
        # Compressed: a list's body is 50–100 KB of repetitive HTML, a tenth of that compressed,
        # and the database cache keeps thousands of entries.
        body = zlib.compress(fragment.html.encode(), 1)
        cache.set(key, (body, fragment.title, fragment.status, fragment.seconds), fragment.seconds)
    html = fragment.html
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    if _partial(request):
        response = HttpResponse(html, status=fragment.status)
    else:
        response = render(
            request, template, {"cached_content": mark_safe(html), "page_title": fragment.title}, status=fragment.status  # noqa: S308 (our own rendered template)
        )
    patch_vary_headers(response, ("HX-Request",))
    return response
