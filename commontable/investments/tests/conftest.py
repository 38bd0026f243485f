"""Fixtures the investment watch's page tests share: one investment of each visibility, the first
with funding, stages, commitments in every status, reports with evidence and an ask with actions."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commontable.core.models import Place
from commontable.core.visibility import Visibility
from commontable.investments import services
from commontable.investments.choices import Compliance, Stage
from commontable.investments.models import AskAction, StageChange
from commontable.investments.tests.factories import (
    CampaignAskFactory,
    CommitmentFactory,
    CommitmentReportFactory,
    FundingSourceFactory,
    InvestmentFactory,
    ObligorFactory,
)

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)
PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
STATION = {"type": "Point", "coordinates": [-93.1647, 44.9556]}


def pdf_upload(name="report.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def place(db):
    return Place.objects.create(slug="saint-paul", name="Saint Paul", kind=Place.Kind.CITY)


@pytest.fixture
def world(personas, place):
    """`investment`: members see it, org A is engaged (so member_a reports), the corridor table too;
    two funding sources, two stages, one commitment in each status (the met one and the missed
    one public, the rest members-only, plus one staff-only), an ask with an action.
    `hidden`: staff only. `table_only`: the corridor table's members (and staff) only."""
    staff = personas.user("staff")
    investment = InvestmentFactory(
        name="Snelling Station",
        slug="snelling-station",
        visibility=Visibility.MEMBERS,
        jurisdiction=place,
        total_cost_cents=12_500_000_00,
        geometry=STATION,
        min_lon=-93.1647,
        min_lat=44.9556,
        max_lon=-93.1647,
        max_lat=44.9556,
        stage=Stage.FUNDED,
        stage_since=dt.date(2025, 3, 1),
    )
    investment.organizations.add(personas.org_a)
    investment.tables.add(personas.table)
    StageChange.objects.create(
        investment=investment, stage=Stage.PLANNING, effective_on=dt.date(2024, 1, 1), note="Registered"
    )
    StageChange.objects.create(
        investment=investment, stage=Stage.FUNDED, effective_on=dt.date(2025, 3, 1), note="Grant awarded"
    )
    FundingSourceFactory(
        investment=investment,
        program="iija",
        fiscal_year=2025,
        amount_cents=4_000_000_00,
        award_id="FTA-2025-17",
    )
    FundingSourceFactory(
        investment=investment, program="state_bonding", fiscal_year=2026, amount_cents=1_500_000_50
    )
    obligor = ObligorFactory(name="Northside Builders", slug="northside-builders")
    start = TODAY - 400 * DAY

    def commitment(text, visibility=Visibility.MEMBERS, **kwargs):
        kwargs.setdefault("starts_on", start)
        kwargs.setdefault("deadline", TODAY + 400 * DAY)
        return CommitmentFactory(
            investment=investment,
            obligor=obligor,
            text=text,
            visibility=visibility,
            target=Decimal(100),
            **kwargs,
        )

    met = commitment("Met: 100 affordable units", Visibility.PUBLIC)
    CommitmentReportFactory(
        commitment=met,
        value=Decimal(100),
        as_of=TODAY - 10 * DAY,
        evidence_url="https://example.org/units.pdf",
    )
    on_track = commitment("On track: local hire hours")
    CommitmentReportFactory(commitment=on_track, value=Decimal(60), as_of=TODAY - 10 * DAY)
    at_risk = commitment("At risk: BIPOC contracting")
    CommitmentReportFactory(commitment=at_risk, value=Decimal(5), as_of=TODAY - 10 * DAY)
    missed = commitment("Missed: community space", Visibility.PUBLIC, deadline=TODAY - 5 * DAY)
    report = services.commitment_report_add(
        actor=staff,
        commitment=missed,
        value="40",
        as_of=TODAY - 20 * DAY,
        evidence_file=pdf_upload("space-report.pdf"),
        note="Counted by Ayaan on a site visit",
    )
    no_data = commitment("No data: anti-displacement fund")
    secret = commitment("Staff only: side letter", Visibility.STAFF)
    ask = CampaignAskFactory(
        investment=investment, asked_of="Met Council", ask="Fund an anti-displacement trust"
    )
    action = AskAction.objects.create(
        ask=ask, kind="sign_on", on=TODAY - 30 * DAY, note="Twelve organisations signed"
    )
    action.organizations.add(personas.org_a, personas.org_b)
    hidden = InvestmentFactory(name="Quiet Land Deal", slug="quiet-land-deal", visibility=Visibility.STAFF)
    table_only = InvestmentFactory(
        name="Corridor Study",
        slug="corridor-study",
        visibility=Visibility.TABLE,
        visibility_table=personas.table,
    )
    return SimpleNamespace(
        investment=investment,
        hidden=hidden,
        table_only=table_only,
        obligor=obligor,
        ask=ask,
        report=report,
        commitments={
            Compliance.MET: met,
            Compliance.ON_TRACK: on_track,
            Compliance.AT_RISK: at_risk,
            Compliance.MISSED: missed,
            Compliance.NO_DATA: no_data,
        },
        secret=secret,
    )
