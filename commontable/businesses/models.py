"""BIPOC-owned businesses and the contracting opportunities on watched investments.

A `Business` states who owns it (self-identified), its trades as NAICS codes (`BusinessTrade`),
the places it serves, its capacity and its `Certification`s, each with its dates: an expired
certification is still shown, marked expired, but never counts for matching. A
`ContractingOpportunity` hangs on an `investments.Investment`: the trades it needs
(`OpportunityTrade`), the certifications it wants (any of them), the places, the value and the bid
due date; it is open, closed or awarded (to a business, for an amount). Money is integer cents.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from commontable.businesses.choices import (
    PROGRAM_SHORT,
    CertificationProgram,
    EmployeesBand,
    OpportunityStatus,
    SelfIdentified,
)
from commontable.core.models import Place, PublicIdModel, TimeStampedModel
from commontable.core.visibility import Viewer, Visibility, VisibilityQuerySet, VisibleModel


class BusinessQuerySet(VisibilityQuerySet):
    def extra_visibility(self, viewer: Viewer) -> models.Q:
        # A business linked to one of the viewer's organisations is theirs to see.
        return models.Q(organization_id__in=viewer.organization_ids) if viewer.organization_ids else models.Q(pk__in=[])

    def consenting(self):
        """Businesses that agreed to hear about opportunities and have not withdrawn."""
        return self.filter(notices_consent_at__isnull=False, notices_withdrawn_at__isnull=True)


class Business(TimeStampedModel, VisibleModel):
    """A business in the BIPOC business directory: ownership as it states it, trades (NAICS),
    places served, capacity, certifications, and how to reach it. Its email and phone are shown
    beyond staff and its own organisation only with its consent (`shares_contacts`), as the
    directory does for people; it hears about matching opportunities only with its consent to
    notices (given, with the version of the text, and withdrawable at any time)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in web addresses"), max_length=80, unique=True)
    organization = models.ForeignKey(
        "directory.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="businesses",
        verbose_name=_("organization in the directory"),
    )
    description = models.TextField(_("description"), blank=True, max_length=5000)
    bipoc_owned = models.CharField(_("BIPOC-owned (self-identified)"), max_length=3, choices=SelfIdentified.choices,
                                   blank=True, default=SelfIdentified.UNSTATED, db_index=True)
    woman_owned = models.CharField(_("woman-owned (self-identified)"), max_length=3, choices=SelfIdentified.choices,
                                   blank=True, default=SelfIdentified.UNSTATED)
    veteran_owned = models.CharField(_("veteran-owned (self-identified)"), max_length=3, choices=SelfIdentified.choices,
                                     blank=True, default=SelfIdentified.UNSTATED)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True, max_length=300)
    shares_contacts = models.BooleanField(_("share our email and phone with member organizations"), default=False)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    preferred_language = models.CharField(
        _("language for messages"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    places_served = models.ManyToManyField(Place, blank=True, related_name="businesses", verbose_name=_("places served"))
    bonding_limit_cents = models.BigIntegerField(_("bonding limit"), null=True, blank=True)
    employees = models.CharField(_("employees"), max_length=8, choices=EmployeesBand.choices, blank=True, default="")
    notices_consent_at = models.DateTimeField(_("agreed to hear about opportunities"), null=True, blank=True)
    notices_consent_version = models.CharField(_("version of the text agreed to"), max_length=40, blank=True)
    notices_withdrawn_at = models.DateTimeField(_("withdrew from opportunity notices"), null=True, blank=True)
    visibility_table = models.ForeignKey("directory.Table", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = BusinessQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        indexes = [models.Index(fields=["visibility", "name"], name="business_list_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(bonding_limit_cents__isnull=True) | models.Q(bonding_limit_cents__gte=0),
                                   name="business_bonding_not_negative"),
            models.CheckConstraint(condition=~models.Q(visibility=Visibility.TABLE) | models.Q(visibility_table__isnull=False),
                                   name="business_table_visibility_has_table"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def consents_to_notices(self) -> bool:
        return self.notices_consent_at is not None and self.notices_withdrawn_at is None

    @property
    def languages_labels(self) -> list[str]:
        return list(self.languages or [])


class BusinessTrade(models.Model):
    """One NAICS code a business works in (2 to 6 digits, checked by `naics.validate_code`)."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="trades")
    code = models.CharField(_("NAICS code"), max_length=6)

    class Meta:
        ordering = ["business", "code"]
        verbose_name = _("trade")
        verbose_name_plural = _("trades")
        constraints = [models.UniqueConstraint(fields=["business", "code"], name="business_trade_unique")]
        indexes = [models.Index(fields=["code", "business"], name="business_trade_code_idx")]

    def __str__(self) -> str:
        return self.code


class CertificationQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None):
        """Certifications valid on the day (today by default): begun, and not yet expired."""
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=on))


class Certification(PublicIdModel, models.Model):
    """A certification a business holds from a program (CERT, TGB, DBE, MBE/WBE…), with its number
    and dates. Expired ones stay on record, shown as expired, and do not count for matching."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="certifications")
    program = models.CharField(_("program"), max_length=10, choices=CertificationProgram.choices, db_index=True)
    program_other = models.CharField(_("program name (if other)"), max_length=100, blank=True)
    number = models.CharField(_("certificate number"), max_length=60, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["business", "program", "-valid_from", "id"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        indexes = [models.Index(fields=["program", "valid_until"], name="certification_program_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
                                   name="certification_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.short_name} {self.number}".strip()

    @property
    def short_name(self) -> str:
        if self.program == CertificationProgram.OTHER:
            return self.program_other or str(CertificationProgram.OTHER.label)
        return PROGRAM_SHORT.get(self.program, self.program)

    def is_current(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.valid_from <= on and (self.valid_until is None or self.valid_until >= on)

    @property
    def is_expired(self) -> bool:
        return self.valid_until is not None and self.valid_until < timezone.localdate()


class OpportunityQuerySet(VisibilityQuerySet):
    def visible_to(self, user):
        # Seen only on an investment the user may see too.
        from commontable.investments.models import Investment

        return super().visible_to(user).filter(investment__in=Investment.objects.visible_to(user))


class ContractingOpportunity(PublicIdModel, TimeStampedModel, VisibleModel):
    """Work on a watched investment that businesses can bid for: the trades (NAICS) it needs, the
    certifications it wants (any of them; none means any business), the places, its estimated value
    and the date bids are due (a date in America/Chicago, the region's time). Open, then closed or
    awarded to a business for an amount."""

    investment = models.ForeignKey("investments.Investment", on_delete=models.CASCADE,
                                   related_name="contracting_opportunities", verbose_name=_("investment"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    certifications_wanted = models.JSONField(_("certifications wanted (any of)"), default=list, blank=True)
    places = models.ManyToManyField(Place, blank=True, related_name="contracting_opportunities", verbose_name=_("places"))
    estimated_value_cents = models.BigIntegerField(_("estimated value"), null=True, blank=True)
    bid_due_on = models.DateField(_("bids due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=OpportunityStatus.choices, default=OpportunityStatus.OPEN,
                              db_index=True)
    awarded_to = models.ForeignKey(Business, null=True, blank=True, on_delete=models.PROTECT, related_name="awards",
                                   verbose_name=_("awarded to"))
    awarded_amount_cents = models.BigIntegerField(_("amount awarded"), null=True, blank=True)
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    visibility_table = models.ForeignKey("directory.Table", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = OpportunityQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("contracting opportunity")
        verbose_name_plural = _("contracting opportunities")
        indexes = [models.Index(fields=["investment", "status"], name="opportunity_investment_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(estimated_value_cents__isnull=True) | models.Q(estimated_value_cents__gte=0),
                                   name="opportunity_value_not_negative"),
            models.CheckConstraint(condition=models.Q(awarded_amount_cents__isnull=True) | models.Q(awarded_amount_cents__gte=0),
                                   name="opportunity_award_not_negative"),
            models.CheckConstraint(condition=~models.Q(status=OpportunityStatus.AWARDED) | models.Q(awarded_to__isnull=False),
                                   name="opportunity_awarded_has_business"),
            models.CheckConstraint(condition=models.Q(status__in=OpportunityStatus.values), name="opportunity_status_valid"),
            models.CheckConstraint(condition=~models.Q(visibility=Visibility.TABLE) | models.Q(visibility_table__isnull=False),
                                   name="opportunity_table_visibility_has_table"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == OpportunityStatus.OPEN


class OpportunityTrade(models.Model):
    """One NAICS code an opportunity asks for, at the level it means (2 to 6 digits)."""

    opportunity = models.ForeignKey(ContractingOpportunity, on_delete=models.CASCADE, related_name="trades")
    code = models.CharField(_("NAICS code"), max_length=6)

    class Meta:
        ordering = ["opportunity", "code"]
        verbose_name = _("trade asked for")
        verbose_name_plural = _("trades asked for")
        constraints = [models.UniqueConstraint(fields=["opportunity", "code"], name="opportunity_trade_unique")]

    def __str__(self) -> str:
        return self.code
