"""Where a figure stands against its target, and the dates a trend is drawn at: pure functions,
no database, so the rules can be read and tested on their own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from commontable.strategy.choices import Status

# The order in which an objective takes the worst of its figures' statuses.
_SEVERITY = [Status.STALE, Status.BEHIND, Status.ON_TRACK, Status.UNKNOWN]


@dataclass(frozen=True)
class Target:
    baseline_value: float | None
    baseline_on: dt.date | None
    target_value: float | None
    target_on: dt.date | None
    higher_is_better: bool = True


def expected_value(target: Target, on: dt.date) -> float | None:
    """Where the figure should be on a date if it moved in a straight line from its baseline to
    its target: the target itself without a baseline, or once the target date has passed."""
    if target.target_value is None:
        return None
    if target.baseline_value is None or target.baseline_on is None or target.target_on is None:
        return target.target_value
    if on <= target.baseline_on:
        return target.baseline_value
    if on >= target.target_on:
        return target.target_value
    span = (target.target_on - target.baseline_on).days
    done = (on - target.baseline_on).days
    return target.baseline_value + (target.target_value - target.baseline_value) * done / span


def figure_status(
    target: Target, value: float | None, on: dt.date, *, measured_on: dt.date | None = None, cadence_days: int | None = None
) -> str:
    """A figure's status on a date. Manual figures (given `measured_on` and a cadence) are stale
    once older than their cadence. Without a target, or without a figure, there is nothing to judge.
    Without a baseline, a figure is behind only once its target date has passed unmet."""
    if measured_on is not None and cadence_days is not None and (on - measured_on).days > cadence_days:
        return Status.STALE
    if value is None or target.target_value is None:
        return Status.UNKNOWN
    if target.baseline_value is None and target.target_on is not None and on < target.target_on:
        return Status.ON_TRACK if _meets(value, target.target_value, target.higher_is_better) else Status.UNKNOWN
    expected = expected_value(target, on)
    assert expected is not None
    return Status.ON_TRACK if _meets(value, expected, target.higher_is_better) else Status.BEHIND


def _meets(value: float, expected: float, higher_is_better: bool) -> bool:
    # A tolerance of a millionth keeps rounding from turning an exact hit into "behind".
    tolerance = 1e-6 * max(1.0, abs(expected))
    return value >= expected - tolerance if higher_is_better else value <= expected + tolerance


def objective_status(statuses: list[str]) -> str:
    """An objective takes the most pressing status among its figures; with no figure bound it has
    no indicator yet."""
    if not statuses:
        return Status.NO_INDICATOR
    for status in _SEVERITY:
        if status in statuses:
            return status
    return Status.UNKNOWN


def quarter_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """The last day of every quarter from `start` to `end`, then `end` itself: the points of a
    trend line (16 for a four-year plan)."""
    if end < start:
        return [end]
    points = []
    year, quarter = start.year, (start.month - 1) // 3
    while True:
        month = quarter * 3 + 3
        last = dt.date(year + (month // 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        if last >= end:
            break
        points.append(last)
        quarter += 1
        if quarter == 4:
            year, quarter = year + 1, 0
    points.append(end)
    return points


def change(current: float | None, before: float | None) -> float | None:
    if current is None or before is None:
        return None
    return current - before
