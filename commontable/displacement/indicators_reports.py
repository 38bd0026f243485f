"""What community reports tell the plan (objective 1.3): reports of displacement received in a
period (30 days, a quarter, a year, or ever), counted as on the public map — only reports whose
reporter consented to be counted, never withdrawn ones — and hidden when under five."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from commontable.core.indicators import Indicator, Reading, people_count
from commontable.displacement.selectors_reports import PUBLIC_MINIMUM, received_counts

PERIODS = {"30": 30, "91": 91, "365": 365, "all": None}
DEFAULT_PERIOD = "91"


def _url(param: str) -> str | None:
    try:
        return reverse("displacement:report_tracts")
    except NoReverseMatch:
        return None


def reports_received(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """Reports received in the period ending on each date (the last 91 days unless the parameter
    says 30, 365 or all), each figure hidden when it stands on fewer than five reports."""
    days = PERIODS.get(param or DEFAULT_PERIOD, PERIODS[DEFAULT_PERIOD])
    return [people_count(n, k=PUBLIC_MINIMUM) for n in received_counts(dates, days)]


def period_params() -> list[tuple[str, str]]:
    return [("30", str(_("Last 30 days"))), ("91", str(_("Last quarter (91 days)"))),
            ("365", str(_("Last year (365 days)"))), ("all", str(_("Ever")))]


INDICATORS = [
    Indicator(
        key="displacement.community_reports_received",
        label=_("Community reports of displacement received"),
        counts=_("Reports of displacement that members witnessed and consented to have counted, received in the "
                 "period (not withdrawn); hidden when fewer than five."),
        compute=reports_received,
        depends_on=("displacement.CommunityReport",),
        records_url=_url,
        params=period_params,
        param_label=_("Period"),
    ),
]
