"""Input shapes of the policy inventory pages: a jurisdiction's status on a policy type, a new
policy type, and the matrix's filter. The rules (a date and a source for adopted and repealed, no
future dates, repeal only after adoption) are the service's, shown on these fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from commontable.core.forms import BaseForm, DateInput
from commontable.displacement.choices import PolicyStatus
from commontable.displacement.selectors_policies import jurisdiction_kind_choices
from commontable.displacement.services_policies import check_source_url


class CampaignChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.investment.name}: {obj.ask[:100]}"


class PolicyStatusForm(BaseForm):
    status = forms.ChoiceField(label=_("Status"), choices=PolicyStatus.choices, widget=forms.RadioSelect)
    status_date = forms.DateField(
        label=_("Since"), required=False, widget=DateInput,
        help_text=_("The day it was proposed, adopted or repealed; needed for adopted and repealed, never in the future."),
    )
    source_url = forms.CharField(
        label=_("Source (link)"), required=False, max_length=500,
        help_text=_("A web address starting with http:// or https://, e.g. the ordinance or the council's vote."),
        widget=forms.URLInput,
    )
    source_note = forms.CharField(
        label=_("Source (citation)"), required=False, max_length=300,
        help_text=_("e.g. Ordinance 23-45, section 3. Adopted and repealed policies need a link or a citation."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    campaigns = CampaignChoiceField(
        label=_("Linked campaigns"), required=False, queryset=None, to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The coalition's asks about this policy."),
    )

    def __init__(self, *args, campaign_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaigns"].queryset = campaign_choices.select_related("investment")

    def clean_source_url(self) -> str:
        try:
            return check_source_url(self.cleaned_data.get("source_url", ""))
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["source_url"]) from exc

    @classmethod
    def initial_from(cls, policy, campaigns) -> dict:
        if policy is None:
            return {"status": PolicyStatus.NONE}
        return {
            "status": policy.status, "status_date": policy.status_date, "source_url": policy.source_url,
            "source_note": policy.source_note, "notes": policy.notes,
            "campaigns": [ask.public_id for ask in campaigns],
        }


class PolicyTypeForm(BaseForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the policy does, in a sentence a neighbour would understand."),
    )


class MatrixFilterForm(BaseForm):
    kind = forms.ChoiceField(label=_("Jurisdictions"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All jurisdictions")), *jurisdiction_kind_choices()]
