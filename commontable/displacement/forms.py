"""Input shapes of the displacement data pages: a census file upload and a computation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from commontable.core.forms import BaseForm
from commontable.displacement.choices import Profile, SourceKind
from commontable.displacement.models import Region

YEARS = (2005, 2100)


class SourceUploadForm(BaseForm):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=SourceKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("A Census Data API response (.json), a data.census.gov export (.csv or .zip), tract "
                    "boundaries (zipped TIGER/Line shapefile or GeoJSON), or the 2010→2020 relationship file (.txt or .csv)."),
    )
    year = forms.IntegerField(
        label=_("Survey end year"), required=False, min_value=YEARS[0], max_value=YEARS[1],
        help_text=_("For survey tables whose file name does not say it, e.g. 2022 for the 2018–2022 survey."),
    )


class RunForm(BaseForm):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), empty_label=None)
    profile = forms.ChoiceField(label=_("Profile"), choices=Profile.choices, initial=Profile.TWIN_CITIES)
    t0 = forms.IntegerField(label=_("Start year (survey end year)"), min_value=YEARS[0], max_value=YEARS[1])
    t1 = forms.IntegerField(label=_("End year (survey end year)"), min_value=YEARS[0], max_value=YEARS[1])

    def clean(self):
        cleaned = super().clean()
        t0, t1 = cleaned.get("t0"), cleaned.get("t1")
        if t0 and t1 and t1 - t0 < 5:
            self.add_error("t1", _("Compare survey windows that do not overlap: the end year must be at least five years after the start year."))
        return cleaned
