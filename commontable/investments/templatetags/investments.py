"""Formatting the investment watch: money kept in cents shown as dollars, reported quantities
without trailing zeros, and a commitment's status as a word (colour only reinforces it)."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from commontable.investments.choices import Compliance

register = template.Library()

# The plan's status colours (site.css) reinforce the words: green, amber, red-orange, grey.
STATUS_TONE = {
    Compliance.MET: "on_track",
    Compliance.ON_TRACK: "on_track",
    Compliance.AT_RISK: "stale",
    Compliance.MISSED: "behind",
    Compliance.NO_DATA: "none",
}


@register.filter
def money(cents) -> str:
    """125000050 → "$1,250,000.50", 650000000 → "$6,500,000" (in the reader's format); None → "—"."""
    if cents is None or cents == "":
        return "—"
    cents = int(cents)
    decimals = 0 if cents % 100 == 0 else 2
    value = number_format(Decimal(cents) / 100, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return _("$%(amount)s") % {"amount": value}


@register.filter
def quantity(value) -> str:
    """A target or reported value without the database's trailing zeros: 45.0000 → "45"."""
    if value is None or value == "":
        return "—"
    number = Decimal(value)
    text = format(number.normalize(), "f")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return number_format(number, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.simple_tag
def compliance_status(code: str) -> str:
    """<span class="status …">On track</span>: the status in words, its tone as a class."""
    try:
        label = Compliance(code).label
    except ValueError:
        return "—"
    return format_html('<span class="status status-{}">{}</span>', STATUS_TONE[Compliance(code)], label)


@register.filter
def geojson(geometry) -> str:
    """A stored geometry as GeoJSON text, to read or copy (escaped by the template as any text)."""
    import json

    return json.dumps(geometry, ensure_ascii=False) if geometry else ""
