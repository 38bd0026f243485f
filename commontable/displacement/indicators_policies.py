"""What the policy inventory tells the plan (objective 1.3): anti-displacement policies adopted,
in one jurisdiction or in all, on each date (from each policy's dated status history)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from commontable.core.indicators import Indicator, Reading
from commontable.displacement.selectors_policies import adopted_counts, jurisdiction_list


def _url(param: str) -> str | None:
    try:
        if param:
            return reverse("displacement:policy_jurisdiction", kwargs={"jurisdiction": param})
        return reverse("displacement:policy_matrix")
    except NoReverseMatch:
        return None


def policies_adopted(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """Policies standing adopted at the end of each date, in the jurisdiction given (its slug) or
    in all of them. Adoptions are public acts, so nothing is suppressed."""
    return [Reading(value=float(n), n=n) for n in adopted_counts(dates, param)]


def jurisdiction_params() -> list[tuple[str, str]]:
    return [(place.slug, place.name) for place in jurisdiction_list()]


INDICATORS = [
    Indicator(
        key="displacement.policies_adopted",
        label=_("Anti-displacement policies adopted"),
        counts=_("Anti-displacement policies in force (adopted and not repealed) in the chosen jurisdiction, or in "
                 "all jurisdictions, by the dates in the policy inventory."),
        compute=policies_adopted,
        depends_on=("displacement.Policy", "displacement.HistoricalPolicy"),
        records_url=_url,
        params=jurisdiction_params,
        param_label=_("Jurisdiction"),
    ),
]
