"""Directory benchmarks at coalition-network scale: 100,000 people, 2,000 organisations.

    .venv/bin/python bench/bench_directory.py        (or `make bench ONLY=directory`)

The data is the demo coalition at `--scale large`, built once into an SQLite file under
`bench/.data/` and reused while the demo code is unchanged (pending migrations are applied to it).
Pages are requested through the whole middleware stack with Django's test client, signed in as
staff (who see everything, the largest pages). Each page is compared with a bare view that renders
a small template, measured in the same run with the same client:

    BENCH directory.person_list p50_ms=4.1 p95_ms=7.9 baseline_p95_ms=3.2 ratio=2.5 queries=6 n=500

Then the import of 100,000 people from a CSV file (`manage.py directory_import people FILE`), in
its own process, into a copy of the data and into an empty directory (and, with BENCH_IMPORT_PG,
both on PostgreSQL): the command's own seconds (read, check, write: `import_seconds`), the whole
process's seconds (with Python and Django starting), CPU seconds and peak memory (maximum resident
set size).

Environment: BENCH_N (requests per page, default 300), BENCH_IMPORT_ROWS (default 100000; 0 skips),
BENCH_IMPORT_PG (1, or a postgres:// server URL: also measure the import on PostgreSQL),
BENCH_ONLY_IMPORT (1: skip the pages).
"""

from __future__ import annotations

import csv
import hashlib
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
PEOPLE = 100_000
ORGANIZATIONS = 2_000
N = int(os.environ.get("BENCH_N", "300"))
WARMUP = 20
PROBE_LIMIT = 30  # seconds
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
DEMO_SOURCES = [
    "commontable/directory/demo.py",
    "commontable/directory/demo_plan.py",
    "commontable/directory/demo_data.py",
]


def data_file() -> Path:
    """The cached database, named after the demo code that built it."""
    digest = hashlib.sha1(f"{PEOPLE}/{ORGANIZATIONS}".encode())  # noqa: S324 (a cache key)
    for source in DEMO_SOURCES:
        digest.update((ROOT / source).read_bytes())
    return DATA / f"directory-{digest.hexdigest()[:10]}.sqlite3"


def configure(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only-key-0123456789abcdefghijklmnopqrstuvwxyz")
    # The test client speaks plain HTTP: no redirect to HTTPS, no secure-only cookies.
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["SECURE_COOKIES"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# The bare baseline view and this module as the URLconf: the baseline plus the project's URLs.
def baseline(request):
    from django.http import HttpResponse
    from django.template import engines

    template = engines["django"].from_string(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>'
        "<body><main><h1>{{ title }}</h1><p>{{ text }}</p></main></body></html>"
    )
    return HttpResponse(template.render({"title": "Baseline", "text": "A small template."}))


def _urlpatterns():
    from django.urls import path

    from config.urls import urlpatterns

    return [path("__bench__/baseline/", baseline, name="bench_baseline"), *urlpatterns]


def __getattr__(name: str):
    # Built on first use, when Django reads this module as the URLconf: importing the module from
    # another benchmark (before settings are configured) must not import the project's URLs.
    if name == "urlpatterns":
        return _urlpatterns()
    raise AttributeError(name)


def build(database: Path) -> None:
    """Migrate, then load the large demo; the `.ok` marker says the file is complete."""
    from django.core.management import call_command
    from django.db import connection

    marker = database.with_suffix(".ok")
    if database.exists() and marker.exists():
        call_command("migrate", verbosity=0)
        return
    for old in DATA.glob("directory-*"):
        old.unlink()
    connection.close()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from commontable.directory import demo

    summary = demo.build_large(people=PEOPLE, organizations=ORGANIZATIONS)
    print(
        f"BENCH directory.demo_build seconds={summary.seconds:.1f} people={summary.people} "
        f"organizations={summary.organizations} affiliations={summary.affiliations}",
        flush=True,
    )
    connection.close()
    marker.write_text("built\n")


class Measured:
    """A page's timings, or why it has none."""

    def __init__(self, times=(), queries=0, skipped=""):
        self.times, self.queries, self.skipped = list(times), queries, skipped


def probe(client, url: str) -> tuple[int, float]:
    """One request with a time limit: SQLite is interrupted after PROBE_LIMIT seconds, so a
    pathological page is reported instead of stalling the run."""
    from django.db import connection

    connection.ensure_connection()
    timer = threading.Timer(PROBE_LIMIT, connection.connection.interrupt)
    timer.start()
    started = time.perf_counter()
    try:
        status = client.get(url).status_code
    finally:
        timer.cancel()
    return status, time.perf_counter() - started


def timed(client, url: str, n: int, before=None) -> Measured:
    """Milliseconds per request and the queries of one request, after a warm-up. Slow pages get
    fewer requests (about a minute's worth, at least 5). `before` runs ahead of each measured
    request, outside the timing."""
    before = before or nothing
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    status, seconds = probe(client, url)
    if seconds >= PROBE_LIMIT:
        return Measured(skipped=f"slower-than-{PROBE_LIMIT}s")
    if status != 200:
        return Measured(skipped=f"status-{status}")
    # The first request of a process also imports and compiles templates: judge by the second.
    status, seconds = probe(client, url)
    n = min(n, max(5, int(60 / max(seconds, 1e-3))))
    for _ in range(min(WARMUP, n)):
        client.get(url)
    # As a deployed server does at start (config/wsgi.py): what lives as long as the process is
    # frozen out of the garbage collector's full passes. Once per process, after the first warm-up.
    from commontable.core.startup import settle_long_lived_objects

    settle_long_lived_objects()
    before()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = len(captured)  # now: the next request clears the connection's query log
    times = []
    for _ in range(n):
        before()
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return Measured(times, queries)


def nothing() -> None:
    pass


def page_cache_emptied() -> None:
    """The first load after a change: the directory's data version is replaced (as any write
    does), so the page, and the viewer, are built again."""
    from commontable.directory import page_cache

    page_cache.pages_changed()


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18]


def line(name: str, result: Measured, baseline_p95: float) -> str:
    high = p95(result.times)
    return (
        f"BENCH directory.{name} p50_ms={statistics.median(result.times):.1f} p95_ms={high:.1f} "
        f"baseline_p95_ms={baseline_p95:.1f} ratio={high / baseline_p95:.1f} queries={result.queries} "
        f"n={len(result.times)}"
    )


def pages(client, baseline_p95: float) -> None:
    from django.db.models import Count, Q
    from django.urls import NoReverseMatch, reverse

    from commontable.directory.models import Organization, Person

    busy_org = (
        Organization.objects.filter(pk__lte=Organization.objects.order_by("pk")[100].pk)
        .annotate(n=Count("affiliations", filter=Q(affiliations__end_on__isnull=True)))
        .order_by("-n")
        .first()
    )
    person = (
        Person.objects.annotate(n=Count("affiliations"))
        .filter(n__gte=2, consents__isnull=False)
        .order_by("pk")
        .first()
    )
    surname = person.full_name.split()[-1] if person else "Xiong"
    cases = [
        ("organization_list", "directory:organization_list", {}, ""),
        ("organization_detail", "directory:organization_detail", {"slug": busy_org.slug}, ""),
        ("person_list", "directory:person_list", {}, ""),
        ("person_detail", "directory:person_detail", {"public_id": person.public_id}, ""),
        ("person_search", "directory:person_list", {}, f"?q={surname.lower()}"),
        ("table_list", "directory:table_list", {}, ""),
    ]
    for name, url_name, kwargs, query in cases:
        try:
            url = reverse(url_name, kwargs=kwargs or None) + query
        except NoReverseMatch:
            print(f"BENCH directory.{name} skipped reason=no-url-{url_name}", flush=True)
            continue
        result = timed(client, url, N)
        if result.skipped:
            print(f"BENCH directory.{name} skipped reason={result.skipped} url={url}", flush=True)
            continue
        print(line(name, result, baseline_p95), flush=True)
        # Pages are served from the page cache (ADR 13) until the directory changes; this is the
        # first load after a change, built from the database.
        cold = timed(client, url, max(5, N // 3), before=page_cache_emptied)
        if not cold.skipped:
            print(line(f"{name}.after_change", cold, baseline_p95), flush=True)


def write_people_csv(path: Path, slugs: list[str], rows: int) -> None:
    """The file the import benchmark reads: `rows` new people (numbered names, new emails) of the
    given organisations, with a role, a mobile number, consent to email for two in three and a
    contact language."""
    from commontable.directory import demo_plan

    rng = random.Random(99)
    names = demo_plan.NameMaker(rng)
    communities = list(demo_plan.data.COMMUNITY_WEIGHTS)
    weights = list(demo_plan.data.COMMUNITY_WEIGHTS.values())
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "full_name",
                "email",
                "mobile",
                "organization",
                "role",
                "representative",
                "consent_email",
                "preferred_language",
            ]
        )
        for n in range(rows):
            community = rng.choices(communities, weights)[0]
            # A numbered name: these are new people, and the importer (rightly) refuses a row
            # whose name alone matches two email-less people of the same organisation.
            full_name = f"{names.make(community)[0]} {n}"
            writer.writerow(
                [
                    full_name,
                    f"imported{n}@example.net",
                    f"({rng.choice(demo_plan.AREA_CODES)}) 555-01{rng.randint(0, 99):02d}",
                    rng.choice(slugs),
                    rng.choice(demo_plan.data.ROLES),
                    "no",
                    "yes" if n % 3 else "no",
                    demo_plan.data.COMMUNITY_LANGUAGES[community][0],
                ]
            )


def _manage(database_url: str, *args: str, check: bool = True, **extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, **extra}
    done = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if check and done.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed: {(done.stderr or done.stdout)[-2000:]}")
    return done


def empty_directory(database_url: str, slugs: list[str]) -> None:
    """A migrated database holding only the organisations the file names (no people)."""
    _manage(database_url, "migrate", "--verbosity=0")
    _manage(database_url, "createcachetable", "--verbosity=0")
    _manage(
        database_url,
        "shell",
        "-c",
        "import os; from commontable.directory.models import Organization as O; "
        "O.objects.bulk_create([O(name=s, slug=s, name_folded=s) for s in os.environ['BENCH_SLUGS'].split(',')])",
        BENCH_SLUGS=",".join(slugs),
    )


def run_import(csv_path: Path, database_url: str) -> tuple[float, float, float, str]:
    """`manage.py directory_import people FILE` in a child process: wall-clock seconds, the
    child's CPU seconds (steadier than wall-clock on a busy machine; on PostgreSQL it leaves out
    the server's own work) and peak resident memory in MB. Raises with the output on failure."""
    env = {**os.environ, "DATABASE_URL": database_url, "UPLOAD_MAX_BYTES": str(512 * 1_048_576)}
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, str(ROOT / "manage.py"), "directory_import", "people", str(csv_path), "--verbosity=2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output = process.stdout.read().decode(errors="replace")
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        reason = output.strip().splitlines()[-1][:200] if output.strip() else f"exit-{code}"
        raise RuntimeError(f"exit={code} reason={reason!r}\n{output[-3000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output


def loop_seconds() -> float:
    """A fixed amount of plain Python work, timed just before an import: the same-run baseline
    that tells a slow import from a busy machine."""
    started = time.perf_counter()
    total = 0
    for n in range(5_000_000):
        total += n
    return time.perf_counter() - started


def _import_line(name: str, csv_path: Path, database_url: str, **labels) -> None:
    baseline = loop_seconds()
    try:
        seconds, cpu, peak, _output = run_import(csv_path, database_url)
    except RuntimeError as exc:
        head, _, tail = str(exc).partition("\n")
        print(f"BENCH directory.{name} failed {head}", flush=True)
        print(tail, file=sys.stderr)
        return
    words = " ".join(f"{key}={value}" for key, value in labels.items())
    # The command's own figure: reading, checking and writing, without starting Python and Django.
    found = re.search(r"import_seconds=([0-9.]+)", _output)
    inside = f"import_seconds={float(found.group(1)):.1f} " if found else ""
    print(
        f"BENCH directory.{name} {inside}seconds={seconds:.1f} cpu_seconds={cpu:.1f} rows={IMPORT_ROWS} "
        f"peak_mb={peak:.0f} file_mb={csv_path.stat().st_size / 1_048_576:.1f} {words} "
        f"baseline_loop_seconds={baseline:.2f}",
        flush=True,
    )


def _postgres(admin_url: str, sql: str) -> None:
    from psycopg import connect

    with connect(admin_url, autocommit=True) as admin:
        admin.execute(sql)


def _postgres_slugs(url: str) -> list[str]:
    from psycopg import connect

    with connect(url) as conn:
        rows = conn.execute(
            "SELECT slug FROM directory_organization WHERE membership_status = 'member' ORDER BY id"
        ).fetchall()
    return [slug for (slug,) in rows]


def import_people(database: Path) -> None:
    """`directory_import people` of IMPORT_ROWS new people, each in its own process:

    - `import_people`: into a copy of the 100,000-person SQLite data;
    - `import_people_empty`: into a fresh SQLite database holding only the organisations;
    - with BENCH_IMPORT_PG set (a postgres:// server URL, or 1 for 127.0.0.1:5432 as postgres),
      the same two on PostgreSQL, in throw-away databases `bench_import_<pid>_…` (the populated
      one is built with the large demo first, which takes a few minutes).
    """
    from importlib.util import find_spec

    command = ROOT / "commontable/directory/management/commands/directory_import.py"
    if IMPORT_ROWS <= 0:
        print("BENCH directory.import_people skipped reason=BENCH_IMPORT_ROWS=0", flush=True)
        return
    if find_spec("commontable.directory.importers") is None or not command.exists():
        print("BENCH directory.import_people skipped reason=no-directory_import-command", flush=True)
        return
    from commontable.directory.models import Organization

    slugs = list(Organization.objects.filter(membership_status="member").values_list("slug", flat=True))
    with tempfile.TemporaryDirectory(prefix="ct-bench-") as tmp:
        csv_path = Path(tmp) / "people.csv"
        write_people_csv(csv_path, slugs, IMPORT_ROWS)
        copy = Path(tmp) / "import.sqlite3"
        shutil.copyfile(database, copy)
        _import_line("import_people", csv_path, f"sqlite:///{copy}", db="sqlite", into_people=PEOPLE)
        copy.unlink()
        empty = Path(tmp) / "empty.sqlite3"
        empty_directory(f"sqlite:///{empty}", slugs)
        _import_line("import_people_empty", csv_path, f"sqlite:///{empty}", db="sqlite", into_people=0)
        server = os.environ.get("BENCH_IMPORT_PG", "")
        if not server:
            return
        if not server.startswith("postgres"):
            server = "postgres://postgres@127.0.0.1:5432"
        server = server.rstrip("/")
        admin_url = f"{server}/postgres"
        for name, populated in (("import_people_empty", False), ("import_people", True)):
            db_name = f"bench_import_{os.getpid()}_{'full' if populated else 'empty'}"
            url = f"{server}/{db_name}"
            _postgres(admin_url, f"DROP DATABASE IF EXISTS {db_name}")
            _postgres(admin_url, f"CREATE DATABASE {db_name}")
            try:
                if populated:
                    _manage(url, "migrate", "--verbosity=0")
                    _manage(url, "createcachetable", "--verbosity=0")
                    _manage(
                        url,
                        "demo_load",
                        "--scale=large",
                        f"--people={PEOPLE}",
                        f"--organizations={ORGANIZATIONS}",
                        "--allow-without-debug",
                    )
                    # The same file, naming this database's member organisations.
                    data = Path(tmp) / f"{db_name}.csv"
                    write_people_csv(data, _postgres_slugs(url), IMPORT_ROWS)
                else:
                    empty_directory(url, slugs)
                    data = csv_path
                _import_line(name, data, url, db="postgresql", into_people=PEOPLE if populated else 0)
            finally:
                _postgres(admin_url, f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")


def main() -> int:
    DATA.mkdir(parents=True, exist_ok=True)
    database = data_file()
    configure(database)
    build(database)

    from django.test import Client, override_settings

    from commontable.accounts.models import User
    from commontable.directory import demo

    staff = User.objects.get(email=f"staff@{demo.LOGIN_DOMAIN}")
    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if os.environ.get("BENCH_ONLY_IMPORT"):
        import_people(database)
        return 0
    # Without collectstatic there is no manifest; plain static URLs cost the same to build.
    with override_settings(ROOT_URLCONF="bench_directory", STORAGES=plain_static):
        client = Client(raise_request_exception=False)  # a failing page is reported, not fatal
        client.force_login(staff)
        result = timed(client, "/__bench__/baseline/", N)
        if result.skipped:
            print(f"BENCH directory.baseline failed reason={result.skipped}", flush=True)
            return 1
        baseline_p95 = p95(result.times)
        print(line("baseline", result, baseline_p95), flush=True)
        pages(client, baseline_p95)
    import_people(database)
    return 0


if __name__ == "__main__":
    sys.exit(main())
