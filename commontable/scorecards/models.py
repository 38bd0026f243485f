"""Rubrics and their versions, scoring sessions, and the scores given.

A `Rubric` (the Equitable Development Scorecard, the climate and mobility lens…) changes only
through `RubricVersion`s: a version holds `Theme`s, each with weighted `Criterion`s on an answer
scale. A published version never changes (services refuse, and every score points at its
criteria); edits and adopted weights make a new version. A `ScoringSession` scores one proposal, an
investment from the register, with one published version; each scorer has one `Submission` (a
signed-in member or staff user, an invited community scorer, or a visitor through the session's
public link, with a one-time code when the session asks for one), holding one `Score` per criterion.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commontable.core.models import PublicIdModel, TimeStampedModel
from commontable.core.visibility import VisibilityQuerySet, VisibleModel
from commontable.scorecards.choices import Scale, ScorerGroup, SessionStatus, SubmissionStatus, VersionStatus

MAX_WEIGHT = 100


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Rubric(TimeStampedModel, PublicIdModel):
    """A scorecard template: what it judges and for what; its content lives in its versions."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in web addresses"), max_length=80, unique=True)
    purpose = models.TextField(_("purpose"), blank=True, max_length=3000)
    source_language = models.CharField(_("language it is written in"), max_length=10, choices=settings.LANGUAGES,
                                       default="en")
    revision = models.PositiveIntegerField(default=1)

    translatable_fields = ("name", "purpose")

    class Meta:
        ordering = ["name"]
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self) -> str:
        return self.name


class RubricVersion(TimeStampedModel, PublicIdModel):
    """One version of a rubric's themes, criteria and weights; immutable once published."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    change_note = models.TextField(_("what changed"), blank=True, max_length=2000)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    weights_decided_at = models.DateTimeField(_("weights decided"), null=True, blank=True)
    weights_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                           related_name="+")

    class Meta:
        ordering = ["rubric", "-number"]
        constraints = [models.UniqueConstraint(fields=["rubric", "number"], name="scorecards_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.rubric} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.status != VersionStatus.DRAFT


class Theme(models.Model):
    """A group of criteria with its weight in the overall score (weights are relative: 0–100)."""

    version = models.ForeignKey(RubricVersion, on_delete=models.CASCADE, related_name="themes")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    #: bumped when its words change, so that translations made from older words show as outdated
    revision = models.PositiveIntegerField(default=1)

    translatable_fields = ("name", "description")

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="scorecards_theme_position_unique"),
            models.CheckConstraint(condition=Q(weight__lte=MAX_WEIGHT), name="scorecards_theme_weight_range"),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(PublicIdModel):
    """One question scored on a scale, with guidance for scorers and its weight within its theme."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"))
    question = models.CharField(_("question"), max_length=500)
    guidance = models.TextField(_("guidance"), blank=True, max_length=3000)
    scale = models.CharField(_("answer scale"), max_length=20, choices=Scale.choices, default=Scale.ZERO_TO_FOUR)
    allows_not_applicable = models.BooleanField(_("may be answered 'not applicable'"), default=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    revision = models.PositiveIntegerField(default=1)

    translatable_fields = ("question", "guidance")

    class Meta:
        ordering = ["theme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "position"], name="scorecards_criterion_position_unique"),
            models.CheckConstraint(condition=Q(weight__lte=MAX_WEIGHT), name="scorecards_criterion_weight_range"),
        ]
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.question


class ScoringSessionQuerySet(VisibilityQuerySet):
    pass


class ScoringSession(TimeStampedModel, PublicIdModel, VisibleModel):
    """Scoring one proposal (an investment in the register) with one published rubric version."""

    version = models.ForeignKey(RubricVersion, on_delete=models.PROTECT, related_name="sessions")
    investment = models.ForeignKey("investments.Investment", on_delete=models.PROTECT, related_name="scoring_sessions")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.DRAFT)
    public_link = models.BooleanField(_("anyone with the link may score"), default=False)
    public_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    codes_required = models.BooleanField(_("the public link asks for a one-time code"), default=False)
    results_public = models.BooleanField(_("results published"), default=False)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    visibility_table = models.ForeignKey("directory.Table", null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+")

    objects = ScoringSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class ScorerInvitation(TimeStampedModel):
    """An invited community scorer: their own link (a secret token), group and language."""

    session = models.ForeignKey(ScoringSession, on_delete=models.CASCADE, related_name="invitations")
    name = models.CharField(_("name"), max_length=200)
    person = models.ForeignKey("directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    group = models.CharField(_("group"), max_length=20, choices=ScorerGroup.choices, default=ScorerGroup.RESIDENT)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)

    def __str__(self) -> str:
        return self.name


class AccessCode(models.Model):
    """A one-time code for the public link: kept as a hash, used by one submission."""

    session = models.ForeignKey(ScoringSession, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "code_hash"], name="scorecards_code_unique")]

    def __str__(self) -> str:
        return f"{self.session} · code {self.pk}"


class Submission(TimeStampedModel, PublicIdModel):
    """One scorer's answers in a session: a draft until submitted, changeable until it closes.
    Exactly one of user, invitation, access code or public key says who the scorer is."""

    session = models.ForeignKey(ScoringSession, on_delete=models.CASCADE, related_name="submissions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="scorecard_submissions")
    invitation = models.OneToOneField(ScorerInvitation, null=True, blank=True, on_delete=models.CASCADE,
                                      related_name="submission")
    access_code = models.OneToOneField(AccessCode, null=True, blank=True, on_delete=models.CASCADE,
                                       related_name="submission")
    #: a visitor through the public link without codes: a random key kept in their browser
    public_key = models.CharField(max_length=64, blank=True, default="")
    group = models.CharField(_("group"), max_length=20, choices=ScorerGroup.choices, default=ScorerGroup.RESIDENT)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    status = models.CharField(_("status"), max_length=10, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], condition=Q(user__isnull=False),
                                    name="scorecards_one_submission_per_user"),
            models.UniqueConstraint(fields=["session", "public_key"], condition=~Q(public_key=""),
                                    name="scorecards_one_submission_per_public_key"),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.pk}"


class Score(models.Model):
    """One answer: a value on the criterion's scale, or "not applicable", and an optional comment."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.SmallIntegerField(null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    comment = models.TextField(blank=True, max_length=2000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "criterion"], name="scorecards_one_score_per_criterion"),
            models.CheckConstraint(condition=Q(value__isnull=True) | Q(not_applicable=False),
                                   name="scorecards_score_value_or_na"),
            models.CheckConstraint(condition=Q(value__isnull=True) | Q(value__gte=0), name="scorecards_score_nonnegative"),
        ]

    def __str__(self) -> str:
        return "n/a" if self.not_applicable else str(self.value)


class WeightProposal(TimeStampedModel):
    """A member's proposed theme weights for a published version, in a weighting round: one per
    person and version, changeable; staff see the median and spread and adopt final weights."""

    version = models.ForeignKey(RubricVersion, on_delete=models.CASCADE, related_name="weight_proposals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    weights = models.JSONField(default=dict)  # {theme id (as text): weight 0–100}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "user"], name="scorecards_one_proposal_per_person")]

    def __str__(self) -> str:
        return f"{self.version} · {self.user_id}"


class SessionAsk(models.Model):
    """A campaign ask on the investment (`investments.CampaignAsk`) that came from a session's
    weakest criterion: so the plan can count asks from scorecards, and how they turned out."""

    session = models.ForeignKey(ScoringSession, on_delete=models.CASCADE, related_name="asks")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    ask = models.OneToOneField("investments.CampaignAsk", on_delete=models.CASCADE, related_name="scorecard")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "criterion"], name="scorecards_one_ask_per_criterion")]

    def __str__(self) -> str:
        return f"{self.session} · {self.criterion}"
