"""Profiles: every threshold and every §1.7 quirk of the method as one named, validated setting.

Spec §6.1 (YAML keys and defaults) and §1.7 (quirks). Two profiles ship:

- `twin_cities` (default): the quirks fixed, two ACS windows (baseline t0, end t1) crosswalked to 2020
  tracts, no Zillow; NaN propagates to "Unavailable or Unreliable Data".
- `udp_compat`: reproduces UDP's code, quirks included, for regression tests; takes 1990/2000/2012/2018.

`profile_get(name)` returns a shipped profile; `profile_from_mapping(d)` builds one from a mapping
(a parsed YAML file), starting from `d["base"]` (default `twin_cities`) and checking every key's name
and type: an unknown key raises ValueError naming it.

Switch per quirk (udp_compat → twin_cities):
 1. `vuln_min_criteria` 3 → 3 (a parameter; the report's "two or more" is 2)
 2. `rent_top_change` 0.90 (a 90 % rise) → "p90" (the region's 90th percentile)
 3. `crosswalk_median` "weighted_sum" (Σ w·median) → "bins" (re-derived from crosswalked bins)
 4. `li_1990_denominator` "hh_2000" → "own"
 5. `regional_median` "tract_unweighted" (both; "hh_weighted", "b19013_region", "hud_ami" available)
 6. `regional_change` "change_of_medians" (hot market, income, college) → "median_of_changes" everywhere
    (the rapid-increase threshold M is the median of tract changes in both)
 7. `density_source` "foreign_born" (B05006_001 / area) → "population" (B01003_001 / ALAND)
 8. `lag_pooled` True → False; `lag_rent_t0_factor` 1.07 → None (CPI); `lag_weights` "distance_band" →
    "queen"; `lag_missing` "county_median" → "skip"
 9. `mover_brackets` "udp_off_by_one" → "labels"
10. `arg_urban_aware` False → True (precedence itself is one `resolve()` in both)
11. `nan_policy` "udp" (NaN comparisons are False) → "propagate"
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["PROFILES", "Profile", "profile_from_mapping", "profile_get"]

#: the Met Council 7-county region (spec §0): Anoka, Carver, Dakota, Hennepin, Ramsey, Scott, Washington
TWIN_CITIES_COUNTIES = ("27003", "27019", "27037", "27053", "27123", "27139", "27163")

_CHOICES: dict[str, tuple] = {
    "regional_median": ("tract_unweighted", "hh_weighted", "b19013_region", "hud_ami"),
    "regional_change": ("change_of_medians", "median_of_changes"),
    "crosswalk_median": ("weighted_sum", "bins"),
    "li_1990_denominator": ("hh_2000", "own"),
    "density_source": ("foreign_born", "population"),
    "lag_weights": ("distance_band", "queen"),
    "lag_missing": ("county_median", "skip"),
    "mover_brackets": ("udp_off_by_one", "labels"),
    "nan_policy": ("udp", "propagate"),
    "year_roles": ("udp4", "two_windows"),
    "dollars": ("fixed", "cpi"),
}


@dataclass(frozen=True)
class Profile:
    """All settings of one run of the method (see the module docstring for the quirk switches)."""

    name: str = "twin_cities"
    vuln_min_criteria: int = 3
    predominant_share: float = 0.55
    other_share_max: float = 0.45
    income_cutoffs: tuple[float, float] = (0.8, 1.2)
    afford_cutoffs: tuple[float, float] = (0.6, 1.2)
    cost_share_of_income: float = 0.30
    marginal_band: float = 0.05
    pop_min: float = 500.0
    student_max: float = 0.30
    dense_per_sqmi: float = 3000.0
    rent_top_change: str | float = "p90"
    regional_median: str = "tract_unweighted"
    windows: tuple[tuple[int, int], ...] = ((2012, 2022),)
    zillow: bool = False
    # quirk switches
    regional_change: str = "median_of_changes"
    crosswalk_median: str = "bins"
    li_1990_denominator: str = "own"
    density_source: str = "population"
    lag_weights: str = "queen"
    lag_pooled: bool = False
    lag_rent_t0_factor: float | None = None
    lag_band_factor: float = 0.1
    lag_missing: str = "skip"
    mover_brackets: str = "labels"
    arg_urban_aware: bool = True
    nan_policy: str = "propagate"
    # how input years map to the rules' periods (see typology.year_roles)
    year_roles: str = "two_windows"
    # real dollars: "cpi" uses indicators.CPI_U; "fixed" uses `dollar_factors` (dollar year → factor)
    dollars: str = "cpi"
    dollar_factors: Mapping[int, float] = field(default_factory=dict)
    stability_fragile: float = 0.6
    region_counties: tuple[str, ...] = TWIN_CITIES_COUNTIES

    def __post_init__(self) -> None:
        _validate(self)

    def replace(self, **changes: Any) -> Profile:
        """A copy with some settings changed (validated)."""
        return profile_from_mapping({"base": self, **changes})

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly settings (for storing with a run)."""
        d = dataclasses.asdict(self)
        d["dollar_factors"] = {str(k): v for k, v in dict(self.dollar_factors).items()}
        d["windows"] = [list(w) for w in self.windows]
        d["income_cutoffs"] = list(self.income_cutoffs)
        d["afford_cutoffs"] = list(self.afford_cutoffs)
        d["region_counties"] = list(self.region_counties)
        return d


def _validate(p: Profile) -> None:
    for key, choices in _CHOICES.items():
        if getattr(p, key) not in choices:
            raise ValueError(f"{key} must be one of {', '.join(choices)}; got {getattr(p, key)!r}")
    rtc = p.rent_top_change
    if isinstance(rtc, str):
        if not (rtc.startswith("p") and rtc[1:].isdigit() and 0 < int(rtc[1:]) < 100):
            raise ValueError(f"rent_top_change must be 'pNN' (a percentile) or a number; got {rtc!r}")
    elif not (isinstance(rtc, int | float) and math.isfinite(rtc)):
        raise ValueError(f"rent_top_change must be 'pNN' or a number; got {rtc!r}")
    if not (1 <= p.vuln_min_criteria <= 4):
        raise ValueError("vuln_min_criteria must be 1–4")
    for key in ("income_cutoffs", "afford_cutoffs"):
        lo, hi = getattr(p, key)
        if not (0 < lo < hi):
            raise ValueError(f"{key} must be two increasing positive numbers")
    for key in ("predominant_share", "other_share_max", "cost_share_of_income", "student_max",
                "stability_fragile"):
        if not (0 < getattr(p, key) <= 1):
            raise ValueError(f"{key} must be in (0, 1]")
    for w in p.windows:
        if len(w) != 2 or not (w[0] < w[1]):
            raise ValueError(f"windows: each window must be [t0, t1] with t0 < t1; got {list(w)!r}")
    if p.dollars == "fixed" and not p.dollar_factors:
        raise ValueError("dollars: fixed needs dollar_factors")


_FIELDS = {f.name: f for f in dataclasses.fields(Profile)}


def _coerce(key: str, value: Any, default: Any) -> Any:
    """Check and convert one mapping value to the type of the profile field."""
    def bad(expected: str) -> ValueError:
        return ValueError(f"profile key {key!r} must be {expected}; got {value!r}")

    if key in ("income_cutoffs", "afford_cutoffs"):
        if not isinstance(value, list | tuple) or len(value) != 2:
            raise bad("a list of two numbers")
        return tuple(float(_num(v, bad("a list of two numbers"))) for v in value)
    if key == "windows":
        if not isinstance(value, list | tuple) or not value:
            raise bad("a list of [t0, t1] pairs")
        out = []
        for w in value:
            if not isinstance(w, list | tuple) or len(w) != 2 or not all(isinstance(y, int) for y in w):
                raise bad("a list of [t0, t1] pairs of years")
            out.append((int(w[0]), int(w[1])))
        return tuple(out)
    if key == "region_counties":
        if not isinstance(value, list | tuple) or not all(isinstance(c, str) for c in value):
            raise bad("a list of county FIPS strings")
        return tuple(value)
    if key == "dollar_factors":
        if not isinstance(value, Mapping):
            raise bad("a mapping of year to factor")
        return {int(k): float(_num(v, bad("a mapping of year to factor"))) for k, v in value.items()}
    if key == "rent_top_change":
        if isinstance(value, str):
            return value
        return float(_num(value, bad("'pNN' or a number")))
    if key == "lag_rent_t0_factor":
        return None if value is None else float(_num(value, bad("a number or null")))
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise bad("true or false")
        return value
    if isinstance(default, int) and not isinstance(default, bool):
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad("a whole number")
        return value
    if isinstance(default, float):
        return float(_num(value, bad("a number")))
    if isinstance(default, str):
        if not isinstance(value, str):
            raise bad("text")
        return value
    return value


def _num(v: Any, err: ValueError) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise err
    return v


def profile_from_mapping(data: Mapping[str, Any]) -> Profile:
    """Build a profile from a mapping (e.g. YAML). `base` names the profile it starts from (or is a
    `Profile`); other keys override. Unknown keys or wrong types → ValueError naming the key."""
    if not isinstance(data, Mapping):
        raise ValueError("a profile must be a mapping of keys to values")
    data = dict(data)
    base = data.pop("base", "twin_cities")
    base_p = base if isinstance(base, Profile) else profile_get(base)
    unknown = sorted(k for k in data if k not in _FIELDS)
    if unknown:
        raise ValueError(f"unknown profile key(s): {', '.join(unknown)}")
    values = dataclasses.asdict(base_p)
    values["dollar_factors"] = dict(base_p.dollar_factors)
    for key, value in data.items():
        values[key] = _coerce(key, value, getattr(base_p, key))
    values["income_cutoffs"] = tuple(values["income_cutoffs"])
    values["afford_cutoffs"] = tuple(values["afford_cutoffs"])
    values["windows"] = tuple(tuple(w) for w in values["windows"])
    values["region_counties"] = tuple(values["region_counties"])
    return Profile(**values)


TWIN_CITIES = Profile()

UDP_COMPAT = Profile(
    name="udp_compat",
    rent_top_change=0.90,
    windows=((2000, 2018), (2012, 2018)),
    regional_change="change_of_medians",
    crosswalk_median="weighted_sum",
    li_1990_denominator="hh_2000",
    density_source="foreign_born",
    lag_weights="distance_band",
    lag_pooled=True,
    lag_rent_t0_factor=1.07,
    lag_missing="county_median",
    mover_brackets="udp_off_by_one",
    arg_urban_aware=False,
    nan_policy="udp",
    year_roles="udp4",
    dollars="fixed",
    dollar_factors={1989: 2.08, 1999: 1.53, 2012: 1.11, 2018: 1.0},
)

PROFILES: dict[str, Profile] = {"twin_cities": TWIN_CITIES, "udp_compat": UDP_COMPAT}


def profile_get(name: str) -> Profile:
    """A shipped profile by name ("twin_cities", "udp_compat"); unknown → ValueError."""
    try:
        return PROFILES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown profile {name!r}; known: {', '.join(PROFILES)}") from None
