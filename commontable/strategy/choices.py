from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IndicatorKind(models.TextChoices):
    COMPUTED = "computed", _("Computed from records")
    MANUAL = "manual", _("Entered by hand")


class Cadence(models.IntegerChoices):
    """How often a figure should be refreshed, in days: a manual figure older than this is stale."""

    WEEKLY = 7, _("Weekly")
    MONTHLY = 31, _("Monthly")
    QUARTERLY = 92, _("Quarterly")
    TWICE_YEARLY = 183, _("Twice a year")
    YEARLY = 366, _("Yearly")


class Status(models.TextChoices):
    """An objective's (or one figure's) standing against its target."""

    NO_INDICATOR = "none", _("No indicator yet")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    STALE = "stale", _("Stale")
    UNKNOWN = "unknown", _("Not judged yet")  # no figure, no target, or a target not yet met with no baseline


class MeasurementSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    SNAPSHOT = "snapshot", _("Snapshot of a computed figure")


class ActionItemStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("action item status", "Open")
    DONE = "done", pgettext_lazy("action item status", "Done")
    DROPPED = "dropped", pgettext_lazy("action item status", "Dropped")
