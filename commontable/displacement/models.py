"""Displacement watch: tracts and their survey values, computed results, community reports and the
anti-displacement policy inventory.

Census data (tracts, survey values, results) is public. Community reports are seen in full by staff
and by the member who made them; everyone else sees them only counted per tract, with small counts
suppressed (`core.suppression`). Policies are public.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from commontable.core.models import Place, PublicIdModel, TimeStampedModel
from commontable.displacement.choices import (
    DEFAULT_POLICY_TYPES,
    PolicyStatus,
    Profile,
    ReportKind,
    RunStatus,
    SourceKind,
)


class Region(models.Model):
    """The tracts whose medians a computation compares against: a set of counties. A coalition
    elsewhere adds its own; the Twin Cities seven-county region ships as the default."""

    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    county_fips = models.JSONField(_("counties (5-digit FIPS codes)"), default=list)
    is_default = models.BooleanField(_("default region"), default=False)

    class Meta:
        ordering = ["-is_default", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class SourceLoad(PublicIdModel):
    """One public file loaded (survey table, tract boundaries, relationship file), with what it held.
    Synthetic demo data is marked here, and every page built on it says so."""

    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("End year of a 5-year survey, or the boundary year"))
    geography_year = models.PositiveSmallIntegerField(_("tract boundaries of"))
    variables = models.JSONField(_("variables"), default=list, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    synthetic = models.BooleanField(_("invented demo data"), default=False)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    loaded_at = models.DateTimeField(_("loaded"), auto_now_add=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-loaded_at", "-id"]
        verbose_name = _("census file loaded")
        verbose_name_plural = _("census files loaded")

    def __str__(self) -> str:
        return self.file_name


class Tract(models.Model):
    """A census tract in the boundaries of one census (2010 or 2020), in WGS84 longitude/latitude."""

    geoid = models.CharField(_("GEOID"), max_length=11)
    geography_year = models.PositiveSmallIntegerField(_("boundaries of"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    county_fips = models.CharField(_("county"), max_length=5, db_index=True)
    aland_m2 = models.BigIntegerField(_("land area (m²)"), default=0)
    awater_m2 = models.BigIntegerField(_("water area (m²)"), default=0)
    geometry = models.TextField(_("boundary (GeoJSON)"))
    centroid_lon = models.FloatField()
    centroid_lat = models.FloatField()
    synthetic = models.BooleanField(_("invented demo data"), default=False)
    source = models.ForeignKey(SourceLoad, null=True, blank=True, on_delete=models.SET_NULL, related_name="tracts")
    # GEOIDs of the tracts of the same census that touch this one (queen contiguity), worked out once
    # when boundaries are loaded so that computations need not redo it (seconds nationally).
    neighbours = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        ordering = ["geoid"]
        verbose_name = _("census tract")
        verbose_name_plural = _("census tracts")
        constraints = [models.UniqueConstraint(fields=["geography_year", "geoid"], name="tract_unique_per_census")]

    def __str__(self) -> str:
        return self.name or self.geoid


class SurveyValues(models.Model):
    """The survey (ACS 5-year) values of one tract for one window: {variable: [estimate, margin,
    annotation]}, with None for a missing value (never zero)."""

    year = models.PositiveSmallIntegerField(_("survey end year"))
    geography_year = models.PositiveSmallIntegerField(_("tract boundaries of"))
    geoid = models.CharField(_("GEOID"), max_length=11)
    values = models.JSONField(default=dict)
    synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("survey values")
        verbose_name_plural = _("survey values")
        constraints = [
            models.UniqueConstraint(fields=["year", "geography_year", "geoid"], name="surveyvalues_unique")
        ]

    def __str__(self) -> str:
        return f"{self.geoid} {self.year}"


class TractRelationship(models.Model):
    """One part of the 2010→2020 tract change: the share of a 2010 tract that lies in a 2020 tract,
    by universe (land area from the Census file; population, households, units from NHGIS)."""

    source_geoid = models.CharField(max_length=11, db_index=True)
    target_geoid = models.CharField(max_length=11)
    weights = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("tract relationship")
        verbose_name_plural = _("tract relationships")
        constraints = [
            models.UniqueConstraint(fields=["source_geoid", "target_geoid"], name="tractrelationship_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source_geoid} → {self.target_geoid}"


class Run(PublicIdModel):
    """One computation of the typology, risk index and sensitivity flags for a region, a profile
    and a window. The map shows the latest finished run; older runs stay for comparison."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="runs", verbose_name=_("region"))
    profile = models.CharField(_("profile"), max_length=20, choices=Profile.choices, default=Profile.TWIN_CITIES)
    t0 = models.PositiveSmallIntegerField(_("start year"))
    t1 = models.PositiveSmallIntegerField(_("end year"))
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    error = models.TextField(_("error"), blank=True)
    synthetic = models.BooleanField(_("built on invented demo data"), default=False)
    tract_count = models.PositiveIntegerField(default=0)
    parameters = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("computation")
        verbose_name_plural = _("computations")
        indexes = [models.Index(fields=["region", "profile", "status", "-created_at"], name="run_latest_idx")]

    def __str__(self) -> str:
        return f"{self.region} {self.profile} {self.t0}–{self.t1}"


class TractResult(models.Model):
    """What a run found for one tract: its type and why, its risk index, the sensitivity flags,
    the building blocks and the inputs (estimate and margin) it used."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="results")
    geoid = models.CharField(_("GEOID"), max_length=11)
    typology = models.CharField(_("type"), max_length=12, db_index=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    flags = models.JSONField(default=list, blank=True)
    stability = models.FloatField(_("stability"), null=True, blank=True)
    risk_score = models.FloatField(_("risk index"), null=True, blank=True)
    risk_class = models.CharField(_("risk class"), max_length=12, blank=True)
    bipoc_share = models.FloatField(null=True, blank=True)
    sensitivity = models.JSONField(default=dict, blank=True)
    blocks = models.JSONField(default=dict, blank=True)
    inputs = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["geoid"]
        verbose_name = _("tract result")
        verbose_name_plural = _("tract results")
        constraints = [models.UniqueConstraint(fields=["run", "geoid"], name="tractresult_unique")]

    def __str__(self) -> str:
        return f"{self.geoid}: {self.typology}"


class CommunityReport(PublicIdModel, TimeStampedModel):
    """A displacement event a member witnessed (an eviction notice, a rent spike, a closure …).
    The place is kept for staff only; the public sees counts per tract, suppressed under five."""

    kind = models.CharField(_("what happened"), max_length=20, choices=ReportKind.choices)
    description = models.TextField(_("what you saw"), max_length=4000, blank=True)
    occurred_on = models.DateField(_("when it happened"))
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    geoid = models.CharField(_("tract"), max_length=11, blank=True, db_index=True)
    consent_aggregate = models.BooleanField(_("may be counted on the public map"), default=False)
    consent_contact = models.BooleanField(_("staff may contact me about it"), default=False)
    consent_text_version = models.CharField(max_length=20, blank=True)
    language = models.CharField(max_length=10, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="displacement_reports"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("community report")
        verbose_name_plural = _("community reports")
        constraints = [
            models.CheckConstraint(condition=models.Q(lon__gte=-180, lon__lte=180, lat__gte=-90, lat__lte=90),
                                   name="communityreport_coordinates_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class PolicyType(models.Model):
    """A kind of anti-displacement policy (tenant opportunity to purchase, just-cause eviction, …).
    The usual ones ship with the app; staff add others."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("policy type")
        verbose_name_plural = _("policy types")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The shipped types in the reader's language; the ones staff added as typed."""
        shipped = {slug: name for slug, name, _description in DEFAULT_POLICY_TYPES}
        return str(shipped.get(self.slug, self.name))

    @property
    def display_description(self) -> str:
        shipped = {slug: description for slug, _name, description in DEFAULT_POLICY_TYPES}
        return str(shipped.get(self.slug, self.description))


class Policy(TimeStampedModel):
    """Where one jurisdiction stands on one policy type, with the date and source of its status.
    Every change is kept (`history`)."""

    jurisdiction = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="displacement_policies", verbose_name=_("jurisdiction"))
    policy_type = models.ForeignKey(PolicyType, on_delete=models.PROTECT, related_name="policies", verbose_name=_("policy"))
    status = models.CharField(_("status"), max_length=10, choices=PolicyStatus.choices, default=PolicyStatus.NONE)
    status_date = models.DateField(_("status since"), null=True, blank=True)
    source_url = models.URLField(_("source (link)"), blank=True, max_length=500)
    source_note = models.CharField(_("source (citation)"), blank=True, max_length=300)
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    campaigns = models.ManyToManyField("investments.CampaignAsk", blank=True, related_name="displacement_policies",
                                       verbose_name=_("linked campaigns"))

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["jurisdiction__name", "policy_type__position"]
        verbose_name = _("policy status")
        verbose_name_plural = _("policy statuses")
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "policy_type"], name="policy_unique_per_jurisdiction"),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction}: {self.policy_type}"
