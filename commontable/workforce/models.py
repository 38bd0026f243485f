"""Workforce goals on watched investments and the hours actually worked, from certified payroll.

A `WorkforceGoal` says what share of an investment's total hours should go to BIPOC workers, to
women, to apprentices (or to local residents), as a CBA, an ordinance or a contract states it.
An `HoursRecord` is one contractor's hours in one trade for one pay period, as certified-payroll
exports report them: the total and the hours of each group. Hours are stored as integer
hundredths of an hour (ADR 11): sums are exact on SQLite and PostgreSQL alike, and shares are
computed from integers. Worker names are never stored: imports keep only these totals.

Both follow their investment's visibility: a user sees them exactly when they may see it.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from commontable.core.models import PublicIdModel, TimeStampedModel
from commontable.investments.models import Investment
from commontable.workforce.choices import GoalSource, Measure

HUNDRED = 100
# Group columns of an HoursRecord, each a part of `total_hundredths`.
PART_FIELDS = (
    "bipoc_hundredths",
    "women_hundredths",
    "apprentice_hundredths",
    "apprentice_bipoc_hundredths",
    "local_hundredths",
    "unknown_race_hundredths",
)
MEASURE_FIELDS = {
    Measure.BIPOC: "bipoc_hundredths",
    Measure.WOMEN: "women_hundredths",
    Measure.APPRENTICE: "apprentice_hundredths",
    Measure.LOCAL: "local_hundredths",
}


def hours(hundredths: int | None) -> Decimal | None:
    """Hundredths of an hour as hours (Decimal with two places)."""
    return None if hundredths is None else (Decimal(hundredths) / HUNDRED).quantize(Decimal("0.01"))


class OnVisibleInvestmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Records on the investments the user may see (workforce records have no visibility of
        their own: they follow their investment's)."""
        return self.filter(investment__in=Investment.objects.visible_to(user))


class WorkforceGoal(PublicIdModel, TimeStampedModel):
    """A stated goal for one share of an investment's total hours (e.g. 32% of hours by BIPOC
    workers), from a CBA, an ordinance or a contract, in force from one date until another."""

    investment = models.ForeignKey(Investment, on_delete=models.CASCADE, related_name="workforce_goals")
    measure = models.CharField(_("measure"), max_length=12, choices=Measure.choices)
    target_percent = models.DecimalField(
        _("goal (percent of total hours)"), max_digits=4, decimal_places=1,
        help_text=_("From 0 to 100, with at most one decimal, e.g. 32.5."),
    )
    source = models.CharField(_("source"), max_length=12, choices=GoalSource.choices)
    source_note = models.CharField(
        _("where it is stated"), max_length=300, blank=True,
        help_text=_("e.g. the agreement's section or the ordinance's number."),
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)

    objects = OnVisibleInvestmentQuerySet.as_manager()

    class Meta:
        ordering = ["investment", "measure", "starts_on", "id"]
        verbose_name = _("workforce goal")
        verbose_name_plural = _("workforce goals")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_percent__gte=0) & Q(target_percent__lte=100), name="workforcegoal_percent_range"
            ),
            models.CheckConstraint(
                condition=Q(measure__in=[m.value for m in Measure]), name="workforcegoal_measure_valid"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="workforcegoal_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.investment}: {self.get_measure_display()} {self.target_percent}%"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The goal cannot end before it starts.")})

    def applies_on(self, day) -> bool:
        """In force on that day (open-ended on either side when a date is blank)."""
        return (self.starts_on is None or self.starts_on <= day) and (self.ends_on is None or day <= self.ends_on)


class HoursRecord(models.Model):
    """One contractor's hours on an investment in one trade for one pay period (a week or a
    month), with the hours of each group. Every group is a part of the total; hours are
    integer hundredths. Keyed on investment + contractor + period + trade; an import replaces
    a contractor's period as a whole."""

    investment = models.ForeignKey(Investment, on_delete=models.CASCADE, related_name="hours_records")
    employer_name = models.CharField(_("contractor"), max_length=200)
    # The name folded for matching (case, accents, punctuation): the natural key uses it.
    employer_key = models.CharField(max_length=200, editable=False)
    organization = models.ForeignKey(
        "directory.Organization", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="workforce_hours", verbose_name=_("organization in the directory"),
    )
    trade = models.CharField(_("trade"), max_length=120, blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    total_hundredths = models.BigIntegerField(_("total hours (hundredths)"))
    bipoc_hundredths = models.BigIntegerField(_("BIPOC hours (hundredths)"), default=0)
    women_hundredths = models.BigIntegerField(_("women's hours (hundredths)"), default=0)
    apprentice_hundredths = models.BigIntegerField(_("apprentice hours (hundredths)"), default=0)
    apprentice_bipoc_hundredths = models.BigIntegerField(_("BIPOC apprentice hours (hundredths)"), null=True, blank=True)
    local_hundredths = models.BigIntegerField(_("local-resident hours (hundredths)"), null=True, blank=True)
    unknown_race_hundredths = models.BigIntegerField(
        _("hours with race unknown or declined (hundredths)"), null=True, blank=True
    )
    import_batch = models.ForeignKey(
        "core.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OnVisibleInvestmentQuerySet.as_manager()

    class Meta:
        ordering = ["investment", "period_start", "employer_name", "trade", "id"]
        verbose_name = _("hours record")
        verbose_name_plural = _("hours records")
        indexes = [models.Index(fields=["investment", "period_end"], name="hoursrecord_period_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["investment", "employer_key", "period_start", "period_end", "trade"],
                name="hoursrecord_natural_key",
            ),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="hoursrecord_period_order"),
            models.CheckConstraint(condition=Q(total_hundredths__gte=0), name="hoursrecord_total_not_negative"),
            *[
                models.CheckConstraint(
                    condition=(Q(**{f"{name}__isnull": True}) | (Q(**{f"{name}__gte": 0}) & Q(**{f"{name}__lte": F("total_hundredths")}))),
                    name=f"hoursrecord_{name.removesuffix('_hundredths')}_within_total",
                )
                for name in PART_FIELDS
            ],
            models.CheckConstraint(
                condition=Q(apprentice_bipoc_hundredths__isnull=True)
                | Q(apprentice_bipoc_hundredths__lte=F("apprentice_hundredths")),
                name="hoursrecord_apprentice_bipoc_within_apprentice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer_name} {self.trade} {self.period_start}–{self.period_end}".replace("  ", " ")

    def clean(self) -> None:
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period cannot end before it starts.")
        total = self.total_hundredths or 0
        if total < 0:
            errors["total_hundredths"] = _("Hours cannot be negative.")
        for name in PART_FIELDS:
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = _("Hours cannot be negative.")
            elif value is not None and value > total:
                errors[name] = _("These hours cannot be more than the total hours.")
        if errors:
            raise ValidationError(errors)
