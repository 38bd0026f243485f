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
