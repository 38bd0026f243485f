"""The business directory's cached page bodies (core/page_cache.py, ADR 13): the business and
opportunity lists and pages. They show businesses and opportunities, the investments those are
on, organisations (directory), places, vocabularies and the audit log (core), so a write to any of
those apps replaces the data version."""

from commontable.core.page_cache import PageCache

PAGES = PageCache(
    "businesses.pages",
    watched_apps={"businesses", "investments", "directory", "core", "accounts"},
)
