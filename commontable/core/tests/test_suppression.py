from hypothesis import given
from hypothesis import strategies as st

from commontable.core.suppression import COMPLEMENTARY, SMALL, suppress, suppress_total


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
