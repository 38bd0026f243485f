"""What the displacement watch tells the plan (objective 1.3): tracts at alert tier 1 near planned
investment (from the latest computation of the default region, with the investments the public may
see, so the figure reveals nothing a visitor could not see on the map). The policy inventory and
community reports add their own figures (`indicators_policies`, `indicators_reports`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from commontable.core.indicators import Direction, Indicator, Reading
from commontable.displacement import selectors
from commontable.displacement.indicators_policies import INDICATORS as POLICY_INDICATORS
from commontable.displacement.indicators_reports import INDICATORS as REPORT_INDICATORS


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def tier1_tracts(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """Tracts at tier 1 today (exposure follows today's investments, so no history)."""
    run = selectors.run_current()
    value = None if run is None else float(selectors.tier1_count(run, user=None))
    return [Reading(value=value, n=None) for _day in dates]


INDICATORS = [
    Indicator(
        key="displacement.tier1_tracts",
        label=_("Tier-1 tracts near planned investment"),
        counts=_("Census tracts where displacement or gentrification is under way (ongoing displacement, at risk of "
                 "gentrification, early or ongoing gentrification) and a planned public investment is within reach, "
                 "from the latest computation."),
        compute=tier1_tracts,
        direction=Direction.DOWN,
        history=False,
        depends_on=("displacement.Run", "displacement.TractResult", "investments.Investment", "displacement.Tract"),
        records_url=lambda param: _url("displacement:alert_list"),
    ),
    *POLICY_INDICATORS,
    *REPORT_INDICATORS,
]
