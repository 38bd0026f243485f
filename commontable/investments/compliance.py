"""The stated rules for a commitment's status: pure functions, no database.

For a target of *at least* N (affordable units, hours, dollars to BIPOC firms):
  - no report yet: **no data**;
  - the latest reported value reaches the target: **met**;
  - the deadline has passed without reaching it: **missed**;
  - no report for more than 180 days: **at risk** (silence is a warning sign);
  - otherwise compare with a straight line from 0 at the start to the target at the deadline, as
    of the latest report: at or above 90 % of where the line is, **on track**; below, **at risk**.
For a target of *at most* N (displaced households, hours of overtime):
  - no report yet: **no data**;
  - after the deadline: **met** if the latest value is within the target, else **missed**;
  - before it: **on track** within the target, **at risk** above it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from commontable.investments.choices import Compliance, TargetDirection

STALE_AFTER_DAYS = 180
ON_TRACK_SHARE = Decimal("0.9")
# "Until further notice": the date a settled status is kept with (a date, so that lists compare it
# with the day without a NULL case).
NEVER_CHANGES = dt.date(9999, 12, 31)


def commitment_status(
    *,
    direction: str,
    target: Decimal,
    starts_on: dt.date,
    deadline: dt.date,
    latest_value: Decimal | None,
    latest_on: dt.date | None,
    today: dt.date,
) -> str:
    if latest_value is None or latest_on is None:
        return Compliance.NO_DATA
    if direction == TargetDirection.AT_MOST:
        if today > deadline:
            return Compliance.MET if latest_value <= target else Compliance.MISSED
        return Compliance.ON_TRACK if latest_value <= target else Compliance.AT_RISK
    if latest_value >= target:
        return Compliance.MET
    if today > deadline:
        return Compliance.MISSED
    if (today - latest_on).days > STALE_AFTER_DAYS:
        return Compliance.AT_RISK
    span = (deadline - starts_on).days
    elapsed = min(max((latest_on - starts_on).days, 0), span)
    # value ≥ 90 % × target × elapsed / span, multiplied out: exact (no rounded division), and the
    # same comparison the commitment list makes in SQL (`selectors.commitment_status_expression`).
    on_track = latest_value * span >= target * elapsed * ON_TRACK_SHARE
    return Compliance.ON_TRACK if on_track else Compliance.AT_RISK


def status_holds_until(
    *,
    direction: str,
    target: Decimal,
    starts_on: dt.date,
    deadline: dt.date,
    latest_value: Decimal | None,
    latest_on: dt.date | None,
    today: dt.date,
) -> dt.date:
    """The last day on which `commitment_status` stays what it is `today`, if nothing is reported
    meanwhile (`NEVER_CHANGES` when only a new report can change it). The calendar moves a status
    only at two moments: the day after the deadline (missed, or for an *at most* target met or
    missed) and the 181st day of silence (at risk). Lists keep the status with this date, so that
    it is recomputed on the very day it changes (ADR 8)."""
    status = commitment_status(direction=direction, target=target, starts_on=starts_on, deadline=deadline,
                               latest_value=latest_value, latest_on=latest_on, today=today)
    if status == Compliance.NO_DATA or today > deadline:
        return NEVER_CHANGES  # no report yet, or the deadline has passed: settled until a report
    if direction == TargetDirection.AT_MOST:
        return deadline
    if status == Compliance.MET:
        return NEVER_CHANGES
    if status == Compliance.ON_TRACK:
        return min(deadline, latest_on + dt.timedelta(days=STALE_AFTER_DAYS))  # type: ignore[operator]
    return deadline  # at risk: silence keeps it at risk; the day after the deadline it is missed
