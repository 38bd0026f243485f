"""Input and output shapes of the plan's API.

The In schemas follow the directory's rules (see `directory.schemas`): unknown fields are an error,
strings are capped at their column's length and refuse control characters, each problem is a
field-level error in the caller's language. Figures are JSON numbers or ASCII decimal strings:
NaN, infinity, booleans and digits of other scripts are refused here, so that every bad field of a
body is reported at once; what needs the database (a computed indicator, an archived objective, a
duplicate binding) is the services' to say.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from commontable.core.numbers import ASCII_DECIMAL
from commontable.core.visibility import Visibility
from commontable.directory.schemas import (
    Error,
    InSchema,
    Line100,
    Page,
    Slug,
    TableRef,
    Text5000,
    ValidationErrorOut,
    _no_control_characters,
    _not_blank,
    _single_line,
)
from commontable.strategy.choices import ActionItemStatus, Cadence, IndicatorKind, Status

__all__ = ["Error", "Page", "Slug", "ValidationErrorOut"]

# ---------------------------------------------------------------------------------------------
# Field types


def _number(value: Any) -> Any:
    """A figure: a JSON number, or a string of ASCII digits with an optional point and sign."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise PydanticCustomError("number_type", gettext("Enter a number."))
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError(
            "finite_number", gettext("Enter a number (not infinity or “not a number”).")
        )
    if isinstance(value, str):
        if any(ch.isdigit() and not "0" <= ch <= "9" for ch in value):
            message = gettext("Write the number with the digits 0–9.")  # noqa: RUF001 - as in core.forms
            raise PydanticCustomError("non_ascii_digits", message)
        if value.strip().lower().lstrip("+-") in ("nan", "snan", "inf", "infinity"):
            raise PydanticCustomError(
                "finite_number", gettext("Enter a number (not infinity or “not a number”).")
            )
        if not ASCII_DECIMAL.match(value):
            raise PydanticCustomError("number_parsing", gettext("Enter a number."))
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise PydanticCustomError("number_parsing", gettext("Enter a number.")) from None
    if not number.is_finite():
        raise PydanticCustomError(
            "finite_number", gettext("Enter a number (not infinity or “not a number”).")
        )
    return number


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


Number = Annotated[
    Decimal,
    BeforeValidator(_number),
    Field(description='A JSON number or a string of ASCII digits ("12.5"); not NaN or infinity.'),
]
Text2000 = Annotated[str, Field(max_length=2000, strict=True), AfterValidator(_no_control_characters)]
Title = Annotated[
    str,
    Field(min_length=1, max_length=300, strict=True),
    AfterValidator(_single_line),
    AfterValidator(_not_blank),
]
IndicatorKey = Annotated[
    str,
    Field(min_length=1, max_length=100, strict=True),
    AfterValidator(_single_line),
    AfterValidator(_not_blank),
]
WebAddress = Annotated[
    str, Field(max_length=500, strict=True), AfterValidator(_single_line), AfterValidator(_web_address)
]
PastDate = Annotated[dt.date, AfterValidator(_not_in_future)]


# ---------------------------------------------------------------------------------------------
# Query parameters


class PlanDetailQuery(InSchema):
    archived: bool = Field(False, description="Include archived values, strategies and objectives.")


class AsOfQuery(InSchema):
    as_of: PastDate | None = Field(
        None, description="Show the figures as they stood on this day (today at the latest)."
    )


class DashboardQuery(AsOfQuery):
    strategy: Annotated[int, Field(ge=1, le=999)] | None = Field(
        None, description="Only this strategy's objectives."
    )
    table: Slug | None = Field(
        None, description="Only objectives this table works on (slug of a table you may see)."
    )


class ActionItemFilters(Page):
    objective: uuid.UUID | None = Field(None, description="Public id of an objective you may see.")
    status: ActionItemStatus | None = None


# ---------------------------------------------------------------------------------------------
# Bodies


class MeasurementIn(InSchema):
    """A hand-measured figure of a manual indicator."""

    value: Number
    measured_on: PastDate = Field(description="The day the figure was true; today at the latest.")
    evidence: Text2000 = Field("", description="How the figure was found: a survey, a check-in, a document.")
    evidence_url: WebAddress = Field("", description="A link to the evidence (http or https).")


class BindingIn(InSchema):
    """An indicator bound to an objective, with its baseline, target and cadence."""

    indicator: IndicatorKey = Field(description="Key of a registered indicator, or of a manual one.")
    param: Line100 = Field("", description="Which figure of an indicator that has one per table or place.")
    baseline_value: Number | None = None
    baseline_on: dt.date | None = None
    target_value: Number | None = None
    target_on: dt.date | None = Field(None, description="After the baseline date.")
    cadence: Cadence = Field(
        Cadence.QUARTERLY, description="Days after which a hand-entered figure is stale."
    )


class ActionItemIn(InSchema):
    title: Title
    detail: Text5000 = ""
    due_on: dt.date | None = None
    objectives: list[uuid.UUID] = Field(
        default_factory=list, max_length=50, description="Public ids of current objectives you may see."
    )
    visibility: Visibility = Field(Visibility.MEMBERS, description="public, members or staff.")


# ---------------------------------------------------------------------------------------------
# Output


class PlanRef(Schema):
    slug: str
    title: str


class PlanOut(Schema):
    public_id: uuid.UUID
    slug: str
    title: str
    period_start: dt.date
    period_end: dt.date
    period: str = Field(description="The years, such as 2023–2026.")  # noqa: RUF001 - an en dash
    is_default: bool
    revision: int
    visibility: Visibility
    predecessor: PlanRef | None = Field(
        description="The plan it succeeds; null when none, or when you may not see it."
    )


class PlanPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PlanOut]


class ValueOut(Schema):
    name: str
    description: str
    archived: bool


class ObjectiveRef(Schema):
    public_id: uuid.UUID
    number: str


class ObjectiveBrief(Schema):
    public_id: uuid.UUID
    number: str
    text: str
    archived: bool


class StrategyOut(Schema):
    number: int
    title: str
    description: str
    archived: bool
    objectives: list[ObjectiveBrief]


class PlanPermissions(Schema):
    can_manage: bool


class PlanDetailOut(PlanOut):
    mission: str
    vision: str
    values: list[ValueOut]
    strategies: list[StrategyOut]
    permissions: PlanPermissions


class FigureOut(Schema):
    binding: uuid.UUID = Field(description="Public id of the binding of this indicator to the objective.")
    key: str
    label: str = Field(description="In your language for registered indicators.")
    counts: str = Field(description="What counts, in a sentence.")
    unit: str
    manual: bool = Field(description="Measured by hand rather than computed from the records.")
    param: str
    value: float | None = Field(description="Null when there is no figure yet, or when it is suppressed.")
    suppressed: bool = Field(description="Too few people behind the figure to show it.")
    measured_on: dt.date | None = Field(
        description="For hand-measured figures: the day of the latest measurement."
    )
    baseline: float | None
    baseline_on: dt.date | None
    target: float | None
    target_on: dt.date | None
    higher_is_better: bool
    status: Status
    status_label: str
    change: float | None = Field(description="Change since the last board report; null without one.")
    change_since: dt.date | None = Field(description="The day the last board report's figures stood at.")
    series: list[tuple[dt.date, float | None]] = Field(
        description="[date, value] at each quarter's end, then the day shown."
    )


class ObjectiveRowOut(Schema):
    public_id: uuid.UUID
    number: str
    text: str
    status: Status
    status_label: str
    figures: list[FigureOut]


class StrategyRowOut(Schema):
    number: int
    title: str
    objectives: list[ObjectiveRowOut]


class BoardReportRef(Schema):
    public_id: uuid.UUID
    title: str
    period_start: dt.date
    period_end: dt.date


class DashboardOut(Schema):
    plan: PlanRef
    as_of: dt.date
    last_report: BoardReportRef | None = Field(description="The board report changes are measured from.")
    status_counts: dict[str, int] = Field(description="How many objectives stand at each status.")
    strategies: list[StrategyRowOut]


class MeasurementOut(Schema):
    id: int
    indicator: str
    param: str
    value: float
    measured_on: dt.date
    source: str = Field(description="manual (entered by hand) or snapshot (a computed figure kept).")
    evidence: str
    evidence_url: str
    recorded_by: str | None = Field(description="The name of who entered it.")
    recorded_at: dt.datetime


class MeasurementPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MeasurementOut]


class ActionItemBrief(Schema):
    public_id: uuid.UUID
    title: str
    detail: str
    status: ActionItemStatus
    owner: str | None = Field(description="The owner's name, when they gave one.")
    due_on: dt.date | None
    done_on: dt.date | None
    visibility: Visibility


class ActionItemOut(ActionItemBrief):
    objectives: list[ObjectiveRef] = Field(description="The objectives it counts toward that you may see.")


class ActionItemPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ActionItemOut]


class ArchivedBindingOut(Schema):
    binding: uuid.UUID
    key: str
    param: str
    archived_at: dt.datetime


class ObjectivePermissions(Schema):
    can_manage: bool
    can_add_action_item: bool
    can_measure: list[str] = Field(description="Keys of the manual indicators you may record figures for.")


class ObjectiveDetailOut(Schema):
    public_id: uuid.UUID
    number: str
    text: str
    notes: str
    archived: bool
    plan: PlanRef
    strategy: int
    as_of: dt.date
    status: Status
    status_label: str
    figures: list[FigureOut]
    measurements: list[MeasurementOut] = Field(
        description="The hand-entered measurements behind its manual figures, newest first."
    )
    action_items: list[ActionItemBrief] = Field(description="Its action items that you may see.")
    tables: list[TableRef] = Field(description="The tables working on it that you may see.")
    archived_figures: list[ArchivedBindingOut]
    permissions: ObjectivePermissions


class IndicatorOut(Schema):
    key: str
    label: str
    counts: str
    unit: str
    direction: str
    kind: IndicatorKind
    history: bool = Field(description="Its records keep their history, so past figures can be computed.")
    param_label: str = Field(
        description="What the parameter picks, for indicators with one figure per table or place."
    )
    per_objective: bool = Field(
        description="Counts for the objective it is bound to (e.g. its action items done)."
    )
    used: int = Field(description="How many current objectives you may see are bound to it.")


class IndicatorPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[IndicatorOut]


class BindingOut(Schema):
    public_id: uuid.UUID
    objective: ObjectiveRef
    indicator: str
    param: str
    baseline_value: float | None
    baseline_on: dt.date | None
    target_value: float | None
    target_on: dt.date | None
    cadence: Cadence
