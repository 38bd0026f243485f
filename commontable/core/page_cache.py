"""Page bodies cached per data version and visibility class (ADR 13), for any app's list and
detail pages: the mechanism the directory's pages introduced, made reusable.

An app makes one `PageCache` with a label and the apps whose records its pages show, connects its
signals in `AppConfig.ready()`, and serves a page with `pages.cached_page(request, template, name,
build)`, where `build()` runs the page's queries and returns `pages.render_fragment(...)`.

A page's cache key is made of:

- the **data version**: a token replaced after any write to the watched apps — by signals for ORM
  writes (once at once, so a later read in the same transaction sees it, and once more on commit,
  so a page another process built from the data before the commit is not kept), and by
  `data_changed()` (every token) or `pages.changed()` (this one) for bulk and raw writes;
- the **visibility class** of the viewer: staff share one class and administrators another (they
  see every record); anyone else is keyed by their own account and everything the permissions
  read from the viewer, so one member never receives a body built for another;
- the language, time zone and today's date, whether htmx asked for the results only, and the full
  path with its query string.

Only the body is cached: who may see the page (404/403) is decided on every request, and the page
around the body (navigation, messages, language switcher) is rendered per request. A CSRF field
inside a cached body is stored as a placeholder and replaced by the requester's own token.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Iterable
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

from commontable.core.indicators import data_changed, data_version, data_version_and_get
from commontable.core.visibility import viewer_for

# The module of the historical models a data migration writes through.
MIGRATION_MODELS = "__fake__"
# A safety net only: a change replaces the data version at once.
PAGE_SECONDS = 600
# Longer query strings are served but not kept (they would only fill the cache).
MAX_KEPT_PATH = 400
CSRF_PLACEHOLDER = "ct-csrf-9f1c3e7a-placeholder"  # noqa: S105 (replaced by the real token)


@dataclass
class Fragment:
    """A rendered page body and what it needs around it."""

    html: str
    title: str = ""
    status: int = 200
    seconds: int = PAGE_SECONDS


def visibility_class(user) -> str:
    """Who sees the same page as this user: one class per staff role (staff, administrators);
    otherwise the account itself and everything the permissions read from the viewer."""
    viewer = viewer_for(user)
    if viewer.is_staff:
        return f"role={viewer.role}"
    return "|".join(
        [
            f"role={viewer.role}",
            f"user={viewer.user_id or ''}",
            f"person={getattr(viewer, 'person_id', None) or ''}",
            "orgs=" + ",".join(map(str, sorted(getattr(viewer, "organization_ids", ()) or ()))),
            "reps=" + ",".join(map(str, sorted(getattr(viewer, "represented_organization_ids", ()) or ()))),
            "tables=" + ",".join(map(str, sorted(getattr(viewer, "table_ids", ()) or ()))),
        ]
    )


def is_partial(request: HttpRequest) -> bool:
    """Whether htmx asked for the list's results only."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def render_fragment(
    request: HttpRequest, template: str, context: dict, *, title: str = "", status: int = 200, part: str = "content"
) -> Fragment:
    """The page's body (its `part` partial, `content` by default), or its `results` partial for
    htmx, with a CSRF placeholder in place of the user's token."""
    part = "results" if is_partial(request) else part
    html = render_to_string(f"{template}#{part}", {**context, "csrf_token": CSRF_PLACEHOLDER}, request=request)
    return Fragment(html=html, title=str(title), status=status)


class PageCache:
    """The cached bodies of one app's pages, fresh after any write to a model of `watched_apps`
    (app labels) or to one of `watched_models` (model labels, "app.Model")."""

    def __init__(self, label: str, *, watched_apps: Iterable[str] = (), watched_models: Iterable[str] = ()):
        self.label = label
        self.watched_apps = frozenset(watched_apps)
        self.watched_models = frozenset(watched_models)
        self._state_name = f"_ct_pages:{label}"
        # One callable per cache, so that a transaction registers it once however many rows it writes.
        self._after_commit = self.changed

    # --- the data version ------------------------------------------------------------------------

    def changed(self) -> None:
        """Announce a change that signals do not see (a bulk or raw write to watched records)."""
        data_changed(self.label)

    def _on_write(self, sender, using=None, **kwargs) -> None:
        if sender.__module__ == MIGRATION_MODELS:
            return  # a data migration's rows: no page exists yet (nor, maybe, the cache table)
        if sender._meta.app_label not in self.watched_apps and sender._meta.label not in self.watched_models:
            return
        if kwargs.get("action", "post_").startswith("pre_"):
            return  # m2m_changed: only after the change
        connection = connections[using or DEFAULT_DB_ALIAS]
        state = connection.__dict__.setdefault(self._state_name, {"dirty": False})
        if not state["dirty"]:
            self.changed()
            state["dirty"] = True
        if connection.in_atomic_block:
            callback = self._after_commit
            if not any(registered is callback for _sids, registered, _robust in connection.run_on_commit):
                connection.on_commit(callback)
        else:
            state["dirty"] = False

    def connect_signals(self) -> None:
        uid = f"ct-pages-{self.label}"
        post_save.connect(self._on_write, dispatch_uid=f"{uid}-save", weak=False)
        post_delete.connect(self._on_write, dispatch_uid=f"{uid}-delete", weak=False)
        m2m_changed.connect(self._on_write, dispatch_uid=f"{uid}-m2m", weak=False)

    def version_now(self) -> str:
        """The data version, as a page about to be built from the data must read it: any write
        after this moment replaces it."""
        connections[DEFAULT_DB_ALIAS].__dict__.setdefault(self._state_name, {})["dirty"] = False
        return data_version(self.label)

    def version_and_get(self, key: str):
        """`version_now()` and the cache's value under `key`, in one read: for something else
        kept with the version it was worked out at (the directory's viewers)."""
        connections[DEFAULT_DB_ALIAS].__dict__.setdefault(self._state_name, {})["dirty"] = False
        return data_version_and_get([self.label], key)

    # --- keys and pages --------------------------------------------------------------------------

    def key(self, request: HttpRequest, name: str, *extra: str) -> str:
        parts = [
            name,
            self.version_now(),
            visibility_class(request.user),
            get_language() or "",
            timezone.get_current_timezone_name(),
            timezone.localdate().isoformat(),
            "results" if is_partial(request) else "page",
            request.get_full_path(),
            *extra,
        ]
        return f"ct:pages:{self.label}:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def cached_page(
        self,
        request: HttpRequest,
        template: str,
        name: str,
        build: Callable[[], Fragment],
        *,
        cacheable: bool = True,
        per_user: bool = False,
        context: dict | None = None,
    ) -> HttpResponse:
        """Serve the page's body from the cache, or `build()` it (running its queries) and keep
        it; the page around it is rendered from `template` with `cached_content`, `page_title`
        and `context`. `per_user`: the body holds something of the viewer's own (say, whether
        they watch the record), so it is kept for them alone, staff included. Pages with errors
        (status ≠ 200) and unusually long addresses are built every time."""
        extra = (f"user={getattr(request.user, 'pk', None) or ''}",) if per_user else ()
        key = self.key(request, name, *extra) if cacheable else ""
        stored = cache.get(key) if key else None
        if stored is not None:
            body, title, status, seconds = stored
            fragment = Fragment(zlib.decompress(body).decode(), title, status, seconds)
        else:
            fragment = build()
            if key and fragment.status == 200 and len(request.get_full_path()) <= MAX_KEPT_PATH:
                # Compressed: a list's body is 50–100 KB of repetitive HTML, a tenth compressed.
                body = zlib.compress(fragment.html.encode(), 1)
                cache.set(key, (body, fragment.title, fragment.status, fragment.seconds), fragment.seconds)
        html = fragment.html
        if CSRF_PLACEHOLDER in html:
            html = html.replace(CSRF_PLACEHOLDER, get_token(request))
        if is_partial(request):
            response = HttpResponse(html, status=fragment.status)
        else:
            response = render(
                request,
                template,
                {**(context or {}), "cached_content": mark_safe(html), "page_title": fragment.title},  # noqa: S308 (our own rendered template)
                status=fragment.status,
            )
        patch_vary_headers(response, ("HX-Request",))
        return response
