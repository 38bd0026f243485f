"""Seats at decision tables at the issue's scale: 2,000 public bodies, 30,000 seats, 200,000 terms.

    .venv/bin/python bench/bench_seats.py        (or `make bench ONLY=seats`)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anything .venv/bin/python bench/bench_seats.py

The data is built once and reused while this builder is unchanged (pending migrations are applied
to it): on SQLite into its own file under `bench/.data/`; with a PostgreSQL `DATABASE_URL`, into a
database of its own on that server, `ct_bench_seats` (dropped and made again when the builder
changes; the database named in the URL is not touched). A small demo coalition (5,000 people, 200
organisations, the demo logins) comes first; then, with bulk inserts, 60 jurisdictions, 2,000 bodies
(five in six public, one in ten for members, the rest staff-only; one in fifty dissolved) with one to
three topics, 5 to 25 seats each (30,000), and 200,000 terms: every seat's history ends today held
(three in four), ending within 90 days, in holdover, vacant after a resignation or an ended term,
never filled, or ex officio with no end. `occupied_until` and `fills_vacancy` are worked out per
seat with `terms.occupancy` and `terms.fills_vacancy`, as the services keep them. 1,500 of the
people are leaders (half consenting to be counted), 1,000 of them holding one of today's seats, with
3,000 nominations.

Pages and API endpoints go through the whole middleware stack with Django's test client, against
the bare view of `bench_directory` measured in the same run with the same client, signed in as
staff (who see everything, the largest answers), except the roll-up, as the demo's member login:

    BENCH seats.body_list p50_ms=… p95_ms=… baseline_p95_ms=… ratio=… queries=… n=… limit_ms=50

A page served from the page cache (ADR 13) is measured as most loads are, then as `<page>_cold`,
the first load after a change (the data version replaced before every request). Targets (issue
8): list and detail pages and the "ending soon" view p95 ≤ 50 ms with a constant number of queries.

Environment: BENCH_N (requests per page, default 200); BENCH_ONLY=openings,rollup (only the pages
whose names start so); the bare view is measured again at the end (`baseline_end`: a shared
machine's speed drifts during a run). BENCH_EXPLAIN=1 also prints, for each
page's first load after a change, its slowest queries with the database's plan (lines starting
with `#`).
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
EXPLAIN = os.environ.get("BENCH_EXPLAIN") == "1"
BODIES = 2_000
SEATS = 30_000
TERMS = 200_000
PEOPLE, ORGANIZATIONS = 5_000, 200
LEADERS, LEADER_SEATS, NOMINATIONS = 1_500, 1_000, 3_000
EXTRA_PLACES = 32
BUILD_VERSION = "1"
PG_DATABASE = "ct_bench_seats"
LIMIT_MS = 50
# Where a history ends today, with its share of the seats.
SCENARIOS = {"held": 0.74, "ending": 0.06, "holdover": 0.04, "resigned": 0.04, "ended": 0.04, "never": 0.02,
             "ex_officio": 0.06}


def digest() -> str:
    found = hashlib.sha1(f"{BODIES}/{SEATS}/{TERMS}/{PEOPLE}/{LEADERS}/{BUILD_VERSION}".encode())  # noqa: S324
    found.update((inspect.getsource(build_data) + inspect.getsource(history)).encode())
    return found.hexdigest()[:10]


def configure() -> tuple[str, Path]:
    """SQLite file or the PostgreSQL bench database, and the marker that says the data is complete."""
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql://")):
        server = given.rsplit("/", 1)[0]
        marker = base.DATA / f"seats-pg-{digest()}.ok"
        if not (marker.exists() and marker.read_text().strip() == server):
            _recreate_postgres(server)
            for old in base.DATA.glob("seats-pg-*.ok"):
                old.unlink()
        os.environ["DATABASE_URL"] = f"{server}/{PG_DATABASE}"
        _django_setup()
        return "postgresql", marker
    database = base.DATA / f"seats-{digest()}.sqlite3"
    marker = database.with_suffix(".ok")
    if not (database.exists() and marker.exists()):
        for old in base.DATA.glob("seats-*.sqlite3*"):
            old.unlink()
        for old in base.DATA.glob("seats-[0-9a-f]*.ok"):
            old.unlink()
    base.configure(database)
    return "sqlite", marker


def _recreate_postgres(server: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}"')
        admin.execute(f'CREATE DATABASE "{PG_DATABASE}"')


def _django_setup() -> None:
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only-key-0123456789abcdefghijklmnopqrstuvwxyz")
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["SECURE_COOKIES"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()


# --- building ------------------------------------------------------------------------------------


DAY = dt.timedelta(days=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - DAY).day
    return dt.date(year, month, min(day.day, last))


def history(rng: random.Random, scenario: str, months: int, holdover: bool, count: int, today: dt.date,
            dissolved: dt.date | None) -> list[tuple[dt.date, dt.date | None, dt.date | None]]:
    """`count` terms of one seat, oldest first, as (starts_on, ends_on, left_on), ending today as
    the scenario says (the demo's shapes: back to back, holdovers replaced later, resignations)."""
    if count == 0:
        return []
    if scenario == "ex_officio":
        start = today - rng.randint(100, 1400) * DAY
        spans = [(start, None, None)]
        for _n in range(count - 1):
            earlier = start - rng.randint(400, 1500) * DAY
            spans.insert(0, (earlier, None, start - DAY))
            start = earlier
        return spans
    length = months * 30
    if dissolved is not None:
        ends = dissolved
        start = _add_months(ends + DAY, -months)
        left = None
    elif scenario == "ending":
        ends = today + rng.randint(1, 89) * DAY
        start, left = _add_months(ends + DAY, -months), None
    elif scenario == "holdover":
        ends = today - rng.randint(10, 300) * DAY
        start, left = _add_months(ends + DAY, -months), None
    elif scenario == "resigned":
        start = today - rng.randint(150, max(151, length - 30)) * DAY
        ends, left = _add_months(start, months) - DAY, today - rng.randint(5, 140) * DAY
    elif scenario == "ended":
        ends = today - rng.randint(5, 200) * DAY
        start, left = _add_months(ends + DAY, -months), None
    else:
        start = today - rng.randint(1, max(2, length - 100)) * DAY
        ends, left = _add_months(start, months) - DAY, None
    spans = [(start, ends, left)]
    for _n in range(count - 1):
        following = spans[0][0]
        roll = rng.random()
        if roll < 0.7:
            ends, left = following - DAY, None
            start = _add_months(ends + DAY, -months)
        elif roll < 0.85 and holdover:
            ends, left = following - DAY - rng.randint(10, 120) * DAY, None
            start = _add_months(ends + DAY, -months)
        else:
            left = following - DAY - rng.randint(15, 150) * DAY
            start = left - rng.randint(120, max(121, length - 20)) * DAY
            ends = _add_months(start, months) - DAY
        spans.insert(0, (start, ends, left))
    return spans


def _spread(rng: random.Random, n: int, total: int, low: int, high: int) -> list[int]:
    """n counts between low and high that add up to total."""
    counts = [rng.randint(low, high) for _ in range(n)]
    gap = total - sum(counts)
    while gap:
        i = rng.randrange(n)
        step = 1 if gap > 0 else -1
        if low <= counts[i] + step <= high:
            counts[i] += step
            gap -= step
    return counts


def build_data() -> None:
    """Everything above the small demo coalition, in bulk, in one transaction."""
    from django.db import transaction
    from django.utils import timezone

    from commontable.core.deadlines import DeadlineKind
    from commontable.core.models import IssueTopic, Place
    from commontable.core.visibility import Visibility
    from commontable.directory.choices import ConsentPurpose, MembershipStatus
    from commontable.directory.models import ConsentRecord, Organization, Person
    from commontable.seats import services, terms
    from commontable.seats.choices import BodyKind, NominationOutcome, Readiness, SeatType, SelfIdentification
    from commontable.seats.models import Leader, Nomination, PublicBody, Seat, Term

    rng = random.Random(808)
    today = timezone.localdate()  # the pages' today (America/Chicago)
    places = list(Place.objects.exclude(kind=Place.Kind.TRACT))
    places += Place.objects.bulk_create(
        Place(slug=f"bench-city-{n}", name=f"Bench City {n}", kind=Place.Kind.CITY) for n in range(EXTRA_PLACES))
    topics = list(IssueTopic.objects.all())
    kinds = list(BodyKind.values)
    words = {"council": "Council", "commission": "Commission", "advisory_committee": "Advisory Committee",
             "board": "Board", "task_force": "Task Force", "other": "Panel"}
    subjects = ["Planning", "Housing", "Transit", "Climate", "Public Health", "Workforce", "Parks", "Water",
                "Human Rights", "Budget", "Library", "Energy", "Education", "Transportation", "Zoning"]
    with transaction.atomic():
        body_rows = []
        for n in range(BODIES):
            place, kind = rng.choice(places), rng.choice(kinds)
            roll = rng.random()
            body_rows.append(PublicBody(
                name=f"{place.name} {rng.choice(subjects)} {words[kind]} {n}", slug=f"bench-body-{n}",
                jurisdiction=place, kind=kind, appointing_authority="The city council",
                description="A public body the coalition follows. " * 3, meeting_location="City hall, room 100",
                meeting_frequency="monthly", meeting_weekdays=str(rng.randint(0, 4)), meeting_nth="1,3",
                first_meeting_on=today - 400 * DAY, meeting_starts_at=dt.time(18, 0), meeting_ends_at=dt.time(20, 0),
                visibility=Visibility.PUBLIC if roll < 0.85 else Visibility.MEMBERS if roll < 0.95 else Visibility.STAFF,
                dissolved_on=today - rng.randint(30, 900) * DAY if rng.random() < 0.02 else None))
        bodies = PublicBody.objects.bulk_create(body_rows, batch_size=1000)
        links = PublicBody.topics.through
        links.objects.bulk_create(
            (links(publicbody_id=body.pk, issuetopic_id=topic.pk)
             for body in bodies for topic in rng.sample(topics, rng.randint(1, 3))), batch_size=5000)

        seat_counts = _spread(rng, BODIES, SEATS, 5, 25)
        seat_rows, plans = [], []
        kinds_of_deadline = list(DeadlineKind.values)
        for body, count in zip(bodies, seat_counts, strict=True):
            for position in range(1, count + 1):
                scenario = rng.choices(list(SCENARIOS), list(SCENARIOS.values()))[0]
                if body.dissolved_on is not None:
                    scenario = "held"
                months = rng.choice([12, 24, 36, 36, 48])
                holdover = scenario == "holdover" or (scenario not in ("ended",) and rng.random() < 0.7)
                deadline_kind = deadline_on = None
                if scenario in ("resigned", "ended", "never", "ending", "holdover") and rng.random() < 0.8:
                    deadline_kind = rng.choice(kinds_of_deadline)
                    if deadline_kind in (DeadlineKind.HARD_DATE, DeadlineKind.REVIEW_BEGINS):
                        deadline_on = today + rng.randint(-10, 60) * DAY
                ex_officio = scenario == "ex_officio"
                seat_rows.append(Seat(
                    body=body, name=f"Seat {position}", position=position,
                    seat_type=SeatType.EX_OFFICIO if ex_officio else rng.choice(
                        [SeatType.APPOINTED, SeatType.APPOINTED, SeatType.ELECTED, SeatType.DESIGNATED]),
                    constituency="A renter in the city" if position % 5 == 0 else "",
                    eligibility="Lives in the city.", term_length_months=None if ex_officio else months,
                    holdover_allowed=holdover, deadline_kind=deadline_kind or "", deadline_on=deadline_on))
                plans.append((scenario, months, holdover, body.dissolved_on))
        seats = Seat.objects.bulk_create(seat_rows, batch_size=2000)

        term_counts = _spread(rng, SEATS, TERMS, 1, 14)
        for i, (scenario, *_rest) in enumerate(plans):
            if scenario == "never":  # its terms go to the next seat that has room
                spare, term_counts[i] = term_counts[i], 0
                j = (i + 1) % SEATS
                while spare:
                    room = min(spare, 14 - term_counts[j]) if plans[j][0] != "never" else 0
                    term_counts[j] += room
                    spare -= room
                    j = (j + 1) % SEATS

        people = list(Person.objects.values_list("pk", flat=True).order_by("pk"))
        leader_people = rng.sample(people, LEADERS)
        chosen = set(leader_people)
        others = [p for p in people if p not in chosen]
        names = [f"{first} {last}" for first in ("Hodan", "Pa Nhia", "José Luis", "Keisha", "Nguyễn Lan", "Winona",
                                                 "Chaltu", "Eh Htoo", "Kristin", "Abdirahman", "Tou", "Marisol")
                 for last in ("Warsame", "Xiong", "García", "Washington", "Trần", "Thunder", "Gemechu", "Paw",
                              "Olson", "Farah", "Vang", "Hernández")]
        term_rows = []
        current_of: list[int | None] = []  # index in term_rows of each seat's current term
        for seat, (scenario, months, holdover, dissolved), count in zip(seats, plans, term_counts, strict=True):
            spans = history(rng, scenario, months, holdover, count, today, dissolved)
            tagged = [terms.Span(k, start, ends, left) for k, (start, ends, left) in enumerate(spans)]
            until = terms.occupancy(tagged, seat.holdover_allowed)
            fills = terms.fills_vacancy(tagged, until)
            current_of.append(len(term_rows) + len(spans) - 1
                              if spans and scenario in ("held", "ending", "holdover", "ex_officio") else None)
            for span in tagged:
                person = rng.choice(others) if rng.random() < 0.1 else None
                term_rows.append(Term(seat=seat, starts_on=span.start, ends_on=span.ends_on, left_on=span.left_on,
                                      holder_person_id=person, holder_name="" if person else rng.choice(names),
                                      occupied_until=until[span.id], fills_vacancy=fills[span.id]))
        # Leaders hold some of today's seats (one each at most, on active bodies).
        held_now = [i for i, plan in zip(current_of, plans, strict=True) if i is not None and plan[3] is None]
        for person, index in zip(leader_people[:LEADER_SEATS], rng.sample(held_now, LEADER_SEATS), strict=True):
            term_rows[index].holder_person_id, term_rows[index].holder_name = person, ""
        terms_saved = Term.objects.bulk_create(term_rows, batch_size=5000)
        services.seats_latest_refresh([seat.pk for seat in seats])

        identities = list(SelfIdentification.values)
        leaders = Leader.objects.bulk_create(
            Leader(person_id=person, readiness=rng.choice(list(Readiness.values)), interested_since=today - 500 * DAY,
                   self_identification=rng.choice(identities), support_needs="Childcare on meeting nights.")
            for person in leader_people)
        Leader.topics.through.objects.bulk_create(
            Leader.topics.through(leader_id=leader.pk, issuetopic_id=topic.pk)
            for leader in leaders for topic in rng.sample(topics, 2))
        Leader.places.through.objects.bulk_create(
            Leader.places.through(leader_id=leader.pk, place_id=rng.choice(places).pk) for leader in leaders)
        ConsentRecord.objects.bulk_create(
            ConsentRecord(person_id=leader.person_id, purpose=ConsentPurpose.DEMOGRAPHICS, text_version="bench-1",
                          source="paper")
            for leader in leaders if rng.random() < 0.5)
        by_person = {leader.person_id: leader for leader in leaders}
        nominations, seen = [], set()
        for term in terms_saved:
            if term.holder_person_id in by_person and term.seat_id not in seen:
                seen.add(term.seat_id)
                nominations.append(Nomination(seat_id=term.seat_id, leader=by_person[term.holder_person_id],
                                              nominated_on=term.starts_on - 40 * DAY, term=term,
                                              outcome=NominationOutcome.APPOINTED, outcome_on=term.starts_on))
        pairs = set()
        while len(nominations) < NOMINATIONS:
            seat, leader = rng.choice(seats), rng.choice(leaders)
            if (seat.pk, leader.pk) in pairs or seat.pk in seen:
                continue
            pairs.add((seat.pk, leader.pk))
            outcome = rng.choice([NominationOutcome.PENDING, NominationOutcome.NOT_APPOINTED,
                                  NominationOutcome.WITHDRAWN])
            nominations.append(Nomination(seat=seat, leader=leader, nominated_on=today - rng.randint(1, 400) * DAY,
                                          outcome=outcome,
                                          outcome_on=None if outcome == NominationOutcome.PENDING else today))
        nominations = Nomination.objects.bulk_create(nominations, batch_size=2000)
        members = list(Organization.objects.filter(membership_status=MembershipStatus.MEMBER)
                       .values_list("pk", flat=True))
        Nomination.endorsements.through.objects.bulk_create(
            (Nomination.endorsements.through(nomination_id=n.pk, organization_id=org)
             for n in nominations for org in rng.sample(members, min(2, len(members)))), batch_size=5000)


def build(marker: Path) -> None:
    from django.core.management import call_command
    from django.db import connection

    if marker.exists():
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            # New migrations may rewrite many rows: the planner's statistics (and, on PostgreSQL,
            # the visibility map index-only scans read) are brought up to date, as after a build.
            call_command("migrate", verbosity=0)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        return
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from commontable.directory import demo

    demo.build_large(people=PEOPLE, organizations=ORGANIZATIONS, tables=10)
    build_data()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    from commontable.seats.models import PublicBody, Seat, Term

    print(f"BENCH seats.build seconds={time.perf_counter() - started:.1f} engine={connection.vendor} bodies={PublicBody.objects.count()} "
          f"seats={Seat.objects.count()} terms={Term.objects.count()}", flush=True)
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0] if connection.vendor == "postgresql" else "built"
    connection.close()
    marker.write_text(server + "\n")


# --- measuring -----------------------------------------------------------------------------------


def line(name: str, result, baseline_p95: float) -> str:
    verdict = "ok" if base.p95(result.times) <= LIMIT_MS else "over-limit"
    return (base.line(name, result, baseline_p95).replace("BENCH directory.", "BENCH seats.", 1)
            + f" limit_ms={LIMIT_MS} verdict={verdict}")


def probe(client, url: str) -> tuple[int, float]:
    """`bench_directory.probe` for either database: a request that runs past the time limit is
    interrupted (SQLite) or cancelled (PostgreSQL), so a pathological page is reported instead of
    stalling the run."""
    import threading

    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    timer = threading.Timer(base.PROBE_LIMIT, raw.interrupt if connection.vendor == "sqlite" else raw.cancel)
    timer.start()
    started = time.perf_counter()
    try:
        status = client.get(url).status_code
    finally:
        timer.cancel()
    return status, time.perf_counter() - started


def queries_of(client, url: str, before=None) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if before:
        before()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return list(captured.captured_queries)


def explain(client, name: str, url: str, before) -> None:
    """The slowest queries of one first load after a change, with the database's plan."""
    from django.db import connection

    queries = sorted(queries_of(client, url, before), key=lambda q: -float(q["time"]))
    total = sum(float(q["time"]) for q in queries) * 1000
    print(f"# {name}: {len(queries)} queries, {total:.1f} ms in the database", flush=True)
    for query in queries[:3]:
        sql = query["sql"]
        print(f"#   {float(query['time']) * 1000:.1f} ms: {sql[:600]}", flush=True)
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
        try:
            with connection.cursor() as cursor:
                cursor.execute(prefix + sql)
                rows = cursor.fetchall()
        except Exception as exc:  # noqa: BLE001 (a query with parameters inlined may not re-run as text)
            print(f"#     (no plan: {exc.__class__.__name__})", flush=True)
            continue
        for row in rows[:25]:
            print(f"#     {row[-1]}", flush=True)


def main() -> int:
    base.DATA.mkdir(parents=True, exist_ok=True)
    engine, marker = configure()
    build(marker)
    base.probe = probe  # used by base.timed

    from django.db.models import Count
    from django.test import Client, override_settings
    from django.urls import reverse

    from commontable.accounts.models import User
    from commontable.directory.demo import LOGIN_DOMAIN
    from commontable.seats.models import PublicBody, Seat
    from commontable.seats.pages import PAGES

    staff = User.objects.get(email=f"staff@{LOGIN_DOMAIN}")
    member = User.objects.get(email=f"member@{LOGIN_DOMAIN}")
    busy = (PublicBody.objects.filter(visibility="public", dissolved_on__isnull=True)
            .annotate(n=Count("seats")).order_by("-n", "pk").first())
    seat = (Seat.objects.filter(body__visibility="public", body__dissolved_on__isnull=True)
            .annotate(n=Count("terms")).order_by("-n", "pk").first())
    print(f"# seats on {engine}: busiest body {busy.slug} ({busy.n} seats); seat {seat.public_id} "
          f"({seat.n} terms)", flush=True)
    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(ROOT_URLCONF="bench_directory", STORAGES=plain_static):
        clients = {}
        for who, user in (("staff", staff), ("member", member)):
            clients[who] = Client(raise_request_exception=False)
            clients[who].force_login(user)
        result = base.timed(clients["staff"], "/__bench__/baseline/", N)
        if result.skipped:
            print(f"BENCH seats.baseline failed reason={result.skipped}", flush=True)
            return 1
        baseline_p95 = base.p95(result.times)
        print(line("baseline", result, baseline_p95), flush=True)

        api = "/api/v1/seats"
        cases = [
            ("body_list", reverse("seats:body_list"), "staff"),
            ("body_detail", reverse("seats:body_detail", args=[busy.slug]), "staff"),
            ("seat_detail", reverse("seats:seat_detail", args=[seat.public_id]), "staff"),
            ("openings_vacant", reverse("seats:opening_list") + "?show=vacant", "staff"),
            ("openings_ending", reverse("seats:opening_list") + "?show=ending", "staff"),
            ("openings_holdover", reverse("seats:opening_list") + "?show=holdover", "staff"),
            ("rollup", reverse("seats:rollup"), "member"),
            ("leader_list", reverse("seats:leader_list"), "staff"),
            ("api_body_list", f"{api}/bodies", "staff"),
            ("api_openings_vacant", f"{api}/openings?show=vacant", "staff"),
            ("api_openings_ending", f"{api}/openings?show=ending", "staff"),
            ("api_openings_holdover", f"{api}/openings?show=holdover", "staff"),
        ]
        only = [part for part in os.environ.get("BENCH_ONLY", "").split(",") if part]
        for name, url, who in cases:
            if only and not any(name.startswith(part) for part in only):
                continue
            client = clients[who]
            result = base.timed(client, url, N)
            if result.skipped:
                print(f"BENCH seats.{name} skipped reason={result.skipped} url={url}", flush=True)
                continue
            print(line(name, result, baseline_p95) + f" as={who}", flush=True)
            # Served from the page cache? Then also the first load after a change (any write
            # replaces the data version): built from the database again.
            if len(queries_of(client, url, PAGES.changed)) > result.queries:
                cold = base.timed(client, url, max(20, N // 2), before=PAGES.changed)
                print(line(f"{name}_cold", cold, baseline_p95) + f" as={who}", flush=True)
            if EXPLAIN:
                explain(client, name, url, PAGES.changed)
        # The bare view again: a shared machine's speed drifts during a run (another tenant's
        # load), and a page is only comparable with the baseline measured near it.
        result = base.timed(clients["staff"], "/__bench__/baseline/", N)
        print(line("baseline_end", result, baseline_p95), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
