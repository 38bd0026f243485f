"""Input shapes of the directory's pages. Every form refuses NUL bytes and control characters
(BaseForm / BaseModelForm) and enforces the model's maximum lengths; names are kept exactly as
typed, in any script. Views pass `cleaned_data` to services: forms never save."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from commontable.core.forms import BaseForm, BaseModelForm, DateInput, StrictIntegerField
from commontable.core.models import IssueTopic, Place
from commontable.core.visibility import Visibility
from commontable.directory.choices import ConsentPurpose, ConsentSource, MembershipStatus, TableRole
from commontable.directory.models import Organization, Person, Table
from commontable.directory.services import RESERVED_SLUGS

# The version of the consent wording people agree to on the web form today. Staff recording a
# paper form type the version printed on it.
CONSENT_TEXT_VERSION = "2025-1"


def _check_table_visibility(form, cleaned) -> None:
    if cleaned.get("visibility") == Visibility.TABLE and not cleaned.get("visibility_table"):
        form.add_error("visibility_table", _("Choose the table whose members may see this record."))


class LanguagesField(forms.CharField):
    """Languages as a comma-separated line, stored as a list."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        items = [item.strip() for item in text.split(",") if item.strip()]
        if any(len(item) > 60 for item in items):
            raise ValidationError(_("Each language name can be at most 60 characters."), code="max_length")
        return list(dict.fromkeys(items))


ORGANIZATION_PROFILE_FIELDS = [
    "name",
    "kind",
    "description",
    "bipoc_led",
    "budget_band",
    "languages_served",
    "places_served",
    "issues",
    "website",
    "email",
    "phone",
    "shares_contacts",
]


class OrganizationProfileForm(BaseModelForm):
    """What an organisation's representative may change: its profile and its consent to share
    its people's contact details. Membership status and visibility are staff decisions."""

    languages_served = LanguagesField(
        label=_("Languages served"),
        help_text=_("Separate languages with commas, e.g. Somali, Hmong, Spanish."),
    )
    issues = forms.ModelMultipleChoiceField(
        label=_("Issues"),
        queryset=IssueTopic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    places_served = forms.ModelMultipleChoiceField(
        label=_("Places served"),
        queryset=Place.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Organization
        fields = ORGANIZATION_PROFILE_FIELDS


class OrganizationStaffForm(OrganizationProfileForm):
    """Staff edit everything on the profile, and who may see the organisation."""

    class Meta(OrganizationProfileForm.Meta):
        fields = [*ORGANIZATION_PROFILE_FIELDS, "visibility", "visibility_table"]

    def clean(self):
        cleaned = super().clean()
        _check_table_visibility(self, cleaned)
        return cleaned


class OrganizationCreateForm(OrganizationStaffForm):
    """A new organisation: its short web-address name (made from the name when left empty) and
    the membership status it starts with."""

    slug = forms.SlugField(
        label=_("Short name in web addresses"),
        max_length=80,
        required=False,
        help_text=_("Leave empty to make one from the name."),
    )
    membership_status = forms.ChoiceField(
        label=_("Membership status"), choices=MembershipStatus.choices, initial=MembershipStatus.APPLICANT
    )

    class Meta(OrganizationStaffForm.Meta):
        fields = ["slug", *OrganizationStaffForm.Meta.fields, "membership_status"]

    def clean_slug(self):
        slug = self.cleaned_data.get("slug", "")
        if slug in RESERVED_SLUGS or (slug and Organization.objects.filter(slug=slug).exists()):
            raise ValidationError(_("Another organization already uses this short name."), code="unique")
        return slug


class OrganizationStatusForm(BaseForm):
    status = forms.ChoiceField(label=_("New membership status"), choices=MembershipStatus.choices)
    effective_on = forms.DateField(
        label=_("Effective"), required=False, widget=DateInput, help_text=_("Leave empty for today.")
    )
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class OrganizationValuesForm(BaseForm):
    version = forms.CharField(
        label=_("Version of the values affirmed"),
        max_length=40,
        help_text=_("As printed on the values statement, e.g. 2025."),
    )
    on = forms.DateField(
        label=_("Affirmed on"), required=False, widget=DateInput, help_text=_("Leave empty for today.")
    )
    renewal_years = StrictIntegerField(label=_("Renew after (years)"), min_value=1, max_value=5, initial=1)


PERSON_FIELDS = [
    "full_name",
    "name_for_greeting",
    "sort_name",
    "aliases",
    "pronouns",
    "preferred_language",
    "email",
    "phone",
    "mobile",
]


class PersonForm(BaseModelForm):
    """A person's name (exactly as they write it), pronouns, language and contact details."""

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "off"})}


class PersonStaffForm(PersonForm):
    class Meta(PersonForm.Meta):
        fields = [*PERSON_FIELDS, "visibility", "visibility_table"]

    def clean(self):
        cleaned = super().clean()
        _check_table_visibility(self, cleaned)
        return cleaned


class AffiliationFields(BaseForm):
    """The organisation a person belongs to and their role there; the organisations offered are
    those the user may add people to."""

    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), to_field_name="slug"
    )
    role = forms.CharField(label=_("Role there"), max_length=100, required=False)
    is_representative = forms.BooleanField(
        label=_("Represents the organization to the coalition"), required=False
    )

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"].queryset = organizations


class AffiliationAddForm(AffiliationFields):
    start_on = forms.DateField(
        label=_("From"), required=False, widget=DateInput, help_text=_("Leave empty for today.")
    )


class AffiliationEndForm(BaseForm):
    end_on = forms.DateField(
        label=_("Until"), required=False, widget=DateInput, help_text=_("Leave empty for today.")
    )


class PersonCreateAffiliationForm(AffiliationFields):
    """On the new-person page: optional for staff, required for a representative."""

    def __init__(self, *args, required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].required = required


class AccessNeedsForm(BaseForm):
    interpretation_language = forms.CharField(
        label=_("Language for interpretation"),
        max_length=40,
        required=False,
        help_text=_("For example: Somali, Hmong, ASL."),
    )
    accommodations = forms.CharField(
        label=_("Accommodations"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ConsentGiveForm(BaseForm):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    source = forms.ChoiceField(
        label=_("How it was given"), choices=ConsentSource.choices, initial=ConsentSource.WEB_FORM
    )
    text_version = forms.CharField(
        label=_("Version of the consent text"), max_length=40, initial=CONSENT_TEXT_VERSION
    )


class ConsentWithdrawForm(BaseForm):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)


class PersonMergeForm(BaseForm):
    """Which of two records to keep; the other becomes a pointer to it."""

    keep = forms.ChoiceField(label=_("Keep this record"), widget=forms.RadioSelect)

    def __init__(self, *args, first: Person, second: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(first.public_id): first, str(second.public_id): second}
        self.fields["keep"].choices = [
            (str(first.public_id), first.full_name),
            (str(second.public_id), second.full_name),
        ]

    def keep_and_duplicate(self) -> tuple[Person, Person]:
        keep_id = self.cleaned_data["keep"]
        keep = self.people[keep_id]
        duplicate = next(person for key, person in self.people.items() if key != keep_id)
        return keep, duplicate


TABLE_VISIBILITY_CHOICES = [(v, label) for v, label in Visibility.choices if v != Visibility.TABLE]


class TableForm(BaseModelForm):
    """A table's name, description, convenor, issues, places, and who may see it."""

    issues = forms.ModelMultipleChoiceField(
        label=_("Issues"),
        queryset=IssueTopic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    places = forms.ModelMultipleChoiceField(
        label=_("Places"), queryset=Place.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    visibility = forms.ChoiceField(
        label=_("Who may see it"), choices=TABLE_VISIBILITY_CHOICES, initial=Visibility.MEMBERS
    )

    class Meta:
        model = Table
        fields = ["name", "description", "convenor", "issues", "places", "is_active", "visibility"]


class TableCreateForm(TableForm):
    slug = forms.SlugField(
        label=_("Short name in web addresses"),
        max_length=80,
        required=False,
        help_text=_("Leave empty to make one from the name."),
    )

    class Meta(TableForm.Meta):
        fields = ["slug", *TableForm.Meta.fields]

    def clean_slug(self):
        slug = self.cleaned_data.get("slug", "")
        if slug in RESERVED_SLUGS or (slug and Table.objects.filter(slug=slug).exists()):
            raise ValidationError(_("Another table already uses this short name."), code="unique")
        return slug


class TableParticipationAddForm(BaseForm):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.all(), to_field_name="slug"
    )
    role = forms.ChoiceField(label=_("Role"), choices=TableRole.choices, initial=TableRole.MEMBER)
    joined_on = forms.DateField(
        label=_("Joined"), required=False, widget=DateInput, help_text=_("Leave empty for today.")
    )


class TableParticipationEndForm(BaseForm):
    left_on = forms.DateField(
        label=_("Left"), required=False, widget=DateInput, help_text=_("Leave empty for today.")
    )
