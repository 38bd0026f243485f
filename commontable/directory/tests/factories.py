"""Factories for the directory; other apps import these for their own tests."""

import factory
from django.utils import timezone

from commontable.core.text import fold_name, normalize_email
from commontable.core.visibility import Visibility
from commontable.directory.choices import MembershipStatus, TableRole
from commontable.directory.models import Affiliation, Organization, Person, Table, TableParticipation


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"organization-{n}")
    name_folded = factory.LazyAttribute(lambda o: fold_name(o.name))
    membership_status = MembershipStatus.MEMBER
    visibility = Visibility.MEMBERS


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    email_normalized = factory.LazyAttribute(lambda p: normalize_email(p.email))
    name_folded = factory.LazyAttribute(lambda p: fold_name(p.full_name))
    visibility = Visibility.MEMBERS


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    start_on = factory.LazyFunction(timezone.localdate)


class TableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Table

    name = factory.Sequence(lambda n: f"Table {n}")
    slug = factory.Sequence(lambda n: f"table-{n}")
    visibility = Visibility.MEMBERS


class TableParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TableParticipation

    table = factory.SubFactory(TableFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = TableRole.MEMBER
