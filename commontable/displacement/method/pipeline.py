"""One call that runs the whole displacement method, and its rows for storage (spec §6.3).

    results = compute(inputs, "twin_cities", stability_draws=100, seed=0, extra=None)
    rows = results_to_rows(results)          # one JSON-friendly dict per tract, keys = COLUMNS

`compute` runs, in order: the typology (building blocks, 9 rules, `resolve()`; typology.py), the
Monte-Carlo stability (stability.py), the sensitivity flags (sensitivity.py) and the risk index
(risk_index.py). Pure: no Django, no database, no files.

`extra` (all optional):
- `central_city`: (n,) bool, Freeman/Governing/NCRC eligibility (default: all tracts).
- `risk_extra`: {name: (n,) array or (array, higher_is_riskier)}: more risk-index indicators, e.g.
  proximity to planned investment from the overlay.
- `regional_income`: {year: {region id: income} or (n,) array}, needed by `regional_median:
  b19013_region` or `hud_ami`.
- `freeman_q`: 0.5 (median, default) or 0.4 (the 40th-percentile variant).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .indicators import RELIABILITY_LABELS, reliability
from .profiles import Profile, profile_get
from .risk_index import risk_index
from .sensitivity import sensitivity_flags
from .stability import fragile, stability
from .typology import (
    CHANGE_CLASSES,
    INC_CATS,
    LMH,
    NOT_ENDORSED,
    TractInputs,
    TypologyResult,
    compute_typology,
    flag_names,
)

__all__ = ["BLOCK_COLUMNS", "COLUMNS", "INPUT_VARIABLES", "Results", "compute", "results_to_rows"]

EXTRA_KEYS = ("central_city", "risk_extra", "regional_income", "freeman_q")

#: building-block columns (§6.3) in the order they are listed there
BLOCK_COLUMNS = ("inc_cat_t0", "inc_cat_t1", "lmh", "change_rent", "change_value", "change", "vulnerable_t0",
                 "vulnerable_t1", "hot", "gentrified", "gentrified_urban", "lostli", "dp_pchrent",
                 "dp_rentgap", "dense", "student_share")
SENSITIVITY_COLUMNS = ("freeman_gent", "governing_eligible", "governing_gent", "ncrc_gent", "ncrc_cultural")
#: every key of a row from `results_to_rows`, in order
COLUMNS = ("geoid20", "region_id", "profile", "t0", "t1", *BLOCK_COLUMNS, "flags", "typology",
           "typology_reason", "stability", "fragile", "bipoc_share_t1", *SENSITIVITY_COLUMNS,
           "freeman_eligible", "dri_score", "dri_class", "inputs")
#: inputs written with each row (estimate and margin per window), §6.3 "Inputs"
INPUT_VARIABLES = ("B03002_001", "B03002_003", "B19001_001", "B19013_001", "B25064_001", "B25077_001",
                   "B25105_001", "B25003_002", "B25003_003", "B15003_001", "B06011_001", "B14007_001")

_TRI = ("vulnerable_t0", "vulnerable_t1", "hot", "gentrified", "gentrified_urban", "lostli", "dp_pchrent",
        "dp_rentgap", "dense")
_NAMED = {"inc_cat_t0": INC_CATS, "inc_cat_t1": INC_CATS, "lmh": LMH, "change_rent": CHANGE_CLASSES,
          "change_value": CHANGE_CLASSES}


@dataclass
class Results:
    """Everything `compute` found, as column arrays aligned with `geoids`."""

    profile: Profile
    t0: int
    t1: int
    geoids: np.ndarray
    regions: np.ndarray
    typology: TypologyResult
    stability: np.ndarray
    fragile: np.ndarray
    sensitivity: dict[str, np.ndarray]
    risk: dict[str, Any]
    inputs: TractInputs
    label: str = NOT_ENDORSED

    @property
    def n(self) -> int:
        return len(self.geoids)

    def column(self, name: str) -> np.ndarray:
        """One §6.3 column as an array (tri-states as floats, codes as numbers, flags as bitmasks)."""
        t = self.typology
        if name in t.blocks:
            return t.blocks[name]
        simple = {"geoid20": self.geoids, "region_id": self.regions, "flags": t.flags, "typology": t.typology,
                  "typology_reason": t.reason, "stability": self.stability, "fragile": self.fragile,
                  "bipoc_share_t1": t.bipoc_share_t1, "dri_score": self.risk["dri_score"],
                  "dri_class": self.risk["dri_class"]}
        if name in simple:
            return simple[name]
        if name in self.sensitivity:
            return self.sensitivity[name]
        raise KeyError(name)


def compute(inputs: TractInputs, profile: Profile | str = "twin_cities", *, stability_draws: int = 100,
            seed: int = 0, extra: dict[str, Any] | None = None) -> Results:
    """Run the typology, its stability, the sensitivity flags and the risk index for every tract."""
    p = profile_get(profile) if isinstance(profile, str) else profile
    extra = dict(extra or {})
    unknown = sorted(set(extra) - set(EXTRA_KEYS))
    if unknown:
        raise ValueError(f"unknown extra key(s): {', '.join(unknown)}; known: {', '.join(EXTRA_KEYS)}")
    ri = extra.get("regional_income")
    typ = compute_typology(inputs, p, regional_income=ri)
    t0, t1 = typ.roles["base"], typ.roles["end"]
    if stability_draws:
        stab = stability(inputs, p, typ.typology, draws=stability_draws, seed=seed, regional_income=ri)
    else:
        stab = np.full(inputs.n, np.nan)
    sens = sensitivity_flags(inputs, p, t0, t1, central_city=extra.get("central_city"),
                             freeman_q=float(extra.get("freeman_q", 0.5)))
    risk = risk_index(inputs, t1, extra=extra.get("risk_extra"))
    return Results(p, t0, t1, inputs.geoids, inputs.regions, typ, stab, fragile(stab, p), sens, risk, inputs)


def _f(x) -> float | None:
    x = float(x)
    return None if math.isnan(x) else x


def _tri(x) -> bool | None:
    x = float(x)
    return None if math.isnan(x) else bool(x)


def results_to_rows(results: Results, *, input_variables: tuple[str, ...] | None = INPUT_VARIABLES
                    ) -> list[dict[str, Any]]:
    """One dict per tract with the keys of `COLUMNS` (JSON-friendly: NaN → None, tri-states → bool/None,
    codes → names such as "LOW_PDMT", "P_MI", "RAPID"; `change` stays 0–3; `flags` is a list of type
    codes). `inputs` = {"<year>": {"<var>": [estimate, margin, reliability]}} for `input_variables`
    (None = every variable)."""
    t = results.typology
    b = t.blocks
    n = results.n
    cols: dict[str, list] = {}
    for name in BLOCK_COLUMNS:
        arr = b[name]
        if name in _TRI:
            cols[name] = [_tri(v) for v in arr]
        elif name in _NAMED:
            names = _NAMED[name]
            cols[name] = [None if math.isnan(v) else names.get(int(v)) for v in arr.tolist()]
        elif name == "change":
            cols[name] = [None if math.isnan(v) else int(v) for v in arr.tolist()]
        else:
            cols[name] = [_f(v) for v in arr]
    masks, inv = np.unique(t.flags, return_inverse=True)
    mask_names = [flag_names(m) for m in masks.tolist()]
    flags = [mask_names[i] for i in inv.ravel().tolist()]
    sens = {k: [_tri(v) for v in results.sensitivity[k]] for k in (*SENSITIVITY_COLUMNS, "freeman_eligible")}
    inputs = results.inputs
    years = inputs.years
    per_input: list[dict] = [{} for _ in range(n)]
    for y in years:
        est, moe = inputs.estimates.get(y, {}), inputs.moes.get(y, {})
        variables = list(est) if input_variables is None else [v for v in input_variables if v in est]
        for v in variables:
            e = est[v]
            m = moe.get(v, np.full(n, np.nan))
            rel = reliability(e, m)
            el, ml = e.tolist(), m.tolist()
            for i in range(n):
                per_input[i].setdefault(str(y), {})[v] = [
                    None if math.isnan(el[i]) else el[i], None if math.isnan(ml[i]) else ml[i],
                    RELIABILITY_LABELS[int(rel[i])]]
    rows = []
    geoids, regions = results.geoids.tolist(), results.regions.tolist()
    typ, reason = t.typology.tolist(), t.reason.tolist()
    stab, frag = results.stability.tolist(), results.fragile.tolist()
    bipoc = t.bipoc_share_t1.tolist()
    dri_s, dri_c = results.risk["dri_score"].tolist(), results.risk["dri_class"].tolist()
    pname = results.profile.name
    for i in range(n):
        row: dict[str, Any] = {"geoid20": geoids[i], "region_id": regions[i], "profile": pname,
                               "t0": results.t0, "t1": results.t1}
        for name in BLOCK_COLUMNS:
            row[name] = cols[name][i]
        row["flags"] = flags[i]
        row["typology"] = typ[i]
        row["typology_reason"] = reason[i]
        row["stability"] = None if math.isnan(stab[i]) else stab[i]
        row["fragile"] = bool(frag[i])
        row["bipoc_share_t1"] = None if math.isnan(bipoc[i]) else bipoc[i]
        for k, vals in sens.items():
            row[k] = vals[i]
        row["dri_score"] = None if math.isnan(dri_s[i]) else dri_s[i]
        row["dri_class"] = dri_c[i]
        row["inputs"] = per_input[i]
        rows.append(row)
    return rows
