import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commontable.core.indicators import compute
from commontable.core.models import ActivityLog
from commontable.investments import selectors, services
from commontable.investments.choices import AskOutcome, Compliance, Escalation, Stage
from commontable.investments.models import (
    Commitment,
    CommitmentReport,
    FundingSource,
    Investment,
    StageChange,
)
from commontable.investments.tests.factories import CommitmentFactory, InvestmentFactory, ObligorFactory

TODAY = timezone.localdate()
STATION = '{"type": "Point", "coordinates": [-93.1647, 44.9556]}'


@pytest.fixture
def staff(personas):
    return personas.users["staff"]


def test_registering_an_investment_starts_its_stage_history(db, staff):
    investment = services.investment_create(actor=staff, name="Rondo Land Bridge", kind="park", total_cost="6,500,000.00",
                                            location=STATION, stage=Stage.PLANNING)
    assert investment.total_cost_cents == 650_000_000
    assert investment.geometry["type"] == "Point" and investment.min_lon == pytest.approx(-93.1647)
    assert StageChange.objects.get(investment=investment).stage == Stage.PLANNING
    assert ActivityLog.objects.filter(action="investments.investment.created").count() == 1


@pytest.mark.parametrize("amount, message", [
    ("-5", "negative"), ("12.345", "two decimals"), ("twelve", "Enter an amount"), ("NaN", "Enter an amount"),
    ("Infinity", "Enter an amount"), ("١٢٣", "digits 0–9"), ("1e20", "too large"),
])
def test_bad_amounts_are_refused_and_nothing_is_written(db, staff, amount, message):
    with pytest.raises(ValidationError, match=message):
        services.investment_create(actor=staff, name="Bad", kind="road", total_cost=amount)
    assert not Investment.objects.exists()


def test_a_location_outside_the_region_writes_nothing(db, staff):
    with pytest.raises(ValidationError) as caught:
        services.investment_create(actor=staff, name="Far", kind="road", location='{"type": "Point", "coordinates": [-87.6, 41.9]}')
    assert "location" in caught.value.message_dict
    assert not Investment.objects.exists()


def test_stages_follow_the_rules_with_dates(db, staff):
    investment = InvestmentFactory(stage=Stage.PLANNING, stage_since=dt.date(2024, 1, 1))
    services.investment_stage_change(actor=staff, investment=investment, stage=Stage.CONSTRUCTION, effective_on=dt.date(2025, 1, 1))
    investment.refresh_from_db()
    assert investment.stage == Stage.CONSTRUCTION
    with pytest.raises(ValidationError, match="cannot go from"):
        services.investment_stage_change(actor=staff, investment=investment, stage=Stage.PLANNING)
    with pytest.raises(ValidationError, match="before the current stage"):
        services.investment_stage_change(actor=staff, investment=investment, stage=Stage.COMPLETE, effective_on=dt.date(2024, 6, 1))
    assert investment.stage_changes.count() == 1


@pytest.mark.parametrize("year", ["1800", "2200", "next year", None])
def test_fiscal_years_out_of_range_are_refused(db, staff, year):
    with pytest.raises(ValidationError) as caught:
        services.funding_source_add(actor=staff, investment=InvestmentFactory(), program="iija", fiscal_year=year, amount="100")
    assert "fiscal_year" in caught.value.message_dict
    assert not FundingSource.objects.exists()


def test_funding_is_added_in_cents(db, staff):
    source = services.funding_source_add(actor=staff, investment=InvestmentFactory(), program="tif", fiscal_year="2026",
                                         amount="$2,500,000", award_id="TIF-2026-04")
    assert source.amount_cents == 250_000_000


def test_a_deadline_before_the_start_is_refused(db, staff):
    with pytest.raises(ValidationError) as caught:
        services.commitment_create(actor=staff, investment=InvestmentFactory(), source="cba", obligor=ObligorFactory(),
                                   text="Units at 30% AMI", category="affordable_units", unit="units", target="40",
                                   starts_on=dt.date(2025, 1, 1), deadline=dt.date(2024, 1, 1))
    assert "deadline" in caught.value.message_dict
    assert not Commitment.objects.exists()


def test_reports_drive_the_status_and_escalation_follows_the_path(db, staff):
    commitment = CommitmentFactory(target=Decimal(100), starts_on=TODAY - dt.timedelta(days=400), deadline=TODAY - dt.timedelta(days=10))
    services.commitment_report_add(actor=staff, commitment=commitment, value="60", as_of=TODAY - dt.timedelta(days=5),
                                   evidence_url="https://example.org/report.pdf")
    row = selectors.commitment_rows(Commitment.objects.filter(pk=commitment.pk))[0]
    assert row.status == Compliance.MISSED
    services.commitment_escalate(actor=staff, commitment=commitment, step=Escalation.FLAGGED)
    with pytest.raises(ValidationError, match="next step can only be"):
        services.commitment_escalate(actor=staff, commitment=commitment, step=Escalation.PUBLIC)
    services.commitment_escalate(actor=staff, commitment=commitment, step=Escalation.LETTER_SENT)
    services.commitment_escalate(actor=staff, commitment=commitment, step=Escalation.PUBLIC)
    services.commitment_escalate(actor=staff, commitment=commitment, step=Escalation.RESOLVED)
    commitment.refresh_from_db()
    assert commitment.escalation == Escalation.RESOLVED
    assert ActivityLog.objects.filter(action="investments.commitment.escalated").count() == 4


@pytest.mark.parametrize("value", ["-1", "lots", "NaN", "inf"])
def test_bad_report_values_are_refused(db, staff, value):
    with pytest.raises(ValidationError):
        services.commitment_report_add(actor=staff, commitment=CommitmentFactory(), value=value, as_of=dt.date(2024, 6, 1))
    assert not CommitmentReport.objects.exists()


def test_evidence_that_is_not_what_it_claims_is_refused(db, staff):
    fake_pdf = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        services.commitment_report_add(actor=staff, commitment=CommitmentFactory(), value="5", as_of=dt.date(2024, 6, 1),
                                       evidence_file=fake_pdf)
    assert "evidence_file" in caught.value.message_dict
    assert not CommitmentReport.objects.exists()


def test_a_real_pdf_is_kept_as_evidence(db, staff):
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", content_type="application/pdf")
    report = services.commitment_report_add(actor=staff, commitment=CommitmentFactory(), value="5", as_of=dt.date(2024, 6, 1), evidence_file=pdf)
    assert report.evidence_file.kind == "PDF"


def test_asks_actions_and_outcomes(db, staff, personas):
    investment = InvestmentFactory()
    ask = services.ask_create(actor=staff, investment=investment, asked_of="Met Council", ask="Anti-displacement fund")
    services.ask_action_add(actor=staff, ask=ask, kind="sign_on", on=dt.date(2025, 3, 1), organizations=[personas.org_a])
    services.ask_outcome_set(actor=staff, ask=ask, outcome=AskOutcome.WON, outcome_on=dt.date(2025, 6, 1))
    assert compute("investments.asks_won", [dt.date(2025, 5, 1), dt.date(2025, 7, 1)]) [1].value == 1
    assert compute("investments.asks_won", [dt.date(2025, 5, 1)])[0].value == 0
    assert compute("investments.with_ask", [TODAY])[0].value == 1


def test_commitment_status_counts_feed_the_plan(db, staff):
    met = CommitmentFactory(target=Decimal(10))
    services.commitment_report_add(actor=staff, commitment=met, value="12", as_of=dt.date(2024, 6, 1))
    CommitmentFactory()  # no data
    assert compute("investments.commitments_in_status", [TODAY], Compliance.MET)[0].value == 1
    assert compute("investments.commitments_in_status", [TODAY], Compliance.NO_DATA)[0].value == 1
    assert compute("investments.commitments_in_status", [dt.date(2024, 5, 1)], Compliance.MET)[0].value == 0


def test_a_public_commitment_on_a_members_only_investment_is_not_visible_to_visitors(db, personas):
    from commontable.core.visibility import Visibility

    hidden = InvestmentFactory(visibility=Visibility.MEMBERS)
    commitment = CommitmentFactory(investment=hidden, visibility=Visibility.PUBLIC)
    assert not Commitment.objects.visible_to(None).filter(pk=commitment.pk).exists()
    assert Commitment.objects.visible_to(personas.users["member_a"]).filter(pk=commitment.pk).exists()


def test_an_escalation_step_cannot_be_dated_before_the_previous_one(db, personas):
    staff = personas.users["staff"]
    commitment = CommitmentFactory()
    services.commitment_escalate(actor=staff, commitment=commitment, step=Escalation.FLAGGED, on=dt.date(2025, 5, 1))
    with pytest.raises(ValidationError) as caught:
        services.commitment_escalate(actor=staff, commitment=commitment, step=Escalation.LETTER_SENT, on=dt.date(2025, 4, 1))
    assert "on" in caught.value.message_dict
    commitment.refresh_from_db()
    assert commitment.escalation == Escalation.FLAGGED
