"""Shapes of the decision calendar's JSON API (In and Out)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, Field

from commontable.core.deadlines import DeadlineKind
from commontable.directory.schemas import (
    InSchema,
    Line200,
    Line500,
    OrganizationRef,
    Page,
    Slug,
    _no_control_characters,
)
from commontable.investments.calendar import TIME_ZONES
from commontable.investments.models import DecisionKind, DecisionStatus
from commontable.investments.schemas import _web_address

Text5000 = Annotated[str, Field(max_length=5000, strict=True), AfterValidator(_no_control_characters)]
WebAddress = Annotated[str, Field(max_length=500), AfterValidator(_web_address)]
ZONE_HELP = "IANA time zone of the local time: " + ", ".join(TIME_ZONES) + "."


class DecisionFilters(Page):
    start: dt.date | None = Field(None, description="From this local date (default: today).")
    end: dt.date | None = Field(None, description="Before this local date (default: a year after `start`).")
    investment: Slug | None = Field(None, description="Slug of an investment you may see.")
    kind: DecisionKind | None = None
    body: Slug | None = Field(None, description="Slug of the deciding body (an organization).")


class DecisionIn(InSchema):
    kind: DecisionKind
    title: Line200 = Field(min_length=1)
    body: Slug | None = Field(None, description="Slug of the deciding body in the directory, if it is there.")
    body_name: Line200 = Field("", description="The body as named (a committee, say).")
    description: Text5000 = ""
    deadline_kind: DeadlineKind | None = Field(None, description="Comment deadlines only.")
    starts_on: dt.date | None = Field(None, description="Local date; none for rolling or open-until-filled.")
    starts_at_time: dt.time | None = Field(None, description="Local wall time, e.g. 18:30. A time skipped "
                                           "when clocks spring forward is a 422; a repeated one means the first.")
    ends_at_time: dt.time | None = None
    time_zone: str = Field("America/Chicago", max_length=64, description=ZONE_HELP)
    location: Line500 = ""
    link_url: WebAddress = ""
    status: DecisionStatus = DecisionStatus.SCHEDULED


class DecisionPatch(InSchema):
    kind: DecisionKind | None = None
    title: Line200 | None = Field(None, min_length=1)
    body: Slug | None = None
    body_name: Line200 | None = None
    description: Text5000 | None = None
    deadline_kind: DeadlineKind | None = None
    starts_on: dt.date | None = None
    starts_at_time: dt.time | None = None
    ends_at_time: dt.time | None = None
    time_zone: str | None = Field(None, max_length=64)
    location: Line500 | None = None
    link_url: WebAddress | None = None
    status: DecisionStatus | None = None


class InvestmentRefOut(Schema):
    slug: str
    name: str


class DecisionOut(Schema):
    public_id: uuid.UUID
    uid: str = Field(description="The iCalendar UID: fixed for the life of the decision.")
    sequence: int = Field(description="Goes up when the time, place or status changes.")
    investment: InvestmentRefOut
    kind: DecisionKind
    title: str
    body: OrganizationRef | None
    body_name: str
    description: str
    deadline_kind: str
    starts_on: dt.date | None = Field(description="Local date.")
    starts_at_time: dt.time | None = Field(description="Local wall time.")
    ends_at_time: dt.time | None
    time_zone: str
    starts_at: dt.datetime | None = Field(description="The UTC moment (for a hard-date deadline: when it closes).")
    location: str
    link_url: str
    status: DecisionStatus


class DecisionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[DecisionOut]


class WatchOut(Schema):
    investment: str
    watching: bool
