"""Public investments the coalition watches, and what was promised in return.

An `Investment` (a transit line, a stadium, a subsidised housing development…) has its funding
sources, a stage with a dated history, a location, the tables and organisations engaged. Around it:
`Commitment`s made by an obligor (developer, agency, employer) with a measurable target and reports
of actual values with evidence, escalated step by step when they slip; and `CampaignAsk`s, what the
coalition asked of whom, the actions taken and the outcome. Money is integer cents.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from commontable.core import schedule
from commontable.core.deadlines import DeadlineKind
from commontable.core.models import Place, PublicIdModel, StoredFile, TimeStampedModel
from commontable.core.schedule import DEFAULT_ZONE
from commontable.core.visibility import Visibility, VisibilityQuerySet, VisibleModel, viewer_for
from commontable.investments.choices import (
    AskActionKind,
    AskOutcome,
    CommitmentCategory,
    CommitmentSource,
    Compliance,
    Escalation,
    FundingProgram,
    InvestmentKind,
    Stage,
    TargetDirection,
)

VALUE_DIGITS = {"max_digits": 18, "decimal_places": 4}
FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR = 1990, 2100


def choice_label(choices, value):
    """The label of a stored choice, or the value itself if it is no longer a choice. For lists:
    Django's get_FOO_display() translates every label of the field's choices on each call (it
    hashes them), a tenth of the investment list's time at 50 rows; this translates one."""
    try:
        return choices(value).label
    except ValueError:
        return value


class InvestmentQuerySet(VisibilityQuerySet):
    pass


class Investment(PublicIdModel, TimeStampedModel, VisibleModel):
    """A public investment or subsidised development the coalition watches."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in web addresses"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=InvestmentKind.choices)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    sponsor = models.ForeignKey(
        "directory.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="sponsored_investments",
        verbose_name=_("sponsoring agency"),
    )
    jurisdiction = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="investments", verbose_name=_("jurisdiction")
    )
    total_cost_cents = models.BigIntegerField(_("total cost"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.PROPOSED, db_index=True)
    stage_since = models.DateField(_("in this stage since"), null=True, blank=True)
    # GeoJSON geometry (Point, LineString, Polygon or their Multi- forms) in WGS84 longitude/latitude.
    geometry = models.JSONField(_("location"), null=True, blank=True)
    min_lon = models.FloatField(null=True, blank=True, editable=False)
    min_lat = models.FloatField(null=True, blank=True, editable=False)
    max_lon = models.FloatField(null=True, blank=True, editable=False)
    max_lat = models.FloatField(null=True, blank=True, editable=False)
    tables = models.ManyToManyField("directory.Table", blank=True, related_name="investments", verbose_name=_("tables engaged"))
    organizations = models.ManyToManyField(
        "directory.Organization", blank=True, related_name="engaged_investments", verbose_name=_("organizations engaged")
    )
    visibility_table = models.ForeignKey("directory.Table", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = InvestmentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("investment")
        verbose_name_plural = _("investments")
        indexes = [models.Index(fields=["visibility", "name"], name="investment_list_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(total_cost_cents__isnull=True) | models.Q(total_cost_cents__gte=0),
                                   name="investment_cost_not_negative"),
            models.CheckConstraint(condition=~models.Q(visibility=Visibility.TABLE) | models.Q(visibility_table__isnull=False),
                                   name="investment_table_visibility_has_table"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self):
        return choice_label(InvestmentKind, self.kind)

    @property
    def stage_label(self):
        return choice_label(Stage, self.stage)


class StageChange(models.Model):
    """One step of an investment's stage history."""

    investment = models.ForeignKey(Investment, on_delete=models.CASCADE, related_name="stage_changes")
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    effective_on = models.DateField(_("effective"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["investment", "effective_on", "id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.investment}: {self.stage} {self.effective_on}"


class FundingSource(models.Model):
    """Money from one program for one fiscal year, with the award's identifier where known."""

    investment = models.ForeignKey(Investment, on_delete=models.CASCADE, related_name="funding_sources")
    program = models.CharField(_("program"), max_length=20, choices=FundingProgram.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    amount_cents = models.BigIntegerField(_("amount"))
    award_id = models.CharField(_("award identifier"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["investment", "fiscal_year", "program", "id"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_cents__gte=0), name="funding_amount_not_negative"),
            models.CheckConstraint(
                condition=models.Q(fiscal_year__gte=FIRST_FISCAL_YEAR, fiscal_year__lte=LAST_FISCAL_YEAR),
                name="funding_fiscal_year_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_program_display()} FY{self.fiscal_year}"


class CommitmentQuerySet(VisibilityQuerySet):
    def visible_to(self, user):
        # Seen only on an investment the user may see too (evidence downloads check this). Staff
        # see every investment: no `investment_id IN (every investment)`, which would make the
        # database walk the commitments investment by investment instead of by their indexes.
        if viewer_for(user).is_staff:
            return self.all()
        return super().visible_to(user).filter(investment__in=Investment.objects.visible_to(user))

    def refresh_latest_report(self) -> int:
        """Set these commitments' `latest_value`/`latest_on` from their latest report by
        (as_of, id), the order every list and page reads, whatever order the reports came in,
        and their stored status with them."""
        latest = CommitmentReport.objects.filter(commitment=models.OuterRef("pk")).order_by("-as_of", "-id")
        count = self.update(
            latest_value=models.Subquery(latest.values("value")[:1]), latest_on=models.Subquery(latest.values("as_of")[:1])
        )
        self.refresh_status()  # the status follows the latest report
        from commontable.investments.pages import PAGES

        PAGES.changed()  # an UPDATE that signals do not see
        return count

    def refresh_status(self, today=None) -> int:
        """Store these commitments' status for `today` with the last day it holds
        (`compliance.status_holds_until`), computed by the stated rules from their columns: the
        lists count and filter on the stored status while it holds and compute it in SQL where
        it does not (ADR 0008). Returns how many commitments were written."""
        from django.utils import timezone

        from commontable.investments.compliance import commitment_status, status_holds_until

        today = today or timezone.localdate()
        fields = ("pk", "direction", "target", "starts_on", "deadline", "latest_value", "latest_on")
        groups: dict[tuple, list[int]] = {}
        for pk, direction, target, starts_on, deadline, value, on in self.order_by().values_list(*fields).iterator(5000):
            facts = {"direction": direction, "target": target, "starts_on": starts_on, "deadline": deadline,
                     "latest_value": value, "latest_on": on, "today": today}
            groups.setdefault((commitment_status(**facts), status_holds_until(**facts)), []).append(pk)
        # One UPDATE per (status, last day) and 5,000 rows: bulk_update's CASE per row takes half
        # a minute at 50,000 commitments, this a second or two.
        for (status, until), pks in groups.items():
            for start in range(0, len(pks), 5000):
                Commitment.objects.filter(pk__in=pks[start:start + 5000]).update(
                    stored_status=status, stored_status_on=today, stored_status_until=until
                )
        return sum(len(pks) for pks in groups.values())


class Commitment(PublicIdModel, TimeStampedModel, VisibleModel):
    """A community benefit promised by an obligor (developer, agency, employer), from a CBA, a
    development agreement, a resolution or a subsidy condition, with a measurable target and a
    deadline. Its status is computed from its reports by the rules in `compliance.py`; when it
    slips it is escalated step by step, each step audited."""

    investment = models.ForeignKey(Investment, on_delete=models.CASCADE, related_name="commitments")
    source = models.CharField(_("made in"), max_length=24, choices=CommitmentSource.choices)
    source_reference = models.CharField(_("reference"), max_length=200, blank=True,
                                        help_text=_("e.g. the resolution's number or the agreement's section"))
    obligor = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="commitments",
                                verbose_name=_("who promised"))
    text = models.TextField(_("commitment"), max_length=5000)
    category = models.CharField(_("category"), max_length=20, choices=CommitmentCategory.choices)
    ami_percent = models.PositiveSmallIntegerField(_("at or below this share of area median income (percent)"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=40)
    direction = models.CharField(_("target is"), max_length=8, choices=TargetDirection.choices, default=TargetDirection.AT_LEAST)
    target = models.DecimalField(_("target"), **VALUE_DIGITS)
    starts_on = models.DateField(_("starts"))
    deadline = models.DateField(_("deadline"))
    escalation = models.CharField(_("escalation"), max_length=12, choices=Escalation.choices, default=Escalation.NONE)
    visibility_table = models.ForeignKey("directory.Table", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The latest report's value and date, by (as_of, id): derived from the reports, written only by
    # `CommitmentQuerySet.refresh_latest_report` (when a report is added), so that lists compute the
    # status from two columns instead of subqueries (ADR 0008). Not in the history: reports are.
    latest_value = models.DecimalField(null=True, blank=True, editable=False, **VALUE_DIGITS)
    latest_on = models.DateField(null=True, blank=True, editable=False)
    # The status by the stated rules as computed on `stored_status_on`, which holds through
    # `stored_status_until` (the calendar changes it only the day after the deadline or on the
    # 181st day of silence): lists count and filter on it with an index while it holds, and
    # compute the status in SQL for the rows where it does not. Written with the latest report
    # and by the daily `commitment_status_refresh`. Derived: not in the history (ADR 0008).
    stored_status = models.CharField(max_length=10, choices=Compliance.choices, null=True, blank=True, editable=False)
    stored_status_on = models.DateField(null=True, blank=True, editable=False)
    stored_status_until = models.DateField(null=True, blank=True, editable=False)

    objects = CommitmentQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["updated_at", "latest_value", "latest_on", "stored_status", "stored_status_on", "stored_status_until"]
    )

    class Meta:
        ordering = ["investment", "deadline", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        indexes = [
            models.Index(fields=["investment", "deadline"], name="commitment_investment_idx"),
            # The lists' order, and each status in that order (ADR 0008).
            models.Index(fields=["deadline", "id"], name="commitment_deadline_idx"),
            models.Index(fields=["stored_status", "deadline", "id"], name="commitment_status_idx"),
            models.Index(fields=["stored_status_until"], name="commitment_status_until_idx"),
            models.Index(fields=["stored_status_on"], name="commitment_status_on_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(deadline__gt=models.F("starts_on")), name="commitment_deadline_after_start"),
            models.CheckConstraint(condition=models.Q(target__gte=0), name="commitment_target_not_negative"),
            models.CheckConstraint(condition=models.Q(ami_percent__isnull=True) | models.Q(ami_percent__lte=200),
                                   name="commitment_ami_in_range"),
            models.CheckConstraint(condition=~models.Q(visibility=Visibility.TABLE) | models.Q(visibility_table__isnull=False),
                                   name="commitment_table_visibility_has_table"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def category_label(self):
        return choice_label(CommitmentCategory, self.category)

    @property
    def direction_label(self):
        return choice_label(TargetDirection, self.direction)

    @property
    def escalation_label(self):
        return choice_label(Escalation, self.escalation)


class CommitmentReport(models.Model):
    """An actual value of a commitment's metric as of a date, with its evidence and who reported
    it. Reports are never edited: a correction is a new report."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="reports")
    value = models.DecimalField(_("actual value"), **VALUE_DIGITS)
    as_of = models.DateField(_("as of"))
    evidence_url = models.URLField(_("link to evidence"), blank=True, max_length=500)
    evidence_file = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("note"), max_length=1000, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["commitment", "-as_of", "-id"]
        verbose_name = _("commitment report")
        verbose_name_plural = _("commitment reports")
        indexes = [models.Index(fields=["commitment", "as_of"], name="report_commitment_idx")]
        constraints = [models.CheckConstraint(condition=models.Q(value__gte=0), name="report_value_not_negative")]

    def __str__(self) -> str:
        return f"{self.commitment_id}: {self.value} ({self.as_of})"


class EscalationStep(models.Model):
    """One step of a commitment's escalation (flagged → letter sent → public → resolved)."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="escalation_steps")
    step = models.CharField(_("step"), max_length=12, choices=Escalation.choices)
    on = models.DateField(_("on"))
    note = models.CharField(_("note"), max_length=1000, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["commitment", "on", "id"]
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")

    def __str__(self) -> str:
        return f"{self.commitment_id}: {self.step} {self.on}"


class CampaignAskQuerySet(VisibilityQuerySet):
    def visible_to(self, user):
        return super().visible_to(user).filter(investment__in=Investment.objects.visible_to(user))


class CampaignAsk(PublicIdModel, TimeStampedModel, VisibleModel):
    """What the coalition asked of whom about an investment, the actions taken, and the outcome."""

    investment = models.ForeignKey(Investment, on_delete=models.CASCADE, related_name="asks")
    asked_of = models.CharField(_("asked of"), max_length=200, help_text=_("The body or person the ask is to."))
    asked_of_organization = models.ForeignKey("directory.Organization", null=True, blank=True, on_delete=models.SET_NULL,
                                              related_name="asks_received", verbose_name=_("organization asked"))
    ask = models.TextField(_("what is asked"), max_length=5000)
    outcome = models.CharField(_("outcome"), max_length=8, choices=AskOutcome.choices, default=AskOutcome.PENDING)
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    outcome_evidence = models.TextField(_("evidence of the outcome"), blank=True, max_length=2000)
    visibility_table = models.ForeignKey("directory.Table", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = CampaignAskQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["investment", "-created_at"]
        verbose_name = _("campaign ask")
        verbose_name_plural = _("campaign asks")
        constraints = [
            models.CheckConstraint(condition=models.Q(outcome="pending") | models.Q(outcome_on__isnull=False), name="ask_outcome_has_date"),
            models.CheckConstraint(condition=~models.Q(visibility=Visibility.TABLE) | models.Q(visibility_table__isnull=False),
                                   name="ask_table_visibility_has_table"),
        ]

    def __str__(self) -> str:
        return self.ask[:80]


class AskAction(models.Model):
    """Something done for an ask: a meeting, a letter, testimony, a sign-on by organisations."""

    ask = models.ForeignKey(CampaignAsk, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("kind"), max_length=10, choices=AskActionKind.choices)
    on = models.DateField(_("on"))
    note = models.TextField(_("what happened"), blank=True, max_length=2000)
    organizations = models.ManyToManyField("directory.Organization", blank=True, related_name="ask_actions",
                                           verbose_name=_("organizations signed on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["ask", "on", "id"]
        verbose_name = _("action on an ask")
        verbose_name_plural = _("actions on asks")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


# --- the decision calendar (ADR 9) -------------------------------------------------------------------


class DecisionKind(models.TextChoices):
    HEARING = "hearing", pgettext_lazy("decision kind", "Public hearing")
    VOTE = "vote", pgettext_lazy("decision kind", "Vote")
    COMMENT_DEADLINE = "comment_deadline", pgettext_lazy("decision kind", "Comment deadline")
    OTHER = "other", pgettext_lazy("decision kind", "Other decision")


class DecisionStatus(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("decision status", "Scheduled")
    POSTPONED = "postponed", pgettext_lazy("decision status", "Postponed")
    CANCELLED = "cancelled", pgettext_lazy("decision status", "Cancelled")
    HELD = "held", pgettext_lazy("decision status", "Held")


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A decision is seen by whoever may see its investment: it has no visibility of its own."""
        return self.filter(investment__in=Investment.objects.visible_to(user))

    def upcoming(self, now):
        return self.filter(models.Q(starts_at__gte=now) | models.Q(starts_at__isnull=True))


class Decision(PublicIdModel, TimeStampedModel):
    """A moment when a public body decides something about an investment: a hearing, a vote, or
    the deadline for public comment. Kept as a local date and time in its zone (ADR 9); a comment
    deadline has a deadline kind instead (a hard date, the date review begins, rolling, or open
    until filled). `starts_at` is the UTC moment derived from the local time, for sorting, feeds
    and reminders. `sequence` goes up when the time, place or status changes, so calendar programs
    that subscribed to a feed update their copy. Watchers of the investment are reminded before it."""

    investment = models.ForeignKey(Investment, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("kind"), max_length=20, choices=DecisionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.ForeignKey(
        "directory.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions",
        verbose_name=_("deciding body"), help_text=_("The agency or council in the directory, if it is there."),
    )
    body_name = models.CharField(_("deciding body (as named)"), max_length=200, blank=True,
                                 help_text=_("e.g. the committee of the council that holds the hearing"))
    description = models.TextField(_("description"), blank=True, max_length=5000)
    deadline_kind = models.CharField(_("kind of deadline"), max_length=20, choices=DeadlineKind.choices, blank=True)
    starts_on = models.DateField(_("date"), null=True, blank=True)
    starts_at_time = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at_time = models.TimeField(_("ends at"), null=True, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default=DEFAULT_ZONE)
    starts_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    location = models.CharField(_("place"), max_length=300, blank=True)
    link_url = models.URLField(_("link to the notice or agenda"), blank=True, max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=DecisionStatus.choices,
                              default=DecisionStatus.SCHEDULED)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        indexes = [
            models.Index(fields=["investment", "starts_at"], name="decision_investment_idx"),
            # The calendar's month: decisions by their local date (ADR 9).
            models.Index(fields=["starts_on"], name="decision_starts_on_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at_time__isnull=True)
                | models.Q(starts_at_time__isnull=False, ends_at_time__gt=models.F("starts_at_time")),
                name="decision_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="comment_deadline", deadline_kind__in=list(DeadlineKind.values))
                | (~models.Q(kind="comment_deadline") & models.Q(deadline_kind="", starts_on__isnull=False)),
                name="decision_deadline_kind_matches",
            ),
            models.CheckConstraint(condition=models.Q(status__in=list(DecisionStatus.values)),
                                   name="decision_status_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def uid(self) -> str:
        """The iCalendar UID: fixed for the life of the decision, whatever changes."""
        return f"decision-{self.public_id}@commontable"

    @property
    def body_label(self) -> str:
        if self.body_id and self.body_name:
            return f"{self.body.name} — {self.body_name}"
        return self.body.name if self.body_id else self.body_name

    @property
    def local_start(self):
        """The aware local start in its own zone, or None (no date, or no time of day)."""
        if self.starts_on is None or self.starts_at_time is None:
            return None
        return schedule.localize(self.starts_on, self.starts_at_time, self.time_zone)

    @property
    def is_deadline(self) -> bool:
        return self.kind == DecisionKind.COMMENT_DEADLINE

    @property
    def zone_abbreviation(self) -> str:
        """CST or CDT (etc.) as on that date, to print beside the local time."""
        local = self.local_start
        return local.tzname() if local is not None else ""
