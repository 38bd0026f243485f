"""Shapes of the policy inventory's API. In schemas refuse unknown fields and cap every string at
its column's length (the directory's field types); dates are ISO dates."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, Field

from commontable.directory.schemas import (
    Error,
    InSchema,
    Line300,
    Line500,
    Page,
    Slug,
    ValidationErrorOut,
    _no_control_characters,
)
from commontable.displacement.choices import PolicyStatus

__all__ = ["Error", "Slug", "ValidationErrorOut"]

Notes = Annotated[str, Field(max_length=4000, strict=True), AfterValidator(_no_control_characters)]
Description = Annotated[str, Field(max_length=2000, strict=True), AfterValidator(_no_control_characters)]
TypeName = Annotated[str, Field(min_length=1, max_length=120, strict=True)]
JurisdictionKind = Annotated[str, Field(pattern="^(state|region|county|city)$")]


class PolicyFilters(Page):
    jurisdiction: Slug | None = Field(None, description="Slug of a jurisdiction (a city, county, region or state).")
    type: Slug | None = Field(None, description="Slug of a policy type.")
    status: PolicyStatus | None = None
    kind: JurisdictionKind | None = Field(None, description="Kind of jurisdiction: state, region, county or city.")


class NoFilters(InSchema):
    pass


class PolicyStatusIn(InSchema):
    """A jurisdiction's status on a policy type (the whole record: what is left out is emptied)."""

    jurisdiction: Slug
    policy_type: Slug
    status: PolicyStatus
    status_date: dt.date | None = Field(None, description="Needed for adopted and repealed; never in the future.")
    source_url: Line500 = Field("", description="http or https only. Adopted and repealed need a link or a citation.")
    source_note: Line300 = ""
    notes: Notes = ""
    campaigns: list[uuid.UUID] | None = Field(
        None, max_length=100, description="Ids of campaign asks; replaces the list. Left out: unchanged.")


class PolicyStatusPatch(InSchema):
    """Only the fields sent change."""

    status: PolicyStatus = None
    status_date: dt.date | None = None
    source_url: Line500 = None
    source_note: Line300 = None
    notes: Notes = None
    campaigns: list[uuid.UUID] = Field(None, max_length=100)


class PolicyTypeIn(InSchema):
    name: TypeName
    description: Description = ""


class PlaceRef(Schema):
    slug: str
    name: str
    kind: str


class PolicyTypeOut(Schema):
    slug: str
    name: str = Field(description="In your language for the types that ship with the app.")
    description: str


class PolicyOut(Schema):
    jurisdiction: PlaceRef
    policy_type: PolicyTypeOut
    status: PolicyStatus
    status_label: str
    status_date: dt.date | None
    source_url: str
    source_note: str
    notes: str


class PolicyPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PolicyOut]


class StatusChangeOut(Schema):
    status: PolicyStatus
    status_label: str
    status_date: dt.date | None
    source_url: str
    source_note: str
    recorded_at: dt.datetime


class CampaignOut(Schema):
    id: uuid.UUID
    ask: str
    outcome: str
    investment: str = Field(description="Slug of the investment.")


class PolicyDetailOut(PolicyOut):
    recorded: bool = Field(description="False where no status was ever recorded (the status is then none).")
    history: list[StatusChangeOut] = Field(description="Every status it has had, newest first.")
    campaigns: list[CampaignOut] = Field(description="Linked campaign asks that you may see.")

