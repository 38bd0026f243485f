"""The upcoming-decisions section of an investment's page reads its data here, so that the section
can be included in the page without the page's view knowing about the calendar. Reads only."""

from django import template

from commontable.investments import calendar

register = template.Library()


@register.simple_tag(takes_context=True)
def upcoming_decisions(context, investment):
    return calendar.decisions_upcoming(context["request"].user, investment)


@register.simple_tag(takes_context=True)
def watching(context, investment):
    return calendar.is_watching(context["request"].user, investment)
