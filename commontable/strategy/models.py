"""The plan as a live spine: plans with their mission, vision and values, strategies, numbered
objectives, the indicators bound to each objective with a baseline and a target, hand-entered
measurements, board reports kept as snapshots, and action items that count toward objectives.

Figures are never stored here for computed indicators except as snapshots (board reports, the
periodic `plan_snapshot`): they are computed from the records through `core.indicators`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from commontable.core.models import PublicIdModel, TimeStampedModel
from commontable.core.visibility import Visibility, VisibilityQuerySet, VisibleModel, viewer_for
from commontable.strategy.choices import ActionItemStatus, Cadence, IndicatorKind, MeasurementSource

VALUE_DIGITS = {"max_digits": 18, "decimal_places": 4}


class PlanQuerySet(VisibilityQuerySet):
    table_field = None  # a plan is for the whole coalition, never table-only


class Plan(PublicIdModel, TimeStampedModel, VisibleModel):
    """A coalition's strategic plan for a period, imported from its text document. Re-importing a
    revised document updates this plan in place (`revision` counts the imports); a new period is a
    new plan that may name the one it succeeds. One plan is the default the dashboard opens."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in web addresses"), max_length=80, unique=True)
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    mission = models.TextField(_("mission"), blank=True, max_length=5000)
    vision = models.TextField(_("vision"), blank=True, max_length=10000)
    # The language the document is written in (one of LANGUAGES, or blank when its headings do not
    # tell): pages mark the plan's own text with it, so screen readers pronounce it right.
    language = models.CharField(_("language of the document"), max_length=10, blank=True)
    predecessor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="successors",
        verbose_name=_("succeeds"),
    )
    is_default = models.BooleanField(_("default plan"), default=False)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    source_name = models.CharField(_("imported from"), max_length=255, blank=True)
    source_text = models.TextField(_("document as imported"), blank=True)

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "source_text"])

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gt=models.F("period_start")), name="plan_period_ordered"),
            models.UniqueConstraint(fields=["is_default"], condition=models.Q(is_default=True), name="plan_one_default"),
            models.CheckConstraint(condition=~models.Q(visibility=Visibility.TABLE), name="plan_not_table_only"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period_label(self) -> str:
        return f"{self.period_start.year}–{self.period_end.year}"


class PlanPartQuerySet(models.QuerySet):
    """Parts of a plan are visible exactly when their plan is."""

    plan_field = "plan"

    def visible_to(self, user):
        return self.filter(**{f"{self.plan_field}__in": Plan.objects.visible_to(user)})

    def current(self):
        return self.filter(archived_at__isnull=True)


class Value(models.Model):
    """One of the plan's values (name and description), shown where members affirm them."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="values")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    position = models.PositiveSmallIntegerField(_("position"))
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    objects = PlanPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("value")
        verbose_name_plural = _("values")
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="value_name_unique_in_plan")]

    def __str__(self) -> str:
        return self.name


class Strategy(models.Model):
    """A numbered strategy of a plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="strategies")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    objects = PlanPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="strategy_number_unique_in_plan")]

    def __str__(self) -> str:
        return _("Strategy %(number)s") % {"number": self.number}


class Objective(PublicIdModel):
    """A numbered objective ("1.3") under a strategy: what the coalition wants to achieve. Its
    progress is read from the indicators bound to it. An objective that disappears from a revised
    plan is archived, with its bindings and history kept."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="objectives")
    number = models.CharField(_("number"), max_length=12)
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("objective"), max_length=2000)
    notes = models.TextField(_("notes"), blank=True, max_length=10000)
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="owned_objectives", verbose_name=_("owners")
    )
    tables = models.ManyToManyField(
        "directory.Table", blank=True, related_name="objectives", verbose_name=_("tables working on it")
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    objects = PlanPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "strategy__number", "position"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="objective_number_unique_in_plan")]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:80]}"


class Indicator(models.Model):
    """An indicator the plan can bind: either computed (its key is in the registry of
    `core.indicators`, and its label comes from there in the reader's language) or manual, for what
    no record can tell (e.g. self-care check-ins), measured by hand with evidence."""

    key = models.CharField(_("key"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=IndicatorKind.choices)
    label = models.CharField(_("name"), max_length=200, blank=True)
    description = models.TextField(_("what counts"), blank=True, max_length=2000)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    direction = models.CharField(_("direction"), max_length=4, choices=[("up", _("Higher is better")), ("down", _("Lower is better"))], default="up")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=["computed", "manual"]), name="indicator_kind_valid"),
            models.CheckConstraint(condition=~models.Q(kind="manual") | ~models.Q(label=""), name="indicator_manual_has_label"),
        ]

    def __str__(self) -> str:
        return self.label or self.key

    @property
    def is_manual(self) -> bool:
        return self.kind == IndicatorKind.MANUAL


class ObjectiveIndicatorQuerySet(PlanPartQuerySet):
    plan_field = "objective__plan"


class ObjectiveIndicator(PublicIdModel):
    """An indicator bound to an objective, with its baseline, target, target date and cadence.
    `param` picks one figure of a parameterised indicator (e.g. which table)."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="bindings")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="bindings")
    param = models.CharField(_("which one"), max_length=100, blank=True)
    baseline_value = models.DecimalField(_("baseline"), null=True, blank=True, **VALUE_DIGITS)
    baseline_on = models.DateField(_("baseline date"), null=True, blank=True)
    target_value = models.DecimalField(_("target"), null=True, blank=True, **VALUE_DIGITS)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    cadence = models.PositiveSmallIntegerField(_("cadence"), choices=Cadence.choices, default=Cadence.QUARTERLY)
    position = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    objects = ObjectiveIndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["objective", "position", "id"]
        verbose_name = _("indicator of an objective")
        verbose_name_plural = _("indicators of objectives")
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "indicator", "param"], condition=models.Q(archived_at__isnull=True),
                name="binding_unique_per_objective",
            ),
            models.CheckConstraint(
                condition=models.Q(target_on__isnull=True) | models.Q(baseline_on__isnull=True)
                | models.Q(target_on__gt=models.F("baseline_on")),
                name="binding_target_after_baseline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.objective.number}: {self.indicator}"


class MeasurementQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A measurement is seen by whoever can see an objective it is bound to, and by staff (who
        # may measure an indicator before it is bound to anything).
        if viewer_for(user).is_staff:
            return self
        bindings = ObjectiveIndicator.objects.visible_to(user)
        return self.filter(indicator__in=bindings.values("indicator"))


class Measurement(models.Model):
    """A dated figure: entered by hand for a manual indicator (who, when, evidence), or a snapshot
    of a computed one for dates its records cannot reconstruct."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    param = models.CharField(max_length=100, blank=True)
    value = models.DecimalField(_("value"), **VALUE_DIGITS)
    measured_on = models.DateField(_("measured on"))
    source = models.CharField(max_length=10, choices=MeasurementSource.choices, default=MeasurementSource.MANUAL)
    evidence = models.TextField(_("evidence"), blank=True, max_length=2000)
    evidence_url = models.URLField(_("link to evidence"), blank=True, max_length=500)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "param", "-measured_on", "-id"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        indexes = [models.Index(fields=["indicator", "param", "measured_on"], name="measurement_series_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "param", "measured_on"], condition=models.Q(source="snapshot"),
                name="measurement_one_snapshot_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.measured_on}: {self.value}"


class BoardReportQuerySet(VisibilityQuerySet):
    table_field = None  # never table-only

    def visible_to(self, user):
        return super().visible_to(user).filter(plan__in=Plan.objects.visible_to(user))


class BoardReport(PublicIdModel, VisibleModel):
    """The whole plan's status for a period, frozen when it was made: later changes to records do
    not change it. `data` holds every text and figure the report shows."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="board_reports")
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("made"), auto_now_add=True)

    objects = BoardReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "-created_at"]
        verbose_name = _("board report")
        verbose_name_plural = _("board reports")
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")), name="boardreport_period_ordered"),
            models.CheckConstraint(condition=~models.Q(visibility=Visibility.TABLE), name="boardreport_not_table_only"),
        ]

    def __str__(self) -> str:
        return self.title


class ActionItemQuerySet(VisibilityQuerySet):
    table_field = None  # never table-only

    def visible_to(self, user):
        viewer = viewer_for(user)
        mine = models.Q(owner_id=viewer.user_id) if viewer.user_id else models.Q(pk__in=[])
        return super().visible_to(user) | self.filter(mine)

    def done(self):
        return self.filter(status=ActionItemStatus.DONE)


class ActionItem(PublicIdModel, TimeStampedModel, VisibleModel):
    """Something to do, agreed at a meeting, a retrospective or in a support case (its `source`),
    with an owner and a due date. Bound to objectives, done items count toward them (the plan's
    own `strategy.action_items_done` indicator). The shared action-item piece: other modules
    create these through `strategy.services.action_item_create`."""

    title = models.CharField(_("what"), max_length=300)
    detail = models.TextField(_("details"), blank=True, max_length=5000)
    status = models.CharField(_("status"), max_length=10, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    objectives = models.ManyToManyField(Objective, blank=True, related_name="action_items", verbose_name=_("objectives"))
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source_id = models.CharField(max_length=64, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ActionItemQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["status", "due_on", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints = [
            models.CheckConstraint(condition=~models.Q(status="done") | models.Q(done_on__isnull=False), name="actionitem_done_has_date"),
            models.CheckConstraint(condition=~models.Q(visibility=Visibility.TABLE), name="actionitem_not_table_only"),
        ]
        indexes = [models.Index(fields=["source_type", "source_id"], name="actionitem_source_idx")]

    def __str__(self) -> str:
        return self.title
