"""Indicator arithmetic of the displacement method: brackets, regional statistics, dollars, margins.

Every function is vectorised over tracts (axis 0) and treats NaN as "missing".

- Bracket interpolation (spec §1.3 "Income shares", §1.4 b): `count_below`, `share_below`, and
  `median_from_bins` (medians of crosswalked tracts re-derived from their bins, §3.5; quirk 3).
- Regional statistics (§1.3 RM, §6.1 `regional_median`): `regional_quantile`, `regional_median`,
  `regional_weighted_median`. Per region id, NaN-ignoring, never pooled unless asked.
- Shares (§1.3): `safe_div`.
- Real dollars (§3.6): `CPI_U`, `cpi_factor`, `dollar_year`.
- Margins of error (§6.2): `se`, `cv`, `moe_proportion`, `moe_sum`, `change_z`, `reliability`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .brackets import Bracket

__all__ = [
    "CPI_U",
    "CPI_U_VERSION",
    "RELIABILITY_LABELS",
    "RegionCodes",
    "change_z",
    "count_below",
    "cpi_factor",
    "cv",
    "dollar_year",
    "median_from_bins",
    "moe_proportion",
    "moe_sum",
    "regional_median",
    "regional_quantile",
    "regional_weighted_median",
    "reliability",
    "safe_div",
    "se",
    "share_below",
    "sum_known",
]

Z90 = 1.645

# --- brackets ------------------------------------------------------------------------------------


def _bounds(brackets) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lowers, uppers, kept column positions) of brackets given as `Bracket`, (lo, hi) or None."""
    lows, highs, keep = [], [], []
    for i, b in enumerate(brackets):
        if b is None:
            continue
        lo, hi = (b.lower, b.upper) if isinstance(b, Bracket) else b
        lows.append(float(lo))
        highs.append(float(hi))
        keep.append(i)
    lows_a, highs_a = np.asarray(lows), np.asarray(highs)
    if len(lows_a) and (np.any(np.diff(lows_a) < 0) or np.any(highs_a <= lows_a)):
        raise ValueError("brackets must be sorted by lower bound, each with upper > lower")
    return lows_a, highs_a, np.asarray(keep, dtype=np.intp)


def _columns(counts, keep: np.ndarray) -> tuple[np.ndarray, int]:
    """Bracket counts as a (k, n) array (one row per kept bracket). `counts` is an (n, k) array, one
    1-D array of k counts (a single tract), or a list of k per-tract arrays (the fast path)."""
    if isinstance(counts, list | tuple):
        rows = [np.asarray(counts[i], dtype=np.float64) for i in keep]
        n = len(rows[0]) if rows else 0
        return (np.vstack(rows) if rows else np.zeros((0, n))), n
    c = np.asarray(counts, dtype=np.float64)
    if c.ndim == 1:
        c = c[None, :]
    return np.ascontiguousarray(c[:, keep].T), c.shape[0]


def _cumsum_rows(ckn: np.ndarray) -> np.ndarray:
    """Cumulative sums down the rows of a (k, n) array (row by row: faster than np.cumsum here)."""
    out = np.empty_like(ckn)
    if len(ckn):
        out[0] = ckn[0]
        for i in range(1, len(ckn)):
            np.add(out[i - 1], ckn[i], out=out[i])
    return out


def count_below(counts, brackets, cutoff, *more_cutoffs) -> np.ndarray | tuple[np.ndarray, ...]:
    """Count of a bracketed distribution below `cutoff`, by linear interpolation inside the bracket.

    counts: (n, k) array, one column per bracket (or a list of k arrays of n counts); columns whose
    bracket is None are ignored; brackets: k brackets, sorted, half-open [lower, upper);
    cutoff: scalar or (n,).
    Exact on edges (a cutoff equal to a lower bound counts every bracket below it, nothing of it);
    below the first bracket → 0; above the last finite bound (inside the open-ended top bracket, or
    past a closed last bracket) → the total.
    A NaN count or cutoff gives NaN. Extra cutoffs share the work and give a tuple of results.
    """
    lows, highs, keep = _bounds(brackets)
    ckn, n = _columns(counts, keep)
    k = len(keep)
    if k == 0:
        out = [np.full(n, np.nan) for _ in (cutoff, *more_cutoffs)]
        return out[0] if not more_cutoffs else tuple(out)
    cum = _cumsum_rows(ckn)
    nan_total = np.isnan(cum[-1])
    cols = np.arange(n)
    out = []
    for c in (cutoff, *more_cutoffs):
        cut = np.broadcast_to(np.asarray(c, dtype=np.float64), (n,))
        j = np.searchsorted(lows, np.where(np.isnan(cut), -np.inf, cut), side="right") - 1
        jc = np.clip(j, 0, k - 1)
        lo, hi = lows[jc], highs[jc]
        with np.errstate(invalid="ignore", divide="ignore"):
            # the open-ended top bracket counts whole once the cutoff is inside it (spec §8 item 2)
            frac = np.where(np.isinf(hi), (cut > lo).astype(np.float64), np.clip((cut - lo) / (hi - lo), 0.0, 1.0))
        cj = ckn[jc, cols]
        below = cum[jc, cols] - cj + frac * cj
        below = np.where(j < 0, 0.0, below)
        below[np.isnan(cut) | nan_total] = np.nan
        out.append(below)
    return out[0] if not more_cutoffs else tuple(out)


def share_below(counts, brackets, cutoff, *more_cutoffs, denominator=None) -> np.ndarray | tuple[np.ndarray, ...]:
    """Share of the distribution below `cutoff` (see `count_below`); monotonic in the cutoff.

    The denominator is the sum of the bracket counts unless `denominator` (n,) is given (UDP divides
    1990 counts by 2000 households, quirk 4). A denominator ≤ 0 or NaN gives NaN. Extra cutoffs give a
    tuple of shares.
    """
    below = count_below(counts, brackets, cutoff, *more_cutoffs)
    if denominator is None:
        _, _, keep = _bounds(brackets)
        ckn, _ = _columns(counts, keep)
        denominator = _cumsum_rows(ckn)[-1] if len(ckn) else np.nan
    if more_cutoffs:
        return tuple(safe_div(b, denominator) for b in below)
    return safe_div(below, denominator)


def median_from_bins(counts, brackets) -> np.ndarray:
    """Median of a bracketed distribution by linear interpolation inside the median bracket (§3.5).

    counts (n, k) (or a list of k arrays); brackets as for `count_below` (None columns ignored). The
    median in the open-ended top bracket is censored at its lower bound. A total of 0 or any NaN count
    → NaN.
    """
    lows, highs, keep = _bounds(brackets)
    ckn, n = _columns(counts, keep)
    if len(keep) == 0:
        return np.full(n, np.nan)
    cum = _cumsum_rows(ckn)
    total = cum[-1]
    half = total / 2.0
    with np.errstate(invalid="ignore"):
        j = np.argmax(cum >= half[None, :], axis=0)
    cols = np.arange(n)
    before = np.where(j > 0, cum[np.maximum(j - 1, 0), cols], 0.0)
    cj = ckn[j, cols]
    lo, hi = lows[j], highs[j]
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(cj > 0, (half - before) / cj, 0.0)
        med = np.where(np.isinf(hi), lo, lo + frac * (hi - lo))
    med[~(total > 0)] = np.nan
    return med


# --- shares ----------------------------------------------------------------------------------------


def safe_div(num, den) -> np.ndarray:
    """num / den with NaN where den ≤ 0 or either side is NaN."""
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def sum_known(arrays) -> np.ndarray:
    """Element-wise sum of count arrays, skipping missing parts; NaN only where every part is missing."""
    m = np.vstack([np.asarray(a, dtype=np.float64) for a in arrays])
    out = np.nansum(m, axis=0)
    out[np.isnan(m).all(axis=0)] = np.nan
    return out


# --- regional statistics --------------------------------------------------------------------------


class RegionCodes:
    """Region ids turned into codes 0…r−1 once (pass it instead of the ids to skip `np.unique`)."""

    __slots__ = ("codes", "r")

    def __init__(self, regions) -> None:
        regions = np.asarray(regions)
        _, inv = np.unique(regions, return_inverse=True)
        self.codes = inv.ravel().astype(np.intp)
        self.r = int(self.codes.max()) + 1 if len(self.codes) else 0

    def __len__(self) -> int:
        return len(self.codes)


def _codes(regions, n: int) -> tuple[np.ndarray, int]:
    if regions is None:
        return np.zeros(n, dtype=np.intp), 1
    if not isinstance(regions, RegionCodes):
        regions = np.asarray(regions)
        if regions.shape != (n,):
            raise ValueError(f"regions must have one id per tract ({n}), got shape {regions.shape}")
        regions = RegionCodes(regions)
    if len(regions) != n:
        raise ValueError(f"regions must have one id per tract ({n}), got {len(regions)}")
    return regions.codes, regions.r


def _sorted_by_region(values: np.ndarray, codes: np.ndarray, r: int):
    """Order of tracts by (region, value), NaN last within each region; one float argsort."""
    valid = ~np.isnan(values)
    if valid.any():
        lo, hi = float(np.min(values[valid])), float(np.max(values[valid]))
    else:
        lo, hi = 0.0, 1.0
    span = hi - lo if hi > lo else 1.0
    frac = np.where(valid, (values - lo) / span * 0.5, 0.75)  # values in [0, .5], NaN at .75
    order = np.argsort(codes + frac)  # ties are equal values (or NaNs): their order does not matter
    starts = np.searchsorted(codes[order], np.arange(r))
    counts = np.bincount(codes[valid], minlength=r)
    return order, starts, counts, valid


def regional_quantile(values, regions, q: float, *, per_tract: bool = True) -> np.ndarray:
    """The q-quantile (linear interpolation, numpy's default) of `values` within each region.

    NaN values are ignored; a region with no value gives NaN. `regions=None` pools all tracts.
    Returns one value per tract (its region's quantile), or one per sorted unique region id when
    `per_tract=False`.
    """
    v = np.asarray(values, dtype=np.float64).ravel()
    codes, r = _codes(regions, v.size)
    out = np.full(r, np.nan)
    if v.size:
        order, starts, counts, _ = _sorted_by_region(v, codes, r)
        sv = v[order]
        has = counts > 0
        pos = (counts[has] - 1) * float(q)
        lo = np.floor(pos).astype(np.intp)
        hi = np.ceil(pos).astype(np.intp)
        frac = pos - lo
        a, b = sv[starts[has] + lo], sv[starts[has] + hi]
        out[has] = a + (b - a) * frac
    return out[codes] if per_tract else out


def regional_median(values, regions, *, per_tract: bool = True) -> np.ndarray:
    """RM(x) (§1.3): the unweighted median of tract values per region (even counts average the two
    middle values), NaN-ignoring, never pooled across regions unless `regions` is None."""
    return regional_quantile(values, regions, 0.5, per_tract=per_tract)


def regional_weighted_median(values, weights, regions, *, per_tract: bool = True) -> np.ndarray:
    """Weighted median per region (profile `regional_median: hh_weighted`): the smallest value whose
    cumulative weight reaches half the region's weight; tracts with NaN value or weight are ignored."""
    v = np.asarray(values, dtype=np.float64).ravel()
    w = np.asarray(weights, dtype=np.float64).ravel()
    v = np.where(np.isnan(w) | (w <= 0), np.nan, v)
    codes, r = _codes(regions, v.size)
    out = np.full(r, np.nan)
    if v.size:
        order, starts, counts, valid = _sorted_by_region(v, codes, r)
        sw = np.where(valid, w, 0.0)[order]
        cw = np.cumsum(sw)
        before = np.where(starts > 0, cw[np.maximum(starts - 1, 0)], 0.0)
        total = np.bincount(codes, weights=np.where(valid, w, 0.0), minlength=r)
        within = cw - before[codes[order]]
        reach = within >= (total / 2.0)[codes[order]]
        reach &= np.arange(v.size) < (starts + counts)[codes[order]]
        first = np.full(r, -1)
        idx = np.flatnonzero(reach)
        c = codes[order][idx]
        first_pos = np.unique(c, return_index=True)
        first[first_pos[0]] = idx[first_pos[1]]
        has = (counts > 0) & (first >= 0)
        out[has] = v[order][first[has]]
    return out[codes] if per_tract else out


# --- dollars ---------------------------------------------------------------------------------------

#: CPI-U, U.S. city average, all items, annual average (1982–84 = 100). Version of this table:
CPI_U_VERSION = "CPI-U annual averages, BLS series CUUR0000SA0, table v1 (1989–2024)"
CPI_U: Mapping[int, float] = {
    1989: 124.0, 1990: 130.7, 1999: 166.6, 2000: 172.2, 2001: 177.1, 2002: 179.9, 2003: 184.0,
    2004: 188.9, 2005: 195.3, 2006: 201.6, 2007: 207.342, 2008: 215.303, 2009: 214.537, 2010: 218.056,
    2011: 224.939, 2012: 229.594, 2013: 232.957, 2014: 236.736, 2015: 237.017, 2016: 240.007,
    2017: 245.120, 2018: 251.107, 2019: 255.657, 2020: 258.811, 2021: 270.970, 2022: 292.655,
    2023: 304.702, 2024: 313.689,
}


def dollar_year(data_year: int) -> int:
    """The year whose dollars a data year's amounts are in: decennial census 1990/2000 income and
    costs refer to 1989/1999; an ACS 5-year estimate is in its end year's dollars (§3.6)."""
    return {1990: 1989, 2000: 1999}.get(int(data_year), int(data_year))


def cpi_factor(from_year: int, to_year: int, *, table: Mapping[int, float] = CPI_U) -> float:
    """Multiply `from_year` dollars by this to get `to_year` dollars. Missing year → ValueError."""
    missing = [y for y in (from_year, to_year) if y not in table]
    if missing:
        raise ValueError(
            f"no CPI-U annual average for {', '.join(map(str, missing))} in the table ({CPI_U_VERSION}); "
            "add the published value or pass a table that has it"
        )
    return float(table[to_year]) / float(table[from_year])


# --- margins of error (§6.2) -----------------------------------------------------------------------


def se(moe) -> np.ndarray:
    """Standard error from a 90 % ACS margin of error: SE = M / 1.645."""
    return np.asarray(moe, dtype=np.float64) / Z90


def cv(estimate, moe) -> np.ndarray:
    """Coefficient of variation SE / E (NaN when E ≤ 0)."""
    return safe_div(se(moe), estimate)


def moe_proportion(x, mx, y, my) -> np.ndarray:
    """MOE of p = X / Y: √(M_X² − p²·M_Y²) / Y, using "+" when the radicand is negative (§6.2)."""
    x, mx, y, my = (np.asarray(a, dtype=np.float64) for a in (x, mx, y, my))
    p = safe_div(x, y)
    rad = mx**2 - p**2 * my**2
    rad = np.where(rad < 0, mx**2 + p**2 * my**2, rad)
    return safe_div(np.sqrt(rad), y)


def moe_sum(moes: Sequence | np.ndarray, axis: int = 0) -> np.ndarray:
    """MOE of a sum: √Σ M² (a list of arrays, or an array summed along `axis`)."""
    m = np.asarray(moes, dtype=np.float64)
    return np.sqrt(np.sum(m**2, axis=axis))


def change_z(e1, m1, e2, m2, *, factor: float = 1.0) -> np.ndarray:
    """Z of a change: (E₂ − E₁·f) / √(SE₁² + SE₂²), E₁ and M₁ inflated by the dollar factor f."""
    e1, m1, e2, m2 = (np.asarray(a, dtype=np.float64) for a in (e1, m1, e2, m2))
    den = np.sqrt(se(m1 * factor) ** 2 + se(m2) ** 2)
    return safe_div(e2 - e1 * factor, den)


#: reliability codes → labels: CV ≤ 15 % high, ≤ 30 % medium, else low; −1 unknown (§6.2)
RELIABILITY_LABELS = {2: "high", 1: "medium", 0: "low", -1: "unknown"}


def reliability(estimate, moe) -> np.ndarray:
    """Per-input reliability code (int8): 2 high (CV ≤ .15), 1 medium (≤ .30), 0 low, −1 unknown."""
    c = cv(estimate, moe)
    out = np.full(c.shape, -1, dtype=np.int8)
    ok = ~np.isnan(c)
    out[ok] = np.where(c[ok] <= 0.15, 2, np.where(c[ok] <= 0.30, 1, 0))
    return out
