"""The workforce pages' cached bodies (core/page_cache.py, ADR 13): the overview and an
investment's goals and hours. They show goals and hours, the investments they are on, and places
and the audit log (core); hours imports are bulk writes and announce themselves with
`data_changed()`. A write to any of those apps replaces the data version."""

from commontable.core.page_cache import PageCache

PAGES = PageCache(
    "workforce.pages",
    watched_apps={"workforce", "investments", "directory", "core", "accounts"},
)
