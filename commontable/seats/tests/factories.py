"""Factories for seats at decision tables, importable by other apps' tests. Terms are recorded
through the service (so their occupancy figures are right); the rest are plain rows."""

from __future__ import annotations

import datetime as dt

import factory

from commontable.core.models import Place
from commontable.core.visibility import Visibility
from commontable.directory.tests.factories import PersonFactory
from commontable.seats import services
from commontable.seats.choices import BodyKind, ProcessKind, SeatType
from commontable.seats.models import EngagementProcess, Leader, Nomination, PublicBody, Seat, Term


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"city-{n}")
    name = factory.Sequence(lambda n: f"City {n}")
    kind = Place.Kind.CITY


class PublicBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicBody
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Planning Commission {n}")
    slug = factory.Sequence(lambda n: f"planning-commission-{n}")
    jurisdiction = factory.SubFactory(PlaceFactory)
    kind = BodyKind.COMMISSION
    appointing_authority = "The mayor"
    visibility = Visibility.PUBLIC

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    body = factory.SubFactory(PublicBodyFactory)
    name = factory.Sequence(lambda n: f"Seat {n}")
    seat_type = SeatType.APPOINTED
    term_length_months = 36
    holdover_allowed = True


class TermFactory(factory.django.DjangoModelFactory):
    """A term recorded through `services.term_record`, so it is checked and its seat's figures kept."""

    class Meta:
        model = Term

    seat = factory.SubFactory(SeatFactory)
    holder_name = factory.Sequence(lambda n: f"Holder {n}")
    starts_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=365))
    ends_on = factory.LazyAttribute(lambda t: t.starts_on + dt.timedelta(days=3 * 365))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.term_record(actor=None, **kwargs)


class LeaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leader

    person = factory.SubFactory(PersonFactory)
    interested_since = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=400))


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    seat = factory.SubFactory(SeatFactory)
    leader = factory.SubFactory(LeaderFactory)
    nominated_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=30))


class EngagementProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EngagementProcess

    title = factory.Sequence(lambda n: f"Corridor plan hearing {n}")
    agency = "Metropolitan Council"
    kind = ProcessKind.HEARING
    held_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=10))
    visibility = Visibility.MEMBERS
