"""The cache kept in the database (ADR 19): Django's `DatabaseCache`, with a cheaper write.

Django's database cache makes every `set()` five round trips: `SELECT COUNT(*)` over the whole
table (to cull it when it holds more than `MAX_ENTRIES`), then, in a transaction, a read of the key
and an `INSERT` or `UPDATE`. A page built afresh after a change writes two or three entries (its
ids, its body, the data version), so on PostgreSQL those writes cost more than the page's own
queries.

Here `set()` is one statement, `INSERT … ON CONFLICT (cache_key) DO UPDATE` (SQLite and
PostgreSQL both have it), and the table is counted on the first write of each cache object and
then on every `CULL_EVERY`-th write only. So the table may hold up to `CULL_EVERY` entries more
than `MAX_ENTRIES` per thread before the oldest-expiring are culled, as Django culls them.
`add()`, `touch()`, reads and deletes are Django's own. On another database the class behaves
exactly as Django's.
"""

from __future__ import annotations

import base64
import pickle
from contextlib import nullcontext
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import DatabaseError, connections, router, transaction
from django.utils.timezone import now as tz_now

# Count the table on one write in this many (and on the first).
CULL_EVERY = 100
UPSERT_VENDORS = frozenset({"sqlite", "postgresql"})


class DatabaseCache(DjangoDatabaseCache):
    """`set()` in one statement; the table counted for culling on one write in `CULL_EVERY`."""

    def __init__(self, table, params):
        super().__init__(table, params)
        self._writes = 0

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if connection.vendor not in UPSERT_VENDORS:
            self._base_set("set", key, value, timeout)
            return
        self._upsert(db, key, value, timeout)

    def _expiry(self, timeout) -> datetime:
        timeout = self.get_backend_timeout(timeout)
        if timeout is None:
            found = datetime.max
        else:
            found = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        return found.replace(microsecond=0)

    def _upsert(self, db: str, key: str, value, timeout) -> bool:
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)
        # The value column holds text: pickled, then base64, as Django's own cache writes it.
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        expires = connection.ops.adapt_datetimefield_value(self._expiry(timeout))
        # Our own table's and columns' quoted names; the values are parameters.
        key_column, value_column, expires_column = quote("cache_key"), quote("value"), quote("expires")
        sql = (
            f"INSERT INTO {table} ({key_column}, {value_column}, {expires_column}) VALUES (%s, %s, %s) "  # noqa: S608
            f"ON CONFLICT ({key_column}) DO UPDATE SET {value_column} = excluded.{value_column}, "
            f"{expires_column} = excluded.{expires_column}"
        )
        try:
            # Inside the caller's transaction, in a savepoint: a failed write must not break it.
            savepoint = transaction.atomic(using=db) if connection.in_atomic_block else nullcontext()
            with savepoint, connection.cursor() as cursor:
                if self._writes % CULL_EVERY == 0:
                    cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (our own table's quoted name)
                    count = cursor.fetchone()[0]
                    if count > self._max_entries:
                        self._cull(db, cursor, tz_now().replace(microsecond=0), count)
                self._writes += 1
                cursor.execute(sql, [key, encoded, expires])  # outside a transaction: committed on its own
        except DatabaseError:
            # As Django's cache: a write may fail (a table being culled by another process) and is
            # then simply not kept.
            return False
        return True
