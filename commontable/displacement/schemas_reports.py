"""Shapes of the community reports API. The public shape (`PublicCountsOut`) has counts per tract
only: no point, no address, no report. Reports themselves (with their exact place) go to staff and
to their reporter."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, Field, StrictBool

from commontable.directory.schemas import Error, InSchema, Page, ValidationErrorOut, _no_control_characters
from commontable.displacement.choices import ReportKind

__all__ = ["Error", "ValidationErrorOut"]

Description = Annotated[str, Field(max_length=4000, strict=True), AfterValidator(_no_control_characters)]
Geoid = Annotated[str, Field(pattern=r"^\d{11}$")]
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]


class ReportFilters(Page):
    kind: ReportKind | None = None
    geoid: Geoid | None = Field(None, description="A tract's 11-digit GEOID.")
    occurred_from: dt.date | None = None
    occurred_to: dt.date | None = None
    withdrawn: Literal["yes", "no"] | None = None


class NoFilters(InSchema):
    pass


class ReportIn(InSchema):
    kind: ReportKind
    occurred_on: dt.date = Field(description="Not in the future, not before 2000.")
    lat: Latitude = Field(description="Latitude (WGS84) of where it happened.")
    lon: Longitude = Field(description="Longitude (WGS84) of where it happened.")
    description: Description = ""
    consent_aggregate: StrictBool = Field(False, description="Count it on the public map (per tract, five or more).")
    consent_contact: StrictBool = Field(False, description="Staff may contact the reporter about it.")


class ReportOut(Schema):
    id: uuid.UUID
    kind: ReportKind
    kind_label: str
    occurred_on: dt.date
    description: str
    lat: float
    lon: float
    geoid: str = Field(description="The tract holding the point; empty outside every tract known.")
    consent_aggregate: bool
    consent_contact: bool
    language: str
    received_at: dt.datetime
    withdrawn_at: dt.datetime | None
    reporter: str | None = Field(description="Staff only (null for the reporter's own view).")


class ReportPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ReportOut]


class TractCountOut(Schema):
    geoid: str
    reports: int


class PublicCountsOut(Schema):
    minimum: int = Field(description="Tracts with fewer reports than this are not shown.")
    total: int | None = Field(description="Reports counted in all; null when fewer than the minimum.")
    not_shown: int | None = Field(description="Reports in tracts not shown one by one (a sum over at least two "
                                  "tracts); null when there are none or the total is hidden.")
    tracts: list[TractCountOut] = Field(description="Tracts with a count shown, most reports first.")
