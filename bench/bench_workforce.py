"""Workforce pages at scale: 200 investments, each with three goals and two years of weekly
certified-payroll hours from four contractors in two trades (about 166,000 hours records), one busy
investment with three years from eight contractors in four trades (about 5,000 records).

    .venv/bin/python bench/bench_workforce.py        (or `make bench ONLY=workforce`)

The data is built once into its own SQLite file under `bench/.data/` and reused while this builder
is unchanged. Pages and API endpoints go through the whole middleware stack with Django's test
client, signed in as staff (who see every investment), against the bare view of `bench_directory`
measured in the same run with the same client (target: list and detail p95 ≤ 50 ms):

    BENCH workforce.workforce_overview p50_ms=… p95_ms=… baseline_p95_ms=… ratio=… queries=… n=…

Last, checking a 5,000-row worker-level certified-payroll file against the busy investment
(`importer.check_file`, read + clean + validate + resolve, nothing written).

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
INVESTMENTS = 200
WEEKS, CONTRACTORS, TRADES = 104, 4, 2
BUSY_WEEKS, BUSY_CONTRACTORS, BUSY_TRADES = 156, 8, 4
STAFF_EMAIL = "staff@bench.example"
BUILD_VERSION = "1"


def data_file() -> Path:
    digest = hashlib.sha1(f"{INVESTMENTS}/{WEEKS}/{CONTRACTORS}/{TRADES}/{BUILD_VERSION}".encode())  # noqa: S324
    digest.update(inspect.getsource(build).encode())
    return base.DATA / f"workforce-{digest.hexdigest()[:10]}.sqlite3"


def _records(investment, rng: random.Random, weeks: int, contractors: int, trades: int, first: dt.date):
    from commontable.workforce.models import HoursRecord

    for week in range(weeks):
        end = first + dt.timedelta(days=7 * week + 6)
        for c in range(contractors):
            for t in range(trades):
                total = rng.randint(80_00, 600_00)
                yield HoursRecord(
                    investment=investment, employer_name=f"Contractor {c}", employer_key=f"contractor {c}",
                    trade=f"Trade {t}", period_start=end - dt.timedelta(days=6), period_end=end,
                    total_hundredths=total, bipoc_hundredths=int(total * rng.uniform(0.15, 0.45)),
                    women_hundredths=int(total * rng.uniform(0.05, 0.25)),
                    apprentice_hundredths=int(total * rng.uniform(0.05, 0.2)),
                    unknown_race_hundredths=int(total * rng.uniform(0, 0.05)),
                )


def build(database: Path) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    marker = database.with_suffix(".ok")
    if database.exists() and marker.exists():
        call_command("migrate", verbosity=0)
        return
    for old in base.DATA.glob("workforce-*"):
        old.unlink()
    connection.close()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from commontable.accounts.models import User
    from commontable.core.visibility import Role
    from commontable.investments.models import Investment
    from commontable.workforce.models import HoursRecord, WorkforceGoal

    started = time.monotonic()
    rng = random.Random(11)
    with transaction.atomic():
        User.objects.create_user(email=STAFF_EMAIL, password="bench-only", role=Role.STAFF)
        investments = Investment.objects.bulk_create(
            Investment(name=f"Investment {i:03d}", slug=f"investment-{i:03d}", kind="transit_station",
                       visibility="public" if i % 2 else "members")
            for i in range(INVESTMENTS + 1)
        )
        goals = []
        for investment in investments:
            for measure, target in (("bipoc", "32.0"), ("women", "20.0"), ("apprentice", "15.0")):
                goals.append(WorkforceGoal(investment=investment, measure=measure, target_percent=target, source="ordinance"))
        WorkforceGoal.objects.bulk_create(goals)
        first = dt.date(2024, 1, 1)
        for investment in investments[1:]:
            HoursRecord.objects.bulk_create(_records(investment, rng, WEEKS, CONTRACTORS, TRADES, first), batch_size=2000)
        HoursRecord.objects.bulk_create(
            _records(investments[0], rng, BUSY_WEEKS, BUSY_CONTRACTORS, BUSY_TRADES, first), batch_size=2000)
    print(f"BENCH workforce.build seconds={time.monotonic() - started:.1f} records={HoursRecord.objects.count()}",
          flush=True)
    connection.close()
    marker.write_text("built\n")


def line(name: str, result, baseline_p95: float) -> str:
    return base.line(name, result, baseline_p95).replace("BENCH directory.", "BENCH workforce.", 1)


def pages_changed():
    """What empties the pages' cache, as any write does (None before the pages were cached)."""
    try:
        from commontable.workforce.pages import PAGES
    except ImportError:
        return None
    return PAGES.changed


def measure(client, name: str, url: str, baseline_p95: float, cold: bool = False) -> None:
    """A page as most loads are (its body from the page cache, ADR 13), and with `cold` also
    `<name>_cold`: the first load after a change (the data version replaced before each request)."""
    if cold:
        measure(client, name, url, baseline_p95)
        name, before = f"{name}_cold", pages_changed()
        if before is None:
            print(f"BENCH workforce.{name} skipped reason=no-page-cache", flush=True)
            return
    else:
        before = None
    result = base.timed(client, url, N, before=before)
    if result.skipped:
        print(f"BENCH workforce.{name} skipped reason={result.skipped} url={url}", flush=True)
        return
    print(line(name, result, baseline_p95), flush=True)


def check_seconds(busy) -> None:
    from commontable.workforce.importer import check_file

    rows = ["Contractor,Week Ending,Employee ID,Employee Name,Classification,Apprentice,Gender,Race,ST Hours,OT Hours"]
    rng = random.Random(5)
    for i in range(5_000):
        end = dt.date(2024, 1, 7) + dt.timedelta(days=7 * (i % 50))
        rows.append(f"Contractor {i % 8},{end.isoformat()},{i},Worker {i},Trade {i % 4},"
                    f"{rng.choice(['Y', 'N'])},{rng.choice(['F', 'M'])},{rng.choice(['White', 'Black', 'Hmong', 'Declined'])},"
                    f"{rng.choice([32, 40])},{rng.choice([0, 2.5])}")
    data = ("\n".join(rows) + "\n").encode()
    started = time.monotonic()
    checked = check_file(busy, data, "bench.csv")
    seconds = time.monotonic() - started
    print(f"BENCH workforce.import_check seconds={seconds:.2f} rows=5000 reports={len(checked.reports)} "
          f"errors={checked.preview.error_count}", flush=True)


def main() -> int:
    base.DATA.mkdir(parents=True, exist_ok=True)
    database = data_file()
    base.configure(database)
    build(database)

    from django.test import Client, override_settings

    from commontable.accounts.models import User
    from commontable.investments.models import Investment

    staff = User.objects.get(email=STAFF_EMAIL)
    busy = Investment.objects.get(slug="investment-000")
    typical = Investment.objects.get(slug="investment-101")
    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(ROOT_URLCONF="bench_directory", STORAGES=plain_static):
        client = Client(raise_request_exception=False)
        client.force_login(staff)
        result = base.timed(client, "/__bench__/baseline/", N)
        if result.skipped:
            print(f"BENCH workforce.baseline failed reason={result.skipped}", flush=True)
            return 1
        baseline_p95 = base.p95(result.times)
        print(line("baseline", result, baseline_p95), flush=True)
        measure(client, "workforce_overview", "/workforce/", baseline_p95, cold=True)
        measure(client, "workforce_overview_by_gap", "/workforce/?sort=gap", baseline_p95, cold=True)
        measure(client, "workforce_detail_busy", f"/workforce/{busy.slug}/", baseline_p95, cold=True)
        measure(client, "workforce_detail", f"/workforce/{typical.slug}/", baseline_p95, cold=True)
        measure(client, "api_workforce_overview", "/api/v1/workforce", baseline_p95)
        measure(client, "api_workforce_detail_busy", f"/api/v1/workforce/{busy.slug}", baseline_p95)
        measure(client, "api_hours_list", f"/api/v1/workforce/{busy.slug}/hours", baseline_p95)
    check_seconds(busy)
    return 0


if __name__ == "__main__":
    sys.exit(main())
