"""Input shapes of the community report pages: a report (what, when, where, consent) and the staff
list's filters. Where is two numbers, so the form works without JavaScript; a small map fills them
in where scripts run."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commontable.core.forms import BaseForm, DateInput
from commontable.displacement.choices import ReportKind
from commontable.displacement.services_reports import DESCRIPTION_MAX, EARLIEST


class ReportForm(BaseForm):
    kind = forms.ChoiceField(label=_("What happened?"), choices=ReportKind.choices, widget=forms.RadioSelect)
    occurred_on = forms.DateField(
        label=_("When did it happen?"), widget=DateInput,
        help_text=_("The day you saw it or the notice was dated; not in the future."),
    )
    description = forms.CharField(
        label=_("What did you see? (optional)"), required=False, max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Please leave out names and phone numbers. Only staff read this."),
    )
    lat = forms.FloatField(
        label=_("Latitude"), min_value=-90, max_value=90,
        help_text=_("Where it happened, e.g. 44.9537. Click the map to fill this in, or type it."),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal", "data-report-lat": ""}),
    )
    lon = forms.FloatField(
        label=_("Longitude"), min_value=-180, max_value=180,
        help_text=_("e.g. -93.0900 (west of Greenwich is negative)."),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal", "data-report-lon": ""}),
    )
    consent_aggregate = forms.BooleanField(
        label=_("Count my report on the public map"), required=False,
        help_text=_("Only as a number per census tract, and only where a tract has five reports or more. "
                    "Never your name, the address or the exact place. Without this, only staff see your report."),
    )
    consent_contact = forms.BooleanField(
        label=_("Staff may contact me about this report"), required=False,
        help_text=_("By the contact details on your account."),
    )

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The day cannot be in the future."))
        if day < EARLIEST:
            raise forms.ValidationError(_("Give a day in 2000 or later."))
        return day


class ReportFilterForm(BaseForm):
    kind = forms.ChoiceField(label=_("What happened"), required=False,
                             choices=[("", _("Any kind")), *ReportKind.choices])
    geoid = forms.RegexField(label=_("Tract (GEOID)"), required=False, regex=r"^\d{11}$",
                             error_messages={"invalid": _("A tract's GEOID has 11 digits.")})
    occurred_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    occurred_to = forms.DateField(label=_("Until"), required=False, widget=DateInput)
    withdrawn = forms.ChoiceField(label=_("Withdrawn"), required=False, choices=[
        ("", _("Both")), ("no", _("Not withdrawn")), ("yes", _("Withdrawn"))])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("occurred_from"), cleaned.get("occurred_to")
        if start and end and end < start:
            self.add_error("occurred_to", _("The end cannot come before the start."))
        return cleaned
