"""The weekly displacement digest: watching a place or an investment, sent once per week and set of
tracts, nothing when there is nothing to say, and only what the watcher may see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from commontable.core.models import Place
from commontable.core.testing import login_as
from commontable.core.visibility import Visibility
from commontable.displacement import notifications as digest
from commontable.displacement.tests.factories import (
    RegionFactory,
    RunFactory,
    TractFactory,
    TractResultFactory,
)
from commontable.investments.tests.factories import InvestmentFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def alerting(db):
    """One OD tract in Ramsey County with a planned public station in it (tier 1), and a
    members-only station in a second OD tract."""
    cache.clear()
    run = RunFactory(region=RegionFactory(slug="twin_cities", is_default=True), t0=2012, t1=2022, tract_count=2)
    TractFactory(geoid="27123000100", lon=-93.10, lat=44.95, half=0.01, name="Tract 1")
    TractFactory(geoid="27123000200", lon=-93.00, lat=44.95, half=0.01, name="Tract 2")
    TractResultFactory(run=run, geoid="27123000100", typology="OD")
    TractResultFactory(run=run, geoid="27123000200", typology="OD")
    public = InvestmentFactory(name="Public station", slug="public-station", visibility=Visibility.PUBLIC,
                               geometry={"type": "Point", "coordinates": [-93.10, 44.95]})
    hidden = InvestmentFactory(name="Members station", slug="members-station", visibility=Visibility.MEMBERS,
                               geometry={"type": "Point", "coordinates": [-93.00, 44.95]})
    county = Place.objects.create(slug="ramsey-county", name="Ramsey County", kind=Place.Kind.COUNTY, code="27123")
    return run, public, hidden, county


def _watch(client, personas, who, url):
    login_as(client, personas, who)
    response = client.post(url, {"watch": "1", "next": "/displacement/"})
    assert response.status_code == 302
    return response


def test_watching_a_place_sends_one_digest_per_week(client, personas, alerting):
    _run, _public, _hidden, county = alerting
    _watch(client, personas, "member_a", reverse("displacement:watch_place", args=[county.slug]))
    assert digest.send_digests(NOW) == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Tract 1" in body and "Public station" in body
    assert "Members station" in body  # member_a may see members-only investments
    # Run again the same day, and later the same week: nothing more.
    assert digest.send_digests(NOW) == 0
    cache.clear()
    assert digest.send_digests(NOW + dt.timedelta(days=2)) == 0
    assert len(mail.outbox) == 1


def test_anonymous_view_decides_for_an_address_without_an_account(alerting):
    _run, _public, _hidden, county = alerting
    from commontable.core import notifications

    notifications.subscribe(email="neighbour@example.org", language="es", topic=digest.PLACE_TOPIC, object_id=county.pk)
    assert digest.send_digests(NOW) == 1
    body = mail.outbox[0].body
    assert "Public station" in body and "Members station" not in body


def test_nothing_to_say_sends_nothing_and_stopping_stops(client, personas, alerting):
    _run, public, _hidden, _county = alerting
    elsewhere = Place.objects.create(slug="scott-county", name="Scott County", kind=Place.Kind.COUNTY, code="27139")
    _watch(client, personas, "member_a", reverse("displacement:watch_place", args=[elsewhere.slug]))
    assert digest.send_digests(NOW) == 0
    _watch(client, personas, "member_a", reverse("displacement:watch_investment", args=[public.slug]))
    client.post(reverse("displacement:watch_investment", args=[public.slug]), {"watch": "0"})
    cache.clear()
    assert digest.send_digests(NOW) == 0
    assert mail.outbox == []


def test_watching_an_investment_one_cannot_see_is_404_and_watching_needs_sign_in(client, personas, alerting):
    _run, _public, hidden, county = alerting
    response = client.post(reverse("displacement:watch_place", args=[county.slug]), {"watch": "1"})
    assert response.status_code == 302 and "login" in response["Location"]
    login_as(client, personas, "public_user")
    assert client.post(reverse("displacement:watch_investment", args=[hidden.slug]), {"watch": "1"}).status_code == 404
    assert client.get(reverse("displacement:watch_place", args=[county.slug])).status_code == 405


def test_tract_page_offers_the_county_and_nearby_investments_to_watch(client, personas, alerting):
    login_as(client, personas, "member_a")
    response = client.get(reverse("displacement:tract_detail", args=["27123000100"]))
    html = response.content.decode()
    assert "Get alerts for Ramsey County" in html and "Get alerts for Public station" in html
    client.post(reverse("displacement:watch_place", args=["ramsey-county"]), {"watch": "1"})
    html = client.get(reverse("displacement:tract_detail", args=["27123000100"])).content.decode()
    assert "Stop alerts for Ramsey County" in html
