"""What the business directory can tell the plan (objective 1.5): contracting opportunities
matched (with at least one matching business), opportunities awarded to a BIPOC-owned business,
and businesses holding a current certification."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from commontable.businesses import selectors
from commontable.core.indicators import Indicator, Reading


def _url(name: str, **query) -> str | None:
    try:
        url = reverse(name)
    except NoReverseMatch:  # pages not mounted (e.g. an API-only deployment)
        return None
    return f"{url}?{urlencode(query)}" if query else url


def opportunities_matched(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """Opportunities posted by each date with at least one business matching them that day."""
    counts = [selectors.opportunities_matched(day) for day in dates]
    return [Reading(value=float(n), n=n) for n in counts]


def awarded_to_bipoc(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """Opportunities awarded by each date to a business that identifies as BIPOC-owned."""
    counts = [selectors.awarded_to_bipoc(day) for day in dates]
    return [Reading(value=float(n), n=n) for n in counts]


def businesses_certified(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """Businesses holding a certification valid on each date."""
    counts = [selectors.businesses_certified(day) for day in dates]
    return [Reading(value=float(n), n=n) for n in counts]


INDICATORS = [
    Indicator(
        key="businesses.opportunities_matched",
        label=_("Contracting opportunities matched"),
        counts=_("Contracting opportunities with at least one business in the directory that matches their trades, "
                 "certifications and places."),
        compute=opportunities_matched,
        depends_on=("businesses.ContractingOpportunity", "businesses.Business", "businesses.Certification",
                    "businesses.BusinessTrade", "businesses.OpportunityTrade"),
        records_url=lambda param: _url("businesses:opportunity_list"),
    ),
    Indicator(
        key="businesses.awarded_to_bipoc",
        label=_("Opportunities awarded to BIPOC-owned businesses"),
        counts=_("Contracting opportunities awarded to a business that identifies as BIPOC-owned."),
        compute=awarded_to_bipoc,
        depends_on=("businesses.ContractingOpportunity", "businesses.Business"),
        records_url=lambda param: _url("businesses:opportunity_list", status="awarded"),
    ),
    Indicator(
        key="businesses.certified",
        label=_("Businesses certified"),
        counts=_("Businesses in the directory holding a current certification (CERT, TGB, DBE, MBE/WBE, SBE, VOSB or other)."),
        compute=businesses_certified,
        depends_on=("businesses.Business", "businesses.Certification"),
        records_url=lambda param: _url("businesses:business_list"),
    ),
]
