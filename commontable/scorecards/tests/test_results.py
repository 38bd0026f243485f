"""Results from answers: weighted theme and overall scores, "not applicable" apart, dissent, small
groups hidden with complementary suppression."""

import random

import pytest

from commontable.scorecards.results import Answer, CriterionSpec, ThemeSpec, by_group, compute

Z = (0, 1, 2, 3, 4)
THEMES = [
    ThemeSpec(1, 3, (CriterionSpec(11, 1, 1, 4, Z), CriterionSpec(12, 1, 3, 4, Z))),
    ThemeSpec(2, 1, (CriterionSpec(21, 2, 1, 2, (0, 1, 2)),)),
]


def answers(criterion, values, group="resident", start=0):
    return [Answer(start + i, group, criterion, v, v is None) for i, v in enumerate(values)]


def test_weighted_theme_and_overall_scores_by_hand():
    given = answers(11, [4, 4]) + answers(12, [0, 2]) + answers(21, [2, 1])
    result = compute(THEMES, given)
    assert result.scorers == 2
    assert result.criteria[11].score == 100 and result.criteria[12].score == 25
    # theme 1: (1·1.0 + 3·0.25) / 4 = 0.4375; theme 2: 0.75; overall (3·0.4375 + 1·0.75) / 4 = 0.515625
    assert result.themes == {1: 43.8, 2: 75.0}
    assert result.overall == pytest.approx(51.6)
    assert result.criteria[11].distribution == {0: 0, 1: 0, 2: 0, 3: 0, 4: 2}


def test_not_applicable_is_counted_apart_never_as_zero():
    result = compute(THEMES, answers(11, [4, None, None]) + answers(21, [None]))
    assert result.criteria[11].answers == 1 and result.criteria[11].not_applicable == 2
    assert result.criteria[11].score == 100
    assert result.themes[2] is None and result.overall == 100.0  # an unanswered theme does not pull the whole down


def test_answers_for_unknown_criteria_are_ignored_and_nothing_answered_gives_none():
    result = compute(THEMES, [Answer(1, "resident", 999, 4)])
    assert result.overall is None and result.scorers == 0


@pytest.mark.parametrize(("values", "expected"), [
    ([2, 2, 3, 2, 1, 2], ()),  # close together
    ([0, 0, 0, 4, 4, 4], ("spread", "camps")),  # two camps at the ends
    ([0, 0, 1, 4, 4, 3, 3, 4], ("spread", "camps")),
    ([0, 4, 4, 4, 4, 4, 4, 4, 4, 4], ()),  # one outlier is not a camp
    ([0, 4, 0, 4], ()),  # too few answers to say
    ([0, 0, 2, 2, 2, 2, 4, 4], ("spread",)),  # wide, but most in the middle: no two camps
    ([0, 1, 2, 3, 4, 0, 4, 1, 3], ("spread", "camps")),  # all over, more at the ends than between
])
def test_dissent_is_flagged_where_scorers_disagree_strongly(values, expected):
    assert compute(THEMES, answers(11, values)).criteria[11].dissent == expected


def test_small_groups_are_hidden_with_a_complementary_group():
    given = (answers(11, [4] * 12, "resident") + answers(11, [0] * 3, "staff", start=100)
             + answers(11, [2] * 6, "organization", start=200))
    groups = {g.group: g for g in by_group(THEMES, given, ["resident", "organization", "staff"])}
    assert groups["staff"].results is None and groups["staff"].scorers is None
    # With staff hidden alone, staff's figure would follow from the whole and the others: one more goes.
    assert groups["organization"].results is None
    assert groups["resident"].results.criteria[11].score == 100 and groups["resident"].scorers == 12


def test_groups_without_scorers_are_empty_not_hidden():
    groups = {g.group: g for g in by_group(THEMES, answers(11, [4] * 6), ["resident", "staff"])}
    assert groups["resident"].scorers == 6 and groups["staff"].scorers == 0 and groups["staff"].results is None


def test_scores_stay_within_0_and_100_and_weights_only_reweigh():
    rng = random.Random(5)
    for _ in range(200):
        given = []
        for s in range(rng.randint(1, 20)):
            given += [Answer(s, "resident", 11, rng.choice(Z)), Answer(s, "resident", 12, rng.choice(Z)),
                      Answer(s, "resident", 21, rng.choice((0, 1, 2, None)), rng.random() < 0.2)]
        given = [a if not a.not_applicable else Answer(a.submission_id, a.group, a.criterion_id, None, True) for a in given]
        result = compute(THEMES, given)
        for score in [result.overall, *result.themes.values()]:
            assert score is None or 0 <= score <= 100
        low = min(s for s in result.themes.values() if s is not None)
        high = max(s for s in result.themes.values() if s is not None)
        assert low - 0.1 <= result.overall <= high + 0.1  # a weighted mean lies between its parts
