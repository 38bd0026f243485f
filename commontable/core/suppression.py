"""Small-group suppression for every aggregate page and export.

`suppress(cells, k=5)` hides every count below k (but above zero) and then, so that a hidden cell
cannot be recovered by subtraction from a published total, also hides the smallest other cell of
every line (the whole table in one dimension; each row and each column in two) that would
otherwise have exactly one hidden cell. A caller may name cells to hide for its own reason
(`hide=`, reason DISCLOSIVE); their partners are found the same way.

For figures of people with an attribute, of groups that overlap or hold one another (a roll-up's
total, topic and place lines), `discloses` says whether one group's figure tells something of
someone, and `nested_disclosures` which published figures would do so by subtraction (ADR 20).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

SMALL = "small"
COMPLEMENTARY = "complementary"
DISCLOSIVE = "disclosive"


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


def suppress(cells: Mapping[Hashable, int], k: int = 5, *, dims: int = 1,
             hide: Iterable[Hashable] = ()) -> dict[Hashable, Cell]:
    """Return each cell with its value, or hidden with the reason. `dims=2` takes (row, col) keys
    and protects row and column totals. `hide` names cells of `cells` to hide whatever their value
    (the caller's reason: DISCLOSIVE), protected like small ones."""
    if k < 1:
        raise ValueError("k must be at least 1")
    if dims not in (1, 2):
        raise ValueError("dims must be 1 or 2")
    for value in cells.values():
        if value < 0:
            raise ValueError("counts cannot be negative")
    keys = list(cells)
    hidden: dict[Hashable, str] = {key: SMALL for key in keys if 0 < cells[key] < k}
    for key in hide:
        if key not in cells:
            raise KeyError(key)
        hidden.setdefault(key, DISCLOSIVE)
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


def discloses(flagged: int, rest: int, k: int = 5) -> bool:
    """Whether publishing how many of a group of people have an attribute (`flagged`; the group's
    size, `flagged + rest`, being published) tells something of one of them: when either side is
    under k but not none, or when all of the group have it ("all six" says it of each)."""
    if flagged < 0 or rest < 0:
        raise ValueError("counts cannot be negative")
    return 0 < flagged < k or 0 < rest < k or (flagged > 0 and rest == 0)


def nested_disclosures(groups: Mapping[Hashable, frozenset | set], flagged: frozenset | set,
                       k: int = 5) -> set[Hashable]:
    """Of published groups of people (each group's size and count of `flagged` people published),
    those to hide so that no figure can be worked out by subtraction. Where smaller groups lie
    wholly inside a larger one, the larger's figures less theirs are exactly those of the people
    left over, and must not disclose (`discloses`):
    - one smaller group at a time (a climate topic inside the climate line);
    - smaller groups that share nobody, taken together (places inside the total): the largest
      first, each one that shares nobody with those taken.
    The smallest of the groups subtracted is hidden until what is left over is safe; the larger
    (the broader figure, often the total) stays, and a hidden group is no longer subtracted. Other
    combinations (a group less two that overlap, plus their overlap) are not searched: ADR 20."""
    by_size = sorted(groups, key=lambda key: (-len(groups[key]), str(key)))
    hidden: set[Hashable] = set()

    def leaves_disclosed(outer: frozenset | set, parts: list[Hashable]) -> bool:
        left = set(outer)
        for part in parts:
            left -= groups[part]
        counted = len(left & flagged)
        return discloses(counted, len(left) - counted, k)

    for i, larger in enumerate(by_size):
        if larger in hidden:
            continue
        outer = groups[larger]
        inside = [key for key in by_size[i + 1:] if len(groups[key]) < len(outer) and groups[key] <= outer]
        for smaller in inside:
            if smaller not in hidden and leaves_disclosed(outer, [smaller]):
                hidden.add(smaller)
        while True:
            apart: list[Hashable] = []
            taken: set = set()
            for key in inside:
                if key not in hidden and taken.isdisjoint(groups[key]):
                    apart.append(key)
                    taken |= groups[key]
            if len(apart) < 2 or not leaves_disclosed(outer, apart):
                break
            hidden.add(apart[-1])
    return hidden
