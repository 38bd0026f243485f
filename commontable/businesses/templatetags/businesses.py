"""For pages of lower apps that cannot import this one (the investment's page): a link to the
contracting opportunities on an investment, with how many the viewer may see. Loaded by name in
the template (`{% load businesses %}`), so the investment watch does not depend on this app."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import ngettext

from commontable.businesses import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def contracting_opportunities_link(context, investment) -> str:
    """'3 contracting opportunities', linked to their list filtered to the investment (one COUNT)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    count = selectors.opportunity_count_for_investment(investment, user)
    label = ngettext("%(count)s contracting opportunity", "%(count)s contracting opportunities", count) % {"count": count}
    url = f"{reverse('businesses:opportunity_list')}?{urlencode({'investment': investment.slug})}"
    return format_html('<a href="{}">{}</a>', url, label)
