"""Reads for the investment watch: lists with filters, an investment's page, commitments with
their computed status, the public accountability view, and figures for the plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery, Sum
from django.utils import timezone

from commontable.core.visibility import Visibility
from commontable.investments.choices import Compliance
from commontable.investments.compliance import commitment_status
from commontable.investments.models import (
    CampaignAsk,
    Commitment,
    CommitmentReport,
    FundingSource,
    Investment,
    StageChange,
)
from commontable.investments.permissions import visible_investments


def investment_list(user, *, kind: str = "", stage: str = "", jurisdiction=None, table=None, q: str = ""):
    """Investments the user may see, with their funding total, filtered."""
    items = visible_investments(user).select_related("sponsor", "jurisdiction").annotate(
        funding_cents=Subquery(
            FundingSource.objects.filter(investment=OuterRef("pk")).values("investment").annotate(total=Sum("amount_cents")).values("total")
        )
    )
    if kind:
        items = items.filter(kind=kind)
    if stage:
        items = items.filter(stage=stage)
    if jurisdiction is not None:
        items = items.filter(jurisdiction=jurisdiction)
    if table is not None:
        items = items.filter(tables=table)
    if q.strip():
        items = items.filter(name__icontains=q.strip())
    return items.order_by("name")


def with_latest_report(commitments):
    """Annotate each commitment with its latest report's value and date (one subquery each)."""
    latest = CommitmentReport.objects.filter(commitment=OuterRef("pk")).order_by("-as_of", "-id")
    return commitments.annotate(latest_value=Subquery(latest.values("value")[:1]), latest_on=Subquery(latest.values("as_of")[:1]))


def status_of(commitment, today: dt.date | None = None) -> str:
    """A commitment's status by the stated rules (`compliance.py`), from its annotated latest report."""
    return commitment_status(
        direction=commitment.direction, target=commitment.target, starts_on=commitment.starts_on, deadline=commitment.deadline,
        latest_value=getattr(commitment, "latest_value", None), latest_on=getattr(commitment, "latest_on", None),
        today=today or timezone.localdate(),
    )


@dataclass
class CommitmentRow:
    commitment: Commitment
    status: str


def commitment_rows(commitments, today: dt.date | None = None) -> list[CommitmentRow]:
    today = today or timezone.localdate()
    return [CommitmentRow(c, status_of(c, today)) for c in with_latest_report(commitments).select_related("obligor")]


@dataclass
class InvestmentPage:
    investment: Investment
    funding: list[FundingSource]
    funding_total_cents: int
    stages: list[StageChange]
    commitments: list[CommitmentRow]
    asks: list[CampaignAsk]


def investment_detail(investment: Investment, *, user) -> InvestmentPage:
    funding = list(investment.funding_sources.all())
    return InvestmentPage(
        investment=investment,
        funding=funding,
        funding_total_cents=sum(f.amount_cents for f in funding),
        stages=list(investment.stage_changes.all()),
        commitments=commitment_rows(Commitment.objects.visible_to(user).filter(investment=investment)),
        asks=list(CampaignAsk.objects.visible_to(user).filter(investment=investment).prefetch_related("actions")),
    )


def accountability(investment: Investment) -> list[CommitmentRow]:
    """The public accountability view: only commitments marked public, with their status."""
    return commitment_rows(Commitment.objects.filter(investment=investment, visibility=Visibility.PUBLIC))


def commitment_reports(commitment: Commitment):
    return commitment.reports.select_related("reported_by", "evidence_file").order_by("-as_of", "-id")


def status_counts(commitments, today: dt.date) -> dict[str, int]:
    """How many commitments stand in each status on a day (reports up to that day only)."""
    latest = CommitmentReport.objects.filter(commitment=OuterRef("pk"), as_of__lte=today).order_by("-as_of", "-id")
    rows = commitments.filter(starts_on__lte=today).annotate(
        latest_value=Subquery(latest.values("value")[:1]), latest_on=Subquery(latest.values("as_of")[:1])
    ).values_list("direction", "target", "starts_on", "deadline", "latest_value", "latest_on")
    counts = dict.fromkeys(Compliance.values, 0)
    for direction, target, starts_on, deadline, value, on in rows:
        counts[commitment_status(direction=direction, target=target, starts_on=starts_on, deadline=deadline,
                                 latest_value=value, latest_on=on, today=today)] += 1
    return counts

