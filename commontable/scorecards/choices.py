"""The scorecard's vocabularies: answer scales, version and session states, scorer groups."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scale(models.TextChoices):
    ZERO_TO_FOUR = "zero_to_four", _("0 to 4")
    YES_PARTLY_NO = "yes_partly_no", _("Yes / partly / no")
    YES_NO = "yes_no", _("Yes / no")


@dataclass(frozen=True)
class ScaleOption:
    value: int
    label: object  # a lazy translation


#: The answers of each scale, lowest first; `value` is what is stored. Results put every scale on
#: 0–1 (value / top) so that criteria on different scales can be weighed together.
SCALE_OPTIONS: dict[str, tuple[ScaleOption, ...]] = {
    Scale.ZERO_TO_FOUR: (
        ScaleOption(0, _("0 — not at all")), ScaleOption(1, _("1")), ScaleOption(2, _("2 — partly")),
        ScaleOption(3, _("3")), ScaleOption(4, _("4 — fully")),
    ),
    Scale.YES_PARTLY_NO: (ScaleOption(0, _("No")), ScaleOption(1, _("Partly")), ScaleOption(2, _("Yes"))),
    Scale.YES_NO: (ScaleOption(0, _("No")), ScaleOption(1, _("Yes"))),
}


def scale_top(scale: str) -> int:
    return SCALE_OPTIONS[scale][-1].value


def scale_values(scale: str) -> frozenset[int]:
    return frozenset(option.value for option in SCALE_OPTIONS[scale])


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class SessionStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open for scoring")
    CLOSED = "closed", _("Closed")


class ScorerGroup(models.TextChoices):
    RESIDENT = "resident", _("Residents")
    ORGANIZATION = "organization", _("Organizations")
    STAFF = "staff", _("Staff")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
