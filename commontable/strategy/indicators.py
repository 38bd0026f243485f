"""What the plan's own records can tell: action items done toward an objective."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commontable.core.indicators import Indicator, Reading
from commontable.strategy.choices import ActionItemStatus
from commontable.strategy.models import ActionItem


def action_items_done(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """Action items bound to the objective (the parameter: its public id) done by each date."""
    aggregates = {f"d{index}": Count("pk", distinct=True, filter=Q(done_on__lte=day)) for index, day in enumerate(dates)}
    counts = ActionItem.objects.filter(status=ActionItemStatus.DONE, objectives__public_id=param).aggregate(**aggregates)
    return [Reading(value=float(counts[f"d{index}"]), n=counts[f"d{index}"]) for index in range(len(dates))]


INDICATORS = [
    Indicator(
        key="strategy.action_items_done",
        label=_("Action items done"),
        counts=_("Action items from meetings, retrospectives and support cases, bound to this objective and done."),
        compute=action_items_done,
        depends_on=("strategy.ActionItem",),
        per_objective=True,
        records_url=lambda param: reverse("strategy:action_item_list") + f"?objective={param}&status=done" if param else None,
    ),
]
