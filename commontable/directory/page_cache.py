"""Cached directory pages: the main part of a list or detail page, rendered once per data version
and visibility class, shared by every viewer who would see exactly the same thing (ADR 13).

The mechanism is core's (`core/page_cache.py`, also used by the investment, business, workforce
and displacement pages); this module is the directory's instance of it and the names its views and
tests use. A write to the directory, core's vocabularies or accounts replaces the data version.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from commontable.core.indicators import data_version
from commontable.core.page_cache import (
    CSRF_PLACEHOLDER,
    MAX_KEPT_PATH,
    PAGE_SECONDS,
    Fragment,
    PageCache,
    render_fragment,
    visibility_class,
)

__all__ = [
    "CSRF_PLACEHOLDER",
    "LABEL",
    "MAX_KEPT_PATH",
    "PAGES",
    "PAGE_SECONDS",
    "Fragment",
    "cached_page",
    "connect_signals",
    "data_version",
    "data_version_now",
    "page_key",
    "pages_changed",
    "render_fragment",
    "seconds_until",
    "visibility_class",
]

LABEL = "directory.pages"
WATCHED_APPS = frozenset({"directory", "core", "accounts"})
PAGES = PageCache(LABEL, watched_apps=WATCHED_APPS)


def pages_changed() -> None:
    """Announce a change that signals do not see (a bulk or raw write to directory records)."""
    PAGES.changed()


# What a transaction runs once on commit after writing directory records.
_after_commit = PAGES._after_commit


def connect_signals() -> None:
    PAGES.connect_signals()


def data_version_now() -> str:
    """The directory's data version, as a page about to be built from the data must read it."""
    return PAGES.version_now()


def page_key(request: HttpRequest, name: str) -> str:
    return PAGES.key(request, name)


def seconds_until(moments, seconds: int) -> int:
    """`seconds`, or fewer if one of these moments comes sooner: a page that changes by the clock
    (consent that starts or expires) is kept only until then."""
    now = timezone.now()
    ahead = [(moment - now).total_seconds() for moment in moments if moment is not None and moment > now]
    return max(1, min([seconds, *(int(gap) + 1 for gap in ahead)]))


def cached_page(request: HttpRequest, template: str, name: str, build, **options) -> HttpResponse:
    """Serve a directory page's body from the cache, or build and keep it (core's `cached_page`;
    `cacheable=False` builds every time)."""
    return PAGES.cached_page(request, template, name, build, **options)
