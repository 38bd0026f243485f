"""Benchmark: reading national-size census files (spec §5), on synthetic data made in a temp dir.

    make bench ONLY=census_files      (or: .venv/bin/python bench/bench_census_files.py [TRACTS])

Prints one BENCH line per measurement:
- `census_files.csv_national`: a data.census.gov-shaped export, TRACTS rows (default 85,000) × 60 value
  columns (30 E + 30 M, with a few per cent of annotation strings), read into an `AcsTable`
  (target ≤ 1 s). Baseline: `csv.reader` iterating over the same bytes (just splitting cells).
- `census_files.api_json_national`: the same values as a Census Data API response (target ≤ 2 s).
  Baseline: `json.loads` of the same bytes (the floor any JSON reader pays).
- `census_files.crosswalk_national`: 250,000 relationship parts × 40 count columns applied to a
  table of 2010 tracts, MOEs and the conservation check included, GEOIDs matched as strings
  (target ≤ 1 s). Baseline: the bare sums of the 40 estimate columns with `np.add.at` on integer
  indices already known (no MOEs, no checks, no GEOID matching).
Each measurement follows one warm-up run. Each line also gives the peak resident memory of the
process so far (`peak_rss_mb`).
"""

from __future__ import annotations

import csv
import io
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

VALUE_COLUMNS = 30  # 30 estimates + 30 MOEs = 60 value columns


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_geoids(n: int) -> list[str]:
    return [f"{27 + i // 2_000_000:02d}{(i // 2000) % 1000:03d}{i % 2000 * 100 + 100:06d}" for i in range(n)]


def synthetic_values(n: int, rng: np.random.Generator) -> tuple[list[str], np.ndarray, np.ndarray]:
    variables = [f"B99{k // 10:03d}_{k % 10 + 1:03d}" for k in range(VALUE_COLUMNS)]
    estimates = rng.integers(0, 200_000, size=(n, VALUE_COLUMNS))
    moes = rng.integers(1, 20_000, size=(n, VALUE_COLUMNS))
    return variables, estimates, moes


def census_csv(geoids, variables, estimates, moes, rng) -> bytes:
    header = ["GEO_ID", "NAME"] + [f"{v}{k}" for v in variables for k in ("E", "M")]
    labels = ["Geography", "Geographic Area Name"] + [
        f"{'Estimate' if k == 'E' else 'Margin of Error'}!!Total:!!Line {v}" for v in variables for k in ("E", "M")
    ]
    out = io.StringIO()
    out.write(",".join(header) + ",\n")
    out.write(",".join(labels) + ",\n")
    annotated = rng.random(size=estimates.shape) < 0.03
    for i, g in enumerate(geoids):
        cells = [f"1400000US{g}", f"Census Tract {i}; Some County; Some State"]
        for j in range(len(variables)):
            if annotated[i, j]:
                cells += ["-", "**"]
            else:
                cells += [str(estimates[i, j]), str(moes[i, j])]
        out.write(",".join(cells) + ",\n")
    return out.getvalue().encode()


def api_json(geoids, variables, estimates, moes, rng) -> bytes:
    header = ["NAME"] + [f"{v}{k}" for v in variables for k in ("E", "M")] + ["state", "county", "tract"]
    rows = [header]
    annotated = rng.random(size=estimates.shape) < 0.03
    for i, g in enumerate(geoids):
        row = [f"Census Tract {i}; Some County; Some State"]
        for j in range(len(variables)):
            if annotated[i, j]:
                row += ["-666666666", "-222222222"]
            else:
                row += [str(estimates[i, j]), str(moes[i, j])]
        rows.append([*row, g[:2], g[2:5], g[5:]])
    return json.dumps(rows, separators=(",", ":")).encode()


def relationship_parts(parts: int, rng: np.random.Generator):
    """About `parts` 2010×2020 intersections: most 2010 tracts map whole, some split in 2–4."""
    sources, targets, weights = [], [], []
    s = 0
    t = 0
    while len(sources) < parts:
        k = int(rng.choice([1, 1, 1, 2, 3, 4]))
        share = rng.dirichlet(np.ones(k)) if k > 1 else np.array([1.0])
        for j in range(k):
            sources.append(s)
            targets.append(t + j)
            weights.append(share[j])
        s += 1
        t += k if rng.random() < 0.7 else max(1, k - 1)
    return np.array(sources), np.array(targets), np.array(weights)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 85_000
    # The readers need only gettext, so a bare settings object is enough (no database, no apps).
    from django.conf import settings

    settings.configure(USE_I18N=False)
    from commontable.displacement.sources.acs import AcsTable, read_api_json, read_census_csv
    try:
        from commontable.displacement.sources.relationship import Crosswalk, crosswalk_apply
    except ImportError:
        Crosswalk = None

    rng = np.random.default_rng(7)
    geoids = synthetic_geoids(n)
    variables, estimates, moes = synthetic_values(n, rng)
    tmp = Path(tempfile.mkdtemp())

    path = tmp / "ACSDT5Y2022.B99000-Data.csv"
    path.write_bytes(census_csv(geoids, variables, estimates, moes, rng))
    data = path.read_bytes()
    started = time.perf_counter()
    for _row in csv.reader(io.StringIO(data.decode())):
        pass
    baseline = time.perf_counter() - started
    read_census_csv(path)  # warm-up (imports, first-touch memory), as the other benchmarks do
    started = time.perf_counter()
    table = read_census_csv(path)
    seconds = time.perf_counter() - started
    assert len(table) == n and len(table.estimates) == VALUE_COLUMNS
    print(f"BENCH census_files.csv_national seconds={seconds:.2f} rows={n} columns={2 * VALUE_COLUMNS} "
          f"mb={len(data) / 2**20:.0f} baseline_csv_reader_seconds={baseline:.2f} ratio={seconds / baseline:.1f} "
          f"peak_rss_mb={peak_mb():.0f}", flush=True)

    path = tmp / "acs5_2022_all_B99000.json"
    path.write_bytes(api_json(geoids, variables, estimates, moes, rng))
    data = path.read_bytes()
    started = time.perf_counter()
    json.loads(data)
    baseline = time.perf_counter() - started
    read_api_json(path, year=2022)  # warm-up
    started = time.perf_counter()
    table = read_api_json(path, year=2022)
    seconds = time.perf_counter() - started
    assert len(table) == n
    print(f"BENCH census_files.api_json_national seconds={seconds:.2f} rows={n} columns={2 * VALUE_COLUMNS} "
          f"mb={len(data) / 2**20:.0f} baseline_json_loads_seconds={baseline:.2f} ratio={seconds / baseline:.1f} "
          f"peak_rss_mb={peak_mb():.0f}", flush=True)
    del data, table

    if Crosswalk is None:
        return
    src, tgt, w = relationship_parts(250_000, rng)
    n_src = int(src.max()) + 1
    src_geoids = np.array([f"{i:011d}" for i in range(n_src)])
    tgt_ids = np.unique(tgt)
    tgt_geoids = np.array([f"{i:011d}" for i in tgt_ids])
    crosswalk = Crosswalk(
        source_year=2010, target_year=2020, source_geoids=src_geoids[src],
        target_geoids=tgt_geoids[np.searchsorted(tgt_ids, tgt)], weights={"area": w}, source_name="synthetic",
    )
    count_vars = [f"B98{k // 10:03d}_{k % 10 + 1:03d}" for k in range(40)]
    values = rng.integers(0, 5000, size=(n_src, 40)).astype(float)
    table = AcsTable(year=2012, geography_year=2010, geoids=src_geoids,
                     estimates={v: values[:, k] for k, v in enumerate(count_vars)},
                     moes={v: values[:, k] / 10 for k, v in enumerate(count_vars)})
    started = time.perf_counter()
    target_rows = np.searchsorted(tgt_ids, tgt)
    for k in range(40):
        out = np.zeros(len(tgt_geoids))
        np.add.at(out, target_rows, values[src, k] * w)
    baseline = time.perf_counter() - started
    fresh = Crosswalk(source_year=2010, target_year=2020, source_geoids=crosswalk.source_geoids,
                      target_geoids=crosswalk.target_geoids, weights=crosswalk.weights, source_name="warm-up")
    crosswalk_apply(table, fresh, universe_of=lambda var: "area")  # warm-up on a copy: the timed run
    started = time.perf_counter()  # still pays for indexing the target GEOIDs
    result = crosswalk_apply(table, crosswalk, universe_of=lambda var: "area")
    seconds = time.perf_counter() - started
    assert len(result) == len(tgt_geoids)
    print(f"BENCH census_files.crosswalk_national seconds={seconds:.2f} parts={len(src)} columns=40 "
          f"source_tracts={n_src} target_tracts={len(tgt_geoids)} baseline_add_at_40_columns_seconds={baseline:.2f} "
          f"ratio={seconds / baseline:.1f} peak_rss_mb={peak_mb():.0f}", flush=True)


if __name__ == "__main__":
    main()
