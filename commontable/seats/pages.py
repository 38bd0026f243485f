"""The seats pages' cached bodies (core/page_cache.py, ADR 13): the body list and pages, openings
and the roll-up. They show bodies, seats and terms, the directory's people and places (core), so a
write to either replaces the data version."""

from commontable.core.page_cache import PageCache

PAGES = PageCache("seats.pages", watched_apps={"seats", "directory", "core"})
