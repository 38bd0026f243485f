"""Reading and writing many rows at once, for imports: look-ups that split long `IN` lists,
and inserts from plain values (with their django-simple-history records) that skip model
instances and the ORM's statement assembly — the difference between an import of 100,000 people
taking seconds or minutes (docs/adr/0003-imports.md)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import F, Func, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone

WRITE_BATCH = 1000
ARRAY_LOOKUP_MIN = 1000  # values from which `lookup_in` sends one array instead of `IN (…)` lists


SQLITE_IMPORT_CACHE_KIB = 131_072  # page cache while an import writes (SQLite's default is 2 MiB)


@contextmanager
def bulk_session(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Settings for one connection while an import reads and writes many rows. On SQLite, a page
    cache large enough to hold the tables and indexes an import touches: with the default 2 MiB,
    inserting 100,000 people into a directory of 100,000 reads the same index pages back from
    the operating system over and over. The previous size is restored afterwards (the connection
    may serve requests next). Transactions, and so all-or-nothing, are untouched."""
    conn = connections[using]
    if conn.vendor != "sqlite":
        yield
        return
    with conn.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{int(SQLITE_IMPORT_CACHE_KIB)}")
    try:
        yield
    finally:
        with conn.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def lookup_in(queryset, field_name: str, values: Iterable) -> list:
    """`queryset.filter(<field>__in=values)` for any number of values, in as few queries as the
    database allows. A long list of whole numbers or texts goes as one parameter — a JSON array
    read by `json_each` on SQLite, an array on PostgreSQL — so that 100,000 emails cost one short
    statement instead of ten with 10,000 placeholders each; a short list (or another database)
    goes as `IN (…)` in parts small enough for the database's limit on parameters."""
    values = sorted({v for v in values if v is not None and v != ""}, key=str)
    if not values:
        return []
    queryset = queryset.order_by()  # a look-up: the model's ordering would only cost a sort (or a join)
    conn = connections[queryset.db]
    if len(values) >= ARRAY_LOOKUP_MIN and conn.vendor in ("sqlite", "postgresql"):
        kinds = {type(v) for v in values}
        if kinds == {int} or kinds == {str}:
            if conn.vendor == "sqlite":
                inner = RawSQL("SELECT value FROM json_each(%s)", [json.dumps(values)])
                return list(queryset.filter(**{f"{field_name}__in": inner}))
            # `column = ANY(array)`, not `IN (SELECT unnest(array))`: a join with the unnested
            # array is planned from the table's statistics, and right after an import (before
            # autovacuum has analysed it) PostgreSQL took 66,000 new consent rows for one and
            # compared each with all 100,000 ids. ANY is a hashed or index look-up whatever the
            # statistics say.
            cast = "bigint" if kinds == {int} else "text"
            return list(queryset.filter(_EqualsAny(F(field_name), Value(values), cast=cast)))
    limit = conn.features.max_query_params or 10_000
    size = max(100, min(limit - 50, 10_000))
    results: list = []
    for part in chunks(values, size):
        results.extend(queryset.filter(**{f"{field_name}__in": part}))
    return results


class _EqualsAny(Func):
    """`<column> = ANY(<array>::<cast>[])` (PostgreSQL), as a filter condition."""

    output_field = models.BooleanField()

    def __init__(self, column, array, *, cast: str):
        super().__init__(column, array)
        self.cast = cast

    def as_sql(self, compiler, connection, **extra_context):
        column, array = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        array_sql, array_params = compiler.compile(array)
        # `cast` is one of two fixed type names; values are bound.
        return f"{column_sql} = ANY({array_sql}::{self.cast}[])", (*column_params, *array_params)


def _column_converter(field, conn):
    """The function that turns a Python value into what the database driver takes for `field`,
    or None when the value goes as it is. Timestamps repeat across an import (one `now`, one
    `today`), so the last conversion is remembered."""
    if isinstance(field, (models.CharField, models.TextField)) and not field.null:
        return None
    if isinstance(field, (models.BooleanField, models.IntegerField, models.ForeignKey)):
        return None  # ints and bools (and None) go through every driver as they are
    if isinstance(field, models.DateTimeField):
        adapt = conn.ops.adapt_datetimefield_value
    elif isinstance(field, models.DateField):
        adapt = conn.ops.adapt_datefield_value
    elif isinstance(field, models.UUIDField) and not conn.features.has_native_uuid_field:
        return lambda value: None if value is None else value.hex
    else:
        return lambda value: field.get_db_prep_save(value, conn)
    last: list = [object(), None]

    def convert(value):
        if value is not last[0]:
            last[0], last[1] = value, adapt(value)
        return last[1]

    return convert


def insert_rows(model, rows: Sequence[dict], *, batch_size: int = WRITE_BATCH) -> list[dict]:
    """Insert many rows of `model` from dicts of attribute values (`organization_id`, not
    `organization`), filling every other column with its default, and return the dicts completed
    (defaults, timestamps and the new primary key).

    This is `bulk_create` without model instances: for an import of 100,000 people, building the
    instances and letting the ORM assemble the INSERT statements takes most of the time (see
    docs/adr/0003-imports.md). No signals are sent and `save()` is not called — exactly as with
    `bulk_create`. On PostgreSQL the rows go by `COPY … FROM STDIN` with keys taken from the
    table's sequence first (`copy_rows`); elsewhere by `INSERT … RETURNING` (SQLite ≥ 3.35)."""
    if not rows:
        return []
    conn = connections[DEFAULT_DB_ALIAS]  # the proxy `connection` costs a lookup per use
    meta = model._meta
    pk = meta.pk
    if conn.vendor == "postgresql" and USE_COPY and isinstance(pk, models.AutoField):
        return copy_rows(model, rows)
    if not conn.features.can_return_rows_from_bulk_insert:
        raise NotImplementedError("insert_rows needs INSERT … RETURNING")
    fields = [f for f in meta.concrete_fields if f is not pk or not isinstance(pk, models.AutoField)]
    constants, generated, attnames, converters = _row_plan(fields, conn)
    quote = conn.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    limit = conn.features.max_query_params or 65_535
    size = max(1, min(batch_size, (limit - 1) // len(fields)))
    done: list[dict] = []
    # PostgreSQL without COPY takes one array per column (INSERT … SELECT FROM unnest), as
    # Django's own bulk_create does there: a short statement instead of one with tens of
    # thousands of placeholders for the driver to parse. JSON and array columns keep VALUES.
    casts = [f.db_type(conn) for f in fields] if conn.vendor == "postgresql" else []
    if casts and all(cast and "json" not in cast and "[" not in cast for cast in casts):
        arrays = ", ".join(f"%s::{cast}[]" for cast in casts)
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT * FROM unnest({arrays}) RETURNING {quote(pk.column)}"  # noqa: S608
        size = 10_000
    else:
        sql = ""
    # The driver's cursor itself: Django's debug cursor would keep (and first quote) every
    # parameter of every statement, which costs more than the insert when DEBUG is on. Its
    # errors are still raised as Django's (IntegrityError, DataError…), as callers expect.
    with conn.cursor() as wrapper, conn.wrap_database_errors:
        cursor = wrapper.cursor
        for part in chunks(rows, size):
            params: list = []
            for row in part:
                full = constants.copy()
                for attname, make in generated:
                    if attname not in row:
                        full[attname] = make()
                full.update(row)
                values = [full[attname] for attname in attnames]
                for i, convert in converters:
                    values[i] = convert(values[i])
                params.append(values)
                done.append(full)
            if sql:
                cursor.execute(sql, [list(column) for column in zip(*params, strict=True)])
            else:
                # Only quoted identifiers from the model's metadata are formatted in; values are bound.
                values_sql = ", ".join([placeholder] * len(part))
                statement = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {values_sql} RETURNING {quote(pk.column)}"  # noqa: S608
                cursor.execute(statement, [value for values in params for value in values])
            for full, (key,) in zip(done[len(done) - len(part) :], cursor.fetchall(), strict=True):
                full[pk.attname] = key
    return done


# PostgreSQL: write new rows with COPY (the tests turn it off to compare with INSERT).
USE_COPY = True


def copy_rows(model, rows: Sequence[dict]) -> list[dict]:
    """`insert_rows` on PostgreSQL: the new primary keys are taken from the table's sequence in
    one query, then every row goes through one `COPY … FROM STDIN` in the current transaction —
    no statement to parse, no parameters to quote, no RETURNING. COPY writes the same columns,
    defaults and constraints as INSERT (and fires the same triggers); a failing row aborts the
    COPY and with it the transaction, so nothing is half written."""
    from psycopg.copy import QueuedLibpqWriter  # PostgreSQL's driver, only needed here

    conn = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    pk = meta.pk
    fields = [pk, *(f for f in meta.concrete_fields if f is not pk)]
    constants, generated, attnames, converters = _row_plan(fields, conn)
    quote = conn.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    done: list[dict] = []
    with conn.cursor() as wrapper, conn.wrap_database_errors:
        cursor = wrapper.cursor
        keys = _take_keys(cursor, quote(meta.db_table), pk.column, len(rows))
        # Only quoted identifiers from the model's metadata are formatted in; values are streamed.
        # The queued writer sends from a thread of its own, so that the server takes in (and
        # indexes) one part of the rows while this thread formats the next.
        copy_sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        with cursor.copy(copy_sql, writer=QueuedLibpqWriter(cursor)) as copy:
            write = copy.write_row
            pk_name = pk.attname
            for row, key in zip(rows, keys, strict=True):
                full = constants.copy()
                for attname, make in generated:
                    if attname not in row:
                        full[attname] = make()
                full.update(row)
                full[pk_name] = key
                values = [full[attname] for attname in attnames]
                for i, convert in converters:
                    values[i] = convert(values[i])
                write(values)
                done.append(full)
    return done


# Keys from the sequence: when they come back contiguous (no other session took one meanwhile,
# the usual case) only the first and the count cross the wire, not one row per key.
_TAKE_KEYS_SQL = """
WITH taken AS (SELECT nextval(pg_get_serial_sequence(%s, %s)) AS key FROM generate_series(1, %s))
SELECT min(key), max(key),
       CASE WHEN max(key) - min(key) + 1 = count(*) THEN NULL ELSE array_agg(key ORDER BY key) END
FROM taken
"""


def _take_keys(cursor, table: str, column: str, count: int) -> Sequence[int]:
    if not count:
        return []
    cursor.execute(_TAKE_KEYS_SQL, [table, column, count])
    first, last, scattered = cursor.fetchone()
    return scattered if scattered is not None else range(first, last + 1)


def _row_plan(fields, conn):
    """For writing rows of these fields from dicts: the values every row gets unless it gives one
    (timestamps: now), the defaults made afresh for each row, the attribute names in column order
    and the (column index, converter) pairs for the columns the driver cannot take as they are."""
    now = timezone.now()
    constants: dict[str, object] = {}
    generated: list[tuple[str, Callable[[], object]]] = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            constants[f.attname] = now
        elif f.primary_key and isinstance(f, models.AutoField):
            constants[f.attname] = None
        elif f.has_default() and callable(f.default):
            generated.append((f.attname, f.default))
        else:
            constants[f.attname] = f.get_default()
    attnames = [f.attname for f in fields]
    converters = [
        (i, convert) for i, f in enumerate(fields) if (convert := _column_converter(f, conn)) is not None
    ]
    return constants, generated, attnames, converters


def insert_history(model, keys: Sequence, *, history_type: str, user, reason: str) -> None:
    """Write django-simple-history records for the rows of `model` with these primary keys, as
    they now are in the database: the records `bulk_create_with_history` would write, copied by
    the database itself (one INSERT … SELECT per batch) instead of through Python objects."""
    if not keys:
        return
    conn = connections[DEFAULT_DB_ALIAS]
    history_model = model.history.model
    quote = conn.ops.quote_name
    pk = model._meta.pk
    target_columns, source_columns = [], []
    for f in history_model._meta.concrete_fields:
        if f.attname.startswith("history_"):
            continue
        target_columns.append(quote(f.column))
        source_columns.append(quote(model._meta.get_field(f.name).column))
    fixed = {
        "history_date": timezone.now(),
        "history_type": history_type,
        "history_change_reason": reason[:100],
        "history_user_id": getattr(user, "pk", None),
    }
    params_head = []
    for attname, value in fixed.items():
        field = history_model._meta.get_field(
            attname.removesuffix("_id") if attname.endswith("_id") else attname
        )
        target_columns.append(quote(field.column))
        params_head.append(field.get_db_prep_save(value, conn) if attname == "history_date" else value)
    if conn.vendor == "postgresql":
        match = f"{quote(pk.column)} = ANY(%s)"
    else:  # SQLite: one JSON array parameter instead of one parameter per key
        match = f"{quote(pk.column)} IN (SELECT value FROM json_each(%s))"  # noqa: S608
    # Only quoted identifiers from the models' metadata are formatted in; values are bound.
    into = f"{quote(history_model._meta.db_table)} ({', '.join(target_columns)})"
    select = f"{', '.join(source_columns)}, {', '.join(['%s'] * len(params_head))}"
    sql = f"INSERT INTO {into} SELECT {select} FROM {quote(model._meta.db_table)} WHERE {match}"  # noqa: S608
    with conn.cursor() as wrapper, conn.wrap_database_errors:
        for part in chunks(list(keys), 50_000):
            batch = list(part) if conn.vendor == "postgresql" else json.dumps(list(part))
            wrapper.cursor.execute(sql, [*params_head, batch])
