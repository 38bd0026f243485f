"""Sensitivity flags from other gentrification measures (spec §2: Freeman 2005, Governing 2015, NCRC 2019).

Each flag is a tri-state float per tract: 1.0 yes, 0.0 no, NaN unknown (an input is missing and the
answer depends on it). A tract that is known **not eligible** is 0 for "gentrified" ("not eligible"
and "not gentrified" are told apart by the `*_eligible` column). Percentiles and medians are over the
tracts of each region (the "metro"), NaN-ignoring. Windows: t0 → t1 of the run.

Central-city eligibility: Freeman, Governing and NCRC only consider central-city tracts. The caller
passes `central_city` (n,) bool; **the default is all True** (every tract in the run counts as
central), which over-counts outside Minneapolis and St. Paul: pass the real mask when known.

- Freeman 2005: eligible = central & median HH income_t0 < RM & share of units built in the past
  ~20 years_t0 < RM (`freeman_q` = 0.5; the 40th-percentile variant is 0.4); gentrified = eligible &
  increase in BA+ share > the region's median increase & real median value increased.
- Governing 2015: eligible = central & pop ≥ 500 at t0 and t1 & median HH income_t0 and median value_t0
  in the region's bottom 40 % (≤ P40); gentrified = eligible & increase in BA+ share and real % change in
  median value both in the top third (≥ P66.7).
- NCRC 2019: eligible as Governing; gentrified = eligible & real % change in value and increase in BA+
  share in the top 60 % (≥ P40) & real median HH income increased.
- NCRC 2019 cultural displacement (`ncrc_cultural`): a tract NCRC counts as gentrified where a group
  of colour (Black, American Indian and Alaska Native, Asian, Hispanic or Latino: B03002_004, _005,
  _006, _012) fell by at least 5 % and by more than one standard deviation below the mean change of
  that group across the region's tracts (the spec's "≥ 5 % plus a std-dev test"; our reading, as
  the spec gives no more). Only groups of at least `CULTURAL_MIN_COUNT` people at t0 are tested:
  the survey's margins make smaller counts swing by more than 5 % from sampling alone. Not
  gentrified → 0; gentrified and no group tested or fallen → 0; NCRC's answer unknown → NaN.
"""

from __future__ import annotations

import numpy as np

from .indicators import RegionCodes, regional_quantile, safe_div, sum_known
from .profiles import Profile
from .typology import TractInputs, dollar_factor, t_and, t_ge, t_gt, t_lt

__all__ = ["sensitivity_flags"]

GROUPS_OF_COLOUR = ("B03002_004", "B03002_005", "B03002_006", "B03002_012")
CULTURAL_MIN_COUNT = 50
CULTURAL_MIN_FALL = -0.05
RECENT_BUILT = ("B25034_002", "B25034_003", "B25034_004")
COL = ("B15003_022", "B15003_023", "B15003_024", "B15003_025")


def sensitivity_flags(inputs: TractInputs, profile: Profile, t0: int, t1: int, *, central_city=None,
                      freeman_q: float = 0.5) -> dict[str, np.ndarray]:
    """→ {freeman_eligible, freeman_gent, governing_eligible, governing_gent, ncrc_gent, ncrc_cultural}
    (tri-state)."""
    n = inputs.n
    central = np.ones(n) if central_city is None else np.asarray(central_city, dtype=np.float64)
    if central.shape != (n,):
        raise ValueError("central_city needs one value per tract")
    regs = inputs.region_codes()
    q = lambda x, p: regional_quantile(x, regs, p)  # noqa: E731
    e0 = lambda v: inputs.e(t0, v)  # noqa: E731
    e1 = lambda v: inputs.e(t1, v)  # noqa: E731
    f = dollar_factor(profile, t0, t1)
    hinc0 = np.where(e0("B19013_001") > 0, e0("B19013_001"), np.nan)
    hinc1 = np.where(e1("B19013_001") > 0, e1("B19013_001"), np.nan)
    val0, val1 = e0("B25077_001"), e1("B25077_001")
    recent0 = safe_div(sum_known([e0(v) for v in RECENT_BUILT]), e0("B25034_001"))
    col0 = safe_div(sum_known([e0(v) for v in COL]), e0("B15003_001"))
    col1 = safe_div(sum_known([e1(v) for v in COL]), e1("B15003_001"))
    dcol = col1 - col0
    pch_val = safe_div(val1, val0 * f) - 1.0
    pop0 = e0("B03002_001") if inputs.has(t0, "B03002_001") else e0("B01003_001")
    pop1 = e1("B03002_001") if inputs.has(t1, "B03002_001") else e1("B01003_001")

    fr_elig = t_and(central, t_lt(hinc0, q(hinc0, freeman_q)), t_lt(recent0, q(recent0, freeman_q)))
    fr_gent = t_and(fr_elig, t_gt(dcol, q(dcol, 0.5)), t_gt(val1, val0 * f))
    gov_elig = t_and(central, t_ge(pop0, 500), t_ge(pop1, 500), t_ge(q(hinc0, 0.4), hinc0),
                     t_ge(q(val0, 0.4), val0))
    gov_gent = t_and(gov_elig, t_ge(dcol, q(dcol, 2 / 3)), t_ge(pch_val, q(pch_val, 2 / 3)))
    ncrc_gent = t_and(gov_elig, t_ge(pch_val, q(pch_val, 0.4)), t_ge(dcol, q(dcol, 0.4)), t_gt(hinc1, hinc0 * f))
    groups = [(e0(v), e1(v)) for v in GROUPS_OF_COLOUR if inputs.has(t0, v) and inputs.has(t1, v)]
    return {"freeman_eligible": fr_elig, "freeman_gent": fr_gent, "governing_eligible": gov_elig,
            "governing_gent": gov_gent, "ncrc_gent": ncrc_gent,
            "ncrc_cultural": cultural_displacement(ncrc_gent, groups, regs)}


def cultural_displacement(gentrified, groups, regions) -> np.ndarray:
    """NCRC's cultural-displacement test (module docstring) over (count t0, count t1) pairs."""
    gentrified = np.asarray(gentrified, dtype=np.float64)
    fallen = np.zeros(gentrified.shape, dtype=bool)
    rc = regions if isinstance(regions, RegionCodes) else RegionCodes(regions)
    for before, after in groups:
        before, after = np.asarray(before, dtype=np.float64), np.asarray(after, dtype=np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            change = np.where(before >= CULTURAL_MIN_COUNT, (after - before) / before, np.nan)
        known = ~np.isnan(change)
        counts = np.bincount(rc.codes[known], minlength=rc.r).astype(np.float64)
        sums = np.bincount(rc.codes[known], weights=change[known], minlength=rc.r)
        squares = np.bincount(rc.codes[known], weights=change[known] ** 2, minlength=rc.r)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = sums / counts
            sd = np.sqrt(np.maximum(squares / counts - mean**2, 0.0))
        below = mean[rc.codes] - sd[rc.codes]
        with np.errstate(invalid="ignore"):
            fallen |= known & (change <= CULTURAL_MIN_FALL) & (change < below)
    out = np.where(gentrified == 1, fallen.astype(np.float64), gentrified)
    return np.where(np.isnan(gentrified), np.nan, out)
