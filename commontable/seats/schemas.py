"""Input and output shapes of the seats API (public bodies, seats and terms, openings, the
representation roll-up, the leadership pipeline and the engagement log).

The In schemas follow the directory's rules (`directory.schemas`): unknown fields are an error,
strings are capped at their column's length and refuse control characters, integers are ASCII
digits, booleans strict. Only shapes are checked here; the rules (terms that overlap or fill a full
seat, a schedule that needs a first meeting, a deadline kind that needs a date, a nomination to a
dissolved body) are the services', as 422s on the field.

Out of the API, always: how a leader identifies (asked only with consent, counted only in the
roll-up's suppressed figures), and which holders are coalition leaders unless the caller is staff.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, Field, StrictBool

from commontable.core.deadlines import DeadlineKind
from commontable.core.schedule import DEFAULT_ZONE
from commontable.directory.schemas import (
    AsciiInt,
    Day,
    Error,
    InSchema,
    IssueOut,
    Line200,
    Line300,
    Line500,
    Name,
    OrganizationRef,
    Page,
    PlaceOut,
    SearchText,
    Slug,
    Text5000,
    ValidationErrorOut,
    _no_control_characters,
)
from commontable.investments.schemas import InvestmentRef, Text2000, WebAddress
from commontable.seats.choices import (
    BodyKind,
    MeetingFrequency,
    NominationOutcome,
    ProcessKind,
    Readiness,
    SeatState,
    SeatType,
    TermStatus,
)

__all__ = ["Error", "Page", "Slug", "ValidationErrorOut"]

# ---------------------------------------------------------------------------------------------
# Field types

# Bodies and processes are never table-only (a database constraint says so).
BodyVisibility = Literal["public", "members", "staff"]
Weekday = Annotated[int, Field(ge=0, le=6, strict=True)]
WeekOfMonth = Literal[1, 2, 3, 4, -1]
Answer = Annotated[int, Field(ge=0, le=2, strict=True)]
Text3000 = Annotated[str, Field(max_length=3000, strict=True), AfterValidator(_no_control_characters)]
ZoneName = Annotated[str, Field(min_length=1, max_length=64, strict=True, pattern=r"^[A-Za-z0-9_+\-/]+$")]
ANSWER = "0 no, 1 partly, 2 yes; null when not known."


# ---------------------------------------------------------------------------------------------
# Query parameters


class NoFilters(InSchema):
    pass


class BodyFilters(Page):
    q: SearchText | None = Field(None, description="Part of the name or of the appointing authority.")
    jurisdiction: Slug | None = Field(None, description="Slug of a place (city, county, district…).")
    topic: Slug | None = Field(None, description="Slug of an issue topic.")
    kind: BodyKind | None = None
    include_dissolved: Literal["yes", "no"] | None = Field(None, description="`yes` lists dissolved bodies too.")


class OpeningFilters(Page):
    show: Literal["vacant", "ending", "holdover"] = Field(
        "vacant",
        description="`vacant`: seats nobody holds today; `ending`: terms ending within 90 days; `holdover`: "
        "holders serving past their term's end until replaced.",
    )
    jurisdiction: Slug | None = Field(None, description="Slug of a place.")
    topic: Slug | None = Field(None, description="Slug of an issue topic.")


class LeaderFilters(Page):
    q: SearchText | None = Field(None, description="Part of the person's name.")
    readiness: Readiness | None = None
    topic: Slug | None = Field(None, description="Slug of an issue topic of interest.")


class ProcessFilters(Page):
    q: SearchText | None = Field(None, description="Part of the title or the agency's name.")
    kind: ProcessKind | None = None
    body: Slug | None = Field(None, description="Slug of a public body you may see.")


# ---------------------------------------------------------------------------------------------
# Bodies of the writes


class BodyIn(InSchema):
    """A public body to add to the register. Its slug is made from its name and jurisdiction."""

    name: Name
    jurisdiction: Slug = Field(description="Slug of a place.")
    kind: BodyKind
    topics: list[Slug] = Field(default_factory=list, max_length=50, description="Slugs of issue topics.")
    appointing_authority: Line200 = ""
    description: Text3000 = ""
    url: WebAddress = Field("", description="Its page (http or https).")
    meeting_location: Line300 = ""
    meeting_frequency: MeetingFrequency = Field(MeetingFrequency.NONE, description="Empty: no regular schedule.")
    meeting_interval: AsciiInt = Field(1, ge=1, le=52, description="Every 1, 2, … weeks or months.")
    meeting_weekdays: list[Weekday] = Field(default_factory=list, max_length=7, description="0 Monday … 6 Sunday.")
    meeting_nth: list[WeekOfMonth] = Field(
        default_factory=list, max_length=5, description="Weeks of the month for a monthly schedule: 1 to 4, -1 the last."
    )
    first_meeting_on: Day | None = Field(None, description="Needed for a regular schedule.")
    meeting_starts_at: dt.time | None = Field(None, description="Local wall time in `time_zone`.")
    meeting_ends_at: dt.time | None = None
    time_zone: ZoneName = Field(DEFAULT_ZONE, description="An IANA time zone.")
    visibility: BodyVisibility = "public"


class BodyPatch(InSchema):
    """Only the fields sent are changed; `null` clears the first meeting and the meeting times.
    Changing the time or place of meetings bumps their iCalendar SEQUENCE."""

    name: Name = None
    jurisdiction: Slug = Field(None, description="Slug of a place.")
    kind: BodyKind = None
    topics: list[Slug] = Field(None, max_length=50, description="Slugs of issue topics; replaces the list.")
    appointing_authority: Line200 = None
    description: Text3000 = None
    url: WebAddress = None
    meeting_location: Line300 = None
    meeting_frequency: MeetingFrequency = None
    meeting_interval: AsciiInt = Field(None, ge=1, le=52)
    meeting_weekdays: list[Weekday] = Field(None, max_length=7)
    meeting_nth: list[WeekOfMonth] = Field(None, max_length=5)
    first_meeting_on: Day | None = None
    meeting_starts_at: dt.time | None = None
    meeting_ends_at: dt.time | None = None
    time_zone: ZoneName = None
    visibility: BodyVisibility = None


class SeatIn(InSchema):
    name: Name = Field(description="e.g. “Ward 3 resident seat” or “Seat 4”; unique within the body.")
    seat_type: SeatType = SeatType.APPOINTED
    constituency: Line200 = Field("", description="Who the seat is set aside for: a renter, a district resident…")
    eligibility: Text2000 = ""
    term_length_months: AsciiInt | None = Field(None, ge=1, le=240)
    holdover_allowed: StrictBool = Field(True, description="The holder serves on past the term's end until replaced.")
    position: AsciiInt = Field(0, ge=0, le=10_000, description="Order among the body's seats.")
    deadline_kind: DeadlineKind | Literal[""] = Field("", description="The application deadline's kind, if known.")
    deadline_on: Day | None = Field(None, description="Needed for `hard_date` and `review_begins`, else empty.")
    deadline_note: Line300 = ""
    applications_url: WebAddress = ""


class TermIn(InSchema):
    """A holder's term: a person in the directory (`holder_person`) or a named outsider
    (`holder_name`). Terms of one seat never share a day."""

    holder_person: uuid.UUID | None = Field(None, description="public_id of a person in the directory.")
    holder_name: Line200 = Field("", description="For someone who is not in the directory.")
    starts_on: Day
    ends_on: Day | None = Field(
        None, description="Left out: from the seat's term length. `null`: no end date (ex officio)."
    )
    left_on: Day | None = Field(None, description="The last day actually served, when known.")
    notes: Line500 = ""


class LeaderIn(InSchema):
    """A person to support toward a seat. How they identify is recorded on their page, where
    consent is asked, never through the API."""

    person: uuid.UUID = Field(description="public_id of a person in the directory.")
    interested_since: Day | None = None
    readiness: Readiness = Readiness.EXPLORING
    support_needs: Text2000 = ""
    notes: Text3000 = ""
    topics: list[Slug] = Field(default_factory=list, max_length=50, description="Slugs of issue topics.")
    places: list[Slug] = Field(default_factory=list, max_length=100, description="Slugs of places.")


class NominationIn(InSchema):
    leader: uuid.UUID = Field(description="public_id of a leader.")
    nominated_on: Day
    endorsements: list[Slug] = Field(
        default_factory=list, max_length=200, description="Slugs of the endorsing organizations."
    )
    notes: Line500 = ""


class OutcomeIn(InSchema):
    outcome: Literal["appointed", "not_appointed", "withdrawn"]
    on: Day = Field(description="Not before the nomination. An appointment's term starts that day.")
    term_ends_on: Day | None = Field(
        None, description="For an appointment: the term's end; from the seat's term length when left out."
    )


class ProcessIn(InSchema):
    """How an agency engaged the community in one process; the score is computed from the answers
    (at least three needed)."""

    title: Name
    agency: Name
    kind: ProcessKind
    body: Slug | None = Field(None, description="Slug of the public body, if any.")
    investment: Slug | None = Field(None, description="Slug of the investment it concerns, if any.")
    held_on: Day
    language_access: Answer | None = Field(None, description=ANSWER)
    interpretation: Answer | None = Field(None, description=ANSWER)
    accommodations: Answer | None = Field(None, description=ANSWER)
    timing_and_place: Answer | None = Field(None, description=ANSWER)
    input_changed_decision: Answer | None = Field(None, description=ANSWER)
    observations: Text5000 = ""
    visibility: BodyVisibility = "members"


# ---------------------------------------------------------------------------------------------
# Output

STAFF_ONLY = "Null unless you are staff."


class BodyRef(Schema):
    slug: str
    name: str
    jurisdiction: PlaceOut
    dissolved_on: dt.date | None


class SeatCountsOut(Schema):
    seats: int
    held: int = Field(description="Held today, holdovers included.")
    vacant: int
    ending_soon: int = Field(description="Terms ending within 90 days.")


class BodyOut(Schema):
    public_id: uuid.UUID
    slug: str
    name: str
    kind: BodyKind
    kind_label: str
    jurisdiction: PlaceOut
    topics: list[IssueOut]
    appointing_authority: str
    url: str
    dissolved_on: dt.date | None
    visibility: str
    seat_counts: SeatCountsOut


class BodyPage(Schema):
    count: int = Field(description="Matching records, all pages together.")
    limit: int
    offset: int
    items: list[BodyOut]


class MeetingOut(Schema):
    uid: str = Field(description="Stable per meeting (the iCalendar UID).")
    on: dt.date
    at: dt.time
    time_zone: str
    starts_at: dt.datetime = Field(description="The same moment in UTC.")


class DeadlineOut(Schema):
    kind: DeadlineKind | Literal[""] = Field(description="Empty when not known.")
    kind_label: str
    on: dt.date | None
    note: str
    applications_url: str


class TermOut(Schema):
    public_id: uuid.UUID
    holder_name: str
    starts_on: dt.date
    ends_on: dt.date | None
    left_on: dt.date | None
    status: TermStatus
    status_label: str
    is_coalition_leader: bool | None = Field(description=STAFF_ONLY)
    notes: str | None = Field(description=STAFF_ONLY)


class SeatOut(Schema):
    public_id: uuid.UUID
    name: str
    seat_type: SeatType
    seat_type_label: str
    constituency: str
    eligibility: str
    term_length_months: int | None
    holdover_allowed: bool
    position: int
    deadline: DeadlineOut
    state: SeatState = Field(description="Today: held, holdover or vacant.")
    state_label: str
    current: TermOut | None = Field(description="The term holding the seat today, holdover included.")


class BodyPermissions(Schema):
    can_manage: bool = Field(description="Change the body, add seats and record terms.")


class BodyDetailOut(BodyOut):
    description: str
    meeting_location: str
    meeting_frequency: MeetingFrequency
    meeting_interval: int
    meeting_weekdays: list[int]
    meeting_nth: list[int]
    first_meeting_on: dt.date | None
    meeting_starts_at: dt.time | None
    meeting_ends_at: dt.time | None
    time_zone: str
    upcoming_meetings: list[MeetingOut] = Field(description="The next three within 60 days.")
    seats: list[SeatOut]
    permissions: BodyPermissions


class PersonRef(Schema):
    public_id: uuid.UUID
    full_name: str


class SeatRef(Schema):
    public_id: uuid.UUID
    name: str
    body: BodyRef


class TermRef(Schema):
    public_id: uuid.UUID
    starts_on: dt.date
    ends_on: dt.date | None


class LeaderRef(Schema):
    public_id: uuid.UUID = Field(description="The leader's public_id.")
    full_name: str


class NominationOut(Schema):
    public_id: uuid.UUID
    seat: SeatRef
    leader: LeaderRef
    nominated_on: dt.date
    endorsements: list[OrganizationRef]
    outcome: NominationOutcome
    outcome_label: str
    outcome_on: dt.date | None
    term: TermRef | None = Field(description="The term an appointment recorded.")
    notes: str


class SeatDetailOut(SeatOut):
    body: BodyRef
    terms: list[TermOut] = Field(description="Every holder, newest first.")
    nominations: list[NominationOut] | None = Field(description=STAFF_ONLY + " Newest first.")
    permissions: BodyPermissions


class OpeningOut(Schema):
    kind: Literal["vacant", "ending", "holdover"]
    seat: SeatRef
    seat_type: SeatType
    constituency: str
    holder_name: str | None = Field(description="Null for a vacant seat.")
    term_ends_on: dt.date | None = Field(description="The scheduled end of the holder's term.")
    deadline: DeadlineOut


class OpeningPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[OpeningOut]


class SuppressedFigureOut(Schema):
    value: int | None = Field(description="Null when suppressed.")
    suppressed: bool = Field(description="Fewer than five people behind the figure, or hidden so that one "
                             "that is cannot be worked out by subtraction.")


class RollupRowOut(Schema):
    key: str = Field(description="`topic:<slug>`, `place:<slug>`, `climate_mobility` or `total`.")
    label: str
    bodies: int
    seats: int
    held: int
    vacant: int
    ending_soon: int
    held_by_leaders: int = Field(description="Seats held today by coalition leaders.")
    leaders: int = Field(description="Coalition leaders holding those seats, each counted once.")
    bipoc_leaders: SuppressedFigureOut = Field(
        description="Of those leaders, how many self-identify as Black, Indigenous or people of colour and "
        "consent to be counted."
    )
    climate_mobility: bool = Field(description="A climate, environment or mobility line (objective 1.6).")


class RollupOut(Schema):
    day: dt.date
    minimum: int = Field(description="Figures of people below this are suppressed.")
    total: RollupRowOut
    climate_mobility: RollupRowOut
    by_topic: list[RollupRowOut]
    by_jurisdiction: list[RollupRowOut]


class LeaderOut(Schema):
    public_id: uuid.UUID
    person: PersonRef
    readiness: Readiness
    readiness_label: str
    interested_since: dt.date | None
    topics: list[IssueOut]
    places: list[PlaceOut]


class LeaderPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[LeaderOut]


class TrainingOut(Schema):
    name: str
    provider: str
    attended_on: dt.date


class PathStepOut(Schema):
    on: dt.date | None
    kind: Literal["interest", "training", "nomination", "outcome", "term", "support"]
    title: str
    detail: str


class LeaderPermissions(Schema):
    can_manage: bool = Field(description="Change the leader, nominate them, record support.")


class LeaderDetailOut(LeaderOut):
    support_needs: str
    notes: str | None = Field(description=STAFF_ONLY)
    trainings: list[TrainingOut]
    path: list[PathStepOut] = Field(description="From interest to seat, oldest first.")
    permissions: LeaderPermissions


class ProcessOut(Schema):
    public_id: uuid.UUID
    title: str
    agency: str
    kind: ProcessKind
    kind_label: str
    body: BodyRef | None = Field(description="Null when none, or when you may not see it.")
    investment: InvestmentRef | None = Field(description="Null when none, or when you may not see it.")
    held_on: dt.date
    language_access: int | None
    interpretation: int | None
    accommodations: int | None
    timing_and_place: int | None
    input_changed_decision: int | None
    score: int | None = Field(description="0–100 over the questions answered; null with fewer than three.")
    observations: str
    visibility: str


class ProcessPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProcessOut]
