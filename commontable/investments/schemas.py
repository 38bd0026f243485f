"""Input and output shapes of the investment watch's API.

The In schemas follow the directory's rules (see `directory.schemas`): unknown fields are an error,
strings are capped at their column's length and refuse control characters, each problem is a
field-level error in the caller's language. Amounts are dollars, as a JSON number or a string
("1,250,000.50", "$3.5"); targets and reported values are numbers or ASCII decimal strings. Here
only their shape is checked (booleans, NaN and infinity, objects are refused at once, so that
every bad field of a body is reported together); the rules (not negative, at most two decimals,
not absurdly large, fiscal years in range, deadline after the start, a valid location inside the
region, stage and escalation steps that follow the rules) are the services' to say, through
`services.parse_money`, `services.parse_quantity` and `geo.parse_location`, as 422s on the field.

Money goes out in dollars too, as a JSON number with at most two decimals.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from commontable.core.visibility import Visibility
from commontable.directory.schemas import (
    AsciiInt,
    Error,
    InSchema,
    Line40,
    Line100,
    Line200,
    Line500,
    Name,
    OrganizationRef,
    Page,
    PlaceOut,
    SearchText,
    Slug,
    TableRef,
    ValidationErrorOut,
    _no_control_characters,
    _not_blank,
    _single_line,
)
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

__all__ = ["Error", "Page", "Slug", "ValidationErrorOut"]

# ---------------------------------------------------------------------------------------------
# Field types


def _amount(value: Any) -> Any:
    """Dollars: a JSON number or a string, handed on as text to `services.parse_money`."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise PydanticCustomError(
            "money_type", gettext("Enter an amount in dollars, such as 1250000 or 1,250,000.50.")
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError(
            "money_type", gettext("Enter an amount in dollars, such as 1250000 or 1,250,000.50.")
        )
    return value if isinstance(value, str) else str(value)


def _quantity(value: Any) -> Any:
    """A target or a reported value: a JSON number or a string, handed on as text to
    `services.parse_quantity`."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise PydanticCustomError("number_type", gettext("Enter a number."))
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError(
            "finite_number", gettext("Enter a number (not infinity or “not a number”).")
        )
    return value if isinstance(value, str) else str(value)


def _not_in_future(value: dt.date | None) -> dt.date | None:
    if value is not None and value > timezone.localdate():
        raise PydanticCustomError("future_date", gettext("The date cannot be in the future."))
    return value


_url_validator = URLValidator(schemes=["http", "https"])


def _web_address(value: str) -> str:
    if value:
        try:
            _url_validator(value)
        except DjangoValidationError:
            raise PydanticCustomError("invalid", gettext("Enter a valid URL.")) from None
    return value


Money = Annotated[
    str,
    BeforeValidator(_amount),
    Field(
        max_length=40,
        description='Dollars: a JSON number or a string such as "1,250,000.50" or "$3.5"; at most two '
        "decimals, not negative.",
    ),
]
Quantity = Annotated[
    str,
    BeforeValidator(_quantity),
    Field(max_length=40, description='A JSON number or a string of ASCII digits ("12.5"); not negative.'),
]
Text1000 = Annotated[str, Field(max_length=1000, strict=True), AfterValidator(_no_control_characters)]
Text2000 = Annotated[str, Field(max_length=2000, strict=True), AfterValidator(_no_control_characters)]
Text10000 = Annotated[str, Field(max_length=10000, strict=True), AfterValidator(_no_control_characters)]
Required5000 = Annotated[
    str,
    Field(min_length=1, max_length=5000, strict=True),
    AfterValidator(_no_control_characters),
    AfterValidator(_not_blank),
]
WebAddress = Annotated[
    str, Field(max_length=500, strict=True), AfterValidator(_single_line), AfterValidator(_web_address)
]
PastDate = Annotated[dt.date, AfterValidator(_not_in_future)]
Location = Annotated[
    dict[str, Any],
    Field(
        description="A GeoJSON geometry (Point, LineString, Polygon or their Multi- forms), Feature, or "
        "FeatureCollection of one feature, in WGS84 longitude/latitude, inside the coalition's region.",
        json_schema_extra={"example": {"type": "Point", "coordinates": [-93.1647, 44.9556]}},
    ),
]
VISIBILITY_TABLE = "Slug of the table that may see it, for `table` visibility."


# ---------------------------------------------------------------------------------------------
# Query parameters


class InvestmentFilters(Page):
    q: SearchText | None = Field(None, description="Part of the name.")
    kind: InvestmentKind | None = None
    stage: Stage | None = None
    jurisdiction: Slug | None = Field(None, description="Slug of a place (city, county…).")
    table: Slug | None = Field(None, description="Slug of a table engaged that you may see.")
    has_ask: Literal["yes", "won"] | None = Field(
        None, description="`yes`: with an ask you may see; `won`: with one won or partly won."
    )


class CommitmentFilters(Page):
    status: Compliance | None = Field(None, description="The status computed today by the stated rules.")
    category: CommitmentCategory | None = None
    obligor: Slug | None = Field(None, description="Slug of the organization that promised.")
    investment: Slug | None = Field(None, description="Slug of an investment you may see.")


class AskFilters(Page):
    investment: Slug | None = Field(None, description="Slug of an investment you may see.")
    outcome: AskOutcome | None = None


# ---------------------------------------------------------------------------------------------
# Bodies


class InvestmentIn(InSchema):
    """A public investment or subsidised development to register."""

    name: Name
    kind: InvestmentKind
    description: Text10000 = ""
    sponsor: Slug | None = Field(None, description="Slug of the sponsoring agency's organization.")
    jurisdiction: Slug | None = Field(None, description="Slug of a place.")
    total_cost: Money | None = None
    stage: Stage = Stage.PROPOSED
    stage_since: PastDate | None = Field(None, description="When it reached this stage; today if left out.")
    location: Location | None = None
    tables: list[Slug] = Field(default_factory=list, max_length=50, description="Slugs of tables engaged.")
    organizations: list[Slug] = Field(
        default_factory=list, max_length=200, description="Slugs of organizations engaged."
    )
    visibility: Visibility = Visibility.MEMBERS
    visibility_table: Slug | None = Field(None, description=VISIBILITY_TABLE)


class InvestmentPatch(InSchema):
    """Only the fields sent are changed. `null` clears a field that may be empty (sponsor,
    jurisdiction, total cost, location, visibility table). The stage changes through
    `POST /investments/{slug}/stage`, with a date."""

    name: Name = None
    kind: InvestmentKind = None
    description: Text10000 = None
    sponsor: Slug | None = Field(None, description="Slug of the sponsoring agency's organization.")
    jurisdiction: Slug | None = Field(None, description="Slug of a place.")
    total_cost: Money | None = None
    location: Location | None = None
    tables: list[Slug] = Field(None, max_length=50, description="Slugs of tables engaged; replaces the list.")
    organizations: list[Slug] = Field(
        None, max_length=200, description="Slugs of organizations engaged; replaces the list."
    )
    visibility: Visibility = None
    visibility_table: Slug | None = Field(None, description=VISIBILITY_TABLE)


class StageIn(InSchema):
    stage: Stage = Field(
        description="Stages move forward (steps may be skipped); an unfinished investment may be "
        "cancelled, and a cancelled one revived as proposed or planning."
    )
    effective_on: dt.date | None = Field(
        None, description="Today if left out; not in the future, not before the current stage began."
    )
    note: Line500 = ""


class FundingIn(InSchema):
    program: FundingProgram
    fiscal_year: AsciiInt = Field(description="1990 to 2100.")
    amount: Money
    award_id: Line100 = Field("", description="The award's identifier, such as a USAspending award id.")
    note: Line500 = ""


class CommitmentIn(InSchema):
    """A community benefit promised by an obligor, with a measurable target and a deadline."""

    source: CommitmentSource
    source_reference: Line200 = Field("", description="The resolution's number, the agreement's section…")
    obligor: Slug = Field(description="Slug of the organization that promised (developer, agency, employer).")
    text: Required5000 = Field(description="What was promised.")
    category: CommitmentCategory
    ami_percent: AsciiInt | None = Field(
        None, description="At or below this % of area median income (1 to 200)."
    )
    unit: Line40 = Field(description="What the target counts: units, hours, %, dollars…")
    direction: TargetDirection = TargetDirection.AT_LEAST
    target: Quantity
    starts_on: dt.date
    deadline: dt.date = Field(description="After `starts_on`.")
    visibility: Visibility = Visibility.MEMBERS
    visibility_table: Slug | None = Field(None, description=VISIBILITY_TABLE)


class ReportIn(InSchema):
    """The actual value of a commitment's metric as of a date. Files as evidence are uploaded with
    `POST /commitments/{public_id}/reports/upload` (multipart) or on the commitment's page."""

    value: Quantity
    as_of: dt.date = Field(description="Not in the future, not before the commitment starts.")
    evidence_url: WebAddress = Field("", description="A link to the evidence (http or https).")
    note: Text1000 = ""


class EscalationIn(InSchema):
    step: Escalation = Field(
        description="The next step: flagged → letter_sent → public → resolved. No step may be skipped; "
        "resolution may come at any step; a resolved commitment can be flagged again."
    )
    on: PastDate | None = Field(None, description="Today if left out.")
    note: Text1000 = ""


class AskIn(InSchema):
    asked_of: Line200 = Field("", description="The body or person the ask is to.")
    asked_of_organization: Slug | None = Field(None, description="Slug of the organization asked, if any.")
    ask: Required5000 = Field(description="What is asked.")
    visibility: Visibility = Visibility.MEMBERS
    visibility_table: Slug | None = Field(None, description=VISIBILITY_TABLE)


class AskActionIn(InSchema):
    kind: AskActionKind
    on: PastDate
    note: Text2000 = ""
    organizations: list[Slug] = Field(
        default_factory=list, max_length=200, description="Slugs of organizations that signed on."
    )


class AskOutcomeIn(InSchema):
    outcome: AskOutcome = Field(description="`pending` reopens the ask.")
    outcome_on: PastDate | None = Field(None, description="Today if left out (not for `pending`).")
    evidence: Text2000 = ""


# ---------------------------------------------------------------------------------------------
# Output


class InvestmentRef(Schema):
    slug: str
    name: str


class InvestmentOut(Schema):
    public_id: uuid.UUID
    slug: str
    name: str
    kind: InvestmentKind
    kind_label: str
    stage: Stage
    stage_label: str
    stage_since: dt.date | None
    sponsor: OrganizationRef | None = Field(description="Null when none, or when you may not see it.")
    jurisdiction: PlaceOut | None
    total_cost: float | None = Field(description="Dollars.")
    funding_total: float = Field(description="Dollars: the sum of its funding sources.")
    has_location: bool
    visibility: Visibility


class InvestmentPage(Schema):
    count: int = Field(description="Matching records, all pages together.")
    limit: int
    offset: int
    items: list[InvestmentOut]


class FundingOut(Schema):
    program: FundingProgram
    program_label: str
    fiscal_year: int
    amount: float = Field(description="Dollars.")
    award_id: str
    note: str


class StageChangeOut(Schema):
    stage: Stage
    stage_label: str
    effective_on: dt.date
    note: str
    recorded_at: dt.datetime


class CommitmentOut(Schema):
    public_id: uuid.UUID
    investment: InvestmentRef
    source: CommitmentSource
    source_reference: str
    obligor: OrganizationRef | None = Field(description="Null when you may not see the organization.")
    text: str
    category: CommitmentCategory
    category_label: str
    ami_percent: int | None
    unit: str
    direction: TargetDirection
    target: float
    starts_on: dt.date
    deadline: dt.date
    status: Compliance = Field(description="Computed today from the latest report, by the stated rules.")
    status_label: str
    latest_value: float | None
    latest_on: dt.date | None
    escalation: Escalation
    visibility: Visibility


class CommitmentPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CommitmentOut]


class EvidenceFileOut(Schema):
    name: str
    kind: str
    size: int
    url: str = Field(description="Download address; served only to those who may see the commitment.")


class ReportOut(Schema):
    value: float
    as_of: dt.date
    evidence_url: str
    evidence_file: EvidenceFileOut | None
    note: str
    reported_by: str | None = Field(description="The name of who reported it.")
    reported_at: dt.datetime


class EscalationStepOut(Schema):
    step: Escalation
    step_label: str
    on: dt.date
    note: str
    created_at: dt.datetime


class CommitmentPermissions(Schema):
    can_report: bool
    can_escalate: bool


class CommitmentDetailOut(CommitmentOut):
    visibility_table: str | None
    next_steps: list[Escalation] = Field(description="The escalation steps that may come next.")
    reports: list[ReportOut] = Field(description="Newest first.")
    escalation_steps: list[EscalationStepOut]
    permissions: CommitmentPermissions


class AskActionOut(Schema):
    kind: AskActionKind
    kind_label: str
    on: dt.date
    note: str
    organizations: list[OrganizationRef] = Field(description="Those you may see.")


class AskOut(Schema):
    public_id: uuid.UUID
    investment: InvestmentRef
    asked_of: str
    asked_of_organization: OrganizationRef | None = Field(
        description="Null when none, or when you may not see it."
    )
    ask: str
    outcome: AskOutcome
    outcome_label: str
    outcome_on: dt.date | None
    outcome_evidence: str
    actions: list[AskActionOut]
    visibility: Visibility


class AskPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AskOut]


class InvestmentPermissions(Schema):
    can_edit: bool = Field(description="Change it, its stage and funding; add commitments and asks.")
    can_report: bool = Field(description="Report on its commitments.")
    can_record_ask_action: bool


class InvestmentDetailOut(InvestmentOut):
    description: str
    geometry: dict[str, Any] | None = Field(description="The location as a GeoJSON geometry.")
    bbox: list[float] | None = Field(
        description="[min longitude, min latitude, max longitude, max latitude]."
    )
    tables: list[TableRef] = Field(description="Tables engaged that you may see.")
    organizations: list[OrganizationRef] = Field(description="Organizations engaged that you may see.")
    visibility_table: str | None
    funding: list[FundingOut]
    stages: list[StageChangeOut] = Field(description="Its stage history, oldest first.")
    commitments: list[CommitmentOut] = Field(description="Its commitments that you may see.")
    asks: list[AskOut] = Field(description="Its campaign asks that you may see.")
    permissions: InvestmentPermissions


# The map's GeoJSON is written by hand (see `api.investment_map`); this is its documentation.
FEATURE_COLLECTION_SCHEMA = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "geometry": {
                        "type": "object",
                        "description": "Point, LineString, Polygon or their Multi- forms, longitude/latitude.",
                    },
                    "properties": {
                        "type": "object",
                        "required": ["slug", "name", "kind", "stage", "stage_label", "funding", "url"],
                        "properties": {
                            "slug": {"type": "string"},
                            "name": {"type": "string"},
                            "kind": {"type": "string", "enum": list(InvestmentKind.values)},
                            "stage": {"type": "string", "enum": list(Stage.values)},
                            "stage_label": {"type": "string", "description": "In your language."},
                            "funding": {"type": "number", "description": "Funding total in dollars."},
                            "url": {
                                "type": ["string", "null"],
                                "description": "Its page on this site (null where pages are not served).",
                            },
                        },
                    },
                },
            },
        },
    },
}
