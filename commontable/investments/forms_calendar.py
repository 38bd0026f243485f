"""Input shapes of the decision calendar: a decision (hearing, vote, comment deadline) and the
calendar's filters. Time rules (daylight saving, end after start, deadline kinds) are asked of
`calendar.decision_timing_errors`, which the service asks again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from commontable.core.deadlines import DeadlineKind
from commontable.core.forms import BaseForm, DateInput
from commontable.directory.models import Organization
from commontable.investments import calendar
from commontable.investments.forms import organization_field
from commontable.investments.models import DecisionKind, DecisionStatus


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


ZONE_LABELS = {
    "America/Chicago": _("Central time (Minnesota)"),
    "America/New_York": _("Eastern time"),
    "America/Denver": _("Mountain time"),
    "America/Phoenix": _("Arizona time"),
    "America/Los_Angeles": _("Pacific time"),
    "America/Anchorage": _("Alaska time"),
    "Pacific/Honolulu": _("Hawaii time"),
}


class DecisionForm(BaseForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=DecisionKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.ModelChoiceField(label=_("Deciding body"), queryset=Organization.objects.none(), required=False,
                                  to_field_name="slug", empty_label=_("None"),
                                  help_text=_("The agency or council, if it is in the directory."))
    body_name = forms.CharField(label=_("Deciding body (as named)"), max_length=200, required=False,
                                help_text=_("e.g. the council committee that holds the hearing"))
    deadline_kind = forms.ChoiceField(label=_("Kind of deadline"), required=False,
                                      choices=[("", _("Not a deadline")), *DeadlineKind.choices],
                                      help_text=_("For comment deadlines only."))
    starts_on = forms.DateField(label=_("Date"), required=False, widget=DateInput,
                                help_text=_("Leave empty for a rolling or open-until-filled deadline."))
    starts_at_time = forms.TimeField(label=_("Starts at"), required=False, widget=TimeInput,
                                     help_text=_("Local time where it happens. For a deadline: the closing time, "
                                                 "or empty for the end of the day."))
    ends_at_time = forms.TimeField(label=_("Ends at"), required=False, widget=TimeInput)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=[(z, ZONE_LABELS[z]) for z in calendar.TIME_ZONES],
                                  initial="America/Chicago")
    location = forms.CharField(label=_("Place"), max_length=300, required=False,
                               help_text=_("Room and address, or how to join online."))
    link_url = forms.URLField(label=_("Link to the notice or agenda"), max_length=500, required=False,
                              assume_scheme="https")
    description = forms.CharField(label=_("Description"), max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    status = forms.ChoiceField(label=_("Status"), choices=DecisionStatus.choices, initial=DecisionStatus.SCHEDULED)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organization_field(self, "body", user)

    def clean(self):
        data = super().clean()
        if not all(f in data for f in calendar.TIMING_FIELDS):
            return data  # a field error is shown already
        for name, error in calendar.decision_timing_errors(**{f: data[f] for f in calendar.TIMING_FIELDS}).items():
            self.add_error(name, error)
        return data


class CalendarFilterForm(forms.Form):
    """The calendar's filters: month, investment, deciding body, kind. Bad values are ignored."""

    month = forms.RegexField(label=_("Month"), regex=r"^\d{4}-\d{2}$", required=False,
                             widget=forms.TextInput(attrs={"type": "month"}))
    investment = forms.SlugField(label=_("Investment"), required=False)
    body = forms.SlugField(label=_("Deciding body"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *DecisionKind.choices])
