from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from commontable.core.forms import BaseForm


class LanguageForm(BaseForm):
    language = forms.ChoiceField(label=_("Interface language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)


class ApiTokenForm(BaseForm):
    name = forms.CharField(label=_("Token name"), max_length=100, help_text=_("What the token is for, e.g. “board report script”."))
    days = forms.TypedChoiceField(
        label=_("Expires after"), coerce=int,
        choices=[(30, _("30 days")), (90, _("90 days")), (365, _("1 year"))], initial=365,
    )
