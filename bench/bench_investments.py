"""Investment watch at the issue's scale: 5,000 investments, 50,000 commitments, 500,000 reports.

    .venv/bin/python bench/bench_investments.py        (or `make bench ONLY=investments`)

The data is built once into its own SQLite file under `bench/.data/` (bulk inserts: about half a
minute on a quiet machine, 75 s on a busy two-core one) and reused while this builder is unchanged;
pending migrations are applied to it. Investments lie inside the coalition's region: three in five
a point, one in five a line (2–40 vertices), one in five an area (4–30 vertices), each checked and
rounded by `geo.parse_location` as the services store them; three in five are public. Each has two
or three funding sources, a stage history, an ask with an action, and ten commitments; nine
commitments in ten have 11 or 12 reports (500,000 in all), the tenth none.

Pages and API endpoints go through the whole middleware stack with Django's test client, signed in as
staff (who see everything, the largest answers), against the bare view of `bench_directory`
measured in the same run with the same client:

    BENCH investments.commitment_list p50_ms=… p95_ms=… baseline_p95_ms=… ratio=… queries=… n=…

The pages (`/investments/`, an investment's page, the commitments page and a commitment's) are
measured where the investment pages are mounted (otherwise each prints a `skipped` line): as most
loads are (the body served from the page cache, ADR 13), then each as `<page>_cold`, the first
load after a change (the data version replaced before every request). The map's
GeoJSON is measured as it is served (gzip accepted; cached until something on the map changes),
`map_geojson_cold` with the cache emptied before every request (the first load after a change);
both add `bytes` (uncompressed), `gzip_bytes` (as served, gzip level 4) and `gzip6_bytes`
(Python's gzip at level 6), against the issue's 200 ms and 1 MB. Last, the commitment list's status filter alone
(`selectors.commitment_list(status=…).count()` over all 50,000 commitments), today (the stored
statuses, ADR 8) and tomorrow before the daily refresh (those that change are computed in SQL).

Environment: BENCH_N (requests per page, default 200).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import inspect
import math
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import bench_directory as base  # noqa: E402  (the baseline view, configuration and timing helpers)

N = int(os.environ.get("BENCH_N", "200"))
INVESTMENTS = 5_000
COMMITMENTS_EACH = 10  # 50,000 commitments
REPORTS = 500_000
ORGANIZATIONS = 300
BUILD_VERSION = "1"
STAFF_EMAIL = "staff@bench.example"
MAP_LIMIT_MS, MAP_LIMIT_BYTES = 200, 1_000_000


def data_file() -> Path:
    """The cached database, named after the scale and this builder (model changes come as
    migrations, applied to the cached file)."""
    digest = hashlib.sha1(f"{INVESTMENTS}/{COMMITMENTS_EACH}/{REPORTS}/{BUILD_VERSION}".encode())  # noqa: S324
    digest.update((inspect.getsource(build) + inspect.getsource(_shape)).encode())
    return base.DATA / f"investments-{digest.hexdigest()[:10]}.sqlite3"


# --- building ------------------------------------------------------------------------------------


def _shape(rng: random.Random, n: int) -> dict:
    """A point, a line or an area somewhere in the seven-county region."""
    lon, lat = rng.uniform(-93.9, -92.8), rng.uniform(44.6, 45.4)
    roll = n % 5
    if roll < 3:
        return {"type": "Point", "coordinates": [lon, lat]}
    if roll == 3:
        points = []
        for _step in range(rng.randint(2, 40)):
            points.append([lon, lat])
            lon += rng.uniform(-0.004, 0.004)
            lat += rng.uniform(-0.003, 0.003)
        return {"type": "LineString", "coordinates": points}
    corners, radius = rng.randint(4, 30), rng.uniform(0.001, 0.006)
    ring = [
        [
            lon + radius * math.cos(2 * math.pi * k / corners) * rng.uniform(0.8, 1.0),
            lat + radius * 0.7 * math.sin(2 * math.pi * k / corners) * rng.uniform(0.8, 1.0),
        ]
        for k in range(corners)
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def build(database: Path) -> None:
    """Migrate an empty database and fill it with bulk inserts; the `.ok` marker says it is complete."""
    from django.core.management import call_command
    from django.db import connection, transaction

    marker = database.with_suffix(".ok")
    if database.exists() and marker.exists():
        call_command("migrate", verbosity=0)
        return
    for old in base.DATA.glob("investments-*"):
        old.unlink()
    connection.close()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)

    from commontable.accounts.models import User
    from commontable.core.models import Place
    from commontable.core.visibility import Role, Visibility
    from commontable.directory.choices import MembershipStatus, OrganizationKind
    from commontable.directory.models import Organization
    from commontable.investments import geo
    from commontable.investments.choices import (
        AskActionKind,
        CommitmentCategory,
        CommitmentSource,
        FundingProgram,
        InvestmentKind,
        Stage,
        TargetDirection,
    )
    from commontable.investments.models import (
        AskAction,
        CampaignAsk,
        Commitment,
        CommitmentReport,
        FundingSource,
        Investment,
        StageChange,
    )

    rng = random.Random(2024)
    today = dt.date.today()
    kinds, stages = list(InvestmentKind.values), [s for s in Stage.values if s != Stage.CANCELLED]
    with transaction.atomic():
        User.objects.create_user(STAFF_EMAIL, "bench-password", role=Role.STAFF, full_name="Bench Staff")
        places = Place.objects.bulk_create(
            Place(slug=f"city-{n}", name=f"City {n}", kind=Place.Kind.CITY) for n in range(40)
        )
        organizations = Organization.objects.bulk_create(
            Organization(
                name=f"Counterpart {n}",
                slug=f"counterpart-{n}",
                name_folded=f"counterpart {n}",
                kind=OrganizationKind.DEVELOPER if n % 3 else OrganizationKind.AGENCY,
                membership_status=MembershipStatus.NOT_MEMBER,
                visibility=Visibility.PUBLIC,
            )
            for n in range(ORGANIZATIONS)
        )
        investments = []
        for n in range(INVESTMENTS):
            location = geo.parse_location(_shape(rng, n))
            stage = rng.choice(stages)
            investments.append(
                Investment(
                    name=f"{rng.choice(['Blue Line', 'Rondo', 'Riverfront', 'Northside', 'Lake Street', 'Midway'])} "
                    f"{rng.choice(['station', 'housing', 'park', 'bridge', 'plaza', 'center'])} {n}",
                    slug=f"investment-{n}",
                    kind=rng.choice(kinds),
                    description="A public investment the coalition watches.",
                    sponsor=rng.choice(organizations),
                    jurisdiction=rng.choice(places),
                    total_cost_cents=rng.randint(1_000_000, 2_000_000_000) * 100,
                    stage=stage,
                    stage_since=today - dt.timedelta(days=rng.randint(30, 900)),
                    geometry=location.geometry,
                    min_lon=location.bbox[0],
                    min_lat=location.bbox[1],
                    max_lon=location.bbox[2],
                    max_lat=location.bbox[3],
                    visibility=Visibility.PUBLIC
                    if n % 5 < 3
                    else (Visibility.MEMBERS if n % 5 == 3 else Visibility.STAFF),
                )
            )
        investments = Investment.objects.bulk_create(investments, batch_size=1000)
        programs = list(FundingProgram.values)
        FundingSource.objects.bulk_create(
            (
                FundingSource(
                    investment=i,
                    program=rng.choice(programs),
                    fiscal_year=rng.randint(2020, 2030),
                    amount_cents=rng.randint(10_000, 500_000_000) * 100,
                )
                for i in investments
                for _k in range(rng.randint(2, 3))
            ),
            batch_size=5000,
        )
        StageChange.objects.bulk_create(
            (
                StageChange(investment=i, stage=s, effective_on=i.stage_since - dt.timedelta(days=400 * k))
                for i in investments
                for k, s in enumerate(stages[: stages.index(i.stage) + 1][::-1][:3])
            ),
            batch_size=5000,
        )
        asks = CampaignAsk.objects.bulk_create(
            (
                CampaignAsk(
                    investment=i,
                    asked_of="City council",
                    ask=f"Commit to local hire on {i.name}.",
                    visibility=i.visibility,
                )
                for i in investments
            ),
            batch_size=5000,
        )
        AskAction.objects.bulk_create(
            (AskAction(ask=a, kind=AskActionKind.MEETING, on=today - dt.timedelta(days=60)) for a in asks),
            batch_size=5000,
        )
        categories, sources = list(CommitmentCategory.values), list(CommitmentSource.values)
        commitments = []
        for i in investments:
            for _k in range(COMMITMENTS_EACH):
                starts_on = today - dt.timedelta(days=rng.randint(60, 2000))
                commitments.append(
                    Commitment(
                        investment=i,
                        source=rng.choice(sources),
                        obligor=rng.choice(organizations),
                        text="Homes affordable at 30 % of area median income, or local hires.",
                        category=rng.choice(categories),
                        unit="units",
                        direction=TargetDirection.AT_MOST if rng.random() < 0.1 else TargetDirection.AT_LEAST,
                        target=Decimal(rng.randint(10, 500)),
                        starts_on=starts_on,
                        deadline=starts_on + dt.timedelta(days=rng.randint(365, 2200)),
                        visibility=i.visibility,
                    )
                )
        commitments = Commitment.objects.bulk_create(commitments, batch_size=5000)
        reported = [c for n, c in enumerate(commitments) if n % 10]  # one in ten has no report
        twelve = REPORTS - 11 * len(reported)  # how many get a twelfth report
        batch = []
        for n, commitment in enumerate(reported):
            span = (today - commitment.starts_on).days
            count = 12 if n < twelve else 11
            pace = rng.uniform(0.3, 1.3)
            for k in range(count):
                as_of = commitment.starts_on + dt.timedelta(days=span * (k + 1) // count)
                share = min(
                    1.0,
                    (as_of - commitment.starts_on).days / (commitment.deadline - commitment.starts_on).days,
                )
                value = Decimal(str(round(float(commitment.target) * share * pace, 2)))
                batch.append(
                    CommitmentReport(
                        commitment=commitment,
                        value=value,
                        as_of=as_of,
                        evidence_url="https://example.org/report.pdf",
                    )
                )
            if len(batch) >= 20000:
                CommitmentReport.objects.bulk_create(batch)
                batch = []
        CommitmentReport.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seconds = time.perf_counter() - started
    print(
        f"BENCH investments.build seconds={seconds:.1f} investments={Investment.objects.count()} "
        f"commitments={Commitment.objects.count()} reports={CommitmentReport.objects.count()}",
        flush=True,
    )
    connection.close()
    marker.write_text("built\n")


# --- measuring -----------------------------------------------------------------------------------


def line(name: str, result, baseline_p95: float) -> str:
    return base.line(name, result, baseline_p95).replace("BENCH directory.", "BENCH investments.", 1)


def measure(client, name: str, url: str | None, baseline_p95: float, reason: str = "", before=None, **extra) -> None:
    if url is None:
        print(f"BENCH investments.{name} skipped reason={reason}", flush=True)
        return
    result = base.timed(client, url, N, before=before)
    if result.skipped:
        print(f"BENCH investments.{name} skipped reason={result.skipped} url={url}", flush=True)
        return
    words = "".join(f" {key}={value}" for key, value in extra.items())
    print(line(name, result, baseline_p95) + words, flush=True)


def page(name: str, **kwargs) -> tuple[str | None, str]:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs=kwargs or None), ""
    except NoReverseMatch:
        return None, f"no-url-{name}(pages-not-mounted-yet)"


def pages_changed():
    """What empties the pages' cache, as any write does (None before the pages were cached)."""
    try:
        from commontable.investments.pages import PAGES
    except ImportError:
        return None
    return PAGES.changed


def map_geojson(client, staff, baseline_p95: float) -> None:
    """The map's GeoJSON, as served (gzip accepted), with its sizes; then with the cache emptied
    before every request (the first request after a change), uncompressed, to a client that holds
    its ETag (304), and as an anonymous visitor (public investments only)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    url = "/api/v1/investments.geojson"
    plain = client.get(url)
    body = plain.content
    served = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    features = body.count(b'"type":"Feature"')
    zipped = Client(HTTP_ACCEPT_ENCODING="gzip", raise_request_exception=False)
    zipped.force_login(staff)
    result = base.timed(zipped, url, N)
    gzip6 = len(gzip.compress(body, 6))
    verdict = (
        "ok"
        if base.p95(result.times) <= MAP_LIMIT_MS and len(served.content) <= MAP_LIMIT_BYTES
        else "over-limit"
    )
    print(
        line("map_geojson", result, baseline_p95)
        + f" bytes={len(body)} gzip_bytes={len(served.content)} gzip6_bytes={gzip6} features={features} "
        f"precision=6 limit_ms={MAP_LIMIT_MS} limit_bytes={MAP_LIMIT_BYTES} verdict={verdict}",
        flush=True,
    )
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        zipped.get(url)
    cold_queries = len(captured)
    times = []
    for _n in range(min(N, 60)):
        cache.clear()  # as after any change: the features are read, written and compressed again
        started = time.perf_counter()
        zipped.get(url)
        times.append((time.perf_counter() - started) * 1000)
    print(
        line("map_geojson_cold", base.Measured(times, cold_queries), baseline_p95)
        + f" gzip_bytes={len(served.content)}",
        flush=True,
    )
    uncompressed = Client(raise_request_exception=False)
    uncompressed.force_login(staff)
    result = base.timed(uncompressed, url, N)
    print(line("map_geojson_uncompressed", result, baseline_p95) + f" bytes={len(body)}", flush=True)
    revalidate = Client(
        HTTP_IF_NONE_MATCH=plain["ETag"], HTTP_ACCEPT_ENCODING="gzip", raise_request_exception=False
    )
    revalidate.force_login(staff)
    times = []
    for _n in range(min(N, 100)):
        started = time.perf_counter()
        status = revalidate.get(url).status_code
        times.append((time.perf_counter() - started) * 1000)
    print(
        line("map_geojson_304", base.Measured(times, result.queries), baseline_p95).replace(
            " queries=", f" status={status} queries="
        ),
        flush=True,
    )
    anonymous = Client(HTTP_ACCEPT_ENCODING="gzip", raise_request_exception=False)
    public = anonymous.get(url)
    features = gzip.decompress(public.content).count(b'"type":"Feature"')
    result = base.timed(anonymous, url, N)
    print(
        line("map_geojson_anonymous", result, baseline_p95)
        + f" gzip_bytes={len(public.content)} features={features}",
        flush=True,
    )


def status_filter_seconds() -> None:
    """The commitment list's status filter over all 50,000 commitments, in the database: today,
    and tomorrow before the daily refresh (the first load of a day, when the statuses that change
    that day no longer hold and are computed in SQL, ADR 8)."""
    from django.utils import timezone

    from commontable.accounts.models import User
    from commontable.investments import selectors

    staff = User.objects.get(email=STAFF_EMAIL)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    for when, day in (("today", None), ("tomorrow_unrefreshed", tomorrow)):
        for status in ("met", "at_risk", "no_data"):
            times = []
            for _n in range(5):
                started = time.perf_counter()
                count = selectors.commitment_list(staff, status=status, today=day).count()
                times.append(time.perf_counter() - started)
            print(
                f"BENCH investments.commitment_status_count status={status} day={when} "
                f"p50_ms={statistics.median(times) * 1000:.1f} max_ms={max(times) * 1000:.1f} rows={count}",
                flush=True,
            )


def keep_latest_reports() -> None:
    """The bulk inserts bypass `commitment_report_add`, which keeps each commitment's latest report
    on it: fill those columns once after a fresh build, as migration 0003 fills a cached file
    built before them (kept out of `build` so that the cached file's name stays the same)."""
    from commontable.investments.models import Commitment

    if Commitment.objects.filter(latest_on__isnull=True, reports__isnull=False).exists():
        Commitment.objects.refresh_latest_report()
    if hasattr(Commitment.objects, "refresh_status"):
        # As the daily refresh does on a server: the statuses stored on an earlier day that no
        # longer hold today are stored again (the cached file may be days old).
        from django.core.management import call_command

        call_command("investments_status_refresh")


def main() -> int:
    base.DATA.mkdir(parents=True, exist_ok=True)
    database = data_file()
    base.configure(database)
    build(database)
    keep_latest_reports()

    from django.test import Client, override_settings

    from commontable.accounts.models import User
    from commontable.investments.models import Commitment, Investment

    staff = User.objects.get(email=STAFF_EMAIL)
    busy = Investment.objects.filter(visibility="public").order_by("pk").first()
    commitment = Commitment.objects.filter(investment=busy).order_by("pk").first()
    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(ROOT_URLCONF="bench_directory", STORAGES=plain_static):
        client = Client(raise_request_exception=False)
        client.force_login(staff)
        result = base.timed(client, "/__bench__/baseline/", N)
        if result.skipped:
            print(f"BENCH investments.baseline failed reason={result.skipped}", flush=True)
            return 1
        baseline_p95 = base.p95(result.times)
        print(line("baseline", result, baseline_p95), flush=True)

        pages = []
        for name, url_name, kwargs in (
            ("investment_list", "investments:investment_list", {}),
            ("investment_detail", "investments:investment_detail", {"slug": busy.slug}),
            ("commitment_list", "investments:commitment_list", {}),
            ("commitment_list_at_risk", "investments:commitment_list", {}),
            ("commitment_detail", "investments:commitment_detail", {"public_id": commitment.public_id}),
        ):
            url, reason = page(url_name, **kwargs)
            if url and name.endswith("_at_risk"):
                url += "?status=at_risk"
            measure(client, name, url, baseline_p95, reason)
            pages.append((name, url, reason))
        # The first load after a change (any write to what the pages show replaces the data
        # version): the body is built from the data again and kept.
        changed = pages_changed()
        for name, url, reason in pages:
            if changed is None:
                print(f"BENCH investments.{name}_cold skipped reason=no-page-cache", flush=True)
                continue
            measure(client, f"{name}_cold", url, baseline_p95, reason, before=changed)

        api = "/api/v1"
        measure(client, "api_investment_list", f"{api}/investments", baseline_p95)
        measure(client, "api_investment_detail", f"{api}/investments/{busy.slug}", baseline_p95)
        measure(client, "api_commitment_list", f"{api}/commitments", baseline_p95)
        measure(client, "api_commitment_list_at_risk", f"{api}/commitments?status=at_risk", baseline_p95)
        measure(client, "api_commitment_detail", f"{api}/commitments/{commitment.public_id}", baseline_p95)
        measure(client, "api_ask_list", f"{api}/asks", baseline_p95)
        map_geojson(client, staff, baseline_p95)
    status_filter_seconds()
    return 0


if __name__ == "__main__":
    sys.exit(main())
