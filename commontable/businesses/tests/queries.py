"""Counting a page's own queries. Signing in (session, user) and the viewer's organisations and
tables are the directory's business and may come from its cache or not (depending on what was
written since); these tests count the queries the business pages make themselves, which must not
grow with rows."""

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

SIGN_IN_AND_VIEWER = ('"django_session"', 'FROM "accounts_user"', 'FROM "directory_person"', 'FROM "directory_affiliation"',
                      'FROM "directory_tableparticipation"')


def own_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if not any(q["sql"].split(" WHERE ")[0].count(t) for t in SIGN_IN_AND_VIEWER)]


@contextmanager
def assert_own_queries(n: int):
    with CaptureQueriesContext(connection) as context:
        yield context
    mine = own_queries(context.captured_queries)
    assert len(mine) == n, f"expected {n} queries of the page's own, got {len(mine)}:\n" + "\n".join(q[:200] for q in mine)
