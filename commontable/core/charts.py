"""Sparklines: a small line of an indicator's recent values, drawn on the server as SVG.

Written by hand rather than with altair: a dashboard draws fifty or more of them, and one must cost
microseconds, not the ~0.6 s of a vl-convert render. The SVG is the same in pages and PDFs, needs no
JavaScript, and carries no inline `style` (the Content-Security-Policy forbids it): colours are
presentation attributes, which the `sparkline-*` classes in site.css may override (for forced
colours, say).

Each sparkline is an image with a text alternative that says what it shows, in the reader's
language: "Households housed: from 12 on Jan. 5, 2024 to 30 on March 1, 2025; target 40".
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Okabe-Ito blue and vermillion: told apart with every common colour-vision deficiency, 5.2:1 and
# 3.9:1 against white. The target is a dashed dark grey (7:1), so it differs by more than colour.
LINE_COLOUR = "#0072b2"
LAST_COLOUR = "#d55e00"
TARGET_COLOUR = "#595959"
LINE_WIDTH = 1.5
LAST_RADIUS = 2.5
POINT_RADIUS = 1.5
# Room around the plot so the last dot and the line's width stay inside the viewBox.
PAD = LAST_RADIUS + 0.5
MIN_SIZE = 8
# Characters XML 1.0 forbids (C0 controls but tab and newlines, lone surrogates, U+FFFE/U+FFFF):
# dropped from the text so that any label still gives a well-formed SVG.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

Point = tuple[date, float | None]


def sparkline_svg(
    points: Sequence[Point],
    *,
    label: str,
    target: float | None = None,
    width: int = 120,
    height: int = 32,
    value_format: Callable[[float], str] | None = None,
) -> SafeString:
    """An accessible SVG sparkline of dated values, ready to put in a template.

    `points` are (date, value) pairs in any order; a value of None (or NaN/infinity) is a period
    with no measurement and breaks the line. The x axis is time, so uneven gaps between
    measurements show as such. The latest known value gets a dot; `target`, when given, is a dashed
    line and is kept inside the vertical range. `label` (escaped: it may be user text) names the
    indicator; `value_format` formats values in the text alternative (default: a localised number
    with at most two decimals).
    """
    width, height = int(width), int(height)
    if width < MIN_SIZE or height < MIN_SIZE:
        raise ValueError(f"a sparkline needs at least {MIN_SIZE}×{MIN_SIZE} pixels")
    fmt = value_format or format_value
    series = sorted(((day, _finite(value)) for day, value in points), key=lambda p: p[0].toordinal())
    known = [(day, value) for day, value in series if value is not None]
    goal = _finite(target)

    text = escape(NOT_XML.sub("", _describe(str(label), known, goal, fmt)))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{text}" focusable="false">'
        f"<title>{text}</title>"
    ]

    values = [value for _day, value in known]
    if goal is not None:
        values.append(goal)
    left, right, top, bottom = PAD, width - PAD, PAD, height - PAD
    y_of = _scale(min(values, default=0.0), max(values, default=0.0), bottom, top)

    if goal is not None:
        y = _n(y_of(goal))
        parts.append(
            f'<line class="sparkline-target" x1="{_n(left)}" y1="{y}" x2="{_n(right)}" y2="{y}" '
            f'stroke="{TARGET_COLOUR}" stroke-width="1" stroke-dasharray="3 2"/>'
        )

    if known:
        # The time axis spans every date given, measured or not, so a trailing gap shows as one.
        # A single date sits at the right edge, where every other sparkline shows "latest".
        x_of = _scale(series[0][0].toordinal(), series[-1][0].toordinal(), left, right, single=right)
        runs: list[list[tuple[float, float]]] = [[]]
        for day, value in series:
            if value is None:
                if runs[-1]:
                    runs.append([])
            else:
                runs[-1].append((x_of(day.toordinal()), y_of(value)))
        runs = [run for run in runs if run]
        for index, run in enumerate(runs):
            if len(run) > 1:
                coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in run)
                parts.append(
                    f'<polyline class="sparkline-line" points="{coords}" fill="none" '
                    f'stroke="{LINE_COLOUR}" stroke-width="{LINE_WIDTH}" stroke-linejoin="round" '
                    f'stroke-linecap="round"/>'
                )
            elif index < len(runs) - 1:  # a lone measurement between gaps needs a mark of its own
                x, y = run[0]
                parts.append(
                    f'<circle class="sparkline-point" cx="{_n(x)}" cy="{_n(y)}" r="{POINT_RADIUS}" '
                    f'fill="{LINE_COLOUR}"/>'
                )
        x, y = runs[-1][-1]
        parts.append(
            f'<circle class="sparkline-last" cx="{_n(x)}" cy="{_n(y)}" r="{LAST_RADIUS}" fill="{LAST_COLOUR}"/>'
        )

    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text was escaped above


def format_value(value: float) -> str:
    """A value as a reader expects it in the active language: 1,234.5 / 1234,5, at most two
    decimals (two significant digits below 1), never a 17-digit float."""
    if value == 0:
        return formats.number_format(0)
    if abs(value) >= 1e15:
        return f"{value:.3g}"
    rounded = round(value, 2) if abs(value) >= 1 else float(f"{value:.2g}")
    if rounded.is_integer():
        return formats.number_format(int(rounded))
    return formats.number_format(Decimal(repr(rounded)))


def _describe(
    label: str, known: list[tuple[date, float]], goal: float | None, fmt: Callable[[float], str]
) -> str:
    """The text alternative: the label, where the series starts and ends, and the target."""
    if not known:
        summary = _("no data yet")
    elif len(known) == 1:
        day, value = known[0]
        # Translators: a single measurement of an indicator, e.g. "12 on Jan. 5, 2024".
        summary = _("%(value)s on %(date)s") % {"value": fmt(value), "date": formats.date_format(day)}
    else:
        (first_day, first), (last_day, last) = known[0], known[-1]
        # Translators: how an indicator moved, e.g. "from 12 on Jan. 5, 2024 to 30 on March 1, 2025".
        summary = _("from %(first)s on %(first_date)s to %(last)s on %(last_date)s") % {
            "first": fmt(first),
            "first_date": formats.date_format(first_day),
            "last": fmt(last),
            "last_date": formats.date_format(last_day),
        }
    # Translators: a sparkline's text alternative, e.g. "Households housed: from 12 on … to 30 on …".
    text = _("%(label)s: %(summary)s") % {"label": label, "summary": summary}
    if goal is not None:
        # Translators: added to a sparkline's text alternative when the indicator has a target.
        text = _("%(text)s; target %(target)s") % {"text": text, "target": fmt(goal)}
    return text


def _finite(value: float | None) -> float | None:
    """The value as a float, or None for a missing, NaN or infinite one."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _scale(
    lo: float, hi: float, start: float, end: float, *, single: float | None = None
) -> Callable[[float], float]:
    """A function mapping [lo, hi] onto [start, end]; a range of one value maps to `single`
    (default: the middle). Works for any finite floats: dividing by the largest magnitude first
    keeps hi - lo from overflowing (1e308 - -1e308 is infinite)."""
    magnitude = max(abs(lo), abs(hi))
    low, high = (lo / magnitude, hi / magnitude) if magnitude else (0.0, 0.0)
    span = high - low
    if span <= 0:
        fixed = (start + end) / 2 if single is None else single
        return lambda _value: fixed
    distance = end - start

    def to_position(value: float) -> float:
        share = (value / magnitude - low) / span
        return start + distance * min(1.0, max(0.0, share))

    return to_position


def _n(number: float) -> str:
    """A coordinate with at most one decimal: "12.5", "3" — short SVG, no float noise."""
    text = f"{number:.1f}"
    return text[:-2] if text.endswith(".0") else text


# -- goal against actual, per period ---------------------------------------------------------------

BAR_COLOUR = LINE_COLOUR
BELOW_COLOUR = LAST_COLOUR
AXIS_COLOUR = "#595959"
GRID_COLOUR = "#d9d9d9"
TEXT_COLOUR = "#1f1f1f"
_ID = re.compile(r"[^A-Za-z0-9_-]")

Bar = tuple[str, float | None, float | None]  # (period label, actual, goal)


def goal_actual_svg(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str,
    id_prefix: str,
    width: int = 640,
    height: int = 240,
    maximum: float | None = None,
    value_format: Callable[[float], str] | None = None,
) -> SafeString:
    """A bar chart of an actual value per period against the goal for that period, as
    accessible SVG for pages and PDFs alike (no script, no inline style).

    Each bar is labelled with its value (so colour is never the only cue); bars below their goal
    are drawn in the second colour and hatched. The goal is a dashed dark line across each
    period's slot. `title` and `description` become the SVG's <title> and <desc> (escaped), named
    by `aria-labelledby`; the page should also give the same numbers in a table. `maximum` is the
    top of the scale (default: the largest value or goal, rounded up to a multiple of 10, so
    percentages usually get 0–100 only when needed). `id_prefix` keeps ids unique on a page.
    """
    width, height = int(width), int(height)
    if width < 120 or height < 80:
        raise ValueError("a goal chart needs at least 120×80 pixels")
    fmt = value_format or format_value
    prefix = _ID.sub("-", id_prefix) or "chart"
    clean = [(NOT_XML.sub("", str(label)), _finite(actual), _finite(goal)) for label, actual, goal in bars]
    values = [v for _l, a, g in clean for v in (a, g) if v is not None]
    top = _finite(maximum) or max(10.0, math.ceil(max(values, default=0.0) / 10.0) * 10.0)
    left, right, upper, lower = 40.0, width - 8.0, 18.0, height - 28.0
    t, d = escape(NOT_XML.sub("", str(title))), escape(NOT_XML.sub("", str(description)))
    parts = [
        # Fluid width (the viewBox keeps the proportions), so the chart fits a 320 px phone too.
        f'<svg xmlns="http://www.w3.org/2000/svg" class="goal-chart" width="100%" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{prefix}-title {prefix}-desc" focusable="false">'
        f'<title id="{prefix}-title">{t}</title><desc id="{prefix}-desc">{d}</desc>'
        f'<defs><pattern id="{prefix}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{BELOW_COLOUR}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/></pattern></defs>'
    ]

    def y_of(value: float) -> float:
        return lower - (lower - upper) * min(1.0, max(0.0, value / top))

    for step in range(5):
        value = top * step / 4
        y = _n(y_of(value))
        parts.append(
            f'<line class="goal-chart-grid" x1="{_n(left)}" y1="{y}" x2="{_n(right)}" y2="{y}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
            f'<text x="{_n(left - 4)}" y="{y}" font-size="10" text-anchor="end" dominant-baseline="middle" '
            f'fill="{TEXT_COLOUR}">{escape(fmt(value))}</text>'
        )
    parts.append(
        f'<line x1="{_n(left)}" y1="{_n(lower)}" x2="{_n(right)}" y2="{_n(lower)}" stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    if clean:
        slot = (right - left) / len(clean)
        bar_width = max(2.0, slot * 0.6)
        every = max(1, math.ceil(len(clean) * 48 / (right - left)))  # thin out labels that would overlap
        for index, (label, actual, goal) in enumerate(clean):
            x0 = left + slot * index
            centre = x0 + slot / 2
            below = actual is not None and goal is not None and actual < goal
            if actual is not None:
                y = y_of(actual)
                fill = f"url(#{prefix}-hatch)" if below else BAR_COLOUR
                parts.append(
                    f'<rect class="goal-chart-bar{" goal-chart-below" if below else ""}" x="{_n(centre - bar_width / 2)}" '
                    f'y="{_n(y)}" width="{_n(bar_width)}" height="{_n(max(0.0, lower - y))}" fill="{fill}" '
                    f'stroke="{BELOW_COLOUR if below else BAR_COLOUR}" stroke-width="1"/>'
                )
                if index % every == 0 or len(clean) <= 12:
                    parts.append(
                        f'<text class="goal-chart-value" x="{_n(centre)}" y="{_n(y - 3)}" font-size="9" '
                        f'text-anchor="middle" fill="{TEXT_COLOUR}">{escape(fmt(actual))}</text>'
                    )
            if goal is not None:
                gy = _n(y_of(goal))
                parts.append(
                    f'<line class="goal-chart-goal" x1="{_n(x0 + 1)}" y1="{gy}" x2="{_n(x0 + slot - 1)}" y2="{gy}" '
                    f'stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="4 2"/>'
                )
            if index % every == 0:
                parts.append(
                    f'<text class="goal-chart-label" x="{_n(centre)}" y="{_n(lower + 14)}" font-size="10" '
                    f'text-anchor="middle" fill="{TEXT_COLOUR}">{escape(label)}</text>'
                )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text was escaped above
