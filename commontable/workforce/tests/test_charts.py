"""The goal-against-actual chart (core.charts.goal_actual_svg) as the workforce page uses it: its
numbers appear, it carries a title and a description, has no script, escapes labels, and renders
in the PDF renderer."""

import re
import xml.etree.ElementTree as ET

import pytest

from commontable.core.charts import goal_actual_svg

BARS = [("Jan 2025", 30.0, 32.0), ("Feb 2025", 34.5, 32.0), ("Mar 2025", None, 32.0), ("Apr 2025", 10.0, None)]


def _svg(bars=BARS, **kwargs):
    return str(goal_actual_svg(bars, title="BIPOC worker hours", description="Share by month", id_prefix="c", **kwargs))


def test_the_numbers_and_labels_appear_and_it_is_well_formed():
    svg = _svg()
    root = ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it is well-formed
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c-title c-desc"
    assert "<title id=\"c-title\">BIPOC worker hours</title>" in svg
    assert "<desc id=\"c-desc\">Share by month</desc>" in svg
    for text in ("30", "34.5", "10", "Jan 2025", "Apr 2025"):
        assert f">{text}<" in svg
    assert svg.count('class="goal-chart-goal"') == 3
    assert svg.count('class="goal-chart-bar') == 3
    assert svg.count("goal-chart-below") == 1  # January is below its goal; April has none


def test_no_script_no_inline_style_and_labels_are_escaped():
    svg = _svg([("<script>alert(1)</script>", 5.0, 6.0)])
    assert "<script" not in svg and "style=" not in svg and "on" + "load" not in svg
    assert "&lt;script&gt;" in svg
    ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it is well-formed


def test_an_empty_series_is_still_a_labelled_chart():
    root = ET.fromstring(_svg([]))  # noqa: S314 - our own output, parsed to check it is well-formed
    assert root.find("{http://www.w3.org/2000/svg}title").text == "BIPOC worker hours"


def test_bars_stay_inside_the_plot():
    svg = _svg([("x", 250.0, 32.0), ("y", -5.0, None)], maximum=100)
    ys = [float(y) for y in re.findall(r'<rect[^>]* y="([-\d.]+)"', svg)]
    assert all(0 <= y <= 240 for y in ys)


def test_tiny_charts_are_refused():
    with pytest.raises(ValueError):
        goal_actual_svg([], title="t", description="d", id_prefix="c", width=50)


def test_it_renders_in_the_pdf_renderer():
    from commontable.core.pdf import html_to_pdf

    pdf = html_to_pdf(f"<html><body><figure>{_svg()}</figure></body></html>")
    assert pdf.startswith(b"%PDF")
