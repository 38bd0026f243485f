"""The seats pages' cached bodies (core/page_cache.py, ADR 13): the body list, openings, the leader
list and the roll-up. They show bodies, seats, terms and leaders (this app), the names of people
(directory) and places and topics (core), so a write to any of those replaces the data version.
Nothing else: the audit log, notifications sent, watches and the rest of the directory are on no
cached seats page, and a write there (every audited action in the platform writes the log) would
otherwise rebuild them all. The roll-up's key also holds the consent ledger's state (selectors)."""

from commontable.core.page_cache import PageCache

PAGES = PageCache("seats.pages", watched_apps={"seats"},
                  watched_models={"directory.Person", "core.Place", "core.IssueTopic"})
