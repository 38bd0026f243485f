"""Filters of the directory's list pages (and of their CSV/XLSX exports, which show exactly the
filtered rows). Choice lists only offer records the user may see."""

from __future__ import annotations

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commontable.core.forms import BaseForm
from commontable.core.models import IssueTopic, Place
from commontable.core.search import search_filter
from commontable.core.text import fold_name, language_label
from commontable.core.visibility import viewer_for
from commontable.directory.choices import CHANNEL_PURPOSES, BipocLed, MembershipStatus, OrganizationKind
from commontable.directory.models import PERSON_SEARCH, Affiliation, ConsentRecord, Person, TableParticipation
from commontable.directory.permissions import (
    contacts_visible_condition,
    visible_organizations,
    visible_tables,
)
from commontable.directory.selectors import person_language_list


def _visible_tables(request):
    return visible_tables(request.user if request else None).order_by("name")


def _visible_organizations(request):
    return visible_organizations(request.user if request else None).order_by("name")


class SearchInput(forms.TextInput):
    input_type = "search"


class OrganizationFilter(django_filters.FilterSet):
    """Organisations by name, kind, membership status, BIPOC leadership, issue, place and table."""

    q = django_filters.CharFilter(
        label=_("Name"), method="filter_q", max_length=200, widget=SearchInput(attrs={"autocomplete": "off"})
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=OrganizationKind.choices, empty_label=_("Any kind")
    )
    membership_status = django_filters.ChoiceFilter(
        label=_("Membership status"), choices=MembershipStatus.choices, empty_label=_("Any status")
    )
    bipoc_led = django_filters.ChoiceFilter(
        label=_("BIPOC-led"),
        choices=[(code, label) for code, label in BipocLed.choices if code],
        empty_label=_("Any"),
    )
    issue = django_filters.ModelChoiceFilter(
        label=_("Issue"),
        field_name="issues",
        queryset=IssueTopic.objects.all(),
        to_field_name="slug",
        empty_label=_("Any issue"),
        distinct=True,
    )
    place = django_filters.ModelChoiceFilter(
        label=_("Place served"),
        field_name="places_served",
        queryset=Place.objects.all(),
        to_field_name="slug",
        empty_label=_("Any place"),
        distinct=True,
    )
    values = django_filters.ChoiceFilter(
        label=_("Values affirmation"),
        method="filter_values",
        choices=[("current", _("Current")), ("overdue", _("Overdue or never affirmed"))],
        empty_label=_("Any"),
    )
    table = django_filters.ModelChoiceFilter(
        label=_("Table"),
        method="filter_table",
        queryset=_visible_tables,
        to_field_name="slug",
        empty_label=_("Any table"),
    )

    class Meta:
        form = BaseForm
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        folded = fold_name(value)
        condition = Q(name__icontains=value)
        if folded:
            condition |= Q(name_folded__contains=folded)
        return queryset.filter(condition)

    def filter_values(self, queryset, name, value):
        # The same rule as the plan's "current values affirmation" figure.
        today = timezone.localdate()
        current = Q(values_affirmed_on__lte=today, renewal_due_on__gte=today)
        return queryset.filter(current) if value == "current" else queryset.exclude(current)

    def filter_table(self, queryset, name, value):
        return queryset.filter(
            Exists(
                TableParticipation.objects.filter(
                    organization=OuterRef("pk"), table=value, left_on__isnull=True
                )
            )
        )


# Above this many organizations, the organization filter is a text field rather than a menu.
SELECT_LIMIT = 200


class PersonFilter(django_filters.FilterSet):
    """People by name (any spelling, accents ignored) or email, organisation and preferred
    language."""

    q = django_filters.CharFilter(
        label=_("Name or email"),
        method="filter_q",
        max_length=200,
        widget=SearchInput(attrs={"autocomplete": "off"}),
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("Organization"),
        method="filter_organization",
        queryset=_visible_organizations,
        to_field_name="slug",
        empty_label=_("Any organization"),
    )
    language = django_filters.ChoiceFilter(
        label=_("Preferred language"),
        field_name="preferred_language",
        choices=list,
        empty_label=_("Any language"),
    )
    contact_consent = django_filters.ChoiceFilter(
        label=_("Agreed to be contacted"),
        method="filter_contact_consent",
        choices=[("yes", _("Yes, on at least one channel")), ("no", _("No"))],
        empty_label=_("Any"),
    )

    class Meta:
        form = BaseForm
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user if self.request else None
        self.filters["language"].extra["choices"] = (
            [(code, language_label(code)) for code in person_language_list(user)]
            if user is not None
            else [(code, name) for code, name in settings.LANGUAGES]
        )
        if not viewer_for(user).is_staff:
            # Who agreed to be contacted is for staff, who do the contacting.
            del self.filters["contact_consent"]
        if visible_organizations(user).count() > SELECT_LIMIT:
            # Hundreds of options make a menu nobody can use and a page that is slow to build
            # and to download: above the limit the organization is named by its short name.
            self.filters["organization"].extra.update(
                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
                help_text=_("The organization's short name, as in its web address (e.g. %(example)s).")
                % {"example": "cedar-tenants-united"},
            )

    def filter_q(self, queryset, name, value):
        """Every word is a prefix of a name or an email, through the full-text index (fast at
        100,000 people). Email matches count only where the user may see that person's contacts:
        a search must not confirm an address the page would hide."""
        value = value.strip()
        if not value:
            return queryset
        user = self.request.user if self.request else None
        everything = Q(pk__in=search_filter(Person.objects.all(), PERSON_SEARCH, value).values("pk"))
        if viewer_for(user).is_staff:
            return queryset.filter(everything)
        names = Q(pk__in=search_filter(Person.objects.all(), PERSON_SEARCH, value, private=False).values("pk"))
        return queryset.filter(names | (everything & contacts_visible_condition(user)))

    def filter_contact_consent(self, queryset, name, value):
        # The same rule as the plan's "people who agreed to be contacted" figure.
        now = timezone.now()
        consenting = ConsentRecord.objects.filter(
            purpose__in=list(CHANNEL_PURPOSES.values()), given_at__lte=now
        ).filter(
            Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=now), Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        ).values("person_id")
        return queryset.filter(pk__in=consenting) if value == "yes" else queryset.exclude(pk__in=consenting)

    def filter_organization(self, queryset, name, value):
        # An IN list from the affiliation index, not a correlated EXISTS per person.
        members = Affiliation.objects.current().filter(organization=value).values("person_id")
        return queryset.filter(pk__in=members)
