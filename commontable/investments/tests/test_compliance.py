import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from commontable.investments.choices import ESCALATION_NEXT, Compliance, Escalation, Stage, stage_may_follow
from commontable.investments.compliance import commitment_status

D = dt.date
BASE = {"target": Decimal(100), "starts_on": D(2024, 1, 1), "deadline": D(2026, 1, 1)}


def status(value, on, today, direction="at_least"):
    return commitment_status(direction=direction, latest_value=None if value is None else Decimal(value), latest_on=on, today=today, **BASE)


def test_no_report_is_no_data():
    assert status(None, None, D(2027, 1, 1)) == Compliance.NO_DATA


def test_reaching_the_target_is_met_even_after_the_deadline():
    assert status(100, D(2025, 1, 1), D(2025, 2, 1)) == Compliance.MET
    assert status(120, D(2026, 3, 1), D(2026, 3, 1)) == Compliance.MET


def test_short_of_the_target_after_the_deadline_is_missed():
    assert status(80, D(2025, 12, 1), D(2026, 1, 2)) == Compliance.MISSED


def test_on_the_straight_line_or_near_it_is_on_track_and_below_is_at_risk():
    halfway = D(2025, 1, 1)  # 366 of 731 days: the line is at about 50
    assert status(46, halfway, halfway) == Compliance.ON_TRACK  # within 90 %
    assert status(40, halfway, halfway) == Compliance.AT_RISK


def test_a_silence_of_more_than_180_days_is_at_risk():
    assert status(60, D(2024, 6, 1), D(2025, 1, 15)) == Compliance.AT_RISK


def test_an_at_most_target_is_met_when_within_it_at_the_deadline():
    assert status(90, D(2025, 6, 1), D(2025, 7, 1), "at_most") == Compliance.ON_TRACK
    assert status(110, D(2025, 6, 1), D(2025, 7, 1), "at_most") == Compliance.AT_RISK
    assert status(90, D(2025, 12, 1), D(2026, 2, 1), "at_most") == Compliance.MET
    assert status(110, D(2025, 12, 1), D(2026, 2, 1), "at_most") == Compliance.MISSED


@given(st.decimals(min_value=0, max_value=10**6, places=2), st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 1, 1)))
def test_every_report_gets_exactly_one_of_the_stated_statuses(value, day):
    result = status(value, day, max(day, D(2024, 1, 1)))
    assert result in (Compliance.MET, Compliance.ON_TRACK, Compliance.AT_RISK, Compliance.MISSED)
    if value >= 100:
        assert result == Compliance.MET


def test_stages_move_forward_skip_steps_and_can_be_cancelled_and_revived():
    assert stage_may_follow(Stage.PROPOSED, Stage.FUNDED)
    assert not stage_may_follow(Stage.CONSTRUCTION, Stage.PLANNING)
    assert stage_may_follow(Stage.DESIGN, Stage.CANCELLED)
    assert not stage_may_follow(Stage.COMPLETE, Stage.CANCELLED)
    assert stage_may_follow(Stage.CANCELLED, Stage.PLANNING)
    assert not stage_may_follow(Stage.CANCELLED, Stage.CONSTRUCTION)
    assert not stage_may_follow(Stage.FUNDED, Stage.FUNDED)


def test_the_escalation_path_has_no_shortcuts_upward():
    assert ESCALATION_NEXT[Escalation.NONE] == {Escalation.FLAGGED}
    assert Escalation.PUBLIC not in ESCALATION_NEXT[Escalation.FLAGGED]
    assert all(Escalation.RESOLVED in nxt for step, nxt in ESCALATION_NEXT.items() if step not in (Escalation.NONE, Escalation.RESOLVED))
