"""Shapes of the workforce API. Hours are numbers of hours with two decimals; shares and goals
are percentages with one decimal (null when there are no hours, or no goal)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, Field

from commontable.directory.schemas import Error, InSchema, Page, Slug, ValidationErrorOut
from commontable.workforce.choices import GoalSource, Measure

__all__ = ["Error", "Slug", "ValidationErrorOut"]


def _single_line(value: str) -> str:
    if any(ch in value for ch in "\r\n") or any(ord(ch) < 32 for ch in value):
        raise ValueError("control characters are not allowed")
    return value


Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=4, decimal_places=1)]
Note = Annotated[str, Field(max_length=300), AfterValidator(_single_line)]


class OverviewFilters(Page):
    sort: Literal["name", "-name", "bipoc", "-bipoc", "gap", "-gap", "hours", "-hours"] = Field(
        "name", description="Order: name, BIPOC share, gap to the BIPOC goal (negative: below), or total hours; "
        "a leading `-` reverses it."
    )


class HoursFilters(Page):
    pass


class SharesOut(Schema):
    bipoc: float | None
    women: float | None
    apprentice: float | None
    local: float | None


class TotalsOut(Schema):
    total_hours: float
    bipoc_hours: float
    women_hours: float
    apprentice_hours: float
    apprentice_bipoc_hours: float | None
    local_hours: float | None
    unknown_race_hours: float | None
    shares: SharesOut = Field(description="Each group's share of total hours, percent with one decimal.")
    unknown_race_share: float | None


class GoalOut(Schema):
    id: uuid.UUID
    investment: str
    measure: Measure
    target_percent: float
    source: GoalSource
    source_note: str
    starts_on: dt.date | None
    ends_on: dt.date | None


class GoalIn(InSchema):
    measure: Measure
    target_percent: Percent
    source: GoalSource
    source_note: Note = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None


class GoalPatch(InSchema):
    measure: Measure | None = None
    target_percent: Percent | None = None
    source: GoalSource | None = None
    source_note: Note | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None


class InvestmentRef(Schema):
    slug: str
    name: str


class OverviewRowOut(Schema):
    investment: InvestmentRef
    totals: TotalsOut
    goals: dict[str, float] = Field(description="The goal in force today per measure, percent.")
    bipoc_gap: float | None = Field(description="BIPOC share minus the BIPOC goal (negative: below the goal).")
    meets_bipoc_goal: bool | None


class OverviewPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[OverviewRowOut]


class PeriodOut(Schema):
    month: dt.date
    totals: TotalsOut
    goals: dict[str, float | None]


class ContractorOut(Schema):
    employer_name: str
    first: dt.date
    last: dt.date
    totals: TotalsOut


class WorkforceDetailOut(Schema):
    investment: InvestmentRef
    goals: list[GoalOut]
    totals: TotalsOut
    periods: list[PeriodOut]
    contractors: list[ContractorOut]


class HoursRecordOut(Schema):
    employer_name: str
    trade: str
    period_start: dt.date
    period_end: dt.date
    totals: TotalsOut


class HoursPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[HoursRecordOut]


class ProblemOut(Schema):
    row: int | None
    column: str | None
    message: str


class ReportOut(Schema):
    employer_name: str
    period_start: dt.date
    period_end: dt.date
    action: Literal["create", "update", "unchanged"]
    total_hours_now: float | None
    total_hours_after: float


class PeriodTotalsOut(Schema):
    period_start: dt.date
    period_end: dt.date
    totals: TotalsOut


class ImportOut(Schema):
    id: uuid.UUID | None
    status: str
    layout: str
    counts: dict[str, int]
    problems: list[ProblemOut]
    notices: list[str]
    periods: list[PeriodTotalsOut]
    reports: list[ReportOut]
