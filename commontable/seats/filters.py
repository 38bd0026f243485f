"""Filters of the seats pages (and of their CSV/XLSX exports, which hold exactly the filtered rows)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from commontable.core.forms import BaseForm
from commontable.core.models import IssueTopic, Place
from commontable.directory.filters import SearchInput
from commontable.seats.choices import BodyKind, ProcessKind, Readiness
from commontable.seats.forms import jurisdictions


class BodyFilterForm(BaseForm):
    """Bodies by name or appointing authority, jurisdiction, topic and kind; dissolved ones on request."""

    q = forms.CharField(label=_("Name"), max_length=200, required=False,
                        widget=SearchInput(attrs={"autocomplete": "off"}))
    jurisdiction = forms.ModelChoiceField(label=_("Jurisdiction"), queryset=Place.objects.none(), required=False,
                                          to_field_name="slug", empty_label=_("Any jurisdiction"))
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=IssueTopic.objects.none(), required=False,
                                   to_field_name="slug", empty_label=_("Any topic"))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *BodyKind.choices])
    include_dissolved = forms.BooleanField(label=_("Include dissolved bodies"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdictions()
        self.fields["topic"].queryset = IssueTopic.objects.order_by("name")

    def values(self) -> dict:
        """The filters to apply: those that could be used (the page says why the others could not,
        rather than dropping every filter for one bad value)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class OpeningFilterForm(BodyFilterForm):
    """Openings by jurisdiction and topic."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["q"]
        del self.fields["kind"]
        del self.fields["include_dissolved"]  # a dissolved body has no openings


class LeaderFilterForm(BaseForm):
    q = forms.CharField(label=_("Name"), max_length=200, required=False,
                        widget=SearchInput(attrs={"autocomplete": "off"}))
    readiness = forms.ChoiceField(label=_("Readiness"), required=False,
                                  choices=[("", _("Any readiness")), *Readiness.choices])
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=IssueTopic.objects.none(), required=False,
                                   to_field_name="slug", empty_label=_("Any topic"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = IssueTopic.objects.order_by("name")

    values = BodyFilterForm.values


class ProcessFilterForm(BaseForm):
    q = forms.CharField(label=_("Process or agency"), max_length=200, required=False,
                        widget=SearchInput(attrs={"autocomplete": "off"}))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *ProcessKind.choices])
    investment = forms.SlugField(label=_("Investment (short name)"), required=False, max_length=100)

    values = BodyFilterForm.values
