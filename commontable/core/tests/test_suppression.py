import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commontable.core.suppression import (
    COMPLEMENTARY,
    DISCLOSIVE,
    SMALL,
    discloses,
    nested_disclosures,
    suppress,
    suppress_total,
)


def test_small_cells_are_hidden_and_large_ones_shown():
    result = suppress({"a": 3, "b": 10, "c": 20})
    assert result["a"].suppressed and result["a"].reason == SMALL
    assert result["c"].value == 20


def test_a_lone_hidden_cell_gets_a_complementary_partner():
    result = suppress({"a": 3, "b": 10, "c": 20})
    assert result["b"].suppressed and result["b"].reason == COMPLEMENTARY
    assert not result["c"].suppressed


def test_zero_is_not_small():
    result = suppress({"a": 0, "b": 10})
    assert not result["a"].suppressed


def test_total_under_k_is_hidden():
    assert suppress_total(4).suppressed
    assert not suppress_total(5).suppressed


@given(st.dictionaries(st.tuples(st.integers(0, 3), st.integers(0, 3)), st.integers(0, 30), min_size=1))
def test_no_row_or_column_has_exactly_one_hidden_cell(cells):
    result = suppress(cells, dims=2)
    for axis in (0, 1):
        lines = {}
        for key in cells:
            lines.setdefault(key[axis], []).append(key)
        for keys in lines.values():
            hidden = [k for k in keys if result[k].suppressed]
            assert len(hidden) != 1 or len(keys) == 1
    for key, value in cells.items():
        if 0 < value < 5:
            assert result[key].suppressed


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 50), min_size=1))
def test_one_dimension_never_leaves_a_single_hidden_cell(cells):
    result = suppress(cells)
    hidden = [k for k in cells if result[k].suppressed]
    assert len(hidden) != 1 or len(cells) == 1


@pytest.mark.parametrize(("flagged", "rest", "expected"), [
    (0, 0, False), (0, 3, True), (0, 5, False), (3, 10, True), (5, 5, False),
    (6, 4, True), (6, 0, True),  # "all six have it" says it of each of them
    (12, 30, False),
])
def test_a_figure_discloses_when_a_side_is_small_or_the_whole_group_has_the_attribute(flagged, rest, expected):
    assert discloses(flagged, rest, 5) is expected


def test_cells_named_to_hide_are_hidden_with_a_partner():
    result = suppress({("a", "x"): 9, ("a", "y"): 0, ("b", "x"): 8, ("b", "y"): 7}, dims=2, hide=[("a", "x")])
    assert result[("a", "x")] == result[("a", "x")].__class__(None, True, DISCLOSIVE)
    assert result[("b", "x")].suppressed  # else the column's total gives ("a", "x") away
    with pytest.raises(KeyError):
        suppress({"a": 9}, hide=["b"])


def test_a_group_inside_a_larger_one_is_hidden_when_the_difference_would_disclose():
    """Eleven leaders, six of them flagged; five of them, all flagged, are a group of their own:
    the total less that group leaves one flagged person of six."""
    total = frozenset(range(11))
    flagged = frozenset(range(6))
    groups = {"total": total, "climate": frozenset(range(5)), "rest": frozenset(range(5, 11))}
    # Either group less the total gives away the other: both are hidden, the total stays.
    assert nested_disclosures(groups, flagged, 5) == {"climate", "rest"}
    assert nested_disclosures({"total": total, "climate": frozenset(range(5))},
                              frozenset([0, 1, 2, 5, 6, 7]), 5) == {"climate"}  # leaves 3 of 6
    # Ten flagged of twenty inside: the rest are five flagged and five not, safe.
    assert nested_disclosures({"total": frozenset(range(30)), "part": frozenset(range(20))},
                              frozenset([*range(10), *range(20, 25)]), 5) == set()


def test_groups_that_share_nobody_are_subtracted_together():
    """Three places split the total; each alone is safe to publish beside the total, but all three
    less the total leave two flagged people of three."""
    places = {"a": frozenset(range(0, 10)), "b": frozenset(range(10, 20)), "c": frozenset(range(20, 30))}
    flagged = frozenset([*range(0, 5), *range(10, 15), *range(20, 25), 30, 31])
    groups = {**places, "total": frozenset(range(33))}
    hidden = nested_disclosures(groups, flagged, 5)
    assert hidden and "total" not in hidden
    shown = [key for key in places if key not in hidden]
    left = set(groups["total"]).difference(*(places[key] for key in shown))
    assert not discloses(len(left & flagged), len(left - flagged), 5)


people = st.integers(0, 24)


def safe_alone(groups: dict, flagged, k) -> dict:
    """The groups a caller would publish before subtraction is considered."""
    return {key: group for key, group in groups.items() if not discloses(len(group & flagged), len(group - flagged), k)}


@given(st.lists(st.frozensets(people, max_size=14), min_size=1, max_size=6), st.frozensets(people), st.integers(1, 5))
def test_no_nested_difference_of_published_groups_discloses(family, flagged, k):
    groups = {f"g{i}": group for i, group in enumerate(family)}
    groups["total"] = frozenset().union(*family)
    groups = safe_alone(groups, flagged, k)
    shown = {key: group for key, group in groups.items() if key not in nested_disclosures(groups, flagged, k)}
    for outer, inner in itertools.permutations(shown.values(), 2):
        if inner < outer:
            left = outer - inner
            assert not discloses(len(left & flagged), len(left - flagged), k)


@given(st.lists(st.integers(0, 3), min_size=1, max_size=30), st.frozensets(st.integers(0, 29)), st.integers(1, 5))
def test_no_sum_of_published_groups_that_share_nobody_leaves_a_disclosing_rest(part_of, flagged, k):
    """Parts that split (most of) a total, like places: whatever published parts are subtracted
    from the total, the people left over are not disclosed."""
    parts: dict = {}
    for person, part in enumerate(part_of):
        if part:  # part 0: people in the total only
            parts.setdefault(f"p{part}", set()).add(person)
    groups = {key: frozenset(group) for key, group in parts.items()}
    groups["total"] = frozenset(range(len(part_of)))
    groups = safe_alone(groups, flagged, k)
    if "total" not in groups:
        return
    hidden = nested_disclosures(groups, flagged, k)
    shown = [key for key in groups if key != "total" and key not in hidden]
    assert "total" not in hidden
    for n in range(1, len(shown) + 1):
        for chosen in itertools.combinations(shown, n):
            left = set(groups["total"]).difference(*(groups[key] for key in chosen))
            assert not discloses(len(left & flagged), len(left - flagged), k)
