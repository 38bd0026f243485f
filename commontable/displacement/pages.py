"""The displacement watch's cached page bodies (core/page_cache.py, ADR 13): the map page and a
tract's page. They show tracts, results and reports (displacement), the planned investments each
viewer may see (investments, with directory and accounts behind who sees what) and places (core),
so a write to any of those apps replaces the data version."""

from commontable.core.page_cache import PageCache

PAGES = PageCache(
    "displacement.pages",
    watched_apps={"displacement", "investments", "directory", "core", "accounts"},
)
