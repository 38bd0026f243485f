"""Input shapes for the scorecard pages run by staff: a session, an invitation, a batch of codes."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from commontable.core.forms import BaseForm
from commontable.investments.forms import VisibilityFields
from commontable.investments.models import Investment
from commontable.investments.permissions import visible_investments
from commontable.scorecards.choices import ScorerGroup, VersionStatus
from commontable.scorecards.models import RubricVersion


class SessionForm(VisibilityFields):
    title = forms.CharField(label=_("Title"), max_length=200)
    version = forms.ModelChoiceField(label=_("Rubric"), queryset=RubricVersion.objects.none(),
                                     help_text=_("The current published version of each rubric."))
    investment = forms.ModelChoiceField(label=_("Proposal (from the investment register)"),
                                        queryset=Investment.objects.none(), to_field_name="slug")
    public_link = forms.BooleanField(label=_("Anyone with the link may score"), required=False)
    codes_required = forms.BooleanField(label=_("The public link asks for a one-time code"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["version"].queryset = (RubricVersion.objects.filter(status=VersionStatus.PUBLISHED)
                                           .select_related("rubric").order_by("rubric__name"))
        self.fields["investment"].queryset = visible_investments(user).order_by("name")


class InvitationForm(BaseForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    group = forms.ChoiceField(label=_("Group"), choices=ScorerGroup.choices, initial=ScorerGroup.RESIDENT)
    language = forms.ChoiceField(label=_("Language of the form"), choices=settings.LANGUAGES, initial="en")


class CodesForm(BaseForm):
    count = forms.IntegerField(label=_("How many codes"), min_value=1, max_value=5000, initial=50)


OUTLINE_HELP = _(
    "One theme per “## name | weight” line, its description on the lines after it; one question per "
    "“- question | scale | weight N | no n/a” line (scales: 0-4, yes-partly-no, yes-no), its guidance on "
    "indented lines after it."
)


class RubricForm(BaseForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(label=_("Short name in web addresses"), max_length=80)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              max_length=3000)
    source_language = forms.ChoiceField(label=_("Language it is written in"), choices=settings.LANGUAGES, initial="en")
    outline = forms.CharField(label=_("Themes and questions"), widget=forms.Textarea(attrs={"rows": 20}),
                              help_text=OUTLINE_HELP, max_length=100_000)


class OutlineForm(BaseForm):
    outline = forms.CharField(label=_("Themes and questions"), widget=forms.Textarea(attrs={"rows": 24}),
                              help_text=OUTLINE_HELP, max_length=100_000)
