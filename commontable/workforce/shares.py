"""Shares of hours, computed from integer hundredths: no database, no floats.

A share is a percentage of total hours with one decimal, rounded half up, or None when no hours
were worked (0 of 0 is no information, not 0%). Totals add up exactly, so the share of a whole is
the same whether it is computed from the records or from the sums of its parts.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")
MEASURES = ("bipoc", "women", "apprentice", "local")


def share_percent(part: int | None, whole: int | None) -> Decimal | None:
    """`part` as a percentage of `whole`, one decimal (half up); None when there is no whole or
    the part was not reported."""
    if part is None or not whole or whole <= 0:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def meets_goal(actual: Decimal | None, target: Decimal | None) -> bool | None:
    """Whether an actual share reaches its goal; None when either is unknown."""
    if actual is None or target is None:
        return None
    return actual >= target


@dataclass
class Totals:
    """Hours (hundredths) of a set of records. Optional groups (local, unknown race, BIPOC
    apprentices) are None when no record reported them, and are then left out of shares."""

    total: int = 0
    bipoc: int = 0
    women: int = 0
    apprentice: int = 0
    apprentice_bipoc: int | None = None
    local: int | None = None
    unknown_race: int | None = None

    def __add__(self, other: Totals) -> Totals:
        values = {}
        for field in fields(self):
            a, b = getattr(self, field.name), getattr(other, field.name)
            values[field.name] = None if a is None and b is None else (a or 0) + (b or 0)
        return Totals(**values)

    def share(self, measure: str) -> Decimal | None:
        return share_percent(getattr(self, measure), self.total)

    @property
    def unknown_share(self) -> Decimal | None:
        return share_percent(self.unknown_race, self.total)

    @property
    def shares(self) -> dict[str, Decimal | None]:
        return {measure: self.share(measure) for measure in MEASURES}
