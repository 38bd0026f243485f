"""Input shapes of the workforce pages: a goal, and the import upload (core's)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from commontable.core.forms import BaseForm, DateInput
from commontable.core.forms import ImportUploadForm as HoursUploadForm
from commontable.workforce.choices import GoalSource, Measure

__all__ = ["GoalForm", "HoursUploadForm"]


class GoalForm(BaseForm):
    measure = forms.ChoiceField(label=_("Share of total hours worked by"), choices=Measure.choices)
    target_percent = forms.DecimalField(
        label=_("Goal (percent of total hours)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=4,
        decimal_places=1,
        help_text=_("From 0 to 100, with at most one decimal, e.g. 32.5."),
    )
    source = forms.ChoiceField(label=_("Stated in"), choices=GoalSource.choices)
    source_note = forms.CharField(
        label=_("Where it is stated"), required=False, max_length=300,
        help_text=_("e.g. the agreement's section or the ordinance's number."),
    )
    starts_on = forms.DateField(label=_("From"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("Until"), required=False, widget=DateInput)

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The goal cannot end before it starts."))
        return cleaned

    @classmethod
    def initial_from(cls, goal) -> dict:
        return {name: getattr(goal, name) for name in cls.base_fields}
