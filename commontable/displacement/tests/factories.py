"""Factories of the displacement watch, shared by its tests and importable by other apps'.

Tracts are small squares (WGS84) around a centre, so that a point inside or outside one is easy
to write in a test: `TractFactory(lon=-93.1, lat=44.95, half=0.005)`.
"""

from __future__ import annotations

import datetime as dt
import json

import factory

from commontable.core.models import Place
from commontable.displacement.choices import PolicyStatus, Profile, ReportKind, RunStatus
from commontable.displacement.models import (
    CommunityReport,
    Policy,
    PolicyType,
    Region,
    Run,
    SurveyValues,
    Tract,
    TractResult,
)


def square(lon: float, lat: float, half: float) -> str:
    """A square polygon as GeoJSON text, counter-clockwise, closed."""
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half],
            [lon - half, lat + half], [lon - half, lat - half]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


class JurisdictionFactory(factory.django.DjangoModelFactory):
    """A `core.Place` that can hold policies: a city unless told otherwise."""

    class Meta:
        model = Place
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"City {n}")
    slug = factory.Sequence(lambda n: f"city-{n}")
    kind = Place.Kind.CITY


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"region-{n}")
    name = factory.Sequence(lambda n: f"Region {n}")
    county_fips = factory.LazyFunction(lambda: ["27053", "27123"])
    is_default = False


class TractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tract

    class Params:
        lon = -93.1
        lat = 44.95
        half = 0.005

    geoid = factory.Sequence(lambda n: f"27123{n:06d}")
    geography_year = 2020
    name = factory.LazyAttribute(lambda o: f"Tract {o.geoid[-6:]}")
    county_fips = factory.LazyAttribute(lambda o: o.geoid[:5])
    aland_m2 = 1_000_000
    geometry = factory.LazyAttribute(lambda o: square(o.lon, o.lat, o.half))
    centroid_lon = factory.LazyAttribute(lambda o: o.lon)
    centroid_lat = factory.LazyAttribute(lambda o: o.lat)
    synthetic = False


class SurveyValuesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyValues

    year = 2022
    geography_year = 2020
    geoid = factory.Sequence(lambda n: f"27123{n:06d}")
    values = factory.LazyFunction(lambda: {"B01003_001E": [3200, 410, None], "B19013_001E": [61000, 8200, None]})
    synthetic = False


class RunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Run

    region = factory.SubFactory(RegionFactory)
    profile = Profile.TWIN_CITIES
    t0 = 2017
    t1 = 2022
    status = RunStatus.DONE
    tract_count = 0


class TractResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TractResult

    run = factory.SubFactory(RunFactory)
    geoid = factory.Sequence(lambda n: f"27123{n:06d}")
    typology = "LISD"
    reason = "low income, not gentrifying"
    stability = 0.9
    risk_score = 0.4
    risk_class = "moderate"


class CommunityReportFactory(factory.django.DjangoModelFactory):
    """A report counted on the public map (consent given, not withdrawn) in the tract given."""

    class Meta:
        model = CommunityReport

    kind = ReportKind.EVICTION_NOTICE
    description = ""
    occurred_on = dt.date(2026, 10, 1)
    lon = -93.1
    lat = 44.95
    geoid = "27123000100"
    consent_aggregate = True
    consent_contact = False
    language = "en"
    reporter = None


class PolicyTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyType
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"policy-type-{n}")
    name = factory.Sequence(lambda n: f"Policy type {n}")
    description = ""
    position = 500


class PolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Policy

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    policy_type = factory.SubFactory(PolicyTypeFactory)
    status = PolicyStatus.ADOPTED
    status_date = dt.date(2024, 5, 1)
    source_url = "https://example.org/ordinance-1"
    source_note = ""
