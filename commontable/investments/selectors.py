"""Reads for the investment watch: lists with filters, an investment's page, commitments with
their computed status, the public accountability view, and figures for the plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Greatest, Least
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from commontable.core.visibility import Visibility
from commontable.investments.choices import AskOutcome, Compliance, TargetDirection
from commontable.investments.compliance import ON_TRACK_SHARE, STALE_AFTER_DAYS, commitment_status
from commontable.investments.models import (
    CampaignAsk,
    Commitment,
    CommitmentReport,
    FundingSource,
    Investment,
    StageChange,
)
from commontable.investments.permissions import visible_investments


def investment_list(user, *, kind: str = "", stage: str = "", jurisdiction=None, table=None, q: str = "", has_ask: str = ""):
    """Investments the user may see, with their funding total, filtered. `has_ask` is "yes" (at
    least one ask the user may see) or "won" (one won or partly won), as the plan's figures count."""
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
    if has_ask:
        items = with_ask(items, user, has_ask)
    return items.order_by("name")


def with_ask(investments, user, has_ask: str):
    """Investments with a coalition ask ("yes") or with an ask won or partly won ("won"), as
    the indicators `investments.with_ask` and `investments.asks_won` count them."""
    asks = CampaignAsk.objects.visible_to(user).filter(investment=OuterRef("pk"))
    if has_ask == "won":
        asks = asks.filter(outcome__in=[AskOutcome.WON, AskOutcome.PARTLY])
    return investments.filter(Exists(asks))


def with_latest_report(commitments):
    """Commitments with their latest report's value and date: the columns `latest_value` and
    `latest_on`, kept by `commitment_report_add` (the latest by (as_of, id)), so no subquery."""
    return commitments


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


class DaysBetween(Func):
    """Whole days from `start` to `end` (two dates), in SQL: PostgreSQL subtracts dates to an
    integer; SQLite through julianday()."""

    output_field = IntegerField()
    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def __init__(self, end, start):
        super().__init__(end, start)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="CAST(julianday(%(expressions)s) AS INTEGER)",
                              arg_joiner=") - julianday(", **extra)


class TenThousandths(Func):
    """A value with four decimals as an exact whole number of ten-thousandths. PostgreSQL's
    numeric is exact already; SQLite keeps decimals as floating point, so round the scaled value
    to the integer it stands for before multiplying (then comparisons are exact, as in Python)."""

    output_field = DecimalField(max_digits=30, decimal_places=0)
    arity = 1
    template = "(%(expressions)s * 10000)"

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="CAST(ROUND(%(expressions)s * 10000) AS INTEGER)", **extra)


def commitment_status_expression(today: dt.date):
    """The rules of `compliance.commitment_status`, as one SQL CASE over the commitment's columns
    (its latest report is kept in `latest_value`/`latest_on`, see `with_latest_report`), so that the commitment list filters by status in the database however
    many commitments there are. Each branch is the Python rule of the same order; a test checks
    that both give the same status in every case and at every boundary."""
    stale_before = today - dt.timedelta(days=STALE_AFTER_DAYS)
    at_most = Q(direction=TargetDirection.AT_MOST)
    within = Q(latest_value__lte=F("target"))
    span = DaysBetween(F("deadline"), F("starts_on"))
    elapsed = Least(Greatest(DaysBetween(F("latest_on"), F("starts_on")), Value(0)), span)
    # value × span ≥ 0.9 × target × elapsed, with 0.9 = 9 / 10 and both values in exact units.
    share_numerator = int(ON_TRACK_SHARE * 10)
    reached = ExpressionWrapper(TenThousandths(F("latest_value")) * span * Value(10), output_field=DecimalField())
    line = ExpressionWrapper(TenThousandths(F("target")) * elapsed * Value(share_numerator), output_field=DecimalField())
    return Case(
        When(Q(latest_value__isnull=True) | Q(latest_on__isnull=True), then=Value(Compliance.NO_DATA)),
        When(at_most & Q(deadline__lt=today) & within, then=Value(Compliance.MET)),
        When(at_most & Q(deadline__lt=today), then=Value(Compliance.MISSED)),
        When(at_most & within, then=Value(Compliance.ON_TRACK)),
        When(at_most, then=Value(Compliance.AT_RISK)),
        When(latest_value__gte=F("target"), then=Value(Compliance.MET)),
        When(deadline__lt=today, then=Value(Compliance.MISSED)),
        When(latest_on__lt=stale_before, then=Value(Compliance.AT_RISK)),
        When(GreaterThanOrEqual(reached, line), then=Value(Compliance.ON_TRACK)),
        default=Value(Compliance.AT_RISK),
        output_field=CharField(),
    )


def stored_status_holds(today: dt.date) -> Q:
    """Commitments whose stored status is their status on `today`: computed on or before that
    day and holding through it (`compliance.status_holds_until`)."""
    return Q(stored_status_on__lte=today, stored_status_until__gte=today)


def with_status(commitments, today: dt.date | None = None):
    """Commitments annotated with their `status` on `today`: the stored one where it holds, else
    computed in SQL by the same rules (rows never stored, or whose status changed since the last
    refresh: the day after a deadline, the 181st day of silence). Right whether or not the daily
    refresh ran; fast when it did."""
    today = today or timezone.localdate()
    return with_latest_report(commitments).annotate(
        status=Case(
            When(stored_status_holds(today), then=F("stored_status")),
            default=commitment_status_expression(today),
            output_field=CharField(),
        )
    )


def stored_status_stale(today: dt.date) -> Q:
    """Commitments whose stored status may not be their status on `today` (never stored, stored
    for a later day, or past the last day it holds): each term reads an index."""
    return Q(stored_status_until__isnull=True) | Q(stored_status_until__lt=today) | Q(stored_status_on__gt=today)


def with_status_filter(commitments, status: str, today: dt.date | None = None):
    """`with_status(...).filter(status=status)`, as fast as the stored statuses allow. When every
    stored status holds on `today` (one indexed EXISTS: the daily refresh and the services keep
    it so), the filter is the stored column, which the database counts and pages through its
    index; otherwise the rows where it holds are read from it and the others computed in SQL."""
    today = today or timezone.localdate()
    if not Commitment.objects.filter(stored_status_stale(today)).exists():
        return commitments.filter(stored_status=status)
    holds = stored_status_holds(today)
    return commitments.filter((holds & Q(stored_status=status)) | (~holds & Q(status=status)))


def commitment_list(user, *, status: str = "", category: str = "", obligor=None, investment=None, today: dt.date | None = None):
    """Commitments the user may see, on investments the user may see, each with its latest report
    and status, filtered (the status filter runs in the database, see `with_status`)."""
    items = Commitment.objects.visible_to(user)  # only on investments the user may see
    if category:
        items = items.filter(category=category)
    if obligor is not None:
        items = items.filter(obligor=obligor)
    if investment is not None:
        items = items.filter(investment=investment)
    items = with_status(items, today)
    if status:
        items = with_status_filter(items, status, today)
    return items.select_related("investment", "obligor").order_by("deadline", "id")


def commitment_rows(commitments, today: dt.date | None = None) -> list[CommitmentRow]:
    today = today or timezone.localdate()
    return [CommitmentRow(c, status_of(c, today)) for c in with_latest_report(commitments).select_related("obligor")]


@dataclass
class FundingTable:
    """Funding as a grid: one row per program, one column per fiscal year, with the totals."""

    years: list[int]
    rows: list[tuple[str, list[int | None], int]]
    year_totals: list[int]
    total_cents: int


def funding_table(funding: list[FundingSource]) -> FundingTable:
    years = sorted({source.fiscal_year for source in funding})
    cells: dict[str, dict[int, int]] = {}
    labels: dict[str, str] = {}
    for source in funding:
        by_year = cells.setdefault(source.program, {})
        by_year[source.fiscal_year] = by_year.get(source.fiscal_year, 0) + source.amount_cents
        labels[source.program] = source.get_program_display()
    rows = [
        (labels[program], [by_year.get(year) for year in years], sum(by_year.values()))
        for program, by_year in sorted(cells.items(), key=lambda item: str(labels[item[0]]))
    ]
    year_totals = [sum(by_year.get(year, 0) for by_year in cells.values()) for year in years]
    return FundingTable(years=years, rows=rows, year_totals=year_totals, total_cents=sum(year_totals))


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
        asks=list(CampaignAsk.objects.visible_to(user).filter(investment=investment).prefetch_related("actions__organizations")),
    )


def accountability(investment: Investment) -> list[CommitmentRow]:
    """The public accountability view: only commitments marked public, with their status and the
    evidence of their latest report (a link or a file; never who reported it)."""
    latest = CommitmentReport.objects.filter(commitment=OuterRef("pk")).order_by("-as_of", "-id")
    commitments = Commitment.objects.filter(investment=investment, visibility=Visibility.PUBLIC).annotate(
        latest_evidence_url=Subquery(latest.values("evidence_url")[:1]),
        latest_evidence_file=Subquery(latest.values("evidence_file__public_id")[:1]),
    )
    return commitment_rows(commitments)


def commitment_reports(commitment: Commitment):
    return commitment.reports.select_related("reported_by", "evidence_file").order_by("-as_of", "-id")


@dataclass
class CommitmentPage:
    commitment: Commitment
    status: str
    reports: list[CommitmentReport]
    steps: list
    latest: CommitmentReport | None


def commitment_page(commitment: Commitment, today: dt.date | None = None) -> CommitmentPage:
    """A commitment's page: its reports newest first, its status from the newest (the same rules
    and the same "latest" as every list), and its escalation steps in order."""
    reports = list(commitment_reports(commitment))
    latest = reports[0] if reports else None
    commitment.latest_value = latest.value if latest else None
    commitment.latest_on = latest.as_of if latest else None
    return CommitmentPage(
        commitment=commitment, status=status_of(commitment, today), reports=reports,
        steps=list(commitment.escalation_steps.select_related("actor").order_by("on", "id")), latest=latest,
    )


def investment_engaged(investment: Investment, user) -> tuple[list, list]:
    """The tables and organisations engaged in an investment that the user may see."""
    from commontable.directory.permissions import visible_organizations, visible_tables

    tables = list(visible_tables(user).filter(investments=investment).order_by("name"))
    organizations = list(visible_organizations(user).filter(engaged_investments=investment).order_by("name"))
    return tables, organizations


def status_counts(commitments, today: dt.date) -> dict[str, int]:
    """How many commitments stand in each status on a day (reports up to that day only). From
    today on, that is the latest report kept on the commitment (reports are never dated in the
    future); for a day in the past (the plan's indicator over time), the latest report up to that
    day is looked up with a subquery per commitment."""
    commitments = commitments.filter(starts_on__lte=today)
    if today >= timezone.localdate():
        rows = commitments.values_list("direction", "target", "starts_on", "deadline", "latest_value", "latest_on")
    else:
        latest = CommitmentReport.objects.filter(commitment=OuterRef("pk"), as_of__lte=today).order_by("-as_of", "-id")
        rows = commitments.annotate(
            value_then=Subquery(latest.values("value")[:1]), on_then=Subquery(latest.values("as_of")[:1])
        ).values_list("direction", "target", "starts_on", "deadline", "value_then", "on_then")
    counts = dict.fromkeys(Compliance.values, 0)
    for direction, target, starts_on, deadline, value, on in rows:
        counts[commitment_status(direction=direction, target=target, starts_on=starts_on, deadline=deadline,
                                 latest_value=value, latest_on=on, today=today)] += 1
    return counts


# --- the API's reads (added with `api.py`) -------------------------------------------------------


def ask_list(user, *, investment=None, outcome: str = ""):
    """Campaign asks the user may see, on investments the user may see, newest first, with their
    investment, the organisation asked, and their actions with the organisations that signed on."""
    items = CampaignAsk.objects.visible_to(user)  # only on investments the user may see
    if investment is not None:
        items = items.filter(investment=investment)
    if outcome:
        items = items.filter(outcome=outcome)
    return (
        items.select_related("investment", "asked_of_organization")
        .prefetch_related("actions__organizations")
        .order_by("-created_at", "-id")
    )


def investment_map_rows(user):
    """The map's features: (slug, name, kind, stage, funding total in cents, geometry as stored
    GeoJSON text) of every investment the user may see that has a location, in one query of
    those columns, without model instances. The geometry stays the database's text (checked and
    rounded when written), so that the map's GeoJSON is written without parsing 5,000 shapes."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    funding = FundingSource.objects.filter(investment=OuterRef("pk")).values("investment").annotate(total=Sum("amount_cents"))
    return (
        visible_investments(user)
        .filter(geometry__isnull=False)
        .annotate(funding_cents=Subquery(funding.values("total")), geometry_text=Cast("geometry", TextField()))
        .order_by("pk")
        .values_list("slug", "name", "kind", "stage", "funding_cents", "geometry_text")
    )


def investment_map_version(user) -> tuple:
    """What the map's features depend on, in two small aggregate queries: how many investments
    the user may see have a location and when the last of them changed (services save every
    change with its time), and the funding rows' count, last id and sum. The same version for the
    same viewer means the same GeoJSON, so it can be cached and answered with 304."""
    from django.db.models import Count, Max

    located = visible_investments(user).filter(geometry__isnull=False).aggregate(n=Count("pk"), changed=Max("updated_at"))
    funding = FundingSource.objects.aggregate(n=Count("pk"), last=Max("pk"), total=Sum("amount_cents"))
    return (located["n"], located["changed"], funding["n"], funding["last"], funding["total"])
