"""Input shapes for the plan's pages. Rules that need the database live in the services; forms
check the shape and show the services' errors on the right field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from commontable.accounts.models import User
from commontable.core import indicators as registry
from commontable.core.forms import BaseForm, DateInput
from commontable.core.visibility import Visibility
from commontable.directory.models import Table
from commontable.strategy.choices import ActionItemStatus, Cadence
from commontable.strategy.models import Indicator, Objective, Plan

MAX_PLAN_BYTES = 2 * 1024 * 1024
PLAN_VISIBILITY = [(v, label) for v, label in Visibility.choices if v != Visibility.TABLE]


def _staff_users():
    return User.objects.filter(is_active=True, role__in=["admin", "staff", "board"]).order_by("email")


class PlanUploadForm(BaseForm):
    file = forms.FileField(
        label=_("Plan document (plain text)"),
        help_text=_("The plan saved or exported as text (.txt), e.g. from a PDF. At most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,text/plain"}),
    )
    plan = forms.ModelChoiceField(
        label=_("Import as"), queryset=Plan.objects.all(), required=False, to_field_name="slug",
        empty_label=_("A new plan"),
        help_text=_("Choose an existing plan to revise it: bindings, targets and history are kept."),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Leave empty to take it from the document."))
    period_start = forms.DateField(label=_("Period starts"), required=False, widget=DateInput,
                                   help_text=_("Leave empty to take the years from the document."))
    period_end = forms.DateField(label=_("Period ends"), required=False, widget=DateInput)
    predecessor = forms.ModelChoiceField(label=_("Previous plan"), queryset=Plan.objects.all(), required=False,
                                         to_field_name="slug", empty_label=_("No earlier plan"))
    visibility = forms.ChoiceField(label=_("Who sees it"), choices=PLAN_VISIBILITY, initial=Visibility.MEMBERS)
    make_default = forms.BooleanField(label=_("Make it the default plan"), required=False)

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_PLAN_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB; a plan document is much smaller."))
        return uploaded

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if bool(start) != bool(end):
            self.add_error("period_end" if start else "period_start", _("Give both the first and the last day, or neither."))
        elif start and end and end <= start:
            self.add_error("period_end", _("The period must end after it starts."))
        return cleaned


class PlanForm(BaseForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    visibility = forms.ChoiceField(label=_("Who sees it"), choices=PLAN_VISIBILITY)
    predecessor = forms.ModelChoiceField(label=_("Previous plan"), queryset=Plan.objects.all(), required=False,
                                         to_field_name="slug", empty_label=_("No earlier plan"))
    is_default = forms.BooleanField(label=_("Default plan"), required=False)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["predecessor"].queryset = Plan.objects.exclude(pk=plan.pk)


class ObjectiveForm(BaseForm):
    owners = forms.ModelMultipleChoiceField(
        label=_("Owners"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Staff and board members who answer for this objective."),
    )
    tables = forms.ModelMultipleChoiceField(
        label=_("Tables working on it"), queryset=Table.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owners"].queryset = _staff_users()
        self.fields["tables"].queryset = Table.objects.order_by("name")


class TargetFields(BaseForm):
    """Baseline, target and cadence: numbers are taken as text so the service can say exactly
    what is wrong with them (NaN, infinity, too large) in the user's language."""

    baseline_value = forms.CharField(label=_("Baseline"), required=False, max_length=30,
                                     widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    baseline_on = forms.DateField(label=_("Baseline date"), required=False, widget=DateInput)
    target_value = forms.CharField(label=_("Target"), required=False, max_length=30,
                                   widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    target_on = forms.DateField(label=_("Target date"), required=False, widget=DateInput)
    cadence = forms.TypedChoiceField(label=_("Cadence"), choices=Cadence.choices, coerce=int, initial=Cadence.QUARTERLY,
                                     help_text=_("How often the figure should be refreshed; a hand-entered figure older than this is stale."))

    def clean(self):
        cleaned = super().clean()
        for name in ("baseline_value", "target_value"):
            value = (cleaned.get(name) or "").strip().replace(",", "") if isinstance(cleaned.get(name), str) else cleaned.get(name)
            cleaned[name] = value or None
        return cleaned


class BindingForm(TargetFields):
    indicator = forms.ChoiceField(label=_("Indicator"))
    param = forms.ChoiceField(label=_("Which one"), required=False,
                              help_text=_("For indicators with one figure per table or place."))

    field_order = ["indicator", "param", "baseline_value", "baseline_on", "target_value", "target_on", "cadence"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(key, str(definition.label)) for key, definition in registry.registry().items()]
        choices += [(i.key, i.label) for i in Indicator.objects.filter(kind="manual").order_by("label")]
        self.fields["indicator"].choices = [("", _("Choose an indicator")), *choices]
        params = [("", "—")]
        for definition in registry.registry().values():
            if definition.params is not None:
                params += [(value, f"{definition.param_label}: {label}") for value, label in definition.param_choices()]
        self.fields["param"].choices = params


class MeasurementForm(BaseForm):
    value = forms.CharField(label=_("Value"), max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    measured_on = forms.DateField(label=_("Measured on"), widget=DateInput)
    evidence = forms.CharField(label=_("Evidence"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("How the figure was found: a survey, a check-in, a document."))
    evidence_url = forms.URLField(label=_("Link to evidence"), required=False, max_length=500, assume_scheme="https")


class ManualIndicatorForm(BaseForm):
    label = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("What counts"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    unit = forms.CharField(label=_("Unit"), required=False, max_length=40, help_text=_("e.g. check-ins, %, people"))
    direction = forms.ChoiceField(label=_("Direction"), choices=registry.Direction.choices, initial="up")


class BoardReportForm(BaseForm):
    title = forms.CharField(label=_("Title"), max_length=200, required=False, help_text=_("Leave empty for a title with the dates."))
    period_start = forms.DateField(label=_("From"), widget=DateInput)
    period_end = forms.DateField(label=_("To"), widget=DateInput)
    visibility = forms.ChoiceField(label=_("Who sees it"), choices=PLAN_VISIBILITY, initial=Visibility.MEMBERS)


class ActionItemForm(BaseForm):
    title = forms.CharField(label=_("What"), max_length=300)
    detail = forms.CharField(label=_("Details"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False, empty_label=_("Nobody yet"))
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput)
    objectives = forms.ModelMultipleChoiceField(label=_("Counts toward"), queryset=Objective.objects.none(), required=False,
                                                widget=forms.CheckboxSelectMultiple)
    status = forms.ChoiceField(label=_("Status"), choices=ActionItemStatus.choices, initial=ActionItemStatus.OPEN)
    done_on = forms.DateField(label=_("Done on"), required=False, widget=DateInput, help_text=_("Leave empty for today."))
    visibility = forms.ChoiceField(label=_("Who sees it"), choices=PLAN_VISIBILITY, initial=Visibility.MEMBERS)

    def __init__(self, *args, objectives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(is_active=True).order_by("email")
        self.fields["objectives"].queryset = objectives
        self.fields["objectives"].label_from_instance = lambda o: f"{o.number} {o.text[:90]}"
