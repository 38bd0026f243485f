"""Formatting of hours and shares on the workforce pages (no logic: values come from selectors)."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def hours(hundredths: int | None) -> str:
    """Hundredths of an hour as hours, e.g. 123456 → 1,234.56 (localised)."""
    if hundredths is None:
        return "—"
    return formats.number_format(Decimal(hundredths) / 100, decimal_pos=2, use_l10n=True, force_grouping=True)


@register.filter
def percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    # Translators: a share in percent, e.g. "32.5%".
    return _("%(value)s%%") % {"value": formats.number_format(value, decimal_pos=1, use_l10n=True)}


@register.filter
def share_of(totals, measure: str):
    return totals.share(measure)


@register.filter
def goal_of(goals: dict, measure: str):
    value = goals.get(measure)
    return getattr(value, "target_percent", value)


@register.filter
def meets(row, measure: str):
    return row.meets(measure)
