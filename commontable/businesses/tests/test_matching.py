"""Which businesses match an opportunity, and why: a trade under a code asked for, a current
certification among those wanted (expired ones never count), a place served that covers the work
(a county covers its cities); only businesses the viewer may see."""


import pytest
from django.contrib.auth.models import AnonymousUser
from hypothesis import given, settings
from hypothesis import strategies as st

from commontable.businesses import selectors
from commontable.businesses.models import Business, Certification
from commontable.businesses.tests.conftest import DAY, TODAY
from commontable.businesses.tests.factories import BusinessFactory, CertificationFactory, OpportunityFactory
from commontable.core.visibility import viewer_for


def _names(matches):
    return [m.business.name for m in matches]


def test_matches_explain_the_trade_certification_and_place(personas, world):
    matches = selectors.opportunity_matches(world.opportunity, personas.user("staff"))
    assert _names(matches) == ["Aurora Plumbing Co", "Bright Current Electric"]
    plumber, electrician = matches
    assert plumber.trades == ["238220"] and [c.program for c in plumber.certifications] == ["cert"]
    assert [p.slug for p in plumber.places] == ["ramsey-county"]  # the county covers Saint Paul
    # The electrician's TGB expired; its DBE is what counts.
    assert [c.program for c in electrician.certifications] == ["dbe"]


def test_an_expired_certification_does_not_count(personas, world):
    Certification.objects.filter(business=world.electrician, program="dbe").update(valid_until=TODAY - DAY)
    assert _names(selectors.opportunity_matches(world.opportunity, personas.user("staff"))) == ["Aurora Plumbing Co"]


def test_a_certification_not_yet_valid_does_not_count(personas, world):
    Certification.objects.filter(business=world.plumber).update(valid_from=TODAY + DAY)
    assert "Aurora Plumbing Co" not in _names(selectors.opportunity_matches(world.opportunity, personas.user("staff")))


def test_a_business_with_a_broader_code_does_not_answer_a_narrower_ask(personas, world):
    narrow = OpportunityFactory(investment=world.investment, codes=["238220"])
    names = _names(selectors.opportunity_matches(narrow, personas.user("staff")))
    assert "Aurora Plumbing Co" in names and "Quiet Mechanical" not in names  # that one only says 2382


def test_without_places_or_certifications_any_business_with_the_trade_matches(personas, world):
    anywhere = OpportunityFactory(investment=world.investment, codes=["23"])
    assert _names(selectors.opportunity_matches(anywhere, personas.user("staff"))) == [
        "Aurora Plumbing Co", "Bright Current Electric", "Quiet Mechanical"]


def test_a_business_serving_another_county_does_not_match(personas, world):
    world.plumber.places_served.set([world.places.hennepin])
    assert "Aurora Plumbing Co" not in _names(selectors.opportunity_matches(world.opportunity, personas.user("staff")))


@pytest.mark.parametrize(("persona", "expected"), [
    ("anonymous", ["Aurora Plumbing Co"]),
    ("member_b", ["Aurora Plumbing Co", "Bright Current Electric"]),
])
def test_matches_show_only_businesses_the_viewer_may_see(personas, world, persona, expected):
    world.secret.places_served.add(world.places.saint_paul)
    user = personas.user(persona) or AnonymousUser()
    assert _names(selectors.opportunity_matches(world.opportunity, user)) == expected
    assert "Quiet Mechanical" in _names(selectors.opportunity_matches(world.opportunity, personas.user("staff")))


def test_matching_takes_a_fixed_number_of_queries(personas, world, django_assert_num_queries):
    for n in range(6):
        b = BusinessFactory(codes=[f"23822{n}"])
        b.places_served.add(world.places.saint_paul)
        CertificationFactory(business=b, program="dbe")
    staff = personas.user("staff")
    viewer_for(staff)  # who the user is: the directory's, computed once per request
    # Queries: the opportunity's codes, its places, their containing places (county, state, then
    # none above), the businesses, their matching trades, certifications and places.
    with django_assert_num_queries(9):
        assert len(selectors.opportunity_matches(world.opportunity, staff)) == 8


def test_indicator_counts(personas, world):
    # The station work (plumber, electrician) and both design jobs (the architect, anywhere).
    assert selectors.opportunities_matched() == 3
    assert selectors.opportunities_matched(TODAY - DAY) == 0  # none was posted yet
    assert selectors.businesses_certified() == 3
    assert selectors.businesses_certified(TODAY - 20 * DAY) == 3
    assert selectors.awarded_to_bipoc() == 0


@pytest.mark.django_db
@settings(max_examples=20, deadline=None)
@given(
    programs=st.lists(st.sampled_from(["cert", "tgb", "dbe"]), max_size=2, unique=True),
    held=st.lists(st.tuples(st.sampled_from(["cert", "tgb", "dbe"]), st.integers(-5, 5), st.integers(-5, 5)), max_size=3),
)
def test_the_certification_rule_in_sql_agrees_with_the_dates(programs, held):
    Business.objects.all().delete()
    business = BusinessFactory(codes=["238220"])
    for program, start, end in held:
        start, end = sorted((start, end))
        Certification.objects.create(business=business, program=program, valid_from=TODAY + start * DAY,
                                     valid_until=TODAY + end * DAY)
    found = Business.objects.filter(selectors.certified_condition(programs)).exists()
    assert found == any((not programs or p in programs) and s <= 0 <= e for p, s, e in
                        [(p, min(a, b), max(a, b)) for p, a, b in held])


def test_a_broad_ask_lists_the_first_matches_and_counts_them_all(personas, world):
    for n in range(4):
        BusinessFactory(name=f"Zed Builder {n}", codes=["236220"])
    broad = OpportunityFactory(investment=world.investment, codes=["23"])
    matches = selectors.opportunity_matches(broad, personas.user("staff"), limit=3)
    assert len(matches) == 3 and matches.count == 7
    assert _names(matches) == ["Aurora Plumbing Co", "Bright Current Electric", "Quiet Mechanical"]


@pytest.mark.django_db
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_the_indicator_counts_exactly_the_opportunities_the_selector_matches(data):
    """The indicator's set arithmetic and the page's SQL give the same answers."""
    from commontable.businesses.models import ContractingOpportunity
    from commontable.core.models import Place

    ContractingOpportunity.objects.all().delete()
    Business.objects.all().delete()
    state, _ = Place.objects.get_or_create(slug="mn", defaults={"name": "MN", "kind": "state"})
    county, _ = Place.objects.get_or_create(slug="county", defaults={"name": "County", "kind": "county", "parent": state})
    city, _ = Place.objects.get_or_create(slug="city", defaults={"name": "City", "kind": "city", "parent": county})
    other, _ = Place.objects.get_or_create(slug="other", defaults={"name": "Other", "kind": "county", "parent": state})
    places = [state, county, city, other]
    code = st.sampled_from(["23", "238", "2382", "238220", "238210", "541", "5413", "541330"])
    for _n in range(data.draw(st.integers(0, 4))):
        b = BusinessFactory(codes=data.draw(st.lists(code, min_size=1, max_size=2, unique=True)))
        b.places_served.set(data.draw(st.lists(st.sampled_from(places), max_size=2, unique=True)))
        for program in data.draw(st.lists(st.sampled_from(["cert", "dbe"]), max_size=2, unique=True)):
            expired = data.draw(st.booleans())
            Certification.objects.create(business=b, program=program, valid_from=TODAY - 30 * DAY,
                                         valid_until=TODAY - DAY if expired else None)
    for _n in range(data.draw(st.integers(1, 3))):
        o = OpportunityFactory(codes=data.draw(st.lists(code, min_size=1, max_size=2, unique=True)),
                               certifications_wanted=data.draw(st.lists(st.sampled_from(["cert", "dbe"]), max_size=2, unique=True)))
        o.places.set(data.draw(st.lists(st.sampled_from(places), max_size=2, unique=True)))
    expected = sum(1 for o in ContractingOpportunity.objects.all()
                   if selectors.matching_businesses(o, everyone=True).exists())
    assert selectors.opportunities_matched() == expected
