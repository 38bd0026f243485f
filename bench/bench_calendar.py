"""Decision calendar at scale: 5,000 decisions on 500 investments, over two years around today.

    .venv/bin/python bench/bench_calendar.py        (or `make bench ONLY=calendar`)

The data is built once into its own SQLite file under `bench/.data/` (bulk inserts, a few seconds)
and reused while this builder is unchanged; pending migrations are applied to it. Three in five
investments are public; decisions are hearings, votes and comment deadlines (one in ten cancelled),
at local times between 8 am and 8 pm in America/Chicago, the UTC moment computed as the service does.

Measured through the whole middleware stack with Django's test client, against the bare view of
`bench_directory` in the same run:

    BENCH calendar.month_page …        the month agenda (this month), as staff and anonymous (its menus
                                       and agenda served from the cache, as on most loads), filtered,
                                       and `…_after_change`: the first load after a write (rebuilt)
    BENCH calendar.feed_all_cached …   the public iCalendar feed served from the cache
    BENCH calendar.feed_all_first …    the same, built with nothing remembered (a fresh worker)
    BENCH calendar.feed_all_after_change …  rebuilt after one decision changed
    BENCH calendar.feed_personal_after_change … a staff member's personal feed (every decision in
                                       the window), rebuilt after one decision changed
    BENCH calendar.feed_304 …          a calendar program asking with the ETag it has

Environment: BENCH_N (requests per page, default 200).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import os
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import bench_directory as base  # noqa: E402  (the baseline view, configuration and timing helpers)

N = int(os.environ.get("BENCH_N", "200"))
INVESTMENTS = 500
DECISIONS = 5_000
STAFF_EMAIL = "staff@bench-calendar.example"


def data_file() -> Path:
    digest = hashlib.sha1(f"{INVESTMENTS}/{DECISIONS}".encode())  # noqa: S324 (a cache key)
    digest.update(inspect.getsource(build).encode())
    return base.DATA / f"calendar-{digest.hexdigest()[:10]}.sqlite3"


def build(database: Path) -> None:
    """Migrate an empty database and fill it with bulk inserts; the `.ok` marker says it is complete."""
    from django.core.management import call_command
    from django.db import connection, transaction

    marker = database.with_suffix(".ok")
    if database.exists() and marker.exists():
        call_command("migrate", verbosity=0)
        return
    for old in base.DATA.glob("calendar-*"):
        old.unlink()
    connection.close()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)

    from commontable.accounts.models import User
    from commontable.core import schedule
    from commontable.core.visibility import Role
    from commontable.directory.choices import OrganizationKind
    from commontable.directory.models import Organization
    from commontable.investments.models import Decision, Investment

    rng = random.Random(2027)
    today = dt.date.today()
    with transaction.atomic():
        User.objects.create_user(STAFF_EMAIL, password="bench-only", role=Role.STAFF)
        bodies = Organization.objects.bulk_create(
            Organization(name=f"Council {i}", slug=f"council-{i}", kind=OrganizationKind.AGENCY) for i in range(40)
        )
        investments = Investment.objects.bulk_create(
            Investment(name=f"Investment {i}", slug=f"investment-{i}", kind="transit_station",
                       visibility="public" if i % 5 < 3 else "members")
            for i in range(INVESTMENTS)
        )
        rows = []
        for i in range(DECISIONS):
            kind = ("hearing", "vote", "comment_deadline")[i % 3]
            on = today + dt.timedelta(days=rng.randint(-120, 600))
            at = dt.time(rng.randint(8, 19), rng.choice((0, 15, 30, 45)))
            deadline_kind = "hard_date" if kind == "comment_deadline" else ""
            rows.append(Decision(
                investment=investments[i % INVESTMENTS], kind=kind, title=f"Decision {i} on the plan",
                body=bodies[i % len(bodies)] if i % 2 else None, body_name="" if i % 2 else "Committee of the whole",
                deadline_kind=deadline_kind, starts_on=on, starts_at_time=at, time_zone="America/Chicago",
                starts_at=schedule.local_to_utc(on, at), location=f"City Hall, room {i % 400}",
                link_url=f"https://example.org/notices/{i}", status="cancelled" if i % 10 == 0 else "scheduled",
            ))
        Decision.objects.bulk_create(rows, batch_size=1000)
    print(f"BENCH calendar.build seconds={time.perf_counter() - started:.1f} decisions={DECISIONS}", flush=True)
    connection.close()
    marker.write_text("built\n")


def line(name: str, result, baseline_p95: float) -> str:
    return base.line(name, result, baseline_p95).replace("BENCH directory.", "BENCH calendar.", 1)


def measure(client, name: str, url: str, baseline_p95: float, before=None, **extra) -> None:
    result = base.timed(client, url, N, before=before)
    if result.skipped:
        print(f"BENCH calendar.{name} skipped reason={result.skipped} url={url}", flush=True)
        return
    words = "".join(f" {key}={value}" for key, value in extra.items())
    print(line(name, result, baseline_p95) + words, flush=True)


def calendar_changed() -> None:
    """As any write to a decision, investment or organisation does: the page's menus and agenda
    are built again on the next load."""
    from commontable.core.indicators import data_changed
    from commontable.investments import calendar

    data_changed(calendar.CALENDAR_LABEL)


def timed_rebuilt(client, url: str, n: int, *, first: bool):
    """The feed built on every request. `first`: nothing remembered at all (the cache and the
    process's serialised events emptied: a fresh worker); otherwise one decision changes before
    each request, as when staff edit one (the feed's cache entry is then stale, the other events'
    bytes are remembered)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from commontable.core import ical
    from commontable.investments.models import Decision

    one = Decision.objects.filter(investment__visibility="public").order_by("pk")[:1]

    def prepare():
        if first:
            cache.clear()
            ical._events.clear()
        else:
            Decision.objects.filter(pk__in=one).update(updated_at=timezone.now())

    n = max(5, n // 4)
    for _ in range(3):
        prepare()
        client.get(url)
    prepare()
    with CaptureQueriesContext(connection) as captured:
        body = client.get(url).content
    queries = len(captured)
    times = []
    for _ in range(n):
        prepare()
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return base.Measured(times, queries), body


def main() -> int:
    base.DATA.mkdir(parents=True, exist_ok=True)
    database = data_file()
    base.configure(database)
    build(database)

    from django.test import Client, override_settings
    from django.urls import reverse

    from commontable.accounts.models import User
    from commontable.core import feeds

    staff = User.objects.get(email=STAFF_EMAIL)
    _token, raw = feeds.feed_token_create(user=staff)
    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(ROOT_URLCONF="bench_directory", STORAGES=plain_static):
        client = Client(raise_request_exception=False)
        client.force_login(staff)
        anonymous = Client(raise_request_exception=False)
        result = base.timed(client, "/__bench__/baseline/", N)
        if result.skipped:
            print(f"BENCH calendar.baseline failed reason={result.skipped}", flush=True)
            return 1
        baseline_p95 = base.p95(result.times)
        print(line("baseline", result, baseline_p95), flush=True)

        month = reverse("investments:decision_calendar")
        measure(client, "month_page_staff", month, baseline_p95)
        measure(anonymous, "month_page_anonymous", month, baseline_p95)
        measure(client, "month_page_filtered", month + "?kind=hearing&body=council-3", baseline_p95)
        measure(client, "month_page_staff_after_change", month, baseline_p95, before=calendar_changed)
        measure(anonymous, "month_page_anonymous_after_change", month, baseline_p95, before=calendar_changed)

        public_feed = reverse("investments:decision_feed_public")
        body = anonymous.get(public_feed).content
        measure(anonymous, "feed_all_cached", public_feed, baseline_p95, bytes=len(body),
                events=body.count(b"BEGIN:VEVENT"))
        personal = reverse("investments:decision_feed_personal", args=[raw])
        for name, url, first in (("feed_all_first", public_feed, True), ("feed_all_after_change", public_feed, False),
                                 ("feed_personal_after_change", personal, False)):
            result, body = timed_rebuilt(anonymous, url, N, first=first)
            print(line(name, result, baseline_p95) + f" bytes={len(body)} events={body.count(b'BEGIN:VEVENT')}",
                  flush=True)
        etag = anonymous.get(public_feed)["ETag"]
        conditional = Client(raise_request_exception=False, headers={"If-None-Match": etag})
        status = conditional.get(public_feed).status_code
        measure(conditional, "feed_304", public_feed, baseline_p95, status=status) if status == 200 else None
        if status == 304:
            times = []
            for _ in range(N):
                started = time.perf_counter()
                conditional.get(public_feed)
                times.append((time.perf_counter() - started) * 1000)
            print(line("feed_304", base.Measured(times, 1), baseline_p95), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
