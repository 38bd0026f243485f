"""Benchmark: importing a capital plan of investments, end to end (read → check → write), on a fresh
database.

    make bench ONLY=investment_import   (or: .venv/bin/python bench/bench_investment_import.py [ROWS] [--postgres])

Prints one BENCH line per measurement: the first import of ROWS capital-plan rows (default 5,000
projects, each with three fiscal-year columns, a location and a sponsoring agency among 20) as
`manage.py investments_import --apply` does it (one check, one transaction, history and audit
kept); the same file again (every row unchanged); and the web pages' two steps (preview, then
apply, which checks the file again). Each line carries a same-run baseline (a fixed loop of plain
Python) so runs on busy machines can be compared. Uses a throw-away SQLite file (or, with
--postgres, a throw-away database next to DATABASE_URL's).
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
DB_NAME = "commontable_bench_investment_import"


def configure(postgres: bool) -> str:
    if postgres:
        base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/commontable")
        os.environ["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + DB_NAME
        return "postgresql"
    path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    return "sqlite"


def plan_csv(rows: int) -> bytes:
    lines = ["Project ID,Project Name,Department,Kind,Stage,Jurisdiction,Total Cost,2026,2027,2028,Funding Source,Longitude,Latitude"]
    kinds = ("street", "bridge", "parks", "sewer", "library", "housing")
    for n in range(rows):
        lon, lat = -93.4 + (n % 400) / 1000, 44.85 + (n % 300) / 1000
        lines.append(
            f'P-{n:05d},Project {n} on Lake Street,Department {n % 20},{kinds[n % len(kinds)]},planning,'
            f'Minneapolis,"${(n % 90 + 10) * 100_000:,}.00","{(n % 7 + 1) * 50_000:,}",{(n % 5 + 1) * 75_000},,'
            f"GO Bonds,{lon:.4f},{lat:.4f}"
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
    started = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"BENCH {label} seconds={seconds:.2f} rows={rows} db={engine} peak_rss_mb={peak:.0f} "
        f"baseline_loop_seconds={baseline:.2f} ratio={seconds / baseline:.1f}",
        flush=True,
    )
    return result


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    rows = int(args[0]) if args else 5_000
    engine = configure("--postgres" in sys.argv)
    os.environ.setdefault("DEBUG", "true")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    admin_url = ""
    if engine == "postgresql":
        from psycopg import connect

        admin_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
        with connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
            admin.execute(f"CREATE DATABASE {DB_NAME}")
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)

    from django.db import connection

    from commontable.core.imports import (
        get_import,
        import_batch_apply,
        import_batch_create,
        import_file_apply,
    )
    from commontable.core.models import Place
    from commontable.investments.models import FundingSource, Investment

    Place.objects.create(slug="minneapolis", name="Minneapolis", kind=Place.Kind.CITY)
    data = plan_csv(rows)
    spec = get_import("capital-plan")

    def command_path():
        _batch, preview = import_file_apply(spec=spec, data=data, filename="plan.csv", actor=None)
        return preview

    preview = measure("investments.import_capital_plan", rows, engine, command_path)
    assert preview.counts["create"] == rows and Investment.objects.count() == rows
    assert FundingSource.objects.count() == rows * 2
    preview = measure("investments.import_capital_plan_unchanged", rows, engine, command_path)
    assert preview.counts["unchanged"] == rows

    Investment.objects.all().delete()
    batch, _preview = measure(
        "investments.import_capital_plan_preview", rows, engine,
        lambda: import_batch_create(spec=spec, data=data, filename="plan.csv", actor=None),
    )
    measure("investments.import_capital_plan_apply", rows, engine, lambda: import_batch_apply(batch=batch, actor=None))
    print(f"# investments={Investment.objects.count()} funding_lines={FundingSource.objects.count()} vendor={connection.vendor}")
    if engine == "postgresql":
        connection.close()
        with connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")


if __name__ == "__main__":
    main()
