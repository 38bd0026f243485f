"""The database cache's one-statement write (ADR 19), on the test run's own database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from commontable.core import cache as db_cache
from commontable.core.cache import DatabaseCache

TABLE = "ct_test_cache"


@pytest.fixture
def table(settings):
    settings.CACHES = {"default": settings.CACHES["default"],
                       "db": {"BACKEND": "commontable.core.cache.DatabaseCache", "LOCATION": TABLE}}
    call_command("createcachetable", verbosity=0)
    return TABLE


def make(max_entries: int = 300, **options) -> DatabaseCache:
    return DatabaseCache(TABLE, {"OPTIONS": {"MAX_ENTRIES": max_entries, **options}})


def rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(TABLE)}")  # noqa: S608
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_value_is_written_replaced_and_read_back(table):
    cache = make()
    cache.set("k", {"ids": [3, 1, 2]}, 60)
    assert cache.get("k") == {"ids": [3, 1, 2]}
    cache.set("k", "second", 60)  # the same key again: replaced, not a second row
    assert cache.get("k") == "second"
    assert rows() == 1
    cache.set("forever", b"\x00bytes", None)
    assert cache.get("forever") == b"\x00bytes"
    cache.set_many({"a": 1, "b": 2}, 60)
    assert cache.get_many(["a", "b", "k"]) == {"a": 1, "b": 2, "k": "second"}


@pytest.mark.django_db
def test_an_expired_value_is_not_read(table, monkeypatch):
    cache = make()
    cache.set("gone", "old", 1)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
    monkeypatch.setattr("django.core.cache.backends.db.tz_now", lambda: later)
    assert cache.get("gone") is None
    assert cache.get("gone", "fallback") == "fallback"


@pytest.mark.django_db
def test_djangos_other_operations_still_work_beside_it(table):
    cache = make()
    cache.set("k", 1, 60)
    assert cache.add("k", 2, 60) is False  # present: not replaced
    assert cache.add("new", 3, 60) is True
    assert cache.touch("k", 120) is True
    assert cache.incr("k") == 2
    cache.delete("k")
    assert cache.get("k") is None
    assert cache.get("new") == 3


@pytest.mark.django_db
def test_a_write_is_one_statement_and_the_table_is_counted_now_and_then(table, monkeypatch):
    monkeypatch.setattr(db_cache, "CULL_EVERY", 3)
    cache = make()
    counted = []
    for n in range(7):
        with CaptureQueriesContext(connection) as captured:
            cache.set(f"k{n}", n, 60)
        sqls = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"].upper()]
        counted.append(any("COUNT(*)" in sql for sql in sqls))
        assert sum("INSERT INTO" in sql for sql in sqls) == 1
        assert len(sqls) == (2 if counted[-1] else 1)
    assert counted == [True, False, False, True, False, False, True]


@pytest.mark.django_db
def test_the_table_is_culled_when_counted_over_its_limit(table, monkeypatch):
    monkeypatch.setattr(db_cache, "CULL_EVERY", 5)
    cache = make(max_entries=10, CULL_FREQUENCY=2)
    for n in range(60):
        cache.set(f"k{n}", n, 60)
        # Never more than the limit plus the writes between two counts (and the one written).
        assert rows() <= 10 + 5 + 1
    assert cache.get("k59") == 59  # the newest survive a cull


@pytest.mark.django_db
def test_a_failed_write_inside_a_transaction_leaves_the_transaction_usable(table):
    broken = DatabaseCache("ct_no_such_cache_table", {})
    cache = make()
    with transaction.atomic():
        broken.set("k", 1, 60)  # the table does not exist: not kept, no error raised
        cache.set("k", 2, 60)  # the transaction goes on
        assert cache.get("k") == 2


def test_the_production_settings_use_it():
    import config.settings as production

    assert production.CACHES["default"]["BACKEND"] == "commontable.core.cache.DatabaseCache"
