"""Dollar brackets of ACS tables: parse their labels, and default bracket sets (spec §1.2, §3.1).

Bounds are half-open, `[lower, upper)`: "$10,000 to $14,999" → (10000, 15000); "Less than $10,000"
→ (0, 10000); "$200,000 or more" → (200000, inf). A label that is no dollar bracket ("Total:",
"No cash rent", "With cash rent:") gives None.

**Labels from the data win.** Bracket edges change between vintages (B25063 and B25094 gained top
brackets; B25075 did too), so readers should parse the labels delivered with each table
(`variables.json`, the export's label row) with `bracket_from_label`; the `DEFAULT_*` sets below are
only used when no labels are supplied, and describe recent vintages (ACS 5-year 2015 onward).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = [
    "DEFAULTS",
    "Bracket",
    "bracket_from_label",
    "brackets_from_labels",
    "default_brackets",
    "edges",
]

INF = math.inf


@dataclass(frozen=True)
class Bracket:
    """One dollar bracket of a bracketed ACS count: `variable` counts units/households in [lower, upper)."""

    variable: str
    lower: float
    upper: float  # math.inf for the open-ended top bracket


_MONEY = r"\$?\s*([0-9][0-9,]*(?:\.[0-9]+)?)"
_RANGE = re.compile(_MONEY + r"\s*(?:to|-|–)\s*" + _MONEY, re.IGNORECASE)
_BELOW = re.compile(r"(?:less than|under|below)\s*" + _MONEY, re.IGNORECASE)
_ABOVE = re.compile(_MONEY + r"\s*(?:or more|and over|or greater|\+)", re.IGNORECASE)


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def _step(value: float) -> float:
    """The unit step of a bracket's upper label: $14,999 → 1; $14,999.99 → 0.01."""
    return 0.01 if value != int(value) else 1.0


def bracket_from_label(label: str) -> tuple[float, float] | None:
    """Parse an ACS bracket label → `(lower, upper)` half-open bounds, or None when it is no bracket.

    Only the last `!!`-separated part is read ("Estimate!!Total:!!$10,000 to $14,999"); "No cash rent",
    "Total:", and headers such as "With cash rent:" → None.
    """
    if not label:
        return None
    part = str(label).split("!!")[-1].strip().rstrip(":").strip()
    if not part or "no cash rent" in part.lower():
        return None
    m = _RANGE.search(part)
    if m:
        lo, hi = _num(m.group(1)), _num(m.group(2))
        if "loss" in part.lower():  # "$1 to $9,999 or loss" (B07010): losses belong to the first bracket
            lo = 0.0
        return (lo, hi + _step(hi))
    m = _BELOW.search(part)
    if m:
        return (0.0, _num(m.group(1)))
    m = _ABOVE.search(part)
    if m:
        return (_num(m.group(1)), INF)
    return None


def brackets_from_labels(labels: dict[str, str]) -> list[Bracket]:
    """`{variable: label}` → the dollar brackets among them, sorted by lower bound (others skipped)."""
    out = []
    for var, label in labels.items():
        b = bracket_from_label(label)
        if b is not None:
            out.append(Bracket(var, b[0], b[1]))
    return sorted(out, key=lambda b: (b.lower, b.upper))


def _make(table: str, first: int, bounds: list[float]) -> tuple[Bracket, ...]:
    """Consecutive variables `table_NNN` from `first`, with edges `bounds` (last bracket open-ended)."""
    out = []
    for i, lo in enumerate(bounds):
        hi = bounds[i + 1] if i + 1 < len(bounds) else INF
        out.append(Bracket(f"{table}_{first + i:03d}", float(lo), float(hi)))
    return tuple(out)


_K = 1000
#: B19001 household income, _002–_017 (16 brackets).
B19001 = _make("B19001", 2, [0, 10 * _K, 15 * _K, 20 * _K, 25 * _K, 30 * _K, 35 * _K, 40 * _K, 45 * _K, 50 * _K,
                             60 * _K, 75 * _K, 100 * _K, 125 * _K, 150 * _K, 200 * _K])
#: B25063 gross rent, cash renters _003–_026 (24 brackets, 2015+ vintages; _027 is "No cash rent").
B25063 = _make("B25063", 3, [0, 100, 150, 200, 250, 300, 350, 400, 450, 500, 550, 600, 650, 700, 750, 800, 900,
                             1000, 1250, 1500, 2000, 2500, 3000, 3500])
#: B25063_027: renter units paying no cash rent (count as "low cost" in the market type, §1.4 b).
B25063_NO_CASH = "B25063_027"
#: B25094 selected monthly owner costs, _002–_018 (17 brackets).
B25094 = _make("B25094", 2, [0, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1250, 1500, 2000, 2500, 3000, 3500,
                             4000])
#: B25075 owner-occupied value, _002–_027 (26 brackets, 2015+ vintages).
B25075 = _make("B25075", 2, [0, 10 * _K, 15 * _K, 20 * _K, 25 * _K, 30 * _K, 35 * _K, 40 * _K, 50 * _K, 60 * _K,
                             70 * _K, 80 * _K, 90 * _K, 100 * _K, 125 * _K, 150 * _K, 175 * _K, 200 * _K, 250 * _K,
                             300 * _K, 400 * _K, 500 * _K, 750 * _K, 1000 * _K, 1500 * _K, 2000 * _K])
_MOVER_EDGES = [0, 10 * _K, 15 * _K, 25 * _K, 35 * _K, 50 * _K, 65 * _K, 75 * _K]
#: B07010 movers by individual income: each origin block is [with-income total, 8 brackets], the first
#: bracket "$1 to $9,999 or loss" (read as [0, 10000)); see `B07010_ORIGINS` and `B07010_ORIGIN_TOTALS`.
B07010_SAME_COUNTY = _make("B07010", 26, _MOVER_EDGES)
B07010_OTHER_COUNTY = _make("B07010", 37, _MOVER_EDGES)
B07010_OTHER_STATE = _make("B07010", 48, _MOVER_EDGES)
B07010_ABROAD = _make("B07010", 59, _MOVER_EDGES)
#: with-income totals of the four mover origins (the brackets follow each total).
B07010_ORIGIN_TOTALS = ("B07010_025", "B07010_036", "B07010_047", "B07010_058")
B07010_ORIGINS = (B07010_SAME_COUNTY, B07010_OTHER_COUNTY, B07010_OTHER_STATE, B07010_ABROAD)

DEFAULTS: dict[str, tuple[Bracket, ...]] = {
    "B19001": B19001,
    "B25063": B25063,
    "B25094": B25094,
    "B25075": B25075,
    "B07010": B07010_SAME_COUNTY,  # the same 8 bounds hold for every origin block
}


def default_brackets(table: str) -> tuple[Bracket, ...]:
    """The default bracket set of `table` (used only when the data supply no labels)."""
    try:
        return DEFAULTS[table.upper()]
    except KeyError:
        raise KeyError(f"no default brackets for table {table!r}; known: {', '.join(DEFAULTS)}") from None


def edges(brackets) -> tuple[list[float], list[float]]:
    """Lower and upper bounds of a sequence of `Bracket`s or `(lower, upper)` tuples."""
    lows, highs = [], []
    for b in brackets:
        lo, hi = (b.lower, b.upper) if isinstance(b, Bracket) else b
        lows.append(float(lo))
        highs.append(float(hi))
    return lows, highs
