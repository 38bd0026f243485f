"""A PSRC-style additive Displacement Risk Index (spec §0, §2 "PSRC DRI", §6.3 `dri_score`, `dri_class`).

Forward-looking: it needs no observed change, only the end window (t1) and optional overlays.

Indicators (equal weight; "+" = a higher value means more risk):
- `poc`            + people of colour: 1 − B03002_003 / B03002_001
- `limited_english` + limited-English households: (C16002_004 + _007 + _010 + _013) / C16002_001
- `no_college`     + adults 25+ without a bachelor's degree: 1 − (B15003_022…025) / B15003_001
- `renters`        + renter households: B25003_003 / (B25003_002 + B25003_003)
- `cost_burden`    + renters paying ≥ 30 % of income: (B25070_007…010) / (B25070_001 − B25070_011)
- `low_income`     − median household income B19013_001 (lower income, more risk)
- `low_rent`       − median gross rent B25064_001 (cheaper rents are more exposed to increases)
- any `extra` indicator the caller passes, e.g. `{"investment_proximity": (array, True)}`: (n,) floats
  and whether higher means more risk (e.g. proximity to planned transit or investment from the overlay).

Binning: within each region, each indicator's known values are ranked (ties share the lowest rank) and
put into classes 0–4 by quintile of rank: class = floor(5 · rank / n_known), oriented so 4 is the most
at risk. Score: the mean class over the indicators known for the tract, rescaled to 0–100
(`dri_score = 100 · Σ class / (4 · n_known)`), so a skipped (missing) indicator does not lower the
score. A tract with fewer than half the indicators known gets NaN. Classes: **low** < 40 ≤ **moderate**
< 60 ≤ **higher** (our cut points: PSRC publishes three classes; its exact breaks are not in our spec).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .indicators import RegionCodes, safe_div, sum_known
from .typology import TractInputs

__all__ = ["DRI_CLASSES", "DRI_CUTS", "acs_indicators", "quintile_classes", "risk_index"]

DRI_CUTS = (40.0, 60.0)
DRI_CLASSES = ("low", "moderate", "higher")


def quintile_classes(values, regions) -> np.ndarray:
    """Classes 0–4 by quintile of rank within each region (higher value → higher class); NaN stays NaN."""
    v = np.asarray(values, dtype=np.float64)
    rc = regions if isinstance(regions, RegionCodes) else RegionCodes(regions)
    codes, r = rc.codes, rc.r
    valid = ~np.isnan(v)
    out = np.full(v.shape, np.nan)
    if not valid.any():
        return out
    vv = v[valid]
    lo, hi = float(vv.min()), float(vv.max())
    span = hi - lo if hi > lo else 1.0
    order = np.argsort(codes + np.where(valid, (v - lo) / span * 0.5, 0.75))  # by region, then value
    order = order[valid[order]]
    sc, sv = codes[order], v[order]
    counts = np.bincount(sc, minlength=r)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    pos = np.arange(len(order)) - starts[sc]
    # ties share the lowest rank: first position of each (region, value) run
    new_run = np.r_[True, (sc[1:] != sc[:-1]) | (sv[1:] != sv[:-1])]
    run_start = np.maximum.accumulate(np.where(new_run, np.arange(len(order)), 0))
    rank = pos[run_start]
    out[order] = np.minimum(np.floor(5.0 * rank / counts[sc]), 4.0)
    return out


def acs_indicators(inputs: TractInputs, year: int) -> dict[str, tuple[np.ndarray, bool]]:
    """The ACS indicators of the index at `year`: name → (values, higher_is_riskier)."""
    e = lambda v: inputs.e(year, v)  # noqa: E731
    col = sum_known([e(v) for v in ("B15003_022", "B15003_023", "B15003_024", "B15003_025")])
    lep = sum_known([e(v) for v in ("C16002_004", "C16002_007", "C16002_010", "C16002_013")])
    burden = sum_known([e(v) for v in ("B25070_007", "B25070_008", "B25070_009", "B25070_010")])
    return {
        "poc": (1.0 - safe_div(e("B03002_003"), e("B03002_001")), True),
        "limited_english": (safe_div(lep, e("C16002_001")), True),
        "no_college": (1.0 - safe_div(col, e("B15003_001")), True),
        "renters": (safe_div(e("B25003_003"), e("B25003_002") + e("B25003_003")), True),
        "cost_burden": (safe_div(burden, e("B25070_001") - e("B25070_011")), True),
        "low_income": (np.where(e("B19013_001") > 0, e("B19013_001"), np.nan), False),
        "low_rent": (np.where(e("B25064_001") > 0, e("B25064_001"), np.nan), False),
    }


def risk_index(inputs: TractInputs, year: int, *,
               extra: Mapping[str, tuple[np.ndarray, bool] | np.ndarray | None] | None = None
               ) -> dict[str, np.ndarray]:
    """→ {"dri_score": (n,) 0–100 or NaN, "dri_class": (n,) "low"/"moderate"/"higher"/"",
    "dri_n_indicators": (n,) int, "dri_classes": {name: (n,) class 0–4 or NaN}}.

    `extra`: name → (array, higher_is_riskier) or a bare array (higher = riskier); None values skipped.
    """
    indicators = acs_indicators(inputs, year)
    for name, item in (extra or {}).items():
        if item is None:
            continue
        arr, up = item if isinstance(item, tuple) else (item, True)
        arr = np.asarray(arr, dtype=np.float64)
        if arr.shape != (inputs.n,):
            raise ValueError(f"risk indicator {name!r} needs one value per tract ({inputs.n})")
        indicators[name] = (arr, bool(up))
    regs = inputs.region_codes()
    classes = {name: quintile_classes(v if up else -v, regs) for name, (v, up) in indicators.items()}
    mat = np.column_stack(list(classes.values()))
    known = (~np.isnan(mat)).sum(axis=1)
    total = np.nansum(mat, axis=1)
    score = np.where(known * 2 >= mat.shape[1], 100.0 * total / np.maximum(4.0 * known, 1.0), np.nan)
    cls = np.full(inputs.n, "", dtype=object)
    ok = ~np.isnan(score)
    cls[ok] = np.array(DRI_CLASSES, dtype=object)[np.searchsorted(DRI_CUTS, score[ok], side="right")]
    return {"dri_score": score, "dri_class": cls, "dri_n_indicators": known, "dri_classes": classes}
