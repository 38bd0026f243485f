import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st

from commontable.strategy.choices import Status
from commontable.strategy.progress import (
    Target,
    expected_value,
    figure_status,
    objective_status,
    quarter_ends,
)

D = dt.date
GROW = Target(baseline_value=10, baseline_on=D(2023, 1, 1), target_value=30, target_on=D(2025, 1, 1))


def test_expected_value_moves_in_a_straight_line_from_baseline_to_target():
    assert expected_value(GROW, D(2022, 6, 1)) == 10
    assert expected_value(GROW, D(2024, 1, 1)) == 10 + 20 * 365 / 731
    assert expected_value(GROW, D(2026, 1, 1)) == 30


def test_ahead_of_the_line_is_on_track_and_below_it_is_behind():
    assert figure_status(GROW, 25, D(2024, 1, 1)) == Status.ON_TRACK
    assert figure_status(GROW, 15, D(2024, 1, 1)) == Status.BEHIND


def test_lower_is_better_turns_the_comparison_around():
    fall = Target(baseline_value=30, baseline_on=D(2023, 1, 1), target_value=10, target_on=D(2025, 1, 1), higher_is_better=False)
    assert figure_status(fall, 15, D(2024, 1, 1)) == Status.ON_TRACK
    assert figure_status(fall, 25, D(2024, 1, 1)) == Status.BEHIND


def test_an_exact_hit_is_on_track_despite_rounding():
    assert figure_status(GROW, 30.0000000001 - 1e-10, D(2025, 6, 1)) == Status.ON_TRACK


def test_without_a_figure_or_a_target_there_is_nothing_to_judge():
    assert figure_status(GROW, None, D(2024, 1, 1)) == Status.UNKNOWN
    assert figure_status(Target(None, None, None, None), 5, D(2024, 1, 1)) == Status.UNKNOWN


def test_without_a_baseline_a_figure_is_behind_only_once_the_target_date_passed():
    target_only = Target(baseline_value=None, baseline_on=None, target_value=20, target_on=D(2025, 1, 1))
    assert figure_status(target_only, 5, D(2024, 1, 1)) == Status.UNKNOWN
    assert figure_status(target_only, 25, D(2024, 1, 1)) == Status.ON_TRACK
    assert figure_status(target_only, 5, D(2025, 6, 1)) == Status.BEHIND


def test_a_hand_measured_figure_older_than_its_cadence_is_stale():
    assert figure_status(GROW, 25, D(2024, 6, 1), measured_on=D(2024, 1, 1), cadence_days=92) == Status.STALE
    assert figure_status(GROW, 25, D(2024, 3, 1), measured_on=D(2024, 1, 1), cadence_days=92) == Status.ON_TRACK


def test_an_objective_takes_its_most_pressing_status():
    assert objective_status([]) == Status.NO_INDICATOR
    assert objective_status([Status.ON_TRACK, Status.BEHIND]) == Status.BEHIND
    assert objective_status([Status.BEHIND, Status.STALE]) == Status.STALE
    assert objective_status([Status.UNKNOWN, Status.ON_TRACK]) == Status.ON_TRACK
    assert objective_status([Status.UNKNOWN]) == Status.UNKNOWN


def test_quarter_ends_of_a_four_year_plan():
    points = quarter_ends(D(2023, 1, 1), D(2026, 11, 30))
    assert points[:2] == [D(2023, 3, 31), D(2023, 6, 30)]
    assert points[-2:] == [D(2026, 9, 30), D(2026, 11, 30)]
    assert len(points) == 16


def test_a_quarter_end_itself_is_not_repeated():
    assert quarter_ends(D(2023, 1, 1), D(2023, 6, 30)) == [D(2023, 3, 31), D(2023, 6, 30)]
    assert quarter_ends(D(2023, 5, 1), D(2023, 5, 2)) == [D(2023, 5, 2)]


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 1, 1)), st.integers(min_value=0, max_value=3000))
def test_quarter_ends_are_increasing_and_end_on_the_last_day(start, days):
    end = start + dt.timedelta(days=days)
    points = quarter_ends(start, end)
    assert points[-1] == end
    assert all(a < b for a, b in itertools.pairwise(points))
    assert all((p + dt.timedelta(days=1)).day == 1 and (p + dt.timedelta(days=1)).month in (1, 4, 7, 10) for p in points[:-1])


@given(st.floats(min_value=-1e9, max_value=1e9), st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 1, 1)))
def test_expected_value_stays_between_baseline_and_target(value, day):
    expected = expected_value(GROW, day)
    assert 10 <= expected <= 30
    assert figure_status(GROW, value, day) in (Status.ON_TRACK, Status.BEHIND)
