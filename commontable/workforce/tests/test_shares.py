"""Shares of hours: always within 0–100%, one decimal, exact sums (the whole's share is computed
from the sums of its parts, never averaged), and no share of nothing."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from commontable.workforce.shares import Totals, meets_goal, share_percent

hundredths = st.integers(min_value=0, max_value=10**9)


@st.composite
def totals(draw):
    total = draw(hundredths)
    part = st.integers(min_value=0, max_value=total)
    return Totals(total=total, bipoc=draw(part), women=draw(part), apprentice=draw(part),
                  unknown_race=draw(st.none() | part))


@given(st.lists(totals(), min_size=1, max_size=20))
def test_shares_are_between_0_and_100_and_the_whole_is_the_sum_of_its_parts(parts):
    whole = sum(parts, Totals())
    assert whole.total == sum(p.total for p in parts)
    assert whole.bipoc == sum(p.bipoc for p in parts)
    for measure in ("bipoc", "women", "apprentice"):
        value = whole.share(measure)
        if whole.total == 0:
            assert value is None
        else:
            assert Decimal(0) <= value <= Decimal(100)
            assert value == value.quantize(Decimal("0.1"))
            exact = Decimal(100) * getattr(whole, measure) / whole.total
            assert abs(value - exact) <= Decimal("0.05")


@given(totals(), totals())
def test_adding_is_order_free(a, b):
    assert a + b == b + a


def test_no_hours_is_no_share_not_zero():
    assert share_percent(0, 0) is None
    assert Totals().share("bipoc") is None
    assert share_percent(0, 100) == Decimal("0.0")


def test_rounding_is_half_up():
    assert share_percent(1, 8) == Decimal("12.5")
    assert share_percent(1, 3) == Decimal("33.3")
    assert share_percent(2, 3) == Decimal("66.7")
    assert share_percent(1, 1600) == Decimal("0.1")  # 0.0625 → 0.1


def test_meeting_a_goal():
    assert meets_goal(Decimal("32.0"), Decimal("32.0")) is True
    assert meets_goal(Decimal("31.9"), Decimal("32.0")) is False
    assert meets_goal(None, Decimal("32")) is None
    assert meets_goal(Decimal("10"), None) is None


def test_optional_groups_stay_unknown_until_reported():
    a = Totals(total=10, local=None)
    b = Totals(total=10, local=5)
    assert (a + a).local is None
    assert (a + b).local == 5
