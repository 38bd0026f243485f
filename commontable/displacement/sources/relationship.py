"""2010 → 2020 tract crosswalks, and carrying an ACS table from 2010 tracts onto 2020 tracts (spec §3.5).

- `read_census_relationship`: the Census Bureau's tract relationship file (`tab20_tract20_tract10_natl.txt`
  or `…_st27.txt`, pipe-delimited, one row per 2020×2010 intersection). Its only weight is land area:
  `area` = AREALAND_PART / AREALAND_TRACT_10.
- `read_nhgis_crosswalk`: the NHGIS block-based crosswalk (`nhgis_tr2010_tr2020[_27].csv`), one weight
  per universe: `pop`, `adult`, `fam`, `hh`, `hu`, `ownhu`, `renthu` (the `wt_` prefix dropped).
- `crosswalk_apply`: counts Σ w·E, MOEs √Σ(w·M)², medians re-derived from crosswalked bins (or a
  weighted mean normalised per target as the fallback), one-to-one tracts copied unchanged. The
  weights of every source tract must sum to 1, so counts are conserved; a file that does not conserve
  them is refused.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from ._files import MB, Source, is_zip, open_zip, read_source
from .acs import AcsTable
from .errors import Problem, ProblemList, SourceError

DEFAULT_MAX_BYTES = 256 * MB
# Weights of one source tract must sum to 1 within this (NHGIS weights are rounded in the file).
WEIGHT_SUM_TOLERANCE = 1e-4
CONSERVATION_TOLERANCE = 1e-6

CENSUS_COLUMNS = ("GEOID_TRACT_20", "GEOID_TRACT_10", "AREALAND_TRACT_10", "AREALAND_PART")
NHGIS_GEOID_COLUMNS = ("tr2010ge", "tr2020ge")


@dataclass
class Crosswalk:
    """Parts of source tracts landing in target tracts, with one weight per universe per part.

    `source_geoids[i]` → `target_geoids[i]` carries `weights[universe][i]` of the source's universe.
    `zero_universe_sources` lists, per universe, source tracts whose universe is empty (a water-only
    tract: no land), whose weights were set by another rule (see `notes`).
    """

    source_year: int
    target_year: int
    source_geoids: np.ndarray
    target_geoids: np.ndarray
    weights: dict[str, np.ndarray]
    source_name: str = ""
    zero_universe_sources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def universes(self) -> list[str]:
        return list(self.weights)

    def target_index(self) -> tuple[np.ndarray, np.ndarray]:
        """(sorted unique target GEOIDs, each part's position in them), computed once per crosswalk."""
        cached = self.__dict__.get("_target_index")
        if cached is None:
            cached = self.__dict__["_target_index"] = np.unique(self.target_geoids, return_inverse=True)
        return cached

    def __len__(self) -> int:
        return len(self.source_geoids)


def _geoid_problems(values: pd.Series, column: str, rows: np.ndarray, problems: ProblemList, name: str) -> None:
    ok = values.str.fullmatch(r"\d{11}").fillna(False).to_numpy(dtype=bool)
    for i in np.flatnonzero(~ok).tolist():
        problems.add(_("The GEOID %(geoid)s is not 11 digits (2 for the state, 3 for the county, 6 for the "
                       "tract). A spreadsheet program may have dropped leading zeros.")
                     % {"geoid": repr(values.iloc[i])}, row=int(rows[i]), column=column, file=name)


def _read_table(source: Source, *, name: str | None, max_bytes: int, sep: str) -> tuple[pd.DataFrame, str]:
    data, name = read_source(source, name=name, max_bytes=max_bytes)
    if is_zip(data):
        archive = open_zip(data, name=name, max_bytes=max_bytes)
        members = [m for m in archive.namelist() if m.lower().endswith((".txt", ".csv"))]
        if len(members) != 1:
            raise SourceError([Problem(_("The ZIP should hold exactly one relationship file; it holds: "
                                         "%(files)s.") % {"files": ", ".join(archive.namelist())}, file=name)])
        data, name = archive.read(members[0]), members[0]
    try:
        frame = pd.read_csv(io.BytesIO(data), sep=sep, dtype=str, keep_default_na=False, na_filter=False,
                            encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, ValueError) as exc:
        raise SourceError([Problem(_("The file could not be read: %(error)s") % {"error": str(exc)},
                                   file=name)]) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise SourceError([Problem(_("The file holds a header but no rows."), file=name)])
    return frame, name


def _numbers(frame: pd.DataFrame, column: str, rows: np.ndarray, problems: ProblemList, name: str) -> np.ndarray:
    values = pd.to_numeric(frame[column].str.strip(), errors="coerce").to_numpy(dtype=np.float64)
    for i in np.flatnonzero(~np.isfinite(values) | (values < 0))[:50].tolist():
        problems.add(_("%(value)s is not an area or weight (a number, zero or more).")
                     % {"value": repr(frame[column].iloc[i])}, row=int(rows[i]), column=column, file=name)
    return values


def _check_sums(source: np.ndarray, weights: np.ndarray, universe: str, problems: ProblemList, name: str,
                skip: np.ndarray | None = None) -> None:
    codes, inverse = np.unique(source, return_inverse=True)
    sums = np.bincount(inverse, weights=weights, minlength=len(codes))
    wrong = np.abs(sums - 1.0) > WEIGHT_SUM_TOLERANCE
    if skip is not None:
        wrong &= ~np.isin(codes, skip)
    for i in np.flatnonzero(wrong)[:50].tolist():
        problems.add(_("The %(universe)s weights of 2010 tract %(geoid)s add up to %(sum)s, not 1: the file "
                       "would not conserve counts (people or homes would be lost or invented). Use the "
                       "complete, unedited file.") % {"universe": universe, "geoid": codes[i],
                                                      "sum": f"{sums[i]:.4f}"}, file=name)
    if wrong.sum() > 50:
        problems.add(_("%(count)s more 2010 tracts have weights that do not add up to 1.")
                     % {"count": int(wrong.sum()) - 50}, file=name)


def read_census_relationship(source: Source, *, name: str | None = None,
                             max_bytes: int = DEFAULT_MAX_BYTES) -> Crosswalk:
    """Read the Census Bureau's 2020↔2010 tract relationship file → `Crosswalk` with the `area` weight.

    A 2010 tract with no land (water only) cannot be weighted by land: its weights follow its water
    area (AREAWATER_PART / AREAWATER_TRACT_10), or are split equally if that is missing too; such
    tracts are listed in `zero_universe_sources["area"]` and in `notes`.
    """
    frame, name = _read_table(source, name=name, max_bytes=max_bytes, sep="|")
    problems = ProblemList(file=name)
    missing = [c for c in CENSUS_COLUMNS if c not in frame.columns]
    if missing:
        hint = (_(" The file has commas between columns: is it the NHGIS crosswalk?")
                if len(frame.columns) == 1 and "," in frame.columns[0] else "")
        problems.add(_("The relationship file lacks the columns %(columns)s. Use the Census Bureau's "
                       "tab20_tract20_tract10 file, whose columns are separated by |.")
                     % {"columns": ", ".join(missing)} + hint, row=1, file=name)
        problems.raise_if_any()
    rows = np.arange(2, len(frame) + 2)
    # Rows of a 2020 tract's part lying outside every 2010 tract (or the reverse) carry no weight.
    present = (frame["GEOID_TRACT_10"].str.strip() != "") & (frame["GEOID_TRACT_20"].str.strip() != "")
    frame, rows = frame[present.to_numpy()].reset_index(drop=True), rows[present.to_numpy()]
    source_ids = frame["GEOID_TRACT_10"].str.strip()
    target_ids = frame["GEOID_TRACT_20"].str.strip()
    _geoid_problems(source_ids, "GEOID_TRACT_10", rows, problems, name)
    _geoid_problems(target_ids, "GEOID_TRACT_20", rows, problems, name)
    land_tract = _numbers(frame, "AREALAND_TRACT_10", rows, problems, name)
    land_part = _numbers(frame, "AREALAND_PART", rows, problems, name)
    problems.raise_if_any()
    over = np.flatnonzero(land_part > land_tract)
    for i in over[:50].tolist():
        problems.add(_("The part's land area (%(part)s m²) is larger than the whole 2010 tract's (%(whole)s m²).")
                     % {"part": f"{land_part[i]:.0f}", "whole": f"{land_tract[i]:.0f}"}, row=int(rows[i]),
                     column="AREALAND_PART", file=name)
    problems.raise_if_any()
    src = source_ids.to_numpy(dtype=str)
    weights = np.divide(land_part, land_tract, out=np.zeros_like(land_part), where=land_tract > 0)
    zero = land_tract == 0
    zero_sources: tuple[str, ...] = ()
    notes: list[str] = []
    if zero.any():
        zero_sources = tuple(np.unique(src[zero]).tolist())
        water_ok = {"AREAWATER_TRACT_10", "AREAWATER_PART"} <= set(frame.columns)
        if water_ok:
            water_tract = pd.to_numeric(frame["AREAWATER_TRACT_10"], errors="coerce").to_numpy(dtype=np.float64)
            water_part = pd.to_numeric(frame["AREAWATER_PART"], errors="coerce").to_numpy(dtype=np.float64)
            by_water = zero & (water_tract > 0) & np.isfinite(water_part)
            weights[by_water] = water_part[by_water] / water_tract[by_water]
        else:
            by_water = np.zeros_like(zero)
        equal = zero & ~by_water
        if equal.any():
            _codes, inverse, counts = np.unique(src, return_inverse=True, return_counts=True)
            weights[equal] = 1.0 / counts[inverse[equal]]
        notes.append(_("%(count)s 2010 tracts have no land (water only); their parts are weighted by water "
                       "area instead. They usually hold no people or homes.") % {"count": len(zero_sources)})
    _check_sums(src, weights, "area", problems, name)
    problems.raise_if_any()
    return Crosswalk(source_year=2010, target_year=2020, source_geoids=src,
                     target_geoids=target_ids.to_numpy(dtype=str), weights={"area": weights}, source_name=name,
                     zero_universe_sources={"area": zero_sources} if zero_sources else {}, notes=tuple(notes))


def read_nhgis_crosswalk(source: Source, *, name: str | None = None,
                         max_bytes: int = DEFAULT_MAX_BYTES) -> Crosswalk:
    """Read an NHGIS tract crosswalk (2010 → 2020) → `Crosswalk` with one weight per `wt_*` column.

    A 2010 tract whose universe is empty (no households, say) has all its weights at 0 in that column;
    it is allowed and listed in `zero_universe_sources[universe]` (nothing to carry over).
    """
    frame, name = _read_table(source, name=name, max_bytes=max_bytes, sep=",")
    problems = ProblemList(file=name)
    weight_cols = [c for c in frame.columns if c.startswith("wt_")]
    missing = [c for c in NHGIS_GEOID_COLUMNS if c not in frame.columns]
    if missing or not weight_cols:
        problems.add(_("The crosswalk lacks the columns %(columns)s. Use the NHGIS 2010 → 2020 tract "
                       "crosswalk (columns tr2010ge, tr2020ge, wt_pop, wt_hh, …).")
                     % {"columns": ", ".join(missing + ([] if weight_cols else ["wt_…"]))}, row=1, file=name)
        problems.raise_if_any()
    rows = np.arange(2, len(frame) + 2)
    source_ids = frame["tr2010ge"].str.strip()
    target_ids = frame["tr2020ge"].str.strip()
    _geoid_problems(source_ids, "tr2010ge", rows, problems, name)
    _geoid_problems(target_ids, "tr2020ge", rows, problems, name)
    weights = {c.removeprefix("wt_"): _numbers(frame, c, rows, problems, name) for c in weight_cols}
    problems.raise_if_any()
    src = source_ids.to_numpy(dtype=str)
    zero_sources: dict[str, tuple[str, ...]] = {}
    notes = []
    for universe, w in weights.items():
        codes, inverse = np.unique(src, return_inverse=True)
        sums = np.bincount(inverse, weights=w, minlength=len(codes))
        empty = codes[sums == 0]
        if len(empty):
            zero_sources[universe] = tuple(empty.tolist())
            notes.append(_("%(count)s 2010 tracts have no %(universe)s to carry over (weights all 0).")
                         % {"count": len(empty), "universe": universe})
        _check_sums(src, w, universe, problems, name, skip=empty)
    problems.raise_if_any()
    return Crosswalk(source_year=2010, target_year=2020, source_geoids=src, target_geoids=target_ids.to_numpy(dtype=str),
                     weights=weights, source_name=name, zero_universe_sources=zero_sources, notes=tuple(notes))


def read_crosswalk(source: Source, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Crosswalk:
    """Read either kind of crosswalk, told apart by its header (| for the Census file, , for NHGIS)."""
    data, name = read_source(source, name=name, max_bytes=max_bytes)
    head = data[:4096]
    if is_zip(data) or b"|" in head.split(b"\n", 1)[0]:
        return read_census_relationship(data, name=name, max_bytes=max_bytes)
    return read_nhgis_crosswalk(data, name=name, max_bytes=max_bytes)


# ---------------------------------------------------------------------------------------------------


def _median_from_bins_function():
    """The method's bracket interpolation (method/indicators.py), or None if it is not there yet."""
    try:
        from ..method import indicators  # noqa: PLC0415
    except ImportError:
        return None
    return getattr(indicators, "median_from_bins", None)


def _bracket_from_label_function():
    try:
        from ..method.brackets import bracket_from_label  # noqa: PLC0415
    except ImportError:
        return None
    return bracket_from_label


def crosswalk_apply(table: AcsTable, crosswalk: Crosswalk, universe_of: Callable[[str], str | None], *,
                    medians: dict[str, str] | None = None, median_bins: dict[str, list[str]] | None = None
                    ) -> AcsTable:
    """Carry `table` (on the crosswalk's source tracts) onto the target tracts → a new `AcsTable`.

    - `universe_of(var)` names the weight for a count variable ("hh", "pop", "area", …); None for a
      variable that is not a count (a median).
    - `medians`: median variable → the count variable whose crosswalked values weight the fallback
      mean (B19013_001 → B19001_001): target median = Σ w·N·median / Σ w·N.
    - `median_bins`: median variable → its bin count variables in bracket order (B19013_001 →
      B19001_002 … B19001_017). The median is then re-estimated from the crosswalked bins with the
      method's interpolation (`method.indicators.median_from_bins`, bounds from the bins' labels),
      never as Σ w·median.
    A target tract is returned only if every source tract feeding it is in the table. One-to-one
    tracts (a single part, weight 1) keep their values, MOEs, codes and censoring unchanged.
    """
    problems = ProblemList(file=crosswalk.source_name or None)
    medians = dict(medians or {})
    median_bins = dict(median_bins or {})
    if table.geography_year != crosswalk.source_year:
        problems.add(_("The table is on %(table)s tracts but the crosswalk starts from %(source)s tracts.")
                     % {"table": table.geography_year, "source": crosswalk.source_year})
        problems.raise_if_any()
    universes = {}
    for var in table.estimates:
        if var in medians or var in median_bins:
            continue
        universe = universe_of(var)
        if universe is not None and "median" in table.labels.get(var, "").lower():
            problems.add(_("%(var)s is a median: it cannot be carried over as a sum. Name the count that weights "
                           "it, or its brackets.") % {"var": var})
        elif universe is None:
            problems.add(_("%(var)s is neither a count with a universe nor a median with its counts: it cannot "
                           "be carried onto 2020 tracts.") % {"var": var})
        elif universe not in crosswalk.weights:
            problems.add(_("The crosswalk has no %(universe)s weights (it has: %(have)s), needed for %(var)s.")
                         % {"universe": universe, "have": ", ".join(crosswalk.weights), "var": var})
        else:
            universes[var] = universe
    for med, count_var in medians.items():
        if count_var not in universes:
            problems.add(_("The median %(var)s needs the count %(count)s in the table to be carried over.")
                         % {"var": med, "count": count_var})
    problems.raise_if_any()

    pos = np.searchsorted(table.geoids, crosswalk.source_geoids)
    pos = np.clip(pos, 0, max(len(table.geoids) - 1, 0))
    present = (table.geoids[pos] == crosswalk.source_geoids) if len(table.geoids) else np.zeros(len(pos), bool)
    targets, t_inverse = crosswalk.target_index()
    # Keep targets all of whose parts come from tracts in the table.
    complete = np.bincount(t_inverse, weights=~present, minlength=len(targets)) == 0
    complete &= np.bincount(t_inverse, minlength=len(targets)) > 0
    keep_part = complete[t_inverse]
    src_rows = pos[keep_part]
    kept_targets = targets[complete]
    new_index = np.cumsum(complete) - 1
    tgt_rows = new_index[t_inverse[keep_part]]
    n_t = len(kept_targets)
    order = np.argsort(tgt_rows, kind="stable")
    src_rows, tgt_rows = src_rows[order], tgt_rows[order]
    starts = np.flatnonzero(np.r_[True, tgt_rows[1:] != tgt_rows[:-1]]) if len(tgt_rows) else np.array([], int)
    part_weights = {u: w[keep_part][order] for u, w in crosswalk.weights.items()}

    def reduce(matrix: np.ndarray) -> np.ndarray:
        if not len(starts):
            return np.zeros((n_t, *matrix.shape[1:]))
        return np.add.reduceat(matrix, starts, axis=0)

    estimates: dict[str, np.ndarray] = {}
    moes: dict[str, np.ndarray] = {}
    conservation = _Conservation(table, crosswalk, pos, present, complete, t_inverse)

    def carry(values: np.ndarray, w: np.ndarray, *, squared: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Σ w·x per target (or √Σ(w·x)²); NaN where a source with weight > 0 is NaN. Also the sum with
        NaN taken as 0, for the conservation check."""
        x = values[src_rows]
        bad = np.isnan(x)
        weighted = np.where(bad, 0.0, x) * w if bad.any() else x * w
        total = np.bincount(tgt_rows, weights=weighted * weighted if squared else weighted, minlength=n_t)
        out = np.sqrt(total) if squared else (total.copy() if bad.any() else total)
        if bad.any():
            out[np.bincount(tgt_rows, weights=bad & (w > 0), minlength=n_t) > 0] = np.nan
        return out, total

    for var, universe in universes.items():
        w = part_weights[universe]
        estimates[var], total = carry(table.estimates[var], w)
        if var in table.moes:
            moes[var], _total = carry(table.moes[var], w, squared=True)
        conservation.check(var, universe, total, problems)
        if problems:
            break
    problems.raise_if_any()

    for med, count_var in medians.items():
        if med in median_bins:
            continue
        w = part_weights[universes[count_var]]
        n_src = table.estimates[count_var][src_rows] * w
        med_src = table.estimates[med][src_rows]
        usable = np.isfinite(med_src) & np.isfinite(n_src) & (n_src > 0)
        num = reduce(np.where(usable, med_src * n_src, 0.0))
        den = reduce(np.where(usable, n_src, 0.0))
        out = np.divide(num, den, out=np.full(n_t, np.nan), where=den > 0)
        out[reduce((~usable & (w > 0)).astype(np.float64)) > 0] = np.nan
        estimates[med] = out
    if median_bins:
        _rederive_medians(table, median_bins, estimates, problems)
    problems.raise_if_any()

    # One-to-one tracts pass through unchanged.
    parts_per_target = np.diff(np.r_[starts, len(tgt_rows)]) if len(starts) else np.array([], int)
    parts_per_source = np.bincount(src_rows, minlength=len(table.geoids))
    single = (parts_per_target == 1)
    one_w = np.ones(n_t, dtype=bool)
    for w in part_weights.values():
        one_w &= np.abs(w[starts] - 1.0) < 1e-9 if len(starts) else one_w
    single &= one_w
    single_src = src_rows[starts] if len(starts) else np.array([], int)
    single &= parts_per_source[single_src] == 1 if len(starts) else single
    t_idx = np.flatnonzero(single)
    s_idx = single_src[t_idx]
    annotations: dict[str, dict[int, str]] = {}
    moe_annotations: dict[str, dict[int, str]] = {}
    censored: dict[str, dict[int, str]] = {}
    source_to_target = dict(zip(s_idx.tolist(), t_idx.tolist(), strict=True))
    for var in estimates:
        if var in table.estimates:
            estimates[var][t_idx] = table.estimates[var][s_idx]
        if var in table.moes:
            moes.setdefault(var, np.full(n_t, np.nan))[t_idx] = table.moes[var][s_idx]
        for src_map, dst in ((table.annotations, annotations), (table.moe_annotations, moe_annotations),
                             (table.censored, censored)):
            if var in src_map:
                mapped = {source_to_target[i]: c for i, c in src_map[var].items() if i in source_to_target}
                if mapped:
                    dst[var] = mapped
    return AcsTable(year=table.year, geography_year=crosswalk.target_year, geoids=kept_targets.astype(str),
                    estimates=estimates, moes=moes, annotations=annotations, moe_annotations=moe_annotations,
                    censored=censored, labels=dict(table.labels),
                    source_files=(*table.source_files, crosswalk.source_name), ignored_columns=())


class _Conservation:
    """Σ over targets = Σ over sources, for the sources whose every part lands in a returned target.

    Works on row numbers (not GEOID strings) so that a national crosswalk checks in milliseconds.
    """

    def __init__(self, table: AcsTable, crosswalk: Crosswalk, pos, present, complete, t_inverse):
        self.table, self.crosswalk = table, crosswalk
        part_ok = present & complete[t_inverse]
        closed_row = np.zeros(len(table.geoids), dtype=bool)
        closed_row[pos[present]] = True
        closed_row[pos[present & ~part_ok]] = False
        closed_part = present & closed_row[pos]
        t_open = np.bincount(t_inverse, weights=~closed_part, minlength=len(complete)) > 0
        t_closed = complete & ~t_open
        self.rows_out = (np.cumsum(complete) - 1)[np.flatnonzero(t_closed)]
        self.rows_in = np.unique(pos[present & t_closed[t_inverse]])
        self._zero_rows: dict[str, np.ndarray] = {}

    def rows_in_for(self, universe: str) -> np.ndarray:
        # A source with an empty universe (all weights 0) carries nothing over, by definition.
        if universe not in self._zero_rows:
            zero = np.asarray(self.crosswalk.zero_universe_sources.get(universe, ()), dtype=str)
            zero_rows = np.searchsorted(self.table.geoids, zero) if len(zero) else np.array([], dtype=np.int64)
            self._zero_rows[universe] = np.setdiff1d(self.rows_in, zero_rows)
        return self._zero_rows[universe]

    def check(self, var: str, universe: str, target_totals: np.ndarray, problems: ProblemList) -> None:
        total_in = float(np.nansum(self.table.estimates[var][self.rows_in_for(universe)]))
        total_out = float(target_totals[self.rows_out].sum())
        if abs(total_out - total_in) > CONSERVATION_TOLERANCE * max(1.0, abs(total_in)):
            problems.add(_("Carrying %(var)s onto 2020 tracts with the %(universe)s weights changes its total from "
                           "%(before)s to %(after)s: the crosswalk does not conserve counts (the weights of "
                           "some 2010 tracts do not add up to 1). Nothing was changed.")
                         % {"var": var, "universe": universe, "before": f"{total_in:,.2f}",
                            "after": f"{total_out:,.2f}"})


def _rederive_medians(table: AcsTable, median_bins: dict[str, list[str]], estimates: dict[str, np.ndarray],
                      problems: ProblemList) -> None:
    """Medians from crosswalked bins, with the method's interpolation (never Σ w·median)."""
    median_from_bins = _median_from_bins_function()
    bracket_from_label = _bracket_from_label_function()
    if median_from_bins is None or bracket_from_label is None:
        problems.add(_("Medians cannot be re-estimated from their brackets yet: the method's bracket "
                       "interpolation is not installed. Carry the median with its count instead."))
        return
    for med, bins in median_bins.items():
        missing = [b for b in bins if b not in estimates]
        unlabeled = [b for b in bins if b not in table.labels]
        if missing or unlabeled:
            problems.add(_("The median %(var)s needs its bracket counts %(bins)s, with their labels, in the table.")
                         % {"var": med, "bins": ", ".join(missing + unlabeled)})
            continue
        brackets = [bracket_from_label(table.labels[b]) for b in bins]
        counts = np.column_stack([estimates[b] for b in bins])
        estimates[med] = np.asarray(median_from_bins(counts, brackets), dtype=np.float64)
