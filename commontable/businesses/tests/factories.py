import datetime as dt

import factory

from commontable.businesses.choices import CertificationProgram, SelfIdentified
from commontable.businesses.models import (
    Business,
    BusinessTrade,
    Certification,
    ContractingOpportunity,
    OpportunityTrade,
)
from commontable.core.visibility import Visibility
from commontable.investments.tests.factories import InvestmentFactory


class BusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Business
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Business {n}")
    slug = factory.Sequence(lambda n: f"business-{n}")
    bipoc_owned = SelfIdentified.YES
    visibility = Visibility.PUBLIC

    @factory.post_generation
    def codes(self, create, extracted, **kwargs):
        """`BusinessFactory(codes=["238220"])` records the business's trades."""
        for code in extracted or []:
            BusinessTrade.objects.create(business=self, code=code)


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    business = factory.SubFactory(BusinessFactory)
    program = CertificationProgram.CERT
    number = factory.Sequence(lambda n: f"C-{n:05d}")
    valid_from = dt.date(2024, 1, 1)
    valid_until = None


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractingOpportunity
        skip_postgeneration_save = True

    investment = factory.SubFactory(InvestmentFactory)
    title = factory.Sequence(lambda n: f"Opportunity {n}")
    visibility = Visibility.MEMBERS

    @factory.post_generation
    def codes(self, create, extracted, **kwargs):
        for code in extracted or []:
            OpportunityTrade.objects.create(opportunity=self, code=code)
