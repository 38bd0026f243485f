"""Invented but coherent ACS inputs for tests, demos and benchmarks. No real data here.

- `synthetic_inputs(geoids, regions, years, seed, centroids=None)` → `TractInputs`. Each tract draws an
  *archetype* (a story such as "low-income and stable", "early gentrification", "exclusive") that sets
  its income, rent, owner-cost, value, race, tenure and education in the first and last year; years in
  between are interpolated. Bracketed tables (B19001, B25063, B25094, B07010) are filled from lognormal
  distributions around those medians, so shares and medians agree. Dollars are nominal (deflated with
  CPI-U). Margins of error are invented (counts ~ Poisson-like, medians CV 3–25 %). About 1–2 % of tracts
  have a missing median (as a Census sentinel would give), 2 % have fewer than 500 people and 3 % are
  student tracts. Over ~800 tracts every type of the typology is reached with `twin_cities`.
- `synthetic_national(n_tracts=85_000, n_regions=980, seed=0)`: the same on a grid of national size,
  two ACS windows (2012, 2022), regions as contiguous blocks, queen neighbours of the grid.

Without `centroids`, tracts are laid on a square grid (2 km apart, in metres) and get queen neighbours.
"""

from __future__ import annotations

import math

import numpy as np

from . import brackets as B
from .indicators import CPI_U, dollar_year
from .typology import TractInputs

__all__ = ["ARCHETYPES", "synthetic_inputs", "synthetic_national"]

# name: (share, inc_b, inc_a, rent_b, rent_a, own_b, own_a, val_b, val_a, nonwhite, renter, col_b, col_a,
#        hh_a/hh_b, movers_a)
# incomes × R (regional reference, real end-year $); rents/owner costs × A = .30·R/12; values × 3.5·R.
ARCHETYPES: dict[str, tuple] = {
    "LISD": (.12, .55, .57, .50, .51, .50, .52, .55, .59, .55, .65, .15, .16, 1.08, 1.0),
    "OD": (.07, .55, .50, .50, .53, .50, .52, .55, .61, .60, .65, .15, .15, .90, 1.0),
    "ARG": (.08, .55, .55, .48, .48, .50, .50, .55, .56, .65, .70, .12, .12, 1.00, 1.0),
    "EOG": (.07, .55, .72, .55, .90, .60, 1.0, .55, .85, .60, .70, .15, .27, 1.00, 1.3),
    "AdvG": (.06, .55, 1.05, .55, 1.1, .60, 1.3, .55, 1.0, .55, .65, .15, .40, 1.00, 1.8),
    "SMMI": (.20, 1.0, 1.0, .50, .50, .55, .55, 1.0, 1.03, .35, .35, .35, .36, 1.00, 1.0),
    "ARE": (.16, 1.25, 1.25, .95, .97, 1.0, 1.02, 1.2, 1.25, .30, .40, .45, .46, 1.00, 1.0),
    "BE": (.08, 1.15, 1.6, 1.0, 1.5, 1.1, 1.6, 1.2, 1.8, .30, .40, .45, .55, .95, 2.2),
    "SAE": (.08, 2.3, 2.4, 1.6, 1.7, 2.0, 2.1, 2.5, 2.6, .20, .20, .65, .67, 1.00, 1.0),
    "STUDENT": (.04, .40, .40, .60, .62, .60, .62, .80, .82, .35, .90, .40, .42, 1.00, 1.0),
    "LOWPOP": (.02, .90, .95, .80, .82, .80, .82, .90, .95, .30, .50, .30, .31, 1.00, 1.0),
}
_NAMES = list(ARCHETYPES)
_P = np.array([ARCHETYPES[k] for k in _NAMES], dtype=np.float64)


def _phi(x: np.ndarray) -> np.ndarray:
    """Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7), vectorised."""
    z = np.abs(x) / math.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = 1.0 - poly * np.exp(-z * z)
    return 0.5 * (1.0 + np.sign(x) * erf)


def _lognormal_bins(total, median, sigma, brackets) -> np.ndarray:
    """Counts per bracket of `total` units with a lognormal distribution around `median`."""
    lows = np.array([b.lower for b in brackets])
    highs = np.array([b.upper for b in brackets])
    with np.errstate(divide="ignore"):
        zl = np.log(np.maximum(lows, 1e-9)[None, :] / median[:, None]) / sigma[:, None]
        zh = np.log(np.where(np.isinf(highs), 1e300, highs)[None, :] / median[:, None]) / sigma[:, None]
    cdf_l = np.where(lows[None, :] <= 0, 0.0, _phi(zl))
    cdf_h = np.where(np.isinf(highs)[None, :], 1.0, _phi(zh))
    return np.round(total[:, None] * (cdf_h - cdf_l))


def _grid(n: int, spacing: float = 2000.0) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Centroids on a square grid and queen neighbours (CSR)."""
    side = max(1, math.ceil(math.sqrt(n)))
    i = np.arange(n)
    row, col = i // side, i % side
    xy = np.column_stack([col * spacing, row * spacing]).astype(np.float64)
    lefts, rights = [], []
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            if dr == dc == 0:
                continue
            r2, c2 = row + dr, col + dc
            j = r2 * side + c2
            ok = (r2 >= 0) & (c2 >= 0) & (c2 < side) & (j < n) & (j >= 0)
            lefts.append(i[ok])
            rights.append(j[ok])
    left, right = np.concatenate(lefts), np.concatenate(rights)
    order = np.lexsort((right, left))
    left, right = left[order], right[order]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(left, minlength=n))])
    return xy, (indptr, right)


def _deflator(year: int, last: int) -> float:
    a, b = dollar_year(year), dollar_year(last)
    if a in CPI_U and b in CPI_U:
        return CPI_U[a] / CPI_U[b]
    return 1.0


def synthetic_inputs(geoids, regions, years, seed: int = 0, centroids=None, *,
                     archetypes: np.ndarray | None = None) -> TractInputs:
    """Invented ACS estimates and margins for the given tracts and data years (see module docstring).

    `archetypes` (optional) fixes each tract's archetype by name; the chosen names are kept in
    `inputs.archetypes` for tests.
    """
    rng = np.random.default_rng(seed)
    geoids = np.asarray(geoids).astype(str)
    regions = np.asarray(regions)
    n = len(geoids)
    years = sorted(int(y) for y in years)
    if len(years) < 2:
        raise ValueError("synthetic inputs need at least two years")
    if archetypes is None:
        kind = rng.choice(len(_NAMES), size=n, p=_P[:, 0] / _P[:, 0].sum())
    else:
        kind = np.array([_NAMES.index(str(a)) for a in archetypes])
    p = _P[kind]
    noise = lambda s: np.exp(rng.normal(0, s, n))  # noqa: E731
    uniq, rinv = np.unique(regions, return_inverse=True)
    r_ref = (80_000 * np.exp(rng.normal(0, 0.12, len(uniq))))[rinv.ravel()]
    a_ref = 0.30 * r_ref / 12
    pop0 = rng.uniform(1800, 6500, n)
    pop0[kind == _NAMES.index("LOWPOP")] = rng.uniform(60, 480, (kind == _NAMES.index("LOWPOP")).sum())
    dense = rng.random(n) < 0.6
    sqmi = np.where(dense, rng.uniform(0.3, 1.2, n), rng.uniform(3, 20, n))
    aland = sqmi * 2_589_988.0
    inc_n, rent_n, own_n, val_n = noise(.05), noise(.04), noise(.04), noise(.05)
    inc_sigma = rng.uniform(0.75, 0.85, n)
    student = kind == _NAMES.index("STUDENT")

    est: dict[int, dict[str, np.ndarray]] = {}
    moe: dict[int, dict[str, np.ndarray]] = {}
    y0, y1 = years[0], years[-1]
    for y in years:
        f = (y - y0) / (y1 - y0)
        lerp = lambda b, a, f=f: b * (a / b) ** f  # noqa: E731  (log-linear between before and after)
        defl = _deflator(y, y1)
        e: dict[str, np.ndarray] = {}
        pop = np.round(pop0 * lerp(np.ones(n), p[:, 13]))
        hh = np.round(pop / 2.4)
        inc = lerp(p[:, 1], p[:, 2]) * r_ref * inc_n * defl
        rent = lerp(p[:, 3], p[:, 4]) * a_ref * rent_n * defl
        own = lerp(p[:, 5], p[:, 6]) * a_ref * own_n * defl
        val = lerp(p[:, 7], p[:, 8]) * 3.5 * r_ref * val_n * defl
        col = np.clip(p[:, 11] + (p[:, 12] - p[:, 11]) * f + rng.normal(0, .01, n), 0.01, 0.95)
        nonwhite = np.clip(p[:, 9] + rng.normal(0, .04, n), 0.01, 0.99)
        renter = np.clip(p[:, 10] + rng.normal(0, .04, n), 0.02, 0.98)
        e["B03002_001"] = pop
        e["B01003_001"] = pop
        e["B03002_003"] = np.round(pop * (1 - nonwhite))
        for var, s in (("B03002_004", .40), ("B03002_005", .02), ("B03002_006", .20), ("B03002_012", .25)):
            e[var] = np.round(pop * nonwhite * s)
        e["B19001_001"] = hh
        for b, c in zip(B.B19001, _lognormal_bins(hh, inc, inc_sigma, B.B19001).T, strict=True):
            e[b.variable] = c
        e["B19013_001"] = np.round(inc)
        renters = np.round(hh * renter)
        owners = hh - renters
        e["B25003_001"], e["B25003_002"], e["B25003_003"] = hh, owners, renters
        no_cash = np.round(renters * 0.03)
        e["B25063_002"] = renters - no_cash
        for b, c in zip(B.B25063, _lognormal_bins(renters - no_cash, rent, np.full(n, .35), B.B25063).T, strict=True):
            e[b.variable] = c
        e["B25063_027"] = no_cash
        e["B25064_001"] = np.round(rent)
        e["B25094_001"] = owners
        for b, c in zip(B.B25094, _lognormal_bins(owners, own, np.full(n, .35), B.B25094).T, strict=True):
            e[b.variable] = c
        e["B25105_001"] = np.round(np.exp(renter * np.log(rent) + (1 - renter) * np.log(own)))
        e["B25077_001"] = np.round(val)
        e["B15003_001"] = np.round(pop * .68)
        for var, s in (("B15003_022", .6), ("B15003_023", .25), ("B15003_024", .08), ("B15003_025", .07)):
            e[var] = np.round(e["B15003_001"] * col * s)
        # movers by income: movers ≈ 15 % of people; individual income ≈ .55 × household income
        ind = inc * 0.55
        mover_med = ind * np.where(f > 0, lerp(np.ones(n), p[:, 14]), 1.0) * 0.8
        movers = np.round(pop * 0.15)
        shares = (0.6, 0.25, 0.12, 0.03)
        for total_var, origin, s in zip(B.B07010_ORIGIN_TOTALS, B.B07010_ORIGINS, shares, strict=True):
            m = np.round(movers * s)
            e[total_var] = m
            for b, c in zip(origin, _lognormal_bins(m, mover_med, np.full(n, .9), origin).T, strict=True):
                e[b.variable] = c
        e["B06011_001"] = np.round(ind)
        enrolled = np.round(pop * 0.25)
        stu_share = np.where(student, rng.uniform(0.45, 0.8, n), rng.uniform(0.02, 0.2, n))
        e["B14007_001"] = enrolled
        e["B14007_017"] = np.round(enrolled * stu_share * 0.8)
        e["B14007_018"] = np.round(enrolled * stu_share * 0.2)
        burden = np.clip(0.6 - 0.25 * lerp(p[:, 1], p[:, 2]) + rng.normal(0, .05, n), 0.05, 0.9)
        e["B25070_001"] = renters
        e["B25070_011"] = np.round(renters * .04)
        for var, s in (("B25070_007", .3), ("B25070_008", .2), ("B25070_009", .15), ("B25070_010", .35)):
            e[var] = np.round((renters - e["B25070_011"]) * burden * s)
        lep = np.clip(nonwhite * 0.15 + rng.normal(0, .02, n), 0, 0.6)
        e["C16002_001"] = hh
        for var, s in (("C16002_004", .5), ("C16002_007", .2), ("C16002_010", .2), ("C16002_013", .1)):
            e[var] = np.round(hh * lep * s)
        units = np.round(hh * 1.05)
        recent = rng.uniform(0.02, 0.3, n)
        e["B25034_001"] = units
        for var, s in (("B25034_002", .2), ("B25034_003", .2), ("B25034_004", .6)):
            e[var] = np.round(units * recent * s)
        e["B25034_010"] = np.round(units * .06)
        e["B25034_011"] = np.round(units * .15)
        e["B25001_001"] = units
        e["B25002_003"] = units - hh
        e["B05006_001"] = np.round(pop * nonwhite * 0.3)
        # margins: counts ~ 1.645·1.5·√count (floor 5); medians CV 3–25 %
        m: dict[str, np.ndarray] = {}
        medians = ("B19013_001", "B25064_001", "B25077_001", "B25105_001", "B06011_001")
        cvs = rng.uniform(0.03, 0.25, n)
        for var, a in e.items():
            if var in medians:
                m[var] = np.round(1.645 * cvs * a)
            else:
                m[var] = np.round(1.645 * np.maximum(1.5 * np.sqrt(np.maximum(a, 0)), 5.0 / 1.645))
        # sentinel-driven gaps: a median not shown (too few cases / open-ended bracket) → NaN
        for var, rate in (("B19013_001", .01), ("B25064_001", .015), ("B25077_001", .01)):
            gap = rng.random(n) < rate
            e[var] = np.where(gap, np.nan, e[var])
            m[var] = np.where(gap, np.nan, m[var])
        est[y], moe[y] = e, m
    if centroids is None:
        xy, nb = _grid(n)
    else:
        xy, nb = np.asarray(centroids, dtype=np.float64), None
    inputs = TractInputs(geoids, regions, est, moe, aland_m2=aland, centroids=xy, neighbours=nb)
    inputs.archetypes = np.array(_NAMES, dtype=object)[kind]  # type: ignore[attr-defined]
    return inputs


def synthetic_national(n_tracts: int = 85_000, n_regions: int = 980, seed: int = 0,
                       years=(2012, 2022)) -> TractInputs:
    """National-size synthetic inputs on a grid: regions are contiguous blocks of the grid rows."""
    idx = np.arange(n_tracts)
    geoids = np.char.add("99", np.char.zfill((idx // 1000).astype(str), 3))
    geoids = np.char.add(geoids, np.char.zfill((idx % 1000).astype(str), 6))
    regions = (idx * n_regions) // max(n_tracts, 1)
    return synthetic_inputs(geoids, regions, years, seed)
