"""Formatting the plan's figures: a value with its unit in the reader's number format, a change
with its sign, and the server-drawn trend line."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from commontable.core.charts import sparkline_svg

register = template.Library()


def _number(value: float) -> str:
    decimals = 0 if float(value).is_integer() else 1
    return number_format(round(float(value), decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.filter
def figure(value, unit: str = "") -> str:
    """42 → "42", 37.5 with percent → "37.5 %" (in the reader's format); no value → "—"."""
    if value is None or value == "":
        return "—"
    text = _number(value)
    if unit in ("percent", _("percent")):
        return _("%(value)s %%") % {"value": text}
    if unit in ("dollars", _("dollars")):
        return _("$%(value)s") % {"value": text}
    return text


@register.filter
def signed(value) -> str:
    """A change: "+3", "−1.5", "0"; nothing known → "—"."""
    if value is None:
        return "—"
    text = _number(abs(value))
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"−{text}"
    return text


@register.simple_tag
def trend(figure_row, width: int = 120, height: int = 32):
    """The figure's trend as an inline SVG with its own accessible description."""
    target = float(figure_row.target) if getattr(figure_row, "target", None) is not None else None
    return sparkline_svg(
        figure_row.series,
        label=_("Trend of %(label)s") % {"label": figure_row.label},
        target=target,
        width=width,
        height=height,
        value_format=lambda v: figure(v, figure_row.unit),
    )


@register.simple_tag
def trend_points(series, label: str, unit: str = "", target=None, width: int = 120, height: int = 32):
    """The same for frozen report data: a list of [iso date, value] pairs."""
    import datetime as dt

    points = [(dt.date.fromisoformat(day), value) for day, value in series]
    return sparkline_svg(points, label=_("Trend of %(label)s") % {"label": label}, target=target, width=width, height=height,
                         value_format=lambda v: figure(v, unit))


@register.filter
def status_label(code: str) -> str:
    from commontable.strategy.choices import Status

    try:
        return Status(code).label
    except ValueError:
        return code


@register.filter
def text_lang(plan) -> str:
    """` lang="es"` for an element holding the plan's own text when the document's language differs
    from the page's (WCAG 3.1.2), so a screen reader reads a Spanish plan in Spanish on an English page."""
    code = getattr(plan, "language", "")
    if not code or code == (get_language() or "").split("-")[0]:
        return ""
    return format_html(' lang="{}"', code)
