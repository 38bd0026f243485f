"""Sparklines: well-formed, accessible SVG whatever the numbers, text alternatives in the reader's
language, nothing a label can break out of."""

from __future__ import annotations

import datetime as dt
import math
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from commontable.core.charts import PAD, format_value, sparkline_svg

SVG = "{http://www.w3.org/2000/svg}"
JAN = dt.date(2024, 1, 15)


def days(*values, start=JAN, step=30):
    return [(start + dt.timedelta(days=step * i), value) for i, value in enumerate(values)]


def parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 - our own output, parsed to check it is well-formed


def polylines(root) -> list[list[tuple[float, float]]]:
    return [
        [tuple(float(n) for n in pair.split(",")) for pair in line.get("points").split()]
        for line in root.iter(f"{SVG}polyline")
    ]


def coordinates(root) -> list[tuple[float, float]]:
    """Every x, y the SVG draws at."""
    out = [point for line in polylines(root) for point in line]
    for circle in root.iter(f"{SVG}circle"):
        out.append((float(circle.get("cx")), float(circle.get("cy"))))
    for line in root.iter(f"{SVG}line"):
        out += [
            (float(line.get("x1")), float(line.get("y1"))),
            (float(line.get("x2")), float(line.get("y2"))),
        ]
    return out


def test_a_series_is_an_accessible_image_with_a_text_alternative():
    root = parse(sparkline_svg(days(12, 15, 30), label="Households housed", target=40))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("focusable") == "false"
    assert root.get("viewBox") == "0 0 120 32"
    expected = "Households housed: from 12 on Jan. 15, 2024 to 30 on March 15, 2024; target 40"
    assert root.get("aria-label") == expected
    assert root.find(f"{SVG}title").text == expected
    assert len(polylines(root)) == 1 and len(polylines(root)[0]) == 3
    assert root.find(f"{SVG}circle[@class='sparkline-last']") is not None


def test_no_inline_styles_and_no_long_floats():
    svg = str(sparkline_svg(days(1 / 3, 2 / 3, math.pi, -math.e), label="x", target=0.1 + 0.2))
    assert "style=" not in svg
    drawing = re.sub(r'aria-label="[^"]*"|<title>.*?</title>', "", svg)
    assert re.findall(r"\d\.\d+", drawing)  # there are fractions…
    assert not re.search(r"\d\.\d{2,}", drawing)  # …with one decimal at most


def test_label_cannot_break_out_of_the_attribute_or_the_title():
    label = '"><script>alert(1)</script><title x="'
    svg = str(sparkline_svg(days(1, 2), label=label))
    assert "<script" not in svg
    root = parse(svg)
    assert root.get("aria-label").startswith(label)
    assert root.find(f"{SVG}title").text.startswith(label)
    assert [child.tag for child in root].count(f"{SVG}title") == 1


def test_a_gap_breaks_the_line():
    root = parse(sparkline_svg(days(1, 2, None, 4, 5, None, None, 8, 9), label="x"))
    assert [len(line) for line in polylines(root)] == [2, 2, 2]


def test_a_lone_value_between_gaps_gets_a_dot_and_the_last_value_the_big_one():
    root = parse(sparkline_svg(days(1, None, 3, None, 5, 6), label="x"))
    assert [len(line) for line in polylines(root)] == [2]
    classes = [circle.get("class") for circle in root.iter(f"{SVG}circle")]
    assert classes == ["sparkline-point", "sparkline-point", "sparkline-last"]


def test_a_lone_latest_value_is_drawn_once():
    root = parse(sparkline_svg(days(1, 2, None, 4, None), label="x"))
    classes = [circle.get("class") for circle in root.iter(f"{SVG}circle")]
    assert classes == ["sparkline-last"]
    last = root.find(f"{SVG}circle[@class='sparkline-last']")
    assert float(last.get("cx")) < 120 - PAD  # the trailing gap keeps its place on the time axis


def test_points_are_put_in_date_order_and_spaced_by_time():
    points = [(dt.date(2024, 12, 1), 3.0), (dt.date(2024, 1, 1), 1.0), (dt.date(2024, 2, 1), 2.0)]
    (line,) = polylines(parse(sparkline_svg(points, label="x")))
    xs = [x for x, _y in line]
    assert xs == sorted(xs)
    assert xs[1] - xs[0] < (xs[2] - xs[1]) / 5  # one month, then ten


def test_a_constant_series_is_a_flat_line_in_the_middle():
    (line,) = polylines(parse(sparkline_svg(days(7, 7, 7), label="x")))
    assert {y for _x, y in line} == {16.0}


def test_negative_values_rise_and_fall_the_right_way():
    (line,) = polylines(parse(sparkline_svg(days(-5, 0, -10), label="x")))
    (_x0, y0), (_x1, y1), (_x2, y2) = line
    assert y1 < y0 < y2  # SVG's y grows downwards: 0 is highest, -10 lowest
    assert y1 == PAD and y2 == 32 - PAD


def test_target_line_is_dashed_and_inside_the_range():
    root = parse(sparkline_svg(days(1, 2), label="x", target=10))
    (target,) = root.iter(f"{SVG}line")
    assert target.get("class") == "sparkline-target"
    assert target.get("stroke-dasharray")
    assert float(target.get("y1")) == PAD  # the highest value drawn
    assert root.get("aria-label").endswith("; target 10")


def test_no_target_no_target_line():
    root = parse(sparkline_svg(days(1, 2), label="x"))
    assert list(root.iter(f"{SVG}line")) == []
    assert "target" not in root.get("aria-label")


def test_no_data_yet():
    root = parse(sparkline_svg([], label="Jobs"))
    assert root.get("aria-label") == "Jobs: no data yet"
    assert coordinates(root) == []
    root = parse(sparkline_svg(days(None, float("nan"), float("inf")), label="Jobs", target=5))
    assert root.get("aria-label") == "Jobs: no data yet; target 5"
    assert len(list(root.iter(f"{SVG}line"))) == 1


def test_one_value_is_a_dot_at_the_right():
    root = parse(sparkline_svg(days(42.5), label="Jobs"))
    assert root.get("aria-label") == "Jobs: 42.5 on Jan. 15, 2024"
    (dot,) = root.iter(f"{SVG}circle")
    assert (float(dot.get("cx")), float(dot.get("cy"))) == (120 - PAD, 16)


def test_values_in_the_text_are_compact_and_the_caller_may_format_them():
    root = parse(sparkline_svg(days(0.1 + 0.2, 1234.5678), label="x"))
    assert "from 0.3 on" in root.get("aria-label") and "to 1234.57 on" in root.get("aria-label")
    root = parse(sparkline_svg(days(0.25, 0.5), label="x", value_format=lambda v: f"{v:.0%}"))
    assert "from 25% on" in root.get("aria-label") and "to 50% on" in root.get("aria-label")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (-0.0, "0"),
        (3, "3"),
        (2.5, "2.5"),
        (1 / 3, "0.33"),
        (0.000123, "0.00012"),
        (-1234.567, "-1234.57"),
        (1e20, "1e+20"),
    ],
)
def test_format_value(value, text):
    assert format_value(value) == text


def test_the_summary_follows_the_active_language():
    with translation.override("es"):
        root = parse(sparkline_svg(days(1.5, 2), label="Empleos", target=2.5))
    label = root.get("aria-label")
    assert "15 de enero de 2024" in label and "14 de febrero de 2024" in label
    assert "1,5" in label and "2,5" in label  # Spanish decimal comma
    with translation.override("en"):
        assert "Jan. 15, 2024" in parse(sparkline_svg(days(1.5, 2), label="Jobs")).get("aria-label")


def test_characters_xml_forbids_are_dropped_from_the_label():
    root = parse(sparkline_svg(days(1), label="Jobs\x00\x1b\ud800 here"))
    assert root.get("aria-label").startswith("Jobs here:")


def test_too_small_is_refused():
    with pytest.raises(ValueError):
        sparkline_svg(days(1, 2), label="x", width=4)


values = st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False))
series = st.lists(
    st.tuples(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)), values), max_size=30
)


@settings(max_examples=200, deadline=None)
@given(
    points=series,
    target=values,
    width=st.integers(min_value=8, max_value=400),
    height=st.integers(min_value=8, max_value=200),
    label=st.text(max_size=40),
)
def test_any_numbers_give_well_formed_svg_inside_its_viewbox(points, target, width, height, label):
    root = parse(sparkline_svg(points, label=label, target=target, width=width, height=height))
    assert root.get("viewBox") == f"0 0 {width} {height}"
    for x, y in coordinates(root):
        assert 0 <= x <= width and 0 <= y <= height
    known = [value for _day, value in points if value is not None]
    assert (root.find(f"{SVG}circle[@class='sparkline-last']") is not None) == bool(known)
    assert (root.find(f"{SVG}line") is not None) == (target is not None)
