"""The UDP-style gentrification and displacement typology, clean-room from the spec (§1.3–§1.7).

Not endorsed by the Urban Displacement Project (see `NOT_ENDORSED`).

Conventions
-----------
- Every array has one value per tract (axis 0). Booleans are **tri-state floats**: 1.0 true, 0.0 false,
  NaN unknown. `and`/`or`/`not` follow Kleene logic (a known false makes an AND false whatever else is
  unknown), so NaN only survives where the answer really depends on a missing input.
- Inputs (`TractInputs`) hold, per data year, ACS variable codes without the E/M suffix
  ("B19013_001") → estimate array, and the same for margins. Decennial 1990/2000 inputs use the ACS
  codes of the same concepts (the caller maps SF1/SF3 onto them; for 2000 the professional degree,
  B15003_024, is ignored; for 1990 put BA into _022 and graduate into _023).

Periods (`year_roles`)
----------------------
The rules are written for UDP's periods: *early* (1990), *base* (2000), *mid* (2012), *end* (2018).
- `udp4` (udp_compat): input years sorted; end = last, mid = second last, base = third last (else
  mid), early = fourth last (else none).
- `two_windows` (twin_cities): the profile's first window [t0, t1] (or the first and last input years):
  base = mid = t0, end = t1, no early period. So: income category "2000" → t0; value change 2000→18 and
  rent change 2012→18 → t0→t1; vulnerable 1990/2000/2018 → (none)/t0/t1; gentrified 1990–2000 → not
  available, taken as **false** (so resolution step 3 can only give EOG); gentrified 2000–18 → t0→t1;
  lostli, BE's income and mover tests → t0 vs t1; pop00flag → population at t0; lmh → t1.

Building blocks (§1.4): `income_category`, `market_type` (lmh), `change_class`/`change_combined`,
`vulnerable`, `hot_market`, `gentrified`, `lag.rent_pressure` (dp flags), density. Type rules (§1.5):
`type_flags`. Precedence (§1.5 resolution, quirk 10): `resolve`, the only place precedence is decided.
`compute_typology(inputs, profile)` runs them all → `TypologyResult`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import brackets as B
from .indicators import (
    RegionCodes,
    count_below,
    cpi_factor,
    dollar_year,
    median_from_bins,
    regional_median,
    regional_quantile,
    regional_weighted_median,
    safe_div,
    share_below,
    sum_known,
)
from .lag import Weights, distance_band_weights, queen_weights, rent_pressure
from .lag import neighbour_weights as _neighbour_weights
from .profiles import Profile

__all__ = [
    "FLAG_BITS",
    "LEGEND_ORDER",
    "NOT_ENDORSED",
    "TYPE_RULES",
    "TractInputs",
    "TypologyResult",
    "compute_typology",
    "flag_names",
    "resolve",
]

NOT_ENDORSED = "not endorsed by the Urban Displacement Project"

#: the 9 type codes of the rules, in legend order; each has a bit in the `flags` mask
TYPE_RULES = ("LISD", "OD", "ARG", "EOG", "AdvG", "SMMI", "ARE", "BE", "SAE")
FLAG_BITS = {code: 1 << i for i, code in enumerate(TYPE_RULES)}
#: every typology code in legend order (§1.5), incl. the two special labels
LEGEND_ORDER = (*TYPE_RULES, "STUDENT", "UNAVAILABLE")
TYPOLOGY_INDEX = {c: i for i, c in enumerate(LEGEND_ORDER)}

#: income categories (§1.4 a) and market types (§1.4 b), codes 1–6
INC_CATS = {1: "LOW_PDMT", 2: "MOD_PDMT", 3: "HIGH_PDMT", 4: "MIX_LOW", 5: "MIX_MOD", 6: "MIX_HIGH"}
LMH = {1: "P_LI", 2: "P_MI", 3: "P_HI", 4: "MIX_LOW", 5: "MIX_MOD", 6: "MIX_HIGH"}
#: change classes of one variable (§1.4 c)
CHANGE_CLASSES = {1: "DEC", 2: "MARG", 3: "INC", 4: "RAPID"}

SQM_PER_SQMI = 2_589_988.0

COL_VARS = ("B15003_022", "B15003_023", "B15003_024", "B15003_025")


def flag_names(mask: int) -> list[str]:
    """The type codes set in a `flags` bitmask, in legend order."""
    return [c for c in TYPE_RULES if int(mask) & FLAG_BITS[c]]


# --- inputs ------------------------------------------------------------------------------------------


@dataclass
class TractInputs:
    """Everything the method reads, per tract (all arrays aligned with `geoids`).

    - `geoids` (n,) 11-character GEOIDs; `regions` (n,) region id per tract (medians are per region).
    - `estimates[year][var]`, `moes[year][var]`: (n,) float arrays, NaN = missing. Years are data years
      (1990, 2000 decennial; ACS 5-year by end year).
    - `brackets[table]` or `brackets[(year, table)]`: `Bracket`s parsed from the data's labels (they win
      over `brackets.DEFAULTS`; a `(year, table)` entry wins over a `table` one). For B07010 give the 8
      brackets of one origin (the same bounds hold for all four). B25063/B25075 edges change between
      vintages, so crosswalked rent and value medians are re-derived only from brackets given for that
      very year; household income (B19001, unchanged since 2006) always.
    - `aland_m2` (n,) land area; `density_area_m2` (n,) area for UDP's PUMA density (else aland_m2).
    - Spatial lag, first available: `lag_weights` (a `lag.Weights`), `neighbours` (CSR indptr, indices),
      `polygons` (queen contiguity), `centroids` (n, 2) projected metres (distance band).
    - `crosswalked[year]` (n,) bool: tracts whose values were carried from other tracts; with
      `crosswalk_median: bins` their medians are re-derived from the crosswalked bins (quirk 3).
    """

    geoids: np.ndarray
    regions: np.ndarray
    estimates: dict[int, dict[str, np.ndarray]]
    moes: dict[int, dict[str, np.ndarray]] = field(default_factory=dict)
    brackets: dict[str, Sequence] = field(default_factory=dict)
    aland_m2: np.ndarray | None = None
    density_area_m2: np.ndarray | None = None
    centroids: np.ndarray | None = None
    neighbours: tuple[np.ndarray, np.ndarray] | None = None
    polygons: np.ndarray | None = None
    lag_weights: Weights | None = None
    crosswalked: dict[int, np.ndarray] = field(default_factory=dict)
    counties: np.ndarray | None = None  # county id per tract (default: the GEOID's first 5 characters)
    pool_groups: np.ndarray | None = None  # what "pooled" medians pool over (default: all tracts)

    def __post_init__(self) -> None:
        self.geoids = np.asarray(self.geoids).astype(str)
        self.regions = np.asarray(self.regions)
        n = len(self.geoids)
        if self.regions.shape != (n,):
            raise ValueError("regions must have one id per tract")
        for kind in (self.estimates, self.moes):
            for year, table in kind.items():
                for var, arr in table.items():
                    a = np.asarray(arr, dtype=np.float64)
                    if a.shape != (n,):
                        raise ValueError(f"{var} ({year}) must have one value per tract ({n}), got {a.shape}")
                    table[var] = a

    @property
    def n(self) -> int:
        return len(self.geoids)

    @property
    def years(self) -> list[int]:
        return sorted(self.estimates)

    def e(self, year: int | None, var: str) -> np.ndarray:
        """Estimate of `var` in `year`, all-NaN when the year or variable is absent."""
        if year is None:
            return np.full(self.n, np.nan)
        return self.estimates.get(year, {}).get(var, np.full(self.n, np.nan))

    def has(self, year: int | None, var: str) -> bool:
        return year is not None and var in self.estimates.get(year, {})

    def region_codes(self) -> RegionCodes:
        """Region ids as codes, computed once."""
        rc = self.__dict__.get("_region_codes")
        if rc is None or len(rc) != self.n:
            rc = self.__dict__["_region_codes"] = RegionCodes(self.regions)
        return rc

    def county_ids(self) -> np.ndarray:
        return self.counties if self.counties is not None else self.geoids.astype("U5")

    def table_brackets(self, table: str, year: int | None = None) -> Sequence:
        """Brackets of `table` for `year`: `brackets[(year, table)]`, else `brackets[table]`, else the
        defaults (recent vintages)."""
        return self.brackets.get((year, table)) or self.brackets.get(table) or B.default_brackets(table)

    def has_year_brackets(self, table: str, year: int | None) -> bool:
        """Whether brackets were given for this very year (bracket edges of B25063/B25075 change by vintage)."""
        return (year, table) in self.brackets

    def take(self, idx: np.ndarray) -> TractInputs:
        """A subset of tracts (spatial inputs are dropped except precomputed lag weights by index)."""
        return TractInputs(
            self.geoids[idx], self.regions[idx],
            {y: {v: a[idx] for v, a in t.items()} for y, t in self.estimates.items()},
            {y: {v: a[idx] for v, a in t.items()} for y, t in self.moes.items()},
            dict(self.brackets),
            None if self.aland_m2 is None else self.aland_m2[idx],
            None if self.density_area_m2 is None else self.density_area_m2[idx],
            None if self.centroids is None else self.centroids[idx],
            crosswalked={y: a[idx] for y, a in self.crosswalked.items()},
        )


# --- tri-state logic -----------------------------------------------------------------------------


def _t(cond, *inputs, udp: bool = False) -> np.ndarray:
    """Comparison → 1/0 float, NaN where any input is NaN (0 under UDP's NaN semantics)."""
    out = np.asarray(cond, dtype=np.float64).copy()
    nan = np.zeros(out.shape, dtype=bool)
    for a in inputs:
        nan |= np.isnan(np.asarray(a, dtype=np.float64))
    out[nan] = 0.0 if udp else np.nan
    return out


def t_and(*xs) -> np.ndarray:
    xs = np.broadcast_arrays(*[np.asarray(x, dtype=np.float64) for x in xs])
    any0 = np.zeros(xs[0].shape, bool)
    anynan = np.zeros(xs[0].shape, bool)
    for x in xs:
        any0 |= x == 0
        anynan |= np.isnan(x)
    return np.where(any0, 0.0, np.where(anynan, np.nan, 1.0))


def t_or(*xs) -> np.ndarray:
    xs = np.broadcast_arrays(*[np.asarray(x, dtype=np.float64) for x in xs])
    any1 = np.zeros(xs[0].shape, bool)
    anynan = np.zeros(xs[0].shape, bool)
    for x in xs:
        any1 |= x == 1
        anynan |= np.isnan(x)
    return np.where(any1, 1.0, np.where(anynan, np.nan, 0.0))


def t_not(x) -> np.ndarray:
    return 1.0 - np.asarray(x, dtype=np.float64)


def t_in(codes, allowed) -> np.ndarray:
    codes = np.asarray(codes, dtype=np.float64)
    return np.where(np.isnan(codes), np.nan, np.isin(codes, list(allowed)).astype(np.float64))


def t_ge(x, y, udp=False):
    with np.errstate(invalid="ignore"):
        return _t(np.asarray(x) >= np.asarray(y), x, y, udp=udp)


def t_gt(x, y, udp=False):
    with np.errstate(invalid="ignore"):
        return _t(np.asarray(x) > np.asarray(y), x, y, udp=udp)


def t_lt(x, y, udp=False):
    with np.errstate(invalid="ignore"):
        return _t(np.asarray(x) < np.asarray(y), x, y, udp=udp)


# --- periods and dollars -------------------------------------------------------------------------


def year_roles(profile: Profile, years: Sequence[int]) -> dict[str, int | None]:
    """Map input years onto the rules' periods (module docstring)."""
    ys = sorted(years)
    if not ys:
        raise ValueError("no input years")
    if profile.year_roles == "two_windows":
        t0, t1 = profile.windows[0]
        if t0 not in ys or t1 not in ys:
            if len(ys) < 2:
                raise ValueError("the twin_cities profile needs two ACS windows (t0 and t1)")
            t0, t1 = ys[0], ys[-1]
        return {"early": None, "base": t0, "mid": t0, "end": t1}
    end = ys[-1]
    mid = ys[-2] if len(ys) >= 2 else end
    base = ys[-3] if len(ys) >= 3 else mid
    early = ys[-4] if len(ys) >= 4 else None
    return {"early": early, "base": base, "mid": mid, "end": end}


def dollar_factor(profile: Profile, from_year: int, to_year: int) -> float:
    """Factor turning `from_year` data dollars into `to_year` data dollars (§3.6). `dollars: fixed`
    (udp_compat) uses UDP's factors when both years have one, CPI-U otherwise (e.g. 2012 → 2022)."""
    fy, ty = dollar_year(from_year), dollar_year(to_year)
    if fy == ty:
        return 1.0
    f = profile.dollar_factors
    if profile.dollars == "fixed" and fy in f and ty in f:
        return float(f[fy]) / float(f[ty])
    # UDP's fixed factors only cover its own years (to 2018 $); other windows use CPI-U
    return cpi_factor(fy, ty)


# --- per-year derived variables --------------------------------------------------------------------


@dataclass
class Year:
    """Derived variables of one data year (all (n,) arrays)."""

    year: int | None
    pop: np.ndarray
    hh: np.ndarray
    hinc: np.ndarray
    rent: np.ndarray
    value: np.ndarray
    per_nonwhite: np.ndarray
    per_rent: np.ndarray
    per_col: np.ndarray
    rmi: np.ndarray
    p_low: np.ndarray
    p_mod: np.ndarray
    p_high: np.ndarray
    li_count: np.ndarray
    per_limove: np.ndarray


def _hinc_bins(inputs: TractInputs, year) -> tuple[np.ndarray, Sequence]:
    br = list(inputs.table_brackets("B19001", year))
    return [inputs.e(year, b.variable) for b in br], br


def _rmi(inputs, profile, year, hinc, hh, regional_income) -> np.ndarray:
    if profile.regional_median == "tract_unweighted":
        return regional_median(hinc, inputs.region_codes())
    if profile.regional_median == "hh_weighted":
        return regional_weighted_median(hinc, hh, inputs.region_codes())
    table = (regional_income or {}).get(year)
    if table is None:
        raise ValueError(f"regional_median {profile.regional_median!r} needs extra['regional_income'][{year}] "
                         "(region id → income, or one value per tract)")
    if isinstance(table, Mapping):
        return np.array([float(table.get(r, np.nan)) for r in inputs.regions.tolist()])
    return np.asarray(table, dtype=np.float64)  # already one value per tract


def _mover_counts(inputs, year, profile) -> tuple[np.ndarray, list]:
    counts = [sum_known([inputs.e(year, o[i].variable) for o in B.B07010_ORIGINS]) for i in range(8)]
    bounds = inputs.table_brackets("B07010", year)  # the same 8 bounds for every origin
    br = [(b.lower, b.upper) for b in bounds]
    if profile.mover_brackets == "udp_off_by_one":
        # quirk 9: UDP reads upper bounds 1,000 too low (9,000 for a bracket ending at 10,000)
        br = [(lo, hi - 1000.0 if np.isfinite(hi) else hi) for lo, hi in br]
    return counts, br


def derive_year(inputs: TractInputs, profile: Profile, year: int | None, *, regional_income=None,
                li_denominator: np.ndarray | None = None) -> Year:
    """Shares, medians and income categories' inputs of one data year (§1.3)."""
    e = lambda v: inputs.e(year, v)  # noqa: E731
    pop = e("B03002_001")
    if not inputs.has(year, "B03002_001"):
        pop = e("B01003_001")
    bins, br = _hinc_bins(inputs, year)
    hh = e("B19001_001")
    if not inputs.has(year, "B19001_001"):
        hh = sum_known(bins)
    hinc = e("B19013_001")
    rent, value = e("B25064_001"), e("B25077_001")
    crossed = inputs.crosswalked.get(year) if year is not None else None
    if profile.crosswalk_median == "bins" and crossed is not None and np.any(crossed):
        hinc = np.where(crossed, median_from_bins(bins, br), hinc)
        # rent and value brackets changed between vintages: re-derive only with this year's own brackets
        if inputs.has(year, "B25063_003") and inputs.has_year_brackets("B25063", year):
            rbr = list(inputs.table_brackets("B25063", year))
            rb = [e(b.variable) for b in rbr]
            rent = np.where(crossed, median_from_bins(rb, rbr), rent)
        if inputs.has(year, "B25075_002") and inputs.has_year_brackets("B25075", year):
            vbr = list(inputs.table_brackets("B25075", year))
            vb = [e(b.variable) for b in vbr]
            value = np.where(crossed, median_from_bins(vb, vbr), value)
    hinc = np.where(hinc > 0, hinc, np.nan)  # hinc ≤ 0 or missing → NaN (§1.4 a)
    per_nonwhite = 1.0 - safe_div(e("B03002_003"), e("B03002_001"))
    per_rent = safe_div(e("B25003_003"), e("B25003_002") + e("B25003_003"))
    col_vars = [v for v in COL_VARS if not (year == 2000 and v == "B15003_024")]
    col = np.nansum(np.column_stack([e(v) for v in col_vars]), axis=1)
    col = np.where(np.all(np.isnan(np.column_stack([e(v) for v in col_vars])), axis=1), np.nan, col)
    per_col = safe_div(col, e("B15003_001"))
    rmi = _rmi(inputs, profile, year, hinc, hh, regional_income)
    lo_cut, hi_cut = profile.income_cutoffs
    den = li_denominator
    inc_lo, inc_hi = share_below(bins, br, lo_cut * rmi, hi_cut * rmi, denominator=den)
    li_count = inc_lo * hh
    mcounts, mbr = _mover_counts(inputs, year, profile)
    mcut = 0.8 * regional_median(e("B06011_001"), inputs.region_codes())
    per_limove = share_below(mcounts, mbr, mcut)
    return Year(year, pop, hh, hinc, rent, value, per_nonwhite, per_rent, per_col, rmi,
                inc_lo, inc_hi - inc_lo, 1.0 - inc_hi, li_count, per_limove)


# --- building blocks (§1.4) ----------------------------------------------------------------------


def income_category(y: Year, profile: Profile) -> np.ndarray:
    """§1.4 (a): 1 LOW_PDMT, 2 MOD_PDMT, 3 HIGH_PDMT, 4 MIX_LOW, 5 MIX_MOD, 6 MIX_HIGH, NaN."""
    ps, om = profile.predominant_share, profile.other_share_max
    lo, hi = profile.income_cutoffs
    pl, pm, ph = y.p_low, y.p_mod, y.p_high
    r = safe_div(y.hinc, y.rmi)
    with np.errstate(invalid="ignore"):
        out = np.select(
            [(pl >= ps) & (pm < om) & (ph < om), (pm >= ps) & (pl < om) & (ph < om),
             (ph >= ps) & (pl < om) & (pm < om), r < lo, (r >= lo) & (r < hi), r >= hi],
            [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], np.nan)
    out[~(y.hinc > 0) | np.isnan(pl) | np.isnan(ph)] = np.nan
    return out


def market_type(inputs: TractInputs, profile: Profile, end: int, rmi: np.ndarray) -> np.ndarray:
    """§1.4 (b) `lmh`: shares of rental + owner units costing < .6A, .6A–1.2A, > 1.2A, A = .30·RMI/12."""
    a = profile.cost_share_of_income * rmi / 12.0
    lo_f, hi_f = profile.afford_cutoffs
    rbr = list(inputs.table_brackets("B25063", end))
    obr = list(inputs.table_brackets("B25094", end))
    rent = [inputs.e(end, b.variable) for b in rbr]
    own = [inputs.e(end, b.variable) for b in obr]
    no_cash = inputs.e(end, B.B25063_NO_CASH)
    r_lo, r_hi = count_below(rent, rbr, lo_f * a, hi_f * a)
    o_lo, o_hi = count_below(own, obr, lo_f * a, hi_f * a)
    below_lo = r_lo + no_cash + o_lo
    below_hi = r_hi + no_cash + o_hi
    total = np.sum(rent, axis=0) + no_cash + np.sum(own, axis=0)
    low = safe_div(below_lo, total)
    mod = safe_div(below_hi - below_lo, total)
    high = 1.0 - safe_div(below_hi, total)
    cost = inputs.e(end, "B25105_001")
    ps, om = profile.predominant_share, profile.other_share_max
    with np.errstate(invalid="ignore"):
        out = np.select(
            [(low >= ps) & (mod < om) & (high < om), (mod >= ps) & (low < om) & (high < om),
             (high >= ps) & (low < om) & (mod < om), cost < lo_f * a, cost < hi_f * a, cost >= hi_f * a],
            [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], np.nan)
    out[np.isnan(low)] = np.nan
    return out


def pct_change(x0, x1, factor: float) -> np.ndarray:
    """Real % change x1 / (x0 · factor) − 1 (factor turns t0 dollars into t1 dollars)."""
    return safe_div(x1, np.asarray(x0) * factor) - 1.0


def change_class(p: np.ndarray, regions, profile: Profile) -> np.ndarray:
    """§1.4 (c) for one variable: 1 DEC p ≤ −band; 2 MARG; 3 INC band ≤ p < M; 4 RAPID p ≥ M, where M is
    the regional median of tract changes over tracts with p > band (quirk 6)."""
    band = profile.marginal_band
    with np.errstate(invalid="ignore"):
        m = regional_median(np.where(p > band, p, np.nan), regions)
        out = np.select([p <= -band, p < band, (p >= band) & ~(p >= m), p >= m], [1.0, 2.0, 3.0, 4.0], np.nan)
    out[np.isnan(p)] = np.nan
    return out


def change_combined(c_rent: np.ndarray, c_value: np.ndarray, profile: Profile) -> np.ndarray:
    """`change` = 3 if either class is RAPID, else 2 if either is INC, else 1; both missing → NaN
    (`twin_cities`) or 0 (UDP). One missing → the other decides (documented choice)."""
    out = np.where((c_rent == 4) | (c_value == 4), 3.0, np.where((c_rent == 3) | (c_value == 3), 2.0, 1.0))
    both = np.isnan(c_rent) & np.isnan(c_value)
    out[both] = 0.0 if profile.nan_policy == "udp" else np.nan
    return out


def vulnerable(y: Year, regions, profile: Profile) -> np.ndarray:
    """§1.4 (d): (rent < RM or value < RM) and ≥ `vuln_min_criteria` of 4: per_all_li ≥ RM,
    per_nonwhite ≥ RM, per_rent ≥ RM, per_col < RM. UDP (quirk 11): a NaN comparison counts as
    "not above the median", so a missing rent or value counts as below it."""
    udp = profile.nan_policy == "udp"
    rm = lambda x: regional_median(x, regions)  # noqa: E731
    if udp:
        above = lambda x: t_ge(x, rm(x), udp=True)  # noqa: E731  (aboverm_*: NaN → 0)
        housing = t_or(t_not(above(y.rent)), t_not(above(y.value)))
        crit = [above(y.p_low), above(y.per_nonwhite), above(y.per_rent), t_not(above(y.per_col))]
    else:
        housing = t_or(t_lt(y.rent, rm(y.rent)), t_lt(y.value, rm(y.value)))
        crit = [t_ge(y.p_low, rm(y.p_low)), t_ge(y.per_nonwhite, rm(y.per_nonwhite)),
                t_ge(y.per_rent, rm(y.per_rent)), t_lt(y.per_col, rm(y.per_col))]
    c = np.column_stack(crit)
    known = np.nansum(c, axis=1)
    unknown = np.isnan(c).sum(axis=1)
    k = profile.vuln_min_criteria
    count_ok = np.where(known >= k, 1.0, np.where(known + unknown < k, 0.0, np.nan))
    return t_and(housing, count_ok)


def _regional_change(x0, x1, factor, regions, profile: Profile) -> tuple[np.ndarray, np.ndarray]:
    """(tract real % change, the region's change): change of medians (UDP) or median of changes."""
    p = pct_change(x0, x1, factor)
    if profile.regional_change == "change_of_medians":
        reg = safe_div(regional_median(x1, regions), regional_median(x0, regions) * factor) - 1.0
    else:
        reg = regional_median(p, regions)
    return p, reg


def hot_market(v0, v1, fv, r0, r1, fr, regions, profile: Profile) -> np.ndarray:
    """§1.4 (e): % change in value ≥ regional change or % change in rent ≥ regional change. UDP: NaN if
    either input is NaN; twin_cities: Kleene (one known true suffices)."""
    pv, rv = _regional_change(v0, v1, fv, regions, profile)
    pr, rr = _regional_change(r0, r1, fr, regions, profile)
    out = t_or(t_ge(pv, rv), t_ge(pr, rr))
    if profile.nan_policy == "udp":
        out[np.isnan(pv) | np.isnan(pr)] = np.nan
    return out


def gentrified(y0: Year, y1: Year, vuln0, hot, fh: float, regions, profile: Profile) -> tuple[np.ndarray, ...]:
    """§1.4 (f): (gentrified, gentrified_urban) from t0 to t1. Urban drops `lostli`."""
    dcol = y1.per_col - y0.per_col
    if profile.regional_change == "change_of_medians":
        rcol = regional_median(y1.per_col, regions) - regional_median(y0.per_col, regions)
    else:
        rcol = regional_median(dcol, regions)
    ph, rh = _regional_change(y0.hinc, y1.hinc, fh, regions, profile)
    lostli = t_lt(y1.li_count, y0.li_count)
    urban = t_and(vuln0, t_gt(dcol, rcol), t_gt(ph, rh), hot)
    return t_and(urban, lostli), urban


def dense_aware(gent, gent_urban, dense) -> np.ndarray:
    """Dense tracts use the urban variant; unknown density → known only where both variants agree."""
    agree = np.where(gent == gent_urban, gent, np.nan)
    return np.where(dense == 1, gent_urban, np.where(dense == 0, gent, agree))


# --- type rules (§1.5) and resolution -----------------------------------------------------------


def type_flags(b: Mapping[str, np.ndarray], profile: Profile) -> dict[str, np.ndarray]:
    """The 9 rules of §1.5 as tri-state arrays; every flag also needs `pop_ok` (pop00flag)."""
    low = t_in(b["inc_cat_t1"], (1, 4))
    upper = t_in(b["inc_cat_t1"], (2, 3, 5, 6))
    lmh_up = t_in(b["lmh"], (2, 3, 5, 6))
    ch = b["change"]
    gent_any_da = t_or(b["gent_da_early"], b["gent_da_late"])
    sae = t_and(t_in(b["inc_cat_t0"], (3,)), t_in(b["inc_cat_t1"], (3,)), t_in(b["lmh"], (3, 6)),
                t_in(ch, (1, 2, 3)))
    advg = t_and(upper, lmh_up, t_in(ch, (1, 2, 3)), t_or(t_gt(b["pch_value"], 0), t_gt(b["pch_rent"], 0)),
                 gent_any_da, t_not(sae))
    are = t_and(upper, lmh_up, t_in(ch, (1, 2)), t_not(advg), t_not(sae))
    be = t_and(upper, lmh_up, t_in(ch, (3,)), b["lostli"], t_lt(b["per_limove_t1"], b["per_limove_tm"]),
               t_gt(b["hinc_real_t1"], b["hinc_real_t0"]), t_not(sae))
    smmi = t_and(upper, t_not(are), t_not(be), t_not(sae), t_not(advg))
    if profile.arg_urban_aware:
        not_gent = t_not(t_or(b["gent_da_early"], b["gent_da_late"]))
    else:  # quirk 10: UDP's ARG looks at the non-urban variants only (#73)
        not_gent = t_not(t_or(b["gent_early"], b["gent_late"]))
    arg = t_and(low, t_in(b["lmh"], (1, 4)),
                t_or(t_in(ch, (1,)), b["ab_90percentile_ch"], b["rent_90percentile_ch"]),
                not_gent, t_or(b["dp_pchrent"], b["dp_rentgap"]), b["vulnerable_t1"])
    eog = t_and(low, t_in(b["lmh"], (2, 5)), t_or(t_in(ch, (2, 3)), b["hv_abrm_ch"], b["rent_abrm_ch"]),
                gent_any_da)
    od = t_and(low, b["lostli"], t_not(arg), t_not(eog))
    lisd = t_and(low, t_not(od), t_not(arg), t_not(eog))
    flags = {"LISD": lisd, "OD": od, "ARG": arg, "EOG": eog, "AdvG": advg, "SMMI": smmi, "ARE": are, "BE": be,
             "SAE": sae}
    return {k: t_and(v, b["pop_ok"]) for k, v in flags.items()}


def resolve(flags: Mapping[str, np.ndarray], *, student_share, gent_early_any, gent_late_any,
            profile: Profile, missing: np.ndarray | None = None, pop_ok=None
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The one precedence step (§1.5 resolution; quirk 10) → (typology codes, reasons, flag masks).

    1. student share > `student_max` → STUDENT ("students>0.30");
    2. flags exactly {AdvG, BE} → AdvG ("patch:AdvG+BE");
    3. flags exactly {LISD} or {OD} and gentrified in the early window (either variant) → AdvG
       ("patch:gent_early"); else if gentrified in the late window → EOG ("patch:gent_late");
    4. exactly one flag → it ("flag:<code>");
    5. otherwise UNAVAILABLE with reason "pop<=N" (population test failed), "conflict:A,B" (≥ 2 flags),
       `missing[i]` ("missing:<input>") when an input is missing, else "no_flag".
    Flags that are unknown (NaN) are not set; a tract's label is always exactly one code.
    """
    n = len(next(iter(flags.values())))
    mask = np.zeros(n, dtype=np.int32)
    unknown = np.zeros(n, dtype=np.int32)
    for code in TYPE_RULES:
        f = flags[code]
        mask |= np.where(f == 1, FLAG_BITS[code], 0).astype(np.int32)
        unknown |= np.where(np.isnan(f), FLAG_BITS[code], 0).astype(np.int32)
    nflags = np.zeros(n, dtype=np.int32)
    for code in TYPE_RULES:
        nflags += (mask & FLAG_BITS[code]) > 0
    idx = np.full(n, TYPOLOGY_INDEX["UNAVAILABLE"], dtype=np.int8)
    reason = np.full(n, "no_flag", dtype=object)
    # 4. exactly one flag
    one = nflags == 1
    log2 = np.zeros(n, dtype=np.int8)
    log2[one] = np.log2(mask[one]).astype(np.int8)
    idx[one] = log2[one]
    if one.any():
        reason[one] = np.array([f"flag:{c}" for c in TYPE_RULES], dtype=object)[log2[one]]
    # 3. {LISD} or {OD} with gentrification
    lisd_od = (mask == FLAG_BITS["LISD"]) | (mask == FLAG_BITS["OD"])
    ge = np.asarray(gent_early_any) == 1
    gl = np.asarray(gent_late_any) == 1
    idx[lisd_od & gl] = TYPOLOGY_INDEX["EOG"]
    reason[lisd_od & gl] = "patch:gent_late"
    idx[lisd_od & ge] = TYPOLOGY_INDEX["AdvG"]
    reason[lisd_od & ge] = "patch:gent_early"
    # 2. exactly {AdvG, BE}
    ab = mask == (FLAG_BITS["AdvG"] | FLAG_BITS["BE"])
    idx[ab] = TYPOLOGY_INDEX["AdvG"]
    reason[ab] = "patch:AdvG+BE"
    # 5. unavailable reasons
    un = idx == TYPOLOGY_INDEX["UNAVAILABLE"]
    conflict = un & (nflags >= 2)
    if conflict.any():
        ms, inv = np.unique(mask[conflict], return_inverse=True)
        names = np.array(["conflict:" + ",".join(flag_names(m)) for m in ms], dtype=object)
        reason[conflict] = names[inv]
    if missing is not None:
        miss = un & (nflags == 0) & (missing != "")
        reason[miss] = missing[miss]
    if pop_ok is not None:
        lowpop = un & (np.asarray(pop_ok) == 0)
        reason[lowpop] = f"pop<={profile.pop_min:g}"
    # 1. students first
    with np.errstate(invalid="ignore"):
        stu = np.asarray(student_share, dtype=np.float64) > profile.student_max
    idx[stu] = TYPOLOGY_INDEX["STUDENT"]
    reason[stu] = f"students>{profile.student_max:.2f}"
    codes = np.array(LEGEND_ORDER, dtype=object)[idx]
    return codes, reason, mask


# --- everything together ------------------------------------------------------------------------


@dataclass
class TypologyResult:
    """Column arrays per tract (§6.3). Tri-state building blocks are floats (1/0/NaN); `flags` is a
    bitmask over `TYPE_RULES` (see `flag_names`); `typology` codes are in `LEGEND_ORDER`."""

    geoids: np.ndarray
    regions: np.ndarray
    roles: dict[str, int | None]
    blocks: dict[str, np.ndarray]
    flags: np.ndarray
    flags_unknown: np.ndarray
    typology: np.ndarray
    reason: np.ndarray
    bipoc_share_t1: np.ndarray


def lag_weights_for(inputs: TractInputs, profile: Profile) -> Weights | None:
    """The spatial weights the profile asks for, from the first spatial input available."""
    if inputs.lag_weights is not None:
        return inputs.lag_weights
    if profile.lag_weights == "distance_band" and inputs.centroids is not None:
        return distance_band_weights(inputs.centroids, profile.lag_band_factor)
    if inputs.neighbours is not None:
        return _neighbour_weights(*inputs.neighbours)
    if inputs.polygons is not None:
        return queen_weights(inputs.polygons)
    if inputs.centroids is not None:
        return distance_band_weights(inputs.centroids, profile.lag_band_factor)
    return None


_MISSING_ORDER = ("pop_t0", "hinc_t1", "hinc_t0", "inc_bins_t1", "inc_bins_t0", "lmh", "rent_t1", "rent_t0",
                  "value_t1", "value_t0", "change", "vulnerable_t1", "vulnerable_t0", "lostli", "per_col_t1",
                  "per_col_t0", "dp", "dense")


def compute_typology(inputs: TractInputs, profile: Profile, *, regional_income=None,
                     weights: Weights | None = None) -> TypologyResult:
    """Building blocks, the 9 rules and `resolve()` for every tract (§1.3–§1.5)."""
    roles = year_roles(profile, inputs.years)
    early, base, mid, end = roles["early"], roles["base"], roles["mid"], roles["end"]
    regs = inputs.region_codes()
    udp = profile.nan_policy == "udp"
    yb = derive_year(inputs, profile, base, regional_income=regional_income)
    ym = yb if mid == base else derive_year(inputs, profile, mid, regional_income=regional_income)
    ye = derive_year(inputs, profile, end, regional_income=regional_income)
    den = yb.hh if (early is not None and profile.li_1990_denominator == "hh_2000") else None
    yx = derive_year(inputs, profile, early, regional_income=regional_income, li_denominator=den) \
        if early is not None else None

    f_be = dollar_factor(profile, base, end)
    f_me = dollar_factor(profile, mid, end)
    b: dict[str, np.ndarray] = {}
    b["inc_cat_t0"] = income_category(yb, profile)
    b["inc_cat_t1"] = income_category(ye, profile)
    b["lmh"] = market_type(inputs, profile, end, ye.rmi)
    b["pch_rent"] = pct_change(ym.rent, ye.rent, f_me)
    b["pch_value"] = pct_change(yb.value, ye.value, f_be)
    b["change_rent"] = change_class(b["pch_rent"], regs, profile)
    b["change_value"] = change_class(b["pch_value"], regs, profile)
    b["change"] = change_combined(b["change_rent"], b["change_value"], profile)
    b["vulnerable_t0"] = vulnerable(yb, regs, profile)
    b["vulnerable_t1"] = vulnerable(ye, regs, profile)
    hot_late = hot_market(yb.value, ye.value, f_be, ym.rent, ye.rent, f_me, regs, profile)
    b["hot"] = hot_late
    gl, glu = gentrified(yb, ye, b["vulnerable_t0"], hot_late, f_be, regs, profile)
    b["gentrified"], b["gentrified_urban"] = gl, glu
    if yx is not None:
        f_xb = dollar_factor(profile, early, base)
        vx = vulnerable(yx, regs, profile)
        hot_early = hot_market(yx.value, yb.value, f_xb, yx.rent, yb.rent, f_xb, regs, profile)
        ge, geu = gentrified(yx, yb, vx, hot_early, f_xb, regs, profile)
        b["vulnerable_early"] = vx
    else:  # no early period: gentrified in it is known to be false
        ge = geu = np.zeros(inputs.n)
    b["gentrified_early"], b["gentrified_urban_early"] = ge, geu
    b["lostli"] = t_lt(ye.li_count, yb.li_count)

    # density (quirk 7)
    if profile.density_source == "foreign_born":
        num = inputs.e(end, "B05006_001")
        area = inputs.density_area_m2 if inputs.density_area_m2 is not None else inputs.aland_m2
    else:
        num = ye.pop if not inputs.has(end, "B01003_001") else inputs.e(end, "B01003_001")
        area = inputs.aland_m2
    area = np.full(inputs.n, np.nan) if area is None else np.asarray(area, dtype=np.float64)
    b["density_per_sqmi"] = safe_div(num, area / SQM_PER_SQMI)
    b["dense"] = t_ge(b["density_per_sqmi"], profile.dense_per_sqmi)
    b["gent_early"], b["gent_late"] = ge, gl
    b["gent_da_early"] = dense_aware(ge, geu, b["dense"])
    b["gent_da_late"] = dense_aware(gl, glu, b["dense"])

    # rent pressure (§1.4 g, quirk 8)
    w = weights if weights is not None else lag_weights_for(inputs, profile)
    lag_factor = profile.lag_rent_t0_factor if profile.lag_rent_t0_factor is not None else f_me
    if w is not None:
        pooled = profile.lag_pooled and inputs.pool_groups is None
        lag_regions = inputs.pool_groups if (profile.lag_pooled and inputs.pool_groups is not None) else regs
        rp = rent_pressure(ym.rent, ye.rent, lag_regions, w, t0_factor=lag_factor, pooled=pooled,
                           counties=inputs.county_ids() if profile.lag_missing == "county_median" else None,
                           udp_nan=udp)
        b["dp_pchrent"], b["dp_rentgap"] = rp["dp_pchrent"], rp["dp_rentgap"]
        b["rent_gap"], b["rent_gap_prop"] = rp["rent_gap"], rp["rent_gap_prop"]
    else:
        nan = np.full(inputs.n, np.nan)
        b["dp_pchrent"] = b["dp_rentgap"] = b["rent_gap"] = b["rent_gap_prop"] = nan

    # other flags (§1.4 h)
    pr = b["pch_rent"]
    b["rent_abrm_ch"] = t_gt(pr, regional_median(pr, regs), udp=udp)
    if isinstance(profile.rent_top_change, str):
        top = regional_quantile(pr, regs, int(profile.rent_top_change[1:]) / 100.0)
    else:  # quirk 2: UDP tests a 90 % rise
        top = np.full(inputs.n, float(profile.rent_top_change))
    b["rent_90percentile_ch"] = t_ge(pr, top, udp=udp)
    if profile.zillow and inputs.has(mid, "ZHVI") and inputs.has(end, "ZHVI"):
        pz = safe_div(inputs.e(end, "ZHVI"), inputs.e(mid, "ZHVI")) - 1.0
        b["ab_90percentile_ch"] = t_gt(pz, regional_quantile(pz, regs, 0.9), udp=udp)
        b["hv_abrm_ch"] = t_gt(pz, regional_median(pz, regs), udp=udp)
    else:  # Zillow off: its flags are known false (they only widen OR clauses)
        b["ab_90percentile_ch"] = b["hv_abrm_ch"] = np.zeros(inputs.n)
    b["pop_ok"] = t_gt(yb.pop, profile.pop_min, udp=udp)
    b["per_limove_t1"], b["per_limove_tm"] = ye.per_limove, ym.per_limove
    b["hinc_real_t1"], b["hinc_real_t0"] = ye.hinc, yb.hinc * f_be
    stu = inputs.e(end, "B14007_017") + inputs.e(end, "B14007_018")
    b["student_share"] = safe_div(stu, inputs.e(end, "B14007_001"))
    b["rmi_t0"], b["rmi_t1"] = yb.rmi, ye.rmi
    b["per_all_li_t0"], b["per_all_li_t1"] = yb.p_low, ye.p_low
    b["per_col_t0"], b["per_col_t1"] = yb.per_col, ye.per_col

    flags = type_flags(b, profile)
    missing_inputs = {
        "pop_t0": yb.pop, "hinc_t1": ye.hinc, "hinc_t0": yb.hinc, "inc_bins_t1": ye.p_low,
        "inc_bins_t0": yb.p_low, "lmh": b["lmh"], "rent_t1": ye.rent, "rent_t0": ym.rent,
        "value_t1": ye.value, "value_t0": yb.value, "change": b["change"], "vulnerable_t1": b["vulnerable_t1"],
        "vulnerable_t0": b["vulnerable_t0"], "lostli": b["lostli"], "per_col_t1": ye.per_col,
        "per_col_t0": yb.per_col, "dp": t_or(b["dp_pchrent"], b["dp_rentgap"]), "dense": b["dense"],
    }
    mat = np.column_stack([np.isnan(missing_inputs[k]) for k in _MISSING_ORDER])
    anym = mat.any(axis=1)
    names = np.array([f"missing:{k}" for k in _MISSING_ORDER], dtype=object)
    missing = np.where(anym, names[np.argmax(mat, axis=1)], "").astype(object)
    codes, reason, mask = resolve(
        flags, student_share=b["student_share"],
        gent_early_any=t_or(b["gent_early"], b["gentrified_urban_early"]),
        gent_late_any=t_or(b["gent_late"], b["gentrified_urban"]),
        profile=profile, missing=missing, pop_ok=b["pop_ok"])
    unknown = np.zeros(inputs.n, dtype=np.int32)
    for code in TYPE_RULES:
        unknown |= np.where(np.isnan(flags[code]), FLAG_BITS[code], 0).astype(np.int32)
    return TypologyResult(inputs.geoids, inputs.regions, roles, b, mask, unknown, codes, reason,
                          ye.per_nonwhite)
