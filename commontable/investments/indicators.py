"""What the investment watch can tell the plan (objectives 1.1, 1.4, 1.5): investments with a
coalition ask, dollars tracked by stage, asks won, commitments by status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from commontable.core.indicators import Indicator, Reading, Unit
from commontable.investments.choices import AskOutcome, Compliance, Stage
from commontable.investments.models import CampaignAsk, Commitment, FundingSource
from commontable.investments.selectors import status_counts


def _url(name: str, **query) -> str | None:
    try:
        url = reverse(name)
    except NoReverseMatch:  # pages not mounted (e.g. an API-only deployment)
        return None
    return f"{url}?{urlencode(query)}" if query else url


def investments_with_ask(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """Investments with at least one coalition ask made by each date."""
    aggregates = {f"d{i}": Count("investment", distinct=True, filter=Q(created_at__date__lte=day)) for i, day in enumerate(dates)}
    counts = CampaignAsk.objects.aggregate(**aggregates)
    return [Reading(value=float(counts[f"d{i}"]), n=counts[f"d{i}"]) for i in range(len(dates))]


def dollars_by_stage(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """Dollars of funding on investments now at the stage given (all stages without one). Stage is
    today's, so this answers for today only."""
    sources = FundingSource.objects.all()
    if param:
        sources = sources.filter(investment__stage=param)
    cents = sources.aggregate(total=Sum("amount_cents"))["total"] or 0
    return [Reading(value=cents / 100, n=None) for _day in dates]


def asks_won(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """Asks won or partly won by each date."""
    aggregates = {
        f"d{i}": Count("pk", filter=Q(outcome__in=[AskOutcome.WON, AskOutcome.PARTLY], outcome_on__lte=day)) for i, day in enumerate(dates)
    }
    counts = CampaignAsk.objects.aggregate(**aggregates)
    return [Reading(value=float(counts[f"d{i}"]), n=counts[f"d{i}"]) for i in range(len(dates))]


def commitments_in_status(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """Commitments in the status given (met, at risk, missed…) on each date, by the stated rules
    applied to the reports made by then."""
    status = param or Compliance.MET
    return [Reading(value=float(status_counts(Commitment.objects.all(), day)[status])) for day in dates]


INDICATORS = [
    Indicator(
        key="investments.with_ask",
        label=_("Investments with a coalition ask"),
        counts=_("Public investments the coalition has made at least one ask about."),
        compute=investments_with_ask,
        depends_on=("investments.CampaignAsk",),
        records_url=lambda param: _url("investments:investment_list", has_ask="yes"),
    ),
    Indicator(
        key="investments.dollars_by_stage",
        label=_("Dollars tracked"),
        counts=_("Funding recorded on the investments watched, optionally only those at one stage."),
        compute=dollars_by_stage,
        unit=Unit.DOLLARS,
        history=False,
        depends_on=("investments.FundingSource", "investments.Investment"),
        records_url=lambda param: _url("investments:investment_list", **({"stage": param} if param else {})),
        params=lambda: [(value, str(label)) for value, label in Stage.choices],
        param_label=_("Stage"),
    ),
    Indicator(
        key="investments.asks_won",
        label=_("Asks won"),
        counts=_("Campaign asks won or partly won."),
        compute=asks_won,
        depends_on=("investments.CampaignAsk",),
        records_url=lambda param: _url("investments:investment_list", has_ask="won"),
    ),
    Indicator(
        key="investments.commitments_in_status",
        label=_("Community-benefit commitments"),
        counts=_("Commitments in the chosen status, by the stated rules applied to the reports made by the day."),
        compute=commitments_in_status,
        depends_on=("investments.Commitment", "investments.CommitmentReport"),
        records_url=lambda param: _url("investments:commitment_list", status=param or Compliance.MET),
        params=lambda: [(value, str(label)) for value, label in Compliance.choices],
        param_label=_("Status"),
    ),
]


