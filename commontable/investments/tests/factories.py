import datetime as dt
from decimal import Decimal

import factory

from commontable.core.visibility import Visibility
from commontable.directory.choices import MembershipStatus, OrganizationKind
from commontable.directory.tests.factories import OrganizationFactory
from commontable.investments.choices import CommitmentCategory, CommitmentSource, InvestmentKind, Stage
from commontable.investments.models import (
    CampaignAsk,
    Commitment,
    CommitmentReport,
    FundingSource,
    Investment,
)


class InvestmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Investment

    name = factory.Sequence(lambda n: f"Investment {n}")
    slug = factory.Sequence(lambda n: f"investment-{n}")
    kind = InvestmentKind.TRANSIT_STATION
    stage = Stage.PLANNING
    stage_since = dt.date(2024, 1, 1)
    visibility = Visibility.MEMBERS


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingSource

    investment = factory.SubFactory(InvestmentFactory)
    program = "iija"
    fiscal_year = 2025
    amount_cents = 1_000_000_00


class ObligorFactory(OrganizationFactory):
    kind = OrganizationKind.DEVELOPER
    membership_status = MembershipStatus.NOT_MEMBER


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    investment = factory.SubFactory(InvestmentFactory)
    source = CommitmentSource.CBA
    obligor = factory.SubFactory(ObligorFactory)
    text = factory.Sequence(lambda n: f"Promise {n}")
    category = CommitmentCategory.AFFORDABLE_UNITS
    unit = "units"
    target = Decimal(100)
    starts_on = dt.date(2024, 1, 1)
    deadline = dt.date(2027, 1, 1)
    visibility = Visibility.MEMBERS


class CommitmentReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitmentReport

    commitment = factory.SubFactory(CommitmentFactory)
    value = Decimal(10)
    as_of = dt.date(2024, 6, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As `services.commitment_report_add` does: the commitment keeps its latest report.
        report = super()._create(model_class, *args, **kwargs)
        Commitment.objects.filter(pk=report.commitment_id).refresh_latest_report()
        report.commitment.refresh_from_db(fields=["latest_value", "latest_on"])
        return report


class CampaignAskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignAsk

    investment = factory.SubFactory(InvestmentFactory)
    asked_of = "City council"
    ask = factory.Sequence(lambda n: f"Ask {n}")
    visibility = Visibility.MEMBERS
