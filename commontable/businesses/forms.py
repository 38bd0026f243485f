"""Input shapes for the business directory's pages. NAICS codes and amounts are taken as text so
that the services say exactly what is wrong with them (a code that is not 2 to 6 digits, a
negative amount, more than two decimals) on the right field."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from commontable.businesses.choices import CertificationProgram, EmployeesBand, SelfIdentified
from commontable.businesses.models import Business
from commontable.businesses.permissions import visible_businesses
from commontable.core.forms import BaseForm, DateInput
from commontable.core.models import Place
from commontable.directory.forms import LanguagesField
from commontable.directory.models import Organization
from commontable.investments.forms import MONEY_HELP, VisibilityFields, jurisdictions, organization_field
from commontable.investments.models import Investment
from commontable.investments.permissions import visible_investments

NAICS_HELP = _(
    "NAICS codes of 2 to 6 digits, separated by commas, such as 238220, 541330. "
    "A business with 238220 matches work asking for 2382 or 238."
)


class CodesField(forms.CharField):
    """NAICS codes as a line, handed to the service as text."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("help_text", NAICS_HELP)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "numeric"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value


class BusinessForm(VisibilityFields):
    name = forms.CharField(label=_("Name"), max_length=200)
    organization = forms.ModelChoiceField(
        label=_("Organization in the directory"), queryset=Organization.objects.none(), required=False,
        to_field_name="slug", empty_label=_("None"),
        help_text=_("Representatives of this organization may keep the business's profile up to date."),
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    bipoc_owned = forms.ChoiceField(label=_("BIPOC-owned (as the business identifies itself)"), choices=SelfIdentified.choices,
                                    required=False)
    woman_owned = forms.ChoiceField(label=_("Woman-owned (as the business identifies itself)"), choices=SelfIdentified.choices,
                                    required=False)
    veteran_owned = forms.ChoiceField(label=_("Veteran-owned (as the business identifies itself)"), choices=SelfIdentified.choices,
                                      required=False)
    naics_codes = CodesField(label=_("Trades (NAICS codes)"), required=False)
    places_served = forms.ModelMultipleChoiceField(label=_("Places served"), queryset=Place.objects.none(), required=False,
                                                   to_field_name="slug")
    bonding_limit = forms.CharField(label=_("Bonding limit"), required=False, max_length=40, help_text=MONEY_HELP,
                                    widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    employees = forms.ChoiceField(label=_("Employees"), choices=EmployeesBand.choices, required=False)
    languages = LanguagesField(label=_("Languages spoken"), help_text=_("Separate languages with commas, e.g. Somali, Hmong, Spanish."))
    preferred_language = forms.ChoiceField(label=_("Language for messages"), choices=settings.LANGUAGES, initial="en")
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    website = forms.URLField(label=_("Website"), required=False, max_length=300, assume_scheme="https")
    shares_contacts = forms.BooleanField(label=_("Share our email and phone with member organizations"), required=False)

    field_order = [
        "name", "organization", "description", "bipoc_owned", "woman_owned", "veteran_owned", "naics_codes", "places_served",
        "bonding_limit", "employees", "languages", "preferred_language", "email", "phone", "website", "shares_contacts",
        "visibility", "visibility_table",
    ]

    def __init__(self, *args, user, may_link: bool = True, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["places_served"].queryset = jurisdictions()
        if may_link:
            organization_field(self, "organization", user)
        else:
            # A representative keeps the business on their organisation and its visibility as is.
            for name in ("organization", "visibility", "visibility_table"):
                del self.fields[name]

    @staticmethod
    def initial_for(business: Business) -> dict:
        cents = business.bonding_limit_cents
        return {
            "name": business.name, "organization": business.organization, "description": business.description,
            "bipoc_owned": business.bipoc_owned, "woman_owned": business.woman_owned, "veteran_owned": business.veteran_owned,
            "naics_codes": list(business.trades.order_by("code").values_list("code", flat=True)),
            "places_served": list(business.places_served.all()),
            "bonding_limit": "" if cents is None else f"{cents // 100}.{cents % 100:02d}",
            "employees": business.employees, "languages": business.languages, "preferred_language": business.preferred_language,
            "email": business.email, "phone": business.phone, "website": business.website,
            "shares_contacts": business.shares_contacts, "visibility": business.visibility,
            "visibility_table": business.visibility_table,
        }


class NoticesConsentForm(BaseForm):
    consent = forms.BooleanField(
        # Translators: critical — consent wording; the business agrees to exactly this text.
        label=_("We agree to receive an email about each contracting opportunity that matches our trades, "
                "certifications and places. We can stop at any time."),
        required=False,
    )


class CertificationForm(BaseForm):
    program = forms.ChoiceField(label=_("Program"), choices=CertificationProgram.choices)
    program_other = forms.CharField(label=_("Program name (if other)"), required=False, max_length=100)
    number = forms.CharField(label=_("Certificate number"), required=False, max_length=60)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput,
                                  help_text=_("Leave empty if it does not expire."))


class OpportunityForm(VisibilityFields):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, max_length=10000,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    naics_codes = CodesField(label=_("Trades needed (NAICS codes)"),
                             help_text=_("NAICS codes of 2 to 6 digits, separated by commas. A business matches when one of its "
                                         "codes starts with one of these: 2382 is answered by 238210 and 238220."))
    certifications_wanted = forms.MultipleChoiceField(
        label=_("Certifications wanted (any of them)"), choices=CertificationProgram.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("None checked: any business with the trade may match."),
    )
    places = forms.ModelMultipleChoiceField(label=_("Places"), queryset=Place.objects.none(), required=False, to_field_name="slug",
                                            help_text=_("None chosen: businesses serving any place may match."))
    estimated_value = forms.CharField(label=_("Estimated value"), required=False, max_length=40, help_text=MONEY_HELP,
                                      widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    bid_due_on = forms.DateField(label=_("Bids due"), required=False, widget=DateInput,
                                 help_text=_("The date in Minnesota (America/Chicago time)."))
    links = forms.CharField(label=_("Links"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("Web addresses of the bid documents, one a line."))

    field_order = ["title", "description", "naics_codes", "certifications_wanted", "places", "estimated_value", "bid_due_on",
                   "links", "visibility", "visibility_table"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["places"].queryset = jurisdictions()

    def clean_links(self):
        return [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]

    @staticmethod
    def initial_for(opportunity) -> dict:
        cents = opportunity.estimated_value_cents
        return {
            "title": opportunity.title, "description": opportunity.description,
            "naics_codes": list(opportunity.trades.order_by("code").values_list("code", flat=True)),
            "certifications_wanted": opportunity.certifications_wanted, "places": list(opportunity.places.all()),
            "estimated_value": "" if cents is None else f"{cents // 100}.{cents % 100:02d}",
            "bid_due_on": opportunity.bid_due_on, "links": "\n".join(opportunity.links or []),
            "visibility": opportunity.visibility, "visibility_table": opportunity.visibility_table,
        }


class OpportunityCreateForm(OpportunityForm):
    investment = forms.ModelChoiceField(label=_("Investment"), queryset=Investment.objects.none(), to_field_name="slug")

    field_order = ["investment", *OpportunityForm.field_order]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["investment"].queryset = visible_investments(user).order_by("name")


class AwardForm(BaseForm):
    business = forms.ModelChoiceField(label=_("Business"), queryset=Business.objects.none(), to_field_name="slug",
                                      error_messages={"invalid_choice": _("Choose a business in the directory.")})
    amount = forms.CharField(label=_("Amount awarded"), required=False, max_length=40, help_text=MONEY_HELP,
                             widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    awarded_on = forms.DateField(label=_("Awarded on"), required=False, widget=DateInput, help_text=_("Leave empty for today."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business"].queryset = visible_businesses(user).order_by("name")


class CloseForm(BaseForm):
    note = forms.CharField(label=_("Why it closed"), required=False, max_length=500)
