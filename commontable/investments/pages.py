"""The investment watch's cached page bodies (core/page_cache.py, ADR 13): the investment and
commitment lists and pages. They show investments and commitments, the organisations and tables
engaged (directory), places and the audit log (core), and what businesses, workforce and seats add to an
investment's page, so a write to any of those apps replaces the data version."""

from commontable.core.page_cache import PageCache

PAGES = PageCache(
    "investments.pages",
    watched_apps={"investments", "businesses", "workforce", "seats", "directory", "core", "accounts"},
)
