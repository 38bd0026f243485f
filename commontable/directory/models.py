"""The member directory: organisations and their membership history, people and their
affiliations, tables (the coalitions inside the coalition), consent and access needs."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from commontable.core.models import IssueTopic, Place, PublicIdModel, TimeStampedModel
from commontable.core.search import SearchIndex
from commontable.core.visibility import Viewer, Visibility, VisibilityQuerySet, VisibleModel
from commontable.directory.choices import (
    BipocLed,
    BudgetBand,
    ConsentPurpose,
    ConsentSource,
    MembershipStatus,
    OrganizationKind,
    TableRole,
)


class OrganizationQuerySet(VisibilityQuerySet):
    table_field = "visibility_table"

    def extra_visibility(self, viewer: Viewer) -> models.Q:
        return models.Q(pk__in=viewer.organization_ids)

    def members(self):
        return self.filter(membership_status=MembershipStatus.MEMBER)


class Organization(PublicIdModel, TimeStampedModel, VisibleModel):
    """A community organisation in the coalition's orbit: applicant, member, lapsed or withdrawn.
    Its current status is kept on the row for filtering; `status_changes` holds the dated history."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in web addresses"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices, default=OrganizationKind.NONPROFIT)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    bipoc_led = models.CharField(
        _("BIPOC-led (self-identified)"), max_length=3, choices=BipocLed.choices, blank=True, default=BipocLed.UNSTATED
    )
    budget_band = models.CharField(_("budget"), max_length=12, choices=BudgetBand.choices, blank=True, default="")
    languages_served = models.JSONField(_("languages served"), default=list, blank=True)
    places_served = models.ManyToManyField(Place, blank=True, related_name="organizations", verbose_name=_("places served"))
    issues = models.ManyToManyField(IssueTopic, blank=True, related_name="organizations", verbose_name=_("issues"))
    website = models.URLField(_("website"), blank=True, max_length=300)
    email = models.EmailField(_("general email"), blank=True)
    phone = models.CharField(_("general phone"), max_length=40, blank=True)
    membership_status = models.CharField(
        _("membership status"), max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.APPLICANT, db_index=True
    )
    member_since = models.DateField(_("member since"), null=True, blank=True)
    values_affirmed_on = models.DateField(_("values last affirmed"), null=True, blank=True)
    values_version = models.CharField(_("version of the values affirmed"), max_length=40, blank=True)
    renewal_due_on = models.DateField(_("renewal due"), null=True, blank=True)
    shares_contacts = models.BooleanField(
        _("share our people's contact details with other member organizations"), default=False
    )
    visibility_table = models.ForeignKey(
        "directory.Table", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("table")
    )
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)

    history = HistoricalRecords(excluded_fields=["name_folded", "updated_at"])
    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        indexes = [models.Index(fields=["name"], name="organization_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=Visibility.values), name="organization_visibility_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(visibility=Visibility.TABLE) | models.Q(visibility_table__isnull=False),
                name="organization_table_visibility_has_table",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def languages_served_labels(self) -> list[str]:
        from commontable.core.text import language_label

        return [language_label(code) for code in self.languages_served or []]

    @property
    def renewal_overdue(self) -> bool:
        return self.renewal_due_on is not None and self.renewal_due_on < timezone.localdate()


class MembershipStatusChange(models.Model):
    """A dated step in an organisation's membership: applicant → member → lapsed / withdrawn."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=10, choices=MembershipStatus.choices)
    effective_on = models.DateField(_("effective"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-id"]
        verbose_name = _("membership status change")
        verbose_name_plural = _("membership status changes")

    def __str__(self) -> str:
        return f"{self.organization} → {self.status} ({self.effective_on})"


class Table(PublicIdModel, TimeStampedModel, VisibleModel):
    """A coalition inside the coalition (a transit-corridor coalition, a workforce table…), with
    the organisations taking part and the one that convenes it."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in web addresses"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    convenor = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="convened_tables", verbose_name=_("convenor")
    )
    issues = models.ManyToManyField(IssueTopic, blank=True, related_name="tables", verbose_name=_("issues"))
    places = models.ManyToManyField(Place, blank=True, related_name="tables", verbose_name=_("places"))
    is_active = models.BooleanField(_("active"), default=True)
    visibility_table = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = VisibilityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("table")
        verbose_name_plural = _("tables")

    def __str__(self) -> str:
        return self.name


class TableParticipation(models.Model):
    """An organisation taking part in a table, with its role and dates."""

    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="participations")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="table_participations")
    role = models.CharField(_("role"), max_length=10, choices=TableRole.choices, default=TableRole.MEMBER)
    joined_on = models.DateField(_("joined"), null=True, blank=True)
    left_on = models.DateField(_("left"), null=True, blank=True)

    class Meta:
        ordering = ["table", "organization__name"]
        verbose_name = _("table participation")
        verbose_name_plural = _("table participations")
        constraints = [
            models.UniqueConstraint(
                fields=["table", "organization"], condition=models.Q(left_on__isnull=True), name="one_open_participation"
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True) | models.Q(joined_on__isnull=True) | models.Q(left_on__gte=models.F("joined_on")),
                name="participation_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} @ {self.table}"


class PersonQuerySet(VisibilityQuerySet):
    def extra_visibility(self, viewer: Viewer) -> models.Q:
        # An IN list of the viewer's organisations' people: no join, so no DISTINCT over the list.
        q = (
            models.Q(pk__in=Affiliation.objects.filter(organization_id__in=viewer.organization_ids).values("person_id"))
            if viewer.organization_ids
            else models.Q(pk__in=[])
        )
        if viewer.person_id:
            q |= models.Q(pk=viewer.person_id)
        return q

    def active(self):
        return self.filter(merged_into__isnull=True)


class Person(PublicIdModel, TimeStampedModel, VisibleModel):
    """Someone the coalition works with. The name is kept exactly as the person writes it, in any
    script; first/last are never required. Contact details are shown beyond the person's own
    organisations only when those organisations consent (`Organization.shares_contacts`)."""

    full_name = models.CharField(_("full name"), max_length=200, help_text=_("As the person writes it."))
    name_for_greeting = models.CharField(_("name to use in greetings"), max_length=100, blank=True)
    sort_name = models.CharField(_("sort name"), max_length=200, blank=True)
    aliases = models.CharField(_("other spellings of the name"), max_length=500, blank=True)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language for contact"), max_length=20, blank=True, help_text=_("A language code such as en, es, so, hmn.")
    )
    email = models.EmailField(_("email"), blank=True, max_length=254)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    mobile = models.CharField(_("mobile (for text messages)"), max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    # Indexed only where set (`person_merged_idx`): every imported person has none.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from", editable=False,
        db_index=False,
    )
    visibility_table = models.ForeignKey(Table, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Every index on people is paid for by every import (docs/adr/0014-bulk-people-import.md): the
    # two look-up columns get one plain b-tree each in Meta.indexes (db_index would add a second,
    # `LIKE 'x%'` one on PostgreSQL that no query uses), and the folded name is served by
    # `person_active_name_idx` (active people's names).
    email_normalized = models.CharField(max_length=254, blank=True, editable=False)
    phone_normalized = models.CharField(max_length=20, blank=True, editable=False)
    name_folded = models.CharField(max_length=200, blank=True, editable=False)

    # Past versions are read per person (by id); their other indexes only slowed every write.
    history = HistoricalRecords(
        excluded_fields=["updated_at", "email_normalized", "phone_normalized", "name_folded"],
        no_db_index=["public_id", "user", "merged_into", "visibility_table"],
    )
    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name_folded", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            # The people list: active people in name order, read from the index without a sort
            # (PostgreSQL does not take `merged_into IS NULL` as an equality, so the condition is
            # the index's, not its first column); also the name look-ups of imports.
            models.Index(
                fields=["name_folded", "id"],
                condition=models.Q(merged_into__isnull=True),
                name="person_active_name_idx",
            ),
            # The few people merged into someone (merged_into = x), never written by imports.
            models.Index(
                fields=["merged_into"], condition=models.Q(merged_into__isnull=False), name="person_merged_idx"
            ),
            # The language filter lists the languages in use: read from this index, not the table.
            models.Index(fields=["preferred_language"], name="person_language_idx"),
            # Imports match people by email; the duplicates page groups them by phone.
            models.Index(fields=["email_normalized"], name="person_email_idx"),
            models.Index(fields=["phone_normalized"], name="person_phone_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name


class AffiliationQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(models.Q(end_on__isnull=True) | models.Q(end_on__gte=on)).filter(
            models.Q(start_on__isnull=True) | models.Q(start_on__lte=on)
        )


class Affiliation(models.Model):
    """A person belonging to an organisation: their role there, whether they represent it to the
    coalition, and the dates."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="affiliations")
    role = models.CharField(_("role"), max_length=100, blank=True)
    is_representative = models.BooleanField(_("represents the organization"), default=False)
    start_on = models.DateField(_("from"), null=True, blank=True)
    end_on = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords(no_db_index=["organization"])  # read per affiliation or person
    objects = AffiliationQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name"]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization"], condition=models.Q(end_on__isnull=True), name="one_open_affiliation"
            ),
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True) | models.Q(start_on__isnull=True) | models.Q(end_on__gte=models.F("start_on")),
                name="affiliation_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.organization}"


class ConsentRecord(models.Model):
    """The consent ledger: one row each time a person gives consent for a purpose, with the
    version of the text they agreed to. Withdrawal is recorded on the row and stops new use at once;
    rows are never deleted."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    text_version = models.CharField(_("version of the consent text"), max_length=40)
    source = models.CharField(_("how it was given"), max_length=10, choices=ConsentSource.choices, default=ConsentSource.WEB_FORM)
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["person", "purpose", "-given_at"], name="consent_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.person} · {self.purpose} · {self.text_version}"

    def is_active(self, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        if self.withdrawn_at is not None and self.withdrawn_at <= at:
            return False
        if self.expires_at is not None and self.expires_at <= at:
            return False
        return self.given_at <= at


class ConsentUsage(models.Model):
    """Each use made of a consent (a message sent, a detail shared), so a person can ask what was
    done under their consent."""

    consent = models.ForeignKey(ConsentRecord, on_delete=models.CASCADE, related_name="usages")
    used_at = models.DateTimeField(auto_now_add=True)
    used_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    detail = models.CharField(max_length=300)

    class Meta:
        ordering = ["-used_at"]
        verbose_name = _("consent usage")
        verbose_name_plural = _("consent usage log")

    def __str__(self) -> str:
        return f"{self.consent} used {self.used_at:%Y-%m-%d}"


class AccessNeeds(models.Model):
    """What a person needs to take part: the language they need interpreted (separate from their
    interface language) and accommodations. Shared with hosts only with consent."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="access_needs")
    interpretation_language = models.CharField(
        _("language for interpretation"), max_length=40, blank=True, help_text=_("For example: Somali, Hmong, ASL.")
    )
    accommodations = models.TextField(_("accommodations"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("access needs")
        verbose_name_plural = _("access needs")

    def __str__(self) -> str:
        return f"{self.person}: {self.interpretation_language or '—'}"


PERSON_SEARCH = SearchIndex(
    table="directory_person",
    fts_table="directory_person_fts",
    sqlite_columns=("full_name", "aliases", "email"),
    pg_expression="({t}name_folded || ' ' || {t}full_name || ' ' || {t}aliases || ' ' || translate({t}email_normalized, '@.+_-', '     '))",
    pg_index="directory_person_search_idx",
    sqlite_public_columns=("full_name", "aliases"),
    pg_public_expression="({t}name_folded || ' ' || {t}full_name || ' ' || {t}aliases)",
    pg_public_index="directory_person_name_search_idx",
    pg_private_expression="translate({t}email_normalized, '@.+_-', '     ')",
    pg_private_index="directory_person_email_search_idx",
)
