"""American Community Survey 5-year tables for census tracts, from the two places people get them.

- `read_api_json`: a response of the Census Data API (a JSON array of arrays of strings or null; row 0
  is the header: the requested variables, then the geography columns state, county, tract).
- `read_census_csv`: a data.census.gov table export, either the `…-Data.csv` itself or the ZIP holding
  it with its metadata (older exports are named `…_data_with_overlays_<timestamp>.csv`). Row 1 holds
  column codes and row 2 their labels.
- `read_acs_file` picks one of the two by looking at the bytes; `merge_tables` joins several tables of
  one survey year (chunks of variables, several states, several tables of a ZIP).

Every reader checks the whole file first and either returns an `AcsTable` or raises `SourceError`
listing every problem with its row and column. Values the Census Bureau replaces by a code (the API's
negative sentinels, the export's strings such as "-" or "(X)") become NaN and the code is kept in
`annotations`; an MOE marked "*****" (a controlled estimate) becomes 0; top- and bottom-coded medians
("250,000+", "2,500-") keep their number and are marked in `censored`. GEOIDs are always built from
the geography codes (never from NAME, whose separators changed between vintages).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from ._files import MB, Source, is_zip, open_zip, read_source
from .errors import Problem, ProblemList, SourceError

# Larger than a national table of 60 columns (about 30 MB as CSV, 50 MB as API JSON); the import
# pages and commands may pass a different limit.
DEFAULT_MAX_BYTES = 256 * MB

# The Census Data API's numeric sentinels and the annotation each stands for (spec §3.2).
SENTINELS: dict[float, str] = {
    -666666666.0: "-",
    -999999999.0: "N",
    -888888888.0: "(X)",
    -222222222.0: "**",
    -333333333.0: "***",
    -555555555.0: "*****",
}
# Strings data.census.gov writes in value cells instead of a number (the censored forms such as
# "250,000+" are recognised by CENSORED_RE).
ANNOTATIONS = frozenset(SENTINELS.values())
# "*****" on an MOE: the estimate is controlled, so it has no sampling error (spec: treat as 0).
CONTROLLED = "*****"
CENSORED_RE = re.compile(r"^(?P<number>\d{1,3}(?:,\d{3})+|\d+)(?P<decimals>\.\d+)?(?P<sign>[+-])$")
_THOUSANDS_RE = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")

# Column codes of ACS variables: B19013_001E, B19001A_002M, C17002_001EA, S1901_C01_012MA, DP04_0001E.
VARIABLE_COLUMN_RE = re.compile(r"^(?P<var>[A-Z]+[0-9]+[A-Z]*(?:_C[0-9]{2})?_[0-9]{3,4})(?P<kind>E|M|EA|MA)$")
GEOGRAPHY_COLUMNS = ("state", "county", "tract")
# Columns of other geographies the API appends; a table holding them is not a tract table.
_OTHER_GEOGRAPHIES = ("block group", "place", "county subdivision", "zip code tabulation area", "us", "region",
                      "division", "metropolitan statistical area/micropolitan statistical area")
_KNOWN_OTHER = {"NAME", "GEO_ID", "ucgid", "GEOIDFQ"}

TRACT_PREFIX = "1400000US"
# Summary levels people mix into a tract table by mistake (the 3 digits at the start of GEO_ID).
_SUMMARY_LEVELS = {"150": "block group", "050": "county", "040": "state", "010": "nation", "160": "place",
                   "860": "ZIP code area", "060": "county subdivision", "310": "metro area"}

_FILE_YEAR_RE = re.compile(r"ACS(?:DT|ST|DP|CP|SPP)(?P<span>\d)Y(?P<year>\d{4})", re.IGNORECASE)
_OLD_FILE_YEAR_RE = re.compile(r"ACS_(?P<year>\d{2})_(?P<span>\d)YR", re.IGNORECASE)
# The names the fetch command gives the API responses it keeps: acs5_2022_st27_….json.
_API_FILE_YEAR_RE = re.compile(r"\bacs(?P<span>[15])_(?P<year>\d{4})_", re.IGNORECASE)
_DOLLARS_YEAR_RE = re.compile(r"in (?P<year>(?:19|20)\d{2}) inflation-adjusted dollars", re.IGNORECASE)


@dataclass
class AcsTable:
    """ACS 5-year values for a set of tracts, one array per variable, rows in GEOID order.

    - `year`: end year of the 5-year window (2022 for 2018–2022).
    - `geography_year`: the tract boundaries the values are published on (2010 or 2020; §3.2).
    - `geoids`: 11-character tract GEOIDs (numpy array of str), sorted, unique.
    - `estimates` / `moes`: variable code without suffix ("B19013_001") → float64 array aligned with
      `geoids`; NaN where the Bureau published no number. `moes` has only the variables whose MOE was in
      the file.
    - `annotations` / `moe_annotations`: variable → {row index: code} for cells the Bureau annotated
      ("-", "N", "(X)", "**", "***", "*****", "250,000+", …); sparse.
    - `censored`: variable → {row index: "top" | "bottom"} for top-coded ("250,000+": the true median
      is at least the number) and bottom-coded ("2,500-": at most) medians.
    - `labels`: variable → label of its estimate ("Estimate!!Total:!!Less than $10,000"), from the
      export's label row, its column metadata, or variables.json; brackets are parsed from these.
    - `source_files`: names of the files read; `ignored_columns`: columns the reader did not use.
    """

    year: int
    geography_year: int
    geoids: np.ndarray
    estimates: dict[str, np.ndarray]
    moes: dict[str, np.ndarray] = field(default_factory=dict)
    annotations: dict[str, dict[int, str]] = field(default_factory=dict)
    moe_annotations: dict[str, dict[int, str]] = field(default_factory=dict)
    censored: dict[str, dict[int, str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    source_files: tuple[str, ...] = ()
    ignored_columns: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.geoids)

    @property
    def variables(self) -> list[str]:
        return list(self.estimates)

    def index_of(self, geoid: str) -> int:
        """Row index of a tract (KeyError if absent)."""
        i = int(np.searchsorted(self.geoids, geoid))
        if i >= len(self.geoids) or self.geoids[i] != geoid:
            raise KeyError(geoid)
        return i

    def row_values(self, i: int) -> dict[str, dict]:
        """One tract's values, JSON-ready: {var: {"e": estimate|None, "m": moe|None, "a": code, …}}.

        Keys "a" (annotation of the estimate), "ma" (of the MOE) and "c" ("top"/"bottom") appear only
        when set, so a stored row stays small.
        """
        out: dict[str, dict] = {}
        for var, values in self.estimates.items():
            e = values[i]
            item: dict = {"e": None if np.isnan(e) else float(e)}
            if var in self.moes:
                m = self.moes[var][i]
                item["m"] = None if np.isnan(m) else float(m)
            if (code := self.annotations.get(var, {}).get(i)) is not None:
                item["a"] = code
            if (code := self.moe_annotations.get(var, {}).get(i)) is not None:
                item["ma"] = code
            if (side := self.censored.get(var, {}).get(i)) is not None:
                item["c"] = side
            out[var] = item
        return out


# ---------------------------------------------------------------------------------------------------
# Years


def geography_year_for(year: int) -> int:
    """The tract boundaries an ACS 5-year table ending in `year` is published on (spec §3.2)."""
    if year >= 2020:
        return 2020
    if year >= 2010:
        return 2010
    return 2000


def year_from_name(name: str) -> tuple[int, int] | None:
    """(end year, survey span in years) read from a data.census.gov file name, or None.

    "ACSDT5Y2022.B19013-Data.csv" → (2022, 5); "ACS_17_5YR_B19013_with_ann.csv" → (2017, 5).
    """
    base = PurePosixPath(name).name
    if m := _FILE_YEAR_RE.search(base):
        return int(m["year"]), int(m["span"])
    if m := _OLD_FILE_YEAR_RE.search(base):
        return 2000 + int(m["year"]), int(m["span"])
    if m := _API_FILE_YEAR_RE.search(base):
        return int(m["year"]), int(m["span"])
    return None


def _check_year(year: int | None, problems: ProblemList, name: str) -> int | None:
    if year is None:
        return None
    if not 2009 <= int(year) <= 2100:
        problems.add(_("%(year)s is not the end year of an ACS 5-year survey (the first one ended in 2009).")
                     % {"year": year}, file=name)
        return None
    return int(year)


def _resolve_year(*, given: int | None, name: str, labels: dict[str, str], problems: ProblemList) -> int | None:
    """The survey end year: the caller's, the file name's and the labels' dollars year must agree."""
    found: list[tuple[int, str]] = []
    if given is not None:
        found.append((int(given), _("the year chosen for the import")))
    from_name = year_from_name(name)
    if from_name:
        end, span = from_name
        if span != 5:
            problems.add(_("This is a table of the ACS %(span)s-year survey. Tract values are only published "
                           "in the 5-year survey; download the 5-year table (its file name starts with "
                           "ACSDT5Y).") % {"span": span}, file=name)
            return None
        found.append((end, _("the file name")))
    dollar_years = {int(m["year"]) for label in labels.values() if (m := _DOLLARS_YEAR_RE.search(label))}
    if len(dollar_years) > 1:
        problems.add(_("The column labels speak of dollars of different years (%(years)s): the file mixes "
                       "survey years. Upload one survey year at a time.")
                     % {"years": ", ".join(str(y) for y in sorted(dollar_years))}, file=name)
        return None
    if dollar_years:
        found.append((dollar_years.pop(), _("the column labels (inflation-adjusted dollars)")))
    years = {y for y, _where in found}
    if len(years) > 1:
        problems.add(_("The survey year is ambiguous: %(list)s. A file holds one survey year; upload "
                       "different years separately.")
                     % {"list": "; ".join(_("%(year)s from %(where)s") % {"year": y, "where": w}
                                          for y, w in found)}, file=name)
        return None
    if not years:
        problems.add(_("The survey year could not be found in the file name. Choose the end year of the "
                       "5-year survey (2022 for 2018–2022) when importing."), file=name)
        return None
    return _check_year(years.pop(), problems, name)


# ---------------------------------------------------------------------------------------------------
# Values


@dataclass
class _Coerced:
    values: np.ndarray
    annotations: dict[int, str]
    censored: dict[int, str]
    bad: list[tuple[int, str]]


def _coerce(raw: np.ndarray, *, is_moe: bool) -> _Coerced:
    """Strings (or None) → float64, vectorised; codes become NaN (or 0 for "*****" MOEs) and are kept.

    Only the cells that are not plain numbers are looked at one by one (a few per cent of a file).
    """
    annotations: dict[int, str] = {}
    censored: dict[int, str] = {}
    bad: list[tuple[int, str]] = []
    values = _plain_numbers(raw)
    series = None
    if values is None:
        series = pd.Series(np.asarray(raw, dtype=object), dtype=object, copy=False)
        values = np.array(pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan),
                          dtype=np.float64, copy=True)
        not_number = np.flatnonzero(~np.isfinite(values))
    else:
        not_number = np.array([], dtype=np.int64)
    if len(not_number):
        cells = series.iloc[not_number]
        present = np.array(cells.notna().to_numpy(), dtype=bool)
        present[present] = (cells[present].astype(str).str.strip() != "").to_numpy()
        for i, text in zip(not_number[present].tolist(), cells[present].astype(str).str.strip().tolist(),
                           strict=True):
            if text in ANNOTATIONS:
                annotations[i] = text
                values[i] = 0.0 if (is_moe and text == CONTROLLED) else np.nan
            elif m := CENSORED_RE.match(text):
                values[i] = float(m["number"].replace(",", "") + (m["decimals"] or ""))
                annotations[i] = text
                censored[i] = "top" if m["sign"] == "+" else "bottom"
            elif _THOUSANDS_RE.match(text):
                values[i] = float(text.replace(",", ""))
            elif np.isfinite(number := _float_or_nan(text)):
                values[i] = number
            else:
                values[i] = np.nan
                bad.append((i, text))
    # Sentinels: far below any real value, so one comparison finds the candidates.
    low = np.flatnonzero(values < -100_000_000)
    if len(low):
        low_values = values[low]
        known = np.zeros(len(low), dtype=bool)
        for number, code in SENTINELS.items():
            hit = low_values == number
            if hit.any():
                known |= hit
                rows = low[hit]
                annotations.update(dict.fromkeys(rows.tolist(), code))
                values[rows] = 0.0 if (is_moe and code == CONTROLLED) else np.nan
        for i in low[~known].tolist():
            bad.append((i, str(raw[i])))
            values[i] = np.nan
    return _Coerced(values, annotations, censored, bad)


def _plain_numbers(raw: np.ndarray) -> np.ndarray | None:
    """The column as float64 if every cell is a finite number (the common case, fast), else None."""
    if isinstance(raw, np.ndarray) and raw.dtype.kind in "iuf":
        values = raw.astype(np.float64, copy=True)
        return values if raw.dtype.kind != "f" or not np.isinf(values).any() else None
    try:
        values = np.fromiter(map(float, raw), dtype=np.float64, count=len(raw))
    except (TypeError, ValueError):
        return None
    return values if np.isfinite(values).all() else None


def _float_or_nan(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return np.nan


def _coerce_annotation_column(raw: np.ndarray) -> tuple[dict[int, str], dict[int, str], list[tuple[int, str]]]:
    """An EA/MA column of the API (null, or a code such as "-" or "250,000+") → codes, censoring, bad."""
    series = pd.Series(np.asarray(raw, dtype=object), dtype=object, copy=False)
    present = np.array(series.notna().to_numpy(), dtype=bool)
    codes: dict[int, str] = {}
    censored: dict[int, str] = {}
    bad: list[tuple[int, str]] = []
    idx = np.flatnonzero(present)
    if not len(idx):
        return codes, censored, bad
    texts = series.iloc[idx].astype(str).str.strip().tolist()
    for i, text in zip(idx.tolist(), texts, strict=True):
        if not text or text == "null":
            continue
        if text in ANNOTATIONS:
            codes[i] = text
        elif m := CENSORED_RE.match(text):
            codes[i] = text
            censored[i] = "top" if m["sign"] == "+" else "bottom"
        else:
            bad.append((i, text))
    return codes, censored, bad


# ---------------------------------------------------------------------------------------------------
# Building a table from columns


def _classify_columns(columns: list[str], problems: ProblemList, name: str):
    """Split column codes into variable columns by kind, and unused ones; report what is wrong."""
    by_kind: dict[str, dict[str, str]] = {"E": {}, "M": {}, "EA": {}, "MA": {}}
    ignored: list[str] = []
    for col in columns:
        m = VARIABLE_COLUMN_RE.match(col)
        if m:
            by_kind[m["kind"]][m["var"]] = col
        elif col not in GEOGRAPHY_COLUMNS and col not in _KNOWN_OTHER:
            ignored.append(col)
    other = [c for c in columns if c in _OTHER_GEOGRAPHIES]
    if other:
        problems.add(_("The table has a column for %(geography)s: it was requested for a geography other "
                       "than census tracts. Request tracts (for=tract:*), without block groups.")
                     % {"geography": ", ".join(other)}, file=name)
    if not by_kind["E"]:
        problems.add(_("No estimate columns were found. Estimate columns have codes ending in E, such as "
                       "B19013_001E; check that the first row of the file holds the column codes."), file=name)
    for var, col in by_kind["M"].items():
        if var not in by_kind["E"]:
            problems.add(_("The margin of error %(column)s has no estimate column %(var)sE beside it.")
                         % {"column": col, "var": var}, column=col, file=name)
    return by_kind, ignored


def _validate_geoids(geoids: np.ndarray, rows: np.ndarray, problems: ProblemList, name: str,
                     column: str) -> None:
    """Report GEOIDs that are not 11 digits, and duplicates, with their file row."""
    text = _as_text(geoids)
    ok = (np.char.str_len(text) == 11) & np.char.isdigit(text)
    s = pd.Series(text, dtype=object)
    for i in np.flatnonzero(~ok).tolist():
        g = s.iloc[i]
        if g is None or not str(g).strip():
            problems.add(_("The tract has no GEOID."), row=int(rows[i]), column=column, file=name)
        elif not str(g).isdigit():
            problems.add(_("The GEOID %(geoid)s holds characters other than digits.") % {"geoid": g},
                         row=int(rows[i]), column=column, file=name)
        else:
            problems.add(_("The GEOID %(geoid)s has %(count)s digits; a tract GEOID has 11 (2 for the state, "
                           "3 for the county, 6 for the tract). A spreadsheet program may have dropped "
                           "leading zeros, or the row is not a tract.") % {"geoid": g, "count": len(str(g))},
                         row=int(rows[i]), column=column, file=name)
    dup = s.duplicated(keep="first").to_numpy()
    if dup.any():
        first_row = dict(zip(s[~dup].tolist(), rows[~dup].tolist(), strict=True))
        for i in np.flatnonzero(dup).tolist():
            problems.add(_("Tract %(geoid)s appears twice (first on row %(first)s).")
                         % {"geoid": s.iloc[i], "first": first_row.get(s.iloc[i], "?")},
                         row=int(rows[i]), column=column, file=name)


def _build_table(*, columns: dict[str, np.ndarray], geoids: np.ndarray, rows: np.ndarray,
                 by_kind: dict[str, dict[str, str]], year: int, labels: dict[str, str],
                 problems: ProblemList, name: str, ignored: list[str]) -> AcsTable | None:
    """Coerce the variable columns, then sort rows by GEOID; None if problems were found."""
    estimates: dict[str, np.ndarray] = {}
    moes: dict[str, np.ndarray] = {}
    annotations: dict[str, dict[int, str]] = {}
    moe_annotations: dict[str, dict[int, str]] = {}
    censored: dict[str, dict[int, str]] = {}

    def report(bad, col):
        for i, text in bad:
            problems.add(_("The value %(value)s is neither a number nor one of the Census Bureau's codes "
                           "(-, N, (X), **, ***, *****, or a number followed by + or -).")
                         % {"value": repr(text)}, row=int(rows[i]), column=col, file=name)

    for var, col in by_kind["E"].items():
        c = _coerce(columns[col], is_moe=False)
        report(c.bad, col)
        estimates[var] = c.values
        if c.annotations:
            annotations[var] = c.annotations
        if c.censored:
            censored[var] = c.censored
        if (ea := by_kind["EA"].get(var)) is not None:
            codes, cens, bad = _coerce_annotation_column(columns[ea])
            report(bad, ea)
            if codes:
                annotations.setdefault(var, {}).update({i: v for i, v in codes.items()
                                                        if i not in annotations.get(var, {}) or i in cens})
            if cens:
                censored.setdefault(var, {}).update(cens)
    for var, col in by_kind["M"].items():
        if var not in estimates:
            continue
        c = _coerce(columns[col], is_moe=True)
        report(c.bad, col)
        moes[var] = c.values
        if c.annotations:
            moe_annotations[var] = c.annotations
        if (ma := by_kind["MA"].get(var)) is not None:
            codes, _cens, bad = _coerce_annotation_column(columns[ma])
            report(bad, ma)
            for i, code in codes.items():
                moe_annotations.setdefault(var, {}).setdefault(i, code)
                if code == CONTROLLED:
                    moes[var][i] = 0.0
    if problems:
        return None
    order = np.argsort(geoids, kind="stable")
    if np.any(order[1:] != order[:-1] + 1):
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        geoids = geoids[order]
        estimates = {k: v[order] for k, v in estimates.items()}
        moes = {k: v[order] for k, v in moes.items()}

        def remap(d):
            return {var: {int(rank[i]): code for i, code in m.items()} for var, m in d.items()}

        annotations, moe_annotations, censored = remap(annotations), remap(moe_annotations), remap(censored)
    return AcsTable(
        year=year, geography_year=geography_year_for(year), geoids=np.asarray(geoids, dtype=str),
        estimates=estimates, moes=moes, annotations=annotations, moe_annotations=moe_annotations,
        censored=censored, labels={v: labels[v] for v in estimates if v in labels},
        source_files=(name,), ignored_columns=tuple(ignored),
    )


# ---------------------------------------------------------------------------------------------------
# Census Data API


def read_variables_json(source: Source, *, name: str | None = None,
                        max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, str]:
    """Labels from the API's `variables.json` or `groups/<TABLE>.json`: variable (no suffix) → label."""
    data, name = read_source(source, name=name, max_bytes=max_bytes)
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise SourceError([Problem(_("The variable list is not valid JSON."), file=name)]) from None
    variables = doc.get("variables") if isinstance(doc, dict) else None
    if not isinstance(variables, dict):
        raise SourceError([Problem(_("The variable list has no \"variables\" section; it should be the "
                                     "survey's variables.json or a table's groups file."), file=name)])
    labels = {}
    for code, info in variables.items():
        m = VARIABLE_COLUMN_RE.match(code)
        if m and m["kind"] == "E" and isinstance(info, dict) and isinstance(info.get("label"), str):
            labels[m["var"]] = info["label"]
    return labels


def _api_geoids(columns: dict[str, np.ndarray], n: int, problems: ProblemList, name: str) -> np.ndarray:
    missing = [c for c in GEOGRAPHY_COLUMNS if c not in columns]
    if missing:
        problems.add(_("The response has no %(columns)s column. Request tracts with for=tract:* and "
                       "in=state:… so that the API appends state, county and tract.")
                     % {"columns": ", ".join(missing)}, file=name)
        return np.array([], dtype=object)
    parts = []
    for col, width in zip(GEOGRAPHY_COLUMNS, (2, 3, 6), strict=True):
        codes = _as_text(columns[col])
        wrong = (np.char.str_len(codes) != width) | ~np.char.isdigit(codes)
        for i in np.flatnonzero(wrong)[:50].tolist():
            problems.add(_("The code %(value)s should have %(width)s digits.") % {"value": repr(str(codes[i])),
                                                                               "width": width},
                         row=i + 2, column=col, file=name)
        parts.append(codes)
    return np.char.add(np.char.add(parts[0], parts[1]), parts[2])


def _as_text(values) -> np.ndarray:
    """A column of str/None as a numpy unicode array (None → ""), stripped."""
    arr = np.asarray(values, dtype=object)
    missing = pd.isna(arr)
    if missing.any():
        arr = arr.copy()
        arr[missing] = ""
    return np.char.strip(arr.astype(str))


_API_ROW_BREAK_RE = re.compile(rb"\]\s*,\s*\[")
_TEXT_COLUMNS = ("GEO_ID", "NAME", "ucgid", *GEOGRAPHY_COLUMNS)


def _drop_nulls(body: bytes) -> bytes:
    """JSON null cells (never quoted) become empty CSV cells."""
    body = b"\n" + body + b"\n"
    for left, right in ((b",", b","), (b",", b"\n"), (b"\n", b","), (b"\n", b"\n")):
        # twice: two nulls side by side share the comma between them
        body = body.replace(left + b"null" + right, left + right).replace(left + b"null" + right, left + right)
    return body[1:-1]


def _api_json_fast(data: bytes):
    """Read a well-formed API response with the C CSV parser (about twice as fast as json + float()).

    An API response is an array of arrays of quoted strings or null, one row per line; once the
    brackets become line breaks it is a CSV file. Anything unusual (escapes, rows of the wrong width)
    returns None and the response is read as JSON instead, which reports problems precisely.
    """
    text = data.strip()
    if text.startswith(b"\xef\xbb\xbf"):
        text = text[3:].strip()
    if b"\\" in text or not (text.startswith(b"[[") and text.endswith(b"]]")):
        return None
    end_of_header = text.find(b"]")
    try:
        header = json.loads(text[1:end_of_header + 1])
    except ValueError:
        return None
    if not header or not all(isinstance(h, str) for h in header) or len(set(header)) != len(header):
        return None
    body = text[2:-2].replace(b"],\n[", b"\n").replace(b"],[", b"\n")
    if b"]" in body:  # rows split with other spacing (or a bracket inside a name: checked below)
        body = _API_ROW_BREAK_RE.sub(b"\n", text[2:-2])
    rows_expected = text.count(b"[") - 1
    if b"null" in body:
        body = _drop_nulls(body)
    text_columns = [h for h in header if h in _TEXT_COLUMNS]
    try:
        frame = pd.read_csv(io.BytesIO(body), header=0, names=header, keep_default_na=False, na_values=[""],
                            dtype=dict.fromkeys(text_columns, str), engine="c", quotechar='"', doublequote=False,
                            skipinitialspace=True)
    except (pd.errors.ParserError, ValueError, UnicodeDecodeError):
        return None
    if len(frame) + 1 != rows_expected or len(frame) == 0 or list(frame.columns) != header:
        return None
    if frame[header[-1]].isna().any():  # a short row: let the JSON path say which
        return None
    columns = {h: frame[h].to_numpy() for h in header}
    for h in text_columns:
        columns[h] = frame[h].to_numpy(dtype=object, na_value=None)
    return header, columns, len(frame)


def _api_json_slow(data: bytes, problems: ProblemList, name: str):
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise SourceError([Problem(_("The response is not UTF-8 text."), file=name)]) from None
    except ValueError:
        raise SourceError([Problem(_("The response is not valid JSON. The API answers errors in plain "
                                     "text; open the file to read what it says."), file=name)]) from None
    if not isinstance(doc, list) or not doc or not all(isinstance(r, list) for r in doc[:1]):
        raise SourceError([Problem(_("The response is not a table (a list of rows, the first one naming the "
                                     "columns)."), file=name)])
    header = doc[0]
    if not all(isinstance(h, str) for h in header):
        raise SourceError([Problem(_("The first row should name the columns."), row=1, file=name)])
    if len(doc) < 2:
        raise SourceError([Problem(_("The response holds column names but no tracts."), file=name)])
    width = len(header)
    body = doc[1:]
    lengths = np.fromiter((len(r) if isinstance(r, list) else -1 for r in body), dtype=np.int64, count=len(body))
    for i in np.flatnonzero(lengths != width)[:50].tolist():
        problems.add(_("The row has %(count)s cells; the header names %(width)s columns.")
                     % {"count": int(lengths[i]), "width": width}, row=i + 2, file=name)
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        problems.add(_("Columns appear twice: %(columns)s.") % {"columns": ", ".join(dupes)}, file=name)
    problems.raise_if_any()
    by_kind, ignored = _classify_columns(header, problems, name)
    transposed = list(zip(*body, strict=True))
    # Value columns stay tuples of str: _coerce converts them straight to float64.
    columns = {h: (col if VARIABLE_COLUMN_RE.match(h) else np.array(col, dtype=object))
               for h, col in zip(header, transposed, strict=True)}
    return header, columns, len(body), by_kind, ignored


def read_api_json(source: Source, *, year: int, name: str | None = None, labels: dict[str, str] | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES) -> AcsTable:
    """Read one Census Data API response for tracts (ACS 5-year) → `AcsTable`.

    `year` is the survey end year the request was made for (the URL's `/data/{year}/acs/acs5`); it is
    not in the response. `labels` (from `read_variables_json`) are attached for the variables present.
    Rows are reported as the row of the JSON array, the header being row 1.
    """
    data, name = read_source(source, name=name, max_bytes=max_bytes)
    problems = ProblemList(file=name)
    year = _check_year(year, problems, name)
    fast = _api_json_fast(data)
    if fast is not None:
        header, columns, n_rows = fast
        by_kind, ignored = _classify_columns(header, problems, name)
    else:
        header, columns, n_rows, by_kind, ignored = _api_json_slow(data, problems, name)
    body = range(n_rows)
    geoids = _api_geoids(columns, len(body), problems, name)
    rows = np.arange(2, len(body) + 2)
    if "GEO_ID" in columns and len(geoids) == len(body):
        gid = _as_text(columns["GEO_ID"])
        is_tract = _report_summary_levels(gid, rows, problems, name)
        mismatch = np.flatnonzero((_after_prefix(gid) != geoids) & is_tract)
        for i in mismatch[:50].tolist():
            problems.add(_("GEO_ID %(geo_id)s does not match the state, county and tract codes (%(geoid)s).")
                         % {"geo_id": gid[i], "geoid": geoids[i]}, row=int(rows[i]), column="GEO_ID",
                         file=name)
    if len(geoids) == len(body) and not problems:
        _validate_geoids(geoids, rows, problems, name, "tract")
    problems.raise_if_any()
    table = _build_table(columns=columns, geoids=geoids, rows=rows, by_kind=by_kind, year=year,
                         labels=labels or {}, problems=problems, name=name, ignored=ignored)
    problems.raise_if_any()
    return table


def _after_prefix(gid: np.ndarray) -> np.ndarray:
    """"1400000US27053000101" → "27053000101" (the text after the 9-character summary-level prefix)."""
    return np.array([g[9:] for g in gid.tolist()], dtype=object)


def _report_summary_levels(gid: np.ndarray, rows: np.ndarray, problems: ProblemList, name: str) -> np.ndarray:
    """Report GEO_IDs that are not tracts (block groups, counties mixed in); returns the tract mask."""
    is_tract = np.char.startswith(gid, TRACT_PREFIX)
    for i in np.flatnonzero(~is_tract).tolist():
        value = str(gid[i])
        level = _SUMMARY_LEVELS.get(value[:3]) if len(value) > 9 and value[7:9] == "US" else None
        if value.strip().lower() in {"geography", "id", "geo_id"}:
            problems.add(_("This row repeats the column labels. Only the second row of a data.census.gov "
                           "file may hold labels; were two files pasted together?"), row=int(rows[i]),
                         column="GEO_ID", file=name)
        elif level:
            problems.add(_("%(geo_id)s is a %(level)s, not a census tract. Download the table for census "
                           "tracts only.") % {"geo_id": value, "level": level}, row=int(rows[i]),
                         column="GEO_ID", file=name)
        else:
            problems.add(_("%(geo_id)s is not a census tract identifier (they look like "
                           "1400000US27053000101).") % {"geo_id": repr(value)}, row=int(rows[i]),
                         column="GEO_ID", file=name)
    return is_tract


# ---------------------------------------------------------------------------------------------------
# data.census.gov exports


_CODE_ORDER = ("-", "N", "(X)", "**", "***", "*****")
_CODE_NUMBERS = {code: int(number) for number, code in SENTINELS.items()}
_CODE_REPLACEMENTS = (b"", *(b"%d" % _CODE_NUMBERS[code] for code in _CODE_ORDER))


def _codes_to_sentinels(data: bytes) -> bytes:
    """Replace cells holding exactly one of the Bureau's codes by the API's sentinel number for it.

    A cell is a code if it follows a comma and is followed by a comma, a line end or the end of the
    file. (A code in quotes is left alone: that column is then read as text and coerced cell by cell.)
    Found with numpy over the bytes, which is several times faster than a regular expression.
    """
    buf = np.frombuffer(data, dtype=np.uint8)
    if len(buf) < 2:
        return data
    padded = np.concatenate([buf, np.zeros(8, dtype=np.uint8)])  # 0 = end of file, a cell end too
    after = buf[1:]
    candidate = (after == ord("-")) | (after == ord("N")) | (after == ord("(")) | (after == ord("*"))
    candidate &= buf[:-1] == ord(",")
    starts = np.flatnonzero(candidate) + 1
    if not len(starts):
        return data
    found_start, found_len, found_code = [], [], []
    taken = np.zeros(len(starts), dtype=bool)
    for k, code in enumerate(_CODE_ORDER, start=1):
        raw = code.encode()
        match = ~taken
        for i, byte in enumerate(raw):
            match &= padded[starts + i] == byte
        end = padded[starts + len(raw)]
        match &= (end == ord(",")) | (end == ord("\n")) | (end == ord("\r")) | (end == 0)
        if match.any():
            taken |= match
            found_start.append(starts[match])
            found_len.append(np.full(int(match.sum()), len(raw)))
            found_code.append(np.full(int(match.sum()), k))
    if not found_start:
        return data
    cell_start = np.concatenate(found_start)
    order = np.argsort(cell_start, kind="stable")
    cell_start = cell_start[order].tolist()
    cell_end = (np.concatenate(found_start)[order] + np.concatenate(found_len)[order]).tolist()
    codes = np.concatenate(found_code)[order].tolist()
    pieces: list[bytes] = [b""] * (2 * len(cell_start) + 1)
    pieces[0::2] = [data[a:b] for a, b in zip([0, *cell_end], [*cell_start, len(data)], strict=True)]
    pieces[1::2] = [_CODE_REPLACEMENTS[k] for k in codes]
    return b"".join(pieces)


def _is_label_row(first: dict[str, str], e_columns: list[str]) -> bool:
    geo = first.get("GEO_ID", "").strip().lower()
    if geo in {"geography", "id", "geo_id"}:
        return True
    cells = [first.get(c, "") for c in e_columns[:5]]
    return any("!!" in c or c.lower().startswith(("estimate", "margin of error")) for c in cells)


def _metadata_labels(text: str) -> dict[str, str]:
    """Labels from a `…-Column-Metadata.csv` (or older `_metadata_`) file: "Column Name","Label"."""
    labels = {}
    for row in csv.reader(io.StringIO(text)):
        if len(row) >= 2 and (m := VARIABLE_COLUMN_RE.match(row[0].strip())) and m["kind"] == "E":
            labels[m["var"]] = row[1]
    return labels


def _read_census_csv_bytes(data: bytes, *, name: str, year: int | None, labels: dict[str, str]) -> AcsTable:
    problems = ProblemList(file=name)
    try:
        text_head = data[:65536].decode("utf-8-sig", errors="strict") if len(data) <= 65536 else \
            data[:65536].decode("utf-8-sig", errors="ignore")
    except UnicodeDecodeError:
        raise SourceError([Problem(_("The file is not UTF-8 text. Export it again from data.census.gov, or "
                                     "save it as CSV UTF-8."), file=name)]) from None
    first_line = next(csv.reader(io.StringIO(text_head)), [])
    header = [h.strip() for h in first_line]
    if not header or not any(header):
        raise SourceError([Problem(_("The first row is empty; it should hold the column codes."), row=1,
                                   file=name)])
    dupes = sorted({h for h in header if h and header.count(h) > 1})
    if dupes:
        problems.add(_("Columns appear twice: %(columns)s.") % {"columns": ", ".join(dupes)}, row=1, file=name)
    if "GEO_ID" not in header and not all(c in header for c in GEOGRAPHY_COLUMNS):
        if header[0].lower() in {"geography", "id"}:
            problems.add(_("The first row holds column labels. data.census.gov files have the column codes "
                           "(GEO_ID, NAME, B19013_001E, …) in the first row and the labels in the second."),
                         row=1, file=name)
        else:
            problems.add(_("No GEO_ID column was found in the first row. Use the file as exported from "
                           "data.census.gov, whose first row holds the column codes (GEO_ID, NAME, "
                           "B19013_001E, …)."), row=1, file=name)
        problems.raise_if_any()
    head_rows = list(itertools.islice(csv.reader(io.StringIO(text_head)), 2))
    first = dict(zip(header, head_rows[1], strict=False)) if len(head_rows) > 1 else {}
    header_kinds, _ignored = _classify_columns(header, ProblemList(), name)
    e_cols = list(header_kinds["E"].values())
    looks_like_data = bool(re.fullmatch(r"\d{7}US\d*", first.get("GEO_ID", "").strip()))
    label_row = bool(first) and _is_label_row(first, e_cols)
    if label_row:
        labels = {**labels, **{var: first[col] for var, col in header_kinds["E"].items() if first.get(col)}}
    elif first and not looks_like_data and "GEO_ID" in header:
        problems.add(_("The second row is neither the row of column labels that data.census.gov writes "
                       "(Geography, Geographic Area Name, Estimate!!…) nor a row of tract data. Check that "
                       "the file has not been edited or pasted together."), row=2, file=name)
        problems.raise_if_any()
    first_data_row = 3 if label_row else 2
    try:
        # The Bureau's codes become the API's sentinel numbers before parsing, so that the C parser reads
        # every value column as numbers (creating millions of Python strings is what makes a national
        # file slow); the sentinels are turned back into codes below, exactly as for the API.
        # A top-coded median ("250,000+") far down a national file makes the C parser read that column
        # as numbers in some chunks and text in others; `_coerce` reads such a mixed column correctly, so
        # pandas' warning about it would only be noise in the import's log.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)
            frame = pd.read_csv(io.BytesIO(_codes_to_sentinels(data)), keep_default_na=False, na_values=[""],
                                dtype={c: str for c in ("GEO_ID", "NAME", *GEOGRAPHY_COLUMNS) if c in header},
                                skiprows=[1] if label_row else None, encoding="utf-8-sig", engine="c")
    except UnicodeDecodeError:
        raise SourceError([Problem(_("The file is not UTF-8 text. Export it again from data.census.gov, or "
                                     "save it as CSV UTF-8."), file=name)]) from None
    except (pd.errors.ParserError, ValueError) as exc:
        raise SourceError([Problem(_("The file could not be read as CSV: %(error)s") % {"error": str(exc)},
                                   file=name)]) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    for col in [c for c in frame.columns if c.startswith("Unnamed:")]:
        if frame[col].notna().any():
            problems.add(_("A column without a name holds values. Every column needs its code in the first "
                           "row."), column=col, file=name)
        frame = frame.drop(columns=col)
    problems.raise_if_any()
    by_kind, ignored = _classify_columns(list(frame.columns), problems, name)
    problems.raise_if_any()
    if frame.empty:
        raise SourceError([Problem(_("The file holds column codes but no tracts."), file=name)])
    geo_col = "GEO_ID" if "GEO_ID" in frame.columns else None
    if geo_col:
        frame[geo_col] = frame[geo_col].fillna("")
    year = _resolve_year(given=year, name=name, labels=labels, problems=problems)
    problems.raise_if_any()
    n = len(frame)
    rows = np.arange(first_data_row, first_data_row + n)
    columns = {c: frame[c].to_numpy() for c in frame.columns}
    if geo_col:
        gid = _as_text(frame["GEO_ID"].to_numpy(dtype=object, na_value=""))
        is_tract = _report_summary_levels(gid, rows, problems, name)
        geoids = _after_prefix(gid)
        if is_tract.all():
            _validate_geoids(geoids, rows, problems, name, "GEO_ID")
    else:
        geoids = _api_geoids(columns, n, problems, name)
        rows_ok = not problems
        if rows_ok:
            _validate_geoids(geoids, rows, problems, name, "tract")
    problems.raise_if_any()
    table = _build_table(columns=columns, geoids=geoids, rows=rows, by_kind=by_kind, year=year, labels=labels,
                         problems=problems, name=name, ignored=ignored)
    problems.raise_if_any()
    return table


def _is_data_member(member: str) -> bool:
    base = PurePosixPath(member).name
    return base.lower().endswith(".csv") and (base.endswith("-Data.csv") or "_data_with_overlays_" in base)


def _is_metadata_member(member: str) -> bool:
    base = PurePosixPath(member).name
    return base.lower().endswith(".csv") and (base.endswith("-Column-Metadata.csv") or "_metadata_" in base)


def _table_key(member: str) -> str:
    """"ACSDT5Y2022.B19013-Data.csv" → "ACSDT5Y2022.B19013", to pair data and metadata files."""
    base = PurePosixPath(member).name
    for marker in ("-Data.csv", "-Column-Metadata.csv", "_data_with_overlays_", "_metadata_"):
        if marker in base:
            return base.split(marker)[0]
    return base


def read_census_csv(source: Source, *, year: int | None = None, name: str | None = None,
                    labels: dict[str, str] | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> AcsTable:
    """Read a data.census.gov ACS 5-year export (the CSV, or the ZIP holding it) → `AcsTable`.

    The survey year comes from the file name (ACSDT5Y2022…), from `year`, and from the labels'
    "in 2022 inflation-adjusted dollars"; they must agree. A ZIP may hold several tables of the same
    year: they are joined on GEOID. A ZIP's size limit applies to its unpacked content.
    """
    data, name = read_source(source, name=name, max_bytes=max_bytes)
    if not is_zip(data):
        return _read_census_csv_bytes(data, name=name, year=year, labels=dict(labels or {}))
    archive = open_zip(data, name=name, max_bytes=max_bytes)
    members = [m for m in archive.namelist() if not m.endswith("/")]
    data_members = [m for m in members if _is_data_member(m)]
    if not data_members:
        raise SourceError([Problem(_("The ZIP holds no data file (a name ending in -Data.csv, or containing "
                                     "_data_with_overlays_). It holds: %(files)s.")
                                   % {"files": ", ".join(members) or _("nothing")}, file=name)])
    meta = {_table_key(m): m for m in members if _is_metadata_member(m)}
    tables = []
    problems = ProblemList(file=name)
    for member in sorted(data_members):
        member_labels = dict(labels or {})
        if (meta_name := meta.get(_table_key(member))) is not None:
            member_labels.update(_metadata_labels(archive.read(meta_name).decode("utf-8-sig", errors="replace")))
        try:
            tables.append(_read_census_csv_bytes(archive.read(member), name=PurePosixPath(member).name,
                                                 year=year, labels=member_labels))
        except SourceError as exc:
            problems.extend(exc.problems)
    problems.raise_if_any()
    return merge_tables(tables) if len(tables) > 1 else tables[0]


def read_acs_file(source: Source, *, year: int | None = None, name: str | None = None,
                  labels: dict[str, str] | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> AcsTable:
    """Read any ACS tract file people bring: API JSON (needs `year`), data.census.gov CSV or ZIP."""
    data, name = read_source(source, name=name, max_bytes=max_bytes)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"[":
        if year is None:
            found = year_from_name(name)
            if not found:
                raise SourceError([Problem(_("A Census Data API response does not say its survey year. Choose "
                                             "the end year of the 5-year survey when importing."), file=name)])
            year = found[0]
        return read_api_json(data, year=year, name=name, labels=labels, max_bytes=max_bytes)
    return read_census_csv(data, year=year, name=name, labels=labels, max_bytes=max_bytes)


# ---------------------------------------------------------------------------------------------------
# Joining tables


def merge_tables(tables: list[AcsTable]) -> AcsTable:
    """Join tables of one survey year: rows are the union of tracts, columns the union of variables.

    Chunks of variables (the API's 50-variable limit), several states and several tables of a ZIP all
    join this way. Different survey years, or one variable given two different values for the same
    tract, are refused. A tract missing from one table gets NaN for that table's variables.
    """
    if not tables:
        raise SourceError([Problem(_("There is nothing to import."))])
    if len(tables) == 1:
        return tables[0]
    problems = ProblemList()
    years = {t.year for t in tables}
    if len(years) > 1:
        problems.add(_("The files mix survey years (%(list)s). Import one survey year at a time.")
                     % {"list": "; ".join(f"{', '.join(t.source_files)}: {t.year}" for t in tables)})
        problems.raise_if_any()
    geoids = np.unique(np.concatenate([t.geoids for t in tables]))
    n = len(geoids)
    estimates: dict[str, np.ndarray] = {}
    moes: dict[str, np.ndarray] = {}
    filled: dict[str, np.ndarray] = {}
    annotations: dict[str, dict[int, str]] = {}
    moe_annotations: dict[str, dict[int, str]] = {}
    censored: dict[str, dict[int, str]] = {}
    labels: dict[str, str] = {}
    ignored: list[str] = []
    for t in tables:
        pos = np.searchsorted(geoids, t.geoids)
        for var, values in t.estimates.items():
            if var not in estimates:
                estimates[var] = np.full(n, np.nan)
                filled[var] = np.zeros(n, dtype=bool)
            overlap = filled[var][pos]
            if overlap.any():
                a, b = estimates[var][pos[overlap]], values[overlap]
                differ = ~((a == b) | (np.isnan(a) & np.isnan(b)))
                for i in np.flatnonzero(differ)[:20].tolist():
                    problems.add(_("%(var)s of tract %(geoid)s has two different values (%(a)s and %(b)s) in "
                                   "the files.") % {"var": var, "geoid": t.geoids[overlap][i], "a": a[i],
                                                    "b": b[i]}, file=", ".join(t.source_files))
            estimates[var][pos] = values
            filled[var][pos] = True
            if var in t.moes:
                moes.setdefault(var, np.full(n, np.nan))[pos] = t.moes[var]
            for src, dst in ((t.annotations, annotations), (t.moe_annotations, moe_annotations),
                             (t.censored, censored)):
                if var in src:
                    dst.setdefault(var, {}).update({int(pos[i]): c for i, c in src[var].items()})
        labels.update(t.labels)
        ignored.extend(c for c in t.ignored_columns if c not in ignored)
    problems.raise_if_any()
    year = years.pop()
    return AcsTable(year=year, geography_year=geography_year_for(year), geoids=geoids, estimates=estimates,
                    moes=moes, annotations=annotations, moe_annotations=moe_annotations, censored=censored,
                    labels={v: labels[v] for v in estimates if v in labels},
                    source_files=tuple(f for t in tables for f in t.source_files), ignored_columns=tuple(ignored))
