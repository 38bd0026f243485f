"""Benchmark: the displacement method's pure computation (typology, stability, risk index).

    make bench ONLY=displacement    (or: .venv/bin/python bench/bench_displacement.py [N_TRACTS] [NATIONAL_DRAWS])

No database and no Django: the functions are pure. Synthetic data only (method/synthetic.py): a
national-size grid (default 85,000 tracts, 980 regions, two ACS windows 2012 and 2022) and a
784-tract Twin Cities-sized region.

One BENCH line per figure. The baseline (`baseline_ms`) is measured in the same run: `np.sort` of
85,000 random float64 values, repeated 20 times (a fixed amount of vectorised numpy work); `ratio` =
the figure / that baseline, so busy-machine noise can be told from a regression.
Targets (spec §5, 2 cores): national typology ≤ 1 s; stability "seconds" (spec §6.2).
National stability runs `NATIONAL_DRAWS` draws (default 10) and reports the time extrapolated to 100.
Peak memory is the process's maximum resident set size (resource.getrusage), printed last.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from commontable.displacement.method.pipeline import compute, results_to_rows  # noqa: E402
from commontable.displacement.method.profiles import profile_get  # noqa: E402
from commontable.displacement.method.risk_index import risk_index  # noqa: E402
from commontable.displacement.method.stability import stability  # noqa: E402
from commontable.displacement.method.synthetic import synthetic_inputs, synthetic_national  # noqa: E402
from commontable.displacement.method.typology import compute_typology  # noqa: E402

PROFILE = profile_get("twin_cities")
REGION_TRACTS = 784


def _timed(fn, repeat: int = 3) -> tuple[float, object]:
    runs, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        runs.append((time.perf_counter() - t) * 1000)
    return statistics.median(runs), out


def baseline_ms() -> float:
    values = np.random.default_rng(0).random(85_000)
    ms, _ = _timed(lambda: [np.sort(values) for _ in range(20)], repeat=5)
    return ms


def _line(name: str, ms: float, base: float, **extra) -> None:
    more = " ".join(f"{k}={v}" for k, v in extra.items())
    print(f"BENCH displacement.{name} p50_ms={ms:.0f} baseline_ms={base:.1f} ratio={ms / base:.1f} {more}".rstrip(),
          flush=True)


def bench_build(n: int):
    t = time.perf_counter()
    inputs = synthetic_national(n, 980, seed=0)
    ms = (time.perf_counter() - t) * 1000
    return inputs, ms


def bench_typology_national(inputs, base: float) -> None:
    ms, res = _timed(lambda: compute_typology(inputs, PROFILE))
    types = len(set(res.typology.tolist()))
    _line("typology_national", ms, base, tracts=inputs.n, windows=2, regions=980, types=types, target_ms=1000)


def bench_typology_region(base: float):
    n = REGION_TRACTS
    inputs = synthetic_inputs([f"27053{i:06d}" for i in range(n)], np.zeros(n, int), [2012, 2022], seed=1)
    ms, res = _timed(lambda: compute_typology(inputs, PROFILE), repeat=5)
    _line("typology_region", ms, base, tracts=n)
    return inputs, res


def bench_stability_region(inputs, res, base: float) -> None:
    ms, stab = _timed(lambda: stability(inputs, PROFILE, res.typology, draws=100, seed=0), repeat=2)
    _line("stability_region", ms, base, tracts=inputs.n, draws=100, fragile_share=f"{np.mean(stab < 0.6):.2f}")


def bench_stability_national(inputs, base: float, draws: int) -> None:
    res = compute_typology(inputs, PROFILE)
    ms, _ = _timed(lambda: stability(inputs, PROFILE, res.typology, draws=draws, seed=0), repeat=1)
    _line("stability_national", ms, base, tracts=inputs.n, draws=draws, est_k100_s=f"{ms * 100 / draws / 1000:.0f}")


def bench_risk_index_national(inputs, base: float) -> None:
    ms, out = _timed(lambda: risk_index(inputs, 2022))
    _line("risk_index_national", ms, base, tracts=inputs.n, indicators=len(out["dri_classes"]))


def bench_pipeline_region(inputs, base: float) -> None:
    ms, res = _timed(lambda: compute(inputs, PROFILE, stability_draws=0), repeat=3)
    rows_ms, rows = _timed(lambda: results_to_rows(res), repeat=3)
    _line("pipeline_region_no_stability", ms, base, tracts=inputs.n)
    _line("rows_region", rows_ms, base, rows=len(rows))


def peak_memory() -> None:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"BENCH displacement.peak_memory rss_mb={kb / 1024:.0f}", flush=True)


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 85_000
    national_draws = int(argv[1]) if len(argv) > 1 else 10
    base = baseline_ms()
    print(f"# baseline: np.sort of 85,000 float64 × 20 = {base:.1f} ms", flush=True)
    inputs, build_ms = bench_build(n)
    print(f"# synthetic national inputs built in {build_ms:.0f} ms (not a target)", flush=True)
    bench_typology_national(inputs, base)
    bench_risk_index_national(inputs, base)
    region, res = bench_typology_region(base)
    bench_pipeline_region(region, base)
    bench_stability_region(region, res, base)
    bench_stability_national(inputs, base, national_draws)
    peak_memory()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
