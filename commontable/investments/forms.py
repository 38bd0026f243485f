"""Input shapes for the investment watch's pages. Amounts, quantities, fiscal years and the location
are taken as text, so that the services say exactly what is wrong with them (negative, more than two
decimals, NaN, out of range, outside the region) on the right field; rules that need the database
(stage and escalation steps, deadlines, evidence files) live in the services too."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from commontable.core.forms import BaseForm, DateInput, StrictIntegerField
from commontable.core.models import Place
from commontable.core.visibility import Visibility
from commontable.directory.filters import SELECT_LIMIT
from commontable.directory.models import Organization, Table
from commontable.directory.permissions import visible_organizations, visible_tables
from commontable.investments.choices import (
    ESCALATION_NEXT,
    STAGE_ORDER,
    AskActionKind,
    AskOutcome,
    CommitmentCategory,
    CommitmentSource,
    Escalation,
    FundingProgram,
    InvestmentKind,
    Stage,
    TargetDirection,
    stage_may_follow,
)

LOCATION_HELP = _(
    "Paste the location as GeoJSON: a point, a line or an area (a geometry, a Feature, or a FeatureCollection "
    "with one feature), longitude before latitude, inside the region. For example "
    '{"type": "Point", "coordinates": [-93.1647, 44.9556]}. Leave empty if it is not known yet.'
)
MONEY_HELP = _("In dollars, such as 1250000 or 1,250,000.50.")


def jurisdictions():
    """Places an investment can belong to: every kind but census tracts."""
    return Place.objects.exclude(kind=Place.Kind.TRACT).order_by("kind", "name")


class SlugListInput(forms.TextInput):
    """Organisations named by their short names, separated by commas: for lists too long for a menu."""

    def format_value(self, value):
        if isinstance(value, (list, tuple)):
            return ", ".join(str(v) for v in value)
        return super().format_value(value)

    def value_from_datadict(self, data, files, name):
        text = data.get(name, "")
        return [part.strip() for part in text.split(",") if part.strip()]


ORG_SLUG_HELP = _(
    "Short names as in the organizations' web addresses, separated by commas (e.g. %(example)s)."
)


def organization_field(form, name: str, user, *, multiple: bool = False) -> None:
    """Organisations the user may see: a menu (or checkboxes), or, above SELECT_LIMIT of them, a
    text field of short names, so that the page stays usable and quick to build."""
    field = form.fields[name]
    field.queryset = visible_organizations(user).order_by("name")
    if field.queryset.count() > SELECT_LIMIT:
        if multiple:
            field.widget = SlugListInput(attrs={"autocomplete": "off", "spellcheck": "false"})
        else:
            field.widget = forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})
        field.help_text = ORG_SLUG_HELP % {"example": "northside-builders"}


class VisibilityFields(BaseForm):
    visibility = forms.ChoiceField(
        label=_("Who sees it"), choices=Visibility.choices, initial=Visibility.MEMBERS
    )
    visibility_table = forms.ModelChoiceField(
        label=_("Table that sees it"),
        queryset=Table.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("No table"),
        help_text=_("Only when “Who sees it” is a table."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["visibility_table"].queryset = visible_tables(user).order_by("name")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("visibility") != Visibility.TABLE:
            cleaned["visibility_table"] = None  # a table chosen, then another visibility: not kept
        return cleaned


class InvestmentForm(VisibilityFields):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=InvestmentKind.choices)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )
    sponsor = forms.ModelChoiceField(
        label=_("Sponsoring agency"),
        queryset=Organization.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("Not known"),
    )
    jurisdiction = forms.ModelChoiceField(
        label=_("Jurisdiction"),
        queryset=Place.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("Not known"),
    )
    total_cost = forms.CharField(
        label=_("Total cost"),
        required=False,
        max_length=40,
        help_text=MONEY_HELP,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    location = forms.CharField(
        label=_("Location (GeoJSON)"),
        required=False,
        help_text=LOCATION_HELP,
        # data-location-draw: the page's map draws into it (static/investments/draw.js); it stays
        # the value sent, and works on its own without JavaScript.
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "data-location-draw": "true"}),
    )
    tables = forms.ModelMultipleChoiceField(
        label=_("Tables engaged"),
        queryset=Table.objects.none(),
        required=False,
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
    )
    organizations = forms.ModelMultipleChoiceField(
        label=_("Organizations engaged"),
        queryset=Organization.objects.none(),
        required=False,
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Their representatives may report on the investment's commitments and record actions on its asks."
        ),
    )

    field_order = [
        "name",
        "kind",
        "description",
        "sponsor",
        "jurisdiction",
        "total_cost",
        "location",
        "tables",
        "organizations",
        "visibility",
        "visibility_table",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        organization_field(self, "sponsor", user)
        organization_field(self, "organizations", user, multiple=True)
        self.fields["jurisdiction"].queryset = jurisdictions()
        self.fields["tables"].queryset = visible_tables(user).order_by("name")

    @staticmethod
    def initial_for(investment) -> dict:
        return {
            "name": investment.name,
            "kind": investment.kind,
            "description": investment.description,
            "sponsor": investment.sponsor,
            "jurisdiction": investment.jurisdiction,
            "total_cost": ""
            if investment.total_cost_cents is None
            else f"{investment.total_cost_cents / 100:.2f}",
            "location": json.dumps(investment.geometry) if investment.geometry else "",
            "tables": list(investment.tables.all()),
            "organizations": list(investment.organizations.all()),
            "visibility": investment.visibility,
            "visibility_table": investment.visibility_table,
        }


class InvestmentCreateForm(InvestmentForm):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices, initial=Stage.PROPOSED)
    stage_since = forms.DateField(
        label=_("In this stage since"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty for today."),
    )

    field_order = [*InvestmentForm.field_order[:6], "stage", "stage_since", *InvestmentForm.field_order[6:]]


class StageChangeForm(BaseForm):
    stage = forms.ChoiceField(
        label=_("New stage"),
        error_messages={
            "invalid_choice": _(
                "The investment cannot move to that stage from where it is: choose one of those offered."
            ),
        },
    )
    effective_on = forms.DateField(label=_("Effective"), widget=DateInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        order = [*STAGE_ORDER, Stage.CANCELLED]
        self.fields["stage"].choices = [(s.value, s.label) for s in order if stage_may_follow(current, s)]


class FundingForm(BaseForm):
    program = forms.ChoiceField(label=_("Program"), choices=FundingProgram.choices)
    fiscal_year = forms.CharField(
        label=_("Fiscal year"), max_length=10, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    amount = forms.CharField(
        label=_("Amount"),
        max_length=40,
        help_text=MONEY_HELP,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    award_id = forms.CharField(
        label=_("Award identifier"),
        required=False,
        max_length=100,
        help_text=_("e.g. the grant or award number in USAspending.gov."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class CommitmentForm(VisibilityFields):
    source = forms.ChoiceField(label=_("Made in"), choices=CommitmentSource.choices)
    source_reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=200,
        help_text=_("e.g. the resolution's number or the agreement's section"),
    )
    obligor = forms.ModelChoiceField(
        label=_("Who promised"),
        queryset=Organization.objects.none(),
        to_field_name="slug",
        empty_label=_("Choose an organization"),
        help_text=_("The developer, agency or employer bound by the commitment."),
    )
    text = forms.CharField(label=_("Commitment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ChoiceField(label=_("Category"), choices=CommitmentCategory.choices)
    ami_percent = StrictIntegerField(
        label=_("At or below this share of area median income (percent)"),
        required=False,
        min_value=1,
        max_value=200,
        help_text=_("For affordable units only."),
    )
    direction = forms.ChoiceField(
        label=_("Target is"), choices=TargetDirection.choices, initial=TargetDirection.AT_LEAST
    )
    target = forms.CharField(
        label=_("Target"), max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    unit = forms.CharField(label=_("Unit"), max_length=40, help_text=_("units, hours, %, dollars…"))
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput)
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput)

    field_order = [
        "source",
        "source_reference",
        "obligor",
        "text",
        "category",
        "ami_percent",
        "direction",
        "target",
        "unit",
        "starts_on",
        "deadline",
        "visibility",
        "visibility_table",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        organization_field(self, "obligor", user)


class ReportForm(BaseForm):
    value = forms.CharField(
        label=_("Actual value"), max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    as_of = forms.DateField(label=_("As of"), widget=DateInput)
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("A PDF, an image, a spreadsheet, a Word document or a text file."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.gif,.xlsx,.docx,.txt,.csv"}),
    )
    evidence_url = forms.URLField(
        label=_("Link to evidence"), required=False, max_length=500, assume_scheme="https"
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class EscalationForm(BaseForm):
    step = forms.ChoiceField(
        label=_("Next step"),
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _(
                "That step cannot come next: choose one of the steps offered (no step may be skipped)."
            ),
        },
    )
    on = forms.DateField(label=_("On"), widget=DateInput)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = ESCALATION_NEXT.get(current, set())
        self.fields["step"].choices = [(s.value, s.label) for s in Escalation if s in allowed]


class AskForm(VisibilityFields):
    asked_of = forms.CharField(
        label=_("Asked of"), required=False, max_length=200, help_text=_("The body or person the ask is to.")
    )
    asked_of_organization = forms.ModelChoiceField(
        label=_("Organization asked"),
        queryset=Organization.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("None"),
    )
    ask = forms.CharField(label=_("What is asked"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    field_order = ["asked_of", "asked_of_organization", "ask", "visibility", "visibility_table"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        organization_field(self, "asked_of_organization", user)


class AskActionForm(BaseForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=AskActionKind.choices)
    on = forms.DateField(label=_("On"), widget=DateInput)
    note = forms.CharField(
        label=_("What happened"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    organizations = forms.ModelMultipleChoiceField(
        label=_("Organizations signed on"),
        queryset=Organization.objects.none(),
        required=False,
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organization_field(self, "organizations", user, multiple=True)


class AskOutcomeForm(BaseForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=AskOutcome.choices)
    outcome_on = forms.DateField(
        label=_("Outcome date"), required=False, widget=DateInput, help_text=_("Leave empty for today.")
    )
    evidence = forms.CharField(
        label=_("Evidence of the outcome"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
