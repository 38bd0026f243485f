"""Monte-Carlo stability of the typology (spec §6.2 `typology_stability`).

For K draws, every input estimate that has a margin of error is replaced by a draw from N(E, SE),
SE = M / 1.645, truncated at 0 (estimates without a margin, or with a NaN margin, stay as they are);
the whole typology, regional medians included, is recomputed per draw, and a tract's stability is the
share of draws that reproduce its point typology. Stability < `profile.stability_fragile` (0.6) is
"fragile".

Vectorised by stacking draws: a chunk of k draws becomes one `TractInputs` of k·n pseudo-tracts whose
region ids (and county ids, and spatial weights) are offset per draw, so regional medians never mix
draws. Chunks hold at most `max_rows` pseudo-tracts to bound memory. Seedable and deterministic.
"""

from __future__ import annotations

import numpy as np

from .indicators import Z90
from .lag import Weights
from .profiles import Profile
from .typology import TractInputs, compute_typology, lag_weights_for, year_roles

__all__ = ["fragile", "stability"]


#: variables the typology reads (others are not drawn or stacked: the risk index and sensitivity flags
#: are not part of the stability score)
_USED_TABLES = ("B19001", "B25063", "B25094", "B25075", "B07010")
_USED = frozenset({"B03002_001", "B03002_003", "B01003_001", "B19013_001", "B25064_001", "B25077_001",
                   "B25003_002", "B25003_003", "B15003_001", "B15003_022", "B15003_023", "B15003_024",
                   "B15003_025", "B25105_001", "B06011_001", "B14007_001", "B14007_017", "B14007_018",
                   "B05006_001", "ZHVI"})


#: tables the typology reads only in the end year (market type, students, density)
_END_ONLY = frozenset({"B25094", "B25105", "B14007", "B05006"})
#: tables read in other years only to re-derive crosswalked medians
_BINS_FOR_MEDIANS = frozenset({"B25063", "B25075"})


def _used(var: str, year: int, end: int, crosswalked: bool) -> bool:
    table = var.split("_")[0]
    if not (var in _USED or table in _USED_TABLES):
        return False
    other_year_only_if = table not in _END_ONLY and (table not in _BINS_FOR_MEDIANS or crosswalked)
    return year == end or other_year_only_if


def _stack(inputs: TractInputs, k: int, rng: np.random.Generator, weights: Weights | None,
           end: int | None = None) -> TractInputs:
    n = inputs.n
    end = max(inputs.years) if end is None else end
    _, rcode = np.unique(inputs.regions, return_inverse=True)
    rcode = rcode.ravel()
    r = int(rcode.max()) + 1 if n else 1
    draw = np.repeat(np.arange(k), n)
    regions = np.tile(rcode, k) + draw * r
    _, ccode = np.unique(inputs.county_ids(), return_inverse=True)
    ccode = ccode.ravel()
    c = int(ccode.max()) + 1 if n else 1
    counties = np.tile(ccode, k) + draw * c
    est: dict[int, dict[str, np.ndarray]] = {}
    for year, table in inputs.estimates.items():
        moes = inputs.moes.get(year, {})
        crossed = bool(np.any(inputs.crosswalked.get(year, False)))
        out = {}
        for var, e in table.items():
            if not _used(var, year, end, crossed):
                continue
            m = moes.get(var)
            if m is None:
                out[var] = np.broadcast_to(e, (k, n)).ravel()
                continue
            sd = np.where(np.isnan(m), 0.0, m / Z90)
            sample = rng.standard_normal((k, n), dtype=np.float32) * sd  # float32 normals: half the cost
            sample += e
            np.maximum(sample, 0.0, out=sample)  # truncated at 0 (NaN estimates stay NaN)
            out[var] = sample.ravel()
        est[year] = out
    tile = lambda a: None if a is None else np.tile(a, k)  # noqa: E731
    return TractInputs(
        np.tile(inputs.geoids, k), regions, est, {}, dict(inputs.brackets), tile(inputs.aland_m2),
        tile(inputs.density_area_m2), None, None, None,
        weights.tile(k) if weights is not None else None,
        {y: np.tile(a, k) for y, a in inputs.crosswalked.items()},
        counties=counties, pool_groups=draw,
    )


def stability(inputs: TractInputs, profile: Profile, point_typology: np.ndarray, *, draws: int = 100,
              seed: int = 0, max_rows: int = 250_000, regional_income=None) -> np.ndarray:
    """Share of `draws` Monte-Carlo draws whose typology equals `point_typology`, per tract (float)."""
    n = inputs.n
    if draws <= 0 or n == 0:
        return np.full(n, np.nan)
    rng = np.random.default_rng(seed)
    weights = lag_weights_for(inputs, profile)
    end = year_roles(profile, inputs.years)["end"]
    point = np.asarray(point_typology, dtype=object)
    if regional_income:  # region id → value per year becomes one value per tract, tiled with the draws
        regional_income = {
            y: (np.array([float(t.get(r, np.nan)) for r in inputs.regions.tolist()]) if isinstance(t, dict)
                else np.asarray(t, dtype=np.float64))
            for y, t in regional_income.items()}
    same = np.zeros(n, dtype=np.int64)
    chunk = max(1, min(draws, max_rows // max(n, 1)))
    done = 0
    while done < draws:
        k = min(chunk, draws - done)
        stacked = _stack(inputs, k, rng, weights, end)
        ri = {y: np.tile(a, k) for y, a in regional_income.items()} if regional_income else None
        res = compute_typology(stacked, profile, regional_income=ri, weights=stacked.lag_weights)
        same += (res.typology.reshape(k, n) == point[None, :]).sum(axis=0)
        done += k
    return same / float(draws)


def fragile(stab: np.ndarray, profile: Profile) -> np.ndarray:
    """Tracts whose stability is below the profile's threshold (0.6): the "fragile" badge."""
    s = np.asarray(stab, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return s < profile.stability_fragile
