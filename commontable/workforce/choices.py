"""The vocabularies of workforce goals: which share of hours a goal is about, and where it comes from."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Measure(models.TextChoices):
    """The share of a project's total hours that a goal is stated for."""

    BIPOC = "bipoc", _("BIPOC worker hours")
    WOMEN = "women", _("Hours worked by women")
    APPRENTICE = "apprentice", _("Apprentice hours")
    LOCAL = "local", _("Local-resident hours")


class GoalSource(models.TextChoices):
    """Where a workforce goal is stated."""

    CBA = "cba", _("Community benefits agreement")
    ORDINANCE = "ordinance", _("City or county ordinance")
    CONTRACT = "contract", pgettext_lazy("workforce goal source", "Contract or grant condition")
    OTHER = "other", pgettext_lazy("workforce goal source", "Other")
