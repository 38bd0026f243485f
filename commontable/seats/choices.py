"""The vocabularies of public bodies, seats, the leadership pipeline and the engagement log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BodyKind(models.TextChoices):
    COUNCIL = "council", _("Council")
    COMMISSION = "commission", _("Commission")
    ADVISORY_COMMITTEE = "advisory_committee", _("Advisory committee")
    BOARD = "board", _("Board")
    TASK_FORCE = "task_force", _("Task force")
    OTHER = "other", pgettext_lazy("kind of public body", "Other")


class SeatType(models.TextChoices):
    APPOINTED = "appointed", _("Appointed")
    ELECTED = "elected", _("Elected")
    EX_OFFICIO = "ex_officio", _("Ex officio")
    DESIGNATED = "designated", _("Designated for a constituency")


class SeatState(models.TextChoices):
    """Where a seat stands on a day, from its terms (`terms.seat_state`)."""

    HELD = "held", _("Held")
    HOLDOVER = "holdover", _("Holdover")
    VACANT = "vacant", _("Vacant")


class TermStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Starts later")
    SERVING = "serving", _("Serving")
    HOLDOVER = "holdover", _("Serving past term end until replaced")
    ENDED = "ended", _("Ended")


class Readiness(models.TextChoices):
    EXPLORING = "exploring", _("Exploring")
    PREPARING = "preparing", _("Preparing")
    READY = "ready", _("Ready to apply")
    SERVING = "serving", _("Serving")
    PAUSED = "paused", _("Taking a break")


class SelfIdentification(models.TextChoices):
    """How a leader describes themselves, in their own words' category; counted only with consent."""

    BIPOC = "bipoc", _("Black, Indigenous or a person of colour")
    NOT_BIPOC = "not_bipoc", _("Not Black, Indigenous or a person of colour")
    UNSTATED = "", _("Prefers not to say / not asked")


class NominationOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPOINTED = "appointed", _("Appointed")
    NOT_APPOINTED = "not_appointed", _("Not appointed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SupportKind(models.TextChoices):
    BRIEFING = "briefing", _("Briefing")
    CHECK_IN = "check_in", _("Check-in")
    TRAINING = "training", _("Training")
    OTHER = "other", pgettext_lazy("kind of support", "Other")


class ProcessKind(models.TextChoices):
    PLAN = "plan", _("Plan")
    HEARING = "hearing", _("Hearing")
    COMMENT_PERIOD = "comment_period", _("Comment period")
    MEETING = "meeting", _("Public meeting")
    OTHER = "other", pgettext_lazy("kind of agency process", "Other")


class MeetingFrequency(models.TextChoices):
    NONE = "", _("No regular schedule")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly, on given weekdays")
