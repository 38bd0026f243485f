"""Benchmark: the displacement overlay's geometry (tract index, point lookups, exposure, map layer).

    make bench ONLY=displacement_overlay    (or: .venv/bin/python bench/bench_displacement_overlay.py [N_TRACTS])

No database and no Django: the functions are pure. Synthetic data only (see method/synthetic_geo.py):
a national-size jittered grid (default 85,000 tracts) at ~7 and ~200 vertices per polygon, and an
800-tract Twin Cities-shaped region with ~200 vertices per tract along wiggly shared borders.

One BENCH line per figure. The baseline (`baseline_ms`) is measured in the same run: creating
100,000 shapely points from two coordinate arrays (`shapely.points`), a fixed amount of vectorised
GEOS work; `ratio` = the figure / that baseline, so busy-machine noise can be told from a regression.
Targets (spec §5, 2 cores): 100k points → 85k tracts ≤ 2 s excluding geometry load; STRtree build
< 0.1 s; the 800-tract map layer ≤ 300 KB gzipped.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from commontable.displacement.method.geometry import TractIndex, display_geojson, gzip_size  # noqa: E402
from commontable.displacement.method.overlay import (  # noqa: E402
    alert_tiers,
    assign_points,
    project_exposure,
    project_summaries,
)
from commontable.displacement.method.synthetic_geo import (  # noqa: E402
    CONUS_BBOX,
    TWIN_CITIES_BBOX,
    synthetic_national,
    synthetic_points,
    synthetic_tracts,
)

N_POINTS = 100_000


def baseline_ms() -> float:
    lon, lat = synthetic_points(N_POINTS, CONUS_BBOX, seed=99)
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        shapely.points(lon, lat)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs) * 1000


def timed(func, repeat: int = 1):
    """(median seconds over `repeat` runs, the last result)."""
    runs, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), result


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(name: str, seconds: float, base_ms: float, **figures) -> None:
    extra = " ".join(f"{k}={v}" for k, v in figures.items())
    print(
        f"BENCH displacement_overlay.{name} seconds={seconds:.3f} {extra} "
        f"baseline_ms={base_ms:.1f} ratio={seconds * 1000 / base_ms:.1f} peak_rss_mb={peak_mb():.0f}",
        flush=True,
    )


def national(n_tracts: int, vertices: int, base: float) -> None:
    seconds, (geoids, polygons) = timed(lambda: synthetic_national(n_tracts, vertices=vertices, seed=1))
    mean_vertices = float(shapely.get_num_coordinates(polygons).mean() - 1)
    tag = f"v{vertices}"
    report(
        f"national_build_{tag}",
        seconds,
        base,
        n=n_tracts,
        mean_vertices=f"{mean_vertices:.0f}",
        what="synthetic",
    )

    seconds, _ = timed(lambda: shapely.STRtree(polygons).query(shapely.points(0, 0)), repeat=3)
    report(f"strtree_build_{tag}", seconds, base, n=n_tracts, target_s=0.1)

    seconds, index = timed(lambda: TractIndex(geoids, polygons))
    report(f"tract_index_build_{tag}", seconds, base, n=n_tracts, what="checks+prepare+tree")

    lon, lat = synthetic_points(N_POINTS, CONUS_BBOX, seed=2)
    seconds, result = timed(lambda: assign_points(index, lon, lat), repeat=3)
    unassigned = sum(g is None for g in result.geoid.tolist())
    report(
        f"assign_points_{tag}",
        seconds,
        base,
        points=N_POINTS,
        tracts=n_tracts,
        unassigned=unassigned,
        ties=int(result.boundary_tie.sum()),
        target_s=2.0,
    )
    seconds, _ = timed(lambda: assign_points(index, lon, lat, tie_tolerance_deg=0), repeat=3)
    report(
        f"assign_points_exact_{tag}", seconds, base, points=N_POINTS, tracts=n_tracts, what="intersects_only"
    )

    if vertices >= 100:
        # The metric copy (EPSG:26915) is only built when exposure needs it; measure what it costs.
        seconds, _ = timed(lambda: index.prepare_metric())
        coords = int(shapely.get_num_coordinates(polygons).sum())
        report(f"project_to_utm_{tag}", seconds, base, n=n_tracts, coords=coords, what="lazy_metric_index")


def region(base: float) -> None:
    seconds, (geoids, polygons) = timed(lambda: synthetic_tracts(800, seed=0))
    mean_vertices = float(shapely.get_num_coordinates(polygons).mean() - 1)
    report("region_build", seconds, base, n=800, mean_vertices=f"{mean_vertices:.0f}", what="synthetic")

    seconds, raw = timed(lambda: display_geojson(geoids, polygons, tolerance=0), repeat=3)
    report(
        "geojson_raw",
        seconds,
        base,
        tracts=800,
        bytes=len(raw),
        gzip_bytes=gzip_size(raw),
        what="unsimplified",
    )
    seconds, layer = timed(lambda: display_geojson(geoids, polygons), repeat=3)
    report(
        "geojson_display",
        seconds,
        base,
        tracts=800,
        bytes=len(layer),
        gzip_bytes=gzip_size(layer),
        target_gzip_bytes=300_000,
        what="coverage_simplify_0.0002deg_5dp",
    )

    seconds, index = timed(lambda: TractIndex(geoids, polygons).prepare_metric())
    report("region_index_build", seconds, base, n=800, what="with_utm_projection")

    # 5,000 investments: 80 % points, 10 % lines (≈5 km), 10 % small polygons; kinds with both radii.
    n = 5_000
    rng = np.random.default_rng(3)
    lon, lat = synthetic_points(n, TWIN_CITIES_BBOX, seed=4)
    geometries, kinds = [], []
    for p in range(n):
        if p % 10 == 8:
            dx, dy = rng.uniform(-0.05, 0.05, 2)
            geometries.append(
                {"type": "LineString", "coordinates": [[lon[p], lat[p]], [lon[p] + dx, lat[p] + dy]]}
            )
            kinds.append("transit_line")
        elif p % 10 == 9:
            geometries.append(
                shapely.geometry.mapping(shapely.box(lon[p], lat[p], lon[p] + 0.004, lat[p] + 0.003))
            )
            kinds.append("park")
        else:
            geometries.append({"type": "Point", "coordinates": [lon[p], lat[p]]})
            kinds.append("transit_station" if p % 3 else "housing")
    statuses = [("planned", "under_construction", "complete")[p % 3] for p in range(n)]
    costs = rng.uniform(1e5, 5e8, n).tolist()
    seconds, exposure = timed(
        lambda: project_exposure(index, geometries, kinds, statuses=statuses, costs_usd=costs), repeat=3
    )
    report(
        "exposure_5000_projects",
        seconds,
        base,
        projects=n,
        tracts=800,
        pairs=int(exposure.pair_project.size),
        exposed=int(exposure.exposed.sum()),
    )
    few = slice(0, 500)
    seconds, _ = timed(
        lambda: project_exposure(
            index, geometries[few], kinds[few], statuses=statuses[few], costs_usd=costs[few]
        ),
        repeat=3,
    )
    report("exposure_500_projects", seconds, base, projects=500, tracts=800)

    counts = rng.uniform(1000, 6000, 800)
    seconds, _ = timed(
        lambda: project_summaries(
            index,
            exposure,
            population=counts,
            bipoc_population=counts * 0.4,
            low_income_households=counts * 0.1,
        ),
        repeat=3,
    )
    report("project_summaries", seconds, base, projects=n)
    codes = rng.choice(["LISD", "OD", "ARG", "EOG", "AdvG", "SMMI", "ARE", "BE", "SAE"], 800)
    seconds, _ = timed(lambda: alert_tiers(codes, exposure.exposed, counts / 6000, 0.3), repeat=3)
    report("alert_tiers", seconds, base, tracts=800)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n_tracts = int(args[0]) if args else 85_000
    base = baseline_ms()
    print(
        f"# baseline: shapely.points over {N_POINTS:,} coordinate pairs, median of 5 = {base:.1f} ms",
        flush=True,
    )
    region(base)
    national(n_tracts, 7, base)
    national(n_tracts, 200, base)
    report("peak_memory", 0.0, base, what="whole_run")


if __name__ == "__main__":
    main()
