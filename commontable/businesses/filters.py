"""Filters of the business directory's lists (and of their CSV/XLSX exports, which hold exactly the
filtered rows)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commontable.businesses import naics, selectors
from commontable.businesses.choices import CertificationProgram, OpportunityStatus, SelfIdentified
from commontable.core.forms import BaseForm
from commontable.directory.filters import SearchInput
from commontable.investments.forms import jurisdictions
from commontable.investments.permissions import visible_investments

MENU_LIMIT = 50


def _user(request):
    return request.user if request else None


class BusinessFilter(django_filters.FilterSet):
    """Businesses by name or description, current certification, NAICS prefix, place served (a
    business serving a county serves the cities in it) and self-identified BIPOC ownership."""

    q = django_filters.CharFilter(label=_("Name or description"), method="filter_q", max_length=200,
                                  widget=SearchInput(attrs={"autocomplete": "off"}))
    program = django_filters.ChoiceFilter(label=_("Current certification"), choices=CertificationProgram.choices,
                                          method="filter_program", empty_label=_("Any or none"))
    naics = django_filters.CharFilter(label=_("Trade (NAICS code or its beginning)"), method="filter_naics", max_length=6,
                                      validators=[naics.validate_code])
    place = django_filters.ModelChoiceFilter(label=_("Place served"), queryset=lambda request: jurisdictions(),
                                             to_field_name="slug", method="filter_place", empty_label=_("Any place"))
    bipoc_owned = django_filters.ChoiceFilter(label=_("BIPOC-owned"), method="filter_bipoc",
                                              choices=[c for c in SelfIdentified.choices if c[0]], empty_label=_("Any"))

    class Meta:
        form = BaseForm
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value)) if value else queryset

    def filter_program(self, queryset, name, value):
        return queryset.filter(selectors.certified_condition([value]))

    def filter_naics(self, queryset, name, value):
        return queryset.filter(selectors.trade_condition([value.strip()])) if value.strip() else queryset

    def filter_place(self, queryset, name, value):
        return queryset.filter(selectors.serves_condition(selectors.place_and_ancestors([value.pk])))

    def filter_bipoc(self, queryset, name, value):
        return queryset.filter(bipoc_owned=value)


class OpportunityFilter(django_filters.FilterSet):
    """Opportunities by status, investment and title."""

    q = django_filters.CharFilter(label=_("Title"), field_name="title", lookup_expr="icontains", max_length=200,
                                  widget=SearchInput(attrs={"autocomplete": "off"}))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=OpportunityStatus.choices, empty_label=_("Any status"))
    investment = django_filters.ModelChoiceFilter(label=_("Investment"), queryset=lambda request: None,
                                                  to_field_name="slug", empty_label=_("Any investment"))

    class Meta:
        form = BaseForm
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self.request)
        # Only investments with an opportunity the user may see: the menu lists what can be found.
        investments = visible_investments(user).filter(
            pk__in=selectors.visible_opportunities(user).values("investment_id")).only("pk", "slug", "name").order_by("name")
        self.filters["investment"].queryset = investments
        if investments.count() > MENU_LIMIT:
            # A menu of hundreds is slow to build and to use: the investment's short name instead.
            self.filters["investment"].extra.update(
                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
                help_text=_("The investment's short name, as in its web address."),
            )
