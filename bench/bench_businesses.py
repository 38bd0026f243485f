"""Business directory pages at scale: 5,000 businesses (three trades, two places, one or two
certifications each, some expired) and 1,000 contracting opportunities on 200 investments.

    .venv/bin/python bench/bench_businesses.py        (or `make bench ONLY=businesses`)

The data is built once into its own SQLite file under `bench/.data/` and reused while this builder
is unchanged. Pages and API endpoints go through the whole middleware stack with Django's test
client, signed in as staff, against the bare view of `bench_directory` measured in the same run with
the same client (target: list and detail p95 ≤ 50 ms):

    BENCH businesses.business_list p50_ms=… p95_ms=… baseline_p95_ms=… ratio=… queries=… n=…

The opportunity pages are measured for a typical opportunity (a 4-digit code, two certifications,
one city: tens of matches) and for a broad one (the 2-digit sector, anywhere: thousands of matches,
of which the first 200 are listed).

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
BUSINESSES = 5_000
INVESTMENTS = 200
OPPORTUNITIES = 1_000
STAFF_EMAIL = "staff@bench.example"
BUILD_VERSION = "1"
CODES = ["236220", "237310", "238110", "238120", "238160", "238210", "238220", "238310", "238320", "238910", "541310",
         "541320", "541330", "541370", "561720", "562910", "5416", "2382", "238"]
ASKS = ["2382", "2381", "2383", "5413", "238910", "2373", "236"]
PROGRAMS = ["cert", "tgb", "dbe", "mbe", "wbe", "sbe", "vosb"]


def data_file() -> Path:
    digest = hashlib.sha1(f"{BUSINESSES}/{OPPORTUNITIES}/{BUILD_VERSION}".encode())  # noqa: S324
    digest.update(inspect.getsource(build).encode())
    return base.DATA / f"businesses-{digest.hexdigest()[:10]}.sqlite3"


def build(database: Path) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    marker = database.with_suffix(".ok")
    if database.exists() and marker.exists():
        call_command("migrate", verbosity=0)
        return
    for old in base.DATA.glob("businesses-*"):
        old.unlink()
    connection.close()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from commontable.accounts.models import User
    from commontable.businesses.models import (
        Business,
        BusinessTrade,
        Certification,
        ContractingOpportunity,
        OpportunityTrade,
    )
    from commontable.core.models import Place
    from commontable.core.visibility import Role
    from commontable.investments.models import Investment

    started = time.monotonic()
    rng = random.Random(7)
    today = dt.date.today()
    with transaction.atomic():
        User.objects.create_user(email=STAFF_EMAIL, password="bench-only", role=Role.STAFF)
        state = Place.objects.create(slug="minnesota", name="Minnesota", kind="state")
        counties = [Place.objects.create(slug=f"county-{i}", name=f"County {i}", kind="county", parent=state) for i in range(7)]
        cities = [Place.objects.create(slug=f"city-{i}", name=f"City {i}", kind="city", parent=counties[i % 7]) for i in range(30)]
        places = counties + cities
        businesses = Business.objects.bulk_create(
            Business(name=f"Business {i:05d}", slug=f"business-{i:05d}", bipoc_owned=rng.choice(["yes", "yes", "no", ""]),
                     visibility=rng.choice(["public", "members"]), email=f"b{i}@bench.example",
                     bonding_limit_cents=rng.randint(0, 5_000_000) * 100, notices_consent_at=None)
            for i in range(BUSINESSES)
        )
        BusinessTrade.objects.bulk_create(
            BusinessTrade(business=b, code=code) for b in businesses for code in rng.sample(CODES, 3))
        through = Business.places_served.through
        through.objects.bulk_create(
            through(business=b, place=place) for b in businesses for place in rng.sample(places, 2))
        certifications = []
        for b in businesses:
            for program in rng.sample(PROGRAMS, rng.randint(1, 2)):
                start = today - dt.timedelta(days=rng.randint(100, 1500))
                certifications.append(Certification(business=b, program=program, valid_from=start,
                                                    valid_until=start + dt.timedelta(days=rng.randint(300, 1800))))
        Certification.objects.bulk_create(certifications, batch_size=2000)
        investments = Investment.objects.bulk_create(
            Investment(name=f"Investment {i:03d}", slug=f"investment-{i:03d}", kind="transit_station", visibility="public")
            for i in range(INVESTMENTS))
        opportunities = ContractingOpportunity.objects.bulk_create(
            ContractingOpportunity(investment=investments[i % INVESTMENTS], title=f"Opportunity {i:04d}",
                                   certifications_wanted=rng.sample(PROGRAMS[:4], 2), visibility="public",
                                   estimated_value_cents=rng.randint(10_000, 5_000_000) * 100)
            for i in range(OPPORTUNITIES))
        OpportunityTrade.objects.bulk_create(
            OpportunityTrade(opportunity=o, code=rng.choice(ASKS)) for o in opportunities)
        places_through = ContractingOpportunity.places.through
        places_through.objects.bulk_create(
            places_through(contractingopportunity=o, place=rng.choice(cities)) for o in opportunities)
        broad = ContractingOpportunity.objects.create(investment=investments[0], title="Broad", visibility="public")
        OpportunityTrade.objects.create(opportunity=broad, code="23")
    print(f"BENCH businesses.build seconds={time.monotonic() - started:.1f} businesses={Business.objects.count()} "
          f"opportunities={ContractingOpportunity.objects.count()}", flush=True)
    connection.close()
    marker.write_text("built\n")


def line(name: str, result, baseline_p95: float) -> str:
    return base.line(name, result, baseline_p95).replace("BENCH directory.", "BENCH businesses.", 1)


def pages_changed():
    """What empties the pages' cache, as any write does (None before the pages were cached)."""
    try:
        from commontable.businesses.pages import PAGES
    except ImportError:
        return None
    return PAGES.changed


def measure(client, name: str, url: str, baseline_p95: float, extra: str = "", cold: bool = False) -> None:
    """A page as most loads are (its body from the page cache, ADR 13), and with `cold` also
    `<name>_cold`: the first load after a change (the data version replaced before each request)."""
    if cold:
        measure(client, name, url, baseline_p95, extra)
        name, before = f"{name}_cold", pages_changed()
        if before is None:
            print(f"BENCH businesses.{name} skipped reason=no-page-cache", flush=True)
            return
    else:
        before = None
    result = base.timed(client, url, N, before=before)
    if result.skipped:
        print(f"BENCH businesses.{name} skipped reason={result.skipped} url={url}", flush=True)
        return
    print(line(name, result, baseline_p95) + extra, flush=True)


def main() -> int:
    base.DATA.mkdir(parents=True, exist_ok=True)
    database = data_file()
    base.configure(database)
    build(database)

    from django.test import Client, override_settings

    from commontable.accounts.models import User
    from commontable.businesses import selectors
    from commontable.businesses.models import ContractingOpportunity

    staff = User.objects.get(email=STAFF_EMAIL)
    typical = ContractingOpportunity.objects.get(title="Opportunity 0001")
    broad = ContractingOpportunity.objects.get(title="Broad")
    typical_matches = selectors.opportunity_matches(typical, staff).count
    broad_matches = selectors.opportunity_matches(broad, staff).count
    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(ROOT_URLCONF="bench_directory", STORAGES=plain_static):
        client = Client(raise_request_exception=False)
        client.force_login(staff)
        result = base.timed(client, "/__bench__/baseline/", N)
        if result.skipped:
            print(f"BENCH businesses.baseline failed reason={result.skipped}", flush=True)
            return 1
        baseline_p95 = base.p95(result.times)
        print(line("baseline", result, baseline_p95), flush=True)
        measure(client, "business_list", "/businesses/", baseline_p95, cold=True)
        measure(client, "business_list_filtered", "/businesses/?naics=2382&place=city-3&program=cert&bipoc_owned=yes",
                baseline_p95, cold=True)
        measure(client, "business_detail", "/businesses/business-00042/", baseline_p95, cold=True)
        measure(client, "opportunity_list", "/businesses/opportunities/", baseline_p95, cold=True)
        measure(client, "opportunity_detail", f"/businesses/opportunities/{typical.public_id}/", baseline_p95,
                f" matches={typical_matches}", cold=True)
        measure(client, "opportunity_detail_broad", f"/businesses/opportunities/{broad.public_id}/", baseline_p95,
                f" matches={broad_matches}", cold=True)
        measure(client, "api_business_list", "/api/v1/businesses", baseline_p95)
        measure(client, "api_business_detail", "/api/v1/businesses/business-00042", baseline_p95)
        measure(client, "api_opportunity_list", "/api/v1/opportunities", baseline_p95)
        measure(client, "api_opportunity_detail", f"/api/v1/opportunities/{typical.public_id}", baseline_p95)
    started = time.monotonic()
    matched = selectors.opportunities_matched()
    print(f"BENCH businesses.indicator_opportunities_matched seconds={time.monotonic() - started:.2f} "
          f"opportunities={OPPORTUNITIES + 1} matched={matched}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
