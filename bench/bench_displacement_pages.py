"""Displacement pages on the demo's synthetic region: 800 invented tracts (about 200 vertices each),
invented survey values over two windows, the computation over them, and 200 planned public
investments for the overlay.

    .venv/bin/python bench/bench_displacement_pages.py     (or `make bench ONLY=displacement_pages`)

The data is built once into its own SQLite file under `bench/.data/` and reused while this builder
is unchanged. Pages go through the whole middleware stack with Django's test client, anonymous (the
map and tract pages are public), against the bare view of `bench_directory` measured in the same
run (target: tract page p95 ≤ 50 ms; the map's tract layer for 800 tracts ≤ 300 KB gzipped):

    BENCH displacement_pages.tract_page p50_ms=… p95_ms=… baseline_p95_ms=… ratio=… queries=… n=…
    BENCH displacement_pages.tract_layer_gzip bytes=… raw_bytes=…

Also: the computation of the region (typology, 100 stability draws, index, flags) from stored rows,
and the first tract layer after a change (shapes simplified again).

Environment: BENCH_N (requests per page, default 200).
"""

from __future__ import annotations

import gzip
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
TRACTS = 800
INVESTMENTS = 200
BUILD_VERSION = "1"


def data_file() -> Path:
    digest = hashlib.sha1(f"{TRACTS}/{INVESTMENTS}/{BUILD_VERSION}".encode())  # noqa: S324
    digest.update(inspect.getsource(build).encode())
    return base.DATA / f"displacement-{digest.hexdigest()[:10]}.sqlite3"


def build(database: Path) -> None:
    from django.core.management import call_command
    from django.db import connection

    marker = database.with_suffix(".ok")
    if database.exists() and marker.exists():
        call_command("migrate", verbosity=0)
        return
    for old in base.DATA.glob("displacement-*"):
        old.unlink()
    connection.close()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from commontable.displacement import demo
    from commontable.displacement.models import Tract
    from commontable.investments.models import Investment

    started = time.monotonic()
    demo.displacement_demo_load(tracts=TRACTS)
    rng = random.Random(3)
    tracts = list(Tract.objects.values_list("centroid_lon", "centroid_lat"))
    kinds = ["transit_station", "housing", "park", "commercial", "road"]
    Investment.objects.bulk_create(
        Investment(name=f"Investment {i:03d}", slug=f"investment-{i:03d}", kind=kinds[i % len(kinds)],
                   stage="planning", visibility="public",
                   geometry={"type": "Point", "coordinates": [round(lon + rng.uniform(-0.01, 0.01), 6),
                                                              round(lat + rng.uniform(-0.01, 0.01), 6)]})
        for i, (lon, lat) in enumerate(rng.sample(tracts, INVESTMENTS))
    )
    print(f"BENCH displacement_pages.build seconds={time.monotonic() - started:.1f} tracts={TRACTS}", flush=True)
    connection.close()
    marker.write_text("built\n")


def line(name: str, result, baseline_p95: float) -> str:
    return base.line(name, result, baseline_p95).replace("BENCH directory.", "BENCH displacement_pages.", 1)


def measure(client, name: str, url: str, baseline_p95: float) -> None:
    result = base.timed(client, url, N)
    if result.skipped:
        print(f"BENCH displacement_pages.{name} skipped reason={result.skipped} url={url}", flush=True)
        return
    print(line(name, result, baseline_p95), flush=True)


def layer_size(client) -> None:
    from django.core.cache import cache

    from commontable.core.indicators import data_changed
    from commontable.displacement.selectors import TRACTS_LABEL

    response = client.get("/displacement/tracts.geojson")
    body = response.content
    print(f"BENCH displacement_pages.tract_layer_gzip bytes={len(gzip.compress(body, 6))} raw_bytes={len(body)} "
          f"target_bytes={300 * 1024}", flush=True)
    data_changed(TRACTS_LABEL)
    cache.clear()
    started = time.monotonic()
    client.get("/displacement/tracts.geojson")
    print(f"BENCH displacement_pages.tract_layer_after_change seconds={time.monotonic() - started:.2f} "
          "(shapes simplified again, overlay recomputed)", flush=True)


def compute_seconds() -> None:
    from commontable.displacement import selectors, services

    region = selectors.region_default()
    started = time.monotonic()
    run = services.run_compute(region=region, profile="twin_cities", t0=2012, t1=2022)
    print(f"BENCH displacement_pages.region_compute seconds={time.monotonic() - started:.2f} tracts={run.tract_count} "
          "draws=100", flush=True)


def main() -> int:
    base.DATA.mkdir(parents=True, exist_ok=True)
    database = data_file()
    base.configure(database)
    build(database)

    from django.test import Client, override_settings

    from commontable.displacement.models import TractResult

    geoids = list(TractResult.objects.values_list("geoid", flat=True).distinct()[:50])
    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(ROOT_URLCONF="bench_directory", STORAGES=plain_static):
        client = Client(raise_request_exception=False)
        result = base.timed(client, "/__bench__/baseline/", N)
        if result.skipped:
            print(f"BENCH displacement_pages.baseline failed reason={result.skipped}", flush=True)
            return 1
        baseline_p95 = base.p95(result.times)
        print(line("baseline", result, baseline_p95), flush=True)
        client.get(f"/displacement/tracts/{geoids[0]}/")  # the overlay and shapes are built once
        measure(client, "tract_page", f"/displacement/tracts/{geoids[7]}/", baseline_p95)
        measure(client, "map_page", "/displacement/", baseline_p95)
        measure(client, "alert_list", "/displacement/alerts/", baseline_p95)
        measure(client, "api_result", f"/api/v1/displacement/results/{geoids[9]}", baseline_p95)
        layer_size(client)
    compute_seconds()
    return 0


if __name__ == "__main__":
    sys.exit(main())
