"""The demo directory: twenty-five invented businesses, an expired certification, four
opportunities on the demo investments (one awarded to a BIPOC-owned business), and a second run
adds nothing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from commontable.businesses import selectors
from commontable.businesses.models import Business, Certification, ContractingOpportunity
from commontable.core.models import Place
from commontable.directory import demo_data


def load(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_places(db):
    by_slug = {}
    for slug, name, kind, parent, code in demo_data.PLACES:
        by_slug[slug] = Place.objects.create(slug=slug, name=name, kind=kind, parent=by_slug.get(parent), code=code)


def test_the_demo_directory_loads_once_with_matches_and_an_expired_certification(personas, demo_places):
    load("investments_demo_load", "--allow-without-debug")
    out = load("businesses_demo_load", "--allow-without-debug")
    assert "Added 25 businesses" in out and "4 contracting opportunities" in out
    assert Certification.objects.filter(valid_until__lt=selectors.timezone.localdate()).exists()
    assert selectors.opportunities_matched() >= 3
    assert selectors.awarded_to_bipoc() == 1
    staff = personas.user("staff")
    for opportunity in ContractingOpportunity.objects.all():
        assert selectors.opportunity_matches(opportunity, staff), opportunity.title
    assert "Added 0 businesses" in load("businesses_demo_load", "--allow-without-debug")
    assert Business.objects.count() == 25 and ContractingOpportunity.objects.count() == 4


def test_the_demo_without_investments_says_to_load_them_first(personas, demo_places):
    out = load("businesses_demo_load", "--allow-without-debug")
    assert "run investments_demo_load first" in out


def test_the_demo_refuses_to_load_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        load("businesses_demo_load")
