"""The engagement standard's score (`seats/engagement.py`): the share of possible points over the
answered questions, none below three answers, answers only 0 to 2."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commontable.seats import engagement
from commontable.seats.engagement import FIELDS, score

answers = st.fixed_dictionaries({field: st.one_of(st.none(), st.integers(min_value=0, max_value=2))
                                 for field in FIELDS})


def test_the_standard_has_five_questions_each_with_a_label_and_help():
    assert FIELDS == ("language_access", "interpretation", "accommodations", "timing_and_place",
                      "input_changed_decision")
    assert all(str(q.label) and str(q.help) for q in engagement.STANDARD)


@pytest.mark.parametrize(("given_answers", "expected"), [
    (dict.fromkeys(FIELDS, 2), 100),
    (dict.fromkeys(FIELDS, 0), 0),
    (dict.fromkeys(FIELDS, 1), 50),
    ({"language_access": 2, "interpretation": 2, "accommodations": 1, "timing_and_place": 0,
      "input_changed_decision": 0}, 50),
    # Unknown answers are left out of the possible points: 3 of 6.
    ({"language_access": 2, "interpretation": 1, "accommodations": 0}, 50),
    # 5 of 8 is 62.5.
    ({"language_access": 2, "interpretation": 1, "accommodations": 2, "timing_and_place": 0}, 62),
    # 1 of 6 is 16.7.
    ({"language_access": 1, "interpretation": 0, "accommodations": 0, "timing_and_place": None}, 17),
    ({"language_access": 2, "interpretation": 2, "accommodations": 2, "timing_and_place": 2,
      "input_changed_decision": 1}, 90),
])
def test_the_score_is_the_share_of_possible_points_over_the_answered_questions(given_answers, expected):
    assert score(given_answers) == expected


@pytest.mark.parametrize("given_answers", [
    {},
    dict.fromkeys(FIELDS),
    {"language_access": 2},
    {"language_access": 2, "input_changed_decision": 2},
    {"language_access": 2, "input_changed_decision": 2, "not_a_question": 2},
])
def test_fewer_than_three_answers_get_no_score(given_answers):
    assert score(given_answers) is None


@pytest.mark.parametrize("bad", [-1, 3, 10])
def test_an_answer_out_of_range_is_refused(bad):
    with pytest.raises(ValueError):
        score({"language_access": bad, "interpretation": 1, "accommodations": 1})


def test_an_answer_out_of_range_is_refused_even_with_too_few_answers_to_score():
    with pytest.raises(ValueError):
        score({"language_access": 3})


@given(answers)
def test_a_score_is_none_exactly_below_three_answers_and_otherwise_within_0_to_100(given_answers):
    result = score(given_answers)
    known = [v for v in given_answers.values() if v is not None]
    if len(known) < 3:
        assert result is None
    else:
        assert 0 <= result <= 100
        assert abs(result - 100 * sum(known) / (2 * len(known))) <= 0.5


@given(answers, st.sampled_from(FIELDS))
def test_a_better_answer_always_raises_the_score(given_answers, field):
    value = given_answers[field]
    if value is None or value == 2:
        return
    better = {**given_answers, field: value + 1}
    before, after = score(given_answers), score(better)
    if before is None:
        assert after is None
    else:
        # One point more out of at most ten possible moves the share by 10 or more: never lost to rounding.
        assert after > before


@given(answers)
def test_all_answers_yes_scores_100_and_all_no_scores_0(given_answers):
    answered = [f for f, v in given_answers.items() if v is not None]
    if len(answered) < 3:
        return
    assert score(dict.fromkeys(answered, 2)) == 100
    assert score(dict.fromkeys(answered, 0)) == 0
