"""Benchmark: importing people from a CSV, end to end (read → check → write), on a fresh database.

    make bench ONLY=imports          (or: .venv/bin/python bench/bench_imports.py [ROWS] [--postgres])

Prints one BENCH line per measurement: the first import of ROWS people (default 100,000) as the
management command does it (read, check, write with history records, one transaction), the same
file again (every row unchanged), the web pages' two steps (preview; apply, which checks again),
and the first import with history off (what simple-history costs; the importer keeps it on).
Uses a throw-away SQLite file (or, with --postgres, a throw-away database next to DATABASE_URL's).
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(postgres: bool) -> str:
    if postgres:
        base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/commontable")
        url = base.rsplit("/", 1)[0] + "/commontable_bench_imports"
        os.environ["DATABASE_URL"] = url
        return "postgresql"
    path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    return "sqlite"


def people_csv(rows: int, orgs: list[str]) -> bytes:
    lines = ["full_name,email,phone,organization,role,representative,consent_email,preferred_language"]
    for n in range(rows):
        org = orgs[n % len(orgs)]
        lines.append(
            f"Person {n} Ñandú,person{n}@example.org,612-555-{n % 10000:04d},{org},Organizer,"
            f"{'yes' if n % 50 == 0 else 'no'},{'yes' if n % 3 else ''},{('en', 'es', 'so', 'hmn')[n % 4]}"
        )
    return ("\n".join(lines) + "\n").encode()


def baseline_seconds() -> float:
    """A fixed amount of plain Python work, to compare machines (and a busy machine with itself)."""
    started = time.perf_counter()
    total = 0
    for n in range(5_000_000):
        total += n
    return time.perf_counter() - started


def measure(label: str, rows: int, engine: str, func):
    baseline = baseline_seconds()
    started, cpu_started = time.perf_counter(), time.process_time()
    result = func()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"BENCH {label} seconds={seconds:.2f} cpu_seconds={cpu:.2f} rows={rows} db={engine} peak_rss_mb={peak:.0f} "
        f"baseline_loop_seconds={baseline:.2f} ratio={seconds / baseline:.1f}",
        flush=True,
    )
    return result


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    rows = int(args[0]) if args else 100_000
    engine = configure("--postgres" in sys.argv)
    os.environ.setdefault("DEBUG", "true")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if engine == "postgresql":
        from psycopg import connect

        admin_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
        with connect(admin_url, autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS commontable_bench_imports")
            admin.execute("CREATE DATABASE commontable_bench_imports")
    # The cache table first: the page cache (ADR 13) hears of writes, migrations' seed data included.
    call_command("createcachetable", verbosity=0)
    call_command("migrate", verbosity=0)

    from commontable.core.imports import (
        get_import,
        import_batch_apply,
        import_batch_create,
        import_file_apply,
    )
    from commontable.directory.importers import common as importers
    from commontable.directory.models import Organization, Person
    from commontable.directory.services import organization_create

    orgs = [organization_create(actor=None, name=f"Bench Organization {n}").slug for n in range(50)]
    data = people_csv(rows, orgs)
    spec = get_import("people")

    def command_path():
        _batch, preview = import_file_apply(spec=spec, data=data, filename="people.csv", actor=None)
        return preview

    def forget_people():
        call_command("flush", interactive=False, verbosity=0)
        orgs[:] = [organization_create(actor=None, name=f"Bench Organization {n}").slug for n in range(50)]

    # What `manage.py directory_import people FILE` does: read, check and write, in one transaction.
    preview = measure("directory.import_people history=on", rows, engine, command_path)
    assert preview.counts["create"] == rows and Person.objects.count() == rows
    preview = measure("directory.import_people_unchanged", rows, engine, command_path)
    assert preview.counts["unchanged"] == rows

    # The web pages: upload and preview, then apply (which checks the file again first).
    forget_people()
    batch, _preview = measure(
        "directory.import_people_preview",
        rows,
        engine,
        lambda: import_batch_create(spec=spec, data=data, filename="people.csv", actor=None),
    )
    measure(
        "directory.import_people_apply history=on",
        rows,
        engine,
        lambda: import_batch_apply(batch=batch, actor=None),
    )

    # The same first import without history records, for the ADR's comparison.
    forget_people()
    importers.RECORD_HISTORY = False
    measure("directory.import_people history=off", rows, engine, command_path)
    importers.RECORD_HISTORY = True
    print(f"# organizations={Organization.objects.count()} vendor={connection.vendor}")
    if engine == "postgresql":
        connection.close()
        with connect(admin_url, autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS commontable_bench_imports")


if __name__ == "__main__":
    main()
