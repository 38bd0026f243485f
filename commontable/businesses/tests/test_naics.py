"""NAICS codes: their shape, and the prefix rule (a business with 238220 answers an ask for 2382 or
238, not the other way round), the same in Python and in SQL."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from commontable.businesses import naics, selectors
from commontable.businesses.models import Business
from commontable.businesses.tests.factories import BusinessFactory

codes = st.text(alphabet="0123456789", min_size=2, max_size=6)


@pytest.mark.parametrize("code", ["23", "238", "2382", "23822", "238220"])
def test_codes_of_two_to_six_digits_are_accepted(code):
    assert naics.validate_code(code) == code


@pytest.mark.parametrize("code", ["2", "2382201", "23a", " 238", "２３８", "23.8", "", "-23"])
def test_other_shapes_are_refused(code):
    with pytest.raises(ValidationError):
        naics.validate_code(code)


def test_a_line_of_codes_is_split_checked_and_deduplicated():
    assert naics.parse_codes("238220, 2382;238220 541330") == ["238220", "2382", "541330"]
    with pytest.raises(ValidationError) as caught:
        naics.parse_codes("238220, 9, abc")
    assert len(caught.value.message_dict["naics_codes"]) == 2


def test_labels_come_from_the_nearest_named_code():
    assert naics.label("238220") == "Plumbing, heating, and air-conditioning contractors"
    assert naics.label("238299") == "Building equipment contractors"
    assert naics.label("99") == ""


@given(business=codes, asked=codes)
def test_a_business_code_matches_exactly_the_asks_it_starts_with(business, asked):
    assert naics.code_matches(business, asked) == (business[: len(asked)] == asked)


@given(code=codes)
def test_every_shorter_beginning_of_a_code_is_answered_by_it(code):
    assert all(naics.code_matches(code, code[:n]) for n in range(2, len(code) + 1))


@pytest.mark.django_db
@settings(max_examples=25, deadline=None)
@given(business_codes=st.lists(codes, min_size=1, max_size=3, unique=True), asked=st.lists(codes, min_size=1, max_size=3))
def test_the_sql_prefix_rule_agrees_with_the_python_one(business_codes, asked):
    Business.objects.all().delete()
    business = BusinessFactory(codes=business_codes)
    found = Business.objects.filter(selectors.trade_condition(asked)).filter(pk=business.pk).exists()
    assert found == any(naics.code_matches(b, a) for b in business_codes for a in asked)
