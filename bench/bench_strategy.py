"""Plan dashboard and board report at coalition-network scale (100,000 people, 2,000 organisations).

    .venv/bin/python bench/bench_strategy.py        (or `make bench ONLY=strategy`)

Starts from the directory benchmark's large demo database (built once, see bench_directory.py),
copied, with the coalition's plan loaded as in `make run` (20 objectives, indicators bound,
targets, a board report). Pages go through the whole middleware stack with the test client,
signed in as staff, against a bare view rendering a small template measured in the same run:

    BENCH strategy.dashboard p50_ms=… p95_ms=… baseline_p95_ms=… ratio=… queries=… n=…

`dashboard` is the usual case (figures cached, nothing changed since the last load);
`dashboard_after_change` changes a record the figures count before every request (the cache of
the indicators that depend on it is dropped, so they are computed again); `dashboard_cold` empties
the whole cache before every request. `board_report_pdf` is timed warm, and `board_report_pdf_first`
is the first PDF of a fresh process (WeasyPrint and its fonts loading).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import bench_directory as base  # noqa: E402  (shares the large demo database and the timing helpers)

N = int(os.environ.get("BENCH_N", "200"))


def line(name: str, result, baseline_p95: float) -> str:
    return base.line(name, result, baseline_p95).replace("BENCH directory.", "BENCH strategy.", 1)


def prepare() -> Path:
    """The directory benchmark's database, copied once, with the plan loaded."""
    source = base.data_file()
    target = base.DATA / f"strategy-{source.stem.removeprefix('directory-')}.sqlite3"
    marker = target.with_suffix(".ok")
    if not (target.exists() and marker.exists()):
        # Build the directory data first (in its own process: it configures Django itself).
        subprocess.check_call([sys.executable, "-c", "import bench_directory as b; d=b.data_file(); b.configure(d); b.build(d)"], cwd=HERE)
        for old in base.DATA.glob("strategy-*"):
            old.unlink()
        shutil.copyfile(source, target)
    return target


def main() -> int:
    base.DATA.mkdir(parents=True, exist_ok=True)
    database = prepare()
    base.configure(database)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    marker = database.with_suffix(".ok")
    from commontable.strategy import demo as plan_demo
    from commontable.strategy.models import BoardReport, Objective, Plan

    if not marker.exists():
        started = time.perf_counter()
        plan_demo.plan_demo_load()
        print(f"BENCH strategy.plan_demo_load seconds={time.perf_counter() - started:.1f}", flush=True)
        marker.write_text("built\n")

    from django.core.cache import cache
    from django.test import Client, override_settings

    from commontable.accounts.models import User
    from commontable.directory import demo
    from commontable.directory.models import Organization

    staff = User.objects.get(email=f"staff@{demo.LOGIN_DOMAIN}")
    plan = Plan.objects.get(is_default=True)
    objective = Objective.objects.get(plan=plan, number="2.6")
    report = BoardReport.objects.filter(plan=plan).first()
    bindings = sum(1 for _ in objective.plan.objectives.filter(bindings__isnull=False))
    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(ROOT_URLCONF="bench_directory", STORAGES=plain_static):
        client = Client(raise_request_exception=False)
        client.force_login(staff)
        result = base.timed(client, "/__bench__/baseline/", N)
        baseline_p95 = base.p95(result.times)
        print(line("baseline", result, baseline_p95), flush=True)

        dashboard = f"/plan/plans/{plan.slug}/"
        result = base.timed(client, dashboard, N)
        print(line("dashboard", result, baseline_p95) + f" objectives={plan.objectives.count()} bound_objectives={bindings}", flush=True)

        # A record the figures count changes before every request.
        org = Organization.objects.order_by("pk").first()
        times = []
        for index in range(min(N, 60)):
            org.description = f"bench {index}"
            org.save(update_fields=["description", "updated_at"])
            started = time.perf_counter()
            client.get(dashboard)
            times.append((time.perf_counter() - started) * 1000)
        print(line("dashboard_after_change", base.Measured(times, result.queries), baseline_p95), flush=True)

        times = []
        for _ in range(15):
            cache.clear()
            started = time.perf_counter()
            client.get(dashboard)
            times.append((time.perf_counter() - started) * 1000)
        print(line("dashboard_cold", base.Measured(times, 0), baseline_p95).replace(" queries=0", ""), flush=True)

        result = base.timed(client, f"/plan/objectives/{objective.public_id}/", N)
        print(line("objective_detail", result, baseline_p95), flush=True)

        if report is not None:
            pdf_url = f"/plan/reports/{report.public_id}/pdf/"
            code = subprocess.run(
                [sys.executable, "-c", _FIRST_PDF.format(db=str(database), url=pdf_url, email=staff.email)],
                cwd=HERE, capture_output=True, text=True, check=False,
            )
            print(code.stdout.strip() or f"BENCH strategy.board_report_pdf_first failed {code.stderr[-300:]!r}", flush=True)
            times = []
            for _ in range(10):
                started = time.perf_counter()
                response = client.get(pdf_url)
                times.append(time.perf_counter() - started)
            print(f"BENCH strategy.board_report_pdf p50_s={statistics.median(times):.2f} max_s={max(times):.2f} "
                  f"bytes={len(response.content)} n={len(times)}", flush=True)

            started = time.perf_counter()
            from commontable.strategy import services

            services.board_report_create(actor=staff, plan=plan, period_start=plan.period_start, period_end=plan.period_end)
            print(f"BENCH strategy.board_report_create seconds={time.perf_counter() - started:.2f}", flush=True)
    return 0


_FIRST_PDF = """
import time, sys
import bench_directory as b
from pathlib import Path
b.configure(Path({db!r}))
from django.test import Client, override_settings
from commontable.accounts.models import User
plain = {{"default": {{"BACKEND": "django.core.files.storage.FileSystemStorage"}},
         "staticfiles": {{"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}}}
with override_settings(ROOT_URLCONF="bench_directory", STORAGES=plain):
    c = Client(); c.force_login(User.objects.get(email={email!r}))
    t = time.perf_counter(); r = c.get({url!r}); s = time.perf_counter() - t
    print(f"BENCH strategy.board_report_pdf_first seconds={{s:.2f}} status={{r.status_code}} bytes={{len(r.content)}}")
"""


if __name__ == "__main__":
    sys.exit(main())
