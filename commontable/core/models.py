"""Base models and the few shared records that belong to no domain: the activity log and the
vocabularies of places and issue topics."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from commontable.core.visibility import VisibilityQuerySet, VisibleModel  # noqa: F401  (re-exported)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class PublicIdModel(models.Model):
    """Records addressed in URLs by an opaque UUID, never by their sequential id."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class ActivityLog(models.Model):
    """One entry per change: who did what to which record, and the details. Written by services
    through `log_action`; read by staff per record and per person."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64, db_index=True)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(max_length=300)
    action = models.CharField(max_length=100, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activity",
    )
    actor_repr = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"], name="activity_target_idx")]
        verbose_name = _("activity log entry")
        verbose_name_plural = _("activity log")

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr}"


class Place(models.Model):
    """One vocabulary of places (jurisdictions, counties, neighbourhoods, tracts) used for routing
    and filtering in every module."""

    class Kind(models.TextChoices):
        STATE = "state", _("State")
        REGION = "region", _("Region")
        COUNTY = "county", _("County")
        CITY = "city", _("City")
        DISTRICT = "district", _("District (school, watershed or other special district)")
        NEIGHBORHOOD = "neighborhood", _("Neighborhood")
        CORRIDOR = "corridor", _("Corridor")
        TRACT = "tract", _("Census tract")

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    code = models.CharField(_("official code"), max_length=20, blank=True, help_text=_("FIPS or GEOID"))

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self) -> str:
        return self.name


class IssueTopic(models.Model):
    """One vocabulary of issue topics (housing, transit, workforce, …)."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("issue topic")
        verbose_name_plural = _("issue topics")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language where the catalogs know it (the shipped vocabulary,
        `directory/demo_data.ISSUES`); a coalition's own topics show as written."""
        return gettext(self.name) if self.name else ""


class ImportBatch(PublicIdModel):
    """One uploaded file on its way into the database: kept with its bytes so the preview can be
    shown again and the same file applied later, exactly as it was checked. Applying is all or
    nothing; the batch then records what it created and updated (`summary`) and carries the one
    audit entry for the whole import."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Checked, not applied")
        APPLIED = "applied", _("Applied")
        FAILED = "failed", _("Refused")

    kind = models.CharField(_("kind of import"), max_length=40, db_index=True)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file content"))
    sha256 = models.CharField(max_length=64, db_index=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    summary = models.JSONField(_("summary"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="import_batches"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True, db_index=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["previewed", "applied", "failed"]), name="importbatch_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="applied") | models.Q(applied_at__isnull=False),
                name="importbatch_applied_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.filename}"


class StoredFile(PublicIdModel):
    """A file uploaded as evidence or a photo, attached to the record it belongs to. Who may
    download it follows that record's visibility; the bytes were checked and cleaned on the way in
    (`core/uploads.py`)."""

    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    owner_id = models.CharField(max_length=64, db_index=True)
    owner = GenericForeignKey("owner_type", "owner_id")
    file = models.FileField(upload_to="files/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="uploaded_files"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="storedfile_owner_idx")]

    def __str__(self) -> str:
        return self.original_name


class Subscription(TimeStampedModel):
    """Someone's opt-in to hear about a topic (ADR 9): a signed-in person (`user`, who may change
    their language) or an address outside the site (`email` with a `language`, e.g. a business
    matched to contracting opportunities). `topic` names what it is about in the owning app's
    words ("investments.decisions"), `object_id` narrows it to one record (the investment watched).
    Ending it keeps the row (`unsubscribed_at`) so a re-subscription is a deliberate act."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")

    class Cadence(models.TextChoices):
        IMMEDIATE = "immediate", _("As it happens")
        DAILY = "daily", _("Daily digest")
        WEEKLY = "weekly", _("Weekly digest")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    email = models.EmailField(_("email address"), blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)
    topic = models.CharField(_("topic"), max_length=80)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    cadence = models.CharField(_("how often"), max_length=10, choices=Cadence.choices, default=Cadence.IMMEDIATE)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        ordering = ["topic", "id"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        indexes = [models.Index(fields=["topic", "object_id"], name="subscription_topic_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(email=""), name="subscription_has_recipient"
            ),
            models.UniqueConstraint(
                fields=["user", "topic", "object_id", "channel"],
                condition=models.Q(user__isnull=False, object_id__isnull=False),
                name="subscription_user_object_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "topic", "channel"],
                condition=models.Q(user__isnull=False, object_id__isnull=True),
                name="subscription_user_topic_unique",
            ),
            models.UniqueConstraint(
                fields=["email", "topic", "object_id", "channel"],
                condition=models.Q(user__isnull=True, object_id__isnull=False),
                name="subscription_email_object_unique",
            ),
            models.UniqueConstraint(
                fields=["email", "topic", "channel"],
                condition=models.Q(user__isnull=True, object_id__isnull=True),
                name="subscription_email_topic_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic}:{self.object_id or '*'} → {self.user_id or self.email}"

    @property
    def is_active(self) -> bool:
        return self.unsubscribed_at is None


class Delivery(models.Model):
    """One message sent (or being sent) once. `key` names the message in the sender's words
    (which reminder, of what, for which occurrence, to whom); it is unique, so a re-run of the
    sender finds it and sends nothing twice. No open or click tracking is recorded."""

    class Status(models.TextChoices):
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(max_length=255, unique=True)
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    topic = models.CharField(max_length=80, db_index=True)
    recipient = models.EmailField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENDING)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return self.key


class FeedToken(models.Model):
    """A secret in a personal calendar-feed address, so a calendar program can read what its owner
    may see without signing in. Stored hashed; the address is shown once when made. Revoking it
    stops every feed that uses it at once (404)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_tokens")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("calendar feed link")
        verbose_name_plural = _("calendar feed links")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class TranslationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    MACHINE = "machine", _("Machine translation")
    REVIEWED = "reviewed", _("Reviewed")


class LinkedTranslation(TimeStampedModel):
    """A record's words in another language (rubric criteria, library items, policies), linked to
    the revision of the source it was made from: when the source's words change (its `revision`
    goes up) the translation shows as outdated until someone brings it up to date. One per record
    and language; `fields` maps each translated field to its text. See `core.translations`."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    fields = models.JSONField(default=dict)
    source_revision = models.PositiveIntegerField()
    status = models.CharField(_("status"), max_length=10, choices=TranslationStatus.choices,
                              default=TranslationStatus.DRAFT)
    translated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id", "language"],
                                               name="core_translation_one_per_language")]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} [{self.language}]"
