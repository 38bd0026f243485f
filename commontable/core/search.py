"""Word-prefix full-text search with one interface over two engines.

SQLite (the embedded default) uses an FTS5 external-content table kept in sync by triggers;
PostgreSQL uses a GIN index on a `to_tsvector('simple', …)` expression. Both are maintained by
the database itself, so bulk imports and the demo loader need no extra step, and both answer a
search over 100,000 rows in a few milliseconds where `LIKE '%…%'` scans every row.

Queries are folded like names (case and accents dropped) and every word is a prefix:
"xus cab" finds "Nuur Xuseen Cabdirashiid". User input never reaches the engine's query syntax:
each word is reduced to letters and digits and quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from commontable.core.text import fold_name

MAX_TERMS = 8
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchIndex:
    """Where a model's search index lives and which columns it covers."""

    table: str  # the model's table
    fts_table: str  # SQLite FTS5 table
    sqlite_columns: tuple[str, ...]  # raw columns (FTS5 folds case and accents itself)
    pg_expression: str  # SQL indexed on PostgreSQL; "{t}" stands before each column (the table alias)
    pg_index: str
    # Columns anyone who sees the row may search (e.g. names, not email). Searching the others
    # would let a viewer confirm a contact detail they may not see.
    sqlite_public_columns: tuple[str, ...] = ()
    pg_public_expression: str = ""
    pg_public_index: str = ""
    # PostgreSQL, with public columns: the private columns alone (e.g. email). When set, the
    # full search is "every word in the public or the private index" and `pg_expression` gets no
    # index of its own: two indexes that share no column instead of one that repeats the other's
    # (every row written pays for each index; docs/adr/0014-bulk-people-import.md).
    pg_private_expression: str = ""
    pg_private_index: str = ""


def search_terms(text: str) -> list[str]:
    """The words of a query, folded, at most MAX_TERMS of them."""
    return WORD.findall(fold_name(text or ""))[:MAX_TERMS]


def search_filter(queryset: QuerySet, index: SearchIndex, text: str, *, private: bool = True) -> QuerySet:
    """Rows whose indexed text has every word of `text` as a word prefix. Empty text: unchanged.
    With `private=False` only the index's public columns are searched.

    The match is a self-contained `id IN (subquery)` that names no alias of the outer query, so
    the queryset can itself be used as a subquery (Django re-aliases tables there) and the
    database answers it from the index once, not once per row."""
    terms = search_terms(text)
    if not terms:
        return queryset
    public_only = not private and bool(index.sqlite_public_columns)
    if connection.vendor == "postgresql":
        if not public_only and index.pg_private_expression:
            # Each word in either index: one small bitmap per word and index, OR-ed then AND-ed.
            public = index.pg_public_expression.format(t="")
            private = index.pg_private_expression.format(t="")
            either = (
                f"(to_tsvector('simple', {public}) @@ to_tsquery('simple', %s) "
                f"OR to_tsvector('simple', {private}) @@ to_tsquery('simple', %s))"
            )
            sql = f"SELECT id FROM {index.table} WHERE {' AND '.join([either] * len(terms))}"
            return queryset.filter(pk__in=RawSQL(sql, [f"{term}:*" for term in terms for _side in (1, 2)]))
        expression = (index.pg_public_expression if public_only else index.pg_expression).format(t="")
        sql = f"SELECT id FROM {index.table} WHERE to_tsvector('simple', {expression}) @@ to_tsquery('simple', %s)"
        return queryset.filter(pk__in=RawSQL(sql, [" & ".join(f"{term}:*" for term in terms)]))
    match = " ".join(f'"{term}"*' for term in terms)
    if public_only:
        match = "{" + " ".join(index.sqlite_public_columns) + "} : (" + match + ")"
    sql = f"SELECT rowid FROM {index.fts_table} WHERE {index.fts_table} MATCH %s"
    return queryset.filter(pk__in=RawSQL(sql, [match]))


def create_index_sql(index: SearchIndex, vendor: str) -> list[str]:
    """SQL that creates the index (and, on SQLite, its sync triggers) and fills it."""
    if vendor == "postgresql":
        statements = []
        if index.pg_private_index:
            statements.append(
                f"CREATE INDEX IF NOT EXISTS {index.pg_private_index} ON {index.table} "
                f"USING GIN (to_tsvector('simple', {index.pg_private_expression.format(t='')}))"
            )
        else:
            statements.append(
                f"CREATE INDEX IF NOT EXISTS {index.pg_index} ON {index.table} "
                f"USING GIN (to_tsvector('simple', {index.pg_expression.format(t='')}))"
            )
        if index.pg_public_index:
            statements.append(
                f"CREATE INDEX IF NOT EXISTS {index.pg_public_index} ON {index.table} "
                f"USING GIN (to_tsvector('simple', {index.pg_public_expression.format(t='')}))"
            )
        return statements
    if vendor != "sqlite":
        return []
    cols = ", ".join(index.sqlite_columns)
    new = ", ".join(f"new.{c}" for c in index.sqlite_columns)
    old = ", ".join(f"old.{c}" for c in index.sqlite_columns)
    fts, table = index.fts_table, index.table
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({cols}, content='{table}', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def drop_index_sql(index: SearchIndex, vendor: str) -> list[str]:
    if vendor == "postgresql":
        names = (index.pg_index, index.pg_public_index, index.pg_private_index)
        return [f"DROP INDEX IF EXISTS {name}" for name in names if name]
    if vendor != "sqlite":
        return []
    return [f"DROP TRIGGER IF EXISTS {index.fts_table}_{suffix}" for suffix in ("ai", "ad", "au")] + [
        f"DROP TABLE IF EXISTS {index.fts_table}"
    ]


def index_operations(index: SearchIndex):
    """A migration operation that creates the index on whichever database runs the migration."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        for sql in create_index_sql(index, schema_editor.connection.vendor):
            schema_editor.execute(sql)

    def backwards(apps, schema_editor):
        for sql in drop_index_sql(index, schema_editor.connection.vendor):
            schema_editor.execute(sql)

    return migrations.RunPython(forwards, backwards)
