"""Small-group suppression for every aggregate page and export.

`suppress(cells, k=5)` hides every count below k (but above zero) and then, so that a hidden cell
cannot be recovered by subtraction from a published total, also hides the smallest other cell of
every line (the whole table in one dimension; each row and each column in two) that would
otherwise have exactly one hidden cell.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

SMALL = "small"
COMPLEMENTARY = "complementary"


@dataclass(frozen=True)
class Cell:
    value: int | None
    suppressed: bool = False
    reason: str = ""

    def __str__(self) -> str:
        return "—" if self.suppressed else str(self.value)


def _lines(keys: list[Hashable], dims: int) -> list[list[Hashable]]:
    if dims == 1:
        return [keys]
    rows: dict[Hashable, list[Hashable]] = {}
    cols: dict[Hashable, list[Hashable]] = {}
    for key in keys:
        row, col = key  # type: ignore[misc]
        rows.setdefault(row, []).append(key)
        cols.setdefault(col, []).append(key)
    return list(rows.values()) + list(cols.values())


def suppress(cells: Mapping[Hashable, int], k: int = 5, *, dims: int = 1) -> dict[Hashable, Cell]:
    """Return each cell with its value, or hidden with the reason. `dims=2` takes (row, col) keys
    and protects row and column totals."""
    if k < 1:
        raise ValueError("k must be at least 1")
    if dims not in (1, 2):
        raise ValueError("dims must be 1 or 2")
    for value in cells.values():
        if value < 0:
            raise ValueError("counts cannot be negative")
    keys = list(cells)
    hidden: dict[Hashable, str] = {key: SMALL for key in keys if 0 < cells[key] < k}
    lines = _lines(keys, dims)
    changed = bool(hidden)
    while changed:
        changed = False
        for line in lines:
            hidden_here = [key for key in line if key in hidden]
            if len(hidden_here) != 1:
                continue
            candidates = sorted((key for key in line if key not in hidden), key=lambda key: (cells[key], str(key)))
            if candidates:
                hidden[candidates[0]] = COMPLEMENTARY
                changed = True
    return {
        key: Cell(None, True, hidden[key]) if key in hidden else Cell(cells[key])
        for key in keys
    }


def suppress_total(total: int, k: int = 5) -> Cell:
    """A single figure (e.g. 'people behind this indicator'): hidden when under k."""
    if 0 < total < k:
        return Cell(None, True, SMALL)
    return Cell(total)
