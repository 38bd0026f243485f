"""`core.bulk`: look-ups by one array parameter, and the SQLite page cache an import borrows."""

import pytest
from django.db import connection

from commontable.core import bulk
from commontable.core.bulk import bulk_session, lookup_in
from commontable.core.models import IssueTopic

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics():
    return IssueTopic.objects.bulk_create([IssueTopic(slug=f"t{n}", name=f"T{n}") for n in range(250)])


def test_a_long_list_goes_as_one_array_parameter(topics, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(bulk, "ARRAY_LOOKUP_MIN", 10)
    wanted = [f"t{n}" for n in range(0, 250, 2)] + ["nope", "", None, "t0"]
    with django_assert_num_queries(1):
        found = lookup_in(IssueTopic.objects.all(), "slug", wanted)
    assert sorted(t.slug for t in found) == sorted(f"t{n}" for n in range(0, 250, 2))
    keys = [t.pk for t in topics[:100]]
    with django_assert_num_queries(1):
        found = lookup_in(IssueTopic.objects.values_list("pk", flat=True), "pk", keys)
    assert sorted(found) == sorted(keys)


def test_mixed_values_and_short_lists_go_as_in_lists(topics, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(bulk, "ARRAY_LOOKUP_MIN", 10)
    with django_assert_num_queries(1):
        assert len(lookup_in(IssueTopic.objects.all(), "slug", ["t1", "t2"])) == 2
    with django_assert_num_queries(1):  # texts and numbers together: not one typed array
        assert len(lookup_in(IssueTopic.objects.all(), "pk", [topics[0].pk, *[str(t.pk) for t in topics[1:20]]])) == 20


def test_values_that_need_quoting_are_found(monkeypatch):
    monkeypatch.setattr(bulk, "ARRAY_LOOKUP_MIN", 2)
    odd = ['quote\'s', 'double"quote', "back\\slash", "comma,brace}{", "ñandú", "NULL"]
    IssueTopic.objects.bulk_create([IssueTopic(slug=f"s{n}", name=name) for n, name in enumerate(odd)])
    assert sorted(t.name for t in lookup_in(IssueTopic.objects.all(), "name", odd)) == sorted(odd)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite setting")
def test_bulk_session_borrows_a_page_cache_and_gives_it_back(db):
    def cache_size():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return cursor.fetchone()[0]

    before = cache_size()
    with bulk_session():
        assert cache_size() == -bulk.SQLITE_IMPORT_CACHE_KIB
    assert cache_size() == before
    with pytest.raises(RuntimeError), bulk_session():
        raise RuntimeError
    assert cache_size() == before


def test_database_errors_from_the_drivers_cursor_are_djangos():
    from django.db import IntegrityError

    from commontable.core.bulk import insert_rows

    IssueTopic.objects.create(slug="taken", name="Taken")
    with pytest.raises(IntegrityError):  # not sqlite3's or psycopg's own exception
        insert_rows(IssueTopic, [{"slug": "taken", "name": "Again"}])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY and sequences are PostgreSQL's")
def test_copy_takes_every_key_even_when_the_sequence_hands_them_out_scattered():
    table = IssueTopic._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        (sequence,) = cursor.fetchone()
        keys = bulk._take_keys(cursor.cursor, table, "id", 3)
        assert list(keys) == list(range(keys[0], keys[0] + 3))  # contiguous: a range, no array
        # Another session taking keys meanwhile leaves gaps; an increment of 2 does the same.
        cursor.execute(f"ALTER SEQUENCE {sequence} INCREMENT BY 2")  # noqa: S608 (name from the catalog)
        scattered = bulk._take_keys(cursor.cursor, table, "id", 3)
        assert list(scattered) == [scattered[0], scattered[0] + 2, scattered[0] + 4]
        assert bulk._take_keys(cursor.cursor, table, "id", 0) == []
    rows = bulk.insert_rows(IssueTopic, [{"slug": f"c{n}", "name": f"C{n}"} for n in range(5)])
    stored = dict(IssueTopic.objects.filter(slug__startswith="c").values_list("slug", "pk"))
    assert {row["slug"]: row["id"] for row in rows} == stored
    assert len(set(stored.values())) == 5
