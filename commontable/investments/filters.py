"""Filters of the investment watch's lists (and of their CSV/XLSX exports, which hold exactly the
filtered rows). Choice lists only offer records the user may see."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from commontable.core.forms import BaseForm
from commontable.directory.filters import SELECT_LIMIT, SearchInput
from commontable.directory.permissions import visible_organizations, visible_tables
from commontable.investments.choices import CommitmentCategory, Compliance, InvestmentKind, Stage
from commontable.investments.forms import jurisdictions
from commontable.investments.models import Commitment, Investment
from commontable.investments.permissions import visible_investments
from commontable.investments.selectors import with_ask, with_status_filter


class MenuSelect(forms.Select):
    """A menu written in Python with the markup of the project's `select.html` (options carry only
    `selected`): the commitment list's menu of some 300 organisations took 25 ms through the
    template engine, this well under one."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            ((str(key), mark_safe(" selected") if str(key) in chosen else "", label) for key, label in self.choices),
        )
        return format_html("<select{}>{}\n</select>", flatatt({"name": name, **self.build_attrs(self.attrs, attrs)}), options)


HAS_ASK_CHOICES = [("yes", _("With a coalition ask")), ("won", _("With an ask won or partly won"))]


def _user(request):
    return request.user if request else None


def _visible_tables(request):
    return visible_tables(_user(request)).order_by("name")


class InvestmentFilter(django_filters.FilterSet):
    """Investments by name, kind, stage, jurisdiction, table engaged, and whether the coalition made
    an ask about them (the plan's figures link here with `has_ask`)."""

    q = django_filters.CharFilter(
        label=_("Name"), method="filter_q", max_length=200, widget=SearchInput(attrs={"autocomplete": "off"})
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=InvestmentKind.choices, empty_label=_("Any kind")
    )
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices, empty_label=_("Any stage"))
    jurisdiction = django_filters.ModelChoiceFilter(
        label=_("Jurisdiction"),
        queryset=lambda request: jurisdictions(),
        to_field_name="slug",
        empty_label=_("Any place"),
    )
    table = django_filters.ModelChoiceFilter(
        label=_("Table engaged"),
        method="filter_table",
        queryset=_visible_tables,
        to_field_name="slug",
        empty_label=_("Any table"),
    )
    has_ask = django_filters.ChoiceFilter(
        label=_("Coalition asks"), method="filter_has_ask", choices=HAS_ASK_CHOICES, empty_label=_("Any")
    )

    class Meta:
        form = BaseForm
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(name__icontains=value) if value else queryset

    def filter_table(self, queryset, name, value):
        return queryset.filter(
            Exists(Investment.tables.through.objects.filter(investment=OuterRef("pk"), table=value))
        )

    def filter_has_ask(self, queryset, name, value):
        return with_ask(queryset, _user(self.request), value)


class CommitmentFilter(django_filters.FilterSet):
    """Commitments by status (computed in the database by the stated rules), category, obligor and
    investment. The queryset comes from `selectors.commitment_list`, which annotates `status`."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), method="filter_status", choices=Compliance.choices, empty_label=_("Any status")
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=CommitmentCategory.choices, empty_label=_("Any category")
    )
    obligor = django_filters.ModelChoiceFilter(
        label=_("Who promised"),
        queryset=lambda request: None,
        to_field_name="slug",
        empty_label=_("Any organization"),
        widget=MenuSelect,
    )
    investment = django_filters.ModelChoiceFilter(
        label=_("Investment"),
        queryset=lambda request: None,
        to_field_name="slug",
        empty_label=_("Any investment"),
    )

    class Meta:
        form = BaseForm
        fields: list[str] = []

    def filter_status(self, queryset, name, value):
        return with_status_filter(queryset, value)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self.request)
        obligors = (
            visible_organizations(user)
            .filter(Exists(Commitment.objects.visible_to(user).filter(obligor=OuterRef("pk"))))
            .only("pk", "slug", "name")  # the menu's value and label
            .order_by("name")
        )
        investments = visible_investments(user).order_by("name")
        self.filters["obligor"].queryset = obligors
        self.filters["investment"].queryset = investments
        if investments.count() > SELECT_LIMIT:
            # Thousands of investments make a menu nobody can use: name it by its short name instead.
            self.filters["investment"].extra.update(
                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
                help_text=_("The investment's short name, as in its web address."),
            )
