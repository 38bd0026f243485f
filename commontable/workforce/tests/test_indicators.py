"""What the plan reads: BIPOC, women and apprentice shares of hours across investments (a series
in one query) and the investments meeting their BIPOC goal."""

import datetime as dt

from commontable.core.indicators import get as get_indicator
from commontable.workforce.indicators import INDICATORS


def test_the_indicators_are_registered():
    keys = {indicator.key for indicator in INDICATORS}
    assert keys == {"workforce.bipoc_share", "workforce.women_share", "workforce.apprentice_share",
                    "workforce.investments_meeting_bipoc_goal"}
    assert get_indicator("workforce.bipoc_share").app_label == "workforce"


def test_bipoc_share_is_a_series_of_hours_to_each_date(world, django_assert_num_queries):
    indicator = get_indicator("workforce.bipoc_share")
    dates = [dt.date(2024, 12, 31), dt.date(2025, 1, 31), dt.date(2025, 3, 31), dt.date(2025, 12, 31)]
    with django_assert_num_queries(1):
        readings = indicator.compute(dates, "")
    # Nothing before 2025; January 240/800; to March (240 + 240 + 80 + the hidden investment's
    # 10) / (2400 + 100); all: 1280 + 10 of 4800 + 100.
    assert [r.value for r in readings] == [None, 30.0, 22.8, round(100 * 1290 / 4900, 1)]


def test_women_and_apprentice_shares(world):
    day = [dt.date(2025, 12, 31)]
    assert get_indicator("workforce.women_share").compute(day, "")[0].value == round(100 * (12 * 90 + 80) / 4900, 1)
    assert get_indicator("workforce.apprentice_share").compute(day, "")[0].value == round(100 * (12 * 50 + 60) / 4900, 1)


def test_investments_meeting_their_bipoc_goal(world):
    (reading,) = get_indicator("workforce.investments_meeting_bipoc_goal").compute([dt.date.today()], "")
    # Snelling Station 26.7% against 32% (not met); Hidden Yard 10% against 25% (not met).
    assert (reading.value, reading.n) == (0.0, 2)
