"""Public bodies and their seats, the terms of those who hold them, the coalition's leadership
pipeline (leaders, trainings, nominations, support while seated) and the engagement-quality log.

A `PublicBody` (a council, commission, advisory committee, board or task force of a city, county,
the regional council, a watershed district, a school board or the state) has `Seat`s; each seat
has `Term`s, one holder at a time, whose history is kept whole. A `Leader` is a person in the
directory whom the coalition supports toward a seat: their interests, `TrainingAttendance`,
`Nomination`s to seats (endorsed by member organisations) and `SupportContact`s while seated. An
`EngagementProcess` records how an agency engaged the community in a plan, hearing or comment
period, scored against the short standard of `engagement.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commontable.core.deadlines import DeadlineKind
from commontable.core.models import IssueTopic, Place, PublicIdModel, TimeStampedModel
from commontable.core.schedule import DEFAULT_ZONE
from commontable.core.visibility import Visibility, VisibilityQuerySet, VisibleModel
from commontable.seats.choices import (
    BodyKind,
    MeetingFrequency,
    NominationOutcome,
    ProcessKind,
    Readiness,
    SeatType,
    SelfIdentification,
    SupportKind,
)

# The largest a meeting interval (weeks or months) and a term (months) can be: a larger figure is
# a typing slip, and the schedule and a term's default end would fail on it. The imports use them too.
MAX_MEETING_INTERVAL = 52
MAX_TERM_MONTHS = 600


class PublicBodyQuerySet(VisibilityQuerySet):
    table_field = None

    def active(self):
        return self.filter(dissolved_on__isnull=True)


class PublicBody(PublicIdModel, TimeStampedModel, VisibleModel):
    """A body that decides or advises in public: its jurisdiction, kind, topics, who appoints to
    it, when and where it meets, and its seats. Most are public knowledge; staff may keep one to
    members or to staff while a campaign is being planned. A dissolved body keeps its history but
    takes no nominations."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in web addresses"), max_length=100, unique=True)
    jurisdiction = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="public_bodies",
                                     verbose_name=_("jurisdiction"))
    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind.choices)
    topics = models.ManyToManyField(IssueTopic, blank=True, related_name="public_bodies", verbose_name=_("topics"))
    appointing_authority = models.CharField(_("appointing authority"), max_length=200, blank=True,
                                            help_text=_("Who appoints: the mayor, the county board, the governor…"))
    description = models.TextField(_("what it does"), blank=True, max_length=3000)
    url = models.URLField(_("link"), blank=True, max_length=500)
    meeting_location = models.CharField(_("where it meets"), max_length=300, blank=True)
    meeting_frequency = models.CharField(_("how often it meets"), max_length=10, choices=MeetingFrequency.choices,
                                         blank=True, default=MeetingFrequency.NONE)
    meeting_interval = models.PositiveSmallIntegerField(_("every"), default=1,
                                                        validators=[MinValueValidator(1),
                                                                    MaxValueValidator(MAX_MEETING_INTERVAL)],
                                                        help_text=_("Every 1, 2, … weeks or months."))
    meeting_weekdays = models.CharField(_("weekdays"), max_length=20, blank=True,
                                        help_text=_("0 = Monday … 6 = Sunday, separated by commas."))
    meeting_nth = models.CharField(_("which weeks of the month"), max_length=20, blank=True,
                                   help_text=_("1 to 4, or -1 for the last, separated by commas."))
    first_meeting_on = models.DateField(_("first meeting on"), null=True, blank=True)
    meeting_starts_at = models.TimeField(_("meetings start at"), null=True, blank=True)
    meeting_ends_at = models.TimeField(_("meetings end at"), null=True, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default=DEFAULT_ZONE)
    meeting_sequence = models.PositiveIntegerField(default=0, editable=False)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = PublicBodyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("public body")
        verbose_name_plural = _("public bodies")
        indexes = [models.Index(fields=["jurisdiction", "name"], name="seats_body_place_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(visibility=Visibility.TABLE), name="seats_body_no_table_visibility"),
            models.CheckConstraint(
                condition=Q(meeting_ends_at__isnull=True)
                | Q(meeting_starts_at__isnull=False, meeting_ends_at__gt=models.F("meeting_starts_at")),
                name="seats_body_meeting_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(meeting_interval__gte=1), name="seats_body_interval_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None

    @property
    def meeting_uid(self) -> str:
        """The iCalendar series UID of the body's meetings: fixed for the life of the body."""
        return f"body-{self.public_id}@commontable"


class Seat(PublicIdModel, TimeStampedModel):
    """One seat on a body: how it is filled (appointed, elected, ex officio, designated for a
    constituency such as renters or a district's residents), who is eligible, how long a term
    runs, whether a holder serves on past the term's end until replaced, and the application
    deadline of an open recruitment (in the shared deadline kinds)."""

    body = models.ForeignKey(PublicBody, on_delete=models.CASCADE, related_name="seats", verbose_name=_("body"))
    name = models.CharField(_("seat"), max_length=200, help_text=_("e.g. “Ward 3 resident seat” or “Seat 4”."))
    seat_type = models.CharField(_("how the seat is filled"), max_length=20, choices=SeatType.choices,
                                 default=SeatType.APPOINTED)
    constituency = models.CharField(_("constituency"), max_length=200, blank=True,
                                    help_text=_("Who the seat is set aside for: a renter, a district resident…"))
    eligibility = models.TextField(_("who is eligible"), blank=True, max_length=2000)
    term_length_months = models.PositiveSmallIntegerField(_("term length in months"), null=True, blank=True,
                                                          validators=[MinValueValidator(1),
                                                                      MaxValueValidator(MAX_TERM_MONTHS)])
    holdover_allowed = models.BooleanField(_("holder serves on until replaced"), default=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    deadline_kind = models.CharField(_("application deadline"), max_length=20, choices=DeadlineKind.choices,
                                     blank=True)
    deadline_on = models.DateField(_("deadline date"), null=True, blank=True)
    deadline_note = models.CharField(_("about the deadline"), max_length=300, blank=True)
    applications_url = models.URLField(_("where to apply"), blank=True, max_length=500)
    # The seat's latest term (by start) and its dates, kept by the services with the terms'
    # occupancy (`services.seats_latest_refresh`): with no term starting later than today, the
    # seat's state on any day reads from these columns alone (vacant: nothing, or occupied until
    # before today; holdover: held past the scheduled end), so openings and summaries are indexed
    # look-ups on seats rather than anti-joins over every term (ADR 18).
    last_term = models.ForeignKey("Term", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  editable=False)
    last_start = models.DateField(null=True, blank=True, editable=False)
    last_ends_on = models.DateField(null=True, blank=True, editable=False)
    last_until = models.DateField(null=True, blank=True, editable=False)
    # The latest term's holder from the directory: the roll-up finds the leaders' seats on the
    # seats alone, without walking every term a directory person ever held.
    last_holder_person = models.ForeignKey("directory.Person", null=True, blank=True, on_delete=models.SET_NULL,
                                           related_name="+", editable=False)

    class Meta:
        ordering = ["body", "position", "name", "id"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        indexes = [
            models.Index(fields=["last_until"], name="seats_seat_last_until_idx"),
            models.Index(fields=["last_start"], name="seats_seat_last_start_idx"),
            models.Index(fields=["last_ends_on"], name="seats_seat_last_ends_idx"),
            # Every body's seat counts (the roll-up) read from this index alone, not the wide rows.
            models.Index(fields=["body", "last_start", "last_until", "last_ends_on"], name="seats_seat_body_state_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["body", "name"], name="seats_seat_name_unique"),
            models.CheckConstraint(
                condition=Q(deadline_kind__in=("hard_date", "review_begins"), deadline_on__isnull=False)
                | (~Q(deadline_kind__in=("hard_date", "review_begins")) & Q(deadline_on__isnull=True)),
                name="seats_seat_deadline_date_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} — {self.name}"


class Term(PublicIdModel, TimeStampedModel):
    """One holder's term on a seat: a person in the directory or a named outsider, the scheduled
    start and end, and the last day actually served when known. `occupied_until` (kept by the
    services from `terms.occupancy`) is the last day the seat is held by this term, holdover
    included; NULL while it has no end. Terms of one seat never overlap (`terms.check`)."""

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="terms", verbose_name=_("seat"))
    holder_person = models.ForeignKey("directory.Person", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="seat_terms", verbose_name=_("holder (in the directory)"))
    holder_name = models.CharField(_("holder's name"), max_length=200, blank=True,
                                   help_text=_("For someone who is not in the directory."))
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"), null=True, blank=True,
                               help_text=_("Leave empty for a seat held with no end date (ex officio)."))
    left_on = models.DateField(_("last day served"), null=True, blank=True,
                               help_text=_("When the holder left early, or served on past the end."))
    occupied_until = models.DateField(null=True, blank=True, editable=False)
    # The seat was vacant the day before this term started (no earlier term, or a gap): kept by
    # the services with `occupied_until`, counted by the "vacancies filled" indicator.
    fills_vacancy = models.BooleanField(default=False, editable=False)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["seat", "-starts_on", "-id"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        indexes = [
            # Is the seat held today (vacancies, the seat's state): read from the index alone.
            models.Index(fields=["seat", "starts_on", "occupied_until"], name="seats_term_seat_idx"),
            # Terms ending in the next 90 days.
            models.Index(fields=["ends_on"], name="seats_term_ends_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                   name="seats_term_ends_after_start"),
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("starts_on")),
                                   name="seats_term_left_after_start"),
            models.CheckConstraint(condition=Q(holder_person__isnull=False) | ~Q(holder_name=""),
                                   name="seats_term_has_holder"),
        ]

    def __str__(self) -> str:
        return f"{self.holder_label} — {self.seat.name} ({self.starts_on:%Y-%m-%d})"

    @property
    def holder_label(self) -> str:
        if self.holder_person_id:
            return self.holder_person.full_name
        return self.holder_name


class LeaderQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see the whole pipeline; a leader sees their own page; nobody else sees any."""
        from commontable.core.visibility import viewer_for

        viewer = viewer_for(user)
        if viewer.is_staff:
            return self
        if viewer.person_id:
            return self.filter(person_id=viewer.person_id)
        return self.none()


class Leader(PublicIdModel, TimeStampedModel):
    """A member's leader whom the coalition supports toward a seat: their interests, readiness and
    what support they need. How they identify (BIPOC or not) is theirs to give: it is kept only
    when they say it, and counted only while they consent to its use in aggregate figures
    (`ConsentPurpose.DEMOGRAPHICS`), never shown beside a name or exported with names."""

    person = models.OneToOneField("directory.Person", on_delete=models.CASCADE, related_name="leader",
                                  verbose_name=_("person"))
    topics = models.ManyToManyField(IssueTopic, blank=True, related_name="leaders", verbose_name=_("topics of interest"))
    places = models.ManyToManyField(Place, blank=True, related_name="leaders", verbose_name=_("places of interest"))
    interested_since = models.DateField(_("interested since"), null=True, blank=True)
    readiness = models.CharField(_("readiness"), max_length=20, choices=Readiness.choices, default=Readiness.EXPLORING)
    support_needs = models.TextField(_("support needed"), blank=True, max_length=2000)
    self_identification = models.CharField(_("self-identification"), max_length=20, blank=True,
                                           choices=SelfIdentification.choices, default=SelfIdentification.UNSTATED)
    notes = models.TextField(_("notes"), blank=True, max_length=3000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = LeaderQuerySet.as_manager()

    class Meta:
        ordering = ["person__name_folded", "id"]
        verbose_name = _("leader")
        verbose_name_plural = _("leaders")

    def __str__(self) -> str:
        return self.person.full_name


class TrainingAttendance(models.Model):
    """A training a leader attended (how boards work, public testimony, reading a budget…)."""

    leader = models.ForeignKey(Leader, on_delete=models.CASCADE, related_name="trainings")
    name = models.CharField(_("training"), max_length=200)
    provider = models.CharField(_("given by"), max_length=200, blank=True)
    attended_on = models.DateField(_("attended on"))

    class Meta:
        ordering = ["-attended_on", "-id"]
        verbose_name = _("training attended")
        verbose_name_plural = _("trainings attended")

    def __str__(self) -> str:
        return f"{self.name} ({self.attended_on:%Y-%m-%d})"


class Nomination(PublicIdModel, TimeStampedModel):
    """A leader put forward for a seat: when, endorsed by which member organisations, and the
    outcome. Recording an appointment records the leader's term on the seat (`term`)."""

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="nominations", verbose_name=_("seat"))
    leader = models.ForeignKey(Leader, on_delete=models.CASCADE, related_name="nominations", verbose_name=_("leader"))
    nominated_on = models.DateField(_("nominated on"))
    endorsements = models.ManyToManyField("directory.Organization", blank=True, related_name="seat_endorsements",
                                          verbose_name=_("endorsed by"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=NominationOutcome.choices,
                               default=NominationOutcome.PENDING)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    term = models.OneToOneField(Term, null=True, blank=True, on_delete=models.SET_NULL, related_name="nomination")
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-nominated_on", "-id"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(fields=["seat", "leader"], condition=Q(outcome="pending"),
                                    name="seats_one_pending_nomination"),
            models.CheckConstraint(condition=Q(outcome="pending", outcome_on__isnull=True)
                                   | (~Q(outcome="pending") & Q(outcome_on__isnull=False)),
                                   name="seats_nomination_outcome_dated"),
        ]

    def __str__(self) -> str:
        return f"{self.leader} → {self.seat}"


class SupportContact(models.Model):
    """Support given to a leader while seated (or on the way): a briefing, a check-in, a training."""

    leader = models.ForeignKey(Leader, on_delete=models.CASCADE, related_name="support_contacts")
    term = models.ForeignKey(Term, null=True, blank=True, on_delete=models.SET_NULL, related_name="support_contacts")
    kind = models.CharField(_("kind"), max_length=20, choices=SupportKind.choices)
    on = models.DateField(_("on"))
    notes = models.CharField(_("notes"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("support contact")
        verbose_name_plural = _("support contacts")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"


ANSWER_CHOICES = [(0, _("No")), (1, _("Partly")), (2, _("Yes"))]


class EngagementProcessQuerySet(VisibilityQuerySet):
    table_field = None


class EngagementProcess(PublicIdModel, TimeStampedModel, VisibleModel):
    """How an agency engaged the community in one process (a plan, a hearing, a comment period):
    the five answers of the standard (`engagement.py`), what was observed, and the score (kept by
    the services). Linked to a public body and to an investment of the register when it concerns
    one."""

    title = models.CharField(_("process"), max_length=200)
    agency = models.CharField(_("agency"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ProcessKind.choices)
    body = models.ForeignKey(PublicBody, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="engagement_processes", verbose_name=_("public body"))
    investment = models.ForeignKey("investments.Investment", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="engagement_processes", verbose_name=_("investment"))
    held_on = models.DateField(_("held or opened on"))
    language_access = models.PositiveSmallIntegerField(_("language access"), null=True, blank=True,
                                                       choices=ANSWER_CHOICES)
    interpretation = models.PositiveSmallIntegerField(_("interpretation"), null=True, blank=True,
                                                      choices=ANSWER_CHOICES)
    accommodations = models.PositiveSmallIntegerField(_("accommodations"), null=True, blank=True,
                                                      choices=ANSWER_CHOICES)
    timing_and_place = models.PositiveSmallIntegerField(_("timing and place"), null=True, blank=True,
                                                        choices=ANSWER_CHOICES)
    input_changed_decision = models.PositiveSmallIntegerField(_("input changed the decision"), null=True,
                                                              blank=True, choices=ANSWER_CHOICES)
    observations = models.TextField(_("what we saw"), blank=True, max_length=5000)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = EngagementProcessQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("engagement process")
        verbose_name_plural = _("engagement processes")
        constraints = [
            models.CheckConstraint(condition=~Q(visibility=Visibility.TABLE),
                                   name="seats_process_no_table_visibility"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__lte=100), name="seats_process_score_range"),
        ] + [
            models.CheckConstraint(condition=Q(**{f"{f}__isnull": True}) | Q(**{f"{f}__lte": 2}),
                                   name=f"seats_process_{f}_range")
            for f in ("language_access", "interpretation", "accommodations", "timing_and_place",
                      "input_changed_decision")
        ]

    def __str__(self) -> str:
        return self.title
