"""Spatial lag and extra-local rent pressure (spec §1.4 g, §6.1 `lag`, quirk 8).

- `queen_weights(polygons)`: queen contiguity (polygons sharing at least one point): pairs whose
  boxes overlap from a shapely STRtree, each tested once with `intersects`; row-standardised
  (`twin_cities`). Unprepared polygons are quicker here: preparing 85,000 tracts costs more than
  the few tests per tract it speeds up.
- `distance_band_weights(xy, band_factor)`: centroid distance band ≤ band_factor × the largest
  nearest-neighbour distance, weights 1/d², row-standardised (`udp_compat`). `xy` in metres.
- `neighbour_weights(indptr, indices)`: row-standardised weights from CSR neighbour lists.
- `spatial_lag(w, x)`: weighted neighbour mean; NaN neighbours are skipped and the weights renormalised;
  a tract with no (known) neighbour gets NaN.
- `rent_pressure(...)`: rent gap, `dp_PChRent` and `dp_RentGap` (tri-state floats 1/0/NaN).

Neighbour sets should be computed over the region plus one ring of adjacent counties (§6.1) so edge
tracts keep their neighbours: that is the caller's choice of input tracts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from .indicators import regional_median, safe_div

__all__ = [
    "Weights",
    "distance_band_weights",
    "fill_by_group_median",
    "neighbour_weights",
    "queen_weights",
    "rent_pressure",
    "spatial_lag",
]


@dataclass(frozen=True)
class Weights:
    """Sparse spatial weights in CSR form: the neighbours of tract i are
    `indices[indptr[i]:indptr[i+1]]` with `weights` (row-standardised: each row sums to 1)."""

    indptr: np.ndarray
    indices: np.ndarray
    weights: np.ndarray

    @property
    def n(self) -> int:
        return len(self.indptr) - 1

    def rows(self) -> np.ndarray:
        """Row index of each stored neighbour."""
        return np.repeat(np.arange(self.n), np.diff(self.indptr))

    def tile(self, k: int) -> Weights:
        """Block-diagonal weights for k stacked copies of the tracts (stability draws)."""
        n, nnz = self.n, len(self.indices)
        offs = np.repeat(np.arange(k) * n, nnz)
        indices = np.tile(self.indices, k) + offs
        indptr = np.concatenate([[0], (np.tile(self.indptr[1:], k) + np.repeat(np.arange(k) * nnz, n))])
        return Weights(indptr, indices, np.tile(self.weights, k))


def _from_pairs(left: np.ndarray, right: np.ndarray, raw: np.ndarray, n: int) -> Weights:
    keep = left != right
    left, right, raw = left[keep], right[keep], raw[keep]
    order = np.lexsort((right, left))
    left, right, raw = left[order], right[order], raw[order]
    counts = np.bincount(left, minlength=n)
    indptr = np.concatenate([[0], np.cumsum(counts)])
    rowsum = np.bincount(left, weights=raw, minlength=n)
    w = raw / rowsum[left] if len(raw) else raw.astype(float)
    return Weights(indptr.astype(np.intp), right.astype(np.intp), w.astype(np.float64))


def neighbour_weights(indptr, indices) -> Weights:
    """Row-standardised equal weights from CSR neighbour lists (self-links dropped)."""
    indptr = np.asarray(indptr, dtype=np.intp)
    indices = np.asarray(indices, dtype=np.intp)
    n = len(indptr) - 1
    left = np.repeat(np.arange(n), np.diff(indptr))
    keep = left != indices
    if keep.all():  # already CSR without self-links: no sorting needed
        deg = np.diff(indptr)
        return Weights(indptr, indices, 1.0 / deg[left] if len(left) else np.zeros(0))
    return _from_pairs(left, indices, np.ones(len(indices)), n)


def queen_weights(polygons) -> Weights:
    """Queen contiguity: tracts whose polygons share at least a point (§6.1, `twin_cities`)."""
    geoms = np.asarray(polygons, dtype=object)
    tree = shapely.STRtree(geoms)
    # Pairs whose boxes overlap, each pair once (touching is symmetric), then the exact test:
    # a third of the work of asking the tree for `intersects` in both directions.
    left, right = tree.query(geoms)
    once = left < right
    left, right = left[once], right[once]
    touching = shapely.intersects(geoms[left], geoms[right])
    left, right = left[touching], right[touching]
    both_left, both_right = np.concatenate([left, right]), np.concatenate([right, left])
    return _from_pairs(both_left, both_right, np.ones(len(both_left)), len(geoms))


def distance_band_weights(xy, band_factor: float = 0.1) -> Weights:
    """Inverse-distance-squared weights within band_factor × max nearest-neighbour distance (§1.4 g)."""
    xy = np.asarray(xy, dtype=np.float64)
    n = len(xy)
    if n < 2:
        return Weights(np.zeros(n + 1, dtype=np.intp), np.zeros(0, np.intp), np.zeros(0))
    pts = shapely.points(xy[:, 0], xy[:, 1])
    tree = shapely.STRtree(pts)
    (_, _), nn = tree.query_nearest(pts, exclusive=True, return_distance=True, all_matches=False)
    band = band_factor * float(np.max(nn))
    left, right = tree.query(pts, predicate="dwithin", distance=band)
    d = np.hypot(*(xy[left] - xy[right]).T)
    d = np.maximum(d, 1e-6)
    return _from_pairs(left, right, 1.0 / d**2, n)


def spatial_lag(w: Weights, x) -> np.ndarray:
    """Weighted mean of the neighbours' values; NaN neighbours skipped (weights renormalised)."""
    x = np.asarray(x, dtype=np.float64)
    vals = x[w.indices]
    ok = ~np.isnan(vals)
    rows = w.rows()
    num = np.bincount(rows, weights=np.where(ok, vals * w.weights, 0.0), minlength=w.n)
    den = np.bincount(rows, weights=np.where(ok, w.weights, 0.0), minlength=w.n)
    return safe_div(num, den)


def fill_by_group_median(x, groups) -> np.ndarray:
    """Replace NaN values with the median of their group (UDP: a missing rent → the county median)."""
    x = np.asarray(x, dtype=np.float64)
    med = regional_median(x, groups)
    return np.where(np.isnan(x), med, x)


def _tri(cond: np.ndarray, *inputs: np.ndarray, udp: bool) -> np.ndarray:
    """A comparison as 1/0 float; NaN where an input is NaN (or 0 under UDP's NaN semantics)."""
    nan = np.zeros(cond.shape, dtype=bool)
    for a in inputs:
        nan |= np.isnan(a)
    out = cond.astype(np.float64)
    out[nan] = 0.0 if udp else np.nan
    return out


def _and(a, b):
    return np.where((a == 0) | (b == 0), 0.0, np.where(np.isnan(a) | np.isnan(b), np.nan, 1.0))


def _or(a, b):
    return np.where((a == 1) | (b == 1), 1.0, np.where(np.isnan(a) | np.isnan(b), np.nan, 0.0))


def rent_pressure(rent_t0, rent_t1, regions, w: Weights, *, t0_factor: float, pooled: bool = False,
                  counties=None, udp_nan: bool = False) -> dict[str, np.ndarray]:
    """Extra-local rent pressure (§1.4 g).

    pch_rent = rent_t1 / (rent_t0 · t0_factor) − 1; gap = lag(rent_t1) − rent_t1;
    gap_prop = gap / mean(rent_t1, lag(rent_t1));
    dp_pchrent = (pch > 0 and pch > RM(pch)) or lag(pch) > RM(lag(pch));
    dp_rentgap = gap_prop > 0 and gap_prop > RM(gap_prop).
    RM is per region, or over every tract given when `pooled` (quirk 8). With `counties`, missing
    rents are first replaced by their county median (UDP). `udp_nan`: NaN comparisons are False.
    """
    r0 = np.asarray(rent_t0, dtype=np.float64)
    r1 = np.asarray(rent_t1, dtype=np.float64)
    if counties is not None:
        r0, r1 = fill_by_group_median(r0, counties), fill_by_group_median(r1, counties)
    reg = None if pooled else regions
    pch = safe_div(r1, r0 * t0_factor) - 1.0
    lag_r1 = spatial_lag(w, r1)
    lag_pch = spatial_lag(w, pch)
    gap = lag_r1 - r1
    gap_prop = safe_div(gap, (r1 + lag_r1) / 2.0)
    rm_pch = regional_median(pch, reg)
    rm_lag = regional_median(lag_pch, reg)
    rm_gap = regional_median(gap_prop, reg)
    with np.errstate(invalid="ignore"):
        own = _and(_tri(pch > 0, pch, udp=udp_nan), _tri(pch > rm_pch, pch, rm_pch, udp=udp_nan))
        near = _tri(lag_pch > rm_lag, lag_pch, rm_lag, udp=udp_nan)
        dp_pch = _or(own, near)
        dp_gap = _and(_tri(gap_prop > 0, gap_prop, udp=udp_nan),
                      _tri(gap_prop > rm_gap, gap_prop, rm_gap, udp=udp_nan))
    return {"pch_rent": pch, "lag_rent_t1": lag_r1, "lag_pch_rent": lag_pch, "rent_gap": gap,
            "rent_gap_prop": gap_prop, "dp_pchrent": dp_pch, "dp_rentgap": dp_gap}

