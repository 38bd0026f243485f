"""Run the benchmarks: every `bench/bench_<area>.py`, or only the areas named.

    .venv/bin/python bench/run.py              # everything (what `make bench` runs)
    .venv/bin/python bench/run.py directory    # one area (`make bench ONLY=directory`)

Each area runs in its own process, with its own database and settings, and prints one line per
measurement:

    BENCH directory.person_list p50_ms=4.1 p95_ms=7.9 baseline_p95_ms=3.2 ratio=2.5 queries=6 n=500

The exit status is non-zero if any area failed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def areas() -> dict[str, Path]:
    return {path.stem.removeprefix("bench_"): path for path in sorted(HERE.glob("bench_*.py"))}


def main(argv: list[str]) -> int:
    available = areas()
    wanted = [a for arg in argv for a in arg.replace(",", " ").split()] or list(available)
    unknown = [a for a in wanted if a not in available]
    if unknown:
        print(
            f"unknown benchmark area(s): {', '.join(unknown)}; available: {', '.join(available)}",
            file=sys.stderr,
        )
        return 2
    failed = []
    for area in wanted:
        print(f"# {area}", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, str(available[area])], cwd=ROOT)
        print(f"# {area} finished in {time.monotonic() - started:.0f} s (exit {code})", flush=True)
        if code != 0:
            failed.append(area)
    if failed:
        print(f"# failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
