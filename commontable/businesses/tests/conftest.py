"""Fixtures the business directory's tests share: businesses of each visibility with trades,
places and certifications (one expired), and opportunities on a members' investment."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from commontable.businesses.choices import CertificationProgram, SelfIdentified
from commontable.businesses.tests.factories import BusinessFactory, CertificationFactory, OpportunityFactory
from commontable.core.models import Place
from commontable.core.visibility import Visibility
from commontable.investments.tests.factories import InvestmentFactory

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


@pytest.fixture
def places(db):
    state = Place.objects.create(slug="minnesota", name="Minnesota", kind=Place.Kind.STATE)
    ramsey = Place.objects.create(slug="ramsey-county", name="Ramsey County", kind=Place.Kind.COUNTY, parent=state)
    saint_paul = Place.objects.create(slug="saint-paul", name="Saint Paul", kind=Place.Kind.CITY, parent=ramsey)
    hennepin = Place.objects.create(slug="hennepin-county", name="Hennepin County", kind=Place.Kind.COUNTY, parent=state)
    return SimpleNamespace(state=state, ramsey=ramsey, saint_paul=saint_paul, hennepin=hennepin)


@pytest.fixture
def world(personas, places):
    """`plumber`: public, CERT (current), 238220, serves Ramsey County, linked to org A, consents
    to notices. `electrician`: members, TGB expired + DBE current, 238210, serves Saint Paul.
    `architect`: public, 541310, no certification, Hennepin. `secret`: staff-only, 2382, CERT.
    `opportunity`: on a members' investment, asks 2382 with CERT or DBE in Saint Paul."""
    plumber = BusinessFactory(name="Aurora Plumbing Co", slug="aurora-plumbing", organization=personas.org_a,
                              email="office@aurora-plumbing.example", phone="651-555-0101", codes=["238220"],
                              notices_consent_at=timezone.now(), notices_consent_version="v1", preferred_language="so",
                              bonding_limit_cents=250_000_00)
    plumber.places_served.add(places.ramsey)
    CertificationFactory(business=plumber, program=CertificationProgram.CERT, number="CERT-1")
    electrician = BusinessFactory(name="Bright Current Electric", slug="bright-current", visibility=Visibility.MEMBERS,
                                  email="hello@bright.example", shares_contacts=True, codes=["238210"])
    electrician.places_served.add(places.saint_paul)
    CertificationFactory(business=electrician, program=CertificationProgram.TGB, valid_from=TODAY - 800 * DAY,
                         valid_until=TODAY - 10 * DAY)
    CertificationFactory(business=electrician, program=CertificationProgram.DBE)
    architect = BusinessFactory(name="Cedar Line Architects", slug="cedar-line", codes=["541310"],
                                bipoc_owned=SelfIdentified.NO)
    architect.places_served.add(places.hennepin)
    secret = BusinessFactory(name="Quiet Mechanical", slug="quiet-mechanical", visibility=Visibility.STAFF, codes=["2382"])
    CertificationFactory(business=secret)
    investment = InvestmentFactory(name="Snelling Station", slug="snelling-station", visibility=Visibility.MEMBERS)
    hidden_investment = InvestmentFactory(name="Quiet Land Deal", slug="quiet-land-deal", visibility=Visibility.STAFF)
    opportunity = OpportunityFactory(investment=investment, title="Station mechanical work", codes=["2382"],
                                     certifications_wanted=["cert", "dbe"], visibility=Visibility.MEMBERS)
    opportunity.places.add(places.saint_paul)
    public_opportunity = OpportunityFactory(investment=InvestmentFactory(name="Open Park", slug="open-park",
                                                                         visibility=Visibility.PUBLIC),
                                            title="Park design", codes=["5413"], visibility=Visibility.PUBLIC)
    hidden = OpportunityFactory(investment=hidden_investment, title="Land survey", codes=["5413"])
    return SimpleNamespace(plumber=plumber, electrician=electrician, architect=architect, secret=secret,
                           investment=investment, opportunity=opportunity, public_opportunity=public_opportunity,
                           hidden=hidden, places=places)
